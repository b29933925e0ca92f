// User-driven promotion against the sandbox forge over real HTTP: sign in through the
// loopback flow, plan (exact line changes), apply (commit, branch, PR authored by the user),
// update of an open PR, base moved, failures that must leave nothing behind, and the
// guarantee that no value bound for the renderer contains the token.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, type LogRecord } from '../../src-main/log/logger';
import { redactedMarker } from '../../src-main/log/redact';
import { createAuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, type SessionVault } from '../../src-main/auth/session-vault';
import type { EffectiveStrategy } from '../../src-main/common/board';
import type { PromotionEvidence, PromotionProgress, PromotionOrder } from '../../src-main/common/promotion';
import { createPromotionService, type PromotionService } from '../../src-main/git/promotion-service';
import { controllerMetadataBlock } from '../../src-main/git/promotion-plan';
import { createGitHubProvider } from '../../src-main/forges/github/github-provider';
import { createPullDiscovery, findPromotionPull } from '../../src-main/git/pull-discovery';
import { diffFlat } from '../sandbox/forge/git-objects';
import { buildDemoSeed } from '../sandbox/seeds/demo';
import { browserFollower, forgeOnlyContext, startForgeFixture, type ForgeFixture } from '../bench/promotion-sandbox';

const REPO = 'acme/fleet-config';
let fx: ForgeFixture;
let repoUrl: string;

beforeAll(async () => {
  fx = await startForgeFixture();
  repoUrl = `${fx.forge.url}/${REPO}`;
});
afterAll(async () => {
  await fx.close();
});

interface Ctx {
  vault: SessionVault;
  service: PromotionService;
  token: string;
  leaks: unknown[];
  logs: LogRecord[];
}
let ctx: Ctx;

beforeEach(async () => {
  // a fresh repo and fresh tokens for every test
  fx.forge.load(buildDemoSeed(forgeOnlyContext(fx.forge)).forge);
  // the logger redacts token shapes; a "[REDACTED]" in its records would mean a secret was passed to it
  const logger = createMemoryLogger('debug');
  const vault = createSessionVault({ logger });
  const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower(), logger });
  const signed = await auth.signInWithBrowser('sandbox');
  if (!signed.ok) throw new Error(`sign-in failed: ${signed.error.message}`);
  const token = await vault.withToken('sandbox', async (t) => t);
  ctx = { vault, service: createPromotionService({ hosts: [fx.oauthHost], vault, logger }), token, leaks: [signed.value, vault.list()], logs: logger.records };
});

const strategy = (): EffectiveStrategy => ({ kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'pipeline' });
const request = (ns: string, name: string, env: string, version: string): PromotionOrder => ({ pipelineNamespace: ns, pipelineName: name, targetEnv: env, version, strategy: strategy() });

function branchSha(branch: string): string | undefined {
  return fx.forge.state.listBranches(REPO).find((b) => b.name === branch)?.sha;
}

function metadataBody(key: string): string {
  return `Automated promotion\n\n<details><summary>metadata</summary>\n\n${key}\n\n</details>\n`;
}

function expectNoTokenIn(values: unknown[]): void {
  const text = JSON.stringify(values);
  expect(text).not.toContain(ctx.token);
}

