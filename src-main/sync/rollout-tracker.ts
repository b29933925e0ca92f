// Rollout timelines for the board. Main learns of a merged promotion PR from the forge
// (pull-request-sync sees an open promotion PR leave the open list and asks whether it
// merged); from then on each time the row is decorated, its environment's timeline is derived
// from the targets the board already watches (rollout-timeline.ts) and rides on the row
// (EnvironmentCell.rollout). A timeline stays while it runs and for a while after it finished;
// a timer re-derives running ones so a target that never reconciles is reported after the bound.
import type { EnvironmentCell, PipelineRow, RolloutTimeline } from '../common/board';
import { normaliseRepoUrl } from '../pipelines/promotion-rules';
import { DEFAULT_RECONCILE_BOUND_MS, deriveRollout, type MergedPromotion } from '../pipelines/rollout-timeline';
import type { Timers } from '../auth/timers';

export interface RolloutTrackerOptions {
  timers: Timers;
  /** Called when timelines changed without a board change (a merge, the timer): re-decorate these rows. */
  changed: (which: (row: PipelineRow) => boolean) => void;
  reconcileBoundMs?: number;
  /** how long a finished timeline stays on the board (default 30 min) */
  keepFinishedMs?: number;
  /** how often running timelines are re-derived without a board change (default 15 s) */
  tickMs?: number;
}

export interface RolloutTracker {
  /** The row with each followed environment's timeline; the same object when none applies. */
  decorate(row: PipelineRow): PipelineRow;
  /** A promotion PR merged: its environment's timeline starts (or starts over) now. */
  recordMerge(merge: MergedPromotion): void;
  stop(): void;
}

const cellKey = (rowId: string, env: string) => `${rowId}\u0000${env}`;

function sameTarget(a: MergedPromotion, b: MergedPromotion): boolean {
  return a.pipelineNamespace === b.pipelineNamespace && a.pipelineName === b.pipelineName && a.targetEnv === b.targetEnv && normaliseRepoUrl(a.repoUrl) === normaliseRepoUrl(b.repoUrl);
}

/** Whether a board environment is the one a merged PR promoted into (same pipeline, env and repository). */
function promotesThrough(row: PipelineRow, cell: EnvironmentCell, merge: MergedPromotion): boolean {
  if (row.namespace !== merge.pipelineNamespace || row.name !== merge.pipelineName || cell.name !== merge.targetEnv) return false;
  const repo = cell.strategy.repoUrl;
  return repo !== undefined && normaliseRepoUrl(repo) === normaliseRepoUrl(merge.repoUrl);
}

export function createRolloutTracker(options: RolloutTrackerOptions): RolloutTracker {
  const { timers } = options;
  const bound = options.reconcileBoundMs ?? DEFAULT_RECONCILE_BOUND_MS;
  const keepFinished = options.keepFinishedMs ?? 30 * 60_000;
  const tickMs = options.tickMs ?? 15_000;
  const merges: MergedPromotion[] = [];
  const timelines = new Map<string, RolloutTimeline>();
  let cancelTick: (() => void) | undefined;
  let stopped = false;

  const isFollowed = (row: PipelineRow) => merges.some((m) => m.pipelineNamespace === row.namespace && m.pipelineName === row.name);
  const finishedLongAgo = (t: RolloutTimeline) => t.finishedAt !== undefined && timers.now() - Date.parse(t.finishedAt) > keepFinished;

  function schedule(): void {
    if (stopped || cancelTick || merges.length === 0) return;
    cancelTick = timers.setTimeout(() => {
      cancelTick = undefined;
      if (stopped) return;
      options.changed(isFollowed);
      schedule();
    }, tickMs);
  }

  function decorateCell(row: PipelineRow, cell: EnvironmentCell): EnvironmentCell {
    const merge = merges.findLast((m) => promotesThrough(row, cell, m));
    if (!merge) return cell;
    const key = cellKey(row.id, cell.name);
    const previous = timelines.get(key);
    const timeline = deriveRollout({ merge, targets: cell.targets, now: new Date(timers.now()), reconcileBoundMs: bound, ...(previous ? { previous } : {}) });
    if (finishedLongAgo(timeline)) {
      timelines.delete(key);
      merges.splice(merges.indexOf(merge), 1);
      return cell;
    }
    timelines.set(key, timeline);
    return { ...cell, rollout: timeline };
  }

  return {
    decorate(row) {
      if (!isFollowed(row)) return row;
      let changed = false;
      const environments = row.environments.map((cell) => {
        const next = decorateCell(row, cell);
        if (next !== cell) changed = true;
        return next;
      });
      return changed ? { ...row, environments } : row;
    },
    recordMerge(merge) {
      const at = merges.findIndex((m) => sameTarget(m, merge));
      if (at >= 0) merges.splice(at, 1);
      merges.push(merge);
      options.changed((row) => row.namespace === merge.pipelineNamespace && row.name === merge.pipelineName);
      schedule();
    },
    stop() {
      stopped = true;
      cancelTick?.();
    },
  };
}
