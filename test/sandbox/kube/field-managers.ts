// Field ownership for server-side apply: which manager set which field, kept in
// metadata.managedFields (fieldsType FieldsV1) the way kube-apiserver records it, and the apply
// merge with its conflicts. Simplified where the board cannot notice: every list is atomic (the
// default for CRD schemas without x-kubernetes-list-type), and a map is owned through its leaves.

import { KubeApiError } from './status.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** Fields no manager owns: identity and server-set bookkeeping. */
const UNOWNED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);
const SEP = '\u0000';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The owned leaves of an object: path key → canonical value. `part` picks the main resource or status. */
export function ownedLeaves(obj: Record<string, unknown>, part: 'main' | 'status', hasStatus: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string[]): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(v, [...path, k]);
      return;
    }
    out.set(path.join(SEP), canonical(value));
  };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    if (part === 'status' ? key !== 'status' : key === 'status' && hasStatus) continue;
    if (key === 'metadata' && isRecord(value)) {
      for (const [mk, mv] of Object.entries(value)) if (!UNOWNED_METADATA.has(mk) && mv !== undefined) walk(mv, ['metadata', mk]);
      continue;
    }
    walk(value, [key]);
  }
  return out;
}

/** Nested FieldsV1 ({"f:spec":{"f:interval":{}}}) from leaf path keys. */
export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const part of path.split(SEP)) {
      const key = `f:${part}`;
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return root;
}

/** Leaf path keys from FieldsV1 (entries written by this sandbox, or hand-written ones of the same shape). */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]): void => {
    const children = isRecord(node) ? Object.keys(node).filter((k) => k.startsWith('f:')) : [];
    if (children.length === 0) {
      if (path.length > 0) out.add(path.join(SEP));
      return;
    }
    for (const k of children) walk((node as Record<string, unknown>)[k], [...path, k.slice(2)]);
  };
  walk(fields, []);
  return out;
}

/** ".spec.chart.spec.version", as conflict messages name a field. */
function dotted(path: string): string {
  return `.${path.split(SEP).join('.')}`;
}

