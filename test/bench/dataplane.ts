// Data-plane benchmark: the board service against the sandbox at scale:N, side by side with
// kubectl against the same servers. The board service runs in a child process of its own
// (board-probe.ts) so the heap figure is its alone, as it would be in the app's main process.
//
// Figures: boardReadyMs (service created → every pipeline on the board with all clusters
// connected), boardReadyCpuMs (CPU the board process used meanwhile), rawFetchMs (the physical
// limit: the board's own list URLs fetched in parallel and JSON-parsed, nothing else; median of
// runs before and after the board's load, see raw-fetch-probe.ts) and ratioToRaw, rawFetchCpuMs and
// rawFetchBusyMs (the raw process's CPU, and its main thread's busy time, for those runs),
// processing (the same bodies held in memory: what parsing alone costs against the whole board
// service, main-thread time; see processing-probe.ts), kubectlMs (kubectl get pipelines,helmreleases -A -o json on every cluster in
// parallel, wall time), requestsPerCluster (requests the full load made — discovery and lists,
// worst cluster), watchStreamsPerCluster (long-lived WATCH streams open once the board is live,
// worst cluster; reported apart because a stream is not a per-load request), updateLatencyP95Ms (HelmRelease status written on the API server → board change
// carrying the new version in the app process, 100 changes), mainHeapMB (heap used after GC with the board loaded),
// tokens.reportReadyMs (with the board loaded and idle: token report requested → built, every
// promotion Secret read and every distinct token inspected at the sandbox forge).
// BENCH_PROBE_CPU_PROF=<dir> writes a V8 CPU profile of the board process there (--cpu-prof).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { BOARD_RESOURCES } from '../../src-main/kube/kube-transport';
import type { ProcessingFigures } from './processing-probe';
import type { RawListTarget } from './raw-fetch-probe';
import { percentile } from './stats';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface DataplaneBenchResult {
  /** median of boardReadyRunsMs */
  boardReadyMs: number;
  /** each load's wall time, each in a fresh board process (a cold start, as the app's): the spread is machine noise */
  boardReadyRunsMs: number[];
  /** CPU the board process spent until ready (user + system), median over the loads: steadier than wall time on a busy machine. */
  boardReadyCpuMs: number;
  /** median of rawFetchRunsMs */
  rawFetchMs: number;
  /** the raw process's CPU (user + system) per run, median (it includes the garbage collector's helper threads) */
  rawFetchCpuMs: number;
  /** the raw process's main thread busy (not waiting for the network) per run, median */
  rawFetchBusyMs: number;
  ratioToRaw: number;
  /** each raw run's wall time, before and after the board's load: the spread is machine noise */
  rawFetchRunsMs: { before: number[]; after: number[] };
  /** the list URLs fetched (cluster context and path as the board requested them) */
  rawFetchTargets: RawListTarget[];
  /** when the board load sent each request ("cluster GET route" → ms after the board service was started): where the gap to raw goes */
  loadRequestTimeline: Record<string, number>;
  /**
   * The board's processing apart from the network (absent when skipped): the same list bodies
   * held in memory, parsed alone vs. run through the board service. `singleThreadFloorRatio` =
   * (rawFetchBusyMs − parseOnlyBusyMs + boardColdBusyMs) / rawFetchMs: the board's main thread
   * handles the same bytes as the raw fetch's (TLS, HTTP) and then its own processing, so a
   * board doing its work on one thread cannot have a ratioToRaw below it.
   */
  processing?: ProcessingFigures & { singleThreadFloorRatio: number };
  /** absent when the run skipped kubectl */
  kubectlMs?: number;
  ratioToKubectl?: number;
  requestsPerCluster: number;
  watchStreamsPerCluster: number;
  requestsByCluster: Record<string, Record<string, number>>;
  updateLatencyP95Ms: number;
  updateLatencyMedianMs: number;
  mainHeapMB: number;
  changesMeasured: number;
  /** absent when the run skipped the token report */
  tokens?: TokensBenchResult;
}

export interface TokensBenchResult {
  /** board loaded → token report built (every Secret read, every distinct token inspected) */
  reportReadyMs: number;
  secretsRead: number;
  distinctTokens: number;
  /** entries by state: all 'valid' means every token was really checked at the forge */
  states: Record<string, number>;
}

