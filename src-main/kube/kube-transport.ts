// The real list/watch transport and discovery over @kubernetes/client-node: one
// KubeConfig per context, CustomObjectsApi for paged lists, the Watch class for streams.
// Credential plugins run inside client-node before each request; for exec users we run
// that step ourselves first so a plugin failure is reported as such, not as a vague
// network error.

import { ApisApi, CustomObjectsApi, Watch, type KubeConfig } from '@kubernetes/client-node';
import { toExecPluginError, toKubeRequestError } from './errors';
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

/** Runs the exec credential plugin (if any) so its failure gets a precise error. */
export async function authenticate(kc: KubeConfig): Promise<void> {
  const user = kc.getCurrentUser();
  const command = (user?.exec as { command?: unknown } | undefined)?.command;
  if (typeof command !== 'string') return;
  try {
    await kc.applyToHTTPSOptions({});
  } catch (e) {
    throw toExecPluginError(e, command);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createKubeTransport(kc: KubeConfig, resource: ResourceType): ListWatchTransport {
  const api = kc.makeApiClient(CustomObjectsApi);
  const watcher = new Watch(kc);
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  return {
    async list({ namespace, limit, continueToken }): Promise<ListPage> {
      await authenticate(kc);
      let body: unknown;
      try {
        const common = { group: resource.group, version: resource.version, plural: resource.plural, limit, ...(continueToken ? { _continue: continueToken } : {}) };
        body = namespace ? await api.listNamespacedCustomObject({ ...common, namespace }) : await api.listClusterCustomObject(common);
      } catch (e) {
        throw toKubeRequestError(e);
      }
      const list = isRecord(body) ? body : {};
      const metadata = isRecord(list.metadata) ? list.metadata : {};
      const items = Array.isArray(list.items) ? list.items : [];
      // List items carry no apiVersion/kind; stamp them so readers can dispatch on version.
      const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
      for (const item of items) {
        if (isRecord(item)) {
          item.apiVersion ??= apiVersion;
          item.kind ??= resource.kind;
        }
      }
      const page: ListPage = { items, resourceVersion: typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '' };
      if (typeof metadata.continue === 'string' && metadata.continue.length > 0) page.continueToken = metadata.continue;
      return page;
    },
    async watch({ namespace, resourceVersion, timeoutSeconds }, onEvent, onDone): Promise<WatchHandle> {
      await authenticate(kc);
      const path = namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}` : `${base}/${resource.plural}`;
      const controller = await watcher.watch(
        path,
        { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        (type: string, object: unknown) => onEvent({ type, object } satisfies WatchEvent),
        onDone,
      );
      return { abort: () => controller.abort() };
    },
  };
}

/** Served versions per API group, preferred first (`/apis`). */
export async function discoverServedGroups(kc: KubeConfig): Promise<Map<string, string[]>> {
  await authenticate(kc);
  let groups;
  try {
    groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  } catch (e) {
    throw toKubeRequestError(e);
  }
  const out = new Map<string, string[]>();
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version;
    const versions = (g.versions ?? []).map((v) => v.version);
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
