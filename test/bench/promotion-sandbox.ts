// Shared fixtures for the promotion/auth integration tests and the promotion benchmark:
// a sandbox forge loaded with a seed, forge hosts for its two OAuth apps, and a "browser"
// that follows the authorize URL like a user clicking Authorize (or Cancel) would.

import { request } from 'node:http';
import { startForge, type Forge } from '../sandbox/forge/index';
import { buildDemoSeed } from '../sandbox/seeds/demo';
import type { Seed, SeedBuilder, SeedContext } from '../sandbox/seeds/types';
import { STANDARD_OAUTH_APPS } from '../sandbox/seeds/builders';
import { githubEnterpriseHost, type ForgeHost } from '../../src-main/forges/forge-host';
import { createAuthService, type AuthService } from '../../src-main/auth/auth-service';
import { createSessionVault, type SessionVault } from '../../src-main/auth/session-vault';
import { SCALE_CONFIG_REPO, scaleSeed } from '../sandbox/seeds/scale';

export interface ForgeFixture {
  forge: Forge;
  seed: Seed;
  /** OAuth app (non-expiring gho_ tokens), scope repo */
  oauthHost: ForgeHost;
  /** GitHub App (expiring ghu_ tokens with refresh) */
  appHost: ForgeHost;
  close(): Promise<void>;
}

/** Seeds need cluster addresses; the forge-only fixture gives them placeholders. */
export function forgeOnlyContext(forge: Forge): SeedContext {
  const fake = { server: 'https://127.0.0.1:1', caData: '' };
  return {
    clusters: new Proxy({} as Record<string, { server: string; caData: string }>, { get: () => fake }),
    forge: { url: forge.url, apiUrl: forge.apiUrl },
    now: forge.state.raw.now,
  };
}

export async function startForgeFixture(builder: SeedBuilder = (ctx) => buildDemoSeed(ctx)): Promise<ForgeFixture> {
  const forge = await startForge();
  const seed = builder(forgeOnlyContext(forge));
  forge.load(seed.forge);
  const [classic, expiring] = [STANDARD_OAUTH_APPS.find((a) => !a.expiringTokens), STANDARD_OAUTH_APPS.find((a) => a.expiringTokens)];
  if (!classic || !expiring) throw new Error('seed lacks the standard OAuth apps');
  const oauthHost = { ...githubEnterpriseHost(forge.url, classic.clientId, classic.clientSecret, 'sandbox'), scopes: ['repo', 'read:user'] };
  const appHost = githubEnterpriseHost(forge.url, expiring.clientId, expiring.clientSecret, 'sandbox-app');
  return { forge, seed, oauthHost, appHost, close: () => forge.close() };
}

export interface SignedInScaleRepo {
  fx: ForgeFixture;
  /** owner/name of the scale seed's config repository */
  repoName: string;
  repoUrl: string;
  vault: SessionVault;
  auth: AuthService;
}

/** The scale seed's config repository on the sandbox forge, its user signed in through the OAuth app (a real loopback sign-in). */
export async function signedInScaleRepo(pipelines: number, repoFiles: number): Promise<SignedInScaleRepo> {
  const fx = await startForgeFixture(scaleSeed(pipelines, { repoFiles }));
  const repoName = `${SCALE_CONFIG_REPO.owner}/${SCALE_CONFIG_REPO.name}`;
  const vault = createSessionVault();
  const auth = createAuthService({ hosts: [fx.oauthHost], vault, openExternal: browserFollower() });
  const signed = await auth.signInWithBrowser(fx.oauthHost.id);
  if (!signed.ok) {
    await fx.close();
    throw new Error(`sign-in failed: ${signed.error.message}`);
  }
  return { fx, repoName, repoUrl: `${fx.forge.url}/${repoName}`, vault, auth };
}

export interface BrowserVisit {
  authorizeUrl: string;
  /** status of the loopback callback response */
  callbackStatus?: number;
  callbackBody?: string;
  callbackUrl?: string;
  /** the callback the forge redirected to, before any tampering */
  genuineCallbackUrl?: string;
}

/**
 * An openExternal that behaves like a user in a browser: GET the authorize page, submit its
 * form with Authorize (or Cancel), follow the redirect to the loopback callback.
 * `tamper` may rewrite the callback URL before it is visited (to forge a wrong state).
 */
export function browserFollower(options: { approve?: boolean; tamper?: (callback: URL) => URL; visits?: BrowserVisit[] } = {}) {
  return async (url: string): Promise<void> => {
    const visit: BrowserVisit = { authorizeUrl: url };
    options.visits?.push(visit);
    const pageRes = await fetch(url);
    const html = await pageRes.text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!requestId || !action) throw new Error(`authorize page has no form (status ${pageRes.status})`);
    const post = await fetch(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, authorize: options.approve === false ? '0' : '1' }).toString(),
      redirect: 'manual',
    });
    const location = post.headers.get('location');
    if (post.status !== 302 || !location) throw new Error(`authorize did not redirect (status ${post.status})`);
    let callback = new URL(location);
    visit.genuineCallbackUrl = callback.toString();
    if (options.tamper) callback = options.tamper(callback);
    visit.callbackUrl = callback.toString();
    const cb = await fetch(callback);
    visit.callbackStatus = cb.status;
    visit.callbackBody = await cb.text();
  };
}

/** A GET to a loopback listener with a forged Host header (DNS-rebinding style); resolves with the status. */
export { manualTimers } from '../../src-main/auth/timers';

export const requestWithHostHeader = (port: number, hostHeader: string, path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

/** Polls `check` until it returns a value (not undefined/false) or the bound expires. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
