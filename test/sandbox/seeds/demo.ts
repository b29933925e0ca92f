// The "demo" seed: one management cluster and two remote clusters with a dozen Pipelines
// across three teams, chosen so every state the board must render exists at least once
// (healthy, failing, suspended, missing app, missing cluster, malformed Pipeline, manual
// gate, open promotion PR, promotion expected) and every token situation the token view
// must explain (classic, fine-grained, expired, revoked, missing Secret, missing key, shared).
// The table below is the single source: Pipelines, Flux objects, Secrets and the config
// repo's marker files are all derived from it, so they cannot drift apart.

import {
  DEVELOPER,
  FLUX_NAMESPACE,
  HELM_RELEASE_API,
  KUSTOMIZATION_API,
  PROMOTION_BOT,
  RELEASE_MANAGER,
  STANDARD_FORGE_USERS,
  STANDARD_OAUTH_APPS,
  classicToken,
  clusterServer,
  fakeHex,
  fineGrainedToken,
  gitopsCluster,
  helmRelease,
  isoDaysAgo,
  kubeToken,
  kubeconfigYaml,
  kustomization,
  markerComment,
  namespace,
  oauthToken,
  pipeline,
  promotionPullText,
  pullRequestStrategy,
  revisionFor,
  secret,
  standardKubeUsers,
} from './builders';
import { isoDaysFrom } from '../clock';
import type { HelmRevision } from './builders';
import { buildGitLabDemoPart, gitlabDemoSummary } from './gitlab-demo';
import type { KubeObject, Seed, SeedBuilder, SeedCluster, SeedContext, SeedForgeToken, SeedPullRequest } from './types';

export const DEMO_MANAGEMENT_CLUSTER = 'mgmt';
export const DEMO_REMOTE_CLUSTERS = ['staging-eu', 'prod-eu'] as const;
export const DEMO_CONFIG_REPO = { owner: 'acme', name: 'fleet-config', defaultBranch: 'main' } as const;
/** GitopsCluster whose kubeconfig Secret does not exist (and no sandbox cluster backs it). */
export const DEMO_BROKEN_GITOPS_CLUSTER = 'dr-eu';
/** Cluster name used by a target although no GitopsCluster of that name exists. */
export const DEMO_MISSING_GITOPS_CLUSTER = 'staging-us';

type ClusterName = 'mgmt' | 'staging-eu' | 'prod-eu' | typeof DEMO_BROKEN_GITOPS_CLUSTER | typeof DEMO_MISSING_GITOPS_CLUSTER;

/** How the config repo writes the promoted value: the variety the YAML editor must keep intact. */
type MarkerStyle = 'quoted' | 'plain' | 'nested-values' | 'kustomize-image';

/** Token situations behind automated promotions, by the label the sandbox reports them under. */
export type DemoTokenCase = 'classic' | 'classicPlatform' | 'fineGrained' | 'fineGrainedExpiringSoon' | 'expired' | 'revoked' | 'shared' | 'releaseManager' | 'releaseManagerOAuth';

interface DemoTarget {
  cluster: ClusterName;
  namespace: string;
  /** HelmRelease: chart version Git asks for. Kustomization: the Git ref (tag or branch). */
  version: string;
  history?: HelmRevision[];
  failing?: string;
  suspended?: boolean;
  /** the app object is absent from the target namespace */
  missing?: boolean;
}

interface DemoEnv {
  name: string;
  targets: DemoTarget[];
  promotion?: Record<string, unknown>;
  waitingApproval?: string;
}

interface DemoPipeline {
  namespace: string;
  name: string;
  kind: 'HelmRelease' | 'Kustomization';
  appApiVersion?: string;
  strategy: 'pull-request' | 'notification' | 'none';
  /** token situation of the Secret `<name>-promotion`; 'missing-secret' and 'missing-key' are Secret states */
  token?: DemoTokenCase | 'missing-secret' | 'missing-key';
  markerStyle?: MarkerStyle;
  envs: DemoEnv[];
  /** newer pipeline-controller builds report per-target state; kept for one pipeline */
  reportsTargets?: boolean;
  /** Pipeline is structurally valid for the CRD but makes no sense */
  malformed?: boolean;
}

