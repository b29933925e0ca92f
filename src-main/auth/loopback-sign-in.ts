// Browser sign-in through a loopback redirect (RFC 8252 §7.3) with PKCE S256.
// Security model:
// - The redirect listener binds 127.0.0.1 on an OS-chosen port (never "localhost", which may
//   resolve elsewhere, never a fixed port another process could squat) and serves exactly
//   one route, /callback.
// - A request whose Host header is not exactly 127.0.0.1:<port> is refused (a web page using
//   DNS rebinding cannot reach the listener under another name).
// - The attempt is one-use: the first callback carrying the right state ends it and closes
//   the listener. A request with a missing or wrong state gets a 400 page and changes nothing:
//   any local page or process can hit the port, and must not be able to end the user's
//   sign-in. An error redirect with the right state (access_denied), cancel() and the timeout
//   (5 minutes default) end it.
//   After the end every request is refused and the listener is closed.
// - 32-byte random state and verifier; only the challenge goes into the authorize URL, which
//   is built from the configured host and validated before it is handed to openExternal.
// - The browser tab only ever gets a static "you can close this tab" page: no code, no token.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forgeEndpoints, requestedScopes, validateForgeHost, type ForgeHost } from '../forges/forge-host';
import { createOAuthState, createPkce, sameState } from './pkce';
import { SignInFailure, type OpenExternal } from './sign-in-failure';
import { OAuthEndpointError, type AuthorizeUrlBuilder, type CodeExchange, type FetchLike, type TokenGrant } from '../forges/oauth-types';
import { systemTimers, type Timers } from './timers';

export { SignInFailure, type OpenExternal };

export type { CodeExchange };

export interface LoopbackSignInOptions {
  host: ForgeHost;
  openExternal: OpenExternal;
  exchange: CodeExchange;
  /** The forge's own authorize URL builder (GitHub: through @octokit/oauth-app); default: genericAuthorizeUrl. */
  authorizeUrl?: AuthorizeUrlBuilder;
  fetch?: FetchLike;
  timers?: Timers;
  /** default 5 minutes */
  timeoutMs?: number;
  /** Called when a request with a missing or wrong state was refused (the attempt goes on). */
  onRejectedCallback?: () => void;
}

export interface LoopbackAttempt {
  /** http://127.0.0.1:<port>/callback */
  redirectUri: string;
  /** Resolves with the token grant, or rejects with SignInFailure. */
  result: Promise<TokenGrant>;
  cancel(): void;
}

const CALLBACK_PATH = '/callback';

function pageHtml(title: string, text: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;margin:3em auto;max-width:32em"><h1>${title}</h1><p>${text}</p></body></html>`;
}

