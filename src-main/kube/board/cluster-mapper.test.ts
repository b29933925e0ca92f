import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeRequestError } from '../errors';
import type { GitopsClusterSecretRef, SecretReadResult } from '../gitops-cluster-secret';
import { waitFor } from '../test-helpers';
import { ClusterMapper, type ClusterMapperOptions } from './cluster-mapper';
import { fakeKubeConfig } from './test-fakes';

const PROD = { managementContext: 'mgmt', namespace: 'flux', name: 'prod' };
const LABEL = 'via GitopsCluster Secret flux/prod-kubeconfig';
const withSecret = { spec: { secretRef: { name: 'prod-kubeconfig' } } };

let mappers: ClusterMapper[] = [];
afterEach(() => {
  for (const m of mappers) m.stop();
  mappers = [];
});

function mapper({ results = [], object, ...extra }: Partial<Omit<ClusterMapperOptions, 'gitopsCluster'>> & { results?: SecretReadResult[]; object?: unknown } = {}) {
  const reads: GitopsClusterSecretRef[] = [];
  const dropped: string[] = [];
  let settled = 0;
  const m = new ClusterMapper({
    gitopsCluster: () => object,
    managementKubeConfig: (context) => (context === 'mgmt' ? fakeKubeConfig('mgmt') : undefined),
    managementContextCount: () => 1,
    readSecret: (_kc: KubeConfig, ref) => (reads.push(ref), Promise.resolve(results.shift() ?? { ok: false, kind: 'missing', reason: 'not found' })),
    onSecretRead: () => (settled += 1),
    dropContext: (label) => dropped.push(label),
    backoff: { initialMs: 5, maxMs: 20 },
    random: () => 0,
    ...extra,
  });
  mappers.push(m);
  return { m, reads, dropped, settled: () => settled };
}

const ready = (fingerprint: string): SecretReadResult => ({ ok: true, key: 'value', value: { kc: fakeKubeConfig('prod'), fingerprint } });

describe('ClusterMapper', () => {
  it('maps by the user override (most specific key first), then by context name; own keys only', () => {
    const { m } = mapper({ overrides: { 'flux/prod': 'prod-admin', prod: 'prod-ro', 'mgmt/flux/prod': 'prod-mgmt' } });
    m.setContextNames(['stage', 'constructor']);
    expect(m.contextFor(PROD)).toBe('prod-mgmt');
    m.setOverrides({ prod: 'prod-ro' });
    expect(m.contextFor(PROD)).toBe('prod-ro');
    expect(m.contextFor({ ...PROD, name: 'stage' })).toBe('stage');
    m.setOverrides({});
    expect(m.contextFor({ ...PROD, name: 'toString' })).toBeUndefined();
    expect(m.contextFor({ ...PROD, name: 'constructor' })).toBe('constructor');
  });

  it('says how to reach an unmapped cluster when reading Secrets is not allowed, and reads none', () => {
    const { m, reads } = mapper({ object: withSecret });
    expect(m.contextFor(PROD)).toBeUndefined();
    expect(reads).toEqual([]);
    expect(m.unmappedCell(PROD)?.problem).toMatchObject({ code: 'cluster-unmapped' });
    expect(m.unmappedState('prod')).toMatchObject({ state: 'no-context', message: expect.stringContaining('allow Release Board to use the GitopsCluster') });
  });

  it('reads the GitopsCluster Secret once a target needs it and then reaches the cluster through it', async () => {
    const h = mapper({ secretsAllowed: () => true, object: withSecret, results: [ready('f1')] });
    expect(h.m.contextFor(PROD, false)).toBeUndefined(); // a prefetch reads nothing
    expect(h.reads).toEqual([]);
    expect(h.m.contextFor(PROD)).toBeUndefined(); // being read
    expect(h.m.anyPending()).toBe(true);
    expect(h.m.unmappedState('prod')).toMatchObject({ state: 'connecting', message: 'Reading kubeconfig Secret flux/prod-kubeconfig…' });
    await waitFor(() => h.settled() === 1, 'the read');
    expect(h.reads).toEqual([{ namespace: 'flux', name: 'prod-kubeconfig', keys: ['value', 'value.yaml'] }]);
    expect(h.m.contextFor(PROD)).toBe(LABEL);
    expect(h.m.credentials(LABEL)).toMatchObject({ clusterName: 'prod', fingerprint: 'f1' });
    expect(h.m.anyPending()).toBe(false);
  });

  it('explains a forbidden or missing Secret with what to do, and retries a read that got no answer', async () => {
    const forbidden = mapper({ secretsAllowed: () => true, object: withSecret, results: [{ ok: false, kind: 'forbidden', reason: 'forbidden' }] });
    forbidden.m.contextFor(PROD);
    await waitFor(() => forbidden.settled() === 1, 'the forbidden read');
    expect(forbidden.m.unmappedCell(PROD)).toMatchObject({
      state: 'forbidden',
      problem: { code: 'gitops-cluster-secret-forbidden', hint: expect.stringContaining('RBAC to get Secret flux/prod-kubeconfig on mgmt') },
    });

    const flaky = mapper({ secretsAllowed: () => true, object: withSecret, results: [{ ok: false, kind: 'failed', error: new KubeRequestError('network', 'connect ECONNREFUSED') }, ready('f1')] });
    flaky.m.contextFor(PROD);
    await waitFor(() => flaky.settled() === 2, 'the retried read');
    expect(flaky.reads).toHaveLength(2);
    expect(flaky.m.contextFor(PROD)).toBe(LABEL);
  });

  it('says so when the GitopsCluster names no Secret', () => {
    const { m, reads } = mapper({ secretsAllowed: () => true, object: { spec: {} } });
    expect(m.contextFor(PROD)).toBeUndefined();
    expect(reads).toEqual([]);
    expect(m.unmappedCell(PROD)).toMatchObject({ state: 'no-context', problem: { code: 'gitops-cluster-secret-missing' } });
  });

  it('re-reads a rotated Secret on 401 and reconnects when its credentials changed; reload forgets unused mappings', async () => {
    let t = 1_000_000;
    const h = mapper({ secretsAllowed: () => true, object: withSecret, results: [ready('f1'), ready('f2')], clock: () => t });
    h.m.contextFor(PROD);
    await waitFor(() => h.settled() === 1, 'the first read');
    expect(h.dropped).toEqual([LABEL]); // first credentials: any older runtime goes
    h.m.unauthorized(LABEL);
    expect(h.reads).toHaveLength(1); // just read: not again within 30 s
    t += 30_000;
    h.m.unauthorized(LABEL);
    await waitFor(() => h.settled() === 2, 'the re-read');
    expect(h.dropped).toEqual([LABEL, LABEL]);
    expect(h.m.credentials(LABEL)?.fingerprint).toBe('f2');

    h.m.reload(['mgmt'], () => false);
    expect(h.m.credentials(LABEL)).toBeUndefined();
  });
});
