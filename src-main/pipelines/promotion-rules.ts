// Promotion rules that only depend on the Pipeline and the board's own readings:
// the effective strategy per environment, the environment rollup, and the pending
// promotions of domain.md §4. Pure functions; the PR list comes from the git layer.

import semver from 'semver';
import type { EffectiveStrategy, EnvironmentRollup, PendingPromotion, PullRequestSummary, RollupState, TargetState } from '../common/board';
import type { RepoPromotionPulls } from '../common/promotion';
import type { EnvironmentSpec, ParsedPipeline, PromotionSpec } from './pipeline-schema';
import { boundedMemo } from './bounded-memo';
import { readableRevision } from './workload-status';

/** The strategy for promotions INTO `env`: the env's own `promotion` replaces the pipeline default. */
export function effectiveStrategy(pipelinePromotion: PromotionSpec | undefined, env: EnvironmentSpec): EffectiveStrategy {
  const source = env.promotion ? 'environment' : 'pipeline';
  const promotion = env.promotion ?? pipelinePromotion;
  if (!promotion) return { kind: 'none', manual: false, source };
  const out: EffectiveStrategy = { kind: 'none', manual: promotion.manual === true, source };
  const pr = promotion.strategy['pull-request'];
  if (pr) {
    out.kind = 'pull-request';
    out.provider = pr.type;
    out.repoUrl = pr.url;
    out.baseBranch = pr.baseBranch;
    out.secretRef = pr.secretRef.name;
  } else if (promotion.strategy.notification) {
    out.kind = 'notification';
  }
  return out;
}

/** Strips a leading "v" so "v1.2.0" and "1.2.0" compare equal. */
export function normaliseVersion(version: string): string {
  return /^v\d/.test(version) ? version.slice(1) : version;
}

/**
 * Orders two versions. Semantic versions (a leading "v" allowed) compare by the SemVer 2.0
 * precedence rules, through the `semver` package: 1.0.0-rc.10 after 1.0.0-rc.9, a pre-release
 * before its release, build metadata ignored.
 *
 * Fallback for anything else (Git revisions like "main@sha1:…", dates, "1.2", image tags): no
 * order is invented. Equal versions compare 0; otherwise the answer is undefined, which callers
 * read as "cannot tell which is newer" (so a target is never taken for ahead on a guess).
 */
export function compareVersions(a: string, b: string): number | undefined {
  const left = validSemver(a);
  const right = validSemver(b);
  if (left && right) return left.compare(right);
  return normaliseVersion(a) === normaliseVersion(b) ? 0 : undefined;
}

// A board compares the same few hundred versions tens of thousands of times per build. Parsed
// versions are only compared, never changed (SemVer's inc() would mutate a shared one).
const validSemver = boundedMemo(4096, (version) => semver.parse(normaliseVersion(version)));

const FAILING: ReadonlySet<TargetState['health']> = new Set(['failed', 'stalled', 'missing']);

/**
 * The version most targets run and how many run it; on a tie, the one met first. Environments
 * have a few targets and a board tens of thousands of environments, so small ones are counted
 * in place rather than through a Map each.
 */
function mostDeployedVersion(targets: readonly TargetState[]): { version: string | undefined; top: number } {
  let version: string | undefined;
  let top = 0;
  if (targets.length > 16) {
    const counts = new Map<string, number>();
    for (const t of targets) if (t.deployedVersion) counts.set(t.deployedVersion, (counts.get(t.deployedVersion) ?? 0) + 1);
    for (const [v, n] of counts) {
      if (n > top) {
        version = v;
        top = n;
      }
    }
    return { version, top };
  }
  for (let i = 0; i < targets.length; i += 1) {
    const v = targets[i]!.deployedVersion;
    if (!v || seenBefore(targets, i, v)) continue;
    let n = 0;
    for (let j = i; j < targets.length; j += 1) if (targets[j]!.deployedVersion === v) n += 1;
    if (n > top) {
      version = v;
      top = n;
    }
  }
  return { version, top };
}

function seenBefore(targets: readonly TargetState[], end: number, version: string): boolean {
  for (let j = 0; j < end; j += 1) if (targets[j]!.deployedVersion === version) return true;
  return false;
}

