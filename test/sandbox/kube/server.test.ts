// The sandbox API server over raw HTTPS and through its in-process store: bookkeeping, verbs,
// selectors, pagination, watches, errors and faults.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../seeds/types.js';
import { startKubeApiServer, type KubeApiServer } from './index.js';
import { adminUser, kubeRequest, openWatch, sandboxCrds, viewerUser, waitFor } from './testing.js';

const PIPELINES = '/apis/pipelines.weave.works/v1alpha1';
const HR = '/apis/helm.toolkit.fluxcd.io/v2';

function pipeline(name: string, namespace: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { name, namespace, labels },
    spec: {
      appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name },
      environments: [{ name: 'dev', targets: [{ namespace: `${name}-dev` }] }],
    },
  };
}

function helmRelease(name: string, namespace: string, version = '1.0.0'): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec: { interval: '5m', chart: { spec: { chart: name, version, sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
    status: { history: [{ chartName: name, chartVersion: version, status: 'deployed' }] },
  };
}

let server: KubeApiServer;

beforeAll(async () => {
  server = await startKubeApiServer({ name: 'unit', crdDir: sandboxCrds, users: [adminUser, viewerUser], bookmarkIntervalMs: 100 });
  for (const ns of ['team-a', 'team-b']) server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  server.store.apply(pipeline('alpha', 'team-a', { tier: 'web', team: 'a' }));
  server.store.apply(pipeline('beta', 'team-a', { tier: 'db', team: 'a' }));
  server.store.apply(pipeline('gamma', 'team-b', { tier: 'web', team: 'b' }));
  server.store.apply(helmRelease('alpha', 'team-a'));
});

afterAll(async () => {
  await server.close();
});

describe('store bookkeeping', () => {
  it('assigns uid, creationTimestamp, generation and a rising resourceVersion', () => {
    const before = Number(server.store.currentResourceVersion());
    const created = server.store.apply(pipeline('delta', 'team-b'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.generation).toBe(1);
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1);

    const statusOnly = server.store.patchStatus(created, { observedGeneration: 1 });
    expect(statusOnly.metadata.generation).toBe(1);
    expect(Number(statusOnly.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));

    const specChange = server.store.patch(created, { spec: { appRef: { name: 'renamed' } } });
    expect(specChange.metadata.generation).toBe(2);
    expect((specChange.spec as { appRef: { name: string; kind: string } }).appRef).toMatchObject({ name: 'renamed', kind: 'HelmRelease' });
    expect(specChange.status).toEqual({ observedGeneration: 1 });
    expect(specChange.metadata.uid).toBe(created.metadata.uid);

    // A write that changes nothing is not an event and keeps the resourceVersion.
    const again = server.store.patch(created, { spec: { appRef: { name: 'renamed' } } });
    expect(again.metadata.resourceVersion).toBe(specChange.metadata.resourceVersion);

    expect(server.store.remove(created)).toBe(true);
    expect(server.store.get('pipelines.weave.works', 'pipelines', 'team-b', 'delta')).toBeUndefined();
    expect(server.store.remove(created)).toBe(false);
  });

  it('hands out copies that callers cannot use to change stored state', () => {
    const copy = server.store.get('pipelines.weave.works/v1alpha1', 'Pipeline', 'team-a', 'alpha')!;
    copy.metadata.name = 'mutated';
    expect(server.store.get('pipelines.weave.works', 'pipelines', 'team-a', 'alpha')!.metadata.name).toBe('alpha');
  });
});

describe('HTTP verbs', () => {
  it('gets and lists with Status bodies for errors', async () => {
    const got = await kubeRequest(server, 'GET', `${PIPELINES}/namespaces/team-a/pipelines/alpha`);
    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', metadata: { name: 'alpha', namespace: 'team-a' } });

    const missing = await kubeRequest(server, 'GET', `${PIPELINES}/namespaces/team-a/pipelines/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pipelines.pipelines.weave.works "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'pipelines.weave.works', kind: 'pipelines' },
      code: 404,
    });

    const all = await kubeRequest(server, 'GET', `${PIPELINES}/pipelines`);
    const body = all.json();
    expect(body.kind).toBe('PipelineList');
    expect(body.metadata.resourceVersion).toBe(server.store.currentResourceVersion());
    expect(body.items.map((p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['team-a/alpha', 'team-a/beta', 'team-b/gamma']);
  });

  it('answers 401 for an unknown token and 403 worded like the real authorizer', async () => {
    const anon = await kubeRequest(server, 'GET', `${PIPELINES}/pipelines`, { token: 'wrong' });
    expect(anon.status).toBe(401);
    expect(anon.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });

    const denied = await kubeRequest(server, 'GET', '/api/v1/namespaces/team-a/secrets/x', { token: viewerUser.token });
    expect(denied.status).toBe(403);
    expect(denied.json()).toMatchObject({
      reason: 'Forbidden',
      message: 'secrets "x" is forbidden: User "viewer" cannot get resource "secrets" in API group "" in the namespace "team-a"',
      details: { name: 'x', kind: 'secrets' },
    });
    const clusterList = await kubeRequest(server, 'GET', '/api/v1/secrets', { token: viewerUser.token });
    expect(clusterList.json().message).toBe('secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope');
    const statusWrite = await kubeRequest(server, 'PATCH', `${HR}/namespaces/team-a/helmreleases/alpha/status`, {
      token: viewerUser.token,
      body: { status: {} },
      contentType: 'application/merge-patch+json',
    });
    expect(statusWrite.json().message).toContain('cannot patch resource "helmreleases/status" in API group "helm.toolkit.fluxcd.io"');
  });

  it('creates (201), refuses duplicates (409 AlreadyExists) and unknown namespaces (404)', async () => {
    const created = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: pipeline('epsilon', 'team-b') });
    expect(created.status).toBe(201);
    expect(created.json().metadata.generation).toBe(1);
    const dup = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: pipeline('epsilon', 'team-b') });
    expect(dup.status).toBe(409);
    expect(dup.json()).toMatchObject({ reason: 'AlreadyExists', message: 'pipelines.pipelines.weave.works "epsilon" already exists' });
    const noNs = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/ghost/pipelines`, { body: pipeline('x', 'ghost') });
    expect(noNs.status).toBe(404);
    expect(noNs.json().message).toBe('namespaces "ghost" not found');
  });

  it('validates names and the CRD schema with 422 Invalid, but stores well-typed nonsense', async () => {
    const badName = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: pipeline('Bad_Name', 'team-b') });
    expect(badName.status).toBe(422);
    expect(badName.json()).toMatchObject({ reason: 'Invalid', details: { name: 'Bad_Name', kind: 'Pipeline', causes: [{ field: 'metadata.name', reason: 'FieldValueInvalid' }] } });

    const noAppRef = pipeline('no-appref', 'team-b');
    delete (noAppRef.spec as Record<string, unknown>).appRef;
    const missing = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: noAppRef });
    expect(missing.status).toBe(422);
    expect(missing.json().message).toBe('Pipeline.pipelines.weave.works "no-appref" is invalid: spec.appRef: Required value');

    const wrongType = pipeline('wrong-type', 'team-b');
    (wrongType.spec as Record<string, unknown>).environments = 'prod';
    const typed = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: wrongType });
    expect(typed.status).toBe(422);
    expect(typed.json().details.causes[0]).toMatchObject({ field: 'spec.environments', reason: 'FieldValueTypeInvalid' });

    // Semantically broken (an environment with no targets, an appRef to nothing) but schema-valid.
    const broken = pipeline('malformed', 'team-b');
    (broken.spec as Record<string, unknown>).environments = [{ name: 'prod', targets: [] }];
    const stored = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: broken });
    expect(stored.status).toBe(201);
  });

  it('prunes fields the schema does not declare, or rejects them with fieldValidation=Strict', async () => {
    const extra = pipeline('extra-fields', 'team-b');
    (extra.spec as Record<string, unknown>).bogus = { a: 1 };
    const strict = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines?fieldValidation=Strict`, { body: extra });
    expect(strict.status).toBe(400);
    expect(strict.json()).toMatchObject({ reason: 'BadRequest', message: 'Pipeline in version "v1alpha1" cannot be handled as a Pipeline: strict decoding error: unknown field "spec.bogus"' });
    const lenient = await kubeRequest(server, 'POST', `${PIPELINES}/namespaces/team-b/pipelines`, { body: extra });
    expect(lenient.status).toBe(201);
    expect(lenient.headers.warning).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect(lenient.json().spec.bogus).toBeUndefined();
    expect(lenient.json().spec.appRef.name).toBe('extra-fields');
  });

  it('rejects an update with a stale resourceVersion (409 Conflict) and accepts a fresh one', async () => {
    const url = `${PIPELINES}/namespaces/team-a/pipelines/beta`;
    const current = (await kubeRequest(server, 'GET', url)).json();
    const stale = structuredClone(current);
    server.store.patch(current, { metadata: { annotations: { touched: 'yes' } } });
    stale.spec.appRef.name = 'changed';
    const conflict = await kubeRequest(server, 'PUT', url, { body: stale });
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on pipelines.pipelines.weave.works "beta": the object has been modified; please apply your changes to the latest version and try again',
    });
    const fresh = (await kubeRequest(server, 'GET', url)).json();
    fresh.spec.appRef.name = 'changed';
    fresh.status = { observedGeneration: 99 };
    const ok = await kubeRequest(server, 'PUT', url, { body: fresh });
    expect(ok.status).toBe(200);
    expect(ok.json().metadata.generation).toBe(2);
    expect(ok.json().status).toBeUndefined(); // status goes through /status only

    // The same content with keys in another order is a no-op: no new resourceVersion, no generation bump.
    const reordered = ok.json();
    const sameContent = { spec: { environments: reordered.spec.environments, appRef: reordered.spec.appRef }, metadata: reordered.metadata, kind: reordered.kind, apiVersion: reordered.apiVersion };
    const noop = await kubeRequest(server, 'PUT', url, { body: sameContent });
    expect(noop.json().metadata.resourceVersion).toBe(ok.json().metadata.resourceVersion);
    expect(noop.json().metadata.generation).toBe(2);

    const noRv = structuredClone(ok.json());
    delete noRv.metadata.resourceVersion;
    const unconditional = await kubeRequest(server, 'PUT', url, { body: noRv });
    expect(unconditional.status).toBe(422);
  });

  it('applies merge patches and JSON patches, and status writes leave generation alone', async () => {
    const url = `${HR}/namespaces/team-a/helmreleases/alpha`;
    const merge = await kubeRequest(server, 'PATCH', url, { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' });
    expect(merge.status).toBe(200);
    expect(merge.json().spec.suspend).toBe(true);
    expect(merge.json().metadata.generation).toBe(2);
    expect(merge.json().status.history[0].chartVersion).toBe('1.0.0');

    const json = await kubeRequest(server, 'PATCH', url, {
      body: [
        { op: 'test', path: '/spec/suspend', value: true },
        { op: 'replace', path: '/spec/chart/spec/version', value: '2.0.0' },
        { op: 'remove', path: '/spec/suspend' },
      ],
      contentType: 'application/json-patch+json',
    });
    expect(json.status).toBe(200);
    expect(json.json().spec.chart.spec.version).toBe('2.0.0');
    expect(json.json().spec.suspend).toBeUndefined();
    expect(json.json().metadata.generation).toBe(3);

    const failedTest = await kubeRequest(server, 'PATCH', url, { body: [{ op: 'test', path: '/spec/interval', value: '1h' }], contentType: 'application/json-patch+json' });
    expect(failedTest.status).toBe(422);

    const status = await kubeRequest(server, 'PATCH', `${url}/status`, {
      body: { status: { lastAttemptedRevision: '2.0.0' }, spec: { suspend: true } },
      contentType: 'application/merge-patch+json',
    });
    expect(status.status).toBe(200);
    expect(status.json().status.lastAttemptedRevision).toBe('2.0.0');
    expect(status.json().spec.suspend).toBeUndefined();
    expect(status.json().metadata.generation).toBe(3);

    const strategic = await kubeRequest(server, 'PATCH', url, { body: { spec: {} }, contentType: 'application/strategic-merge-patch+json' });
    expect(strategic.status).toBe(415);
    expect(strategic.json()).toMatchObject({ kind: 'Status', reason: 'UnsupportedMediaType', code: 415 });
  });

  it('deletes with 200 and the object, honouring preconditions', async () => {
    server.store.apply(pipeline('doomed', 'team-b'));
    const url = `${PIPELINES}/namespaces/team-b/pipelines/doomed`;
    const wrong = await kubeRequest(server, 'DELETE', url, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } } });
    expect(wrong.json()).toMatchObject({ code: 409 });
    expect(wrong.status).toBe(409);
    const ok = await kubeRequest(server, 'DELETE', url);
    expect(ok.status).toBe(200);
    expect(ok.json().metadata.name).toBe('doomed');
    expect((await kubeRequest(server, 'DELETE', url)).status).toBe(404);
  });

  it('serves only the CRD versions marked served', async () => {
    expect((await kubeRequest(server, 'GET', '/apis/helm.toolkit.fluxcd.io/v2beta1/helmreleases')).status).toBe(404);
    const group = (await kubeRequest(server, 'GET', '/apis/helm.toolkit.fluxcd.io')).json();
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v2']);
    const resources = (await kubeRequest(server, 'GET', HR)).json();
    expect(resources.resources).toEqual([
      {
        name: 'helmreleases',
        singularName: 'helmrelease',
        namespaced: true,
        kind: 'HelmRelease',
        verbs: expect.arrayContaining(['get', 'list', 'watch', 'patch']),
        shortNames: ['hr'],
        categories: ['all', 'fluxcd', 'fluxcd-appliers'],
      },
      { name: 'helmreleases/status', singularName: '', namespaced: true, kind: 'HelmRelease', verbs: ['get', 'patch', 'update'] },
    ]);
    const crd = (await kubeRequest(server, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/pipelines.pipelines.weave.works')).json();
    expect(crd.spec.names.kind).toBe('Pipeline');
    expect((await kubeRequest(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/pipelines.pipelines.weave.works')).status).toBe(405);
  });
});

describe('selectors and pagination', () => {
  it('filters by label (equality and set-based) and field selectors', async () => {
    const names = async (query: string): Promise<string[]> => (await kubeRequest(server, 'GET', `${PIPELINES}/pipelines?${query}`)).json().items.map((p: KubeObject) => p.metadata.name);
    expect(await names('labelSelector=tier%3Dweb')).toEqual(['alpha', 'gamma']);
    expect(await names('labelSelector=tier%21%3Dweb,team')).toEqual(['beta']);
    expect(await names(`labelSelector=${encodeURIComponent('team in (b),tier notin (db)')}`)).toEqual(['gamma']);
    expect(await names('labelSelector=%21team')).not.toContain('alpha');
    expect(await names('fieldSelector=metadata.name%3Dbeta')).toEqual(['beta']);
    expect(await names('fieldSelector=metadata.namespace%3Dteam-b,metadata.name%21%3Dgamma')).not.toContain('gamma');
    const unsupported = await kubeRequest(server, 'GET', `${PIPELINES}/pipelines?fieldSelector=spec.appRef.name%3Dx`);
    expect(unsupported.status).toBe(400);
  });

  it('pages with limit and continue, and expires old continue tokens with 410', async () => {
    server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    for (let i = 0; i < 25; i++) server.store.apply(helmRelease(`app-${String(i).padStart(2, '0')}`, 'paging'));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (await kubeRequest(server, 'GET', `${HR}/namespaces/paging/helmreleases?limit=10${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).json();
      seen.push(...page.items.map((h: KubeObject) => h.metadata.name));
      if (pages === 0) expect(page.metadata.remainingItemCount).toBe(15);
      token = page.metadata.continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);

    const first = (await kubeRequest(server, 'GET', `${HR}/namespaces/paging/helmreleases?limit=5`)).json();
    server.faults.expireWatchHistory();
    const gone = await kubeRequest(server, 'GET', `${HR}/namespaces/paging/helmreleases?limit=5&continue=${encodeURIComponent(first.metadata.continue)}`);
    expect(gone.status).toBe(410);
    expect(gone.json()).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
  });
});

