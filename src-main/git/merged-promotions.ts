// Merged promotion PRs per config repository, for the release log: found by the controller's
// branch convention or the metadata block (as open ones are, pull-discovery.ts), with who
// approved each. Token custody: only repositories on configured forge hosts are read; with
// the user's session when signed in to that host, else unauthenticated (public repositories).
// Cost: the merged list (1 call per 100 PRs updated in the range) plus one approvals call per
// merged promotion PR, cached for good (a merged PR's approvals no longer change); the list
// itself is reused for a minute.
import { resolveRepoUrl, type ForgeHost } from '../forges/forge-host';
import type { SessionTokens } from '../forges/session-tokens';
import { mapBounded } from '../common/bounded';
import type { Result } from '../common/result';
import { forgeKindFor, type ForgeRegistry } from '../forges/registry';
import { parsePromotionMetadata } from './promotion-plan';
import { describeFailure, type ProviderFactory } from './promotion-service';
import { ProviderError, type GitProvider, type MergedPullRequest, type RepoCoordinates } from '../forges/git-provider';
import { ROLLBACK_LABEL } from './rollback-plan';

export interface MergedPromotion {
  pipelineNamespace: string;
  pipelineName: string;
  targetEnv: string;
  branch: string;
  number: number;
  url: string;
  /** "PR #12" / "merge request !12" */
  ref: string;
  title: string;
  author: string;
  mergedAt: string;
  approvers: string[];
  /** From the title: "... to <version>". */
  version?: string;
  /** From the body's "A → B" or a rollback's "(replaces A)". */
  previousVersion?: string;
  rollback: boolean;
}

export interface MergedPromotionsOptions {
  hosts: ForgeHost[] | (() => ForgeHost[]);
  vault: Pick<SessionTokens, 'withToken' | 'get'>;
  forges?: ForgeRegistry;
  providerFor?: ProviderFactory;
  fetch?: typeof fetch;
  /** How long a repository's merged list is reused (default 60 s). */
  minIntervalMs?: number;
  /** Parallel approvals calls per repository (default 4). */
  concurrency?: number;
  now?: () => number;
}

export interface MergedPromotions {
  /** Promotion PRs merged at or after `since` (ISO), newest first. */
  list(repoUrl: string, since: string): Promise<Result<MergedPromotion[]>>;
}

const VERSION = '([A-Za-z0-9][A-Za-z0-9._+@:-]*)';
const TITLE_VERSION = new RegExp(`\\bto ${VERSION}(?: \\(replaces ${VERSION}\\))?\\s*$`);
const BODY_FROM = new RegExp(`: ${VERSION}(?:, [^→\\n]+)? → ${VERSION}\\.`);

/** Reads version and previous version from the controller's (and Release Board's) title and body. */
export function versionsOf(title: string, body: string): { version?: string; previousVersion?: string } {
  const t = TITLE_VERSION.exec(title);
  const b = BODY_FROM.exec(body);
  const version = t?.[1] ?? b?.[2];
  const previousVersion = t?.[2] ?? b?.[1];
  return { ...(version ? { version } : {}), ...(previousVersion ? { previousVersion } : {}) };
}

/** Which pipeline/env a merged PR promoted: the metadata block, else nothing (branch names are ambiguous). */
function promotionOf(pr: MergedPullRequest): Pick<MergedPromotion, 'pipelineNamespace' | 'pipelineName' | 'targetEnv'> | undefined {
  return parsePromotionMetadata(pr.body);
}

export function createMergedPromotions(options: MergedPromotionsOptions): MergedPromotions {
  const hostsNow = (): ForgeHost[] => (typeof options.hosts === 'function' ? options.hosts() : options.hosts);
  const forges = options.forges ?? forgeKindFor;
  const providerFor: ProviderFactory = options.providerFor ?? ((host, token) => forges(host).provider(host, token, options.fetch ? { fetch: options.fetch } : {}));
  const now = options.now ?? (() => Date.now());
  const interval = options.minIntervalMs ?? 60_000;
  const lists = new Map<string, { since: string; at: number; value: MergedPromotion[] }>();
  const approvals = new Map<string, string[]>();

  const read = async (provider: GitProvider, repo: RepoCoordinates, host: ForgeHost, repoUrl: string, since: string): Promise<MergedPromotion[]> => {
    if (!provider.listMergedPullRequests) return [];
    const merged = (await provider.listMergedPullRequests(repo, since)).flatMap((pr) => {
      const target = promotionOf(pr);
      return target ? [{ pr, target }] : [];
    });
    return mapBounded(merged, options.concurrency ?? 4, async ({ pr, target }) => {
      const key = `${repoUrl}#${pr.number}`;
      let approvers = approvals.get(key);
      if (!approvers) {
        approvers = provider.approversOf ? await provider.approversOf(repo, pr.number) : [];
        approvals.set(key, approvers);
      }
      const rollback = pr.headBranch.startsWith(`${ROLLBACK_LABEL}-`) || /^Roll back /.test(pr.title);
      return {
        ...target,
        branch: pr.headBranch,
        number: pr.number,
        url: pr.url,
        ref: forges(host).pullRequestRef(pr.number),
        title: pr.title,
        author: pr.author,
        mergedAt: pr.mergedAt,
        approvers,
        rollback,
        ...versionsOf(pr.title, pr.body),
      };
    });
  };

  return {
    async list(repoUrl, since) {
      const resolved = resolveRepoUrl(hostsNow(), repoUrl);
      if (!resolved) return { ok: false, error: { code: 'unknown-host', message: `No configured forge host serves ${repoUrl}.`, hint: 'Add the host in the settings to see its merged promotions.' } };
      const cached = lists.get(repoUrl);
      if (cached && Date.parse(cached.since) <= Date.parse(since) && now() - cached.at < interval) return { ok: true, value: cached.value.filter((m) => Date.parse(m.mergedAt) >= Date.parse(since)) };
      const { host } = resolved;
      const repo = { owner: resolved.owner, name: resolved.name };
      try {
        // signed in: the user's own session; else unauthenticated, which reads public repositories only
        const value = options.vault.get(host.id)
          ? await options.vault.withToken(host.id, (token) => read(providerFor(host, token), repo, host, repoUrl, since))
          : await read(providerFor(host, ''), repo, host, repoUrl, since);
        lists.set(repoUrl, { since, at: now(), value });
        return { ok: true, value };
      } catch (e) {
        const repoLabel = `${repo.owner}/${repo.name}`;
        // without a session, a refusal means the repository is not public (not an expired sign-in)
        if (!options.vault.get(host.id) && e instanceof ProviderError && ['unauthorized', 'forbidden', 'not-found'].includes(e.kind)) {
          return {
            ok: false,
            error: { code: 'sign-in-required', message: `${repoLabel} on ${host.id} is not public, and you are not signed in there.`, hint: `Sign in to ${host.id} to include its merged promotions.` },
          };
        }
        const f = describeFailure(e, { hostId: host.id, repoLabel, noAccessHint: forges(host).noAccessHint });
        return { ok: false, error: f.toError() };
      }
    },
  };
}
