// GitLab promotion end to end over real HTTP, through the same entry points as GitHub:
// createPromotionStack with a GitHub and a GitLab host, auth.signInWithBrowser(gitlab host)
// (loopback + PKCE, public application, no secret), promotion.plan → promotion.apply → a
// merge request with the conventional branch/title/metadata on a project in nested groups
// (platform-team/infra/fleet-config), authored by the signed-in user → a second promotion
// updates the same MR → discovery with pipeline/approval state → approval + merge → the Flux
// simulator rolls the target. Then failures/rollbacks through the same stack, and the GitLab
// provider alone (archive fallback, branch/MR edge cases, error mapping).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnterpriseHost, gitlabHost, type ForgeHost } from '../../src-main/forges/forge-host';
import type { OpenExternal } from '../../src-main/auth/sign-in-failure';
import type { EffectiveStrategy } from '../../src-main/common/board';
import type { PromotionOrder } from '../../src-main/common/promotion';
import { createGitLabProvider } from '../../src-main/forges/gitlab/gitlab-provider';
import { createPromotionStack, type PromotionStack } from '../../src-main/promotion-stack';
import { findPromotionPull } from '../../src-main/git/pull-discovery';
import { ProviderError } from '../../src-main/forges/git-provider';
import { controllerMetadataBlock } from '../../src-main/git/promotion-plan';
import { browserFollower } from '../bench/promotion-sandbox';
import { manualClock, type FluxEvent } from '../sandbox/flux/simulator';
import { GL_PROJECT, GL_TOKENS, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { buildDemoSeed } from '../sandbox/seeds/demo';
import { GITLAB_DEMO_PROJECT } from '../sandbox/seeds/gitlab-demo';

/** A browser that opens GitLab's authorize page and presses Authorize (or Deny). */
function gitlabBrowser(decision: 'authorize' | 'deny' = 'authorize'): OpenExternal {
  return async (url) => {
    const page = await fetch(url);
    const html = await page.text();
    const id = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    if (!id) throw new Error(`no authorize form (${page.status})`);
    const form = new URLSearchParams({ request_id: id });
    if (decision === 'deny') form.set('_method', 'delete');
    const r = await fetch(new URL('/oauth/authorize', url), { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const location = r.headers.get('location');
    if (!location) throw new Error(`authorize answered ${r.status} without a redirect`);
    await (await fetch(location)).text();
  };
}

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const PROJECT = GITLAB_DEMO_PROJECT.path; // platform-team/infra/fleet-config: a project in a sub-group
const GITLAB_ID = 'gitlab-sandbox';
const GITHUB_ID = 'github-sandbox';

/** The composition root's view: one stack, both forges' hosts, one browser that goes wherever the app sends it. */
async function startStack(sandbox: Sandbox): Promise<{ stack: PromotionStack; hosts: ForgeHost[]; browsed: string[] }> {
  const gitlab = sandbox.gitlab;
  const glApp = sandbox.users.gitlab?.oauthApps.find((a) => !a.confidential);
  const ghApp = sandbox.users.oauthApps.find((a) => !a.expiringTokens);
  if (!gitlab || !glApp || !ghApp) throw new Error('the demo seed should start both forges with their OAuth applications');
  const hosts = [githubEnterpriseHost(sandbox.forge.url, ghApp.clientId, ghApp.clientSecret, GITHUB_ID), gitlabHost(gitlab.url, glApp.clientId, { id: GITLAB_ID })];
  const browsed: string[] = [];
  const github = browserFollower();
  const openExternal: OpenExternal = (url) => {
    browsed.push(url);
    return url.startsWith(`${gitlab.url}/`) ? gitlabBrowser()(url) : github(url);
  };
  return { stack: createPromotionStack({ hosts, openExternal }), hosts, browsed };
}

describe('GitLab promotion journey (createPromotionStack with GitHub and GitLab hosts + Flux)', () => {
  let sandbox: Sandbox;
  let stack: PromotionStack;
  let browsed: string[];
  let gitlab: NonNullable<Sandbox['gitlab']>;
  const events: FluxEvent[] = [];
  // the sandbox's clock: GitLab's merge-request checks and pipelines move when the test says so
  const clock = manualClock(new Date());

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: buildDemoSeed, fluxDelayMs: 20, now: clock.now });
    sandbox.flux.onEvent((e) => events.push(e));
    if (!sandbox.gitlab) throw new Error('the demo seed should start the GitLab forge');
    gitlab = sandbox.gitlab;
    ({ stack, browsed } = await startStack(sandbox));
  });
  afterAll(async () => {
    stack?.shutdown();
    await sandbox?.stop();
  });

  const strategy = (): EffectiveStrategy => ({ kind: 'pull-request', manual: false, provider: 'gitlab', repoUrl: `${gitlab.url}/${PROJECT}`, baseBranch: 'main', source: 'environment' });
  const request = (version: string): PromotionOrder => ({ pipelineNamespace: 'platform', pipelineName: 'cert-rotation', targetEnv: 'prod', version, strategy: strategy() });
  const mainSha = (): string => gitlab.server.state.listBranches(PROJECT).find((b) => b.name === 'main')?.sha as string;

  it('lists both hosts and signs in to GitLab through auth.signInWithBrowser, as for GitHub', async () => {
    expect(stack.auth.hosts().map((h) => [h.id, h.type])).toEqual([
      [GITHUB_ID, 'github'],
      [GITLAB_ID, 'gitlab'],
    ]);
    const signedIn = await stack.auth.signInWithBrowser(GITLAB_ID);
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    expect(signedIn.value).toMatchObject({ host: GITLAB_ID, login: 'rm-alice', name: 'Alice Release', state: 'signed-in', scopes: ['api', 'read_user'] });
    // a 2-hour token the vault will refresh itself
    expect(Date.parse(signedIn.value.expiresAt as string) - Date.now()).toBeGreaterThan(7000_000);
    const authorize = new URL(browsed.at(-1) as string);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${gitlab.url}/oauth/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('api read_user');
    const tokens = [...gitlab.server.state.raw.tokens.entries()].filter(([, t]) => t.kind === 'oauth' && t.username === 'rm-alice');
    expect(tokens.length).toBeGreaterThan(0);

    const github = await stack.auth.signInWithBrowser(GITHUB_ID);
    if (!github.ok) throw new Error(github.error.message);
    expect(stack.auth.sessions().map((x) => [x.host, x.login])).toEqual([
      [GITLAB_ID, 'rm-alice'],
      [GITHUB_ID, 'rm-alice'],
    ]);
  });

  it('refuses a strategy whose provider does not match the host serving the repository', async () => {
    const wrong = await stack.promotion.plan({ ...request('2.3.0'), strategy: { ...strategy(), provider: 'github' } });
    expect(wrong.ok ? '' : wrong.error.code).toBe('unsupported-provider');
    const bitbucket = await stack.promotion.plan({ ...request('2.3.0'), strategy: { ...strategy(), provider: 'bitbucket-server' } });
    expect(bitbucket.ok ? '' : bitbucket.error.code).toBe('unsupported-provider');
  });

  it('plans, opens the MR in the sub-group project, updates it on a second promotion, and Flux rolls prod after the merge', async () => {
    const branch = 'promotion-platform-cert-rotation-prod';
    const mainBefore = mainSha();
    const plan = await stack.promotion.plan(request('2.3.0'));
    if (!plan.ok) throw new Error(plan.error.message);
    const p = plan.value;
    expect(p).toMatchObject({
      branch,
      title: 'Promote platform/cert-rotation in prod to 2.3.0',
      baseSha: mainBefore,
      author: 'rm-alice',
      repo: { host: GITLAB_ID, owner: 'platform-team/infra', name: 'fleet-config', url: `${gitlab.url}/${PROJECT}` },
    });
    expect(p.existingPr).toBeUndefined();
    expect(p.files).toEqual([{ path: 'apps/cert-rotation/prod/values.yaml', changes: [{ line: 4, before: `  version: "2.2.4" ${p.marker}`, after: `  version: "2.3.0" ${p.marker}` }] }]);
    expect(gitlab.server.state.listBranches(PROJECT).map((b) => b.name)).not.toContain(branch);

    gitlab.server.requestLog.reset();
    const steps: string[] = [];
    const applied = await stack.promotion.apply(p.id, (e) => steps.push(`${e.step}:${e.status}`));
    if (!applied.ok) throw new Error(applied.error.message);
    expect(steps).toEqual(['sign-in:started', 'read-repo:started', 'read-repo:done', 'commit:started', 'commit:done', 'open-pr:started', 'open-pr:done', 'sign-in:done']);
    // branch head re-check, one commits call (commit + branch), one MR call
    expect(gitlab.server.requestLog.count()).toBe(3);
    expect(gitlab.server.requestLog.count('POST /projects/:id/repository/commits')).toBe(1);
    expect(applied.value.updated).toBe(false);
    const mr = gitlab.server.state.getMergeRequest(PROJECT, applied.value.number);
    expect(mr).toMatchObject({ sourceBranch: branch, targetBranch: 'main', title: p.title, description: p.body, author: 'rm-alice', state: 'opened', removeSourceBranch: true });
    expect(mr?.description?.endsWith(controllerMetadataBlock('platform', 'cert-rotation', 'prod'))).toBe(true);
    expect(applied.value.prUrl).toBe(`${gitlab.url}/${PROJECT}/-/merge_requests/${applied.value.number}`);
    const project = gitlab.server.state.raw.projectByPath(PROJECT);
    const head = gitlab.server.state.listBranches(PROJECT).find((b) => b.name === branch)?.sha as string;
    const commit = project?.repo.objects.commit(head);
    expect(commit?.parents).toEqual([mainBefore]);
    expect(commit?.author).toMatchObject({ name: 'Alice Release', email: 'rm-alice@example.com' });
    expect(commit?.message).toBe(p.title);
    expect(gitlab.server.state.getFile(PROJECT, branch, 'apps/cert-rotation/prod/values.yaml')).toBe(
      (gitlab.server.state.getFile(PROJECT, 'main', 'apps/cert-rotation/prod/values.yaml') as string).replace('"2.2.4"', '"2.3.0"'),
    );

    // the board's open-promotion discovery finds it by branch and metadata
    const repoUrl = `${gitlab.url}/${PROJECT}`;
    const discovered = await stack.pulls.poll(repoUrl);
    if (!discovered.ok) throw new Error(discovered.error.message);
    expect(discovered.value.pulls.find((x) => x.branch === branch)).toMatchObject({
      number: applied.value.number,
      author: 'rm-alice',
      metadata: { pipelineNamespace: 'platform', pipelineName: 'cert-rotation', targetEnv: 'prod' },
    });

    // a second promotion updates the same MR (force-moved branch, new title), no second MR
    const plan2 = await stack.promotion.plan(request('2.3.1'));
    if (!plan2.ok) throw new Error(plan2.error.message);
    expect(plan2.value.existingPr).toMatchObject({ number: applied.value.number });
    const applied2 = await stack.promotion.apply(plan2.value.id);
    if (!applied2.ok) throw new Error(applied2.error.message);
    expect(applied2.value).toMatchObject({ updated: true, number: applied.value.number });
    const open = gitlab.server.state.listMergeRequests(PROJECT).filter((m) => m.state === 'opened' && m.sourceBranch === branch);
    expect(open).toHaveLength(1);
    expect(open[0]?.title).toBe('Promote platform/cert-rotation in prod to 2.3.1');
    const head2 = gitlab.server.state.listBranches(PROJECT).find((b) => b.name === branch)?.sha as string;
    expect(project?.repo.objects.commit(head2)?.parents).toEqual([mainBefore]);

    // the board's view of the MR, one extra call per open promotion MR: right after the push
    // GitLab is still preparing it, and CI has not created the pipeline yet
    stack.pulls.invalidate(repoUrl);
    const fresh = await stack.pulls.poll(repoUrl);
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(findPromotionPull(fresh.value.pulls, 'platform', 'cert-rotation', 'prod')).toMatchObject({ checksState: 'none', mergeState: { code: 'preparing', tone: 'waiting' } });
    // a few seconds on: the push's pipeline ran (sandbox CI passes), one approval is missing
    await clock.advance(3_000);
    stack.pulls.invalidate(repoUrl);
    gitlab.server.requestLog.reset();
    const withState = await stack.pulls.poll(repoUrl);
    if (!withState.ok) throw new Error(withState.error.message);
    expect(gitlab.server.requestLog.count('GET /projects/:id/merge_requests/:iid')).toBe(withState.value.pulls.length);
    expect(findPromotionPull(withState.value.pulls, 'platform', 'cert-rotation', 'prod')).toEqual({
      number: applied.value.number,
      url: applied.value.prUrl,
      createdAt: expect.any(String),
      checksState: 'success',
      reviewState: 'review-required',
      mergeState: { code: 'not_approved', tone: 'blocked', label: 'needs approval' },
    });
    // the seeded promotion MR's pipeline is still running
    expect(findPromotionPull(withState.value.pulls, 'platform', 'ingress-gateway', 'prod')).toMatchObject({ checksState: 'pending' });

    gitlab.server.state.approve(PROJECT, applied.value.number, 'dev-bob');
    stack.pulls.invalidate(repoUrl);
    const approved = await stack.pulls.poll(repoUrl);
    if (!approved.ok) throw new Error(approved.error.message);
    expect(findPromotionPull(approved.value.pulls, 'platform', 'cert-rotation', 'prod')).toMatchObject({ checksState: 'success' });
    expect(findPromotionPull(approved.value.pulls, 'platform', 'cert-rotation', 'prod')?.reviewState).toBeUndefined();
    expect(findPromotionPull(approved.value.pulls, 'platform', 'cert-rotation', 'prod')?.mergeState).toMatchObject({ tone: 'ready', label: 'ready to merge' });

    const token = [...gitlab.server.state.raw.tokens.entries()].find(([, t]) => t.kind === 'oauth' && t.username === 'rm-alice' && !t.revoked)?.[0] as string;
    const merged = await fetch(`${gitlab.apiUrl}/projects/${encodeURIComponent(PROJECT)}/merge_requests/${applied.value.number}/merge`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(merged.status).toBe(200);
    expect(gitlab.server.state.listBranches(PROJECT).map((b) => b.name)).not.toContain(branch); // remove_source_branch

    const deployed = await waitFor('Flux to roll prod-eu/cert-rotation', () => events.find((e) => e.outcome === 'deployed' && e.target.cluster === 'prod-eu' && e.target.name === 'cert-rotation'));
    expect(deployed).toMatchObject({ version: '2.3.1', cause: 'commit', pipeline: { namespace: 'platform', name: 'cert-rotation', env: 'prod' } });
    const hr = sandbox.cluster('prod-eu').api.store.get('helm.toolkit.fluxcd.io', 'HelmRelease', 'cert-rotation', 'cert-rotation');
    expect((hr?.status as { history: { chartVersion: string; status: string }[] }).history[0]).toMatchObject({ chartVersion: '2.3.1', status: 'deployed' });
  });

  it('signs out of GitLab: the token is revoked on GitLab and promotions ask for a new sign-in', async () => {
    const before = [...gitlab.server.state.raw.tokens.entries()].filter(([, t]) => t.kind === 'oauth' && t.username === 'rm-alice' && !t.revoked).length;
    await stack.auth.signOut(GITLAB_ID);
    const after = [...gitlab.server.state.raw.tokens.entries()].filter(([, t]) => t.kind === 'oauth' && t.username === 'rm-alice' && !t.revoked).length;
    expect(after).toBeLessThan(before);
    const plan = await stack.promotion.plan(request('2.3.2'));
    expect(plan.ok ? '' : plan.error.code).toBe('sign-in-required');
    expect(stack.auth.sessions().map((x) => x.host)).toEqual([GITHUB_ID]);
  });
});

