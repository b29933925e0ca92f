// Rollback and release log against the sandbox forges over real HTTP: a rollback plan/apply
// opens a labelled PR on its own branch with the reason and the version it replaces; the
// merged promotion PRs (GitHub: closed pulls + reviews; GitLab: merged MRs + approvals) come
// back with their approvers, bounded by the range; and the release log joins them with the
// targets' history.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, type SessionVault } from '../../src-main/auth/session-vault';
import type { EffectiveStrategy } from '../../src-main/common/board';
import type { PromotionOrder } from '../../src-main/common/promotion';
import { createGitLabProvider } from '../../src-main/forges/gitlab/gitlab-provider';
import { createMergedPromotions } from '../../src-main/git/merged-promotions';
import { controllerMetadataBlock } from '../../src-main/git/promotion-plan';
import { createPromotionService, type PromotionService } from '../../src-main/git/promotion-service';
import { browserFollower, forgeOnlyContext, startForgeFixture, type ForgeFixture } from '../bench/promotion-sandbox';
import { GL_PROJECT, GL_TOKENS, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';
import { buildDemoSeed, DEMO_MERGED_PROMOTIONS } from '../sandbox/seeds/demo';

const REPO = 'acme/fleet-config';
const DAY = 86_400_000;
let fx: ForgeFixture;
let repoUrl: string;
let vault: SessionVault;
let service: PromotionService;

beforeAll(async () => {
  fx = await startForgeFixture();
  repoUrl = `${fx.forge.url}/${REPO}`;
});
afterAll(async () => {
  await fx.close();
});

beforeEach(async () => {
  fx.forge.load(buildDemoSeed(forgeOnlyContext(fx.forge)).forge);
  vault = createSessionVault();
  const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower() });
  const signed = await auth.signInWithBrowser('sandbox');
  if (!signed.ok) throw new Error(`sign-in failed: ${signed.error.message}`);
  service = createPromotionService({ hosts: [fx.oauthHost], vault });
});

const strategy = (): EffectiveStrategy => ({ kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'pipeline' });

describe('rollback pull request (GitHub)', () => {
  const order = (): PromotionOrder => ({
    pipelineNamespace: 'team-payments',
    pipelineName: 'checkout',
    targetEnv: 'prod',
    version: '1.8.0',
    strategy: strategy(),
    rollback: { replaces: '1.8.1', reason: 'Checkout errors spiked after 1.8.1 <details><summary>metadata</summary>\n\nother/pipeline/prod\n\n</details>' },
  });

  it('opens a PR on its own branch, titled and labelled as a rollback, with the reason and the version it replaces', async () => {
    const plan = await service.plan(order());
    if (!plan.ok) throw new Error(plan.error.message);
    expect(plan.value.branch).toBe('rollback-team-payments-checkout-prod');
    expect(plan.value.title).toBe('Roll back team-payments/checkout in prod to 1.8.0 (replaces 1.8.1)');
    expect(plan.value.files.flatMap((f) => f.changes.map((c) => [c.before.includes('"1.8.1"'), c.after.includes('"1.8.0"')]))).toEqual([[true, true]]);
    const applied = await service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    const pull = fx.forge.state.getPull(REPO, applied.value.number);
    expect(pull?.labels).toEqual(['rollback']);
    expect(pull?.body).toContain('1.8.1 is replaced by 1.8.0');
    expect(pull?.body).toContain('> Checkout errors spiked after 1.8.1 &lt;details&gt;');
    // the reason cannot claim the PR for another pipeline: the real metadata block is the only one
    expect(pull?.body?.match(/<details>/g)).toHaveLength(1);
    expect(pull?.body).toContain(controllerMetadataBlock('team-payments', 'checkout', 'prod'));
    // the open promotion PR #1 on the controller's branch is left alone
    expect(fx.forge.state.getPull(REPO, 1)?.title).toBe('Promote team-payments/checkout in prod to 1.8.2');
  });
});

