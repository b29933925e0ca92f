// Child process of the data-plane benchmark: runs the board service alone (as the app's main
// process would) so its heap is measured without the sandbox's. Talks to the parent over
// IPC; timestamps are process.hrtime.bigint() (CLOCK_MONOTONIC, shared across processes).
// On request it also builds the token report as the app's main process does (Pipelines
// listed, every promotion Secret read, every distinct token inspected at the sandbox forge,
// which is the one Git host approved).
import { createBoardService } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';

type Start = { kubeconfig: string; expected: number; watchVersionPrefix: string; forgeUrl?: string };

async function timeTokenReport(kubeconfig: string, forgeUrl: string) {
  // Loaded only now, so the modules do not count in the board's heap figure.
  const { createPipelineLister, createTokenService } = await import('../../src-main/tokens/token-service');
  const { sandboxForgeHosts } = await import('../sandbox/index');
  const t0 = process.hrtime.bigint();
  const loaded = loadKubeconfig({ explicitPath: kubeconfig });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const kc = loaded.value;
  const tokens = createTokenService({
    mayContactHost: sandboxForgeHosts({ forge: { url: forgeUrl }, gitlab: undefined } as Parameters<typeof sandboxForgeHosts>[0]),
    readSecrets: () => true,
    pipelines: createPipelineLister({ contexts: kc.currentContext ? [kc.currentContext] : [], kubeconfigFor: (c) => kc.forContext(c) }),
    kubeconfigFor: (c) => kc.forContext(c),
  });
  const report = await tokens.report();
  const reportReadyMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const states: Record<string, number> = {};
  for (const e of report.entries) states[e.state] = (states[e.state] ?? 0) + 1;
  return {
    reportReadyMs: Math.round(reportReadyMs),
    secretsRead: report.entries.reduce((n, e) => n + e.secrets.length, 0),
    distinctTokens: report.entries.filter((e) => e.fingerprint !== undefined).length,
    states,
  };
}

process.once('message', (raw) => {
  const start = raw as Start;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const service = createBoardService({ loadKubeconfig: () => loadKubeconfig({ explicitPath: start.kubeconfig }), watchKubeconfig: false });
  let ready = false;
  const seenVersions = new Set<string>();
  const check = () => {
    const snapshot = service.snapshot();
    if (!ready && snapshot.pipelines.length >= start.expected && snapshot.clusters.length > 0 && snapshot.clusters.every((c) => c.state === 'connected')) {
      ready = true;
      const readyAt = process.hrtime.bigint();
      const cpu = process.cpuUsage(cpu0);
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({
        type: 'ready',
        boardReadyMs: Number(readyAt - t0) / 1e6,
        boardReadyCpuMs: (cpu.user + cpu.system) / 1000,
        heapMB: process.memoryUsage().heapUsed / 1048576,
        pipelines: snapshot.pipelines.length,
        clusters: snapshot.clusters,
      });
    }
  };
  service.subscribe((change) => {
    const at = process.hrtime.bigint();
    if (ready) {
      for (const row of change.upserted)
        for (const env of row.environments)
          for (const t of env.targets) {
            const key = `${t.cluster}/${t.namespace}/${t.name}@${t.deployedVersion}`;
            if (t.deployedVersion?.startsWith(start.watchVersionPrefix) && !seenVersions.has(key)) {
              seenVersions.add(key);
              process.send!({ type: 'seen', key, at: at.toString() });
            }
          }
    }
    // After ready a snapshot per change (every row, sorted) would only load the process being timed.
    if (!ready) check();
  });
  check();
  process.on('message', (m) => {
    const type = (m as { type?: string }).type;
    if (type === 'stop') void service.stop().then(() => process.exit(0));
    if (type === 'tokens' && start.forgeUrl) void timeTokenReport(start.kubeconfig, start.forgeUrl).then((figures) => process.send!({ type: 'tokens', ...figures }));
  });
});
process.send!({ type: 'started' });
