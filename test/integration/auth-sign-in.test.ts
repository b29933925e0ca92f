// Sign-in against the sandbox forge over real HTTP: loopback browser flow with PKCE, its
// failure modes, refresh of expiring GitHub App user tokens, the device flow, sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, SignInRequiredError } from '../../src-main/auth/session-vault';
import { fetchIdentity } from '../../src-main/forges/github/oauth';
import { browserFollower, manualTimers, requestWithHostHeader, startForgeFixture, waitFor, type BrowserVisit, type ForgeFixture } from '../bench/promotion-sandbox';
import { createMemoryLogger } from '../../src-main/log/logger';

let fx: ForgeFixture;
beforeAll(async () => {
  fx = await startForgeFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('loopback browser sign-in', () => {
  it('signs in as the seed user through the authorize page, PKCE and a one-use 127.0.0.1 listener', async () => {
    const vault = createSessionVault();
    const visits: BrowserVisit[] = [];
    const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower({ visits }) });
    const result = await auth.signInWithBrowser('sandbox');
    expect(result.ok).toBe(true);
    const session = vault.get('sandbox');
    expect(session?.login).toBe(fx.seed.forge.signInUser);
    expect(session?.name).toBe('Alice Moreau');
    expect(session?.state).toBe('signed-in');
    expect(session?.scopes).toContain('repo');
    expect(session?.expiresAt).toBeNull();

    const authorize = new URL(visits[0]?.authorizeUrl ?? '');
    expect(authorize.origin).toBe(fx.forge.url);
    expect(authorize.pathname).toBe('/login/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? '');
    expect(redirect.hostname).toBe('127.0.0.1');
    expect(redirect.pathname).toBe('/callback');
    expect(Number(redirect.port)).toBeGreaterThan(0);

    // the tab got the plain page, never the token
    expect(visits[0]?.callbackStatus).toBe(200);
    expect(visits[0]?.callbackBody).toContain('You can close this tab');
    const token = await vault.withToken('sandbox', async (t) => t);
    expect(visits[0]?.callbackBody).not.toContain(token);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(JSON.stringify(vault.list())).not.toContain(token);

    // replaying the callback finds the listener gone
    await expect(fetch(visits[0]?.callbackUrl ?? '')).rejects.toThrow();
  });

  it('refuses a callback with a wrong Host header without ending the attempt', async () => {
    const vault = createSessionVault();
    let rogueStatus = 0;
    const follow = browserFollower();
    const auth = createAuthService({
      hosts: [fx.oauthHost],
      vault,
      openExternal: async (url) => {
        const port = Number(new URL(new URL(url).searchParams.get('redirect_uri') ?? '').port);
        rogueStatus = await requestWithHostHeader(port, `localhost:${port}`, '/callback?code=x&state=y');
        await follow(url);
      },
    });
    const result = await auth.signInWithBrowser('sandbox');
    expect(rogueStatus).toBe(400);
    expect(result.ok).toBe(true);
  });

  it('answers a callback with another state with 400 and keeps waiting for the genuine one', async () => {
    const vault = createSessionVault();
    const visits: BrowserVisit[] = [];
    const logger = createMemoryLogger();
    const auth = createAuthService({
      hosts: [fx.oauthHost],
      vault,
      logger,
      openExternal: browserFollower({
        visits,
        tamper: (u) => {
          u.searchParams.set('state', 'forged-state-value');
          return u;
        },
      }),
    });
    const pending = auth.signInWithBrowser('sandbox');
    await waitFor(() => visits[0]?.callbackStatus, 'the forged callback answered');
    expect(visits[0]?.callbackStatus).toBe(400);
    // a missing state is refused the same way, and nothing ended
    const url = new URL(visits[0]!.genuineCallbackUrl!);
    url.searchParams.delete('state');
    expect((await fetch(url)).status).toBe(400);
    expect(vault.list()).toEqual([]);
    expect(logger.records.some((r) => r.level === 'warn' && r.message.includes('still waiting'))).toBe(true);
    // the real redirect still completes the sign-in, once
    expect((await fetch(visits[0]!.genuineCallbackUrl!)).status).toBe(200);
    const result = await pending;
    expect(result.ok).toBe(true);
    expect(vault.list()).toHaveLength(1);
    await expect(fetch(visits[0]!.genuineCallbackUrl!)).rejects.toThrow();
  });

  it('ends with access-denied when the user presses Cancel on the forge', async () => {
    const vault = createSessionVault();
    const visits: BrowserVisit[] = [];
    const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower({ approve: false, visits }) });
    const result = await auth.signInWithBrowser('sandbox');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('access-denied');
    expect(visits[0]?.callbackBody).toContain('You can close this tab');
    expect(vault.list()).toEqual([]);
  });

  it('times out after the configured delay and closes the listener', async () => {
    const timers = manualTimers();
    let redirect = '';
    const auth = createAuthService({
      hosts: [fx.oauthHost],
      vault: createSessionVault({ timers }),
      timers,
      signInTimeoutMs: 5 * 60_000,
      openExternal: (url) => {
        redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
      },
    });
    const pending = auth.signInWithBrowser('sandbox');
    await waitFor(() => redirect !== '', 'the browser to be opened');
    expect(timers.pendingDelays()).toContain(5 * 60_000);
    timers.advance(5 * 60_000);
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('timed-out');
    await expect(fetch(`${redirect}?code=late&state=late`)).rejects.toThrow();
  });

  it('cancels a running attempt from the app', async () => {
    let attemptId = '';
    const auth = createAuthService({ hosts: [fx.oauthHost], vault: createSessionVault(), openExternal: () => undefined });
    const pending = auth.signInWithBrowser('sandbox', (id) => {
      attemptId = id;
    });
    await waitFor(() => attemptId !== '', 'the attempt to start');
    expect(auth.cancelSignIn(attemptId)).toBe(true);
    expect(auth.cancelSignIn(attemptId)).toBe(true); // still registered until it settles; a second cancel is harmless
    const result = await pending;
    expect(auth.cancelSignIn(attemptId)).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('cancelled');
  });

  it('cancels every attempt of a host', async () => {
    let started = 0;
    const auth = createAuthService({ hosts: [fx.oauthHost], vault: createSessionVault(), openExternal: () => undefined });
    const a = auth.signInWithBrowser('sandbox', () => started++);
    const b = auth.signInWithBrowser('sandbox', () => started++);
    await waitFor(() => started === 2, 'both attempts to start');
    expect(auth.cancelSignInsFor('sandbox')).toBe(2);
    expect((await a).ok || (await b).ok).toBe(false);
  });

  it('answers unknown hosts with a typed error', async () => {
    const auth = createAuthService({ hosts: [fx.oauthHost], vault: createSessionVault(), openExternal: () => undefined });
    const result = await auth.signInWithBrowser('nope');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unknown-host');
  });
});

