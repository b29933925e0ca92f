// GitHub's OAuth endpoints (github.com and GHES), carried by @octokit/oauth-methods: code
// exchange, refresh of expiring GitHub App user tokens, device-code request and poll, and
// revocation; plus the /user lookup (Octokit) that names a fresh token's owner.
// What the library lacks is added here: the PKCE verifier and grant_type on the code exchange
// (RFC 7636; oauth-methods sends neither), an injected fetch and clock, and our error type.
//
// Security model: tokens, codes, verifiers and secrets only travel in request bodies (or the
// Basic header of the revoke call) to the host's configured endpoints, redirects are refused,
// and errors carry GitHub's error code and description only, never a secret.

import { createDeviceCode, deleteToken, exchangeDeviceCode, exchangeWebFlowCode, refreshToken } from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import { Octokit } from '@octokit/rest';
import { requestedScopes, type ForgeHost } from '../forge-host';
import { OAuthEndpointError, type DeviceCode, type FetchLike, type Identity, type TokenGrant } from '../oauth-types';

type Deps = { fetch: FetchLike; now: () => number };

const USER_AGENT = 'release-board';

/**
 * A request function for the host's OAuth endpoints. oauth-methods derives the OAuth base from
 * the request's REST base the way GitHub lays out GHES ("<web>/api/v3" → "<web>"; api.github.com
 * → github.com), so we hand it "<webUrl>/api/v3", which maps back to the configured web URL for
 * every GitHub host. Extra parameters (the PKCE verifier) go into the request body.
 */
function oauthRequest(host: ForgeHost, fetchImpl: FetchLike, options: { signal?: AbortSignal; body?: Record<string, string> } = {}) {
  return octokitRequest.defaults({
    baseUrl: `${host.webUrl}/api/v3`,
    headers: { 'user-agent': USER_AGENT },
    request: { fetch: fetchImpl, redirect: 'error', ...(options.signal ? { signal: options.signal } : {}) },
    ...options.body,
  });
}

/**
 * The library types the client secret as required; it sends only what is defined (a JSON body
 * drops undefined), which is what a public client (PKCE, device flow) needs.
 */
const optionalSecret = (secret: string | undefined): string => secret as string;

/** Turns what oauth-methods / @octokit/request threw into our error (GitHub's code, whether a retry may help). */
function toOAuthError(e: unknown, host: ForgeHost, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (e instanceof OAuthEndpointError) return e;
  const re = e as { status?: unknown; response?: { data?: unknown } };
  const data = re.response?.data;
  if (data && typeof data === 'object' && typeof (data as Record<string, unknown>).error === 'string') {
    const o = data as Record<string, unknown>;
    const code = o.error as string;
    return new OAuthEndpointError(code, typeof o.error_description === 'string' ? o.error_description : code, false, typeof o.interval === 'number' ? o.interval : undefined);
  }
  const status = typeof re.status === 'number' ? re.status : 0;
  const where = new URL(host.webUrl).host;
  // @octokit/request reports an unreachable server as status 500 without a response
  if (!re.response) return new OAuthEndpointError('network', `could not reach ${where}: ${e instanceof Error ? e.message : String(e)}`, true);
  return new OAuthEndpointError(`http-${status}`, `${where} answered ${status}`, status >= 500 || status === 429);
}

async function call<T>(host: ForgeHost, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toOAuthError(e, host, signal);
  }
}

/** Our grant from GitHub's raw token answer, timed by our clock (not the server's Date header). */
function grantFrom(data: unknown, now: number, viaDevice: boolean): TokenGrant {
  const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const access = o.access_token;
  if (typeof access !== 'string' || access === '') throw new OAuthEndpointError('invalid_response', 'the token endpoint returned no access token', false);
  const expiresIn = Number(o.expires_in ?? NaN);
  const refreshIn = Number(o.refresh_token_expires_in ?? NaN);
  return {
    accessToken: access,
    refreshToken: typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : null,
    refreshExpiresAt: Number.isFinite(refreshIn) && refreshIn > 0 ? now + refreshIn * 1000 : null,
    scopes: typeof o.scope === 'string' ? o.scope.split(/[\s,]+/).filter((s) => s !== '') : [],
    viaDevice,
  };
}

export async function exchangeAuthorizationCode(host: ForgeHost, args: { code: string; verifier: string; redirectUri: string }, deps: Deps): Promise<TokenGrant> {
  const res = await call(host, undefined, () =>
    exchangeWebFlowCode({
      clientType: 'oauth-app',
      clientId: host.clientId,
      clientSecret: optionalSecret(host.clientSecret),
      code: args.code,
      redirectUrl: args.redirectUri,
      request: oauthRequest(host, deps.fetch, { body: { code_verifier: args.verifier, grant_type: 'authorization_code' } }),
    }),
  );
  return grantFrom(res.data, deps.now(), false);
}

export async function refreshAccessToken(host: ForgeHost, grant: TokenGrant, deps: Deps): Promise<TokenGrant> {
  const refresh = grant.refreshToken;
  if (!refresh) throw new OAuthEndpointError('no_refresh_token', 'this token cannot be refreshed', false);
  const res = await call(host, undefined, () =>
    refreshToken({
      clientType: 'github-app',
      clientId: host.clientId,
      // a device-flow grant is refreshed without the secret, as it was issued
      clientSecret: optionalSecret(grant.viaDevice ? undefined : host.clientSecret),
      refreshToken: refresh,
      request: oauthRequest(host, deps.fetch),
    }),
  );
  return grantFrom(res.data, deps.now(), grant.viaDevice);
}

export async function requestDeviceCode(host: ForgeHost, deps: Deps): Promise<DeviceCode> {
  // The same scopes as the browser flow: a device-code session must be able to promote too.
  const scopes = requestedScopes(host);
  const res = await call(host, undefined, () =>
    createDeviceCode({ clientType: 'oauth-app', clientId: host.clientId, ...(scopes.length > 0 ? { scopes } : {}), request: oauthRequest(host, deps.fetch) }),
  );
  const { device_code, user_code, verification_uri, expires_in, interval } = res.data as unknown as Record<string, unknown>;
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
export async function pollDeviceToken(host: ForgeHost, deviceCode: string, deps: Deps, signal?: AbortSignal): Promise<TokenGrant> {
  const res = await call(host, signal, () =>
    exchangeDeviceCode({ clientType: 'oauth-app', clientId: host.clientId, code: deviceCode, request: oauthRequest(host, deps.fetch, signal ? { signal } : {}) }),
  );
  return grantFrom(res.data, deps.now(), true);
}

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

/** The one Octokit for a host and token (REST calls of the sign-in flow, the provider and the inspector build on it). */
export function octokitFor(host: Pick<ForgeHost, 'apiUrl'>, token: string, fetchImpl?: FetchLike): Octokit {
  return new Octokit({ auth: token, baseUrl: host.apiUrl, userAgent: USER_AGENT, log: silentLog, ...(fetchImpl ? { request: { fetch: fetchImpl } } : {}) });
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
  try {
    const res = await deleteToken({
      clientType: 'oauth-app',
      clientId: host.clientId,
      clientSecret: host.clientSecret,
      token,
      request: octokitRequest.defaults({ baseUrl: host.apiUrl, headers: { 'user-agent': USER_AGENT }, request: { fetch: fetchImpl, redirect: 'error' } }),
    });
    return res.status === 204;
  } catch {
    return false;
  }
}