const deployed = (chartVersion: string, deployedDaysAgo: number, appVersion?: string): HelmRevision => ({
  chartVersion,
  status: 'deployed',
  deployedDaysAgo,
  ...(appVersion ? { appVersion } : {}),
});
const superseded = (chartVersion: string, deployedDaysAgo: number, appVersion?: string): HelmRevision => ({
  chartVersion,
  status: 'superseded',
  deployedDaysAgo,
  ...(appVersion ? { appVersion } : {}),
});

/** The open promotion PR: checkout into prod. */
export const DEMO_OPEN_PR = { namespace: 'team-payments', pipeline: 'checkout', env: 'prod', from: '1.8.1', to: '1.8.2' } as const;

/**
 * Promotion PRs merged in the past (authored by the release manager, approved by the developer),
 * each a little before the target history's deploy time: the release log's PR entries. One is
 * older than a week, one has not become healthy (search-indexer's failed 5.2.0).
 */
export const DEMO_MERGED_PROMOTIONS = [
  { namespace: 'team-payments', pipeline: 'checkout', env: 'dev', from: '1.8.1', to: '1.8.2', mergedDaysAgo: 2.02 },
  { namespace: 'team-payments', pipeline: 'checkout', env: 'staging', from: '1.8.1', to: '1.8.2', mergedDaysAgo: 1.02 },
  { namespace: 'team-payments', pipeline: 'checkout', env: 'prod', from: '1.8.0', to: '1.8.1', mergedDaysAgo: 4.02 },
  { namespace: 'team-payments', pipeline: 'ledger', env: 'prod', from: '2.3.4', to: '2.3.5', mergedDaysAgo: 8.02 },
  { namespace: 'team-payments', pipeline: 'fraud-detector', env: 'prod', from: '0.9.3', to: '0.9.4', mergedDaysAgo: 3.02 },
  { namespace: 'team-search', pipeline: 'search-indexer', env: 'staging', from: '5.1.3', to: '5.2.0', mergedDaysAgo: 0.22 },
  { namespace: 'platform', pipeline: 'ingress-nginx', env: 'staging', from: '4.10.1', to: '4.11.3', mergedDaysAgo: 4.02 },
] as const;

