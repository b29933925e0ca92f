// GitHub's OAuth endpoints through @octokit/oauth-app against the sandbox forge, over real
// HTTP: what we add to the library (the PKCE verifier and grant_type, no secret for a public
// client, our clock, endpoints pinned to the configured host, refused redirects) must reach
// the wire, and refresh and revoke must still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPkce, type Pkce } from '../../src-main/auth/pkce';
import { validateForgeHost, type ForgeHost } from '../../src-main/forges/forge-host';
import { authorizeUrl, exchangeAuthorizationCode, pollDeviceToken, refreshAccessToken, requestDeviceCode, revokeToken } from '../../src-main/forges/github/oauth';
import { OAuthEndpointError, type FetchLike } from '../../src-main/forges/oauth-types';
import { browserFollower, startForgeFixture, type BrowserVisit, type ForgeFixture } from '../bench/promotion-sandbox';
import { createLoopbackListener, type LoopbackListener } from '../sandbox/loopback-listener';

/** Our clock, far from the forge's: a grant timed by the server's Date header would not match. */
const OUR_NOW = 42_000;
const now = (): number => OUR_NOW;

interface SentRequest {
  url: string;
  method: string;
  body: Record<string, unknown>;
}

/** The global fetch, recording what each request carried. */
function recordingFetch(): { fetch: FetchLike; sent: SentRequest[]; tokenRequests: () => SentRequest[] } {
  const sent: SentRequest[] = [];
  const recording: FetchLike = (input, init) => {
    sent.push({ url: String(input), method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : {} });
    return fetch(input, init);
  };
  return { fetch: recording, sent, tokenRequests: () => sent.filter((r) => new URL(r.url).pathname === '/login/oauth/access_token') };
}

const withoutSecret = (host: ForgeHost): ForgeHost => {
  const { clientSecret: _secret, ...rest } = host;
  return rest;
};

let fx: ForgeFixture;
/** Where the forge sends the browser back to: answers every request with 200. */
let callbackSink: LoopbackListener;
/** Answers every request with a 307 to its own /elsewhere and counts what arrives there. */
let redirector: LoopbackListener;
let redirectedArrivals = 0;
let redirectorHits = 0;

beforeAll(async () => {
  fx = await startForgeFixture();
  callbackSink = createLoopbackListener((_req, res) => res.writeHead(200, { connection: 'close' }).end('ok'));
  await callbackSink.listen();
  redirector = createLoopbackListener((req, res) => {
    if (req.url?.startsWith('/elsewhere')) {
      redirectedArrivals++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen"}');
      return;
    }
    redirectorHits++;
    res.writeHead(307, { location: `http://127.0.0.1:${redirector.port}/elsewhere`, connection: 'close' }).end();
  });
  await redirector.listen();
});
afterAll(async () => {
  await callbackSink.stop();
  await redirector.stop();
  await fx.close();
});

