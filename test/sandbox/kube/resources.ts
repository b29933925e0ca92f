// The resource types one sandbox cluster serves: a few core/v1 kinds, the CRDs read from a
// directory (only their `served: true` versions), and the CRDs themselves read-only. Discovery
// documents are derived from this registry so kubectl and client-node see a consistent API.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JsonSchema } from './validation.js';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

export interface ResourceType {
  group: string;
  /** served versions, preferred (storage) version first */
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  hasStatus: boolean;
  /** custom resources get generation bookkeeping, schema validation and no strategic merge */
  custom: boolean;
  readOnly: boolean;
  /** create-only review kinds (access reviews, whoami): answered, never stored */
  review?: 'access' | 'rules' | 'self';
  schemas: Record<string, JsonSchema | undefined>;
  printerColumns: Record<string, PrinterColumn[]>;
  /** the Warning text a request to a deprecated version gets, per version */
  deprecations?: Record<string, string>;
  /** field selector labels beyond metadata.name / metadata.namespace */
  fieldLabels: string[];
  /** the CRD object it came from (served at apiextensions.k8s.io) */
  crd?: Record<string, unknown>;
}

export const WRITE_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_VERBS = ['get', 'list', 'watch'];

export function typeKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

function coreType(partial: Pick<ResourceType, 'plural' | 'singular' | 'kind' | 'namespaced' | 'hasStatus'> & Partial<ResourceType>): ResourceType {
  return {
    group: '',
    versions: ['v1'],
    listKind: `${partial.kind}List`,
    shortNames: [],
    categories: [],
    custom: false,
    readOnly: false,
    schemas: {},
    printerColumns: {},
    fieldLabels: [],
    ...partial,
  };
}

/** Built-in kinds served for discovery fidelity (kubectl api-resources, auth can-i): stored plainly, no controllers behind them. */
function plainBuiltins(): ResourceType[] {
  const rbac = (plural: string, kind: string, namespaced: boolean): ResourceType =>
    coreType({ group: 'rbac.authorization.k8s.io', plural, singular: plural.slice(0, -1), kind, namespaced, hasStatus: false });
  return [
    coreType({
      plural: 'pods',
      singular: 'pod',
      kind: 'Pod',
      namespaced: true,
      hasStatus: true,
      shortNames: ['po'],
      categories: ['all'],
      fieldLabels: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
    }),
    coreType({ plural: 'services', singular: 'service', kind: 'Service', namespaced: true, hasStatus: true, shortNames: ['svc'], categories: ['all'] }),
    coreType({ plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, hasStatus: false, shortNames: ['sa'] }),
    rbac('roles', 'Role', true),
    rbac('rolebindings', 'RoleBinding', true),
    rbac('clusterroles', 'ClusterRole', false),
    rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  ];
}

function coreTypes(): ResourceType[] {
  return [
    ...plainBuiltins(),
    coreType({ plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, hasStatus: true, shortNames: ['ns'], fieldLabels: ['status.phase'] }),
    coreType({ plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, hasStatus: false, fieldLabels: ['type'] }),
    coreType({ plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, hasStatus: false, shortNames: ['cm'] }),
    coreType({
      plural: 'events',
      singular: 'event',
      kind: 'Event',
      namespaced: true,
      hasStatus: false,
      shortNames: ['ev'],
      fieldLabels: [
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'reportingComponent',
        'source',
        'type',
      ],
    }),
  ];
}

const CRD_TYPE: ResourceType = {
  group: 'apiextensions.k8s.io',
  versions: ['v1'],
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  hasStatus: true,
  custom: false,
  readOnly: true,
  schemas: {},
  printerColumns: {},
  fieldLabels: [],
};

function reviewType(group: string, kind: string, plural: string, review: 'access' | 'rules' | 'self'): ResourceType {
  return {
    group,
    versions: ['v1'],
    plural,
    singular: '',
    kind,
    listKind: `${kind}List`,
    shortNames: [],
    categories: [],
    namespaced: false,
    hasStatus: false,
    custom: false,
    readOnly: false,
    review,
    schemas: {},
    printerColumns: {},
    fieldLabels: [],
  };
}

const REVIEW_TYPES = [
  reviewType('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', 'access'),
  reviewType('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews', 'rules'),
  reviewType('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews', 'self'),
];

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdDoc {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { plural: string; singular?: string; kind: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    versions: CrdVersion[];
  };
}

export function crdToResourceType(doc: CrdDoc): ResourceType | undefined {
  const spec = doc.spec;
  if (doc.kind !== 'CustomResourceDefinition' || !spec) return undefined;
  const served = spec.versions.filter((v) => v.served === true);
  if (served.length === 0) return undefined;
  // The storage version first (it is what is stored), then the kube-aware version order
  // discovery uses (v2 before v2beta2 before v2beta1 before v1).
  served.sort((a, b) => Number(b.storage === true) - Number(a.storage === true) || compareKubeVersions(a.name, b.name));
  const schemas: Record<string, JsonSchema | undefined> = {};
  const printerColumns: Record<string, PrinterColumn[]> = {};
  const deprecations: Record<string, string> = {};
  for (const v of served) {
    schemas[v.name] = v.schema?.openAPIV3Schema;
    printerColumns[v.name] = v.additionalPrinterColumns ?? [];
    // The real server's default text when the CRD gives none.
    if (v.deprecated === true) deprecations[v.name] = v.deprecationWarning ?? `${spec.group}/${v.name} ${spec.names.kind} is deprecated`;
  }
  return {
    group: spec.group,
    versions: served.map((v) => v.name),
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
    namespaced: spec.scope === 'Namespaced',
    hasStatus: served.some((v) => v.subresources?.status !== undefined),
    custom: true,
    readOnly: false,
    schemas,
    printerColumns,
    ...(Object.keys(deprecations).length > 0 ? { deprecations } : {}),
    fieldLabels: [],
    crd: doc as Record<string, unknown>,
  };
}

