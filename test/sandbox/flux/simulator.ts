// The Flux simulator: plays helm-controller and kustomize-controller for the sandbox. When a
// commit lands on a Pipeline's base branch and changes promotion-marked values, it resolves
// each (ns, name, env) to the Pipeline's targets and, after a delay, moves the target's
// HelmRelease/Kustomization through the status sequence Flux would (spec version → Reconciling
// → Ready with a new history entry or applied revision). Every write goes through the cluster
// store, so watchers see the same ADDED/MODIFIED stream a real cluster would send.
// Tests can also drive targets directly (fail, suspend, set a version) and control time.

import { createHash } from 'node:crypto';
import type { KubeObject } from '../seeds/types';
import { type MarkerChange, promotionsFromChangedFiles } from './markers';

const HELM_GROUP = 'helm.toolkit.fluxcd.io';
const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
const PIPELINE_GROUP = 'pipelines.weave.works';
const ZERO_SHA = '0000000000000000000000000000000000000000';
/** helm-controller keeps this many release snapshots by default */
const HISTORY_LIMIT = 5;

/** The part of the sandbox cluster store the simulator uses (test/sandbox/kube KubeStore fits). */
export interface FluxStore {
  get(apiVersionOrGroup: string, kindOrPlural: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersionOrGroup: string, kindOrPlural: string, namespace?: string): KubeObject[];
  patch(ref: StoreRef, mergePatch: Record<string, unknown>): KubeObject;
  patchStatus(ref: StoreRef, statusPatch: Record<string, unknown>): KubeObject;
  /** Live changes of one resource type ("group/plural"); lets the controllers see deletions. */
  subscribe?(key: string, listener: (event: { type: string; entry: { obj: KubeObject } }) => void): () => void;
}

/** The finalizer Flux's controllers put on the objects they manage, and remove once cleaned up. */
export const FLUX_FINALIZER = 'finalizers.fluxcd.io';

export interface StoreRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface FluxCommitEvent {
  repo: string; // owner/name
  branch: string;
  before: string;
  after: string;
  changedFiles: { path: string; before: string | null; after: string | null }[];
}

export interface CommitSource {
  onCommit(listener: (event: FluxCommitEvent) => void): () => void;
}

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type AppKind = 'HelmRelease' | 'Kustomization';

export interface FluxTargetRef {
  cluster: string;
  namespace: string;
  name: string;
  /** defaults to HelmRelease, or whichever of the two kinds exists */
  kind?: AppKind;
}

export type ReconcileOutcome = 'deployed' | 'failed' | 'suspended' | 'skipped';

export interface FluxEvent {
  outcome: ReconcileOutcome;
  target: FluxTargetRef & { kind: AppKind };
  version: string;
  /** what triggered it */
  cause: 'commit' | 'set-version' | 'resume';
  reason?: string;
  pipeline?: { namespace: string; name: string; env: string };
}

/** A commit-driven promotion that could not be mapped to a target (unknown pipeline, cluster...). */
export interface FluxSkip {
  change: MarkerChange;
  reason: string;
}

export interface FluxSimulatorOptions {
  clusters: { name: string; store: FluxStore }[];
  /** the cluster holding Pipelines; targets without clusterRef live here (default: 'mgmt', else the first) */
  managementCluster?: string;
  forge?: CommitSource;
  /** delay before each reconciliation step (default 300 ms) */
  delayMs?: number;
  clock?: Clock;
  /** branch Flux follows when a Pipeline names none (notification strategy) */
  defaultBranch?: string;
}

