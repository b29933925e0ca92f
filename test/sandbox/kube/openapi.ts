// Just enough OpenAPI for kubectl: `kubectl apply/create` (validation on by default) downloads
// /openapi/v2 and asks /openapi/v3 whether each kind's PATCH accepts `fieldValidation`, failing
// if either is missing. We serve a v3 index, one document per group-version listing the paths
// (with that parameter and the group-version-kind extension) and the CRD schemas, and an empty
// but valid protobuf v2 document (kubectl then validates server-side, as against a real cluster).

import { createHash } from 'node:crypto';
import type { ResourceRegistry, ResourceType } from './resources.js';

function queryParam(name: string, description: string): Record<string, unknown> {
  return { name, in: 'query', description, schema: { type: 'string', uniqueItems: true } };
}

const WRITE_PARAMS = [
  queryParam('dryRun', 'When present, indicates that modifications should not be persisted.'),
  queryParam('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  queryParam('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.'),
];

function schemaName(t: ResourceType, version: string): string {
  const reversedGroup = t.group === '' ? 'io.k8s.api.core' : t.group.split('.').reverse().join('.');
  return `${reversedGroup}.${version}.${t.kind}`;
}

function pathsFor(t: ResourceType, version: string): Record<string, unknown> {
  const prefix = t.group === '' ? `/api/${version}` : `/apis/${t.group}/${version}`;
  const collection = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
  const gvk = { group: t.group, version, kind: t.kind };
  const ref = { $ref: `#/components/schemas/${schemaName(t, version)}` };
  const body = (types: string[]): Record<string, unknown> => ({ content: Object.fromEntries(types.map((ct) => [ct, { schema: ref }])), required: true });
  const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
  const op = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    operationId: `${action}${t.kind}`,
    responses: ok,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  if (t.review) return { [collection]: { post: op('create', { parameters: WRITE_PARAMS, requestBody: body(['application/json']) }) } };
  const paths: Record<string, unknown> = {
    [collection]: {
      get: op('list', { parameters: [queryParam('labelSelector', ''), queryParam('fieldSelector', ''), queryParam('limit', ''), queryParam('continue', '')] }),
      ...(t.readOnly ? {} : { post: op('post', { parameters: WRITE_PARAMS, requestBody: body(['application/json']) }) }),
    },
    [`${collection}/{name}`]: {
      get: op('get'),
      ...(t.readOnly
        ? {}
        : {
            put: op('put', { parameters: WRITE_PARAMS, requestBody: body(['application/json']) }),
            patch: op('patch', {
              parameters: [...WRITE_PARAMS, queryParam('force', '')],
              requestBody: body(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']),
            }),
            delete: op('delete'),
          }),
    },
  };
  if (t.hasStatus && !t.readOnly) {
    paths[`${collection}/{name}/status`] = {
      get: op('get'),
      put: op('put', { parameters: WRITE_PARAMS, requestBody: body(['application/json']) }),
      patch: op('patch', { parameters: [...WRITE_PARAMS, queryParam('force', '')], requestBody: body(['application/json-patch+json', 'application/merge-patch+json']) }),
    };
  }
  return paths;
}

export class OpenApiDocuments {
  private readonly docs = new Map<string, string>();
  private readonly index: string;

  constructor(registry: ResourceRegistry) {
    const byGroupVersion = new Map<string, { group: string; version: string; types: ResourceType[] }>();
    for (const t of registry.types) {
      for (const version of t.versions) {
        const key = t.group === '' ? `api/${version}` : `apis/${t.group}/${version}`;
        const entry = byGroupVersion.get(key) ?? { group: t.group, version, types: [] };
        entry.types.push(t);
        byGroupVersion.set(key, entry);
      }
    }
    const indexPaths: Record<string, { serverRelativeURL: string }> = {};
    for (const [key, { group, version, types }] of byGroupVersion) {
      const paths: Record<string, unknown> = {};
      const schemas: Record<string, unknown> = {};
      for (const t of types) {
        Object.assign(paths, pathsFor(t, version));
        schemas[schemaName(t, version)] = {
          type: 'object',
          ...(t.schemas[version] ?? { 'x-kubernetes-preserve-unknown-fields': true }),
          'x-kubernetes-group-version-kind': [{ group, version, kind: t.kind }],
        };
      }
      const doc = JSON.stringify({
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: 'v1.32.0' },
        paths,
        components: { schemas },
      });
      this.docs.set(key, doc);
      const hash = createHash('sha512').update(doc).digest('hex').slice(0, 128).toUpperCase();
      indexPaths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
    this.index = JSON.stringify({ paths: indexPaths });
  }

  /** The body for /openapi/v3 or /openapi/v3/<api|apis/...>, or undefined for an unknown path. */
  v3(path: string): string | undefined {
    const rest = path.replace(/^\/openapi\/v3\/?/, '');
    if (rest === '') return this.index;
    return this.docs.get(rest);
  }
}

/** An empty openapi_v2.Document in protobuf (zero bytes is a valid message). */
export const EMPTY_OPENAPI_V2_PROTOBUF = Buffer.alloc(0);
export const OPENAPI_V2_PROTOBUF_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
