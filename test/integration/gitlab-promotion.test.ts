// GitLab promotion end to end over real HTTP: sign in to the GitLab sandbox with the loopback
// flow (PKCE, public application, no secret), then the same journey as GitHub through the
// provider-neutral promotion service with the GitLab provider: plan → apply → merge request
// with the conventional branch/title/metadata, authored by the signed-in user → a second
// promotion updates the same MR → approval + merge → the Flux simulator rolls the target.
// Then the provider alone against a project in nested groups (sub-group paths), its archive
// fallback, branch/MR edge cases and error mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGitLabIdentity, gitlabHost, startGitLabLoopbackSignIn, type GitLabHost } from '../../src-main/auth/gitlab-oauth';
import type { OpenExternal } from '../../src-main/auth/loopback-sign-in';
import type { ForgeHost } from '../../src-main/auth/forge-host';
import { createSessionVault } from '../../src-main/auth/session-vault';
import type { EffectiveStrategy } from '../../src-main/common/board';
import type { PromotionRequest } from '../../src-main/common/promotion';
import { createGitLabProvider, gitlabProviderFor } from '../../src-main/git/gitlab/gitlab-provider';
import { createPromotionService, type PromotionService } from '../../src-main/git/promotion-service';
import { createPullDiscovery, type PullDiscovery } from '../../src-main/git/pull-discovery';
import { ProviderError } from '../../src-main/git/provider';
import type { FluxEvent } from '../sandbox/flux/simulator';
import { GL_PROJECT, GL_TOKENS, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { buildDemoSeed } from '../sandbox/seeds/demo';
import { GITLAB_DEMO_PROJECT } from '../sandbox/seeds/gitlab-demo';
import type { SeedBuilder } from '../sandbox/seeds/types';

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

// The promotion service resolves repository URLs with auth/forge-host.ts, which accepts
// exactly HOST/OWNER/REPO today; the journey therefore runs on the demo with the GitLab
// project moved up one group level. Sub-group paths are covered against the provider below.
const FLAT_PATH = 'platform-team/fleet-config';

describe('GitLab promotion journey (promotion service + GitLab provider + Flux)', () => {
  let sandbox: Sandbox;
  let host: GitLabHost;
  let forgeHostView: ForgeHost;
  let service: PromotionService;
  let discovery: PullDiscovery;
  let gitlab: NonNullable<Sandbox['gitlab']>;
  let accessToken: string;
  const events: FluxEvent[] = [];

  beforeAll(async () => {
    const flattened: SeedBuilder = (ctx) => JSON.parse(JSON.stringify(buildDemoSeed(ctx)).replaceAll(GITLAB_DEMO_PROJECT.path, FLAT_PATH)) as ReturnType<SeedBuilder>;
    sandbox = await startSandbox({ seed: flattened, fluxDelayMs: 20 });
    sandbox.flux.onEvent((e) => events.push(e));
    if (!sandbox.gitlab || !sandbox.users.gitlab) throw new Error('the demo seed should start the GitLab forge');
    gitlab = sandbox.gitlab;
    const app = sandbox.users.gitlab.oauthApps[0];
    if (!app || app.confidential) throw new Error('the demo needs a public GitLab application');
    host = gitlabHost(gitlab.url, app.clientId, { id: 'gitlab-sandbox' });
    const attempt = await startGitLabLoopbackSignIn({ host, openExternal: gitlabBrowser() });
    const grant = await attempt.result;
    accessToken = grant.accessToken;
    const identity = await fetchGitLabIdentity(host, grant.accessToken);
    // ForgeHost has no 'gitlab' type yet; the vault only keys by id and reads the grant
    forgeHostView = { ...host, type: 'github' } as unknown as ForgeHost;
    const vault = createSessionVault();
    vault.store(forgeHostView, grant, identity);
    const providerFor = gitlabProviderFor();
    service = createPromotionService({ hosts: [forgeHostView], vault, providerFor });
    discovery = createPullDiscovery({ hosts: [forgeHostView], vault, providerFor });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  // The Pipelines say `type: gitlab`; promotion-plan.ts refuses any provider but github, so the
  // request leaves `provider` unset (see the report).
  const strategy = (): EffectiveStrategy => ({ kind: 'pull-request', manual: false, repoUrl: `${gitlab.url}/${FLAT_PATH}`, baseBranch: 'main', source: 'environment' });
  const request = (version: string): PromotionRequest => ({ pipelineNamespace: 'platform', pipelineName: 'cert-rotation', targetEnv: 'prod', version, strategy: strategy() });
  const mainSha = (): string => gitlab.server.state.listBranches(FLAT_PATH).find((b) => b.name === 'main')?.sha as string;

  it('signed in as the seeded user through the public application, with a 2-hour token', () => {
    expect(accessToken).toMatch(/^[0-9a-f]{64}$/);
    expect(gitlab.server.state.raw.tokens.get(accessToken)).toMatchObject({ kind: 'oauth', username: 'rm-alice', scopes: ['api', 'read_user'] });
  });

  it('plans, opens the MR, updates it on a second promotion, and Flux rolls prod after the merge', async () => {
    const branch = 'promotion-platform-cert-rotation-prod';
    const mainBefore = mainSha();
    const plan = await service.plan(request('2.3.0'));
    if (!plan.ok) throw new Error(plan.error.message);
    const p = plan.value;
    expect(p).toMatchObject({ branch, title: 'Promote platform/cert-rotation in prod to 2.3.0', baseSha: mainBefore, author: 'rm-alice', repo: { owner: 'platform-team', name: 'fleet-config' } });
    expect(p.existingPr).toBeUndefined();
    expect(p.files).toEqual([{ path: 'apps/cert-rotation/prod/values.yaml', changes: [{ line: 4, before: `  version: "2.2.4" ${p.marker}`, after: `  version: "2.3.0" ${p.marker}` }] }]);
    expect(gitlab.server.state.listBranches(FLAT_PATH).map((b) => b.name)).not.toContain(branch);

    const applied = await service.apply(p.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.updated).toBe(false);
    const mr = gitlab.server.state.getMergeRequest(FLAT_PATH, applied.value.number);
    expect(mr).toMatchObject({ sourceBranch: branch, targetBranch: 'main', title: p.title, description: p.body, author: 'rm-alice', state: 'opened', removeSourceBranch: true });
    expect(mr?.description).toMatch(/<details><summary>metadata<\/summary>\s+platform\/cert-rotation\/prod\s+<\/details>/);
    expect(applied.value.prUrl).toBe(`${gitlab.url}/${FLAT_PATH}/-/merge_requests/${applied.value.number}`);
    const project = gitlab.server.state.raw.projectByPath(FLAT_PATH);
    const head = gitlab.server.state.listBranches(FLAT_PATH).find((b) => b.name === branch)?.sha as string;
    const commit = project?.repo.objects.commit(head);
    expect(commit?.parents).toEqual([mainBefore]);
    expect(commit?.author).toMatchObject({ name: 'Alice Release', email: 'rm-alice@example.com' });
    expect(commit?.message).toBe(p.title);
    expect(gitlab.server.state.getFile(FLAT_PATH, branch, 'apps/cert-rotation/prod/values.yaml')).toBe(
      (gitlab.server.state.getFile(FLAT_PATH, 'main', 'apps/cert-rotation/prod/values.yaml') as string).replace('"2.2.4"', '"2.3.0"'),
    );

    // the board's open-promotion discovery finds it by branch and metadata
    const discovered = await discovery.poll(`${gitlab.url}/${FLAT_PATH}`);
    if (!discovered.ok) throw new Error(discovered.error.message);
    expect(discovered.value.pulls.find((x) => x.branch === branch)).toMatchObject({ number: applied.value.number, author: 'rm-alice', metadata: { pipelineNamespace: 'platform', pipelineName: 'cert-rotation', targetEnv: 'prod' } });

    // a second promotion updates the same MR (force-moved branch, new title), no second MR
    const plan2 = await service.plan(request('2.3.1'));
    if (!plan2.ok) throw new Error(plan2.error.message);
    expect(plan2.value.existingPr).toMatchObject({ number: applied.value.number });
    const applied2 = await service.apply(plan2.value.id);
    if (!applied2.ok) throw new Error(applied2.error.message);
    expect(applied2.value).toMatchObject({ updated: true, number: applied.value.number });
    const open = gitlab.server.state.listMergeRequests(FLAT_PATH).filter((m) => m.state === 'opened' && m.sourceBranch === branch);
    expect(open).toHaveLength(1);
    expect(open[0]?.title).toBe('Promote platform/cert-rotation in prod to 2.3.1');
    const head2 = gitlab.server.state.listBranches(FLAT_PATH).find((b) => b.name === branch)?.sha as string;
    expect(project?.repo.objects.commit(head2)?.parents).toEqual([mainBefore]);

    // the board's view of the MR: the push started a pipeline (sandbox CI passes), one approval missing
    const provider = createGitLabProvider({ apiUrl: gitlab.apiUrl, token: accessToken });
    const repo = { owner: 'platform-team', name: 'fleet-config' };
    const status = await provider.mergeRequestStatus(repo, applied.value.number);
    expect(status).toMatchObject({ state: 'opened', checksState: 'success', reviewState: 'review-required', approvals: { required: 1, left: 1, approvedBy: [] }, headPipeline: { status: 'success' } });
    const seeded = await provider.mergeRequestStatus(repo, 1);
    expect(seeded).toMatchObject({ checksState: 'pending', headPipeline: { status: 'running' } });

    gitlab.server.state.approve(FLAT_PATH, applied.value.number, 'dev-bob');
    expect((await provider.mergeRequestStatus(repo, applied.value.number)).reviewState).toBe('approved');
    const merged = await fetch(`${gitlab.apiUrl}/projects/${encodeURIComponent(FLAT_PATH)}/merge_requests/${applied.value.number}/merge`, { method: 'PUT', headers: { authorization: `Bearer ${accessToken}` } });
    expect(merged.status).toBe(200);
    expect(gitlab.server.state.listBranches(FLAT_PATH).map((b) => b.name)).not.toContain(branch); // remove_source_branch

    const deployed = await waitFor('Flux to roll prod-eu/cert-rotation', () => events.find((e) => e.outcome === 'deployed' && e.target.cluster === 'prod-eu' && e.target.name === 'cert-rotation'));
    expect(deployed).toMatchObject({ version: '2.3.1', cause: 'commit', pipeline: { namespace: 'platform', name: 'cert-rotation', env: 'prod' } });
    const hr = sandbox.cluster('prod-eu').api.store.get('helm.toolkit.fluxcd.io', 'HelmRelease', 'cert-rotation', 'cert-rotation');
    expect((hr?.status as { history: { chartVersion: string; status: string }[] }).history[0]).toMatchObject({ chartVersion: '2.3.1', status: 'deployed' });
  });
});

describe('GitLab promotion failures and rebuilds (same sandbox shape)', () => {
  let sandbox: Sandbox;
  let gitlab: NonNullable<Sandbox['gitlab']>;
  let service: PromotionService;

  beforeAll(async () => {
    const flattened: SeedBuilder = (ctx) => JSON.parse(JSON.stringify(buildDemoSeed(ctx)).replaceAll(GITLAB_DEMO_PROJECT.path, FLAT_PATH)) as ReturnType<SeedBuilder>;
    sandbox = await startSandbox({ seed: flattened, fluxDelayMs: 20 });
    if (!sandbox.gitlab || !sandbox.users.gitlab) throw new Error('no GitLab forge');
    gitlab = sandbox.gitlab;
    const host = gitlabHost(gitlab.url, sandbox.users.gitlab.oauthApps[0]?.clientId as string, { id: 'gitlab-sandbox' });
    const grant = await (await startGitLabLoopbackSignIn({ host, openExternal: gitlabBrowser() })).result;
    const view = { ...host, type: 'github' } as unknown as ForgeHost;
    const vault = createSessionVault();
    vault.store(view, grant, await fetchGitLabIdentity(host, grant.accessToken));
    service = createPromotionService({ hosts: [view], vault, providerFor: (h, token) => createGitLabProvider({ apiUrl: h.apiUrl, token }) });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const request = (env: string, version: string): PromotionRequest => ({
    pipelineNamespace: 'platform',
    pipelineName: 'ingress-gateway',
    targetEnv: env,
    version,
    strategy: { kind: 'pull-request', manual: false, repoUrl: `${gitlab.url}/${FLAT_PATH}`, baseBranch: 'main', source: 'pipeline' },
  });
  const branches = (): Map<string, string> => new Map(gitlab.server.state.listBranches(FLAT_PATH).map((b) => [b.name, b.sha]));

  it('a failed MR creation leaves no branch behind', async () => {
    const plan = await service.plan(request('staging', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    gitlab.server.faults.failNext(1, 502, { method: 'POST', pathIncludes: '/merge_requests' });
    const applied = await service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (!applied.ok) expect(applied.error.code).toBe('forge-unavailable');
    expect(branches().has('promotion-platform-ingress-gateway-staging')).toBe(false);
    expect(gitlab.server.state.listMergeRequests(FLAT_PATH).filter((m) => m.sourceBranch === 'promotion-platform-ingress-gateway-staging')).toHaveLength(0);
  });

  it('a failed update of the open MR puts its branch back where it was (GitLab: delete + recreate)', async () => {
    const branch = 'promotion-platform-ingress-gateway-prod';
    const before = branches().get(branch) as string;
    const plan = await service.plan(request('prod', '4.12.0'));
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.existingPr?.number).toBe(1);
    gitlab.server.faults.failNext(1, 500, { method: 'PUT', pathIncludes: '/merge_requests/1' });
    const applied = await service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    expect(branches().get(branch)).toBe(before);
    const mr = gitlab.server.state.getMergeRequest(FLAT_PATH, 1);
    expect(mr).toMatchObject({ state: 'opened', title: 'Promote platform/ingress-gateway in prod to 4.11.2' });
    const project = gitlab.server.state.raw.projectByPath(FLAT_PATH);
    if (!project || !mr) throw new Error('project or MR missing');
    expect(gitlab.server.state.raw.headSha(project, mr)).toBe(before);
  });

  it('rebuilds on the new head when main moved between plan and apply', async () => {
    const plan = await service.plan(request('staging', '4.11.4'));
    if (!plan.ok) throw new Error(plan.error.message);
    const moved = gitlab.server.state.commitFiles(FLAT_PATH, 'main', { 'README.md': 'moved\n' }, 'unrelated change', 'dev-bob');
    const applied = await service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value).toMatchObject({ rebuilt: true, baseSha: moved, updated: false });
    const head = branches().get('promotion-platform-ingress-gateway-staging') as string;
    expect(gitlab.server.state.raw.projectByPath(FLAT_PATH)?.repo.objects.commit(head)?.parents).toEqual([moved]);
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

  it('commits onto the promotion branch in one call, refuses a second create, force-updates, and restores', async () => {
    const p = provider();
    const head = (await p.getBranchHead(repo, 'main')) as NonNullable<Awaited<ReturnType<typeof p.getBranchHead>>>;
    const file = { path: 'apps/checkout/prod.yaml', content: 'version: "1.9.0"\n', mode: '100644' as const };
    const handle = await p.createCommit(repo, { parent: head, files: [file], message: 'Promote' });
    forge.requestLog.reset();
    expect(await p.createBranch(repo, 'promotion-x', handle)).toBe(true);
    expect(forge.requestLog.count()).toBe(1);
    const first = (await p.getBranchHead(repo, 'promotion-x'))?.sha as string;
    expect(forge.state.getFile(GL_PROJECT, 'promotion-x', 'apps/checkout/prod.yaml')).toBe('version: "1.9.0"\n');

    const second = await p.createCommit(repo, { parent: head, files: [{ ...file, content: 'version: "2.0.0"\n' }], message: 'Promote again' });
    expect(await p.createBranch(repo, 'promotion-x', second)).toBe(false);
    await p.updateBranch(repo, 'promotion-x', second, true);
    const moved = (await p.getBranchHead(repo, 'promotion-x'))?.sha as string;
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
    const handle = await p.createCommit(repo, { parent: head, files: [{ path: 'apps/checkout/staging.yaml', content: 'v: 2\n', mode: '100644' }], message: 'm' });
    await p.createBranch(repo, 'promotion-y', handle);
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
    const handle = await reporter.createCommit(repo, { parent: head, files: [{ path: 'a.yaml', content: 'a', mode: '100644' }], message: 'm' });
    await expect(reporter.createBranch(repo, 'promotion-z', handle)).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
    await expect(provider(GL_TOKENS.outsider).getBranchHead(repo, 'main')).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('404 Project Not Found') });
    forge.faults.failNext(1, 502);
    await expect(provider().getBranchHead(repo, 'main')).rejects.toMatchObject({ kind: 'unavailable', status: 502 });
    forge.faults.failNext(1, 429, { pathIncludes: '/merge_requests' });
    await expect(provider().findOpenPullRequest(repo, 'x')).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 60 });
  });
});
