// Seed data validity: every custom resource validates against the real CRD schema, every
// environment promoted by pull request has its markers in the config repo, names are
// unique, and the demo really contains each case the board and the token view must show.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEMO_BROKEN_GITOPS_CLUSTER, DEMO_MISSING_GITOPS_CLUSTER, DEMO_MERGED_PROMOTIONS, DEMO_OPEN_PR, buildDemoSeed } from './demo';
import { sandboxCrdDir } from '../index';
import { resolveSeed } from './index';
import { scaleSeed } from './scale';
import type { KubeObject, Seed, SeedContext } from './types';

const CRD_DIR = sandboxCrdDir();
const FIXED_NOW = new Date('2026-11-20T12:00:00Z');

const ctx: SeedContext = {
  now: () => FIXED_NOW,
  clusters: {
    mgmt: { server: 'https://127.0.0.1:6443', caData: Buffer.from('-----BEGIN CERTIFICATE-----\nmgmt\n-----END CERTIFICATE-----\n').toString('base64') },
    'staging-eu': { server: 'https://127.0.0.1:6444', caData: Buffer.from('staging-ca').toString('base64') },
    'prod-eu': { server: 'https://127.0.0.1:6445', caData: Buffer.from('prod-ca').toString('base64') },
  },
  forge: { url: 'https://127.0.0.1:7000', apiUrl: 'https://127.0.0.1:7000/api/v3' },
};

type Validator = (obj: unknown) => string | null;

/** One validator per `<apiVersion>/<kind>` built from the CRDs' openAPIV3Schema. */
function loadCrdValidators(): Map<string, Validator> {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<string, Validator>();
  for (const file of readdirSync(CRD_DIR).filter((f) => f.endsWith('.yaml'))) {
    const crd = parse(readFileSync(join(CRD_DIR, file), 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: object } }[] };
    };
    for (const version of crd.spec.versions) {
      const validate = ajv.compile(version.schema.openAPIV3Schema);
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, (obj) => (validate(obj) ? null : ajv.errorsText(validate.errors)));
    }
  }
  return validators;
}

const validators = loadCrdValidators();

function allObjects(seed: Seed): { cluster: string; obj: KubeObject }[] {
  return seed.clusters.flatMap((c) => c.objects.map((obj) => ({ cluster: c.name, obj })));
}

function customResourcesValidate(seed: Seed) {
  let checked = 0;
  for (const { cluster, obj } of allObjects(seed)) {
    const validator = validators.get(`${obj.apiVersion}/${obj.kind}`);
    if (!validator) {
      expect(['v1'], `${cluster}: no CRD for ${obj.apiVersion} ${obj.kind}`).toContain(obj.apiVersion);
      continue;
    }
    expect(validator(obj), `${cluster} ${obj.kind} ${obj.metadata.namespace}/${obj.metadata.name}`).toBeNull();
    checked++;
  }
  return checked;
}

function pipelines(seed: Seed): KubeObject[] {
  return allObjects(seed)
    .map((x) => x.obj)
    .filter((o) => o.kind === 'Pipeline');
}

interface PipelineSpec {
  appRef: { apiVersion: string; kind: string; name: string };
  promotion?: { manual?: boolean; strategy: Record<string, unknown> };
  environments: { name: string; promotion?: { manual?: boolean; strategy: Record<string, unknown> }; targets: { namespace: string; clusterRef?: { name: string } }[] }[];
}

function promotesByPullRequest(spec: PipelineSpec, env: PipelineSpec['environments'][number]): boolean {
  const strategy = env.promotion?.strategy ?? spec.promotion?.strategy;
  return Boolean(strategy && 'pull-request' in strategy);
}

