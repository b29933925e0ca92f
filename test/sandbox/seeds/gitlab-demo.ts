// The demo's GitLab part: two Pipelines in `platform` that promote through merge requests on
// a GitLab project in a sub-group (platform-team/infra/fleet-config), their HelmReleases, the
// promotion Secrets (a PAT with a recent last use, one expiring within 14 days, a revoked one,
// a project access token whose user is a bot) and one open promotion MR with a running
// pipeline and a missing approval. demo.ts merges it into the demo seed.

import { isoDateFrom } from '../clock';
import { gitlabTokenValue, botUsername } from '../gitlab/state';
import { DEVELOPER, HELM_RELEASE_API, RELEASE_MANAGER, helmRelease, isoDaysAgo, markerComment, pipeline, promotionPullText, secret } from './builders';
import type { HelmRevision } from './builders';
import type { KubeObject, SeedContext, SeedGitLab, SeedGitLabToken } from './types';

export const GITLAB_DEMO_PROJECT = { path: 'platform-team/infra/fleet-config', id: 4201, defaultBranch: 'main' } as const;
export const GITLAB_DEMO_BOT = botUsername('project', GITLAB_DEMO_PROJECT.id, 'fleet-config promotion');
export const GITLAB_PROMOTION_USER = 'gitlab-promoter';
/** Placeholder used by the first, dry build of a seed (before the GitLab forge listens). */
const PLACEHOLDER_GITLAB = 'http://127.0.0.1:2';

export type GitLabDemoTokenCase = 'gitlabPat' | 'gitlabExpiringSoon' | 'gitlabRevoked' | 'gitlabProjectBot';

interface GitLabDemoPipeline {
  name: string;
  /** Secret `<name>-promotion` (pipeline-wide strategy) */
  token: GitLabDemoTokenCase;
  /** prod overrides the strategy with its own Secret `<name>-prod-promotion` */
  prodToken: GitLabDemoTokenCase;
  envs: { name: string; cluster: 'mgmt' | 'staging-eu' | 'prod-eu'; namespace: string; history: HelmRevision[] }[];
}

const rev = (chartVersion: string, deployedDaysAgo: number, status: HelmRevision['status'] = 'deployed'): HelmRevision => ({ chartVersion, deployedDaysAgo, status });

export const GITLAB_DEMO_PIPELINES: GitLabDemoPipeline[] = [
  {
    name: 'ingress-gateway',
    token: 'gitlabPat',
    prodToken: 'gitlabProjectBot',
    envs: [
      { name: 'dev', cluster: 'mgmt', namespace: 'ingress-dev', history: [rev('4.11.2', 1), rev('4.11.1', 8, 'superseded')] },
      { name: 'staging', cluster: 'staging-eu', namespace: 'ingress', history: [rev('4.11.2', 1), rev('4.11.1', 7, 'superseded')] },
      { name: 'prod', cluster: 'prod-eu', namespace: 'ingress', history: [rev('4.11.1', 6), rev('4.10.0', 30, 'superseded')] },
    ],
  },
  {
    name: 'cert-rotation',
    token: 'gitlabExpiringSoon',
    prodToken: 'gitlabRevoked',
    envs: [
      { name: 'staging', cluster: 'staging-eu', namespace: 'cert-rotation', history: [rev('2.3.0', 2), rev('2.2.4', 12, 'superseded')] },
      { name: 'prod', cluster: 'prod-eu', namespace: 'cert-rotation', history: [rev('2.2.4', 11)] },
    ],
  },
];

/** The open MR: ingress-gateway into prod, 4.11.1 → 4.11.2. */
export const GITLAB_DEMO_OPEN_MR = { namespace: 'platform', pipeline: 'ingress-gateway', env: 'prod', from: '4.11.1', to: '4.11.2' } as const;

export function gitlabConfigRepoUrl(ctx: SeedContext): string {
  return `${(ctx.gitlab?.url ?? PLACEHOLDER_GITLAB).replace(/\/$/, '')}/${GITLAB_DEMO_PROJECT.path}`;
}

