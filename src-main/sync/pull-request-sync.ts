// Keeps the board's "PR open" badges current: collects the config repositories the board's
// pull-request strategies point at, polls each (one conditional list call per repo, at most
// every 30 s — the discovery service enforces the interval) and hands the open promotion
// PRs to the board. Polls again at once when a session appears or a promotion was applied.
import type { BoardSnapshot } from '../common/board';
import type { RepoPromotionPulls } from '../common/promotion';
import type { Result } from '../common/result';
import type { Logger } from '../log/logger';
import { openPullRequestsFromRepos } from '../pipelines/promotion-rules';
import type { OpenPullRequest } from '../pipelines/promotion-rules';

export interface PullRequestSyncOptions {
  snapshot: () => BoardSnapshot;
  poll: (repoUrl: string) => Promise<Result<RepoPromotionPulls>>;
  publish: (prs: OpenPullRequest[]) => void;
  logger: Logger;
  intervalMs?: number;
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
}

export interface PullRequestSync {
  /** Poll now (e.g. after sign-in or a promotion); concurrent calls share one run. */
  refresh(): Promise<void>;
  stop(): void;
}

export function promotionRepoUrls(snapshot: BoardSnapshot): string[] {
  const urls = new Set<string>();
  for (const row of snapshot.pipelines)
    for (const env of row.environments) if (env.strategy.kind === 'pull-request' && env.strategy.repoUrl) urls.add(env.strategy.repoUrl);
  return [...urls].sort();
}

export function createPullRequestSync(options: PullRequestSyncOptions): PullRequestSync {
  const timers = options.timers ?? { setInterval, clearInterval };
  const latest = new Map<string, RepoPromotionPulls>();
  const reported = new Set<string>();
  let running: Promise<void> | null = null;

  const run = async () => {
    const urls = promotionRepoUrls(options.snapshot());
    for (const url of [...latest.keys()]) if (!urls.includes(url)) latest.delete(url);
    await Promise.all(
      urls.map(async (url) => {
        const result = await options.poll(url);
        if (result.ok) {
          latest.set(url, result.value);
          reported.delete(url);
        } else if (!reported.has(`${url}:${result.error.code}`)) {
          // Not signed in is the normal state before sign-in: log once per repo and reason.
          reported.add(`${url}:${result.error.code}`);
          options.logger.info('pulls', `open promotion PRs of ${url} not read: ${result.error.message}`);
        }
      }),
    );
    options.publish(openPullRequestsFromRepos([...latest.values()]));
  };

  const refresh = () => {
    running ??= run()
      .catch((error: unknown) => options.logger.warn('pulls', `PR discovery failed: ${(error as Error).message}`))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = timers.setInterval(() => void refresh(), options.intervalMs ?? 30_000);
  (timer as { unref?: () => void }).unref?.();
  return {
    refresh,
    stop: () => timers.clearInterval(timer),
  };
}
