// Object builders for the pipelines tests (and the data-plane benchmark). Test-only:
// production modules never import this file.

export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason = 'Test', message = '') {
  return { type, status, reason, message, lastTransitionTime: '2026-01-01T00:00:00Z' };
}

export function helmRelease(
  namespace: string,
  name: string,
  chartVersion: string,
  opts: { apiVersion?: string; ready?: 'True' | 'False' | 'Unknown'; requested?: string; attempted?: string; suspend?: boolean } = {},
) {
  const apiVersion = opts.apiVersion ?? 'helm.toolkit.fluxcd.io/v2';
  const v2 = apiVersion.endsWith('/v2');
  return {
    apiVersion,
    kind: 'HelmRelease',
    metadata: { name, namespace, generation: 1 },
    spec: { suspend: opts.suspend ?? false, chart: { spec: { chart: name, version: opts.requested ?? chartVersion } } },
    status: {
      observedGeneration: 1,
      conditions: [condition('Ready', opts.ready ?? 'True')],
      lastAttemptedRevision: opts.attempted ?? chartVersion,
      ...(v2
        ? {
            history: [
              { chartName: name, chartVersion, status: 'deployed', version: 2, lastDeployed: '2026-01-02T00:00:00Z' },
              { chartName: name, chartVersion: '0.0.1', status: 'superseded', version: 1 },
            ],
          }
        : { lastAppliedRevision: chartVersion }),
    },
  };
}

export function pipeline(
  namespace: string,
  name: string,
  environments: Array<{ name: string; targets: Array<{ namespace: string; clusterRef?: { kind: 'GitopsCluster'; name: string; namespace?: string } }>; promotion?: unknown }>,
  extra: { appRef?: unknown; promotion?: unknown; status?: unknown } = {},
) {
  return {
    apiVersion: 'pipelines.weave.works/v1alpha1',
    kind: 'Pipeline',
    metadata: { name, namespace },
    spec: {
      appRef: extra.appRef ?? { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name },
      ...(extra.promotion ? { promotion: extra.promotion } : {}),
      environments,
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function gitopsCluster(namespace: string, name: string) {
  return {
    apiVersion: 'gitops.weave.works/v1alpha1',
    kind: 'GitopsCluster',
    metadata: { name, namespace },
    spec: { secretRef: { name: `${name}-kubeconfig` } },
    status: { conditions: [condition('Ready', 'True')] },
  };
}
