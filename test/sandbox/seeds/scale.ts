// The "scale:N" seed: N generated Pipelines (4 environments, 1–3 targets each over the
// management cluster and two remotes) for load and benchmark runs. Generation is driven by a
// seeded PRNG so the same N always yields the same fleet, and the config repo carries a
// marker for every environment; `repoFiles` pads the repo with inert files so promotion
// benchmarks can measure a realistically large tree.

import {
  FLUX_NAMESPACE,
  HELM_RELEASE_API,
  PROMOTION_BOT,
  RELEASE_MANAGER,
  STANDARD_FORGE_USERS,
  STANDARD_OAUTH_APPS,
  classicToken,
  clusterServer,
  gitopsCluster,
  helmRelease,
  isoDaysAgo,
  kubeToken,
  kubeconfigYaml,
  markerComment,
  namespace,
  pipeline,
  pullRequestStrategy,
  secret,
  standardKubeUsers,
} from './builders';
import type { HelmRevision } from './builders';
import type { KubeObject, Seed, SeedBuilder, SeedForgeToken } from './types';

export const SCALE_CLUSTERS = ['mgmt', 'staging-eu', 'prod-eu'] as const;
export const SCALE_ENVS = ['dev', 'qa', 'staging', 'prod'] as const;
export const SCALE_CONFIG_REPO = { owner: 'acme', name: 'fleet-config', defaultBranch: 'main' } as const;
const TEAMS = 10;

export interface ScaleSeedOptions {
  /** pad the config repo to at least this many files (default: only the marker files) */
  repoFiles?: number;
  /** PRNG seed; the default keeps runs comparable */
  prngSeed?: number;
  /** reference time for ages and deployment times (default: the context's clock) */
  now?: Date;
}

/** mulberry32: tiny, fast, and good enough to make fleets look irregular but reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function scalePipelineName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

export function scaleTeam(i: number): string {
  return `team-${String(i % TEAMS).padStart(2, '0')}`;
}

export function scaleSeed(count: number, options: ScaleSeedOptions = {}): SeedBuilder {
  if (!Number.isInteger(count) || count < 0) throw new Error(`scale seed needs a non-negative integer, got ${count}`);
  return (ctx) => {
    const now = options.now ?? ctx.now();
    const random = seededRandom(options.prngSeed ?? 0x5eed);
    const pick = (n: number) => Math.floor(random() * n);
    const repoUrl = `${ctx.forge.url.replace(/\/$/, '')}/${SCALE_CONFIG_REPO.owner}/${SCALE_CONFIG_REPO.name}`;

    const objects = new Map<string, KubeObject[]>(SCALE_CLUSTERS.map((c) => [c, []]));
    const namespaces = new Map<string, Set<string>>(SCALE_CLUSTERS.map((c) => [c, new Set([FLUX_NAMESPACE])]));
    const mgmt = objects.get('mgmt') as KubeObject[];

    for (const remote of SCALE_CLUSTERS.slice(1)) {
      const { server, caData } = clusterServer(ctx, remote);
      mgmt.push(gitopsCluster(remote, `${remote}-kubeconfig`, { ok: true, message: 'Secret found' }, isoDaysAgo(now, 60)));
      mgmt.push(secret(FLUX_NAMESPACE, `${remote}-kubeconfig`, { value: kubeconfigYaml(remote, server, caData, kubeToken('admin', remote)) }));
    }

    const tokens: SeedForgeToken[] = [];
    for (let t = 0; t < TEAMS; t++) {
      const team = scaleTeam(t);
      tokens.push({ value: classicToken(`scale:${team}`), login: PROMOTION_BOT, kind: 'classic', scopes: ['repo'], expiresAt: null, label: team });
    }
    tokens.push({ value: classicToken('scale:release-manager'), login: RELEASE_MANAGER, kind: 'classic', scopes: ['repo', 'read:user'], expiresAt: null, label: 'releaseManager' });

    const files: Record<string, string> = { 'README.md': `# fleet-config (scale:${count})\n` };
    for (let i = 0; i < count; i++) {
      const name = scalePipelineName(i);
      const team = scaleTeam(i);
      namespaces.get('mgmt')?.add(team);
      const major = 1 + pick(5);
      const minor = pick(20);
      let patch = 3 + pick(10);
      const envs = SCALE_ENVS.map((env) => {
        // later environments lag behind now and then, like a real fleet between releases
        if (env !== 'dev' && random() < 0.3) patch -= 1;
        const version = `${major}.${minor}.${patch}`;
        const targetCount = 1 + pick(3);
        const clusters = shuffled([...SCALE_CLUSTERS], random)
          .slice(0, targetCount)
          .sort();
        return { env, version, clusters };
      });
      for (const e of envs) {
        for (const cluster of e.clusters) {
          const ns = `apps-${e.env}`;
          namespaces.get(cluster)?.add(ns);
          const history: HelmRevision[] = [
            { chartVersion: e.version, status: 'deployed', deployedDaysAgo: 1 + pick(10) },
            { chartVersion: `${major}.${minor}.${Math.max(0, patch - 3)}`, status: 'superseded', deployedDaysAgo: 20 + pick(20) },
          ];
          objects.get(cluster)?.push(helmRelease({ name, namespace: ns, version: e.version, history, now }));
        }
        files[`apps/${team}/${name}/${e.env}/helmrelease.yaml`] = [
          `apiVersion: ${HELM_RELEASE_API}`,
          'kind: HelmRelease',
          'metadata:',
          `  name: ${name}`,
          `  namespace: apps-${e.env}`,
          'spec:',
          '  chart:',
          '    spec:',
          `      chart: ${name}`,
          `      version: "${e.version}" ${markerComment(team, name, e.env)}`,
          '',
        ].join('\n');
      }
      const secretName = `${name}-promotion`;
      const teamToken = tokens[i % TEAMS]?.value ?? '';
      mgmt.push(secret(team, secretName, { token: teamToken, username: PROMOTION_BOT, password: teamToken }));
      mgmt.push(
        pipeline({
          name,
          namespace: team,
          appRef: { apiVersion: HELM_RELEASE_API, kind: 'HelmRelease', name },
          promotion: { manual: false, strategy: pullRequestStrategy(repoUrl, secretName, SCALE_CONFIG_REPO.defaultBranch) },
          environments: envs.map((e) => ({
            name: e.env,
            targets: e.clusters.map((c) => (c === 'mgmt' ? { namespace: `apps-${e.env}` } : { namespace: `apps-${e.env}`, cluster: c })),
          })),
          now,
        }),
      );
    }

    const wanted = options.repoFiles ?? 0;
    for (let n = Object.keys(files).length, k = 0; n < wanted; n++, k++) {
      const bucket = String(Math.floor(k / 100)).padStart(3, '0');
      files[`padding/${bucket}/config-${String(k).padStart(5, '0')}.yaml`] = `# inert padding file ${k}\nkey: value-${k}\n`;
    }

    return {
      name: `scale:${count}`,
      clusters: SCALE_CLUSTERS.map((name) => ({
        name,
        management: name === 'mgmt',
        users: standardKubeUsers(name),
        objects: [...[...(namespaces.get(name) ?? [])].sort().map(namespace), ...(objects.get(name) ?? [])],
      })),
      forge: {
        users: STANDARD_FORGE_USERS,
        tokens,
        repos: [{ ...SCALE_CONFIG_REPO, files }],
        pulls: [],
        oauthApps: STANDARD_OAUTH_APPS,
        signInUser: RELEASE_MANAGER,
      },
    } satisfies Seed;
  };
}
