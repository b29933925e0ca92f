// Sandbox Kubernetes API server: one startKubeApiServer() = one simulated cluster that kubectl
// 1.32 and @kubernetes/client-node 2.x talk to unchanged, over HTTPS with a generated CA.
//
//   const cluster = await startKubeApiServer({
//     name: 'mgmt', crdDir: path.resolve(repoRoot, '../shared/crds'),
//     users: [{ name: 'admin', token: 't0k3n', rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] }],
//   });
//   writeKubeconfig(file, [{ cluster: 'mgmt', server: cluster.url, caPem: cluster.caPem, user: 'admin', token: 't0k3n' }], 'mgmt');
//
// Served: /version, /healthz; discovery (/api, /api/v1, /apis, /apis/<g>, /apis/<g>/<v>; no
// aggregated discovery, no OpenAPI: kubectl falls back); core/v1 namespaces, secrets,
// configmaps, events; every `served: true` version of the CRDs in crdDir (objects are stored
// once and returned at the requested version); the CRDs themselves read-only at
// apiextensions.k8s.io/v1. Verbs: list (labelSelector, fieldSelector, limit/continue), watch
// (?watch=1: resume from resourceVersion, bookmarks, 410 ERROR when too old, timeoutSeconds),
// get, create, update (409 on stale resourceVersion), patch (merge and JSON patch; strategic
// merge = merge patch for core kinds, 415 for custom resources; apply-patch 415), delete,
// deletecollection, and the status subresource. Server-side Table output for kubectl's default
// printer. Errors are metav1.Status bodies worded like the real server's.
//
// Auth: bearer tokens (unknown → 401), per-user Role-like rules (denied → 403 Forbidden).
//
// server.store (no HTTP, same watch events as HTTP writes):
//   apply(obj) create-or-replace (keeps the old status when obj has none), get(apiVersion|group,
//   kind|plural, namespace, name), list(apiVersion|group, kind|plural, namespace?),
//   patch(ref, mergePatch), patchStatus(ref, statusMergePatch), remove(ref),
//   currentResourceVersion(), expireHistory().
// server.faults: setLatency(ms), failNext(n, status, {method?, pathIncludes?}),
//   expireWatchHistory(), stallWatches(bool), dropWatches(), clear().
// server.requestLog (same shape as the forge's): count(route?), counts(), entries(route?), reset();
//   routes look like "GET /apis/g/v/namespaces/{namespace}/plural/{name}" and "WATCH /apis/g/v/plural".
// server.requestCount, openWatchCount; stop() / restart() (same port, same state) / close().

export { startKubeApiServer } from './server.js';
export type { FailNextFilter, KubeApiServer, KubeApiServerOptions, KubeFaults } from './server.js';
export type { KubeRequestLog, KubeRequestLogEntry } from './request-log.js';
export { KubeStore, type KubeRef, type StoreEvent, type StoredEntry } from './store.js';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigEntry } from './kubeconfig.js';
export { KubeApiError, type KubeStatus } from './status.js';
