// Sandbox Kubernetes API server: one startKubeApiServer() = one simulated cluster that kubectl
// 1.32 and @kubernetes/client-node 2.x talk to unchanged, over HTTPS with a CA made at start-up.
//
//   const cluster = await startKubeApiServer({
//     name: 'mgmt', crdDir: sandboxCrds,   // test/sandbox/crds, exported by ./testing
//     users: [{ name: 'admin', token: 't0k3n', rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] }],
//     // optional: port (0), historySize (10,000 events), bookmarkIntervalMs (1,000)
//   });
//   writeKubeconfig(file, [{ cluster: 'mgmt', server: cluster.url, caPem: cluster.caPem, user: 'admin', token: 't0k3n' }], 'mgmt');
//   cluster.store.apply(obj); ... await cluster.close();
//
// What is served (test/sandbox/FIDELITY.md has the table, with the test proving each row)
// - /version, /healthz, /livez, /readyz (no token needed); discovery /api, /api/v1, /apis,
//   /apis/<g>, /apis/<g>/<v> (legacy, not aggregated: kubectl falls back to it); /openapi/v3
//   (index + per group-version paths and schemas, enough for kubectl explain) and an empty
//   protobuf /openapi/v2 — just what kubectl apply/create/diff need to validate server-side.
// - core/v1 namespaces, secrets, configmaps, events (and pods, services, serviceaccounts,
//   rbac.authorization.k8s.io kinds, stored plainly for discovery); every `served: true`
//   version of the CRDs in crdDir (plus `extraServedVersions`, e.g. FLUX_DEPRECATED_VERSIONS:
//   deprecated versions with their Warning header), objects stored once and returned at the
//   requested version (apiVersion rewritten); the CRDs themselves read-only (writes → 405).
// - list (labelSelector =,==,!=,in,notin,exists,!; fieldSelector metadata.name/namespace and a
//   few core field labels; limit/continue, 410 for a continue token older than the history;
//   resourceVersion + resourceVersionMatch=Exact|NotOlderThan, validated like the real
//   ListOptions), watch (?watch=1|true; from current state or resumed from resourceVersion;
//   410 ERROR event when older than the history, which starts at server start-up as a watch
//   cache does; BOOKMARKs only with allowWatchBookmarks; timeoutSeconds; sendInitialEvents),
//   get, create (201, 409 AlreadyExists, 404 when the namespace is missing, 403 while it is
//   Terminating, generateName), update (409 on a stale resourceVersion or another uid; custom
//   resources require a resourceVersion: 422), patch (merge, JSON patch; strategic merge =
//   merge for core kinds, 415 for custom resources; server-side apply with fieldManager,
//   managedFields, 409 conflicts and force), delete (200 + object, preconditions; objects
//   with finalizers get a deletionTimestamp and go with their last finalizer; namespaces turn
//   Terminating until empty), deletecollection, status subresource (get/put/patch), dryRun=All.
// - custom resources: generation bumps on spec changes only (and on deletion); a create drops
//   status and the main resource ignores status writes (status subresource); CRD schema checks
//   (types, required, enum) with 422 Invalid, tolerating errors the stored object already had
//   (ratcheting); undeclared fields pruned (Warning header) or 400 with fieldValidation=Strict.
// - kubectl's defaults: server-side Table output (additionalPrinterColumns), and protobuf request
//   bodies for Secret/ConfigMap/Namespace and the reviews (kubectl create, kubectl auth).
// - bearer tokens (unknown → 401), Role-like rules per user with namespaces and resourceNames
//   (denied → 403 worded like the real authorizer); impersonation (Impersonate-User, kubectl
//   --as) for users allowed to `impersonate`; SelfSubjectAccessReview, SelfSubjectRulesReview
//   and SelfSubjectReview (kubectl auth can-i [--list] / whoami). Errors are metav1.Status
//   bodies shaped like the real server's.
//
// Not simulated (see FIDELITY.md for why): admission webhooks and CEL validation rules,
// associative-list merge keys in server-side apply (every list is atomic), RBAC objects that
// grant anything (users' rules are configured, not stored), consistent snapshots for continue
// tokens, aggregated discovery, protobuf responses, /openapi/v2 content.
//
// In-process API (no HTTP; every mutation emits the same watch events as HTTP writes):
// - server.store: apply(obj) create-or-replace (keeps the old status when obj has none),
//   get(apiVersion|group, kind|plural, namespace, name), list(apiVersion|group, kind|plural,
//   namespace?), patch(ref, mergePatch), patchStatus(ref, statusMergePatch), remove(ref)
//   (an object with finalizers is only marked, as by an API delete), currentResourceVersion(),
//   subscribe(typeKey(group, plural), listener), expireHistory(), setHistorySize(n).
//   Objects returned are copies.
// - server.faults: setLatency(ms), failNext(n, status, {method?, pathIncludes?}),
//   expireWatchHistory(), stallWatches(bool), dropWatches(), clear().
// - server.requestLog (same shape as the forge's): count(route?), counts(), entries(route?),
//   reset(); routes look like "GET /apis/g/v/namespaces/{namespace}/plural/{name}" and
//   "WATCH /apis/g/v/plural". Also requestCount, openWatchCount.
// - stop() closes the listener, every connection and watch (state kept); restart() listens again
//   on the same port; close() = stop().

export { startKubeApiServer } from './server.js';
export type { FailNextFilter, KubeApiServer, KubeApiServerOptions, KubeFaults } from './server.js';
export type { KubeRequestLog, KubeRequestLogEntry } from './request-log.js';
export { KubeStore, type KubeRef, type StoreEvent, type StoredEntry } from './store.js';
export { FLUX_DEPRECATED_VERSIONS, typeKey, type ExtraServedVersion } from './resources.js';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigEntry } from './kubeconfig.js';
export { KubeApiError, type KubeStatus } from './status.js';
