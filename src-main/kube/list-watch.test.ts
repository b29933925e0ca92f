import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KubeRequestError } from './errors';
import { DEFAULT_LIST_PAGE_SIZE, ListWatch, type CacheChange, type ListWatchStatus, type ListWatchTransport, type WatchEvent } from './list-watch';
import { waitFor } from './test-helpers';

type Obj = { metadata: { namespace: string; name: string; resourceVersion?: string }; spec?: unknown };

/** An in-memory API server for one resource: versioned objects, watch history, faults. */
class FakeServer {
  rv = 100;
  oldestResumable = 0;
  objects = new Map<string, Obj>();
  history: Array<{ rv: number; event: WatchEvent }> = [];
  watchers = new Set<{ ns?: string; onEvent: (e: WatchEvent) => void; onDone: (e: unknown) => void }>();
  listFailures: unknown[] = [];
  watchFailures: unknown[] = [];
  listCalls: Array<{ namespace?: string; limit: number; continueToken?: string }> = [];
  watchCalls: Array<{ namespace?: string; resourceVersion: string }> = [];
  /** Open watches stay open but receive nothing (a stuck proxy); lists still work. */
  stalled = false;

  put(ns: string, name: string, spec: unknown = {}) {
    const key = `${ns}/${name}`;
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    this.rv += 1;
    const obj: Obj = { metadata: { namespace: ns, name, resourceVersion: String(this.rv) }, spec };
    this.objects.set(key, obj);
    this.emit({ type, object: obj }, ns);
  }
  delete(ns: string, name: string) {
    const obj = this.objects.get(`${ns}/${name}`);
    if (!obj) return;
    this.objects.delete(`${ns}/${name}`);
    this.rv += 1;
    this.emit({ type: 'DELETED', object: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } } }, ns);
  }
  bookmark() {
    this.rv += 1;
    if (this.stalled) return;
    for (const w of this.watchers) w.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(this.rv) } } });
  }
  private emit(event: WatchEvent, ns: string) {
    this.history.push({ rv: this.rv, event });
    if (this.stalled) return;
    for (const w of this.watchers) if (!w.ns || w.ns === ns) w.onEvent(event);
  }
  expireHistory() {
    this.oldestResumable = this.rv + 1;
  }
  closeWatches(error: unknown = null) {
    for (const w of [...this.watchers]) {
      this.watchers.delete(w);
      w.onDone(error);
    }
  }

  transport: ListWatchTransport = {
    list: async (params) => {
      this.listCalls.push(params);
      const failure = this.listFailures.shift();
      if (failure) throw failure;
      const all = [...this.objects.values()].filter((o) => !params.namespace || o.metadata.namespace === params.namespace);
      const start = params.continueToken ? Number(params.continueToken) : 0;
      const items = all.slice(start, start + params.limit);
      const next = start + params.limit < all.length ? String(start + params.limit) : undefined;
      return { items: structuredClone(items), resourceVersion: String(Math.max(this.rv, this.oldestResumable)), ...(next ? { continueToken: next } : {}) };
    },
    watch: async (params, onEvent, onDone) => {
      this.watchCalls.push({ resourceVersion: params.resourceVersion, ...(params.namespace ? { namespace: params.namespace } : {}) });
      const failure = this.watchFailures.shift();
      if (failure) {
        onDone(failure);
        return { abort: () => undefined };
      }
      const from = Number(params.resourceVersion);
      if (from < this.oldestResumable) {
        const w = { onEvent, onDone };
        queueMicrotask(() => {
          onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
          onDone(null);
        });
        return { abort: () => void w };
      }
      const w = { ...(params.namespace ? { ns: params.namespace } : {}), onEvent, onDone };
      for (const h of this.history) if (h.rv > from) onEvent(h.event);
      this.watchers.add(w);
      return { abort: () => this.watchers.delete(w) };
    },
  };
}

const running: ListWatch[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((lw) => lw.stop()));
});

function start(server: FakeServer, extra: Partial<ConstructorParameters<typeof ListWatch>[0]> = {}) {
  const changes: CacheChange[] = [];
  const statuses: ListWatchStatus[] = [];
  const lw = new ListWatch({
    transport: server.transport,
    backoff: { initialMs: 5, maxMs: 20 },
    onChange: (c) => changes.push(...c),
    onStatus: (s) => statuses.push(s),
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...extra,
  });
  running.push(lw);
  return { lw, changes, statuses };
}

