// Puts rollout timelines on the board. Wraps the data plane (a BoardSource): main learns of a
// merged promotion PR from the forge (pull-request-sync sees an open promotion PR disappear and
// asks whether it merged), and this layer then derives, on every board change of that row, the
// timeline of its environment from the targets the board already watches. The renderer receives
// it inside the ordinary board snapshot and 'board:changed' rows (EnvironmentCell.rollout).
// A timeline stays while it runs and for a while after it finished; a timer re-derives it so a
// target that never reconciles is reported as such after the bound, with no board event needed.
import type { BoardChange, BoardSnapshot, EnvironmentCell, PipelineRow, RolloutTimeline } from '../common/board';
import { normaliseRepoUrl } from '../pipelines/promotion-rules';
import { DEFAULT_RECONCILE_BOUND_MS, deriveRollout, type MergedPromotion } from '../pipelines/rollout-timeline';
import type { Timers } from '../auth/timers';

export interface RolloutBoardSource {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
}

export interface RolloutTrackerOptions {
  board: RolloutBoardSource;
  timers: Timers;
  reconcileBoundMs?: number;
  /** how long a finished timeline stays on the board (default 30 min) */
  keepFinishedMs?: number;
  /** how often running timelines are re-derived without a board change (default 15 s) */
  tickMs?: number;
}

export interface RolloutTracker {
  snapshot(): Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
  /** A promotion PR merged: its environment's timeline starts (or restarts) now. */
  recordMerge(merge: MergedPromotion): void;
  stop(): void;
}

const cellKey = (rowId: string, env: string) => `${rowId}\u0000${env}`;

/** Whether a board environment is the one a merged PR promoted into (same pipeline, env, repository). */
function promotesThrough(row: PipelineRow, cell: EnvironmentCell, merge: MergedPromotion): boolean {
  if (row.namespace !== merge.pipelineNamespace || row.name !== merge.pipelineName || cell.name !== merge.targetEnv) return false;
  const repo = cell.strategy.repoUrl;
  return repo !== undefined && normaliseRepoUrl(repo) === normaliseRepoUrl(merge.repoUrl);
}

export function createRolloutTracker(options: RolloutTrackerOptions): RolloutTracker {
  const { board, timers } = options;
  const bound = options.reconcileBoundMs ?? DEFAULT_RECONCILE_BOUND_MS;
  const keepFinished = options.keepFinishedMs ?? 30 * 60_000;
  const tickMs = options.tickMs ?? 15_000;
  const merges: MergedPromotion[] = [];
  const timelines = new Map<string, RolloutTimeline>();
  /** the undecorated rows, by id, as the data plane last sent them */
  const rows = new Map<string, PipelineRow>();
  const listeners = new Set<(change: BoardChange) => void>();
  let cancelTick: (() => void) | undefined;
  let stopped = false;

  const now = () => new Date(timers.now());
  const finishedLongAgo = (t: RolloutTimeline) => t.finishedAt !== undefined && timers.now() - Date.parse(t.finishedAt) > keepFinished;

  /** The row with each tracked environment's timeline (re-derived now); the same object when none applies. */
  function decorate(row: PipelineRow): PipelineRow {
    let changed = false;
    const environments = row.environments.map((cell) => {
      const merge = merges.findLast((m) => promotesThrough(row, cell, m));
      if (!merge) return cell;
      const key = cellKey(row.id, cell.name);
      const previous = timelines.get(key);
      const timeline = deriveRollout({ merge, targets: cell.targets, now: now(), reconcileBoundMs: bound, ...(previous ? { previous } : {}) });
      if (finishedLongAgo(timeline)) {
        timelines.delete(key);
        merges.splice(merges.indexOf(merge), 1);
        return cell;
      }
      timelines.set(key, timeline);
      changed = true;
      return { ...cell, rollout: timeline };
    });
    return changed ? { ...row, environments } : row;
  }

  const emit = (change: BoardChange) => {
    for (const l of [...listeners]) {
      try {
        l(change);
      } catch {
        // one failing listener must not stop the others
      }
    }
  };

  /** Re-derives the rows with a timeline (a target may have passed the bound) and sends those that changed. */
  function tick(): void {
    cancelTick = undefined;
    if (stopped) return;
    const upserted: PipelineRow[] = [];
    const affected = new Set([...timelines.keys()].map((k) => k.slice(0, k.indexOf('\u0000'))));
    for (const id of affected) {
      const row = rows.get(id);
      if (!row) continue;
      const before = JSON.stringify(row.environments.map((c) => timelines.get(cellKey(id, c.name)) ?? null));
      const next = decorate(row);
      const after = JSON.stringify(next.environments.map((c) => c.rollout ?? null));
      if (before !== after) upserted.push(next);
    }
    if (upserted.length > 0) emit({ upserted, removed: [] });
    schedule();
  }

  function schedule(): void {
    if (stopped || cancelTick || timelines.size === 0) return;
    cancelTick = timers.setTimeout(tick, tickMs);
  }

  const unsubscribe = board.subscribe((change) => {
    for (const id of change.removed) rows.delete(id);
    for (const row of change.upserted) rows.set(row.id, row);
    emit({ ...change, upserted: change.upserted.map(decorate) });
    schedule();
  });

  return {
    async snapshot() {
      const snap = await board.snapshot();
      for (const row of snap.pipelines) rows.set(row.id, row);
      return { ...snap, pipelines: snap.pipelines.map(decorate) };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    recordMerge(merge) {
      const same = (m: MergedPromotion) => m.pipelineNamespace === merge.pipelineNamespace && m.pipelineName === merge.pipelineName && m.targetEnv === merge.targetEnv && normaliseRepoUrl(m.repoUrl) === normaliseRepoUrl(merge.repoUrl);
      const at = merges.findIndex(same);
      if (at >= 0) merges.splice(at, 1);
      merges.push(merge);
      const upserted = [...rows.values()].filter((row) => row.namespace === merge.pipelineNamespace && row.name === merge.pipelineName).map(decorate);
      if (upserted.length > 0) emit({ upserted, removed: [] });
      schedule();
    },
    stop() {
      stopped = true;
      cancelTick?.();
      unsubscribe();
      listeners.clear();
    },
  };
}
