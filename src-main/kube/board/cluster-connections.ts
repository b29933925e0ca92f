// The board's connections: one runtime per kubeconfig context (or GitopsCluster Secret) in
// use, each with its API discovery (retried with backoff) and one ResourceWatch per kind.
// Management contexts start their GitopsCluster and Pipeline watches as soon as discovery
// answers; workload watches start when the scheduler asks for them. Exec-plugin credentials
// are renewed on 401, like kubectl does. Every change is reported through ConnectionEvents;
// what to rebuild is the scheduler's business.

import { KubeConfig } from '@kubernetes/client-node';
import type { ClusterState } from '../../common/board';
import type { WatchNeed } from '../../pipelines/build-board';
import { backoffDelay, type BackoffOptions } from '../backoff';
import { describeKubeError, toKubeRequestError, type KubeRequestError } from '../errors';
import { BOARD_RESOURCES, type BoardKind, type ResourceType } from '../kube-transport';
import type { LoadedKubeconfig } from '../kubeconfig';
import type { CacheChange, ListWatchTransport, WatchTiming } from '../list-watch';
import { ResourceWatch } from '../resource-watch';

export interface ContextRuntime {
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

/** A Secret-backed context as the mapper knows it. */
export interface SecretCredentials {
  clusterName: string;
  /** Set once the Secret was read and holds a usable kubeconfig. */
  kc?: KubeConfig;
  fingerprint?: string;
}

export interface ConnectionEvents {
  /** The set of clusters to show changed (a context or watch appeared or went away). */
  clustersChanged(): void;
  /** Discovery answered, or the context may not be used (blocked: nothing was asked). */
  contextState(name: string, outcome: 'discovered' | 'failed' | 'blocked'): void;
  watchState(name: string, kind: BoardKind): void;
  watchChange(name: string, kind: BoardKind, changes: CacheChange[]): void;
  /** A context was recreated with fresh exec-plugin credentials. */
  credentialsRenewed(name: string): void;
  /** A Secret-backed context got a 401: its Secret may have been rotated. */
  secretUnauthorized(label: string): void;
}

export interface ClusterConnectionsOptions {
  createTransport: (kc: KubeConfig, resource: ResourceType) => ListWatchTransport;
  discover: (kc: KubeConfig) => Promise<Map<string, string[]>>;
  events: ConnectionEvents;
  /** Secret-backed contexts by label; undefined for a name that is not one. */
  secretCredentials: (label: string) => SecretCredentials | undefined;
  /** Namespaces to watch Pipelines in when listing them cluster-wide is forbidden. */
  pipelineNamespaces?: string[] | undefined;
  backoff?: BackoffOptions | undefined;
  random?: () => number;
  now: () => Date;
  /** Watch length and stall detection (defaults in list-watch.ts). */
  watchTiming?: WatchTiming | undefined;
  /** Milliseconds clock for the credential-renewal rate limit. */
  clock?: () => number;
  /**
   * While true (the first load), a cluster's HelmRelease list starts as soon as its discovery
   * answered instead of once the Pipelines naming it were received and parsed: the lists then
   * travel in parallel (the Pipelines → HelmReleases chain was most of the gap to fetching the
   * same URLs at once, docs/benchmarks.md). HelmRelease is the kind Pipelines' appRefs name; a
   * list no target turns out to need is stopped by prune() after the first build, and the
   * namespaces for a 403 fallback arrive with the needs.
   */
  listWorkloadsEarly?: () => boolean;
}

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set(['HelmRelease', 'Kustomization']);
const MANAGEMENT_KINDS: readonly BoardKind[] = ['Pipeline', 'GitopsCluster'];
const RENEW_EVERY_MS = 30_000;

export function contextFingerprint(kc: KubeConfig): string {
  return JSON.stringify([kc.getCurrentCluster(), kc.getCurrentUser()]);
}

/** The context's fingerprint; a context that may not be used yet has one that changes once it may. */
function fingerprintOf(source: LoadedKubeconfig, name: string): string {
  try {
    return contextFingerprint(source.forContext(name));
  } catch (e) {
    return `blocked:${(e as Error).message}`;
  }
}

export class ClusterConnections {
  private readonly runtimes = new Map<string, ContextRuntime>();
  private loaded: LoadedKubeconfig | undefined;
  private management: string[] = [];
  private readonly renewedAt = new Map<string, number>();
  private stopped = false;
  private readonly clock: () => number;
  /** The API version each watch reads (a watch started on a guess may need replacing). */
  private readonly watchVersions = new WeakMap<ResourceWatch, string>();