describe('GitLab promotion failures and rebuilds (same stack)', () => {
  let sandbox: Sandbox;
  let gitlab: NonNullable<Sandbox['gitlab']>;
  let stack: PromotionStack;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: buildDemoSeed, fluxDelayMs: 20 });
    if (!sandbox.gitlab) throw new Error('no GitLab forge');
    gitlab = sandbox.gitlab;
    ({ stack } = await startStack(sandbox));
    const signedIn = await stack.auth.signInWithBrowser(GITLAB_ID);
    if (!signedIn.ok) throw new Error(signedIn.error.message);
  });
  afterAll(async () => {
    stack?.shutdown();
    await sandbox?.stop();
  });

  const request = (env: string, version: string): PromotionOrder => ({
    pipelineNamespace: 'platform',
    pipelineName: 'ingress-gateway',
    targetEnv: env,
    version,
    strategy: { kind: 'pull-request', manual: false, provider: 'gitlab', repoUrl: `${gitlab.url}/${PROJECT}`, baseBranch: 'main', source: 'pipeline' },
  });
  const branches = (): Map<string, string> => new Map(gitlab.server.state.listBranches(PROJECT).map((b) => [b.name, b.sha]));

  it('a failed MR creation leaves no branch behind', async () => {
    const plan = await stack.promotion.plan(request('staging', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    gitlab.server.faults.failNext(1, 502, { method: 'POST', pathIncludes: '/merge_requests' });
    const applied = await stack.promotion.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (!applied.ok) expect(applied.error.code).toBe('forge-unavailable');
    expect(branches().has('promotion-platform-ingress-gateway-staging')).toBe(false);
    // the demo seed also holds merged promotion MRs from that branch (the release log's history): only an open one would be a leftover
    expect(gitlab.server.state.listMergeRequests(PROJECT).filter((m) => m.sourceBranch === 'promotion-platform-ingress-gateway-staging' && m.state === 'opened')).toHaveLength(0);
  });

  it('a failed update of the open MR puts its branch back where it was (GitLab: delete + recreate)', async () => {
    const branch = 'promotion-platform-ingress-gateway-prod';
    const before = branches().get(branch) as string;
    const plan = await stack.promotion.plan(request('prod', '4.12.0'));
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.existingPr?.number).toBe(1);
    gitlab.server.faults.failNext(1, 500, { method: 'PUT', pathIncludes: '/merge_requests/1' });
    const applied = await stack.promotion.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    expect(branches().get(branch)).toBe(before);
    const mr = gitlab.server.state.getMergeRequest(PROJECT, 1);
    expect(mr).toMatchObject({ state: 'opened', title: 'Promote platform/ingress-gateway in prod to 4.11.2' });
    const project = gitlab.server.state.raw.projectByPath(PROJECT);
    if (!project || !mr) throw new Error('project or MR missing');
    expect(gitlab.server.state.raw.headSha(project, mr)).toBe(before);
  });

  it('takes over a leftover promotion branch that has no open MR', async () => {
    const branch = 'promotion-platform-ingress-gateway-staging';
    // an old promotion's branch, its MR long closed: it points at main's current head
    const project = gitlab.server.state.raw.projectByPath(PROJECT);
    const stale = gitlab.server.state.listBranches(PROJECT).find((b) => b.name === 'main')?.sha as string;
    project?.repo.refs.set(`refs/heads/${branch}`, stale);
    expect(branches().get(branch)).toBe(stale);
    const plan = await stack.promotion.plan(request('staging', '4.11.5'));
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await stack.promotion.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.updated).toBe(false);
    const head = branches().get(branch) as string;
    expect(head).not.toBe(stale);
    expect(project?.repo.objects.commit(head)?.parents).toEqual([stale]);
    expect(gitlab.server.state.getMergeRequest(PROJECT, applied.value.number)).toMatchObject({ sourceBranch: branch, state: 'opened' });
  });

  it('rebuilds on the new head when main moved between plan and apply', async () => {
    const plan = await stack.promotion.plan(request('dev', '4.11.6'));
    if (!plan.ok) throw new Error(plan.error.message);
    const moved = gitlab.server.state.commitFiles(PROJECT, 'main', { 'README.md': 'moved\n' }, 'unrelated change', 'dev-bob');
    const applied = await stack.promotion.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value).toMatchObject({ rebuilt: true, baseSha: moved, updated: false });
    const head = branches().get('promotion-platform-ingress-gateway-dev') as string;
    expect(gitlab.server.state.raw.projectByPath(PROJECT)?.repo.objects.commit(head)?.parents).toEqual([moved]);
  });

  it('a refused push gets the GitLab no-access hint, not a GitHub one', async () => {
    gitlab.server.faults.failNext(1, 403, { method: 'POST', pathIncludes: '/repository/commits' });
    const plan = await stack.promotion.plan(request('prod', '4.12.1'));
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await stack.promotion.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.error).toMatchObject({ code: 'no-access', message: `Your account rm-alice cannot push to ${PROJECT}.` });
    expect(applied.error.hint).toMatch(/Developer role/);
    expect(applied.error.hint).not.toMatch(/GitHub/);
  });
});