function reply(res: ServerResponse, status: number, title: string, text: string): void {
  const body = pageHtml(title, text);
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

/** The authorize URL must point at the configured host's authorize endpoint and carry our parameters. */
export function validateAuthorizeUrl(host: ForgeHost, url: string, expect: { state: string; redirectUri: string; challenge: string }): void {
  const u = new URL(url);
  const endpoint = new URL(forgeEndpoints(host).authorize);
  if (u.origin !== endpoint.origin || u.pathname !== endpoint.pathname) throw new SignInFailure('invalid-host', 'the authorize URL does not point at the configured host');
  if (u.username || u.password || u.hash) throw new SignInFailure('invalid-host', 'the authorize URL is malformed');
  const q = u.searchParams;
  if (
    q.get('client_id') !== host.clientId ||
    q.get('redirect_uri') !== expect.redirectUri ||
    q.get('state') !== expect.state ||
    q.get('code_challenge') !== expect.challenge ||
    q.get('code_challenge_method') !== 'S256' ||
    q.get('response_type') !== 'code'
  ) {
    throw new SignInFailure('invalid-host', 'the authorize URL is missing a required parameter');
  }
}

/** The OAuth 2.0 authorization request (RFC 6749 §4.1.1) with the PKCE S256 challenge (RFC 7636 §4.3). */
export const genericAuthorizeUrl: AuthorizeUrlBuilder = (host, { redirectUri, state, challenge }) => {
  const authorize = new URL(forgeEndpoints(host).authorize);
  authorize.searchParams.set('client_id', host.clientId);
  authorize.searchParams.set('redirect_uri', redirectUri);
  authorize.searchParams.set('response_type', 'code');
  const scopes = requestedScopes(host);
  if (scopes.length > 0) authorize.searchParams.set('scope', scopes.join(' '));
  authorize.searchParams.set('state', state);
  authorize.searchParams.set('code_challenge', challenge);
  authorize.searchParams.set('code_challenge_method', 'S256');
  return authorize.toString();
};

function toFailure(e: unknown): SignInFailure {
  if (e instanceof SignInFailure) return e;
  if (e instanceof OAuthEndpointError) {
    return e.transient
      ? new SignInFailure('forge-unavailable', `The forge could not be reached (${e.message}).`, 'Check your connection and try again.')
      : new SignInFailure('exchange-failed', `The forge refused the sign-in (${e.oauthError}: ${e.message}).`, 'Try signing in again.');
  }
  return new SignInFailure('forge-unavailable', e instanceof Error ? e.message : String(e));
}

export async function startLoopbackSignIn(options: LoopbackSignInOptions): Promise<LoopbackAttempt> {
  let host: ForgeHost;
  try {
    host = validateForgeHost(options.host);
  } catch (e) {
    throw new SignInFailure('invalid-host', e instanceof Error ? e.message : String(e));
  }
  const timers = options.timers ?? systemTimers;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const pkce = createPkce();
  const state = createOAuthState();

  let settled = false;
  let resolveCode!: (code: string) => void;
  let rejectCode!: (e: SignInFailure) => void;
  const codePromise = new Promise<string>((res, rej) => {
    resolveCode = res;
    rejectCode = rej;
  });
  // avoid an unhandled rejection if the caller never awaits (it awaits `result`)
  codePromise.catch(() => undefined);

  let port = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== `127.0.0.1:${port}`) {
      reply(res, 400, 'Bad request', 'This address only accepts the sign-in redirect.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== CALLBACK_PATH) {
      reply(res, 404, 'Not found', 'Nothing here.');
      return;
    }
    if (req.method !== 'GET') {
      reply(res, 405, 'Method not allowed', 'Nothing here.');
      return;
    }
    if (settled) {
      reply(res, 410, 'Sign-in already finished', 'This sign-in link was already used. You can close this tab.');
      return;
    }
    const q = url.searchParams;
    if (!sameState(state, q.get('state'))) {
      // Not ours (forged, stale or stray): refuse it and keep waiting for the real redirect.
      reply(res, 400, 'Not a sign-in response', 'This response did not come from the sign-in Release Board is waiting for. Finish the sign-in in the tab Release Board opened.');
      options.onRejectedCallback?.();
      return;
    }
    const error = q.get('error');
    if (error) {
      reply(res, 200, 'Sign-in cancelled', 'Release Board was not authorized. You can close this tab.');
      finish(
        error === 'access_denied'
          ? new SignInFailure('access-denied', 'You declined the authorization on the forge.', 'Sign in again and press Authorize.')
          : new SignInFailure('exchange-failed', `The forge reported an authorization error (${error}).`),
      );
      return;
    }
    const code = q.get('code');
    if (!code) {
      reply(res, 400, 'Sign-in failed', 'The response carried no authorization code. You can close this tab.');
      finish(new SignInFailure('invalid-callback', 'The sign-in response carried no authorization code.'));
      return;
    }
    reply(res, 200, 'Signed in', 'You can close this tab and return to Release Board.');
    finish(code);
  });

  const timeout: { cancel?: () => void } = {};
  const closeServer = (): void => {
    server.close();
    // let the final response flush, then drop keep-alive sockets so the port is really gone
    setImmediate(() => server.closeAllConnections());
  };
  function finish(outcome: string | SignInFailure): void {
    if (settled) return;
    settled = true;
    timeout.cancel?.();
    closeServer();
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

  let authorizeUrl = '';
  try {
    authorizeUrl = (options.authorizeUrl ?? genericAuthorizeUrl)(host, { redirectUri, state, challenge: pkce.challenge });
    validateAuthorizeUrl(host, authorizeUrl, { state, redirectUri, challenge: pkce.challenge });
  } catch (e) {
    finish(toFailure(e));
  }

  timeout.cancel = timers.setTimeout(
    () => finish(new SignInFailure('timed-out', 'No answer from the browser in time; the sign-in was abandoned.', 'Start the sign-in again and finish it in the browser.')),
    timeoutMs,
  );

  const result = (async (): Promise<TokenGrant> => {
    if (!settled) {
      try {
        await options.openExternal(authorizeUrl);
      } catch (e) {
        finish(new SignInFailure('browser-failed', `The system browser could not be opened: ${e instanceof Error ? e.message : String(e)}`));
      }
    }
    const code = await codePromise;
    try {
      return await options.exchange(host, { code, verifier: pkce.verifier, redirectUri }, { fetch: fetchImpl, now: timers.now });
    } catch (e) {
      throw toFailure(e);
    }
  })();

  // the attempt may end (forged callback, timeout) before the caller awaits `result`
  result.catch(() => undefined);
  return {
    redirectUri,
    result,
    cancel: () => finish(new SignInFailure('cancelled', 'The sign-in was cancelled.')),
  };
}
