// Builds the release log from what main knows: merged promotion PRs (per config repository)
// and the release history every target keeps in its status. Pure; the service fetches.
// A PR entry's "healthy at" is when the last target of its environment ran that version (the
// earliest successful run at or after the merge, per target); a release the cluster
// remembers without a matching PR (applied by hand, or older than the PR list) is listed too,
// from the cluster alone.
import type { BoardSnapshot, EnvironmentCell, PipelineRow } from '../common/board';
import { sameVersion } from '../common/promotion-eligibility';
import type { ReleaseLogEntry, ReleaseLogQuery } from '../common/release-log';
import type { MergedPromotion } from '../git/merged-promotions';

/** Times compare as instants: forges and clusters write ISO-8601 with and without fractions. */
const ms = (iso: string): number => Date.parse(iso);

/** Statuses of a release that ran successfully. */
const RAN = new Set(['deployed', 'superseded', 'ReconciliationSucceeded']);

/** When one target first ran `version` at or after `since`; undefined when it has not (or its history does not say). */
function ranAt(target: EnvironmentCell['targets'][number], version: string, since: string): string | undefined {
  const times = (target.history ?? []).filter((h) => RAN.has(h.status) && sameVersion(h.version, version) && h.at && ms(h.at) >= ms(since)).map((h) => h.at as string);
  if (times.length > 0) return times.sort((a, b) => ms(a) - ms(b))[0];
  // no history kept (older controllers): the target runs it now, healthily
  if (target.health === 'ready' && sameVersion(target.deployedVersion, version) && target.lastDeployedAt && ms(target.lastDeployedAt) >= ms(since)) return target.lastDeployedAt;
  return undefined;
}

/** When every target of the environment ran `version` (the last of them), or undefined. */
export function healthyAt(env: EnvironmentCell, version: string, since: string): string | undefined {
  if (env.targets.length === 0) return undefined;
  let last = '';
  for (const t of env.targets) {
    const at = ranAt(t, version, since);
    if (!at) return undefined;
    if (!last || ms(at) > ms(last)) last = at;
  }
  return last;
}

function inScope(row: PipelineRow, env: EnvironmentCell, query: ReleaseLogQuery): boolean {
  return (!query.pipelineId || query.pipelineId === row.id) && (!query.env || query.env === env.name);
}

function fromPullRequests(row: PipelineRow, env: EnvironmentCell, merged: readonly MergedPromotion[]): ReleaseLogEntry[] {
  return merged
    .filter((m) => m.pipelineNamespace === row.namespace && m.pipelineName === row.name && m.targetEnv === env.name)
    .map((m) => {
      const version = m.version ?? '?';
      const healthy = m.version ? healthyAt(env, m.version, m.mergedAt) : undefined;
      return {
        id: `${row.id}|${env.name}|pr|${m.number}`,
        pipelineId: row.id,
        pipeline: `${row.namespace}/${row.name}`,
        env: env.name,
        version,
        ...(m.previousVersion ? { previousVersion: m.previousVersion } : {}),
        kind: m.rollback ? 'rollback' : 'promotion',
        mergedAt: m.mergedAt,
        ...(healthy ? { healthyAt: healthy } : {}),
        pr: { number: m.number, url: m.url, title: m.title, ref: m.ref },
        author: m.author,
        approvers: m.approvers,
        at: m.mergedAt,
        source: 'pull-request',
      } satisfies ReleaseLogEntry;
    });
}

/** Releases the targets remember that no merged PR explains: one entry per version that every target ran. */
function fromCluster(row: PipelineRow, env: EnvironmentCell, covered: readonly ReleaseLogEntry[]): ReleaseLogEntry[] {
  const versions = new Map<string, string>(); // version → earliest time any target ran it
  for (const t of env.targets) {
    for (const h of t.history ?? []) {
      if (!RAN.has(h.status) || !h.at) continue;
      const seen = versions.get(h.version);
      if (!seen || ms(h.at) < ms(seen)) versions.set(h.version, h.at);
    }
  }
  const ordered = [...versions].sort((a, b) => ms(a[1]) - ms(b[1]));
  const out: ReleaseLogEntry[] = [];
  ordered.forEach(([version, first], i) => {
    if (covered.some((e) => sameVersion(e.version, version))) return;
    const healthy = healthyAt(env, version, first);
    if (!healthy) return;
    const previous = ordered[i - 1]?.[0];
    out.push({
      id: `${row.id}|${env.name}|cluster|${version}`,
      pipelineId: row.id,
      pipeline: `${row.namespace}/${row.name}`,
      env: env.name,
      version,
      ...(previous ? { previousVersion: previous } : {}),
      kind: 'promotion',
      healthyAt: healthy,
      approvers: [],
      at: healthy,
      source: 'cluster',
    });
  });
  return out;
}

/**
 * The log for `query`: every pipeline/env of the board in scope, PR entries where a merged
 * promotion PR names it (metadata block), cluster entries for the rest; newest first.
 * `mergedByRepo`: merged promotions per repository URL (as the env's strategy names it).
 */
export function buildReleaseLog(board: Pick<BoardSnapshot, 'pipelines'>, mergedByRepo: ReadonlyMap<string, readonly MergedPromotion[]>, query: ReleaseLogQuery): ReleaseLogEntry[] {
  const entries: ReleaseLogEntry[] = [];
  for (const row of board.pipelines) {
    if (query.pipelineId && query.pipelineId !== row.id) continue;
    for (const env of row.environments) {
      if (!inScope(row, env, query)) continue;
      const repoUrl = env.strategy.kind === 'pull-request' ? env.strategy.repoUrl : undefined;
      const prs = fromPullRequests(row, env, (repoUrl && mergedByRepo.get(repoUrl)) || []);
      entries.push(...prs, ...fromCluster(row, env, prs));
    }
  }
  const from = ms(query.from);
  const to = ms(query.to);
  return entries.filter((e) => ms(e.at) >= from && ms(e.at) <= to).sort((a, b) => ms(b.at) - ms(a.at) || (a.id < b.id ? -1 : 1));
}