describe('GitLab provider on a project in nested groups', () => {
  let forge: GitLabForge;
  const repo = { owner: 'platform-team/infra', name: 'fleet-config' };
  const provider = (token: string = GL_TOKENS.alice) => createGitLabProvider({ apiUrl: forge.apiUrl, token, tokenHeader: 'private-token' });

  beforeAll(async () => {
    forge = await startGitLabForge({ seed: gitlabFixtureSeed() });
  });
  afterAll(async () => {
    await forge.close();
  });

  it('reads branch heads and the marked YAML files from one archive call, falling back to tree + raw on 429', async () => {
    const p = provider();
    const head = await p.getBranchHead(repo, 'main');
    expect(head?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await p.getBranchHead(repo, 'no-such-branch')).toBeNull();
    forge.requestLog.reset();
    const files = await p.readMarkedFiles(repo, head?.sha as string, '$promotion');
    expect(files.map((f) => f.path)).toEqual(['apps/checkout/prod.yaml', 'apps/checkout/staging.yaml']);
    expect(forge.requestLog.count('GET /projects/:id/repository/archive.tar.gz')).toBe(1);
    expect(forge.requestLog.count()).toBe(1);

    forge.faults.failNext(1, 429, { pathIncludes: '/archive' });
    forge.requestLog.reset();
    const viaTree = await p.readMarkedFiles(repo, head?.sha as string, '$promotion');
    expect(viaTree).toEqual(files);
    expect(forge.requestLog.count('GET /projects/:id/repository/tree')).toBeGreaterThanOrEqual(1);
    expect(forge.requestLog.count('GET /projects/:id/repository/files/:file_path/raw')).toBe(2);
  });

  it("falls back to tree + raw files when gitlab.com's archive limit (5 a minute per user) is reached, and uses the archive again a minute later", async () => {
    const limitClock = manualClock(new Date());
    const limited = await startGitLabForge({ seed: gitlabFixtureSeed(limitClock.now()), now: limitClock.now });
    try {
      const p = createGitLabProvider({ apiUrl: limited.apiUrl, token: GL_TOKENS.alice, tokenHeader: 'private-token' });
      const head = (await p.getBranchHead(repo, 'main'))?.sha as string;
      const reads = [];
      for (let i = 0; i < 6; i += 1) reads.push(await p.readMarkedFiles(repo, head, '$promotion'));
      expect(new Set(reads.map((r) => JSON.stringify(r))).size).toBe(1);
      const archive = limited.requestLog.entries('GET /projects/:id/repository/archive.tar.gz');
      expect(archive.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 429]);
      expect(limited.requestLog.count('GET /projects/:id/repository/files/:file_path/raw')).toBe(2);
      await limitClock.advance(60_000);
      limited.requestLog.reset();
      await p.readMarkedFiles(repo, head, '$promotion');
      expect(limited.requestLog.entries().map((e) => `${e.route} ${e.status}`)).toEqual(['GET /projects/:id/repository/archive.tar.gz 200']);
    } finally {
      await limited.close();
    }
  });

  it('commits onto the promotion branch in one call, refuses a second create, force-updates, and restores', async () => {
    const p = provider();
    const head = (await p.getBranchHead(repo, 'main')) as NonNullable<Awaited<ReturnType<typeof p.getBranchHead>>>;
    const file = { path: 'apps/checkout/prod.yaml', content: 'version: "1.9.0"\n', mode: '100644' as const };
    forge.requestLog.reset();
    const first = (await p.commitToBranch(repo, { branch: 'promotion-x', parent: head, files: [file], message: 'Promote', force: false })) as string;
    expect(forge.requestLog.count()).toBe(1);
    expect((await p.getBranchHead(repo, 'promotion-x'))?.sha).toBe(first);
    expect(forge.state.getFile(GL_PROJECT, 'promotion-x', 'apps/checkout/prod.yaml')).toBe('version: "1.9.0"\n');

    const again = { branch: 'promotion-x', parent: head, files: [{ ...file, content: 'version: "2.0.0"\n' }], message: 'Promote again' };
    expect(await p.commitToBranch(repo, { ...again, force: false })).toBeNull();
    expect((await p.getBranchHead(repo, 'promotion-x'))?.sha).toBe(first);
    const moved = (await p.commitToBranch(repo, { ...again, force: true })) as string;
    expect((await p.getBranchHead(repo, 'promotion-x'))?.sha).toBe(moved);
    expect(forge.state.raw.projectByPath(GL_PROJECT)?.repo.objects.commit(moved)?.parents).toEqual([head.sha]);

    // the service's rollback: put the branch back on an existing commit
    await p.updateBranch(repo, 'promotion-x', first, true);
    expect((await p.getBranchHead(repo, 'promotion-x'))?.sha).toBe(first);
    await expect(p.updateBranch(repo, 'promotion-x', moved, false)).rejects.toMatchObject({ kind: 'validation' });
    await p.deleteBranch(repo, 'promotion-x');
    expect(await p.getBranchHead(repo, 'promotion-x')).toBeNull();
  });

  it('opens, finds, updates and lists merge requests; a duplicate is a validation error that says "already exists"', async () => {
    const p = provider();
    const head = (await p.getBranchHead(repo, 'main')) as NonNullable<Awaited<ReturnType<typeof p.getBranchHead>>>;
    await p.commitToBranch(repo, { branch: 'promotion-y', parent: head, files: [{ path: 'apps/checkout/staging.yaml', content: 'v: 2\n', mode: '100644' }], message: 'm', force: false });
    const mr = await p.openPullRequest(repo, { head: 'promotion-y', base: 'main', title: 'Promote y', body: 'body' });
    expect(mr).toMatchObject({ headBranch: 'promotion-y', baseBranch: 'main', title: 'Promote y', body: 'body', author: 'rm-alice', url: `${forge.url}/${GL_PROJECT}/-/merge_requests/${mr.number}` });
    const dup = await p.openPullRequest(repo, { head: 'promotion-y', base: 'main', title: 'again', body: '' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ProviderError);
    expect(dup).toMatchObject({ kind: 'validation', status: 409, message: expect.stringMatching(/already exists for this source branch: !\d+/) });
    expect((await p.findOpenPullRequest(repo, 'promotion-y'))?.number).toBe(mr.number);
    expect(await p.findOpenPullRequest(repo, 'promotion-none')).toBeNull();
    const updated = await p.updatePullRequest(repo, mr.number, { title: 'Promote y v2', body: 'body 2' });
    expect(updated).toMatchObject({ title: 'Promote y v2', body: 'body 2' });
    const list = await p.listOpenPullRequests(repo);
    expect(list.notModified).toBe(false);
    if (!list.notModified) expect(list.pulls.map((x) => x.headBranch)).toContain('promotion-y');
  });

  it('maps GitLab errors: revoked → unauthorized, reporter → forbidden, other group → not-found, 5xx → unavailable', async () => {
    await expect(provider(GL_TOKENS.revoked).getBranchHead(repo, 'main')).rejects.toMatchObject({ kind: 'unauthorized', status: 401, message: expect.stringContaining('Token was revoked') });
    const head = (await provider().getBranchHead(repo, 'main')) as NonNullable<Awaited<ReturnType<ReturnType<typeof provider>['getBranchHead']>>>;
    const reporter = provider(GL_TOKENS.reporterBot);
    await expect(reporter.commitToBranch(repo, { branch: 'promotion-z', parent: head, files: [{ path: 'a.yaml', content: 'a', mode: '100644' }], message: 'm', force: false })).rejects.toMatchObject({
      kind: 'forbidden',
      status: 403,
    });
    await expect(provider(GL_TOKENS.outsider).getBranchHead(repo, 'main')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('404 Project Not Found') });
    forge.faults.failNext(1, 502);
    await expect(provider().getBranchHead(repo, 'main')).rejects.toMatchObject({ kind: 'unavailable', status: 502 });
    forge.faults.failNext(1, 429, { pathIncludes: '/merge_requests' });
    await expect(provider().findOpenPullRequest(repo, 'x')).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 60 });
  });
});
