// Every pending promotion across pipelines, grouped by kind (awaiting approval, PR open,
// promotion expected) with counts, then the tokens that stop promotions. Each row approves or
// promotes right here (the shared cell rules decide which, the promote dialog does it) or
// jumps to its cell. A long group is a scroll box that renders only the rows in view, so the
// Inbox stays fast at a thousand pipelines.
import { useCallback, useId, useMemo, useRef, useState, type ReactNode, type UIEvent } from 'react';
import { StatePanel } from '../../components/state-panel';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store/store';
import { jumpToCell } from './board-actions';
import { InboxBatchButton } from './inbox-batch';
import { cellAction } from '../../../src-main/common/cell-action';
import type { PendingPromotion } from '../../../src-main/common/board';
import { groupInbox, inboxItems, sinceText, uniformOffsets, visibleRange, type InboxGroup, type InboxItem } from './board-view';
import { age, prStatusText } from './format';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { useOrderedRows } from './use-board-model';
import type { TokenEntry } from '../../../src-main/common/tokens';
import { TokenStatePill } from '../tokens/token-badge';
import { pipelinesOf, whoLabel } from '../tokens/token-format';
import { troubledTokens } from '../tokens/token-inbox';
import './inbox-view.css';

const kindWords: Record<PendingPromotion['kind'], string> = {
  'awaiting-approval': 'Awaiting approval',
  'pr-open': 'PR open',
  'promotion-expected': 'Promotion expected',
  'pr-unknown': 'PR state unknown',
};

/** Rows are one height so a group can be virtualised; a group taller than this many rows scrolls. */
export const INBOX_ROW_HEIGHT = 52;
export const INBOX_VISIBLE_ROWS = 10;

type Order = 'oldest' | 'newest';

export function InboxView() {
  const rows = useOrderedRows();
  const [order, setOrder] = useState<Order>('oldest');
  const setView = useAppStore((s) => s.setView);
  const back = (
    <button type="button" className="button button--small" onClick={() => setView({ mode: 'board' })} data-testid="inbox-back">
      ← Back to the board
    </button>
  );
  const items = useMemo(() => inboxItems(rows), [rows]);
  const groups = useMemo(() => groupInbox(items, order), [items, order]);
  const report = useAppStore((s) => s.tokenReport);
  const tokens = useMemo(() => troubledTokens(report), [report]);
  if (items.length === 0 && tokens.length === 0) {
    return (
      <StatePanel tone="neutral" title="Nothing is waiting" testId="inbox-empty" action={back}>
        <p>No promotion is awaiting approval, open as a pull request, or expected.</p>
      </StatePanel>
    );
  }
  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox__head">
        <h2 className="inbox__title">{items.length === 0 ? 'No pending promotions' : `${items.length} pending ${items.length === 1 ? 'promotion' : 'promotions'}`}</h2>
        {items.length > 1 ? (
          <button type="button" className="button button--small button--ghost inbox__order" onClick={() => setOrder(order === 'oldest' ? 'newest' : 'oldest')} data-testid="inbox-sort">
            Waiting {order === 'oldest' ? '↓ longest first' : '↑ shortest first'}
          </button>
        ) : null}
        {/* one batch over every group: the promotions and approvals that can be acted on now */}
        <InboxBatchButton items={items} />
        {back}
      </div>
      {groups.map((group) => (
        // Actions for one whole group go in InboxGroupView's `actions`.
        <InboxGroupView key={group.kind} group={group} order={order} />
      ))}
      {tokens.length > 0 ? <TokenInbox entries={tokens} /> : null}
    </div>
  );
}

function InboxGroupView(props: { group: InboxGroup; order: Order; actions?: ReactNode }) {
  const { group } = props;
  const [open, setOpen] = useState(true);
  const titleId = useId();
  const count = group.items.length;
  return (
    <section className="inbox-group" aria-labelledby={titleId} data-testid="inbox-group" data-kind={group.kind}>
      <div className="inbox-group__head">
        <h3 className="inbox-group__title" id={titleId}>
          <button type="button" className="inbox-group__toggle" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="inbox-group-toggle">
            <span className={`chevron${open ? '' : ' chevron--collapsed'}`} aria-hidden="true" />
            <span className={`badge badge--${group.kind}`}>{kindWords[group.kind]}</span>
            <span className="inbox-group__count" data-testid="inbox-group-count">
              {count}
            </span>
          </button>
        </h3>
        <div className="inbox-group__actions">{props.actions}</div>
      </div>
      {open ? <InboxRows items={group.items} order={props.order} label={kindWords[group.kind]} /> : null}
    </section>
  );
}