describe('promotion by pull request', () => {
  it('plans exact line changes, then opens a PR authored by the signed-in user that changes only the marked value', async () => {
    const progress: PromotionProgress[] = [];
    const mainBefore = branchSha('main') as string;
    // what main's board says about the source environment (promotionOrderFromBoard builds it)
    const evidence: PromotionEvidence = {
      sourceEnv: 'staging',
      version: '4.11.3',
      targets: [{ cluster: 'staging-eu', namespace: 'ingress-nginx', version: '4.11.3', health: 'ready', healthySince: '2026-11-30T08:15:00Z' }],
    };
    const plan = await ctx.service.plan({ ...request('platform', 'ingress-nginx', 'prod', '4.11.3'), evidence }, (p) => progress.push(p));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const p = plan.value;
    expect(p.branch).toBe('promotion-platform-ingress-nginx-prod');
    expect(p.title).toBe('Promote platform/ingress-nginx in prod to 4.11.3');
    expect(p.baseSha).toBe(mainBefore);
    expect(p.author).toBe(fx.seed.forge.signInUser);
    expect(p.marker).toBe('# {"$promotion": "platform:ingress-nginx:prod"}');
    expect(p.existingPr).toBeUndefined();
    expect(p.files).toEqual([
      {
        path: 'apps/ingress-nginx/prod/helmrelease.yaml',
        changes: [{ line: 11, before: `      version: 4.10.1 ${p.marker}`, after: `      version: 4.11.3 ${p.marker}` }],
      },
    ]);
    expect(p.body).toMatch(/4\.10\.1 → 4\.11\.3/);
    expect(p.body).toContain('**staging** runs 4.11.3 healthy on 1 of 1 target.');
    expect(p.body).toContain('- `staging-eu` / `ingress-nginx`: healthy on 4.11.3 since 2026-11-30T08:15:00Z');
    expect(p.body.endsWith(controllerMetadataBlock('platform', 'ingress-nginx', 'prod'))).toBe(true);
    // nothing written yet
    expect(branchSha(p.branch)).toBeUndefined();

    const applied = await ctx.service.apply(p.id, (x) => progress.push(x));
    expect(applied.ok).toBe(true);
    if (!applied.ok) return;
    const r = applied.value;
    expect(r.updated).toBe(false);
    expect(r.rebuilt).toBe(false);
    expect(progress.filter((x) => x.status === 'done').map((x) => x.step)).toEqual(['read-repo', 'sign-in', 'read-repo', 'commit', 'open-pr', 'sign-in']);

    const pull = fx.forge.state.getPull(REPO, r.number);
    expect(pull?.head).toBe('promotion-platform-ingress-nginx-prod');
    expect(pull?.base).toBe('main');
    expect(pull?.title).toBe(p.title);
    expect(pull?.body).toBe(p.body);
    // the forge keeps the controller's block intact, so tools that look for it still find this PR
    expect(pull?.body?.endsWith(`<details>\n<summary>metadata</summary>\n!!! DO NOT EDIT !!!\n\nplatform/ingress-nginx/prod\n</details>`)).toBe(true);
    expect(pull?.author).toBe(fx.seed.forge.signInUser);
    expect(r.prUrl).toBe(`${fx.forge.url}/${REPO}/pull/${r.number}`);

    const repo = fx.forge.state.raw.repo(REPO);
    if (!repo) throw new Error('no repo');
    const head = branchSha(p.branch) as string;
    const commit = repo.objects.commit(head);
    expect(commit?.parents).toEqual([mainBefore]);
    expect(commit?.author.name).toBe(fx.forge.state.raw.identity(fx.seed.forge.signInUser).name);
    const changed = diffFlat(repo.objects.flatten(repo.objects.commit(mainBefore)?.tree as string), repo.objects.flatten(commit?.tree as string));
    expect(changed.map((c) => c.path)).toEqual(['apps/ingress-nginx/prod/helmrelease.yaml']);
    const before = fx.forge.state.getFile(REPO, 'main', 'apps/ingress-nginx/prod/helmrelease.yaml') as string;
    const after = fx.forge.state.getFile(REPO, p.branch, 'apps/ingress-nginx/prod/helmrelease.yaml') as string;
    expect(after).toBe(before.replace(`version: 4.10.1 ${p.marker}`, `version: 4.11.3 ${p.marker}`));
    expect(branchSha('main')).toBe(mainBefore);

    expectNoTokenIn([...ctx.leaks, plan, applied, progress]);
    expect(ctx.logs.map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/opened PR #\d+ in acme\/fleet-config/)]));
    expectNoTokenIn(ctx.logs);
    expect(ctx.logs.filter((l) => l.message.includes(redactedMarker))).toEqual([]);
  });

  it('keeps within 8 API calls for plan + apply', async () => {
    fx.forge.requestLog.reset();
    const plan = await ctx.service.plan(request('team-search', 'ranker', 'prod', '2.0.8'));
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await ctx.service.apply(plan.value.id);
    expect(applied.ok).toBe(true);
    const api = fx.forge.requestLog.entries().filter((e) => e.path.startsWith('/api/v3/'));
    expect(api.length).toBeLessThanOrEqual(8);
    expect(api.every((e) => e.status < 400)).toBe(true);
  });

  it('edits every target file of a multi-target environment in one commit', async () => {
    const plan = await ctx.service.plan(request('team-payments', 'fraud-detector', 'staging', '0.9.5'));
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.files.map((f) => f.path)).toEqual(['apps/fraud-detector/staging/mgmt/helmrelease.yaml', 'apps/fraud-detector/staging/staging-eu/helmrelease.yaml']);
    const applied = await ctx.service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    const pull = fx.forge.state.getPull(REPO, applied.value.number);
    expect(pull?.state).toBe('open');
    for (const f of plan.value.files) expect(fx.forge.state.getFile(REPO, plan.value.branch, f.path)).toContain('version: 0.9.5 #');
  });

  it('updates the already-open PR of the same branch instead of opening a second one', async () => {
    const first = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!first.ok) throw new Error(first.error.message);
    const opened = await ctx.service.apply(first.value.id);
    if (!opened.ok) throw new Error(opened.error.message);

    const second = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.4'));
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.existingPr?.number).toBe(opened.value.number);
    const updated = await ctx.service.apply(second.value.id);
    if (!updated.ok) throw new Error(updated.error.message);
    expect(updated.value.updated).toBe(true);
    expect(updated.value.number).toBe(opened.value.number);
    const open = fx.forge.state.listPulls(REPO).filter((p) => p.state === 'open' && p.head === 'promotion-platform-ingress-nginx-prod');
    expect(open).toHaveLength(1);
    expect(open[0]?.title).toBe('Promote platform/ingress-nginx in prod to 4.11.4');
    expect(fx.forge.state.getFile(REPO, 'promotion-platform-ingress-nginx-prod', 'apps/ingress-nginx/prod/helmrelease.yaml')).toContain('version: 4.11.4 #');
    // the branch was rebuilt from main, not stacked on the previous promotion
    const repo = fx.forge.state.raw.repo(REPO);
    expect(repo?.objects.commit(branchSha('promotion-platform-ingress-nginx-prod') as string)?.parents).toEqual([branchSha('main')]);
  });

  it("updates the seed's open PR opened by the promotion bot", async () => {
    const plan = await ctx.service.plan(request('team-payments', 'checkout', 'prod', '1.8.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.existingPr).toBeDefined();
    const applied = await ctx.service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value).toMatchObject({ updated: true, number: plan.value.existingPr?.number });
    expect(fx.forge.state.getPull(REPO, applied.value.number)?.title).toBe('Promote team-payments/checkout in prod to 1.8.3');
  });

  it('rebuilds the change on the new head when the base branch moved after planning', async () => {
    const plan = await ctx.service.plan(request('team-payments', 'ledger', 'prod', '2.4.0'));
    if (!plan.ok) throw new Error(plan.error.message);
    const moved = fx.forge.state.commitFiles(REPO, 'main', { 'README.md': '# fleet-config\n\nmoved\n' }, 'Unrelated change', 'dev-bob');
    const progress: PromotionProgress[] = [];
    const applied = await ctx.service.apply(plan.value.id, (p) => progress.push(p));
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.rebuilt).toBe(true);
    expect(applied.value.baseSha).toBe(moved);
    expect(progress.find((p) => p.step === 'read-repo' && p.status === 'done')?.note).toMatch(/moved/);
    const repo = fx.forge.state.raw.repo(REPO);
    expect(repo?.objects.commit(branchSha(plan.value.branch) as string)?.parents).toEqual([moved]);
    expect(fx.forge.state.getFile(REPO, plan.value.branch, 'README.md')).toContain('moved');
    expect(fx.forge.state.getFile(REPO, plan.value.branch, 'apps/ledger/prod/release-values.yaml')).toContain('version: 2.4.0 #');
  });

  it('takes over a leftover promotion branch that has no open PR', async () => {
    const stale = fx.forge.state.commitFiles(REPO, 'promotion-platform-ingress-nginx-prod', { 'stale.txt': 'old\n' }, 'Old promotion', 'promotion-bot');
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.existingPr).toBeUndefined();
    const applied = await ctx.service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.updated).toBe(false);
    const head = branchSha(plan.value.branch) as string;
    expect(head).not.toBe(stale);
    expect(fx.forge.state.raw.repo(REPO)?.objects.commit(head)?.parents).toEqual([branchSha('main')]);
    expect(fx.forge.state.getFile(REPO, plan.value.branch, 'stale.txt')).toBeNull();
  });

  it('updates a PR someone opened from the same branch between review and apply', async () => {
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    fx.forge.state.commitFiles(REPO, plan.value.branch, { 'apps/ingress-nginx/prod/helmrelease.yaml': 'raced: true\n' }, 'Racing promotion', 'promotion-bot');
    const repo = fx.forge.state.raw.repo(REPO);
    if (!repo) throw new Error('no repo');
    const raced = fx.forge.state.raw.createPull(repo, {
      title: 'Promote platform/ingress-nginx in prod to 4.11.2',
      body: metadataBody('platform/ingress-nginx/prod'),
      head: plan.value.branch,
      base: 'main',
      author: 'promotion-bot',
      draft: false,
    });
    const applied = await ctx.service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value).toMatchObject({ updated: true, number: raced.number });
    expect(fx.forge.state.listPulls(REPO).filter((p) => p.state === 'open' && p.head === plan.value.branch)).toHaveLength(1);
    expect(fx.forge.state.getPull(REPO, raced.number)?.title).toBe(plan.value.title);
    expect(fx.forge.state.getFile(REPO, plan.value.branch, 'apps/ingress-nginx/prod/helmrelease.yaml')).toContain('version: 4.11.3 #');
  });

  it('never overwrites an open PR on the same branch that belongs to another pipeline (branch names collide)', async () => {
    // team-a/api and team/a-api both promote on promotion-team-a-api-prod
    const repo = fx.forge.state.raw.repo(REPO);
    if (!repo) throw new Error('no repo');
    fx.forge.state.commitFiles(REPO, 'main', { 'apps/api/prod/release.yaml': 'version: 0.9.0 # {"$promotion": "team-a:api:prod"}\n' }, 'Add team-a/api', 'dev-bob');
    const theirsSha = fx.forge.state.commitFiles(REPO, 'promotion-team-a-api-prod', { 'theirs.txt': 'theirs\n' }, 'Their promotion', 'promotion-bot');
    const theirs = fx.forge.state.raw.createPull(repo, {
      title: 'Promote team/a-api in prod to 9.9.9',
      body: metadataBody('team/a-api/prod'),
      head: 'promotion-team-a-api-prod',
      base: 'main',
      author: 'promotion-bot',
      draft: false,
    });
    const plan = await ctx.service.plan(request('team-a', 'api', 'prod', '1.0.0'));
    expect(plan).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`#${theirs.number}`) } });
    expect(!plan.ok && plan.error.message).toContain('team/a-api/prod');
    expect(branchSha('promotion-team-a-api-prod')).toBe(theirsSha);

    // raced between review and apply: someone opens a PR of another pipeline on our branch
    const ours = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!ours.ok) throw new Error(ours.error.message);
    const racerSha = fx.forge.state.commitFiles(REPO, ours.value.branch, { 'racer.txt': 'racer\n' }, 'Racing', 'promotion-bot');
    const racer = fx.forge.state.raw.createPull(repo, { title: 'not ours', body: 'no metadata here', head: ours.value.branch, base: 'main', author: 'dev-bob', draft: false });
    const applied = await ctx.service.apply(ours.value.id);
    expect(applied).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(fx.forge.state.getPull(REPO, racer.number)?.title).toBe('not ours');
    expect(branchSha(ours.value.branch)).toBe(racerSha);
  });

  it('deletes the branch it created when the forge fails while opening the PR', async () => {
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    fx.forge.faults.failNext(1, 502, { method: 'POST', pathIncludes: '/pulls' });
    const applied = await ctx.service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.error.code).toBe('forge-unavailable');
    expect(branchSha(plan.value.branch)).toBeUndefined();
    expect(fx.forge.state.listPulls(REPO).filter((p) => p.head === plan.value.branch)).toHaveLength(0);
    expectNoTokenIn([applied]);
  });

  it('puts an updated branch back when updating the open PR fails', async () => {
    const plan = await ctx.service.plan(request('team-payments', 'checkout', 'prod', '1.8.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    const before = branchSha(plan.value.branch);
    fx.forge.faults.failNext(1, 500, { method: 'PATCH', pathIncludes: '/pulls/' });
    const applied = await ctx.service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    expect(branchSha(plan.value.branch)).toBe(before);
  });

  it('creates no branch when the commit cannot be made', async () => {
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    fx.forge.faults.failNext(1, 503, { method: 'POST', pathIncludes: '/git/commits' });
    const applied = await ctx.service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (!applied.ok) expect(applied.error.code).toBe('forge-unavailable');
    expect(branchSha(plan.value.branch)).toBeUndefined();
    // the plan is used up: a retry goes through a fresh review
    const again = await ctx.service.apply(plan.value.id);
    expect(again.ok ? '' : again.error.code).toBe('plan-expired');
  });

  it('refuses before touching the repo when no marker exists, naming the marker', async () => {
    const branchesBefore = fx.forge.state.listBranches(REPO);
    const plan = await ctx.service.plan(request('team-payments', 'payments-api', 'prod', 'v1.5.0'));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe('marker-not-found');
    expect(plan.error.message).toContain('# {"$promotion": "team-payments:payments-api:prod"}');
    expect(fx.forge.state.listBranches(REPO)).toEqual(branchesBefore);
  });

  it('says when every marked value already has the version', async () => {
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.10.1'));
    expect(plan.ok ? '' : plan.error.code).toBe('already-at-version');
  });

  it('reports a rate limit with the wait time', async () => {
    fx.forge.faults.secondaryRateLimit(1, 42);
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe('rate-limited');
    expect((plan.error as { retryAfterSeconds?: number }).retryAfterSeconds).toBe(42);
    expect(plan.error.message).toMatch(/42 s/);
  });

  it('says the account cannot push when the user lacks write access', async () => {
    const repo = fx.forge.state.raw.repo(REPO);
    if (!repo) throw new Error('no repo');
    repo.pushers = ['promotion-bot'];
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await ctx.service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.error.code).toBe('no-access');
    expect(applied.error.message).toBe(`Your account ${fx.seed.forge.signInUser} cannot push to ${REPO}.`);
    expect(branchSha(plan.value.branch)).toBeUndefined();
  });

  it('names a missing scope, not repository access, when the sign-in lacks repo (X-OAuth-Scopes)', async () => {
    const narrowHost = { ...fx.oauthHost, scopes: ['read:user'] };
    const vault = createSessionVault();
    const auth = createAuthService({ hosts: [narrowHost], vault, openExternal: browserFollower() });
    if (!(await auth.signInWithBrowser('sandbox')).ok) throw new Error('sign-in failed');
    const service = createPromotionService({ hosts: [narrowHost], vault });
    const plan = await service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    const refused = plan.ok ? await service.apply(plan.value.id) : plan;
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('no-access');
    expect(refused.error.message).toBe(`Your sign-in to sandbox lacks the repo scope needed to push to ${REPO} (it has read:user).`);
    expect(refused.error.hint).toContain('sign in again');
    vault.clearAll();
  });

  it('asks for a new sign-in when the token was revoked', async () => {
    fx.forge.faults.revokeToken(ctx.token);
    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    expect(plan.ok ? '' : plan.error.code).toBe('sign-in-required');
    expect(ctx.vault.get('sandbox')?.state).toBe('sign-in-required');
    const again = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    expect(again.ok ? '' : again.error.code).toBe('sign-in-required');
  });

  it('refuses strategies it cannot promote through', async () => {
    const notification = await ctx.service.plan({ ...request('a', 'b', 'prod', '1'), strategy: { kind: 'notification', manual: false, source: 'pipeline' } });
    expect(notification.ok ? '' : notification.error.code).toBe('invalid-request');
    const gitlab = await ctx.service.plan({ ...request('a', 'b', 'prod', '1'), strategy: { ...strategy(), provider: 'gitlab' } });
    expect(gitlab.ok ? '' : gitlab.error.code).toBe('unsupported-provider');
    const elsewhere = await ctx.service.plan({ ...request('a', 'b', 'prod', '1'), strategy: { ...strategy(), repoUrl: 'https://github.com/acme/fleet' } });
    expect(elsewhere.ok ? '' : elsewhere.error.code).toBe('unknown-host');
    const badVersion = await ctx.service.plan(request('a', 'b', 'prod', '1.0" # x'));
    expect(badVersion.ok ? '' : badVersion.error.code).toBe('invalid-request');
  });
});

