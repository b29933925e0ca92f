// One pipeline: its name and app on the left, its environments left → right, its problems
// (message and what to do) underneath. Memoised by id; it reads its own row from the store,
// so a change to another pipeline does not render this one.
import { memo, useCallback, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterState } from '../../../src-main/common/board';
import { useAppStore } from '../../store/store';
import { EnvCell } from './env-cell';
import { tokenEntriesForPipeline, type TokenEntry } from '../../../src-main/common/tokens';
import { TokenBadge } from '../tokens/token-badge';
import { stateTone } from '../tokens/token-format';
import './pipeline-row.css';
import './row-problem.css';

const toneRank = { bad: 0, warn: 1, muted: 2, ok: 3 } as const;

/** The token a row's promotions rely on; with several, the one in the worst state. */
function worstEntry(entries: TokenEntry[]): TokenEntry | undefined {
  return [...entries].sort((a, b) => toneRank[stateTone(a.state)] - toneRank[stateTone(b.state)])[0];
}

function RowTokenBadge(props: { rowId: string }) {
  const entry = useAppStore((s) => (s.tokenReport ? worstEntry(tokenEntriesForPipeline(s.tokenReport, props.rowId)) : undefined));
  const select = useAppStore((s) => s.selectToken);
  const setView = useAppStore((s) => s.setView);
  if (!entry) return null;
  return (
    <div className="pipeline-row__token">
      <TokenBadge
        entry={entry}
        testId="row-token-badge"
        onSelect={(key) => {
          select(key);
          setView({ mode: 'tokens' });
        }}
      />
    </div>
  );
}

