// The opt-in fallback for reaching a GitopsCluster the user has no kubeconfig context for:
// read the cluster's kubeconfig Secret through the management context and build a
// client-node KubeConfig from it, in memory only.
//
// Security model: the Secret's content is decoded, validated and handed to one KubeConfig;
// it is never written to disk, logged, or echoed in a message. Error messages are built
// here from names only — parser messages (which can quote the offending line) are dropped.
// A kubeconfig coming from a cluster is not trusted like the user's own file: anything that
// would run a command (exec, auth-provider) or read a local file is refused.

import { createHash } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { toKubeRequestError, type KubeRequestError } from './errors';
import { authenticate } from './kube-transport';

/** Where a GitopsCluster keeps its kubeconfig. */
export interface GitopsClusterSecretRef {
  namespace: string;
  name: string;
  /** Data keys that may hold the kubeconfig, in the order tried. */
  keys: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The Secret a GitopsCluster names: `spec.secretRef.name` (keys `value`, `value.yaml`) or
 * `spec.capiClusterRef.name` → `<name>-kubeconfig` (key `value`), in the GitopsCluster's
 * namespace. A string is the reason there is none.
 */
export function gitopsClusterSecretRef(gitopsCluster: unknown, namespace: string): GitopsClusterSecretRef | string {
  const spec = isRecord(gitopsCluster) && isRecord(gitopsCluster.spec) ? gitopsCluster.spec : {};
  const secretRef = isRecord(spec.secretRef) ? spec.secretRef.name : undefined;
  if (typeof secretRef === 'string' && secretRef.length > 0) return { namespace, name: secretRef, keys: ['value', 'value.yaml'] };
  const capi = isRecord(spec.capiClusterRef) ? spec.capiClusterRef.name : undefined;
  if (typeof capi === 'string' && capi.length > 0) return { namespace, name: `${capi}-kubeconfig`, keys: ['value'] };
  return 'it names no kubeconfig Secret (spec.secretRef or spec.capiClusterRef)';
}

export interface SecretKubeconfig {
  kc: KubeConfig;
  /** A hash of the cluster and user entries: equal fingerprints need no reconnect. */
  fingerprint: string;
}

const FILE_REFERENCES: ReadonlyArray<readonly ['cluster' | 'user', string]> = [
  ['cluster', 'certificate-authority'],
  ['user', 'client-certificate'],
  ['user', 'client-key'],
  ['user', 'token-file'],
];

function named(list: unknown, name: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => isRecord(e) && e.name === name);
  return isRecord(entry) ? entry : undefined;
}

/**
 * Builds a KubeConfig from a kubeconfig document taken from a Secret. Only the context it
 * selects (current-context, or its only context) is kept. The error is a reason without any
 * of the document's content, to follow "Secret ns/name holds no usable kubeconfig: ".
 */
