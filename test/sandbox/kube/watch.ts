// Watch streams: newline-delimited JSON events over a chunked response, started from the current
// state or resumed from a resourceVersion (410 ERROR event when the history no longer reaches
// back), with bookmarks, timeouts, the watch-list initial-events protocol, and the faults that
// stall or drop every open stream.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceType, typeKey } from './resources.js';
import { statusBody } from './status.js';
import { jsonAtVersion, type KubeStore, type StoredEntry, type StoreEvent } from './store.js';
import { toTable } from './table.js';

export interface WatchRequest {
  type: ResourceType;
  version: string;
  namespace?: string;
  /** the namespace, label and field selector test */
  match: (entry: StoredEntry) => boolean;
  /** null/''/'0' = start from the current state */
  resourceVersion: string | null;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  /** 0 = no server-side timeout */
  timeoutMs: number;
  /** set when the client asked for meta.k8s.io Table objects */
  table: { includeObject: string } | undefined;
}

interface WatchStream {
  res: ServerResponse;
  stalled: boolean;
  held: string[];
  close(): void;
}

export class WatchHub {
  private readonly streams = new Set<WatchStream>();
  private stalled = false;

  constructor(
    private readonly store: KubeStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  get size(): number {
    return this.streams.size;
  }

  serve(req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
    const store = this.store;
    const apiVersion = apiVersionOf(w.type.group, w.version);
    const key = typeKey(w.type.group, w.type.plural);

    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();

    const line = (type: string, entry: StoredEntry): string => {
      if (w.table) {
        const obj = entry.obj.apiVersion === apiVersion ? entry.obj : { ...entry.obj, apiVersion };
        return `{"type":"${type}","object":${JSON.stringify(toTable(w.type, w.version, [obj], { resourceVersion: String(entry.rv) }, w.table.includeObject))}}\n`;
      }
      return `{"type":"${type}","object":${jsonAtVersion(entry, apiVersion)}}\n`;
    };
    const bookmark = (annotations?: Record<string, string>): string =>
      `{"type":"BOOKMARK","object":{"kind":${JSON.stringify(w.type.kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${store.currentResourceVersion()}"${annotations ? `,"annotations":${JSON.stringify(annotations)}` : ''}}}}\n`;

    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = (): void => {};
    const stream: WatchStream = {
      res,
      stalled: this.stalled,
      held: [],
      close: () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        for (const t of timers) clearTimeout(t);
        this.streams.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    const write = (chunk: string): void => {
      if (closed) return;
      if (stream.stalled) stream.held.push(chunk);
      else res.write(chunk);
    };
    // A change that moves an object into or out of the selector is an ADDED or DELETED for this watch.
    const deliver = (ev: StoreEvent): void => {
      const now = w.match(ev.entry);
      const before = ev.prev !== undefined && w.match(ev.prev);
      if (ev.type === 'MODIFIED') {
        if (now && before) write(line('MODIFIED', ev.entry));
        else if (now) write(line('ADDED', ev.entry));
        else if (before) write(line('DELETED', ev.entry));
      } else if (now) {
        write(line(ev.type, ev.entry));
      }
    };
    const sendCurrentState = (): void => {
      for (const e of store.entries(w.type, w.namespace)) if (w.match(e)) write(line('ADDED', e));
    };

    this.streams.add(stream);
    res.on('close', () => stream.close());
    req.on('close', () => stream.close());

    const rv = w.resourceVersion;
    if (w.sendInitialEvents) {
      // Streaming list ("watch-list"): current state, then a bookmark marking its end.
      sendCurrentState();
      if (w.bookmarks) write(bookmark({ 'k8s.io/initial-events-end': 'true' }));
    } else if (rv === null || rv === '' || rv === '0') {
      sendCurrentState();
    } else {
      const since = Number(rv);
      const replay = Number.isInteger(since) ? store.eventsSince(since, key) : 'expired';
      if (replay === 'expired') {
        // As the real watch cache does: a 200 stream carrying one ERROR event, then the end.
        const status = statusBody(410, 'Expired', `too old resource version: ${rv} (${store.oldestResumableResourceVersion()})`);
        res.write(`{"type":"ERROR","object":${JSON.stringify(status)}}\n`);
        stream.close();
        return;
      }
      for (const ev of replay) deliver(ev);
    }
    unsubscribe = store.subscribe(key, deliver);
    if (w.bookmarks) {
      timers.push(
        setInterval(() => {
          if (!stream.stalled) write(bookmark());
        }, this.bookmarkIntervalMs),
      );
    }
    if (w.timeoutMs > 0) timers.push(setTimeout(() => stream.close(), w.timeoutMs));
  }

  /** Stalled streams stay open and send nothing; their events are held and sent on un-stall. */
  setStalled(stalled: boolean): void {
    this.stalled = stalled;
    for (const s of this.streams) {
      s.stalled = stalled;
      if (!stalled && s.held.length > 0) {
        const held = s.held.join('');
        s.held = [];
        s.res.write(held);
      }
    }
  }

  /** Cuts every stream without a clean end, as a broken connection would. */
  dropAll(): void {
    for (const s of [...this.streams]) {
      s.res.socket?.destroy();
      s.close();
    }
  }

  /** Ends every stream (server shutdown) and closes its connection. */
  closeAll(): void {
    for (const s of [...this.streams]) {
      s.close();
      s.res.socket?.destroy();
    }
  }
}
