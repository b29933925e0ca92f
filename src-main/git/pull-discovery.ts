// Open promotion pull requests per config repository, for the board's "PR open" state.
// One list call per repository (conditional on the last ETag where the forge sends one; a
// 304 is not charged against the rate limit) and never more often than every 30 s per repo,
// however often the board asks. Uses the signed-in user's session; without one it reads
// anonymously (public repositories answer; a private one is reported as 'sign-in-required'),
// less often and without status calls, and only from hosts the user configured.
// Review/check state: when the host's provider offers pullRequestStatus, ONE more call per
// open promotion PR per poll (not per board request: polls are throttled as above); other
// open PRs cost nothing. A failed status call leaves that PR's states out, never the list.
// Forge-neutral: the provider comes from the forge registry by host type.

import type { PullRequestSummary } from '../common/board';
import type { PromotionPullRequest, RepoPromotionPulls } from '../common/promotion';
import type { Result } from '../common/result';
import { resolveRepoUrl, type ForgeHost } from '../forges/forge-host';
import type { SessionTokens } from '../forges/session-tokens';
import { forgeKindFor, type ForgeRegistry } from '../forges/registry';
import { parsePromotionMetadata, promotionBranchName } from './promotion-plan';
import { describeFailure, type ProviderFactory } from './promotion-service';
import { ProviderError, type GitProvider, type PullRequestInfo, type RepoCoordinates } from '../forges/git-provider';

export type { RepoPromotionPulls };

export interface PullDiscoveryOptions {
  hosts: ForgeHost[] | (() => ForgeHost[]);
  vault: SessionTokens;
  /** Overrides the registry's GitProvider (tests). */
  providerFor?: ProviderFactory;
  /** Chooses the provider per host type (default: the app's forge registry). */
  forges?: ForgeRegistry;
  /** Ask the forge for review/check state of open promotion PRs (default true). */
  withStatus?: boolean;
  fetch?: typeof fetch;
  /** minimum time between two calls for the same repository (default 30 s) */
  minIntervalMs?: number;
  /**
   * The same without a session (default 2 min), times the number of repositories read
   * anonymously on that host: anonymous reads share a small per-address budget (60 an hour on
   * the largest forge, where a 304 counts too), so they come less often and without the per-PR
   * status calls.
   */
  anonymousMinIntervalMs?: number;
  now?: () => number;
}

export interface PullDiscovery {
  /** Open promotion PRs of the repository; served from cache inside the interval. */
  poll(repoUrl: string): Promise<Result<RepoPromotionPulls>>;
  /** Drops the cache for a repository (e.g. right after opening a PR there). */
  invalidate(repoUrl: string): void;
  /** When PR `number` of the repository merged (null: closed unmerged); asked once a promotion PR leaves the open list. */
  mergedAt(repoUrl: string, number: number): Promise<Result<string | null>>;
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
  const hit = pulls.find((p) => p.branch === branch) ?? pulls.find((p) => p.metadata?.pipelineNamespace === ns && p.metadata.pipelineName === name && p.metadata.targetEnv === env);
  return hit
    ? {
        number: hit.number,
        url: hit.url,
        createdAt: hit.createdAt,
        ...(hit.reviewState ? { reviewState: hit.reviewState } : {}),
        ...(hit.checksState ? { checksState: hit.checksState } : {}),
        ...(hit.mergeState ? { mergeState: hit.mergeState } : {}),
      }
    : undefined;
}

/** Fills review/check state in, one status call per promotion PR (in parallel); a failure leaves that PR as it was. */
async function withStatuses(provider: GitProvider, repo: RepoCoordinates, pulls: PromotionPullRequest[], infos: Map<number, PullRequestInfo>): Promise<PromotionPullRequest[]> {
  const status = provider.pullRequestStatus?.bind(provider);
  if (!status) return pulls;
  return Promise.all(
    pulls.map(async (p) => {
      const info = infos.get(p.number);
      if (!info) return p;
      try {
        const s = await status(repo, info);
        const { reviewState: _r, checksState: _c, mergeState: _m, ...rest } = p;
        return { ...rest, ...(s.reviewState ? { reviewState: s.reviewState } : {}), ...(s.checksState ? { checksState: s.checksState } : {}), ...(s.mergeState ? { mergeState: s.mergeState } : {}) };
      } catch {
        return p;
      }
    }),
  );
}

