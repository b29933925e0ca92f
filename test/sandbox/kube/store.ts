// The object store of one sandbox cluster: objects indexed by (group, plural) → namespace → name,
// one global resourceVersion counter, a bounded event history for watch resumption, and
// listeners for live watches. The HTTP server and in-process callers (seeds, the Flux
// simulator, tests) share it, so every mutation emits the same watch events whoever makes it.
//
// Stored objects are never mutated in place and each keeps its JSON serialisation, so a list of
// thousands of objects is a string join rather than a deep serialisation.

import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../seeds/types.js';
import { isoSeconds, systemNow, type Now } from '../clock.js';
import { applyMergePatch } from './patch.js';
import { apiVersionOf, type ResourceRegistry, type ResourceType, typeKey } from './resources.js';
import { alreadyExists, conflict, invalid, KubeApiError, notFound } from './status.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One stored version of an object with its serialisation (apiVersion is always the first key). */
export interface StoredEntry {
  readonly obj: KubeObject;
  readonly json: string;
  readonly rv: number;
}

export interface StoreEvent {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly key: string;
  readonly namespace: string;
  readonly entry: StoredEntry;
  /** the previous version (MODIFIED), so selector watches can turn a change into ADDED/DELETED */
  readonly prev?: StoredEntry;
}

/** Names an object: apiVersion may also be a bare group, kind may also be the plural. */
export interface KubeRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface StoreOptions {
  /** how many events are kept for watch resumption (default 10,000) */
  historySize?: number;
  /** the cluster's clock for creationTimestamp (default: the system clock) */
  now?: Now;
}

type Listener = (event: StoreEvent) => void;

