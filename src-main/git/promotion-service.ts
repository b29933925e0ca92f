// User-driven promotion by pull request: plan (read the repo, compute exact line changes,
// show them) then apply (one commit, branch, PR) with the signed-in user's own token.
// Security model: the token never leaves `vault.withToken` callbacks; plans handed to the
// renderer carry only changed lines, and apply takes a plan id so the renderer cannot
// inject file contents. Forge-neutral: the forge registry picks the GitProvider and the
// no-access hint by host type; nothing here knows a forge by name.
//
// API budget per promotion, whatever the repo size: plan = branch head, archive, open-PR
// lookup (3); apply = branch head re-check, commitToBranch (3 calls on forges that build a
// tree, commit and ref; 1 on forges with a commits API), open or update the PR (1): 5–8 calls.

import { randomUUID } from 'node:crypto';
import type { FileChange, PromotionError, PromotionEvidence, PromotionPlan, PromotionProgress, PromotionOrder, PromotionResult, PromotionStep } from '../common/promotion';
import type { Result } from '../common/result';
import { resolveRepoUrl, type ForgeHost } from '../forges/forge-host';
import { SignInRequiredError, type SessionTokens } from '../forges/session-tokens';
import type { Logger } from '../log/logger';
import { forgeKindFor, type ForgeRegistry } from '../forges/registry';
import { promotionMarker } from './markers';
import { editMarkedFiles, parsePromotionMetadata, promotionBody, promotionBranchName, promotionTitle, PromotionFailure, validatePromotionOrder } from './promotion-plan';
import { rollbackBody, rollbackBranchName, rollbackTitle, ROLLBACK_LABEL } from './rollback-plan';
import { missingScopes, ProviderError, type BranchHead, type GitProvider, type PullRequestInfo, type RepoCoordinates, type RepoTextFile } from '../forges/git-provider';

export type ProviderFactory = (host: ForgeHost, token: string) => GitProvider;

export interface PromotionServiceOptions {
  hosts: ForgeHost[] | (() => ForgeHost[]);
  vault: SessionTokens;
  /** Overrides the registry's GitProvider (tests). */
  providerFor?: ProviderFactory;
  /** Chooses provider and hints per host type (default: the app's forge registry). */
  forges?: ForgeRegistry;
  fetch?: typeof fetch;
  logger?: Logger;
  /** How long a plan stays applicable (default 30 minutes). */
  planTtlMs?: number;
  now?: () => number;
}

export interface PromotionService {
  plan(request: PromotionOrder, onProgress?: (p: PromotionProgress) => void): Promise<Result<PromotionPlan>>;
  apply(planId: string, onProgress?: (p: PromotionProgress) => void): Promise<Result<PromotionResult>>;
  discard(planId: string): void;
}

interface StoredPlan {
  plan: PromotionPlan;
  host: ForgeHost;
  repo: RepoCoordinates;
  base: BranchHead;
  newFiles: RepoTextFile[];
  existing: PullRequestInfo | null;
  createdAt: number;
  /** kept for a body rebuilt at apply time */
  evidence?: PromotionEvidence;
}

const NEEDLE = '$promotion';
/** Commits whose marked files are kept for the next plan (see readMarked). */
const MARKED_FILES_KEPT = 4;

function fail<T>(e: PromotionError): Result<T> {
  return { ok: false, error: e } as Result<T>;
}

