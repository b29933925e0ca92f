// Reliability suite, cluster faults: the board service against the demo sandbox's real HTTPS
// API servers while they stop, restart, expire watch history, fail lists, slow down, forbid a
// namespace or stall; and while the kubeconfig is deleted, corrupted or loses its context, or
// its exec plugin fails or hangs. Each scenario asserts the board's state during the fault AND
// that nothing is lost afterwards (a change made during the fault shows up once it is over).
// One sandbox for the file; faults and changed objects are reset after every test.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, TargetState } from '../../src-main/common/board';
import { createBoardService, type BoardService, type BoardServiceOptions } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { createKubeTransport, discoverServedGroups } from '../../src-main/kube/kube-transport';
import { waitFor } from '../../src-main/kube/test-helpers';
import { deployChartVersion } from '../sandbox/flux/deploy-now';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let dir: string;
const services: BoardService[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-reliability-'));
}, 60_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  for (const c of sandbox.clusters) {
    c.api.faults.clear();
    // a test that failed half-way must not leave a server down for the next one
    await c.api.restart().catch(() => undefined);
  }
  for (const r of restore.splice(0).reverse()) r();
});

afterAll(async () => {
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const FAST = { backoff: { initialMs: 50, maxMs: 400 }, batchMs: 20, kubeconfigDebounceMs: 50 } satisfies Partial<BoardServiceOptions>;

function start(file = sandbox.kubeconfig, extra: Partial<BoardServiceOptions> = {}): BoardService {
  const service = createBoardService({ ...FAST, loadKubeconfig: () => loadKubeconfig({ explicitPath: file }), ...extra });
  services.push(service);
  return service;
}

const target = (s: BoardSnapshot, id: string, env: string): TargetState | undefined => s.pipelines.find((p) => p.id === id)?.environments.find((e) => e.name === env)?.targets[0];
const cluster = (s: BoardSnapshot, name: string) => s.clusters.find((c) => c.name === name);
const CHECKOUT = 'team-payments/checkout';

async function settled(service: BoardService): Promise<BoardSnapshot> {
  return waitFor(
    () => {
      const s = service.snapshot();
      const ok = ['mgmt', 'staging-eu', 'prod-eu'].every((c) => cluster(s, c)?.state === 'connected');
      return ok && target(s, CHECKOUT, 'prod')?.deployedVersion && target(s, CHECKOUT, 'staging')?.deployedVersion ? s : undefined;
    },
    'the demo board to settle',
    20_000,
  );
}

function until(service: BoardService, what: string, check: (s: BoardSnapshot) => boolean, timeoutMs = 20_000): Promise<BoardSnapshot> {
  return waitFor(
    () => {
      const s = service.snapshot();
      return check(s) ? s : undefined;
    },
    what,
    timeoutMs,
  );
}

/** Moves the deployed chart version of a HelmRelease as Flux would; undone after the test. */
function deploy(clusterName: string, namespace: string, name: string, chartVersion: string): void {
  restore.push(deployChartVersion(sandbox.cluster(clusterName).api.store, namespace, name, chartVersion));
}

/** A copy of the checkout Pipeline under another name; removed after the test. */
function addPipeline(name: string): void {
  const store = sandbox.cluster('mgmt').api.store;
  const original = store.get('pipelines.weave.works/v1alpha1', 'Pipeline', 'team-payments', 'checkout')!;
  const copy = structuredClone(original) as { metadata: Record<string, unknown> };
  copy.metadata = { name, namespace: 'team-payments' };
  const added = store.apply(copy as never);
  restore.push(() => void store.remove(added));
}

/** The sandbox kubeconfig's admin part, as a private file a test may break. */
function copyKubeconfig(name: string): string {
  const file = path.join(dir, name);
  fs.copyFileSync(sandbox.kubeconfig, file);
  return file;
}

function replaceFile(file: string, content: string): void {
  fs.writeFileSync(`${file}.tmp`, content);
  fs.renameSync(`${file}.tmp`, file);
}

describe('faults: cluster API servers', () => {
  it('a remote API server stops: data kept and marked stale with staleSince, then reconciled with a change made while down', async () => {
    const service = start();
    await settled(service);
    const prod = sandbox.cluster('prod-eu');
    await prod.api.stop();
    const stale = await until(service, 'prod-eu stale', (s) => cluster(s, 'prod-eu')?.state === 'stale');
    expect(Date.parse(cluster(stale, 'prod-eu')?.staleSince ?? '')).toBeLessThanOrEqual(Date.now());
    expect(target(stale, CHECKOUT, 'prod')).toMatchObject({ stale: true, deployedVersion: '1.8.1' });
    expect(cluster(stale, 'mgmt')?.state).toBe('connected');
    expect(stale.pipelines.length).toBeGreaterThan(5);
    deploy('prod-eu', 'payments', 'checkout', '1.8.2');
    await prod.api.restart();
    const back = await until(service, 'prod-eu back with 1.8.2', (s) => cluster(s, 'prod-eu')?.state === 'connected' && target(s, CHECKOUT, 'prod')?.deployedVersion === '1.8.2');
    expect(target(back, CHECKOUT, 'prod')?.stale).toBeUndefined();
    expect(cluster(back, 'prod-eu')?.staleSince).toBeUndefined();
  });

  it('the management cluster restarts mid-watch: rows kept while down, a Pipeline added meanwhile appears', async () => {
    const service = start();
    const before = await settled(service);
    const mgmt = sandbox.cluster('mgmt');
    await mgmt.api.stop();
    const down = await until(service, 'mgmt stale', (s) => cluster(s, 'mgmt')?.state === 'stale');
    expect(down.pipelines.map((p) => p.id)).toEqual(before.pipelines.map((p) => p.id));
    addPipeline('checkout-canary');
    await mgmt.api.restart();
    const after = await until(service, 'the new row', (s) => cluster(s, 'mgmt')?.state === 'connected' && s.pipelines.some((p) => p.id === 'team-payments/checkout-canary'));
    expect(after.pipelines.length).toBe(before.pipelines.length + 1);
    expect(target(after, CHECKOUT, 'prod')?.deployedVersion).toBe('1.8.1');
  });

  it('410 Gone (watch history expired) plus a change: relists and shows the change', async () => {
    const service = start();
    await settled(service);
    const prod = sandbox.cluster('prod-eu');
    prod.api.faults.stallWatches(true);
    deploy('prod-eu', 'payments', 'checkout', '1.9.1');
    prod.api.faults.expireWatchHistory();
    prod.api.faults.dropWatches();
    prod.api.faults.stallWatches(false);
    // the relisted data and the cluster's state arrive in separate board pushes: wait for both
    const s = await until(service, '1.9.1 after the relist, connected again', (x) => target(x, CHECKOUT, 'prod')?.deployedVersion === '1.9.1' && cluster(x, 'prod-eu')?.state === 'connected');
    expect(target(s, CHECKOUT, 'prod')?.stale).toBeUndefined();
  });

  it('500s on the first lists: retried with backoff until the board is complete', async () => {
    sandbox.cluster('staging-eu').api.faults.failNext(4, 500, { method: 'GET', pathIncludes: 'helmreleases' });
    const service = start();
    const s = await settled(service);
    expect(target(s, CHECKOUT, 'staging')).toMatchObject({ deployedVersion: '1.8.2', health: 'ready' });
    expect(target(s, CHECKOUT, 'staging')?.stale).toBeUndefined();
  });

  it('500s on the relist after a dropped watch: data kept, then the change made meanwhile arrives', async () => {
    const service = start();
    await settled(service);
    const staging = sandbox.cluster('staging-eu');
    staging.api.faults.stallWatches(true);
    deploy('staging-eu', 'payments', 'checkout', '1.9.2');
    staging.api.faults.expireWatchHistory();
    staging.api.faults.failNext(3, 500, { method: 'GET', pathIncludes: 'helmreleases' });
    staging.api.faults.dropWatches();
    staging.api.faults.stallWatches(false);
    const s = await until(service, '1.9.2 after the failed relists', (x) => target(x, CHECKOUT, 'staging')?.deployedVersion === '1.9.2');
    expect(s.pipelines.length).toBeGreaterThan(5);
  });

  it('a latency spike (600 ms per request) still yields the full, correct board and live changes', async () => {
    sandbox.cluster('prod-eu').api.faults.setLatency(600);
    const service = start();
    const s = await settled(service);
    expect(target(s, CHECKOUT, 'prod')).toMatchObject({ deployedVersion: '1.8.1', health: 'ready' });
    deploy('prod-eu', 'payments', 'checkout', '1.9.3');
    await until(service, '1.9.3 through the slow server', (x) => target(x, CHECKOUT, 'prod')?.deployedVersion === '1.9.3');
  });

  it('403 on one namespace: that namespace is reported forbidden, the others are read', async () => {
    const staging = sandbox.cluster('staging-eu');
    staging.api.faults.failNext(1000, 403, { method: 'GET', pathIncludes: '/apis/helm.toolkit.fluxcd.io/v2/helmreleases' });
    staging.api.faults.failNext(1000, 403, { method: 'GET', pathIncludes: '/namespaces/payments/helmreleases' });
    const service = start();
    const s = await until(
      service,
      'payments forbidden on staging',
      (x) => target(x, CHECKOUT, 'staging')?.problem?.code === 'namespace-forbidden' && target(x, 'team-search/query-gateway', 'staging')?.deployedVersion !== undefined,
    );
    expect(target(s, CHECKOUT, 'staging')?.problem?.message).toContain('payments');
    expect(target(s, CHECKOUT, 'prod')?.deployedVersion).toBe('1.8.1');
    expect(cluster(s, 'staging-eu')?.state).not.toBe('unreachable');
  });

  // A watch that stays open but delivers nothing (not even the bookmark a kube-apiserver sends
  // before a watch's timeout) is noticed when it ends, and the list is read again.
  it('a silently stalled watch is detected (stale, or the change shows up) within 35 s', async () => {
    // Watches of 4 s, silent after 1.5 s without a bookmark (the sandbox sends one a second):
    // the production defaults (20–28 s watches) would spend most of the budget waiting.
    const service = start(sandbox.kubeconfig, { watchTiming: { watchTimeoutSeconds: () => 4, silentWatch: { minRunMs: 2_000, quietTailMs: 1_500 } } });
    await settled(service);
    const prod = sandbox.cluster('prod-eu');
    prod.api.faults.stallWatches(true);
    deploy('prod-eu', 'payments', 'checkout', '1.9.4');
    await until(service, 'the stall to be noticed', (x) => cluster(x, 'prod-eu')?.state !== 'connected' || target(x, CHECKOUT, 'prod')?.deployedVersion === '1.9.4', 35_000);
  }, 45_000);
});

describe('faults: kubeconfig and credentials while running', () => {
  it('the kubeconfig file is deleted: the problem is reported, and recreating it recovers', async () => {
    const file = copyKubeconfig('deleted');
    const service = start(file);
    await settled(service);
    fs.rmSync(file);
    service.reload();
    const s = await until(service, 'kubeconfig-missing', (x) => x.kubeconfig?.error?.code === 'kubeconfig-missing');
    expect(s.kubeconfig?.error?.message).toContain(file);
    fs.copyFileSync(sandbox.kubeconfig, file);
    service.reload();
    const back = await settled(service);
    expect(back.kubeconfig?.error).toBeUndefined();
  });

  it('the kubeconfig file is corrupted: a malformed error, rows not wiped, fixed file recovers', async () => {
    const file = copyKubeconfig('corrupted');
    const service = start(file);
    const before = await settled(service);
    replaceFile(file, 'apiVersion: v1\nclusters: {{{ not yaml\n\t- ]');
    const s = await until(service, 'kubeconfig-malformed', (x) => x.kubeconfig?.error?.code === 'kubeconfig-malformed');
    expect(s.kubeconfig?.error?.message.length).toBeGreaterThan(0);
    expect(s.pipelines.length).toBe(before.pipelines.length);
    fs.copyFileSync(sandbox.kubeconfig, file);
    await until(service, 'the error to clear', (x) => x.kubeconfig?.error === undefined);
    await settled(service);
  });

  it('the current context is removed: the board says so instead of reading another cluster', async () => {
    const file = copyKubeconfig('no-context');
    const service = start(file);
    const before = await settled(service);
    const doc = JSON.parse(JSON.stringify((await import('yaml')).parse(fs.readFileSync(file, 'utf8')))) as { contexts: Array<{ name: string }>; 'current-context': string };
    doc.contexts = doc.contexts.filter((c) => c.name !== 'mgmt');
    replaceFile(file, JSON.stringify(doc));
    const s = await until(service, 'the missing context to show', (x) => cluster(x, 'mgmt')?.state === 'unreachable');
    expect(cluster(s, 'mgmt')?.message).toBe('Context "mgmt" is not in the kubeconfig');
    // No fallback to another context's Pipelines: the rows of the missing context are gone, none invented.
    expect(s.pipelines).toEqual([]);
    fs.copyFileSync(sandbox.kubeconfig, file);
    const after = await settled(service);
    expect(after.pipelines.map((p) => p.id)).toEqual(before.pipelines.map((p) => p.id));
  });

  it('an exec plugin starts failing mid-session: the cluster shows the plugin error, then recovers', async () => {
    const flag = path.join(dir, 'plugin-broken');
    const plugin = path.join(dir, 'flaky-plugin');
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: sandbox.users.kube.admin!['prod-eu'] } });
    fs.writeFileSync(plugin, `#!/bin/sh\nif [ -e '${flag}' ]; then echo "error: sso session expired" >&2; exit 1; fi\nprintf '%s' '${credential}'\n`);
    fs.chmodSync(plugin, 0o755);
    const file = copyKubeconfig('exec-flaky');
    const yaml = await import('yaml');
    const doc = yaml.parse(fs.readFileSync(file, 'utf8')) as { users: Array<{ name: string; user: Record<string, unknown> }>; contexts: Array<{ name: string; context: { user: string } }> };
    const prodUser = doc.contexts.find((c) => c.name === 'prod-eu')!.context.user;
    const u = doc.users.find((x) => x.name === prodUser)!;
    u.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } };
    replaceFile(file, yaml.stringify(doc));
    const service = start(file);
    await settled(service);
    fs.writeFileSync(flag, '');
    const prod = sandbox.cluster('prod-eu');
    prod.api.faults.failNext(1, 401, { pathIncludes: '/helmreleases' });
    prod.api.faults.dropWatches();
    const s = await until(service, 'the plugin failure', (x) => cluster(x, 'prod-eu')?.state !== 'connected' && /sso session expired/.test(cluster(x, 'prod-eu')?.message ?? ''));
    // A credential failure is not shown as stale data: the target says why it cannot be read.
    expect(cluster(s, 'prod-eu')?.state).toBe('unreachable');
    expect(target(s, CHECKOUT, 'prod')?.problem).toMatchObject({ code: 'cluster-unreachable' });
    expect(target(s, CHECKOUT, 'prod')?.problem?.message).toContain('sso session expired');
    expect(cluster(s, 'mgmt')?.state).toBe('connected');
    fs.rmSync(flag);
    deploy('prod-eu', 'payments', 'checkout', '1.9.5');
    await until(service, 'recovery with the new version', (x) => cluster(x, 'prod-eu')?.state === 'connected' && target(x, CHECKOUT, 'prod')?.deployedVersion === '1.9.5');
  });

  // client-node runs exec plugins without a timeout; the data plane reports one still running
  // after 10 s (it may be waiting for a sign-in) and gives up on it after 120 s.
  it('a hanging exec plugin is reported as a problem within 15 s', async () => {
    const plugin = path.join(dir, 'hanging-plugin');
    fs.writeFileSync(plugin, '#!/bin/sh\nsleep 30\n');
    fs.chmodSync(plugin, 0o755);
    const file = path.join(dir, 'exec-hang');
    const c = sandbox.cluster('mgmt');
    replaceFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'mgmt', cluster: { server: c.server, 'certificate-authority-data': Buffer.from(c.api.caPem).toString('base64') } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } } }],
        contexts: [{ name: 'mgmt', context: { cluster: 'mgmt', user: 'u' } }],
        'current-context': 'mgmt',
      }),
    );
    // The wait is reported after 2 s here (10 s in the app), so a loaded machine has room to spare.
    const credentialPlugin = { slowMs: 2_000 };
    const service = start(file, {
      discover: (kc) => discoverServedGroups(kc, { credentialPlugin }),
      createTransport: (kc, resource) => createKubeTransport(kc, resource, { credentialPlugin }),
    });
    const s = await until(service, 'the hang to be reported', (x) => ['unreachable', 'stale', 'forbidden'].includes(cluster(x, 'mgmt')?.state ?? ''), 15_000);
    expect(cluster(s, 'mgmt')?.message).toBe(`Waiting for the credential plugin "${plugin}" for 2 s — it may be waiting for you to sign in in a browser or terminal`);
  }, 25_000);
});
