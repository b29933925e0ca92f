// OAuth for the sandbox forge, shaped like GitHub's: the web flow (authorize page,
// loopback redirect rule, single-use codes with PKCE S256), the token endpoint with
// GitHub's 200-with-error answers, expiring user tokens with refresh, the device flow
// with its verification pages, and the token check/revoke REST endpoints.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, DOCS, Router, escapeHtml, formBody, jsonBody, str, type Ctx, type Reply } from './http-util.js';
import { userJson } from './rest.js';
import type { ForgeState, ForgeToken } from './state.js';

/**
 * Which redirect_uri hosts the authorize endpoint accepts. 'loopback' is GitHub's rule
 * for native apps (127.0.0.1 and [::1], any port); 'loopback-or-localhost' also allows
 * `localhost`; 'any' accepts every host (the path rule still applies).
 */
export type CallbackHostRule = 'loopback' | 'loopback-or-localhost' | 'any' | ((hostname: string) => boolean);

export interface OAuthOptions {
  /** Which redirect hosts count as loopback; default 127.0.0.1 and [::1], like GitHub. */
  callbackHostRule?: CallbackHostRule;
  /** Device flow timing, seconds (GitHub: interval 5, expires_in 900). */
  deviceInterval?: number;
  deviceExpiresIn?: number;
}

interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  explicitRedirect: boolean;
  state: string | undefined;
  scopes: string[];
  challenge: string | undefined;
  createdAt: number;
}