describe('session vault', () => {
  it('refreshes an expiring GitHub App token before expiry, in memory', async () => {
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    const auth = createAuthService({ hosts: [fx.appHost], vault, timers, openExternal: browserFollower() });
    const result = await auth.signInWithBrowser('sandbox-app');
    expect(result.ok).toBe(true);
    const first = vault.get('sandbox-app');
    expect(first?.expiresAt).not.toBeNull();
    const oldToken = await vault.withToken('sandbox-app', async (t) => t);
    expect(oldToken.startsWith('ghu_')).toBe(true);
    const lifetime = Date.parse(first?.expiresAt ?? '') - timers.now();
    expect(timers.pendingDelays()).toContain(lifetime - 5 * 60_000);

    timers.advance(lifetime - 5 * 60_000);
    await waitFor(() => vault.get('sandbox-app')?.expiresAt !== first?.expiresAt, 'the refresh');
    const newToken = await vault.withToken('sandbox-app', async (t) => t);
    expect(newToken).not.toBe(oldToken);
    expect(fx.forge.state.raw.tokens.get(oldToken)?.revoked).toBe(true);
    const me = await vault.withToken('sandbox-app', (t) => fetchIdentity(fx.appHost, t));
    expect(me.login).toBe(fx.seed.forge.signInUser);
    expect(vault.get('sandbox-app')?.state).toBe('signed-in');
    vault.clearAll();
  });

  it('marks the session sign-in-required when the refresh token no longer works', async () => {
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    const changes: string[] = [];
    vault.onChange((s) => changes.push(s.map((x) => x.state).join(',')));
    const auth = createAuthService({ hosts: [fx.appHost], vault, timers, openExternal: browserFollower() });
    expect((await auth.signInWithBrowser('sandbox-app')).ok).toBe(true);
    for (const rt of fx.forge.state.raw.refreshTokens.values()) rt.used = true;
    const lifetime = Date.parse(vault.get('sandbox-app')?.expiresAt ?? '') - timers.now();
    timers.advance(lifetime - 5 * 60_000);
    await waitFor(() => vault.get('sandbox-app')?.state === 'sign-in-required', 'the session to need sign-in');
    expect(changes.at(-1)).toBe('sign-in-required');
    await expect(vault.withToken('sandbox-app', async (t) => t)).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it('drops a token the forge rejects with 401 (revoked elsewhere)', async () => {
    const vault = createSessionVault();
    const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower() });
    expect((await auth.signInWithBrowser('sandbox')).ok).toBe(true);
    const token = await vault.withToken('sandbox', async (t) => t);
    fx.forge.faults.revokeToken(token);
    await expect(vault.withToken('sandbox', (t) => fetchIdentity(fx.oauthHost, t))).rejects.toMatchObject({ status: 401 });
    expect(vault.get('sandbox')?.state).toBe('sign-in-required');
  });

  it('revokes the token on sign-out when the host has a client secret', async () => {
    const vault = createSessionVault();
    const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower() });
    expect((await auth.signInWithBrowser('sandbox')).ok).toBe(true);
    const token = await vault.withToken('sandbox', async (t) => t);
    await auth.signOut('sandbox');
    expect(vault.list()).toEqual([]);
    expect(fx.forge.state.raw.tokens.get(token)?.revoked).toBe(true);
    await expect(vault.withToken('sandbox', async (t) => t)).rejects.toBeInstanceOf(SignInRequiredError);
  });
});

