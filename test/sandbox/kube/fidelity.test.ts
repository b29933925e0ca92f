// Conformance checks for the places the sandbox once was kinder than kube-apiserver: each test
// is written so that a real 1.32 cluster with the same users and CRDs would pass it too
// (kubectl as the independent client where it can say it, raw HTTPS where it cannot).
// The table in test/sandbox/FIDELITY.md points at these tests.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject, KubeUser } from '../seeds/types.js';
import { FLUX_DEPRECATED_VERSIONS, startKubeApiServer, writeKubeconfig, type KubeApiServer } from './index.js';
import { adminUser, kubectlIn, kubeRequest, openWatch, sandboxCrds, viewerUser } from './testing.js';

/** May read one named Secret in payments, and nothing else. */
const namedSecretUser: KubeUser = {
  name: 'token-auditor',
  token: 'token-auditor-token',
  rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['checkout-promotion'], namespaces: ['payments'] }],
};

const HR = '/apis/helm.toolkit.fluxcd.io/v2';
const hrPath = (ns: string, name = ''): string => `${HR}/namespaces/${ns}/helmreleases${name ? `/${name}` : ''}`;

let server: KubeApiServer;
let dir: string;
let kubectl: ReturnType<typeof kubectlIn>;

function helmRelease(namespace: string, name: string, finalizers: string[] = []): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace, ...(finalizers.length > 0 ? { finalizers } : {}) },
    spec: { interval: '5m', chart: { spec: { chart: name, version: '1.0.0', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-fidelity-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  kubectl = kubectlIn(kubeconfig, dir);
  server = await startKubeApiServer({ name: 'fidelity', crdDir: sandboxCrds, users: [adminUser, viewerUser, namedSecretUser], bookmarkIntervalMs: 50 });
  writeKubeconfig(
    kubeconfig,
    [
      { cluster: 'c', server: server.url, caPem: server.caPem, user: 'admin', token: adminUser.token, namespace: 'payments' },
      { cluster: 'c', contextName: 'viewer', server: server.url, caPem: server.caPem, user: 'viewer', token: viewerUser.token, namespace: 'payments' },
      { cluster: 'c', contextName: 'auditor', server: server.url, caPem: server.caPem, user: 'token-auditor', token: namedSecretUser.token, namespace: 'payments' },
    ],
    'c',
  );
  for (const ns of ['payments', 'search']) server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  server.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'checkout-promotion', namespace: 'payments' }, stringData: { token: 'ghp_x' } });
  server.store.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'payments' }, stringData: { token: 'ghp_y' } });
  server.store.apply(helmRelease('payments', 'checkout'));
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SelfSubjectRulesReview (kubectl auth can-i --list)', { timeout: 60_000 }, () => {
  it('lists the rules that hold in the namespace, with resource names and the defaults every user has', async () => {
    const admin = await kubectl(['auth', 'can-i', '--list', '-n', 'payments']);
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(admin.stdout).toMatch(/\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    expect(admin.stdout).toMatch(/selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
    expect(admin.stdout).toMatch(/\[\/version\]\s+\[\]\s+\[get\]/);

    const viewer = await kubectl(['--context', 'viewer', 'auth', 'can-i', '--list']);
    expect(viewer.stdout).toMatch(/\*\.helm\.toolkit\.fluxcd\.io\s+\[\]\s+\[\]\s+\[get list watch\]/);
    expect(viewer.stdout).not.toMatch(/^secrets/m);

    const auditor = await kubectl(['--context', 'auditor', 'auth', 'can-i', '--list']);
    expect(auditor.stdout).toMatch(/\nsecrets\s+\[\]\s+\[checkout-promotion\]\s+\[get\]/);
    // in another namespace the namespaced rule does not hold
    expect((await kubectl(['--context', 'auditor', 'auth', 'can-i', '--list', '-n', 'search'])).stdout).not.toMatch(/^secrets/m);
  });

  it('answers a raw review with resourceRules, nonResourceRules and incomplete=false', async () => {
    const res = await kubeRequest(server, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      token: namedSecretUser.token,
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'payments' } },
    });
    expect(res.status).toBe(201);
    const status = res.json().status;
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules).toContainEqual({ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['checkout-promotion'] });
    expect(status.nonResourceRules[0].nonResourceURLs).toContain('/api/*');
  });

  it('honours resourceNames in access checks: get of the named Secret only, no list', async () => {
    expect((await kubectl(['--context', 'auditor', 'auth', 'can-i', 'get', 'secret/checkout-promotion'])).stdout.trim()).toBe('yes');
    expect((await kubectl(['--context', 'auditor', 'auth', 'can-i', 'get', 'secret/other'])).stdout.trim()).toBe('no');
    expect((await kubectl(['--context', 'auditor', 'auth', 'can-i', 'list', 'secrets'])).stdout.trim()).toBe('no');
    expect((await kubectl(['--context', 'auditor', 'get', 'secret', 'checkout-promotion', '-o', 'name'])).stdout.trim()).toBe('secret/checkout-promotion');
    expect((await kubectl(['--context', 'auditor', 'get', 'secret', 'other'])).stderr).toContain('User "token-auditor" cannot get resource "secrets"');
  });
});

