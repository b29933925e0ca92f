// GitLab sign-in against the GitLab sandbox over real HTTP: loopback redirect on an
// ephemeral port with PKCE for a public application (no secret), the user's Deny, forged
// callbacks, a confidential application without its secret, refresh with rotation (in
// memory, by the session vault, as for every forge), and revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGitLabIdentity, gitlabHost, GitLabHostError, refreshGitLabGrant, revokeGitLabToken, exchangeGitLabCode, type GitLabHost } from '../../src-main/forges/gitlab/oauth';
import { startLoopbackSignIn, type LoopbackSignInOptions, type OpenExternal } from '../../src-main/auth/loopback-sign-in';
import { createAuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, SignInRequiredError } from '../../src-main/auth/session-vault';
import type { SessionInfo } from '../../src-main/common/session';
import { OAuthEndpointError } from '../../src-main/forges/oauth-types';
import type { Timers } from '../../src-main/auth/timers';
import { GL_CLIENT_ID, GL_CONFIDENTIAL_CLIENT_ID, gitlabFixtureSeed } from '../sandbox/gitlab/fixture';
import { startGitLabForge, type GitLabForge } from '../sandbox/gitlab/index';

// the generic loopback sign-in with GitLab's code exchange, as auth-service runs it for a gitlab host
const startGitLabLoopbackSignIn = (options: Omit<LoopbackSignInOptions, 'exchange'>) => startLoopbackSignIn({ ...options, exchange: exchangeGitLabCode });

let forge: GitLabForge;
let host: GitLabHost;

beforeAll(async () => {
  forge = await startGitLabForge({ seed: gitlabFixtureSeed() });
  host = gitlabHost(forge.url, GL_CLIENT_ID);
});
afterAll(async () => {
  await forge.close();
});

function browser(decision: 'authorize' | 'deny' = 'authorize', seen?: string[]): OpenExternal {
  return async (url) => {
    seen?.push(url);
    const html = await (await fetch(url)).text();
    const id = /name="request_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = new URLSearchParams({ request_id: id });
    if (decision === 'deny') form.set('_method', 'delete');
    const r = await fetch(new URL('/oauth/authorize', url), { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await (await fetch(r.headers.get('location') as string)).text();
  };
}

/** Manual clock: time moves only when a test says so. */
function manualTimers(start = Date.now()): Timers & { advance(ms: number): void } {
  let now = start;
  const pending: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const entry = { at: now + ms, fn };
      pending.push(entry);
      return () => {
        const i = pending.indexOf(entry);
        if (i >= 0) pending.splice(i, 1);
      };
    },
    advance(ms) {
      now += ms;
      for (const e of pending.filter((p) => p.at <= now)) {
        pending.splice(pending.indexOf(e), 1);
        e.fn();
      }
    },
  };
}

