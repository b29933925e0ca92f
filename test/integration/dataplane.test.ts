// The cluster data plane against the sandbox's real HTTPS API servers: kubeconfig merge,
// exec credential plugins, discovery, list+watch per (cluster, kind), outages, 410 relists,
// RBAC fallbacks and the demo seed's broken objects, all through @kubernetes/client-node.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardChange, BoardSnapshot, PipelineRow, TargetState } from '../../src-main/common/board';
import { createBoardService, type BoardService, type BoardServiceOptions } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { waitFor } from '../../src-main/kube/test-helpers';
import { deployChartVersion } from '../sandbox/flux/deploy-now';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let dir: string;
const services: BoardService[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-dataplane-'));
}, 60_000);

/** Objects a test changed, restored afterwards so tests stay independent. */
const restore: Array<() => void> = [];

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  for (const c of sandbox.clusters) c.api.faults.clear();
  for (const r of restore.splice(0)) r();
});

/** Moves the deployed chart version of a HelmRelease (what Flux would do), undone after the test. */
function deployVersion(clusterName: string, namespace: string, name: string, chartVersion: string): void {
  restore.push(deployChartVersion(sandbox.cluster(clusterName).api.store, namespace, name, chartVersion));
}

afterAll(async () => {
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const FAST = { backoff: { initialMs: 50, maxMs: 400 }, batchMs: 20, kubeconfigDebounceMs: 50 } satisfies Partial<BoardServiceOptions>;

function start(options: Partial<BoardServiceOptions> & Pick<BoardServiceOptions, 'loadKubeconfig'>): BoardService {
  const service = createBoardService({ ...FAST, ...options });
  services.push(service);
  return service;
}

function fromSandboxKubeconfig(): Pick<BoardServiceOptions, 'loadKubeconfig'> {
  return { loadKubeconfig: () => loadKubeconfig({ explicitPath: sandbox.kubeconfig }) };
}

const row = (s: BoardSnapshot, id: string): PipelineRow | undefined => s.pipelines.find((p) => p.id === id);
const target = (s: BoardSnapshot, id: string, env: string, i = 0): TargetState | undefined => row(s, id)?.environments.find((e) => e.name === env)?.targets[i];
const clusterState = (s: BoardSnapshot, name: string) => s.clusters.find((c) => c.name === name);

/** Waits until every sandbox cluster is connected and the demo rows are readable. */
async function settled(service: BoardService): Promise<BoardSnapshot> {
  return waitFor(
    () => {
      const s = service.snapshot();
      const ok = ['mgmt', 'staging-eu', 'prod-eu'].every((c) => clusterState(s, c)?.state === 'connected');
      return ok && target(s, 'team-payments/checkout', 'prod')?.deployedVersion ? s : undefined;
    },
    'the demo board to settle',
    20_000,
  );
}

interface KubeconfigEntry {
  context: string;
  cluster: string;
  user?: Record<string, unknown>;
  server?: string;
}

/** Writes a kubeconfig for sandbox clusters; by default users carry the admin bearer token. */
function writeKubeconfig(file: string, entries: KubeconfigEntry[], current?: string): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => {
      const c = sandbox.cluster(e.cluster);
      return { name: `${e.context}-cluster`, cluster: { server: e.server ?? c.server, 'certificate-authority-data': Buffer.from(c.api.caPem).toString('base64') } };
    }),
    users: entries.map((e) => ({ name: `${e.context}-user`, user: e.user ?? { token: sandbox.users.kube.admin![e.cluster] } })),
    contexts: entries.map((e) => ({ name: e.context, context: { cluster: `${e.context}-cluster`, user: `${e.context}-user` } })),
    ...(current ? { 'current-context': current } : {}),
  };
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(doc, null, 2));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

function writePlugin(name: string, body: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `#!/bin/sh\n${body}\n`);
  fs.chmodSync(p, 0o755);
  return p;
}

function execCredential(token: string): string {
  return JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } });
}

function listCount(clusterName: string, plural: string): number {
  return sandbox
    .cluster(clusterName)
    .api.requestLog.entries()
    .filter((e) => e.method === 'GET' && !e.route.startsWith('WATCH') && e.path.includes(`/${plural}`) && !e.path.includes('watch=')).length;
}

