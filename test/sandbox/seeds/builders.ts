// Small, deterministic constructors for the Kubernetes and forge objects every seed needs
// (namespaces, RBAC users, Flux HelmRelease/Kustomization objects with realistic status,
// Pipelines, GitopsClusters, kubeconfig Secrets). Seeds stay readable as "what exists",
// and the Flux-shaped status details live in one place.

import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { isoDaysFrom } from '../clock';
import { FLUX_FINALIZER } from '../flux/simulator';
import type { KubeObject, KubeRbacRule, KubeUser, SeedContext, SeedOAuthApp, SeedForgeUser } from './types';

export const PIPELINE_API = 'pipelines.weave.works/v1alpha1';
export const GITOPS_CLUSTER_API = 'gitops.weave.works/v1alpha1';
export const HELM_RELEASE_API = 'helm.toolkit.fluxcd.io/v2';
export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';
export const FLUX_NAMESPACE = 'flux-system';

/** Hex digest of a label: stable fake SHAs and digests, so seeds are reproducible. */
export function fakeHex(label: string, length = 40): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${label}#${i}`).digest('hex');
  return out.slice(0, length);
}

/** A token-shaped string from a label (alphanumerics only, like GitHub's token bodies). */
export function fakeTokenBody(label: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = createHash('sha512').update(label).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const byte = bytes[i % bytes.length] ?? 0;
    out += alphabet[(byte + i * 7) % alphabet.length];
  }
  return out;
}

export function isoDaysAgo(now: Date, days: number): string {
  return isoDaysFrom(now, -days);
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

// ---------------------------------------------------------------- users and RBAC

/** Read access to everything a viewer of the board needs, and deliberately not Secrets. */
export const VIEWER_RULES: KubeRbacRule[] = [
  { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces', 'configmaps', 'services', 'pods', 'events'] },
  {
    verbs: ['get', 'list', 'watch'],
    apiGroups: ['pipelines.weave.works', 'gitops.weave.works', 'helm.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'apiextensions.k8s.io'],
    resources: ['*'],
  },
];

export const ADMIN_RULES: KubeRbacRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];

export function kubeToken(role: 'admin' | 'viewer', cluster: string): string {
  return `sandbox-${role}-${cluster}-${fakeHex(`kube-token:${role}:${cluster}`, 24)}`;
}

export function standardKubeUsers(cluster: string): KubeUser[] {
  return [
    { name: 'admin', token: kubeToken('admin', cluster), rules: ADMIN_RULES },
    { name: 'viewer', token: kubeToken('viewer', cluster), rules: VIEWER_RULES },
  ];
}

// ---------------------------------------------------------------- forge identities

export const RELEASE_MANAGER = 'rm-alice';
export const PROMOTION_BOT = 'promotion-bot';
export const DEVELOPER = 'dev-bob';

export const STANDARD_FORGE_USERS: SeedForgeUser[] = [
  { login: RELEASE_MANAGER, name: 'Alice Moreau', type: 'User', id: 1001, email: 'alice@acme.example' },
  { login: PROMOTION_BOT, name: 'Promotion Bot', type: 'Bot', id: 1002 },
  { login: DEVELOPER, name: 'Bob Lindqvist', type: 'User', id: 1003, email: 'bob@acme.example' },
];

/** Fixed credentials so a developer can paste them into the app's settings by hand. */
export const STANDARD_OAUTH_APPS: SeedOAuthApp[] = [
  {
    name: 'Release Board (OAuth app)',
    clientId: 'Ov23liRBoardClassic01',
    clientSecret: 'c1a55ic0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a1',
    expiringTokens: false,
    callbackPath: '/callback',
  },
  {
    name: 'Release Board (GitHub App)',
    clientId: 'Iv23liRBoardExpiring1',
    clientSecret: 'e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8e8',
    expiringTokens: true,
    callbackPath: '/callback',
  },
];

export function classicToken(label: string): string {
  return `ghp_${fakeTokenBody(`classic:${label}`, 36)}`;
}

export function fineGrainedToken(label: string): string {
  return `github_pat_${fakeTokenBody(`fg1:${label}`, 22)}_${fakeTokenBody(`fg2:${label}`, 59)}`;
}

export function oauthToken(label: string): string {
  return `gho_${fakeTokenBody(`oauth:${label}`, 36)}`;
}

// ---------------------------------------------------------------- core objects

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

export function secret(ns: string, name: string, data: Record<string, string>, labels?: Record<string, string>): KubeObject {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) encoded[k] = b64(v);
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) }, type: 'Opaque', data: encoded };
}

