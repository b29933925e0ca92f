// Find and filter: text search, status filters (any of), and a cluster selector. The view
// lives in the store and the URL hash, so it survives a reload.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/store';
import { FILTER_KEYS, FILTER_LABELS, filterCounts, type ListModel } from './board-view';
import './board-toolbar.css';

export function BoardToolbar(props: { model: ListModel }) {
  const view = useAppStore(useShallow((s) => s.view));
  const clusters = useAppStore((s) => s.clusters);
  const setView = useAppStore((s) => s.setView);
  const toggleFilter = useAppStore((s) => s.toggleFilter);
  const setOverlay = useAppStore((s) => s.setOverlay);
  const compact = useAppStore((s) => s.density === 'compact');
  const setDensity = useAppStore((s) => s.setDensity);
  const rowsById = useAppStore((s) => s.rowsById);
  const counts = useMemo(() => filterCounts(Object.values(rowsById), new Map(clusters.map((c) => [c.name, c]))), [rowsById, clusters]);
  const filtered = view.query !== '' || view.filters.length > 0 || view.cluster !== null;
  return (
    <div className="toolbar" role="search">
      <input
        id="board-search"
        className="toolbar__search control-surface"
        type="search"
        placeholder="Search pipelines, namespaces, apps, versions"
        aria-label="Search pipelines"
        value={view.query}
        data-testid="board-search"
        onChange={(e) => setView({ query: e.target.value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            if (view.query) setView({ query: '' });
            else e.currentTarget.blur();
          }
        }}
      />
      <div className="toolbar__filters" role="group" aria-label="Show pipelines that are">
        {FILTER_KEYS.map((f) => (
          <button
            key={f}
            type="button"
            className={`filter-chip${view.filters.includes(f) ? ' filter-chip--on' : ''}`}
            aria-pressed={view.filters.includes(f)}
            onClick={() => toggleFilter(f)}
            data-testid={`filter-${f}`}
          >
            {FILTER_LABELS[f]}
            <span className="filter-chip__count" data-testid="filter-count">
              {counts[f]}
            </span>
          </button>
        ))}
      </div>
      <select className="toolbar__cluster control-surface" aria-label="Cluster" value={view.cluster ?? ''} onChange={(e) => setView({ cluster: e.target.value || null })} data-testid="cluster-select">
        <option value="">All clusters</option>
        {clusters.map((c) => (
          <option key={c.name} value={c.name}>
            {c.name}
          </option>
        ))}
      </select>
      <span className="toolbar__count" data-testid="board-count" aria-live="polite">
        {filtered ? `${props.model.shown} of ${props.model.total} pipelines` : `${props.model.total} pipelines`}
      </span>
      {filtered ? (
        <button type="button" className="button button--ghost button--small" onClick={() => setView({ query: '', filters: [], cluster: null })}>
          Clear
        </button>
      ) : null}
      <button
        type="button"
        className={`filter-chip toolbar__density${compact ? ' filter-chip--on' : ''}`}
        aria-pressed={compact}
        title="Compact rows: one line per pipeline (remembered)"
        onClick={() => void setDensity(compact ? 'comfortable' : 'compact')}
        data-testid="density-toggle"
      >
        Compact rows
      </button>
      <button type="button" className="button button--ghost button--small toolbar__help" onClick={() => setOverlay('shortcuts')} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
        ?
      </button>
    </div>
  );
}
