// GitLab sign-in (gitlab.com and self-managed): OAuth 2 authorization code with PKCE S256
// through a loopback redirect, for a *public* (non-confidential) GitLab application, so no
// client secret is shipped; refresh of the 2-hour access tokens (GitLab rotates the refresh
// token on every use) in memory; identity from /api/v4/user; revocation via /oauth/revoke.
//
// Security model (same rules as loopback-sign-in.ts, which is GitHub-shaped):
// - The listener binds 127.0.0.1 on an OS-chosen port and serves only GET /callback with a
//   Host header of exactly 127.0.0.1:<port>; one attempt, one use; a wrong `state` ends the
//   attempt; a 5-minute timeout (default) ends it too; afterwards the port is closed.
// - GitLab's Doorkeeper matches a registered loopback redirect URI on any port (RFC 8252
//   §7.3), so the application registers `http://127.0.0.1/callback` and we send the port.
// - Every URL is derived from the configured host (https, or http to a loopback IP only);
//   tokens, codes and verifiers travel only in POST bodies or the Authorization header to
//   that host, redirects are refused, and errors carry GitLab's error code, never a secret.
// - The returned TokenGrant goes straight into the session vault; nothing here keeps it.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOAuthState, createPkce, sameState } from './pkce';
import { SignInFailure, type OpenExternal } from './loopback-sign-in';
import { OAuthEndpointError, type FetchLike, type Identity, type TokenGrant } from './token-endpoint';
import { systemTimers, type Timers } from './timers';

export interface GitLabHost {
  /** Stable key for sessions, e.g. "gitlab.com" or "gitlab.acme.example". */
  id: string;
  type: 'gitlab';
  /** Web origin, e.g. https://gitlab.com */
  webUrl: string;
  /** REST base: <webUrl>/api/v4 */
  apiUrl: string;
  /** The GitLab application ID (uid) of a non-confidential application. */
  clientId: string;
  /** Only for confidential applications, which a desktop app should not use. */
  clientSecret?: string;
  /** Default: api read_user (api is needed to push a branch and open a merge request). */
  scopes?: string[];
}

export interface GitLabEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  api: string;
}

export class GitLabHostError extends Error {
  override readonly name = 'GitLabHostError';
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/;
const CALLBACK_PATH = '/callback';
const DEFAULT_SCOPES = ['api', 'read_user'];

function checkOrigin(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new GitLabHostError(`not a URL: ${raw}`);
  }
  if (u.username || u.password || u.search || u.hash) throw new GitLabHostError('the GitLab URL must not carry credentials, a query or a fragment');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.test(u.hostname))) throw new GitLabHostError(`the GitLab URL must use https (got ${u.protocol}//${u.host})`);
  return u;
}