describe('impersonation (kubectl --as)', { timeout: 60_000 }, () => {
  it('applies the impersonated user rules when the caller may impersonate', async () => {
    const denied = await kubectl(['get', 'secrets', '--as', 'viewer']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "payments"');
    expect((await kubectl(['get', 'hr', '--as', 'viewer', '-o', 'name'])).stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io/checkout');
    expect((await kubectl(['auth', 'whoami', '--as', 'viewer'])).stdout).toMatch(/Username\s+viewer/);
    expect((await kubectl(['auth', 'can-i', 'get', 'secrets', '--as', 'viewer'])).stdout.trim()).toBe('no');
    // A user the cluster grants nothing to has only the defaults.
    expect((await kubectl(['get', 'hr', '--as', 'nobody'])).stderr).toContain('User "nobody" cannot list resource "helmreleases"');
  });

  it('refuses impersonation to a user without the impersonate verb', async () => {
    const res = await kubectl(['--context', 'viewer', 'get', 'hr', '--as', 'admin']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope');
    const groups = await kubectl(['--context', 'viewer', 'get', 'hr', '--as', 'viewer', '--as-group', 'system:masters']);
    expect(groups.stderr).toContain('User "viewer" cannot impersonate resource "users"');
  });
});

describe('finalizers and deletionTimestamp', { timeout: 60_000 }, () => {
  it('marks an object with finalizers for deletion (MODIFIED) and removes it with its last finalizer (DELETED)', async () => {
    server.store.apply(helmRelease('payments', 'with-finalizer', ['finalizers.fluxcd.io']));
    const watch = await openWatch(server, `${hrPath('payments')}?watch=1&resourceVersion=${server.store.currentResourceVersion()}`);
    try {
      const deleted = await kubectl(['delete', 'hr', 'with-finalizer', '--wait=false']);
      expect(deleted.stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io "with-finalizer" deleted');
      const marked = await watch.next((e) => e.type === 'MODIFIED');
      expect(marked.object.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(marked.object.metadata.generation).toBe(2);
      const got = await kubectl(['get', 'hr', 'with-finalizer', '-o', 'jsonpath={.metadata.deletionTimestamp}']);
      expect(got.stdout).toBe(marked.object.metadata.deletionTimestamp);
      // a second delete changes nothing
      expect((await kubectl(['delete', 'hr', 'with-finalizer', '--wait=false'])).code).toBe(0);
      const added = await kubectl(['patch', 'hr', 'with-finalizer', '--type=json', '-p', '[{"op":"add","path":"/metadata/finalizers/-","value":"example.com/another"}]']);
      expect(added.stderr).toContain('no new finalizers can be added if the object is being deleted');

      expect((await kubectl(['patch', 'hr', 'with-finalizer', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]'])).code).toBe(0);
      await watch.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'with-finalizer');
      expect((await kubectl(['get', 'hr', 'with-finalizer'])).stderr).toContain('NotFound');
      expect(watch.events.filter((e) => e.type === 'MODIFIED').length).toBeGreaterThanOrEqual(2);
    } finally {
      watch.close();
    }
  });

  it('turns a namespace Terminating until its contents are gone, refusing new objects meanwhile', async () => {
    server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    server.store.apply(helmRelease('doomed', 'held', ['finalizers.fluxcd.io']));
    server.store.apply(helmRelease('doomed', 'free'));
    expect((await kubectl(['delete', 'namespace', 'doomed', '--wait=false'])).stdout.trim()).toBe('namespace "doomed" deleted');
    expect((await kubectl(['get', 'namespace', 'doomed', '-o', 'jsonpath={.status.phase}'])).stdout).toBe('Terminating');
    expect((await kubectl(['get', 'hr', '-n', 'doomed', '-o', 'name'])).stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io/held');
    const refused = await kubectl(['create', 'configmap', 'late', '-n', 'doomed']);
    expect(refused.stderr).toContain('unable to create new content in namespace doomed because it is being terminated');

    expect((await kubectl(['patch', 'hr', 'held', '-n', 'doomed', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'])).code).toBe(0);
    expect((await kubectl(['get', 'namespace', 'doomed'])).stderr).toContain('namespaces "doomed" not found');
  });
});

describe('updates of custom resources', { timeout: 60_000 }, () => {
  it('refuses a replace without resourceVersion (422) and with another uid (409)', async () => {
    // (kubectl replace fills in the current resourceVersion itself, so the PUT is sent raw)
    const noVersion = await kubeRequest(server, 'PUT', hrPath('payments', 'checkout'), { body: helmRelease('payments', 'checkout') });
    expect(noVersion.status).toBe(422);
    expect(noVersion.json().message).toBe('HelmRelease.helm.toolkit.fluxcd.io "checkout" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    // core kinds allow an unconditional update
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'other', namespace: 'payments' }, data: { token: Buffer.from('ghp_z').toString('base64') } };
    expect((await kubeRequest(server, 'PUT', '/api/v1/namespaces/payments/secrets/other', { body: secret })).status).toBe(200);

    const current = JSON.parse((await kubectl(['get', 'hr', 'checkout', '-o', 'json'])).stdout) as KubeObject;
    const otherUid = { ...current, metadata: { ...current.metadata, uid: '00000000-0000-0000-0000-000000000000' } };
    const res = await kubeRequest(server, 'PUT', hrPath('payments', 'checkout'), { body: otherUid });
    expect(res.status).toBe(409);
    expect(res.json().message).toContain(`Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ${String(current.metadata.uid)}`);
  });
});

describe('watch history and resourceVersion semantics', { timeout: 60_000 }, () => {
  it('answers 410 Gone for a resourceVersion older than the kept history (resourceVersion=1 included)', async () => {
    const fromOne = await openWatch(server, `${hrPath('payments')}?watch=1&resourceVersion=1`);
    await fromOne.waitEnded();
    expect(fromOne.events).toHaveLength(1);
    expect(fromOne.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });

    // A small window: writes past it make the earlier resourceVersion unusable.
    server.store.setHistorySize(3);
    try {
      const before = server.store.currentResourceVersion();
      for (let i = 0; i < 5; i++) server.store.patch({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'payments', name: 'checkout' }, { spec: { interval: `${i + 1}m` } });
      const resumed = await openWatch(server, `${hrPath('payments')}?watch=1&resourceVersion=${before}`);
      await resumed.waitEnded();
      expect(resumed.events[0]?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
      const exact = await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersion=${before}&resourceVersionMatch=Exact`);
      expect(exact.status).toBe(410);
      expect(exact.json().reason).toBe('Expired');
    } finally {
      server.store.setHistorySize(10_000);
    }
  });

  it('lists the state at an exact resourceVersion, and validates resourceVersionMatch as real', async () => {
    const ref = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'payments', name: 'checkout' };
    server.store.patch(ref, { spec: { interval: '7m' } });
    const then = server.store.currentResourceVersion();
    server.store.patch(ref, { spec: { interval: '8m' } });
    server.store.apply(helmRelease('payments', 'added-later'));

    const exact = await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersion=${then}&resourceVersionMatch=Exact`);
    expect(exact.status).toBe(200);
    const list = exact.json();
    expect(list.metadata.resourceVersion).toBe(then);
    expect(list.items.map((i: KubeObject) => i.metadata.name)).toEqual(['checkout']);
    expect(list.items[0].spec.interval).toBe('7m');
    const notOlder = (await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersion=${then}&resourceVersionMatch=NotOlderThan`)).json();
    expect(notOlder.items.map((i: KubeObject) => i.metadata.name)).toEqual(['added-later', 'checkout']);
    server.store.remove({ ...ref, name: 'added-later' });

    const withoutRv = await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersionMatch=Exact`);
    expect(withoutRv.status).toBe(422);
    expect(withoutRv.json().message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    const exactZero = await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersion=0&resourceVersionMatch=Exact`);
    expect(exactZero.json().message).toContain('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    const onWatch = await kubeRequest(server, 'GET', `${hrPath('payments')}?watch=1&resourceVersion=0&resourceVersionMatch=NotOlderThan`);
    expect(onWatch.status).toBe(422);
    expect(onWatch.json().message).toContain('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
    const future = await kubeRequest(server, 'GET', `${hrPath('payments')}?resourceVersion=${Number(server.store.currentResourceVersion()) + 100}&resourceVersionMatch=Exact`);
    expect(future.status).toBe(504);
    expect(future.json().details.causes[0].reason).toBe('ResourceVersionTooLarge');
  });

  it('sends BOOKMARK events only to watches that asked for them', async () => {
    const ref = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'payments', name: 'checkout' };
    const rv = server.store.currentResourceVersion();
    const plain = await openWatch(server, `${hrPath('payments')}?watch=1&resourceVersion=${rv}`);
    const asked = await openWatch(server, `${hrPath('payments')}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
    try {
      server.store.patch(ref, { spec: { interval: '9m' } });
      await asked.next((e) => e.type === 'BOOKMARK');
      await plain.next((e) => e.type === 'MODIFIED');
      // the asked-for watch has had its bookmark; the plain one saw the same event stream without any
      server.store.patch(ref, { spec: { interval: '10m' } });
      await plain.next((e) => e.type === 'MODIFIED' && e.object.spec.interval === '10m');
      await asked.next((e) => e.type === 'MODIFIED' && e.object.spec.interval === '10m');
      await asked.next(
        (e) => e.type === 'BOOKMARK',
        5000,
        asked.events.findIndex((e) => e.type === 'MODIFIED' && e.object.spec.interval === '10m'),
      );
      expect(plain.events.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED']);
    } finally {
      plain.close();
      asked.close();
    }
  });
});

describe('two served versions of a Flux kind (v2 and the deprecated v2beta2)', { timeout: 60_000 }, () => {
  let multi: KubeApiServer;
  let kubectlMulti: ReturnType<typeof kubectlIn>;

  beforeAll(async () => {
    multi = await startKubeApiServer({ name: 'multi', crdDir: sandboxCrds, users: [adminUser], extraServedVersions: FLUX_DEPRECATED_VERSIONS });
    const kubeconfig = path.join(dir, 'kubeconfig-multi');
    writeKubeconfig(kubeconfig, [{ cluster: 'multi', server: multi.url, caPem: multi.caPem, user: 'admin', token: adminUser.token, namespace: 'payments' }], 'multi');
    kubectlMulti = kubectlIn(kubeconfig, path.join(dir, 'multi'));
    multi.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
    multi.store.apply(helmRelease('payments', 'checkout'));
  });

  afterAll(async () => {
    await multi?.close();
  });

  it('lists both versions in discovery, prefers v2, and warns on every request to v2beta2', async () => {
    const versions = (await kubectlMulti(['api-versions'])).stdout.split('\n');
    expect(versions).toEqual(expect.arrayContaining(['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2', 'kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1beta2']));
    const group = (await kubeRequest(multi, 'GET', '/apis/helm.toolkit.fluxcd.io')).json();
    expect(group.preferredVersion.version).toBe('v2');
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v2beta2']);

    const preferred = await kubectlMulti(['get', 'hr', 'checkout', '-o', 'jsonpath={.apiVersion}']);
    expect(preferred).toMatchObject({ stdout: 'helm.toolkit.fluxcd.io/v2', stderr: '' });
    const old = await kubectlMulti(['get', 'helmreleases.v2beta2.helm.toolkit.fluxcd.io', 'checkout', '-o', 'jsonpath={.apiVersion}']);
    expect(old.stdout).toBe('helm.toolkit.fluxcd.io/v2beta2');
    expect(old.stderr).toContain('Warning: v2beta2 HelmRelease is deprecated, upgrade to v2');
    const raw = await kubeRequest(multi, 'GET', '/apis/kustomize.toolkit.fluxcd.io/v1beta2/kustomizations');
    expect(raw.headers.warning).toBe('299 - "v1beta2 Kustomization is deprecated, upgrade to v1"');
  });

  it('converts between the versions: written as v2beta2, read as v2, one resourceVersion', async () => {
    const created = await kubectlMulti(['create', '-f', '-'], JSON.stringify({ ...helmRelease('payments', 'ledger'), apiVersion: 'helm.toolkit.fluxcd.io/v2beta2' }));
    expect(created.stdout.trim()).toBe('helmrelease.helm.toolkit.fluxcd.io/ledger created');
    expect(created.stderr).toContain('Warning: v2beta2 HelmRelease is deprecated');
    const v2 = (await kubeRequest(multi, 'GET', hrPath('payments', 'ledger'))).json();
    const beta = (await kubeRequest(multi, 'GET', '/apis/helm.toolkit.fluxcd.io/v2beta2/namespaces/payments/helmreleases/ledger')).json();
    expect(v2.apiVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(beta.apiVersion).toBe('helm.toolkit.fluxcd.io/v2beta2');
    expect(beta.metadata.resourceVersion).toBe(v2.metadata.resourceVersion);
    expect(beta.spec).toEqual(v2.spec);
  });
});

describe('server-side apply (kubectl apply --server-side)', { timeout: 60_000 }, () => {
  const pipeline = (envName: string, extra = ''): string => `apiVersion: pipelines.weave.works/v1alpha1
kind: Pipeline
metadata:
  name: ssa
  namespace: payments${extra}
spec:
  appRef: { apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, name: checkout }
  environments:
    - name: ${envName}
      targets: [ { namespace: payments-dev } ]
`;
  const managers = async (): Promise<{ manager: string; operation: string; fieldsV1: Record<string, unknown> }[]> =>
    JSON.parse((await kubectl(['get', 'pipeline', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout).metadata.managedFields;

  it('creates and updates with managedFields recorded per manager', async () => {
    const created = await kubectl(['apply', '--server-side', '-f', '-'], pipeline('dev'));
    expect(created).toMatchObject({ code: 0, stdout: 'pipeline.pipelines.weave.works/ssa serverside-applied\n' });
    const [entry] = await managers();
    expect(entry).toMatchObject({ manager: 'kubectl', operation: 'Apply', apiVersion: 'pipelines.weave.works/v1alpha1', fieldsType: 'FieldsV1' });
    expect(entry!.fieldsV1).toMatchObject({ 'f:spec': { 'f:appRef': { 'f:name': {} }, 'f:environments': {} } });
    // kubectl hides managedFields unless asked
    expect((await kubectl(['get', 'pipeline', 'ssa', '-o', 'yaml'])).stdout).not.toContain('managedFields');

    const rv = server.store.currentResourceVersion();
    expect((await kubectl(['apply', '--server-side', '-f', '-'], pipeline('dev'))).code).toBe(0);
    expect(server.store.currentResourceVersion()).toBe(rv); // the same configuration again is a no-op

    expect((await kubectl(['label', 'pipeline', 'ssa', 'team=payments'])).code).toBe(0);
    expect((await managers()).map((m) => `${m.manager}/${m.operation}`)).toEqual(['kubectl/Apply', 'kubectl-label/Update']);
  });

  it('answers 409 when another manager owns a field the configuration changes, and --force-conflicts takes it over', async () => {
    const conflict = await kubectl(['apply', '--server-side', '--field-manager=release-bot', '-f', '-'], pipeline('development'));
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using pipelines.weave.works/v1alpha1: .spec.environments');

    // the same value is shared ownership, not a conflict
    expect((await kubectl(['apply', '--server-side', '--field-manager=release-bot', '-f', '-'], pipeline('dev'))).code).toBe(0);

    const forced = await kubectl(['apply', '--server-side', '--field-manager=release-bot', '--force-conflicts', '-f', '-'], pipeline('development'));
    expect(forced.code).toBe(0);
    const stored = server.store.get('pipelines.weave.works', 'Pipeline', 'payments', 'ssa')!;
    expect((stored.spec as { environments: { name: string }[] }).environments[0]!.name).toBe('development');
    const owners = await managers();
    const kubectlApply = owners.find((m) => m.manager === 'kubectl' && m.operation === 'Apply')!;
    expect(kubectlApply.fieldsV1).not.toHaveProperty(['f:spec', 'f:environments']);
    expect(owners.find((m) => m.manager === 'release-bot')!.fieldsV1).toHaveProperty(['f:spec', 'f:environments']);
  });

  it('removes a field its manager stops applying, and requires a field manager', async () => {
    expect((await kubectl(['apply', '--server-side', '--field-manager=annotator', '-f', '-'], pipeline('development', '\n  annotations: { example.com/note: hello }'))).code).toBe(0);
    expect(server.store.get('pipelines.weave.works', 'Pipeline', 'payments', 'ssa')!.metadata.annotations).toEqual({ 'example.com/note': 'hello' });
    expect((await kubectl(['apply', '--server-side', '--field-manager=annotator', '-f', '-'], pipeline('development'))).code).toBe(0);
    expect(server.store.get('pipelines.weave.works', 'Pipeline', 'payments', 'ssa')!.metadata.annotations).toBeUndefined();

    const raw = await kubeRequest(server, 'PATCH', '/apis/pipelines.weave.works/v1alpha1/namespaces/payments/pipelines/ssa', { body: pipeline('dev'), contentType: 'application/apply-patch+yaml' });
    expect(raw.status).toBe(422);
    expect(raw.json().message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const forceOnMerge = await kubeRequest(server, 'PATCH', '/apis/pipelines.weave.works/v1alpha1/namespaces/payments/pipelines/ssa?force=true', {
      body: {},
      contentType: 'application/merge-patch+json',
    });
    expect(forceOnMerge.json().message).toContain('force: Forbidden: may not be specified for non-apply patch');
  });
});

describe('discovery and explain', { timeout: 60_000 }, () => {
  it('serves the common core kinds and rbac.authorization.k8s.io, so can-i only warns for types no cluster has', async () => {
    const resources = (await kubectl(['api-resources', '-o', 'name'])).stdout.split('\n');
    expect(resources).toEqual(
      expect.arrayContaining([
        'pods',
        'services',
        'serviceaccounts',
        'roles.rbac.authorization.k8s.io',
        'clusterrolebindings.rbac.authorization.k8s.io',
        'selfsubjectrulesreviews.authorization.k8s.io',
      ]),
    );
    expect(await kubectl(['auth', 'can-i', 'get', 'pods'])).toMatchObject({ stdout: 'yes\n', stderr: '' });
    const unknown = await kubectl(['auth', 'can-i', 'get', 'widgets']);
    expect(unknown.stderr).toContain("Warning: the server doesn't have a resource type 'widgets'");
    expect((await kubectl(['get', 'pods', '-o', 'name'])).code).toBe(0);
  });

  it('explains the CRDs from /openapi/v3 (what kubectl 1.32 reads)', async () => {
    const explained = await kubectl(['explain', 'helmreleases.spec.chart.spec.version']);
    expect(explained.stdout).toMatch(/KIND:\s+HelmRelease/);
    expect(explained.stdout).toContain('FIELD: version <string>');
  });
});
