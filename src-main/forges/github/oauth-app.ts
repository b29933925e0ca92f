// One @octokit/oauth-app `OAuthApp` per GitHub host and call, configured from the host (never
// from a server answer), plus the request hooks that add what the library lacks.
//
// Why per call: each call brings its own fetch (injected for tests and the sandbox) and maybe
// an abort signal, and the PKCE hook must only ever touch the one code exchange it belongs
// to. An OAuthApp is a few plain objects; nothing is cached, so nothing outlives the call.

import { Octokit } from '@octokit/core';
import { OAuthApp } from '@octokit/oauth-app';
import type { ForgeHost } from '../forge-host';
import type { FetchLike } from '../oauth-types';
import { silentLog, USER_AGENT } from './octokit-options';

/** GitHub's token endpoint: the code, device-code and refresh grants all post here. */
export const TOKEN_PATH = '/login/oauth/access_token';

export interface OAuthAppCall {
  fetch: FetchLike;
  signal?: AbortSignal | undefined;
  /**
   * Refreshing needs 'github-app': the library refuses refreshToken() for OAuth apps, and only
   * GitHub App user tokens expire. Everything else runs as 'oauth-app', which sends scopes
   * (a GitHub App ignores them), so a host needs no setting saying which kind of app it is.
   */
  clientType?: 'oauth-app' | 'github-app';
  /** Default: the host's secret. A device-flow grant is refreshed without one, as it was issued. */
  clientSecret?: string | undefined;
}

type RequestOptions = Record<string, unknown> & { url: string; baseUrl: string };

export type GitHubOAuthApp = OAuthApp<{ clientType: 'oauth-app' | 'github-app' }>;

/**
 * The library derives the OAuth base from the REST base by GitHub's layout (api.github.com →
 * github.com, "<web>/api/v3" → "<web>"). We do not rely on the guess: /login/* goes to the
 * configured web URL, everything else (/applications/*) to the configured API URL.
 */
function pinToConfiguredHost(host: ForgeHost) {
  return (options: RequestOptions): void => {
    options.baseUrl = options.url.startsWith('/login/') ? host.webUrl : host.apiUrl;
  };
}

/**
 * The OAuthApp for one call to a GitHub host. Its Octokit carries the host's API base, our
 * user agent, the injected fetch, the caller's abort signal and `redirect: 'error'` (a token,
 * code or secret is never replayed to wherever a redirect points).
 *
 * A public client (device flow, PKCE-only web flow) has no client secret. The library types
 * the secret as required but never checks it: it only copies it into the request, and a JSON
 * body drops an undefined field, so GitHub receives no `client_secret` at all (tested).
 */
export function githubOAuthApp(host: ForgeHost, call: OAuthAppCall): GitHubOAuthApp {
  const HostOctokit = Octokit.defaults({
    baseUrl: host.apiUrl,
    userAgent: USER_AGENT,
    log: silentLog,
    request: { fetch: call.fetch, redirect: 'error', ...(call.signal ? { signal: call.signal } : {}) },
  });
  const secret = 'clientSecret' in call ? call.clientSecret : host.clientSecret;
  const app = new OAuthApp({ clientType: call.clientType ?? 'oauth-app', clientId: host.clientId, clientSecret: secret as string, Octokit: HostOctokit });
  app.octokit.hook.before('request', pinToConfiguredHost(host));
  return app;
}

/** Adds body parameters to this app's token-endpoint requests (the PKCE verifier, grant_type). */
export function addTokenRequestParams(app: GitHubOAuthApp, params: Record<string, string>): void {
  app.octokit.hook.before('request', (options: RequestOptions) => {
    if (options.url === TOKEN_PATH) Object.assign(options, params);
  });
}

/**
 * What this app's token endpoint answered, as sent. createToken() returns only the library's
 * digest of it, which for an OAuth-app exchange drops the refresh token and the lifetimes, and
 * times them by the server's Date header; our grant is timed by our clock instead.
 */
export function captureTokenAnswer(app: GitHubOAuthApp): () => unknown {
  let answer: unknown;
  app.octokit.hook.after('request', (response: { data: unknown }, options: RequestOptions) => {
    if (options.url === TOKEN_PATH) answer = response.data;
  });
  return () => answer;
}
