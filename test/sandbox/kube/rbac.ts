// Bearer-token authentication and a light RBAC: each user has Role-like rules
// (verbs × apiGroups × resources × namespaces). Denials are worded like the real authorizer's.

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

function matches(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

function ruleAllows(rule: KubeRbacRule, req: AccessRequest): boolean {
  if (!matches(rule.verbs, req.verb) || !matches(rule.apiGroups, req.group)) return false;
  if (!matches(rule.resources, req.resource)) return false;
  const namespaces = rule.namespaces ?? ['*'];
  if (namespaces.includes('*')) return true;
  return req.namespace !== undefined && namespaces.includes(req.namespace);
}

export function isAllowed(user: KubeUser, req: AccessRequest): boolean {
  return user.rules.some((rule) => ruleAllows(rule, req));
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
