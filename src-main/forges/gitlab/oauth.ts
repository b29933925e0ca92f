// GitLab's OAuth 2 endpoints (gitlab.com and self-managed), for the forge registry: code
// exchange with the PKCE verifier for a *public* (non-confidential) application, so no client
// secret is shipped; refresh of the 2-hour access tokens (GitLab rotates the refresh token on
// every use, so the session vault serialises refreshes); identity from /api/v4/user;
// revocation via /oauth/revoke (RFC 7009). The browser flow itself is auth/loopback-sign-in.ts
// with exchangeGitLabCode; the session vault keeps and refreshes the grant.
//
// Security model: every URL is derived from the configured host (forge-host.ts); tokens,
// codes and verifiers travel only in POST bodies or the Authorization header to that host,
// redirects are refused, and errors carry GitLab's error code, never a secret.
// GitLab's Doorkeeper matches a registered loopback redirect URI on any port (RFC 8252 §7.3),
// so the application registers `http://127.0.0.1/callback` and we send the port.

import { forgeEndpoints, ForgeHostError, gitlabDotCom, gitlabHost, type ForgeHost } from '../forge-host';
import { OAuthEndpointError, type FetchLike, type Identity, type TokenGrant } from '../oauth-types';
import { createGitLabClient, isRecord, parseJson } from './rest-client';

/** A ForgeHost of type 'gitlab' (build one with gitlabHost). */
export type GitLabHost = ForgeHost;

export { gitlabDotCom, gitlabHost, ForgeHostError as GitLabHostError };

export interface GitLabEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  api: string;
}

export function gitlabEndpoints(host: GitLabHost): GitLabEndpoints {
  const e = forgeEndpoints(host);
  return { authorize: e.authorize, token: e.token, revoke: e.revoke ?? `${host.webUrl}/oauth/revoke`, api: e.api };
}

/** GitLab answers token errors with 400/401 and {"error", "error_description"}. */
async function postForm(fetchImpl: FetchLike, url: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  const host = new URL(url).host;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'error',
    });
  } catch (e) {
    throw new OAuthEndpointError('network', `could not reach ${host}: ${e instanceof Error ? e.message : String(e)}`, true);
  }
  const text = await res.text();
  if (res.status >= 500) throw new OAuthEndpointError(`http-${res.status}`, `${host} answered ${res.status}`, true);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new OAuthEndpointError(`http-${res.status}`, `${host} answered ${res.status} without JSON`, res.status === 429);
  }
  const o = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (typeof o.error === 'string') {
    throw new OAuthEndpointError(o.error, typeof o.error_description === 'string' ? o.error_description : o.error, res.status === 429);
  }
  if (!res.ok) throw new OAuthEndpointError(`http-${res.status}`, `${host} answered ${res.status}`, res.status === 429);
  return o;
}

function grantFrom(o: Record<string, unknown>, now: number): TokenGrant {
  const access = o.access_token;
  if (typeof access !== 'string' || access === '') throw new OAuthEndpointError('invalid_response', 'the token endpoint returned no access token', false);
  const expiresIn = Number(o.expires_in);
  // GitLab stamps created_at (seconds); prefer it so a slow answer does not stretch the lifetime
  const created = Number(o.created_at);
  const issuedAt = Number.isFinite(created) && created > 0 ? Math.min(created * 1000, now) : now;
  return {
    accessToken: access,
    refreshToken: typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? issuedAt + expiresIn * 1000 : null,
    // GitLab refresh tokens do not expire by time; they die when used or revoked
    refreshExpiresAt: null,
    scopes: typeof o.scope === 'string' ? o.scope.split(/\s+/).filter((s) => s !== '') : [],
    viaDevice: false,
  };
}

function clientFields(host: GitLabHost): Record<string, string> {
  return host.clientSecret ? { client_id: host.clientId, client_secret: host.clientSecret } : { client_id: host.clientId };
}

export async function exchangeGitLabCode(host: GitLabHost, args: { code: string; verifier: string; redirectUri: string }, deps: { fetch: FetchLike; now: () => number }): Promise<TokenGrant> {
  const o = await postForm(deps.fetch, gitlabEndpoints(host).token, {
    ...clientFields(host),
    code: args.code,
    grant_type: 'authorization_code',
    redirect_uri: args.redirectUri,
    code_verifier: args.verifier,
  });
  return grantFrom(o, deps.now());
}

/** One refresh. GitLab rotates: the old refresh token (and its access token) stop working. */
export async function refreshGitLabGrant(host: GitLabHost, grant: TokenGrant, deps: { fetch: FetchLike; now: () => number }): Promise<TokenGrant> {
  if (!grant.refreshToken) throw new OAuthEndpointError('no_refresh_token', 'this token cannot be refreshed', false);
  const o = await postForm(deps.fetch, gitlabEndpoints(host).token, { ...clientFields(host), grant_type: 'refresh_token', refresh_token: grant.refreshToken });
  return grantFrom(o, deps.now());
}

/** Who the token belongs to (GitLab's /user: username, name, avatar_url). */
export async function fetchGitLabIdentity(host: GitLabHost, token: string, fetchImpl: FetchLike = fetch): Promise<Identity> {
  const answer = await createGitLabClient({ apiUrl: host.apiUrl, token, fetch: fetchImpl, timeoutMs: 30_000 }).send('GET', '/user');
  const body = parseJson(answer.body);
  if (answer.status !== 200 || !isRecord(body) || typeof body.username !== 'string') {
    const e = new Error(`GitLab /user answered ${answer.status}`) as Error & { status: number };
    e.status = answer.status;
    throw e;
  }
  return {
    login: body.username,
    name: typeof body.name === 'string' && body.name !== '' ? body.name : null,
    avatarUrl: typeof body.avatar_url === 'string' ? body.avatar_url : null,
    scopes: null,
  };
}

/** Revokes the token (RFC 7009; GitLab answers 200 even for unknown tokens). */
export async function revokeGitLabToken(host: GitLabHost, token: string, fetchImpl: FetchLike = fetch): Promise<boolean> {
  try {
    const res = await fetchImpl(gitlabEndpoints(host).revoke, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...clientFields(host), token }).toString(),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status === 200;
  } catch {
    return false;
  }
}
