// Decodes the Kubernetes protobuf request bodies kubectl sends for built-in kinds (`kubectl create
// secret|configmap|namespace`, `kubectl auth can-i|whoami` use application/vnd.kubernetes.protobuf).
// Only Secret, ConfigMap, Namespace, SelfSubjectAccessReview, SelfSubjectRulesReview and
// SelfSubjectReview (and the
// ObjectMeta fields a client sets) are understood;
// responses are always JSON, which clients accept because they also ask for it.

import { unsupportedMediaType } from './status.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

type Field = number | Buffer;
type Message = Map<number, Field[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

function decodeMessage(buf: Buffer): Message {
  const fields: Message = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const fieldNo = Math.floor(key / 8);
    const wireType = key & 7;
    let value: Field;
    if (wireType === 0) {
      [value, pos] = readVarint(buf, pos);
    } else if (wireType === 2) {
      const [len, afterLen] = readVarint(buf, pos);
      value = buf.subarray(afterLen, afterLen + len);
      pos = afterLen + len;
    } else if (wireType === 1) {
      value = buf.subarray(pos, pos + 8);
      pos += 8;
    } else if (wireType === 5) {
      value = buf.subarray(pos, pos + 4);
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wireType}`);
    }
    const list = fields.get(fieldNo) ?? [];
    list.push(value);
    fields.set(fieldNo, list);
  }
  return fields;
}

const str = (m: Message, n: number): string | undefined => {
  const v = m.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
};
const bytes = (m: Message, n: number): Buffer | undefined => {
  const v = m.get(n)?.[0];
  return Buffer.isBuffer(v) ? v : undefined;
};
const num = (m: Message, n: number): number | undefined => {
  const v = m.get(n)?.[0];
  return typeof v === 'number' ? v : undefined;
};
const strings = (m: Message, n: number): string[] => (m.get(n) ?? []).filter(Buffer.isBuffer).map((b) => b.toString('utf8'));

function map(m: Message, n: number, asBase64: boolean): Record<string, string> | undefined {
  const entries = (m.get(n) ?? []).filter(Buffer.isBuffer);
  if (entries.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const raw of entries) {
    const entry = decodeMessage(raw);
    const key = str(entry, 1) ?? '';
    const value = bytes(entry, 2) ?? Buffer.alloc(0);
    out[key] = asBase64 ? value.toString('base64') : value.toString('utf8');
  }
  return out;
}

function objectMeta(raw: Buffer | undefined): Record<string, unknown> {
  if (!raw) return {};
  const m = decodeMessage(raw);
  const meta: Record<string, unknown> = {};
  const set = (key: string, value: unknown): void => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) meta[key] = value;
  };
  set('name', str(m, 1));
  set('generateName', str(m, 2));
  set('namespace', str(m, 3));
  set('uid', str(m, 5));
  set('resourceVersion', str(m, 6));
  set('labels', map(m, 11, false));
  set('annotations', map(m, 12, false));
  set('finalizers', strings(m, 14));
  return meta;
}

/** Decodes a protobuf body into the JSON object the same request would have carried. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE]);
  const unknown = decodeMessage(body.subarray(4));
  const typeMeta = decodeMessage(bytes(unknown, 1) ?? Buffer.alloc(0));
  const apiVersion = str(typeMeta, 1) ?? '';
  const kind = str(typeMeta, 2) ?? '';
  const raw = decodeMessage(bytes(unknown, 2) ?? Buffer.alloc(0));
  const obj: Record<string, unknown> = { apiVersion, kind, metadata: objectMeta(bytes(raw, 1)) };
  switch (`${apiVersion}/${kind}`) {
    case 'v1/Secret': {
      const data = map(raw, 2, true);
      const stringData = map(raw, 4, false);
      if (data) obj.data = data;
      if (stringData) obj.stringData = stringData;
      if (str(raw, 3)) obj.type = str(raw, 3);
      if (num(raw, 5) !== undefined) obj.immutable = num(raw, 5) === 1;
      return obj;
    }
    case 'v1/ConfigMap': {
      const data = map(raw, 2, false);
      const binaryData = map(raw, 3, true);
      if (data) obj.data = data;
      if (binaryData) obj.binaryData = binaryData;
      if (num(raw, 4) !== undefined) obj.immutable = num(raw, 4) === 1;
      return obj;
    }
    case 'v1/Namespace': {
      const spec = bytes(raw, 2);
      const finalizers = spec ? strings(decodeMessage(spec), 1) : [];
      if (finalizers.length > 0) obj.spec = { finalizers };
      return obj;
    }
    case 'authorization.k8s.io/v1/SelfSubjectAccessReview': {
      const spec = decodeMessage(bytes(raw, 2) ?? Buffer.alloc(0));
      const resource = bytes(spec, 1);
      const nonResource = bytes(spec, 2);
      const attributes = (m: Message, names: string[]): Record<string, string> => {
        const out: Record<string, string> = {};
        names.forEach((name, i) => {
          const v = str(m, i + 1);
          if (v) out[name] = v;
        });
        return out;
      };
      const outSpec: Record<string, unknown> = {};
      if (resource) outSpec.resourceAttributes = attributes(decodeMessage(resource), ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']);
      if (nonResource) outSpec.nonResourceAttributes = attributes(decodeMessage(nonResource), ['path', 'verb']);
      obj.spec = outSpec;
      return obj;
    }
    case 'authorization.k8s.io/v1/SelfSubjectRulesReview': {
      const namespace = str(decodeMessage(bytes(raw, 2) ?? Buffer.alloc(0)), 1);
      obj.spec = namespace ? { namespace } : {};
      return obj;
    }
    case 'authentication.k8s.io/v1/SelfSubjectReview':
      return obj;
    default:
      throw unsupportedMediaType(['application/json', 'application/yaml']);
  }
}
