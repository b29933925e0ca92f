// Whether a version may be promoted from one environment cell into another, and if not,
// a sentence saying why. Pure and shared: the drop targets, the Promote button, the `p` key
// and the screen-reader announcements in the renderer, and main's own re-check before it
// plans a promotion (derivePromotion), all ask this one module, so they never disagree.
import type { EffectiveStrategy, EnvironmentCell, GitProviderType, PipelineRow } from './board';

export type RefusalCode =
  | 'different-pipeline'
  | 'same-env'
  | 'backwards'
  | 'not-next-env'
  | 'no-version'
  | 'same-version'
  | 'source-not-healthy'
  | 'no-strategy'
  | 'notification-only'
  | 'provider-unsupported'
  | 'no-repository'
  | 'unsafe-version'
  | 'no-approval-pending'
  | 'approval-mismatch';

export interface PromotionPlan {
  allowed: true;
  row: PipelineRow;
  from: EnvironmentCell;
  to: EnvironmentCell;
  version: string;
  strategy: EffectiveStrategy;
  branch: string;
}

export interface PromotionRefusal {
  allowed: false;
  code: RefusalCode;
  reason: string;
}

export type PromotionEligibility = PromotionPlan | PromotionRefusal;

export interface CellRef {
  row: PipelineRow;
  envIndex: number;
}

/** Providers the promotion service can open pull requests (GitLab: merge requests) with. */
export const SUPPORTED_PROVIDERS: readonly GitProviderType[] = ['github', 'gitlab'];

const providerNames: Record<GitProviderType, string> = { github: 'GitHub', gitlab: 'GitLab', 'bitbucket-server': 'Bitbucket Server' };

const stateWords: Record<string, string> = {
  progressing: 'still progressing',
  failing: 'failing',
  mixed: 'running mixed versions',
  unknown: 'in an unknown state',
  suspended: 'suspended',
};

/** Versions compare without a leading "v" (v1.2.3 and 1.2.3 are the same release). */
export function sameVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return a.replace(/^v/i, '') === b.replace(/^v/i, '');
}

/** The controller's branch naming: promotion-<ns>-<name>-<env>. */
export function promotionBranch(row: Pick<PipelineRow, 'namespace' | 'name'>, env: string): string {
  return `promotion-${row.namespace}-${row.name}-${env}`;
}

function refuse(code: RefusalCode, reason: string): PromotionRefusal {
  return { allowed: false, code, reason };
}

export function checkPromotion(source: CellRef, target: CellRef, supported: readonly GitProviderType[] = SUPPORTED_PROVIDERS): PromotionEligibility {
  const from = source.row.environments[source.envIndex];
  const to = target.row.environments[target.envIndex];
  if (!from || !to) return refuse('not-next-env', 'That environment is no longer part of the pipeline.');
  if (source.row.id !== target.row.id) return refuse('different-pipeline', `Promotions stay within one pipeline: ${from.name} belongs to ${source.row.name}.`);
  if (source.envIndex === target.envIndex) return refuse('same-env', `${to.name} is where this version comes from.`);
  if (target.envIndex < source.envIndex) return refuse('backwards', `Promotions move forward: ${to.name} comes before ${from.name}.`);
  if (target.envIndex !== source.envIndex + 1) {
    const next = source.row.environments[source.envIndex + 1];
    return refuse('not-next-env', `Promote one step at a time: ${from.name} promotes into ${next?.name ?? 'the next environment'}, not ${to.name}.`);
  }
  const version = from.rollup.version;
  if (!version || from.targets.length === 0) return refuse('no-version', `${from.name} has no deployed version to promote.`);
  if (to.targets.length > 0 && to.targets.every((t) => sameVersion(t.deployedVersion, version))) {
    return refuse('same-version', `${to.name} already runs ${version}.`);
  }
  const stale = from.targets.find((t) => t.stale);
  if (stale) return refuse('source-not-healthy', `${from.name} is not known to be healthy: ${stale.cluster} is stale, so its last known state may be out of date.`);
  if (from.rollup.state !== 'healthy') {
    return refuse('source-not-healthy', `${from.name} is ${stateWords[from.rollup.state] ?? 'not healthy'}; promote from a healthy environment.`);
  }
  const strategyRefusal = checkStrategy(to, supported);
  if (strategyRefusal) return strategyRefusal;
  return { allowed: true, row: source.row, from, to, version, strategy: to.strategy, branch: promotionBranch(source.row, to.name) };
}

/** The common case: promote a cell into the environment after it. */
export function checkPromoteNext(row: PipelineRow, envIndex: number): PromotionEligibility {
  if (envIndex >= row.environments.length - 1) return refuse('not-next-env', `${row.environments[envIndex]?.name ?? 'This'} is the last environment of ${row.name}.`);
  return checkPromotion({ row, envIndex }, { row, envIndex: envIndex + 1 });
}

