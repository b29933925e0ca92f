// The GitLab token inspector (src-main/tokens/gitlab-inspector.ts) against the GitLab
// sandbox over real HTTP: a valid PAT with its last use, one expiring within 14 days, a
// revoked and an expired one, and a project access token whose user is a bot. Also pins a
// GitLab behaviour the token view must explain: asking GitLab about a token is itself a use,
// so `last_used_at` read through the token is "now" unless it was used in the last 10 min.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeTargetFor, type ForgeTarget } from '../../src-main/tokens/forge-url';
import { createGitLabInspector, gitlabLastUsedActivity } from '../../src-main/tokens/gitlab-inspector';
import { GL_BOT, GL_PROJECT, GL_PROJECT_ID, GL_TOKENS, dateInDays, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';

let forge: GitLabForge;
let target: ForgeTarget;
const inspector = createGitLabInspector();

beforeAll(async () => {
  forge = await startGitLabForge({ seed: gitlabFixtureSeed() });
  const t = forgeTargetFor('gitlab', `${forge.url}/${GL_PROJECT}`);
  if (!t.ok) throw new Error(t.error.message);
  target = t.value;
});
afterAll(async () => {
  await forge.close();
});

describe('GitLab token inspection', () => {
  it('resolves a sub-group repository URL to the v4 API', () => {
    expect(target).toMatchObject({ provider: 'gitlab', apiBaseUrl: `${forge.url}/api/v4`, owner: 'platform-team/infra', repo: 'fleet-config', fullName: GL_PROJECT });
  });

  it('a valid personal access token: who, scopes, expiry, and a last use that the inspection itself moves', async () => {
    const seeded = forge.state.raw.tokens.get(GL_TOKENS.alice)?.lastUsedAt as string;
    const before = Date.now();
    const r = await inspector.inspect(GL_TOKENS.alice, target);
    expect(r).toMatchObject({ outcome: 'accepted', kind: 'gitlab-access-token', scopes: ['api'], identity: { login: 'rm-alice', name: 'Alice Release', type: 'User' } });
    expect(r.expiresAt).toBe(`${dateInDays(200)}T00:00:00.000Z`);
    // seeded 3 days ago; GitLab bumps last_used_at on this very request (10-minute throttle)
    expect(Date.parse(seeded)).toBeLessThan(before - 86_400_000);
    expect(Date.parse(r.lastUsedAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect(gitlabLastUsedActivity(r.lastUsedAt)).toMatchObject({ kind: 'last-used', at: r.lastUsedAt });
    // a second look within 10 minutes reports the same time
    expect((await inspector.inspect(GL_TOKENS.alice, target)).lastUsedAt).toBe(r.lastUsedAt);
    expect(forge.requestLog.entries('GET /personal_access_tokens/self').every((e) => e.auth === 'private-token')).toBe(true);
  });

  it('a token expiring within 14 days reports its date', async () => {
    const r = await inspector.inspect(GL_TOKENS.expiringSoon, target);
    expect(r.outcome).toBe('accepted');
    const days = (Date.parse(r.expiresAt as string) - Date.now()) / 86_400_000;
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
