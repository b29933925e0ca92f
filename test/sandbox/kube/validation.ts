// Light validation, like the API server's first line of defence: metadata.name rules and the
// CRD's openAPIV3Schema for types, `required`, `enum` and `nullable`. Patterns, formats and CEL
// rules are not checked: a Pipeline that is well-typed but semantically broken must be storable.

export interface FieldCause {
  field: string;
  message: string;
  reason: string;
}

export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateName(name: unknown, rule: 'subdomain' | 'label'): FieldCause[] {
  if (typeof name !== 'string' || name === '') {
    return [{ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' }];
  }
  if (rule === 'label') {
    if (name.length > 63 || !DNS1123_LABEL.test(name)) {
      return [
        {
          field: 'metadata.name',
          message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
          reason: 'FieldValueInvalid',
        },
      ];
    }
    return [];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [
      {
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        reason: 'FieldValueInvalid',
      },
    ];
  }
  return [];
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function showValue(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}

function checkValue(value: unknown, schema: JsonSchema, path: string, causes: FieldCause[]): void {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) {
      causes.push({ field: path, message: `Invalid value: "null": ${path} in body must be of type ${schema.type}: "null"`, reason: 'FieldValueTypeInvalid' });
    }
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    const t = typeOf(value);
    if (t !== 'integer' && t !== 'string') {
      causes.push({ field: path, message: `Invalid value: "${t}": ${path} in body must be of type integer,string: "${t}"`, reason: 'FieldValueTypeInvalid' });
    }
    return;
  }
  if (schema.type) {
    const actual = typeOf(value);
    const ok = actual === schema.type || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      causes.push({ field: path, message: `Invalid value: "${actual}": ${path} in body must be of type ${schema.type}: "${actual}"`, reason: 'FieldValueTypeInvalid' });
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    const allowed = schema.enum.map(showValue).join(', ');
    causes.push({ field: path, message: `Unsupported value: ${showValue(value)}: supported values: ${allowed}`, reason: 'FieldValueNotSupported' });
  }
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => checkValue(item, schema.items!, `${path}[${i}]`, causes));
    return;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (record[key] === undefined) causes.push({ field: path === '' ? key : `${path}.${key}`, message: 'Required value', reason: 'FieldValueRequired' });
    }
    for (const [key, child] of Object.entries(record)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (childSchema) checkValue(child, childSchema, childPath, causes);
    }
  }
}

/** Validates a custom resource body (without metadata, which the server checks itself). */
export function validateAgainstSchema(obj: Record<string, unknown>, schema: JsonSchema | undefined): FieldCause[] {
  if (!schema) return [];
  const causes: FieldCause[] = [];
  const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  const topSchema: JsonSchema = { ...schema, properties: { ...schema.properties } };
  delete topSchema.properties!.metadata;
  topSchema.required = (schema.required ?? []).filter((r) => r !== 'metadata' && r !== 'apiVersion' && r !== 'kind');
  checkValue(rest, topSchema, '', causes);
  return causes;
}

/**
 * Drops fields the structural schema does not declare, like the real server's pruning, and
 * returns their paths (for fieldValidation=Strict errors and Warn warnings). apiVersion, kind
 * and metadata are never pruned here.
 */
export function pruneUnknownFields(obj: Record<string, unknown>, schema: JsonSchema | undefined): { pruned: Record<string, unknown>; unknown: string[] } {
  if (!schema) return { pruned: obj, unknown: [] };
  const unknown: string[] = [];
  const walk = (value: unknown, s: JsonSchema, path: string): unknown => {
    if (Array.isArray(value)) return s.items ? value.map((item, i) => walk(item, s.items!, `${path}[${i}]`)) : value;
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(record)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      const childSchema = s.properties?.[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (childSchema) out[key] = walk(child, childSchema, childPath);
      // Lenient where the real server is not: an object schema declaring nothing keeps its fields.
      else if (s['x-kubernetes-preserve-unknown-fields'] || s.additionalProperties === true || (s.properties === undefined && s.additionalProperties === undefined)) out[key] = child;
      else unknown.push(childPath);
    }
    return out;
  };
  const { apiVersion, kind, metadata, ...rest } = obj;
  const prunedRest = walk(rest, schema, '') as Record<string, unknown>;
  const pruned: Record<string, unknown> = {};
  if (apiVersion !== undefined) pruned.apiVersion = apiVersion;
  if (kind !== undefined) pruned.kind = kind;
  if (metadata !== undefined) pruned.metadata = metadata;
  return { pruned: Object.assign(pruned, prunedRest), unknown };
}
