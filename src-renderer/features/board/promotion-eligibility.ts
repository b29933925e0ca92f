// Whether a version may be promoted from one environment cell into another, and if not,
// a sentence saying why. Pure: the drop targets, the Promote button, the `p` key and the
// screen-reader announcements all ask this one module, so they never disagree.
import type { EffectiveStrategy, EnvironmentCell, GitProviderType, PipelineRow } from '../../../src-main/common/board';

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
  | 'no-repository';

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
  return { allowed: true, row: source.row, from, to, version, strategy, branch: promotionBranch(source.row, to.name) };
}

/** The common case: promote a cell into the environment after it. */
export function checkPromoteNext(row: PipelineRow, envIndex: number): PromotionEligibility {
  if (envIndex >= row.environments.length - 1) return refuse('not-next-env', `${row.environments[envIndex]?.name ?? 'This'} is the last environment of ${row.name}.`);
  return checkPromotion({ row, envIndex }, { row, envIndex: envIndex + 1 });
}
