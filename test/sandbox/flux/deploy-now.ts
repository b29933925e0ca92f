// For tests that need a deployed version to change at once (no simulator delay): records a new
// deployed chart version on a HelmRelease as Flux would, and returns how to put it back.
import type { KubeStore } from '../kube/index';

export function deployChartVersion(store: KubeStore, namespace: string, name: string, chartVersion: string): () => void {
  const original = store.get('helm.toolkit.fluxcd.io/v2', 'HelmRelease', namespace, name);
  if (!original) throw new Error(`no HelmRelease ${namespace}/${name} in this cluster`);
  const hr = structuredClone(original);
  const status = hr.status as { history: Array<Record<string, unknown>> };
  status.history = [{ ...status.history[0], chartVersion, version: Number(status.history[0]?.version ?? 0) + 50 }, ...status.history];
  store.apply(hr);
  return () => void store.apply(original);
}
