// OAuth 2 for the GitLab sandbox, shaped like GitLab's Doorkeeper provider: the
// /oauth/authorize page (Authorize / Deny), single-use codes bound to the redirect URI and
// the PKCE S256 challenge, /oauth/token for authorization_code and refresh_token grants
// (2 h access tokens with rotating refresh tokens; public applications need no secret),
// /oauth/revoke and /oauth/token/info. Redirect URIs match exactly, except that a loopback
// IP literal (127.0.0.0/8, [::1]) matches on any port (RFC 8252 §7.3, Doorkeeper's
// URIChecker); "localhost" is not a loopback IP and gets no such exception.
import { createHash, randomBytes } from 'node:crypto';
import { escapeHtml } from '../forge/http-util.js';
import { GitLabError, Router, params, strParam, type Ctx, type Reply } from './http.js';
import type { GitLabState } from './state.js';

export const ACCESS_TOKEN_TTL_S = 7200;
const CODE_TTL_MS = 10 * 60 * 1000;

interface Pending {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  challenge: string | undefined;
  method: string | undefined;
  createdAt: number;
}

interface Code {
  clientId: string;
  username: string;
  scopes: string[];
  redirectUri: string;
  challenge: string | undefined;
  method: string | undefined;
  expiresAt: number;
  used: boolean;
}

const DESCRIPTIONS = {
  invalid_grant: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_client: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  access_denied: 'The resource owner or authorization server denied the request.',
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
  unsupported_response_type: 'The authorization server does not support this response type.',
} as const;

function isLoopbackIp(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1';
}

