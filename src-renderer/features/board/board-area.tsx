// The board area: honest loading / error / empty states, then the toolbar with the board (or
// the pending-promotions inbox) and the detail panel.
import { StatePanel } from '../../components/state-panel';
import { useAppStore } from '../../store/store';
import { BatchBar } from './batch-bar';
import { BoardList } from './board-list';
import { BoardToolbar } from './board-toolbar';
import { DetailPanel } from './detail-panel';
import { InboxView } from './inbox-view';
import { EmptyBoard, KubeconfigNotice } from './kubeconfig-notice';
import { TokensArea } from '../tokens/tokens-area';
import { ReleaseLogView } from '../releases/release-log-view';
import { useListModel } from './use-board-model';
import './board-area.css';

function Connecting() {
  const info = useAppStore((s) => s.appInfo);
  const reload = useAppStore((s) => s.loadAppInfo);
  if (info.status === 'error')
    return (
      <StatePanel
        tone="error"
        title="Release Board’s services are not reachable"
        testId="board-error"
        action={
          <button type="button" className="button button--primary" onClick={() => void reload()}>
            Try again
          </button>
        }
      >
        <p>{info.error.message}</p>
        <p className="muted">Restart the app if this persists. Nothing was changed in your clusters or repositories.</p>
      </StatePanel>
    );
  return <StatePanel tone="loading" title="Reading your clusters…" testId="board-loading" />;
}

export function BoardArea() {
  const load = useAppStore((s) => s.boardLoad);
  const total = useAppStore((s) => s.rowOrder.length);
  const mode = useAppStore((s) => s.view.mode);
  const retry = useAppStore((s) => s.loadSnapshot);
  const model = useListModel();

  if (load.status === 'loading') return <Connecting />;
  if (load.status === 'error')
    return (
      <StatePanel
        tone="error"
        title="The board could not be loaded"
        testId="board-error"
        action={
          <button type="button" className="button button--primary" onClick={() => void retry()}>
            Try again
          </button>
        }
      >
        <p>{load.error.message}</p>
        <p className="muted">Nothing was changed in your clusters or repositories.</p>
      </StatePanel>
    );
  if (total === 0) return <EmptyBoard />;

  return (
    <div className="board-area">
      <KubeconfigNotice />
      {mode === 'inbox' ? (
        <InboxView />
      ) : mode === 'tokens' ? (
        <TokensArea />
      ) : mode === 'releases' ? (
        <ReleaseLogView />
      ) : (
        <>
          <BoardToolbar model={model} />
          <BatchBar model={model} />
          <div className="board-area__body">
            {model.shown === 0 ? (
              <StatePanel tone="neutral" title="No pipeline matches this view" testId="board-no-match">
                <p className="muted">Change the search, filters or cluster — or clear them to see all {total} pipelines.</p>
              </StatePanel>
            ) : (
              <BoardList model={model} />
            )}
            <DetailPanel />
          </div>
        </>
      )}
    </div>
  );
}
