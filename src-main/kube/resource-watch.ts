// One resource kind on one cluster, as the board needs it: a single cluster-wide
// list+watch, falling back to one list+watch per needed namespace when RBAC forbids the
// cluster-wide list (403). Namespaces that are themselves forbidden are reported, not
// retried in a tight loop. Keeps one merged cache keyed "namespace/name".

import type { KubeRequestError } from './errors';
import { ListWatch, type CacheChange, type ListWatchStatus, type ListWatchTransport, type WatchTiming } from './list-watch';

export interface ResourceWatchOptions {
  transport: ListWatchTransport;
  onChange: (changes: CacheChange[]) => void;
  /** Sync, staleness, errors or forbidden namespaces changed. */
  onStateChange: () => void;
  /** Namespaces to watch if the cluster-wide list is forbidden. */
  namespaces?: Iterable<string>;
  backoff?: { initialMs?: number; maxMs?: number };
  random?: () => number;
  now?: () => Date;
  /** Allow the namespaced fallback (the board's workload kinds); Pipelines need cluster-wide. */
  namespacedFallback?: boolean;
  timing?: WatchTiming;
}

export interface ResourceWatchState {
  mode: 'cluster' | 'namespaced';
  synced: boolean;
  staleSince?: string;
  /** The error keeping this watch from being current, if any. */
  error?: KubeRequestError;
  forbiddenNamespaces: ReadonlySet<string>;
}

const isPermanent = (e: KubeRequestError) => e.status === 403 || e.status === 404;

export class ResourceWatch {
  readonly items = new Map<string, unknown>();
  private mode: 'cluster' | 'namespaced' = 'cluster';
  private cluster: ListWatch | undefined;
  private readonly perNamespace = new Map<string, ListWatch>();
  private wanted = new Set<string>();
  private stopped = false;

  constructor(private readonly opts: ResourceWatchOptions) {
    for (const ns of opts.namespaces ?? []) this.wanted.add(ns);
    this.cluster = this.startListWatch(undefined);
  }

  /** Updates the namespaces that matter; only used in namespaced mode. */
  setNamespaces(namespaces: Iterable<string>): void {
    this.wanted = new Set(namespaces);
    if (this.mode === 'namespaced') this.reconcileNamespaces();
  }

  state(): ResourceWatchState {
    const forbidden = new Set<string>();
    if (this.mode === 'cluster') {
      const s = this.cluster?.current;
      const out: ResourceWatchState = { mode: 'cluster', synced: s?.synced ?? false, forbiddenNamespaces: forbidden };
      if (s?.staleSince) out.staleSince = s.staleSince;
      if (s?.lastError) out.error = s.lastError;
      return out;
    }
    let synced = true;
    let staleSince: string | undefined;
    let error: KubeRequestError | undefined;
    for (const [ns, lw] of this.perNamespace) {
      const s = lw.current;
      if (!s.synced && s.lastError?.status === 403) {
        forbidden.add(ns);
        continue;
      }
      if (!s.synced) synced = false;
      if (s.staleSince && (!staleSince || s.staleSince < staleSince)) staleSince = s.staleSince;
      if (s.lastError && s.lastError.status !== 403) error ??= s.lastError;
    }
    const out: ResourceWatchState = { mode: 'namespaced', synced, forbiddenNamespaces: forbidden };
    if (staleSince) out.staleSince = staleSince;
    if (error) out.error = error;
    return out;
  }

  /** Skips every pending backoff (after a kubeconfig reload or a manual refresh). */
  retryNow(): void {
    this.cluster?.retryNow();
    for (const lw of this.perNamespace.values()) lw.retryNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const all = [this.cluster, ...this.perNamespace.values()].filter((x): x is ListWatch => x !== undefined);
    await Promise.all(all.map((lw) => lw.stop()));
  }

  private startListWatch(namespace: string | undefined): ListWatch {
    let lastKey = '';
    const lw: ListWatch = new ListWatch({
      transport: this.opts.transport,
      ...(namespace ? { namespace } : {}),
      ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
      ...(this.opts.random ? { random: this.opts.random } : {}),
      ...(this.opts.now ? { now: this.opts.now } : {}),
      ...this.opts.timing,
      isPermanent,
      onChange: (changes) => {
        if (this.stopped) return;
        for (const c of changes) {
          if (c.type === 'upsert') this.items.set(c.key, c.object);
          else this.items.delete(c.key);
        }
        this.opts.onChange(changes);
      },
      onStatus: (status) => {
        if (this.stopped) return;
        // Only report transitions the board cares about, not every reconnect.
        const key = statusKey(status);
        if (key !== lastKey) {
          lastKey = key;
          if (!namespace && this.shouldFallBack(status)) {
            void this.fallBackToNamespaces();
            return;
          }
          this.opts.onStateChange();
        }
      },
    });
    return lw;
  }

  private shouldFallBack(status: ListWatchStatus): boolean {
    return this.opts.namespacedFallback === true && this.mode === 'cluster' && !status.synced && status.lastError?.status === 403;
  }

  private async fallBackToNamespaces(): Promise<void> {
    this.mode = 'namespaced';
    const cluster = this.cluster;
    this.cluster = undefined;
    await cluster?.stop();
    if (this.stopped) return;
    this.reconcileNamespaces();
    this.opts.onStateChange();
  }

  private reconcileNamespaces(): void {
    for (const ns of this.wanted) {
      if (!this.perNamespace.has(ns)) this.perNamespace.set(ns, this.startListWatch(ns));
    }
    for (const [ns, lw] of this.perNamespace) {
      if (this.wanted.has(ns)) continue;
      this.perNamespace.delete(ns);
      void lw.stop();
      const removed: CacheChange[] = [];
      for (const key of this.items.keys()) {
        if (key.startsWith(`${ns}/`)) removed.push({ type: 'delete', key });
      }
      for (const c of removed) this.items.delete(c.key);
      if (removed.length > 0) this.opts.onChange(removed);
    }
  }
}

function statusKey(s: ListWatchStatus): string {
  return `${s.synced}|${s.staleSince ?? ''}|${s.lastError ? `${s.lastError.kind}:${s.lastError.status ?? ''}:${s.lastError.message}` : ''}`;
}