  constructor(private readonly opts: ClusterConnectionsOptions) {
    this.clock = opts.clock ?? Date.now;
  }

  get managementContexts(): readonly string[] {
    return this.management;
  }

  isManagement(name: string): boolean {
    return this.management.includes(name);
  }

  get(name: string): ContextRuntime | undefined {
    return this.runtimes.get(name);
  }

  values(): IterableIterator<ContextRuntime> {
    return this.runtimes.values();
  }

  get size(): number {
    return this.runtimes.size;
  }

  /**
   * Takes a (re)loaded kubeconfig: contexts whose cluster or user changed reconnect, the others
   * retry what failed right away; management contexts are connected.
   */
  configure(loaded: LoadedKubeconfig, managementContexts: string[]): void {
    this.loaded = loaded;
    this.management = managementContexts;
    for (const rt of [...this.runtimes.values()]) {
      if (rt.secretCluster) continue; // the mapper reads its Secret again
      const info = loaded.contexts.find((c) => c.name === rt.name);
      const fresh = info ? fingerprintOf(loaded, rt.name) : undefined;
      if (fresh !== rt.fingerprint) {
        this.drop(rt);
      } else {
        for (const w of rt.watches.values()) w.retryNow();
        if (rt.discoveryError && rt.discoveryTimer) {
          clearTimeout(rt.discoveryTimer);
          void this.runDiscovery(rt);
        }
      }
    }
    for (const m of managementContexts) this.ensure(m);
  }

  /** The runtime for a context (connecting it if needed); undefined when it cannot be reached yet. */
  ensure(name: string, prefetch = false): ContextRuntime | undefined {
    const existing = this.runtimes.get(name);
    if (existing) {
      if (!prefetch && existing.prefetched) {
        delete existing.prefetched;
        this.opts.events.clustersChanged();
      }
      return existing;
    }
    const base = { name, discoveryFailures: 0, watches: new Map<BoardKind, ResourceWatch>(), stopped: false };
    const viaSecret = this.opts.secretCredentials(name);
    let rt: ContextRuntime;
    if (viaSecret) {
      if (!viaSecret.kc) return undefined;
      rt = { ...base, kc: viaSecret.kc, fingerprint: viaSecret.fingerprint ?? '', secretCluster: viaSecret.clusterName };
    } else {
      const loaded = this.loaded;
      if (!loaded?.contexts.some((c) => c.name === name)) return undefined;
      try {
        const kc = loaded.forContext(name);
        rt = { ...base, kc, fingerprint: contextFingerprint(kc) };
      } catch (e) {
        // The context may not be used yet (its credential plugin waits for the user's approval):
        // show why, with an empty KubeConfig that can reach nothing, and never retry on our own.
        rt = { ...base, kc: new KubeConfig(), fingerprint: `blocked:${(e as Error).message}`, discoveryError: toKubeRequestError(e) };
        this.runtimes.set(name, rt);
        this.opts.events.contextState(name, 'blocked');
        return rt;
      }
    }
    if (prefetch) rt.prefetched = true;
    this.runtimes.set(name, rt);
    void this.runDiscovery(rt);
    // A cluster found through a GitopsCluster during the first load: its HelmRelease list goes
    // out with its discovery, at the version the management cluster serves, instead of one
    // round trip later (the answer waits behind the management lists being parsed). Discovery
    // replaces the watch if the cluster serves another version.
    const guess = prefetch && this.opts.listWorkloadsEarly?.() ? this.managementVersion(BOARD_RESOURCES.HelmRelease.group) : undefined;
    if (guess) this.ensureWatch(rt, 'HelmRelease', undefined, guess);
    return rt;
  }

  /** Stops a runtime and forgets it. */
  drop(rt: ContextRuntime): void {
    if (this.runtimes.get(rt.name) === rt) this.runtimes.delete(rt.name);
    void stopRuntime(rt);
  }

