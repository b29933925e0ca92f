// @kubernetes/client-node 2.x against the sandbox API server, the way the app uses it: a
// kubeconfig file, CustomObjectsApi with object parameters, Watch resumption, an informer that
// relists after 410 and reconnects across a server restart, and bookmarks.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuthorizationV1Api, CustomObjectsApi, KubeConfig, type KubernetesObject, makeInformer, PatchStrategy, setHeaderOptions, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../seeds/types.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from './index.js';
import { adminUser, sandboxCrds, viewerUser, waitFor } from './testing.js';

const HR = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases' };
const HR_PATH = '/apis/helm.toolkit.fluxcd.io/v2/namespaces/apps/helmreleases';

let server: KubeApiServer;
let dir: string;
let kc: KubeConfig;
let api: CustomObjectsApi;

function helmRelease(name: string, version: string): KubeObject {
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace: 'apps' },
    spec: { interval: '5m', chart: { spec: { chart: name, version, sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
    status: { history: [{ chartName: name, chartVersion: version, status: 'deployed' }] },
  };
}

const hrRef = (name: string) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: 'apps', name });
const deployed = (obj: KubernetesObject | undefined): string | undefined => (obj as { status?: { history?: { chartVersion: string }[] } } | undefined)?.status?.history?.[0]?.chartVersion;

interface CollectedEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string } } & Record<string, unknown>;
}

