// One simulated Kubernetes cluster: an HTTPS API server over node:https that kubectl and
// @kubernetes/client-node talk to unchanged. Routing, authentication, RBAC, content
// negotiation (JSON and server-side Table), verbs, watches and fault injection live here; the
// objects live in KubeStore.

import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parse as parseYaml } from 'yaml';
import type { KubeObject, KubeUser } from '../seeds/types.js';
import type { Now } from '../clock.js';
import { generateServerCertificates } from './certs.js';
import { applyJsonPatch, applyMergePatch } from './patch.js';
import { EMPTY_OPENAPI_V2_PROTOBUF, OpenApiDocuments, OPENAPI_V2_PROTOBUF_TYPE } from './openapi.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf.js';
import { effectiveUser, forbidden, isAllowed, type AccessRequest } from './rbac.js';
import { apiVersionOf, type ExtraServedVersion, loadCrdDir, ResourceRegistry, type ResourceType, withExtraServedVersions } from './resources.js';
import { checkFieldSelectorSupported, type FieldSelector, type LabelSelector, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { badRequest, expired, faultStatus, invalid, KubeApiError, qualifiedResource, methodNotAllowed, notFound, resourceNotFound, statusBody, unauthorized, unsupportedMediaType } from './status.js';
import { jsonAtVersion, KubeStore, type StoredEntry } from './store.js';
import { listOptionsError } from './list-options.js';
import { entryBytes, sendListBody } from './list-body.js';
import { managedFieldsAfterUpdate, serverSideApply, type WriteContext } from './field-managers.js';
import { createRequestLog, type KubeRequestLog } from './request-log.js';
import { answerReview } from './reviews.js';
import { discoveryDocument, resolveResourcePath, type ResourcePath, versionInfo } from './routing.js';
import { toTable } from './table.js';
import { WatchHub, type WatchRequest } from './watch.js';
import { pruneUnknownFields, validateAgainstSchema, validateName } from './validation.js';

export interface KubeApiServerOptions {
  /** cluster name (also used in certificates and logs) */
  name: string;
  /** directory of CRD YAML files to serve */
  crdDir: string;
  users: KubeUser[];
  /** 0 (default) = an ephemeral port */
  port?: number;
  /** watch history kept for resumption (default 10,000 events) */
  historySize?: number;
  /** interval of BOOKMARK events for watches that allow them (default 1,000 ms) */
  bookmarkIntervalMs?: number;
  /** the cluster's clock for object timestamps (default: the system clock) */
  now?: Now;
  /** older, deprecated versions to serve beside the CRDs' own (e.g. FLUX_DEPRECATED_VERSIONS) */
  extraServedVersions?: readonly ExtraServedVersion[];
}

export interface FailNextFilter {
  method?: string;
  pathIncludes?: string;
}

export interface KubeFaults {
  /** adds this delay before every request is handled (0 = none) */
  setLatency(ms: number): void;
  /** answers the next `count` matching requests with a Status body of this code */
  failNext(count: number, status: number, filter?: FailNextFilter): void;
  /** every resourceVersion handed out so far becomes too old: resuming watches get 410 */
  expireWatchHistory(): void;
  /** true: watch connections stay open but send nothing (events are held back until false) */
  stallWatches(stalled: boolean): void;
  /** abruptly closes every open watch connection */
  dropWatches(): void;
  /** clears latency, pending failures and stalls */
  clear(): void;
}

export interface KubeApiServer {
  readonly name: string;
  /** https://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly caPem: string;
  readonly store: KubeStore;
  readonly faults: KubeFaults;
  readonly requestLog: KubeRequestLog;
  /** requests since start or the last requestLog.reset() */
  readonly requestCount: number;
  /** number of watch streams currently open */
  readonly openWatchCount: number;
  /** closes the listener, every connection and every watch; the store is kept */
  stop(): Promise<void>;
  /** listens again on the same port with the same state */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
const CUSTOM_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
const CORE_PATCH_TYPES = [...CUSTOM_PATCH_TYPES, 'application/strategic-merge-patch+json'];

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Which representation the client asked for: the first Accept entry we can produce. */
function negotiate(accept: string | undefined): { table: boolean } {
  for (const range of (accept ?? '').split(',')) {
    const params = range.split(';').map((p) => p.trim());
    const type = params[0]!.toLowerCase();
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (as === 'Table') return { table: true };
    if (as === undefined) return { table: false };
  }
  return { table: false };
}

function parseBody(body: Buffer, contentType: string): unknown {
  if (contentType === PROTOBUF_CONTENT_TYPE) return body.length === 0 ? undefined : decodeProtobufObject(body);
  const raw = body.toString('utf8');
  if (raw.trim() === '') return undefined;
  try {
    if (contentType.includes('yaml')) return parseYaml(raw) as unknown;
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw badRequest(`error decoding request body: ${(err as Error).message}`);
  }
}

/** dryRun=All: validate and answer as usual, but store nothing (kubectl diff, apply --dry-run=server). */
function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` })).toString('base64url');
}

function decodeContinue(token: string): { rv: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    if (typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('bad token');
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
}

/** The stored object (read-only: only serialised) at the requested version, for Table rows. */
function objectAt(entry: StoredEntry, apiVersion: string): KubeObject {
  return entry.obj.apiVersion === apiVersion ? entry.obj : { ...entry.obj, apiVersion };
}

function entryKey(e: StoredEntry): string {
  return `${e.obj.metadata.namespace ?? ''}/${e.obj.metadata.name}`;
}

export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const registry = new ResourceRegistry(withExtraServedVersions(loadCrdDir(options.crdDir), options.extraServedVersions ?? []));
  const store = new KubeStore(registry, { ...(options.historySize !== undefined ? { historySize: options.historySize } : {}), ...(options.now ? { now: options.now } : {}) });
  const crdType = registry.get('apiextensions.k8s.io', 'customresourcedefinitions')!;
  for (const t of registry.types) {
    if (!t.crd) continue;
    const crd = t.crd as KubeObject;
    store.create(
      crdType,
      {
        ...crd,
        status: {
          acceptedNames: (crd.spec as { names?: unknown } | undefined)?.names ?? {},
          conditions: [
            { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
            {
              type: 'Established',
              status: 'True',
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
              lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            },
          ],
          storedVersions: t.versions.slice(0, 1),
        },
      },
      { keepStatus: true },
    );
  }

  // A real watch cache begins at the resourceVersion of its first list: nothing older resumes.
  store.startHistoryNow();

  const openapi = new OpenApiDocuments(registry);
  const certs = generateServerCertificates(options.name);
  const usersByToken = new Map(options.users.map((u) => [u.token, u]));

  let latencyMs = 0;
  const pendingFailures: { remaining: number; status: number; filter: FailNextFilter }[] = [];
  const watches = new WatchHub(store, options.bookmarkIntervalMs ?? 1000);
  const sockets = new Set<Socket>();
  const requestLogger = createRequestLog();
  const requestLog = requestLogger.log;

  // ---- responses ----------------------------------------------------------------------------

  function sendRaw(res: ServerResponse, code: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(code, { ...JSON_HEADERS, ...headers });
    res.end(body);
  }

  function sendJson(res: ServerResponse, code: number, body: unknown): void {
    sendRaw(res, code, JSON.stringify(body));
  }

  function sendError(res: ServerResponse, err: unknown): void {
    if (err instanceof KubeApiError) {
      sendJson(res, err.code, err.toStatus());
      return;
    }
    sendJson(res, 500, statusBody(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`));
  }

  function sendObject(res: ServerResponse, code: number, type: ResourceType, version: string, entry: StoredEntry, table: boolean): void {
    if (table) {
      sendJson(res, code, toTable(type, version, [objectAt(entry, apiVersionOf(type.group, version))], { resourceVersion: store.currentResourceVersion() }, 'Metadata'));
      return;
    }
    sendRaw(res, code, jsonAtVersion(entry, apiVersionOf(type.group, version)));
  }

  /** Adds a Warning header (RFC 7234 code 299, as kube-apiserver sends them); earlier ones are kept. */
  function addWarning(res: ServerResponse, text: string): void {
    const previous = res.getHeader('Warning');
    const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)];
    res.setHeader('Warning', [...list, `299 - ${JSON.stringify(text)}`]);
  }

  function authorize(user: KubeUser, req: AccessRequest): void {
    if (!isAllowed(user, req)) throw forbidden(user, req);
  }

  // ---- verbs ----------------------------------------------------------------------------------

  function selectorsFrom(query: URLSearchParams, type: ResourceType): { labels: LabelSelector; fields: FieldSelector } {
    const fields = parseFieldSelector(query.get('fieldSelector'));
    checkFieldSelectorSupported(fields, type.fieldLabels);
    return { labels: parseLabelSelector(query.get('labelSelector')), fields };
  }

  function matcher(rp: ResourcePath, labels: LabelSelector, fields: FieldSelector): (e: StoredEntry) => boolean {
    return (e) => (rp.namespace === undefined || e.obj.metadata.namespace === rp.namespace) && matchesLabels(labels, e.obj.metadata.labels) && matchesFields(fields, e.obj as Record<string, unknown>);
  }

  /**
   * What a list serves: the current state, or with resourceVersionMatch=Exact the state at that
   * resourceVersion (410 once the history no longer reaches back). A resourceVersion the
   * server has not reached yet is a 504, as when the real watch cache cannot catch up.
   */
  function entriesForList(rp: ResourcePath, query: URLSearchParams): StoredEntry[] {
    const requested = query.get('resourceVersion') ?? '';
    if (requested === '' || requested === '0') return store.entries(rp.type, rp.namespace);
    const rv = Number(requested);
    if (!/^\d+$/.test(requested)) throw badRequest(`invalid resource version "${requested}"`);
    const exact = query.get('resourceVersionMatch') === 'Exact';
    const result = exact ? store.entriesAt(rp.type, rp.namespace, rv) : rv > Number(store.currentResourceVersion()) ? 'too-large' : store.entries(rp.type, rp.namespace);
    if (result === 'expired') throw expired('The resourceVersion for the provided list is too old.');
    if (result === 'too-large') {
      throw new KubeApiError(504, 'Timeout', `Timeout: Too large resource version: ${rv}, current: ${store.currentResourceVersion()}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }],
        retryAfterSeconds: 1,
      });
    }
    return result;
  }

  function list(res: ServerResponse, rp: ResourcePath, query: URLSearchParams, table: boolean): void {
    const { labels, fields } = selectorsFrom(query, rp.type);
    const match = matcher(rp, labels, fields);
    const limit = Number(query.get('limit') ?? '0');
    const continueToken = query.get('continue');
    let startAfter: string | undefined;
    if (continueToken) {
      const token = decodeContinue(continueToken);
      if (token.rv < store.oldestResumableResourceVersion()) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      startAfter = token.start.endsWith('\u0000') ? token.start.slice(0, -1) : token.start;
    }
    const all = entriesForList(rp, query);
    let i = 0;
    if (startAfter !== undefined) {
      // Entries are sorted by "namespace/name"; binary search the first one after the token.
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (entryKey(all[mid]!) <= startAfter) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
    }
    const picked: StoredEntry[] = [];
    for (; i < all.length; i++) {
      const e = all[i]!;
      if (!match(e)) continue;
      if (limit > 0 && picked.length === limit) break;
      picked.push(e);
    }
    const rv = query.get('resourceVersionMatch') === 'Exact' ? query.get('resourceVersion')! : store.currentResourceVersion();
    const meta: Record<string, unknown> = { resourceVersion: rv };
    if (limit > 0 && i < all.length) {
      let remaining = 0;
      for (let j = i; j < all.length; j++) if (match(all[j]!)) remaining++;
      if (remaining > 0) {
        meta.continue = encodeContinue(Number(rv), entryKey(picked[picked.length - 1]!));
        if (labels.length === 0 && fields.length === 0) meta.remainingItemCount = remaining;
      }
    }
    const apiVersion = apiVersionOf(rp.type.group, rp.version);
    if (table) {
      const objects = picked.map((e) => objectAt(e, apiVersion));
      sendJson(res, 200, toTable(rp.type, rp.version, objects, meta, query.get('includeObject') ?? 'Metadata'));
      return;
    }
    const items: Buffer[] = new Array<Buffer>(picked.length);
    for (let k = 0; k < picked.length; k++) items[k] = entryBytes(picked[k]!, apiVersion);
    sendListBody(res, JSON_HEADERS, `{"kind":${JSON.stringify(rp.type.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`, items, ']}').catch(() =>
      res.destroy(),
    );
  }

  function watch(req: IncomingMessage, res: ServerResponse, rp: ResourcePath, query: URLSearchParams, table: boolean): void {
    const { labels, fields } = selectorsFrom(query, rp.type);
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
    const options: WatchRequest = {
      type: rp.type,
      version: rp.version,
      match: matcher(rp, labels, fields),
      resourceVersion: query.get('resourceVersion'),
      bookmarks: query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1',
      sendInitialEvents: query.get('sendInitialEvents') === 'true',
      timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : 0,
      table: table ? { includeObject: query.get('includeObject') ?? 'Metadata' } : undefined,
    };
    if (rp.namespace !== undefined) options.namespace = rp.namespace;
    watches.serve(req, res, options);
  }

  function namespaceMustExist(rp: ResourcePath): void {
    if (!rp.type.namespaced || rp.namespace === undefined) return;
    const nsType = registry.get('', 'namespaces')!;
    if (!store.entry(nsType, undefined, rp.namespace)) throw notFound('', 'namespaces', rp.namespace);
  }

  /** The namespace lifecycle admission: nothing new in a namespace that is being deleted. */
  function namespaceMustNotBeTerminating(rp: ResourcePath, name: string): void {
    if (rp.namespace === undefined || !store.isNamespaceTerminating(rp.namespace)) return;
    throw new KubeApiError(
      403,
      'Forbidden',
      `${qualifiedResource(rp.type.group, rp.type.plural)} "${name}" is forbidden: unable to create new content in namespace ${rp.namespace} because it is being terminated`,
      {
        name,
        ...(rp.type.group !== '' ? { group: rp.type.group } : {}),
        kind: rp.type.plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${rp.namespace} is being terminated`, field: 'metadata.namespace' }],
      },
    );
  }

  function checkBodyIdentity(rp: ResourcePath, body: Record<string, unknown>): void {
    const expected = apiVersionOf(rp.type.group, rp.version);
    if (body.apiVersion !== undefined && body.apiVersion !== expected) {
      throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
    }
    if (body.kind !== undefined && body.kind !== rp.type.kind) {
      throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${rp.type.kind})`);
    }
    const meta = isRecord(body.metadata) ? body.metadata : {};
    if (rp.namespace !== undefined && meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== rp.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  /**
   * Name and schema checks. On updates, errors the stored object already had are tolerated
   * (the real server's validation ratcheting), and status writes only check the status.
   */
  function validate(rp: ResourcePath, body: Record<string, unknown>, name: string, previous?: StoredEntry): void {
    const causes = previous ? [] : validateName(name, rp.type.plural === 'namespaces' ? 'label' : 'subdomain');
    if (rp.type.custom) {
      let schema = rp.type.schemas[rp.version];
      let subject = body;
      let old = previous?.obj as Record<string, unknown> | undefined;
      if (rp.subresource === 'status') {
        const statusSchema = schema?.properties?.status;
        schema = statusSchema ? { type: 'object', properties: { status: statusSchema } } : undefined;
        subject = { status: body.status };
        old = old ? { status: old.status } : undefined;
      }
      let schemaCauses = validateAgainstSchema(subject, schema);
      if (old && schemaCauses.length > 0) {
        const before = new Set(validateAgainstSchema(old, schema).map((c) => `${c.field}\u0000${c.message}`));
        schemaCauses = schemaCauses.filter((c) => !before.has(`${c.field}\u0000${c.message}`));
      }
      causes.push(...schemaCauses);
    }
    if (causes.length > 0) throw invalid(rp.type.group, rp.type.kind, name, causes);
  }

  /**
   * Prunes fields the CRD schema does not declare. fieldValidation=Strict turns them into a 400
   * (kubectl sends Strict by default); Warn (the default) reports them in Warning headers.
   */
  function pruneFields(rp: ResourcePath, res: ServerResponse, query: URLSearchParams, obj: Record<string, unknown>): Record<string, unknown> {
    if (!rp.type.custom) return obj;
    const { pruned, unknown } = pruneUnknownFields(obj, rp.type.schemas[rp.version]);
    if (unknown.length === 0) return obj;
    const mode = query.get('fieldValidation') ?? 'Warn';
    if (mode === 'Strict') {
      throw badRequest(`${rp.type.kind} in version "${rp.version}" cannot be handled as a ${rp.type.kind}: strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    }
    if (mode === 'Warn') for (const u of unknown) addWarning(res, `unknown field "${u}"`);
    return pruned;
  }

  /** The field manager of a write: ?fieldManager=, else the user agent's product name, as the real server defaults it. */
  function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
    const explicit = query.get('fieldManager');
    if (explicit) return explicit;
    return (req.headers['user-agent'] ?? 'unknown').split('/')[0]!.slice(0, 128) || 'unknown';
  }

  function writeContext(rp: ResourcePath, manager: string): WriteContext {
    return {
      manager,
      apiVersion: apiVersionOf(rp.type.group, rp.version),
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      hasStatus: rp.type.hasStatus,
      ...(rp.subresource === 'status' ? { subresource: 'status' as const } : {}),
    };
  }

  /** managedFields after an Update-operation write (PUT, merge/JSON patch) of `next` over `previous`. */
  function updatedManagedFields(rp: ResourcePath, previous: StoredEntry, next: Record<string, unknown>, manager: string): unknown[] {
    const before = JSON.parse(jsonAtVersion(previous, apiVersionOf(rp.type.group, rp.version))) as Record<string, unknown>;
    // The main resource's writes never change status (it has its own subresource): compare without it.
    const after = rp.subresource !== 'status' && rp.type.hasStatus ? { ...next, status: before.status } : next;
    return managedFieldsAfterUpdate(before, after, writeContext(rp, manager));
  }

  /**
   * Server-side apply (PATCH application/apply-patch+yaml): creates the object when absent,
   * records field ownership in managedFields, and answers 409 when the configuration changes a
   * field another manager owns, unless force=true.
   */
  function apply(res: ServerResponse, rp: ResourcePath, raw: Buffer, table: boolean, query: URLSearchParams, manager: string): void {
    if (!query.get('fieldManager')) {
      throw invalid('meta.k8s.io', 'PatchOptions', '', [{ field: 'fieldManager', message: 'Required value: is required for apply patch', reason: 'FieldValueRequired' }]);
    }
    const name = rp.name!;
    const config = parseBody(raw, 'application/apply-patch+yaml');
    if (!isRecord(config)) throw badRequest('error decoding YAML: the applied configuration is not an object');
    checkBodyIdentity(rp, config);
    const configMeta = isRecord(config.metadata) ? config.metadata : {};
    if (configMeta.name !== undefined && configMeta.name !== name) throw badRequest(`the name of the object (${String(configMeta.name)}) does not match the name on the URL (${name})`);
    const pruned = pruneFields(rp, res, query, { ...config, metadata: { ...configMeta, name } });
    const current = store.entry(rp.type, rp.namespace, name);
    const ctx = { ...writeContext(rp, manager), force: query.get('force') === 'true', target: { name, group: rp.type.group, kind: rp.type.plural } };
    if (!current) {
      if (rp.subresource) throw notFound(rp.type.group, rp.type.plural, name);
      const created = serverSideApply(undefined, pruned, ctx);
      const meta = created.metadata as Record<string, unknown>;
      if (rp.namespace !== undefined) meta.namespace = rp.namespace;
      validate(rp, created, name);
      namespaceMustExist(rp);
      namespaceMustNotBeTerminating(rp, name);
      const entry = store.create(rp.type, created, { keepStatus: false, dryRun: isDryRun(query) });
      sendObject(res, 201, rp.type, rp.version, entry, table);
      return;
    }
    const base = JSON.parse(jsonAtVersion(current, apiVersionOf(rp.type.group, rp.version))) as Record<string, unknown>;
    const result = serverSideApply(base, pruned, ctx);
    validate(rp, result, name, current);
    const managedFields = (result.metadata as Record<string, unknown>).managedFields as unknown[];
    const entry = store.update(rp.type, rp.namespace, name, result, {
      keepStatus: false,
      checkResourceVersion: true,
      dryRun: isDryRun(query),
      managedFields,
      ...(rp.subresource === 'status' ? { subresource: 'status' as const } : {}),
    });
    sendObject(res, 200, rp.type, rp.version, entry, table);
  }

  function create(res: ServerResponse, rp: ResourcePath, body: unknown, table: boolean, query: URLSearchParams, manager: string): void {
    if (!isRecord(body)) throw badRequest("Object 'Kind' is missing in 'null'");
    checkBodyIdentity(rp, body);
    const meta = { ...(isRecord(body.metadata) ? body.metadata : {}) };
    if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '') {
      meta.name = `${meta.generateName}${randomBytes(4).toString('hex').slice(0, 5)}`;
    }
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (rp.namespace !== undefined) meta.namespace = rp.namespace;
    const obj = pruneFields(rp, res, query, { ...body, metadata: meta });
    validate(rp, obj, name);
    const managedFields = managedFieldsAfterUpdate(undefined, obj, writeContext(rp, manager));
    if (managedFields.length > 0) (obj.metadata as Record<string, unknown>).managedFields = managedFields;
    namespaceMustExist(rp);
    namespaceMustNotBeTerminating(rp, name);
    const entry = store.create(rp.type, obj, { keepStatus: false, dryRun: isDryRun(query) });
    sendObject(res, 201, rp.type, rp.version, entry, table);
  }

  function update(res: ServerResponse, rp: ResourcePath, body: unknown, table: boolean, query: URLSearchParams, manager: string): void {
    if (!isRecord(body)) throw badRequest("Object 'Kind' is missing in 'null'");
    checkBodyIdentity(rp, body);
    const name = rp.name!;
    const meta = isRecord(body.metadata) ? body.metadata : {};
    const previous = store.entry(rp.type, rp.namespace, name);
    if (!previous) throw notFound(rp.type.group, rp.type.plural, name);
    if (rp.type.custom && (meta.resourceVersion === undefined || meta.resourceVersion === '')) {
      throw invalid(rp.type.group, rp.type.kind, name, [{ field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update', reason: 'FieldValueInvalid' }]);
    }
    const obj = pruneFields(rp, res, query, { ...body, metadata: { ...meta, name, ...(rp.namespace !== undefined ? { namespace: rp.namespace } : {}) } });
    validate(rp, obj, name, previous);
    const managedFields = updatedManagedFields(rp, previous, obj, manager);
    const entry = store.update(rp.type, rp.namespace, name, obj, {
      keepStatus: false,
      checkResourceVersion: true,
      dryRun: isDryRun(query),
      managedFields,
      ...(rp.subresource === 'status' ? { subresource: 'status' as const } : {}),
    });
    sendObject(res, 200, rp.type, rp.version, entry, table);
  }

  function patch(res: ServerResponse, rp: ResourcePath, raw: Buffer, contentType: string, table: boolean, query: URLSearchParams, manager: string): void {
    const name = rp.name!;
    const allowed = rp.type.custom ? CUSTOM_PATCH_TYPES : CORE_PATCH_TYPES;
    if (!allowed.includes(contentType)) throw unsupportedMediaType(allowed);
    if (contentType === 'application/apply-patch+yaml') {
      apply(res, rp, raw, table, query, manager);
      return;
    }
    if (query.has('force')) throw invalid('meta.k8s.io', 'PatchOptions', '', [{ field: 'force', message: 'Forbidden: may not be specified for non-apply patch', reason: 'FieldValueForbidden' }]);
    const current = store.entry(rp.type, rp.namespace, name);
    if (!current) throw notFound(rp.type.group, rp.type.plural, name);
    const patchBody = parseBody(raw, 'application/json');
    const base = JSON.parse(jsonAtVersion(current, apiVersionOf(rp.type.group, rp.version))) as unknown;
    let result: unknown;
    if (contentType === 'application/json-patch+json') result = applyJsonPatch(base, patchBody);
    else {
      if (!isRecord(patchBody)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      result = applyMergePatch(base, patchBody);
    }
    if (!isRecord(result)) throw badRequest('the patch produced an object that is not a JSON object');
    const patched = pruneFields(rp, res, query, result);
    checkBodyIdentity(rp, patched);
    validate(rp, patched, name, current);
    const managedFields = updatedManagedFields(rp, current, patched, manager);
    const entry = store.update(rp.type, rp.namespace, name, patched, {
      keepStatus: false,
      checkResourceVersion: true,
      dryRun: isDryRun(query),
      managedFields,
      ...(rp.subresource === 'status' ? { subresource: 'status' as const } : {}),
    });
    sendObject(res, 200, rp.type, rp.version, entry, table);
  }

  function remove(res: ServerResponse, rp: ResourcePath, body: unknown, query: URLSearchParams): void {
    const options = isRecord(body) ? body : {};
    const preconditions = isRecord(options.preconditions) ? (options.preconditions as { resourceVersion?: string; uid?: string }) : undefined;
    const dryRun = isDryRun(query) || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
    const entry = store.delete(rp.type, rp.namespace, rp.name!, preconditions, dryRun);
    sendRaw(res, 200, jsonAtVersion(entry, apiVersionOf(rp.type.group, rp.version)));
  }

  function deleteCollection(res: ServerResponse, rp: ResourcePath, query: URLSearchParams): void {
    const { labels, fields } = selectorsFrom(query, rp.type);
    const match = matcher(rp, labels, fields);
    const apiVersion = apiVersionOf(rp.type.group, rp.version);
    const deleted = [...store.entries(rp.type, rp.namespace)].filter(match).map((e) => store.delete(rp.type, e.obj.metadata.namespace, e.obj.metadata.name));
    sendRaw(
      res,
      200,
      `{"kind":${JSON.stringify(rp.type.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":{"resourceVersion":"${store.currentResourceVersion()}"},"items":[${deleted.map((e) => jsonAtVersion(e, apiVersion)).join(',')}]}`,
    );
  }

  // ---- the request handler -----------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const segments = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const query = url.searchParams;
    const isWatch = method === 'GET' && (query.get('watch') === 'true' || query.get('watch') === '1');
    const rp = resolveResourcePath(registry, segments);
    const logEntry = requestLogger.record(req, res, `${isWatch ? 'WATCH' : method} ${rp ? rp.template : url.pathname}`);

    if (latencyMs > 0) await delay(latencyMs);
    const failure = pendingFailures.find((f) => (!f.filter.method || f.filter.method.toUpperCase() === method) && (!f.filter.pathIncludes || (req.url ?? '').includes(f.filter.pathIncludes)));
    if (failure) {
      failure.remaining--;
      if (failure.remaining <= 0) pendingFailures.splice(pendingFailures.indexOf(failure), 1);
      const status = faultStatus(failure.status);
      sendRaw(res, failure.status, JSON.stringify(status), failure.status === 429 || failure.status === 503 ? { 'Retry-After': '1' } : {});
      return;
    }

    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && (path === '/version' || path === '/healthz' || path === '/livez' || path === '/readyz')) {
      if (path === '/version') sendJson(res, 200, versionInfo());
      else sendRaw(res, 200, 'ok', { 'Content-Type': 'text/plain; charset=utf-8' });
      return;
    }

    const auth = req.headers.authorization ?? '';
    const authenticated = auth.startsWith('Bearer ') ? usersByToken.get(auth.slice(7).trim()) : undefined;
    if (!authenticated) throw unauthorized();
    const user = effectiveUser(authenticated, req.headers, options.users);
    logEntry.user = user === authenticated ? user.name : `${authenticated.name} as ${user.name}`;

    if (!rp) {
      if (method !== 'GET') throw resourceNotFound();
      if (path === '/openapi/v2') {
        res.writeHead(200, { 'Content-Type': OPENAPI_V2_PROTOBUF_TYPE });
        res.end(EMPTY_OPENAPI_V2_PROTOBUF);
        return;
      }
      if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) {
        const doc = openapi.v3(path);
        if (doc === undefined) throw resourceNotFound();
        sendRaw(res, 200, doc);
        return;
      }
      const doc = discoveryDocument(registry, segments, port);
      if (doc === undefined) throw resourceNotFound();
      sendJson(res, 200, doc);
      return;
    }

    if (rp.type.review) {
      // Every authenticated user may ask what they can do or who they are (system:basic-user).
      if (method !== 'POST' || rp.name !== undefined) throw methodNotAllowed();
      const body = parseBody(await readBody(req), mediaType(req.headers['content-type']));
      sendJson(res, 201, answerReview(rp.type, user, body));
      return;
    }

    const deprecation = rp.type.deprecations?.[rp.version];
    if (deprecation !== undefined) addWarning(res, deprecation);
    const { table } = negotiate(req.headers.accept);
    const resource = rp.subresource ? `${rp.type.plural}/${rp.subresource}` : rp.type.plural;
    const access = (verb: string, withName: boolean): void => {
      const request: AccessRequest = { verb, group: rp.type.group, resource };
      if (rp.namespace !== undefined) request.namespace = rp.namespace;
      if (withName && rp.name !== undefined) request.name = rp.name;
      authorize(user, request);
    };
    const contentType = mediaType(req.headers['content-type']);

    if (rp.name === undefined) {
      if (method === 'GET') {
        access(isWatch ? 'watch' : 'list', false);
        const optionsError = listOptionsError(query, isWatch);
        if (optionsError) throw optionsError;
        if (isWatch) watch(req, res, rp, query, table);
        else list(res, rp, query, table);
        return;
      }
      if (rp.type.readOnly) throw methodNotAllowed();
      if (method === 'POST') {
        const body = parseBody(await readBody(req), contentType);
        // Create is authorized against the namespace; the name is not part of the check.
        access('create', false);
        create(res, rp, body, table, query, fieldManagerOf(req, query));
        return;
      }
      if (method === 'DELETE') {
        access('deletecollection', false);
        deleteCollection(res, rp, query);
        return;
      }
      throw methodNotAllowed();
    }

    if (method === 'GET') {
      access('get', true);
      const entry = store.entry(rp.type, rp.namespace, rp.name);
      if (!entry) throw notFound(rp.type.group, rp.type.plural, rp.name);
      sendObject(res, 200, rp.type, rp.version, entry, table);
      return;
    }
    if (rp.type.readOnly) throw methodNotAllowed();
    if (method === 'PUT') {
      const body = parseBody(await readBody(req), contentType);
      access('update', true);
      update(res, rp, body, table, query, fieldManagerOf(req, query));
      return;
    }
    if (method === 'PATCH') {
      const raw = await readBody(req);
      access('patch', true);
      patch(res, rp, raw, contentType, table, query, fieldManagerOf(req, query));
      return;
    }
    if (method === 'DELETE') {
      if (rp.subresource) throw methodNotAllowed();
      const body = parseBody(await readBody(req), contentType);
      access('delete', true);
      remove(res, rp, body, query);
      return;
    }
    throw methodNotAllowed();
  }

  function listener(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  let server: Server | undefined;
  let port = options.port ?? 0;

  async function listen(): Promise<void> {
    const s = createServer({ key: certs.keyPem, cert: certs.certPem, ALPNProtocols: ['http/1.1'] }, listener);
    s.keepAliveTimeout = 30_000;
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    s.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    const address = s.address();
    if (address && typeof address === 'object') port = address.port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    watches.closeAll();
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    s.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  }

  await listen();

  const faults: KubeFaults = {
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    failNext(count, status, filter = {}) {
      if (count > 0) pendingFailures.push({ remaining: count, status, filter });
    },
    expireWatchHistory() {
      store.expireHistory();
    },
    stallWatches(stalled) {
      watches.setStalled(stalled);
    },
    dropWatches() {
      watches.dropAll();
    },
    clear() {
      latencyMs = 0;
      pendingFailures.length = 0;
      faults.stallWatches(false);
    },
  };

  return {
    name: options.name,
    get url() {
      return `https://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    caPem: certs.caPem,
    store,
    faults,
    requestLog,
    get requestCount() {
      return requestLog.count();
    },
    get openWatchCount() {
      return watches.size;
    },
    stop,
    async restart() {
      await stop();
      await listen();
    },
    close: stop,
  };
}
