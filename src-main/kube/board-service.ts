// The board's data plane: owns one ResourceWatch per (cluster, kind), the board model
// built from them, and the stream of compact changes the renderer receives. Pipelines and
// GitopsClusters are watched on the management clusters; HelmReleases/Kustomizations on
// every cluster a target lives on, started on demand; contexts and watches no target uses any
// more are stopped. The first load starts every list it can as early as it can (GitopsCluster
// contexts are discovered while Pipelines load, workload lists start from the Pipelines' targets
// before any row is built) and builds the rows once, when those lists are in. After that a
// change rebuilds only the rows that read it (dependency index from buildPipelineRow), batched
// over a short window.
//
// A GitopsCluster no kubeconfig context maps to can, when the user opted in
// (gitopsClusterSecrets), be reached through its kubeconfig Secret, read with the management
// context's credentials: one get when a target first needs it, again on reload(), when the
// GitopsCluster object changes, and on a 401 from that cluster (rotated credentials).
//
// Security model: kubeconfig credentials stay inside the KubeConfig objects held here;
// the snapshot and changes carry names, versions and states only. A Secret-backed cluster
// shows as its GitopsCluster name and the label "via GitopsCluster Secret ns/name".

import { KubeConfig } from '@kubernetes/client-node';
import type { BoardChange, BoardSnapshot, ClusterState, KubeconfigStatus, PipelineRow, Problem } from '../common/board';
import type { AppError, Result } from '../common/result';
import {
  buildPipelineRow,
  collectWatchNeeds,
  createRowContext,
  depKey,
  gitopsClusterNotReady,
  prepareWorkloadReading,
  type BoardInput,
  type GitopsClusterRef,
  type WatchNeed,
  type WorkloadCollection,
} from '../pipelines/build-board';
import type { OpenPullRequest } from '../pipelines/promotion-rules';
import type { Logger } from '../log/logger';
import { describeKubeError, toKubeRequestError, type KubeRequestError } from './errors';
import { watchFiles } from './file-watch';
import { gitopsClusterSecretRef, readGitopsClusterKubeconfig, type SecretReadResult } from './gitops-cluster-secret';
import { BOARD_RESOURCES, createKubeTransport, discoverServedGroups, type BoardKind, type ResourceType } from './kube-transport';
import type { LoadedKubeconfig } from './kubeconfig';
import type { CacheChange, ListWatchTransport } from './list-watch';
import { ResourceWatch } from './resource-watch';

export interface BoardServiceOptions {
  loadKubeconfig: () => Result<LoadedKubeconfig>;
  /** Contexts holding Pipelines; default: the kubeconfig's current context. */
  managementContexts?: string[];
  /**
   * Namespaces to watch Pipelines in when listing them cluster-wide is forbidden; default:
   * the management context's own namespace, if it sets one.
   */
  pipelineNamespaces?: string[];
  /** GitopsCluster → context, keyed "mgmtContext/ns/name", "ns/name" or "name". */
  contextOverrides?: Record<string, string>;
  createTransport?: (kc: KubeConfig, resource: ResourceType) => ListWatchTransport;
  discover?: (kc: KubeConfig) => Promise<Map<string, string[]>>;
  /** Reload when the kubeconfig files change (default true). */
  watchKubeconfig?: boolean;
  kubeconfigDebounceMs?: number;
  /** Files to watch when loading fails (e.g. kubeconfigLocation().paths), so creating one recovers. */
  expectedKubeconfigPaths?: string[];
  batchMs?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  now?: () => Date;
  /**
   * Whether the user allows reading a GitopsCluster's kubeconfig Secret (through the
   * management context) when no kubeconfig context maps to that GitopsCluster. Read at each
   * mapping decision; call reload() after it changes. Default: never.
   */
  gitopsClusterSecrets?: () => boolean;
  /** Diagnostics (names and states only, never Secret content). */
  logger?: Logger;
  /** Reads a GitopsCluster's Secret; tests replace it. */
  readGitopsClusterSecret?: typeof readGitopsClusterKubeconfig;
}

export interface BoardService {
  snapshot(): BoardSnapshot;
  subscribe(listener: (change: BoardChange) => void): () => void;
  /** Open promotion PRs from the git layer; replaces the previous list. */
  setOpenPullRequests(prs: readonly OpenPullRequest[]): void;
  /** Re-reads the kubeconfig (also done automatically when its files change). */
  reload(): void;
  /** The kubeconfig problem, when loading failed. */
  kubeconfigError(): AppError | undefined;
  /** Replaces the user's GitopsCluster → context mapping (same keys as the option). */
  setContextOverrides(overrides: Record<string, string>): void;
  stop(): Promise<void>;
}

interface ContextRuntime {
  name: string;
  kc: KubeConfig;
  fingerprint: string;
  served?: Map<string, string[]>;
  discoveryError?: KubeRequestError;
  discoveryTimer?: NodeJS.Timeout;
  discoveryFailures: number;
  watches: Map<BoardKind, ResourceWatch>;
  stopped: boolean;
  /** Discovered ahead of need during the initial load; not on the board until a target uses it. */
  prefetched?: boolean;
  /** Reached through a GitopsCluster's kubeconfig Secret: the GitopsCluster's name. */
  secretCluster?: string;
}

/** What is known about reaching one GitopsCluster through its kubeconfig Secret. */
interface SecretMapping {
  /** "mgmtContext/ns/name" of the GitopsCluster. */
  key: string;
  managementContext: string;
  clusterName: string;
  secretNamespace: string;
  secretName: string;
  keys: readonly string[];
  /** The runtime (pseudo-context) name, also the label the board shows. */
  label: string;
  /** The GitopsCluster object it was read for: a replaced object means "read again". */
  gitopsCluster: unknown;
  status: 'pending' | 'ready' | 'failed';
  /** A read in flight; results of older generations are dropped. */
  generation: number;
  inFlight: boolean;
  kc?: KubeConfig;
  fingerprint?: string;
  failure?: { state: ClusterState['state']; message: string; problem: Problem };
  failures: number;
  retryTimer?: NodeJS.Timeout;
  refreshedAt: number;
}

interface RowEntry {
  row: PipelineRow;
  deps: Set<string>;
  needs: WatchNeed[];
  unmapped: string[];
}

const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['HelmRelease', 'Kustomization']);