function markersIn(files: Record<string, string>): Set<string> {
  const found = new Set<string>();
  for (const content of Object.values(files)) {
    for (const m of content.matchAll(/# \{"\$promotion": "([^"]+)"\}/g)) if (m[1]) found.add(m[1]);
  }
  return found;
}

function expectMarkersForEveryPullRequestEnv(seed: Seed) {
  // GitLab pipelines (seeds/gitlab-demo.ts) keep their markers in the GitLab project
  const markers = markersIn({
    ...(seed.forge.repos[0]?.files ?? {}),
    ...Object.fromEntries((seed.gitlab?.projects ?? []).flatMap((pr) => Object.entries(pr.files).map(([f, c]) => [`gitlab:${pr.path}:${f}`, c]))),
  });
  let expected = 0;
  for (const p of pipelines(seed)) {
    const spec = p.spec as PipelineSpec;
    for (const env of spec.environments) {
      if (!promotesByPullRequest(spec, env)) continue;
      expected++;
      expect(markers, `marker for ${p.metadata.namespace}:${p.metadata.name}:${env.name}`).toContain(`${p.metadata.namespace}:${p.metadata.name}:${env.name}`);
    }
  }
  return expected;
}

function expectUniqueObjectNames(seed: Seed) {
  for (const cluster of seed.clusters) {
    const keys = cluster.objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size, `duplicate objects on ${cluster.name}`).toBe(keys.length);
  }
  expect(new Set(seed.clusters.map((c) => c.name)).size).toBe(seed.clusters.length);
  const logins = seed.forge.users.map((u) => u.login);
  expect(new Set(logins).size).toBe(logins.length);
  const tokens = seed.forge.tokens.map((t) => t.value);
  expect(new Set(tokens).size).toBe(tokens.length);
  for (const t of seed.forge.tokens) expect(logins).toContain(t.login);
  expect(logins).toContain(seed.forge.signInUser);
}

function secretValue(seed: Seed, ns: string, name: string): Record<string, string> | undefined {
  const obj = allObjects(seed).find((x) => x.obj.kind === 'Secret' && x.obj.metadata.namespace === ns && x.obj.metadata.name === name)?.obj;
  if (!obj) return undefined;
  const data = obj.data as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

describe('CRD validators', () => {
  it('reject objects that break the schema (so passing means something)', () => {
    const validate = validators.get('pipelines.weave.works/v1alpha1/Pipeline');
    expect(validate).toBeDefined();
    expect(validate?.({ apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', metadata: {}, spec: { environments: [] } })).toMatch(/appRef/);
    expect(validate?.({ apiVersion: 'x', kind: 'Pipeline', metadata: {}, spec: { appRef: { apiVersion: 'v', kind: 'k', name: 'n' }, environments: [{ name: 'dev' }] } })).toMatch(/targets/);
    const hr = validators.get('helm.toolkit.fluxcd.io/v2/HelmRelease');
    expect(hr?.({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: {}, spec: {}, status: { history: [{ chartVersion: '1' }] } })).toMatch(/interval|chartName/);
  });
});

describe('demo seed', () => {
  const seed = buildDemoSeed(ctx, { now: FIXED_NOW });
  const mgmt = seed.clusters.find((c) => c.name === 'mgmt');

  it('has a management cluster and two remotes with admin and viewer users', () => {
    expect(seed.clusters.map((c) => [c.name, c.management])).toEqual([
      ['mgmt', true],
      ['staging-eu', false],
      ['prod-eu', false],
    ]);
    for (const c of seed.clusters) {
      expect(c.users.map((u) => u.name)).toEqual(['admin', 'viewer']);
      const viewer = c.users.find((u) => u.name === 'viewer');
      const viewerResources = viewer?.rules.flatMap((r) => r.resources) ?? [];
      expect(viewerResources).not.toContain('secrets');
      // '*' resources are only granted for API groups that hold no Secrets
      for (const rule of viewer?.rules ?? []) if (rule.resources.includes('*')) expect(rule.apiGroups).not.toContain('');
      expect(viewer?.rules.flatMap((r) => r.verbs).every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
    }
  });

  it('validates every custom resource against the CRD schemas', () => {
    expect(customResourcesValidate(seed)).toBeGreaterThan(30);
  });

  it('has about a dozen Pipelines across three namespaces with the required fields', () => {
    const ps = pipelines(seed);
    expect(ps.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ps.map((p) => p.metadata.namespace))).toEqual(new Set(['team-payments', 'team-search', 'platform']));
    for (const p of ps) {
      const spec = p.spec as PipelineSpec;
      expect(spec.appRef.name).toBeTruthy();
      expect(Array.isArray(spec.environments)).toBe(true);
      for (const env of spec.environments) expect(Array.isArray(env.targets)).toBe(true);
    }
    const envCounts = new Set(ps.map((p) => (p.spec as PipelineSpec).environments.length));
    for (const n of [2, 3, 4]) expect(envCounts).toContain(n);
  });

  it('covers the Pipeline shapes the board must render', () => {
    const specs = pipelines(seed).map((p) => ({ p, spec: p.spec as PipelineSpec }));
    const kinds = new Set(specs.map((x) => `${x.spec.appRef.apiVersion} ${x.spec.appRef.kind}`));
    expect(kinds).toContain('helm.toolkit.fluxcd.io/v2 HelmRelease');
    expect(kinds).toContain('helm.toolkit.fluxcd.io/v2beta1 HelmRelease');
    expect(kinds).toContain('kustomize.toolkit.fluxcd.io/v1 Kustomization');
    // multi-target environment spanning two clusters
    expect(specs.some((x) => x.spec.environments.some((e) => new Set(e.targets.map((t) => t.clusterRef?.name ?? 'mgmt')).size >= 2))).toBe(true);
    // manual gate with a waiting revision
    const gated = specs.find((x) => x.spec.environments.some((e) => e.promotion?.manual === true));
    const waiting = (gated?.p.status as { environments?: Record<string, { waitingApproval?: { revision: string } }> }).environments;
    expect(Object.values(waiting ?? {}).some((e) => e.waitingApproval?.revision)).toBe(true);
    // notification strategy
    expect(specs.some((x) => x.spec.promotion?.strategy && 'notification' in x.spec.promotion.strategy)).toBe(true);
    // targets on a GitopsCluster that does not exist and on one whose Secret does not exist
    const clusterRefs = specs.flatMap((x) => x.spec.environments.flatMap((e) => e.targets.map((t) => t.clusterRef?.name)));
    expect(clusterRefs).toContain(DEMO_MISSING_GITOPS_CLUSTER);
    expect(clusterRefs).toContain(DEMO_BROKEN_GITOPS_CLUSTER);
    // malformed: an environment without targets and a duplicated env name
    expect(
      specs.some((x) => {
        const names = x.spec.environments.map((e) => e.name);
        return new Set(names).size < names.length && x.spec.environments.some((e) => e.targets.length === 0);
      }),
    ).toBe(true);
  });

  it('backs remote clusters with GitopsClusters whose Secrets hold a working kubeconfig, and one broken GitopsCluster', () => {
    const gitopsClusters = mgmt?.objects.filter((o) => o.kind === 'GitopsCluster') ?? [];
    expect(gitopsClusters.map((g) => g.metadata.name).sort()).toEqual([DEMO_BROKEN_GITOPS_CLUSTER, 'prod-eu', 'staging-eu']);
    for (const remote of ['staging-eu', 'prod-eu'] as const) {
      const g = gitopsClusters.find((x) => x.metadata.name === remote);
      const secretName = (g?.spec as { secretRef: { name: string } }).secretRef.name;
      const kubeconfig = parse(secretValue(seed, 'flux-system', secretName)?.value ?? '') as {
        clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
        users: { user: { token: string } }[];
      };
      expect(kubeconfig.clusters[0]?.cluster.server).toBe(ctx.clusters[remote]?.server);
      expect(kubeconfig.clusters[0]?.cluster['certificate-authority-data']).toBe(ctx.clusters[remote]?.caData);
      const admin = seed.clusters.find((c) => c.name === remote)?.users.find((u) => u.name === 'admin');
      expect(kubeconfig.users[0]?.user.token).toBe(admin?.token);
    }
    const broken = gitopsClusters.find((x) => x.metadata.name === DEMO_BROKEN_GITOPS_CLUSTER);
    expect(secretValue(seed, 'flux-system', (broken?.spec as { secretRef: { name: string } }).secretRef.name)).toBeUndefined();
    expect(gitopsClusters.some((g) => g.metadata.name === DEMO_MISSING_GITOPS_CLUSTER)).toBe(false);
  });

  it('has a marker in the config repo for every environment promoted by pull request', () => {
    expect(expectMarkersForEveryPullRequestEnv(seed)).toBeGreaterThan(20);
    const files = Object.values(seed.forge.repos[0]?.files ?? {}).join('\n');
    expect(files).toMatch(/version: "[^"]+" # \{"\$promotion"/); // quoted
    expect(files).toMatch(/version: \d[^\s"]* # \{"\$promotion"/); // plain
    expect(files).toMatch(/^ {4}version: .* # \{"\$promotion"/m); // nested values file
  });

  it('has unique names, logins and token values', () => {
    expectUniqueObjectNames(seed);
  });

  it('gives every app realistic Flux status and includes a failing, a suspended and a missing app', () => {
    const apps = allObjects(seed).filter((x) => x.obj.kind === 'HelmRelease' || x.obj.kind === 'Kustomization');
    for (const { obj } of apps) {
      const status = obj.status as { conditions: { type: string }[]; history?: { status: string; chartVersion: string }[]; lastAppliedRevision?: string };
      expect(status.conditions.some((c) => c.type === 'Ready')).toBe(true);
      if (obj.kind === 'HelmRelease') {
        expect(status.history?.length).toBeGreaterThan(0);
        expect((obj.spec as { chart: { spec: { version: string } } }).chart.spec.version).toBeTruthy();
      } else {
        expect(status.lastAppliedRevision).toMatch(/^[\w.-]+@sha1:[0-9a-f]{40}$/);
      }
    }
    const failing = apps.find(({ obj }) =>
      (obj.status as { conditions: { type: string; status: string; message: string }[] }).conditions.some((c) => c.type === 'Ready' && c.status === 'False' && c.message.length > 0),
    );
    expect(failing).toBeDefined();
    expect(apps.some(({ obj }) => (obj.spec as { suspend?: boolean }).suspend === true)).toBe(true);
    const revisions = apps.map(({ obj }) => (obj.status as { lastAppliedRevision?: string }).lastAppliedRevision ?? '');
    expect(revisions.some((r) => r.startsWith('main@sha1:'))).toBe(true);
    expect(revisions.some((r) => /^v\d+\.\d+\.\d+@sha1:/.test(r))).toBe(true);
    // autocomplete's prod HelmRelease is deliberately absent
    const prod = seed.clusters.find((c) => c.name === 'prod-eu');
    expect(prod?.objects.some((o) => o.kind === 'HelmRelease' && o.metadata.name === 'autocomplete')).toBe(false);
  });

  it('covers every token situation behind automated promotions', () => {
    const byLabel = new Map(seed.forge.tokens.map((t) => [t.label, t]));
    expect(byLabel.get('classic')?.value).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
    expect(byLabel.get('classic')?.scopes).toContain('repo');
    expect(byLabel.get('fineGrained')?.value).toMatch(/^github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}$/);
    expect(Date.parse(byLabel.get('expired')?.expiresAt ?? '')).toBeLessThan(FIXED_NOW.getTime());
    expect(byLabel.get('revoked')?.revoked).toBe(true);
    expect(byLabel.get('releaseManagerOAuth')?.value).toMatch(/^gho_/);

    const tokenOf = (ns: string, name: string) => secretValue(seed, ns, `${name}-promotion`);
    expect(tokenOf('team-payments', 'checkout')?.token).toBe(byLabel.get('classic')?.value);
    expect(tokenOf('team-payments', 'ledger')?.token).toBe(byLabel.get('fineGrained')?.value);
    expect(tokenOf('team-payments', 'fraud-detector')?.token).toBe(byLabel.get('expired')?.value);
    expect(tokenOf('team-search', 'search-indexer')?.token).toBe(byLabel.get('revoked')?.value);
    expect(tokenOf('team-search', 'query-gateway')).toBeUndefined();
    const noKey = tokenOf('team-search', 'search-ui');
    expect(noKey).toBeDefined();
    expect(noKey?.token).toBeUndefined();
    expect(tokenOf('team-search', 'ranker')?.token).toBe(tokenOf('team-search', 'autocomplete')?.token);
    expect(tokenOf('team-search', 'ranker')?.token).toBe(byLabel.get('shared')?.value);
    // every Secret a Pipeline points at lives in the Pipeline's namespace
    for (const p of pipelines(seed)) {
      const ref = ((p.spec as PipelineSpec).promotion?.strategy['pull-request'] as { secretRef: { name: string } } | undefined)?.secretRef.name;
      if (ref) expect(ref).toBe(`${p.metadata.name}-promotion`);
    }
  });

  it('opens the promotion PR on the conventional branch with the metadata block and a marker change', () => {
    expect(seed.forge.pulls.filter((p) => !p.merged)).toHaveLength(1);
    const pr = seed.forge.pulls[0];
    expect(pr?.merged).toBeUndefined();
    const { namespace: ns, pipeline: name, env, from, to } = DEMO_OPEN_PR;
    expect(pr?.head).toBe(`promotion-${ns}-${name}-${env}`);
    expect(pr?.title).toBe(`Promote ${ns}/${name} in ${env} to ${to}`);
    expect(pr?.body).toMatch(new RegExp(`<details><summary>metadata</summary>[\\s\\S]*${ns}/${name}/${env}[\\s\\S]*</details>`));
    const base = seed.forge.repos[0]?.files ?? {};
    const changed = Object.entries(pr?.files ?? {});
    expect(changed.length).toBeGreaterThan(0);
    for (const [path, content] of changed) {
      expect(base[path]).toContain(`"${from}" # {"$promotion": "${ns}:${name}:${env}"}`);
      expect(content).toContain(`"${to}" # {"$promotion": "${ns}:${name}:${env}"}`);
      expect(content.replace(`"${to}"`, `"${from}"`)).toBe(base[path]);
    }
  });

  it('has a "promotion expected" case: previous env healthy on a newer version, no PR, no gate', () => {
    const versionsOf = (cluster: string, name: string) =>
      seed.clusters
        .find((c) => c.name === cluster)
        ?.objects.filter((o) => o.kind === 'HelmRelease' && o.metadata.name === name)
        .map((o) => (o.status as { history: { chartVersion: string }[] }).history[0]?.chartVersion);
    expect(versionsOf('staging-eu', 'ingress-nginx')).toEqual(['4.11.3']);
    expect(versionsOf('prod-eu', 'ingress-nginx')).toEqual(['4.10.1']);
    expect(seed.forge.pulls.some((p) => !p.merged && p.head.includes('ingress-nginx'))).toBe(false);
  });

  it('has merged promotion PRs for the release log, each approved before it merged and before its target history says it ran', () => {
    const merged = seed.forge.pulls.filter((p) => p.merged);
    expect(merged).toHaveLength(DEMO_MERGED_PROMOTIONS.length);
    for (const p of merged) {
      expect(p.body).toMatch(/<details><summary>metadata<\/summary>/);
      expect(p.reviews?.[0]).toMatchObject({ state: 'APPROVED' });
      expect(p.reviews?.[0]?.at.localeCompare(p.merged?.at ?? '')).toBe(-1);
      expect(p.merged?.at.localeCompare(FIXED_NOW.toISOString())).toBe(-1);
    }
  });

  it('is deterministic for a fixed clock', () => {
    expect(buildDemoSeed(ctx, { now: FIXED_NOW })).toEqual(seed);
  });
});

describe('scale seed', () => {
  it('generates N pipelines with 4 environments of 1–3 targets, valid and with markers', () => {
    const seed = scaleSeed(40, { now: FIXED_NOW })(ctx);
    const ps = pipelines(seed);
    expect(ps).toHaveLength(40);
    for (const p of ps) {
      const envs = (p.spec as PipelineSpec).environments;
      expect(envs.map((e) => e.name)).toEqual(['dev', 'qa', 'staging', 'prod']);
      for (const e of envs) {
        expect(e.targets.length).toBeGreaterThanOrEqual(1);
        expect(e.targets.length).toBeLessThanOrEqual(3);
      }
    }
    const targetCount = ps.flatMap((p) => (p.spec as PipelineSpec).environments.flatMap((e) => e.targets)).length;
    const helmReleases = allObjects(seed).filter((x) => x.obj.kind === 'HelmRelease').length;
    expect(helmReleases).toBe(targetCount);
    expect(customResourcesValidate(seed)).toBeGreaterThan(40);
    expect(expectMarkersForEveryPullRequestEnv(seed)).toBe(160);
    expectUniqueObjectNames(seed);
  });

  it('is deterministic and pads the config repo on request', () => {
    const a = scaleSeed(30, { now: FIXED_NOW, repoFiles: 5000 })(ctx);
    const b = scaleSeed(30, { now: FIXED_NOW, repoFiles: 5000 })(ctx);
    expect(a).toEqual(b);
    expect(Object.keys(a.forge.repos[0]?.files ?? {})).toHaveLength(5000);
    const c = scaleSeed(30, { now: FIXED_NOW, prngSeed: 7 })(ctx);
    expect(c).not.toEqual(a);
  });
});

describe('resolveSeed', () => {
  it('resolves demo, empty and scale:N[:FILES] and rejects unknown names', () => {
    expect(resolveSeed('demo')(ctx).name).toBe('demo');
    const empty = resolveSeed('empty')(ctx);
    expect(empty.clusters.map((c) => `${c.name}:${c.management}`)).toEqual(['mgmt:true', 'staging:false', 'prod:false']);
    expect(pipelines(empty)).toHaveLength(0);
    expect(pipelines(resolveSeed('scale:7')(ctx))).toHaveLength(7);
    expect(Object.keys(resolveSeed('scale:3:200')(ctx).forge.repos[0]?.files ?? {})).toHaveLength(200);
    expect(() => resolveSeed('nope')).toThrow(/unknown seed/);
  });
});