const PIPELINES: DemoPipeline[] = [
  {
    namespace: 'team-payments',
    name: 'checkout',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'classic',
    markerStyle: 'quoted',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'payments-dev', version: '1.8.2', history: [deployed('1.8.2', 2), superseded('1.8.1', 6)] }] },
      { name: 'staging', targets: [{ cluster: 'staging-eu', namespace: 'payments', version: '1.8.2', history: [deployed('1.8.2', 1), superseded('1.8.1', 5)] }] },
      {
        name: 'prod',
        targets: [{ cluster: 'prod-eu', namespace: 'payments', version: '1.8.1', history: [deployed('1.8.1', 4), superseded('1.8.0', 19), superseded('1.7.4', 41)] }],
      },
    ],
  },
  {
    namespace: 'team-payments',
    name: 'ledger',
    kind: 'HelmRelease',
    // Current Flux no longer serves v2beta1: the board must resolve the served version.
    appApiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
    strategy: 'pull-request',
    token: 'fineGrained',
    markerStyle: 'nested-values',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'payments-dev', version: '2.4.0', history: [deployed('2.4.0', 1), superseded('2.3.5', 9)] }] },
      {
        name: 'prod',
        promotion: { manual: true },
        waitingApproval: '2.4.0',
        targets: [{ cluster: 'prod-eu', namespace: 'payments', version: '2.3.5', history: [deployed('2.3.5', 8), superseded('2.3.4', 30)] }],
      },
    ],
  },
  {
    namespace: 'team-payments',
    name: 'payments-api',
    kind: 'Kustomization',
    strategy: 'notification',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'payments-dev', version: 'v1.4.0' }] },
      { name: 'staging', targets: [{ cluster: 'staging-eu', namespace: 'payments', version: 'v1.4.0' }] },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'payments', version: 'v1.4.0' }] },
    ],
  },
  {
    namespace: 'team-payments',
    name: 'fraud-detector',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'expired',
    markerStyle: 'plain',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'payments-dev', version: '0.9.4' }] },
      { name: 'qa', targets: [{ cluster: 'mgmt', namespace: 'payments-qa', version: '0.9.4' }] },
      {
        name: 'staging',
        // one environment spread over two clusters
        targets: [
          { cluster: 'mgmt', namespace: 'payments-staging', version: '0.9.4' },
          { cluster: 'staging-eu', namespace: 'payments', version: '0.9.4' },
        ],
      },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'payments', version: '0.9.4', history: [deployed('0.9.4', 3), superseded('0.9.3', 12)] }] },
    ],
  },
  {
    namespace: 'team-search',
    name: 'search-indexer',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'revoked',
    markerStyle: 'quoted',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'search-dev', version: '5.2.0', history: [deployed('5.2.0', 1), superseded('5.1.3', 10)] }] },
      {
        name: 'staging',
        targets: [
          {
            cluster: 'staging-eu',
            namespace: 'search',
            version: '5.2.0',
            history: [{ chartVersion: '5.2.0', status: 'failed', deployedDaysAgo: 0.2 }, superseded('5.1.3', 10)],
            failing: 'Helm upgrade failed for release search/search-indexer with chart search-indexer@5.2.0: context deadline exceeded waiting for Deployment search/search-indexer to become ready',
          },
        ],
      },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'search', version: '5.1.3', history: [deployed('5.1.3', 9)] }] },
    ],
  },
  {
    namespace: 'team-search',
    name: 'query-gateway',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'missing-secret',
    markerStyle: 'plain',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'search-dev', version: '3.0.1' }] },
      { name: 'staging', targets: [{ cluster: 'staging-eu', namespace: 'search', version: '3.0.1' }] },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'search', version: '3.0.1', suspended: true }] },
    ],
  },
  {
    namespace: 'team-search',
    name: 'search-ui',
    kind: 'Kustomization',
    strategy: 'pull-request',
    token: 'missing-key',
    markerStyle: 'kustomize-image',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'search-dev', version: 'main' }] },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'search', version: 'main' }] },
    ],
  },
  {
    namespace: 'team-search',
    name: 'ranker',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'shared',
    markerStyle: 'quoted',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'search-dev', version: '2.0.7' }] },
      {
        name: 'staging',
        targets: [
          { cluster: 'staging-eu', namespace: 'search', version: '2.0.7' },
          { cluster: DEMO_MISSING_GITOPS_CLUSTER, namespace: 'search', version: '2.0.7' },
        ],
      },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'search', version: '2.0.7' }] },
    ],
  },
  {
    namespace: 'team-search',
    name: 'autocomplete',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'shared',
    markerStyle: 'plain',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'search-dev', version: '1.3.0' }] },
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'search', version: '1.3.0', missing: true }] },
    ],
  },
  {
    namespace: 'platform',
    name: 'ingress-nginx',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'classicPlatform',
    markerStyle: 'plain',
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'ingress-dev', version: '4.11.3', history: [deployed('4.11.3', 6, '1.11.3')] }] },
      { name: 'qa', targets: [{ cluster: 'mgmt', namespace: 'ingress-qa', version: '4.11.3', history: [deployed('4.11.3', 5, '1.11.3')] }] },
      {
        name: 'staging',
        targets: [{ cluster: 'staging-eu', namespace: 'ingress-nginx', version: '4.11.3', history: [deployed('4.11.3', 4, '1.11.3'), superseded('4.10.1', 40, '1.10.1')] }],
      },
      // "promotion expected": staging is healthy on 4.11.3, prod still runs 4.10.1, no PR, no gate
      { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'ingress-nginx', version: '4.10.1', history: [deployed('4.10.1', 38, '1.10.1')] }] },
    ],
  },
  {
    namespace: 'platform',
    name: 'cert-manager',
    kind: 'HelmRelease',
    strategy: 'pull-request',
    token: 'fineGrainedExpiringSoon',
    markerStyle: 'quoted',
    reportsTargets: true,
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'cert-manager', version: 'v1.16.2' }] },
      { name: 'staging', targets: [{ cluster: 'staging-eu', namespace: 'cert-manager', version: 'v1.16.2' }] },
      {
        name: 'prod',
        targets: [
          { cluster: 'prod-eu', namespace: 'cert-manager', version: 'v1.16.2' },
          { cluster: DEMO_BROKEN_GITOPS_CLUSTER, namespace: 'cert-manager', version: 'v1.16.2' },
        ],
      },
    ],
  },
  {
    namespace: 'platform',
    name: 'observability',
    kind: 'HelmRelease',
    strategy: 'none',
    malformed: true,
    envs: [
      { name: 'dev', targets: [{ cluster: 'mgmt', namespace: 'monitoring', version: '65.1.0' }] },
      { name: 'staging', targets: [] },
      { name: 'staging', targets: [{ cluster: 'staging-eu', namespace: 'monitoring', version: '65.1.0' }] },
    ],
  },
];

