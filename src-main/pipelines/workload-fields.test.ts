// compactWorkload keeps what the board reads: readWorkload answers the same for the whole
// object and the compact one, over the shapes Flux writes (HelmRelease v2 with history and
// digests, v2beta1 with lastAppliedRevision only, Kustomization history, deletion, suspend).

import { describe, expect, it } from 'vitest';
import { condition, helmRelease } from './test-objects';
import { compactWorkload } from './workload-fields';
import { readWorkload } from './workload-status';

/** A HelmRelease as helm-controller writes it, with what the board does not read. */
function fullHelmRelease() {
  const hr = helmRelease('apps-dev', 'svc-0001', '4.5.12', { attempted: '4.6.0', requested: '4.6.0' });
  return {
    ...hr,
    metadata: { ...hr.metadata, uid: 'u-1', resourceVersion: '42', labels: { app: 'svc' }, finalizers: ['finalizers.fluxcd.io'], creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { ...hr.spec, interval: '10m', values: { replicaCount: 2, big: 'x'.repeat(500) }, chart: { spec: { ...hr.spec.chart.spec, sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
    status: {
      ...hr.status,
      helmChart: 'flux-system/apps-dev-svc-0001',
      lastAttemptedConfigDigest: 'sha256:' + 'f'.repeat(64),
      conditions: [{ ...condition('Ready', 'False', 'UpgradeFailed', 'Helm upgrade failed'), observedGeneration: 3 }, condition('Released', 'True')],
      history: [
        { chartName: 'svc-0001', chartVersion: '4.5.12', status: 'deployed', version: 2, lastDeployed: '2026-01-02T00:00:00Z' },
        { chartName: 'svc-0001', chartVersion: '4.5.9', status: 'superseded', version: 1 },
      ].map((h, i) => ({ ...h, name: 'svc-0001', namespace: 'apps-dev', appVersion: h.chartVersion, digest: `sha256:${i}`, configDigest: `sha256:c${i}`, firstDeployed: '2026-01-01T00:00:00Z' })),
    },
  };
}

const SAMPLES: Record<string, unknown> = {
  'HelmRelease v2 with history': fullHelmRelease(),
  'HelmRelease v2beta1': helmRelease('apps', 'old', '1.2.3', { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1' }),
  'suspended HelmRelease': helmRelease('apps', 's', '1.0.0', { suspend: true }),
  'HelmRelease being deleted': { ...helmRelease('apps', 'd', '1.0.0'), metadata: { name: 'd', namespace: 'apps', generation: 2, deletionTimestamp: '2026-01-03T00:00:00Z' } },
  'Kustomization with history': {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'k', namespace: 'apps', generation: 4 },
    spec: { interval: '5m', path: './deploy', suspend: false },
    status: {
      observedGeneration: 4,
      conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:abc')],
      lastAttemptedRevision: 'main@sha1:' + 'b'.repeat(40),
      history: [
        {
          digest: 'sha256:x',
          firstReconciled: '2026-01-01T00:00:00Z',
          lastReconciled: '2026-01-02T00:00:00Z',
          lastReconciledStatus: 'ReconciliationSucceeded',
          totalReconciliations: 3,
          metadata: { revision: 'main@sha1:' + 'a'.repeat(40), other: 'x' },
        },
      ],
    },
  },
  'no status yet': { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'n', namespace: 'apps' }, spec: {} },
  'odd shapes': {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: 'x',
    spec: { chart: 'c' },
    status: { conditions: 'no', history: [null, 3, { chartVersion: '1.0.0', status: 'deployed' }] },
  },
};

describe('compactWorkload', () => {
  for (const [name, obj] of Object.entries(SAMPLES)) {
    it(`reads the same: ${name}`, () => {
      expect(readWorkload(compactWorkload(obj))).toEqual(readWorkload(obj));
    });
  }

  it('keeps the informer key and resourceVersion, and drops what the board never reads', () => {
    const compact = compactWorkload(fullHelmRelease()) as ReturnType<typeof fullHelmRelease>;
    expect(compact.metadata).toEqual({ name: 'svc-0001', namespace: 'apps-dev', generation: 1, resourceVersion: '42' });
    expect(compact.spec).toEqual({ suspend: false, chart: { spec: { version: '4.6.0' } } });
    expect(JSON.stringify(compact)).not.toMatch(/sha256|values|sourceRef|helmChart|firstDeployed/);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(fullHelmRelease()).length / 2);
  });

  it('leaves what is not an object alone', () => {
    expect(compactWorkload(null)).toBeNull();
    expect(compactWorkload('x')).toBe('x');
  });
});
