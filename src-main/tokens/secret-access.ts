// Reading the Secret behind a pull-request strategy, and finding out who may read it.
//
// Security model: the Secret is read through the user's own kubeconfig, so RBAC decides
// (403 is a visible state, never worked around). Only the `token` key is decoded, and only
// inside `withPromotionToken`'s callback: the value lives in that scope alone and is never
// returned. `username`/`password` are checked for presence; their values are not decoded.

import { AuthorizationV1Api, CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import type { SecretAccess, Tristate } from '../common/tokens';
import { describeKubeError, toKubeRequestError } from '../kube/errors';
import { authenticate } from '../kube/kube-transport';

export type SecretReadStatus = 'ok' | 'forbidden' | 'secret-missing' | 'key-missing' | 'cluster-error';

/** What reading the Secret showed, without any value. */
export interface SecretFacts {
  status: SecretReadStatus;
  hasToken: boolean;
  hasUsername: boolean;
  hasPassword: boolean;
  /** For cluster-error and key-missing: a human detail (no values). */
  message?: string;
}

export const PROMOTION_TOKEN_KEY = 'token';

function hasKey(data: Record<string, string> | undefined, key: string): boolean {
  return data !== undefined && Object.prototype.hasOwnProperty.call(data, key) && typeof data[key] === 'string' && data[key].length > 0;
}

/**
 * The Secrets of one namespace, read with one list where RBAC allows it (many promotion Secrets
 * often share a namespace): only the wanted names are kept, the others are dropped at once and
 * never decoded. Resolves to undefined when the list is refused or fails, so callers read each
 * Secret on its own (RBAC may allow `get` on named Secrets only).
 */
export async function listWantedSecrets(kc: KubeConfig, namespace: string, wanted: ReadonlySet<string>): Promise<Map<string, V1Secret> | undefined> {
  try {
    await authenticate(kc);
    const list = await kc.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace });
    const kept = new Map<string, V1Secret>();
    for (const item of list.items) {
      const name = item.metadata?.name;
      if (name && wanted.has(name)) kept.set(name, item);
    }
    return kept;
  } catch {
    return undefined;
  }
}

/**
 * Reads the Secret once and, when it holds a non-empty `token`, calls `use` with the
 * decoded value. The value is not reachable after `use` settles. `listed`: the namespace's
 * wanted Secrets from `listWantedSecrets` (a name absent from it does not exist); undefined
 * reads this Secret on its own.
 */
export async function withPromotionToken<T>(
  kc: KubeConfig,
  namespace: string,
  name: string,
  use: (token: string) => Promise<T>,
  listed?: Map<string, V1Secret>,
): Promise<{ facts: SecretFacts; result?: T }> {
  let secret: V1Secret;
  try {
    if (listed) {
      const found = listed.get(name);
      if (!found) return { facts: { status: 'secret-missing', hasToken: false, hasUsername: false, hasPassword: false } };
      secret = found;
    } else {
      await authenticate(kc);
      secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name, namespace });
    }
  } catch (e) {
    const ke = toKubeRequestError(e);
    const none = { hasToken: false, hasUsername: false, hasPassword: false };
    if (ke.kind === 'http' && ke.status === 403) return { facts: { status: 'forbidden', ...none } };
    if (ke.kind === 'http' && ke.status === 404) return { facts: { status: 'secret-missing', ...none } };
    return { facts: { status: 'cluster-error', ...none, message: describeKubeError(ke) } };
  }
  const data = secret.data;
  const facts: SecretFacts = {
    status: 'ok',
    hasToken: hasKey(data, PROMOTION_TOKEN_KEY),
    hasUsername: hasKey(data, 'username'),
    hasPassword: hasKey(data, 'password'),
  };
  if (!facts.hasToken) {
    const present = Object.keys(data ?? {}).sort();
    return {
      facts: {
        ...facts,
        status: 'key-missing',
        message: present.length > 0 ? `the Secret has no "${PROMOTION_TOKEN_KEY}" key (keys present: ${present.join(', ')})` : 'the Secret has no data',
      },
    };
  }
  const token = Buffer.from(data![PROMOTION_TOKEN_KEY]!, 'base64').toString('utf8').trim();
  if (token.length === 0) return { facts: { ...facts, hasToken: false, status: 'key-missing', message: `the "${PROMOTION_TOKEN_KEY}" key is empty` } };
  const result = await use(token);
  return { facts, result };
}