/** A kubeconfig for one sandbox cluster, as a GitopsCluster's Secret would hold it. */
export function kubeconfigYaml(clusterName: string, server: string, caData: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: `${clusterName}-admin`, user: { token } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: `${clusterName}-admin` } }],
    'current-context': clusterName,
  });
}

function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, at: string, observedGeneration?: number) {
  return { type, status, reason, message, lastTransitionTime: at, ...(observedGeneration !== undefined ? { observedGeneration } : {}) };
}

export function gitopsCluster(name: string, secretName: string, ready: { ok: boolean; message: string }, at: string): KubeObject {
  return {
    apiVersion: GITOPS_CLUSTER_API,
    kind: 'GitopsCluster',
    metadata: { name, namespace: FLUX_NAMESPACE, labels: { 'weave.works/cluster': name }, generation: 1 },
    spec: { secretRef: { name: secretName } },
    status: {
      conditions: [condition('Ready', ready.ok ? 'True' : 'False', ready.ok ? 'SecretFound' : 'WaitingForSecret', ready.message, at, 1)],
    },
  };
}

// ---------------------------------------------------------------- Flux apps

/** One deployed (or failed) Helm release revision, newest first in status.history. */
export interface HelmRevision {
  chartVersion: string;
  appVersion?: string;
  status: 'deployed' | 'superseded' | 'failed';
  deployedDaysAgo: number;
}

export interface HelmReleaseOptions {
  name: string;
  namespace: string;
  chart?: string;
  /** spec.chart.spec.version: what Git asks for */
  version: string;
  /** newest first; defaults to a single deployed revision of `version` */
  history?: HelmRevision[];
  failing?: string; // Ready=False with this message
  suspended?: boolean;
  now: Date;
}

export function helmRelease(o: HelmReleaseOptions): KubeObject {
  const chart = o.chart ?? o.name;
  const history = o.history ?? [{ chartVersion: o.version, status: 'deployed' as const, deployedDaysAgo: 3 }];
  const generation = history.length + 1;
  const oldest = history[history.length - 1];
  const firstDeployed = isoDaysAgo(o.now, (oldest?.deployedDaysAgo ?? 3) + 30);
  const historyEntries = history.map((rev, i) => ({
    name: o.name,
    namespace: o.namespace,
    version: history.length - i + 1,
    status: rev.status,
    chartName: chart,
    chartVersion: rev.chartVersion,
    appVersion: rev.appVersion ?? rev.chartVersion,
    configDigest: `sha256:${fakeHex(`config:${o.namespace}/${o.name}:${rev.chartVersion}`, 64)}`,
    digest: `sha256:${fakeHex(`release:${o.namespace}/${o.name}:${rev.chartVersion}:${i}`, 64)}`,
    firstDeployed,
    lastDeployed: isoDaysAgo(o.now, rev.deployedDaysAgo),
  }));
  const newest = history[0];
  const at = isoDaysAgo(o.now, newest?.deployedDaysAgo ?? 3);
  const releaseName = `${o.namespace}/${o.name}.v${history.length + 1}`;
  const conditions = o.failing
    ? [
        condition('Ready', 'False', 'UpgradeFailed', o.failing, at, generation),
        condition('Released', 'False', 'UpgradeFailed', o.failing, at, generation),
        condition('Stalled', 'True', 'RetriesExceeded', `Failed to upgrade after 3 attempt(s)`, at, generation),
      ]
    : [
        condition('Ready', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${releaseName} with chart ${chart}@${newest?.chartVersion ?? o.version}`, at, generation),
        condition('Released', 'True', 'UpgradeSucceeded', `Helm upgrade succeeded for release ${releaseName} with chart ${chart}@${newest?.chartVersion ?? o.version}`, at, generation),
      ];
  return {
    apiVersion: HELM_RELEASE_API,
    kind: 'HelmRelease',
    // helm-controller adds its finalizer on the first reconcile, so every live HelmRelease has it.
    metadata: { name: o.name, namespace: o.namespace, generation, labels: { 'app.kubernetes.io/name': o.name }, finalizers: [FLUX_FINALIZER] },
    spec: {
      interval: '10m',
      ...(o.suspended ? { suspend: true } : {}),
      chart: {
        spec: {
          chart,
          version: o.version,
          sourceRef: { kind: 'HelmRepository', name: 'acme-charts', namespace: FLUX_NAMESPACE },
          interval: '10m',
        },
      },
      values: { replicaCount: 2 },
    },
    status: {
      observedGeneration: generation,
      lastAttemptedGeneration: generation,
      lastAttemptedRevision: newest?.chartVersion ?? o.version,
      lastAttemptedConfigDigest: historyEntries[0]?.configDigest,
      lastAttemptedReleaseAction: 'upgrade',
      helmChart: `${FLUX_NAMESPACE}/${o.namespace}-${o.name}`,
      storageNamespace: o.namespace,
      history: historyEntries,
      ...(o.failing ? { failures: 3, upgradeFailures: 3 } : {}),
      conditions,
    },
  };
}

export interface KustomizationOptions {
  name: string;
  namespace: string;
  /** `v1.4.0@sha1:<40hex>` or `main@sha1:<40hex>` */
  revision: string;
  path: string;
  failing?: string;
  suspended?: boolean;
  now: Date;
  appliedDaysAgo?: number;
}

export function kustomization(o: KustomizationOptions): KubeObject {
  const at = isoDaysAgo(o.now, o.appliedDaysAgo ?? 2);
  return {
    apiVersion: KUSTOMIZATION_API,
    kind: 'Kustomization',
    metadata: { name: o.name, namespace: o.namespace, generation: 2, finalizers: [FLUX_FINALIZER] },
    spec: {
      interval: '5m',
      path: o.path,
      prune: true,
      ...(o.suspended ? { suspend: true } : {}),
      sourceRef: { kind: 'GitRepository', name: 'fleet-config', namespace: FLUX_NAMESPACE },
      targetNamespace: o.namespace,
    },
    status: {
      observedGeneration: 2,
      lastAppliedRevision: o.revision,
      lastAttemptedRevision: o.revision,
      conditions: o.failing
        ? [condition('Ready', 'False', 'BuildFailed', o.failing, at, 2)]
        : [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${o.revision}`, at, 2), condition('Healthy', 'True', 'Succeeded', 'Health check passed', at, 2)],
    },
  };
}

