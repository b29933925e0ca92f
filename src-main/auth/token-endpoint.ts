// GitHub's OAuth endpoints (github.com and GHES; the forge registry picks them for 'github'
// hosts, gitlab-oauth.ts has GitLab's): code exchange (with the PKCE verifier), refresh of expiring
// GitHub App user tokens, device-code request and device-token poll, and the /user lookup
// that names a fresh token's owner.
// Security model: tokens, codes, verifiers and secrets only travel in request bodies to the
// host's configured endpoints (never in URLs, never to a URL a server handed us) and are
// never put into error messages: errors carry GitHub's error code and description only.

import { Octokit } from '@octokit/rest';
import { forgeEndpoints, requestedScopes, type ForgeHost } from './forge-host';
import { OAuthEndpointError, type DeviceCode, type FetchLike, type Identity, type TokenGrant } from './oauth-types';

export { OAuthEndpointError, type DeviceCode, type FetchLike, type Identity, type TokenGrant } from './oauth-types';

async function postForm(fetchImpl: FetchLike, url: string, form: Record<string, string>, signal?: AbortSignal): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
      ...(signal ? { signal } : {}),
    });
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw new OAuthEndpointError('network', `could not reach ${new URL(url).host}: ${e instanceof Error ? e.message : String(e)}`, true);
  }
  const text = await res.text();
  if (res.status >= 500) throw new OAuthEndpointError(`http-${res.status}`, `${new URL(url).host} answered ${res.status}`, true);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OAuthEndpointError(`http-${res.status}`, `${new URL(url).host} answered ${res.status} without JSON`, res.status >= 500 || res.status === 429);
  }
  if (!body || typeof body !== 'object') throw new OAuthEndpointError(`http-${res.status}`, `unexpected answer from ${new URL(url).host}`, false);
  const o = body as Record<string, unknown>;
  // GitHub answers OAuth errors with 200 and an `error` field
  if (typeof o.error === 'string') {
    const description = typeof o.error_description === 'string' ? o.error_description : o.error;
    throw new OAuthEndpointError(o.error, description, false, typeof o.interval === 'number' ? o.interval : undefined);
  }
  if (!res.ok) throw new OAuthEndpointError(`http-${res.status}`, `${new URL(url).host} answered ${res.status}`, res.status === 429);
  return o;
}

function grantFrom(o: Record<string, unknown>, now: number, viaDevice: boolean): TokenGrant {
  const access = o.access_token;
  if (typeof access !== 'string' || access === '') throw new OAuthEndpointError('invalid_response', 'the token endpoint returned no access token', false);
  const expiresIn = typeof o.expires_in === 'number' ? o.expires_in : Number(o.expires_in ?? NaN);
  const refreshIn = typeof o.refresh_token_expires_in === 'number' ? o.refresh_token_expires_in : Number(o.refresh_token_expires_in ?? NaN);
  return {
    accessToken: access,
    refreshToken: typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : null,
    refreshExpiresAt: Number.isFinite(refreshIn) && refreshIn > 0 ? now + refreshIn * 1000 : null,
    scopes: typeof o.scope === 'string' ? o.scope.split(/[\s,]+/).filter((s) => s !== '') : [],
    viaDevice,
  };
}

export async function exchangeAuthorizationCode(
  host: ForgeHost,
  args: { code: string; verifier: string; redirectUri: string },
  deps: { fetch: FetchLike; now: () => number },
): Promise<TokenGrant> {
  const form: Record<string, string> = {
    client_id: host.clientId,
    code: args.code,
    redirect_uri: args.redirectUri,
    code_verifier: args.verifier,
    grant_type: 'authorization_code',
  };
  if (host.clientSecret) form.client_secret = host.clientSecret;
  return grantFrom(await postForm(deps.fetch, forgeEndpoints(host).token, form), deps.now(), false);
}