describe('ListWatch', () => {
  it('lists a few thousand objects in one request by default (one consistent list, no paging)', async () => {
    const server = new FakeServer();
    for (let i = 0; i < 2_500; i += 1) server.put('ns', `o${i}`);
    const { lw } = start(server);
    await waitFor(() => lw.current.synced, 'sync');
    expect(server.listCalls).toHaveLength(1);
    expect(server.listCalls[0]?.limit).toBe(DEFAULT_LIST_PAGE_SIZE);
    expect(lw.items.size).toBe(2_500);
  });

  it('lists (paged), then applies watch events from the list resourceVersion', async () => {
    const server = new FakeServer();
    for (let i = 0; i < 5; i += 1) server.put('ns', `o${i}`);
    const { lw, changes } = start(server, { pageSize: 2 });
    await waitFor(() => lw.current.synced && server.watchers.size === 1, 'sync');
    expect(server.listCalls.map((c) => c.continueToken)).toEqual([undefined, '2', '4']);
    expect(lw.items.size).toBe(5);
    expect(server.watchCalls[0]?.resourceVersion).toBe('105');

    server.put('ns', 'o0', { changed: true });
    server.put('ns', 'new');
    server.delete('ns', 'o1');
    await waitFor(() => lw.items.size === 5 && lw.items.has('ns/new') && !lw.items.has('ns/o1'), 'events');
    expect((lw.items.get('ns/o0') as Obj).spec).toEqual({ changed: true });
    expect(changes.slice(5).map((c) => `${c.type}:${c.key}`)).toEqual(['upsert:ns/o0', 'upsert:ns/new', 'delete:ns/o1']);
  });

  it('resumes from the last bookmark after the server ends a watch', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const { lw } = start(server);
    await waitFor(() => server.watchers.size === 1, 'watch');
    server.bookmark();
    server.closeWatches();
    await waitFor(() => server.watchCalls.length === 2 && server.watchers.size === 1, 'rewatch');
    expect(server.watchCalls[1]?.resourceVersion).toBe(String(server.rv));
    expect(server.listCalls).toHaveLength(1);
    expect(lw.current.staleSince).toBeUndefined();
  });

  it('relists on 410 Gone and reports only what changed', async () => {
    const server = new FakeServer();
    server.put('ns', 'keep');
    server.put('ns', 'gone');
    const { lw, changes } = start(server);
    await waitFor(() => server.watchers.size === 1, 'watch');
    const before = changes.length;
    // Changes happen while no watch is open, and the history that would replay them expires.
    const watchers = [...server.watchers];
    server.watchers.clear();
    server.put('ns', 'added');
    server.delete('ns', 'gone');
    server.expireHistory();
    for (const w of watchers) w.onDone(null);
    await waitFor(() => server.listCalls.length === 2 && server.watchers.size === 1, 'relist');
    expect(changes.slice(before).map((c) => `${c.type}:${c.key}`)).toEqual(['upsert:ns/added', 'delete:ns/gone']);
    expect([...lw.items.keys()].sort()).toEqual(['ns/added', 'ns/keep']);
  });

  it('goes stale on a failed watch and fresh again on reconnect, without relisting', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const { lw, statuses } = start(server);
    await waitFor(() => server.watchers.size === 1, 'watch');
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    server.watchFailures.push(refused, refused);
    server.closeWatches(refused);
    await waitFor(() => server.watchers.size === 1 && server.watchCalls.length === 4, 'reconnect');
    const stale = statuses.find((s) => s.staleSince);
    expect(stale?.staleSince).toBe('2026-01-01T00:00:00.000Z');
    expect(stale?.lastError?.kind).toBe('network');
    expect(Math.max(...statuses.map((s) => s.consecutiveFailures))).toBe(3);
    await waitFor(() => lw.current.staleSince === undefined, 'fresh');
    expect(lw.current.consecutiveFailures).toBe(0);
    expect(server.listCalls).toHaveLength(1);
  });

  it('keeps retrying a forbidden list and reports the 403', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const forbidden = new KubeRequestError('http', 'pipelines is forbidden', { status: 403, reason: 'Forbidden' });
    server.listFailures.push(forbidden, forbidden);
    const { lw, statuses } = start(server);
    await waitFor(() => lw.current.synced, 'eventual sync');
    expect(statuses.filter((s) => s.lastError?.status === 403)).not.toHaveLength(0);
    expect(statuses.find((s) => s.lastError)?.synced).toBe(false);
    expect(server.listCalls).toHaveLength(3);
  });

  it('treats a watch ERROR event as a failure and a normal close as none', async () => {
    const server = new FakeServer();
    const { lw, statuses } = start(server);
    await waitFor(() => server.watchers.size === 1, 'watch');
    for (const w of [...server.watchers]) w.onEvent({ type: 'ERROR', object: { code: 500, message: 'internal error' } });
    await waitFor(() => statuses.some((s) => s.lastError?.status === 500 && s.lastError.message === 'internal error'), 'error reported');
    await waitFor(() => lw.current.phase === 'watching' && lw.current.lastError === undefined, 'recovered');
  });

  it('stops promptly, even during a long backoff', async () => {
    const server = new FakeServer();
    server.listFailures.push(new KubeRequestError('network', 'down'));
    const { lw } = start(server, { backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await waitFor(() => lw.current.phase === 'backoff', 'backoff');
    await lw.stop();
    expect(lw.current.phase).toBe('stopped');
    expect(server.listCalls).toHaveLength(1);
  });
});

