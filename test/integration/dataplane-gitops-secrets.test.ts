// The opt-in GitopsCluster kubeconfig-Secret fallback against the demo sandbox: a kubeconfig
// with only the management context reaches staging-eu and prod-eu through their Secrets when
// (and only when) the user allowed it; RBAC, a missing Secret and a malformed one are
// explained; no Secret content reaches the snapshot or the log.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, TargetState } from '../../src-main/common/board';
import { createBoardService, type BoardService, type BoardServiceOptions } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { waitFor } from '../../src-main/kube/test-helpers';
import { createMemoryLogger } from '../../src-main/log/logger';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let dir: string;
const services: BoardService[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-gc-secrets-'));
}, 60_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  for (const r of restore.splice(0)) r();
});

afterAll(async () => {
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const FAST = { backoff: { initialMs: 50, maxMs: 400 }, batchMs: 20, watchKubeconfig: false } satisfies Partial<BoardServiceOptions>;

/** A kubeconfig holding only the management context, as `user` (admin or viewer). */
function mgmtOnlyKubeconfig(user: 'admin' | 'viewer'): string {
  const mgmt = sandbox.cluster('mgmt');
  const file = path.join(dir, `mgmt-${user}`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'mgmt', cluster: { server: mgmt.server, 'certificate-authority-data': Buffer.from(mgmt.api.caPem).toString('base64') } }],
    users: [{ name: user, user: { token: sandbox.users.kube[user]!.mgmt } }],
    contexts: [{ name: 'mgmt', context: { cluster: 'mgmt', user } }],
    'current-context': 'mgmt',
  };
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

function start(file: string, extra: Partial<BoardServiceOptions> = {}): BoardService {
  const service = createBoardService({ ...FAST, loadKubeconfig: () => loadKubeconfig({ explicitPath: file }), ...extra });
  services.push(service);
  return service;
}

const target = (s: BoardSnapshot, id: string, env: string, cluster?: string): TargetState | undefined => {
  const targets = s.pipelines.find((p) => p.id === id)?.environments.find((e) => e.name === env)?.targets ?? [];
  return cluster ? targets.find((t) => t.cluster === cluster) : targets[0];
};
const clusterState = (s: BoardSnapshot, name: string) => s.clusters.find((c) => c.name === name);

/** Everything a Secret holds that must never leave the data plane. */
function secretMaterial(): string[] {
  const out: string[] = [];
  for (const remote of ['staging-eu', 'prod-eu']) {
    const c = sandbox.cluster(remote);
    out.push(sandbox.users.kube.admin![remote]!, Buffer.from(c.api.caPem).toString('base64'), c.server);
    const secret = sandbox.cluster('mgmt').api.store.get('v1', 'Secret', 'flux-system', `${remote}-kubeconfig`) as { data?: Record<string, string> } | undefined;
    out.push(...Object.values(secret?.data ?? {}));
  }
  return out;
}

function expectNoSecretMaterial(text: string): void {
  expect(secretMaterial().length).toBeGreaterThan(6); // the Secrets were found, so the check means something
  for (const s of secretMaterial()) expect(text.includes(s), `leaked: ${s.slice(0, 12)}…`).toBe(false);
}

describe('GitopsCluster kubeconfig Secrets (opt-in)', () => {
  it('leaves remote clusters unmapped when the user did not opt in, and says the opt-in exists', async () => {
    const before = sandbox
      .cluster('mgmt')
      .api.requestLog.entries()
      .filter((e) => e.path.includes('/secrets/')).length;
    const service = start(mgmtOnlyKubeconfig('admin'), { gitopsClusterSecrets: () => false });
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        return clusterState(snap, 'prod-eu') && target(snap, 'team-payments/checkout', 'dev')?.deployedVersion ? snap : undefined;
      },
      'the board without remote contexts',
      20_000,
    );
    for (const name of ['staging-eu', 'prod-eu']) {
      expect(clusterState(s, name)?.state).toBe('no-context');
      expect(clusterState(s, name)?.message).toContain("allow Release Board to use the GitopsCluster's kubeconfig Secret in Settings");
    }
    expect(target(s, 'team-payments/checkout', 'prod')?.problem).toMatchObject({ code: 'cluster-unmapped' });
    expect(target(s, 'team-payments/checkout', 'prod')?.problem?.hint).toContain('kubeconfig Secret in Settings');
    expect(target(s, 'team-payments/checkout', 'prod')?.deployedVersion).not.toBe('1.8.1');
    // Not a single Secret read.
    const after = sandbox
      .cluster('mgmt')
      .api.requestLog.entries()
      .filter((e) => e.path.includes('/secrets/')).length;
    expect(after).toBe(before);
  });

  it("reads remote versions through the GitopsClusters' Secrets when allowed, leaking none of them", async () => {
    const logger = createMemoryLogger('debug');
    const service = start(mgmtOnlyKubeconfig('admin'), { gitopsClusterSecrets: () => true, logger });
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        const ok = ['staging-eu', 'prod-eu'].every((c) => clusterState(snap, c)?.state === 'connected');
        return ok && target(snap, 'team-payments/checkout', 'prod')?.deployedVersion && clusterState(snap, 'dr-eu') ? snap : undefined;
      },
      'remote clusters through their Secrets',
      20_000,
    );

    expect(target(s, 'team-payments/checkout', 'prod')).toMatchObject({
      cluster: 'prod-eu',
      context: 'via GitopsCluster Secret flux-system/prod-eu-kubeconfig',
      deployedVersion: '1.8.1',
    });
    expect(target(s, 'team-payments/checkout', 'staging')).toMatchObject({ cluster: 'staging-eu', deployedVersion: '1.8.2' });
    expect(clusterState(s, 'prod-eu')).toMatchObject({ state: 'connected', context: 'via GitopsCluster Secret flux-system/prod-eu-kubeconfig' });
    // dr-eu's GitopsCluster names a Secret that does not exist.
    expect(clusterState(s, 'dr-eu')?.state).toBe('no-context');
    expect(clusterState(s, 'dr-eu')?.message).toContain('kubeconfig Secret flux-system/dr-eu-kubeconfig does not exist (needed to reach cluster dr-eu through its GitopsCluster)');
    expect(target(s, 'platform/cert-manager', 'prod', 'dr-eu')?.problem?.code).toBe('gitops-cluster-secret-missing');
    // The workloads really came from the remote API servers.
    expect(
      sandbox
        .cluster('prod-eu')
        .api.requestLog.entries()
        .some((e) => e.path.includes('/helmreleases')),
    ).toBe(true);

    expectNoSecretMaterial(JSON.stringify(s));
    expectNoSecretMaterial(JSON.stringify(logger.records));
    expect(logger.records.some((r) => r.message.includes('prod-eu-kubeconfig'))).toBe(true); // it did log, by name
  });

  it('reports a Secret the user may not read as forbidden, with what it was needed for', async () => {
    const service = start(mgmtOnlyKubeconfig('viewer'), { gitopsClusterSecrets: () => true });
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        return clusterState(snap, 'prod-eu')?.state === 'forbidden' && clusterState(snap, 'staging-eu')?.state === 'forbidden' ? snap : undefined;
      },
      'forbidden Secrets',
      20_000,
    );
    expect(clusterState(s, 'prod-eu')?.message).toBe('you may not read Secret flux-system/prod-eu-kubeconfig (needed to reach cluster prod-eu through its GitopsCluster)');
    const problem = target(s, 'team-payments/checkout', 'prod')?.problem;
    expect(problem).toMatchObject({ code: 'gitops-cluster-secret-forbidden', message: clusterState(s, 'prod-eu')?.message });
    expect(problem?.hint).toMatch(/kubeconfig context for "prod-eu".*RBAC to get Secret flux-system\/prod-eu-kubeconfig/);
    // The management cluster itself is fine for the viewer.
    expect(clusterState(s, 'mgmt')?.state).toBe('connected');
    expect(target(s, 'team-payments/checkout', 'dev')?.deployedVersion).toBe('1.8.2');
    expectNoSecretMaterial(JSON.stringify(s));
  });

  it('explains a malformed kubeconfig in the Secret, and reconnects on reload() once it is fixed', async () => {
    const store = sandbox.cluster('mgmt').api.store;
    const original = store.get('v1', 'Secret', 'flux-system', 'prod-eu-kubeconfig')!;
    const broken = structuredClone(original) as unknown as { data: Record<string, string> };
    broken.data = { value: Buffer.from('clusters: [unterminated\n  token: sandbox-not-a-real-token').toString('base64') };
    store.apply(broken as never);
    restore.push(() => store.apply(structuredClone(original)));

    const logger = createMemoryLogger('debug');
    const service = start(mgmtOnlyKubeconfig('admin'), { gitopsClusterSecrets: () => true, logger });
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        return clusterState(snap, 'prod-eu')?.state === 'no-context' && clusterState(snap, 'staging-eu')?.state === 'connected' ? snap : undefined;
      },
      'a malformed Secret explained',
      20_000,
    );
    expect(clusterState(s, 'prod-eu')?.message).toBe(
      'Secret flux-system/prod-eu-kubeconfig holds no usable kubeconfig (needed to reach cluster prod-eu through its GitopsCluster): key "value": it is not valid YAML',
    );
    expect(target(s, 'team-payments/checkout', 'prod')?.problem?.code).toBe('gitops-cluster-secret-malformed');
    expect(JSON.stringify(s)).not.toContain('sandbox-not-a-real-token');
    expect(JSON.stringify(logger.records)).not.toContain('sandbox-not-a-real-token');

    store.apply(structuredClone(original));
    service.reload();
    const fixed = await waitFor(
      () => {
        const snap = service.snapshot();
        return clusterState(snap, 'prod-eu')?.state === 'connected' && target(snap, 'team-payments/checkout', 'prod')?.deployedVersion === '1.8.1' ? snap : undefined;
      },
      'prod-eu through the fixed Secret',
      20_000,
    );
    expect(target(fixed, 'team-payments/checkout', 'prod')?.problem).toBeUndefined();
  });

  it("prefers the user's own context over the Secret", async () => {
    const mgmt = sandbox.cluster('mgmt');
    const prod = sandbox.cluster('prod-eu');
    const file = path.join(dir, 'mgmt-and-prod');
    const entry = (name: string, c: typeof mgmt) => ({
      cluster: { name, cluster: { server: c.server, 'certificate-authority-data': Buffer.from(c.api.caPem).toString('base64') } },
      user: { name, user: { token: sandbox.users.kube.admin![name]! } },
      context: { name, context: { cluster: name, user: name } },
    });
    const entries = [entry('mgmt', mgmt), entry('prod-eu', prod)];
    fs.writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: entries.map((e) => e.cluster),
        users: entries.map((e) => e.user),
        contexts: entries.map((e) => e.context),
        'current-context': 'mgmt',
      }),
    );
    const secretReads = () => mgmt.api.requestLog.entries().filter((e) => e.path.includes('/secrets/prod-eu-kubeconfig')).length;
    const before = secretReads();
    const service = start(file, { gitopsClusterSecrets: () => true });
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        const ok = ['prod-eu', 'staging-eu'].every((c) => clusterState(snap, c)?.state === 'connected');
        return ok && target(snap, 'team-payments/checkout', 'staging')?.deployedVersion ? snap : undefined;
      },
      'prod-eu through its context, staging-eu through its Secret',
      20_000,
    );
    expect(target(s, 'team-payments/checkout', 'prod')).toMatchObject({ context: 'prod-eu', deployedVersion: '1.8.1' });
    expect(target(s, 'team-payments/checkout', 'staging')?.context).toBe('via GitopsCluster Secret flux-system/staging-eu-kubeconfig');
    expect(secretReads()).toBe(before);
  });

  it('drops the Secret path when the opt-in is withdrawn (on reload)', async () => {
    let allowed = true;
    const service = start(mgmtOnlyKubeconfig('admin'), { gitopsClusterSecrets: () => allowed });
    await waitFor(() => clusterState(service.snapshot(), 'prod-eu')?.state === 'connected', 'prod-eu through its Secret', 20_000);
    await waitFor(() => sandbox.cluster('prod-eu').api.openWatchCount > 0, 'a watch on prod-eu');

    allowed = false;
    service.reload();
    const s = await waitFor(
      () => {
        const snap = service.snapshot();
        return clusterState(snap, 'prod-eu')?.state === 'no-context' ? snap : undefined;
      },
      'prod-eu unmapped again',
      20_000,
    );
    expect(target(s, 'team-payments/checkout', 'prod')?.context).toBeUndefined();
    expect(s.clusters.some((c) => c.context?.startsWith('via GitopsCluster Secret'))).toBe(false);
    await waitFor(() => sandbox.cluster('prod-eu').api.openWatchCount === 0, 'prod-eu watches to close');
  });
});