/**
 * Deploys `version` to staging's checkout while its watches are stalled, lets `makeStale` put the
 * watch's resourceVersion out of the server's history, drops the watches, and expects the board
 * to relist (410 Gone) and show the version.
 */
async function expectRelistAfterStaleWatch(version: string, makeStale: () => void): Promise<void> {
  const service = start(fromSandboxKubeconfig());
  await settled(service);
  const staging = sandbox.cluster('staging-eu');
  const listsBefore = listCount('staging-eu', 'helmreleases');
  staging.api.faults.stallWatches(true);
  deployVersion('staging-eu', 'payments', 'checkout', version);
  makeStale();
  staging.api.faults.dropWatches();
  staging.api.faults.stallWatches(false);
  await waitFor(() => target(service.snapshot(), 'team-payments/checkout', 'staging')?.deployedVersion === version, 'the relisted version');
  expect(listCount('staging-eu', 'helmreleases')).toBeGreaterThan(listsBefore);
}

describe('board service against the sandbox', () => {
  it('builds the demo board with one list+watch per (cluster, kind) and explains broken objects', async () => {
    for (const c of sandbox.clusters) c.api.requestLog.reset();
    const service = start(fromSandboxKubeconfig());
    const s = await settled(service);

    expect(target(s, 'team-payments/checkout', 'dev')).toMatchObject({ cluster: 'mgmt', deployedVersion: '1.8.2', health: 'ready' });
    expect(target(s, 'team-payments/checkout', 'prod')).toMatchObject({ cluster: 'prod-eu', context: 'prod-eu', deployedVersion: '1.8.1' });
    // Stale appRef version: the cluster serves v2 only; the row says so and still reads it.
    const ledger = row(s, 'team-payments/ledger')!;
    expect(ledger.appRef).toMatchObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', servedVersion: 'helm.toolkit.fluxcd.io/v2' });
    expect(ledger.problems.map((p) => p.code)).toContain('app-version-not-served');
    expect(ledger.environments[0]?.targets[0]?.deployedVersion).toBe('2.4.0');
    expect(ledger.environments[1]?.pending[0]).toMatchObject({ kind: 'awaiting-approval', version: '2.4.0' });
    // Malformed Pipeline: a row with the validation error, not a crash.
    expect(row(s, 'platform/observability')?.problems.map((p) => p.code)).toContain('malformed-pipeline');
    // Missing GitopsCluster and a GitopsCluster without a context.
    const ranker = row(s, 'team-search/ranker')!.environments.find((e) => e.name === 'staging')!;
    expect(ranker.targets.find((t) => t.cluster === 'staging-us')?.problem?.code).toBe('gitops-cluster-missing');
    expect(clusterState(s, 'staging-us')?.state).toBe('no-context');
    expect(clusterState(s, 'dr-eu')?.state).toBe('no-context');
    // dr-eu's GitopsCluster is not Ready (its kubeconfig Secret is missing): said on the cluster and the target.
    expect(clusterState(s, 'dr-eu')?.message).toMatch(/GitopsCluster flux-system\/dr-eu is not Ready: Secret .* not found/);
    expect(target(s, 'team-search/autocomplete', 'prod')).toMatchObject({ health: 'missing' });
    expect(target(s, 'team-search/query-gateway', 'prod')?.health).toBe('suspended');

    // One cluster-wide list per watched kind, never one request per pipeline or target.
    expect(listCount('mgmt', 'pipelines')).toBe(1);
    expect(listCount('mgmt', 'helmreleases')).toBe(1);
    expect(listCount('prod-eu', 'helmreleases')).toBe(1);
    expect(listCount('staging-eu', 'helmreleases')).toBe(1);
    expect(
      sandbox
        .cluster('prod-eu')
        .api.requestLog.entries()
        .filter((e) => e.path.includes('/namespaces/')).length,
    ).toBe(0);
    // A full load is discovery plus one unpaged list per kind: no continue tokens, one /apis each.
    for (const c of sandbox.clusters) {
      const entries = c.api.requestLog.entries();
      expect(
        entries.filter((e) => e.path.includes('continue=')),
        c.name,
      ).toEqual([]);
      expect(entries.filter((e) => e.route === 'GET /apis').length, c.name).toBeLessThanOrEqual(1);
    }
  });

  it('stops a context no target needs any more', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    await waitFor(() => sandbox.cluster('staging-eu').api.openWatchCount > 0, 'a watch on staging-eu');
    // Read staging-eu's targets through the prod-eu context instead: staging-eu is no longer used.
    service.setContextOverrides({ 'flux-system/staging-eu': 'prod-eu' });
    const s = await waitFor(() => {
      const snap = service.snapshot();
      return clusterState(snap, 'staging-eu') === undefined ? snap : undefined;
    }, 'staging-eu to leave the board');
    expect(s.pipelines.flatMap((p) => p.environments.flatMap((e) => e.targets)).some((t) => t.context === 'staging-eu')).toBe(false);
    await waitFor(() => sandbox.cluster('staging-eu').api.openWatchCount === 0, 'staging-eu watches to close');
    expect(clusterState(s, 'prod-eu')?.state).toBe('connected');
  });

  it('turns an open promotion PR into a pending promotion pushed as a change', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    const changes: BoardChange[] = [];
    service.subscribe((c) => changes.push(c));
    service.setOpenPullRequests([
      {
        number: 42,
        url: 'https://forge.example/acme/fleet-config/pull/42',
        createdAt: '2026-01-01T00:00:00Z',
        headBranch: 'promotion-team-payments-checkout-prod',
        title: 'Promote team-payments/checkout in prod to 1.8.2',
      },
    ]);
    const change = await waitFor(() => changes.find((c) => c.upserted.some((r) => r.id === 'team-payments/checkout')), 'the checkout row to change');
    const prod = change.upserted.find((r) => r.id === 'team-payments/checkout')!.environments.find((e) => e.name === 'prod')!;
    expect(prod.pending).toEqual([{ kind: 'pr-open', version: '1.8.2', pr: { number: 42, url: 'https://forge.example/acme/fleet-config/pull/42', createdAt: '2026-01-01T00:00:00Z' } }]);
  });

  it('pushes only the affected row when one HelmRelease changes', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    const changes: BoardChange[] = [];
    service.subscribe((c) => changes.push(c));
    deployVersion('prod-eu', 'payments', 'checkout', '1.8.2');
    const change = await waitFor(() => changes.find((c) => c.upserted.length > 0), 'a row change');
    expect(change.upserted.map((r) => r.id)).toEqual(['team-payments/checkout']);
    expect(change.removed).toEqual([]);
    const prod = change.upserted[0]!.environments.find((e) => e.name === 'prod')!;
    expect(prod.targets[0]?.deployedVersion).toBe('1.8.2');
    expect(prod.pending).toEqual([]);
  });

  it('shows a remote cluster going down as stale (keeping its last state) and back as fresh', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    const prodEu = sandbox.cluster('prod-eu');
    await prodEu.api.stop();
    try {
      const stale = await waitFor(() => {
        const s = service.snapshot();
        return clusterState(s, 'prod-eu')?.state === 'stale' ? s : undefined;
      }, 'prod-eu to go stale');
      expect(clusterState(stale, 'prod-eu')?.staleSince).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(target(stale, 'team-payments/checkout', 'prod')).toMatchObject({ stale: true, deployedVersion: '1.8.1', health: 'ready' });
      expect(clusterState(stale, 'mgmt')?.state).toBe('connected');
      // While it is down, Flux there moves on.
      deployVersion('prod-eu', 'payments', 'checkout', '1.8.2');
    } finally {
      await prodEu.api.restart();
    }
    const fresh = await waitFor(
      () => {
        const s = service.snapshot();
        return clusterState(s, 'prod-eu')?.state === 'connected' && target(s, 'team-payments/checkout', 'prod')?.deployedVersion === '1.8.2' ? s : undefined;
      },
      'prod-eu to come back with the new version',
      20_000,
    );
    expect(target(fresh, 'team-payments/checkout', 'prod')?.stale).toBeUndefined();
  });

  it('relists after 410 Gone and picks up what changed', async () => {
    // A change while the watch is held back, then the whole history expires.
    await expectRelistAfterStaleWatch('1.9.0', () => sandbox.cluster('staging-eu').api.faults.expireWatchHistory());
  });

  it('relists when a resumed watch is older than the trimmed history (410 from the server, no fault injected)', async () => {
    // More changes than the history keeps while the watch is held back: the dropped watch then
    // resumes from a resourceVersion the server no longer has.
    const store = sandbox.cluster('staging-eu').api.store;
    store.setHistorySize(2);
    restore.push(() => store.setHistorySize(10_000));
    await expectRelistAfterStaleWatch('1.9.1', () => {
      for (const n of ['1', '2', '3']) store.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'history-filler', namespace: 'payments' }, data: { n } });
      restore.push(() => store.remove({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'payments', name: 'history-filler' }));
    });
  });

  it('shows a HelmRelease deleted with a finalizer as being deleted, then as missing once Flux lets it go', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    const store = sandbox.cluster('staging-eu').api.store;
    const ref = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'payments', name: 'checkout' };
    const original = store.get(ref.apiVersion, ref.kind, ref.namespace, ref.name)!;
    expect(original.metadata.finalizers).toEqual(['finalizers.fluxcd.io']);
    restore.push(() => store.apply(original));
    // A second finalizer the test owns holds the object in Terminating after Flux drops its own.
    store.patch(ref, { metadata: { finalizers: ['finalizers.fluxcd.io', 'example.com/hold'] } });
    store.remove(ref);
    const deleting = await waitFor(() => {
      const t = target(service.snapshot(), 'team-payments/checkout', 'staging');
      return t?.message?.startsWith('Being deleted') ? t : undefined;
    }, 'the target to show the deletion');
    expect(deleting).toMatchObject({ health: 'reconciling', deployedVersion: '1.8.2' });
    // the Flux simulator removes its finalizer (a MODIFIED event); the object stays until ours goes
    await waitFor(() => (store.get(ref.apiVersion, ref.kind, ref.namespace, ref.name)?.metadata.finalizers as string[] | undefined)?.join() === 'example.com/hold', 'Flux to drop its finalizer');
    store.patch(ref, { metadata: { finalizers: null } });
    expect(store.get(ref.apiVersion, ref.kind, ref.namespace, ref.name)).toBeUndefined();
    await waitFor(() => target(service.snapshot(), 'team-payments/checkout', 'staging')?.health === 'missing', 'the target to be missing');
  });

  it('falls back to per-namespace watches on a 403 cluster-wide list and reports a forbidden namespace', async () => {
    const staging = sandbox.cluster('staging-eu');
    staging.api.faults.failNext(1000, 403, { method: 'GET', pathIncludes: '/apis/helm.toolkit.fluxcd.io/v2/helmreleases' });
    staging.api.faults.failNext(1000, 403, { method: 'GET', pathIncludes: '/namespaces/search/helmreleases' });
    const service = start(fromSandboxKubeconfig());
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        const forbidden = target(snap, 'team-search/query-gateway', 'staging')?.problem?.code === 'namespace-forbidden';
        return forbidden && target(snap, 'team-payments/checkout', 'staging')?.deployedVersion ? snap : undefined;
      },
      'namespaced fallback',
      20_000,
    );
    expect(target(s, 'team-payments/checkout', 'staging')).toMatchObject({ deployedVersion: '1.8.2', health: 'ready' });
    expect(target(s, 'team-search/query-gateway', 'staging')?.problem?.message).toContain('search');
    const namespaced = staging.api.requestLog.entries().filter((e) => e.path.includes('/namespaces/payments/helmreleases'));
    expect(namespaced.length).toBeGreaterThan(0);
  });

  it('reports forbidden Pipelines, or watches the namespaces it was given', async () => {
    sandbox.cluster('mgmt').api.faults.failNext(1000, 403, { method: 'GET', pathIncludes: '/apis/pipelines.weave.works/v1alpha1/pipelines' });
    const denied = start(fromSandboxKubeconfig());
    const s = await waitFor(() => {
      const snap = denied.snapshot();
      return clusterState(snap, 'mgmt')?.state === 'forbidden' ? snap : undefined;
    }, 'mgmt forbidden');
    expect(clusterState(s, 'mgmt')?.message).toMatch(/^Forbidden/);
    expect(s.pipelines).toEqual([]);

    const scoped = start({ ...fromSandboxKubeconfig(), pipelineNamespaces: ['team-payments'] });
    const s2 = await waitFor(() => {
      const snap = scoped.snapshot();
      return target(snap, 'team-payments/checkout', 'dev')?.deployedVersion ? snap : undefined;
    }, 'team-payments rows through the namespaced fallback');
    expect(new Set(s2.pipelines.map((p) => p.namespace))).toEqual(new Set(['team-payments']));
  });

  it('lists HelmReleases without waiting for the Pipelines that name them', async () => {
    // The Pipelines list keeps failing: before, no HelmRelease list went out until it answered.
    const mgmt = sandbox.cluster('mgmt');
    mgmt.api.faults.failNext(1000, 500, { method: 'GET', pathIncludes: '/apis/pipelines.weave.works/v1alpha1/pipelines' });
    for (const c of sandbox.clusters) c.api.requestLog.reset();
    start(fromSandboxKubeconfig());
    await waitFor(() => listCount('mgmt', 'helmreleases') === 1, 'the management cluster HelmRelease list');
    expect(mgmt.api.requestLog.entries().some((e) => e.path.includes('/pipelines') && e.status === 200)).toBe(false);
  });

  it('adds, updates and removes rows as Pipelines change, including a malformed one', async () => {
    const service = start(fromSandboxKubeconfig());
    await settled(service);
    const changes: BoardChange[] = [];
    service.subscribe((c) => changes.push(c));
    const store = sandbox.cluster('mgmt').api.store;
    store.apply({
      apiVersion: 'pipelines.weave.works/v1alpha1',
      kind: 'Pipeline',
      metadata: { name: 'hostile', namespace: 'team-payments' },
      spec: { appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'checkout' }, environments: [{ name: 'dev', targets: [{ namespace: 7 }] }] },
    } as never);
    const added = await waitFor(() => changes.flatMap((c) => c.upserted).find((r) => r.id === 'team-payments/hostile'), 'the hostile row');
    expect(added.problems[0]).toMatchObject({ code: 'malformed-pipeline' });
    expect(added.problems[0]?.message).toContain('spec.environments[0].targets[0].namespace');
    const current = store.get('pipelines.weave.works/v1alpha1', 'Pipeline', 'team-payments', 'hostile')!;
    store.apply({ ...current, spec: { ...(current.spec as object), environments: [{ name: 'dev', targets: [{ namespace: 'payments-dev' }] }] } });
    await waitFor(() => target(service.snapshot(), 'team-payments/hostile', 'dev')?.deployedVersion === '1.8.2', 'the fixed row');
    expect(row(service.snapshot(), 'team-payments/hostile')?.problems).toEqual([]);

    store.remove(current);
    await waitFor(() => changes.some((c) => c.removed.includes('team-payments/hostile')), 'the removal');
    expect(row(service.snapshot(), 'team-payments/hostile')).toBeUndefined();
  });
});

