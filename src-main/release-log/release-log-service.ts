// The release log as main serves it: reads the merged promotion PRs of every config repository
// the pipelines in scope promote through (in parallel, each throttled and cached by
// merged-promotions.ts), joins them with the board's target history, and exports the result
// into a file the user picks in main's own save dialog. The renderer names a time range and
// optionally a pipeline and environment; it never names a path or sends file content.
import type { BoardSnapshot } from '../common/board';
import { err, ok, type Result } from '../common/result';
import type { ReleaseLog, ReleaseLogFormat, ReleaseLogNotice, ReleaseLogQuery } from '../common/release-log';
import type { MergedPromotion, MergedPromotions } from '../git/merged-promotions';
import type { Logger } from '../log/logger';
import { buildReleaseLog } from './build-release-log';
import { exportReleaseLog } from './export-release-log';

/** Main's own save dialog: resolves to the chosen path, or null when the user cancelled. */
export type SaveFile = (suggestedName: string, content: string, format: ReleaseLogFormat) => Promise<string | null>;

export interface ReleaseLogServiceOptions {
  board: () => BoardSnapshot | Promise<BoardSnapshot>;
  merged: MergedPromotions;
  now?: () => number;
  logger?: Logger;
}

export interface ReleaseLogService {
  list(query: ReleaseLogQuery): Promise<Result<ReleaseLog>>;
  /** Builds the log for `query` and lets the user save it; `saved` is false when they cancelled. */
  export(query: ReleaseLogQuery, format: ReleaseLogFormat, save: SaveFile | undefined): Promise<Result<{ saved: boolean; fileName: string }>>;
}

/** The config repositories the pipelines in scope promote through. */
function reposInScope(board: BoardSnapshot, query: ReleaseLogQuery): string[] {
  const urls = new Set<string>();
  for (const row of board.pipelines) {
    if (query.pipelineId && row.id !== query.pipelineId) continue;
    for (const env of row.environments) {
      if (query.env && env.name !== query.env) continue;
      if (env.strategy.kind === 'pull-request' && env.strategy.repoUrl) urls.add(env.strategy.repoUrl);
    }
  }
  return [...urls];
}

export function createReleaseLogService(options: ReleaseLogServiceOptions): ReleaseLogService {
  const now = options.now ?? (() => Date.now());

  const list = async (query: ReleaseLogQuery): Promise<Result<ReleaseLog>> => {
    if (query.from > query.to) return err('invalid-range', 'The range starts after it ends.', 'Pick a start before the end.');
    const board = await options.board();
    if (query.pipelineId && !board.pipelines.some((p) => p.id === query.pipelineId)) {
      return err('not-found', `The board has no pipeline ${query.pipelineId.slice(0, 200)}.`, 'It may have been deleted; check the board.');
    }
    const merged = new Map<string, readonly MergedPromotion[]>();
    const notices: ReleaseLogNotice[] = [];
    await Promise.all(
      reposInScope(board, query).map(async (repoUrl) => {
        const result = await options.merged.list(repoUrl, query.from);
        if (result.ok) merged.set(repoUrl, result.value);
        else notices.push({ repoUrl, message: result.error.message, ...(result.error.hint ? { hint: result.error.hint } : {}) });
      }),
    );
    for (const n of notices) options.logger?.info('release-log', `merged promotions of ${n.repoUrl} not read: ${n.message}`);
    const entries = buildReleaseLog(board, merged, query);
    return ok({ query, entries, notices: notices.sort((a, b) => (a.repoUrl < b.repoUrl ? -1 : 1)), generatedAt: new Date(now()).toISOString() });
  };

  return {
    list,
    async export(query, format, save) {
      if (!save) return err('not-available', 'Saving a file is not available here.');
      const log = await list(query);
      if (!log.ok) return log;
      const { content, fileName } = exportReleaseLog(log.value, format);
      const path = await save(fileName, content, format);
      if (path === null) return ok({ saved: false, fileName });
      options.logger?.info('release-log', `exported ${log.value.entries.length} releases as ${format}`);
      return ok({ saved: true, fileName: path.split(/[\\/]/).pop() ?? fileName });
    },
  };
}