function runKubectl(kubeconfig: string, context: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--context', context, 'get', 'pipelines.pipelines.weave.works,helmreleases.helm.toolkit.fluxcd.io', '-A', '-o', 'json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl ${context} failed: ${stderr}`))));
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

type ProbeMessage =
  | { type: 'started' }
  | { type: 'ready'; boardReadyMs: number; boardReadyCpuMs: number; heapMB: number; pipelines: number; clusters: unknown }
  | { type: 'seen'; key: string; at: string }
  | ({ type: 'tokens' } & TokensBenchResult);

type RawMessage = { type: 'started' } | { type: 'prepared' } | ({ type: 'done'; requests: number } & RawRun) | { type: 'failed'; message: string };

function forkProbe(script: string, cpuProfile: boolean) {
  return fork(path.join(import.meta.dirname, script), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--expose-gc', ...(cpuProfile && process.env.BENCH_PROBE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROBE_CPU_PROF] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function nextMessage<M extends { type: string }>(child: ChildProcess, type: M['type'], timeoutMs: number): Promise<M> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no '${type}' from the probe in ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onMessage = (raw: unknown) => {
      const m = raw as M;
      if (m.type === 'failed') reject(new Error((m as unknown as { message: string }).message));
      else if (m.type !== type) return;
      else resolve(m);
      clearTimeout(timer);
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
  });
}

async function stopProbe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  await exited;
}

const LISTED_PLURALS: ReadonlySet<string> = new Set(Object.values(BOARD_RESOURCES).map((r) => r.plural));

/** The first successful list request per (cluster, route) since the logs were reset: the board's own list URLs. */
function boardListTargets(sandbox: Sandbox): RawListTarget[] {
  const targets: RawListTarget[] = [];
  for (const cluster of sandbox.clusters) {
    const context = sandbox.info.clusters.find((c) => c.name === cluster.name)!.context;
    const routes = new Set<string>();
    for (const e of cluster.api.requestLog.entries()) {
      const plural = e.path.split('?')[0]!.split('/').at(-1)!;
      if (e.method !== 'GET' || !e.route.startsWith('GET ') || e.status !== 200 || !LISTED_PLURALS.has(plural) || routes.has(e.route)) continue;
      routes.add(e.route);
      targets.push({ context, path: e.path });
    }
  }
  return targets;
}

function sameTargets(a: RawListTarget[], b: RawListTarget[]): boolean {
  const key = (ts: RawListTarget[]) =>
    ts
      .map((t) => `${t.context} ${t.path}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}

/** The list URLs the board service requests, learnt from a board load on a tiny sandbox of the same shape. */
export async function learnBoardListTargets(): Promise<RawListTarget[]> {
  const sandbox = await startSandbox({ seed: 'scale:3', fluxDelayMs: 0 });
  const probe = forkProbe('board-probe.ts', false);
  try {
    await nextMessage(probe, 'started', 30_000);
    for (const c of sandbox.clusters) c.api.requestLog.reset();
    const ready = nextMessage(probe, 'ready', 60_000);
    probe.send({ kubeconfig: sandbox.info.kubeconfig, expected: 3, watchVersionPrefix: '9.' });
    await ready;
    return boardListTargets(sandbox);
  } finally {
    await stopProbe(probe);
    await sandbox.stop();
  }
}

/** One raw fetch run: wall, process CPU and main-thread busy milliseconds. */
type RawRun = { ms: number; cpuMs: number; busyMs: number };

/** Raw fetch runs, each a fresh set of connections, in a process of its own. */
async function rawFetchRuns(kubeconfig: string, targets: RawListTarget[], runs: number): Promise<RawRun[]> {
  const child = forkProbe('raw-fetch-probe.ts', false);
  try {
    await nextMessage(child, 'started', 30_000);
    const prepared = nextMessage(child, 'prepared', 30_000);
    child.send({ kubeconfig, targets });
    await prepared;
    const times: RawRun[] = [];
    for (let i = 0; i < runs; i += 1) {
      const done = nextMessage<Extract<RawMessage, { type: 'done' }>>(child, 'done', 120_000);
      child.send({ type: 'run' });
      const { ms, cpuMs, busyMs } = await done;
      times.push({ ms: Math.round(ms), cpuMs: Math.round(cpuMs), busyMs: Math.round(busyMs) });
    }
    return times;
  } finally {
    await stopProbe(child);
  }
}