const SANDBOX_CLUSTERS: readonly string[] = [DEMO_MANAGEMENT_CLUSTER, ...DEMO_REMOTE_CLUSTERS];

export interface DemoSeedOptions {
  /** reference time for ages, deployment times and token expiry (default: the context's clock) */
  now?: Date;
}

export function configRepoUrl(ctx: SeedContext): string {
  return `${ctx.forge.url.replace(/\/$/, '')}/${DEMO_CONFIG_REPO.owner}/${DEMO_CONFIG_REPO.name}`;
}

export function promotionBranch(ns: string, name: string, env: string): string {
  return `promotion-${ns}-${name}-${env}`;
}

export function promotionPullBody(ns: string, name: string, env: string, summary: string): string {
  return `${summary}\n\n<details><summary>metadata</summary>\n\n${ns}/${name}/${env}\n\n</details>\n`;
}

export function buildDemoSeed(ctx: SeedContext, options: DemoSeedOptions = {}): Seed {
  const now = options.now ?? ctx.now();
  const tokens = demoTokens(now);
  const tokenValue = (label: DemoTokenCase): string => {
    const found = tokens.find((t) => t.label === label);
    if (!found) throw new Error(`no demo token ${label}`);
    return found.value;
  };
  const repoUrl = configRepoUrl(ctx);

  const objects = new Map<string, KubeObject[]>(SANDBOX_CLUSTERS.map((c) => [c, []]));
  const push = (cluster: string, obj: KubeObject) => objects.get(cluster)?.push(obj);
  const namespaces = new Map<string, Set<string>>(SANDBOX_CLUSTERS.map((c) => [c, new Set([FLUX_NAMESPACE])]));

  // Remote clusters are reachable from the management cluster through GitopsClusters.
  for (const remote of DEMO_REMOTE_CLUSTERS) {
    const { server, caData } = clusterServer(ctx, remote);
    push(DEMO_MANAGEMENT_CLUSTER, gitopsCluster(remote, `${remote}-kubeconfig`, { ok: true, message: 'Secret found' }, isoDaysAgo(now, 60)));
    push(DEMO_MANAGEMENT_CLUSTER, secret(FLUX_NAMESPACE, `${remote}-kubeconfig`, { value: kubeconfigYaml(remote, server, caData, kubeToken('admin', remote)) }));
  }
  push(
    DEMO_MANAGEMENT_CLUSTER,
    gitopsCluster(
      DEMO_BROKEN_GITOPS_CLUSTER,
      `${DEMO_BROKEN_GITOPS_CLUSTER}-kubeconfig`,
      { ok: false, message: `Secret ${FLUX_NAMESPACE}/${DEMO_BROKEN_GITOPS_CLUSTER}-kubeconfig not found` },
      isoDaysAgo(now, 2),
    ),
  );

  const files: Record<string, string> = { ...staticRepoFiles() };
  const pulls: SeedPullRequest[] = [];
  const pipelineNamespaces = new Set<string>();

  for (const p of PIPELINES) {
    pipelineNamespaces.add(p.namespace);
    const secretName = `${p.name}-promotion`;
    const strategy =
      p.strategy === 'pull-request'
        ? { strategy: pullRequestStrategy(repoUrl, secretName, DEMO_CONFIG_REPO.defaultBranch) }
        : p.strategy === 'notification'
          ? { strategy: { notification: {} } }
          : undefined;

    // Flux objects in each target
    for (const env of p.envs) {
      for (const t of env.targets) {
        if (!SANDBOX_CLUSTERS.includes(t.cluster)) continue;
        namespaces.get(t.cluster)?.add(t.namespace);
        if (t.missing) continue;
        push(t.cluster, appObject(p, t, now));
      }
    }

    // the Pipeline itself
    const environmentsStatus: Record<string, unknown> = {};
    for (const env of p.envs) {
      const envStatus: Record<string, unknown> = {};
      if (env.waitingApproval) envStatus.waitingApproval = { revision: env.waitingApproval };
      if (p.reportsTargets) envStatus.targets = env.targets.map((t) => reportedTarget(p, t));
      if (Object.keys(envStatus).length > 0) environmentsStatus[env.name] = envStatus;
    }
    const envPromotion = (env: DemoEnv) => (env.promotion && strategy ? { ...env.promotion, ...strategy } : env.promotion);
    push(
      DEMO_MANAGEMENT_CLUSTER,
      pipeline({
        name: p.name,
        namespace: p.namespace,
        appRef: { apiVersion: p.appApiVersion ?? (p.kind === 'HelmRelease' ? HELM_RELEASE_API : KUSTOMIZATION_API), kind: p.kind, name: p.name },
        ...(strategy ? { promotion: { manual: false, ...strategy } } : {}),
        environments: p.envs.map((env) => {
          const promotion = envPromotion(env);
          return {
            name: env.name,
            ...(promotion ? { promotion } : {}),
            targets: env.targets.map((t) => (t.cluster === DEMO_MANAGEMENT_CLUSTER ? { namespace: t.namespace } : { namespace: t.namespace, cluster: t.cluster })),
          };
        }),
        ...(Object.keys(environmentsStatus).length > 0 ? { status: { environments: environmentsStatus } } : {}),
        now,
      }),
    );

    // the Secret behind automated promotions
    if (p.token && p.token !== 'missing-secret') {
      const login = p.token === 'missing-key' ? PROMOTION_BOT : (tokens.find((t) => t.label === p.token)?.login ?? PROMOTION_BOT);
      const value = p.token === 'missing-key' ? tokenValue('classic') : tokenValue(p.token);
      const data: Record<string, string> = p.token === 'missing-key' ? { username: login, password: value } : { token: value, username: login, password: value };
      push(DEMO_MANAGEMENT_CLUSTER, secret(p.namespace, secretName, data));
    }

    // the config repo: one file per env (per target when an env spans several)
    if (p.strategy === 'pull-request' && p.markerStyle) {
      for (const env of p.envs) {
        for (const [path, content] of envFiles(p, env)) files[path] = content;
      }
    }
  }

  // the already-open promotion PR
  {
    const { namespace: ns, pipeline: name, env, from, to } = DEMO_OPEN_PR;
    const p = PIPELINES.find((x) => x.namespace === ns && x.name === name);
    const e = p?.envs.find((x) => x.name === env);
    if (!p || !e) throw new Error('demo open PR refers to an unknown pipeline');
    const changed: Record<string, string> = {};
    for (const [path, content] of envFiles(p, e)) changed[path] = content.replace(`"${from}" ${markerComment(ns, name, env)}`, `"${to}" ${markerComment(ns, name, env)}`);
    pulls.push({
      repo: `${DEMO_CONFIG_REPO.owner}/${DEMO_CONFIG_REPO.name}`,
      head: promotionBranch(ns, name, env),
      base: DEMO_CONFIG_REPO.defaultBranch,
      title: `Promote ${ns}/${name} in ${env} to ${to}`,
      body: promotionPullBody(ns, name, env, `Promotes **${ns}/${name}** into **${env}**: ${from} → ${to}.`),
      author: PROMOTION_BOT,
      files: changed,
      createdAt: isoDaysAgo(now, 1),
    });
  }

  // merged promotions, for the release log: after the open PR (which stays #1)
  for (const m of DEMO_MERGED_PROMOTIONS) {
    const p = PIPELINES.find((x) => x.namespace === m.namespace && x.name === m.pipeline);
    const e = p?.envs.find((x) => x.name === m.env);
    if (!p || !e) throw new Error('demo merged promotion refers to an unknown pipeline');
    pulls.push({
      repo: `${DEMO_CONFIG_REPO.owner}/${DEMO_CONFIG_REPO.name}`,
      head: promotionBranch(m.namespace, m.pipeline, m.env),
      base: DEMO_CONFIG_REPO.defaultBranch,
      ...promotionPullText(m.namespace, m.pipeline, m.env, m.from, m.to),
      author: RELEASE_MANAGER,
      files: Object.fromEntries(envFiles(p, e)),
      createdAt: isoDaysAgo(now, m.mergedDaysAgo + 0.05),
      reviews: [{ user: DEVELOPER, state: 'APPROVED', at: isoDaysAgo(now, m.mergedDaysAgo + 0.01) }],
      merged: { at: isoDaysAgo(now, m.mergedDaysAgo), by: RELEASE_MANAGER },
    });
  }

  for (const ns of pipelineNamespaces) namespaces.get(DEMO_MANAGEMENT_CLUSTER)?.add(ns);

  // the GitLab pipelines (seeds/gitlab-demo.ts): their objects join the same clusters
  const gitlabPart = buildGitLabDemoPart(ctx, now);
  for (const [cluster, list] of Object.entries(gitlabPart.namespaces)) for (const ns of list) namespaces.get(cluster)?.add(ns);
  for (const [cluster, list] of Object.entries(gitlabPart.objects)) for (const obj of list) push(cluster, obj);

  const clusters: SeedCluster[] = SANDBOX_CLUSTERS.map((name) => ({
    name,
    management: name === DEMO_MANAGEMENT_CLUSTER,
    users: standardKubeUsers(name),
    objects: [...[...(namespaces.get(name) ?? [])].sort().map(namespace), ...(objects.get(name) ?? [])],
  }));

  return {
    name: 'demo',
    clusters,
    forge: {
      users: STANDARD_FORGE_USERS,
      tokens,
      repos: [{ ...DEMO_CONFIG_REPO, files }],
      pulls,
      oauthApps: STANDARD_OAUTH_APPS,
      signInUser: RELEASE_MANAGER,
    },
    gitlab: gitlabPart.gitlab,
  };
}