export async function refreshAccessToken(host: ForgeHost, grant: TokenGrant, deps: { fetch: FetchLike; now: () => number }): Promise<TokenGrant> {
  if (!grant.refreshToken) throw new OAuthEndpointError('no_refresh_token', 'this token cannot be refreshed', false);
  const form: Record<string, string> = { client_id: host.clientId, grant_type: 'refresh_token', refresh_token: grant.refreshToken };
  if (host.clientSecret && !grant.viaDevice) form.client_secret = host.clientSecret;
  return grantFrom(await postForm(deps.fetch, forgeEndpoints(host).token, form), deps.now(), grant.viaDevice);
}


export async function requestDeviceCode(host: ForgeHost, deps: { fetch: FetchLike; now: () => number }): Promise<DeviceCode> {
  // The same scopes as the browser flow: a device-code session must be able to promote too.
  const scopes = requestedScopes(host);
  const form: Record<string, string> = { client_id: host.clientId };
  if (scopes.length > 0) form.scope = scopes.join(' ');
  const endpoint = forgeEndpoints(host).deviceCode;
  if (!endpoint) throw new OAuthEndpointError('unsupported_grant_type', `${host.id} offers no device flow`, false);
  const o = await postForm(deps.fetch, endpoint, form);
  const { device_code, user_code, verification_uri, expires_in, interval } = o;
  if (typeof device_code !== 'string' || typeof user_code !== 'string' || typeof verification_uri !== 'string') {
    throw new OAuthEndpointError('invalid_response', 'the device code endpoint answered without a code', false);
  }
  return {
    deviceCode: device_code,
    userCode: user_code,
    verificationUri: verification_uri,
    expiresAt: deps.now() + (typeof expires_in === 'number' ? expires_in : 900) * 1000,
    intervalSeconds: typeof interval === 'number' && interval > 0 ? interval : 5,
  };
}

/** One poll: a grant, or OAuthEndpointError ('authorization_pending', 'slow_down' with interval, 'expired_token', 'access_denied'). */
export async function pollDeviceToken(host: ForgeHost, deviceCode: string, deps: { fetch: FetchLike; now: () => number }, signal?: AbortSignal): Promise<TokenGrant> {
  const o = await postForm(
    deps.fetch,
    forgeEndpoints(host).token,
    { client_id: host.clientId, device_code: deviceCode, grant_type: 'urn:ietf:params:oauth:grant-type:device_code' },
    signal,
  );
  return grantFrom(o, deps.now(), true);
}

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

export function octokitFor(host: ForgeHost, token: string, fetchImpl?: FetchLike): Octokit {
  return new Octokit({ auth: token, baseUrl: host.apiUrl, userAgent: 'release-board', log: silentLog, ...(fetchImpl ? { request: { fetch: fetchImpl } } : {}) });
}

export async function fetchIdentity(host: ForgeHost, token: string, fetchImpl?: FetchLike): Promise<Identity> {
  const res = await octokitFor(host, token, fetchImpl).rest.users.getAuthenticated();
  const scopesHeader = res.headers['x-oauth-scopes'];
  return {
    login: res.data.login,
    name: res.data.name ?? null,
    avatarUrl: res.data.avatar_url || null,
    scopes: typeof scopesHeader === 'string' ? scopesHeader.split(',').map((s) => s.trim()).filter((s) => s !== '') : null,
  };
}

/** Revokes one token (DELETE /applications/{client_id}/token); needs the client secret. */
export async function revokeToken(host: ForgeHost, token: string, fetchImpl: FetchLike): Promise<boolean> {
  if (!host.clientSecret) return false;
  const basic = Buffer.from(`${host.clientId}:${host.clientSecret}`, 'utf8').toString('base64');
  try {
    const res = await fetchImpl(`${host.apiUrl}/applications/${encodeURIComponent(host.clientId)}/token`, {
      method: 'DELETE',
      headers: { authorization: `Basic ${basic}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: token }),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 204;
  } catch {
    return false;
  }
}
