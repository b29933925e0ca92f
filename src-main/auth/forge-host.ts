// Forge host configuration: which GitHub-compatible servers the user can sign in to.
// Security model: the URLs here decide where the user's browser is sent and where tokens
// are presented, so they are validated once (https only, except plain http to a loopback
// address, which never leaves the machine; no credentials, query or fragment in them) and
// every OAuth/API URL is derived from them, never taken from a server response.
// github.com and any GitHub Enterprise Server are described the same way; no host is special.

import type { ForgeHostSummary } from '../common/session';

export interface ForgeHost {
  /** Stable key for sessions, e.g. "github.com" or "ghe.acme.example". */
  id: string;
  type: 'github';
  /** Web origin, e.g. https://github.com or https://ghe.acme.example. */
  webUrl: string;
  /** REST base, e.g. https://api.github.com or https://ghe.acme.example/api/v3. */
  apiUrl: string;
  clientId: string;
  /**
   * OAuth/GitHub App client secret. Shipped inside a desktop app it is not confidential
   * (RFC 8252 §8.5): PKCE, not this secret, protects the code. Optional: the device flow
   * needs none, and without it sign-out cannot revoke the token server-side.
   */
  clientSecret?: string;
  /** Scopes requested by the web and device flows (OAuth apps; GitHub Apps ignore them). */
  scopes?: string[];
}

export interface ForgeEndpoints {
  authorize: string;
  token: string;
  deviceCode: string;
  api: string;
}

export class ForgeHostError extends Error {
  override readonly name = 'ForgeHostError';
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]']);

function checkUrl(what: string, raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ForgeHostError(`${what} is not a URL: ${raw}`);
  }
  if (u.username || u.password) throw new ForgeHostError(`${what} must not contain credentials`);
  if (u.search || u.hash) throw new ForgeHostError(`${what} must not contain a query or fragment`);
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return u;
  throw new ForgeHostError(`${what} must use https (got ${u.protocol}//${u.host})`);
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/** Validates a host and returns it normalised (no trailing slashes). Throws ForgeHostError. */
export function validateForgeHost(host: ForgeHost): ForgeHost {
  if (!host.id || !/^[A-Za-z0-9._:-]+$/.test(host.id)) throw new ForgeHostError(`invalid host id "${host.id}"`);
  if (host.type !== 'github') throw new ForgeHostError(`unsupported host type "${String(host.type)}"`);
  if (!host.clientId || !/^[A-Za-z0-9._-]+$/.test(host.clientId)) throw new ForgeHostError('clientId is missing or malformed');
  const web = checkUrl('webUrl', host.webUrl);
  checkUrl('apiUrl', host.apiUrl);
  if (web.pathname !== '/' && web.pathname !== '') throw new ForgeHostError('webUrl must be an origin (no path)');
  return { ...host, webUrl: web.origin, apiUrl: trimSlash(host.apiUrl) };
}

/** github.com: web https://github.com, API https://api.github.com. */
export function githubDotCom(clientId: string, clientSecret?: string): ForgeHost {
  return validateForgeHost({ id: 'github.com', type: 'github', webUrl: 'https://github.com', apiUrl: 'https://api.github.com', clientId, ...(clientSecret ? { clientSecret } : {}) });
}

/** GitHub Enterprise Server at an origin: API under /api/v3, OAuth under /login/oauth. */
export function githubEnterpriseHost(webUrl: string, clientId: string, clientSecret?: string, id?: string): ForgeHost {
  const origin = checkUrl('webUrl', webUrl).origin;
  return validateForgeHost({
    id: id ?? new URL(origin).host,
    type: 'github',
    webUrl: origin,
    apiUrl: `${origin}/api/v3`,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
  });
}

export function forgeEndpoints(host: ForgeHost): ForgeEndpoints {
  return {
    authorize: `${host.webUrl}/login/oauth/authorize`,
    token: `${host.webUrl}/login/oauth/access_token`,
    deviceCode: `${host.webUrl}/login/device/code`,
    api: host.apiUrl,
  };
}

export function summarizeHost(host: ForgeHost): ForgeHostSummary {
  return { id: host.id, type: host.type, webUrl: host.webUrl, apiUrl: host.apiUrl };
}

/** The host serving a repository web URL (https://HOST/owner/repo[.git]), with owner and repo. */
export function resolveRepoUrl(hosts: readonly ForgeHost[], repoUrl: string): { host: ForgeHost; owner: string; name: string } | null {
  let u: URL;
  try {
    u = new URL(repoUrl);
  } catch {
    return null;
  }
  const host = hosts.find((h) => new URL(h.webUrl).origin === u.origin);
  if (!host) return null;
  const parts = u.pathname.replace(/\/+$/, '').replace(/\.git$/, '').split('/').filter((p) => p !== '');
  if (parts.length !== 2) return null;
  const [owner, name] = parts as [string, string];
  if (!/^[A-Za-z0-9._-]+$/.test(owner) || !/^[A-Za-z0-9._-]+$/.test(name)) return null;
  return { host, owner, name };
}
