// JSON merge patch (RFC 7386) and JSON patch (RFC 6902), the two patch formats the sandbox
// accepts for every resource. Both return new values and never mutate their inputs.

import { KubeApiError } from './status.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchError(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function patchError(message: string): KubeApiError {
  // Recent API servers answer a patch that cannot be applied with 422 and this wording.
  return new KubeApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function parentAndKey(doc: Json, path: string[]): { parent: Json; key: string } {
  let cur: Json = doc;
  for (const part of path.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(part);
      if (!Number.isInteger(i) || i < 0 || i >= cur.length) throw patchError(`path not found: /${path.join('/')}`);
      cur = cur[i]!;
    } else if (isPlainObject(cur)) {
      if (!(part in cur)) throw patchError(`doc is missing path: "/${path.join('/')}": missing value`);
      cur = cur[part] as Json;
    } else {
      throw patchError(`path not found: /${path.join('/')}`);
    }
  }
  return { parent: cur, key: path[path.length - 1]! };
}

function getAt(doc: Json, path: string[]): Json {
  if (path.length === 0) return doc;
  const { parent, key } = parentAndKey(doc, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw patchError(`path not found: /${path.join('/')}`);
    return parent[i]!;
  }
  if (isPlainObject(parent) && key in parent) return parent[key] as Json;
  throw patchError(`doc is missing path: "/${path.join('/')}": missing value`);
}

function addAt(doc: Json, path: string[], value: Json): Json {
  if (path.length === 0) return value;
  const { parent, key } = parentAndKey(doc, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw patchError(`index out of bounds: /${path.join('/')}`);
    parent.splice(i, 0, value);
  } else if (isPlainObject(parent)) {
    parent[key] = value;
  } else {
    throw patchError(`cannot add at /${path.join('/')}`);
  }
  return doc;
}

function removeAt(doc: Json, path: string[]): Json {
  if (path.length === 0) throw patchError('cannot remove the whole document');
  const { parent, key } = parentAndKey(doc, path);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw patchError(`index out of bounds: /${path.join('/')}`);
    parent.splice(i, 1);
  } else if (isPlainObject(parent) && key in parent) {
    delete parent[key];
  } else {
    throw patchError(`doc is missing path: "/${path.join('/')}": missing value`);
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new KubeApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredClone(target) as Json;
  for (const raw of operations) {
    if (!isPlainObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw patchError('invalid patch operation');
    const path = decodePointer(raw.path);
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, path, structuredClone(raw.value) as Json);
        break;
      case 'remove':
        doc = removeAt(doc, path);
        break;
      case 'replace':
        getAt(doc, path);
        if (path.length === 0) doc = structuredClone(raw.value) as Json;
        else doc = addAt(removeAt(doc, path), path, structuredClone(raw.value) as Json);
        break;
      case 'move': {
        if (typeof raw.from !== 'string') throw patchError('move without from');
        const from = decodePointer(raw.from);
        const value = getAt(doc, from);
        doc = addAt(removeAt(doc, from), path, value);
        break;
      }
      case 'copy': {
        if (typeof raw.from !== 'string') throw patchError('copy without from');
        doc = addAt(doc, path, structuredClone(getAt(doc, decodePointer(raw.from))));
        break;
      }
      case 'test':
        if (!deepEqual(getAt(doc, path), raw.value)) throw patchError(`testing value /${path.join('/')} failed: test failed`);
        break;
      default:
        throw patchError(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}