export const demoSeed: SeedBuilder = (ctx) => buildDemoSeed(ctx);

/** The demo's Pipelines as (namespace, name, env names), for tests and docs. */
export function demoPipelineSummary(): { namespace: string; name: string; envs: string[]; strategy: string }[] {
  return [...PIPELINES.map((p) => ({ namespace: p.namespace, name: p.name, envs: p.envs.map((e) => e.name), strategy: p.strategy })), ...gitlabDemoSummary()];
}

// ---------------------------------------------------------------- helpers

function demoTokens(now: Date): (SeedForgeToken & { label: DemoTokenCase })[] {
  const inDays = (d: number) => isoDaysFrom(now, d);
  const repo = `${DEMO_CONFIG_REPO.owner}/${DEMO_CONFIG_REPO.name}`;
  const fineGrainedPermissions = { contents: 'write', pull_requests: 'write', metadata: 'read' } as const;
  return [
    { label: 'classic', value: classicToken('demo:classic'), login: PROMOTION_BOT, kind: 'classic', scopes: ['repo'], expiresAt: null },
    { label: 'classicPlatform', value: classicToken('demo:classic-platform'), login: PROMOTION_BOT, kind: 'classic', scopes: ['repo', 'workflow'], expiresAt: inDays(90) },
    {
      label: 'fineGrained',
      value: fineGrainedToken('demo:fine-grained'),
      login: PROMOTION_BOT,
      kind: 'fine-grained',
      scopes: [],
      expiresAt: inDays(45),
      repositories: [repo],
      permissions: { ...fineGrainedPermissions },
    },
    {
      label: 'fineGrainedExpiringSoon',
      value: fineGrainedToken('demo:fine-grained-soon'),
      login: PROMOTION_BOT,
      kind: 'fine-grained',
      scopes: [],
      expiresAt: inDays(5),
      repositories: [repo],
      permissions: { ...fineGrainedPermissions },
    },
    { label: 'expired', value: classicToken('demo:expired'), login: DEVELOPER, kind: 'classic', scopes: ['repo'], expiresAt: inDays(-3) },
    { label: 'revoked', value: classicToken('demo:revoked'), login: DEVELOPER, kind: 'classic', scopes: ['repo'], expiresAt: null, revoked: true },
    // a human's broad, never-expiring token shared by two pipelines: the risk the token view exists for
    { label: 'shared', value: classicToken('demo:shared'), login: DEVELOPER, kind: 'classic', scopes: ['repo', 'admin:org', 'workflow'], expiresAt: null },
    { label: 'releaseManager', value: classicToken('demo:release-manager'), login: RELEASE_MANAGER, kind: 'classic', scopes: ['repo', 'read:user'], expiresAt: null },
    { label: 'releaseManagerOAuth', value: oauthToken('demo:release-manager'), login: RELEASE_MANAGER, kind: 'oauth', scopes: ['repo'], expiresAt: null },
  ];
}

