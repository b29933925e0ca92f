// One environment of one pipeline: version (a draggable chip), health in words, the rollup,
// age, target problems in place, pending-promotion badges, and — while a version from this
// pipeline is being dragged — whether a drop here is allowed and why not.
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { Fragment, memo, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { ClusterState, EnvironmentCell, PendingPromotion, PipelineRow, TargetState } from '../../../src-main/common/board';
import { requestPromoteNext } from './board-actions';
import { useChangeRequestWords } from '../forges/use-change-request-words';
import { cellRevision, clusterWords, pendingLabel, prStatusText, relativeTime, rollupLine, rollupWords, staleFor, versionLabel } from './format';
import { cellAction, dropVerdict, type CellAction } from '../../../src-main/common/cell-action';
import './env-cell.css';
import { RolloutBadge } from './rollout-timeline';
import { useAppStore } from '../../store/store';
import { cellKey } from './batch-selection';
import { useCompactRows } from './use-compact-rows';

export interface DragData {
  rowId: string;
  envIndex: number;
}

export function cellDomId(rowId: string, envIndex: number): string {
  return `cell-${rowId.replace(/[^a-zA-Z0-9_-]/g, '_')}-${envIndex}`;
}

const FLASH_WINDOW_MS = 2_500;
let lastFocusToken = 0;

function latestDeploy(targets: readonly TargetState[]): string | undefined {
  let latest: string | undefined;
  for (const t of targets) if (t.lastDeployedAt && (!latest || t.lastDeployedAt > latest)) latest = t.lastDeployedAt;
  return latest;
}

/** The one target line worth showing in the cell: a problem, a failure message, staleness. */
function targetNote(cell: EnvironmentCell, clusters: ReadonlyMap<string, ClusterState>, now: number): { tone: 'bad' | 'warn' | 'idle'; text: string } | null {
  for (const t of cell.targets) {
    const cs = clusters.get(t.cluster);
    if (cs && cs.state !== 'connected' && cs.state !== 'stale') return { tone: clusterWords[cs.state].tone === 'bad' ? 'bad' : 'warn', text: `${t.cluster}: ${clusterWords[cs.state].word}` };
  }
  for (const t of cell.targets) {
    if (t.problem) return { tone: 'bad', text: t.problem.message };
    if ((t.health === 'failed' || t.health === 'stalled' || t.health === 'missing') && t.message) return { tone: 'bad', text: t.message };
  }
  for (const t of cell.targets) {
    if (t.stale) {
      const since = clusters.get(t.cluster)?.staleSince;
      return { tone: 'warn', text: `${t.cluster} ${staleFor(since, now)}: last known state` };
    }
  }
  const suspended = cell.targets.find((t) => t.health === 'suspended');
  if (suspended) return { tone: 'idle', text: suspended.message ?? 'Reconciliation suspended' };
  const inFlight = cell.targets.find((t) => t.inFlightVersion);
  if (inFlight) return { tone: 'idle', text: `Applying ${inFlight.inFlightVersion}` };
  return null;
}

function chipTitle(version: string, cell: EnvironmentCell, next: CellAction | null, nextEnv: string | undefined): string {
  const revision = cellRevision(cell, version);
  const head = revision && revision !== version ? `${version} (${revision})` : version;
  if (!next) return head;
  if (next.kind === 'refused') return `${head} — can’t promote: ${next.reason}`;
  if (next.kind === 'already') return `${head} — ${next.reason}`;
  return `Drag ${head} onto ${nextEnv} to ${next.kind === 'approve' ? 'approve' : 'promote'} it`;
}

/**
 * A pending promotion. An open PR's badge stacks its label over its status, and the status
 * wraps between its parts instead of being cut: the status is what needs acting on.
 */
function PendingBadge(props: { pending: PendingPromotion; now: number; provider: string | undefined }) {
  const { pending: p } = props;
  const label = pendingLabel(p, props.now, useChangeRequestWords(props.provider));
  if (!p.pr) {
    return (
      <span className={`badge badge--${p.kind}`} data-testid="pending-badge">
        <span className="badge__label">{label}</span>
      </span>
    );
  }
  const status = prStatusText(p.pr);
  return (
    <span className={`badge badge--${p.kind} badge--stacked`} data-testid="pending-badge" title={`${label} · ${status}`}>
      <span className="badge__label">{label}</span>
      <span className={`badge__meta${p.pr.mergeState ? ` badge__meta--${p.pr.mergeState.tone}` : ''}`} data-testid="pr-status">
        <span className="badge__sep"> · </span>
        {status.split(' · ').map((part, i) => (
          <Fragment key={i}>
            {i > 0 ? ' · ' : null}
            <span className="badge__part">{part}</span>
          </Fragment>
        ))}
      </span>
    </span>
  );
}

/** The draggable version: its own component, so the drag handle's refs stay out of the cell's render. */
function VersionChip(props: { dragId: string; data: DragData; isLast: boolean; focused: boolean; title: string; label: string }) {
  const drag = useDraggable({ id: props.dragId, data: props.data, disabled: props.isLast });
  // dnd-kit hands out a ref *setter* and plain attribute objects, read in render by design; the
  // hooks plugin's ref inference mistakes them for ref values once the module grows (it passed
  // with the same code in a smaller file), so the rule is off for this element only.
  /* eslint-disable react-hooks/refs */
  return (
    // dnd-kit's attributes (spread below) make it a button and its listeners carry the keyboard
    // handler that picks the chip up; the linter cannot see through the spread
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions
    <span
      ref={drag.setNodeRef}
      className={`version-chip control-surface${drag.isDragging ? ' version-chip--dragging' : ''}${props.isLast ? ' version-chip--static' : ''}`}
      data-testid="version-chip"
      title={props.title}
      {...drag.attributes}
      {...drag.listeners}
      tabIndex={props.focused && !props.isLast ? 0 : -1}
      aria-roledescription="draggable version"
      aria-describedby={drag.attributes['aria-describedby']}
      onClick={(e) => e.stopPropagation()}
    >
      {props.label}
    </span>
  );
  /* eslint-enable react-hooks/refs */
}

export interface EnvCellProps {
  row: PipelineRow;
  cell: EnvironmentCell;
  isLast: boolean;
  focused: boolean;
  focusToken: number;
  flash: { token: number; at: number } | null;
  /** the cell being dragged, when it belongs to this pipeline */
  dragSource: number | null;
  clusters: ReadonlyMap<string, ClusterState>;
  now: number;
  onOpen(envIndex: number): void;
  onFocusCell(envIndex: number): void;
}

/**
 * A cell as a drop target, mounted only while a version is being dragged. dnd-kit re-renders
 * every `useDroppable` and `useDraggable` whenever its context changes, and a droppable that
 * mounts is such a change: registered for the board's lifetime, each cell scrolling into view
 * re-rendered every visible cell and chip. Registered only during a drag, scrolling never
 * touches dnd-kit's state (the cells in view register together when the drag starts, and
 * dnd-kit measures them then; cells scrolled in by auto-scroll register as they mount).
 */
function DropTarget(props: { rowId: string; envIndex: number; node: RefObject<HTMLDivElement | null>; onOver(over: boolean): void }) {
  const { onOver, node } = props;
  const drop = useDroppable({ id: `drop|${props.rowId}|${props.envIndex}`, data: { rowId: props.rowId, envIndex: props.envIndex } satisfies DragData });
  const { setNodeRef, isOver } = drop;
  useLayoutEffect(() => setNodeRef(node.current), [setNodeRef, node]);
  useEffect(() => {
    onOver(isOver);
    return () => onOver(false);
  }, [isOver, onOver]);
  return null;
}

/** The cell: its body, memoised, and — while a version is dragged — its drop target beside it. */
export const EnvCell = memo(function EnvCell(props: EnvCellProps) {
  const dragging = useAppStore((s) => s.drag !== null);
  const node = useRef<HTMLDivElement | null>(null);
  const [isOver, setIsOver] = useState(false);
  return (
    <>
      <EnvCellBody {...props} node={node} isOver={dragging && isOver} />
      {dragging ? <DropTarget rowId={props.row.id} envIndex={props.cell.index} node={node} onOver={setIsOver} /> : null}
    </>
  );
});

const EnvCellBody = memo(function EnvCellBody({ node: ref, ...props }: EnvCellProps & { node: RefObject<HTMLDivElement | null>; isOver: boolean }) {
  const { row, cell, focused, focusToken, flash, dragSource, clusters, now } = props;
  const dragId = `drag|${row.id}|${cell.index}`;
  const version = cell.rollup.version;
  const key = cellKey(row.id, cell.index);
  const selected = useAppStore((s) => s.batchSelection[key] === true);
  // compact rows show the health as its dot; the word stays for screen readers
  const compact = useCompactRows();

  useLayoutEffect(() => {
    if (focused && focusToken > lastFocusToken && ref.current) {
      lastFocusToken = focusToken;
      ref.current.focus({ preventScroll: false });
    }
  }, [focused, focusToken, ref]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !flash || performance.now() - flash.at > FLASH_WINDOW_MS) return;
    el.classList.remove('cell--flash');
    void el.offsetWidth; // restart the animation
    el.classList.add('cell--flash');
  }, [flash, ref]);

  const health = rollupWords[cell.rollup.state];
  // Compact rows have no summary or note lines: not rendering them (rather than hiding them)
  // keeps a compact row at about three quarters of the elements, which wheel scrolling mounts
  // a dozen at a time.
  const note = compact ? undefined : targetNote(cell, clusters, now);
  const deployed = compact ? undefined : latestDeploy(cell.targets);
  const next = props.isLast ? null : cellAction(row, cell.index);
  const nextEnv = next && next.kind !== 'refused' ? row.environments[next.toIndex]?.name : undefined;
  const dropCheck = dragSource !== null && dragSource !== cell.index ? dropVerdict({ row, envIndex: dragSource }, { row, envIndex: cell.index }) : null;
  const classes = ['cell', `cell--${cell.rollup.state}`];
  if (dropCheck) classes.push(dropCheck.allowed ? 'cell--drop-ok' : 'cell--drop-no');
  if (dropCheck && props.isOver) classes.push('cell--over');
  if (dragSource === cell.index) classes.push('cell--drag-source');
  if (selected) classes.push('cell--selected');

  return (
    // The grid owns the keyboard (arrows move, Enter opens: board-list.tsx), as the ARIA grid
    // pattern asks; a click is the pointer's way to open the cell.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
    <div
      ref={ref}
      id={cellDomId(row.id, cell.index)}
      className={classes.join(' ')}
      role="gridcell"
      tabIndex={focused ? 0 : -1}
      aria-label={`${row.name} ${cell.name}: ${version ?? 'no version'}, ${health.word}, ${cell.rollup.summary}`}
      data-testid="env-cell"
      data-row-id={row.id}
      data-env={cell.name}
      data-env-index={cell.index}
      aria-selected={selected}
      onClick={(e) => {
        // Ctrl/Cmd- or Shift-click picks the cell for a batch promotion instead of opening it
        if (e.ctrlKey || e.metaKey || e.shiftKey) useAppStore.getState().toggleBatchCell(key);
        else props.onOpen(cell.index);
      }}
      onFocus={(e) => {
        if (e.target === e.currentTarget && !focused) props.onFocusCell(cell.index);
      }}
    >
      <div className="cell__head">
        <span className="cell__env" title={cell.name}>
          {cell.name}
        </span>
        <span className={`health health--${health.tone}`} data-testid="cell-health" title={health.word}>
          <span className={`dot dot--${health.tone}`} aria-hidden="true" />
          <span className={compact ? 'visually-hidden' : 'health__word'}>{health.word}</span>
        </span>
      </div>
      <div className="cell__version-line">
        {version ? (
          <VersionChip
            dragId={dragId}
            data={{ rowId: row.id, envIndex: cell.index }}
            isLast={props.isLast}
            focused={focused}
            title={chipTitle(version, cell, next, nextEnv)}
            label={versionLabel(cell, version)}
          />
        ) : (
          <span className="version-chip control-surface version-chip--none">no version</span>
        )}
        {next?.kind === 'approve' || next?.kind === 'promote' ? (
          <button
            type="button"
            className={`button button--small cell__promote${next.kind === 'approve' ? ' cell__promote--approve' : ''}`}
            data-testid="promote-button"
            data-action={next.kind}
            tabIndex={focused ? 0 : -1}
            title={next.kind === 'approve' ? `${nextEnv} waits for approval of ${next.version}: open the promotion for exactly that revision` : `Promote ${next.version} to ${nextEnv}`}
            onClick={(e) => {
              e.stopPropagation();
              requestPromoteNext(row.id, cell.index);
            }}
          >
            {next.kind === 'approve' ? `${next.label} →` : next.label}
          </button>
        ) : next?.kind === 'already' ? (
          <span className="cell__already muted" data-testid="already-on" title={next.reason}>
            {next.label}
          </span>
        ) : null}
      </div>
      {/* While a version is dragged, the verdict takes the summary's and note's place: it never covers the version or the pending badges. */}
      {dropCheck ? (
        <div className={`cell__drop ${dropCheck.allowed ? 'cell__drop--ok' : 'cell__drop--no'}`} data-testid="drop-verdict" role="note">
          {dropCheck.allowed ? `Drop to ${dropCheck.approval ? 'approve' : 'promote'} ${dropCheck.version} ${dropCheck.approval ? 'into' : 'to'} ${cell.name}` : dropCheck.reason}
        </div>
      ) : compact ? null : (
        <>
          <div className="cell__summary" data-testid="cell-summary">
            <span className="cell__rollup" title={cell.rollup.summary}>
              {rollupLine(cell)}
            </span>
            {deployed ? (
              <span className="cell__age" title={deployed}>
                {relativeTime(deployed, now)}
              </span>
            ) : null}
          </div>
          <div className={`cell__note${note ? ` cell__note--${note.tone}` : ''}`} data-testid="cell-note" title={note?.text}>
            {note?.text ?? '\u00a0'}
          </div>
        </>
      )}
      <div className={cell.pending.some((p) => p.pr) ? 'cell__badges cell__badges--stacked' : 'cell__badges'}>
        {cell.rollout ? <RolloutBadge rollout={cell.rollout} provider={cell.strategy.provider} /> : null}
        {cell.pending.map((p, i) => (
          <PendingBadge key={i} pending={p} now={now} provider={cell.strategy.provider} />
        ))}
      </div>
    </div>
  );
});
