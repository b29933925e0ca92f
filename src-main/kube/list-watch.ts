// A reflector: list once, then watch from the list's resourceVersion, keeping a local
// cache of one resource (cluster-wide or in one namespace). It resumes watches from the
// last seen resourceVersion (bookmarks keep it fresh on quiet resources), relists on
// 410 Gone, retries failures with capped exponential backoff and full jitter, and reports
// when its data went stale. It also notices a watch stream that stays open but delivers
// nothing (a stalled proxy or server): see the silent-watch options. Our own loop rather than client-node's informer because the
// board needs the staleness clock, the 403/404 distinction and a diff on relist.

import { backoffDelay, type BackoffOptions } from './backoff';
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
  watch(params: { namespace?: string; resourceVersion: string; timeoutSeconds: number }, onEvent: (event: WatchEvent) => void, onDone: (error: unknown) => void): Promise<WatchHandle>;
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
  backoff?: BackoffOptions;
  random?: () => number;
  now?: () => Date;
  onChange: (changes: CacheChange[]) => void;
  onStatus?: (status: ListWatchStatus) => void;
  /** Errors after which retrying is pointless until something changes; still retried at maxMs. */
  isPermanent?: (error: KubeRequestError) => boolean;
  /**
   * Silent-watch detection. The transport asks for bookmarks, and the kube-apiserver's
   * watch cache sends each such watcher a BOOKMARK about 2 s before the watch's deadline
   * (and roughly every minute), see cacheWatcher.nextBookmarkTime in
   * k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go. So a watch that ran to its
   * timeout and delivered nothing in its last `quietTailMs` did not see the server's
   * events: the stream was stalled somewhere, and its resourceVersion cannot be trusted
   * to have caught up. We then relist (and diff) instead of only re-watching.
   */
  silentWatch?: {
    /** A watch must have run this long before its silence means anything (default 15 s). */
    minRunMs?: number;
    /** Nothing for this long before a normal end = silent (default 5 s; the server's bookmark comes ~2 s before). */
    quietTailMs?: number;
    /** A watch open with no event this long past its timeoutSeconds is aborted (default 10 s). */
    watchdogGraceMs?: number;
    /**
     * Until this reflector has seen one bookmark, the server may be one that sends none
     * (no watch cache, or an idle resource on an older cacher). Each relist on silence that
     * found nothing then doubles the wait before the next one (from 30 s), up to this, so a
     * quiet cluster without bookmarks does not relist after every watch (default 5 min).
     */
    unverifiedRelistMaxMs?: number;
  };
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
/** A watch ended normally but had delivered nothing, not even the promised bookmark. */
/** How long a watch runs and when its silence counts as a stall (production keeps the defaults; tests shorten them). */
export type WatchTiming = Pick<ListWatchOptions, 'watchTimeoutSeconds' | 'silentWatch'>;