async function selfSubjectAccess(kc: KubeConfig, namespace: string, verb: string, name?: string): Promise<Tristate | undefined> {
  try {
    const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace, verb, resource: 'secrets', group: '', ...(name ? { name } : {}) } },
      },
    });
    if (review.status?.allowed === true) return 'yes';
    if (review.status?.allowed === false) return 'no';
    return 'unknown';
  } catch {
    // Not served (old or minimal API servers) or not allowed: the caller falls back.
    return undefined;
  }
}

/** A plain sentence from SelfSubjectRulesReview about Secrets in the namespace, if served. */
async function rulesSummary(kc: KubeConfig, namespace: string): Promise<string | undefined> {
  let status;
  try {
    const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectRulesReview({
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
    });
    status = review.status;
  } catch {
    return undefined;
  }
  if (!status) return undefined;
  const verbs = new Set<string>();
  const named = new Set<string>();
  let unrestricted = false;
  for (const rule of status.resourceRules ?? []) {
    const groupOk = (rule.apiGroups ?? []).some((g) => g === '' || g === '*');
    const resourceOk = (rule.resources ?? []).some((r) => r === 'secrets' || r === '*');
    if (!groupOk || !resourceOk) continue;
    const readVerbs = (rule.verbs ?? []).filter((v) => v === 'get' || v === 'list' || v === 'watch' || v === '*');
    if (readVerbs.length === 0) continue;
    for (const v of readVerbs) verbs.add(v === '*' ? 'all verbs' : v);
    if (rule.resourceNames && rule.resourceNames.length > 0) for (const n of rule.resourceNames) named.add(n);
    else unrestricted = true;
  }
  const incomplete = status.incomplete ? ' (the server says this list may be incomplete)' : '';
  if (verbs.size === 0) return `Your RBAC rules in ${namespace} grant no read access to Secrets${incomplete}.`;
  const which = unrestricted ? 'every Secret' : `the Secrets ${[...named].sort().join(', ')}`;
  return `Your RBAC rules in ${namespace} allow ${[...verbs].sort().join(', ')} on ${which}${incomplete}.`;
}

/**
 * Who may read the Secret, as far as the current user can tell: SelfSubjectAccessReview for
 * get (this Secret) and list (all Secrets in the namespace), SelfSubjectRulesReview for a
 * summary; when the server answers neither, the read attempt itself is the evidence.
 */
export async function reviewSecretAccess(
  kc: KubeConfig,
  namespace: string,
  name: string,
  readStatus: SecretReadStatus,
  /** Shares the per-namespace reviews between Secrets of one namespace (one map per context and check). */
  memo: Map<string, Promise<unknown>> = new Map(),
): Promise<SecretAccess> {
  const once = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) memo.set(key, (p = run()));
    return p;
  };
  const listing = once(`list|${namespace}`, () => selfSubjectAccess(kc, namespace, 'list'));
  const summarising = once(`rules|${namespace}`, () => rulesSummary(kc, namespace));
  // Listing every Secret of the namespace includes reading this one: no review per Secret then.
  const list = await listing;
  const [get, rules] = await Promise.all([list === 'yes' ? Promise.resolve<Tristate>('yes') : selfSubjectAccess(kc, namespace, 'get', name), summarising]);
  const fromRead: Tristate = readStatus === 'forbidden' ? 'no' : readStatus === 'cluster-error' ? 'unknown' : 'yes';
  if (get === undefined) {
    const summary =
      fromRead === 'yes'
        ? `You could read this Secret with your own kubeconfig, so it is readable by more than the pipeline controller. The cluster did not answer an access review, so who else can read it is unknown.`
        : fromRead === 'no'
          ? 'You may not read this Secret. The cluster did not answer an access review, so who else can read it is unknown.'
          : 'Could not determine who may read this Secret.';
    return { youCanGet: fromRead, youCanListNamespace: 'unknown', method: fromRead === 'unknown' ? 'none' : 'read-attempt', summary: rules ? `${summary} ${rules}` : summary };
  }
  // A successful read outranks a review that says otherwise (e.g. an aggregated authorizer).
  const youCanGet: Tristate = fromRead === 'yes' ? 'yes' : get;
  const parts: string[] = [];
  if (youCanGet === 'yes') parts.push('An access review confirms that you (not only the pipeline controller) may read this Secret.');
  else if (youCanGet === 'no') parts.push('An access review says you may not read this Secret.');
  else parts.push('The access review gave no answer for reading this Secret.');
  if (list === 'yes') parts.push(`You may also list every Secret in ${namespace}, which reveals all their values.`);
  if (rules) parts.push(rules);
  return { youCanGet, youCanListNamespace: list ?? 'unknown', method: 'self-subject-access-review', summary: parts.join(' ') };
}