export interface FluxSimulator {
  /** Makes the target fail now (Ready=False with the message) and fail future upgrades; null recovers it. */
  setTargetFailing(ref: FluxTargetRef, message: string | null): void;
  /** Sets spec.suspend; resuming reconciles to the spec's version if it differs from the deployed one. */
  suspendTarget(ref: FluxTargetRef, suspended: boolean): void;
  /** As if Git asked for `version` for this target: reconcile to it (after the delay). */
  setVersion(ref: FluxTargetRef, version: string): Promise<FluxEvent>;
  /** Processes a commit as the forge listener would; returns the promotions it found. */
  handleCommit(event: FluxCommitEvent): MarkerChange[];
  onEvent(listener: (event: FluxEvent) => void): () => void;
  onSkip(listener: (skip: FluxSkip) => void): () => void;
  /** Resolves when no reconciliation is scheduled or running. */
  idle(): Promise<void>;
  stop(): void;
}

interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

interface HelmHistoryEntry {
  name: string;
  namespace: string;
  version: number;
  status: string;
  chartName: string;
  chartVersion: string;
  appVersion?: string;
  configDigest: string;
  digest: string;
  firstDeployed: string;
  lastDeployed: string;
  [k: string]: unknown;
}

interface PipelineTarget {
  namespace: string;
  clusterRef?: { kind?: string; name: string; namespace?: string };
}

interface PipelineEnv {
  name: string;
  targets?: PipelineTarget[];
  promotion?: { strategy?: Record<string, unknown> };
}

interface PipelineSpec {
  appRef: { apiVersion: string; kind: string; name: string };
  promotion?: { strategy?: Record<string, unknown> };
  environments?: PipelineEnv[];
}

function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function groupOf(kind: AppKind): string {
  return kind === 'HelmRelease' ? HELM_GROUP : KUSTOMIZE_GROUP;
}

function upsertCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, at: string): Condition[] {
  const prev = conditions.find((c) => c.type === next.type);
  // lastTransitionTime only moves when the status flips, as in Kubernetes conventions
  const lastTransitionTime = prev && prev.status === next.status ? prev.lastTransitionTime : at;
  const merged: Condition = { ...next, lastTransitionTime };
  return prev ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

function withoutCondition(conditions: Condition[], type: string): Condition[] {
  return conditions.filter((c) => c.type !== type);
}

function digestOf(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

function targetKey(t: FluxTargetRef & { kind: AppKind }): string {
  return `${t.cluster}/${t.kind}/${t.namespace}/${t.name}`;
}

export function startFluxSimulator(options: FluxSimulatorOptions): FluxSimulator {
  const clock = options.clock ?? realClock;
  const delayMs = options.delayMs ?? 300;
  const clusters = new Map(options.clusters.map((c) => [c.name, c.store]));
  const managementName = options.managementCluster ?? (clusters.has('mgmt') ? 'mgmt' : options.clusters[0]?.name);
  const defaultBranch = options.defaultBranch ?? 'main';
  const failing = new Map<string, string>();
  const chains = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  const timers = new Map<unknown, () => void>();
  const eventListeners = new Set<(e: FluxEvent) => void>();
  const skipListeners = new Set<(s: FluxSkip) => void>();
  let stopped = false;

  const emit = (e: FluxEvent) => {
    for (const l of [...eventListeners]) l(e);
    return e;
  };
  const skip = (change: MarkerChange, reason: string) => {
    for (const l of [...skipListeners]) l({ change, reason });
  };

  /** Resolves after `ms` on the simulator's clock, or early (false) when the simulator stops. */
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopped) return resolve(false);
      const handle = clock.setTimeout(() => {
        timers.delete(handle);
        resolve(!stopped);
      }, ms);
      timers.set(handle, () => resolve(false));
    });

  const storeOf = (cluster: string): FluxStore => {
    const store = clusters.get(cluster);
    if (!store) throw new Error(`flux simulator: no sandbox cluster "${cluster}"`);
    return store;
  };

  const resolveKind = (ref: FluxTargetRef): AppKind => {
    if (ref.kind) return ref.kind;
    const store = storeOf(ref.cluster);
    if (store.get(HELM_GROUP, 'HelmRelease', ref.namespace, ref.name)) return 'HelmRelease';
    if (store.get(KUSTOMIZE_GROUP, 'Kustomization', ref.namespace, ref.name)) return 'Kustomization';
    return 'HelmRelease';
  };

  const fullRef = (ref: FluxTargetRef) => ({ ...ref, kind: resolveKind(ref) });
  const storeRef = (t: FluxTargetRef & { kind: AppKind }): StoreRef => ({ apiVersion: groupOf(t.kind), kind: t.kind, namespace: t.namespace, name: t.name });
  const getApp = (t: FluxTargetRef & { kind: AppKind }) => storeOf(t.cluster).get(groupOf(t.kind), t.kind, t.namespace, t.name);

  /** Runs reconciliations of one target one after another, and lets idle() see them. */
  const enqueue = <T>(t: FluxTargetRef & { kind: AppKind }, work: () => Promise<T>): Promise<T> => {
    const key = targetKey(t);
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    chains.set(key, settled);
    inFlight.add(settled);
    void settled.then(() => {
      inFlight.delete(settled);
      if (chains.get(key) === settled) chains.delete(key);
    });
    return run;
  };

  // ---- the controllers' status sequences ----------------------------------------------------

  async function reconcileHelmRelease(t: FluxTargetRef & { kind: AppKind }, version: string, cause: FluxEvent['cause'], pipeline?: FluxEvent['pipeline']): Promise<FluxEvent> {
    const store = storeOf(t.cluster);
    const ref = storeRef(t);
    const base = { target: t, version, cause, ...(pipeline ? { pipeline } : {}) };
    if (!(await sleep(delayMs))) return { ...base, outcome: 'skipped', reason: 'simulator stopped' };
    let obj = getApp(t);
    if (!obj) return emit({ ...base, outcome: 'skipped', reason: `${t.kind} ${t.namespace}/${t.name} not found on ${t.cluster}` });

    // kustomize-controller applies the new manifest from Git, suspended or not
    const spec = obj.spec as { suspend?: boolean; chart?: { spec?: { version?: string } } };
    if (spec.chart?.spec?.version !== version) obj = store.patch(ref, { spec: { chart: { spec: { version } } } });
    if ((obj.spec as { suspend?: boolean }).suspend) return emit({ ...base, outcome: 'suspended', reason: 'spec.suspend is true' });

    const generation = Number((obj.metadata as { generation?: number }).generation ?? 1);
    let conditions = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).slice();
    let at = timestamp(clock.now());
    conditions = upsertCondition(
      conditions,
      { type: 'Reconciling', status: 'True', reason: 'Progressing', message: `Fresh generation of HelmRelease ${t.namespace}/${t.name}`, observedGeneration: generation },
      at,
    );
    conditions = upsertCondition(conditions, { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: `Running 'upgrade' action with timeout of 5m0s`, observedGeneration: generation }, at);
    store.patchStatus(ref, { conditions, lastAttemptedRevision: version, lastAttemptedGeneration: generation, lastAttemptedReleaseAction: 'upgrade' });

    if (!(await sleep(delayMs))) return { ...base, outcome: 'skipped', reason: 'simulator stopped' };
    obj = getApp(t);
    if (!obj) return emit({ ...base, outcome: 'skipped', reason: `${t.kind} ${t.namespace}/${t.name} was deleted` });
    const status = (obj.status ?? {}) as { conditions?: Condition[]; history?: HelmHistoryEntry[]; failures?: number };
    const history = (status.history ?? []).slice();
    const chartName = (obj.spec as { chart?: { spec?: { chart?: string } } }).chart?.spec?.chart ?? t.name;
    const previous = history[0];
    at = timestamp(clock.now());
    const releaseVersion = (previous?.version ?? 0) + 1;
    const failure = failing.get(targetKey(t));
    const entry: HelmHistoryEntry = {
      name: t.name,
      namespace: t.namespace,
      version: releaseVersion,
      status: failure ? 'failed' : 'deployed',
      chartName,
      chartVersion: version,
      appVersion: version.replace(/^v/, ''),
      configDigest: digestOf(`config:${t.namespace}/${t.name}:${version}`),
      digest: digestOf(`release:${t.namespace}/${t.name}:${releaseVersion}:${version}`),
      firstDeployed: previous?.firstDeployed ?? at,
      lastDeployed: at,
    };
    const older = failure ? history : history.map((h) => (h.status === 'deployed' ? { ...h, status: 'superseded' } : h));
    const nextHistory = [entry, ...older].slice(0, HISTORY_LIMIT);
    conditions = withoutCondition(status.conditions ?? [], 'Reconciling');
    const release = `${t.namespace}/${t.name}.v${releaseVersion}`;
    if (failure) {
      conditions = upsertCondition(conditions, { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: failure, observedGeneration: generation }, at);
      conditions = upsertCondition(conditions, { type: 'Released', status: 'False', reason: 'UpgradeFailed', message: failure, observedGeneration: generation }, at);
      conditions = upsertCondition(conditions, { type: 'Stalled', status: 'True', reason: 'RetriesExceeded', message: 'Failed to upgrade after 1 attempt(s)', observedGeneration: generation }, at);
      store.patchStatus(ref, { conditions, history: nextHistory, observedGeneration: generation, failures: (status.failures ?? 0) + 1, upgradeFailures: 1 });
      return emit({ ...base, outcome: 'failed', reason: failure });
    }
    const message = `Helm upgrade succeeded for release ${release} with chart ${chartName}@${version}`;
    conditions = withoutCondition(conditions, 'Stalled');
    conditions = upsertCondition(conditions, { type: 'Ready', status: 'True', reason: 'UpgradeSucceeded', message, observedGeneration: generation }, at);
    conditions = upsertCondition(conditions, { type: 'Released', status: 'True', reason: 'UpgradeSucceeded', message, observedGeneration: generation }, at);
    store.patchStatus(ref, { conditions, history: nextHistory, observedGeneration: generation, failures: null, upgradeFailures: null, installFailures: null });
    syncPipelineStatus(t, version);
    return emit({ ...base, outcome: 'deployed' });
  }

  async function reconcileKustomization(
    t: FluxTargetRef & { kind: AppKind },
    version: string,
    commit: string | undefined,
    cause: FluxEvent['cause'],
    pipeline?: FluxEvent['pipeline'],
  ): Promise<FluxEvent> {
    const store = storeOf(t.cluster);
    const ref = storeRef(t);
    const base = { target: t, version, cause, ...(pipeline ? { pipeline } : {}) };
    if (!(await sleep(delayMs))) return { ...base, outcome: 'skipped', reason: 'simulator stopped' };
    let obj = getApp(t);
    if (!obj) return emit({ ...base, outcome: 'skipped', reason: `${t.kind} ${t.namespace}/${t.name} not found on ${t.cluster}` });
    if ((obj.spec as { suspend?: boolean }).suspend) return emit({ ...base, outcome: 'suspended', reason: 'spec.suspend is true' });

    // Branch-tracking Kustomizations report the branch and the new commit; tag-tracking ones the tag.
    const current = String((obj.status as { lastAppliedRevision?: string } | undefined)?.lastAppliedRevision ?? '');
    const currentRef = current.includes('@') ? current.slice(0, current.indexOf('@')) : '';
    const followsBranch = currentRef !== '' && !/^v?\d/.test(currentRef);
    const sha =
      commit && commit !== ZERO_SHA
        ? commit
        : createHash('sha1')
            .update(`${targetKey(t)}:${version}:${clock.now().getTime()}`)
            .digest('hex');
    const revision = `${followsBranch ? currentRef : version}@sha1:${sha}`;

    const generation = Number((obj.metadata as { generation?: number }).generation ?? 1);
    let at = timestamp(clock.now());
    let conditions = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).slice();
    conditions = upsertCondition(
      conditions,
      { type: 'Reconciling', status: 'True', reason: 'Progressing', message: `Building manifests for revision ${revision}`, observedGeneration: generation },
      at,
    );
    conditions = upsertCondition(conditions, { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress', observedGeneration: generation }, at);
    store.patchStatus(ref, { conditions, lastAttemptedRevision: revision });

    if (!(await sleep(delayMs))) return { ...base, outcome: 'skipped', reason: 'simulator stopped' };
    obj = getApp(t);
    if (!obj) return emit({ ...base, outcome: 'skipped', reason: `${t.kind} ${t.namespace}/${t.name} was deleted` });
    at = timestamp(clock.now());
    conditions = withoutCondition(((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).slice(), 'Reconciling');
    const failure = failing.get(targetKey(t));
    if (failure) {
      conditions = upsertCondition(conditions, { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: failure, observedGeneration: generation }, at);
      conditions = upsertCondition(conditions, { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: failure, observedGeneration: generation }, at);
      store.patchStatus(ref, { conditions, observedGeneration: generation });
      return emit({ ...base, outcome: 'failed', reason: failure });
    }
    conditions = upsertCondition(conditions, { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${revision}`, observedGeneration: generation }, at);
    conditions = upsertCondition(conditions, { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed', observedGeneration: generation }, at);
    store.patchStatus(ref, { conditions, lastAppliedRevision: revision, observedGeneration: generation });
    syncPipelineStatus(t, revision);
    return emit({ ...base, outcome: 'deployed' });
  }

  // A store write that throws (object deleted mid-way, a test fault) becomes a reported skip:
  // commit listeners fire-and-forget, so a rejection here would otherwise be unhandled.
  const reconcile = (t: FluxTargetRef & { kind: AppKind }, version: string, cause: FluxEvent['cause'], commit?: string, pipeline?: FluxEvent['pipeline']) =>
    enqueue(t, async (): Promise<FluxEvent> => {
      try {
        return await (t.kind === 'HelmRelease' ? reconcileHelmRelease(t, version, cause, pipeline) : reconcileKustomization(t, version, commit, cause, pipeline));
      } catch (error) {
        const reason = `reconciliation failed: ${error instanceof Error ? error.message : String(error)}`;
        return emit({ target: t, version, cause, ...(pipeline ? { pipeline } : {}), outcome: 'skipped', reason });
      }
    });

  // ---- Pipelines: resolve markers to targets, keep per-target status of newer controllers -----

  const managementStore = (): FluxStore | undefined => (managementName ? clusters.get(managementName) : undefined);

  function targetsOf(p: KubeObject, env: PipelineEnv): (FluxTargetRef & { kind: AppKind })[] | string {
    const spec = p.spec as PipelineSpec;
    const kind = spec.appRef.kind;
    if (kind !== 'HelmRelease' && kind !== 'Kustomization') return `appRef kind ${kind} is not simulated`;
    return (env.targets ?? []).map((target) => ({
      cluster: target.clusterRef?.name ?? managementName ?? '',
      namespace: target.namespace,
      name: spec.appRef.name,
      kind,
    }));
  }

  /** Newer pipeline-controllers report per-target revisions; keep them true where a Pipeline has them. */
  function syncPipelineStatus(t: FluxTargetRef & { kind: AppKind }, revision: string): void {
    const store = managementStore();
    if (!store) return;
    for (const p of store.list(PIPELINE_GROUP, 'Pipeline')) {
      const spec = p.spec as PipelineSpec;
      if (spec.appRef?.name !== t.name || spec.appRef.kind !== t.kind) continue;
      const envStatuses = (
        p.status as
          | {
              environments?: Record<
                string,
                { targets?: { clusterAppRef: { clusterRef?: { name: string } }; ready: boolean; revision?: string; error?: string }[]; waitingApproval?: { revision: string } }
              >;
            }
          | undefined
      )?.environments;
      if (!envStatuses) continue;
      let changed = false;
      const next: Record<string, unknown> = {};
      for (const env of spec.environments ?? []) {
        const envStatus = envStatuses[env.name];
        if (!envStatus) continue;
        const targets = env.targets ?? [];
        const hit = targets.findIndex((x) => x.namespace === t.namespace && (x.clusterRef?.name ?? managementName) === t.cluster);
        if (hit < 0) continue;
        const patchEnv: Record<string, unknown> = {};
        if (envStatus.targets?.[hit]) {
          patchEnv.targets = envStatus.targets.map((s, i) => (i === hit ? { ...s, ready: true, revision, error: undefined } : s)).map((s) => JSON.parse(JSON.stringify(s)) as unknown);
        }
        // an approval for the version that just arrived is used up
        if (envStatus.waitingApproval && envStatus.waitingApproval.revision === revision) patchEnv.waitingApproval = null;
        if (Object.keys(patchEnv).length > 0) {
          next[env.name] = patchEnv;
          changed = true;
        }
      }
      if (changed) store.patchStatus({ apiVersion: PIPELINE_GROUP, kind: 'Pipeline', namespace: p.metadata.namespace ?? '', name: p.metadata.name }, { environments: next });
    }
  }

  function handleCommit(event: FluxCommitEvent): MarkerChange[] {
    if (stopped || event.before === ZERO_SHA || event.after === ZERO_SHA) return [];
    const changes = promotionsFromChangedFiles(event.changedFiles);
    const store = managementStore();
    for (const change of changes) {
      const p = store?.get(PIPELINE_GROUP, 'Pipeline', change.namespace, change.name);
      if (!p) {
        skip(change, `no Pipeline ${change.namespace}/${change.name} on ${managementName}`);
        continue;
      }
      const spec = p.spec as PipelineSpec;
      const envs = (spec.environments ?? []).filter((e) => e.name === change.env);
      if (envs.length === 0) skip(change, `Pipeline ${change.namespace}/${change.name} has no environment ${change.env}`);
      for (const env of envs) {
        const strategy = env.promotion?.strategy ?? spec.promotion?.strategy;
        const pr = strategy?.['pull-request'] as { url?: string; baseBranch?: string } | undefined;
        const branch = pr?.baseBranch ?? defaultBranch;
        if (branch !== event.branch) {
          skip(change, `commit on ${event.branch}, Flux follows ${branch}`);
          continue;
        }
        if (
          pr?.url &&
          !pr.url
            .replace(/\.git$/, '')
            .toLowerCase()
            .endsWith(`/${event.repo.toLowerCase()}`)
        ) {
          skip(change, `Pipeline promotes through ${pr.url}, not ${event.repo}`);
          continue;
        }
        const targets = targetsOf(p, env);
        if (typeof targets === 'string') {
          skip(change, targets);
          continue;
        }
        for (const t of targets) {
          if (!clusters.has(t.cluster)) {
            skip(change, `target cluster ${t.cluster} is not part of the sandbox`);
            continue;
          }
          void reconcile(t, change.to, 'commit', event.after, { namespace: change.namespace, name: change.name, env: env.name });
        }
      }
    }
    return changes;
  }

  // ---- deletion: the controllers clean up, then drop their finalizer --------------------------

  /** Removes the Flux finalizer from an object being deleted, a step later (the object then goes). */
  const finalize = (cluster: string, kind: AppKind, obj: KubeObject): void => {
    const t = { cluster, kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name };
    void enqueue(t, async () => {
      if (!(await sleep(delayMs))) return;
      const current = getApp(t);
      const finalizers = (current?.metadata.finalizers as string[] | undefined) ?? [];
      if (!current || !finalizers.includes(FLUX_FINALIZER)) return;
      try {
        storeOf(cluster).patch(storeRef(t), { metadata: { finalizers: finalizers.filter((f) => f !== FLUX_FINALIZER) } });
      } catch {
        // gone meanwhile: nothing left to clean up
      }
    });
  };
  const unsubscribeDeletions = options.clusters.flatMap(({ name, store }) =>
    (['HelmRelease', 'Kustomization'] as const).map((kind) =>
      store.subscribe?.(`${groupOf(kind)}/${kind.toLowerCase()}s`, (event) => {
        const meta = event.entry.obj.metadata;
        if (event.type === 'MODIFIED' && typeof meta.deletionTimestamp === 'string' && ((meta.finalizers as string[] | undefined) ?? []).includes(FLUX_FINALIZER)) {
          finalize(name, kind, event.entry.obj);
        }
      }),
    ),
  );

  const unsubscribe = options.forge?.onCommit((event) => {
    handleCommit(event);
  });

  return {
    setTargetFailing(ref, message) {
      const t = fullRef(ref);
      const key = targetKey(t);
      const obj = getApp(t);
      if (message === null) {
        failing.delete(key);
        if (!obj) return;
        const at = timestamp(clock.now());
        let conditions = withoutCondition(((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).slice(), 'Stalled');
        const version =
          t.kind === 'HelmRelease'
            ? ((obj.status as { history?: HelmHistoryEntry[] }).history?.find((h) => h.status === 'deployed')?.chartVersion ?? '')
            : String((obj.status as { lastAppliedRevision?: string }).lastAppliedRevision ?? '');
        const msg = t.kind === 'HelmRelease' ? `Helm release ${t.namespace}/${t.name} is healthy with chart ${t.name}@${version}` : `Applied revision: ${version}`;
        conditions = upsertCondition(conditions, { type: 'Ready', status: 'True', reason: t.kind === 'HelmRelease' ? 'UpgradeSucceeded' : 'ReconciliationSucceeded', message: msg }, at);
        if (t.kind === 'Kustomization') conditions = upsertCondition(conditions, { type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed' }, at);
        storeOf(t.cluster).patchStatus(storeRef(t), { conditions });
        return;
      }
      failing.set(key, message);
      if (!obj) return;
      const at = timestamp(clock.now());
      let conditions = ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).slice();
      conditions = upsertCondition(conditions, { type: 'Ready', status: 'False', reason: t.kind === 'HelmRelease' ? 'UpgradeFailed' : 'HealthCheckFailed', message }, at);
      if (t.kind === 'Kustomization') conditions = upsertCondition(conditions, { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message }, at);
      storeOf(t.cluster).patchStatus(storeRef(t), { conditions });
    },

    suspendTarget(ref, suspended) {
      const t = fullRef(ref);
      const obj = getApp(t);
      if (!obj) throw new Error(`flux simulator: ${t.kind} ${t.namespace}/${t.name} not found on ${t.cluster}`);
      storeOf(t.cluster).patch(storeRef(t), { spec: { suspend: suspended ? true : null } });
      if (suspended || t.kind !== 'HelmRelease') return;
      // resuming: the controller catches up with what Git asked for while it was suspended
      const wanted = (obj.spec as { chart?: { spec?: { version?: string } } }).chart?.spec?.version;
      const deployedVersion = (obj.status as { history?: HelmHistoryEntry[] } | undefined)?.history?.find((h) => h.status === 'deployed')?.chartVersion;
      if (wanted && wanted !== deployedVersion) void reconcile(t, wanted, 'resume');
    },

    setVersion(ref, version) {
      return reconcile(fullRef(ref), version, 'set-version');
    },

    handleCommit,

    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },

    onSkip(listener) {
      skipListeners.add(listener);
      return () => skipListeners.delete(listener);
    },

    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe?.();
      for (const off of unsubscribeDeletions) off?.();
      for (const [handle, cancel] of timers) {
        clock.clearTimeout(handle);
        cancel();
      }
      timers.clear();
    },
  };
}

/** A clock that only moves when told to: deterministic tests of the delayed sequences. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order and letting their follow-up work schedule more. */
  advance(ms: number): Promise<void>;
  pendingTimers(): number;
}

/** `start` is required: a test pins it to the same instant its seed was built for. */
export function manualClock(start: Date): ManualClock {
  let now = start.getTime();
  let seq = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => new Date(now),
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { due: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    pendingTimers: () => timers.size,
    async advance(ms) {
      const until = now + ms;
      await flush();
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.due <= until).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].due);
        due[1].fn();
        await flush();
      }
      now = until;
    },
  };
}
