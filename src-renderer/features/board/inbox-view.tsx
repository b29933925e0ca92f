// Every pending promotion across pipelines in one list, sortable by how long it has waited,
// each with a way to jump to its cell on the board.
import { useMemo, useState } from 'react';
import { StatePanel } from '../../components/state-panel';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store/store';
import { jumpToCell } from './board-actions';
import { InboxBatchButton } from './inbox-batch';
import { cellAction } from '../../../src-main/common/cell-action';
import type { InboxItem } from './board-view';
import { inboxItems, sortInbox } from './board-view';
import { age, prRef, prStatusText } from './format';
import { useOrderedRows } from './use-board-model';
import type { TokenEntry } from '../../../src-main/common/tokens';
import { TokenStatePill } from '../tokens/token-badge';
import { pipelinesOf, whoLabel } from '../tokens/token-format';
import { troubledTokens } from '../tokens/token-inbox';
import './inbox-view.css';

const kindWords = { 'awaiting-approval': 'Awaiting approval', 'pr-open': 'PR open', 'promotion-expected': 'Promotion expected', 'pr-unknown': 'PR state unknown' } as const;

export function InboxView() {
  const rows = useOrderedRows();
  const now = useNow();
  const [order, setOrder] = useState<'oldest' | 'newest'>('oldest');
  const setView = useAppStore((s) => s.setView);
  const back = (
    <button type="button" className="button button--small" onClick={() => setView({ mode: 'board' })} data-testid="inbox-back">
      ← Back to the board
    </button>
  );
  const items = useMemo(() => sortInbox(inboxItems(rows), order), [rows, order]);
  const report = useAppStore((s) => s.tokenReport);
  const tokens = useMemo(() => troubledTokens(report), [report]);
  const tokenSection = tokens.length > 0 ? <TokenInbox entries={tokens} /> : null;
  if (items.length === 0 && tokens.length > 0) {
    return (
      <div className="inbox" data-testid="inbox">
        <div className="inbox__head">
          <h2 className="inbox__title">No pending promotions</h2>
          {back}
        </div>
        {tokenSection}
      </div>
    );
  }
  if (items.length === 0) {
    return (
      <StatePanel tone="neutral" title="Nothing is waiting" testId="inbox-empty" action={back}>
        <p>No promotion is awaiting approval, open as a pull request, or expected.</p>
      </StatePanel>
    );
  }
  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox__head">
        <h2 className="inbox__title">
          {items.length} pending {items.length === 1 ? 'promotion' : 'promotions'}
        </h2>
        <InboxBatchButton items={items} />
        {back}
      </div>
      <table className="inbox__table">
        <thead>
          <tr>
            <th scope="col">Pipeline</th>
            <th scope="col">Into</th>
            <th scope="col">Pending</th>
            <th scope="col">Version</th>
            <th scope="col" aria-sort={order === 'oldest' ? 'descending' : 'ascending'}>
              <button type="button" className="inbox__sort" onClick={() => setOrder(order === 'oldest' ? 'newest' : 'oldest')} data-testid="inbox-sort">
                Waiting {order === 'oldest' ? '↓ longest first' : '↑ shortest first'}
              </button>
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.key} data-testid="inbox-item">
              <td>
                <div className="inbox__pipeline">{item.pipeline}</div>
                <div className="muted">{item.namespace}</div>
              </td>
              <td>
                {item.fromEnv ? <span className="muted">{item.fromEnv} → </span> : null}
                {item.env}
              </td>
              <td>
                <span className={`badge badge--${item.pending.kind}`}>{kindWords[item.pending.kind]}</span>
                {item.pending.pr ? (
                  <div className="muted">
                    {prRef(item.pending.pr.number, item.provider)} · {prStatusText(item.pending.pr)}
                  </div>
                ) : null}
              </td>
              <td className="mono">{item.pending.version ?? '—'}</td>
              <td title={item.since}>{item.since ? `${age(item.since, now)} (since ${item.sinceLabel})` : 'unknown'}</td>
              <td>
                <div className="inbox__actions">
                  <InboxAct item={item} />
                  <button type="button" className="button button--small" onClick={() => jumpToCell(item.rowId, item.envIndex)} data-testid="inbox-jump">
                    Show on board
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokenSection}
    </div>
  );
}

/** Approve what a gate waits for, or promote what is expected, right from the Inbox. */
function InboxAct(props: { item: InboxItem }) {
  const { item } = props;
  const row = useAppStore((s) => s.rowsById[item.rowId]);
  const openPromote = useAppStore((s) => s.openPromote);
  if (!row || item.envIndex === 0 || item.pending.kind === 'pr-open') return null;
  const action = cellAction(row, item.envIndex - 1);
  if (action.kind !== 'approve' && action.kind !== 'promote') return null;
  return (
    <button type="button" className="button button--small button--primary" onClick={() => openPromote({ rowId: row.id, from: item.envIndex - 1, to: item.envIndex })} data-testid="inbox-act" data-action={action.kind}>
      {action.kind === 'approve' ? action.label : `Promote ${action.version}`}
    </button>
  );
}

function TokenInbox(props: { entries: TokenEntry[] }) {
  const setView = useAppStore((s) => s.setView);
  const selectToken = useAppStore((s) => s.selectToken);
  return (
    <section className="inbox__tokens" aria-labelledby="inbox-tokens-title">
      <h3 id="inbox-tokens-title" className="inbox__subtitle">
        Tokens that stop promotions
      </h3>
      <ul className="inbox__token-list">
        {props.entries.map((e) => (
          <li key={e.key} className="inbox__token" data-testid="inbox-token" data-state={e.state}>
            <TokenStatePill entry={e} long />
            <span>
              {whoLabel(e)} · used by {pipelinesOf(e).map((p) => p.pipelineId).join(', ') || 'no pipeline'}
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                selectToken(e.key);
                setView({ mode: 'tokens' });
              }}
              data-testid="inbox-token-show"
            >
              Show token
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