  /** Stops the Secret-backed runtime with this label, if there is one (new or revoked credentials). */
  dropSecretContext(label: string): void {
    const rt = this.runtimes.get(label);
    if (rt?.secretCluster) this.drop(rt);
  }

  /** `versionGuess` is used only before discovery answered (see ensure()). */
  ensureWatch(rt: ContextRuntime, kind: BoardKind, namespaces?: Set<string>, versionGuess?: string): ResourceWatch | undefined {
    const existing = rt.watches.get(kind);
    if (existing) {
      if (namespaces) existing.setNamespaces(namespaces);
      return existing;
    }
    const res = BOARD_RESOURCES[kind];
    const version = rt.served ? rt.served.get(res.group)?.[0] : versionGuess;
    if (!version) return undefined;
    const { events } = this.opts;
    const watch = new ResourceWatch({
      transport: this.opts.createTransport(rt.kc, { ...res, version }),
      // Workloads: the namespaces targets name. Pipelines: only when we were told where to look.
      namespacedFallback: WORKLOAD_KINDS.has(kind) || (namespaces !== undefined && namespaces.size > 0),
      ...(namespaces ? { namespaces } : {}),
      ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      ...(this.opts.watchTiming ? { timing: this.opts.watchTiming } : {}),
      now: this.opts.now,
      onChange: (changes) => events.watchChange(rt.name, kind, changes),
      onStateChange: () => {
        if (rt.watches.get(kind)?.state().error?.status === 401) this.renewCredentials(rt);
        events.watchState(rt.name, kind);
      },
    });
    rt.watches.set(kind, watch);
    this.watchVersions.set(watch, version);
    return watch;
  }

  /** The preferred version of an API group on a discovered management context. */
  private managementVersion(group: string): string | undefined {
    for (const m of this.management) {
      const version = this.runtimes.get(m)?.served?.get(group)?.[0];
      if (version) return version;
    }
    return undefined;
  }

  /** Starts the workload watches targets need, on contexts whose discovery answered. */
  startNeeded(needs: Iterable<WatchNeed>): void {
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
      const rt = this.ensure(context);
      if (!rt?.served) continue; // discovery completion triggers another flush
      for (const [kind, namespaces] of byKind) {
        const created = !rt.watches.has(kind);
        if (this.ensureWatch(rt, kind, namespaces) && created) this.opts.events.clustersChanged();
      }
    }
  }

  /**
   * Stops what no row reads any more: workload watches of kinds no target uses on a context,
   * and whole contexts that are neither management contexts nor a target's context (e.g. a
   * remote cluster whose last Pipeline was deleted, or a context remapped by the user).
   */
  prune(wanted: ReadonlyMap<string, ReadonlySet<string>>): void {
    for (const rt of [...this.runtimes.values()]) {
      const kinds = wanted.get(rt.name);
      if (kinds && rt.prefetched) {
        delete rt.prefetched;
        this.opts.events.clustersChanged();
      }
      if (!kinds && !this.isManagement(rt.name)) {
        this.drop(rt);
        this.opts.events.clustersChanged();
        continue;
      }
      for (const [kind, w] of [...rt.watches]) {
        if (!WORKLOAD_KINDS.has(kind) || kinds?.has(kind)) continue;
        rt.watches.delete(kind);
        void w.stop();
        this.opts.events.clustersChanged();
      }
    }
  }

  /** Whether every management context's Pipelines are listed (rows may be incomplete before). */
  pipelinesListed(): boolean {
    return this.management.every((m) => this.runtimes.get(m)?.watches.get('Pipeline')?.state().synced === true);
  }

  /** Whether a list the board waits for on this context has not answered yet. */
  pending(context: string, kinds: Iterable<BoardKind> = MANAGEMENT_KINDS): boolean {
    const rt = this.runtimes.get(context);
    if (!rt) return false;
    if (!rt.served) return rt.discoveryError === undefined;
    for (const kind of kinds) {
      // A served kind without a watch yet is about to be started by the next flush.
      if (!rt.watches.has(kind) && rt.served.has(BOARD_RESOURCES[kind].group) && WORKLOAD_KINDS.has(kind)) return true;
      const s = rt.watches.get(kind)?.state();
      if (s && !s.synced && s.error === undefined) return true;
    }
    return false;
  }