describe('open promotion PR discovery', () => {
  it('lists open promotion PRs per branch with one conditional call at most every 30 s', async () => {
    let now = Date.now();
    const discovery = createPullDiscovery({ hosts: [fx.oauthHost], vault: ctx.vault, now: () => now });
    fx.forge.requestLog.reset();
    const first = await discovery.poll(repoUrl);
    if (!first.ok) throw new Error(first.error.message);
    const checkout = findPromotionPull(first.value.pulls, 'team-payments', 'checkout', 'prod');
    expect(checkout?.number).toBeGreaterThan(0);
    expect(first.value.pulls.find((p) => p.branch === 'promotion-team-payments-checkout-prod')?.metadata).toEqual({
      pipelineNamespace: 'team-payments',
      pipelineName: 'checkout',
      targetEnv: 'prod',
    });
    expect(findPromotionPull(first.value.pulls, 'platform', 'ingress-nginx', 'prod')).toBeUndefined();
    const listRoute = 'GET /repos/{owner}/{repo}/pulls';
    expect(fx.forge.requestLog.count(listRoute)).toBe(1);

    now += 10_000;
    await discovery.poll(repoUrl);
    expect(fx.forge.requestLog.count(listRoute)).toBe(1);

    now += 30_000;
    const unchanged = await discovery.poll(repoUrl);
    expect(unchanged.ok && unchanged.value.pulls.length).toBe(first.value.pulls.length);
    expect(fx.forge.requestLog.entries(listRoute).map((e) => e.status)).toEqual([200, 304]);

    const plan = await ctx.service.plan(request('platform', 'ingress-nginx', 'prod', '4.11.3'));
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await ctx.service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    discovery.invalidate(repoUrl);
    const after = await discovery.poll(repoUrl);
    if (!after.ok) throw new Error(after.error.message);
    expect(findPromotionPull(after.value.pulls, 'platform', 'ingress-nginx', 'prod')?.number).toBe(applied.value.number);
    expectNoTokenIn([first, unchanged, after]);
  });
});

