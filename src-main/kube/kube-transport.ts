// The real list/watch transport and discovery over @kubernetes/client-node: one
// KubeConfig per context, list-request.ts for paged lists, the Watch class for streams.
// Credential plugins run inside client-node before each request; for exec users we run
// that step ourselves first so a plugin failure is reported as such, not as a vague
// network error, and so one that hangs is reported instead of leaving the cluster
// "connecting" forever (client-node runs plugins without any timeout).

import type { ChildProcess } from 'node:child_process';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, toExecPluginError } from './errors';
import { getJson, trimObject } from './list-request';
import { compactWorkload } from '../pipelines/workload-fields';
import type { ListPage, ListWatchTransport, WatchEvent, WatchHandle } from './list-watch';

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

/** The kinds the board watches, by kind. Versions come from discovery. */
export const BOARD_RESOURCES = {
  Pipeline: { group: 'pipelines.weave.works', plural: 'pipelines', kind: 'Pipeline' },
  GitopsCluster: { group: 'gitops.weave.works', plural: 'gitopsclusters', kind: 'GitopsCluster' },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', plural: 'helmreleases', kind: 'HelmRelease' },
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', plural: 'kustomizations', kind: 'Kustomization' },
} as const;

export type BoardKind = keyof typeof BOARD_RESOURCES;

/** Kinds whose objects the board reads only through readWorkload. */
const WORKLOAD_RESOURCE_KINDS: ReadonlySet<string> = new Set([BOARD_RESOURCES.HelmRelease.kind, BOARD_RESOURCES.Kustomization.kind]);

/**
 * How long an exec credential plugin may take. Interactive plugins (kubelogin opening a
 * browser, an SSO prompt in a terminal) legitimately take a while, so `slowMs` only reports
 * the wait; the attempt fails after `timeoutMs`.
 */
export interface CredentialPluginTimeouts {
  /** After this long without an answer, requests fail with an 'exec-plugin-pending' error while the plugin keeps running (default 10 s). */
  slowMs?: number;
  /** After this long the plugin is given up on (and killed): 'exec-plugin-failed' (default 120 s). */
  timeoutMs?: number;
}

export const DEFAULT_CREDENTIAL_PLUGIN_SLOW_MS = 10_000;
export const DEFAULT_CREDENTIAL_PLUGIN_TIMEOUT_MS = 120_000;

type PluginResult = { ok: true } | { ok: false; error: unknown };

/** One run of a context's plugin, shared by every request waiting for credentials. */
interface PluginRun {
  startedAt: number;
  result: Promise<PluginResult>;
}

const pluginRuns = new WeakMap<KubeConfig, PluginRun>();
const pluginChildren = new WeakMap<KubeConfig, Set<ChildProcess>>();

/**
 * client-node's ExecAuth spawns the plugin through its own `execFn` and keeps no handle we
 * could kill. Wrapping that function (per KubeConfig) lets a timed-out plugin be stopped
 * instead of piling up one more process per retry. Best effort: if client-node's internals
 * change shape, plugins are still timed out, just not killed.
 */
function trackPluginChildren(kc: KubeConfig): Set<ChildProcess> {
  const known = pluginChildren.get(kc);
  if (known) return known;
  const children = new Set<ChildProcess>();
  pluginChildren.set(kc, children);
  const authenticators = (kc as unknown as { authenticators?: unknown }).authenticators;
  for (const auth of Array.isArray(authenticators) ? authenticators : []) {
    if (!isRecord(auth) || typeof auth.execFn !== 'function' || typeof auth.getCredential !== 'function') continue;
    const spawn = auth.execFn as (...args: unknown[]) => ChildProcess;
    auth.execFn = (...args: unknown[]) => {
      const child = spawn(...args);
      children.add(child);
      child.once('close', () => children.delete(child));
      return child;
    };
  }
  return children;
}

function startPluginRun(kc: KubeConfig): PluginRun {
  trackPluginChildren(kc);
  const run: PluginRun = {
    startedAt: Date.now(),
    // Never rejects, so a run nobody waits for any more cannot become an unhandled rejection.
    result: kc.applyToHTTPSOptions({}).then(
      (): PluginResult => ({ ok: true }),
      (error: unknown): PluginResult => ({ ok: false, error }),
    ),
  };
  void run.result.then(() => {
    if (pluginRuns.get(kc) === run) pluginRuns.delete(kc);
  });
  return run;
}