describe('watch', () => {
  it('sends current state, then live events, and resumes from a resourceVersion', async () => {
    const w = await openWatch(server, `${PIPELINES}/namespaces/team-a/pipelines?watch=1`);
    expect(w.status).toBe(200);
    await w.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'alpha');
    const rvAfterInitial = server.store.currentResourceVersion();
    server.store.patchStatus({ apiVersion: 'pipelines.weave.works', kind: 'pipelines', namespace: 'team-a', name: 'alpha' }, { observedGeneration: 7 });
    server.store.apply(pipeline('other-ns', 'team-b')); // filtered out by namespace
    server.store.apply(pipeline('zeta', 'team-a'));
    await w.next((e) => e.type === 'MODIFIED' && e.object.status?.observedGeneration === 7);
    await w.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'zeta');
    expect(w.events.some((e) => e.object.metadata.name === 'other-ns')).toBe(false);
    w.close();

    const resumed = await openWatch(server, `${PIPELINES}/namespaces/team-a/pipelines?watch=true&resourceVersion=${rvAfterInitial}`);
    await resumed.next((e) => e.object.metadata.name === 'zeta');
    expect(resumed.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED alpha', 'ADDED zeta']);
    server.store.remove(pipeline('zeta', 'team-a'));
    await resumed.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'zeta');
    resumed.close();
  });

  it('turns label changes into ADDED/DELETED for a selector watch and sends bookmarks', async () => {
    const w = await openWatch(server, `${PIPELINES}/pipelines?watch=1&labelSelector=tier%3Dweb&allowWatchBookmarks=true`);
    await w.next((e) => e.object.metadata?.name === 'gamma');
    server.store.patch({ apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', namespace: 'team-b', name: 'gamma' }, { metadata: { labels: { tier: 'db' } } });
    await w.next((e) => e.type === 'DELETED' && e.object.metadata.name === 'gamma');
    server.store.patch({ apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', namespace: 'team-b', name: 'gamma' }, { metadata: { labels: { tier: 'web' } } });
    const added = w.events.length;
    await w.next((e) => e.type === 'ADDED' && e.object.metadata.name === 'gamma', 5000, added - 1);
    const bookmark = await w.next((e) => e.type === 'BOOKMARK');
    expect(bookmark.object).toMatchObject({ kind: 'Pipeline', apiVersion: 'pipelines.weave.works/v1alpha1' });
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(0);
    w.close();
  });

  it('streams a watch-list (sendInitialEvents) ending in an initial-events-end bookmark', async () => {
    const w = await openWatch(server, `${PIPELINES}/namespaces/team-a/pipelines?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const end = await w.next((e) => e.type === 'BOOKMARK');
    expect(end.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    const initial = w.events.slice(0, w.events.indexOf(end));
    expect(initial.every((e) => e.type === 'ADDED')).toBe(true);
    expect(initial.map((e) => e.object.metadata.name)).toContain('alpha');
    w.close();
  });

  it('answers a too-old resourceVersion with an ERROR 410 event and ends the stream', async () => {
    const old = server.store.currentResourceVersion();
    server.store.patchStatus({ apiVersion: 'pipelines.weave.works', kind: 'Pipeline', namespace: 'team-a', name: 'alpha' }, { observedGeneration: 8 });
    server.faults.expireWatchHistory();
    const w = await openWatch(server, `${PIPELINES}/pipelines?watch=1&resourceVersion=${old}`);
    const error = await w.next((e) => e.type === 'ERROR');
    expect(error.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(error.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    await w.waitEnded();
    // The list after expiry hands out a resourceVersion that can be watched from.
    const rv = (await kubeRequest(server, 'GET', `${PIPELINES}/pipelines`)).json().metadata.resourceVersion;
    const fresh = await openWatch(server, `${PIPELINES}/pipelines?watch=1&resourceVersion=${rv}`);
    server.store.patchStatus({ apiVersion: 'pipelines.weave.works', kind: 'Pipeline', namespace: 'team-a', name: 'alpha' }, { observedGeneration: 9 });
    await fresh.next((e) => e.type === 'MODIFIED' && e.object.status.observedGeneration === 9);
    fresh.close();
  });

  it('ends the stream after timeoutSeconds, and stalls and drops on request', async () => {
    const timed = await openWatch(server, `${PIPELINES}/pipelines?watch=1&timeoutSeconds=1`);
    await timed.waitEnded(5000);

    const w = await openWatch(server, `${PIPELINES}/namespaces/team-a/pipelines?watch=1&resourceVersion=${server.store.currentResourceVersion()}`);
    await waitFor(() => server.openWatchCount >= 1, 5000, 'watch registered');
    server.faults.stallWatches(true);
    server.store.patchStatus({ apiVersion: 'pipelines.weave.works', kind: 'Pipeline', namespace: 'team-a', name: 'alpha' }, { observedGeneration: 10 });
    // A round trip on another connection proves the server has handled the change meanwhile.
    await kubeRequest(server, 'GET', '/version');
    expect(w.events.filter((e) => e.type === 'MODIFIED')).toHaveLength(0);
    server.faults.stallWatches(false);
    await w.next((e) => e.type === 'MODIFIED' && e.object.status.observedGeneration === 10);
    server.faults.dropWatches();
    await w.waitEnded();
    expect(server.openWatchCount).toBe(0);
  });
});

describe('faults and request accounting', () => {
  it('fails the next matching requests with proper Status bodies and counts requests per template', async () => {
    server.requestLog.reset();
    server.faults.failNext(2, 503, { method: 'GET', pathIncludes: '/helmreleases' });
    const a = await kubeRequest(server, 'GET', `${HR}/helmreleases`);
    const b = await kubeRequest(server, 'GET', `${HR}/namespaces/team-a/helmreleases/alpha`);
    const c = await kubeRequest(server, 'GET', `${HR}/helmreleases`);
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(a.json()).toMatchObject({ kind: 'Status', reason: 'ServiceUnavailable', code: 503 });
    expect(a.headers['retry-after']).toBe('1');
    expect(server.requestCount).toBe(3);
    expect(server.requestLog.count('GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases')).toBe(2);
    expect(server.requestLog.entries().map((e) => [e.status, e.user])).toEqual([
      [503, null],
      [503, null],
      [200, 'admin'],
    ]);
    expect(server.requestLog.counts()).toEqual({
      'GET /apis/helm.toolkit.fluxcd.io/v2/helmreleases': 2,
      'GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases/{name}': 1,
    });
  });

  it('delays every request by the configured latency', async () => {
    server.faults.setLatency(200);
    try {
      const started = performance.now();
      const res = await kubeRequest(server, 'GET', '/api/v1/namespaces');
      expect(res.status).toBe(200);
      // A lower bound only: a loaded machine can make it slower, never faster.
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      server.faults.clear();
    }
  });

  // How fast is measured by `npm run bench` (the data-plane section lists a whole fleet), not here.
  it('lists thousands of objects in one answer', async () => {
    server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } });
    for (let i = 0; i < 5000; i++) server.store.apply(helmRelease(`bulk-${i}`, 'bulk', `1.${i}.0`));
    const list = await kubeRequest(server, 'GET', `${HR}/namespaces/bulk/helmreleases`);
    expect(list.json().items).toHaveLength(5000);
  });
});
