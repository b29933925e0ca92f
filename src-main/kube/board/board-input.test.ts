import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { gitopsCluster, helmRelease, pipeline } from '../../pipelines/test-objects';
import type { ResourceType } from '../kube-transport';
import type { ListWatchTransport } from '../list-watch';
import { waitFor } from '../test-helpers';
import { collectBoardInput, createWorkloadPreparer, listsOutstanding, NeedsCache, prefetchGitopsClusterContexts } from './board-input';
import { ClusterConnections } from './cluster-connections';
import { ClusterMapper } from './cluster-mapper';
import { fakeLoadedKubeconfig, ignoredConnectionEvents, staticTransport } from './test-fakes';

const SERVED = new Map([
  ['pipelines.weave.works', ['v1alpha1']],
  ['gitops.weave.works', ['v1alpha1']],
  ['helm.toolkit.fluxcd.io', ['v2']],
]);

let stops: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

/** Management context "mgmt" listing one Pipeline with a target on GitopsCluster "dev", whose lists answer when released. */
function setup() {
  const held = new Map<string, () => void>();
  const objects: Record<string, unknown[]> = {
    Pipeline: [pipeline('apps', 'podinfo', [{ name: 'dev', targets: [{ namespace: 'apps', clusterRef: { kind: 'GitopsCluster', name: 'dev', namespace: 'flux-system' } }] }])],
    GitopsCluster: [gitopsCluster('flux-system', 'dev')],
    HelmRelease: [helmRelease('apps', 'podinfo', '1.0.0')],
  };
  const heldTransport = (key: string, items: unknown[]): ListWatchTransport => {
    const inner = staticTransport(items);
    return { ...inner, list: (p) => new Promise((resolve) => held.set(key, () => resolve(inner.list(p)))) };
  };
  const connections: ClusterConnections = new ClusterConnections({
    createTransport: (kc: KubeConfig, r: ResourceType) => heldTransport(`${kc.getCurrentContext()}/${r.kind}`, objects[r.kind] ?? []),
    discover: () => Promise.resolve(SERVED),
    events: ignoredConnectionEvents,
    secretCredentials: (label) => mapper.credentials(label),
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
  const mapper: ClusterMapper = new ClusterMapper({
    gitopsCluster: (ref) => connections.synced(ref.managementContext, 'GitopsCluster')?.get(`${ref.namespace}/${ref.name}`),
    managementKubeConfig: (c) => connections.get(c)?.kc,
    managementContextCount: () => 1,
    readSecret: () => Promise.reject(new Error('no Secret reads in this test')),
    onSecretRead: () => undefined,
    dropContext: () => undefined,
  });
  const loaded = fakeLoadedKubeconfig(['mgmt', 'dev']);
  mapper.setContextNames(loaded.contexts.map((c) => c.name));
  connections.configure(loaded, ['mgmt']);
  stops.push(() => {
    for (const answer of held.values()) answer(); // lists still on the wire must end for stop() to
    mapper.stop();
    return connections.stop();
  });
  const release = async (key: string) => {
    const answer = await waitFor(() => held.get(key), `the ${key} list`);
    held.delete(key);
    answer();
  };
  return { connections, mapper, release };
}

describe('initial load helpers', () => {
  it('discovers the contexts listed GitopsClusters map to before the Pipelines are in, without showing them', async () => {
    const { connections, mapper, release } = setup();
    await release('mgmt/GitopsCluster');
    await waitFor(() => connections.synced('mgmt', 'GitopsCluster'), 'GitopsClusters listed');
    expect(prefetchGitopsClusterContexts(connections, mapper)).toBe(true);
    expect(connections.get('dev')?.prefetched).toBe(true);
    expect(prefetchGitopsClusterContexts(connections, mapper)).toBe(false); // once
  });

  it('waits for the management lists, then for the workload lists the Pipelines name', async () => {
    const { connections, mapper, release } = setup();
    const needs = new NeedsCache();
    let prepared = 0;
    const input = () => collectBoardInput(connections, mapper, [], [], () => new Date('2026-01-01T00:00:00Z'));
    await waitFor(() => connections.get('mgmt')?.served, 'mgmt discovery');
    expect(listsOutstanding(connections, mapper, needs.all(input()), () => (prepared += 1))).toBe(true);
    await release('mgmt/GitopsCluster');
    await release('mgmt/Pipeline');
    await waitFor(() => connections.pipelinesListed(), 'Pipelines listed');
    expect(needs.all(input())).toEqual([]); // the union is kept until told the listed objects changed
    needs.listedObjectsChanged(); // as the service does on a Pipeline or GitopsCluster change
    const wanted = needs.all(input());
    expect(wanted).toEqual([{ context: 'dev', kind: 'HelmRelease', namespace: 'apps' }]);
    connections.startNeeded(wanted);
    expect(listsOutstanding(connections, mapper, wanted, () => (prepared += 1))).toBe(true); // dev is being discovered
    expect(prepared).toBe(1);
    await waitFor(() => connections.get('dev')?.served, 'dev discovery');
    connections.startNeeded(wanted);
    await release('dev/HelmRelease');
    await waitFor(() => !listsOutstanding(connections, mapper, wanted, () => undefined), 'every list answered');
    expect(input().workloads.get('dev')?.get('HelmRelease')?.synced).toBe(true);
  });
});

describe('NeedsCache', () => {
  /** Two Pipelines whose targets name the same lists, plus one more namespace. */
  function input(pipelines: Map<string, unknown>) {
    return {
      pipelines: new Map([['mgmt', pipelines]]),
      gitopsClusters: new Map(),
      workloads: new Map(),
      clusters: [],
      servedVersions: new Map(),
      contextForCluster: (ref: { name: string }) => ref.name,
      openPullRequests: [],
    };
  }
  const dev = (ns: string) => ({ namespace: ns, clusterRef: { kind: 'GitopsCluster' as const, name: 'dev' } });

  it('answers each distinct list once, and keeps the union until the listed objects change', () => {
    const objects = new Map<string, unknown>([
      [
        'apps/a',
        pipeline('apps', 'a', [
          { name: 'dev', targets: [dev('apps')] },
          { name: 'prod', targets: [{ namespace: 'apps' }] },
        ]),
      ],
      ['apps/b', pipeline('apps', 'b', [{ name: 'dev', targets: [dev('apps'), dev('extra')] }])],
    ]);
    const cache = new NeedsCache();
    const first = cache.all(input(objects));
    expect(first).toEqual([
      { context: 'dev', kind: 'HelmRelease', namespace: 'apps' },
      { context: 'mgmt', kind: 'HelmRelease', namespace: 'apps' },
      { context: 'dev', kind: 'HelmRelease', namespace: 'extra' },
    ]);
    objects.set('apps/c', pipeline('apps', 'c', [{ name: 'dev', targets: [dev('third')] }]));
    expect(cache.all(input(objects))).toBe(first); // kept: nobody said a Pipeline changed
    cache.listedObjectsChanged();
    expect(cache.all(input(objects)).map((n) => n.namespace)).toEqual(['apps', 'apps', 'extra', 'third']);
  });

  it('reads listed workloads in slices, each slice resuming where the last one stopped', async () => {
    const touched = new Set<object>();
    const workloads = Array.from({ length: 200 }, (_, i) => {
      const object = helmRelease('apps', `app-${i}`, '1.0.0') as Record<string, unknown>;
      const status = object.status;
      // readWorkload reads status first: this records which objects it read
      Object.defineProperty(object, 'status', { enumerable: true, get: () => (touched.add(object), status) });
      return object;
    });
    const connections = new ClusterConnections({
      createTransport: (_kc: KubeConfig, r: ResourceType) => staticTransport(r.kind === 'HelmRelease' ? workloads : []),
      discover: () => Promise.resolve(SERVED),
      events: ignoredConnectionEvents,
      secretCredentials: () => undefined,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
    stops.push(() => connections.stop());
    connections.configure(fakeLoadedKubeconfig(['mgmt']), ['mgmt']);
    const rt = await waitFor(() => connections.get('mgmt')?.served && connections.get('mgmt'), 'discovery');
    connections.ensureWatch(rt, 'HelmRelease');
    await waitFor(() => connections.synced('mgmt', 'HelmRelease'), 'the HelmRelease list');

    const prepare = createWorkloadPreparer(connections);
    const expired = performance.now() - 1; // every slice is over as soon as the clock is read
    const outcomes = [prepare(expired), prepare(expired), prepare(expired), prepare(expired)];
    // 64 objects a slice, then the clock: a slice that started over would only see what is read
    expect(outcomes).toEqual([false, false, false, true]);
    expect(touched.size).toBe(200);
    touched.clear();
    expect(prepare(expired)).toBe(true); // read once: nothing is read again
    expect(touched.size).toBe(0);
  });
});
