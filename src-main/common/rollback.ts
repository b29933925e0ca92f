// Rolling an environment back: which version it goes back to, decided from what the cluster
// remembers releasing there (the targets' release history on main's own board), never from
// what the renderer says. Pure and shared: the detail panel shows the same answer main
// re-derives before it plans the rollback pull request.
import type { EffectiveStrategy, EnvironmentCell, PipelineRow, ReleaseHistoryEntry, TargetState } from './board';
import { checkStrategy, isPromotableVersion, sameVersion, SUPPORTED_PROVIDERS, type PromotionRefusal } from './promotion-eligibility';

/** What the renderer may ask for: which pipeline and environment, and why (shown in the PR). */
export interface RollbackRequest {
  pipelineId: string;
  env: string;
  reason: string;
}

/** At most this many characters of reason go into a pull request. */
export const ROLLBACK_REASON_MAX = 2000;

export interface DerivedRollback {
  allowed: true;
  row: PipelineRow;
  env: EnvironmentCell;
  /** The version running now, which the rollback replaces. */
  replaces: string;
  /** The version before it: what the marked line is set back to. */
  version: string;
  strategy: EffectiveStrategy;
}

export type RollbackRefusalCode = PromotionRefusal['code'] | 'previous-unknown' | 'targets-disagree';
export type DerivedRollbackResult = DerivedRollback | { allowed: false; code: RollbackRefusalCode; reason: string };

/** Releases that actually ran (not failed or pending ones): what a rollback may return to. */
const RAN = new Set(['deployed', 'superseded', 'ReconciliationSucceeded']);

function newestFirst(entries: readonly ReleaseHistoryEntry[]): ReleaseHistoryEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at && b.e.at && a.e.at !== b.e.at ? (a.e.at < b.e.at ? 1 : -1) : a.i - b.i))
    .map(({ e }) => e);
}

/** The newest release of one target that ran and differs from `current`. */
export function previousRelease(target: Pick<TargetState, 'history'>, current: string): ReleaseHistoryEntry | undefined {
  return newestFirst(target.history ?? []).find((e) => RAN.has(e.status) && !sameVersion(e.version, current));
}

function refuse(code: RollbackRefusalCode, reason: string): DerivedRollbackResult {
  return { allowed: false, code, reason };
}

/** Decides, from the board alone, what rolling `envName` of `row` back means. */
export function deriveRollback(row: PipelineRow, envName: string): DerivedRollbackResult {
  const env = row.environments.find((e) => e.name === envName);
  if (!env) return refuse('not-next-env', `${row.name} has no environment ${envName.slice(0, 100)}.`);
  const current = env.rollup.version;
  if (!current || env.targets.length === 0) return refuse('no-version', `${env.name} has no deployed version to roll back from.`);
  const previous = env.targets.map((t) => previousRelease(t, current)?.version);
  const known = [...new Set(previous.filter((v): v is string => v !== undefined))];
  if (known.length === 0 || previous.includes(undefined)) {
    return refuse(
      'previous-unknown',
      `The version before ${current} in ${env.name} is unknown: ${env.targets.length === 1 ? 'its target keeps' : 'not every target keeps'} an earlier successful release in its history.`,
    );
  }
  if (known.length > 1) return refuse('targets-disagree', `The targets of ${env.name} ran different versions before ${current} (${known.join(', ')}); roll back by hand.`);
  const version = known[0] as string;
  if (!isPromotableVersion(version)) return refuse('unsafe-version', `The previous version "${version.slice(0, 80)}" cannot be written safely into a pull request.`);
  const strategyRefusal = checkStrategy(env, SUPPORTED_PROVIDERS);
  if (strategyRefusal) return strategyRefusal;
  return { allowed: true, row, env, replaces: current, version, strategy: env.strategy };
}
