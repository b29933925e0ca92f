// SelfSubjectAccessReview ("can I?", used by `kubectl auth can-i` and by clients that check
// RBAC before offering an action), SelfSubjectRulesReview ("what may I do in this namespace?",
// `kubectl auth can-i --list`) and SelfSubjectReview (`kubectl auth whoami`): answered from the
// user's rules, never stored.

import type { KubeUser } from '../seeds/types.js';
import { BASIC_USER_RULES, isAllowed, PUBLIC_NON_RESOURCE_URLS, ruleAppliesIn } from './rbac.js';
import type { ResourceType } from './resources.js';
import { badRequest } from './status.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function answerReview(type: ResourceType, user: KubeUser, body: unknown): Record<string, unknown> {
  const apiVersion = `${type.group}/v1`;
  const metadata = { creationTimestamp: nowTimestamp() };
  if (type.review === 'self') {
    return { kind: type.kind, apiVersion, metadata, status: { userInfo: { username: user.name, groups: ['system:authenticated'] } } };
  }
  const spec = isRecord(body) && isRecord(body.spec) ? body.spec : undefined;
  if (type.review === 'rules') return { kind: type.kind, apiVersion, metadata, spec: spec ?? {}, status: rulesIn(user, typeof spec?.namespace === 'string' ? spec.namespace : '') };
  const attrs = spec && isRecord(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  if (!spec || (!attrs && !isRecord(spec.nonResourceAttributes))) {
    throw badRequest(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  let allowed: boolean;
  if (attrs) {
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const resource = str(attrs.subresource) ? `${str(attrs.resource)}/${str(attrs.subresource)}` : str(attrs.resource);
    const request = {
      verb: str(attrs.verb),
      group: str(attrs.group),
      resource,
      ...(str(attrs.namespace) ? { namespace: str(attrs.namespace) } : {}),
      ...(str(attrs.name) ? { name: str(attrs.name) } : {}),
    };
    allowed = isAllowed(user, request);
  } else {
    // Non-resource URLs (/version, /healthz, discovery) are open to every authenticated user.
    allowed = true;
  }
  return { kind: type.kind, apiVersion, metadata, spec, status: allowed ? { allowed: true } : { allowed: false } };
}

/** The SelfSubjectRulesReview status: every rule of the user that holds in the namespace ('' = cluster scope only). */
function rulesIn(user: KubeUser, namespace: string): Record<string, unknown> {
  const resourceRules = [...user.rules.filter((r) => ruleAppliesIn(r, namespace === '' ? undefined : namespace)), ...BASIC_USER_RULES].map((r) => ({
    verbs: r.verbs,
    apiGroups: r.apiGroups,
    resources: r.resources,
    ...(r.resourceNames && r.resourceNames.length > 0 ? { resourceNames: r.resourceNames } : {}),
  }));
  return { resourceRules, nonResourceRules: [{ verbs: ['get'], nonResourceURLs: PUBLIC_NON_RESOURCE_URLS }], incomplete: false };
}
