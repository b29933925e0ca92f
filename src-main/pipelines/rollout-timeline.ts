// The rollout after a promotion PR merged: merged → each target reconciling → healthy or
// failed. Pure: it reads what the board already knows about the environment's targets (Flux
// conditions, deployed/in-flight/requested versions) and the previous timeline of the same
// merge, whose timestamps it keeps — a Ready condition only remembers its last transition, so
// "reconciling since" would be lost once the target turns healthy.
import type { ConditionSummary, RolloutState, RolloutTargetStep, RolloutTimeline, TargetState } from '../common/board';

/** A promotion PR main saw merge (the forge's merge time, the version from its title). */
export interface MergedPromotion {
  pipelineNamespace: string;
  pipelineName: string;
  targetEnv: string;
  version: string;
  number: number;
  url: string;
  mergedAt: string;
  repoUrl: string;
}

export interface RolloutInput {
  merge: MergedPromotion;
  targets: readonly TargetState[];
  now: Date;
  previous?: RolloutTimeline;
  /** how long after the merge a target may go without reconciling before the timeline says so */
  reconcileBoundMs: number;
}

/** Default bound: Flux polls Git every minute or so by default; ten minutes without a reaction is a stuck rollout. */
export const DEFAULT_RECONCILE_BOUND_MS = 10 * 60_000;

const TITLE_VERSION = /^Promote \S+\/\S+ in \S+ to (\S+)$/;

/** The version a promotion PR title names (controller convention: "Promote ns/name in env to <version>"). */
export function versionFromPromotionTitle(title: string | undefined): string | undefined {
  return title ? TITLE_VERSION.exec(title.trim())?.[1] : undefined;
}

function condition(t: TargetState, type: string): ConditionSummary | undefined {
  return t.conditions.find((c) => c.type === type);
}

/** A condition's transition time when it happened after the merge (else the change is what main sees now). */
function seenAt(c: ConditionSummary | undefined, mergedAt: string, now: Date): string {
  const at = c?.lastTransitionTime;
  return at && Date.parse(at) >= Date.parse(mergedAt) ? at : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isOnVersion(t: TargetState, version: string): boolean {
  return t.deployedVersion === version || t.deployedRevision === version || (t.deployedRevision?.startsWith(`${version}@`) ?? false);
}

function isAttempting(t: TargetState, version: string): boolean {
  return t.inFlightVersion === version || t.requestedVersion === version;
}

function stepFor(t: TargetState, input: RolloutInput, before: RolloutTargetStep | undefined): RolloutTargetStep {
  const { merge, now } = input;
  const base = { cluster: t.cluster, namespace: t.namespace };
  const ready = condition(t, 'Ready');
  const reconcilingAt = before?.reconcilingAt;
  const keep = reconcilingAt ? { reconcilingAt } : {};
  if (isOnVersion(t, merge.version) && t.health === 'ready') {
    return { ...base, ...keep, phase: 'healthy', healthyAt: before?.healthyAt ?? seenAt(ready, merge.mergedAt, now) };
  }
  if ((t.health === 'failed' || t.health === 'stalled') && (isAttempting(t, merge.version) || isOnVersion(t, merge.version))) {
    const failedAt = before?.failedAt ?? seenAt(condition(t, 'Stalled') ?? ready, merge.mergedAt, now);
    return { ...base, ...keep, phase: 'failed', failedAt, ...(t.message ? { message: t.message } : {}) };
  }
  if (t.health === 'reconciling' || t.inFlightVersion === merge.version || (t.requestedVersion === merge.version && !isOnVersion(t, merge.version))) {
    return { ...base, phase: 'reconciling', reconcilingAt: reconcilingAt ?? seenAt(condition(t, 'Reconciling') ?? ready, merge.mergedAt, now) };
  }
  const waited = now.getTime() - Date.parse(merge.mergedAt);
  if (waited >= input.reconcileBoundMs) {
    const minutes = Math.round(waited / 60_000);
    return { ...base, phase: 'not-reconciling', message: `No reconciliation of ${merge.version} seen ${minutes} min after the merge; check the Flux source and kustomize-controller.` };
  }
  return { ...base, phase: 'waiting' };
}

function overall(steps: readonly RolloutTargetStep[]): RolloutState {
  if (steps.some((s) => s.phase === 'failed')) return 'failed';
  if (steps.length > 0 && steps.every((s) => s.phase === 'healthy')) return 'healthy';
  if (steps.some((s) => s.phase === 'not-reconciling')) return 'stuck';
  return 'rolling-out';
}

function latest(times: (string | undefined)[]): string | undefined {
  return times
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1);
}

function earliest(times: (string | undefined)[]): string | undefined {
  return times.filter((t): t is string => t !== undefined).sort()[0];
}

export function deriveRollout(input: RolloutInput): RolloutTimeline {
  const { merge, previous } = input;
  const same = previous && previous.pr.number === merge.number && previous.mergedAt === merge.mergedAt ? previous : undefined;
  const targets = input.targets.map((t) =>
    stepFor(
      t,
      input,
      same?.targets.find((s) => s.cluster === t.cluster && s.namespace === t.namespace),
    ),
  );
  const state = overall(targets);
  const finishedAt = state === 'healthy' ? latest(targets.map((s) => s.healthyAt)) : state === 'failed' ? earliest(targets.map((s) => s.failedAt)) : undefined;
  return {
    version: merge.version,
    pr: { number: merge.number, url: merge.url },
    mergedAt: merge.mergedAt,
    state,
    done: targets.filter((s) => s.phase === 'healthy').length,
    total: targets.length,
    targets,
    ...(finishedAt ? { finishedAt } : {}),
  };
}
