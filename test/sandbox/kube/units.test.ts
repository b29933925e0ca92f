// Pure pieces of the sandbox API server (patches, selectors, schema checks, JSONPath, protobuf
// bodies), multi-version CRD serving, which the shared single-version CRDs do not exercise, and
// the field-ownership bookkeeping of server-side apply.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiServer, type KubeApiServer } from './index.js';
import { fromFieldsV1, managedFieldsAfterUpdate, serverSideApply } from './field-managers.js';
import { applyJsonPatch, applyMergePatch } from './patch.js';
import { decodeProtobufObject } from './protobuf.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { KubeApiError } from './status.js';
import { evalJsonPath } from './table.js';
import { adminUser, kubeRequest } from './testing.js';
import { pruneUnknownFields, validateAgainstSchema, validateName } from './validation.js';

describe('patches', () => {
  it('merge patch deletes with null, replaces arrays and leaves the input alone', () => {
    const target = { a: { b: 1, c: 2 }, list: [1, 2] };
    const result = applyMergePatch(target, { a: { b: null, d: 3 }, list: [3] });
    expect(result).toEqual({ a: { c: 2, d: 3 }, list: [3] });
    expect(target).toEqual({ a: { b: 1, c: 2 }, list: [1, 2] });
  });

  it('JSON patch supports add/remove/replace/move/copy/test and fails atomically', () => {
    const doc = { spec: { list: ['a', 'b'], x: 1 } };
    expect(
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/list/-', value: 'c' },
        { op: 'add', path: '/spec/list/0', value: 'z' },
        { op: 'remove', path: '/spec/list/1' },
        { op: 'replace', path: '/spec/x', value: 2 },
        { op: 'copy', from: '/spec/x', path: '/spec/y' },
        { op: 'move', from: '/spec/y', path: '/spec/a~1b' },
        { op: 'test', path: '/spec/a~1b', value: 2 },
      ]),
    ).toEqual({ spec: { list: ['z', 'b', 'c'], x: 2, 'a/b': 2 } });
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/spec/missing', value: 1 }])).toThrow(KubeApiError);
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'add', path: '/spec/x', value: 5 },
        { op: 'test', path: '/spec/x', value: 1 },
      ]),
    ).toThrow(/test failed/);
    expect(doc).toEqual({ spec: { list: ['a', 'b'], x: 1 } });
  });
});

describe('selectors', () => {
  it('parses equality, set-based and existence label requirements', () => {
    const sel = parseLabelSelector('env in (dev, prod),tier!=db,app,!legacy');
    expect(matchesLabels(sel, { env: 'dev', tier: 'web', app: 'x' })).toBe(true);
    expect(matchesLabels(sel, { env: 'qa', tier: 'web', app: 'x' })).toBe(false);
    expect(matchesLabels(sel, { env: 'dev', tier: 'web', app: 'x', legacy: 'y' })).toBe(false);
    expect(matchesLabels(sel, { env: 'dev', tier: 'db', app: 'x' })).toBe(false);
    expect(matchesLabels(parseLabelSelector('env notin (prod)'), {})).toBe(true);
    expect(() => parseLabelSelector('a in b')).toThrow(/unable to parse requirement/);
  });

  it('matches field selectors on dotted paths', () => {
    const obj = { metadata: { name: 'x', namespace: 'ns' }, type: 'Opaque' };
    expect(matchesFields(parseFieldSelector('metadata.name=x,metadata.namespace==ns'), obj)).toBe(true);
    expect(matchesFields(parseFieldSelector('type!=Opaque'), obj)).toBe(false);
  });
});

describe('validation', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['mode'],
        properties: {
          mode: { type: 'string', enum: ['a', 'b'] },
          count: { type: 'integer' },
          port: { 'x-kubernetes-int-or-string': true },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          tags: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  };

  it('reports required fields, wrong types and unsupported enum values with API-style messages', () => {
    expect(validateAgainstSchema({ spec: { mode: 'a', count: 1, port: 'http', tags: { a: 'b' } } }, schema)).toEqual([]);
    const causes = validateAgainstSchema({ spec: { count: 1.5, port: true, tags: { a: 1 } } }, schema);
    expect(causes.map((c) => c.field)).toEqual(['spec.mode', 'spec.count', 'spec.port', 'spec.tags.a']);
    expect(causes[0]).toEqual({ field: 'spec.mode', message: 'Required value', reason: 'FieldValueRequired' });
    expect(validateAgainstSchema({ spec: { mode: 'c' } }, schema)[0]!.message).toBe('Unsupported value: "c": supported values: "a", "b"');
  });

  it('prunes undeclared fields except under preserve-unknown-fields', () => {
    const { pruned, unknown } = pruneUnknownFields({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { mode: 'a', extra: 1, free: { any: 1 } }, other: 2 }, schema);
    expect(unknown).toEqual(['spec.extra', 'other']);
    expect(pruned).toEqual({ apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { mode: 'a', free: { any: 1 } } });
  });

  it('checks names as DNS subdomains or labels', () => {
    expect(validateName('a.b-c', 'subdomain')).toEqual([]);
    expect(validateName('a.b', 'label')).toHaveLength(1);
    expect(validateName('', 'subdomain')[0]!.message).toBe('Required value: name or generateName is required');
  });
});