describe('GitLab loopback sign-in', () => {
  it('signs in with PKCE and no client secret; the token works and expires in 2 hours', async () => {
    const urls: string[] = [];
    const attempt = await startGitLabLoopbackSignIn({ host, openExternal: browser('authorize', urls) });
    expect(attempt.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const grant = await attempt.result;
    const authorize = new URL(urls[0] as string);
    expect(authorize.origin + authorize.pathname).toBe(`${forge.url}/oauth/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('client_secret')).toBeNull();
    expect(grant.refreshToken).toEqual(expect.any(String));
    expect((grant.expiresAt as number) - Date.now()).toBeGreaterThan(7100_000);
    expect((grant.expiresAt as number) - Date.now()).toBeLessThanOrEqual(7200_000);
    expect(grant.scopes).toEqual(['api', 'read_user']);
    expect(await fetchGitLabIdentity(host, grant.accessToken)).toEqual({ login: 'rm-alice', name: 'Alice Release', avatarUrl: expect.stringContaining('/avatar'), scopes: null });
    // the token exchange carried no secret
    const exchange = forge.requestLog.entries('POST /oauth/token').at(-1);
    expect(exchange?.status).toBe(200);
    // the listener is gone
    await expect(fetch(attempt.redirectUri)).rejects.toThrow();
  });

  it('reports a Deny as access-denied; a forged callback gets a 400 and the attempt keeps waiting', async () => {
    const denied = await startGitLabLoopbackSignIn({ host, openExternal: browser('deny') });
    await expect(denied.result).rejects.toMatchObject({ code: 'access-denied' });

    const timers = manualTimers();
    const forged = await startGitLabLoopbackSignIn({
      host,
      timers,
      timeoutMs: 1000,
      openExternal: async () => {
        /* the user has not acted yet; someone else hits the callback */
      },
    });
    const r = await fetch(`${forged.redirectUri}?code=stolen&state=not-ours`);
    expect(r.status).toBe(400);
    // still listening: the same port answers again, and only the timeout ends the attempt
    expect((await fetch(`${forged.redirectUri}?code=stolen`)).status).toBe(400);
    timers.advance(1001);
    await expect(forged.result).rejects.toMatchObject({ code: 'timed-out' });
  });

  it('times out and can be cancelled', async () => {
    const timers = manualTimers();
    const attempt = await startGitLabLoopbackSignIn({ host, openExternal: () => undefined, timers, timeoutMs: 1000 });
    timers.advance(1001);
    await expect(attempt.result).rejects.toMatchObject({ code: 'timed-out' });
    const cancelled = await startGitLabLoopbackSignIn({ host, openExternal: () => undefined });
    cancelled.cancel();
    await expect(cancelled.result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('fails the exchange for a confidential application without its secret', async () => {
    const confidential = gitlabHost(forge.url, GL_CONFIDENTIAL_CLIENT_ID, { scopes: ['api'] });
    const attempt = await startGitLabLoopbackSignIn({ host: confidential, openExternal: browser() });
    await expect(attempt.result).rejects.toMatchObject({ code: 'exchange-failed', message: expect.stringContaining('invalid_client') });
  });

  it('auth-service refuses the device flow for a GitLab host up front, without calling GitLab', async () => {
    const vault = createSessionVault();
    const auth = createAuthService({ hosts: [host], vault, openExternal: () => undefined });
    forge.requestLog.reset();
    const started = await auth.startDeviceSignIn(host.id);
    expect(started.ok).toBe(false);
    if (!started.ok) expect(started.error).toMatchObject({ code: 'invalid-host', message: expect.stringContaining('no device sign-in') });
    expect(forge.requestLog.count()).toBe(0);
  });

  it('accepts https hosts and loopback http only', () => {
    expect(gitlabHost('https://gitlab.example.com/', 'abc').apiUrl).toBe('https://gitlab.example.com/api/v4');
    expect(gitlabHost('https://example.com/gitlab', 'abc')).toMatchObject({ webUrl: 'https://example.com/gitlab', apiUrl: 'https://example.com/gitlab/api/v4', id: 'example.com' });
    expect(() => gitlabHost('http://gitlab.example.com', 'abc')).toThrow(GitLabHostError);
    expect(() => gitlabHost('http://localhost:8080', 'abc')).toThrow(GitLabHostError);
    expect(() => gitlabHost('https://user:pw@gitlab.example.com', 'abc')).toThrow(GitLabHostError);
  });
});

describe('GitLab token refresh and revocation', () => {
  it('rotates on refresh: the old access and refresh tokens stop working', async () => {
    const grant = await (await startGitLabLoopbackSignIn({ host, openExternal: browser() })).result;
    const next = await refreshGitLabGrant(host, grant, { fetch, now: Date.now });
    expect(next.accessToken).not.toBe(grant.accessToken);
    expect(next.refreshToken).not.toBe(grant.refreshToken);
    expect((await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `Bearer ${grant.accessToken}` } })).status).toBe(401);
    expect((await fetchGitLabIdentity(host, next.accessToken)).login).toBe('rm-alice');
    const again = await refreshGitLabGrant(host, grant, { fetch, now: Date.now }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OAuthEndpointError);
    expect(again).toMatchObject({ oauthError: 'invalid_grant', transient: false });
  });

  it('the session vault refreshes a GitLab grant shortly before expiry, once for concurrent callers, and revokes on sign-out', async () => {
    const grant = await (await startGitLabLoopbackSignIn({ host, openExternal: browser() })).result;
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    const seen: SessionInfo[][] = [];
    vault.onChange((s) => seen.push(s));
    vault.store(host, grant, await fetchGitLabIdentity(host, grant.accessToken));
    expect(await vault.withToken(host.id, async (t) => t)).toBe(grant.accessToken);
    forge.requestLog.reset();
    timers.advance(7200_000 - 4 * 60_000); // inside the 5-minute margin: the vault's timer starts the refresh
    const [a, b] = await Promise.all([vault.withToken(host.id, async (t) => t), vault.withToken(host.id, async (t) => t)]);
    expect(a).toBe(b);
    expect(a).not.toBe(grant.accessToken);
    expect(forge.requestLog.count('POST /oauth/token')).toBe(1);
    expect(vault.get(host.id)).toMatchObject({ state: 'signed-in', login: 'rm-alice' });
    // (GitLab stamps created_at from the real clock, so expiry is not compared against the manual one)
    expect(vault.get(host.id)?.expiresAt).toEqual(expect.any(String));
    expect((await fetchGitLabIdentity(host, a)).login).toBe('rm-alice');
    expect(seen.some((list) => list[0]?.expiresAt === vault.get(host.id)?.expiresAt)).toBe(true); // the refresh was announced
    await vault.signOut(host.id);
    expect(seen.at(-1)).toEqual([]);
    expect(forge.requestLog.count('POST /oauth/revoke')).toBe(1);
    expect((await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `Bearer ${a}` } })).status).toBe(401);
    await expect(vault.withToken(host.id, async (t) => t)).rejects.toMatchObject({ code: 'sign-in-required' });
  });

  it('the session vault asks for a new sign-in when GitLab refuses the (already rotated) refresh token', async () => {
    const grant = await (await startGitLabLoopbackSignIn({ host, openExternal: browser() })).result;
    await refreshGitLabGrant(host, grant, { fetch, now: Date.now }); // rotates: grant.refreshToken is spent
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    vault.store(host, grant, { login: 'rm-alice', name: null, avatarUrl: null, scopes: null });
    timers.advance(7200_000 - 4 * 60_000);
    expect(await vault.refresh(host.id)).toMatchObject({ state: 'sign-in-required' });
    await expect(vault.withToken(host.id, async (t) => t)).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it('revokes a token', async () => {
    const grant = await (await startGitLabLoopbackSignIn({ host, openExternal: browser() })).result;
    expect(await revokeGitLabToken(host, grant.accessToken)).toBe(true);
    const r = await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `Bearer ${grant.accessToken}` } });
    expect(await r.json()).toMatchObject({ error: 'invalid_token' });
  });
});