function within(result: Promise<PluginResult>, ms: number): Promise<PluginResult | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, ms));
  });
  return Promise.race([result, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs the exec credential plugin (if any) so its failure gets a precise error. Concurrent
 * callers share one plugin run. A caller arriving before `slowMs` into the run fails with
 * 'exec-plugin-pending' once `slowMs` has passed (so the cluster shows why it waits); one
 * arriving later (a retry) waits for the answer up to `timeoutMs` into the run.
 */
export async function authenticate(kc: KubeConfig, timeouts: CredentialPluginTimeouts = {}): Promise<void> {
  const user = kc.getCurrentUser();
  const command = (user?.exec as { command?: unknown } | undefined)?.command;
  if (typeof command !== 'string') return;
  const slowMs = timeouts.slowMs ?? DEFAULT_CREDENTIAL_PLUGIN_SLOW_MS;
  const timeoutMs = Math.max(slowMs, timeouts.timeoutMs ?? DEFAULT_CREDENTIAL_PLUGIN_TIMEOUT_MS);
  let run = pluginRuns.get(kc);
  if (!run) {
    run = startPluginRun(kc);
    pluginRuns.set(kc, run);
  }
  const elapsed = Date.now() - run.startedAt;
  const limit = elapsed < slowMs ? slowMs : timeoutMs;
  const result = await within(run.result, limit - elapsed);
  if (result === 'timeout') {
    if (limit === slowMs) {
      throw new KubeRequestError(
        'exec-plugin-pending',
        `Waiting for the credential plugin "${command}" for ${Math.round(slowMs / 1000)} s — it may be waiting for you to sign in in a browser or terminal`,
      );
    }
    if (pluginRuns.get(kc) === run) pluginRuns.delete(kc);
    for (const child of pluginChildren.get(kc) ?? []) child.kill();
    throw new KubeRequestError('exec-plugin-failed', `Credential plugin "${command}" did not answer within ${Math.round(timeoutMs / 1000)} s`);
  }
  if (!result.ok) throw toExecPluginError(result.error, command);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What the board keeps of a listed or watched object of this kind. */
function keeperFor(resource: ResourceType): (object: unknown) => unknown {
  // Workloads are cut down to what the board reads as they arrive; other kinds lose only bookkeeping.
  return WORKLOAD_RESOURCE_KINDS.has(resource.kind)
    ? compactWorkload
    : (object: unknown): unknown => {
        trimObject(object);
        return object;
      };
}

/** A parsed list body as the board keeps it: items stamped with their kind and cut down, and where the list goes on. */
export function listPageFromBody(body: unknown, resource: ResourceType, keepWhatTheBoardReads = keeperFor(resource)): ListPage {
  const list = isRecord(body) ? body : {};
  const metadata = isRecord(list.metadata) ? list.metadata : {};
  const items = Array.isArray(list.items) ? list.items : [];
  // List items carry no apiVersion/kind; stamp them so readers can dispatch on version.
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  for (let i = 0; i < items.length; i += 1) {
    const item: unknown = items[i];
    if (isRecord(item)) {
      item.apiVersion ??= apiVersion;
      item.kind ??= resource.kind;
    }
    items[i] = keepWhatTheBoardReads(item);
  }
  const page: ListPage = { items, resourceVersion: typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '' };
  if (typeof metadata.continue === 'string' && metadata.continue.length > 0) page.continueToken = metadata.continue;
  return page;
}

export function createKubeTransport(kc: KubeConfig, resource: ResourceType, opts: { credentialPlugin?: CredentialPluginTimeouts } = {}): ListWatchTransport {
  const watcher = new Watch(kc);
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const pathFor = (namespace?: string) => (namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}` : `${base}/${resource.plural}`);
  const keepWhatTheBoardReads = keeperFor(resource);
  return {
    async list({ namespace, limit, continueToken }): Promise<ListPage> {
      await authenticate(kc, opts.credentialPlugin);
      return listPageFromBody(await getJson(kc, pathFor(namespace), { limit, continue: continueToken }), resource, keepWhatTheBoardReads);
    },
    async watch({ namespace, resourceVersion, timeoutSeconds }, onEvent, onDone): Promise<WatchHandle> {
      await authenticate(kc, opts.credentialPlugin);
      const controller = await watcher.watch(
        pathFor(namespace),
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: unknown) => {
          // ERROR carries a Status and BOOKMARK only a resourceVersion: passed on as they are.
          const changed = type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED';
          onEvent({ type, object: changed ? keepWhatTheBoardReads(object) : object } satisfies WatchEvent);
        },
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}

/**
 * Served versions per API group, preferred first (`/apis`). Read with list-request's GET, not
 * client-node's generated ApisApi: the answer then arrives on the connection the first list
 * reuses (one TLS handshake per cluster instead of two), and without undici's start-up cost
 * on the path from "cluster known" to "its lists requested".
 */
export async function discoverServedGroups(kc: KubeConfig, opts: { credentialPlugin?: CredentialPluginTimeouts } = {}): Promise<Map<string, string[]>> {
  await authenticate(kc, opts.credentialPlugin);
  return servedGroupsFromBody(await getJson(kc, '/apis', {}));
}

/** An APIGroupList (`/apis`) as served versions per group, preferred first. */
export function servedGroupsFromBody(body: unknown): Map<string, string[]> {
  const groups = isRecord(body) && Array.isArray(body.groups) ? body.groups : [];
  const out = new Map<string, string[]>();
  for (const g of groups) {
    if (!isRecord(g) || typeof g.name !== 'string') continue;
    const versions = (Array.isArray(g.versions) ? g.versions : []).flatMap((v) => (isRecord(v) && typeof v.version === 'string' ? [v.version] : []));
    const preferred = isRecord(g.preferredVersion) && typeof g.preferredVersion.version === 'string' ? g.preferredVersion.version : undefined;
    out.set(g.name, preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions);
  }
  return out;
}

/**
 * Which version to read for an apiVersion the user wrote: the asked version if served,
 * else the group's preferred one ("version not served" is then reported to the user).
 */
export function resolveServedVersion(
  apiVersion: string,
  served: ReadonlyMap<string, readonly string[]>,
): { group: string; asked: string; served?: string; status: 'served' | 'fallback' | 'group-missing' } {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const asked = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const versions = served.get(group);
  if (!versions || versions.length === 0) return { group, asked, status: 'group-missing' };
  if (versions.includes(asked)) return { group, asked, served: asked, status: 'served' };
  return { group, asked, served: versions[0]!, status: 'fallback' };
}
