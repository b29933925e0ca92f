// The release log: what changed where, when it merged and when every target ran it, from which
// PR, by whom, approved by whom — for a time range, optionally one pipeline and environment;
// exported as CSV or Markdown by main (its own save dialog). The table is virtualised: only
// the rows in view (and a few around them) are in the DOM, so 30,000 releases draw as fast
// as 30.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReleaseLogEntry } from '../../../src-main/common/release-log';
import { SafeLink } from '../../components/safe-link';
import { EnvironmentSelect } from '../../components/environment-select';
import { StatePanel } from '../../components/state-panel';
import { useNow } from '../../lib/use-now';
import { useViewportHeight } from '../../lib/use-viewport-height';
import { useAppStore } from '../../store/store';
import { relativeTime } from '../board/format';
import { RANGE_LABELS, RANGE_PRESETS, type RangePreset } from './release-range';
import { useReleasesStore } from './releases-store';
import { virtualWindow } from './virtual-window';
import './releases.css';

const ROW_HEIGHT = 34;

const shortTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "5h ago · Dec 7, 11:30"; the exact ISO time is the cell's title. */
function when(iso: string | undefined, now: number): string {
  if (!iso) return '';
  return `${relativeTime(iso, now)} · ${shortTime.format(new Date(iso))}`;
}

function LogRow(props: { entry: ReleaseLogEntry; index: number; now: number }) {
  const { entry: e, now } = props;
  return (
    <div className="release-log__row" role="row" aria-rowindex={props.index + 2} data-testid="release-row" data-kind={e.kind} style={{ height: ROW_HEIGHT }}>
      <span role="cell" className="release-log__when" title={e.mergedAt ?? e.at}>
        {when(e.mergedAt ?? e.at, now)}
      </span>
      <span role="cell" className="release-log__pipeline">
        {e.pipeline}
      </span>
      <span role="cell">{e.env}</span>
      <span role="cell" className="mono">
        {e.kind === 'rollback' ? <span className="release-log__rollback">rollback</span> : null}
        {e.previousVersion ? `${e.previousVersion} → ` : ''}
        {e.version}
      </span>
      <span role="cell" className={e.healthyAt ? '' : 'muted'} title={e.healthyAt ?? 'Not every target has run it (or its history does not say)'}>
        {e.healthyAt ? when(e.healthyAt, now) : e.mergedAt ? 'not yet' : '—'}
      </span>
      <span role="cell">{e.pr ? <SafeLink href={e.pr.url}>{e.pr.ref}</SafeLink> : <span className="muted">from the cluster</span>}</span>
      <span role="cell">{e.author ?? ''}</span>
      <span role="cell">{e.approvers.length > 0 ? e.approvers.join(', ') : e.pr ? <span className="muted">none</span> : ''}</span>
    </div>
  );
}