function gitlabTokens(now: Date): (SeedGitLabToken & { label: GitLabDemoTokenCase })[] {
  return [
    {
      label: 'gitlabPat',
      value: gitlabTokenValue('demo:pat'),
      username: GITLAB_PROMOTION_USER,
      kind: 'personal',
      name: 'flux promotions',
      scopes: ['api'],
      expiresAt: isoDateFrom(now, 120),
      lastUsedAt: isoDaysAgo(now, 2),
      createdAt: isoDaysAgo(now, 200),
    },
    {
      label: 'gitlabExpiringSoon',
      value: gitlabTokenValue('demo:expiring'),
      username: GITLAB_PROMOTION_USER,
      kind: 'personal',
      name: 'cert promotions',
      scopes: ['api', 'write_repository'],
      expiresAt: isoDateFrom(now, 9),
      lastUsedAt: isoDaysAgo(now, 11),
      createdAt: isoDaysAgo(now, 356),
    },
    {
      label: 'gitlabRevoked',
      value: gitlabTokenValue('demo:revoked'),
      username: DEVELOPER,
      kind: 'personal',
      name: 'my laptop',
      scopes: ['api'],
      expiresAt: isoDateFrom(now, 60),
      lastUsedAt: isoDaysAgo(now, 40),
      revoked: true,
      createdAt: isoDaysAgo(now, 90),
    },
    {
      label: 'gitlabProjectBot',
      value: gitlabTokenValue('demo:project-bot'),
      username: GITLAB_DEMO_BOT,
      kind: 'project',
      name: 'fleet-config promotion',
      scopes: ['api', 'write_repository'],
      expiresAt: isoDateFrom(now, 300),
      lastUsedAt: isoDaysAgo(now, 6),
      resource: GITLAB_DEMO_PROJECT.path,
      accessLevel: 40,
      createdAt: isoDaysAgo(now, 65),
    },
  ];
}

function valuesFile(name: string, env: string, version: string): string {
  return [
    `# ${name} in ${env}: rendered into the HelmRelease by the platform chart`,
    'chart:',
    `  name: ${name}`,
    `  version: "${version}" ${markerComment('platform', name, env)}`,
    'replicas: 2',
    '',
  ].join('\n');
}

export interface GitLabDemoPart {
  gitlab: SeedGitLab;
  /** objects per cluster name */
  objects: Record<string, KubeObject[]>;
  /** namespaces per cluster name */
  namespaces: Record<string, string[]>;
  summary: { namespace: string; name: string; envs: string[]; strategy: string }[];
}

export function gitlabDemoSummary(): GitLabDemoPart['summary'] {
  return GITLAB_DEMO_PIPELINES.map((p) => ({ namespace: 'platform', name: p.name, envs: p.envs.map((e) => e.name), strategy: 'pull-request' }));
}

