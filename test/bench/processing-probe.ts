// Child process of the data-plane benchmark: what the board costs besides the network. It
// fetches the board's own list bodies (and each cluster's discovery) once and keeps them as
// the bytes arrived, then, with no network at all, times the main thread's busy milliseconds
// (event-loop utilisation: JavaScript and the garbage collector's pauses on that thread, not
// the collector's helper threads, which process CPU would add in):
// - parseOnly: decoding and JSON-parsing those bodies, all the raw baseline does with them;
// - board: a board service, the product's own code from kubeconfig load to every row built,
//   served the same bytes by an in-memory transport that parses them as the real one does
//   (kube-transport's listPageFromBody). First in a fresh process (cold: the app's case),
//   then again (warm).
// board − parseOnly is the processing the board adds per load. The board's main thread also
// receives the same bytes the raw fetch does, so when the raw fetch is CPU-bound (its CPU
// about equal to its wall time, which the dataplane JSON shows as rawFetchCpuMs),
// rawFetchMs + (board − parseOnly) bounds from below the wall time of a board that does its
// work on one thread.
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { createBoardService } from '../../src-main/kube/board-service';
import { listPageFromBody, servedGroupsFromBody, type ResourceType } from '../../src-main/kube/kube-transport';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import type { ListWatchTransport } from '../../src-main/kube/list-watch';
import type { RawListTarget } from './raw-fetch-probe';

type Start = { kubeconfig: string; targets: RawListTarget[]; expected: number; boardRuns: number };

export interface ProcessingFigures {
  /** decode + JSON.parse of every list body, main-thread ms, median of 3 */
  parseOnlyBusyMs: number;
  /** the board service over the same bytes, kubeconfig load to ready, main-thread busy ms, first in a fresh process */
  boardColdBusyMs: number;
  /** the same again in the same process, median */
  boardWarmBusyMs: number;
  /** bytes of list bodies served (all pages) */
  listBytes: number;
}

/** Bodies by "context path-without-query continue". */
type HeldBodies = Map<string, Buffer[]>;

function bodyKey(context: string, pathname: string, continueToken = ''): string {
  return `${context} ${pathname} ${continueToken}`;
}

async function fetchChunks(server: URL, options: https.RequestOptions, agent: https.Agent, path: string): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, server), { ...options, agent, method: 'GET', headers: { ...options.headers, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(chunks) : reject(new Error(`GET ${path}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const parse = (chunks: Buffer[]): unknown => JSON.parse(Buffer.concat(chunks).toString('utf8'));

async function holdBodies(kubeconfig: string, targets: RawListTarget[]): Promise<{ lists: HeldBodies; discovery: Map<string, Buffer[]> }> {
  const loaded = loadKubeconfig({ explicitPath: kubeconfig });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const lists: HeldBodies = new Map();
  const discovery = new Map<string, Buffer[]>();
  const agent = new https.Agent({ keepAlive: true });
  try {
    for (const t of targets) {
      const kc = loaded.value.forContext(t.context);
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      const server = new URL(kc.getCurrentCluster()!.server);
      if (!discovery.has(t.context)) discovery.set(t.context, await fetchChunks(server, options, agent, '/apis'));
      const url = new URL(t.path, 'https://x');
      let continueToken = '';
      for (;;) {
        if (continueToken) url.searchParams.set('continue', continueToken);
        const chunks = await fetchChunks(server, options, agent, url.pathname + url.search);
        lists.set(bodyKey(t.context, url.pathname, continueToken), chunks);
        const next = (parse(chunks) as { metadata?: { continue?: string } }).metadata?.continue;
        if (!next) break;
        continueToken = next;
      }
    }
  } finally {
    agent.destroy();
  }
  return { lists, discovery };
}

/** Milliseconds the main thread has been busy (not waiting in the event loop) so far. */
function busyNow(): number {
  return performance.eventLoopUtilization().active;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** One board load over the held bytes: main-thread busy ms from service creation to every pipeline built and every cluster connected. */
async function boardOverHeldBodies(start: Start, held: { lists: HeldBodies; discovery: Map<string, Buffer[]> }): Promise<number> {
  let failLoad: (error: Error) => void = () => undefined;
  const transport = (context: string, resource: ResourceType): ListWatchTransport => {
    const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    return {
      list({ namespace, continueToken }) {
        const pathname = namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}` : `${base}/${resource.plural}`;
        const chunks = held.lists.get(bodyKey(context, pathname, continueToken));
        // A request the live load did not make means the two loads differ: fail at once, not with a slower figure.
        if (!chunks) {
          const error = new Error(`the board asked ${context} for ${pathname}, which the live load did not`);
          failLoad(error);
          return Promise.reject(error);
        }
        return Promise.resolve(listPageFromBody(parse(chunks), resource));
      },
      watch: () => Promise.resolve({ abort: () => undefined }),
    };
  };
  const busy0 = busyNow();
  const service = createBoardService({
    loadKubeconfig: () => loadKubeconfig({ explicitPath: start.kubeconfig }),
    watchKubeconfig: false,
    createTransport: (kc, resource) => transport(kc.getCurrentContext(), resource),
    discover: (kc) => {
      const chunks = held.discovery.get(kc.getCurrentContext());
      return chunks ? Promise.resolve(servedGroupsFromBody(parse(chunks))) : Promise.reject(new Error(`no discovery held for ${kc.getCurrentContext()}`));
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      failLoad = reject;
      const timer = setTimeout(() => reject(new Error('the board over held bodies was not ready in 120 s')), 120_000);
      const check = (): void => {
        const snapshot = service.snapshot();
        if (snapshot.pipelines.length >= start.expected && snapshot.clusters.length > 0 && snapshot.clusters.every((c) => c.state === 'connected')) {
          clearTimeout(timer);
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = service.subscribe(check);
    });
    return busyNow() - busy0;
  } finally {
    await service.stop();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

process.once('message', (raw) => {
  void (async () => {
    const start = raw as Start;
    const held = await holdBodies(start.kubeconfig, start.targets);
    collectGarbage();
    const boardColdBusyMs = await boardOverHeldBodies(start, held);
    const parseOnly: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      collectGarbage();
      // Synchronous, so its wall time is main-thread time.
      const t0 = performance.now();
      for (const chunks of held.lists.values()) parse(chunks);
      parseOnly.push(performance.now() - t0);
    }
    const warm: number[] = [];
    for (let i = 0; i < Math.max(1, start.boardRuns - 1); i += 1) {
      collectGarbage();
      warm.push(await boardOverHeldBodies(start, held));
    }
    let listBytes = 0;
    for (const chunks of held.lists.values()) for (const c of chunks) listBytes += c.length;
    const figures: ProcessingFigures = {
      parseOnlyBusyMs: Math.round(median(parseOnly)),
      boardColdBusyMs: Math.round(boardColdBusyMs),
      boardWarmBusyMs: Math.round(median(warm)),
      listBytes,
    };
    process.send!({ type: 'processing', ...figures });
  })().catch((error: unknown) => process.send!({ type: 'failed', message: (error as Error).message }));
});
process.on('message', (m) => {
  if ((m as { type?: string }).type === 'stop') process.exit(0);
});
process.send!({ type: 'started' });