const SILENT = Symbol('silent');
/** A watch outlived its own timeoutSeconds with nothing on the stream; we aborted it. */
const OVERDUE = Symbol('overdue');
type WatchOutcome = KubeRequestError | typeof EXPIRED | typeof SILENT | typeof OVERDUE | null;
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
  private bookmarksSeen = false;
  private fruitlessSilenceRelists = 0;
  private silentRelistNotBefore = 0;
  /** How long the last silent/overdue watch had been quiet, for the message. */
  private quietMs = 0;
  private lastTimeoutSeconds = 0;
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
    let silenceRelist = false;
    while (!this.stopped) {
      if (needList) {
        this.setStatus({ phase: 'listing' });
        try {
          const changed = await this.relist();
          listedAt = Date.now();
          if (silenceRelist) this.noteSilenceRelist(changed);
          silenceRelist = false;
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
      if (outcome === SILENT || outcome === OVERDUE) {
        // A server that never bookmarks makes every quiet watch look silent; see unverifiedRelistMaxMs.
        if (outcome === OVERDUE || this.bookmarksSeen || Date.now() >= this.silentRelistNotBefore) {
          const seconds = Math.round(this.quietMs / 1000);
          const message =
            outcome === OVERDUE
              ? `the watch stream delivered nothing for ${seconds} s and outlived its ${this.lastTimeoutSeconds} s timeout; re-reading the list`
              : `the watch stream delivered nothing for ${seconds} s, not even a bookmark; re-reading the list`;
          this.setStatus({ lastError: new KubeRequestError('network', message), staleSince: this.status.staleSince ?? this.opts.now().toISOString() });
          needList = true;
          silenceRelist = true;
        }
        continue;
      }
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

  private noteSilenceRelist(changed: number): void {
    if (this.bookmarksSeen || changed > 0) {
      this.fruitlessSilenceRelists = 0;
      this.silentRelistNotBefore = 0;
      return;
    }
    this.fruitlessSilenceRelists += 1;
    const max = this.opts.silentWatch?.unverifiedRelistMaxMs ?? 300_000;
    this.silentRelistNotBefore = Date.now() + Math.min(max, 30_000 * 2 ** Math.min(this.fruitlessSilenceRelists - 1, 20));
  }

  /** Lists everything and diffs it into the cache; resolves the number of changes. */
  private async relist(): Promise<number> {
    const fresh = new Map<string, unknown>();
    let continueToken: string | undefined;
    let resourceVersion = '';
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const params: { namespace?: string; limit: number; continueToken?: string } = { limit: this.opts.pageSize };
      if (this.opts.namespace) params.namespace = this.opts.namespace;
      if (continueToken) params.continueToken = continueToken;
      const result = await this.opts.transport.list(params);
      if (this.stopped) return 0;
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
    return changes.length;
  }

  /**
   * One watch request. Resolves null on a normal end, EXPIRED on 410, SILENT on a normal
   * end after a silent stretch, OVERDUE when the watchdog aborted it, or the error.
   */
  private watchOnce(): Promise<WatchOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      let accepted = false;
      const startedAt = Date.now();
      let lastHeardAt = startedAt;
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const settle = (value: WatchOutcome) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearTimeout(watchdog);
        this.cancelWatch = undefined;
        this.handle?.abort();
        this.handle = undefined;
        resolve(value);
      };
      // Transports need not report an abort through onDone; stop() settles directly.
      this.cancelWatch = () => settle(null);
      const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? 20 + Math.floor(this.opts.random() * 8);
      this.lastTimeoutSeconds = timeoutSeconds;
      const silent = this.opts.silentWatch ?? {};
      // The server promised to end this stream at timeoutSeconds; one open and quiet well
      // past that is dead (a half-open connection, a stuck proxy), whatever TCP thinks.
      // Armed once the server accepted the watch: before that the transport may still be
      // waiting for a credential plugin, which reports its own errors.
      const armWatchdog = () => {
        if (!accepted || settled) return;
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(
          () => {
            this.quietMs = Date.now() - lastHeardAt;
            settle(OVERDUE);
          },
          timeoutSeconds * 1000 + (silent.watchdogGraceMs ?? 10_000),
        );
      };
      const onEvent = (event: WatchEvent) => {
        if (settled) return;
        lastHeardAt = Date.now();
        armWatchdog();
        if (event.type === 'ERROR') {
          const status = isRecord(event.object) ? event.object : {};
          const code = typeof status.code === 'number' ? status.code : 0;
          if (code === 410) return settle(EXPIRED);
          const message = typeof status.message === 'string' ? status.message : 'watch error';
          return settle(new KubeRequestError('http', message, { status: code || 500, ...(typeof status.reason === 'string' ? { reason: status.reason } : {}) }));
        }
        const m = meta(event.object);
        if (m.resourceVersion) this.resourceVersion = m.resourceVersion;
        if (event.type === 'BOOKMARK') {
          this.bookmarksSeen = true;
          return;
        }
        const key = objectKey(event.object);
        if (!key) return;
        if (event.type === 'DELETED') {
          if (this.items.delete(key)) this.emit([{ type: 'delete', key }]);
        } else if (event.type === 'ADDED' || event.type === 'MODIFIED') {
          this.items.set(key, event.object);
          this.emit([{ type: 'upsert', key, object: event.object }]);
        }
      };
      const endedNormally = () => {
        const now = Date.now();
        const quiet = now - lastHeardAt;
        if (accepted && now - startedAt >= (silent.minRunMs ?? 15_000) && quiet >= (silent.quietTailMs ?? 5_000)) {
          this.quietMs = quiet;
          return settle(SILENT);
        }
        settle(null);
      };
      const onDone = (error: unknown) => {
        if (!error) return endedNormally();
        const e = toKubeRequestError(error);
        if (e.status === 410) return settle(EXPIRED);
        // client-node's inactivity timer on an accepted, quiet watch is not an outage.
        if (accepted && e.kind === 'network' && /timed out/.test(e.message)) return endedNormally();
        settle(e);
      };
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
          armWatchdog();
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
    const permanent = this.opts.isPermanent?.(error) ?? false;
    await this.pause(backoffDelay(failures, this.opts.backoff, this.opts.random, permanent));
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
