// The board's data plane as a scheduler over its units (src-main/kube/board/): connections (discovery,
// watches, credential renewal), the GitopsCluster → context mapper, the row index and the initial-load
// gate. Workload lists start as soon as a listed Pipeline names them; what no target uses is stopped.
// After the first build a change rebuilds only the rows that read it, batched, as one BoardChange.
//
// Security model: kubeconfig credentials stay inside the KubeConfig objects held by the
// connections and the mapper; the snapshot and changes carry names, versions and states only.

import type { KubeConfig } from '@kubernetes/client-node';
import { isDeepStrictEqual } from 'node:util';
import type { BoardChange, BoardSnapshot, ClusterState } from '../common/board';
import type { AppError, Result } from '../common/result';
import { buildPipelineRow, createRowContext, depKey, type BoardInput, type GitopsClusterRef } from '../pipelines/build-board';
import type { OpenPullRequest } from '../pipelines/promotion-rules';
import type { Logger } from '../log/logger';
import type { BackoffOptions } from './backoff';
import { collectBoardInput, createWorkloadPreparer, listsOutstanding, NeedsCache, notReadyGitopsClusters, prefetchGitopsClusterContexts } from './board/board-input';
import { ClusterConnections } from './board/cluster-connections';
import { ClusterMapper } from './board/cluster-mapper';
import { listClusterStates } from './board/cluster-states';
import { ChangeListeners } from './board/change-listeners';
import { HOLD_SLICE_MS, InitialLoadGate } from './board/initial-load-gate';
import { KubeconfigSource } from './board/kubeconfig-source';
import { RowIndex } from './board/row-index';
import { RevisionCursor, Versioned } from './board/versioned';
import { readGitopsClusterKubeconfig } from './gitops-cluster-secret';
import { createKubeTransport, discoverServedGroups, type ResourceType } from './kube-transport';
import type { LoadedKubeconfig } from './kubeconfig';
import type { ListWatchTransport, WatchTiming } from './list-watch';

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
  backoff?: BackoffOptions;
  /** Watch length and stall detection; tests shorten them so a stalled stream shows in seconds. */
  watchTiming?: WatchTiming;
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