export function buildGitLabDemoPart(ctx: SeedContext, now: Date): GitLabDemoPart {
  const repoUrl = gitlabConfigRepoUrl(ctx);
  const tokens = gitlabTokens(now);
  const tokenOf = (label: GitLabDemoTokenCase) => tokens.find((t) => t.label === label) as SeedGitLabToken;
  const objects: Record<string, KubeObject[]> = { mgmt: [], 'staging-eu': [], 'prod-eu': [] };
  const namespaces: Record<string, string[]> = { mgmt: ['platform'], 'staging-eu': [], 'prod-eu': [] };
  const files: Record<string, string> = {
    'README.md': "# fleet-config (GitLab)\n\nPromotion markers for the platform team's GitLab pipelines.\n",
    'apps/ingress-gateway/base/helmrelease.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ingress-gateway\n',
  };
  const strategy = (secretName: string) => ({ strategy: { 'pull-request': { type: 'gitlab', url: repoUrl, baseBranch: GITLAB_DEMO_PROJECT.defaultBranch, secretRef: { name: secretName } } } });
  const secretData = (t: SeedGitLabToken) => ({ token: t.value, username: t.username, password: t.value });

  for (const p of GITLAB_DEMO_PIPELINES) {
    for (const env of p.envs) {
      if (!namespaces[env.cluster]?.includes(env.namespace)) namespaces[env.cluster]?.push(env.namespace);
      objects[env.cluster]?.push(helmRelease({ name: p.name, namespace: env.namespace, version: env.history[0]?.chartVersion ?? '0.0.0', history: env.history, now }));
      files[`apps/${p.name}/${env.name}/values.yaml`] = valuesFile(p.name, env.name, env.history[0]?.chartVersion ?? '0.0.0');
    }
    objects.mgmt?.push(
      pipeline({
        name: p.name,
        namespace: 'platform',
        appRef: { apiVersion: HELM_RELEASE_API, kind: 'HelmRelease', name: p.name },
        promotion: { manual: false, ...strategy(`${p.name}-promotion`) },
        environments: p.envs.map((env) => ({
          name: env.name,
          ...(env.name === 'prod' ? { promotion: { manual: false, ...strategy(`${p.name}-prod-promotion`) } } : {}),
          targets: [env.cluster === 'mgmt' ? { namespace: env.namespace } : { namespace: env.namespace, cluster: env.cluster }],
        })),
        now,
      }),
    );
    objects.mgmt?.push(secret('platform', `${p.name}-promotion`, secretData(tokenOf(p.token))));
    objects.mgmt?.push(secret('platform', `${p.name}-prod-promotion`, secretData(tokenOf(p.prodToken))));
  }

  const { pipeline: mrPipeline, env: mrEnv, from, to } = GITLAB_DEMO_OPEN_MR;
  const mrPath = `apps/${mrPipeline}/${mrEnv}/values.yaml`;
  const gitlab: SeedGitLab = {
    signInUser: RELEASE_MANAGER,
    users: [
      { username: RELEASE_MANAGER, name: 'Alice Release', id: 21 },
      { username: DEVELOPER, name: 'Bob Developer', id: 22 },
      { username: GITLAB_PROMOTION_USER, name: 'GitLab Promoter', id: 23 },
      { username: GITLAB_DEMO_BOT, name: 'fleet-config promotion', id: 24, bot: true, email: `${GITLAB_DEMO_BOT}@noreply.gitlab.example` },
    ],
    tokens,
    // listed members are Maintainers: the release manager may read the project's access tokens
    projects: [
      {
        path: GITLAB_DEMO_PROJECT.path,
        id: GITLAB_DEMO_PROJECT.id,
        defaultBranch: GITLAB_DEMO_PROJECT.defaultBranch,
        files,
        approvalsRequired: 1,
        members: [RELEASE_MANAGER, DEVELOPER, GITLAB_PROMOTION_USER],
      },
    ],
    mergeRequests: [
      {
        project: GITLAB_DEMO_PROJECT.path,
        sourceBranch: `promotion-platform-${mrPipeline}-${mrEnv}`,
        targetBranch: GITLAB_DEMO_PROJECT.defaultBranch,
        title: `Promote platform/${mrPipeline} in ${mrEnv} to ${to}`,
        description: `Promotes **platform/${mrPipeline}** into **${mrEnv}**: ${from} → ${to}.\n\n<details><summary>metadata</summary>\n\nplatform/${mrPipeline}/${mrEnv}\n\n</details>\n`,
        author: GITLAB_DEMO_BOT,
        files: { [mrPath]: valuesFile(mrPipeline, mrEnv, to) },
        createdAt: isoDaysAgo(now, 1),
        pipeline: 'running',
      },
      // merged promotions, for the release log (the targets' history says when they ran)
      ...[
        { env: 'staging', from: '4.11.1', to: '4.11.2', mergedDaysAgo: 1.02 },
        { env: 'prod', from: '4.10.0', to: '4.11.1', mergedDaysAgo: 6.02 },
      ].map((m) => ({
        project: GITLAB_DEMO_PROJECT.path,
        sourceBranch: `promotion-platform-ingress-gateway-${m.env}`,
        targetBranch: GITLAB_DEMO_PROJECT.defaultBranch,
        ...(({ title, body }) => ({ title, description: body }))(promotionPullText('platform', 'ingress-gateway', m.env, m.from, m.to)),
        author: RELEASE_MANAGER,
        files: { [`apps/ingress-gateway/${m.env}/values.yaml`]: valuesFile('ingress-gateway', m.env, m.to) },
        createdAt: isoDaysAgo(now, m.mergedDaysAgo + 0.05),
        approvedBy: [DEVELOPER],
        merged: { at: isoDaysAgo(now, m.mergedDaysAgo), by: RELEASE_MANAGER },
      })),
    ],
    oauthApps: [
      {
        clientId: 'release-board-gitlab-0000000000000000000000000000000000000000000000000000',
        clientSecret: 'gloas-not-secret-for-a-public-client',
        name: 'Release Board',
        confidential: false,
        redirectUris: ['http://127.0.0.1/callback'],
        scopes: ['api', 'read_user', 'openid', 'profile'],
      },
    ],
  };
  return { gitlab, objects, namespaces, summary: gitlabDemoSummary() };
}

/** Labelled GitLab token values, for SandboxInfo. */
export function gitlabTokenLabels(gitlab: SeedGitLab | undefined): Record<string, string> {
  return Object.fromEntries((gitlab?.tokens ?? []).filter((t) => t.label).map((t) => [t.label as string, t.value]));
}