  /** A synced collection of a kind on a context, else undefined. */
  synced(context: string, kind: BoardKind): ReadonlyMap<string, unknown> | undefined {
    const w = this.runtimes.get(context)?.watches.get(kind);
    return w?.state().synced ? w.items : undefined;
  }

  /** How the board is connected to this runtime's cluster. */
  state(rt: ContextRuntime): ClusterState {
    const base = { name: rt.secretCluster ?? rt.name, context: rt.name };
    if (rt.discoveryError) return { ...base, ...errorState(rt.discoveryError) };
    if (!rt.served) return { ...base, state: 'connecting' };
    if (this.isManagement(rt.name) && !rt.served.has(BOARD_RESOURCES.Pipeline.group)) {
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

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.runtimes.values()].map((rt) => stopRuntime(rt)));
    this.runtimes.clear();
  }

  private async runDiscovery(rt: ContextRuntime): Promise<void> {
    let outcome: 'discovered' | 'failed';
    try {
      const served = await this.opts.discover(rt.kc);
      if (rt.stopped) return;
      rt.served = served;
      delete rt.discoveryError;
      rt.discoveryFailures = 0;
      // A watch started before discovery on a version the cluster does not prefer: start over.
      for (const [kind, w] of [...rt.watches]) {
        if (this.watchVersions.get(w) === served.get(BOARD_RESOURCES[kind].group)?.[0]) continue;
        rt.watches.delete(kind);
        void w.stop();
      }
      if (this.isManagement(rt.name)) {
        const own = this.loaded?.contexts.find((c) => c.name === rt.name)?.namespace;
        const namespaces = this.opts.pipelineNamespaces ?? (own ? [own] : []);
        const scope = namespaces.length > 0 ? new Set(namespaces) : undefined;
        // GitopsClusters first: their small list lets remote discovery start while the
        // Pipelines are still on the wire.
        this.ensureWatch(rt, 'GitopsCluster', scope);
        this.ensureWatch(rt, 'Pipeline', scope);
      }
      if (this.opts.listWorkloadsEarly?.() && served.has(BOARD_RESOURCES.HelmRelease.group)) this.ensureWatch(rt, 'HelmRelease');
      outcome = 'discovered';
    } catch (e) {
      if (rt.stopped) return;
      rt.discoveryError = toKubeRequestError(e);
      rt.discoveryFailures += 1;
      rt.discoveryTimer = setTimeout(() => void this.runDiscovery(rt), backoffDelay(rt.discoveryFailures, this.opts.backoff, this.opts.random));
      outcome = 'failed';
    }
    this.opts.events.contextState(rt.name, outcome);
  }

  /**
   * client-node caches an exec plugin's token until its expirationTimestamp, or forever
   * without one; kubectl runs the plugin again on 401. Recreating the context's KubeConfig
   * (at most every 30 s) does the same.
   */
  private renewCredentials(rt: ContextRuntime): void {
    if (rt.secretCluster) {
      this.opts.events.secretUnauthorized(rt.name);
      return;
    }
    if (rt.stopped || this.loaded?.contexts.find((c) => c.name === rt.name)?.authKind !== 'exec') return;
    const last = this.renewedAt.get(rt.name) ?? 0;
    if (this.clock() - last < RENEW_EVERY_MS) return;
    this.renewedAt.set(rt.name, this.clock());
    setTimeout(() => {
      if (this.stopped || this.runtimes.get(rt.name) !== rt) return;
      this.drop(rt);
      this.ensure(rt.name);
      this.opts.events.credentialsRenewed(rt.name);
    }, 0);
  }
}

async function stopRuntime(rt: ContextRuntime): Promise<void> {
  rt.stopped = true;
  if (rt.discoveryTimer) clearTimeout(rt.discoveryTimer);
  await Promise.all([...rt.watches.values()].map((w) => w.stop()));
}

export function errorState(e: KubeRequestError): Pick<ClusterState, 'state' | 'message'> {
  if (e.status === 401 || e.status === 403) return { state: 'forbidden', message: describeKubeError(e) };
  if (e.status === 404) return { state: 'no-crd', message: describeKubeError(e) };
  return { state: 'unreachable', message: describeKubeError(e) };
}
