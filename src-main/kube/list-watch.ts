// A reflector: list once, then watch from the list's resourceVersion, keeping a local
// cache of one resource (cluster-wide or in one namespace). It resumes watches from the
// last seen resourceVersion (bookmarks keep it fresh on quiet resources), relists on
// 410 Gone, retries failures with capped exponential backoff and full jitter, and reports
// when its data went stale. Our own loop rather than client-node's informer because the
// board needs the staleness clock, the 403/404 distinction and a diff on relist.

import { KubeRequestError, toKubeRequestError } from './errors';

export interface ListPage {
  items: unknown[];
  resourceVersion: string;
  continueToken?: string;
}

export interface WatchEvent {
  type: string; // ADDED | MODIFIED | DELETED | BOOKMARK | ERROR
  object: unknown;
}

export interface WatchHandle {
  abort(): void;
}

/** The HTTP side, injectable so the loop is testable without a server. */
export interface ListWatchTransport {
  list(params: { namespace?: string; limit: number; continueToken?: string }): Promise<ListPage>;
  /**
   * Opens a watch. Resolves once the server accepted it (or `onDone` already ran with an
   * error). `onDone(null)` = the server ended the stream normally.
   */
  watch(
    params: { namespace?: string; resourceVersion: string; timeoutSeconds: number },
    onEvent: (event: WatchEvent) => void,
    onDone: (error: unknown) => void,
  ): Promise<WatchHandle>;
}

export type CacheChange = { type: 'upsert'; key: string; object: unknown } | { type: 'delete'; key: string };

export interface ListWatchStatus {
  phase: 'listing' | 'watching' | 'backoff' | 'stopped';
  /** The first list has completed at least once. */
  synced: boolean;
  /** Set while the data may be out of date (a list or watch is failing), ISO time. */
  staleSince?: string;
  lastError?: KubeRequestError;
  consecutiveFailures: number;
}

export interface ListWatchOptions {
  transport: ListWatchTransport;
  namespace?: string;
  pageSize?: number;
  /** Server-side watch timeout; kept under client-node's 30 s inactivity timer. */
  watchTimeoutSeconds?: () => number;
  backoff?: { initialMs?: number; maxMs?: number };
  random?: () => number;
  now?: () => Date;
  onChange: (changes: CacheChange[]) => void;
  onStatus?: (status: ListWatchStatus) => void;
  /** Errors after which retrying is pointless until something changes; still retried at maxMs. */
  isPermanent?: (error: KubeRequestError) => boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function meta(obj: unknown): { namespace?: string; name?: string; resourceVersion?: string } {
  const m = isRecord(obj) && isRecord(obj.metadata) ? obj.metadata : {};
  const out: { namespace?: string; name?: string; resourceVersion?: string } = {};
  if (typeof m.namespace === 'string') out.namespace = m.namespace;
  if (typeof m.name === 'string') out.name = m.name;
  if (typeof m.resourceVersion === 'string') out.resourceVersion = m.resourceVersion;
  return out;
}

/** Cache key: "namespace/name" (cluster-scoped objects: "/name"). */
export function objectKey(obj: unknown): string | undefined {
  const m = meta(obj);
  return m.name ? `${m.namespace ?? ''}/${m.name}` : undefined;
}

const EXPIRED = Symbol('expired');
/**
 * kubectl pages at 500 because it prints and exits; we are a long-running reflector that
 * wants one consistent snapshot per (re)list, and every extra page is another round trip
 * (and, on the API server, another continue-token read) before the board can be built.
 * 10,000 keeps fleets of the size we target (≤ 10,000 objects of one kind) to one request,
 * while still bounding a single response on far larger clusters, which then page.
 */
export const DEFAULT_LIST_PAGE_SIZE = 10_000;
const MAX_PAGES = 10_000;

export class ListWatch {
  readonly items = new Map<string, unknown>();
  private readonly opts: Required<Pick<ListWatchOptions, 'pageSize' | 'random' | 'now'>> & ListWatchOptions;
  private status: ListWatchStatus = { phase: 'listing', synced: false, consecutiveFailures: 0 };
  private resourceVersion = '';
  private stopped = false;
  private handle: WatchHandle | undefined;
  private cancelWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(opts: ListWatchOptions) {
    this.opts = { pageSize: DEFAULT_LIST_PAGE_SIZE, random: Math.random, now: () => new Date(), ...opts };
    this.loop = this.run();
  }

  get current(): ListWatchStatus {
    return this.status;
  }

  /** Stops the loop and closes the watch; resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelWatch?.();
    this.wake?.();
    await this.loop;
  }

  /** Skips the current backoff wait (e.g. after a kubeconfig reload). */
  retryNow(): void {
    this.wake?.();
  }

  private setStatus(patch: Partial<ListWatchStatus>): void {
    const next: ListWatchStatus = { ...this.status, ...patch };
    for (const k of Object.keys(patch) as Array<keyof ListWatchStatus>) if (patch[k] === undefined) delete next[k];
    this.status = next;
    try {
      this.opts.onStatus?.(next);
    } catch {
      // A listener bug must not kill the reflector loop.
    }
  }

  private emit(changes: CacheChange[]): void {
    try {
      this.opts.onChange(changes);
    } catch {
      // Same: the cache stays correct even if a consumer throws.
    }
  }

