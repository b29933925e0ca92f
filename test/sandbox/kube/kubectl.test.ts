// kubectl 1.32 as an independent client of the sandbox API server: discovery, OpenAPI-backed
// validation in apply, server-side printing, status patches, watches and error messages.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from './index.js';
import { adminUser, kubectlIn, sandboxCrds, viewerUser, waitFor } from './testing.js';

let server: KubeApiServer;
let dir: string;
let kubeconfig: string;

let kubectl: ReturnType<typeof kubectlIn>;

const pipelineYaml = (envName: string): string => `apiVersion: pipelines.weave.works/v1alpha1
kind: Pipeline
metadata:
  name: checkout
  namespace: payments
spec:
  appRef: { apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, name: checkout }
  environments:
    - name: ${envName}
      targets: [ { namespace: payments-dev } ]
`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-kubectl-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  kubectl = kubectlIn(kubeconfig, dir);
  server = await startKubeApiServer({ name: 'kubectl-test', crdDir: sandboxCrds, users: [adminUser, viewerUser] });
  writeKubeconfig(
    kubeconfig,
    [
      { cluster: 'mgmt', server: server.url, caPem: server.caPem, user: 'admin', token: adminUser.token },
      { cluster: 'mgmt', contextName: 'mgmt-viewer', server: server.url, caPem: server.caPem, user: 'viewer', token: viewerUser.token, namespace: 'payments' },
    ],
    'mgmt',
  );
  server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
  server.store.apply({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'checkout', namespace: 'payments' },
    spec: { interval: '5m', chart: { spec: { chart: 'checkout', version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'InstallSucceeded', message: 'installed', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  });
  server.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'checkout-promotion', namespace: 'payments' }, stringData: { token: 'ghp_x' } });
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kubectl against the sandbox', { timeout: 60_000 }, () => {
  it('applies a Pipeline (create, then change) and lists it with get -A -o json', async () => {
    const file = path.join(dir, 'pipeline.yaml');
    writeFileSync(file, pipelineYaml('dev'));
    const created = await kubectl(['apply', '-f', file]);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('pipeline.pipelines.weave.works/checkout created');

    writeFileSync(file, pipelineYaml('development'));
    const changed = await kubectl(['apply', '-f', file]);
    expect(changed.stdout.trim()).toBe('pipeline.pipelines.weave.works/checkout configured');
    expect((await kubectl(['apply', '-f', file])).stdout.trim()).toBe('pipeline.pipelines.weave.works/checkout unchanged');

    const listed = await kubectl(['get', 'pipelines', '-A', '-o', 'json']);
    expect(listed.code).toBe(0);
    const list = JSON.parse(listed.stdout) as { items: { metadata: { name: string; generation: number }; spec: { environments: { name: string }[] } }[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.spec.environments[0]!.name).toBe('development');
    expect(list.items[0]!.metadata.generation).toBe(2);

    const table = await kubectl(['get', 'pipelines', '-n', 'payments']);
    expect(table.stdout).toMatch(/^NAME\s+APP KIND\s+APP NAME\s+AGE/);
    expect(table.stdout).toMatch(/checkout\s+HelmRelease\s+checkout/);
  });

  it('diffs and dry-runs without changing anything', async () => {
    const file = path.join(dir, 'pipeline-next.yaml');
    writeFileSync(file, pipelineYaml('staging'));
    const rvBefore = server.store.currentResourceVersion();
    const diff = await kubectl(['diff', '-f', file]);
    expect(diff.code).toBe(1); // 1 = differences found
    expect(diff.stdout).toContain('-  - name: development');
    expect(diff.stdout).toContain('+  - name: staging');
    const dry = await kubectl(['apply', '-f', file, '--dry-run=server']);
    expect(dry.stdout.trim()).toBe('pipeline.pipelines.weave.works/checkout configured (server dry run)');
    expect(server.store.currentResourceVersion()).toBe(rvBefore);
    const stored = server.store.get('pipelines.weave.works', 'Pipeline', 'payments', 'checkout')!;
    expect((stored.spec as { environments: { name: string }[] }).environments[0]!.name).toBe('development');
  });

  it('patches a HelmRelease status through --subresource=status', async () => {
    const patched = await kubectl(['patch', 'helmrelease', 'checkout', '-n', 'payments', '--subresource=status', '--type=merge', '-p', '{"status":{"lastAttemptedRevision":"1.2.3"}}']);
    expect(patched.stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io/checkout patched');
    const stored = server.store.get('helm.toolkit.fluxcd.io', 'HelmRelease', 'payments', 'checkout')!;
    expect((stored.status as { lastAttemptedRevision: string }).lastAttemptedRevision).toBe('1.2.3');
    expect(stored.metadata.generation).toBe(1);
  });

  it('sees a change made through the store in get -w', async () => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), 'get', 'hr', '-n', 'payments', '-w'], {
      env: { PATH: process.env.PATH ?? '', HOME: dir },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => /checkout\s+\S+\s+True\s+installed/.test(out), 15_000, 'initial row');
      server.store.patchStatus(
        { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'payments', name: 'checkout' },
        { conditions: [{ type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'upgrade failed', lastTransitionTime: '2026-01-01T00:01:00Z' }] },
      );
      await waitFor(() => /checkout\s+\S+\s+False\s+upgrade failed/.test(out), 15_000, 'changed row');
    } finally {
      child.kill();
    }
  });

  it('reports 403 for the viewer on secrets, 404 for a missing object and 409 for a duplicate create', async () => {
    const denied = await kubectl(['--context', 'mgmt-viewer', 'get', 'secret', 'checkout-promotion']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('forbidden');
    expect(denied.stderr).toContain('User "viewer" cannot get resource "secrets" in API group "" in the namespace "payments"');
    const viewerCanRead = await kubectl(['--context', 'mgmt-viewer', 'get', 'hr', 'checkout', '-o', 'name']);
    expect(viewerCanRead.stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io/checkout');

    const missing = await kubectl(['get', 'pipeline', 'nope', '-n', 'payments']);
    expect(missing.stderr).toContain('Error from server (NotFound): pipelines.pipelines.weave.works "nope" not found');

    const duplicate = await kubectl(['create', '-f', '-'], pipelineYaml('dev'));
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toContain('Error from server (AlreadyExists)');
    expect(duplicate.stderr).toContain('pipelines.pipelines.weave.works "checkout" already exists');
  });

  it('creates core objects from the protobuf bodies kubectl sends for them', async () => {
    const created = await kubectl(['create', 'secret', 'generic', 'made-by-kubectl', '-n', 'payments', '--from-literal=token=ghp_abc', '--from-literal=username=bot']);
    expect(created.stdout.trim()).toBe('secret/made-by-kubectl created');
    const secret = server.store.get('v1', 'Secret', 'payments', 'made-by-kubectl')!;
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from((secret.data as Record<string, string>).token!, 'base64').toString()).toBe('ghp_abc');
    expect((await kubectl(['create', 'configmap', 'settings', '-n', 'payments', '--from-literal=mode=fast'])).code).toBe(0);
    expect(server.store.get('v1', 'ConfigMap', 'payments', 'settings')!.data).toEqual({ mode: 'fast' });
    expect((await kubectl(['label', 'configmap', 'settings', '-n', 'payments', 'tier=web'])).stdout.trim()).toBe('configmap/settings labeled');
    expect((await kubectl(['get', 'cm', '-n', 'payments', '-l', 'tier=web', '-o', 'name'])).stdout.trim()).toBe('configmap/settings');
  });

  it('answers auth can-i and whoami from the user rules', async () => {
    expect((await kubectl(['auth', 'can-i', 'get', 'secrets', '-n', 'payments'])).stdout.trim()).toBe('yes');
    const viewerSecrets = await kubectl(['--context', 'mgmt-viewer', 'auth', 'can-i', 'get', 'secrets']);
    expect(viewerSecrets.stdout.trim()).toBe('no');
    expect(viewerSecrets.code).toBe(1);
    expect((await kubectl(['--context', 'mgmt-viewer', 'auth', 'can-i', 'list', 'pipelines.pipelines.weave.works', '-A'])).stdout.trim()).toBe('yes');
    expect((await kubectl(['--context', 'mgmt-viewer', 'auth', 'whoami'])).stdout).toMatch(/Username\s+viewer/);
  });

  it('deletes', async () => {
    const deleted = await kubectl(['delete', 'pipeline', 'checkout', '-n', 'payments']);
    expect(deleted.stdout.trim()).toBe('pipeline.pipelines.weave.works "checkout" deleted');
    expect(server.store.get('pipelines.weave.works', 'Pipeline', 'payments', 'checkout')).toBeUndefined();
  });
});