function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}${SEP}`) || b.startsWith(`${a}${SEP}`);
}

function readEntries(obj: Record<string, unknown> | undefined): ManagedFieldsEntry[] {
  const meta = isRecord(obj?.metadata) ? obj.metadata : {};
  return Array.isArray(meta.managedFields) ? (meta.managedFields as ManagedFieldsEntry[]).filter((e) => isRecord(e) && typeof e.manager === 'string') : [];
}

function sameEntry(e: ManagedFieldsEntry, manager: string, operation: string, subresource: string | undefined): boolean {
  return e.manager === manager && e.operation === operation && (e.subresource ?? '') === (subresource ?? '');
}

/** Rebuilds the entry list: each entry's fields filtered, the writer's entry replaced, empty entries dropped. */
function rewrite(
  entries: ManagedFieldsEntry[],
  keep: (entry: ManagedFieldsEntry, path: string) => boolean,
  writer: { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; time: string; subresource?: string; paths: Set<string> },
): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  let placed = false;
  const writerEntry = (): ManagedFieldsEntry => ({
    manager: writer.manager,
    operation: writer.operation,
    apiVersion: writer.apiVersion,
    time: writer.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1([...writer.paths].sort()),
    ...(writer.subresource ? { subresource: writer.subresource } : {}),
  });
  for (const e of entries) {
    if (sameEntry(e, writer.manager, writer.operation, writer.subresource)) {
      if (writer.paths.size > 0) out.push(writerEntry());
      placed = true;
      continue;
    }
    const paths = [...fromFieldsV1(e.fieldsV1)].filter((p) => keep(e, p));
    if (paths.length > 0) out.push({ ...e, fieldsV1: toFieldsV1(paths.sort()) });
  }
  if (!placed && writer.paths.size > 0) out.push(writerEntry());
  return out;
}

export interface WriteContext {
  manager: string;
  apiVersion: string;
  time: string;
  hasStatus: boolean;
  subresource?: 'status';
}

/**
 * managedFields after an Update operation (create, PUT, merge or JSON patch): the fields it
 * added or changed move to its manager, removed fields leave every manager. A write that
 * changes nothing keeps the entries as they were (and so stays a no-op).
 */
export function managedFieldsAfterUpdate(prev: Record<string, unknown> | undefined, next: Record<string, unknown>, ctx: WriteContext): ManagedFieldsEntry[] {
  const part = ctx.subresource === 'status' ? 'status' : 'main';
  const before = prev ? ownedLeaves(prev, part, ctx.hasStatus) : new Map<string, string>();
  const after = ownedLeaves(next, part, ctx.hasStatus);
  const changed = new Set([...after].filter(([p, v]) => before.get(p) !== v).map(([p]) => p));
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const entries = readEntries(prev);
  if (changed.size === 0 && removed.length === 0) return entries;
  const mine = entries.find((e) => sameEntry(e, ctx.manager, 'Update', ctx.subresource));
  const paths = new Set([...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed].filter((p) => after.has(p)));
  const isStatus = (p: string): boolean => p === 'status' || p.startsWith(`status${SEP}`);
  const written = (p: string): boolean => (part === 'status' ? isStatus(p) : !(ctx.hasStatus && isStatus(p)));
  return rewrite(entries, (_e, p) => !(written(p) && (changed.has(p) || !after.has(p))), {
    manager: ctx.manager,
    operation: 'Update',
    apiVersion: ctx.apiVersion,
    time: ctx.time,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
    paths,
  });
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let node = obj;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = structuredClone(value);
}

function removePath(obj: Record<string, unknown>, path: string[]): void {
  const parents: Record<string, unknown>[] = [obj];
  let node: unknown = obj;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(node) || !isRecord(node[part])) return;
    node = node[part];
    parents.push(node as Record<string, unknown>);
  }
  delete (node as Record<string, unknown>)[path[path.length - 1]!];
  // Drop the maps the removal emptied, as the applied configuration no longer has them.
  for (let i = parents.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]!).length > 0) break;
    delete parents[i - 1]![path[i - 1]!];
  }
}

function valueAt(obj: unknown, path: string[]): unknown {
  let node = obj;
  for (const part of path) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

/**
 * Server-side apply of `config` by `manager` onto `current` (undefined = create). Fields the
 * configuration sets to a new value that another manager owns are conflicts (409) unless
 * `force`; fields this manager applied before and no longer mentions are removed, unless
 * another manager also owns them. Returns the new object with its managedFields.
 */
export function serverSideApply(
  current: Record<string, unknown> | undefined,
  config: Record<string, unknown>,
  ctx: WriteContext & { force: boolean; target: { name: string; group: string; kind: string } },
): Record<string, unknown> {
  const part = ctx.subresource === 'status' ? 'status' : 'main';
  const applied = ownedLeaves(config, part, ctx.hasStatus);
  const existing = current ? ownedLeaves(current, part, ctx.hasStatus) : new Map<string, string>();
  const entries = readEntries(current);
  const others = entries.filter((e) => !sameEntry(e, ctx.manager, 'Apply', ctx.subresource)).map((e) => ({ entry: e, paths: fromFieldsV1(e.fieldsV1) }));

  const changing = [...applied].filter(([p, v]) => existing.get(p) !== v).map(([p]) => p);
  const conflicts: { manager: string; apiVersion: string; path: string }[] = [];
  for (const o of others) {
    for (const owned of o.paths) {
      const hit = changing.find((p) => related(p, owned));
      if (hit !== undefined) conflicts.push({ manager: o.entry.manager, apiVersion: o.entry.apiVersion, path: owned });
    }
  }
  if (conflicts.length > 0 && !ctx.force) throw applyConflict(conflicts, ctx.target);

  const previouslyApplied = fromFieldsV1(entries.find((e) => sameEntry(e, ctx.manager, 'Apply', ctx.subresource))?.fieldsV1);
  // Applying the same configuration again changes nothing, managedFields' time included.
  if (current && changing.length === 0 && previouslyApplied.size === applied.size && [...applied.keys()].every((p) => previouslyApplied.has(p))) return structuredClone(current);
  const result = structuredClone(current ?? {}) as Record<string, unknown>;
  for (const p of previouslyApplied) {
    if (applied.has(p) || [...applied.keys()].some((a) => related(a, p))) continue;
    if (others.some((o) => o.paths.has(p))) continue;
    removePath(result, p.split(SEP));
  }
  for (const p of applied.keys()) {
    const path = p.split(SEP);
    setPath(result, path, valueAt(config, path));
  }
  for (const key of ['apiVersion', 'kind']) if (config[key] !== undefined) result[key] = config[key];
  if (!isRecord(result.metadata)) result.metadata = {};
  const configMeta = isRecord(config.metadata) ? config.metadata : {};
  // A create takes its identity from the configuration; an update keeps the stored one.
  if (!current) for (const key of ['name', 'namespace']) if (typeof configMeta[key] === 'string') (result.metadata as Record<string, unknown>)[key] = configMeta[key];
  const conflicted = new Set(conflicts.map((c) => c.path));
  (result.metadata as Record<string, unknown>).managedFields = rewrite(entries, (_e, p) => !conflicted.has(p), {
    manager: ctx.manager,
    operation: 'Apply',
    apiVersion: ctx.apiVersion,
    time: ctx.time,
    ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
    paths: new Set(applied.keys()),
  });
  return result;
}

/** The 409 kube-apiserver answers for apply conflicts, worded as it words them. */
function applyConflict(conflicts: { manager: string; apiVersion: string; path: string }[], target: { name: string; group: string; kind: string }): KubeApiError {
  const byManager = new Map<string, { apiVersion: string; paths: string[] }>();
  for (const c of conflicts) {
    const m = byManager.get(c.manager) ?? { apiVersion: c.apiVersion, paths: [] };
    m.paths.push(dotted(c.path));
    byManager.set(c.manager, m);
  }
  const parts = [...byManager].map(([manager, m]) =>
    m.paths.length === 1 ? `conflict with "${manager}" using ${m.apiVersion}: ${m.paths[0]}` : `conflicts with "${manager}" using ${m.apiVersion}:\n${m.paths.map((p) => `- ${p}`).join('\n')}`,
  );
  const count = conflicts.length;
  const message = `Apply failed with ${count} conflict${count === 1 ? '' : 's'}: ${parts.join('\n')}`;
  return new KubeApiError(409, 'Conflict', message, {
    name: target.name,
    ...(target.group !== '' ? { group: target.group } : {}),
    kind: target.kind,
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: dotted(c.path) })),
  });
}
