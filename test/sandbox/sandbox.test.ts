// End to end through real clients: kubectl and @kubernetes/client-node against the sandbox
// clusters, @octokit/rest against the forge. A promotion PR merged on the forge must show up as
// the new version in the target cluster's HelmRelease, through the same watch stream a real
// Flux would produce.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { demoPipelineSummary } from './seeds/demo';
import { type Sandbox, startSandbox } from './index';

const run = promisify(execFile);
const OWNER = 'acme';
const REPO = 'fleet-config';

/** Resolves with the first value the predicate accepts, or rejects after `ms` (no fixed sleeps). */
function waitFor<T>(subscribe: (accept: (value: T) => void) => () => void, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unsubscribe: () => void = () => undefined;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    unsubscribe = subscribe((value) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}

interface HelmReleaseLike {
  metadata: { name: string; resourceVersion: string };
  spec: { chart: { spec: { version: string } } };
  status: { history: { chartVersion: string; status: string }[]; conditions: { type: string; status: string }[] };
}

describe('sandbox end to end', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 20 });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('serves the seeded Pipelines to kubectl and hides Secrets from the viewer', async () => {
    const { stdout } = await run('kubectl', ['--kubeconfig', sandbox.kubeconfig, 'get', 'pipelines', '-A'], { timeout: 30_000 });
    for (const p of demoPipelineSummary()) expect(stdout).toMatch(new RegExp(`^${p.namespace}\\s+${p.name}\\s`, 'm'));
    const listed = stdout.trim().split('\n').slice(1);
    expect(listed).toHaveLength(demoPipelineSummary().length);

    const denied = await run('kubectl', ['--kubeconfig', sandbox.viewerKubeconfig, 'get', 'secrets', '-n', 'team-payments'], { timeout: 30_000 }).then(
      () => 'allowed',
      (error: { stderr?: string }) => error.stderr ?? 'failed',
    );
    expect(denied).toMatch(/Forbidden/);
    const { stdout: asViewer } = await run('kubectl', ['--kubeconfig', sandbox.viewerKubeconfig, '--context', 'prod-eu', 'get', 'helmreleases', '-n', 'payments', '-o', 'name'], { timeout: 30_000 });
    expect(asViewer).toContain('helmrelease.helm.toolkit.fluxcd.io/checkout');
  }, 60_000);

  it('reaches remote clusters through the GitopsCluster kubeconfig Secret', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfig);
    kc.setCurrentContext('mgmt');
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const secret = await kc.makeApiClient(CoreV1Api).readNamespacedSecret({ name: 'staging-eu-kubeconfig', namespace: 'flux-system' });
    const remote = new KubeConfig();
    remote.loadFromString(Buffer.from(secret.data?.value ?? '', 'base64').toString('utf8'));
    const list = (await remote.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'helm.toolkit.fluxcd.io',
      version: 'v2',
      namespace: 'payments',
      plural: 'helmreleases',
    })) as { items: { metadata: { name: string } }[] };
    expect(list.items.map((i) => i.metadata.name)).toContain('checkout');
    expect(remote.getCurrentCluster()?.server).toBe(sandbox.cluster('staging-eu').server);
  }, 60_000);

  it('writes a JSON-safe info object with the sign-in user, OAuth apps and token cases', () => {
    const info = JSON.parse(JSON.stringify(sandbox.info)) as typeof sandbox.info;
    expect(info.clusters.map((c) => c.name)).toEqual(['mgmt', 'staging-eu', 'prod-eu']);
    expect(info.users.signIn.login).toBe('rm-alice');
    expect(info.users.oauthApps.map((a) => a.expiringTokens)).toEqual([false, true]);
    for (const label of ['classic', 'fineGrained', 'expired', 'revoked', 'shared', 'releaseManager']) expect(info.users.tokens[label]).toBeTruthy();
    expect(Object.keys(info.users.kube.viewer ?? {})).toEqual(['mgmt', 'staging-eu', 'prod-eu']);
    const kubeconfig = parse(readFileSync(info.kubeconfig, 'utf8')) as { 'current-context': string; contexts: { name: string }[] };
    expect(kubeconfig['current-context']).toBe('mgmt');
    expect(kubeconfig.contexts.map((c) => c.name)).toEqual(expect.arrayContaining(['mgmt', 'staging-eu', 'prod-eu', 'mgmt-viewer', 'prod-eu-viewer']));
  }, 60_000);

  it('deploys the new version to the target HelmRelease after a promotion PR is merged on the forge', async () => {
    const pipelineNs = 'platform';
    const name = 'ingress-nginx';
    const env = 'prod';
    const path = `apps/${name}/${env}/helmrelease.yaml`;
    const marker = `# {"$promotion": "${pipelineNs}:${name}:${env}"}`;
    const octokit = new Octokit({ baseUrl: sandbox.forge.apiUrl, auth: sandbox.users.tokens.releaseManager });

    // client-node watch on the target, opened before anything changes
    const kc = new KubeConfig();
    kc.loadFromFile(sandbox.kubeconfig);
    kc.setCurrentContext('prod-eu');
    const api = kc.makeApiClient(CustomObjectsApi);
    const before = (await api.getNamespacedCustomObject({ group: 'helm.toolkit.fluxcd.io', version: 'v2', namespace: 'ingress-nginx', plural: 'helmreleases', name })) as HelmReleaseLike;
    expect(before.status.history[0]?.chartVersion).toBe('4.10.1');
    const seen: string[] = [];
    let onChange: (hr: HelmReleaseLike) => void = () => undefined;
    const watch = new Watch(kc);
    const abort = await watch.watch(
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/ingress-nginx/helmreleases',
      { resourceVersion: before.metadata.resourceVersion, fieldSelector: `metadata.name=${name}` },
      (phase, obj: HelmReleaseLike) => {
        const reconciling = obj.status.conditions.find((c) => c.type === 'Reconciling')?.status ?? '-';
        const ready = obj.status.conditions.find((c) => c.type === 'Ready')?.status;
        seen.push(`${phase} ${obj.spec.chart.spec.version} reconciling=${reconciling} ready=${ready}`);
        onChange(obj);
      },
      () => undefined,
    );
    const deployed = waitFor<HelmReleaseLike>(
      (accept) => {
        onChange = (hr) => {
          const ready = hr.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
          if (ready && hr.status.history[0]?.chartVersion === '4.11.3') accept(hr);
        };
        return () => {
          onChange = () => undefined;
        };
      },
      15_000,
      'the prod HelmRelease to be Ready on 4.11.3',
    );

    try {
      // a promotion as the app will do it: branch, commit via the git data API, PR, merge
      const { data: content } = await octokit.rest.repos.getContent({ owner: OWNER, repo: REPO, path, ref: 'main' });
      if (Array.isArray(content) || content.type !== 'file') throw new Error('expected a file');
      const text = Buffer.from(content.content, 'base64').toString('utf8');
      expect(text).toContain(`version: 4.10.1 ${marker}`);
      const { data: mainRef } = await octokit.rest.git.getRef({ owner: OWNER, repo: REPO, ref: 'heads/main' });
      const { data: baseCommit } = await octokit.rest.git.getCommit({ owner: OWNER, repo: REPO, commit_sha: mainRef.object.sha });
      const { data: tree } = await octokit.rest.git.createTree({
        owner: OWNER,
        repo: REPO,
        base_tree: baseCommit.tree.sha,
        tree: [{ path, mode: '100644', type: 'blob', content: text.replace(`version: 4.10.1 ${marker}`, `version: 4.11.3 ${marker}`) }],
      });
      const { data: commit } = await octokit.rest.git.createCommit({
        owner: OWNER,
        repo: REPO,
        message: `Promote ${pipelineNs}/${name} in ${env} to 4.11.3`,
        tree: tree.sha,
        parents: [baseCommit.sha],
      });
      const branch = `promotion-${pipelineNs}-${name}-${env}`;
      await octokit.rest.git.createRef({ owner: OWNER, repo: REPO, ref: `refs/heads/${branch}`, sha: commit.sha });
      const { data: pr } = await octokit.rest.pulls.create({
        owner: OWNER,
        repo: REPO,
        head: branch,
        base: 'main',
        title: `Promote ${pipelineNs}/${name} in ${env} to 4.11.3`,
        body: `Promotion.\n\n<details><summary>metadata</summary>\n\n${pipelineNs}/${name}/${env}\n\n</details>`,
      });
      // nothing moves while the PR is open: Flux follows main only
      expect(sandbox.cluster('prod-eu').api.store.get('helm.toolkit.fluxcd.io', 'HelmRelease', 'ingress-nginx', name)?.spec).toMatchObject({ chart: { spec: { version: '4.10.1' } } });
      const { data: merge } = await octokit.rest.pulls.merge({ owner: OWNER, repo: REPO, pull_number: pr.number, merge_method: 'squash' });
      expect(merge.merged).toBe(true);

      const hr = await deployed;
      expect(hr.spec.chart.spec.version).toBe('4.11.3');
      expect(hr.status.history[0]).toMatchObject({ chartVersion: '4.11.3', status: 'deployed' });
      expect(hr.status.history[1]).toMatchObject({ chartVersion: '4.10.1', status: 'superseded' });
      expect(seen).toEqual(['MODIFIED 4.11.3 reconciling=- ready=True', 'MODIFIED 4.11.3 reconciling=True ready=Unknown', 'MODIFIED 4.11.3 reconciling=- ready=True']);
    } finally {
      abort.abort();
    }

    // an independent client agrees
    const { stdout } = await run(
      'kubectl',
      ['--kubeconfig', sandbox.kubeconfig, '--context', 'prod-eu', 'get', 'helmrelease', name, '-n', 'ingress-nginx', '-o', 'jsonpath={.status.history[0].chartVersion}'],
      { timeout: 30_000 },
    );
    expect(stdout).toBe('4.11.3');
  }, 60_000);

  it('removes its temp dir on stop', async () => {
    const other = await startSandbox({ seed: 'empty', fluxDelayMs: 0 });
    expect(existsSync(other.kubeconfig)).toBe(true);
    await other.stop();
    expect(existsSync(other.info.dir)).toBe(false);
  }, 60_000);

  it('runs every part on the clock it is given', async () => {
    const at = new Date('2031-03-01T12:00:00Z');
    const pinned = await startSandbox({ seed: 'demo', fluxDelayMs: 0, now: () => at });
    try {
      // the seed's expiries are relative to the sandbox clock, and the forge judges them by it
      const fineGrained = pinned.seed.forge.tokens.find((t) => t.label === 'fineGrained');
      expect(Date.parse(fineGrained?.expiresAt ?? '')).toBeGreaterThan(at.getTime());
      const octo = new Octokit({ baseUrl: pinned.forge.apiUrl, auth: pinned.users.tokens.expired });
      await expect(octo.rest.users.getAuthenticated()).rejects.toMatchObject({ status: 401 });
      // objects created now carry the sandbox's time
      const created = pinned.cluster('mgmt').api.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'clock-check' } });
      expect(created.metadata.creationTimestamp).toBe('2031-03-01T12:00:00Z');
    } finally {
      await pinned.stop();
    }
  }, 60_000);
});