describe('merged promotion PRs (GitHub)', () => {
  it('lists the promotions merged in the range with their approvers, newest first', async () => {
    const merged = createMergedPromotions({ hosts: [fx.oauthHost], vault });
    const week = await merged.list(repoUrl, new Date(Date.now() - 7 * DAY).toISOString());
    if (!week.ok) throw new Error(week.error.message);
    const inWeek = DEMO_MERGED_PROMOTIONS.filter((m) => m.mergedDaysAgo < 7);
    expect(week.value.map((m) => `${m.pipelineName}/${m.targetEnv}`).sort()).toEqual(inWeek.map((m) => `${m.pipeline}/${m.env}`).sort());
    const prod = week.value.find((m) => m.pipelineName === 'checkout' && m.targetEnv === 'prod');
    expect(prod).toMatchObject({ version: '1.8.1', previousVersion: '1.8.0', approvers: ['dev-bob'], author: 'rm-alice', rollback: false, ref: expect.stringMatching(/^PR #\d+$/) });
    expect(week.value.map((m) => m.mergedAt)).toEqual([...week.value.map((m) => m.mergedAt)].sort().reverse());
    const month = await merged.list(repoUrl, new Date(Date.now() - 30 * DAY).toISOString());
    expect(month.ok && month.value.some((m) => m.pipelineName === 'ledger')).toBe(true);
  });

  it('refuses a repository on a host nobody configured, without calling it', async () => {
    const merged = createMergedPromotions({ hosts: [fx.oauthHost], vault });
    const result = await merged.list('https://git.elsewhere.example/acme/fleet-config', new Date(Date.now() - DAY).toISOString());
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-host' } });
  });
});

describe('GitLab: merged merge requests, approvals and labels', () => {
  let forge: GitLabForge;
  const repo = { owner: GL_PROJECT.split('/').slice(0, -1).join('/'), name: GL_PROJECT.split('/').at(-1) as string };
  beforeAll(async () => {
    const now = new Date();
    const seed = gitlabFixtureSeed(now);
    const body = '\n\n<details><summary>metadata</summary>\n\nteam-payments/checkout/staging\n\n</details>\n';
    seed.mergeRequests.push(
      {
        project: GL_PROJECT,
        sourceBranch: 'promotion-team-payments-checkout-staging',
        targetBranch: 'main',
        title: 'Promote team-payments/checkout in staging to 1.8.1',
        description: `Promotes **team-payments/checkout** into **staging**: 1.8.0 → 1.8.1.${body}`,
        author: 'rm-alice',
        files: {},
        createdAt: new Date(now.getTime() - 2.1 * DAY).toISOString(),
        approvedBy: ['dev-bob'],
        merged: { at: new Date(now.getTime() - 2 * DAY).toISOString(), by: 'rm-alice' },
      },
      {
        project: GL_PROJECT,
        sourceBranch: 'promotion-team-payments-checkout-staging',
        targetBranch: 'main',
        title: 'Promote team-payments/checkout in staging to 1.8.0',
        description: `Promotes **team-payments/checkout** into **staging**: 1.7.9 → 1.8.0.${body}`,
        author: 'rm-alice',
        files: {},
        createdAt: new Date(now.getTime() - 20.1 * DAY).toISOString(),
        merged: { at: new Date(now.getTime() - 20 * DAY).toISOString(), by: 'rm-alice' },
      },
    );
    forge = await startGitLabForge({ seed });
  });
  afterAll(async () => {
    await forge.close();
  });

  it('lists merged merge requests updated in the range and reads who approved them', async () => {
    const provider = createGitLabProvider({ apiUrl: forge.apiUrl, token: GL_TOKENS.alice, tokenHeader: 'private-token' });
    const merged = await provider.listMergedPullRequests(repo, new Date(Date.now() - 7 * DAY).toISOString());
    expect(merged.map((m) => m.title)).toEqual(['Promote team-payments/checkout in staging to 1.8.1']);
    expect(merged[0]?.mergedBy).toBe('rm-alice');
    expect(await provider.approversOf(repo, merged[0]?.number as number)).toEqual(['dev-bob']);
    expect(await provider.listMergedPullRequests(repo, new Date(Date.now() - 30 * DAY).toISOString())).toHaveLength(2);
  });

  it('opens a merge request with its labels in the same call', async () => {
    const provider = createGitLabProvider({ apiUrl: forge.apiUrl, token: GL_TOKENS.alice, tokenHeader: 'private-token' });
    const head = await provider.getBranchHead(repo, 'main');
    const content = 'spec:\n  chart:\n    spec:\n      version: "1.7.9" # {"$promotion": "team-payments:checkout:prod"}\n';
    await provider.commitToBranch(repo, {
      branch: 'rollback-team-payments-checkout-prod',
      parent: head!,
      files: [{ path: 'apps/checkout/prod.yaml', content, mode: '100644' }],
      message: 'Roll back',
      force: false,
    });
    const mr = await provider.openPullRequest(repo, { head: 'rollback-team-payments-checkout-prod', base: 'main', title: 'Roll back', body: 'x', labels: ['rollback'] });
    const answer = await fetch(`${forge.apiUrl}/projects/${encodeURIComponent(GL_PROJECT)}/merge_requests/${mr.number}`, { headers: { 'PRIVATE-TOKEN': GL_TOKENS.alice } });
    expect(((await answer.json()) as { labels: string[] }).labels).toEqual(['rollback']);
  });
});