  private async run(): Promise<void> {
    let needList = true;
    let listedAt = 0;
    while (!this.stopped) {
      if (needList) {
        this.setStatus({ phase: 'listing' });
        try {
          await this.relist();
          listedAt = Date.now();
          needList = false;
          this.setStatus({ phase: 'watching', synced: true, staleSince: undefined, lastError: undefined, consecutiveFailures: 0 });
        } catch (e) {
          if (this.stopped) break;
          await this.fail(toKubeRequestError(e));
          continue;
        }
      }
      const started = Date.now();
      const outcome = await this.watchOnce();
      if (this.stopped) break;
      if (outcome === null && Date.now() - started < 1000) {
        // A server that keeps ending watches at once must not turn this loop into a spin.
        await this.pause(this.opts.backoff?.initialMs ?? 500);
      } else if (outcome === EXPIRED) {
        needList = true;
        // A 410 right after a fresh list means the server cannot serve our version at
        // all; back off instead of relisting in a tight loop.
        if (Date.now() - listedAt < 1000) await this.fail(new KubeRequestError('http', 'resource version expired right after listing', { status: 410, reason: 'Expired' }));
      } else if (outcome !== null) {
        await this.fail(outcome);
        // A long outage may have outlived the server's watch history; the resumed watch
        // then answers 410 and we relist.
      }
    }
    this.setStatus({ phase: 'stopped' });
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, unknown>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const params: { namespace?: string; limit: number; continueToken?: string } = { limit: this.opts.pageSize };
      if (this.opts.namespace) params.namespace = this.opts.namespace;
      if (continueToken) params.continueToken = continueToken;
      const result = await this.opts.transport.list(params);
      if (this.stopped) return;
      for (const item of result.items) {
        const key = objectKey(item);
        if (key) fresh.set(key, item);
      }
      resourceVersion = result.resourceVersion;
      continueToken = result.continueToken;
      if (!continueToken) break;
    }
    // Diff against the cache so a relist after 410 reports only what really changed.
    const changes: CacheChange[] = [];
    for (const [key, obj] of fresh) {
      const old = this.items.get(key);
      if (old === undefined || meta(old).resourceVersion !== meta(obj).resourceVersion || meta(obj).resourceVersion === undefined) {
        this.items.set(key, obj);
        changes.push({ type: 'upsert', key, object: obj });
      }
    }
    for (const key of [...this.items.keys()]) {
      if (!fresh.has(key)) {
        this.items.delete(key);
        changes.push({ type: 'delete', key });
      }
    }
    this.resourceVersion = resourceVersion;
    if (changes.length > 0) this.emit(changes);
  }

  /** One watch request. Resolves null on a normal end, EXPIRED on 410, or the error. */
  private watchOnce(): Promise<KubeRequestError | typeof EXPIRED | null> {
    return new Promise((resolve) => {
      let settled = false;
      let accepted = false;
      const settle = (value: KubeRequestError | typeof EXPIRED | null) => {
        if (settled) return;
        settled = true;
        this.cancelWatch = undefined;
        this.handle?.abort();
        this.handle = undefined;
        resolve(value);
      };
      // Transports need not report an abort through onDone; stop() settles directly.
      this.cancelWatch = () => settle(null);
      const onEvent = (event: WatchEvent) => {
        if (settled) return;
        if (event.type === 'ERROR') {
          const status = isRecord(event.object) ? event.object : {};
          const code = typeof status.code === 'number' ? status.code : 0;
          if (code === 410) return settle(EXPIRED);
          const message = typeof status.message === 'string' ? status.message : 'watch error';
          return settle(new KubeRequestError('http', message, { status: code || 500, ...(typeof status.reason === 'string' ? { reason: status.reason } : {}) }));
        }
        const m = meta(event.object);
        if (m.resourceVersion) this.resourceVersion = m.resourceVersion;
        if (event.type === 'BOOKMARK') return;
        const key = objectKey(event.object);
        if (!key) return;
        if (event.type === 'DELETED') {
          if (this.items.delete(key)) this.emit([{ type: 'delete', key }]);
        } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          this.items.set(key, event.object);
          this.emit([{ type: 'upsert', key, object: event.object }]);
        }
      };
      const onDone = (error: unknown) => {
        if (!error) return settle(null);
        const e = toKubeRequestError(error);
        if (e.status === 410) return settle(EXPIRED);
        // client-node's inactivity timer on an accepted, quiet watch is not an outage.
        if (accepted && e.kind === 'network' && /timed out/.test(e.message)) return settle(null);
        settle(e);
      };
      const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? 20 + Math.floor(this.opts.random() * 8);
      const params: { namespace?: string; resourceVersion: string; timeoutSeconds: number } = {
        resourceVersion: this.resourceVersion,
        timeoutSeconds,
      };
      if (this.opts.namespace) params.namespace = this.opts.namespace;
      this.opts.transport.watch(params, onEvent, onDone).then(
        (handle) => {
          if (settled || this.stopped) {
            handle.abort();
            if (!settled) settle(null);
            return;
          }
          accepted = true;
          this.handle = handle;
          if (this.status.staleSince || this.status.consecutiveFailures > 0 || this.status.phase !== 'watching') {
            this.setStatus({ phase: 'watching', staleSince: undefined, lastError: undefined, consecutiveFailures: 0 });
          }
        },
        (error: unknown) => onDone(error ?? new Error('watch failed')),
      );
    });
  }

  private async fail(error: KubeRequestError): Promise<void> {
    const failures = this.status.consecutiveFailures + 1;
    this.setStatus({
      phase: 'backoff',
      lastError: error,
      consecutiveFailures: failures,
      staleSince: this.status.staleSince ?? this.opts.now().toISOString(),
    });
    const initial = this.opts.backoff?.initialMs ?? 500;
    const max = this.opts.backoff?.maxMs ?? 30_000;
    const permanent = this.opts.isPermanent?.(error) ?? false;
    const cap = permanent ? max : Math.min(max, initial * 2 ** Math.min(failures - 1, 20));
    // Equal jitter (between half and all of the cap) so many watchers do not reconnect in step.
    await this.pause(cap / 2 + this.opts.random() * (cap / 2));
  }

  private pause(delay: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, delay);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}