function appObject(p: DemoPipeline, t: DemoTarget, now: Date): KubeObject {
  if (p.kind === 'Kustomization') {
    return kustomization({
      name: p.name,
      namespace: t.namespace,
      revision: revisionFor(t.version, `${p.name}:${t.version}`),
      path: `./apps/${p.name}/${t.namespace}`,
      ...(t.failing ? { failing: t.failing } : {}),
      ...(t.suspended ? { suspended: true } : {}),
      now,
    });
  }
  return helmRelease({
    name: p.name,
    namespace: t.namespace,
    version: t.version,
    ...(t.history ? { history: t.history } : {}),
    ...(t.failing ? { failing: t.failing } : {}),
    ...(t.suspended ? { suspended: true } : {}),
    now,
  });
}

function reportedTarget(p: DemoPipeline, t: DemoTarget): Record<string, unknown> {
  const reachable = SANDBOX_CLUSTERS.includes(t.cluster) && !t.missing;
  return {
    clusterAppRef: {
      apiVersion: p.kind === 'HelmRelease' ? HELM_RELEASE_API : KUSTOMIZATION_API,
      kind: p.kind,
      name: p.name,
      ...(t.cluster !== DEMO_MANAGEMENT_CLUSTER ? { clusterRef: { kind: 'GitopsCluster', name: t.cluster, namespace: FLUX_NAMESPACE } } : {}),
    },
    ready: reachable && !t.failing,
    ...(reachable ? { revision: t.version } : { error: `unable to get cluster client for ${FLUX_NAMESPACE}/${t.cluster}` }),
  };
}

