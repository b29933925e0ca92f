// The GitLab token inspector (src-main/forges/gitlab/inspector.ts) against the GitLab
// sandbox over real HTTP: a valid PAT with its last use, one expiring within 14 days, a
// revoked and an expired one, and a project access token whose user is a bot. Also pins a
// GitLab behaviour the token view must work around: asking GitLab about a token is itself a
// use, so `last_used_at` read through the token is "now" unless it was used in the last 10
// min. The true figure is read with the signed-in user's own token, before the board first
// sends the stored one, and is kept across later checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeTargetFor, type ForgeTarget } from '../../src-main/forges/forge-url';
import { createGitLabInspector, type GitLabInspectorOptions, type GitLabSessionAccess } from '../../src-main/forges/gitlab/inspector';
import { GL_BOT, GL_ELEVEN_DAYS_MS, GL_PROJECT, GL_PROJECT_ID, GL_TOKENS, dateInDays, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';

let forge: GitLabForge;
let target: ForgeTarget;
/** One pinned clock for the forge, its seed and the board's inspectors: no check here needs time to pass. */
const pinned = new Date();
const now = (): Date => pinned;
const inspectorFor = (options: Omit<GitLabInspectorOptions, 'now'> = {}) => createGitLabInspector({ ...options, now });
const inspector = inspectorFor();

beforeAll(async () => {
  forge = await startGitLabForge({ seed: gitlabFixtureSeed(pinned), now });
  const t = forgeTargetFor('gitlab', `${forge.url}/${GL_PROJECT}`);
  if (!t.ok) throw new Error(t.error.message);
  target = t.value;
});
afterAll(async () => {
  await forge.close();
});

/** The vault's part: lends a signed-in user's own token for the forge's API only. */
function sessionOf(token: string, apiUrl = forge.apiUrl): GitLabSessionAccess {
  return { withSessionToken: async (api, fn) => (api === apiUrl ? fn(token) : undefined) };
}

describe('GitLab token inspection', () => {
  it('resolves a sub-group repository URL to the v4 API', () => {
    expect(target).toMatchObject({ provider: 'gitlab', apiBaseUrl: `${forge.url}/api/v4`, owner: 'platform-team/infra', repo: 'fleet-config', fullName: GL_PROJECT });
  });

  it('without a sign-in, a token whose only figure is its own check reports its last use as not known, never as today', async () => {
    const seeded = forge.state.raw.tokens.get(GL_TOKENS.alice)?.lastUsedAt as string;
    const r = await inspector.inspect(GL_TOKENS.alice, target);
    expect(r).toMatchObject({ outcome: 'accepted', kind: 'gitlab-access-token', scopes: ['api'], identity: { login: 'rm-alice', name: 'Alice Release', type: 'User' } });
    expect(r.expiresAt).toBe(`${dateInDays(200, pinned)}T00:00:00.000Z`);
    // GitLab counted the check itself: its stored figure moved from 3 days ago to now
    const moved = forge.state.raw.tokens.get(GL_TOKENS.alice)?.lastUsedAt as string;
    expect(Date.parse(seeded)).toBeLessThan(Date.parse(moved) - 86_400_000);
    expect(r.lastUse).toMatchObject({ kind: 'unknown', label: expect.stringContaining('sign in to GitLab') });
    expect((await inspector.inspect(GL_TOKENS.alice, target)).lastUse?.kind).toBe('unknown');
    expect(forge.requestLog.entries('GET /personal_access_tokens/self').every((e) => e.auth === 'private-token')).toBe(true);
  });

  it('a project access token last used 11 days ago is still reported as 11 days ago after two checks, read with the sign-in', async () => {
    const session = sessionOf(forge.signIn('rm-alice'));
    const viewer = inspectorFor({ session });
    const elevenDaysAgo = forge.state.raw.tokens.get(GL_TOKENS.deployBot)?.lastUsedAt as string;
    forge.requestLog.reset();
    const first = await viewer.inspect(GL_TOKENS.deployBot, target);
    // the stored token is sent once, to say which token it is; everything else uses the sign-in
    expect(
      forge.requestLog
        .entries()
        .filter((e) => e.auth === 'private-token')
        .map((e) => e.route),
    ).toEqual(['GET /personal_access_tokens/self']);
    expect(first).toMatchObject({ outcome: 'accepted', identity: { login: GL_BOT, type: 'Bot' } });
    expect(first.lastUse).toEqual({ kind: 'last-used', at: elevenDaysAgo, label: `last used ${elevenDaysAgo.slice(0, 10)} (read from GitLab with your sign-in before the board used the token)` });
    // GitLab did count the board's first check as a use...
    expect(forge.state.raw.tokens.get(GL_TOKENS.deployBot)?.lastUsedAt).toBe(pinned.toISOString());
    // ...so the second check sends only the sign-in's token and keeps the true figure
    forge.requestLog.reset();
    const second = await viewer.inspect(GL_TOKENS.deployBot, target);
    expect(second.lastUse).toMatchObject({ kind: 'last-used', at: elevenDaysAgo });
    expect(second.identity).toMatchObject({ login: GL_BOT, type: 'Bot' });
    expect(forge.requestLog.entries().map((e) => e.route)).toEqual([`GET /projects/:id/access_tokens/:token_id`, 'GET /users/:id']);
    expect(forge.requestLog.entries().every((e) => e.auth === 'bearer' && e.username === 'rm-alice')).toBe(true);
  });

  it('a group access token never used before stays "never used" after two checks, read with the group Owner\'s sign-in', async () => {
    const viewer = inspectorFor({ session: sessionOf(forge.signIn('rm-alice')) });
    expect(forge.state.raw.tokens.get(GL_TOKENS.groupBot)?.lastUsedAt).toBeNull();
    for (let check = 0; check < 2; check += 1) {
      const r = await viewer.inspect(GL_TOKENS.groupBot, target);
      expect(r.lastUse).toEqual({ kind: 'never-used', label: 'never used (read from GitLab with your sign-in before the board used the token)' });
    }
    // GitLab itself counted the first check
    expect(forge.state.raw.tokens.get(GL_TOKENS.groupBot)?.lastUsedAt).not.toBeNull();
  });

  it("another user's personal access token: an administrator's sign-in reads its last use, anyone else's says it is not known", async () => {
    const elevenDaysAgo = forge.state.raw.tokens.get(GL_TOKENS.carolOld)?.lastUsedAt as string;
    const asAlice = await inspectorFor({ session: sessionOf(forge.signIn('rm-alice')) }).inspect(GL_TOKENS.carolOld, target);
    expect(asAlice.lastUse).toMatchObject({ kind: 'unknown', label: expect.stringContaining("the token's owner can") });
    // alice's board used the token: to another board (an administrator's), that check is the token's last use
    const alicesCheck = forge.state.raw.tokens.get(GL_TOKENS.carolOld)?.lastUsedAt as string;
    const asAdmin = await inspectorFor({ session: sessionOf(forge.signIn('root-admin')) }).inspect(GL_TOKENS.carolOld, target);
    expect(asAdmin.lastUse).toMatchObject({ kind: 'last-used', at: alicesCheck });
    expect(alicesCheck).not.toBe(elevenDaysAgo);
    // a fresh forge: the administrator's first look comes before any use by the board
    const fresh = await startGitLabForge({ seed: gitlabFixtureSeed(pinned), now });
    try {
      const t = forgeTargetFor('gitlab', `${fresh.url}/${GL_PROJECT}`);
      if (!t.ok) throw new Error(t.error.message);
      const seeded = fresh.state.raw.tokens.get(GL_TOKENS.carolOld)?.lastUsedAt as string;
      const admin = inspectorFor({ session: sessionOf(fresh.signIn('root-admin'), fresh.apiUrl) });
      for (let check = 0; check < 2; check += 1) expect((await admin.inspect(GL_TOKENS.carolOld, t.value)).lastUse).toMatchObject({ kind: 'last-used', at: seeded });
      expect(seeded).toBe(new Date(pinned.getTime() - GL_ELEVEN_DAYS_MS).toISOString());
    } finally {
      await fresh.close();
    }
  });

  it('with no truthful figure, the newest promotion merge request by the token user stands in', async () => {
    forge.state.commitFiles(GL_PROJECT, 'promotion-platform-x-prod', { 'x.txt': 'x\n' }, 'promote', 'ci-carol');
    const mr = forge.state.raw.createMergeRequest(forge.state.raw.projectByPath(GL_PROJECT)!, {
      title: 'Promote x',
      description: '',
      sourceBranch: 'promotion-platform-x-prod',
      targetBranch: 'main',
      author: 'ci-carol',
    });
    const viaSession = inspectorFor({ session: sessionOf(forge.signIn('rm-alice')) });
    forge.requestLog.reset();
    const activity = await viaSession.recentActivity(GL_TOKENS.carolOld, target, 'ci-carol');
    expect(activity).toMatchObject({ kind: 'newest-promotion-pr', number: mr.iid, label: `newest promotion merge request by ci-carol: !${mr.iid}, ${mr.createdAt.slice(0, 10)}` });
    expect(forge.requestLog.entries().every((e) => e.auth === 'bearer')).toBe(true);
    expect((await viaSession.recentActivity(GL_TOKENS.carolOld, target, 'dev-bob')).kind).toBe('no-promotion-pr');
  });

  it('a token expiring within 14 days reports its date', async () => {
    const r = await inspector.inspect(GL_TOKENS.expiringSoon, target);
    expect(r.outcome).toBe('accepted');
    const days = (Date.parse(r.expiresAt as string) - pinned.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(4);
    expect(days).toBeLessThan(14);
    expect(r.identity?.login).toBe('ci-carol');
  });

  it('revoked and expired tokens are rejected with 401', async () => {
    for (const token of [GL_TOKENS.revoked, GL_TOKENS.expired]) {
      const r = await inspector.inspect(token, target);
      expect(r.outcome).toBe('rejected');
      expect(r.message).toContain('401');
      expect(JSON.stringify(r)).not.toContain(token);
    }
  });

  it('a project access token belongs to the project bot, never used before this check', async () => {
    expect(forge.state.raw.tokens.get(GL_TOKENS.projectBot)?.lastUsedAt).toBeNull();
    const r = await inspector.inspect(GL_TOKENS.projectBot, target);
    expect(r).toMatchObject({ outcome: 'accepted', identity: { login: GL_BOT, type: 'Bot', name: 'fleet-config promotion' } });
    expect(r.identity?.login).toMatch(new RegExp(`^project_${GL_PROJECT_ID}_bot_[0-9a-f]{32}$`));
    expect(r.identity?.avatarUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('a token revoked after a first good look is rejected on the next', async () => {
    const token = GL_TOKENS.expiringSoon;
    expect((await inspector.inspect(token, target)).outcome).toBe('accepted');
    forge.faults.revokeToken(token);
    expect((await inspector.inspect(token, target)).outcome).toBe('rejected');
  });

  it('a forge that fails says error, not rejected', async () => {
    forge.faults.failNext(1, 503, { pathIncludes: '/personal_access_tokens/self' });
    const r = await inspector.inspect(GL_TOKENS.alice, target);
    expect(r.outcome).toBe('error');
    expect(r.message).toContain('503');
  });
});