/** A GitLab instance at an origin (self-managed may live under a relative URL root, e.g. https://host/gitlab). */
export function gitlabHost(webUrl: string, clientId: string, options: { id?: string; clientSecret?: string; scopes?: string[] } = {}): GitLabHost {
  const u = checkOrigin(webUrl);
  if (!clientId || !/^[A-Za-z0-9._-]+$/.test(clientId)) throw new GitLabHostError('the application ID is missing or malformed');
  const base = `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
  return {
    id: options.id ?? u.host.toLowerCase(),
    type: 'gitlab',
    webUrl: base,
    apiUrl: `${base}/api/v4`,
    clientId,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.scopes ? { scopes: [...options.scopes] } : {}),
  };
}

export function gitlabDotCom(clientId: string): GitLabHost {
  return gitlabHost('https://gitlab.com', clientId);
}

export function gitlabEndpoints(host: GitLabHost): GitLabEndpoints {
  return { authorize: `${host.webUrl}/oauth/authorize`, token: `${host.webUrl}/oauth/token`, revoke: `${host.webUrl}/oauth/revoke`, api: host.apiUrl };
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
  const res = await fetchImpl(`${host.apiUrl}/user`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, redirect: 'error' });
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (res.status !== 200 || !body || typeof body.username !== 'string') {
    const e = new Error(`GitLab /user answered ${res.status}`) as Error & { status: number };
    e.status = res.status;
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

export interface GitLabSignInOptions {
  host: GitLabHost;
  openExternal: OpenExternal;
  fetch?: FetchLike;
  timers?: Timers;
  /** default 5 minutes */
  timeoutMs?: number;
}

export interface GitLabSignInAttempt {
  /** http://127.0.0.1:<port>/callback */
  redirectUri: string;
  /** Resolves with the token grant, or rejects with SignInFailure. */
  result: Promise<TokenGrant>;
  cancel(): void;
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;margin:3em auto;max-width:32em"><h1>${title}</h1><p>${text}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(body);
}

function toFailure(e: unknown): SignInFailure {
  if (e instanceof SignInFailure) return e;
  if (e instanceof OAuthEndpointError) {
    return e.transient
      ? new SignInFailure('forge-unavailable', `GitLab could not be reached (${e.message}).`, 'Check your connection and try again.')
      : new SignInFailure('exchange-failed', `GitLab refused the sign-in (${e.oauthError}: ${e.message}).`, 'Try signing in again.');
  }
  return new SignInFailure('forge-unavailable', e instanceof Error ? e.message : String(e));
}

export async function startGitLabLoopbackSignIn(options: GitLabSignInOptions): Promise<GitLabSignInAttempt> {
  const host = options.host;
  try {
    checkOrigin(host.webUrl);
  } catch (e) {
    throw new SignInFailure('invalid-host', e instanceof Error ? e.message : String(e));
  }
  const timers = options.timers ?? systemTimers;
  const fetchImpl = options.fetch ?? fetch;
  const pkce = createPkce();
  const state = createOAuthState();
  let settled = false;
  let resolveCode!: (code: string) => void;
  let rejectCode!: (e: SignInFailure) => void;
  const codePromise = new Promise<string>((res, rej) => {
    resolveCode = res;
    rejectCode = rej;
  });
  codePromise.catch(() => undefined);

  let port = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== `127.0.0.1:${port}`) return page(res, 400, 'Bad request', 'This address only accepts the sign-in redirect.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'Nothing here.');
    if (req.method !== 'GET') return page(res, 405, 'Method not allowed', 'Nothing here.');
    if (settled) return page(res, 410, 'Sign-in already finished', 'This sign-in link was already used. You can close this tab.');
    const q = url.searchParams;
    if (!sameState(state, q.get('state'))) {
      page(res, 400, 'Sign-in failed', 'This sign-in response did not come from the request Release Board made. You can close this tab and try again from the app.');
      return finish(new SignInFailure('state-mismatch', 'The sign-in response did not match the request (state mismatch); the attempt was abandoned.', 'Start the sign-in again from Release Board.'));
    }
    const error = q.get('error');
    if (error) {
      page(res, 200, 'Sign-in cancelled', 'Release Board was not authorized. You can close this tab.');
      return finish(
        error === 'access_denied'
          ? new SignInFailure('access-denied', 'You declined the authorization on GitLab.', 'Sign in again and press Authorize.')
          : new SignInFailure('exchange-failed', `GitLab reported an authorization error (${error}).`),
      );
    }
    const code = q.get('code');
    if (!code) {
      page(res, 400, 'Sign-in failed', 'The response carried no authorization code. You can close this tab.');
      return finish(new SignInFailure('invalid-callback', 'The sign-in response carried no authorization code.'));
    }
    page(res, 200, 'Signed in', 'You can close this tab and return to Release Board.');
    return finish(code);
  });

  const timeout: { cancel?: () => void } = {};
  function finish(outcome: string | SignInFailure): void {
    if (settled) return;
    settled = true;
    timeout.cancel?.();
    server.close();
    setImmediate(() => server.closeAllConnections());
    if (typeof outcome === 'string') resolveCode(outcome);
    else rejectCode(outcome);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const redirectUri = `http://127.0.0.1:${port}${CALLBACK_PATH}`;
  const authorize = new URL(gitlabEndpoints(host).authorize);
  authorize.searchParams.set('client_id', host.clientId);
  authorize.searchParams.set('redirect_uri', redirectUri);
  authorize.searchParams.set('response_type', 'code');
  authorize.searchParams.set('state', state);
  authorize.searchParams.set('scope', (host.scopes ?? DEFAULT_SCOPES).join(' '));
  authorize.searchParams.set('code_challenge', pkce.challenge);
  authorize.searchParams.set('code_challenge_method', 'S256');
  timeout.cancel = timers.setTimeout(
    () => finish(new SignInFailure('timed-out', 'No answer from the browser in time; the sign-in was abandoned.', 'Start the sign-in again and finish it in the browser.')),
    options.timeoutMs ?? 5 * 60_000,
  );

  const result = (async (): Promise<TokenGrant> => {
    if (!settled) {
      try {
        await options.openExternal(authorize.toString());
      } catch (e) {
        finish(new SignInFailure('browser-failed', `The system browser could not be opened: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
    const code = await codePromise;
    try {
      return await exchangeGitLabCode(host, { code, verifier: pkce.verifier, redirectUri }, { fetch: fetchImpl, now: timers.now });
    } catch (e) {
      throw toFailure(e);
    }
  })();

  // the attempt may end (forged callback, timeout) before the caller awaits `result`
  result.catch(() => undefined);
  return { redirectUri, result, cancel: () => finish(new SignInFailure('cancelled', 'The sign-in was cancelled.')) };
}

/**
 * Keeps one GitLab grant usable in memory: hands out a valid access token, refreshing it
 * shortly before its 2-hour expiry (refreshes are serialised, as GitLab's refresh tokens are
 * single use). Until the session vault learns per-provider refresh, this is GitLab's.
 */
export interface GitLabTokenKeeper {
  withToken<T>(fn: (token: string) => Promise<T>): Promise<T>;
  expiresAt(): number | null;
  /** Forgets the grant (and revokes it on GitLab when `revoke` is set). */
  clear(revoke?: boolean): Promise<void>;
}

export function createGitLabTokenKeeper(host: GitLabHost, initial: TokenGrant, deps: { fetch?: FetchLike; timers?: Timers; refreshMarginMs?: number } = {}): GitLabTokenKeeper {
  const fetchImpl = deps.fetch ?? fetch;
  const timers = deps.timers ?? systemTimers;
  const margin = deps.refreshMarginMs ?? 5 * 60_000;
  let grant: TokenGrant | null = initial;
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      const current = grant;
      if (!current) return;
      try {
        const next = await refreshGitLabGrant(host, current, { fetch: fetchImpl, now: timers.now });
        if (grant === current) grant = next;
      } catch (e) {
        if (!(e instanceof OAuthEndpointError && e.transient)) grant = null;
        throw e;
      }
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
  return {
    async withToken(fn) {
      if (grant?.expiresAt && grant.expiresAt - timers.now() <= margin && grant.refreshToken) {
        try {
          await refresh();
        } catch (e) {
          if (!grant || (grant.expiresAt !== null && grant.expiresAt <= timers.now())) throw new SignInFailure('exchange-failed', `Your GitLab sign-in could not be renewed (${e instanceof OAuthEndpointError ? e.oauthError : 'error'}).`, 'Sign in to GitLab again.');
        }
      }
      if (!grant) throw new SignInFailure('exchange-failed', 'You are not signed in to GitLab.', 'Sign in to GitLab again.');
      return fn(grant.accessToken);
    },
    expiresAt: () => grant?.expiresAt ?? null,
    async clear(revoke = false) {
      const token = grant?.accessToken;
      grant = null;
      if (revoke && token) await revokeGitLabToken(host, token, fetchImpl);
    },
  };
}