function envFiles(p: DemoPipeline, env: DemoEnv): [string, string][] {
  const marker = markerComment(p.namespace, p.name, env.name);
  const multi = env.targets.length > 1;
  return env.targets.map((t) => {
    const dir = multi ? `apps/${p.name}/${env.name}/${t.cluster}` : `apps/${p.name}/${env.name}`;
    return markerFile(p, t, dir, marker);
  });
}

function markerFile(p: DemoPipeline, t: DemoTarget, dir: string, marker: string): [string, string] {
  switch (p.markerStyle) {
    case 'nested-values':
      return [
        `${dir}/release-values.yaml`,
        [
          `# Values consumed by the ${p.name} HelmRelease through valuesFrom.`,
          'release:',
          '  chart:',
          `    name: ${p.name}`,
          `    version: ${t.version} ${marker}`,
          '  settings:',
          '    replicas: 3',
          `    logLevel: info # not promoted`,
          '',
        ].join('\n'),
      ];
    case 'kustomize-image':
      return [
        `${dir}/kustomization.yaml`,
        [
          'apiVersion: kustomize.config.k8s.io/v1beta1',
          'kind: Kustomization',
          `namespace: ${t.namespace}`,
          'resources:',
          `  - ../../../base/${p.name}`,
          'images:',
          `  - name: ghcr.io/acme/${p.name}`,
          `    newTag: "3.2.0" ${marker}`,
          '',
        ].join('\n'),
      ];
    case 'quoted':
    case 'plain':
    default: {
      const value = p.markerStyle === 'quoted' ? `"${t.version}"` : t.version;
      return [
        `${dir}/helmrelease.yaml`,
        [
          `apiVersion: ${HELM_RELEASE_API}`,
          'kind: HelmRelease',
          'metadata:',
          `  name: ${p.name}`,
          `  namespace: ${t.namespace}`,
          'spec:',
          '  interval: 10m',
          '  chart:',
          '    spec:',
          `      chart: ${p.name}`,
          `      version: ${value} ${marker}`,
          '      sourceRef:',
          '        kind: HelmRepository',
          '        name: acme-charts',
          `        namespace: ${FLUX_NAMESPACE}`,
          '  values:',
          '    # keep two replicas during promotion windows',
          '    replicaCount: 2',
          '',
        ].join('\n'),
      ];
    }
  }
}

function staticRepoFiles(): Record<string, string> {
  return {
    'README.md': '# fleet-config\n\nDesired state for the ACME fleet. Promotions edit lines tagged with `$promotion` markers.\n',
    'infrastructure/sources/acme-charts.yaml': [
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata:',
      '  name: acme-charts',
      `  namespace: ${FLUX_NAMESPACE}`,
      'spec:',
      '  interval: 10m',
      '  url: https://charts.acme.example',
      '',
    ].join('\n'),
    ...Object.fromEntries(
      SANDBOX_CLUSTERS.map((c) => [
        `clusters/${c}/flux-system/gotk-sync.yaml`,
        [
          'apiVersion: source.toolkit.fluxcd.io/v1',
          'kind: GitRepository',
          'metadata:',
          '  name: fleet-config',
          `  namespace: ${FLUX_NAMESPACE}`,
          'spec:',
          '  interval: 1m',
          '  ref:',
          '    branch: main',
          `  # cluster ${c}, revision pinned by ${fakeHex(`gotk:${c}`, 7)}`,
          '',
        ].join('\n'),
      ]),
    ),
  };
}
