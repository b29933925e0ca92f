// Reliability suite, forge and sign-in faults: the sandbox forge fails at each promotion step
// (tarball read, tree, commit, ref, PR), answers 422, moves the base branch, revokes the token,
// rate-limits with Retry-After; the OAuth loopback callback is hit with a wrong state, twice,
// from a non-loopback Host header, or never. Each scenario checks the typed outcome AND that
// the repository holds no leftover branch or PR afterwards.
// Stronger single-path versions of some of these live in test/integration/promotion.test.ts
// and auth-sign-in.test.ts; this file sweeps every step with one fixture.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, type SessionVault } from '../../src-main/auth/session-vault';
import type { EffectiveStrategy } from '../../src-main/common/board';
import type { PromotionOrder } from '../../src-main/common/promotion';
import { createPromotionService, type PromotionService } from '../../src-main/git/promotion-service';
import { createMemoryLogger } from '../../src-main/log/logger';
import { browserFollower, forgeOnlyContext, manualTimers, requestWithHostHeader, startForgeFixture, waitFor, type BrowserVisit, type ForgeFixture } from '../bench/promotion-sandbox';
import { buildDemoSeed } from '../sandbox/seeds/demo';

const REPO = 'acme/fleet-config';
let fx: ForgeFixture;
let repoUrl: string;

beforeAll(async () => {
  fx = await startForgeFixture();
  repoUrl = `${fx.forge.url}/${REPO}`;
});
afterAll(async () => {
  await fx?.close();
});

let vault: SessionVault;
let service: PromotionService;
let token: string;

function reloadSeed(): void {
  fx.forge.load(buildDemoSeed(forgeOnlyContext(fx.forge)).forge);
}

beforeEach(async () => {
  reloadSeed();
  const logger = createMemoryLogger('debug');
  vault = createSessionVault({ logger });
  const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower(), logger });
  const signed = await auth.signInWithBrowser('sandbox');
  if (!signed.ok) throw new Error(`sign-in failed: ${signed.error.message}`);
  token = await vault.withToken('sandbox', async (t) => t);
  service = createPromotionService({ hosts: [fx.oauthHost], vault, logger });
});
afterEach(() => fx.forge.faults.clear());

const strategy = (): EffectiveStrategy => ({ kind: 'pull-request', manual: false, provider: 'github', repoUrl, baseBranch: 'main', source: 'pipeline' });
const req = (version = '4.11.3'): PromotionOrder => ({ pipelineNamespace: 'platform', pipelineName: 'ingress-nginx', targetEnv: 'prod', version, strategy: strategy() });
const BRANCH = 'promotion-platform-ingress-nginx-prod';

const branches = () =>
  fx.forge.state
    .listBranches(REPO)
    .map((b) => `${b.name}@${b.sha}`)
    .sort();
const pullsOf = (branch: string) => fx.forge.state.listPulls(REPO).filter((p) => p.head === branch);

interface StepFault {
  step: string;
  status: number;
  filter: { method?: string; pathIncludes: string };
  /** the fault hits while planning (true) or while applying (false) */
  atPlan: boolean;
}

const stepFaults: StepFault[] = [
  { step: 'tarball read', status: 502, filter: { method: 'GET', pathIncludes: '/tarball/' }, atPlan: true },
  { step: 'base branch read', status: 500, filter: { method: 'GET', pathIncludes: '/branches/main' }, atPlan: true },
  { step: 'tree', status: 500, filter: { method: 'POST', pathIncludes: '/git/trees' }, atPlan: false },
  { step: 'commit', status: 503, filter: { method: 'POST', pathIncludes: '/git/commits' }, atPlan: false },
  { step: 'ref', status: 502, filter: { method: 'POST', pathIncludes: '/git/refs' }, atPlan: false },
  { step: 'PR', status: 500, filter: { method: 'POST', pathIncludes: '/pulls' }, atPlan: false },
];

