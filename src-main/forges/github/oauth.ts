// GitHub's OAuth endpoints (github.com and GHES), carried by @octokit/oauth-app: one OAuthApp
// per host and call (oauth-app.ts) builds the authorize URL (getWebFlowAuthorizationUrl),
// exchanges the code (createToken), refreshes expiring GitHub App user tokens (refreshToken) and
// revokes (deleteToken). Plus the /user lookup (Octokit) that names a fresh token's owner.
// What the library lacks is added here: PKCE (RFC 7636: the challenge in the authorize URL, the
// verifier and grant_type in the exchange), a public client without a secret, an injected fetch
// and clock, `redirect: 'error'`, and our error type.
// The device flow stays on @octokit/oauth-methods (createDeviceCode, exchangeDeviceCode), sent
// through the same OAuthApp's Octokit: OAuthApp only offers it as createToken({ onVerification }),
// one blocking loop that sleeps on real timers, while our poll loop (auth/device-sign-in.ts)
// takes one step at a time on an injected clock and can be cancelled between steps.
//
// Security model: tokens, codes, verifiers and secrets only travel in request bodies (or the
// Basic header of the revoke call) to the host's configured endpoints, redirects are refused,
// and errors carry GitHub's error code and description only, never a secret.

import { createDeviceCode, exchangeDeviceCode } from '@octokit/oauth-methods';
import { Octokit } from '@octokit/rest';
import { forgeEndpoints, requestedScopes, type ForgeHost } from '../forge-host';
import { OAuthEndpointError, type AuthorizeUrlBuilder, type DeviceCode, type FetchLike, type Identity, type TokenGrant } from '../oauth-types';
import { addTokenRequestParams, captureTokenAnswer, githubOAuthApp } from './oauth-app';
import { silentLog, USER_AGENT } from './octokit-options';

type Deps = { fetch: FetchLike; now: () => number };

/** Turns what the OAuthApp / oauth-methods / @octokit/request threw into our error (GitHub's code, whether a retry may help). */
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

const sendsNoRequest: FetchLike = () => Promise.reject(new Error('building the authorize URL sends no request'));

/**
 * The authorize URL: the library's (client_id, redirect_uri, scope, state, allow_signup) on the
 * configured authorize endpoint, plus what it lacks: response_type and the PKCE challenge.
 */
export const authorizeUrl: AuthorizeUrlBuilder = (host, args) => {
  const built = githubOAuthApp(host, { fetch: sendsNoRequest }).getWebFlowAuthorizationUrl({ redirectUrl: args.redirectUri, state: args.state, scopes: requestedScopes(host) });
  // the library puts its parameters on a base it derives from the API URL; ours is configured
  const url = new URL(forgeEndpoints(host).authorize);
  url.search = new URL(built.url).search;
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('code_challenge', args.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
};

export async function exchangeAuthorizationCode(host: ForgeHost, args: { code: string; verifier: string; redirectUri: string }, deps: Deps): Promise<TokenGrant> {
  const app = githubOAuthApp(host, { fetch: deps.fetch });
  // this app serves this one exchange, so the verifier reaches no other request
  addTokenRequestParams(app, { code_verifier: args.verifier, grant_type: 'authorization_code' });
  const answer = captureTokenAnswer(app);
  await call(host, undefined, () => app.createToken({ code: args.code, redirectUrl: args.redirectUri }));
  return grantFrom(answer(), deps.now(), false);
}

export async function refreshAccessToken(host: ForgeHost, grant: TokenGrant, deps: Deps): Promise<TokenGrant> {
  const refresh = grant.refreshToken;
  if (!refresh) throw new OAuthEndpointError('no_refresh_token', 'this token cannot be refreshed', false);
  // a device-flow grant is refreshed without the secret, as it was issued
  const app = githubOAuthApp(host, { fetch: deps.fetch, clientType: 'github-app', clientSecret: grant.viaDevice ? undefined : host.clientSecret });
  const res = await call(host, undefined, () => app.refreshToken({ refreshToken: refresh }));
  return grantFrom(res.data, deps.now(), grant.viaDevice);
}

export async function requestDeviceCode(host: ForgeHost, deps: Deps): Promise<DeviceCode> {
  // The same scopes as the browser flow: a device-code session must be able to promote too.
  const scopes = requestedScopes(host);
  const { request } = githubOAuthApp(host, { fetch: deps.fetch }).octokit;
  const res = await call(host, undefined, () => createDeviceCode({ clientType: 'oauth-app', clientId: host.clientId, ...(scopes.length > 0 ? { scopes } : {}), request }));
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
  const { request } = githubOAuthApp(host, { fetch: deps.fetch, signal }).octokit;
  const res = await call(host, signal, () => exchangeDeviceCode({ clientType: 'oauth-app', clientId: host.clientId, code: deviceCode, request }));
  return grantFrom(res.data, deps.now(), true);
}

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
    scopes:
      typeof scopesHeader === 'string'
        ? scopesHeader
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : null,
  };
}

/** Revokes one token (DELETE /applications/{client_id}/token); needs the client secret. */
export async function revokeToken(host: ForgeHost, token: string, fetchImpl: FetchLike): Promise<boolean> {
  if (!host.clientSecret) return false;
  try {
    const res = await githubOAuthApp(host, { fetch: fetchImpl }).deleteToken({ token });
    return res.status === 204;
  } catch {
    return false;
  }
}
