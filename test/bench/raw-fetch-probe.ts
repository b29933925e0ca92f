// Child process of the data-plane benchmark: the physical-limit baseline. Fetches the board
// service's own list URLs (one GET each, all clusters in parallel) from the same API servers
// with the same TLS settings and credentials as the kubeconfig, parses each body as JSON and
// does nothing else. A list the server pages (metadata.continue) is followed to its end, so
// the baseline reads the same objects the board does. Runs in a process of its own, like the
// board probe, so it does not share an event loop with the sandbox's servers.
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';

export interface RawListTarget {
  context: string;
  /** path and query exactly as the board service requested it */
  path: string;
}

type Start = { kubeconfig: string; targets: RawListTarget[] };

interface PreparedTarget {
  server: URL;
  options: https.RequestOptions;
  path: string;
}

function getJson(target: PreparedTarget, agent: https.Agent, path: string): Promise<{ metadata?: { continue?: string } }> {
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, target.server), { ...target.options, agent, method: 'GET', headers: { ...target.options.headers, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata?: { continue?: string } });
        } catch (error) {
          reject(error as Error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function fetchList(target: PreparedTarget, agent: https.Agent): Promise<number> {
  let requests = 0;
  let path = target.path;
  for (;;) {
    const body = await getJson(target, agent, path);
    requests += 1;
    const next = body.metadata?.continue;
    if (!next) return requests;
    const url = new URL(path, 'https://x');
    url.searchParams.set('continue', next);
    path = url.pathname + url.search;
  }
}

process.once('message', (raw) => {
  void (async () => {
    const start = raw as Start;
    const loaded = loadKubeconfig({ explicitPath: start.kubeconfig });
    if (!loaded.ok) throw new Error(loaded.error.message);
    const prepared: PreparedTarget[] = [];
    for (const t of start.targets) {
      const kc = loaded.value.forContext(t.context);
      const options: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      prepared.push({ server: new URL(kc.getCurrentCluster()!.server), options, path: t.path });
    }
    process.on('message', (m) => {
      if ((m as { type?: string }).type === 'stop') process.exit(0);
      if ((m as { type?: string }).type !== 'run') return;
      void (async () => {
        // A fresh agent per run: every run pays its TLS handshakes, as the board's load does.
        const agent = new https.Agent({ keepAlive: true });
        const t0 = process.hrtime.bigint();
        const cpu0 = process.cpuUsage();
        const busy0 = performance.eventLoopUtilization().active;
        const requests = await Promise.all(prepared.map((p) => fetchList(p, agent)));
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const cpu = process.cpuUsage(cpu0);
        // The main thread's share: process CPU also counts the garbage collector's helper threads.
        const busyMs = performance.eventLoopUtilization().active - busy0;
        agent.destroy();
        process.send!({ type: 'done', ms, cpuMs: (cpu.user + cpu.system) / 1000, busyMs, requests: requests.reduce((a, b) => a + b, 0) });
      })().catch((error: unknown) => process.send!({ type: 'failed', message: (error as Error).message }));
    });
    process.send!({ type: 'prepared' });
  })().catch((error: unknown) => process.send!({ type: 'failed', message: (error as Error).message }));
});
process.send!({ type: 'started' });