/** Rolls the targets of one environment up into a state and a one-line summary. */
export function rollupEnvironment(targets: readonly TargetState[]): EnvironmentRollup {
  if (targets.length === 0) return { summary: 'no targets', state: 'unknown' };
  const { version, top } = mostDeployedVersion(targets);
  const total = targets.length;
  const allSame = version !== undefined && top === total;

  let state: RollupState;
  if (targets.some((t) => FAILING.has(t.health))) state = 'failing';
  else if (targets.some((t) => t.health === 'reconciling')) state = 'progressing';
  else if (targets.some((t) => t.health === 'suspended')) state = 'suspended';
  else if (targets.some((t) => t.health === 'unknown')) state = 'unknown';
  else state = allSame ? 'healthy' : 'mixed';

  let summary: string;
  if (version === undefined) summary = 'version unknown';
  else if (total === 1) summary = version;
  else if (allSame) summary = `all ${total} targets on ${version}`;
  else summary = `${top} of ${total} targets on ${version}`;

  const rollup: EnvironmentRollup = { summary, state };
  if (version !== undefined) rollup.version = version;
  return rollup;
}

/** An open pull request as the git layer reports it (only non-secret fields). */
export interface OpenPullRequest extends PullRequestSummary {
  headBranch: string;
  title?: string;
  body?: string;
  /** Already parsed `<ns>/<name>/<env>` metadata, when the git layer did it. */
  metadata?: { pipelineNamespace: string; pipelineName: string; targetEnv: string };
  /**
   * The repository the PR was opened in, when the git layer knows it. A PR then only matches
   * environments promoting through that repository: two pipelines with the same namespace,
   * name and environment on different management clusters may use different repositories.
   */
  repoUrl?: string;
}

/** Adapts the git layer's per-repository promotion PR lists (src-main/git/pull-discovery). */
export function openPullRequestsFromRepos(repos: readonly RepoPromotionPulls[]): OpenPullRequest[] {
  return repos.flatMap((repo) =>
    repo.pulls.map((p) => {
      const pr: OpenPullRequest = { number: p.number, url: p.url, createdAt: p.createdAt, headBranch: p.branch, title: p.title, repoUrl: repo.repoUrl };
      if (p.metadata) pr.metadata = p.metadata;
      if (p.reviewState) pr.reviewState = p.reviewState;
      if (p.checksState) pr.checksState = p.checksState;
      if (p.mergeState) pr.mergeState = p.mergeState;
      return pr;
    }),
  );
}

/** The controller's branch naming (domain.md §3). */
export function promotionBranchName(namespace: string, name: string, env: string): string {
  return `promotion-${namespace}-${name}-${env}`;
}

/** Index of open PRs by head branch and by the `<ns>/<name>/<env>` metadata they carry, in list order. */
export interface PullRequestIndex {
  byBranch: Map<string, OpenPullRequest[]>;
  byMetadata: Map<string, OpenPullRequest[]>;
}

/**
 * A comparable form of a repository URL: no scheme, user, ".git" or trailing slash,
 * lower case (GitHub and GitLab resolve paths case-insensitively), and scp-style
 * "git@host:owner/repo" read as "host/owner/repo".
 */
export function normaliseRepoUrl(url: string): string {
  let u = url.trim().toLowerCase();
  u = u.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  u = u.replace(/^[^@/]*@/, '');
  const scp = /^([^/:]+):(?!\d+\/)(.*)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return u;
}

function push(map: Map<string, OpenPullRequest[]>, key: string, pr: OpenPullRequest): void {
  const list = map.get(key);
  if (!list) map.set(key, [pr]);
  else if (!list.includes(pr)) list.push(pr);
}