/**
 * The first full build waits for every list the board needs (discovery, Pipelines,
 * GitopsClusters, then the workloads those Pipelines name) so rows are built once instead of
 * once per arriving list; building 1,000+ rows is the costliest step of a load. A cluster that
 * is slow to answer must not keep the board blank: the wait ends when nothing has answered for
 * INITIAL_HOLD_QUIET_MS (a stuck cluster), and after INITIAL_HOLD_MAX_MS in any case. Large
 * fleets keep answering, so they are not cut into a partial build and a rebuild.
 */
const INITIAL_HOLD_QUIET_MS = 1_500;
const INITIAL_HOLD_MAX_MS = 5_000;
/**
 * Work done while the initial load is held (reading Pipelines for the lists they need, reading
 * workloads that arrived) runs in slices of this long, so a large list being parsed does not
 * keep other clusters' requests from going out.
 */
const HOLD_SLICE_MS = 12;

function contextFingerprint(kc: KubeConfig): string {
  return JSON.stringify([kc.getCurrentCluster(), kc.getCurrentUser()]);
}

export function createBoardService(opts: BoardServiceOptions): BoardService {
  const now = opts.now ?? (() => new Date());
  const batchMs = opts.batchMs ?? 30;
  const createTransport = opts.createTransport ?? createKubeTransport;
  const discover = opts.discover ?? discoverServedGroups;
  const listeners = new Set<(change: BoardChange) => void>();
  const runtimes = new Map<string, ContextRuntime>();
  const rows = new Map<string, RowEntry>(); // key: `${mgmt}|${ns/name}`
  const depIndex = new Map<string, Set<string>>();
  let prs: readonly OpenPullRequest[] = [];
  let overrides: Record<string, string> = { ...(opts.contextOverrides ?? {}) };
  let kubeconfigStatus: KubeconfigStatus | undefined;
  let kubeconfigChanged = false;
  let loaded: LoadedKubeconfig | undefined;
  let loadError: AppError | undefined;
  let managementContexts: string[] = [];
  let clusters: ClusterState[] = [];
  let stopped = false;
  let stopFileWatch: (() => void) | undefined;
  let watchedFiles = '';

  const dirtyRows = new Set<string>();
  const startedAt = Date.now();
  /** Last time a discovery or list answered during the initial load. */
  let lastAnswerAt = startedAt;
  let initialLoad = true;
  let holdTimer: NodeJS.Timeout | undefined;
  let dirtyAll = false;
  let clustersDirty = true;
  let watchesDirty = false;
  let flushTimer: NodeJS.Timeout | undefined;

  function schedule(): void {
    if (stopped || flushTimer) return;
    // While the initial load is held nothing is built, so batching would only add latency
    // between one list arriving and the next one being started.
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flush();
    }, initialLoad ? 0 : batchMs);
  }

  function markDep(key: string): void {
    const set = depIndex.get(key);
    if (set) for (const r of set) dirtyRows.add(r);
  }

  // ---- context runtimes -------------------------------------------------------------

  /** The context's fingerprint; a context that may not be used yet has one that changes once it may. */
  function fingerprintOf(source: LoadedKubeconfig, name: string): string {
    try {
      return contextFingerprint(source.forContext(name));
    } catch (e) {
      return `blocked:${(e as Error).message}`;
    }
  }

  function ensureRuntime(name: string, prefetch = false): ContextRuntime | undefined {
    const existing = runtimes.get(name);
    if (existing) {
      if (!prefetch && existing.prefetched) {
        delete existing.prefetched;
        clustersDirty = true;
      }
      return existing;
    }
    const viaSecret = secretsByLabel.get(name);
    let rt: ContextRuntime;
    if (viaSecret) {
      if (viaSecret.status !== 'ready' || !viaSecret.kc) return undefined;
      rt = { name, kc: viaSecret.kc, fingerprint: viaSecret.fingerprint ?? '', discoveryFailures: 0, watches: new Map(), stopped: false, secretCluster: viaSecret.clusterName };
    } else {
      if (!loaded || !loaded.contexts.some((c) => c.name === name)) return undefined;
      let kc: KubeConfig;
      try {
        kc = loaded.forContext(name);
      } catch (e) {
        // The context may not be used yet (its credential plugin waits for the user's approval):
        // show why, with an empty KubeConfig that can reach nothing, and never retry on our own.
        rt = { name, kc: new KubeConfig(), fingerprint: `blocked:${(e as Error).message}`, discoveryFailures: 0, watches: new Map(), stopped: false, discoveryError: toKubeRequestError(e) };
        runtimes.set(name, rt);
        clustersDirty = true;
        markDep(depKey.cluster(name));
        schedule();
        return rt;
      }
      rt = { name, kc, fingerprint: contextFingerprint(kc), discoveryFailures: 0, watches: new Map(), stopped: false };
    }
    if (prefetch) rt.prefetched = true;
    runtimes.set(name, rt);
    void runDiscovery(rt);
    return rt;
  }

  async function runDiscovery(rt: ContextRuntime): Promise<void> {
    try {
      const served = await discover(rt.kc);
      if (rt.stopped) return;
      rt.served = served;
      delete rt.discoveryError;
      rt.discoveryFailures = 0;
      if (managementContexts.includes(rt.name)) {
        const own = loaded?.contexts.find((c) => c.name === rt.name)?.namespace;
        const namespaces = opts.pipelineNamespaces ?? (own ? [own] : []);
        // GitopsClusters first: their small list lets remote discovery start (see
        // prefetchGitopsClusterContexts) while the Pipelines are still on the wire.
        ensureWatch(rt, 'GitopsCluster', namespaces.length > 0 ? new Set(namespaces) : undefined);
        ensureWatch(rt, 'Pipeline', namespaces.length > 0 ? new Set(namespaces) : undefined);
      }
      if (initialLoad) startSpeculativeWorkloadList(rt);
      dirtyAll = true; // served versions feed every row's appRef check
      watchesDirty = true;
    } catch (e) {
      if (rt.stopped) return;
      rt.discoveryError = toKubeRequestError(e);
      rt.discoveryFailures += 1;
      const initial = opts.backoff?.initialMs ?? 500;
      const max = opts.backoff?.maxMs ?? 30_000;
      const cap = Math.min(max, initial * 2 ** Math.min(rt.discoveryFailures - 1, 20));
      rt.discoveryTimer = setTimeout(() => void runDiscovery(rt), cap / 2 + Math.random() * (cap / 2));
    }
    lastAnswerAt = Date.now();
    clustersDirty = true;
    markDep(depKey.cluster(rt.name));
    schedule();
  }

  /**
   * During the initial load, a cluster's HelmRelease list starts as soon as its discovery
   * answered instead of after the Pipelines naming it were received and parsed: lists then
   * travel in parallel (the Pipelines → HelmReleases chain was most of the gap to fetching the
   * same URLs at once). HelmRelease is the kind Pipelines' appRefs name; a list no target
   * turns out to need is stopped by pruneUnneeded after the first build, and the namespaces
   * for a 403 fallback arrive with the needs.
   */
  function startSpeculativeWorkloadList(rt: ContextRuntime): void {
    if (rt.served?.has(BOARD_RESOURCES.HelmRelease.group)) ensureWatch(rt, 'HelmRelease');
  }

  function ensureWatch(rt: ContextRuntime, kind: BoardKind, namespaces?: Set<string>): ResourceWatch | undefined {
    const existing = rt.watches.get(kind);
    if (existing) {
      if (namespaces) existing.setNamespaces(namespaces);
      return existing;
    }
    const res = BOARD_RESOURCES[kind];
    const version = rt.served?.get(res.group)?.[0];
    if (!version) return undefined;
    const transport = createTransport(rt.kc, { ...res, version });
    const watch = new ResourceWatch({
      transport,
      // Workloads: the namespaces targets name. Pipelines: only when we were told where to look.
      namespacedFallback: WORKLOAD_KINDS.has(kind) || (namespaces !== undefined && namespaces.size > 0),
      ...(namespaces ? { namespaces } : {}),
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
      now,
      onChange: (changes) => onWatchChange(rt.name, kind, changes),
      onStateChange: () => {
        lastAnswerAt = Date.now();
        if (rt.watches.get(kind)?.state().error?.status === 401) renewCredentials(rt);
        clustersDirty = true;
        markDep(depKey.cluster(rt.name));
        markDep(depKey.collection(rt.name, kind));
        if (kind === 'Pipeline' || kind === 'GitopsCluster') dirtyAll = true;
        schedule();
      },
    });
    rt.watches.set(kind, watch);
    return watch;
  }

  /**
   * client-node caches an exec plugin's token until its expirationTimestamp, or forever
   * without one; kubectl runs the plugin again on 401. Recreating the context's KubeConfig
   * (at most every 30 s) does the same.
   */
  const renewedAt = new Map<string, number>();
  function renewCredentials(rt: ContextRuntime): void {
    if (rt.secretCluster) {
      const mapping = secretsByLabel.get(rt.name);
      // The Secret may have been rotated: read it again (at most every 30 s).
      if (mapping && !mapping.inFlight && Date.now() - mapping.refreshedAt >= 30_000) readSecret(mapping);
      return;
    }
    if (rt.stopped || loaded?.contexts.find((c) => c.name === rt.name)?.authKind !== 'exec') return;
    const last = renewedAt.get(rt.name) ?? 0;
    if (Date.now() - last < 30_000) return;
    renewedAt.set(rt.name, Date.now());
    setTimeout(() => {
      if (stopped || runtimes.get(rt.name) !== rt) return;
      runtimes.delete(rt.name);
      void stopRuntime(rt);
      ensureRuntime(rt.name);
      watchesDirty = true;
      dirtyAll = true;
      schedule();
    }, 0);
  }

  function onWatchChange(context: string, kind: BoardKind, changes: CacheChange[]): void {
    if (kind === 'Pipeline') {
      for (const c of changes) dirtyRows.add(`${context}|${c.key}`);
    } else if (kind === 'GitopsCluster') {
      for (const c of changes) markDep(`g|${context}|${c.key}`);
    } else {
      for (const c of changes) markDep(`w|${context}|${kind}|${c.key}`);
    }
    schedule();
  }

  async function stopRuntime(rt: ContextRuntime): Promise<void> {
    rt.stopped = true;
    if (rt.discoveryTimer) clearTimeout(rt.discoveryTimer);
    await Promise.all([...rt.watches.values()].map((w) => w.stop()));
  }

  // ---- cluster states ------------------------------------------------------------------

  function clusterStateOf(rt: ContextRuntime): ClusterState {
    const base = { name: rt.secretCluster ?? rt.name, context: rt.name };
    if (rt.discoveryError) return { ...base, ...errorState(rt.discoveryError) };
    if (!rt.served) return { ...base, state: 'connecting' };
    if (managementContexts.includes(rt.name) && !rt.served.has(BOARD_RESOURCES.Pipeline.group)) {
      return { ...base, state: 'no-crd', message: 'pipelines.weave.works is not served: the Weave GitOps Pipelines CRD is not installed' };
    }
    let staleSince: string | undefined;
    let connecting = false;
    let failure: KubeRequestError | undefined;
    for (const w of rt.watches.values()) {
      const s = w.state();
      if (s.synced && s.staleSince) {
        if (!staleSince || s.staleSince < staleSince) staleSince = s.staleSince;
      } else if (!s.synced) {
        if (s.error) failure ??= s.error;
        else connecting = true;
      }
    }
    if (failure) return { ...base, ...errorState(failure) };
    if (staleSince) return { ...base, state: 'stale', staleSince, message: 'Connection lost; showing the last known state' };
    if (connecting) return { ...base, state: 'connecting' };
    return { ...base, state: 'connected' };
  }

  function errorState(e: KubeRequestError): Pick<ClusterState, 'state' | 'message'> {
    if (e.status === 401 || e.status === 403) return { state: 'forbidden', message: describeKubeError(e) };
    if (e.status === 404) return { state: 'no-crd', message: describeKubeError(e) };
    return { state: 'unreachable', message: describeKubeError(e) };
  }

  // ---- rows ----------------------------------------------------------------------------

  function contextForCluster(ref: GitopsClusterRef): string | undefined {
    return mapCluster(ref, true);
  }
  function mapWithoutReading(ref: GitopsClusterRef): string | undefined {
    return mapCluster(ref, false);
  }
  function mapCluster(ref: GitopsClusterRef, readSecrets: boolean): string | undefined {
    const o = overrides;
    // Own keys only: a GitopsCluster named "constructor" must not map to Object.prototype's.
    const own = (k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);
    const override = hasOverrides ? (own(`${ref.managementContext}/${ref.namespace}/${ref.name}`) ?? own(`${ref.namespace}/${ref.name}`) ?? own(ref.name)) : undefined;
    if (override) return override;
    if (contextNames.has(ref.name)) return ref.name;
    return secretsAllowed() ? secretContext(ref, readSecrets) : undefined;
  }

  // ---- GitopsCluster kubeconfig Secrets (opt-in) -------------------------------------------

  /** By GitopsCluster key "mgmt/ns/name". */
  const secretMappings = new Map<string, SecretMapping>();
  /** By label (the runtime name). */
  const secretsByLabel = new Map<string, SecretMapping>();
  const readSecretKubeconfig = opts.readGitopsClusterSecret ?? readGitopsClusterKubeconfig;

  function secretsAllowed(): boolean {
    try {
      return opts.gitopsClusterSecrets?.() === true;
    } catch {
      return false;
    }
  }

  function gitopsClusterObject(ref: GitopsClusterRef): unknown {
    const w = runtimes.get(ref.managementContext)?.watches.get('GitopsCluster');
    return w?.state().synced ? w.items.get(`${ref.namespace}/${ref.name}`) : undefined;
  }

  /**
   * The Secret-backed context for a GitopsCluster no context maps to: its label once the
   * Secret was read, undefined while it is read or when it cannot be. `read` false only
   * consults what is known (the early prefetch must not read Secrets no target uses).
   */
  function secretContext(ref: GitopsClusterRef, read: boolean): string | undefined {
    const gc = gitopsClusterObject(ref);
    if (gc === undefined) return undefined; // missing or not listed yet: the row says so
    const key = `${ref.managementContext}/${ref.namespace}/${ref.name}`;
    let mapping = secretMappings.get(key);
    const want = gitopsClusterSecretRef(gc, ref.namespace);
    const moved = typeof want === 'string' ? mapping?.secretName !== '' : mapping?.secretNamespace !== want.namespace || mapping?.secretName !== want.name;
    if (mapping && moved) {
      dropSecretMapping(mapping); // the GitopsCluster now names another Secret (or none)
      mapping = undefined;
    }
    if (!mapping) {
      if (!read) return undefined;
      mapping = createSecretMapping(key, ref, gc, want);
    } else if (read && mapping.gitopsCluster !== gc && !mapping.inFlight) {
      // Informer objects are replaced on change: e.g. the Secret was created and the
      // GitopsCluster turned Ready, or its status moved on. Read the Secret again.
      mapping.gitopsCluster = gc;
      if (mapping.secretName) readSecret(mapping);
    }
    return mapping.status === 'ready' ? mapping.label : undefined;
  }

  function createSecretMapping(key: string, ref: GitopsClusterRef, gc: unknown, want: ReturnType<typeof gitopsClusterSecretRef>): SecretMapping {
    const secret = typeof want === 'string' ? { namespace: ref.namespace, name: '', keys: [] } : want;
    const where = `${secret.namespace}/${secret.name}`;
    const label = `via GitopsCluster Secret ${where}${managementContexts.length > 1 ? ` on ${ref.managementContext}` : ''}`;
    const mapping: SecretMapping = {
      key,
      managementContext: ref.managementContext,
      clusterName: ref.name,
      secretNamespace: secret.namespace,
      secretName: secret.name,
      keys: secret.keys,
      label,
      gitopsCluster: gc,
      status: 'pending',
      generation: 0,
      inFlight: false,
      failures: 0,
      refreshedAt: 0,
    };
    secretMappings.set(key, mapping);
    if (typeof want === 'string') {
      setSecretFailure(mapping, 'no-context', `GitopsCluster ${ref.namespace}/${ref.name} cannot be reached through a Secret: ${want}`, {
        code: 'gitops-cluster-secret-missing',
        hint: `Add a kubeconfig context for "${ref.name}" or map one in Settings.`,
      });
      return mapping;
    }
    secretsByLabel.set(label, mapping);
    readSecret(mapping);
    return mapping;
  }

  function dropSecretMapping(mapping: SecretMapping): void {
    mapping.generation += 1;
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    secretMappings.delete(mapping.key);
    if (secretsByLabel.get(mapping.label) === mapping) secretsByLabel.delete(mapping.label);
    delete mapping.kc;
    const rt = runtimes.get(mapping.label);
    if (rt?.secretCluster) {
      runtimes.delete(rt.name);
      void stopRuntime(rt);
    }
  }

  function setSecretFailure(mapping: SecretMapping, state: ClusterState['state'], message: string, problem: { code: string; hint: string }): void {
    mapping.status = 'failed';
    delete mapping.kc;
    delete mapping.fingerprint;
    mapping.failure = { state, message, problem: { code: problem.code, message, hint: problem.hint } };
  }

  function readSecret(mapping: SecretMapping): void {
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    delete mapping.retryTimer;
    const mgmt = runtimes.get(mapping.managementContext);
    if (!mgmt) return; // the management context went away: applyKubeconfig drops the mapping
    const generation = ++mapping.generation;
    mapping.inFlight = true;
    mapping.refreshedAt = Date.now();
    const where = `${mapping.secretNamespace}/${mapping.secretName}`;
    opts.logger?.debug('board', `reading kubeconfig Secret ${where} for GitopsCluster ${mapping.clusterName}`);
    readSecretKubeconfig(mgmt.kc, { namespace: mapping.secretNamespace, name: mapping.secretName, keys: mapping.keys })
      .catch((e: unknown): SecretReadResult => ({ ok: false, kind: 'failed', error: toKubeRequestError(e) }))
      .then((result) => {
        if (stopped || mapping.generation !== generation || secretMappings.get(mapping.key) !== mapping) return;
        mapping.inFlight = false;
        applySecretResult(mapping, result);
        lastAnswerAt = Date.now();
        needsCache = new WeakMap();
        dirtyAll = true;
        watchesDirty = true;
        clustersDirty = true;
        schedule();
      });
  }

  function applySecretResult(mapping: SecretMapping, result: SecretReadResult): void {
    const where = `${mapping.secretNamespace}/${mapping.secretName}`;
    const name = mapping.clusterName;
    const needed = `needed to reach cluster ${name} through its GitopsCluster`;
    if (result.ok) {
      mapping.failures = 0;
      delete mapping.failure;
      const changed = mapping.fingerprint !== result.value.fingerprint;
      mapping.status = 'ready';
      mapping.kc = result.value.kc;
      mapping.fingerprint = result.value.fingerprint;
      if (changed) {
        // New credentials or server: reconnect with them.
        const rt = runtimes.get(mapping.label);
        if (rt?.secretCluster) {
          runtimes.delete(rt.name);
          void stopRuntime(rt);
        }
        opts.logger?.info('board', `cluster ${name} is reached through kubeconfig Secret ${where}`);
      }
      return;
    }
    if (result.kind === 'failed' && mapping.status === 'ready') {
      // A re-read that did not get an answer: keep the connection we have, try again later.
      scheduleSecretRetry(mapping);
      return;
    }
    const hadRuntime = runtimes.get(mapping.label);
    if (hadRuntime?.secretCluster) {
      runtimes.delete(hadRuntime.name);
      void stopRuntime(hadRuntime);
    }
    const addContext = `Add a kubeconfig context for "${name}" (or map one in Settings)`;
    switch (result.kind) {
      case 'forbidden':
        setSecretFailure(mapping, 'forbidden', `you may not read Secret ${where} (${needed})`, {
          code: 'gitops-cluster-secret-forbidden',
          hint: `${addContext}, or ask for RBAC to get Secret ${where} on ${mapping.managementContext}.`,
        });
        break;
      case 'missing':
        setSecretFailure(mapping, 'no-context', `kubeconfig Secret ${where} does not exist (${needed})`, {
          code: 'gitops-cluster-secret-missing',
          hint: `${addContext}, or create the Secret the GitopsCluster names.`,
        });
        break;
      case 'malformed':
        setSecretFailure(mapping, 'no-context', `Secret ${where} holds no usable kubeconfig (${needed}): ${result.reason}`, {
          code: 'gitops-cluster-secret-malformed',
          hint: `${addContext}, or fix the kubeconfig in the Secret.`,
        });
        break;
      default: {
        // The management cluster did not answer: try again with backoff.
        setSecretFailure(mapping, 'unreachable', `Could not read Secret ${where} (${needed}): ${describeKubeError(result.error)}`, {
          code: 'gitops-cluster-secret-unreadable',
          hint: `${addContext}, or check the connection to ${mapping.managementContext}.`,
        });
        scheduleSecretRetry(mapping);
      }
    }
    opts.logger?.warn('board', `cluster ${name}: ${mapping.failure?.message ?? ''}`);
  }

  function scheduleSecretRetry(mapping: SecretMapping): void {
    mapping.failures += 1;
    const initial = opts.backoff?.initialMs ?? 500;
    const max = opts.backoff?.maxMs ?? 30_000;
    const cap = Math.min(max, initial * 2 ** Math.min(mapping.failures - 1, 20));
    if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
    mapping.retryTimer = setTimeout(() => {
      if (!stopped && secretMappings.get(mapping.key) === mapping) readSecret(mapping);
    }, cap / 2 + Math.random() * (cap / 2));
  }

  /** Why a target on an unmapped GitopsCluster has no context (for its cell and the cluster). */
  function unmappedCellReason(ref: GitopsClusterRef): { message: string; problem?: Problem } | undefined {
    if (!secretsAllowed()) {
      return {
        message: `No kubeconfig context for cluster ${ref.name}`,
        problem: {
          code: 'cluster-unmapped',
          message: `No kubeconfig context matches GitopsCluster ${ref.name}`,
          hint: `Add a kubeconfig context named "${ref.name}", map one in Settings, or allow Release Board to use the GitopsCluster's kubeconfig Secret in Settings.`,
        },
      };
    }
    const mapping = secretMappings.get(`${ref.managementContext}/${ref.namespace}/${ref.name}`);
    return mapping ? mappingReason(mapping) : undefined;
  }

  function mappingReason(mapping: SecretMapping): { state: ClusterState['state']; message: string; problem?: Problem } | undefined {
    if (mapping.status === 'pending') return { state: 'connecting', message: `Reading kubeconfig Secret ${mapping.secretNamespace}/${mapping.secretName}…` };
    if (mapping.status === 'failed' && mapping.failure) return mapping.failure;
    return undefined;
  }

  /** Stops and forgets every mapping no longer allowed, for a management context gone, or no target uses. */
  function pruneSecretMappings(keepUsed: boolean): void {
    for (const mapping of [...secretMappings.values()]) {
      const gcKey = mapping.key.slice(mapping.managementContext.length + 1);
      const used = depIndex.has(`g|${mapping.managementContext}|${gcKey}`);
      if (!keepUsed || !secretsAllowed() || !managementContexts.includes(mapping.managementContext) || !used) dropSecretMapping(mapping);
    }
  }
  /** Called once per target per build: a Set, not a scan of the kubeconfig's contexts. */
  let contextNames: ReadonlySet<string> = new Set();
  let hasOverrides = Object.keys(overrides).length > 0;

  function boardInput(): BoardInput {
    const pipelines = new Map<string, ReadonlyMap<string, unknown>>();
    const gitopsClusters = new Map<string, ReadonlyMap<string, unknown>>();
    const workloads = new Map<string, Map<string, WorkloadCollection>>();
    const servedVersions = new Map<string, ReadonlyMap<string, readonly string[]>>();
    for (const rt of runtimes.values()) {
      if (rt.served) servedVersions.set(rt.name, rt.served);
      if (managementContexts.includes(rt.name)) {
        const p = rt.watches.get('Pipeline');
        if (p) pipelines.set(rt.name, p.items);
        const g = rt.watches.get('GitopsCluster');
        if (g?.state().synced) gitopsClusters.set(rt.name, g.items);
      }
      const byKind = new Map<string, WorkloadCollection>();
      for (const kind of WORKLOAD_KINDS) {
        const w = rt.watches.get(kind as BoardKind);
        if (!w) continue;
        const s = w.state();
        byKind.set(kind, { items: w.items, synced: s.synced, forbiddenNamespaces: s.forbiddenNamespaces });
      }
      workloads.set(rt.name, byKind);
    }
    for (const m of managementContexts) if (!pipelines.has(m)) pipelines.set(m, new Map());
    return {
      pipelines,
      gitopsClusters,
      workloads,
      clusters,
      servedVersions,
      contextForCluster,
      unmappedCluster: unmappedCellReason,
      openPullRequests: prs,
      now: () => now().toISOString(),
    };
  }

  function setDeps(rowKey: string, oldDeps: Set<string> | undefined, newDeps: Set<string> | undefined): void {
    if (oldDeps) {
      for (const d of oldDeps) {
        if (newDeps?.has(d)) continue;
        const set = depIndex.get(d);
        if (!set) continue;
        set.delete(rowKey);
        if (set.size === 0) depIndex.delete(d); // keys of deleted objects must not pile up
      }
    }
    if (newDeps) {
      for (const d of newDeps) {
        let set = depIndex.get(d);
        if (!set) depIndex.set(d, (set = new Set()));
        set.add(rowKey);
      }
    }
  }

  function flush(): void {
    if (stopped) return;
    // Cluster states first: rows read them.
    const nextClusters = computeClusters();
    const clustersChanged = JSON.stringify(nextClusters) !== JSON.stringify(clusters);
    if (clustersChanged) {
      // A state change affects rows that read that cluster; markDep was called by the
      // producers, but a derived change (e.g. stale → connected) is caught here too.
      const before = new Map(clusters.map((c) => [c.context ?? c.name, JSON.stringify(c)]));
      for (const c of nextClusters) if (before.get(c.context ?? c.name) !== JSON.stringify(c)) markDep(depKey.cluster(c.context ?? c.name));
      clusters = nextClusters;
    }
    clustersDirty = false;

    const input = boardInput();
    if (initialLoad && holdInitialLoad(input)) {
      emit({ upserted: [], removed: [], ...(clustersChanged ? { clusters } : {}) });
      return;
    }
    const ctx = createRowContext(input);
    const upserted: PipelineRow[] = [];
    const removed: string[] = [];
    let keys: Iterable<string>;
    if (dirtyAll) {
      const all = new Set<string>(rows.keys());
      for (const [mgmt, objects] of input.pipelines) for (const k of objects.keys()) all.add(`${mgmt}|${k}`);
      keys = all;
    } else {
      keys = [...dirtyRows];
    }
    dirtyAll = false;
    dirtyRows.clear();
    let needsChanged = false;
    for (const rowKey of keys) {
      const bar = rowKey.indexOf('|');
      const mgmt = rowKey.slice(0, bar);
      const key = rowKey.slice(bar + 1);
      const raw = input.pipelines.get(mgmt)?.get(key);
      const old = rows.get(rowKey);
      if (raw === undefined) {
        if (old) {
          rows.delete(rowKey);
          setDeps(rowKey, old.deps, undefined);
          removed.push(old.row.id);
          needsChanged = true;
        }
        continue;
      }
      const built = buildPipelineRow(raw, mgmt, key, ctx);
      const unmapped = built.row.environments.flatMap((e) => e.targets.filter((t) => !t.context).map((t) => t.cluster));
      const entry: RowEntry = { row: built.row, deps: built.deps, needs: built.needs, unmapped };
      setDeps(rowKey, old?.deps, built.deps);
      rows.set(rowKey, entry);
      if (!old || JSON.stringify(old.needs) !== JSON.stringify(built.needs) || old.unmapped.join() !== unmapped.join()) needsChanged = true;
      if (old && old.row.id !== built.row.id) removed.push(old.row.id);
      if (!old || JSON.stringify(old.row) !== JSON.stringify(built.row)) upserted.push(built.row);
    }
    if (needsChanged || watchesDirty) {
      watchesDirty = false;
      startNeededWatches(rowNeeds());
      pruneUnneeded();
      const withUnmapped = computeClusters();
      if (JSON.stringify(withUnmapped) !== JSON.stringify(clusters)) {
        clusters = withUnmapped;
        clustersDirtyEmit = true;
      }
    }
    const change: BoardChange = { upserted, removed };
    if (clustersChanged || clustersDirtyEmit) change.clusters = clusters;
    clustersDirtyEmit = false;
    emit(change);
    if (dirtyRows.size > 0 || dirtyAll || clustersDirty) schedule();
  }
  let clustersDirtyEmit = false;

  function emit(change: BoardChange): void {
    if (kubeconfigChanged && kubeconfigStatus) change.kubeconfig = kubeconfigStatus;
    kubeconfigChanged = false;
    if (change.upserted.length === 0 && change.removed.length === 0 && !change.clusters && !change.kubeconfig) return;
    for (const l of [...listeners]) {
      try {
        l(change);
      } catch {
        // A failing listener must not break the data plane or other listeners.
      }
    }
  }

  /**
   * During the initial load: starts every list the Pipelines need (from their targets, without
   * building rows) and says whether one is still outstanding. Rows stay unbuilt (dirtyAll
   * keeps them due) until everything answered (synced or failed), or the hold timed out.
   */
  function holdInitialLoad(input: BoardInput): boolean {
    const t = Date.now();
    if (!loaded || t - startedAt >= INITIAL_HOLD_MAX_MS || t - lastAnswerAt >= INITIAL_HOLD_QUIET_MS) return releaseHold();
    if (prefetchGitopsClusterContexts()) {
      // Let the discovery requests go out before parsing the Pipelines holds the thread.
      schedule();
      return true;
    }
    const needs: WatchNeed[] = [];
    const sliceEnd = performance.now() + HOLD_SLICE_MS;
    for (const [mgmt, objects] of input.pipelines) {
      for (const [key, raw] of objects) {
        for (const n of cachedNeeds(raw, mgmt, key, input)) needs.push(n);
        if (performance.now() > sliceEnd) return yieldHold();
      }
    }
    startNeededWatches(needs);
    const answered = (w: ResourceWatch | undefined) => {
      if (!w) return true;
      const s = w.state();
      return s.synced || s.error !== undefined;
    };
    const pending = (context: string, kinds: Iterable<BoardKind>): boolean => {
      const rt = runtimes.get(context);
      if (!rt) return false;
      if (!rt.served) return rt.discoveryError === undefined;
      for (const kind of kinds) {
        // A served kind without a watch yet is about to be started by the next flush.
        if (!rt.watches.has(kind) && rt.served.has(BOARD_RESOURCES[kind].group) && WORKLOAD_KINDS.has(kind)) return true;
        if (!answered(rt.watches.get(kind))) return true;
      }
      return false;
    };
    for (const m of managementContexts) if (pending(m, ['Pipeline', 'GitopsCluster'])) return armHold();
    for (const mapping of secretMappings.values()) if (mapping.status === 'pending') return armHold();
    if (!prepareArrivedWorkloads(sliceEnd)) return yieldHold();
    const byContext = new Map<string, Set<BoardKind>>();
    for (const n of needs) {
      if (!WORKLOAD_KINDS.has(n.kind)) continue;
      let kinds = byContext.get(n.context);
      if (!kinds) byContext.set(n.context, (kinds = new Set()));
      kinds.add(n.kind as BoardKind);
    }
    for (const [context, kinds] of byContext) if (pending(context, kinds)) return armHold();
    return releaseHold();
  }

  /**
   * The GitopsCluster list is small and usually in before the Pipelines: discovering the
   * contexts it maps to right away takes a discovery round trip (and TLS setup, and any exec
   * credential plugin) off the path from "Pipelines listed" to "workloads listed". Discovery
   * only: lists start when a target needs them; a context no target uses is dropped after the
   * first build and never shown.
   */
  function prefetchGitopsClusterContexts(): boolean {
    let started = false;
    for (const m of managementContexts) {
      const w = runtimes.get(m)?.watches.get('GitopsCluster');
      if (!w?.state().synced) continue;
      for (const key of w.items.keys()) {
        const slash = key.indexOf('/');
        const ref = { managementContext: m, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
        const context = mapWithoutReading(ref);
        if (context && !runtimes.has(context) && ensureRuntime(context, true)) started = true;
      }
    }
    return started;
  }

  /**
   * Reading a workload's status is about half of a row build; doing it for the lists that are
   * already in, while the slowest cluster's list is still on the wire, takes it off the
   * critical path. Runs after the hold started every list, so no request waits for it.
   */
  let prepared = new WeakSet<object>();
  /** False when the time slice ran out first (readings are cached, so the next call resumes). */
  function prepareArrivedWorkloads(sliceEnd: number): boolean {
    for (const rt of runtimes.values()) {
      for (const kind of WORKLOAD_KINDS) {
        const w = rt.watches.get(kind as BoardKind);
        if (!w || prepared.has(w.items)) continue;
        if (!w.state().synced) continue;
        for (const obj of w.items.values()) {
          prepareWorkloadReading(obj);
          if (performance.now() > sliceEnd) return false;
        }
        prepared.add(w.items); // later changes are read by the (incremental) builds themselves
      }
    }
    return true;
  }

  /**
   * Ends a hold flush whose time slice ran out: the work done so far is cached, and the event
   * loop gets to answer the sockets (TLS handshakes, discovery of the clusters just found, list
   * bodies arriving) before the next slice. Our own progress counts as activity for the
   * quiet-time limit, which is there to notice silent clusters, not a busy thread.
   */
  function yieldHold(): true {
    lastAnswerAt = Date.now();
    schedule();
    return true;
  }

  /**
   * Hold flushes run once per answered list; informer objects are replaced, never mutated,
   * so a Pipeline's needs stay valid until the context mapping changes (which resets this).
   */
  let needsCache = new WeakMap<object, { mgmt: string; key: string; needs: WatchNeed[] }>();
  function cachedNeeds(raw: unknown, mgmt: string, key: string, input: BoardInput): WatchNeed[] {
    if (typeof raw !== 'object' || raw === null) return collectWatchNeeds(raw, mgmt, key, input);
    const hit = needsCache.get(raw);
    if (hit && hit.mgmt === mgmt && hit.key === key) return hit.needs;
    const needs = collectWatchNeeds(raw, mgmt, key, input);
    needsCache.set(raw, { mgmt, key, needs });
    return needs;
  }

  function armHold(): true {
    if (holdTimer) return true;
    const t = Date.now();
    const due = Math.min(startedAt + INITIAL_HOLD_MAX_MS, lastAnswerAt + INITIAL_HOLD_QUIET_MS);
    holdTimer = setTimeout(() => {
      holdTimer = undefined;
      schedule();
    }, Math.max(0, due - t) + 1);
    return true;
  }

  function releaseHold(): false {
    initialLoad = false;
    needsCache = new WeakMap(); // only the hold reads it; rows keep their own needs
    prepared = new WeakSet();
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = undefined;
    return false;
  }

  function rowNeeds(): WatchNeed[] {
    const out: WatchNeed[] = [];
    for (const r of rows.values()) for (const n of r.needs) out.push(n);
    return out;
  }

  /**
   * Stops what no row reads any more: workload watches of kinds no target uses on a context,
   * and whole contexts that are neither management contexts nor a target's context (e.g. a
   * remote cluster whose last Pipeline was deleted, or a context remapped by the user).
   */
  function pruneUnneeded(): void {
    if (managementContexts.some((m) => !runtimes.get(m)?.watches.get('Pipeline')?.state().synced)) return; // rows may be incomplete
    const wanted = new Map<string, Set<string>>();
    for (const r of rows.values()) {
      for (const n of r.needs) {
        let kinds = wanted.get(n.context);
        if (!kinds) wanted.set(n.context, (kinds = new Set()));
        kinds.add(n.kind);
      }
    }
    for (const rt of [...runtimes.values()]) {
      const kinds = wanted.get(rt.name);
      if (kinds && rt.prefetched) {
        delete rt.prefetched;
        clustersDirty = true;
      }
      if (!kinds && !managementContexts.includes(rt.name)) {
        runtimes.delete(rt.name);
        void stopRuntime(rt);
        clustersDirty = true;
        continue;
      }
      for (const [kind, w] of [...rt.watches]) {
        if (!WORKLOAD_KINDS.has(kind) || kinds?.has(kind)) continue;
        rt.watches.delete(kind);
        void w.stop();
        clustersDirty = true;
      }
    }
  }

  function computeClusters(): ClusterState[] {
    const out: ClusterState[] = [];
    if (loadError && runtimes.size === 0) return out;
    for (const rt of runtimes.values()) if (!rt.prefetched) out.push(clusterStateOf(rt));
    for (const m of managementContexts) {
      if (!runtimes.has(m)) out.push({ name: m, state: 'unreachable', message: `Context "${m}" is not in the kubeconfig` });
    }
    const unmapped = new Set<string>();
    for (const r of rows.values()) for (const u of r.unmapped) unmapped.add(u);
    const allowed = secretsAllowed();
    // Targets carry the cluster's display name only; a GitopsCluster name is what the user
    // sees for it, so the first mapping of that name speaks for it.
    const byName = new Map<string, SecretMapping>();
    if (allowed) for (const mapping of secretMappings.values()) if (!byName.has(mapping.clusterName)) byName.set(mapping.clusterName, mapping);
    for (const name of unmapped) {
      const mapping = byName.get(name);
      const why = mapping ? mappingReason(mapping) : undefined;
      if (why) {
        out.push({ name, state: why.state, message: why.message });
        continue;
      }
      const message = allowed
        ? `No kubeconfig context for GitopsCluster "${name}"`
        : `No kubeconfig context for GitopsCluster "${name}"; add one, map one in Settings, or allow Release Board to use the GitopsCluster's kubeconfig Secret in Settings`;
      out.push({ name, state: 'no-context', message });
    }
    addGitopsClusterReadiness(out);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * A GitopsCluster a target uses whose Ready condition is False (e.g. its kubeconfig Secret
   * is missing) is shown on that cluster's state: the board may still read it through the
   * user's context, but the pipeline-controller cannot promote there.
   */
  function addGitopsClusterReadiness(out: ClusterState[]): void {
    for (const m of managementContexts) {
      const w = runtimes.get(m)?.watches.get('GitopsCluster');
      if (!w) continue;
      for (const [key, obj] of w.items) {
        if (!depIndex.has(`g|${m}|${key}`)) continue; // no target reads it
        const why = gitopsClusterNotReady(obj);
        if (why === undefined) continue;
        const slash = key.indexOf('/');
        const ref = { managementContext: m, namespace: key.slice(0, slash), name: key.slice(slash + 1) };
        const context = contextForCluster(ref);
        const note = `GitopsCluster ${key} is not Ready${why ? `: ${why}` : ''}`;
        const entry = out.find((c) => (context ? c.context === context : !c.context && c.name === ref.name));
        if (!entry) continue;
        entry.message = entry.state === 'connected' || !entry.message ? note : `${entry.message}; ${note}`;
      }
    }
  }

  function startNeededWatches(needs: Iterable<WatchNeed>): void {
    const wanted = new Map<string, Map<BoardKind, Set<string>>>();
    for (const n of needs) {
      if (!WORKLOAD_KINDS.has(n.kind)) continue;
      let byKind = wanted.get(n.context);
      if (!byKind) wanted.set(n.context, (byKind = new Map()));
      let ns = byKind.get(n.kind as BoardKind);
      if (!ns) byKind.set(n.kind as BoardKind, (ns = new Set()));
      ns.add(n.namespace);
    }
    for (const [context, byKind] of wanted) {
      const rt = ensureRuntime(context);
      if (!rt || !rt.served) continue; // discovery completion triggers another flush
      for (const [kind, namespaces] of byKind) {
        const created = !rt.watches.has(kind);
        const w = ensureWatch(rt, kind, namespaces);
        if (created && w) clustersDirty = true;
      }
    }
  }

  // ---- kubeconfig --------------------------------------------------------------------

  function setKubeconfigStatus(next: KubeconfigStatus): void {
    if (JSON.stringify(next) === JSON.stringify(kubeconfigStatus)) return;
    kubeconfigStatus = next;
    kubeconfigChanged = true;
  }

  function applyKubeconfig(): void {
    const result = opts.loadKubeconfig();
    if (!result.ok) {
      // Keep watching with what we had; the error is shown, not a blank board.
      loadError = result.error;
      setKubeconfigStatus({
        files: loaded?.files ?? [],
        error: { code: result.error.code, message: result.error.message, hint: result.error.hint ?? '' },
        warnings: kubeconfigStatus?.warnings ?? [],
      });
      clustersDirty = true;
      schedule();
      return;
    }
    loadError = undefined;
    loaded = result.value;
    contextNames = new Set(loaded.contexts.map((c) => c.name));
    needsCache = new WeakMap();
    setKubeconfigStatus({
      files: loaded.files,
      warnings: loaded.warnings.map((w) => ({ code: w.code, message: w.message, hint: w.hint })),
    });
    managementContexts = opts.managementContexts ?? (loaded.currentContext ? [loaded.currentContext] : []);
    for (const rt of [...runtimes.values()]) {
      if (rt.secretCluster) continue; // its Secret is read again below
      const info = loaded.contexts.find((c) => c.name === rt.name);
      const fresh = info ? fingerprintOf(loaded, rt.name) : undefined;
      if (fresh !== rt.fingerprint) {
        runtimes.delete(rt.name);
        void stopRuntime(rt);
      } else {
        for (const w of rt.watches.values()) w.retryNow();
        if (rt.discoveryError && rt.discoveryTimer) {
          clearTimeout(rt.discoveryTimer);
          void runDiscovery(rt);
        }
      }
    }
    for (const m of managementContexts) ensureRuntime(m);
    // reload() is also how a changed opt-in or a rotated Secret is picked up.
    pruneSecretMappings(true);
    for (const mapping of secretMappings.values()) if (mapping.secretName) readSecret(mapping);
    if (opts.watchKubeconfig !== false && loaded.location.paths.join('\0') !== watchedFiles) {
      stopFileWatch?.();
      watchedFiles = loaded.location.paths.join('\0');
      stopFileWatch = watchFiles(loaded.location.paths, () => applyKubeconfig(), { debounceMs: opts.kubeconfigDebounceMs ?? 300 });
    }
    dirtyAll = true;
    clustersDirty = true;
    startNeededWatches(rowNeeds());
    schedule();
  }

  applyKubeconfig();
  if (!loaded && opts.watchKubeconfig !== false && opts.expectedKubeconfigPaths?.length) {
    // Nothing loaded yet: still watch the expected files so creating one starts the board.
    watchedFiles = opts.expectedKubeconfigPaths.join('\0');
    stopFileWatch = watchFiles(opts.expectedKubeconfigPaths, () => applyKubeconfig(), { debounceMs: opts.kubeconfigDebounceMs ?? 300 });
  }

  return {
    snapshot(): BoardSnapshot {
      const pipelines = [...rows.values()].map((r) => r.row).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const snap: BoardSnapshot = { pipelines, clusters, generatedAt: now().toISOString() };
      if (kubeconfigStatus) snap.kubeconfig = kubeconfigStatus;
      return snap;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setOpenPullRequests(list) {
      prs = [...list];
      dirtyAll = true;
      schedule();
    },
    reload() {
      applyKubeconfig();
    },
    kubeconfigError() {
      return loadError;
    },
    setContextOverrides(next) {
      overrides = { ...next };
      hasOverrides = Object.keys(overrides).length > 0;
      needsCache = new WeakMap();
      dirtyAll = true;
      watchesDirty = true;
      schedule();
    },
    async stop() {
      stopped = true;
      if (flushTimer) clearTimeout(flushTimer);
      if (holdTimer) clearTimeout(holdTimer);
      stopFileWatch?.();
      listeners.clear();
      for (const mapping of secretMappings.values()) if (mapping.retryTimer) clearTimeout(mapping.retryTimer);
      await Promise.all([...runtimes.values()].map((rt) => stopRuntime(rt)));
      runtimes.clear();
    },
  };
}
