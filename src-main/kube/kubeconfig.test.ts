import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, kubeconfigLocation, loadKubeconfig } from './kubeconfig';

let dir: string;
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const yamlConfig = (o: { clusters?: unknown[]; users?: unknown[]; contexts?: unknown[]; current?: string }) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: o.clusters ?? [], users: o.users ?? [], contexts: o.contexts ?? [], ...(o.current ? { 'current-context': o.current } : {}) });
const cluster = (name: string, server: string, extra: Record<string, unknown> = {}) => ({ name, cluster: { server, ...extra } });
const context = (name: string, clusterName: string, user: string) => ({ name, context: { cluster: clusterName, user } });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-kubeconfig-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('kubeconfigLocation', () => {
  it('prefers an explicit path, then KUBECONFIG (deduplicated), then ~/.kube/config', () => {
    expect(kubeconfigLocation({ explicitPath: '/x/a', env: { KUBECONFIG: '/b' } })).toEqual({ origin: 'explicit', paths: ['/x/a'] });
    expect(kubeconfigLocation({ env: { KUBECONFIG: '/a::/b:/a' }, platform: 'linux' })).toEqual({ origin: 'env', paths: ['/a', '/b'] });
    expect(kubeconfigLocation({ env: {}, homeDir: '/home/u' })).toEqual({ origin: 'default', paths: ['/home/u/.kube/config'] });
  });
});

describe('loadKubeconfig', () => {
  it('merges several KUBECONFIG files with first-wins precedence per name and for current-context', () => {
    const a = write(
      'merge/a.yaml',
      yamlConfig({
        clusters: [cluster('shared', 'https://a.example:6443')],
        users: [{ name: 'u', user: { token: 'token-a' } }],
        contexts: [context('ctx-a', 'shared', 'u')],
      }),
    );
    const b = write(
      'merge/b.yaml',
      yamlConfig({
        clusters: [cluster('shared', 'https://b.example:6443'), cluster('only-b', 'https://only-b.example')],
        users: [{ name: 'u', user: { token: 'token-b' } }],
        contexts: [context('ctx-a', 'only-b', 'u'), context('ctx-b', 'only-b', 'u')],
        current: 'ctx-b',
      }),
    );
    const c = write('merge/c.yaml', yamlConfig({ current: 'ctx-a' }));
    const r = loadKubeconfig({ env: { KUBECONFIG: [a, path.join(dir, 'missing.yaml'), b, c].join(':') }, platform: 'linux' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.files).toEqual([a, b, c]);
    expect(r.value.currentContext).toBe('ctx-b');
    expect(r.value.contexts.map((x) => [x.name, x.server, x.file])).toEqual([
      ['ctx-a', 'https://a.example:6443', a],
      ['ctx-b', 'https://only-b.example', b],
    ]);
    const kc = r.value.forContext('ctx-a');
    expect(kc.getCurrentCluster()?.server).toBe('https://a.example:6443');
    expect(kc.getCurrentUser()?.token).toBe('token-a');
    expect(r.value.forContext('ctx-b').getCurrentCluster()?.name).toBe('only-b');
  });

  it('resolves relative certificate paths against the file that names them', () => {
    write('rel/certs/ca.pem', 'not really a cert');
    const f = write(
      'rel/config',
      yamlConfig({
        clusters: [cluster('c', 'https://c.example', { 'certificate-authority': 'certs/ca.pem' })],
        users: [{ name: 'u', user: { 'client-certificate': 'certs/me.pem', 'client-key': '/abs/key.pem' } }],
        contexts: [context('x', 'c', 'u')],
        current: 'x',
      }),
    );
    const r = loadKubeconfig({ explicitPath: f });
    if (!r.ok) throw new Error(r.error.message);
    const kc = r.value.forContext('x');
    expect(kc.getCurrentCluster()?.caFile).toBe(path.join(dir, 'rel/certs/ca.pem'));
    expect(kc.getCurrentUser()?.certFile).toBe(path.join(dir, 'rel/certs/me.pem'));
    expect(kc.getCurrentUser()?.keyFile).toBe('/abs/key.pem');
    expect(r.value.contexts[0]?.authKind).toBe('client-certificate');
  });

  it('reports missing and malformed files clearly instead of falling back to localhost', () => {
    const missing = loadKubeconfig({ env: {}, homeDir: path.join(dir, 'nohome') });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('kubeconfig-missing');
      expect(missing.error.message).toContain(path.join(dir, 'nohome', '.kube', 'config'));
    }
    const explicit = loadKubeconfig({ explicitPath: path.join(dir, 'nope.yaml') });
    expect(!explicit.ok && explicit.error.code).toBe('kubeconfig-missing');

    const bad = write('bad.yaml', 'clusters:\n  - name: x\n    cluster: { server: "https://x\n');
    const r = loadKubeconfig({ explicitPath: bad });
    expect(!r.ok && r.error.code).toBe('kubeconfig-malformed');
    expect(!r.ok && r.error.message).toContain(bad);

    const wrongShape = write('shape.yaml', 'clusters: {a: 1}\n');
    expect(!loadKubeconfig({ explicitPath: wrongShape }).ok).toBe(true);
    const noServer = write('noserver.yaml', yamlConfig({ clusters: [{ name: 'c', cluster: {} }] }));
    const r2 = loadKubeconfig({ explicitPath: noServer });
    expect(!r2.ok && r2.error.message).toContain('server');
  });

  it('resolves exec plugins on the given search path and warns about missing ones', () => {
    const binDir = path.join(dir, 'bin');
    write('bin/my-plugin', '#!/bin/sh\necho {}\n');
    fs.chmodSync(path.join(binDir, 'my-plugin'), 0o755);
    const f = write(
      'exec.yaml',
      yamlConfig({
        clusters: [cluster('c', 'https://c.example')],
        users: [
          { name: 'found', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'my-plugin', args: ['x'] } } },
          { name: 'lost', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'no-such-plugin', installHint: 'Install it with brew.' } } },
        ],
        contexts: [context('ok', 'c', 'found'), context('broken', 'c', 'lost')],
      }),
    );
    const r = loadKubeconfig({ explicitPath: f, searchPath: `/nonexistent:${binDir}`, env: { PATH: '/usr/bin' } });
    if (!r.ok) throw new Error(r.error.message);
    const user = r.value.forContext('ok').getCurrentUser();
    expect(user?.exec.command).toBe(path.join(binDir, 'my-plugin'));
    expect(user?.exec.env).toEqual([{ name: 'PATH', value: `/nonexistent:${binDir}` }]);
    expect(r.value.contexts.find((c) => c.name === 'ok')?.authKind).toBe('exec');
    expect(r.value.warnings).toHaveLength(1);
    expect(r.value.warnings[0]).toMatchObject({ code: 'exec-plugin-missing', context: 'broken' });
    expect(r.value.warnings[0]?.message).toContain('"no-such-plugin" was not found on PATH. Install it with brew.');
  });

  it('finds executables only when they are executable files', () => {
    write('bin2/not-exec', 'x');
    expect(findExecutable('not-exec', path.join(dir, 'bin2'), 'linux')).toBeUndefined();
    expect(findExecutable('sh', '/usr/bin:/bin', 'linux')).toMatch(/\/sh$/);
  });
});