describe('device flow', () => {
  it('shows a user code, honours interval and slow_down, and signs in once approved', async () => {
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    const { clientSecret: _unused, ...publicHost } = fx.appHost;
    const auth = createAuthService({ hosts: [publicHost], vault, timers, openExternal: () => undefined });
    const started = await auth.startDeviceSignIn('sandbox-app');
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const { prompt, done } = started.value;
    expect(prompt.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(prompt.verificationUri).toBe(`${fx.forge.url}/login/device`);
    expect(Date.parse(prompt.expiresAt)).toBeGreaterThan(timers.now());
    const polls = () => fx.forge.requestLog.count('POST /login/oauth/access_token');
    const before = polls();
    expect(timers.pendingDelays()).toEqual([5000]);

    timers.advance(5000); // first poll: pending
    await waitFor(() => polls() === before + 1 && timers.pendingDelays().length === 1, 'the first poll');
    expect(timers.pendingDelays()).toEqual([5000]);
    timers.advance(5000); // second poll comes too soon for the forge's wall clock: slow_down
    await waitFor(() => polls() === before + 2 && timers.pendingDelays().length === 1, 'the second poll');
    expect(timers.pendingDelays()[0]).toBeGreaterThanOrEqual(10_000);

    expect(fx.forge.state.decideDeviceCode(prompt.userCode, true)).toBe(true);
    timers.advance(timers.pendingDelays()[0] ?? 0);
    const result = await done;
    expect(result.ok).toBe(true);
    expect(vault.get('sandbox-app')?.login).toBe(fx.seed.forge.signInUser);
    vault.clearAll();
  });

  it('ends with access-denied when the user declines the device code', async () => {
    const timers = manualTimers();
    const auth = createAuthService({ hosts: [fx.appHost], vault: createSessionVault({ timers }), timers, openExternal: () => undefined });
    const started = await auth.startDeviceSignIn('sandbox-app');
    if (!started.ok) throw new Error('no device code');
    fx.forge.state.decideDeviceCode(started.value.prompt.userCode, false);
    timers.advance(5000);
    const result = await started.value.done;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('access-denied');
  });

  it('asks for the same scopes as the browser flow, so a device-code session can promote', async () => {
    const timers = manualTimers();
    const vault = createSessionVault({ timers });
    // a host configured without scopes: both flows ask for the forge's default (repo)
    const { scopes: _configured, clientSecret: _secret, ...plainHost } = fx.oauthHost;
    const auth = createAuthService({ hosts: [plainHost], vault, timers, openExternal: () => undefined });
    const started = await auth.startDeviceSignIn('sandbox');
    if (!started.ok) throw new Error('no device code');
    expect(fx.forge.state.decideDeviceCode(started.value.prompt.userCode, true)).toBe(true);
    timers.advance(5000);
    const result = await started.value.done;
    expect(result.ok).toBe(true);
    expect(vault.get('sandbox')?.scopes).toContain('repo');
    vault.clearAll();
  });

  it('can be cancelled while waiting', async () => {
    const timers = manualTimers();
    const auth = createAuthService({ hosts: [fx.appHost], vault: createSessionVault({ timers }), timers, openExternal: () => undefined });
    const started = await auth.startDeviceSignIn('sandbox-app');
    if (!started.ok) throw new Error('no device code');
    expect(auth.cancelSignIn(started.value.prompt.attemptId)).toBe(true);
    const result = await started.value.done;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('cancelled');
  });
});
