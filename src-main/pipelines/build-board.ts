// Builds the board model from what the informers hold: Pipelines and GitopsClusters per
// management cluster, HelmReleases/Kustomizations per (cluster, kind), cluster states,
// served API versions and open promotion PRs. `buildPipelineRow` builds one row and
// reports which inputs it read (its dependency keys), so the board service rebuilds
// only the rows a change touches. All lookups are map hits: no scan per target.

import type { ClusterState, BoardSnapshot, EnvironmentCell, PipelineRow, Problem, TargetState } from '../common/board';
import { parsePipeline, type EnvironmentStatus, type ParsedPipeline, type TargetSpec } from './pipeline-schema';
import { effectiveStrategy, indexPullRequests, pendingPromotions, rollupEnvironment, type OpenPullRequest, type PullRequestIndex } from './promotion-rules';
import { readWorkload, readableRevision, type WorkloadReading } from './workload-status';

/** The informer cache for one (cluster, kind). */
export interface WorkloadCollection {
  /** Objects keyed "namespace/name". */
  items: ReadonlyMap<string, unknown>;
  /** True once the first list finished (cluster-wide, or for every namespace watched). */
  synced: boolean;
  /** Namespaces RBAC does not let us list (namespaced fallback). */
  forbiddenNamespaces?: ReadonlySet<string>;
}

/** Served versions per API group on one cluster, preferred version first. */
export type ServedGroups = ReadonlyMap<string, readonly string[]>;

export interface GitopsClusterRef {
  managementContext: string;
  namespace: string;
  name: string;
}

export interface BoardInput {
  /** Raw Pipeline objects by management context, keyed "ns/name". */
  pipelines: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** Raw GitopsCluster objects by management context, keyed "ns/name"; absent = not listed yet. */
  gitopsClusters: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
  /** Informer caches by context, then by kind ("HelmRelease", "Kustomization"). */
  workloads: ReadonlyMap<string, ReadonlyMap<string, WorkloadCollection>>;
  clusters: readonly ClusterState[];
  servedVersions: ReadonlyMap<string, ServedGroups>;
  /** Which kubeconfig context reaches a GitopsCluster (user mapping, else name match). */
  contextForCluster: (ref: GitopsClusterRef) => string | undefined;
  /**
   * Why a GitopsCluster has no context, when the caller knows better than "no context
   * matches" (e.g. its kubeconfig Secret could not be read). Absent or undefined: the default.
   */
  unmappedCluster?: (ref: GitopsClusterRef) => { message: string; problem?: Problem } | undefined;
  openPullRequests: readonly OpenPullRequest[];
  now?: () => string;
}

/** Shared, precomputed lookups for building many rows. */
export interface RowContext {
  input: BoardInput;
  multipleManagementClusters: boolean;
  clusterByContext: ReadonlyMap<string, ClusterState>;
  prs: PullRequestIndex;
  /**
   * What one build learnt about a target's cluster (its context, its GitopsCluster's state),
   * by management context, then namespace, then name: thousands of targets name the same few
   * clusters, and the answers cannot change within one build.
   */
  clusterRefs: Map<string, Map<string, Map<string, TargetCluster>>>;
  /** Per context and kind: the shared watch needs by namespace, and the key prefixes. */
  contextKinds: Map<string, Map<string, ContextKind>>;
}

/** A target cluster as one build sees it. */
interface TargetCluster {
  context: string | undefined;
  display: string;
  depKey: string;
  refProblem?: Problem;
  notReadyProblem?: Problem;
  /** Why no context reaches it, when the caller knows better (see BoardInput.unmappedCluster). */
  unmappedWhy?: { message: string; problem?: Problem };
}

interface ContextKind {
  clusterKey: string;
  collectionKey: string;
  /** depKey.workload up to the "namespace/name" part. */
  workloadKeyPrefix: string;
  needs: Map<string, WatchNeed>;
}

export const SUPPORTED_APP_KINDS: ReadonlyMap<string, string> = new Map([
  ['HelmRelease', 'helm.toolkit.fluxcd.io'],
  ['Kustomization', 'kustomize.toolkit.fluxcd.io'],
]);