export function kubeconfigFromSecretText(text: string): { ok: true; value: SecretKubeconfig } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason });
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch {
    return fail('it is not valid YAML');
  }
  if (!isRecord(doc)) return fail('it is not a YAML mapping');
  const contexts = Array.isArray(doc.contexts) ? doc.contexts.filter(isRecord) : [];
  const current = typeof doc['current-context'] === 'string' && doc['current-context'] ? doc['current-context'] : undefined;
  let contextEntry: Record<string, unknown> | undefined;
  if (current) {
    contextEntry = named(contexts, current);
    if (!contextEntry) return fail('its current-context names no context in it');
  } else if (contexts.length === 1) {
    contextEntry = contexts[0];
  } else {
    return fail(contexts.length === 0 ? 'it has no context' : 'it has several contexts and no current-context');
  }
  const body = isRecord(contextEntry?.context) ? contextEntry.context : {};
  const cluster = typeof body.cluster === 'string' ? named(doc.clusters, body.cluster) : undefined;
  const user = typeof body.user === 'string' ? named(doc.users, body.user) : undefined;
  if (!cluster || !isRecord(cluster.cluster)) return fail('its context names no cluster in it');
  if (!user || !isRecord(user.user)) return fail('its context names no user in it');
  const server = cluster.cluster.server;
  if (typeof server !== 'string' || !/^https?:\/\//i.test(server)) return fail('its cluster has no http(s) server URL');
  // Whoever can write the Secret chooses where the credentials in it are sent: only TLS that is
  // verified, straight to the server, and never to the cloud metadata or link-local addresses.
  if (!/^https:\/\//i.test(server)) return fail('its cluster server URL is plain http; only https is used for kubeconfigs from a cluster Secret');
  if (cluster.cluster['insecure-skip-tls-verify'] === true) return fail('its cluster turns TLS verification off (insecure-skip-tls-verify)');
  if (cluster.cluster['proxy-url'] !== undefined) return fail('its cluster sends traffic through a proxy (proxy-url), which is not used from a cluster Secret');
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return fail('its cluster server URL is not a valid URL');
  }
  // fetch refuses such URLs, and its error would quote the URL with the credentials.
  if (url.username || url.password) return fail('its cluster server URL embeds credentials');
  if (isLinkLocalOrMetadata(url.hostname)) return fail('its cluster server is a link-local or cloud metadata address');
  const userBody = user.user;
  if (isRecord(userBody.exec)) return fail('its user runs a credential plugin (exec), which Release Board does not run from a cluster Secret');
  if (isRecord(userBody['auth-provider'])) return fail('its user uses an auth-provider, which Release Board does not run from a cluster Secret');
  for (const [where, key] of FILE_REFERENCES) {
    const section = where === 'cluster' ? cluster.cluster : userBody;
    if (section[key] !== undefined) return fail(`its ${where} refers to a local file (${key}); embed the data (${key}-data) instead`);
  }
  // Fixed names: the Secret's own names never reach a KubeConfig error message.
  const minimal = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cluster', cluster: cluster.cluster }],
    users: [{ name: 'user', user: userBody }],
    contexts: [{ name: 'context', context: { cluster: 'cluster', user: 'user' } }],
    'current-context': 'context',
  };
  const kc = new KubeConfig();
  try {
    kc.loadFromString(JSON.stringify(minimal));
  } catch {
    return fail('client-node rejected its cluster or user entry');
  }
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([cluster.cluster, userBody]))
    .digest('hex');
  return { ok: true, value: { kc, fingerprint } };
}

/** 169.254.0.0/16 and fe80::/10 (link-local, where cloud metadata services live) and their well-known names. */
export function isLinkLocalOrMetadata(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (/^169\.254\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  if (/^fe[89ab][0-9a-f]?:/.test(h) || h.startsWith('fd00:ec2::')) return true;
  if (/^::ffff:169\.254\./.test(h)) return true;
  return ['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal', '100.100.100.200'].includes(h);
}

export type SecretReadResult =
  { ok: true; value: SecretKubeconfig; key: string } | { ok: false; kind: 'forbidden' | 'missing' | 'malformed'; reason: string } | { ok: false; kind: 'failed'; error: KubeRequestError };

/** Picks the first key present in a Secret's (base64) data and builds the KubeConfig from it. */
export function kubeconfigFromSecretData(data: Record<string, string> | undefined, keys: readonly string[]): SecretReadResult {
  const key = keys.find((k) => typeof data?.[k] === 'string' && data[k].length > 0);
  if (!key) return { ok: false, kind: 'malformed', reason: `it has no kubeconfig under ${keys.map((k) => `"${k}"`).join(' or ')}` };
  const built = kubeconfigFromSecretText(Buffer.from(data![key]!, 'base64').toString('utf8'));
  if (!built.ok) return { ok: false, kind: 'malformed', reason: `key "${key}": ${built.reason}` };
  return { ok: true, value: built.value, key };
}

/** Reads the Secret through `management` and builds the remote cluster's KubeConfig. */
export async function readGitopsClusterKubeconfig(management: KubeConfig, ref: GitopsClusterSecretRef): Promise<SecretReadResult> {
  let data: Record<string, string> | undefined;
  try {
    await authenticate(management);
    const secret = await management.makeApiClient(CoreV1Api).readNamespacedSecret({ name: ref.name, namespace: ref.namespace });
    data = secret.data;
  } catch (e) {
    const error = toKubeRequestError(e);
    if (error.status === 403) return { ok: false, kind: 'forbidden', reason: 'forbidden' };
    if (error.status === 404) return { ok: false, kind: 'missing', reason: 'not found' };
    return { ok: false, kind: 'failed', error };
  }
  return kubeconfigFromSecretData(data, ref.keys);
}