function nowTimestamp(now: Now): string {
  return isoSeconds(now());
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function finalizersOf(obj: KubeObject): string[] {
  const f = obj.metadata.finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
}

function isTerminating(obj: KubeObject): boolean {
  return typeof obj.metadata.deletionTimestamp === 'string';
}

function isNamespace(type: ResourceType): boolean {
  return type.group === '' && type.plural === 'namespaces';
}

/** JSON with object keys sorted, so equal content compares equal whatever order a client sent. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Everything but metadata and status: a change here bumps metadata.generation on custom resources. */
function specPart(obj: Record<string, unknown>, hasStatus: boolean): string {
  const { metadata: _m, apiVersion: _a, kind: _k, status, ...rest } = obj;
  return canonicalJson(hasStatus ? rest : { ...rest, status });
}

export class KubeStore {
  private rv = 1;
  private oldestValidRv = 1;
  private history: StoreEvent[] = [];
  private historyStart = 0;
  private readonly buckets = new Map<string, Map<string, Map<string, StoredEntry>>>();
  private readonly sortedCache = new Map<string, StoredEntry[]>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private historySize: number;
  private readonly now: Now;
  private readonly terminatingNamespaces = new Set<string>();

  constructor(
    readonly registry: ResourceRegistry,
    options: StoreOptions = {},
  ) {
    this.historySize = options.historySize ?? 10_000;
    this.now = options.now ?? systemNow;
  }

  // ---- resource versions and history -------------------------------------------------------

  /** The newest resourceVersion, as the string a list's metadata carries. */
  currentResourceVersion(): string {
    return String(this.rv);
  }

  /** The oldest resourceVersion a watch may still resume from. */
  oldestResumableResourceVersion(): number {
    return this.oldestValidRv;
  }

  setHistorySize(size: number): void {
    this.historySize = Math.max(1, size);
    this.trimHistory();
  }

  /** Forgets every past event: all resourceVersions handed out so far become too old to resume from. */
  expireHistory(): void {
    this.rv++;
    this.history = [];
    this.historyStart = 0;
    this.oldestValidRv = this.rv;
  }

  /** Events newer than `sinceRv` for one resource type, or 'expired' when the history no longer reaches back. */
  eventsSince(sinceRv: number, key: string): StoreEvent[] | 'expired' {
    if (sinceRv < this.oldestValidRv) return 'expired';
    const out: StoreEvent[] = [];
    // Events are in rv order: binary search the first one newer than sinceRv.
    let lo = this.historyStart;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.history[mid]!.rv <= sinceRv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.history.length; i++) {
      const ev = this.history[i]!;
      if (ev.key === key) out.push(ev);
    }
    return out;
  }

  /**
   * The watch history starts here, as a real watch cache starts at the resourceVersion of its
   * initial list: older resourceVersions (resourceVersion=1 included) are answered 410 Gone.
   */
  startHistoryNow(): void {
    this.history = [];
    this.historyStart = 0;
    this.oldestValidRv = this.rv;
  }

  /**
   * The objects of one type as they were at resourceVersion `rv` (a list with
   * resourceVersionMatch=Exact), rebuilt by undoing the newer events of the kept history.
   */
  entriesAt(type: ResourceType, namespace: string | undefined, rv: number): StoredEntry[] | 'expired' | 'too-large' {
    if (rv > this.rv) return 'too-large';
    if (rv < this.oldestValidRv) return 'expired';
    const key = typeKey(type.group, type.plural);
    const nameKey = (e: StoredEntry): string => `${e.obj.metadata.namespace ?? ''}/${e.obj.metadata.name}`;
    const state = new Map(this.entries(type, namespace).map((e) => [nameKey(e), e]));
    for (let i = this.history.length - 1; i >= this.historyStart && this.history[i]!.rv > rv; i--) {
      const ev = this.history[i]!;
      if (ev.key !== key || (namespace !== undefined && type.namespaced && ev.namespace !== namespace)) continue;
      if (ev.type === 'ADDED') state.delete(nameKey(ev.entry));
      else state.set(nameKey(ev.entry), ev.prev!);
    }
    return [...state.keys()].sort().map((k) => state.get(k)!);
  }

  private trimHistory(): void {
    const live = this.history.length - this.historyStart;
    if (live <= this.historySize) return;
    const drop = live - this.historySize;
    const lastDropped = this.history[this.historyStart + drop - 1]!;
    this.oldestValidRv = Math.max(this.oldestValidRv, lastDropped.rv);
    this.historyStart += drop;
    // Compact the backing array now and then rather than shifting on every event.
    if (this.historyStart > 4096 && this.historyStart > this.history.length / 2) {
      this.history = this.history.slice(this.historyStart);
      this.historyStart = 0;
    }
  }

  /** Live events for one resource type; returns the unsubscribe function. */
  subscribe(key: string, listener: Listener): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  // ---- low-level access by resource type (used by the HTTP server) -------------------------

  entry(type: ResourceType, namespace: string | undefined, name: string): StoredEntry | undefined {
    return this.buckets
      .get(typeKey(type.group, type.plural))
      ?.get(type.namespaced ? (namespace ?? '') : '')
      ?.get(name);
  }

  /** Entries of one type (optionally one namespace), sorted by namespace then name. */
  entries(type: ResourceType, namespace?: string): StoredEntry[] {
    const key = typeKey(type.group, type.plural);
    let sorted = this.sortedCache.get(key);
    if (!sorted) {
      sorted = [];
      const bucket = this.buckets.get(key);
      if (bucket) {
        const namespaces = [...bucket.keys()].sort();
        for (const ns of namespaces) {
          const byName = bucket.get(ns)!;
          const names = [...byName.keys()].sort();
          for (const n of names) sorted.push(byName.get(n)!);
        }
      }
      this.sortedCache.set(key, sorted);
    }
    if (namespace === undefined || !type.namespaced) return sorted;
    const byName = this.buckets.get(key)?.get(namespace);
    if (!byName) return [];
    return [...byName.keys()].sort().map((n) => byName.get(n)!);
  }

  count(type: ResourceType): number {
    let n = 0;
    for (const byName of this.buckets.get(typeKey(type.group, type.plural))?.values() ?? []) n += byName.size;
    return n;
  }

  /** Stores a new version and emits its event. `obj` must already carry full metadata except resourceVersion. */
  /** What a write would produce, for dry runs: nothing is stored, no event, no new resourceVersion. */
  private dryRunResult(obj: KubeObject, prev?: StoredEntry): StoredEntry {
    const result = { ...obj, metadata: { ...obj.metadata, resourceVersion: prev?.obj.metadata.resourceVersion ?? '' } } as KubeObject;
    return { obj: result, json: JSON.stringify(result), rv: prev?.rv ?? 0 };
  }

  private commit(type: ResourceType, obj: KubeObject, eventType: WatchEventType, prev?: StoredEntry): StoredEntry {
    this.rv++;
    const rv = this.rv;
    const namespace = type.namespaced ? (obj.metadata.namespace ?? '') : '';
    const key = typeKey(type.group, type.plural);
    let entry: StoredEntry;
    if (eventType === 'DELETED') {
      // The DELETED event carries the last state with the deletion's resourceVersion.
      const deleted = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as KubeObject;
      entry = { obj: deleted, json: JSON.stringify(deleted), rv };
      this.buckets.get(key)?.get(namespace)?.delete(obj.metadata.name);
    } else {
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as KubeObject;
      entry = { obj: stored, json: JSON.stringify(stored), rv };
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new Map();
        this.buckets.set(key, bucket);
      }
      let byName = bucket.get(namespace);
      if (!byName) {
        byName = new Map();
        bucket.set(namespace, byName);
      }
      byName.set(obj.metadata.name, entry);
    }
    this.sortedCache.delete(key);
    const event: StoreEvent = prev ? { rv, type: eventType, key, namespace, entry, prev } : { rv, type: eventType, key, namespace, entry };
    this.history.push(event);
    this.trimHistory();
    for (const listener of [...(this.listeners.get(key) ?? [])]) listener(event);
    return entry;
  }

  /** Puts apiVersion, kind, metadata first (the serialisation relies on apiVersion leading). */
  private normalise(type: ResourceType, body: Record<string, unknown>): KubeObject {
    const { apiVersion: _a, kind: _k, metadata, ...rest } = body;
    return { apiVersion: apiVersionOf(type.group, type.versions[0]!), kind: type.kind, metadata: { ...(metadata as object) }, ...rest } as KubeObject;
  }

  private defaults(type: ResourceType, obj: KubeObject): void {
    if (type.group === '' && type.plural === 'secrets') {
      if (obj.type === undefined) obj.type = 'Opaque';
      if (isRecord(obj.stringData)) {
        const data: Record<string, string> = { ...(isRecord(obj.data) ? (obj.data as Record<string, string>) : {}) };
        for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
        obj.data = data;
        delete obj.stringData;
      }
    }
    if (type.group === '' && type.plural === 'namespaces') {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      if (!isRecord(obj.spec)) obj.spec = { finalizers: ['kubernetes'] };
      obj.status = { phase: isTerminating(obj) ? 'Terminating' : 'Active' };
    }
  }

  /**
   * Creates an object. `keepStatus` = false drops a status stanza the way the real server does
   * for custom resources with a status subresource; in-process seeding keeps it.
   */
  create(type: ResourceType, body: Record<string, unknown>, options: { keepStatus: boolean; dryRun?: boolean }): StoredEntry {
    const obj = this.normalise(type, body);
    const name = obj.metadata.name;
    if (type.namespaced && !obj.metadata.namespace) obj.metadata.namespace = 'default';
    if (!type.namespaced) delete obj.metadata.namespace;
    if (this.entry(type, obj.metadata.namespace, name)) throw alreadyExists(type.group, type.plural, name);
    if (!options.keepStatus && type.hasStatus && type.custom) delete obj.status;
    const meta = obj.metadata as Record<string, unknown>;
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp(this.now);
    if (type.custom || type.plural === 'customresourcedefinitions') meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    this.defaults(type, obj);
    if (options.dryRun) return this.dryRunResult(obj);
    return this.commit(type, obj, 'ADDED');
  }

  /**
   * Replaces an object (PUT semantics). With `subresource: 'status'` only the status changes;
   * otherwise the status is kept when the type has a status subresource and `keepStatus` is false.
   * A stale metadata.resourceVersion in the body is a 409 Conflict. A no-op write emits nothing.
   */
  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: Record<string, unknown>,
    options: { subresource?: 'status'; keepStatus: boolean; checkResourceVersion: boolean; dryRun?: boolean; managedFields?: unknown[] },
  ): StoredEntry {
    const prev = this.entry(type, namespace, name);
    if (!prev) throw notFound(type.group, type.plural, name);
    const bodyMeta = isRecord(body.metadata) ? body.metadata : {};
    if (options.checkResourceVersion && bodyMeta.resourceVersion !== undefined && bodyMeta.resourceVersion !== '' && String(bodyMeta.resourceVersion) !== prev.obj.metadata.resourceVersion) {
      throw conflict(type.group, type.plural, name);
    }
    // The body's uid is a precondition, as on the real server: a recreated object is not the one the client read.
    if (options.checkResourceVersion && typeof bodyMeta.uid === 'string' && bodyMeta.uid !== '' && bodyMeta.uid !== prev.obj.metadata.uid) {
      throw conflict(type.group, type.plural, name, `Precondition failed: UID in precondition: ${bodyMeta.uid}, UID in object meta: ${String(prev.obj.metadata.uid)}`);
    }
    if (bodyMeta.name !== undefined && bodyMeta.name !== name) {
      throw new KubeApiError(400, 'BadRequest', `the name of the object (${String(bodyMeta.name)}) does not match the name on the URL (${name})`);
    }
    const old = prev.obj as Record<string, unknown>;
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...(old as KubeObject) };
      if (body.status === undefined) delete next.status;
      else next.status = body.status;
    } else {
      next = this.normalise(type, body);
      if (type.hasStatus && !options.keepStatus) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      const oldMeta = prev.obj.metadata as Record<string, unknown>;
      const meta = next.metadata as Record<string, unknown>;
      meta.name = name;
      if (type.namespaced) meta.namespace = prev.obj.metadata.namespace;
      else delete meta.namespace;
      meta.uid = oldMeta.uid;
      meta.creationTimestamp = oldMeta.creationTimestamp;
      if (oldMeta.generation !== undefined) {
        const changed = specPart(old, type.hasStatus) !== specPart(next as Record<string, unknown>, type.hasStatus);
        meta.generation = (oldMeta.generation as number) + (changed ? 1 : 0);
      } else {
        delete meta.generation;
      }
      if (oldMeta.deletionTimestamp !== undefined) {
        meta.deletionTimestamp = oldMeta.deletionTimestamp;
        meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
        const before = new Set(finalizersOf(prev.obj));
        const added = finalizersOf(next).filter((f) => !before.has(f));
        if (added.length > 0) {
          throw invalid(type.group, type.kind, name, [
            {
              field: 'metadata.finalizers',
              message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
              reason: 'FieldValueForbidden',
            },
          ]);
        }
      } else {
        delete meta.deletionTimestamp;
        delete meta.deletionGracePeriodSeconds;
      }
      this.defaults(type, next);
    }
    (next.metadata as Record<string, unknown>).resourceVersion = prev.obj.metadata.resourceVersion;
    if (options.managedFields !== undefined) {
      // The server's field-ownership bookkeeping (status writes included); empty = none.
      next.metadata = { ...next.metadata, managedFields: options.managedFields };
      if (options.managedFields.length === 0) delete (next.metadata as Record<string, unknown>).managedFields;
    }
    // A write that changes nothing keeps the resourceVersion and emits no event, as on a real server.
    const nextJson = JSON.stringify(next);
    if (nextJson === prev.json || canonicalJson(next) === canonicalJson(prev.obj)) return prev;
    if (options.dryRun) return this.dryRunResult(next, prev);
    const entry = this.commit(type, next, 'MODIFIED', prev);
    // The write that removes the last finalizer of an object being deleted also deletes it.
    if (isTerminating(entry.obj) && finalizersOf(entry.obj).length === 0 && !isNamespace(type)) this.finishDelete(type, entry);
    return entry;
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, preconditions?: { resourceVersion?: string; uid?: string }, dryRun = false): StoredEntry {
    const prev = this.entry(type, namespace, name);
    if (!prev) throw notFound(type.group, type.plural, name);
    const meta = prev.obj.metadata as Record<string, unknown>;
    if (preconditions?.resourceVersion && preconditions.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `the ResourceVersion in the precondition (${preconditions.resourceVersion}) does not match the ResourceVersion in record (${String(meta.resourceVersion)}). The object might have been modified`,
      );
    }
    if (preconditions?.uid && preconditions.uid !== meta.uid) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `the UID in the precondition (${preconditions.uid}) does not match the UID in record (${String(meta.uid)}). The object might have been deleted and then recreated`,
      );
    }
    // Already being deleted: the real server answers with the object as it is.
    if (isTerminating(prev.obj)) return prev;
    if (isNamespace(type)) {
      if (dryRun) return prev;
      return this.terminateNamespace(type, prev);
    }
    if (finalizersOf(prev.obj).length > 0) {
      // Graceful deletion: mark it (a MODIFIED event) and wait for the finalizers' owners.
      const marked = {
        ...prev.obj,
        metadata: {
          ...prev.obj.metadata,
          deletionTimestamp: nowTimestamp(this.now),
          deletionGracePeriodSeconds: 0,
          ...(typeof meta.generation === 'number' ? { generation: meta.generation + 1 } : {}),
        },
      } as KubeObject;
      if (dryRun) return this.dryRunResult(marked, prev);
      return this.commit(type, marked, 'MODIFIED', prev);
    }
    if (dryRun) return prev;
    return this.finishDelete(type, prev);
  }

  private finishDelete(type: ResourceType, entry: StoredEntry): StoredEntry {
    const deleted = this.commit(type, entry.obj, 'DELETED', entry);
    const namespace = type.namespaced ? entry.obj.metadata.namespace : undefined;
    if (namespace !== undefined && this.terminatingNamespaces.has(namespace)) this.finishNamespaceIfEmpty(namespace);
    return deleted;
  }

  /**
   * A namespace delete, as kube-apiserver and the namespace controller do it: the namespace turns
   * Terminating (MODIFIED), everything in it is deleted (objects with finalizers wait for them),
   * and the namespace goes once it is empty.
   */
  private terminateNamespace(type: ResourceType, prev: StoredEntry): StoredEntry {
    const name = prev.obj.metadata.name;
    const marked = {
      ...prev.obj,
      metadata: { ...prev.obj.metadata, deletionTimestamp: nowTimestamp(this.now) },
      status: { phase: 'Terminating' },
    } as KubeObject;
    const entry = this.commit(type, marked, 'MODIFIED', prev);
    this.terminatingNamespaces.add(name);
    for (const t of this.registry.types) {
      if (!t.namespaced) continue;
      for (const e of [...this.entries(t, name)]) if (!isTerminating(e.obj)) this.delete(t, name, e.obj.metadata.name);
    }
    this.finishNamespaceIfEmpty(name);
    return this.entry(type, undefined, name) ?? entry;
  }

  private finishNamespaceIfEmpty(namespace: string): void {
    for (const t of this.registry.types) if (t.namespaced && this.entries(t, namespace).length > 0) return;
    this.terminatingNamespaces.delete(namespace);
    const nsType = this.registry.get('', 'namespaces')!;
    const entry = this.entry(nsType, undefined, namespace);
    if (entry) this.commit(nsType, entry.obj, 'DELETED', entry);
  }

  /** True while the namespace is being deleted: the real server refuses new objects in it. */
  isNamespaceTerminating(namespace: string): boolean {
    return this.terminatingNamespaces.has(namespace);
  }

  // ---- the in-process API ------------------------------------------------------------------

  private typeFor(apiVersionOrGroup: string, kindOrPlural: string): ResourceType {
    const type = this.registry.resolve(apiVersionOrGroup, kindOrPlural);
    if (!type) throw new Error(`sandbox store: no resource type ${kindOrPlural} in ${apiVersionOrGroup || 'core/v1'}`);
    return type;
  }

  /** Creates or replaces an object as given, status included (an object without status keeps its old one). */
  apply(obj: KubeObject): KubeObject {
    const type = this.typeFor(obj.apiVersion, obj.kind);
    const namespace = type.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    const body: Record<string, unknown> = { ...obj, metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) } };
    const existing = this.entry(type, namespace, obj.metadata.name);
    const oldStatus = (existing?.obj as Record<string, unknown> | undefined)?.status;
    // Replacing without a status keeps the one the object had (seeds change spec, Flux owns status).
    if (body.status === undefined && oldStatus !== undefined) body.status = oldStatus;
    const entry = existing ? this.update(type, namespace, obj.metadata.name, body, { keepStatus: true, checkResourceVersion: false }) : this.create(type, body, { keepStatus: true });
    return JSON.parse(entry.json) as KubeObject;
  }

  /** A copy of one object, or undefined. */
  get(apiVersionOrGroup: string, kindOrPlural: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const entry = this.entry(this.typeFor(apiVersionOrGroup, kindOrPlural), namespace, name);
    return entry ? (JSON.parse(entry.json) as KubeObject) : undefined;
  }

  /** Copies of every object of a kind, optionally in one namespace. */
  list(apiVersionOrGroup: string, kindOrPlural: string, namespace?: string): KubeObject[] {
    return this.entries(this.typeFor(apiVersionOrGroup, kindOrPlural), namespace).map((e) => JSON.parse(e.json) as KubeObject);
  }

  private refParts(ref: KubeRef | KubeObject): { type: ResourceType; namespace: string | undefined; name: string } {
    const isObject = 'metadata' in ref && isRecord(ref.metadata);
    const name = isObject ? (ref as KubeObject).metadata.name : (ref as KubeRef).name;
    const namespace = isObject ? (ref as KubeObject).metadata.namespace : (ref as KubeRef).namespace;
    const type = this.typeFor(ref.apiVersion, ref.kind);
    return { type, namespace: type.namespaced ? (namespace ?? 'default') : undefined, name };
  }

  /** Merge-patches the status (RFC 7386); returns the new object. Throws a 404 KubeApiError when absent. */
  patchStatus(ref: KubeRef | KubeObject, statusPatch: Record<string, unknown>): KubeObject {
    const { type, namespace, name } = this.refParts(ref);
    const prev = this.entry(type, namespace, name);
    if (!prev) throw notFound(type.group, type.plural, name);
    const status = applyMergePatch((prev.obj as Record<string, unknown>).status, statusPatch);
    const entry = this.update(type, namespace, name, { ...prev.obj, status }, { subresource: 'status', keepStatus: true, checkResourceVersion: false });
    return JSON.parse(entry.json) as KubeObject;
  }

  /** Merge-patches the whole object (spec changes bump generation); returns the new object. */
  patch(ref: KubeRef | KubeObject, mergePatch: Record<string, unknown>): KubeObject {
    const { type, namespace, name } = this.refParts(ref);
    const prev = this.entry(type, namespace, name);
    if (!prev) throw notFound(type.group, type.plural, name);
    const next = applyMergePatch(prev.obj, mergePatch) as Record<string, unknown>;
    const entry = this.update(type, namespace, name, next, { keepStatus: true, checkResourceVersion: false });
    return JSON.parse(entry.json) as KubeObject;
  }

  /** Deletes an object as an API delete would (with finalizers: only marked); false when it did not exist. */
  remove(ref: KubeRef | KubeObject): boolean {
    const { type, namespace, name } = this.refParts(ref);
    if (!this.entry(type, namespace, name)) return false;
    this.delete(type, namespace, name);
    return true;
  }
}

/** An entry's JSON at another served version of the same resource, without re-serialising. */
export function jsonAtVersion(entry: StoredEntry, apiVersion: string): string {
  if (entry.obj.apiVersion === apiVersion) return entry.json;
  const prefix = `{"apiVersion":${JSON.stringify(entry.obj.apiVersion)}`;
  if (entry.json.startsWith(prefix)) return `{"apiVersion":${JSON.stringify(apiVersion)}${entry.json.slice(prefix.length)}`;
  return JSON.stringify({ ...entry.obj, apiVersion });
}