export function createBoardService(opts: BoardServiceOptions): BoardService {
  const now = opts.now ?? (() => new Date());
  const batchMs = opts.batchMs ?? 30;
  const listeners = new ChangeListeners(opts.logger);
  const rows = new RowIndex();
  const needsCache = new NeedsCache();
  const clusters = new Versioned<ClusterState[]>([]);
  const kubeconfig = new KubeconfigSource({
    load: opts.loadKubeconfig,
    onFilesChanged: () => applyKubeconfig(),
    watch: opts.watchKubeconfig,
    debounceMs: opts.kubeconfigDebounceMs,
    expectedPaths: opts.expectedKubeconfigPaths,
  });
  const unsent = { clusters: new RevisionCursor(clusters), kubeconfig: new RevisionCursor(kubeconfig.status) };
  const gate = new InitialLoadGate({ onDue: schedule });
  let prs: readonly OpenPullRequest[] = [];
  let stopped = false;
  /** Cluster states may have changed after this flush computed them: flush again. */
  let clustersDirty = true;
  /** The watches rows need may differ from the running ones (e.g. a context got discovered). */
  let watchesDirty = false;
  let flushTimer: NodeJS.Timeout | undefined;

  /** Rows may read something new (served versions, a mapping, credentials): rebuild and rewatch. */
  function rewire(): void {
    rows.markAll();
    watchesDirty = true;
    schedule();
  }

  function clusterChanged(context: string): void {
    clustersDirty = true;
    rows.markDep(depKey.cluster(context));
    schedule();
  }

  const connections: ClusterConnections = new ClusterConnections({
    createTransport: opts.createTransport ?? createKubeTransport,
    discover: opts.discover ?? discoverServedGroups,
    secretCredentials: (label) => mapper.credentials(label),
    pipelineNamespaces: opts.pipelineNamespaces,
    backoff: opts.backoff,
    watchTiming: opts.watchTiming,
    now,
    listWorkloadsEarly: () => gate.holding,
    events: {
      clustersChanged: () => (clustersDirty = true),
      contextState(name, outcome) {
        if (outcome !== 'blocked') gate.noteAnswer();
        if (outcome === 'discovered') rewire(); // served versions feed every row's appRef check
        clusterChanged(name);
      },
      watchState(name, kind) {
        gate.noteAnswer();
        rows.markDep(depKey.collection(name, kind));
        if (kind === 'Pipeline' || kind === 'GitopsCluster') {
          rows.markAll();
          needsCache.listedObjectsChanged();
        }
        clusterChanged(name);
      },
      watchChange(name, kind, changes) {
        if (kind === 'Pipeline' || kind === 'GitopsCluster') needsCache.listedObjectsChanged();
        if (kind === 'Pipeline') for (const c of changes) rows.markRow(name, c.key);
        else if (kind === 'GitopsCluster') for (const c of changes) rows.markDep(`g|${name}|${c.key}`);
        else for (const c of changes) rows.markDep(`w|${name}|${kind}|${c.key}`);
        schedule();
      },
      credentialsRenewed: rewire,
      secretUnauthorized: (label) => mapper.unauthorized(label),
    },
  });

  const mapper: ClusterMapper = new ClusterMapper({
    overrides: opts.contextOverrides,
    secretsAllowed: opts.gitopsClusterSecrets,
    gitopsCluster: (ref) => connections.synced(ref.managementContext, 'GitopsCluster')?.get(`${ref.namespace}/${ref.name}`),
    managementKubeConfig: (context) => connections.get(context)?.kc,
    managementContextCount: () => connections.managementContexts.length,
    readSecret: opts.readGitopsClusterSecret ?? readGitopsClusterKubeconfig,
    onSecretRead() {
      gate.noteAnswer();
      needsCache.reset();
      clustersDirty = true;
      rewire();
    },
    dropContext: (label) => connections.dropSecretContext(label),
    logger: opts.logger,
    backoff: opts.backoff,
  });

  const targetReads = (ref: GitopsClusterRef) => rows.isRead(depKey.gitopsCluster(ref.managementContext, ref.namespace, ref.name));
  const prepareWorkloads = createWorkloadPreparer(connections);

  function schedule(): void {
    if (stopped || flushTimer) return;
    // While the initial load is held nothing is built, so batching would only add latency
    // between one list arriving and the next one being started.
    flushTimer = setTimeout(flush, gate.holding ? 0 : batchMs);
  }

  function computeClusters(): ClusterState[] {
    if (kubeconfig.error && connections.size === 0) return [];
    return listClusterStates({
      connected: [...connections.values()].filter((rt) => !rt.prefetched).map((rt) => connections.state(rt)),
      missingManagement: connections.managementContexts.filter((m) => !connections.get(m)),
      unmapped: rows.unmappedClusters(),
      unmappedState: (name) => mapper.unmappedState(name),
      notReady: notReadyGitopsClusters(connections, mapper, targetReads),
    });
  }

  /** Cluster states first: rows read them. */
  function updateClusters(): void {
    const before = new Map(clusters.value.map((c) => [c.context ?? c.name, c]));
    if (!clusters.set(computeClusters())) return;
    // A state change affects rows that read that cluster; the producers marked it, but a
    // derived change (e.g. stale → connected) is caught here too.
    for (const c of clusters.value) if (!isDeepStrictEqual(before.get(c.context ?? c.name), c)) rows.markDep(depKey.cluster(c.context ?? c.name));
  }

  function flush(): void {
    flushTimer = undefined;
    if (stopped) return;
    updateClusters();
    clustersDirty = false;
    const input = collectBoardInput(connections, mapper, clusters.value, prs, now);
    if (gate.holding && holdInitialLoad(input)) return emit({ upserted: [], removed: [] });
    const ctx = createRowContext(input);
    const { upserted, removed, needsChanged } = rows.update(input.pipelines, (raw, mgmt, key) => buildPipelineRow(raw, mgmt, key, ctx));
    if (needsChanged || watchesDirty) {
      watchesDirty = false;
      connections.startNeeded(rows.needs());
      if (connections.pipelinesListed()) connections.prune(rows.neededKinds()); // else rows may be incomplete
      clusters.set(computeClusters()); // with the unmapped clusters the new rows name
    }
    emit({ upserted, removed });
    // The row index catches up once the change is out (else the next change would wait for it).
    if (rows.indexPending) setImmediate(() => rows.catchUp());
    if (rows.hasWork || clustersDirty) schedule();
  }

  function emit(change: BoardChange): void {
    const nextClusters = unsent.clusters.takeChange();
    if (nextClusters) change.clusters = nextClusters;
    const nextKubeconfig = unsent.kubeconfig.takeChange();
    if (nextKubeconfig) change.kubeconfig = nextKubeconfig;
    if (change.upserted.length === 0 && change.removed.length === 0 && !change.clusters && !change.kubeconfig) return;
    listeners.notify(change);
  }

  /**
   * During the initial load: starts every list the Pipelines need (from their targets, without
   * building rows) and says whether one is still outstanding. Rows stay unbuilt (still marked)
   * until everything answered (synced or failed), or the gate expired.
   */
  function holdInitialLoad(input: BoardInput): boolean {
    if (!kubeconfig.loaded || gate.expired()) return gate.release();
    if (prefetchGitopsClusterContexts(connections, mapper)) {
      schedule(); // let the discovery requests go out before parsing the Pipelines holds the thread
      return true;
    }
    const sliceEnd = performance.now() + HOLD_SLICE_MS;
    const needs = needsCache.within(input, sliceEnd);
    if (!needs) return gate.yieldSlice();
    connections.startNeeded(needs);
    let prepared = true;
    const outstanding = listsOutstanding(connections, mapper, needs, () => (prepared = prepareWorkloads(sliceEnd)));
    if (!prepared) return gate.yieldSlice();
    if (outstanding) return gate.hold();
    needsCache.reset(); // only the hold reads it; rows keep their own needs
    return gate.release();
  }

  function applyKubeconfig(): void {
    const loaded = kubeconfig.load();
    clustersDirty = true;
    if (!loaded) return schedule(); // keep watching with what we had: the error is shown, not a blank board
    mapper.setContextNames(loaded.contexts.map((c) => c.name));
    needsCache.reset();
    connections.configure(loaded, opts.managementContexts ?? (loaded.currentContext ? [loaded.currentContext] : []));
    // reload() is also how a changed opt-in or a rotated Secret is picked up.
    mapper.reload(connections.managementContexts, targetReads);
    rows.markAll();
    connections.startNeeded(rows.needs());
    schedule();
  }

  applyKubeconfig();

  return {
    snapshot(): BoardSnapshot {
      const snap: BoardSnapshot = { pipelines: rows.sortedRows(), clusters: clusters.value, generatedAt: now().toISOString() };
      if (kubeconfig.status.value) snap.kubeconfig = kubeconfig.status.value;
      return snap;
    },
    subscribe: (listener) => listeners.add(listener),
    setOpenPullRequests(list) {
      prs = [...list];
      rows.markAll();
      schedule();
    },
    reload: applyKubeconfig,
    kubeconfigError: () => kubeconfig.error,
    setContextOverrides(next) {
      mapper.setOverrides(next);
      needsCache.reset();
      rewire();
    },
    async stop() {
      stopped = true;
      if (flushTimer) clearTimeout(flushTimer);
      gate.stop();
      kubeconfig.stop();
      listeners.clear();
      mapper.stop();
      await connections.stop();
    },
  };
}
