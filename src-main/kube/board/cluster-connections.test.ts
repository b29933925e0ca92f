import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeRequestError } from '../errors';
import type { ResourceType } from '../kube-transport';
import { waitFor } from '../test-helpers';
import { ClusterConnections, type ConnectionEvents, type SecretCredentials } from './cluster-connections';
import { fakeKubeConfig, fakeLoadedKubeconfig, staticTransport } from './test-fakes';

const SERVED = new Map([
  ['pipelines.weave.works', ['v1alpha1']],
  ['gitops.weave.works', ['v1alpha1']],
  ['helm.toolkit.fluxcd.io', ['v2']],
]);

interface Harness {
  connections: ClusterConnections;
  events: string[];
  transports: string[];
  discoveries: string[];
}

let open: ClusterConnections[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.stop()));
  open = [];
});

function harness(opts: { discover?: (kc: KubeConfig) => Promise<Map<string, string[]>>; secrets?: Record<string, SecretCredentials>; listWorkloadsEarly?: () => boolean } = {}): Harness {
  const events: string[] = [];
  const transports: string[] = [];
  const discoveries: string[] = [];
  const record: ConnectionEvents = {
    clustersChanged: () => events.push('clusters'),
    contextState: (name, outcome) => events.push(`${name}:${outcome}`),
    watchState: (name, kind) => events.push(`${name}:${kind}:state`),
    watchChange: (name, kind) => events.push(`${name}:${kind}:change`),
    credentialsRenewed: (name) => events.push(`${name}:renewed`),
    secretUnauthorized: (label) => events.push(`${label}:401`),
  };
  const connections = new ClusterConnections({
    createTransport: (kc: KubeConfig, resource: ResourceType) => (transports.push(`${kc.getCurrentContext()}:${resource.kind}@${resource.version}`), staticTransport()),
    discover: (kc) => (discoveries.push(kc.getCurrentContext()), opts.discover ? opts.discover(kc) : Promise.resolve(SERVED)),
    events: record,
    secretCredentials: (label) => opts.secrets?.[label],
    backoff: { initialMs: 5, maxMs: 20 },
    random: () => 0,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...(opts.listWorkloadsEarly ? { listWorkloadsEarly: opts.listWorkloadsEarly } : {}),
  });
  open.push(connections);
  return { connections, events, transports, discoveries };
}

