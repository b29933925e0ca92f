// User-driven promotion by pull request, as the renderer sees it: the request, the plan
// shown before anything is written, progress, and the result. Plain JSON data: no token,
// no file contents beyond the changed lines. Pure types, shared with the renderer.

import type { EffectiveStrategy, PullRequestMergeState, TargetHealth } from './board';

/**
 * What the renderer may ask for: which pipeline, which environment to promote INTO, and — only
 * where an approval gate names one — the revision being approved. Main derives everything else
 * (source environment, version, repository, base branch, strategy) from its own board model.
 */
export interface PromotionRequest {
  /** The board row id ("ns/name" or "ns/name@context"). */
  pipelineId: string;
  targetEnv: string;
  /** The revision an approval gate waits for; must equal status.environments[targetEnv].waitingApproval.revision. */
  revision?: string;
}

/** A promotion as main derived it: what the promotion service plans. Never built from renderer input. */
export interface PromotionOrder {
  pipelineNamespace: string;
  pipelineName: string;
  /** The environment being promoted INTO. */
  targetEnv: string;
  version: string;
  /** The effective strategy for promotions into targetEnv (kind 'pull-request' with repoUrl/baseBranch). */
  strategy: EffectiveStrategy;
  /** The source environment's targets as main read them (for the PR body); never from the renderer. */
  evidence?: PromotionEvidence;
  /** Set for a rollback (common/rollback.ts): the version it replaces and the user's reason. */
  rollback?: RollbackInfo;
}

export interface RollbackInfo {
  replaces: string;
  reason: string;
}

/** One target of the source environment, as main read it when the promotion was planned. */
export interface TargetEvidence {
  cluster: string;
  namespace: string;
  /** what the target runs (readable version) */
  version?: string;
  health: TargetHealth;
  /** ISO time since when it has run the promoted version healthy: the later of its deploy and its Ready=True transition */
  healthySince?: string;
}

/** What a promotion PR tells its reviewers: the source environment, its targets and since when they run the version healthy. */
export interface PromotionEvidence {
  sourceEnv: string;
  version: string;
  targets: TargetEvidence[];
}

export interface LineChange {
  /** 1-based line number in the file at baseSha. */
  line: number;
  before: string;
  after: string;
}

export interface FileChange {
  path: string;
  changes: LineChange[];
}

export interface PromotionRepo {
  /** ForgeHost id the repository lives on. */
  host: string;
  owner: string;
  name: string;
  /** Web URL of the repository. */
  url: string;
}

export interface ExistingPullRequest {
  number: number;
  url: string;
  title: string;
}

export interface PromotionPlan {
  /** Opaque id: apply takes this id, never a plan sent back from the renderer. */
  id: string;
  pipelineNamespace: string;
  pipelineName: string;
  targetEnv: string;
  version: string;
  /** The exact marker comment looked for. */
  marker: string;
  repo: PromotionRepo;
  baseBranch: string;
  baseSha: string;
  branch: string;
  title: string;
  body: string;
  files: FileChange[];
  /** An open PR from `branch` that applying will update instead of opening a second one. */
  existingPr?: ExistingPullRequest;
  /** Login the PR will be authored by. */
  author: string;
  /** Labels the PR gets (a rollback: ["rollback"]). */
  labels?: string[];
  /** Set when this plan rolls the environment back. */
  rollback?: RollbackInfo;
}

export type PromotionStep = 'sign-in' | 'read-repo' | 'commit' | 'open-pr';

export interface PromotionProgress {
  planId: string;
  step: PromotionStep;
  status: 'started' | 'done';
  /** Set when the base branch had moved and the plan was rebuilt on its new head. */
  note?: string;
}

export interface PromotionResult {
  planId: string;
  prUrl: string;
  number: number;
  /** true = an already-open PR from the same branch was updated. */
  updated: boolean;
  /** true = baseBranch moved after planning; the change was rebuilt on the new head. */
  rebuilt: boolean;
  /** The plan as finally applied (differs from the shown one only when rebuilt). */
  files: FileChange[];
  baseSha: string;
}

export type PromotionErrorCode =
  | 'not-eligible' // main's own board says this promotion may not happen (reason in the message)
  | 'invalid-request' // malformed request or strategy (not pull-request, no repoUrl/baseBranch, bad version)
  | 'unsupported-provider' // a provider this build cannot promote through
  | 'unknown-host' // no configured ForgeHost serves the repoUrl
  | 'sign-in-required' // not signed in, or the sign-in expired / was revoked (401)
  | 'no-access' // 403/404: the account cannot read or push to the repository
  | 'rate-limited' // primary or secondary rate limit; retryAfterSeconds says how long
  | 'marker-not-found' // no scalar carries the marker: nothing was written
  | 'marker-unsupported' // a marker sits where it cannot be edited safely (block scalar, alias, flow item, ...)
  | 'already-at-version' // every marked value already has that version
  | 'conflict' // the forge refused a write (422) in a way we could not resolve
  | 'forge-unavailable' // 5xx or network failure; anything half-made was cleaned up
  | 'plan-expired'; // apply with an unknown or already-used plan id

export interface PromotionError {
  code: PromotionErrorCode;
  message: string;
  hint?: string;
  retryAfterSeconds?: number;
}

/** An open promotion PR (GitLab: merge request) found on a repository, by head branch. */
export interface PromotionPullRequest {
  branch: string;
  /** `<ns>/<name>/<env>` from the body's metadata block, when present. */
  metadata?: { pipelineNamespace: string; pipelineName: string; targetEnv: string };
  title: string;
  author: string;
  number: number;
  url: string;
  createdAt: string;
  /** Review state as the forge reports it, when it was asked (see pull-discovery.ts for the cost). */
  reviewState?: 'approved' | 'changes-requested' | 'review-required' | 'none';
  /** CI state of the PR's head (check runs / head pipeline), when it was asked. */
  checksState?: 'success' | 'failure' | 'pending' | 'none';
  /** Whether the forge would merge it now, when it was asked (GitLab). */
  mergeState?: PullRequestMergeState;
}

/** The open promotion PRs of one config repository (polled by main at most every 30 s). */
export interface RepoPromotionPulls {
  repoUrl: string;
  pulls: PromotionPullRequest[];
  /** ISO time of the last answer from the forge (200 or 304) */
  fetchedAt: string;
}

/** At most this many rows in one batch promotion (the IPC schema enforces it). */
export const MAX_BATCH_ROWS = 200;

/**
 * Where one row of a batch promotion stands. planned → queued → applying → opened/updated, or
 * refused (main would not plan it), ineligible (it stopped being eligible after the review),
 * failed (the forge or the repository said no; retryable).
 */
export type BatchRowState = 'planning' | 'planned' | 'refused' | 'queued' | 'applying' | 'opened' | 'updated' | 'ineligible' | 'failed';

export interface BatchRow {
  /** `${pipelineId}→${targetEnv}`: unique within a batch. */
  key: string;
  pipelineId: string;
  targetEnv: string;
  state: BatchRowState;
  /** The reviewed plan (exact line changes); absent when the row was refused. */
  plan?: PromotionPlan;
  result?: PromotionResult;
  error?: PromotionError;
}

export interface BatchPromotion {
  batchId: string;
  rows: BatchRow[];
}

/** One row of a batch changed state ('promotion:batch-progressed'). */
export interface BatchProgress {
  batchId: string;
  row: BatchRow;
}