describe('JSONPath for printer columns', () => {
  it('evaluates paths, indexes and equality filters', () => {
    const obj = {
      status: {
        conditions: [
          { type: 'Reconciling', status: 'False' },
          { type: 'Ready', status: 'True', message: 'ok' },
        ],
      },
    };
    expect(evalJsonPath(obj, '.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(evalJsonPath(obj, '.status.conditions[0].type')).toEqual(['Reconciling']);
    expect(evalJsonPath(obj, '.status.conditions[*].type')).toEqual(['Reconciling', 'Ready']);
    expect(evalJsonPath(obj, '.spec.missing')).toEqual([]);
  });
});

describe('protobuf bodies', () => {
  // Hand-encoded k8s protobuf envelope: a v1 ConfigMap named "cm" with data {k: "v"}.
  function field(no: number, payload: Buffer): Buffer {
    return Buffer.concat([Buffer.from([(no << 3) | 2, payload.length]), payload]);
  }
  const s = (v: string): Buffer => Buffer.from(v);

  it('decodes a ConfigMap envelope into its JSON shape', () => {
    const meta = Buffer.concat([field(1, s('cm')), field(3, s('ns')), field(11, Buffer.concat([field(1, s('app')), field(2, s('web'))]))]);
    const configMap = Buffer.concat([field(1, meta), field(2, Buffer.concat([field(1, s('k')), field(2, s('v'))]))]);
    const unknown = Buffer.concat([field(1, Buffer.concat([field(1, s('v1')), field(2, s('ConfigMap'))])), field(2, configMap)]);
    const body = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), unknown]);
    expect(decodeProtobufObject(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns', labels: { app: 'web' } }, data: { k: 'v' } });
    expect(() => decodeProtobufObject(Buffer.from('{}'))).toThrow(KubeApiError);
  });
});

describe('multi-version CRDs', () => {
  let dir: string;
  let server: KubeApiServer;
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget, shortNames: [wd] }
  scope: Namespaced
  versions:
  - name: v1beta1
    served: false
    storage: false
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
  - name: v1beta2
    served: true
    storage: false
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
    subresources: { status: {} }
`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-crds-'));
    writeFileSync(path.join(dir, 'widgets.yaml'), crd);
    server = await startKubeApiServer({ name: 'multi', crdDir: dir, users: [adminUser] });
    server.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
    server.store.apply({ apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec: { size: 1 } });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves only served versions, preferring the storage version, and rewrites apiVersion per request', async () => {
    const group = (await kubeRequest(server, 'GET', '/apis/example.com')).json();
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta2']);
    expect(group.preferredVersion.version).toBe('v1');
    expect((await kubeRequest(server, 'GET', '/apis/example.com/v1beta1/namespaces/ns/widgets/w')).status).toBe(404);
    const v1 = (await kubeRequest(server, 'GET', '/apis/example.com/v1/namespaces/ns/widgets/w')).json();
    const beta = (await kubeRequest(server, 'GET', '/apis/example.com/v1beta2/namespaces/ns/widgets/w')).json();
    expect(v1.apiVersion).toBe('example.com/v1');
    expect(beta.apiVersion).toBe('example.com/v1beta2');
    expect(beta.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    const list = (await kubeRequest(server, 'GET', '/apis/example.com/v1beta2/widgets')).json();
    expect(list).toMatchObject({ kind: 'WidgetList', apiVersion: 'example.com/v1beta2', items: [{ apiVersion: 'example.com/v1beta2' }] });
  });
});

describe('field managers', () => {
  const base = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' } };
  const ctx = (manager: string, subresource?: 'status') => ({ manager, apiVersion: 'example.com/v1', time: '2026-11-20T12:00:00Z', hasStatus: true, ...(subresource ? { subresource } : {}) });
  const managersOf = (obj: Record<string, unknown>) => (obj.metadata as { managedFields: { manager: string; operation: string; fieldsV1: unknown; subresource?: string }[] }).managedFields;

  it('keeps main-resource owners on a status write, and drops removed fields from every owner', () => {
    const applied = serverSideApply(undefined, { ...base, spec: { size: 1, color: 'red' } }, { ...ctx('deployer'), force: false, target: { name: 'w', group: 'example.com', kind: 'widgets' } });
    const withStatus: Record<string, unknown> = { ...applied, status: { ready: true } };
    const statusFields = managedFieldsAfterUpdate(applied, withStatus, ctx('controller', 'status'));
    expect(statusFields.map((e) => `${e.manager}/${e.operation}/${e.subresource ?? ''}`)).toEqual(['deployer/Apply/', 'controller/Update/status']);
    const next = { ...withStatus, metadata: { ...(withStatus.metadata as object), managedFields: statusFields }, spec: { size: 1 } };
    const afterRemoval = managedFieldsAfterUpdate(next, next, ctx('editor'));
    expect(afterRemoval).toEqual(statusFields); // nothing changed: entries untouched
    const edited = managedFieldsAfterUpdate({ ...next, spec: { size: 1, color: 'red' } }, next, ctx('editor'));
    expect(fromFieldsV1(edited.find((e) => e.manager === 'deployer')!.fieldsV1)).toEqual(new Set(['spec\u0000size']));
  });

  it('reports every conflicting field of another manager in one 409', () => {
    const applied = serverSideApply(undefined, { ...base, spec: { size: 1, color: 'red' } }, { ...ctx('deployer'), force: false, target: { name: 'w', group: 'example.com', kind: 'widgets' } });
    let error: unknown;
    try {
      serverSideApply(applied, { ...base, spec: { size: 2, color: 'blue' } }, { ...ctx('other'), force: false, target: { name: 'w', group: 'example.com', kind: 'widgets' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(409);
    expect((error as KubeApiError).message).toBe('Apply failed with 2 conflicts: conflicts with "deployer" using example.com/v1:\n- .spec.color\n- .spec.size');
    const forced = serverSideApply(applied, { ...base, spec: { size: 2, color: 'blue' } }, { ...ctx('other'), force: true, target: { name: 'w', group: 'example.com', kind: 'widgets' } });
    expect(managersOf(forced).map((m) => m.manager)).toEqual(['other']);
    expect(forced.spec).toEqual({ size: 2, color: 'blue' });
  });
});