export const PipelineRowView = memo(function PipelineRowView(props: { id: string; top: number; height: number; index: number; now: number }) {
  const { id } = props;
  const row = useAppStore((s) => s.rowsById[id]);
  const clusters = useAppStore((s) => s.clusters);
  const focus = useAppStore(useShallow((s) => (s.focus?.rowId === id ? { env: s.focus.envIndex, token: s.focus.token } : { env: -1, token: 0 })));
  const dragSource = useAppStore((s) => (s.drag?.rowId === id ? s.drag.envIndex : null));
  const flash = useAppStore((s) => s.flashes[id]);
  const openDetail = useAppStore((s) => s.openDetail);
  const focusCell = useAppStore((s) => s.focusCell);
  const clusterMap = useMemo(() => new Map<string, ClusterState>(clusters.map((c) => [c.name, c])), [clusters]);
  const onOpen = useCallback(
    (envIndex: number) => {
      focusCell({ rowId: id, envIndex });
      openDetail({ rowId: id, envIndex });
    },
    [id, focusCell, openDetail],
  );
  const onFocusCell = useCallback((envIndex: number) => focusCell({ rowId: id, envIndex }), [id, focusCell]);
  if (!row) return null;
  const mgmt = clusterMap.get(row.cluster);
  const appVersionNote = row.appRef.servedVersion && row.appRef.servedVersion !== row.appRef.apiVersion ? ` (reads ${row.appRef.servedVersion.split('/')[1]})` : '';

  return (
    <div
      className={`pipeline-row${dragSource !== null ? ' pipeline-row--drag-source' : ''}${row.problems.length > 0 ? ' pipeline-row--problem' : ''}`}
      role="row"
      aria-rowindex={props.index + 1}
      data-testid="pipeline-row"
      data-row-id={row.id}
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
    >
      <div className="pipeline-row__main">
        <div className="pipeline-row__head" role="rowheader">
          <div className="pipeline-row__name" title={row.id}>
            {row.name}
          </div>
          <div className="pipeline-row__meta">
            {row.namespace}
            {mgmt && mgmt.state !== 'connected' ? (
              <span className="pipeline-row__stale">
                {' '}
                · {row.cluster} {mgmt.state}
              </span>
            ) : null}
          </div>
          <div className="pipeline-row__app" title={`${row.appRef.apiVersion} ${row.appRef.kind}/${row.appRef.name}`}>
            {row.appRef.kind || 'unknown kind'}/{row.appRef.name || '?'}
            <span className="muted">{appVersionNote}</span>
          </div>
          <RowTokenBadge rowId={row.id} />
        </div>
        {row.environments.length > 0 ? (
          row.environments.map((cell, i) => (
            <div key={cell.name} className="pipeline-row__slot">
              {i > 0 ? <span className="pipeline-row__arrow" aria-hidden="true" /> : null}
              <EnvCell
                row={row}
                cell={cell}
                isLast={i === row.environments.length - 1}
                focused={focus.env === i}
                focusToken={focus.env === i ? focus.token : 0}
                flash={flash && flash.envs.includes(cell.name) ? flash : null}
                dragSource={dragSource}
                clusters={clusterMap}
                now={props.now}
                onOpen={onOpen}
                onFocusCell={onFocusCell}
              />
            </div>
          ))
        ) : (
          <div className="pipeline-row__no-envs muted" role="gridcell">
            No environments can be shown for this pipeline.
          </div>
        )}
      </div>
      {row.problems.map((p, i) => (
        <div key={`${p.code}-${i}`} className="row-problem" data-testid="row-problem" role="note">
          <span className="row-problem__icon" aria-hidden="true">
            !
          </span>
          <div className="row-problem__text">
            <div className="row-problem__message" title={p.message}>
              {p.message}
            </div>
            <div className="row-problem__hint" title={p.hint}>
              {p.hint}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
});

export const GroupHeader = memo(function GroupHeader(props: { groupKey: string; cluster: string; namespace: string; count: number; collapsed: boolean; top: number; height: number }) {
  const toggle = useAppStore((s) => s.toggleGroup);
  return (
    <div className="group-header" role="row" style={{ transform: `translateY(${props.top}px)`, height: props.height }} data-testid="group-header" data-group={props.groupKey}>
      <div role="gridcell" aria-colspan={5}>
        <button type="button" className="group-header__toggle" aria-expanded={!props.collapsed} onClick={() => toggle(props.groupKey)}>
          <span className={`chevron${props.collapsed ? ' chevron--collapsed' : ''}`} aria-hidden="true" />
          <span className="group-header__ns">{props.namespace}</span>
          <span className="group-header__cluster">{props.cluster}</span>
          <span className="group-header__count">
            {props.count} {props.count === 1 ? 'pipeline' : 'pipelines'}
          </span>
        </button>
      </div>
    </div>
  );
});

/**
 * A row the list could not afford to mount in full this frame (see BoardList's mount budget):
 * the same box and head, each environment as one line of text (name and version). Cheap to
 * mount (about 16 elements instead of ~53); the list replaces it with the full row, two rows a
 * render. Carries no actions: nothing on it can be clicked or focused until it is full.
 */
export const PipelineRowPlaceholder = memo(function PipelineRowPlaceholder(props: { id: string; top: number; height: number; index: number }) {
  const row = useAppStore((s) => s.rowsById[props.id]);
  if (!row) return null;
  return (
    <div
      className="pipeline-row pipeline-row--placeholder"
      role="row"
      aria-rowindex={props.index + 1}
      aria-busy="true"
      data-testid="pipeline-row-placeholder"
      data-row-id={row.id}
      style={{ transform: `translateY(${props.top}px)`, height: props.height }}
    >
      <div className="pipeline-row__main">
        <div className="pipeline-row__head" role="rowheader">
          <div className="pipeline-row__name">{row.name}</div>
          <div className="pipeline-row__meta">{row.namespace}</div>
        </div>
        {row.environments.map((cell) => (
          <div key={cell.name} className="pipeline-row__slot" role="gridcell">
            <span className="cell__env">{cell.name}</span>
            <span className="pipeline-row__placeholder-version">{cell.rollup.version ?? '…'}</span>
          </div>
        ))}
      </div>
    </div>
  );
});