describe('faults: forge 5xx at each promotion step', () => {
  it.each(stepFaults)('$status at the $step leaves no branch, no PR, main untouched', async ({ status, filter, atPlan }) => {
    const before = branches();
    const pullsBefore = fx.forge.state.listPulls(REPO).length;
    if (atPlan) fx.forge.faults.failNext(1, status, filter);
    const plan = await service.plan(req());
    let outcome: { ok: boolean; error?: { code: string; message: string } };
    if (atPlan) {
      outcome = plan as typeof outcome;
    } else {
      if (!plan.ok) throw new Error(plan.error.message);
      fx.forge.faults.failNext(1, status, filter);
      outcome = (await service.apply(plan.value.id)) as typeof outcome;
    }
    expect(outcome.ok).toBe(false);
    expect(outcome.error?.code).toBe('forge-unavailable');
    expect(outcome.error?.message.length).toBeGreaterThan(0);
    expect(JSON.stringify(outcome)).not.toContain(token);
    // Nothing lost, nothing left behind.
    expect(branches()).toEqual(before);
    expect(pullsOf(BRANCH)).toEqual([]);
    expect(fx.forge.state.listPulls(REPO)).toHaveLength(pullsBefore);
    // And a clean retry works once the forge is back.
    const again = await service.plan(req());
    if (!again.ok) throw new Error(again.error.message);
    const applied = await service.apply(again.value.id);
    expect(applied.ok).toBe(true);
    expect(pullsOf(BRANCH).filter((p) => p.state === 'open')).toHaveLength(1);
  });
});

describe('faults: forge conflicts and moving targets', () => {
  it('422 on branch creation (branch appeared meanwhile) ends with one branch and one PR', async () => {
    const plan = await service.plan(req());
    if (!plan.ok) throw new Error(plan.error.message);
    // Someone creates the branch between review and apply: the forge answers 422 to createRef.
    fx.forge.state.commitFiles(REPO, BRANCH, { 'raced.txt': 'x\n' }, 'Raced', 'promotion-bot');
    const applied = await service.apply(plan.value.id);
    if (!applied.ok) throw new Error(`${applied.error.code}: ${applied.error.message}`);
    expect(pullsOf(BRANCH).filter((p) => p.state === 'open')).toHaveLength(1);
    expect(fx.forge.state.getFile(REPO, BRANCH, 'apps/ingress-nginx/prod/helmrelease.yaml')).toContain('version: 4.11.3 #');
  });

  it('422 from the PR endpoint is a typed failure and the created branch is removed', async () => {
    const before = branches();
    const plan = await service.plan(req());
    if (!plan.ok) throw new Error(plan.error.message);
    fx.forge.faults.failNext(1, 422, { method: 'POST', pathIncludes: '/pulls' });
    const applied = await service.apply(plan.value.id);
    expect(applied.ok).toBe(false);
    if (!applied.ok) expect(applied.error.message.length).toBeGreaterThan(0);
    expect(branches()).toEqual(before);
    expect(pullsOf(BRANCH)).toEqual([]);
  });

  it('the base branch moves mid-promotion: the change is rebuilt on the new head, nothing of the move lost', async () => {
    const plan = await service.plan(req());
    if (!plan.ok) throw new Error(plan.error.message);
    const moved = fx.forge.state.commitFiles(REPO, 'main', { 'moved.txt': 'moved while reviewing\n' }, 'Unrelated', 'dev-bob');
    const applied = await service.apply(plan.value.id);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.rebuilt).toBe(true);
    expect(applied.value.baseSha).toBe(moved);
    expect(fx.forge.state.getFile(REPO, BRANCH, 'moved.txt')).toContain('moved while reviewing');
    expect(fx.forge.state.getFile(REPO, 'main', 'apps/ingress-nginx/prod/helmrelease.yaml')).toContain('version: 4.10.1 #');
  });

  it('a token revoked mid-session: the next plan asks for sign-in, nothing written', async () => {
    const first = await service.plan(req());
    expect(first.ok).toBe(true);
    const before = branches();
    fx.forge.faults.revokeToken(token);
    const plan = await service.plan(req());
    expect(plan.ok ? '' : plan.error.code).toBe('sign-in-required');
    expect(vault.get('sandbox')?.state).toBe('sign-in-required');
    // The earlier plan cannot be applied with the dead token either.
    if (first.ok) {
      const applied = await service.apply(first.value.id);
      expect(applied.ok).toBe(false);
    }
    expect(branches()).toEqual(before);
  });

  it.each([
    [7, /7 s/],
    [120, /2 min/],
  ])('secondary rate limit with Retry-After %i s surfaces the wait time', async (seconds, shown) => {
    fx.forge.faults.secondaryRateLimit(1, seconds);
    const plan = await service.plan(req());
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.error.code).toBe('rate-limited');
    expect((plan.error as { retryAfterSeconds?: number }).retryAfterSeconds).toBe(seconds);
    expect(plan.error.message).toMatch(shown);
    // Once the limit passes the same request works.
    expect((await service.plan(req())).ok).toBe(true);
  });

  it('a latency spike on every forge call still completes plan + apply', async () => {
    fx.forge.faults.setLatency(150);
    const plan = await service.plan(req());
    if (!plan.ok) throw new Error(plan.error.message);
    const applied = await service.apply(plan.value.id);
    expect(applied.ok).toBe(true);
    expect(pullsOf(BRANCH).filter((p) => p.state === 'open')).toHaveLength(1);
  });
});

