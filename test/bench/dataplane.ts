// Data-plane benchmark: the board service against the sandbox at scale:N, side by side with
// kubectl against the same servers. The board service runs in a child process of its own
// (board-probe.ts) so the heap figure is its alone, as it would be in the app's main process.
//
// Figures: boardReadyMs (service created → every pipeline on the board with all clusters
// connected), boardReadyCpuMs (CPU the board process used meanwhile), kubectlMs (kubectl get pipelines,helmreleases -A -o json on every cluster in
// parallel, wall time), requestsPerCluster (requests the full load made — discovery and lists,
// worst cluster), watchStreamsPerCluster (long-lived WATCH streams open once the board is live,
// worst cluster; reported apart because a stream is not a per-load request), updateLatencyP95Ms (HelmRelease status written on the API server → board change
// carrying the new version in the app process, 100 changes), mainHeapMB (heap used after GC with the board loaded).
// BENCH_PROBE_CPU_PROF=<dir> writes a V8 CPU profile of the board process there (--cpu-prof).
import { fork, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox, type Sandbox } from '../sandbox/index';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface DataplaneBenchResult {
  boardReadyMs: number;
  /** CPU the board process spent until ready (user + system): steadier than wall time on a busy machine. */
  boardReadyCpuMs: number;
  kubectlMs: number;
  ratioToKubectl: number;
  requestsPerCluster: number;
  watchStreamsPerCluster: number;
  requestsByCluster: Record<string, Record<string, number>>;
  updateLatencyP95Ms: number;
  updateLatencyMedianMs: number;
  mainHeapMB: number;
  changesMeasured: number;
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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

type ProbeMessage =
  | { type: 'started' }
  | { type: 'ready'; boardReadyMs: number; boardReadyCpuMs: number; heapMB: number; pipelines: number; clusters: unknown }
  | { type: 'seen'; key: string; at: string };

export async function runDataplaneBench(options: { pipelines: number; changes?: number }): Promise<DataplaneBenchResult> {
  const sandbox: Sandbox = await startSandbox({ seed: `scale:${options.pipelines}`, fluxDelayMs: 0 });
  const probe = fork(path.join(import.meta.dirname, 'board-probe.ts'), [], {
    cwd: repoRoot,
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_PROBE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROBE_CPU_PROF] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const seen = new Map<string, bigint>();
  const waiters = new Map<string, (at: bigint) => void>();
  let onReady: ((m: Extract<ProbeMessage, { type: 'ready' }>) => void) | undefined;
  let onStarted: (() => void) | undefined;
  probe.on('message', (raw) => {
    const m = raw as ProbeMessage;
    if (m.type === 'started') onStarted?.();
    else if (m.type === 'ready') onReady?.(m);
    else {
      const at = BigInt(m.at);
      seen.set(m.key, at);
      waiters.get(m.key)?.(at);
    }
  });
  try {
    await new Promise<void>((resolve) => (onStarted = resolve));
    const { info } = sandbox;
    // kubectl first, once to warm its discovery cache (as a user's would be), then measured.
    await Promise.all(info.clusters.map((c) => runKubectl(info.kubeconfig, c.context)));
    const k0 = performance.now();
    await Promise.all(info.clusters.map((c) => runKubectl(info.kubeconfig, c.context)));
    const kubectlMs = performance.now() - k0;

    for (const c of sandbox.clusters) c.api.requestLog.reset();
    const readyMessage = new Promise<Extract<ProbeMessage, { type: 'ready' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('board not ready in 90 s')), 90_000);
      onReady = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
    probe.send({ kubeconfig: info.kubeconfig, expected: options.pipelines, watchVersionPrefix: '9.' });
    const ready = await readyMessage;
    const requestsByCluster: Record<string, Record<string, number>> = {};
    for (const c of sandbox.clusters) requestsByCluster[c.name] = c.api.requestLog.counts();
    const loadRequests = (counts: Record<string, number>) => Object.entries(counts).reduce((total, [route, n]) => (route.startsWith('WATCH ') ? total : total + n), 0);
    const requestsPerCluster = Math.max(...Object.values(requestsByCluster).map(loadRequests));

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
      const history = [{ chartName: hr.metadata.name, chartVersion: version, appVersion: version, status: 'deployed', firstDeployed: new Date().toISOString(), lastDeployed: new Date().toISOString(), digest: 'sha256:bench', name: hr.metadata.name, namespace: hr.metadata.namespace, version: 100 + i }];
      const sent = process.hrtime.bigint();
      mgmt.api.store.patchStatus(hr, { history });
      latencies.push(Number((await arrived) - sent) / 1e6);
      waiters.delete(key);
    }
    // Streams open now, after the update phase: counting WATCH requests at the ready moment
    // would miss a watch still being accepted, and later counts include routine reconnects.
    const watchStreamsPerCluster = Math.max(...sandbox.clusters.map((c) => c.api.openWatchCount));
    return {
      boardReadyMs: Math.round(ready.boardReadyMs),
      boardReadyCpuMs: Math.round(ready.boardReadyCpuMs),
      kubectlMs: Math.round(kubectlMs),
      ratioToKubectl: Number((ready.boardReadyMs / kubectlMs).toFixed(2)),
      requestsPerCluster,
      watchStreamsPerCluster,
      requestsByCluster,
      updateLatencyP95Ms: Number(percentile(latencies, 95).toFixed(1)),
      updateLatencyMedianMs: Number(percentile(latencies, 50).toFixed(1)),
      mainHeapMB: Math.round(ready.heapMB),
      changesMeasured: latencies.length,
    };
  } finally {
    probe.send({ type: 'stop' });
    await new Promise((resolve) => probe.once('exit', resolve));
    await sandbox.stop();
  }
}