function waitText(seconds: number): string {
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

/** Maps provider and vault errors to promotion errors a human can act on. `noAccessHint` comes from the host's forge. */
export function describeFailure(e: unknown, ctx: { hostId: string; repoLabel: string; login?: string; noAccessHint?: string }): PromotionFailure {
  if (e instanceof LeftoverBranchError) {
    const inner = describeFailure(e.failure, ctx);
    return new PromotionFailure(inner.code, inner.message, `The branch ${e.branch} could not be cleaned up and may be left in ${ctx.repoLabel}; delete it or promote again.`, inner.retryAfterSeconds);
  }
  if (e instanceof PromotionFailure) return e;
  if (e instanceof SignInRequiredError) return new PromotionFailure('sign-in-required', e.message, `Sign in to ${ctx.hostId} again, then retry.`);
  if (e instanceof ProviderError) {
    switch (e.kind) {
      case 'unauthorized':
        return new PromotionFailure('sign-in-required', `Your sign-in to ${ctx.hostId} has expired or was revoked.`, 'Sign in again, then retry the promotion.');
      case 'forbidden':
      case 'not-found': {
        // The forge says which scopes the sign-in has: a missing scope is fixed by signing in
        // again, not by asking for repository access.
        const lacking = missingScopes(e.scopes);
        if (lacking.length > 0) {
          const has = e.scopes && e.scopes.granted.length > 0 ? e.scopes.granted.join(', ') : 'no scopes';
          return new PromotionFailure(
            'no-access',
            `Your sign-in to ${ctx.hostId} lacks the ${lacking.join(' or ')} scope needed to push to ${ctx.repoLabel} (it has ${has}).`,
            `Sign out of ${ctx.hostId} and sign in again: Release Board asks for ${lacking.join(', ')} in both the browser and the device-code flow. If your host configures its own scopes, add ${lacking[0]} to them.`,
          );
        }
        return new PromotionFailure(
          'no-access',
          `Your account${ctx.login ? ` ${ctx.login}` : ''} cannot push to ${ctx.repoLabel}.`,
          ctx.noAccessHint ?? 'Ask for write access to the repository, then retry.',
        );
      }
      case 'rate-limited': {
        const wait = e.retryAfterSeconds ?? 60;
        return new PromotionFailure('rate-limited', `${ctx.hostId} rate limit reached; try again in ${waitText(wait)}.`, undefined, wait);
      }
      case 'validation':
        return new PromotionFailure('conflict', `${ctx.hostId} refused the change: ${e.message}`);
      case 'unavailable':
        return new PromotionFailure('forge-unavailable', `${ctx.hostId} is not answering properly (${e.message}).`, 'Nothing half-made was left in the repository; try again shortly.');
    }
  }
  return new PromotionFailure('forge-unavailable', e instanceof Error ? e.message : String(e));
}

export function createPromotionService(options: PromotionServiceOptions): PromotionService {
  const hostsNow = (): ForgeHost[] => (typeof options.hosts === 'function' ? options.hosts() : options.hosts);
  const forges = options.forges ?? forgeKindFor;
  const providerFor: ProviderFactory = options.providerFor ?? ((host, token) => forges(host).provider(host, token, options.fetch ? { fetch: options.fetch } : {}));
  const hintFor = (host: ForgeHost | undefined): { noAccessHint?: string } => (host ? { noAccessHint: forges(host).noAccessHint } : {});
  const now = options.now ?? (() => Date.now());
  const ttl = options.planTtlMs ?? 30 * 60_000;
  const plans = new Map<string, StoredPlan>();
  const log = options.logger;

  const sweep = (): void => {
    for (const [id, p] of plans) if (now() - p.createdAt > ttl) plans.delete(id);
  };

  const stepper = (planId: string, onProgress?: (p: PromotionProgress) => void) => {
    return async <T>(step: PromotionStep, fn: () => Promise<T>, note?: () => string | undefined): Promise<T> => {
      onProgress?.({ planId, step, status: 'started' });
      const v = await fn();
      const n = note?.();
      onProgress?.({ planId, step, status: 'done', ...(n ? { note: n } : {}) });
      return v;
    };
  };

  // A commit never changes, so its marked files are read once however many promotions plan
  // against it (a batch of 50 into one config repository downloads one archive, not 50).
  // Keyed by host, repository and commit; the last few commits only.
  const markedFiles = new Map<string, Promise<RepoTextFile[]>>();
  const readMarked = (provider: GitProvider, hostId: string, repo: RepoCoordinates, sha: string): Promise<RepoTextFile[]> => {
    const key = `${hostId}|${repo.owner}/${repo.name}@${sha}`;
    let files = markedFiles.get(key);
    if (!files) {
      files = provider.readMarkedFiles(repo, sha, NEEDLE);
      markedFiles.set(key, files);
      files.catch(() => markedFiles.delete(key)); // a failed read is tried again next time
      while (markedFiles.size > MARKED_FILES_KEPT) markedFiles.delete(markedFiles.keys().next().value!);
    }
    return files;
  };

  const readEdits = async (
    provider: GitProvider,
    repo: RepoCoordinates & { hostId: string },
    sha: string,
    req: Pick<PromotionPlan, 'pipelineNamespace' | 'pipelineName' | 'targetEnv' | 'version'>,
    label: string,
  ) => {
    const candidates = await readMarked(provider, repo.hostId, repo, sha);
    return editMarkedFiles(candidates, req.pipelineNamespace, req.pipelineName, req.targetEnv, req.version, label);
  };

  return {
    async plan(request, onProgress) {
      sweep();
      const planId = randomUUID();
      let hostId = '';
      let repoLabel = '';
      let login: string | undefined;
      let planHost: ForgeHost | undefined;
      try {
        const { repoUrl, baseBranch, provider: strategyProvider } = validatePromotionOrder(request);
        const resolved = resolveRepoUrl(hostsNow(), repoUrl);
        if (!resolved) throw new PromotionFailure('unknown-host', `No configured forge host serves ${repoUrl}.`, 'Add the host (and its OAuth app) in the settings.');
        const { host } = resolved;
        hostId = host.id;
        planHost = host;
        const kind = forges(host);
        if (strategyProvider && !kind.strategyProviders.includes(strategyProvider)) {
          throw new PromotionFailure(
            'unsupported-provider',
            `The pipeline promotes through ${strategyProvider}, but ${host.id} (which serves ${repoUrl}) is a ${kind.label} host.`,
            "Correct the pipeline's pull-request type or the configured forge host.",
          );
        }
        const repo: RepoCoordinates = { owner: resolved.owner, name: resolved.name };
        repoLabel = `${repo.owner}/${repo.name}`;
        const step = stepper(planId, onProgress);
        const { pipelineNamespace: ns, pipelineName: name, targetEnv: env, version } = request;
        const stored = await step('sign-in', async () => {
          login = options.vault.get(host.id)?.login;
          return options.vault.withToken(host.id, async (token) => {
            const provider = providerFor(host, token);
            return step('read-repo', async () => {
              const base = await provider.getBranchHead(repo, baseBranch);
              if (!base) throw new PromotionFailure('conflict', `The base branch ${baseBranch} does not exist in ${repoLabel}.`);
              const edits = await readEdits(provider, { ...repo, hostId: host.id }, base.sha, request, repoLabel);
              const { rollback } = request;
              const branch = rollback ? rollbackBranchName(ns, name, env) : promotionBranchName(ns, name, env);
              const existing = await provider.findOpenPullRequest(repo, branch);
              if (existing) assertSamePromotion(existing, { pipelineNamespace: ns, pipelineName: name, targetEnv: env }, repoLabel);
              const author = login ?? '';
              const plan: PromotionPlan = {
                id: planId,
                pipelineNamespace: ns,
                pipelineName: name,
                targetEnv: env,
                version,
                marker: promotionMarker(ns, name, env),
                repo: { host: host.id, owner: repo.owner, name: repo.name, url: `${host.webUrl}/${repo.owner}/${repo.name}` },
                baseBranch,
                baseSha: base.sha,
                branch,
                title: rollback ? rollbackTitle(ns, name, env, version, rollback.replaces) : promotionTitle(ns, name, env, version),
                body: planBody({ pipelineNamespace: ns, pipelineName: name, targetEnv: env, version, author, ...(rollback ? { rollback } : {}) }, edits.previous, edits.files, request.evidence),
                files: edits.files,
                author,
                ...(rollback ? { rollback, labels: [ROLLBACK_LABEL] } : {}),
                ...(existing ? { existingPr: { number: existing.number, url: existing.url, title: existing.title } } : {}),
              };
              return { plan, host, repo, base, newFiles: edits.newFiles, existing, createdAt: now(), ...(request.evidence ? { evidence: request.evidence } : {}) } satisfies StoredPlan;
            });
          });
        });
        plans.set(planId, stored);
        return { ok: true, value: stored.plan };
      } catch (e) {
        const f = describeFailure(e, { hostId, repoLabel, ...(login ? { login } : {}), ...hintFor(planHost) });
        log?.info('promotion', `plan for ${request.pipelineNamespace}/${request.pipelineName} → ${request.targetEnv} refused: ${f.code}`);
        return fail(f.toError());
      }
    },

    async apply(planId, onProgress) {
      sweep();
      const stored = plans.get(planId);
      if (!stored) return fail({ code: 'plan-expired', message: 'This promotion plan is no longer valid.', hint: 'Review the promotion again.' });
      plans.delete(planId); // one use, even if it fails: a retry re-plans against the repo as it is then
      const { host, repo, plan } = stored;
      const repoLabel = `${repo.owner}/${repo.name}`;
      const step = stepper(planId, onProgress);
      try {
        const result = await step('sign-in', () =>
          options.vault.withToken(host.id, async (token) => {
            const provider = providerFor(host, token);
            let base = stored.base;
            let files: FileChange[] = plan.files;
            let newFiles = stored.newFiles;
            let rebuilt = false;
            let previous: string[] = [];
            await step(
              'read-repo',
              async () => {
                const head = await provider.getBranchHead(repo, plan.baseBranch);
                if (!head) throw new PromotionFailure('conflict', `The base branch ${plan.baseBranch} no longer exists in ${repoLabel}.`);
                if (head.sha !== base.sha) {
                  const edits = await readEdits(provider, { ...repo, hostId: host.id }, head.sha, plan, repoLabel);
                  files = edits.files;
                  newFiles = edits.newFiles;
                  previous = edits.previous;
                  base = head;
                  rebuilt = true;
                }
              },
              () => (rebuilt ? `${plan.baseBranch} moved since the review; the change was rebuilt on ${base.sha.slice(0, 7)}` : undefined),
            );
            const written = await step('commit', () => writeBranch(provider, repo, plan, { parent: base, files: newFiles, message: plan.title }, stored.existing));
            const body = rebuilt ? planBody(plan, previous, files, stored.evidence) : plan.body;
            const pr = await step('open-pr', () => openOrUpdate(provider, repo, { ...plan, body }, written));
            return { planId, prUrl: pr.pr.url, number: pr.pr.number, updated: pr.updated, rebuilt, files, baseSha: base.sha } satisfies PromotionResult;
          }),
        );
        log?.info(
          'promotion',
          `${result.updated ? 'updated' : 'opened'} ${forges(host).pullRequestRef(result.number)} in ${repoLabel} for ${plan.pipelineNamespace}/${plan.pipelineName} → ${plan.targetEnv}`,
        );
        return { ok: true, value: result };
      } catch (e) {
        const login = options.vault.get(host.id)?.login;
        const f = describeFailure(e, { hostId: host.id, repoLabel, ...(login ? { login } : {}), ...hintFor(host) });
        log?.warn('promotion', `promotion of ${plan.pipelineNamespace}/${plan.pipelineName} → ${plan.targetEnv} failed: ${f.code}`);
        return fail(f.toError());
      }
    },

    discard(planId) {
      plans.delete(planId);
    },
  };
}

/**
 * Branch names can collide (`team-a` + `api` and `team` + `a-api` both give
 * promotion-team-a-api-prod), so an open PR on our branch is only ours to force-update when its
 * metadata block names this very pipeline and environment.
 */
function assertSamePromotion(pr: PullRequestInfo, ours: { pipelineNamespace: string; pipelineName: string; targetEnv: string }, repoLabel: string): void {
  const theirs = parsePromotionMetadata(pr.body);
  const same = theirs && theirs.pipelineNamespace === ours.pipelineNamespace && theirs.pipelineName === ours.pipelineName && theirs.targetEnv === ours.targetEnv;
  if (same) return;
  const owner = theirs ? `${theirs.pipelineNamespace}/${theirs.pipelineName}/${theirs.targetEnv}` : 'no pipeline (it has no promotion metadata block)';
  throw new PromotionFailure(
    'conflict',
    `The open pull request #${pr.number} in ${repoLabel} uses the branch ${pr.headBranch} but belongs to ${owner}; Release Board will not overwrite it.`,
    'Merge or close that pull request first (or rename one of the pipelines so their promotion branches differ).',
  );
}

/** Title, body and labels as the forge gets them. */
function prText(plan: PromotionPlan): { title: string; body: string; labels?: string[] } {
  return { title: plan.title, body: plan.body, ...(plan.labels ? { labels: plan.labels } : {}) };
}

/** The PR body: a promotion's, or a rollback's (which says what it replaces and why). */
function planBody(
  plan: Pick<PromotionPlan, 'pipelineNamespace' | 'pipelineName' | 'targetEnv' | 'version' | 'author' | 'rollback'>,
  previous: string[],
  files: FileChange[],
  evidence: PromotionEvidence | undefined,
): string {
  const args = { ns: plan.pipelineNamespace, name: plan.pipelineName, env: plan.targetEnv, version: plan.version, previous, author: plan.author, files, ...(evidence ? { evidence } : {}) };
  return plan.rollback ? rollbackBody({ ...args, ...plan.rollback }) : promotionBody(args);
}

async function bestEffort(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch {
    return false;
  }
}

/** A failure after which the promotion branch could not be cleaned up. */
class LeftoverBranchError extends Error {
  override readonly name = 'LeftoverBranchError';
  constructor(
    readonly failure: unknown,
    readonly branch: string,
  ) {
    super(`branch ${branch} left behind`);
  }
}

function withLeftover(e: unknown, branch: string, cleaned: boolean): unknown {
  return cleaned ? e : new LeftoverBranchError(e, branch);
}

/** Where the promotion branch stands after the commit step, and how to undo that. */
interface BranchWrite {
  /** the open PR from the branch that now carries our commit, if any */
  existing: PullRequestInfo | null;
  /** puts the branch back (deletes one we created); true when that worked */
  undo(): Promise<boolean>;
}

/**
 * Writes the promotion commit onto the promotion branch: force-moves the branch of the open
 * PR, else creates the branch, else (a leftover branch with no open PR, e.g. of an old closed
 * promotion) takes it over. Returns how to undo it should opening the PR fail.
 */
async function writeBranch(
  provider: GitProvider,
  repo: RepoCoordinates,
  plan: PromotionPlan,
  commit: { parent: BranchHead; files: RepoTextFile[]; message: string },
  existing: PullRequestInfo | null,
): Promise<BranchWrite> {
  const { branch } = plan;
  if (existing) {
    try {
      await provider.commitToBranch(repo, { branch, ...commit, force: true });
      return { existing, undo: () => bestEffort(() => provider.updateBranch(repo, branch, existing.headSha, true)) };
    } catch (e) {
      // the branch vanished (PR merged or closed and branch deleted meanwhile): open afresh
      if (!(e instanceof ProviderError && e.kind === 'validation')) throw e;
    }
  }
  if ((await provider.commitToBranch(repo, { branch, ...commit, force: false })) !== null) {
    return { existing: null, undo: () => bestEffort(() => provider.deleteBranch(repo, branch)) };
  }
  const previousSha = (await provider.getBranchHead(repo, branch))?.sha ?? null;
  if (previousSha === null) {
    // deleted between the two calls: create it after all
    if ((await provider.commitToBranch(repo, { branch, ...commit, force: false })) === null) throw new PromotionFailure('conflict', `The branch ${branch} keeps changing; try again.`);
    return { existing: null, undo: () => bestEffort(() => provider.deleteBranch(repo, branch)) };
  }
  await provider.commitToBranch(repo, { branch, ...commit, force: true });
  return { existing: null, undo: () => bestEffort(() => provider.updateBranch(repo, branch, previousSha, true)) };
}

/**
 * Opens the PR from the written branch, or updates the open one. Whatever fails is undone:
 * a branch we created is deleted, a branch we moved is put back where it was.
 */
async function openOrUpdate(provider: GitProvider, repo: RepoCoordinates, plan: PromotionPlan, written: BranchWrite): Promise<{ pr: PullRequestInfo; updated: boolean }> {
  const { branch } = plan;
  if (written.existing) {
    try {
      return { pr: await provider.updatePullRequest(repo, written.existing.number, prText(plan)), updated: true };
    } catch (e) {
      throw withLeftover(e, branch, await written.undo());
    }
  }
  try {
    return { pr: await provider.openPullRequest(repo, { head: branch, base: plan.baseBranch, ...prText(plan) }), updated: false };
  } catch (e) {
    if (e instanceof ProviderError && e.kind === 'validation' && /already exists/i.test(e.message)) {
      // someone opened it meanwhile: the branch now carries our commit, so update that PR
      try {
        const open = await provider.findOpenPullRequest(repo, branch);
        if (open) assertSamePromotion(open, plan, `${repo.owner}/${repo.name}`);
        if (open) return { pr: await provider.updatePullRequest(repo, open.number, prText(plan)), updated: true };
      } catch (inner) {
        throw withLeftover(inner, branch, await written.undo());
      }
    }
    throw withLeftover(e, branch, await written.undo());
  }
}
