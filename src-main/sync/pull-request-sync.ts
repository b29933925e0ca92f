// Keeps the board's "PR open" badges current: collects the config repositories the board's
// pull-request strategies point at, polls each (one conditional list call per repo, at most
// every 30 s — the discovery service enforces the interval) and hands the open promotion
// PRs to the board. Polls again at once when a session appears or a promotion was applied.
import type { BoardChange, BoardSnapshot } from '../common/board';
import type { RepoPromotionPulls } from '../common/promotion';
import type { Result } from '../common/result';
import type { Logger } from '../log/logger';
import { normaliseRepoUrl, openPullRequestsFromRepos } from '../pipelines/promotion-rules';
import type { OpenPullRequest } from '../pipelines/promotion-rules';
import { versionFromPromotionTitle, type MergedPromotion } from '../pipelines/rollout-timeline';
import type { PromotionPullRequest } from '../common/promotion';

export interface PullRequestSyncOptions {
  snapshot: () => BoardSnapshot;
  poll: (repoUrl: string) => Promise<Result<RepoPromotionPulls>>;
  /** drops the discovery cache of a repository so the next poll asks the forge */
  invalidate?: (repoUrl: string) => void;
  publish: (prs: OpenPullRequest[]) => void;
  /** Whether (and when) a PR that left the open list was merged; null: closed without merging. */
  mergedAt?: (repoUrl: string, number: number) => Promise<Result<string | null>>;
  /** A promotion PR main had seen open was merged: where the rollout timeline starts. */
  onMerged?: (merge: MergedPromotion) => void;
  /** After each poll: the repositories whose PRs could not be read without signing in (normalised URLs). */
  onUnreadable?: (repos: ReadonlySet<string>) => void;
  logger: Logger;
  intervalMs?: number;
  /** at most one early re-poll per repository in this window (default 10 s) */
  earlyRepollMs?: number;
  now?: () => number;
  timers?: { setInterval: typeof setInterval; clearInterval: typeof clearInterval; setTimeout?: (fn: () => void, ms: number) => unknown; clearTimeout?: (handle: unknown) => void };
}

export interface PullRequestSync {
  /** Poll now (e.g. after sign-in or a promotion); concurrent calls share one run. */
  refresh(): Promise<void>;
  /**
   * A board change touched rows that show an open promotion PR: the PR may just have been
   * merged (the rollout is what changed the row), so ask those repositories again now rather
   * than at the next 30 s poll. Throttled per repository.
   */
  onBoardChange(change: BoardChange): void;
  stop(): void;
}

export function promotionRepoUrls(snapshot: BoardSnapshot): string[] {
  const urls = new Set<string>();
  for (const row of snapshot.pipelines) for (const env of row.environments) if (env.strategy.kind === 'pull-request' && env.strategy.repoUrl) urls.add(env.strategy.repoUrl);
  return [...urls].sort();
}

export function createPullRequestSync(options: PullRequestSyncOptions): PullRequestSync {
  const timers = options.timers ?? { setInterval, clearInterval };
  const latest = new Map<string, RepoPromotionPulls>();
  const reported = new Set<string>();
  const unreadable = new Set<string>();
  /** repositories a poll has covered: a row naming another one is worth a poll now, not in 30 s */
  const covered = new Set<string>();
  let running: Promise<void> | null = null;

  const run = async () => {
    const urls = promotionRepoUrls(options.snapshot());
    for (const url of urls) covered.add(url);
    for (const url of [...latest.keys()]) if (!urls.includes(url)) latest.delete(url);
    const wanted = new Set(urls.map(normaliseRepoUrl));
    for (const repo of [...unreadable]) if (!wanted.has(repo)) unreadable.delete(repo);
    await Promise.all(
      urls.map(async (url) => {
        const result = await options.poll(url);
        if (result.ok || result.error.code !== 'sign-in-required') unreadable.delete(normaliseRepoUrl(url));
        else unreadable.add(normaliseRepoUrl(url));
        if (result.ok) {
          const before = latest.get(url);
          latest.set(url, result.value);
          if (before) void reportMerges(url, before.pulls, result.value.pulls);
          reported.delete(url);
        } else if (!reported.has(`${url}:${result.error.code}`)) {
          // Not signed in is the normal state before sign-in: log once per repo and reason.
          reported.add(`${url}:${result.error.code}`);
          options.logger.info('pulls', `open promotion PRs of ${url} not read: ${result.error.message}`);
        }
      }),
    );
    options.publish(openPullRequestsFromRepos([...latest.values()]));
    options.onUnreadable?.(new Set(unreadable));
  };

  /** Asks the forge about each promotion PR that left the open list (one call each, only then). */
  const reportMerges = async (repoUrl: string, before: readonly PromotionPullRequest[], after: readonly PromotionPullRequest[]) => {
    const { mergedAt, onMerged } = options;
    if (!mergedAt || !onMerged) return;
    const still = new Set(after.map((p) => p.number));
    for (const pr of before) {
      if (still.has(pr.number) || !pr.metadata) continue;
      const version = versionFromPromotionTitle(pr.title);
      if (!version) continue;
      const answer = await mergedAt(repoUrl, pr.number);
      if (!answer.ok) {
        options.logger.info('pulls', `whether ${pr.url} merged could not be read: ${answer.error.message}`);
        continue;
      }
      if (answer.value) onMerged({ ...pr.metadata, version, number: pr.number, url: pr.url, mergedAt: answer.value, repoUrl });
    }
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
  const now = options.now ?? Date.now;
  const lastEarly = new Map<string, number>();
  const earlyWindow = options.earlyRepollMs ?? 10_000;
  const later = { set: timers.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref()), clear: timers.clearTimeout ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout)) };
  /** repositories whose early poll fell inside the window: asked once it ends, not dropped (a merge must not wait for the next poll) */
  const deferred = new Set<string>();
  let deferredTimer: unknown;
  const askEarly = (urls: readonly string[]) => {
    for (const url of urls) {
      lastEarly.set(url, now());
      deferred.delete(url);
      options.invalidate?.(url);
    }
    void refresh();
  };
  const defer = (urls: readonly string[]) => {
    for (const url of urls) deferred.add(url);
    if (deferredTimer !== undefined) return;
    const wait = Math.max(0, ...urls.map((url) => earlyWindow - (now() - (lastEarly.get(url) ?? -Infinity))));
    deferredTimer = later.set(() => {
      deferredTimer = undefined;
      askEarly([...deferred]);
    }, wait);
  };
  return {
    refresh,
    onBoardChange(change) {
      const uncovered = change.upserted.some((row) => row.environments.some((env) => env.strategy.kind === 'pull-request' && env.strategy.repoUrl && !covered.has(env.strategy.repoUrl)));
      if (uncovered) void refresh();
      const repos = new Set<string>();
      for (const row of change.upserted) for (const env of row.environments) if (env.strategy.repoUrl && env.pending.some((p) => p.kind === 'pr-open')) repos.add(env.strategy.repoUrl);
      const inWindow = (url: string) => now() - (lastEarly.get(url) ?? -Infinity) < earlyWindow;
      const throttled = [...repos].filter(inWindow);
      const due = [...repos].filter((url) => !inWindow(url));
      if (throttled.length > 0) defer(throttled);
      if (due.length > 0) askEarly(due);
    },
    stop: () => {
      timers.clearInterval(timer);
      if (deferredTimer !== undefined) later.clear(deferredTimer);
    },
  };
}