/** A group's rows as a table; past INBOX_VISIBLE_ROWS only the rows in view are rendered. */
function InboxRows(props: { items: InboxItem[]; order: Order; label: string }) {
  const { items } = props;
  const now = useNow();
  const scrolls = items.length > INBOX_VISIBLE_ROWS;
  const viewport = INBOX_VISIBLE_ROWS * INBOX_ROW_HEIGHT;
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef(0);
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      setScrollTop(el.scrollTop);
    });
  }, []);
  const offsets = useMemo(() => uniformOffsets(items.length, INBOX_ROW_HEIGHT), [items.length]);
  const [start, end] = scrolls ? visibleRange(offsets, scrollTop, viewport, 4 * INBOX_ROW_HEIGHT) : [0, items.length];
  return (
    <div className="inbox-table" role="table" aria-label={props.label} aria-rowcount={items.length + 1}>
      <div className="inbox-table__row inbox-table__row--head" role="row" aria-rowindex={1}>
        <span role="columnheader">Pipeline</span>
        <span role="columnheader">Into</span>
        <span role="columnheader">Pending</span>
        <span role="columnheader">Version</span>
        <span role="columnheader" aria-sort={props.order === 'oldest' ? 'descending' : 'ascending'}>
          Waiting
        </span>
        <span role="columnheader">
          <span className="visually-hidden">Actions</span>
        </span>
      </div>
      <div
        className={`inbox-table__body${scrolls ? ' inbox-table__body--scrolls' : ''}`}
        role="rowgroup"
        style={scrolls ? { height: viewport } : undefined}
        onScroll={scrolls ? onScroll : undefined}
        data-testid="inbox-rows"
        // a scroll box is reachable by keyboard (arrow keys and Page Up/Down scroll it): WCAG's
        // scrollable-region-focusable asks for exactly this tabIndex on a non-interactive element
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={scrolls ? 0 : undefined}
        aria-label={scrolls ? `${props.label}: ${items.length} rows, scroll for more` : undefined}
      >
        <div className="inbox-table__canvas" style={{ height: items.length * INBOX_ROW_HEIGHT }}>
          {items.slice(start, end).map((item, i) => (
            <InboxRow key={item.key} item={item} index={start + i} now={now} />
          ))}
        </div>
      </div>
    </div>
  );
}

function InboxRow(props: { item: InboxItem; index: number; now: number }) {
  const { item, now } = props;
  const words = useChangeRequestWords(item.provider);
  return (
    <div
      className="inbox-table__row"
      role="row"
      aria-rowindex={props.index + 2}
      data-testid="inbox-item"
      style={{ transform: `translateY(${props.index * INBOX_ROW_HEIGHT}px)`, height: INBOX_ROW_HEIGHT }}
    >
      <span role="cell">
        <span className="inbox__pipeline">{item.pipeline}</span>
        <span className="muted inbox__sub">{item.namespace}</span>
      </span>
      <span role="cell">
        {item.fromEnv ? <span className="muted">{item.fromEnv} → </span> : null}
        {item.env}
      </span>
      <span role="cell">
        {item.pending.pr ? (
          <span className="inbox__pr" title={`${words.ref(item.pending.pr.number)} · ${prStatusText(item.pending.pr)}`}>
            {words.ref(item.pending.pr.number)} · {prStatusText(item.pending.pr)}
          </span>
        ) : (
          <span className="muted">
            {item.pending.kind === 'awaiting-approval' ? 'manual gate' : item.pending.kind === 'pr-unknown' ? `sign in to see open ${words.short}s` : `no ${words.short} yet`}
          </span>
        )}
      </span>
      <span role="cell" className="mono">
        {item.pending.version ?? '—'}
      </span>
      <span role="cell" title={item.since}>
        {item.since ? (
          <>
            {age(item.since, now)}
            <span className="muted inbox__sub">since {sinceText(item, words)}</span>
          </>
        ) : (
          'unknown'
        )}
      </span>
      <span role="cell" className="inbox__actions">
        <InboxAct item={item} />
        <button type="button" className="button button--small" onClick={() => jumpToCell(item.rowId, item.envIndex)} data-testid="inbox-jump">
          Show on board
        </button>
      </span>
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
    <button
      type="button"
      className="button button--small button--primary"
      onClick={() => openPromote({ rowId: row.id, from: item.envIndex - 1, to: item.envIndex })}
      data-testid="inbox-act"
      data-action={action.kind}
    >
      {action.kind === 'approve' ? action.label : `Promote ${action.version}`}
    </button>
  );
}

function TokenInbox(props: { entries: TokenEntry[] }) {
  const setView = useAppStore((s) => s.setView);
  const selectToken = useAppStore((s) => s.selectToken);
  return (
    <section className="inbox__tokens inbox-group" aria-labelledby="inbox-tokens-title" data-testid="inbox-group" data-kind="tokens">
      <h3 id="inbox-tokens-title" className="inbox__subtitle inbox-group__title">
        Tokens that stop promotions{' '}
        <span className="inbox-group__count" data-testid="inbox-group-count">
          {props.entries.length}
        </span>
      </h3>
      <ul className="inbox__token-list">
        {props.entries.map((e) => (
          <li key={e.key} className="inbox__token" data-testid="inbox-token" data-state={e.state}>
            <TokenStatePill entry={e} long />
            <span>
              {whoLabel(e)} · used by{' '}
              {pipelinesOf(e)
                .map((p) => p.pipelineId)
                .join(', ') || 'no pipeline'}
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