describe('ClusterConnections', () => {
  it('connects the management contexts and starts their GitopsCluster and Pipeline watches once discovery answers', async () => {
    const h = harness();
    h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev'], { current: 'mgmt' }), ['mgmt']);
    const rt = h.connections.get('mgmt');
    expect(rt && h.connections.state(rt).state).toBe('connecting');
    await waitFor(() => h.events.includes('mgmt:discovered'), 'discovery');
    expect(h.transports).toEqual(['mgmt:GitopsCluster@v1alpha1', 'mgmt:Pipeline@v1alpha1']);
    expect(h.discoveries).toEqual(['mgmt']); // dev is not used yet
    await waitFor(() => rt && h.connections.state(rt).state === 'connected', 'lists');
    expect(h.connections.pending('mgmt')).toBe(false);
    expect(h.connections.pipelinesListed()).toBe(true);
  });

  it('retries a failed discovery with backoff and shows why it is unreachable meanwhile', async () => {
    let calls = 0;
    // the third (successful) answer waits for the test: the unreachable state is read while it
    // holds, not raced against a 5 ms backoff on a busy machine
    let release!: () => void;
    const answerHeld = new Promise<void>((resolve) => (release = resolve));
    const h = harness({
      discover: () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new KubeRequestError('network', 'connect ECONNREFUSED')) : answerHeld.then(() => SERVED);
      },
    });
    h.connections.configure(fakeLoadedKubeconfig(['mgmt']), ['mgmt']);
    await waitFor(() => h.events.includes('mgmt:failed'), 'first failure');
    const rt = h.connections.get('mgmt');
    expect(rt && h.connections.state(rt)).toMatchObject({ name: 'mgmt', context: 'mgmt', state: 'unreachable' });
    await waitFor(() => calls === 3, 'the third attempt');
    expect(rt && h.connections.state(rt).state).toBe('unreachable');
    release();
    await waitFor(() => h.events.includes('mgmt:discovered'), 'recovery');
    expect(calls).toBe(3);
    expect(h.events.filter((e) => e === 'mgmt:failed')).toHaveLength(2);
  });

  it('shows a context whose credential plugin is not approved without asking its cluster anything', () => {
    const h = harness();
    h.connections.configure(fakeLoadedKubeconfig(['mgmt'], { blocked: ['mgmt'] }), ['mgmt']);
    const rt = h.connections.get('mgmt');
    expect(h.discoveries).toEqual([]);
    expect(h.events).toEqual(['mgmt:blocked']);
    expect(rt && h.connections.state(rt).message).toContain('was not approved');
  });

  it('starts the workload watches targets need, and stops what no target needs any more', async () => {
    const h = harness();
    h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
    h.connections.startNeeded([{ context: 'dev', kind: 'HelmRelease', namespace: 'apps' }]);
    expect(h.connections.pending('dev', ['HelmRelease'])).toBe(true); // discovering
    await waitFor(() => h.events.includes('dev:discovered'), 'dev discovery');
    h.connections.startNeeded([{ context: 'dev', kind: 'HelmRelease', namespace: 'apps' }]);
    expect(h.transports).toContain('dev:HelmRelease@v2');
    await waitFor(() => !h.connections.pending('dev', ['HelmRelease']), 'dev list');

    h.connections.prune(new Map([['mgmt', new Set<string>()]]));
    expect(h.connections.get('dev')).toBeUndefined();
    expect(h.connections.get('mgmt')).toBeDefined(); // management contexts stay
  });

  it('reconnects a context whose cluster changed in a reloaded kubeconfig and keeps the others', async () => {
    const h = harness();
    h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
    h.connections.ensure('dev');
    const mgmt = h.connections.get('mgmt');
    const dev = h.connections.get('dev');
    h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev'], { servers: { dev: 'https://moved.example.test' } }), ['mgmt']);
    expect(h.connections.get('mgmt')).toBe(mgmt);
    expect(h.connections.get('dev')).toBeUndefined();
    expect(dev?.stopped).toBe(true);
  });

  it('reaches a Secret-backed cluster only once its credentials are known', () => {
    const label = 'via GitopsCluster Secret flux/prod-kubeconfig';
    const pending = harness({ secrets: { [label]: { clusterName: 'prod' } } });
    expect(pending.connections.ensure(label)).toBeUndefined();
    const ready = harness({ secrets: { [label]: { clusterName: 'prod', kc: fakeKubeConfig('prod'), fingerprint: 'f1' } } });
    const rt = ready.connections.ensure(label);
    expect(rt && ready.connections.state(rt)).toMatchObject({ name: 'prod', context: label, state: 'connecting' });
    ready.connections.dropSecretContext(label);
    expect(ready.connections.get(label)).toBeUndefined();
  });

  describe('during the first load, a cluster found through a GitopsCluster', () => {
    /** Discovery of `dev` waits for the test; the management context answers at once. */
    function firstLoad(devServes: Map<string, string[]>) {
      let answerDev!: () => void;
      const devHeld = new Promise<void>((resolve) => (answerDev = resolve));
      let holding = true;
      const h = harness({
        discover: (kc) => (kc.getCurrentContext() === 'dev' ? devHeld.then(() => devServes) : Promise.resolve(SERVED)),
        listWorkloadsEarly: () => holding,
      });
      return { h, answerDev, endHold: () => (holding = false) };
    }

    it('has its HelmRelease list requested with its discovery, at the version the management cluster serves', async () => {
      const { h, answerDev } = firstLoad(SERVED);
      h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
      await waitFor(() => h.events.includes('mgmt:discovered'), 'management discovery');
      h.connections.ensure('dev', true);
      // requested before dev's discovery answered: no round trip between "known" and "listed"
      expect(h.discoveries).toEqual(['mgmt', 'dev']);
      expect(h.transports).toContain('dev:HelmRelease@v2');
      answerDev();
      await waitFor(() => h.events.includes('dev:discovered'), 'dev discovery');
      // the guess was right: the same watch goes on, nothing is listed twice
      expect(h.transports.filter((t) => t.startsWith('dev:'))).toEqual(['dev:HelmRelease@v2']);
    });

    it('has that list replaced when its discovery says it prefers another version', async () => {
      const { h, answerDev } = firstLoad(new Map([['helm.toolkit.fluxcd.io', ['v2beta2', 'v2beta1']]]));
      h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
      await waitFor(() => h.events.includes('mgmt:discovered'), 'management discovery');
      const dev = h.connections.ensure('dev', true);
      const guessed = dev?.watches.get('HelmRelease');
      answerDev();
      await waitFor(() => h.events.includes('dev:discovered'), 'dev discovery');
      expect(h.transports.filter((t) => t.startsWith('dev:'))).toEqual(['dev:HelmRelease@v2', 'dev:HelmRelease@v2beta2']);
      expect(dev?.watches.get('HelmRelease')).not.toBe(guessed);
    });

    it('has no list guessed for it after the first load, or when it serves no HelmReleases', async () => {
      const late = firstLoad(SERVED);
      late.endHold();
      late.h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
      await waitFor(() => late.h.events.includes('mgmt:discovered'), 'management discovery');
      late.h.connections.ensure('dev', true);
      expect(late.h.transports.filter((t) => t.startsWith('dev:'))).toEqual([]);

      const noFlux = firstLoad(new Map([['apps', ['v1']]]));
      noFlux.h.connections.configure(fakeLoadedKubeconfig(['mgmt', 'dev']), ['mgmt']);
      await waitFor(() => noFlux.h.events.includes('mgmt:discovered'), 'management discovery');
      const dev = noFlux.h.connections.ensure('dev', true);
      expect(dev?.watches.has('HelmRelease')).toBe(true); // guessed
      noFlux.answerDev();
      await waitFor(() => noFlux.h.events.includes('dev:discovered'), 'dev discovery');
      expect(dev?.watches.has('HelmRelease')).toBe(false); // and dropped: the group is not served
    });
  });
});
