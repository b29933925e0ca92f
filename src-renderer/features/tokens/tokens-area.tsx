// The Tokens view as the app mounts it: the report from main (tokens:list, kept current by
// tokens:changed), re-checks through tokens:recheck, pipeline links back to the board.
import { useAppStore } from '../../store/store';
import { jumpToCell } from '../board/board-actions';
import { TokensView } from './tokens-view';

export function TokensArea() {
  const report = useAppStore((s) => s.tokenReport);
  const error = useAppStore((s) => s.tokensError);
  const rechecking = useAppStore((s) => s.recheckingKey);
  const recheck = useAppStore((s) => s.recheckToken);
  const setView = useAppStore((s) => s.setView);
  const selected = useAppStore((s) => s.selectedTokenKey);
  const setSelected = useAppStore((s) => s.selectToken);
  const chooseSecretReading = useAppStore((s) => s.chooseSecretReading);
  const approveHost = useAppStore((s) => s.approveHost);
  const approving = useAppStore((s) => s.approvingHost);
  return (
    <div className="tokens-area">
      <div className="inbox__head tokens-area__head">
        <span />
        <button type="button" className="button button--small" onClick={() => setView({ mode: 'board' })} data-testid="tokens-back">
          ← Back to the board
        </button>
      </div>
      <TokensView
        report={report}
        {...(error ? { error: error.message } : {})}
        {...(selected ? { selectedKey: selected } : {})}
        onSelect={setSelected}
        onRecheck={(key) => void recheck(key)}
        {...(rechecking ? { recheckingKey: rechecking } : {})}
        onSelectPipeline={(id) => jumpToCell(id, 0)}
        onChooseSecretReading={(read) => void chooseSecretReading(read)}
        onApproveHost={(host) => void approveHost(host)}
        {...(approving ? { approvingHost: approving } : {})}
      />
    </div>
  );
}
