// URL routing for the sandbox API server: resource paths (/api/v1/..., /apis/<g>/<v>/...,
// namespaced or not, with an optional status subresource) resolved against the registry, the
// discovery documents, and /version.

import { apiGroup, apiGroupList, apiResourceList, type ResourceRegistry, type ResourceType } from './resources.js';

/** A request path resolved to a served resource; `template` names it in the request log. */
export interface ResourcePath {
  type: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  template: string;
}

/** Maps /api/v1/... and /apis/g/v/... onto a served resource; undefined for anything else. */
export function resolveResourcePath(registry: ResourceRegistry, segments: string[]): ResourcePath | undefined {
  let group: string;
  let version: string;
  let rest: string[];
  let prefix: string;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
    prefix = `/api/${version}`;
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
    prefix = `/apis/${group}/${version}`;
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  let nsTemplate = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const candidate = registry.served(group, version, rest[2]!);
    if (candidate && candidate.namespaced) {
      namespace = rest[1]!;
      nsTemplate = '/namespaces/{namespace}';
      rest = rest.slice(2);
    }
  }
  const type = registry.served(group, version, rest[0]!);
  if (!type || rest.length > 3) return undefined;
  if (namespace !== undefined && !type.namespaced) return undefined;
  const name = rest[1];
  const subresource = rest[2];
  if (subresource !== undefined && !(subresource === 'status' && type.hasStatus)) return undefined;
  let template = `${prefix}${nsTemplate}/${type.plural}`;
  if (name !== undefined) template += '/{name}';
  if (subresource !== undefined) template += `/${subresource}`;
  const out: ResourcePath = { type, version, template };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}

/** The discovery document for /api..., /apis...; undefined when the path is not one. */
export function discoveryDocument(registry: ResourceRegistry, segments: string[], port: number): unknown {
  const [root, a, b, extra] = segments;
  if (root === 'api') {
    if (a === undefined) {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${port}` }] };
    }
    if (a === 'v1' && b === undefined) return apiResourceList(registry, '', 'v1');
    return undefined;
  }
  if (root === 'apis' && extra === undefined) {
    if (a === undefined) return apiGroupList(registry);
    if (b === undefined) return apiGroup(registry, a);
    if (registry.inGroupVersion(a, b).length > 0) return apiResourceList(registry, a, b);
  }
  return undefined;
}

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