export function revisionFor(ref: string, label: string): string {
  return `${ref}@sha1:${fakeHex(`commit:${label}`)}`;
}

// ---------------------------------------------------------------- Pipelines

export interface PipelineTargetSpec {
  namespace: string;
  /** GitopsCluster name; omitted = the management cluster */
  cluster?: string;
}

export interface PipelineEnvSpec {
  name: string;
  targets: PipelineTargetSpec[];
  promotion?: Record<string, unknown>;
}

export function pullRequestStrategy(repoUrl: string, secretName: string, baseBranch = 'main') {
  return { 'pull-request': { type: 'github', url: repoUrl, baseBranch, secretRef: { name: secretName } } };
}

export function pipeline(o: {
  name: string;
  namespace: string;
  appRef: { apiVersion: string; kind: string; name: string };
  environments: PipelineEnvSpec[];
  promotion?: Record<string, unknown>;
  status?: Record<string, unknown>;
  now: Date;
}): KubeObject {
  const at = isoDaysAgo(o.now, 20);
  return {
    apiVersion: PIPELINE_API,
    kind: 'Pipeline',
    metadata: { name: o.name, namespace: o.namespace, generation: 1 },
    spec: {
      appRef: o.appRef,
      ...(o.promotion ? { promotion: o.promotion } : {}),
      environments: o.environments.map((env) => ({
        name: env.name,
        ...(env.promotion ? { promotion: env.promotion } : {}),
        targets: env.targets.map((t) => (t.cluster ? { namespace: t.namespace, clusterRef: { kind: 'GitopsCluster', name: t.cluster, namespace: FLUX_NAMESPACE } } : { namespace: t.namespace })),
      })),
    },
    status: {
      observedGeneration: 1,
      conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', '', at)],
      ...(o.status ?? {}),
    },
  };
}

/** The config repo line that the promotion flow rewrites. */
export function markerComment(ns: string, name: string, env: string): string {
  return `# {"$promotion": "${ns}:${name}:${env}"}`;
}

export function clusterServer(ctx: SeedContext, cluster: string): { server: string; caData: string } {
  const found = ctx.clusters[cluster];
  if (!found) throw new Error(`seed needs cluster "${cluster}" but the sandbox did not start it`);
  return found;
}

/** Title and body of a promotion PR as the pipeline-controller (and Release Board) write them, metadata block included. */
export function promotionPullText(ns: string, name: string, env: string, from: string, to: string): { title: string; body: string } {
  return {
    title: `Promote ${ns}/${name} in ${env} to ${to}`,
    body: `Promotes **${ns}/${name}** into **${env}**: ${from} → ${to}.\n\n<details><summary>metadata</summary>\n\n${ns}/${name}/${env}\n\n</details>\n`,
  };
}