/** One more board load in a fresh process (no update phase): wall and CPU milliseconds to ready. */
async function extraBoardLoad(kubeconfig: string, expected: number): Promise<{ ms: number; cpuMs: number }> {
  const probe = forkProbe('board-probe.ts', false);
  try {
    await nextMessage(probe, 'started', 30_000);
    const ready = nextMessage<Extract<ProbeMessage, { type: 'ready' }>>(probe, 'ready', 300_000);
    probe.send({ kubeconfig, expected, watchVersionPrefix: '9.' });
    const m = await ready;
    return { ms: Math.round(m.boardReadyMs), cpuMs: Math.round(m.boardReadyCpuMs) };
  } finally {
    await stopProbe(probe);
  }
}

/** The board's processing over the held list bodies, in a fresh process (processing-probe.ts). */
export async function processingFigures(kubeconfig: string, targets: RawListTarget[], expected: number): Promise<ProcessingFigures> {
  const child = forkProbe('processing-probe.ts', false);
  try {
    await nextMessage(child, 'started', 30_000);
    const figures = nextMessage<{ type: 'processing' } & ProcessingFigures>(child, 'processing', 600_000);
    child.send({ kubeconfig, targets, expected, boardRuns: 3 });
    const { type: _type, ...rest } = await figures;
    return rest;
  } finally {
    await stopProbe(child);
  }
}

/** Parts a run may leave out (kubectl and the token report take minutes at scale:10000); their fields are then absent. */
export type DataplaneSkip = 'kubectl' | 'tokens' | 'processing';