export function createPullDiscovery(options: PullDiscoveryOptions): PullDiscovery {
  const hostsNow = (): ForgeHost[] => (typeof options.hosts === 'function' ? options.hosts() : options.hosts);
  const forges = options.forges ?? forgeKindFor;
  const providerFor: ProviderFactory = options.providerFor ?? ((host, token) => forges(host).provider(host, token, options.fetch ? { fetch: options.fetch } : {}));
  const wantStatus = options.withStatus ?? true;
  const signedInInterval = options.minIntervalMs ?? 30_000;
  const anonymousInterval = options.anonymousMinIntervalMs ?? 120_000;
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { etag: string | null; pulls: PromotionPullRequest[]; infos: Map<number, PullRequestInfo>; checkedAt: number; fetchedAt: string; anonymous: boolean }>();
  const signedIn = (hostId: string) => options.vault.get(hostId)?.state === 'signed-in';
  /**
   * Runs `fn` with the user's token, or — not signed in — with none: public repositories answer
   * anonymous reads. Only hosts the user configured get here (resolveRepoUrl), with or without.
   */
  const withAccess = <T>(host: ForgeHost, fn: (provider: GitProvider) => Promise<T>): Promise<T> =>
    signedIn(host.id) ? options.vault.withToken(host.id, (token) => fn(providerFor(host, token))) : fn(providerFor(host, ''));
  /** A refusal of an anonymous read: the repository is private (or gone); signing in is how to see it. */
  const anonymousRefusal = (e: unknown, repoLabel: string, hostId: string): Result<never> | undefined =>
    e instanceof ProviderError && (e.kind === 'not-found' || e.kind === 'unauthorized' || e.kind === 'forbidden') && e.status !== 429
      ? { ok: false, error: { code: 'sign-in-required', message: `${repoLabel} is not public: sign in to ${hostId} to see its open PRs.` } }
      : undefined;
  const inflight = new Map<string, Promise<Result<RepoPromotionPulls>>>();
  /** anonymous reads a host refused (private repositories), and when */
  const refused = new Map<string, { at: number; result: Result<never> }>();
  /** the repositories read without a session, per host */
  const anonymousRepos = new Map<string, Set<string>>();
  const anonymousReposOf = (hostId: string): Set<string> => {
    let repos = anonymousRepos.get(hostId);
    if (!repos) anonymousRepos.set(hostId, (repos = new Set()));
    return repos;
  };

  const run = async (repoUrl: string): Promise<Result<RepoPromotionPulls>> => {
    const resolved = resolveRepoUrl(hostsNow(), repoUrl);
    if (!resolved) return { ok: false, error: { code: 'unknown-host', message: `No configured forge host serves ${repoUrl}.` } };
    const anonymous = !signedIn(resolved.host.id);
    const statusWanted = wantStatus && !anonymous;
    // an answer read anonymously says nothing about what the user sees once signed in
    const cached = cache.get(repoUrl)?.anonymous === anonymous ? cache.get(repoUrl) : undefined;
    if (anonymous) anonymousReposOf(resolved.host.id).add(repoUrl);
    // anonymous reads of one host share its budget: more repositories there, fewer reads of each
    const interval = anonymous ? anonymousInterval * anonymousReposOf(resolved.host.id).size : signedInInterval;
    // a refusal costs the same budget as an answer: a private repository is not asked again sooner
    const refusal = anonymous ? refused.get(repoUrl) : undefined;
    if (refusal && now() - refusal.at < interval) return refusal.result;
    if (cached && now() - cached.checkedAt < interval) return { ok: true, value: { repoUrl, pulls: cached.pulls, fetchedAt: cached.fetchedAt } };
    const repo = { owner: resolved.owner, name: resolved.name };
    try {
      const answer = await withAccess(resolved.host, async (provider) => {
        const res = await provider.listOpenPullRequests(repo, cached?.etag ?? null);
        if (res.notModified && cached) {
          // the list is unchanged, but reviews and checks move on their own
          return { res, pulls: statusWanted ? await withStatuses(provider, repo, cached.pulls, cached.infos) : cached.pulls, infos: cached.infos };
        }
        const infos = new Map<number, PullRequestInfo>();
        const listed: PromotionPullRequest[] = [];
        for (const info of res.notModified ? [] : res.pulls) {
          const p = toPromotionPull(info);
          if (!p) continue;
          listed.push(p);
          infos.set(info.number, info);
        }
        return { res, pulls: statusWanted ? await withStatuses(provider, repo, listed, infos) : listed, infos };
      });
      const at = new Date(now()).toISOString();
      const { res, pulls, infos } = answer;
      if (res.notModified && cached) {
        cached.pulls = pulls;
        cached.checkedAt = now();
        cached.fetchedAt = at;
        return { ok: true, value: { repoUrl, pulls, fetchedAt: at } };
      }
      cache.set(repoUrl, { etag: res.notModified ? null : res.etag, pulls, infos, checkedAt: now(), fetchedAt: at, anonymous });
      return { ok: true, value: { repoUrl, pulls, fetchedAt: at } };
    } catch (e) {
      const refusalResult = anonymous ? anonymousRefusal(e, `${repo.owner}/${repo.name}`, resolved.host.id) : undefined;
      if (refusalResult) {
        refused.set(repoUrl, { at: now(), result: refusalResult });
        return refusalResult;
      }
      const f = describeFailure(e, { hostId: resolved.host.id, repoLabel: `${repo.owner}/${repo.name}`, noAccessHint: forges(resolved.host).noAccessHint });
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
    async mergedAt(repoUrl, number) {
      const resolved = resolveRepoUrl(hostsNow(), repoUrl);
      if (!resolved) return { ok: false, error: { code: 'unknown-host', message: `No configured forge host serves ${repoUrl}.` } };
      const repo = { owner: resolved.owner, name: resolved.name };
      try {
        const at = await withAccess(resolved.host, async (provider) => (provider.pullRequestMergedAt ? provider.pullRequestMergedAt(repo, number) : null));
        return { ok: true, value: at };
      } catch (e) {
        const f = describeFailure(e, { hostId: resolved.host.id, repoLabel: `${repo.owner}/${repo.name}`, noAccessHint: forges(resolved.host).noAccessHint });
        return { ok: false, error: f.toError() };
      }
    },
    invalidate(repoUrl) {
      refused.delete(repoUrl);
      // keep the ETag: the next poll still goes out conditionally, just not throttled
      const c = cache.get(repoUrl);
      if (c) c.checkedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
