// Bearer-token authentication and a light RBAC: each user has Role-like rules
// (verbs × apiGroups × resources × namespaces × resourceNames). Denials are worded like the real
// authorizer's. Every authenticated user also holds what the real server's default
// system:basic-user, system:discovery and system:public-info-viewer roles grant.

import type { KubeRbacRule, KubeUser } from '../seeds/types.js';
import { KubeApiError } from './status.js';

export interface AccessRequest {
  verb: string;
  group: string;
  /** plural, or "plural/subresource" */
  resource: string;
  /** undefined = cluster scope (cluster-scoped resources, or a list across all namespaces) */
  namespace?: string;
  name?: string;
}

/** What system:basic-user grants every authenticated user: asking what they may do, and who they are. */
export const BASIC_USER_RULES: KubeRbacRule[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
];

/** The non-resource URLs system:discovery and system:public-info-viewer open to every user. */
export const PUBLIC_NON_RESOURCE_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];

function matches(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

function ruleAllows(rule: KubeRbacRule, req: AccessRequest): boolean {
  if (!matches(rule.verbs, req.verb) || !matches(rule.apiGroups, req.group)) return false;
  if (!matches(rule.resources, req.resource)) return false;
  // As RBAC: a rule limited to names only covers requests that name one of them.
  if (rule.resourceNames && rule.resourceNames.length > 0 && (req.name === undefined || !rule.resourceNames.includes(req.name))) return false;
  return ruleAppliesIn(rule, req.namespace);
}

/** Whether a rule holds in a namespace (undefined = cluster scope). */
export function ruleAppliesIn(rule: KubeRbacRule, namespace: string | undefined): boolean {
  const namespaces = rule.namespaces ?? ['*'];
  if (namespaces.includes('*')) return true;
  return namespace !== undefined && namespaces.includes(namespace);
}

export function isAllowed(user: KubeUser, req: AccessRequest): boolean {
  return user.rules.some((rule) => ruleAllows(rule, req)) || BASIC_USER_RULES.some((rule) => ruleAllows(rule, req));
}

export function forbidden(user: KubeUser, req: AccessRequest): KubeApiError {
  const plural = req.resource.split('/')[0];
  const qualified = req.group === '' ? plural! : `${plural!}.${req.group}`;
  const subject = req.name !== undefined ? `${qualified} "${req.name}"` : qualified;
  const where = req.namespace !== undefined ? `in the namespace "${req.namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user.name}" cannot ${req.verb} resource "${req.resource}" in API group "${req.group}" ${where}`;
  const details: { name?: string; group?: string; kind: string } = { kind: plural! };
  if (req.name !== undefined) details.name = req.name;
  if (req.group !== '') details.group = req.group;
  return new KubeApiError(403, 'Forbidden', message, details);
}

/**
 * The user a request acts as. Impersonate-User (kubectl --as) is honoured only when the
 * authenticated user may `impersonate` that user (and each Impersonate-Group); the request is
 * then authorized with the impersonated user's rules, as the real impersonation filter does.
 * A user the cluster has no rules for is still impersonated, with no rights beyond the defaults.
 */
export function effectiveUser(authenticated: KubeUser, headers: Record<string, string | string[] | undefined>, known: readonly KubeUser[]): KubeUser {
  const header = (name: string): string[] => {
    const v = headers[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const asUser = header('impersonate-user')[0];
  const asGroups = header('impersonate-group');
  if (asUser === undefined) {
    if (asGroups.length > 0) throw new KubeApiError(500, 'InternalError', 'Internal error occurred: requested group impersonation without impersonating a user');
    return authenticated;
  }
  const checks: AccessRequest[] = [{ verb: 'impersonate', group: '', resource: 'users', name: asUser }, ...asGroups.map((g) => ({ verb: 'impersonate', group: '', resource: 'groups', name: g }))];
  for (const check of checks) {
    if (!authenticated.rules.some((rule) => ruleAllows(rule, check))) throw forbidden(authenticated, check);
  }
  return known.find((u) => u.name === asUser) ?? { name: asUser, token: '', rules: [] };
}