describe('review/check state of open promotion PRs (GitHub)', () => {
  it("fills checksState from the head commit's check runs: one extra call per open promotion PR per poll", async () => {
    let now = Date.now();
    const discovery = createPullDiscovery({ hosts: [fx.oauthHost], vault: ctx.vault, now: () => now });
    const first = await discovery.poll(repoUrl);
    if (!first.ok) throw new Error(first.error.message);
    const checkout = first.value.pulls.find((p) => p.branch === 'promotion-team-payments-checkout-prod');
    if (!checkout) throw new Error('the demo seed has an open checkout promotion PR');
    fx.forge.state.setCheckRuns(REPO, checkout.branch, [
      { name: 'validate', status: 'completed', conclusion: 'success' },
      { name: 'e2e', status: 'in_progress' },
    ]);
    now += 31_000;
    fx.forge.requestLog.reset();
    const pending = await discovery.poll(repoUrl);
    if (!pending.ok) throw new Error(pending.error.message);
    expect(findPromotionPull(pending.value.pulls, 'team-payments', 'checkout', 'prod')).toMatchObject({ number: checkout.number, checksState: 'pending' });
    // the list answered 304, yet checks were asked again: they move without the list changing
    expect(fx.forge.requestLog.entries('GET /repos/{owner}/{repo}/pulls').map((e) => e.status)).toEqual([304]);
    expect(fx.forge.requestLog.count('GET /repos/{owner}/{repo}/commits/{ref}/check-runs')).toBe(pending.value.pulls.length);

    fx.forge.state.setCheckRuns(REPO, checkout.branch, [
      { name: 'validate', status: 'completed', conclusion: 'success' },
      { name: 'e2e', status: 'completed', conclusion: 'failure' },
    ]);
    now += 31_000;
    const failed = await discovery.poll(repoUrl);
    if (!failed.ok) throw new Error(failed.error.message);
    expect(findPromotionPull(failed.value.pulls, 'team-payments', 'checkout', 'prod')?.checksState).toBe('failure');

    const quiet = createPullDiscovery({ hosts: [fx.oauthHost], vault: ctx.vault, withStatus: false });
    fx.forge.requestLog.reset();
    const plain = await quiet.poll(repoUrl);
    expect(plain.ok && findPromotionPull(plain.value.pulls, 'team-payments', 'checkout', 'prod')?.checksState).toBeUndefined();
    expect(fx.forge.requestLog.count('GET /repos/{owner}/{repo}/commits/{ref}/check-runs')).toBe(0);
  });
});