/** Starts a raw client-node Watch collecting events; returns the events, the done error and a stop function. */
async function collectWatch(query: Record<string, string | boolean>): Promise<{ events: CollectedEvent[]; done: { err?: unknown; called: boolean }; stop: () => void }> {
  const events: CollectedEvent[] = [];
  const done: { err?: unknown; called: boolean } = { called: false };
  const controller = await new Watch(kc).watch(
    HR_PATH,
    query,
    (type, object) => events.push({ type, object }),
    (err) => {
      done.called = true;
      done.err = err;
    },
  );
  return { events, done, stop: () => controller.abort() };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sandbox-client-node-'));
  server = await startKubeApiServer({ name: 'client-node-test', crdDir: sandboxCrds, users: [adminUser, viewerUser], bookmarkIntervalMs: 150 });
  server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  server.store.apply(helmRelease('frontend', '1.0.0'));
  server.store.apply(helmRelease('backend', '2.0.0'));
  const file = path.join(dir, 'kubeconfig');
  writeKubeconfig(file, [{ cluster: 'sandbox', server: server.url, caPem: server.caPem, user: 'admin', token: adminUser.token }], 'sandbox');
  kc = new KubeConfig();
  kc.loadFromFile(file);
  api = kc.makeApiClient(CustomObjectsApi);
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('client-node against the sandbox', { timeout: 60_000 }, () => {
  it('lists, gets and patches custom objects (status via merge patch)', async () => {
    const list = (await api.listNamespacedCustomObject({ ...HR, namespace: 'apps' })) as { items: KubeObject[]; metadata: { resourceVersion: string } };
    expect(list.items.map((i) => i.metadata.name)).toEqual(['backend', 'frontend']);
    expect(list.metadata.resourceVersion).toBe(server.store.currentResourceVersion());

    const all = (await api.listClusterCustomObject({ ...HR, labelSelector: '' })) as { items: KubeObject[] };
    expect(all.items).toHaveLength(2);

    const got = (await api.getNamespacedCustomObject({ ...HR, namespace: 'apps', name: 'frontend' })) as KubeObject;
    expect(deployed(got)).toBe('1.0.0');

    const patched = (await api.patchNamespacedCustomObjectStatus(
      { ...HR, namespace: 'apps', name: 'frontend', body: { status: { lastAttemptedRevision: '1.1.0' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as KubeObject & { status: { lastAttemptedRevision: string } };
    expect(patched.status.lastAttemptedRevision).toBe('1.1.0');
    expect(deployed(patched)).toBe('1.0.0');

    // The default patch type of the generated client is JSON patch.
    const jsonPatched = (await api.patchNamespacedCustomObject({
      ...HR,
      namespace: 'apps',
      name: 'frontend',
      body: [{ op: 'add', path: '/spec/suspend', value: true }],
    })) as KubeObject & { spec: { suspend: boolean } };
    expect(jsonPatched.spec.suspend).toBe(true);
    expect(jsonPatched.metadata.generation).toBe(2);

    await expect(api.getNamespacedCustomObject({ ...HR, namespace: 'apps', name: 'missing' })).rejects.toMatchObject({ code: 404 });
  });

  it('resumes a Watch from a resourceVersion and receives bookmarks', async () => {
    const rv = server.store.currentResourceVersion();
    server.store.patchStatus(hrRef('backend'), { lastAttemptedRevision: '2.1.0' });
    server.store.apply(helmRelease('worker', '3.0.0'));
    const w = await collectWatch({ resourceVersion: rv, allowWatchBookmarks: true });
    try {
      await waitFor(() => w.events.some((e) => e.object.metadata?.name === 'worker'), 5000, 'replayed events');
      expect(w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['MODIFIED backend', 'ADDED worker']);
      const bookmark = await waitFor(() => w.events.find((e) => e.type === 'BOOKMARK'), 5000, 'bookmark');
      expect(bookmark.object.metadata?.resourceVersion).toBe(server.store.currentResourceVersion());
      expect(bookmark.object.kind).toBe('HelmRelease');
    } finally {
      w.stop();
    }
  });

  it('gets an ERROR 410 event when resuming from expired history', async () => {
    const rv = server.store.currentResourceVersion();
    server.faults.expireWatchHistory();
    const w = await collectWatch({ resourceVersion: rv });
    await waitFor(() => w.done.called, 5000, 'watch done');
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(w.done.err).toBeNull();
  });

  it('keeps an informer in sync through 410 relists and a server restart', async () => {
    const informer = makeInformer(kc, HR_PATH, () => api.listNamespacedCustomObject({ ...HR, namespace: 'apps' }) as never);
    const errors: unknown[] = [];
    // client-node stops an informer on a connection error; the caller restarts it (as the app does).
    informer.on('error', (err) => {
      errors.push(err);
      setTimeout(() => void informer.start(), 100);
    });
    await informer.start();
    try {
      await waitFor(() => informer.list('apps').length === 3, 5000, 'initial list');
      const listsBefore = server.requestLog.count('GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases');

      // History expires while the informer's watch is cut: its resume gets 410 and it relists.
      await waitFor(() => server.openWatchCount > 0, 5000, 'informer watch');
      server.faults.expireWatchHistory();
      server.store.patchStatus(hrRef('worker'), { history: [{ chartName: 'worker', chartVersion: '3.1.0', status: 'deployed' }] });
      await waitFor(() => deployed(informer.get('worker', 'apps')) === '3.1.0', 5000, 'live event before the drop');
      server.faults.expireWatchHistory();
      server.faults.dropWatches();
      server.store.patchStatus(hrRef('frontend'), { history: [{ chartName: 'frontend', chartVersion: '1.2.0', status: 'deployed' }] });
      await waitFor(() => deployed(informer.get('frontend', 'apps')) === '1.2.0', 10_000, 'relisted state');
      const listsAfter = server.requestLog.count('GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/{namespace}/helmreleases');
      expect(listsAfter).toBeGreaterThan(listsBefore);

      // The server goes away and comes back on the same port with the same state.
      await waitFor(() => server.openWatchCount > 0, 5000, 'informer watch again');
      const port = server.port;
      await server.stop();
      server.store.patchStatus(hrRef('backend'), { history: [{ chartName: 'backend', chartVersion: '2.2.0', status: 'deployed' }] });
      server.store.remove(hrRef('worker'));
      await server.restart();
      expect(server.port).toBe(port);
      await waitFor(() => deployed(informer.get('backend', 'apps')) === '2.2.0' && informer.get('worker', 'apps') === undefined, 10_000, 'state after restart');
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await informer.stop();
    }
  });

  it('reports 403 for a user without access', async () => {
    const viewerKc = new KubeConfig();
    const file = path.join(dir, 'viewer-kubeconfig');
    writeKubeconfig(file, [{ cluster: 'sandbox', server: server.url, caPem: server.caPem, user: 'viewer', token: viewerUser.token }], 'sandbox');
    viewerKc.loadFromFile(file);
    const viewerApi = viewerKc.makeApiClient(CustomObjectsApi);
    await expect(viewerApi.deleteNamespacedCustomObject({ ...HR, namespace: 'apps', name: 'frontend' })).rejects.toMatchObject({ code: 403 });
    const list = (await viewerApi.listNamespacedCustomObject({ ...HR, namespace: 'apps' })) as { items: unknown[] };
    expect(list.items.length).toBeGreaterThan(0);

    // Asking first, as a client would before offering to read a kubeconfig Secret.
    const authz = viewerKc.makeApiClient(AuthorizationV1Api);
    const review = await authz.createSelfSubjectAccessReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'apps', verb: 'get', resource: 'secrets' } } },
    });
    expect(review.status?.allowed).toBe(false);
  });
});