interface AuthCode {
  code: string;
  clientId: string;
  login: string;
  scopes: string[];
  redirectUri: string;
  challenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

interface DeviceGrant {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  interval: number;
  lastPoll: number;
  status: 'pending' | 'approved' | 'denied';
  login: string | undefined;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const ACCESS_TTL_S = 28800;
const REFRESH_TTL_S = 15897600;
const TROUBLE = 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';
const AUTH_TROUBLE = 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors';
const DEVICE_DOCS = 'https://docs.github.com/developers/apps/authorizing-oauth-apps#error-codes-for-the-device-flow';

function hostPredicate(rule: CallbackHostRule | undefined): (hostname: string) => boolean {
  const loopback = (h: string): boolean => h === '127.0.0.1' || h === '[::1]';
  if (rule === undefined || rule === 'loopback') return loopback;
  if (rule === 'loopback-or-localhost') return (h) => loopback(h) || h === 'localhost';
  if (rule === 'any') return () => true;
  return rule;
}

function rand(chars: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
  const bytes = randomBytes(chars);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

function parseScopes(raw: string | undefined): string[] {
  return (raw ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function page(title: string, body: string, status = 200): Reply {
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;background:#f6f8fa;color:#1f2328;margin:0}
main{max-width:460px;margin:48px auto;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:24px}
h1{font-size:20px;font-weight:400;text-align:center}
.who{display:flex;align-items:center;gap:8px;margin:16px 0}
.who img{border-radius:50%}
.buttons{display:flex;gap:8px;justify-content:center;margin-top:24px}
button{font-size:14px;padding:5px 16px;border-radius:6px;border:1px solid #d0d7de;background:#f6f8fa;cursor:pointer}
button.primary{background:#1f883d;color:#fff;border-color:#1a7f37}
.flash-error{background:#ffebe9;border:1px solid #ff818266;padding:12px;border-radius:6px}
input{font-size:20px;letter-spacing:4px;text-transform:uppercase;width:100%;box-sizing:border-box;padding:6px}
</style></head>
<body><main>${body}</main></body></html>`;
  return { status, raw: Buffer.from(html, 'utf8'), contentType: 'text/html; charset=utf-8' };
}

function redirect(to: string): Reply {
  return { status: 302, headers: { location: to } };
}

export class OAuthService {
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly devices = new Map<string, DeviceGrant>();
  private readonly hostRule: (hostname: string) => boolean;

  constructor(
    private readonly state: ForgeState,
    private readonly options: OAuthOptions = {},
  ) {
    this.hostRule = hostPredicate(options.callbackHostRule);
  }

  /** Milliseconds on the forge's clock: codes, grants and tokens expire against it. */
  private nowMs(): number {
    return this.state.now().getTime();
  }

  reset(): void {
    this.pending.clear();
    this.codes.clear();
    this.devices.clear();
  }

  /** GitHub's loopback rule: any port, host from the rule, path = callback path or below it. */
  private checkRedirect(callbackPath: string, raw: string): string | null {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return null;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (!this.hostRule(u.hostname)) return null;
    const base = callbackPath.replace(/\/+$/, '') || '/';
    if (u.pathname !== base && !u.pathname.startsWith(base === '/' ? '/' : `${base}/`)) return null;
    return u.toString();
  }

  private issueTokens(clientId: string, login: string, scopes: string[]): Record<string, string | number> {
    const app = this.state.apps.get(clientId);
    if (app?.expiringTokens) {
      const access = `ghu_${rand(36)}`;
      const refresh = `ghr_${rand(76)}`;
      const token: ForgeToken = {
        value: access,
        login,
        kind: 'app-user',
        scopes: [],
        expiresAt: new Date(this.nowMs() + ACCESS_TTL_S * 1000).toISOString(),
        revoked: false,
        clientId,
        refreshToken: refresh,
      };
      this.state.tokens.set(access, token);
      this.state.refreshTokens.set(refresh, { value: refresh, clientId, login, scopes, expiresAt: this.nowMs() + REFRESH_TTL_S * 1000, accessToken: access, used: false });
      return { access_token: access, expires_in: ACCESS_TTL_S, refresh_token: refresh, refresh_token_expires_in: REFRESH_TTL_S, token_type: 'bearer', scope: '' };
    }
    const access = `gho_${rand(36)}`;
    this.state.tokens.set(access, { value: access, login, kind: 'oauth', scopes, expiresAt: null, revoked: false, clientId });
    return { access_token: access, token_type: 'bearer', scope: scopes.join(',') };
  }

  /** The token endpoint answers 200 with JSON or a form body depending on Accept. */
  private tokenReply(ctx: Ctx, body: Record<string, string | number>): Reply {
    const accept = String(ctx.req.headers.accept ?? '');
    if (accept.includes('application/json')) return { status: 200, json: body };
    const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return { status: 200, raw: Buffer.from(form, 'utf8'), contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
  }

  private tokenError(ctx: Ctx, error: string, description: string, uri: string, extra: Record<string, string | number> = {}): Reply {
    return this.tokenReply(ctx, { error, error_description: description, error_uri: uri, ...extra });
  }

  private signedInUser(): string {
    return this.state.signInUser;
  }

  buildRouter(): Router {
    const r = new Router();

    r.add('GET', '/login/oauth/authorize', (ctx) => {
      const q = ctx.query;
      const clientId = q.get('client_id') ?? '';
      const app = this.state.apps.get(clientId);
      if (!app) return page('Page not found · GitHub', '<h1>404</h1><p>This is not the web page you are looking for.</p>', 404);
      const requested = q.get('redirect_uri');
      const redirectUri = requested ? this.checkRedirect(app.callbackPath, requested) : `http://127.0.0.1${app.callbackPath}`;
      if (!redirectUri) {
        return page(
          'Redirect URI mismatch',
          `<h1>Be careful!</h1><div class="flash-error" id="redirect-uri-mismatch"><p><strong>The <code>redirect_uri</code> is not associated with this application.</strong></p>
<p>The application that brought you here could be trying to steal your data. Please reach out to the owner of ${escapeHtml(app.name)} and let them know the redirect_uri is a mismatch (error: redirect_uri_mismatch).</p></div>`,
        );
      }
      const method = q.get('code_challenge_method');
      const challenge = q.get('code_challenge') ?? undefined;
      if (challenge !== undefined && method !== 'S256') {
        return page('Invalid request', `<h1>Invalid request</h1><div class="flash-error" id="invalid-request"><p>code_challenge_method must be S256.</p></div>`, 400);
      }
      const login = this.signedInUser();
      const user = this.state.user(login);
      const id = rand(32);
      const scopes = parseScopes(q.get('scope') ?? undefined);
      this.pending.set(id, { id, clientId, redirectUri, explicitRedirect: requested !== null, state: q.get('state') ?? undefined, scopes, challenge, createdAt: this.nowMs() });
      const scopeList = app.expiringTokens
        ? '<li>Act on your behalf within the permissions granted to the app</li>'
        : scopes.length > 0
          ? scopes.map((s) => `<li class="scope">${escapeHtml(s)}</li>`).join('')
          : '<li>Read-only access to public information</li>';
      return page(
        `Authorize ${app.name}`,
        `<h1>Authorize ${escapeHtml(app.name)}</h1>
<div class="who" id="signed-in-user"><img src="/avatars/${encodeURIComponent(login)}" width="40" height="40" alt="@${escapeHtml(login)}">
<span>Signed in as <strong class="login">${escapeHtml(login)}</strong>${user ? ` (${escapeHtml(user.name)})` : ''}</span></div>
<p>${escapeHtml(app.name)} wants to access your <strong>${escapeHtml(login)}</strong> account.</p>
<ul id="scopes">${scopeList}</ul>
<form method="post" action="/login/oauth/authorize">
<input type="hidden" name="request_id" value="${id}">
<div class="buttons">
<button type="submit" name="authorize" value="0" id="js-oauth-cancel-btn">Cancel</button>
<button type="submit" name="authorize" value="1" class="primary" id="js-oauth-authorize-btn">Authorize</button>
</div></form>
<p><small>Authorizing will redirect to <strong>${escapeHtml(new URL(redirectUri).origin)}</strong></small></p>`,
      );
    });

    r.add('POST', '/login/oauth/authorize', (ctx) => {
      const form = formBody(ctx);
      const pending = this.pending.get(form.request_id ?? '');
      if (!pending || this.nowMs() - pending.createdAt > CODE_TTL_MS) {
        return page('Authorization expired', '<h1>This authorization request has expired</h1><p>Go back to the application and try again.</p>', 400);
      }
      this.pending.delete(pending.id);
      const target = new URL(pending.redirectUri);
      if (form.authorize === '1') {
        const code = randomBytes(10).toString('hex');
        this.codes.set(code, {
          code,
          clientId: pending.clientId,
          login: this.signedInUser(),
          scopes: pending.scopes,
          redirectUri: pending.redirectUri,
          challenge: pending.challenge,
          expiresAt: this.nowMs() + CODE_TTL_MS,
          used: false,
        });
        target.searchParams.set('code', code);
      } else {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The user has denied your application access.');
        target.searchParams.set('error_uri', `${AUTH_TROUBLE}/#access-denied`);
      }
      if (pending.state !== undefined) target.searchParams.set('state', pending.state);
      return redirect(target.toString());
    });

    r.add('POST', '/login/oauth/access_token', (ctx) => {
      const f = formBody(ctx);
      const clientId = f.client_id ?? '';
      const app = this.state.apps.get(clientId);
      const grant = f.grant_type ?? 'authorization_code';
      const badClient = (): Reply => this.tokenError(ctx, 'incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.', `${TROUBLE}/#incorrect-client-credentials`);
      if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
        // public clients: the device flow needs no secret
        if (!app) return badClient();
        return this.pollDevice(ctx, clientId, f.device_code ?? '');
      }
      if (!app) return badClient();
      if (grant === 'refresh_token') {
        const rt = this.state.refreshTokens.get(f.refresh_token ?? '');
        if (rt && rt.clientId === clientId && rt.deviceFlow !== true && f.client_secret !== app.clientSecret) return badClient();
        if (!rt || rt.used || rt.clientId !== clientId || rt.expiresAt < this.nowMs()) {
          return this.tokenError(ctx, 'bad_refresh_token', 'The refresh token passed is incorrect or expired.', `${TROUBLE}/#bad-refresh-token`);
        }
        rt.used = true;
        // GitHub: once a refresh token is used, it and the old access token stop working
        const old = this.state.tokens.get(rt.accessToken);
        if (old) old.revoked = true;
        const issued = this.issueTokens(clientId, rt.login, rt.scopes);
        const next = this.state.refreshTokens.get(String(issued.refresh_token));
        if (next && rt.deviceFlow) next.deviceFlow = true;
        return this.tokenReply(ctx, issued);
      }
      if (grant !== 'authorization_code') {
        return this.tokenError(ctx, 'unsupported_grant_type', 'The grant type is not supported.', `${TROUBLE}/#unsupported-grant-type`);
      }
      if (f.client_secret !== app.clientSecret) return badClient();
      const code = this.codes.get(f.code ?? '');
      const badCode = (): Reply => this.tokenError(ctx, 'bad_verification_code', 'The code passed is incorrect or expired.', `${TROUBLE}/#bad-verification-code`);
      if (!code || code.clientId !== clientId || code.used || code.expiresAt < this.nowMs()) return badCode();
      // single use: even a failed exchange burns the code
      code.used = true;
      if (f.redirect_uri !== undefined && f.redirect_uri !== code.redirectUri) {
        return this.tokenError(ctx, 'redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.', `${AUTH_TROUBLE}/#redirect-uri-mismatch2`);
      }
      if (code.challenge !== undefined) {
        const verifier = f.code_verifier;
        if (!verifier || s256(verifier) !== code.challenge) return badCode();
      }
      return this.tokenReply(ctx, this.issueTokens(clientId, code.login, code.scopes));
    });

    r.add('POST', '/login/device/code', (ctx) => {
      const f = formBody(ctx);
      const app = this.state.apps.get(f.client_id ?? '');
      if (!app) return this.tokenError(ctx, 'incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.', `${TROUBLE}/#incorrect-client-credentials`);
      const deviceCode = randomBytes(20).toString('hex');
      const letters = 'BCDFGHJKLMNPQRSTVWXZ23456789';
      const userCode = `${rand(4, letters)}-${rand(4, letters)}`;
      const interval = this.options.deviceInterval ?? 5;
      const expiresIn = this.options.deviceExpiresIn ?? 900;
      this.devices.set(deviceCode, {
        deviceCode,
        userCode,
        clientId: app.clientId,
        scopes: parseScopes(f.scope),
        expiresAt: this.nowMs() + expiresIn * 1000,
        interval,
        lastPoll: 0,
        status: 'pending',
        login: undefined,
      });
      return this.tokenReply(ctx, { device_code: deviceCode, user_code: userCode, verification_uri: `${ctx.baseUrl}/login/device`, expires_in: expiresIn, interval });
    });

    r.add('GET', '/login/device', (ctx) => {
      const prefill = ctx.query.get('user_code') ?? '';
      return page(
        'Device Activation',
        `<h1>Device Activation</h1>
<div class="who"><img src="/avatars/${encodeURIComponent(this.signedInUser())}" width="32" height="32" alt=""><span>Signed in as <strong class="login">${escapeHtml(this.signedInUser())}</strong></span></div>
<form method="post" action="/login/device">
<label for="user-code">Enter the code displayed on your device</label>
<input id="user-code" name="user_code" autocomplete="off" value="${escapeHtml(prefill)}">
<div class="buttons"><button type="submit" class="primary" id="device-continue">Continue</button></div>
</form>`,
      );
    });

    r.add('POST', '/login/device', (ctx) => {
      const f = formBody(ctx);
      const entered = (f.user_code ?? '')
        .trim()
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '');
      const grant = [...this.devices.values()].find((d) => d.userCode.replace('-', '') === entered);
      if (!grant || grant.expiresAt < this.nowMs() || grant.status !== 'pending') {
        return page(
          'Device Activation',
          `<h1>Device Activation</h1><div class="flash-error" id="device-error"><p>Your code is invalid or has expired. Enter the code displayed on your device.</p></div>
<form method="post" action="/login/device"><input id="user-code" name="user_code" autocomplete="off"><div class="buttons"><button type="submit" class="primary">Continue</button></div></form>`,
          400,
        );
      }
      const app = this.state.apps.get(grant.clientId);
      const login = this.signedInUser();
      return page(
        `Authorize ${app?.name ?? grant.clientId}`,
        `<h1>Authorize ${escapeHtml(app?.name ?? grant.clientId)}</h1>
<div class="who" id="signed-in-user"><img src="/avatars/${encodeURIComponent(login)}" width="40" height="40" alt="@${escapeHtml(login)}"><span>Signed in as <strong class="login">${escapeHtml(login)}</strong></span></div>
<p>Device code <strong>${escapeHtml(grant.userCode)}</strong></p>
<form method="post" action="/login/device/authorize"><input type="hidden" name="user_code" value="${escapeHtml(grant.userCode)}">
<div class="buttons"><button type="submit" name="authorize" value="0" id="js-oauth-cancel-btn">Cancel</button>
<button type="submit" name="authorize" value="1" class="primary" id="js-oauth-authorize-btn">Authorize</button></div></form>`,
      );
    });

    r.add('POST', '/login/device/authorize', (ctx) => {
      const f = formBody(ctx);
      const grant = [...this.devices.values()].find((d) => d.userCode === (f.user_code ?? ''));
      if (!grant || grant.expiresAt < this.nowMs() || grant.status !== 'pending') {
        return page('Device Activation', '<h1>Device Activation</h1><div class="flash-error" id="device-error"><p>Your code is invalid or has expired.</p></div>', 400);
      }
      if (f.authorize === '1') {
        grant.status = 'approved';
        grant.login = this.signedInUser();
        return page('Device Activation', '<h1>Congratulations, you\'re all set!</h1><p id="device-done">Your device is now connected.</p>');
      }
      grant.status = 'denied';
      return page('Device Activation', '<h1>Authorization cancelled</h1><p id="device-denied">The device was not connected.</p>');
    });

    return r;
  }

  /** Lets tests approve or deny a device code without driving the HTML pages. */
  decideDevice(userCode: string, approve: boolean, login?: string): boolean {
    const grant = [...this.devices.values()].find((d) => d.userCode === userCode);
    if (!grant || grant.status !== 'pending') return false;
    grant.status = approve ? 'approved' : 'denied';
    grant.login = login ?? this.signedInUser();
    return true;
  }

  private pollDevice(ctx: Ctx, clientId: string, deviceCode: string): Reply {
    const g = this.devices.get(deviceCode);
    if (!g || g.clientId !== clientId) return this.tokenError(ctx, 'incorrect_device_code', 'The device_code provided is not valid.', DEVICE_DOCS);
    if (g.expiresAt <= this.nowMs()) {
      this.devices.delete(deviceCode);
      return this.tokenError(ctx, 'expired_token', 'The `device_code` has expired.', DEVICE_DOCS);
    }
    if (g.status === 'denied') {
      this.devices.delete(deviceCode);
      return this.tokenError(ctx, 'access_denied', 'The authorization request was denied.', DEVICE_DOCS);
    }
    if (g.status === 'approved') {
      this.devices.delete(deviceCode);
      const issued = this.issueTokens(clientId, g.login ?? this.signedInUser(), g.scopes);
      const rt = this.state.refreshTokens.get(String(issued.refresh_token));
      if (rt) rt.deviceFlow = true;
      return this.tokenReply(ctx, issued);
    }
    const now = this.nowMs();
    const tooSoon = g.lastPoll > 0 && now - g.lastPoll < g.interval * 1000;
    g.lastPoll = now;
    if (tooSoon) {
      g.interval += 5;
      return this.tokenError(ctx, 'slow_down', 'Too many requests have been made in the same timeframe.', DEVICE_DOCS, { interval: g.interval });
    }
    return this.tokenError(ctx, 'authorization_pending', 'The authorization request is still pending.', DEVICE_DOCS);
  }

  /** REST endpoints that authenticate with the app's client id and secret (Basic). */
  addAppRoutes(r: Router): void {
    const clientAuth = (ctx: Ctx): string => {
      const h = String(ctx.req.headers.authorization ?? '');
      const m = /^basic\s+(.+)$/i.exec(h);
      const [id, secret] = m
        ? Buffer.from(m[1] as string, 'base64')
            .toString('utf8')
            .split(/:(.*)/s)
        : [];
      const app = this.state.apps.get(ctx.params.client_id ?? '');
      if (!app || id !== app.clientId || secret !== app.clientSecret) throw new ApiError(404, 'Not Found', {}, `${DOCS}/apps/oauth-applications`);
      return app.clientId;
    };
    const tokenOf = (ctx: Ctx, clientId: string): ForgeToken => {
      const value = str(jsonBody(ctx), 'access_token');
      const t = value ? this.state.tokens.get(value) : undefined;
      if (!t || t.clientId !== clientId || t.revoked || (t.expiresAt && Date.parse(t.expiresAt) < this.nowMs())) {
        throw new ApiError(404, 'Not Found', {}, `${DOCS}/apps/oauth-applications#check-a-token`);
      }
      return t;
    };
    r.add('POST', '/applications/{client_id}/token', (ctx) => {
      const clientId = clientAuth(ctx);
      const t = tokenOf(ctx, clientId);
      const app = this.state.apps.get(clientId);
      const user = this.state.user(t.login);
      return {
        status: 200,
        json: {
          id: 1,
          url: `${ctx.apiUrl}/authorizations/1`,
          scopes: t.scopes,
          token: t.value,
          token_last_eight: t.value.slice(-8),
          hashed_token: createHash('sha256').update(t.value).digest('hex'),
          app: { client_id: clientId, name: app?.name ?? clientId, url: ctx.baseUrl },
          note: null,
          note_url: null,
          updated_at: this.state.now().toISOString(),
          created_at: this.state.now().toISOString(),
          fingerprint: null,
          expires_at: t.expiresAt,
          user: user ? userJson(ctx, user) : null,
        },
      };
    });
    r.add('DELETE', '/applications/{client_id}/token', (ctx) => {
      const t = tokenOf(ctx, clientAuth(ctx));
      t.revoked = true;
      return { status: 204 };
    });
    r.add('DELETE', '/applications/{client_id}/grant', (ctx) => {
      const clientId = clientAuth(ctx);
      const t = tokenOf(ctx, clientId);
      for (const other of this.state.tokens.values()) if (other.clientId === clientId && other.login === t.login) other.revoked = true;
      for (const rt of this.state.refreshTokens.values()) if (rt.clientId === clientId && rt.login === t.login) rt.used = true;
      return { status: 204 };
    });
  }
}