function LogTable(props: { entries: ReleaseLogEntry[] }) {
  const { entries } = props;
  const now = useNow();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useViewportHeight(scrollRef, 600);
  // The first frame with these rows in it (what the renderer benchmark reads).
  useLayoutEffect(() => {
    requestAnimationFrame(() => {
      if (performance.getEntriesByName('releases:painted').length === 0) performance.mark('releases:painted');
    });
  }, [entries]);
  const w = virtualWindow(entries.length, ROW_HEIGHT, scrollTop, viewport);
  return (
    <div className="release-log__table" role="table" aria-label="Releases" aria-rowcount={entries.length + 1} data-testid="release-log-table">
      <div className="release-log__row release-log__row--head" role="row" aria-rowindex={1}>
        {['When', 'Pipeline', 'Environment', 'Version', 'Healthy (all targets)', 'Pull request', 'Author', 'Approved by'].map((h) => (
          <span role="columnheader" key={h}>
            {h}
          </span>
        ))}
      </div>
      {/* A scrolling area must be reachable by keyboard to be scrolled (WCAG 2.1.1), so it takes focus. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="release-log__scroll" ref={scrollRef} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="release-log-scroll" tabIndex={0} aria-label="Release rows">
        <div style={{ height: w.total, position: 'relative' }}>
          <div style={{ transform: `translateY(${w.offset}px)` }} role="rowgroup">
            {entries.slice(w.start, w.end).map((e, i) => (
              <LogRow key={e.id} entry={e} index={w.start + i} now={now} />
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

export function ReleaseLogView() {
  const { scope, range, load, exporting, exported } = useReleasesStore();
  const { setScope, setRange, refresh, exportAs } = useReleasesStore.getState();
  const rowOrder = useAppStore((s) => s.rowOrder);
  const rowsById = useAppStore((s) => s.rowsById);
  const setView = useAppStore((s) => s.setView);
  useEffect(() => {
    if (load.status === 'idle') void refresh();
  }, [load.status, refresh]);
  const envNames = useMemo(() => {
    const rows = scope.pipelineId ? [rowsById[scope.pipelineId]] : rowOrder.map((id) => rowsById[id]);
    return [...new Set(rows.flatMap((r) => r?.environments.map((e) => e.name) ?? []))].sort();
  }, [scope.pipelineId, rowOrder, rowsById]);
  const log = load.log;
  const busy = load.status === 'loading';
  return (
    <section className="release-log" aria-labelledby="release-log-title" data-testid="release-log">
      <div className="inbox__head">
        <h2 id="release-log-title" className="inbox__title">
          Release log
        </h2>
        <button type="button" className="button button--small" onClick={() => setView({ mode: 'board' })} data-testid="releases-back">
          ← Back to the board
        </button>
      </div>
      <div className="release-log__filters" role="group" aria-label="Which releases">
        <label>
          Range{' '}
          <select value={range.preset} onChange={(e) => setRange({ ...range, preset: e.target.value as RangePreset })} data-testid="release-range">
            {RANGE_PRESETS.map((p) => (
              <option key={p} value={p}>
                {RANGE_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        {range.preset === 'custom' ? (
          <>
            <label>
              From <input type="date" value={range.fromDay ?? ''} onChange={(e) => setRange({ ...range, fromDay: e.target.value })} data-testid="release-from" />
            </label>
            <label>
              To <input type="date" value={range.toDay ?? ''} onChange={(e) => setRange({ ...range, toDay: e.target.value })} data-testid="release-to" />
            </label>
          </>
        ) : null}
        <label>
          Pipeline{' '}
          <select
            value={scope.pipelineId ?? ''}
            onChange={(e) => setScope({ ...(e.target.value ? { pipelineId: e.target.value } : {}), ...(scope.env ? { env: scope.env } : {}) })}
            data-testid="release-pipeline"
          >
            <option value="">All pipelines</option>
            {rowOrder.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Environment{' '}
          <EnvironmentSelect
            value={scope.env ?? ''}
            names={envNames}
            allLabel="All environments"
            onChange={(env) => setScope({ ...(scope.pipelineId ? { pipelineId: scope.pipelineId } : {}), ...(env ? { env } : {}) })}
            testId="release-env"
          />
        </label>
        <span className="release-log__spacer" />
        <button type="button" className="button button--small" disabled={busy || exporting !== null || !log} onClick={() => void exportAs('csv')} data-testid="export-csv">
          {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" className="button button--small" disabled={busy || exporting !== null || !log} onClick={() => void exportAs('markdown')} data-testid="export-markdown">
          {exporting === 'markdown' ? 'Exporting…' : 'Export Markdown'}
        </button>
      </div>
      <p className="release-log__status" role="status" data-testid="release-log-status">
        {busy ? 'Reading merged promotions…' : log ? `${log.entries.length} ${log.entries.length === 1 ? 'release' : 'releases'}` : ''}
        {exported ? <span className={exported.tone === 'ok' ? 'ok-text' : 'bad-text'} data-testid="export-result">{` · ${exported.text}`}</span> : null}
      </p>
      {log && log.notices.length > 0 ? (
        <ul className="release-log__notices" data-testid="release-log-notices">
          {log.notices.map((n) => (
            <li key={n.repoUrl}>
              Merged PRs of <span className="mono">{n.repoUrl}</span> are missing: {n.message}
              {n.hint ? <span className="muted"> {n.hint}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {load.status === 'error' && load.error ? (
        <StatePanel tone="error" title="The release log could not be read" testId="release-log-error">
          <p>{load.error.message}</p>
          {load.error.hint ? <p className="muted">{load.error.hint}</p> : null}
        </StatePanel>
      ) : log && log.entries.length === 0 ? (
        <StatePanel tone="neutral" title="No releases in this range" testId="release-log-empty">
          <p className="muted">Widen the range, or pick all pipelines and environments.</p>
        </StatePanel>
      ) : log ? (
        <LogTable entries={log.entries} />
      ) : null}
    </section>
  );
}