/** Kube-aware version priority: GA before beta before alpha, higher numbers first (negative: a first). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(beta|alpha)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0];
    return [m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2, -Number(m[1]), -Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A version a cluster serves beside the CRD's own: an older, deprecated API of the same kind. */
export interface ExtraServedVersion {
  group: string;
  plural: string;
  version: string;
  /** the Warning text; the real server's default when omitted */
  deprecationWarning?: string;
}

/**
 * The older versions real Flux installations still serve next to the current ones (Flux 2.3+
 * CRDs list them as deprecated; conversion between them is by apiVersion only).
 */
export const FLUX_DEPRECATED_VERSIONS: ExtraServedVersion[] = [
  { group: 'helm.toolkit.fluxcd.io', plural: 'helmreleases', version: 'v2beta2', deprecationWarning: 'v2beta2 HelmRelease is deprecated, upgrade to v2' },
  { group: 'kustomize.toolkit.fluxcd.io', plural: 'kustomizations', version: 'v1beta2', deprecationWarning: 'v1beta2 Kustomization is deprecated, upgrade to v1' },
];

/**
 * The CRD types with more served versions, as if their CRDs listed them: each extra version
 * is deprecated and shares the storage version's schema, subresources and printer columns.
 */
export function withExtraServedVersions(types: ResourceType[], extras: readonly ExtraServedVersion[]): ResourceType[] {
  return types.map((t) => {
    const mine = extras.filter((e) => e.group === t.group && e.plural === t.plural && !t.versions.includes(e.version));
    if (mine.length === 0 || !t.crd) return t;
    const doc = t.crd as unknown as CrdDoc;
    const storage = doc.spec!.versions.find((v) => v.storage === true) ?? doc.spec!.versions[0]!;
    const added: CrdVersion[] = mine.map((e) => ({
      ...storage,
      name: e.version,
      served: true,
      storage: false,
      deprecated: true,
      ...(e.deprecationWarning !== undefined ? { deprecationWarning: e.deprecationWarning } : {}),
    }));
    return crdToResourceType({ ...doc, spec: { ...doc.spec!, versions: [...doc.spec!.versions, ...added] } }) ?? t;
  });
}

export function loadCrdDir(crdDir: string): ResourceType[] {
  const types: ResourceType[] = [];
  for (const file of readdirSync(crdDir).sort()) {
    if (!/\.ya?ml$/.test(file)) continue;
    for (const doc of parseAllDocuments(readFileSync(path.join(crdDir, file), 'utf8'))) {
      const type = crdToResourceType(doc.toJS() as CrdDoc);
      if (type) types.push(type);
    }
  }
  return types;
}

export class ResourceRegistry {
  readonly types: ResourceType[];
  private readonly byKey = new Map<string, ResourceType>();

  constructor(crdTypes: ResourceType[]) {
    this.types = [...coreTypes(), CRD_TYPE, ...REVIEW_TYPES, ...crdTypes];
    for (const t of this.types) this.byKey.set(typeKey(t.group, t.plural), t);
  }

  get(group: string, plural: string): ResourceType | undefined {
    return this.byKey.get(typeKey(group, plural));
  }

  /** Looks up a served (group, version, plural). */
  served(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.get(group, plural);
    return t && t.versions.includes(version) ? t : undefined;
  }

  /** Accepts "v1", "group/version" or a bare group, and a kind, plural, singular or short name. */
  resolve(apiVersionOrGroup: string, kindOrPlural: string): ResourceType | undefined {
    const slash = apiVersionOrGroup.indexOf('/');
    let group: string;
    if (slash >= 0) group = apiVersionOrGroup.slice(0, slash);
    else if (apiVersionOrGroup === 'v1' || apiVersionOrGroup === '') group = '';
    else group = apiVersionOrGroup;
    const needle = kindOrPlural.toLowerCase();
    return this.types.find((t) => t.group === group && (t.kind.toLowerCase() === needle || t.plural === needle || t.singular === needle || t.shortNames.includes(needle)));
  }

  groups(): { name: string; versions: string[] }[] {
    const groups = new Map<string, Set<string>>();
    for (const t of this.types) {
      if (t.group === '') continue;
      const set = groups.get(t.group) ?? new Set<string>();
      for (const v of t.versions) set.add(v);
      groups.set(t.group, set);
    }
    return [...groups.entries()].map(([name, versions]) => ({ name, versions: [...versions] }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.versions.includes(version));
  }
}

export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

export function verbsOf(t: ResourceType): string[] {
  if (t.review) return ['create'];
  return t.readOnly ? READ_VERBS : WRITE_VERBS;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const t of registry.inGroupVersion(group, version)) {
    const entry: Record<string, unknown> = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: verbsOf(t) };
    if (t.shortNames.length > 0) entry.shortNames = t.shortNames;
    if (t.categories.length > 0) entry.categories = t.categories;
    resources.push(entry);
    if (t.hasStatus) {
      resources.push({ name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: t.readOnly ? ['get'] : ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
}

export function apiGroup(registry: ResourceRegistry, name: string): Record<string, unknown> | undefined {
  const g = registry.groups().find((x) => x.name === name);
  if (!g) return undefined;
  const versions = g.versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  const groups = registry.groups().map((g) => {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}