describe('ListWatch: silent and overdue watches (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Lets the promise-based fake transport and the loop run without moving the clock. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i += 1) await vi.advanceTimersByTimeAsync(0);
  }

  async function synced(server: FakeServer, extra: Partial<ConstructorParameters<typeof ListWatch>[0]> = {}) {
    const started = start(server, { watchTimeoutSeconds: () => 20, ...extra });
    await settle();
    expect(started.lw.current.synced).toBe(true);
    expect(server.watchers.size).toBe(1);
    return started;
  }

  it('relists when a watch ends at its timeout without the bookmark the server sends before it', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const { lw, statuses } = await synced(server);
    server.bookmark(); // the server does send bookmarks
    server.stalled = true;
    server.put('ns', 'a', { changed: true });
    await vi.advanceTimersByTimeAsync(20_000);
    server.closeWatches(); // the stalled stream still ends at timeoutSeconds
    await settle();
    const stale = statuses.find((s) => s.lastError);
    expect(stale?.staleSince).toBe('2026-01-01T00:00:00.000Z');
    expect(stale?.lastError?.message).toBe('the watch stream delivered nothing for 20 s, not even a bookmark; re-reading the list');
    expect(server.listCalls).toHaveLength(2);
    expect((lw.items.get('ns/a') as Obj).spec).toEqual({ changed: true });
    expect(server.watchCalls).toHaveLength(2);
    expect(server.watchers.size).toBe(1);
    expect(lw.current).toMatchObject({ phase: 'watching', consecutiveFailures: 0 });
    expect(lw.current.staleSince).toBeUndefined();
  });

  it('does not relist a quiet resource whose watches end with a bookmark', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const { statuses } = await synced(server);
    for (let round = 0; round < 3; round += 1) {
      await vi.advanceTimersByTimeAsync(18_000);
      server.bookmark(); // as the apiserver's cacher does ~2 s before the deadline
      await vi.advanceTimersByTimeAsync(2_000);
      server.closeWatches();
      await settle();
    }
    expect(server.watchCalls).toHaveLength(4);
    expect(server.listCalls).toHaveLength(1);
    expect(statuses.some((s) => s.lastError || s.staleSince)).toBe(false);
  });

  it('aborts a watch still open and quiet 10 s past its timeout, then relists', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    const { lw, statuses } = await synced(server);
    server.stalled = true;
    server.put('ns', 'b');
    await vi.advanceTimersByTimeAsync(29_000);
    await settle();
    expect(server.watchCalls).toHaveLength(1);
    expect(server.listCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    await settle();
    expect(statuses.find((s) => s.lastError)?.lastError?.message).toBe('the watch stream delivered nothing for 30 s and outlived its 20 s timeout; re-reading the list');
    expect(server.listCalls).toHaveLength(2);
    expect(lw.items.has('ns/b')).toBe(true);
    expect(server.watchCalls).toHaveLength(2);
    expect(server.watchers.size).toBe(1); // the overdue one was aborted, the new one is open
  });

  it('without any bookmark seen, backs off relisting on silence while relists find nothing', async () => {
    const server = new FakeServer();
    server.put('ns', 'a');
    await synced(server);
    const endWatch = async () => {
      await vi.advanceTimersByTimeAsync(20_000);
      server.closeWatches();
      await settle();
    };
    await endWatch(); // t=20 s: the first silent end relists (nothing changed)
    expect(server.listCalls).toHaveLength(2);
    await endWatch(); // t=40 s: within 30 s of that fruitless relist, only re-watch
    expect(server.listCalls).toHaveLength(2);
    await endWatch(); // t=60 s: relist again (and the next wait doubles to 60 s)
    expect(server.listCalls).toHaveLength(3);
    await endWatch(); // t=80 s
    await endWatch(); // t=100 s
    expect(server.listCalls).toHaveLength(3);
    expect(server.watchCalls).toHaveLength(6);
  });
});