describe('sandbox with a generated fleet', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'scale:20', fluxDelayMs: 0 });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('promotes every target of an environment when its marker changes on main', async () => {
    const mgmt = sandbox.cluster('mgmt').api.store;
    const p = mgmt.list('pipelines.weave.works', 'Pipeline')[0];
    if (!p) throw new Error('no pipeline');
    const ns = p.metadata.namespace ?? '';
    const name = p.metadata.name;
    const prod = (p.spec as { environments: { name: string; targets: { namespace: string; clusterRef?: { name: string } }[] }[] }).environments.find((e) => e.name === 'prod');
    const path = `apps/${ns}/${name}/prod/helmrelease.yaml`;
    const forgeState = sandbox.forge.server.state;
    const text = forgeState.getFile('acme/fleet-config', 'main', path);
    expect(text).toContain(`# {"$promotion": "${ns}:${name}:prod"}`);

    const targets = prod?.targets ?? [];
    const pending = new Set(targets.map((t) => `${t.clusterRef?.name ?? 'mgmt'}/${t.namespace}`));
    const allDeployed = waitFor<void>(
      (accept) =>
        sandbox.flux.onEvent((e) => {
          if (e.outcome === 'deployed' && e.version === '99.0.0') pending.delete(`${e.target.cluster}/${e.target.namespace}`);
          if (pending.size === 0) accept();
        }),
      15_000,
      `every prod target of ${ns}/${name} to deploy 99.0.0`,
    );
    forgeState.commitFiles('acme/fleet-config', 'main', { [path]: (text ?? '').replace(/version: "[^"]+"/, 'version: "99.0.0"') }, 'promote to 99.0.0', 'rm-alice');
    await allDeployed;
    for (const t of targets) {
      const hr = sandbox.cluster(t.clusterRef?.name ?? 'mgmt').api.store.get('helm.toolkit.fluxcd.io', 'HelmRelease', t.namespace, name) as unknown as {
        status: { history: { chartVersion: string }[] };
      };
      expect(hr.status.history[0]?.chartVersion).toBe('99.0.0');
    }
  }, 60_000);
});