export function createRowContext(input: BoardInput): RowContext {
  const clusterByContext = new Map<string, ClusterState>();
  for (const c of input.clusters) if (c.context) clusterByContext.set(c.context, c);
  return {
    input,
    multipleManagementClusters: input.pipelines.size > 1,
    clusterByContext,
    prs: indexPullRequests(input.openPullRequests),
    clusterRefs: new Map(),
    contextKinds: new Map(),
  };
}

/** Dependency keys: what a row read, so a change to any of them rebuilds it. */
export const depKey = {
  workload: (context: string, kind: string, namespace: string, name: string) => `w|${context}|${kind}|${namespace}/${name}`,
  collection: (context: string, kind: string) => `k|${context}|${kind}`,
  gitopsCluster: (managementContext: string, namespace: string, name: string) => `g|${managementContext}|${namespace}/${name}`,
  cluster: (context: string) => `c|${context}`,
} as const;

/** What a target needs watched: the service starts informers from these. */
export interface WatchNeed {
  context: string;
  kind: string;
  namespace: string;
}

export interface BuiltRow {
  row: PipelineRow;
  deps: Set<string>;
  needs: WatchNeed[];
}

export function pipelineId(namespace: string, name: string, managementContext: string, multiple: boolean): string {
  return multiple ? `${namespace}/${name}@${managementContext}` : `${namespace}/${name}`;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Builds one row. `key` is the informer key ("ns/name") used if the object's metadata is broken. */
export function buildPipelineRow(raw: unknown, managementContext: string, key: string, ctx: RowContext): BuiltRow {
  const parsed = parsePipelineCached(raw, key);
  const deps = new Set<string>();
  const needs: WatchNeed[] = [];
  const problems: Problem[] = [...parsed.problems];
  deps.add(depKey.cluster(managementContext));

  const appRef = parsed.appRef;
  const askedApiVersion = appRef?.apiVersion ?? '';
  const { group, version: askedVersion } = splitApiVersion(askedApiVersion);
  const kind = appRef?.kind ?? '';
  const expectedGroup = SUPPORTED_APP_KINDS.get(kind);
  if (appRef && !expectedGroup) {
    problems.push({
      code: 'unsupported-app-kind',
      message: `appRef kind "${kind.slice(0, 100)}" is not a HelmRelease or Kustomization`,
      hint: 'Release Board reads Flux HelmReleases and Kustomizations only.',
    });
  } else if (appRef && expectedGroup !== group) {
    problems.push({
      code: 'app-group-mismatch',
      message: `appRef apiVersion "${askedApiVersion}" does not belong to ${expectedGroup} (kind ${kind})`,
      hint: `Set spec.appRef.apiVersion to ${expectedGroup}/<version>.`,
    });
  }

  const row: PipelineRow = {
    id: pipelineId(parsed.namespace, parsed.name, managementContext, ctx.multipleManagementClusters),
    cluster: managementContext,
    namespace: parsed.namespace,
    name: parsed.name,
    appRef: { kind, name: appRef?.name ?? '', apiVersion: askedApiVersion },
    environments: [],
    problems,
  };
  const mgmtServed = ctx.input.servedVersions.get(managementContext)?.get(expectedGroup ?? group);
  if (mgmtServed?.[0]) row.appRef.servedVersion = `${expectedGroup ?? group}/${mgmtServed[0]}`;

  const readable = appRef !== null && expectedGroup !== undefined;
  // A row reads one to three clusters: an array, not a Set per row (tens of thousands of rows).
  const seenContexts: string[] = [];
  let previous: EnvironmentCell | undefined;
  parsed.environments.forEach((env, index) => {
    const status = parsed.status.get(env.name);
    const targets = env.targets.map((target) =>
      readable
        ? buildTarget(parsed, target, kind, appRef.name, managementContext, status, env.targets, ctx, deps, needs, seenContexts)
        : unreadableTarget(parsed, target, managementContext, kind, appRef?.name ?? ''),
    );
    const rollup = rollupEnvironment(targets);
    const strategy = effectiveStrategy(parsed.promotion, env);
    const cell: EnvironmentCell = {
      name: env.name,
      index,
      targets,
      rollup,
      strategy,
      pending: pendingPromotions({
        pipeline: parsed,
        envName: env.name,
        previous: previous ? { rollup: previous.rollup, targets: previous.targets } : undefined,
        current: { rollup, targets },
        prs: ctx.prs,
        ...(strategy.repoUrl ? { repoUrl: strategy.repoUrl } : {}),
      }),
    };
    row.environments.push(cell);
    previous = cell;
  });

  let staleVersionClusters: Set<string> | undefined;
  if (readable && expectedGroup) {
    for (const cluster of seenContexts) {
      const served = ctx.input.servedVersions.get(cluster)?.get(expectedGroup);
      if (served && served.length > 0 && !served.includes(askedVersion)) (staleVersionClusters ??= new Set()).add(cluster);
    }
  }
  if (staleVersionClusters && expectedGroup) {
    const servedExample = [...staleVersionClusters].map((c) => ctx.input.servedVersions.get(c)?.get(expectedGroup)?.[0]).find((v) => v !== undefined);
    problems.push({
      code: 'app-version-not-served',
      message: `appRef asks for ${askedApiVersion}, which ${[...staleVersionClusters].slice(0, 5).join(', ')} no longer ${staleVersionClusters.size === 1 ? 'serves' : 'serve'}; the board reads ${expectedGroup}/${servedExample ?? '?'} instead`,
      hint: `Update spec.appRef.apiVersion to ${expectedGroup}/${servedExample ?? '<served version>'} (the pipeline-controller may fail to read a version that is not served).`,
    });
  }
  return { row, deps, needs };
}

/** The kubeconfig context a target is read through (undefined: none mapped). */
function targetContext(parsed: ParsedPipeline, target: TargetSpec, managementContext: string, input: Pick<BoardInput, 'contextForCluster'>): string | undefined {
  const ref = target.clusterRef;
  if (!ref) return managementContext;
  return input.contextForCluster({ managementContext, namespace: ref.namespace ?? parsed.namespace, name: ref.name });
}

/**
 * The watches a Pipeline's rows will need, without building the row: the service starts
 * every list of the initial load from these before paying for the first full build.
 * Must agree with buildPipelineRow's `needs` (same context resolution, same readability test).
 */
export function collectWatchNeeds(raw: unknown, managementContext: string, key: string, input: Pick<BoardInput, 'contextForCluster'>): WatchNeed[] {
  const parsed = parsePipelineCached(raw, key);
  const appRef = parsed.appRef;
  if (!appRef || !SUPPORTED_APP_KINDS.has(appRef.kind)) return [];
  const needs: WatchNeed[] = [];
  for (const env of parsed.environments) {
    for (const target of env.targets) {
      const context = targetContext(parsed, target, managementContext, input);
      if (context) needs.push({ context, kind: appRef.kind, namespace: target.namespace });
    }
  }
  return needs;
}

/**
 * Why a GitopsCluster is not Ready: undefined when Ready is True or not reported (older
 * controllers), else its message ('' when it gives none).
 */
export function gitopsClusterNotReady(obj: unknown): string | undefined {
  const status = isRecord(obj) && isRecord(obj.status) ? obj.status : undefined;
  const conditions = Array.isArray(status?.conditions) ? status.conditions : [];
  const ready = conditions.find((c): c is Record<string, unknown> => isRecord(c) && c.type === 'Ready');
  if (!ready || ready.status !== 'False') return undefined;
  const message = typeof ready.message === 'string' ? ready.message : typeof ready.reason === 'string' ? ready.reason : '';
  return message.slice(0, 500);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreadableTarget(parsed: ParsedPipeline, target: TargetSpec, managementContext: string, kind: string, name: string): TargetState {
  return {
    cluster: target.clusterRef?.name ?? managementContext,
    namespace: target.namespace,
    kind,
    name,
    health: 'unknown',
    conditions: [],
    message: parsed.appRef ? `Cannot read ${kind} objects` : 'The Pipeline appRef is malformed',
  };
}

function clusterStateProblem(state: ClusterState, display: string): Problem | undefined {
  switch (state.state) {
    case 'unreachable':
      return {
        code: 'cluster-unreachable',
        message: `${display} is unreachable${state.message ? `: ${state.message}` : ''}`,
        hint: 'Check the network, VPN and the kubeconfig credentials for this context.',
      };
    case 'forbidden':
      return { code: 'cluster-forbidden', message: `Not allowed to read ${display}${state.message ? `: ${state.message}` : ''}`, hint: 'Ask for list/watch on the Flux resources in this cluster.' };
    case 'no-crd':
      return {
        code: 'cluster-no-crd',
        message: `${display} does not serve the required API${state.message ? `: ${state.message}` : ''}`,
        hint: 'Install Flux (and the Pipelines CRD on management clusters).',
      };
    case 'no-context':
      return { code: 'cluster-unmapped', message: state.message ?? `No kubeconfig context for ${display}`, hint: 'Add a context for this cluster to your kubeconfig or map one in settings.' };
    default:
      return undefined;
  }
}

/** The cluster a clusterRef names, looked up once per build (see RowContext.clusterRefs). */
function targetCluster(ctx: RowContext, managementContext: string, refNs: string, name: string): TargetCluster {
  let byNamespace = ctx.clusterRefs.get(managementContext);
  if (!byNamespace) ctx.clusterRefs.set(managementContext, (byNamespace = new Map()));
  let byName = byNamespace.get(refNs);
  if (!byName) byNamespace.set(refNs, (byName = new Map()));
  let known = byName.get(name);
  if (known) return known;
  const { input } = ctx;
  const ref: GitopsClusterRef = { managementContext, namespace: refNs, name };
  known = { context: input.contextForCluster(ref), display: name, depKey: depKey.gitopsCluster(managementContext, refNs, name) };
  const gcs = input.gitopsClusters.get(managementContext);
  const gc = gcs?.get(`${refNs}/${name}`);
  if (gcs && gc === undefined) {
    known.refProblem = {
      code: 'gitops-cluster-missing',
      message: `GitopsCluster ${refNs}/${name} does not exist on ${managementContext}`,
      hint: 'Create the GitopsCluster or fix the target clusterRef in the Pipeline.',
    };
  } else if (gc !== undefined) {
    const notReady = gitopsClusterNotReady(gc);
    if (notReady !== undefined) {
      known.notReadyProblem = {
        code: 'gitops-cluster-not-ready',
        message: `GitopsCluster ${refNs}/${name} is not Ready${notReady ? `: ${notReady}` : ''}`,
        hint: 'The pipeline-controller cannot reach this cluster until the GitopsCluster is Ready (check its kubeconfig Secret).',
      };
    }
  }
  if (!known.context && input.unmappedCluster) {
    const why = input.unmappedCluster(ref);
    if (why) known.unmappedWhy = why;
  }
  byName.set(name, known);
  return known;
}

/** Keys and watch needs of one (context, kind), made once per build. */
function contextKind(ctx: RowContext, context: string, kind: string): ContextKind {
  let byKind = ctx.contextKinds.get(context);
  if (!byKind) ctx.contextKinds.set(context, (byKind = new Map()));
  let known = byKind.get(kind);
  if (!known) {
    known = {
      clusterKey: depKey.cluster(context),
      collectionKey: depKey.collection(context, kind),
      workloadKeyPrefix: depKey.workload(context, kind, '', '').slice(0, -1),
      needs: new Map(),
    };
    byKind.set(kind, known);
  }
  return known;
}

function buildTarget(
  parsed: ParsedPipeline,
  target: TargetSpec,
  kind: string,
  name: string,
  managementContext: string,
  status: EnvironmentStatus | undefined,
  envTargets: readonly TargetSpec[],
  ctx: RowContext,
  deps: Set<string>,
  needs: WatchNeed[],
  seenContexts: string[],
): TargetState {
  const { input } = ctx;
  const namespace = target.namespace;
  let context: string | undefined = managementContext;
  let display = managementContext;
  let refProblem: Problem | undefined;
  // The least specific problem: shown only when nothing more actionable applies.
  let notReadyProblem: Problem | undefined;
  let unmappedWhy: TargetCluster['unmappedWhy'];

  if (target.clusterRef) {
    const known = targetCluster(ctx, managementContext, target.clusterRef.namespace ?? parsed.namespace, target.clusterRef.name);
    deps.add(known.depKey);
    ({ context, display, refProblem, notReadyProblem, unmappedWhy } = known);
  }

  const state: TargetState = { cluster: display, namespace, kind, name, health: 'unknown', conditions: [] };
  // A target the board could not read: the controller's status stands in, the Pipeline's own problem first.
  if (!context && unmappedWhy) {
    state.message = unmappedWhy.message;
    return withFallback(state, status, target, envTargets, refProblem ?? unmappedWhy.problem, true);
  }
  if (!context) {
    state.message = `No kubeconfig context for cluster ${display}`;
    const unmapped: Problem = {
      code: 'cluster-unmapped',
      message: `No kubeconfig context matches GitopsCluster ${display}`,
      hint: `Add a kubeconfig context named "${display}" or map one to this cluster in settings.`,
    };
    return withFallback(state, status, target, envTargets, refProblem ?? unmapped, true);
  }
  state.context = context;
  const keys = contextKind(ctx, context, kind);
  if (!seenContexts.includes(context)) {
    // Cluster- and collection-level keys once per context per row: cheap on wide pipelines.
    seenContexts.push(context);
    deps.add(keys.clusterKey);
    deps.add(keys.collectionKey);
  }
  const itemKey = `${namespace}/${name}`;
  deps.add(keys.workloadKeyPrefix + itemKey);
  let need = keys.needs.get(namespace);
  if (!need) keys.needs.set(namespace, (need = { context, kind, namespace }));
  needs.push(need);

  const cluster = ctx.clusterByContext.get(context);
  if (cluster?.state === 'stale') state.stale = true;
  const clusterProblem = cluster ? clusterStateProblem(cluster, display) : undefined;

  const collection = input.workloads.get(context)?.get(kind);
  if (collection?.forbiddenNamespaces?.has(namespace)) {
    state.message = `Not allowed to list ${kind} objects in ${namespace}`;
    const forbidden: Problem = {
      code: 'namespace-forbidden',
      message: `RBAC forbids listing ${kind} in namespace ${namespace} on ${display}`,
      hint: `Ask for list/watch on ${kind.toLowerCase()}s in ${namespace}.`,
    };
    return withFallback(state, status, target, envTargets, refProblem ?? forbidden);
  }
  const obj = collection?.items.get(itemKey);
  if (obj === undefined) {
    if (!collection || !collection.synced) {
      state.message = clusterProblem?.message ?? 'Loading…';
      return withFallback(state, status, target, envTargets, refProblem ?? clusterProblem ?? notReadyProblem);
    }
    state.health = 'missing';
    state.message = `${kind} ${namespace}/${name} not found`;
    const missing: Problem = {
      code: 'workload-missing',
      message: `${kind} ${namespace}/${name} does not exist on ${display}`,
      hint: 'Check the target namespace in the Pipeline, or whether Flux has created the object yet.',
    };
    return withFallback(state, status, target, envTargets, refProblem ?? missing);
  }

  const reading = readWorkloadCached(obj);
  state.health = reading.health;
  state.conditions = reading.conditions;
  if (reading.servedApiVersion) state.servedApiVersion = reading.servedApiVersion;
  if (reading.deployedVersion) state.deployedVersion = reading.deployedVersion;
  if (reading.deployedRevision) state.deployedRevision = reading.deployedRevision;
  if (reading.requestedVersion) state.requestedVersion = reading.requestedVersion;
  if (reading.inFlightVersion) state.inFlightVersion = reading.inFlightVersion;
  if (reading.lastDeployedAt) state.lastDeployedAt = reading.lastDeployedAt;
  if (reading.message) state.message = reading.message;
  if (reading.history) state.history = reading.history;
  const problem = refProblem ?? (cluster?.state !== 'stale' ? clusterProblem : undefined) ?? notReadyProblem;
  if (problem) state.problem = problem;
  return state;
}

const parsedPipelines = new WeakMap<object, { key: string; parsed: ParsedPipeline }>();
/** Same immutability argument as readings below; the result is treated as read-only. */
function parsePipelineCached(raw: unknown, key: string): ParsedPipeline {
  if (typeof raw !== 'object' || raw === null) return parsePipeline(raw, key);
  const hit = parsedPipelines.get(raw);
  if (hit && hit.key === key) return hit.parsed;
  const parsed = parsePipeline(raw, key);
  parsedPipelines.set(raw, { key, parsed });
  return parsed;
}

// Informer caches replace objects on update and never mutate them, so a reading can be
// reused for as long as the object itself is alive.
const readings = new WeakMap<object, WorkloadReading>();
function readWorkloadCached(obj: unknown): WorkloadReading {
  if (typeof obj !== 'object' || obj === null) return readWorkload(obj);
  let reading = readings.get(obj);
  if (!reading) {
    reading = readWorkload(obj);
    readings.set(obj, reading);
  }
  return reading;
}

/**
 * Reads a workload ahead of the row build that will need it (the reading is cached on the
 * object), so the service can do this while it still waits for other clusters' lists.
 */
export function prepareWorkloadReading(obj: unknown): void {
  readWorkloadCached(obj);
}

/** Uses the newer controllers' status targets when the cluster itself gave no version. */
function withFallback(
  state: TargetState,
  status: EnvironmentStatus | undefined,
  target: TargetSpec,
  envTargets: readonly TargetSpec[],
  problem: Problem | undefined,
  /** No kubeconfig context: the board has not read the target at all. */
  unread = false,
): TargetState {
  const fallback = statusTarget(status, target, envTargets);
  if (fallback) {
    if (fallback.revision) {
      state.deployedRevision = fallback.revision;
      state.deployedVersion = readableRevision(fallback.revision);
    }
    // With no kubeconfig context the board has not read the target at all; the controller's
    // error is then usually its own trouble reaching the cluster, so the target stays Unknown
    // (like every other "no context" target) instead of Failing.
    const failed = fallback.error && !unread ? 'failed' : 'unknown';
    if (state.health === 'unknown') state.health = fallback.ready ? 'ready' : failed;
    if (fallback.error && !state.message) state.message = fallback.error;
  }
  if (problem) state.problem = problem;
  return state;
}

/** The newer-controller status entry for a target, matched by cluster when unambiguous. */
function statusTarget(status: EnvironmentStatus | undefined, target: TargetSpec, envTargets: readonly TargetSpec[]) {
  const list = status?.targets;
  if (!list || list.length === 0) return undefined;
  const clusterName = target.clusterRef?.name;
  const sameCluster = envTargets.filter((t) => t.clusterRef?.name === clusterName);
  if (sameCluster.length !== 1) return undefined;
  const matches = list.filter((s) => s.clusterName === clusterName);
  return matches.length === 1 ? matches[0] : undefined;
}

function compareRows(a: PipelineRow, b: PipelineRow): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Builds the whole board; rows sorted by id. */
export function buildBoard(input: BoardInput): BoardSnapshot {
  const ctx = createRowContext(input);
  const pipelines: PipelineRow[] = [];
  for (const [managementContext, objects] of input.pipelines) {
    for (const [key, raw] of objects) pipelines.push(buildPipelineRow(raw, managementContext, key, ctx).row);
  }
  pipelines.sort(compareRows);
  return { pipelines, clusters: [...input.clusters], generatedAt: (input.now ?? (() => new Date().toISOString()))() };
}