const METADATA_BLOCK = /<details>\s*<summary>\s*metadata\s*<\/summary>([\s\S]{0,4000}?)<\/details>/gi;
const METADATA_KEY = /([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*)\/([^\s/<>]+)/gi;

export function indexPullRequests(prs: readonly OpenPullRequest[]): PullRequestIndex {
  const byBranch = new Map<string, OpenPullRequest[]>();
  const byMetadata = new Map<string, OpenPullRequest[]>();
  for (const pr of prs) {
    push(byBranch, pr.headBranch, pr);
    if (pr.metadata) push(byMetadata, `${pr.metadata.pipelineNamespace}/${pr.metadata.pipelineName}/${pr.metadata.targetEnv}`, pr);
    const body = (pr.body ?? '').slice(0, 65_536);
    for (const block of body.matchAll(METADATA_BLOCK)) {
      for (const key of (block[1] ?? '').matchAll(METADATA_KEY)) push(byMetadata, key[0], pr);
    }
  }
  return { byBranch, byMetadata };
}

/** Version named in a controller-style title: "Promote ns/name in env to 1.2.3". */
export function versionFromTitle(title: string | undefined): string | undefined {
  const m = title ? / to (\S+)\s*$/.exec(title) : null;
  return m?.[1];
}

export interface PendingInput {
  pipeline: Pick<ParsedPipeline, 'namespace' | 'name' | 'status'>;
  envName: string;
  /** Rollup and targets of the previous environment (undefined for the first one). */
  previous?: { rollup: EnvironmentRollup; targets: readonly TargetState[] };
  current: { rollup: EnvironmentRollup; targets: readonly TargetState[] };
  prs: PullRequestIndex;
  /** The repository promotions into this environment go through (pull-request strategy). */
  repoUrl?: string;
}

/** The first PR for this key from the environment's repository (or either side does not say). */
function matchingPullRequest(candidates: readonly OpenPullRequest[] | undefined, repoUrl: string | undefined): OpenPullRequest | undefined {
  if (!candidates) return undefined;
  const wanted = repoUrl ? normaliseRepoUrl(repoUrl) : undefined;
  return candidates.find((pr) => !wanted || !pr.repoUrl || normaliseRepoUrl(pr.repoUrl) === wanted);
}

/** Pending promotions INTO one environment, in the order of domain.md §4. */
export function pendingPromotions(input: PendingInput): PendingPromotion[] {
  const { pipeline, envName, previous, current, prs } = input;
  const pending: PendingPromotion[] = [];
  const waiting = pipeline.status.get(envName)?.waitingApprovalRevision;
  if (waiting) pending.push({ kind: 'awaiting-approval', version: readableRevision(waiting.slice(0, 255)) });

  const pr =
    matchingPullRequest(prs.byBranch.get(promotionBranchName(pipeline.namespace, pipeline.name, envName)), input.repoUrl) ??
    matchingPullRequest(prs.byMetadata.get(`${pipeline.namespace}/${pipeline.name}/${envName}`), input.repoUrl);
  if (pr) {
    const item: PendingPromotion = { kind: 'pr-open', pr: summary(pr) };
    const version = versionFromTitle(pr.title);
    if (version) item.version = version;
    pending.push(item);
  }
  if (pending.length > 0 || !previous) return pending;

  const expected = previousSettledVersion(previous);
  if (!expected) return pending;
  const here = current.targets;
  if (here.length === 0) return pending;
  // Only a target that runs a known, different version expects a promotion; a missing or
  // unreadable one has other problems to show first.
  if (!here.every((t) => t.deployedVersion)) return pending;
  const differs = here.some((t) => normaliseVersion(t.deployedVersion ?? '') !== normaliseVersion(expected));
  if (!differs) return pending;
  // Already on its way: Git asks for it or Flux is applying it.
  const underway = here.some(
    (t) => (t.requestedVersion && normaliseVersion(t.requestedVersion) === normaliseVersion(expected)) || (t.inFlightVersion && normaliseVersion(t.inFlightVersion) === normaliseVersion(expected)),
  );
  if (underway) return pending;
  // An environment ahead of the previous one (a hotfix) does not expect a downgrade.
  const ahead = here.some((t) => t.deployedVersion && (compareVersions(t.deployedVersion, expected) ?? 0) > 0);
  if (ahead) return pending;
  pending.push({ kind: 'promotion-expected', version: expected });
  return pending;
}

function previousSettledVersion(previous: { rollup: EnvironmentRollup; targets: readonly TargetState[] }): string | undefined {
  if (previous.targets.length === 0) return undefined;
  if (!previous.targets.every((t) => t.health === 'ready' && t.deployedVersion)) return undefined;
  const first = previous.targets[0]?.deployedVersion;
  if (!first) return undefined;
  return previous.targets.every((t) => normaliseVersion(t.deployedVersion ?? '') === normaliseVersion(first)) ? first : undefined;
}

function summary(pr: OpenPullRequest): PullRequestSummary {
  const out: PullRequestSummary = { number: pr.number, url: pr.url, createdAt: pr.createdAt };
  if (pr.reviewState) out.reviewState = pr.reviewState;
  if (pr.checksState) out.checksState = pr.checksState;
  if (pr.mergeState) out.mergeState = pr.mergeState;
  return out;
}