describe('faults: OAuth loopback callback abuse', () => {
  it('a wrong state gets a 400 and leaves the attempt waiting; the genuine callback then signs in', async () => {
    const v = createSessionVault();
    const visits: BrowserVisit[] = [];
    const auth = createAuthService({ hosts: [fx.oauthHost], vault: v, openExternal: browserFollower({ visits, tamper: (u) => (u.searchParams.set('state', 'x'.repeat(43)), u) }) });
    const pending = auth.signInWithBrowser('sandbox');
    await waitFor(() => visits[0]?.callbackStatus, 'the forged callback answered');
    expect(visits[0]?.callbackStatus).toBe(400);
    expect(v.list()).toEqual([]);
    const genuine = await fetch(visits[0]!.genuineCallbackUrl!);
    expect(genuine.status).toBe(200);
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(v.list()).toHaveLength(1);
  });

  it('a replayed callback (the same code twice) cannot sign in again', async () => {
    const v = createSessionVault();
    const visits: BrowserVisit[] = [];
    const auth = createAuthService({ hosts: [fx.oauthHost], vault: v, openExternal: browserFollower({ visits }) });
    expect((await auth.signInWithBrowser('sandbox')).ok).toBe(true);
    // The listener is gone after one use: the replay reaches nothing.
    await expect(fetch(visits[0]?.callbackUrl ?? '')).rejects.toThrow();
    // Replayed into a fresh attempt, the old code/state is refused too.
    const v2 = createSessionVault();
    const auth2 = createAuthService({
      hosts: [fx.oauthHost],
      vault: v2,
      openExternal: async (url) => {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
        const old = new URL(visits[0]?.callbackUrl ?? '');
        redirect.search = old.search;
        replayStatus = (await fetch(redirect)).status;
      },
    });
    let replayStatus = 0;
    const replay = auth2.signInWithBrowser('sandbox');
    // the old state is not this attempt's: refused, and the attempt waits for its own redirect
    await waitFor(() => replayStatus || undefined, 'the replayed callback answered');
    expect(replayStatus).toBe(400);
    expect(auth2.cancelSignInsFor('sandbox')).toBe(1);
    expect(await replay).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(v2.list()).toEqual([]);
  });

  it.each(['evil.example', 'localhost.evil.example:80', '10.0.0.1'])('a callback with Host %s is refused and the attempt still succeeds', async (host) => {
    const v = createSessionVault();
    let status = 0;
    const follow = browserFollower();
    const auth = createAuthService({
      hosts: [fx.oauthHost],
      vault: v,
      openExternal: async (url) => {
        const port = Number(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);
        status = await requestWithHostHeader(port, host, '/callback?code=x&state=y');
        await follow(url);
      },
    });
    const result = await auth.signInWithBrowser('sandbox');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(result.ok).toBe(true);
  });

  it('a callback that never comes times out on a fake clock and closes the listener', async () => {
    const timers = manualTimers();
    let redirect = '';
    const auth = createAuthService({
      hosts: [fx.oauthHost],
      vault: createSessionVault({ timers }),
      timers,
      signInTimeoutMs: 120_000,
      openExternal: (url) => {
        redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
      },
    });
    const pending = auth.signInWithBrowser('sandbox');
    await waitFor(() => redirect !== '', 'the browser to be opened');
    timers.advance(119_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    timers.advance(1);
    const result = await pending;
    expect(result.ok ? '' : result.error.code).toBe('timed-out');
    await expect(fetch(`${redirect}?code=late&state=late`)).rejects.toThrow();
  });
});