/** Signs the seed user in on the forge's authorize page (as a browser would) and returns the code it redirected with. */
async function authorizationCode(host: ForgeHost, pkce: Pkce): Promise<{ code: string; redirectUri: string }> {
  const redirectUri = `http://127.0.0.1:${callbackSink.port}/callback`;
  const visits: BrowserVisit[] = [];
  await browserFollower({ visits })(authorizeUrl(host, { redirectUri, state: 'one-state', challenge: pkce.challenge }));
  const code = new URL(visits[0]?.genuineCallbackUrl ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error('the forge redirected without a code');
  return { code, redirectUri };
}

describe('code exchange through OAuthApp.createToken', () => {
  it('sends the PKCE verifier and grant_type to the token endpoint and times the grant by our clock', async () => {
    const pkce = createPkce();
    const { code, redirectUri } = await authorizationCode(fx.appHost, pkce);
    const wire = recordingFetch();
    const grant = await exchangeAuthorizationCode(fx.appHost, { code, verifier: pkce.verifier, redirectUri }, { fetch: wire.fetch, now });

    expect(wire.tokenRequests()).toHaveLength(1);
    const [request] = wire.tokenRequests();
    expect(request?.url).toBe(`${fx.forge.url}/login/oauth/access_token`);
    expect(request?.body).toMatchObject({
      code,
      code_verifier: pkce.verifier,
      grant_type: 'authorization_code',
      redirect_uri: redirectUri,
      client_id: fx.appHost.clientId,
      client_secret: fx.appHost.clientSecret,
    });
    expect(grant.accessToken).toMatch(/^ghu_/);
    expect(grant.refreshToken).toMatch(/^ghr_/);
    // the sandbox's GitHub App tokens live 8 hours, their refresh tokens ~6 months
    expect(grant.expiresAt).toBe(OUR_NOW + 28_800 * 1000);
    expect(grant.refreshExpiresAt).toBe(OUR_NOW + 15_897_600 * 1000);
    expect(grant.viaDevice).toBe(false);
  });

  it('is refused when the verifier does not match the challenge (the forge checks what we send)', async () => {
    const pkce = createPkce();
    const { code, redirectUri } = await authorizationCode(fx.oauthHost, pkce);
    const error = await exchangeAuthorizationCode(fx.oauthHost, { code, verifier: createPkce().verifier, redirectUri }, { fetch, now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthEndpointError);
    expect(error).toMatchObject({ oauthError: 'bad_verification_code', transient: false });
  });

  it('sends no client secret for a public client', async () => {
    const pkce = createPkce();
    const publicHost = withoutSecret(fx.oauthHost);
    const { code, redirectUri } = await authorizationCode(publicHost, pkce);
    const wire = recordingFetch();
    // like an OAuth app on GitHub, the sandbox wants the secret for the code grant
    await expect(exchangeAuthorizationCode(publicHost, { code, verifier: pkce.verifier, redirectUri }, { fetch: wire.fetch, now })).rejects.toMatchObject({
      oauthError: 'incorrect_client_credentials',
    });
    const [request] = wire.tokenRequests();
    expect(request?.body).toMatchObject({ code_verifier: pkce.verifier, grant_type: 'authorization_code' });
    expect(request?.body).not.toHaveProperty('client_secret');
  });
});

describe('device flow, refresh and revoke', () => {
  it('signs a public client in by device code and refreshes its grant without a secret', async () => {
    const publicHost = withoutSecret(fx.appHost);
    const wire = recordingFetch();
    const device = await requestDeviceCode(publicHost, { fetch: wire.fetch, now });
    expect(device.expiresAt).toBe(OUR_NOW + 900 * 1000);
    await expect(pollDeviceToken(publicHost, device.deviceCode, { fetch: wire.fetch, now })).rejects.toMatchObject({ oauthError: 'authorization_pending', transient: false });
    expect(fx.forge.state.decideDeviceCode(device.userCode, true)).toBe(true);
    // an approved code is granted at once, whatever the interval
    const grant = await pollDeviceToken(publicHost, device.deviceCode, { fetch: wire.fetch, now });
    expect(grant.viaDevice).toBe(true);

    // the host's secret exists, but a device grant is refreshed as it was issued: without it
    const refreshed = await refreshAccessToken(fx.appHost, grant, { fetch: wire.fetch, now });
    expect(refreshed.accessToken).not.toBe(grant.accessToken);
    expect(refreshed.viaDevice).toBe(true);
    expect(fx.forge.state.raw.tokens.get(grant.accessToken)?.revoked).toBe(true);

    expect(wire.sent.length).toBeGreaterThanOrEqual(4);
    for (const request of wire.sent) expect(request.body).not.toHaveProperty('client_secret');
    expect(wire.tokenRequests().at(-1)?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: grant.refreshToken });
  });

  it('refreshes a GitHub App user token through OAuthApp.refreshToken and revokes it through deleteToken', async () => {
    const pkce = createPkce();
    const { code, redirectUri } = await authorizationCode(fx.appHost, pkce);
    const grant = await exchangeAuthorizationCode(fx.appHost, { code, verifier: pkce.verifier, redirectUri }, { fetch, now });
    const wire = recordingFetch();
    const refreshed = await refreshAccessToken(fx.appHost, grant, { fetch: wire.fetch, now });
    expect(wire.tokenRequests()[0]?.body).toMatchObject({ grant_type: 'refresh_token', client_secret: fx.appHost.clientSecret });
    expect(refreshed.expiresAt).toBe(OUR_NOW + 28_800 * 1000);
    expect(fx.forge.state.raw.tokens.get(grant.accessToken)?.revoked).toBe(true);

    expect(await revokeToken(fx.appHost, refreshed.accessToken, wire.fetch)).toBe(true);
    expect(fx.forge.state.raw.tokens.get(refreshed.accessToken)?.revoked).toBe(true);
    expect(wire.sent.at(-1)).toMatchObject({ method: 'DELETE', url: `${fx.appHost.apiUrl}/applications/${fx.appHost.clientId}/token` });
  });

  it('does not try to revoke without a client secret', async () => {
    const wire = recordingFetch();
    expect(await revokeToken(withoutSecret(fx.oauthHost), 'gho_anything', wire.fetch)).toBe(false);
    expect(wire.sent).toEqual([]);
  });
});

describe('where requests go', () => {
  it("sends OAuth requests to the configured web URL even when the API URL does not follow GitHub's layout", async () => {
    // the library would guess the OAuth base from this API URL (http://127.0.0.1:1); nothing listens there
    const host = validateForgeHost({ ...fx.oauthHost, apiUrl: 'http://127.0.0.1:1/api/v3' });
    const url = new URL(authorizeUrl(host, { redirectUri: 'http://127.0.0.1:9/callback', state: 's', challenge: 'c' }));
    expect(url.origin).toBe(fx.forge.url);
    const wire = recordingFetch();
    const device = await requestDeviceCode(host, { fetch: wire.fetch, now });
    expect(device.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(wire.sent.map((r) => r.url)).toEqual([`${fx.forge.url}/login/device/code`]);
  });

  it('refuses a redirect instead of replaying a code, secret or token to its target', async () => {
    const host = validateForgeHost({ ...fx.oauthHost, webUrl: `http://127.0.0.1:${redirector.port}`, apiUrl: `http://127.0.0.1:${redirector.port}/api/v3` });
    const before = redirectorHits;
    const exchange = await exchangeAuthorizationCode(host, { code: 'c0de', verifier: createPkce().verifier, redirectUri: 'http://127.0.0.1:9/callback' }, { fetch, now }).catch((e: unknown) => e);
    expect(exchange).toBeInstanceOf(OAuthEndpointError);
    expect(exchange).toMatchObject({ oauthError: 'network', transient: true });
    await expect(requestDeviceCode(host, { fetch, now })).rejects.toMatchObject({ oauthError: 'network' });
    await expect(refreshAccessToken(host, { accessToken: 'a', refreshToken: 'ghr_x', expiresAt: 1, refreshExpiresAt: 2, scopes: [], viaDevice: false }, { fetch, now })).rejects.toMatchObject({
      oauthError: 'network',
    });
    expect(await revokeToken(host, 'gho_secret', fetch)).toBe(false);
    expect(redirectorHits - before).toBe(4);
    expect(redirectedArrivals).toBe(0);
  });
});