/**
 * Versions that may be written into a config repository and a PR title: release-like tokens
 * only (letters, digits, ".", "_", "+", "-"), optionally pinned to a Git/OCI digest as Flux
 * reports Kustomization revisions (`v2.3.0@sha1:<hex>`). Anything else — Markdown, mentions,
 * HTML, spaces, bidi controls — could change what a reviewer reads, so it is refused.
 */
const SAFE_VERSION = /^[A-Za-z0-9._+-]{1,128}(@sha1:[0-9a-f]{7,40}|@sha256:[0-9a-f]{7,64})?$/;

export function isPromotableVersion(version: string): boolean {
  return SAFE_VERSION.test(version) && /^[A-Za-z0-9]/.test(version);
}

/** What main promotes, derived from its own board model (never from what the renderer sent). */
export interface DerivedPromotion {
  row: PipelineRow;
  from?: EnvironmentCell;
  to: EnvironmentCell;
  version: string;
  strategy: EffectiveStrategy;
  branch: string;
  /** true when the version is the revision an approval gate waits for */
  approval: boolean;
}

export type DerivedPromotionResult = { allowed: true; promotion: DerivedPromotion } | PromotionRefusal;

/**
 * The version a source environment promotes: its readable version when that is a safe token;
 * otherwise (a branch revision such as "main@abc1234") the full digest-pinned revision every
 * source target runs, when there is exactly one.
 */
function promotableVersionOf(from: EnvironmentCell, readable: string): string | undefined {
  if (isPromotableVersion(readable)) return readable;
  const revisions = new Set(from.targets.map((t) => t.deployedRevision));
  const [only] = [...revisions];
  return revisions.size === 1 && only && isPromotableVersion(only) ? only : undefined;
}

export function checkStrategy(to: EnvironmentCell, supported: readonly GitProviderType[]): PromotionRefusal | undefined {
  const strategy = to.strategy;
  if (strategy.kind === 'none') return refuse('no-strategy', `${to.name} has no promotion strategy, so there is nothing to promote with.`);
  if (strategy.kind === 'notification') {
    return refuse('notification-only', `${to.name} is promoted by notification only (the pipeline-controller tells another system); there is no pull request to open.`);
  }
  if (!strategy.provider || !supported.includes(strategy.provider)) {
    const name = strategy.provider ? providerNames[strategy.provider] : 'an unknown provider';
    return refuse('provider-unsupported', `${to.name} promotes through ${name}, which Release Board does not support yet (${supported.map((p) => providerNames[p]).join(', ')} only).`);
  }
  if (!strategy.repoUrl || !strategy.baseBranch) return refuse('no-repository', `${to.name}'s pull-request strategy names no repository or base branch.`);
  return undefined;
}

/**
 * Decides, from the board alone, what promoting `targetEnv` of `row` means. With `revision`,
 * the user approves exactly the revision the controller's approval gate waits for (whatever
 * the upstream environment's mix); without it, the ordinary rules of `checkPromotion` apply.
 * Main calls this before planning; the renderer shows the same answers.
 */
export function derivePromotion(row: PipelineRow, targetEnv: string, revision?: string, supported: readonly GitProviderType[] = SUPPORTED_PROVIDERS): DerivedPromotionResult {
  const toIndex = row.environments.findIndex((e) => e.name === targetEnv);
  const to = row.environments[toIndex];
  if (!to) return refuse('not-next-env', `${row.name} has no environment ${targetEnv}.`);
  if (toIndex === 0) return refuse('backwards', `${to.name} is the first environment of ${row.name}; nothing is promoted into it.`);
  const from = row.environments[toIndex - 1];
  if (revision !== undefined) {
    const gate = to.pending.find((p) => p.kind === 'awaiting-approval');
    if (!gate?.version) return refuse('no-approval-pending', `${to.name} is not waiting for the approval of any revision.`);
    if (gate.version !== revision) return refuse('approval-mismatch', `${to.name} waits for the approval of ${gate.version}, not ${revision}.`);
    if (!isPromotableVersion(revision)) return refuse('unsafe-version', `The revision "${revision.slice(0, 80)}" cannot be written safely into a pull request.`);
    const strategyRefusal = checkStrategy(to, supported);
    if (strategyRefusal) return strategyRefusal;
    return { allowed: true, promotion: { row, ...(from ? { from } : {}), to, version: revision, strategy: to.strategy, branch: promotionBranch(row, to.name), approval: true } };
  }
  const checked = checkPromotion({ row, envIndex: toIndex - 1 }, { row, envIndex: toIndex }, supported);
  if (!checked.allowed) return checked;
  const version = promotableVersionOf(checked.from, checked.version);
  if (!version) return refuse('unsafe-version', `${checked.from.name} runs "${checked.version.slice(0, 80)}", which is not a version that can be written safely into a pull request.`);
  return { allowed: true, promotion: { row, from: checked.from, to: checked.to, version, strategy: checked.strategy, branch: checked.branch, approval: false } };
}
