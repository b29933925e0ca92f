// One environment of one pipeline: version (a draggable chip), health in words, the rollup,
// age, target problems in place, pending-promotion badges, and — while a version from this
// pipeline is being dragged — whether a drop here is allowed and why not.
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { memo, useLayoutEffect, useRef } from 'react';
import type { ClusterState, EnvironmentCell, PipelineRow, TargetState } from '../../../src-main/common/board';
import { requestPromoteNext } from './board-actions';
import { cellRevision, clusterWords, pendingLabel, prStatusText, relativeTime, rollupLine, rollupWords, staleFor, versionLabel } from './format';
import { cellAction, dropVerdict, type CellAction } from '../../../src-main/common/cell-action';

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

export const EnvCell = memo(function EnvCell(props: EnvCellProps) {
  const { row, cell, focused, focusToken, flash, dragSource, clusters, now } = props;
  const ref = useRef<HTMLDivElement | null>(null);
  const dragId = `drag|${row.id}|${cell.index}`;
  const dropId = `drop|${row.id}|${cell.index}`;
  const version = cell.rollup.version;
  const drag = useDraggable({ id: dragId, data: { rowId: row.id, envIndex: cell.index } satisfies DragData, disabled: !version || props.isLast });
  const drop = useDroppable({ id: dropId, data: { rowId: row.id, envIndex: cell.index } satisfies DragData });

  useLayoutEffect(() => {
    if (focused && focusToken > lastFocusToken && ref.current) {
      lastFocusToken = focusToken;
      ref.current.focus({ preventScroll: false });
    }
  }, [focused, focusToken]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !flash || performance.now() - flash.at > FLASH_WINDOW_MS) return;
    el.classList.remove('cell--flash');
    void el.offsetWidth; // restart the animation
    el.classList.add('cell--flash');
  }, [flash]);

  const health = rollupWords[cell.rollup.state];
  const note = targetNote(cell, clusters, now);
  const deployed = latestDeploy(cell.targets);
  const next = props.isLast ? null : cellAction(row, cell.index);
  const nextEnv = next && next.kind !== 'refused' ? row.environments[next.toIndex]?.name : undefined;
  const dropCheck = dragSource !== null && dragSource !== cell.index ? dropVerdict({ row, envIndex: dragSource }, { row, envIndex: cell.index }) : null;
  const setRefs = (el: HTMLDivElement | null) => {
    ref.current = el;
    drop.setNodeRef(el);
  };
  const classes = ['cell', `cell--${cell.rollup.state}`];
  if (dropCheck) classes.push(dropCheck.allowed ? 'cell--drop-ok' : 'cell--drop-no');
  if (dropCheck && drop.isOver) classes.push('cell--over');
  if (dragSource === cell.index) classes.push('cell--drag-source');

  return (
    // The grid owns the keyboard (arrows move, Enter opens: board-list.tsx), as the ARIA grid
    // pattern asks; a click is the pointer's way to open the cell.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
    <div
      ref={setRefs}
      id={cellDomId(row.id, cell.index)}
      className={classes.join(' ')}
      role="gridcell"
      tabIndex={focused ? 0 : -1}
      aria-label={`${row.name} ${cell.name}: ${version ?? 'no version'}, ${health.word}, ${cell.rollup.summary}`}
      data-testid="env-cell"
      data-row-id={row.id}
      data-env={cell.name}
      data-env-index={cell.index}
      onClick={() => props.onOpen(cell.index)}
      onFocus={(e) => {
        if (e.target === e.currentTarget && !focused) props.onFocusCell(cell.index);
      }}
    >
      <div className="cell__head">
        <span className="cell__env" title={cell.name}>
          {cell.name}
        </span>
        <span className={`health health--${health.tone}`} data-testid="cell-health">
          <span className={`dot dot--${health.tone}`} aria-hidden="true" />
          {health.word}
        </span>
      </div>
      <div className="cell__version-line">
        {version ? (
          // dnd-kit's listeners (spread below) carry the keyboard handler that picks the chip up
          // eslint-disable-next-line jsx-a11y/click-events-have-key-events
          <span
            ref={drag.setNodeRef}
            className={`version-chip${drag.isDragging ? ' version-chip--dragging' : ''}${props.isLast ? ' version-chip--static' : ''}`}
            data-testid="version-chip"
            title={chipTitle(version, cell, next, nextEnv)}
            {...drag.attributes}
            {...drag.listeners}
            // dnd-kit's attributes make it a button; named here so the markup says so
            role="button"
            tabIndex={focused && !props.isLast ? 0 : -1}
            aria-roledescription="draggable version"
            aria-describedby={drag.attributes['aria-describedby']}
            onClick={(e) => e.stopPropagation()}
          >
            {versionLabel(cell, version)}
          </span>
        ) : (
          <span className="version-chip version-chip--none">no version</span>
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
      <div className="cell__summary" data-testid="cell-summary">
        <span className="cell__rollup" title={cell.rollup.summary}>
          {rollupLine(cell)}
        </span>
        {deployed ? <span className="cell__age" title={deployed}>{relativeTime(deployed, now)}</span> : null}
      </div>
      <div className={`cell__note${note ? ` cell__note--${note.tone}` : ''}`} data-testid="cell-note" title={note?.text}>
        {note?.text ?? '\u00a0'}
      </div>
      <div className="cell__badges">
        {cell.pending.map((p, i) => (
          <span key={i} className={`badge badge--${p.kind}`} data-testid="pending-badge" title={p.pr ? `${pendingLabel(p, now, cell.strategy.provider)} · ${prStatusText(p.pr)}` : undefined}>
            {/* the label gives way before the status does: the status is what needs acting on */}
            <span className="badge__label">{pendingLabel(p, now, cell.strategy.provider)}</span>
            {p.pr ? <span className={`badge__meta${p.pr.mergeState ? ` badge__meta--${p.pr.mergeState.tone}` : ''}`}> · {prStatusText(p.pr)}</span> : null}
          </span>
        ))}
      </div>
      {dropCheck ? (
        <div className={`cell__drop ${dropCheck.allowed ? 'cell__drop--ok' : 'cell__drop--no'}`} data-testid="drop-verdict" role="note">
          {dropCheck.allowed ? `Drop to ${dropCheck.approval ? 'approve' : 'promote'} ${dropCheck.version} ${dropCheck.approval ? 'into' : 'to'} ${cell.name}` : dropCheck.reason}
        </div>
      ) : null}
    </div>
  );
});
