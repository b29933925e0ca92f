// The forge's OAuth endpoints: loopback web flow with PKCE, token exchange errors as
// GitHub returns them (HTTP 200 + error fields), expiring tokens with refresh, device flow.
import { createHash, randomBytes } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startForge, type Forge } from './index.js';
import { forgeSeed } from './fixture.js';

let forge: Forge;
const CLASSIC = { id: 'Iv1.classicapp0001', secret: 'secret-classic' };
const EXPIRING = { id: 'Iv1.expiringapp002', secret: 'secret-expiring' };

beforeAll(async () => {
  forge = await startForge({ seed: forgeSeed(), deviceFlow: { interval: 5, expiresIn: 60 } });
});

afterAll(async () => {
  await forge.close();
});

beforeEach(() => {
  forge.load(forgeSeed());
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  return `${forge.url}/login/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

async function submitPage(html: string, decision: '0' | '1'): Promise<Response> {
  const id = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  if (!id) throw new Error('no request_id on the page');
  return fetch(`${forge.url}/login/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: id, authorize: decision }).toString(),
    redirect: 'manual',
  });
}

/** Runs the browser half of the web flow and returns the callback URL GitHub redirected to. */
async function authorize(app: { id: string }, redirectUri: string, challenge: string, state = 'st-123'): Promise<URL> {
  const page = await fetch(authorizeUrl({ client_id: app.id, redirect_uri: redirectUri, state, scope: 'repo read:user', code_challenge: challenge, code_challenge_method: 'S256' }));
  expect(page.status).toBe(200);
  const res = await submitPage(await page.text(), '1');
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

async function exchange(body: Record<string, string>, json = true): Promise<Record<string, string | number>> {
  const res = await fetch(`${forge.url}/login/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) },
    body: new URLSearchParams(body).toString(),
  });
  expect(res.status).toBe(200);
  if (json) return (await res.json()) as Record<string, string | number>;
  return Object.fromEntries(new URLSearchParams(await res.text()));
}

describe('OAuth web flow', () => {
  it('shows an authorize page with the app, the signed-in user and both buttons', async () => {
    const res = await fetch(authorizeUrl({ client_id: CLASSIC.id, redirect_uri: 'http://127.0.0.1:45678/callback', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<title>Authorize Release Board</title>');
    expect(html).toMatch(/<button[^>]*>Authorize<\/button>/);
    expect(html).toMatch(/<button[^>]*>Cancel<\/button>/);
    expect(html).toContain('Signed in as <strong class="login">alice</strong>');
    expect(html).toContain('src="/avatars/alice"');
  });

  it('exchanges a code with the right PKCE verifier for a working token', async () => {
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:45678/callback';
    const cb = await authorize(CLASSIC, redirectUri, challenge);
    expect(`${cb.origin}${cb.pathname}`).toBe(redirectUri);
    expect(cb.searchParams.get('state')).toBe('st-123');
    const code = cb.searchParams.get('code') as string;
    expect(code).toMatch(/^[0-9a-f]{20}$/);
    const token = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(token).toMatchObject({ token_type: 'bearer', scope: 'repo,read:user' });
    expect(String(token.access_token)).toMatch(/^gho_/);
    const me = await new Octokit({ baseUrl: forge.apiUrl, auth: String(token.access_token) }).rest.users.getAuthenticated();
    expect(me.data.login).toBe('alice');
    expect(me.headers['x-oauth-scopes']).toBe('repo, read:user');

    const reused = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(reused).toEqual({
      error: 'bad_verification_code',
      error_description: 'The code passed is incorrect or expired.',
      error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code',
    });
  });

  it('answers form-encoded without Accept: application/json', async () => {
    const { verifier, challenge } = pkce();
    const cb = await authorize(CLASSIC, 'http://127.0.0.1:1234/callback', challenge);
    const form = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code: cb.searchParams.get('code') as string, code_verifier: verifier }, false);
    expect(String(form.access_token)).toMatch(/^gho_/);
    expect(form.token_type).toBe('bearer');
  });

  it('rejects a wrong verifier, a wrong secret and a different redirect_uri', async () => {
    const { challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:5555/callback';
    const code1 = (await authorize(CLASSIC, redirectUri, challenge)).searchParams.get('code') as string;
    const wrong = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code: code1, redirect_uri: redirectUri, code_verifier: pkce().verifier });
    expect(wrong.error).toBe('bad_verification_code');

    const code2 = (await authorize(CLASSIC, redirectUri, challenge)).searchParams.get('code') as string;
    const badSecret = await exchange({ client_id: CLASSIC.id, client_secret: 'nope', code: code2 });
    expect(badSecret).toMatchObject({ error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });

    const code3 = (await authorize(CLASSIC, redirectUri, challenge)).searchParams.get('code') as string;
    const mismatch = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code: code3, redirect_uri: 'http://127.0.0.1:6666/callback' });
    expect(mismatch).toMatchObject({ error: 'redirect_uri_mismatch', error_description: 'The redirect_uri MUST match the registered callback URL for this application.' });
  });

  it('shows the redirect_uri mismatch page for a wrong path or a non-loopback host, without redirecting', async () => {
    for (const redirectUri of ['http://127.0.0.1:45678/elsewhere', 'http://evil.example:45678/callback', 'http://localhost:45678/callback']) {
      const res = await fetch(authorizeUrl({ client_id: CLASSIC.id, redirect_uri: redirectUri, state: 's' }), { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(res.headers.get('location')).toBeNull();
      const html = await res.text();
      expect(html).toContain('The <code>redirect_uri</code> is not associated with this application.');
      expect(html).not.toContain('request_id');
    }
    const ipv6 = await fetch(authorizeUrl({ client_id: CLASSIC.id, redirect_uri: 'http://[::1]:9999/callback', state: 's' }));
    expect(await ipv6.text()).toContain('request_id');
  });

  it('accepts localhost only when the forge is started with a wider callbackHostRule', async () => {
    const wide = await startForge({ seed: forgeSeed(), callbackHostRule: 'loopback-or-localhost' });
    try {
      const ok = await fetch(`${wide.url}/login/oauth/authorize?${new URLSearchParams({ client_id: CLASSIC.id, redirect_uri: 'http://localhost:4000/callback' })}`);
      expect(await ok.text()).toContain('request_id');
      const bad = await fetch(`${wide.url}/login/oauth/authorize?${new URLSearchParams({ client_id: CLASSIC.id, redirect_uri: 'http://example.com/callback' })}`);
      expect(await bad.text()).toContain('not associated with this application');
    } finally {
      await wide.close();
    }
  });

  it('redirects with access_denied when the user cancels', async () => {
    const page = await fetch(authorizeUrl({ client_id: CLASSIC.id, redirect_uri: 'http://127.0.0.1:40000/callback', state: 'xyz' }));
    const res = await submitPage(await page.text(), '0');
    expect(res.status).toBe(302);
    const cb = new URL(res.headers.get('location') as string);
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('error_description')).toBeTruthy();
    expect(cb.searchParams.get('state')).toBe('xyz');
    expect(cb.searchParams.get('code')).toBeNull();
  });

  it('issues expiring ghu_ tokens with single-use ghr_ refresh tokens for expiring apps', async () => {
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:40001/oauth/callback';
    const cb = await authorize(EXPIRING, redirectUri, challenge);
    const first = await exchange({ client_id: EXPIRING.id, client_secret: EXPIRING.secret, code: cb.searchParams.get('code') as string, redirect_uri: redirectUri, code_verifier: verifier });
    expect(String(first.access_token)).toMatch(/^ghu_/);
    expect(String(first.refresh_token)).toMatch(/^ghr_/);
    expect(first.expires_in).toBe(28800);
    expect(first.refresh_token_expires_in).toBe(15897600);
    const me = await new Octokit({ baseUrl: forge.apiUrl, auth: String(first.access_token) }).request('GET /user');
    expect(me.headers['github-authentication-token-expiration']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);

    const refreshed = await exchange({ client_id: EXPIRING.id, client_secret: EXPIRING.secret, grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(String(refreshed.access_token)).toMatch(/^ghu_/);
    expect(refreshed.access_token).not.toBe(first.access_token);
    const reused = await exchange({ client_id: EXPIRING.id, client_secret: EXPIRING.secret, grant_type: 'refresh_token', refresh_token: String(first.refresh_token) });
    expect(reused.error).toBe('bad_refresh_token');
    const old = await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `token ${String(first.access_token)}` } });
    expect(old.status).toBe(401);
    const fresh = await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `token ${String(refreshed.access_token)}` } });
    expect(fresh.status).toBe(200);
  });

  it('revokes a token through DELETE /applications/{client_id}/token', async () => {
    const { verifier, challenge } = pkce();
    const cb = await authorize(CLASSIC, 'http://127.0.0.1:40002/callback', challenge);
    const t = await exchange({ client_id: CLASSIC.id, client_secret: CLASSIC.secret, code: cb.searchParams.get('code') as string, code_verifier: verifier });
    const basic = `Basic ${Buffer.from(`${CLASSIC.id}:${CLASSIC.secret}`).toString('base64')}`;
    const del = await fetch(`${forge.apiUrl}/applications/${CLASSIC.id}/token`, {
      method: 'DELETE',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: t.access_token }),
    });
    expect(del.status).toBe(204);
    expect((await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `token ${String(t.access_token)}` } })).status).toBe(401);
  });
});

describe('OAuth device flow', () => {
  async function deviceCode(): Promise<Record<string, string | number>> {
    const res = await fetch(`${forge.url}/login/device/code`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: CLASSIC.id, scope: 'repo' }),
    });
    return (await res.json()) as Record<string, string | number>;
  }
  const poll = (device: string): Promise<Record<string, string | number>> => exchange({ client_id: CLASSIC.id, device_code: device, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' });

  it('goes from authorization_pending to a token once the user authorizes on the verification page', async () => {
    const dc = await deviceCode();
    expect(dc).toMatchObject({ verification_uri: `${forge.url}/login/device`, expires_in: 60, interval: 5 });
    expect(String(dc.user_code)).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect((await poll(String(dc.device_code))).error).toBe('authorization_pending');

    const entry = await fetch(String(dc.verification_uri));
    expect(await entry.text()).toContain('name="user_code"');
    const confirm = await fetch(`${forge.url}/login/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: String(dc.user_code).toLowerCase() }).toString(),
    });
    const html = await confirm.text();
    expect(html).toContain('Authorize Release Board');
    const done = await fetch(`${forge.url}/login/device/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: String(dc.user_code), authorize: '1' }).toString(),
    });
    expect(await done.text()).toContain('all set');

    const token = await poll(String(dc.device_code));
    expect(String(token.access_token)).toMatch(/^gho_/);
    expect(token.scope).toBe('repo');
    const me = await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `token ${String(token.access_token)}` } });
    expect(((await me.json()) as { login: string }).login).toBe('alice');
    expect((await poll(String(dc.device_code))).error).toBe('incorrect_device_code');
  });

  it('answers slow_down with a larger interval when polled too fast, and access_denied when denied', async () => {
    const dc = await deviceCode();
    expect((await poll(String(dc.device_code))).error).toBe('authorization_pending');
    const slow = await poll(String(dc.device_code));
    expect(slow.error).toBe('slow_down');
    expect(slow.interval).toBe(10);
    expect(forge.state.decideDeviceCode(String(dc.user_code), false)).toBe(true);
    expect((await poll(String(dc.device_code))).error).toBe('access_denied');
  });

  it('answers expired_token once the device code has expired', async () => {
    const dc = await deviceCode();
    // a forge whose device codes live 0 s shows expiry without waiting
    const short = await startForge({ seed: forgeSeed(), deviceFlow: { interval: 0, expiresIn: 0 } });
    try {
      const res = await fetch(`${short.url}/login/device/code`, { method: 'POST', headers: { accept: 'application/json' }, body: new URLSearchParams({ client_id: CLASSIC.id }) });
      const code = (await res.json()) as { device_code: string };
      const expired = await fetch(`${short.url}/login/oauth/access_token`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ client_id: CLASSIC.id, device_code: code.device_code, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' }),
      });
      expect(((await expired.json()) as { error: string }).error).toBe('expired_token');
    } finally {
      await short.close();
    }
    expect((await poll(String(dc.device_code))).error).toBe('authorization_pending');
  });
});
