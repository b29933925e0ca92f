// The evidence a promotion PR carries for its reviewers: the source environment, each of its
// targets, and since when each has run the promoted version healthy. Built in main from its own
// board (the renderer only names a pipeline and an environment), at plan time.
import type { EnvironmentCell, TargetState } from '../common/board';
import type { PromotionEvidence, TargetEvidence } from '../common/promotion';

function runsVersion(t: TargetState, version: string): boolean {
  return t.deployedVersion === version || t.deployedRevision === version || (t.deployedRevision?.startsWith(`${version}@`) ?? false);
}

function healthySince(t: TargetState): string | undefined {
  const ready = t.conditions.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
  const times = [t.lastDeployedAt, ready].filter((x): x is string => typeof x === 'string' && !Number.isNaN(Date.parse(x)));
  return times.sort((a, b) => Date.parse(a) - Date.parse(b)).at(-1);
}

export function promotionEvidence(source: EnvironmentCell, version: string): PromotionEvidence {
  return {
    sourceEnv: source.name,
    version,
    targets: source.targets.map((t) => {
      const since = t.health === 'ready' && runsVersion(t, version) ? healthySince(t) : undefined;
      return { cluster: t.cluster, namespace: t.namespace, ...(t.deployedVersion ? { version: t.deployedVersion } : {}), health: t.health, ...(since ? { healthySince: since } : {}) };
    }),
  };
}

function targetLine(t: TargetEvidence, version: string): string {
  const where = `\`${t.cluster}\` / \`${t.namespace}\``;
  if (t.version === version && t.health === 'ready') return `- ${where}: healthy on ${version}${t.healthySince ? ` since ${t.healthySince}` : ' (since when is unknown)'}`;
  if (t.version === version) return `- ${where}: runs ${version}, ${t.health}`;
  return `- ${where}: runs ${t.version ?? 'an unknown version'} (${t.health}), not ${version}`;
}

/** Markdown lines for the PR body. */
export function evidenceLines(e: PromotionEvidence): string[] {
  const healthy = e.targets.filter((t) => t.version === e.version && t.health === 'ready').length;
  return [
    `Evidence (read from the clusters by Release Board when this was prepared): **${e.sourceEnv}** runs ${e.version} healthy on ${healthy} of ${e.targets.length} ${e.targets.length === 1 ? 'target' : 'targets'}.`,
    '',
    ...e.targets.map((t) => targetLine(t, e.version)),
  ];
}
