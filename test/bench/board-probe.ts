// Child process of the data-plane benchmark: runs the board service alone (as the app's main
// process would) so its heap is measured without the sandbox's. Talks to the parent over
// IPC; timestamps are process.hrtime.bigint() (CLOCK_MONOTONIC, shared across processes).
import { createBoardService } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';

type Start = { kubeconfig: string; expected: number; watchVersionPrefix: string };

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
      process.send!({ type: 'ready', boardReadyMs: Number(readyAt - t0) / 1e6, boardReadyCpuMs: (cpu.user + cpu.system) / 1000, heapMB: process.memoryUsage().heapUsed / 1048576, pipelines: snapshot.pipelines.length, clusters: snapshot.clusters });
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
    check();
  });
  check();
  process.on('message', (m) => {
    if ((m as { type?: string }).type === 'stop') void service.stop().then(() => process.exit(0));
  });
});
process.send!({ type: 'started' });