export async function runDataplaneBench(options: { pipelines: number; changes?: number; rawRuns?: number; loads?: number; skip?: ReadonlySet<DataplaneSkip> }): Promise<DataplaneBenchResult> {
  const skip = options.skip ?? new Set<DataplaneSkip>();
  const rawRuns = options.rawRuns ?? 2;
  // Loads beyond the first, each a fresh process before the measured one: one cold start varies
  // by a third between runs at scale:10000 (mostly garbage-collection timing), so the figure is a
  // median, as the raw baseline's is.
  const extraLoads = Math.max(0, (options.loads ?? 3) - 1);
  const learntTargets = await learnBoardListTargets();
  const sandbox: Sandbox = await startSandbox({ seed: `scale:${options.pipelines}`, fluxDelayMs: 0 });
  const probe = forkProbe('board-probe.ts', true);
  const seen = new Map<string, bigint>();
  const waiters = new Map<string, (at: bigint) => void>();
  probe.on('message', (raw) => {
    const m = raw as ProbeMessage;
    if (m.type !== 'seen') return;
    const at = BigInt(m.at);
    seen.set(m.key, at);
    waiters.get(m.key)?.(at);
  });
  try {
    await nextMessage(probe, 'started', 30_000);
    const { info } = sandbox;
    // kubectl first, once to warm its discovery cache (as a user's would be), then measured.
    let kubectlMs: number | undefined;
    if (!skip.has('kubectl')) {
      await Promise.all(info.clusters.map((c) => runKubectl(info.kubeconfig, c.context)));
      const k0 = performance.now();
      await Promise.all(info.clusters.map((c) => runKubectl(info.kubeconfig, c.context)));
      kubectlMs = performance.now() - k0;
    }

    const rawBefore = await rawFetchRuns(info.kubeconfig, learntTargets, rawRuns);
    const otherLoads: { ms: number; cpuMs: number }[] = [];
    for (let i = 0; i < extraLoads; i += 1) otherLoads.push(await extraBoardLoad(info.kubeconfig, options.pipelines));

    for (const c of sandbox.clusters) c.api.requestLog.reset();
    const readyMessage = nextMessage<Extract<ProbeMessage, { type: 'ready' }>>(probe, 'ready', 300_000);
    const loadStartedAt = Date.now();
    probe.send({ kubeconfig: info.kubeconfig, expected: options.pipelines, watchVersionPrefix: '9.', forgeUrl: info.forge.url });
    const ready = await readyMessage;
    const requestsByCluster: Record<string, Record<string, number>> = {};
    for (const c of sandbox.clusters) requestsByCluster[c.name] = c.api.requestLog.counts();
    const loadRequests = (counts: Record<string, number>) => Object.entries(counts).reduce((total, [route, n]) => (route.startsWith('WATCH ') ? total : total + n), 0);
    const requestsPerCluster = Math.max(...Object.values(requestsByCluster).map(loadRequests));
    const targets = boardListTargets(sandbox);
    const loadRequestTimeline: Record<string, number> = {};
    for (const c of sandbox.clusters) for (const e of c.api.requestLog.entries()) loadRequestTimeline[`${c.name} ${e.route}`] ??= e.at - loadStartedAt;
    // The "before" runs used URLs learnt on a tiny sandbox; they count only if this load asked for the same.
    const before = sameTargets(targets, learntTargets) ? rawBefore : [];

    // Update latency: a HelmRelease status change on the management cluster (through the
    // store, which emits the watch event exactly as an HTTP write would) → board change seen.
    const changes = options.changes ?? 100;
    const mgmt = sandbox.clusters.find((c) => c.management)!;
    const releases = mgmt.api.store.list('helm.toolkit.fluxcd.io', 'helmreleases').slice(0, changes);
    const latencies: number[] = [];
    for (let i = 0; i < releases.length; i += 1) {
      const hr = releases[i]!;
      const version = `9.${i}.0`;
      const key = `${mgmt.name}/${hr.metadata.namespace}/${hr.metadata.name}@${version}`;
      const arrived = new Promise<bigint>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no board change for ${key} in 10 s`)), 10_000);
        waiters.set(key, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      const history = [
        {
          chartName: hr.metadata.name,
          chartVersion: version,
          appVersion: version,
          status: 'deployed',
          firstDeployed: new Date().toISOString(),
          lastDeployed: new Date().toISOString(),
          digest: 'sha256:bench',
          name: hr.metadata.name,
          namespace: hr.metadata.namespace,
          version: 100 + i,
        },
      ];
      const sent = process.hrtime.bigint();
      mgmt.api.store.patchStatus(hr, { history });
      latencies.push(Number((await arrived) - sent) / 1e6);
      waiters.delete(key);
    }
    // Streams open now, after the update phase: counting WATCH requests at the ready moment
    // would miss a watch still being accepted, and later counts include routine reconnects.
    const watchStreamsPerCluster = Math.max(...sandbox.clusters.map((c) => c.api.openWatchCount));

    // The token report, with the board loaded and idle (not overlapping the update phase).
    let tokens: TokensBenchResult | undefined;
    if (!skip.has('tokens')) {
      const tokensMessage = nextMessage<Extract<ProbeMessage, { type: 'tokens' }>>(probe, 'tokens', 300_000);
      probe.send({ type: 'tokens' });
      const { type: _type, ...figures } = await tokensMessage;
      tokens = figures;
    }

    const after = await rawFetchRuns(info.kubeconfig, targets, rawRuns);
    const rawFetchMs = median([...before, ...after].map((r) => r.ms));
    const rawFetchCpuMs = median([...before, ...after].map((r) => r.cpuMs));
    const rawFetchBusyMs = median([...before, ...after].map((r) => r.busyMs));
    const processing = skip.has('processing') ? undefined : await processingFigures(info.kubeconfig, targets, options.pipelines);
    const loads = [{ ms: Math.round(ready.boardReadyMs), cpuMs: Math.round(ready.boardReadyCpuMs) }, ...otherLoads];
    const boardReadyMs = median(loads.map((l) => l.ms));
    return {
      boardReadyMs,
      boardReadyRunsMs: loads.map((l) => l.ms),
      boardReadyCpuMs: median(loads.map((l) => l.cpuMs)),
      rawFetchMs,
      rawFetchCpuMs,
      rawFetchBusyMs,
      ratioToRaw: Number((boardReadyMs / rawFetchMs).toFixed(2)),
      rawFetchRunsMs: { before: before.map((r) => r.ms), after: after.map((r) => r.ms) },
      rawFetchTargets: targets,
      loadRequestTimeline,
      ...(processing ? { processing: { ...processing, singleThreadFloorRatio: Number(((rawFetchBusyMs - processing.parseOnlyBusyMs + processing.boardColdBusyMs) / rawFetchMs).toFixed(2)) } } : {}),
      ...(kubectlMs === undefined ? {} : { kubectlMs: Math.round(kubectlMs), ratioToKubectl: Number((boardReadyMs / kubectlMs).toFixed(2)) }),
      requestsPerCluster,
      watchStreamsPerCluster,
      requestsByCluster,
      updateLatencyP95Ms: Number(percentile(latencies, 95).toFixed(1)),
      updateLatencyMedianMs: Number(percentile(latencies, 50).toFixed(1)),
      mainHeapMB: Math.round(ready.heapMB),
      changesMeasured: latencies.length,
      ...(tokens ? { tokens } : {}),
    };
  } finally {
    await stopProbe(probe);
    await sandbox.stop();
  }
}