/** Doorkeeper's rule: exact match (query order aside), but loopback IP URIs ignore the port. */
export function redirectUriMatches(requested: string, registered: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(requested);
    b = new URL(registered);
  } catch {
    return false;
  }
  if (a.hash) return false;
  if (isLoopbackIp(a.hostname) && isLoopbackIp(b.hostname)) {
    a.port = '';
    b.port = '';
  }
  const sortQuery = (u: URL): string =>
    [...u.searchParams]
      .map(([k, v]) => `${k}=${v}`)
      .sort()
      .join('&');
  if (b.search && sortQuery(a) !== sortQuery(b)) return false;
  return a.protocol === b.protocol && a.username === b.username && a.password === b.password && a.host === b.host && a.pathname === b.pathname;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function html(title: string, body: string, status = 200): Reply {
  const page = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · GitLab</title>
<style>
body{font-family:-apple-system,"Segoe UI",Roboto,"Noto Sans",Ubuntu,sans-serif;background:#fbfafd;color:#333238;margin:0}
main{max-width:520px;margin:48px auto;background:#fff;border:1px solid #dcdcde;border-radius:4px;padding:24px}
h1{font-size:20px}
.actions{display:flex;gap:8px;margin-top:24px}
button{font-size:14px;padding:8px 16px;border-radius:4px;border:1px solid #bfbfc3;background:#fff;cursor:pointer}
button.btn-confirm{background:#1f75cb;color:#fff;border-color:#1068bf}
.gl-alert-danger{background:#fdd4cd;padding:12px;border-radius:4px}
</style></head>
<body><main>${body}</main></body></html>`;
  return { status, raw: Buffer.from(page, 'utf8'), contentType: 'text/html; charset=utf-8' };
}

function oauthError(status: number, error: keyof typeof DESCRIPTIONS, description?: string): GitLabError {
  return new GitLabError(status, { error, error_description: description ?? DESCRIPTIONS[error] });
}

function redirect(to: string): Reply {
  return { status: 302, headers: { location: to } };
}

export class GitLabOAuth {
  private readonly pending = new Map<string, Pending>();
  private readonly codes = new Map<string, Code>();

  constructor(private readonly state: GitLabState) {}

  reset(): void {
    this.pending.clear();
    this.codes.clear();
  }

  issue(clientId: string, username: string, scopes: string[]): Record<string, unknown> {
    const access = randomBytes(32).toString('hex');
    const refresh = randomBytes(32).toString('hex');
    const created = Math.floor(this.state.nowMs() / 1000);
    this.state.tokens.set(access, {
      id: this.state.newId(),
      value: access,
      kind: 'oauth',
      name: `OAuth ${clientId}`,
      username,
      scopes: [...scopes],
      expiresAt: new Date((created + ACCESS_TOKEN_TTL_S) * 1000).toISOString(),
      lastUsedAt: null,
      createdAt: this.state.git.nowIso(),
      revoked: false,
      accessLevel: 30,
      clientId,
    });
    this.state.refreshTokens.set(refresh, { value: refresh, clientId, username, scopes: [...scopes], accessToken: access, revoked: false });
    return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refresh, scope: scopes.join(' '), created_at: created };
  }

  /** A code for an approved request, sent back to the application's redirect URI. */
  private approve(pending: Pending): Reply {
    const code = randomBytes(32).toString('hex');
    this.codes.set(code, {
      clientId: pending.clientId,
      username: this.state.signInUser,
      scopes: pending.scopes,
      redirectUri: pending.redirectUri,
      challenge: pending.challenge,
      method: pending.method,
      expiresAt: this.state.nowMs() + CODE_TTL_MS,
      used: false,
    });
    const target = new URL(pending.redirectUri);
    target.searchParams.set('code', code);
    if (pending.state !== undefined) target.searchParams.set('state', pending.state);
    return redirect(target.toString());
  }

  /** Doorkeeper's matching token: a live token of this application for the user, with the same scopes. */
  private hasMatchingToken(clientId: string, scopes: string[]): boolean {
    const want = [...scopes].sort().join(' ');
    return [...this.state.tokens.values()].some((t) => t.kind === 'oauth' && t.clientId === clientId && t.username === this.state.signInUser && !t.revoked && [...t.scopes].sort().join(' ') === want);
  }

  /** Public clients authenticate with client_id alone; confidential ones need the secret too. */
  private authenticateClient(p: Record<string, unknown>, ctx: Ctx): string {
    let clientId = strParam(p, 'client_id');
    let secret = strParam(p, 'client_secret');
    const basic = /^basic\s+(.+)$/i.exec(String(ctx.req.headers.authorization ?? ''));
    if (basic) {
      const [id, sec] = Buffer.from(basic[1] as string, 'base64')
        .toString('utf8')
        .split(/:(.*)/s);
      clientId = id;
      secret = sec;
    }
    const app = clientId ? this.state.apps.get(clientId) : undefined;
    if (!app) throw oauthError(401, 'invalid_client');
    if (secret !== undefined ? secret !== app.clientSecret : app.confidential) throw oauthError(401, 'invalid_client');
    return app.clientId;
  }

  buildRouter(): Router {
    const r = new Router();

    r.add('GET', '/oauth/authorize', (ctx) => {
      const q = ctx.query;
      const app = this.state.apps.get(q.get('client_id') ?? '');
      if (!app) return html('An error has occurred', `<h1>An error has occurred</h1><div class="gl-alert-danger" id="oauth-error"><p>${escapeHtml(DESCRIPTIONS.invalid_client)}</p></div>`, 401);
      const requested = q.get('redirect_uri');
      const redirectUri = requested ?? (app.redirectUris.length === 1 ? app.redirectUris[0] : undefined);
      if (!redirectUri || !app.redirectUris.some((u) => redirectUriMatches(redirectUri, u))) {
        return html('An error has occurred', `<h1>An error has occurred</h1><div class="gl-alert-danger" id="oauth-error"><p>${escapeHtml(DESCRIPTIONS.invalid_redirect_uri)}</p></div>`, 400);
      }
      const back = (error: keyof typeof DESCRIPTIONS, description?: string): Reply => {
        const u = new URL(redirectUri);
        u.searchParams.set('error', error);
        u.searchParams.set('error_description', description ?? DESCRIPTIONS[error]);
        const st = q.get('state');
        if (st !== null) u.searchParams.set('state', st);
        return redirect(u.toString());
      };
      if (q.get('response_type') !== 'code') return back('unsupported_response_type');
      const scopes = (q.get('scope') ?? app.scopes.join(' ')).split(/\s+/).filter((s) => s !== '');
      if (scopes.some((s) => !app.scopes.includes(s))) return back('invalid_scope');
      const challenge = q.get('code_challenge') ?? undefined;
      const method = q.get('code_challenge_method') ?? undefined;
      if (challenge !== undefined && method !== undefined && method !== 'S256' && method !== 'plain') return back('invalid_request', 'The code_challenge_method must be one of S256, plain.');
      if (app.requirePkce && challenge === undefined) return back('invalid_request', 'Code challenge is required.');
      const id = randomBytes(16).toString('hex');
      const pending: Pending = {
        id,
        clientId: app.clientId,
        redirectUri,
        state: q.get('state') ?? undefined,
        scopes,
        challenge,
        method: challenge ? (method ?? 'plain') : undefined,
        createdAt: this.state.nowMs(),
      };
      // GitLab skips the consent page for trusted applications, and for confidential ones the
      // user already authorized with these scopes; a public client always asks again, since
      // anyone can present its client id.
      if (app.trusted || (app.confidential && this.hasMatchingToken(app.clientId, scopes))) return this.approve(pending);
      this.pending.set(id, pending);
      const who = this.state.user(this.state.signInUser);
      return html(
        `Authorize ${app.name}`,
        `<h1>Authorize <strong>${escapeHtml(app.name)}</strong> to use your account?</h1>
<p id="signed-in-user">You are signed in as <strong class="username">@${escapeHtml(this.state.signInUser)}</strong>${who ? ` (${escapeHtml(who.name)})` : ''}.</p>
<p>An application called ${escapeHtml(app.name)} is requesting access to your GitLab account. This application will be able to:</p>
<ul id="scopes">${scopes.map((s) => `<li class="scope"><strong>${escapeHtml(s)}</strong></li>`).join('')}</ul>
<p><small>You will be redirected to <strong>${escapeHtml(new URL(redirectUri).origin)}</strong>.</small></p>
<div class="actions">
<form method="post" action="/oauth/authorize"><input type="hidden" name="request_id" value="${id}"><button type="submit" class="btn-confirm" data-testid="authorization-button" id="authorize">Authorize</button></form>
<form method="post" action="/oauth/authorize"><input type="hidden" name="_method" value="delete"><input type="hidden" name="request_id" value="${id}"><button type="submit" id="deny">Deny</button></form>
</div>`,
      );
    });

    const decide = (ctx: Ctx, approve: boolean): Reply => {
      const p = params(ctx);
      const pending = this.pending.get(strParam(p, 'request_id') ?? '');
      if (!pending || this.state.nowMs() - pending.createdAt > CODE_TTL_MS)
        return html(
          'An error has occurred',
          '<h1>An error has occurred</h1><div class="gl-alert-danger"><p>The authorization request has expired. Return to the application and try again.</p></div>',
          400,
        );
      this.pending.delete(pending.id);
      if (approve && strParam(p, '_method') !== 'delete') return this.approve(pending);
      const target = new URL(pending.redirectUri);
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', DESCRIPTIONS.access_denied);
      if (pending.state !== undefined) target.searchParams.set('state', pending.state);
      return redirect(target.toString());
    };
    r.add('POST', '/oauth/authorize', (ctx) => decide(ctx, true));
    r.add('DELETE', '/oauth/authorize', (ctx) => decide(ctx, false));

    r.add('POST', '/oauth/token', (ctx) => {
      const p = params(ctx);
      const grant = strParam(p, 'grant_type');
      if (!grant) throw oauthError(400, 'invalid_request', 'Missing required parameter: grant_type.');
      if (grant !== 'authorization_code' && grant !== 'refresh_token') throw oauthError(400, 'unsupported_grant_type');
      const clientId = this.authenticateClient(p, ctx);
      if (grant === 'refresh_token') {
        // A refresh may repeat the PKCE parameters (code_verifier, redirect_uri); Doorkeeper
        // ignores them there, so they are accepted and need not match anything.
        const value = strParam(p, 'refresh_token');
        if (!value) throw oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token.');
        const rt = this.state.refreshTokens.get(value);
        if (!rt || rt.revoked || rt.clientId !== clientId) throw oauthError(400, 'invalid_grant');
        // refresh tokens rotate: the used one and its access token stop working
        rt.revoked = true;
        const old = this.state.tokens.get(rt.accessToken);
        if (old) old.revoked = true;
        return { status: 200, json: this.issue(clientId, rt.username, rt.scopes), headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
      }
      const codeValue = strParam(p, 'code');
      if (!codeValue) throw oauthError(400, 'invalid_request', 'Missing required parameter: code.');
      const code = this.codes.get(codeValue);
      if (!code || code.used || code.clientId !== clientId || code.expiresAt < this.state.nowMs()) throw oauthError(400, 'invalid_grant');
      // single use: a failed exchange burns the code too
      code.used = true;
      if (strParam(p, 'redirect_uri') !== code.redirectUri) throw oauthError(400, 'invalid_grant');
      if (code.challenge !== undefined) {
        const verifier = strParam(p, 'code_verifier');
        if (!verifier) throw oauthError(400, 'invalid_request', 'Missing required parameter: code_verifier.');
        const computed = code.method === 'S256' ? s256(verifier) : verifier;
        if (computed !== code.challenge) throw oauthError(400, 'invalid_grant');
      }
      return { status: 200, json: this.issue(clientId, code.username, code.scopes), headers: { 'cache-control': 'no-store', pragma: 'no-cache' } };
    });

    r.add('POST', '/oauth/revoke', (ctx) => {
      const p = params(ctx);
      const clientId = this.authenticateClient(p, ctx);
      const value = strParam(p, 'token') ?? '';
      const access = this.state.tokens.get(value);
      const refresh = this.state.refreshTokens.get(value);
      if ((access && access.clientId !== clientId) || (refresh && refresh.clientId !== clientId)) {
        throw new GitLabError(403, { error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' });
      }
      if (access && access.kind === 'oauth') {
        // Doorkeeper keeps both in one grant: revoking the access token ends its refresh token too
        access.revoked = true;
        for (const rt of this.state.refreshTokens.values()) if (rt.accessToken === value) rt.revoked = true;
      }
      if (refresh) {
        refresh.revoked = true;
        const a = this.state.tokens.get(refresh.accessToken);
        if (a) a.revoked = true;
      }
      // RFC 7009: unknown tokens are not an error
      return { status: 200, json: {} };
    });

    r.add('GET', '/oauth/token/info', (ctx) => {
      const bearer = /^bearer\s+(\S+)$/i.exec(String(ctx.req.headers.authorization ?? ''))?.[1] ?? ctx.query.get('access_token') ?? '';
      const t = this.state.tokens.get(bearer);
      const expired = t?.expiresAt ? Date.parse(t.expiresAt) <= this.state.nowMs() : false;
      if (!t || t.kind !== 'oauth' || t.revoked || expired) throw new GitLabError(401, { error: 'invalid_token', error_description: 'The access token is invalid' });
      const user = this.state.user(t.username);
      const expiresIn = t.expiresAt ? Math.max(Math.floor((Date.parse(t.expiresAt) - this.state.nowMs()) / 1000), 0) : null;
      return {
        status: 200,
        json: {
          resource_owner_id: user?.id ?? null,
          scope: t.scopes,
          expires_in: expiresIn,
          application: { uid: t.clientId },
          created_at: Math.floor(Date.parse(t.createdAt) / 1000),
          scopes: t.scopes,
          expires_in_seconds: expiresIn,
        },
      };
    });

    return r;
  }
}
