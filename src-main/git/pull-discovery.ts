// Open promotion pull requests per config repository, for the board's "PR open" state.
// One conditional list call per repository (If-None-Match with the last ETag; GitHub does
// not charge a 304 against the rate limit) and never more often than every 30 s per repo,
// however often the board asks. Uses the signed-in user's session; without one it says so.

import type { PullRequestSummary } from '../common/board';
import type { PromotionPullRequest, RepoPromotionPulls } from '../common/promotion';
import type { Result } from '../common/result';
import { resolveRepoUrl, type ForgeHost } from '../auth/forge-host';
import type { SessionVault } from '../auth/session-vault';
import { createGitHubProvider } from './github/github-provider';
import { parsePromotionMetadata, promotionBranchName } from './promotion-plan';
import { describeFailure, type ProviderFactory } from './promotion-service';
import type { PullRequestInfo } from './provider';

export type { RepoPromotionPulls };

export interface PullDiscoveryOptions {
  hosts: ForgeHost[] | (() => ForgeHost[]);
  vault: Pick<SessionVault, 'withToken' | 'get'>;
  providerFor?: ProviderFactory;
  fetch?: typeof fetch;
  /** minimum time between two calls for the same repository (default 30 s) */
  minIntervalMs?: number;
  now?: () => number;
}

export interface PullDiscovery {
  /** Open promotion PRs of the repository; served from cache inside the interval. */
  poll(repoUrl: string): Promise<Result<RepoPromotionPulls>>;
  /** Drops the cache for a repository (e.g. right after opening a PR there). */
  invalidate(repoUrl: string): void;
}

function toPromotionPull(p: PullRequestInfo): PromotionPullRequest | undefined {
  const metadata = parsePromotionMetadata(p.body);
  if (!metadata && !p.headBranch.startsWith('promotion-')) return undefined;
  return {
    branch: p.headBranch,
    ...(metadata ? { metadata } : {}),
    title: p.title,
    author: p.author,
    number: p.number,
    url: p.url,
    createdAt: p.createdAt,
  };
}

/** The open PR promoting ns/name into env: by the branch convention, else by the metadata block. */
export function findPromotionPull(pulls: PromotionPullRequest[], ns: string, name: string, env: string): PullRequestSummary | undefined {
  const branch = promotionBranchName(ns, name, env);
  const hit =
    pulls.find((p) => p.branch === branch) ??
    pulls.find((p) => p.metadata?.pipelineNamespace === ns && p.metadata.pipelineName === name && p.metadata.targetEnv === env);
  return hit ? { number: hit.number, url: hit.url, createdAt: hit.createdAt } : undefined;
}

export function createPullDiscovery(options: PullDiscoveryOptions): PullDiscovery {
  const hostsNow = (): ForgeHost[] => (typeof options.hosts === 'function' ? options.hosts() : options.hosts);
  const providerFor: ProviderFactory =
    options.providerFor ?? ((host, token) => createGitHubProvider({ apiUrl: host.apiUrl, token, ...(options.fetch ? { fetch: options.fetch } : {}) }));
  const interval = options.minIntervalMs ?? 30_000;
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { etag: string | null; pulls: PromotionPullRequest[]; checkedAt: number; fetchedAt: string }>();
  const inflight = new Map<string, Promise<Result<RepoPromotionPulls>>>();

  const run = async (repoUrl: string): Promise<Result<RepoPromotionPulls>> => {
    const resolved = resolveRepoUrl(hostsNow(), repoUrl);
    if (!resolved) return { ok: false, error: { code: 'unknown-host', message: `No configured forge host serves ${repoUrl}.` } };
    const cached = cache.get(repoUrl);
    if (cached && now() - cached.checkedAt < interval) return { ok: true, value: { repoUrl, pulls: cached.pulls, fetchedAt: cached.fetchedAt } };
    const repo = { owner: resolved.owner, name: resolved.name };
    try {
      const res = await options.vault.withToken(resolved.host.id, (token) => providerFor(resolved.host, token).listOpenPullRequests(repo, cached?.etag ?? null));
      const at = new Date(now()).toISOString();
      if (res.notModified && cached) {
        cached.checkedAt = now();
        cached.fetchedAt = at;
        return { ok: true, value: { repoUrl, pulls: cached.pulls, fetchedAt: at } };
      }
      const pulls = res.notModified ? [] : res.pulls.map(toPromotionPull).filter((p): p is PromotionPullRequest => p !== undefined);
      cache.set(repoUrl, { etag: res.notModified ? null : res.etag, pulls, checkedAt: now(), fetchedAt: at });
      return { ok: true, value: { repoUrl, pulls, fetchedAt: at } };
    } catch (e) {
      const f = describeFailure(e, { hostId: resolved.host.id, repoLabel: `${repo.owner}/${repo.name}` });
      return { ok: false, error: f.toError() };
    }
  };

  return {
    poll(repoUrl) {
      const running = inflight.get(repoUrl);
      if (running) return running;
      const p = run(repoUrl).finally(() => inflight.delete(repoUrl));
      inflight.set(repoUrl, p);
      return p;
    },
    invalidate(repoUrl) {
      // keep the ETag: the next poll still goes out conditionally, just not throttled
      const c = cache.get(repoUrl);
      if (c) c.checkedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