describe('GitHub provider: commitToBranch', () => {
  it('finds the base tree itself when no branch read preceded it, and reuses the commit when taking a branch over', async () => {
    const provider = createGitHubProvider({ apiUrl: fx.forge.apiUrl, token: ctx.token });
    const [owner, name] = REPO.split('/') as [string, string];
    const repo = { owner, name };
    const main = branchSha('main') as string;
    const files = [{ path: 'notes/promoted.yaml', content: 'v: 1\n', mode: '100644' as const }];
    fx.forge.requestLog.reset();
    const sha = await provider.commitToBranch(repo, { branch: 'promotion-direct', parent: { sha: main }, files, message: 'direct', force: false });
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(branchSha('promotion-direct')).toBe(sha);
    expect(fx.forge.requestLog.count('GET /repos/{owner}/{repo}/git/commits/{sha}')).toBe(1);
    expect(fx.forge.requestLog.count('POST /repos/{owner}/{repo}/git/trees')).toBe(1);

    // the branch exists now: create refuses (branch untouched), force moves it, with no second tree/commit
    expect(await provider.commitToBranch(repo, { branch: 'promotion-direct', parent: { sha: main }, files, message: 'direct', force: false })).toBeNull();
    expect(await provider.commitToBranch(repo, { branch: 'promotion-direct', parent: { sha: main }, files, message: 'direct', force: true })).toBe(sha);
    expect(fx.forge.requestLog.count('POST /repos/{owner}/{repo}/git/trees')).toBe(1);
    expect(fx.forge.requestLog.count('POST /repos/{owner}/{repo}/git/commits')).toBe(1);
  });
});
