// The environment's release history in the detail panel: what its targets remember releasing
// (newest first), "Roll back to <previous version>" when main's rules allow it (else why
// not), and the release log narrowed to this pipeline and environment.
import type { EnvironmentCell, PipelineRow, ReleaseHistoryEntry } from '../../../src-main/common/board';
import { deriveRollback } from '../../../src-main/common/rollback';
import { relativeTime } from '../board/format';
import { useReleasesStore } from './releases-store';
import './releases.css';

/** One line per release: the newest record of each version across the targets. */
export function environmentHistory(cell: EnvironmentCell, limit = 6): ReleaseHistoryEntry[] {
  const byVersion = new Map<string, ReleaseHistoryEntry>();
  for (const t of cell.targets) {
    for (const h of t.history ?? []) {
      const seen = byVersion.get(h.version);
      if (!seen || (h.at ?? '') > (seen.at ?? '')) byVersion.set(h.version, h);
    }
  }
  return [...byVersion.values()].sort((a, b) => ((a.at ?? '') < (b.at ?? '') ? 1 : -1)).slice(0, limit);
}

export function ReleaseHistory(props: { row: PipelineRow; cell: EnvironmentCell; now: number }) {
  const { row, cell, now } = props;
  const openRollback = useReleasesStore((s) => s.openRollback);
  const openLog = useReleasesStore((s) => s.openLog);
  const history = environmentHistory(cell);
  const rollback = deriveRollback(row, cell.name);
  return (
    <div data-testid="release-history">
      <h3 className="detail-panel__section">Release history</h3>
      {history.length > 0 ? (
        <ul className="release-history__list">
          {history.map((h) => (
            <li key={h.version}>
              <span className="release-history__version mono">{h.version}</span>
              <span className={h.status === 'failed' ? 'release-history__status--failed' : 'muted'}>{h.status}</span>
              <span className="muted">{h.at ? relativeTime(h.at, now) : ''}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">The targets keep no release history (older Flux controllers do not).</p>
      )}
      <div className="release-history__actions">
        <button
          type="button"
          className="button button--small"
          disabled={!rollback.allowed}
          aria-describedby={rollback.allowed ? undefined : 'rollback-refusal-reason'}
          onClick={() => openRollback({ rowId: row.id, env: cell.name })}
          data-testid="rollback-button"
        >
          {rollback.allowed ? `Roll back to ${rollback.version}…` : 'Roll back…'}
        </button>
        <button type="button" className="button button--small button--ghost" onClick={() => openLog({ pipelineId: row.id, env: cell.name })} data-testid="open-release-log">
          Release log for {cell.name}
        </button>
      </div>
      {!rollback.allowed ? (
        <p id="rollback-refusal-reason" className="release-history__refusal" data-testid="rollback-refusal-reason">
          {rollback.reason}
        </p>
      ) : null}
    </div>
  );
}