describe('kubeconfig handling against the sandbox', () => {
  it('merges several KUBECONFIG files (first wins) and authenticates through an exec plugin', async () => {
    const plugin = writePlugin('good-plugin', `printf '%s' '${execCredential(sandbox.users.kube.admin!.mgmt!)}'`);
    const a = writeKubeconfig(
      path.join(dir, 'merge-a'),
      [{ context: 'mgmt', cluster: 'mgmt', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: path.basename(plugin) } } }],
      'mgmt',
    );
    const b = writeKubeconfig(path.join(dir, 'merge-b'), [
      // A second "mgmt" that must lose to the first file's.
      { context: 'mgmt', cluster: 'mgmt', server: 'https://127.0.0.1:1' },
      { context: 'staging-eu', cluster: 'staging-eu' },
      { context: 'prod-eu', cluster: 'prod-eu' },
    ]);
    const env = { KUBECONFIG: `${a}:${b}`, PATH: `${dir}:${process.env.PATH ?? ''}` };
    const service = start({ loadKubeconfig: () => loadKubeconfig({ env, platform: 'linux' }) });
    const s = await settled(service);
    expect(target(s, 'team-payments/checkout', 'staging')?.deployedVersion).toBe('1.8.2');
  });

  it('runs the exec plugin again when the API server rejects its cached token (401)', async () => {
    const counter = path.join(dir, 'plugin-runs');
    fs.writeFileSync(counter, '');
    const plugin = writePlugin('counting-plugin', `echo run >> '${counter}'\nprintf '%s' '${execCredential(sandbox.users.kube.admin!['prod-eu']!)}'`);
    const file = writeKubeconfig(
      path.join(dir, 'exec-renew'),
      [
        { context: 'mgmt', cluster: 'mgmt' },
        { context: 'staging-eu', cluster: 'staging-eu' },
        { context: 'prod-eu', cluster: 'prod-eu', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin } } },
      ],
      'mgmt',
    );
    const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
    await settled(service);
    const runs = () => fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    expect(runs()).toBe(1); // cached by client-node across discovery, lists and watches
    const prodEu = sandbox.cluster('prod-eu');
    prodEu.api.faults.failNext(1, 401, { pathIncludes: '/helmreleases' });
    prodEu.api.faults.dropWatches();
    await waitFor(() => runs() >= 2, 'the plugin to run again');
    await settled(service);
  });

  it('reports a failing and a missing exec plugin on the cluster, with the plugin output', async () => {
    const failing = writePlugin('bad-plugin', `echo "error: token expired, run 'acme login'" >&2; exit 1`);
    const file = writeKubeconfig(path.join(dir, 'exec-fail'), [{ context: 'mgmt', cluster: 'mgmt', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: failing } } }], 'mgmt');
    const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
    const s = await waitFor(() => {
      const snap = service.snapshot();
      return clusterState(snap, 'mgmt')?.state === 'unreachable' ? snap : undefined;
    }, 'mgmt to be unreachable');
    expect(clusterState(s, 'mgmt')?.message).toContain(`Credential plugin "${failing}" failed`);
    expect(clusterState(s, 'mgmt')?.message).toContain('token expired');

    const missingFile = writeKubeconfig(
      path.join(dir, 'exec-missing'),
      [{ context: 'mgmt', cluster: 'mgmt', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'rb-no-such-plugin' } } }],
      'mgmt',
    );
    const loaded = loadKubeconfig({ explicitPath: missingFile, env: { PATH: dir } });
    expect(loaded.ok && loaded.value.warnings.map((w) => w.code)).toEqual(['exec-plugin-missing']);
    const service2 = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: missingFile, env: { PATH: dir } }) });
    const s2 = await waitFor(() => {
      const snap = service2.snapshot();
      return clusterState(snap, 'mgmt')?.state === 'unreachable' ? snap : undefined;
    }, 'mgmt to be unreachable (missing plugin)');
    expect(clusterState(s2, 'mgmt')?.message).toContain('"rb-no-such-plugin" could not be started');
    expect(s2.kubeconfig?.warnings.map((w) => w.code)).toEqual(['exec-plugin-missing']);
    expect(s2.kubeconfig?.warnings[0]?.message).toContain('rb-no-such-plugin');
  });

  it('picks up a kubeconfig edited while running (a context for a remote cluster appears)', async () => {
    const file = path.join(dir, 'edited');
    writeKubeconfig(file, [{ context: 'mgmt', cluster: 'mgmt' }], 'mgmt');
    const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
    const before = await waitFor(() => {
      const s = service.snapshot();
      return clusterState(s, 'prod-eu')?.state === 'no-context' && target(s, 'team-payments/checkout', 'dev')?.deployedVersion ? s : undefined;
    }, 'prod-eu to be unmapped');
    expect(target(before, 'team-payments/checkout', 'prod')?.problem?.code).toBe('cluster-unmapped');

    writeKubeconfig(
      file,
      [
        { context: 'mgmt', cluster: 'mgmt' },
        { context: 'prod-eu', cluster: 'prod-eu' },
        { context: 'staging-eu', cluster: 'staging-eu' },
      ],
      'mgmt',
    );
    const after = await settled(service);
    expect(target(after, 'team-payments/checkout', 'prod')).toMatchObject({ context: 'prod-eu', deployedVersion: '1.8.1' });
    expect(target(after, 'team-payments/checkout', 'prod')?.problem).toBeUndefined();
  });

  it('does not keep the board blank while one cluster never answers', async () => {
    // Accepts connections and says nothing: the first load must not wait for it forever.
    const sockets = new Set<net.Socket>();
    const blackhole = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blackhole.address() as net.AddressInfo).port;
      const file = writeKubeconfig(
        path.join(dir, 'blackhole'),
        [
          { context: 'mgmt', cluster: 'mgmt' },
          { context: 'staging-eu', cluster: 'staging-eu' },
          { context: 'prod-eu', cluster: 'prod-eu', server: `https://127.0.0.1:${port}` },
        ],
        'mgmt',
      );
      const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
      const s = await waitFor(
        () => {
          const snap = service.snapshot();
          return target(snap, 'team-payments/checkout', 'dev')?.deployedVersion ? snap : undefined;
        },
        'rows while prod-eu hangs',
        15_000,
      );
      expect(clusterState(s, 'prod-eu')?.state).toBe('connecting');
      expect(target(s, 'team-payments/checkout', 'prod')?.message).toBe('Loading…');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackhole.close(resolve));
    }
  });

  it('discovers and lists GitopsCluster contexts early but never shows one no target uses', async () => {
    const store = sandbox.cluster('mgmt').api.store;
    const unused = store.apply({
      apiVersion: 'gitops.weave.works/v1alpha1',
      kind: 'GitopsCluster',
      metadata: { name: 'unused-eu', namespace: 'flux-system' },
      spec: { secretRef: { name: 'unused-eu-kubeconfig' } },
    } as never);
    restore.push(() => void store.remove(unused));
    const file = writeKubeconfig(
      path.join(dir, 'with-unused'),
      [
        { context: 'mgmt', cluster: 'mgmt' },
        { context: 'staging-eu', cluster: 'staging-eu' },
        { context: 'prod-eu', cluster: 'prod-eu' },
        { context: 'unused-eu', cluster: 'staging-eu' },
      ],
      'mgmt',
    );
    for (const c of sandbox.clusters) c.api.requestLog.reset();
    const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
    const shown = new Set<string>();
    service.subscribe((c) => c.clusters?.forEach((x) => shown.add(x.name)));
    const s = await settled(service);
    expect(s.clusters.map((c) => c.name)).not.toContain('unused-eu');
    expect([...shown]).not.toContain('unused-eu');
    // It was discovered ahead (two /apis on the staging-eu server: staging-eu and unused-eu) and its
    // HelmReleases listed while the Pipelines loaded (the lists start in parallel); pruning it
    // afterwards is ClusterConnections.prune's (cluster-connections.test.ts).
    await waitFor(() => sandbox.cluster('staging-eu').api.requestLog.count('GET /apis') === 2, 'the early discovery');
    expect(listCount('staging-eu', 'helmreleases')).toBe(2);
  });

  it('maps a GitopsCluster to a differently named context when the user says so', async () => {
    const file = writeKubeconfig(
      path.join(dir, 'renamed'),
      [
        { context: 'mgmt', cluster: 'mgmt' },
        { context: 'arn:aws:eks:eu-west-1:123:cluster/prod', cluster: 'prod-eu' },
      ],
      'mgmt',
    );
    const service = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: file }) });
    await waitFor(() => target(service.snapshot(), 'team-payments/checkout', 'prod')?.problem?.code === 'cluster-unmapped', 'prod-eu unmapped');
    service.setContextOverrides({ 'flux-system/prod-eu': 'arn:aws:eks:eu-west-1:123:cluster/prod' });
    // The HelmRelease watch can deliver before the context's other watches have synced
    // ('connecting' until then), so wait for both.
    const s = await waitFor(() => {
      const snap = service.snapshot();
      const read = target(snap, 'team-payments/checkout', 'prod')?.deployedVersion === '1.8.1';
      return read && clusterState(snap, 'arn:aws:eks:eu-west-1:123:cluster/prod')?.state === 'connected' ? snap : undefined;
    }, 'prod-eu through the override');
    expect(target(s, 'team-payments/checkout', 'prod')?.context).toBe('arn:aws:eks:eu-west-1:123:cluster/prod');
  });

  it('reports a missing kubeconfig instead of connecting anywhere, and closes every watch on stop', async () => {
    const missing = start({ loadKubeconfig: () => loadKubeconfig({ explicitPath: path.join(dir, 'does-not-exist') }) });
    expect(missing.kubeconfigError()?.code).toBe('kubeconfig-missing');
    expect(missing.snapshot().kubeconfig?.error?.code).toBe('kubeconfig-missing');
    expect(missing.snapshot().pipelines).toEqual([]);

    const service = start(fromSandboxKubeconfig());
    await settled(service);
    // A list is synced before its watch is accepted: wait for the stream rather than assume it.
    await waitFor(() => sandbox.cluster('prod-eu').api.openWatchCount > 0, 'a watch on prod-eu');
    await service.stop();
    await waitFor(() => sandbox.clusters.every((c) => c.api.openWatchCount === 0), 'all watches to close');
  });
});
