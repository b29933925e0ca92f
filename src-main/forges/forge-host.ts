// Forge host configuration: which servers (GitHub-compatible or GitLab) the user can sign in
// to, and the URLs derived from each.
// Security model: the URLs here decide where the user's browser is sent and where tokens
// are presented, so they are validated once (https only, except plain http to a loopback
// address, which never leaves the machine; no credentials, query or fragment in them) and
// every OAuth/API URL is derived from them, never taken from a server response.
// github.com and any GitHub Enterprise Server are described the same way, as are gitlab.com
// and self-managed GitLab; no host is special. What differs per forge type (OAuth paths,
// whether projects nest in groups) is in the FORGE_TYPES table below and nowhere else here.

import type { ForgeHostSummary, ForgeHostType } from '../common/session';
import { isHttpsOrLoopback, parseUrlWithoutCredentials } from '../common/web-url';

export type { ForgeHostType };

export interface ForgeHost {
  /** Stable key for sessions, e.g. "github.com", "ghe.acme.example" or "gitlab.com". */
  id: string;
  type: ForgeHostType;
  /**
   * Web base, e.g. https://github.com or https://ghe.acme.example. GitLab may live under a
   * relative URL root (https://host/gitlab); GitHub hosts are origins.
   */
  webUrl: string;
  /** REST base, e.g. https://api.github.com, https://ghe.acme.example/api/v3, https://gitlab.com/api/v4. */
  apiUrl: string;
  clientId: string;
  /**
   * OAuth client secret. Shipped inside a desktop app it is not confidential (RFC 8252 §8.5):
   * PKCE, not this secret, protects the code. Optional: GitHub's device flow and GitLab's
   * public applications need none; without it sign-out cannot revoke a GitHub token.
   */
  clientSecret?: string;
  /** Scopes requested by the web and device flows (GitHub Apps ignore them). */
  scopes?: string[];
}

export interface ForgeEndpoints {
  authorize: string;
  token: string;
  /** null: this forge type offers no device flow we support */
  deviceCode: string | null;
  /** RFC 7009 revocation endpoint, when the forge has one (GitHub revokes through its REST API). */
  revoke: string | null;
  api: string;
}

interface ForgeTypeTraits {
  /** web URL may carry a path (a relative URL root) */
  pathInWebUrl: boolean;
  /** most path segments a repository URL may have (GitLab: nested groups) */
  maxRepoDepth: number;
  /** scopes asked for when the host configures none */
  defaultScopes: string[];
  endpoints(webUrl: string, apiUrl: string): ForgeEndpoints;
}

const FORGE_TYPES: Record<ForgeHostType, ForgeTypeTraits> = {
  github: {
    pathInWebUrl: false,
    maxRepoDepth: 2,
    // OAuth apps need `repo` to push the promotion branch and open the PR (there is no narrower
    // scope for private repositories). GitHub Apps ignore scopes and use the app's permissions
    // (Contents + Pull requests: write), which is why docs/configuration.md prefers them.
    defaultScopes: ['repo'],
    endpoints: (web, api) => ({ authorize: `${web}/login/oauth/authorize`, token: `${web}/login/oauth/access_token`, deviceCode: `${web}/login/device/code`, revoke: null, api }),
  },
  gitlab: {
    pathInWebUrl: true,
    // GitLab allows 20 levels of sub-groups
    maxRepoDepth: 21,
    // api: push a branch and open a merge request; read_user: who signed in
    defaultScopes: ['api', 'read_user'],
    endpoints: (web, api) => ({ authorize: `${web}/oauth/authorize`, token: `${web}/oauth/token`, deviceCode: null, revoke: `${web}/oauth/revoke`, api }),
  },
};

export const FORGE_HOST_TYPES = Object.keys(FORGE_TYPES) as ForgeHostType[];

export class ForgeHostError extends Error {
  override readonly name = 'ForgeHostError';
}

function checkUrl(what: string, raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ForgeHostError(`${what} is not a URL: ${raw}`);
  }
  if (u.username || u.password) throw new ForgeHostError(`${what} must not contain credentials`);
  if (u.search || u.hash) throw new ForgeHostError(`${what} must not contain a query or fragment`);
  if (isHttpsOrLoopback(u)) return u;
  throw new ForgeHostError(`${what} must use https (got ${u.protocol}//${u.host})`);
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

function traitsOf(type: unknown): ForgeTypeTraits {
  const t = typeof type === 'string' && Object.hasOwn(FORGE_TYPES, type) ? FORGE_TYPES[type as ForgeHostType] : undefined;
  if (!t) throw new ForgeHostError(`unsupported host type "${String(type)}"`);
  return t;
}

/** Validates a host and returns it normalised (no trailing slashes). Throws ForgeHostError. */
export function validateForgeHost(host: ForgeHost): ForgeHost {
  if (!host.id || !/^[A-Za-z0-9._:-]+$/.test(host.id)) throw new ForgeHostError(`invalid host id "${host.id}"`);
  const traits = traitsOf(host.type);
  if (!host.clientId || !/^[A-Za-z0-9._-]+$/.test(host.clientId)) throw new ForgeHostError('clientId is missing or malformed');
  const web = checkUrl('webUrl', host.webUrl);
  checkUrl('apiUrl', host.apiUrl);
  const path = trimSlash(web.pathname);
  if (path !== '' && !traits.pathInWebUrl) throw new ForgeHostError('webUrl must be an origin (no path)');
  return { ...host, webUrl: `${web.origin}${path}`, apiUrl: trimSlash(host.apiUrl) };
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

/**
 * gitlab.com or a self-managed GitLab (optionally under a relative URL root, e.g.
 * https://host/gitlab): API under /api/v4, OAuth under /oauth. `clientId` is the GitLab
 * application ID of a non-confidential application (no secret); scopes default to api read_user.
 */
export function gitlabHost(webUrl: string, clientId: string, options: { id?: string; clientSecret?: string; scopes?: string[] } = {}): ForgeHost {
  const u = checkUrl('webUrl', webUrl);
  const base = `${u.origin}${trimSlash(u.pathname)}`;
  return validateForgeHost({
    id: options.id ?? u.host.toLowerCase(),
    type: 'gitlab',
    webUrl: base,
    apiUrl: `${base}/api/v4`,
    clientId,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.scopes ? { scopes: [...options.scopes] } : {}),
  });
}

export function gitlabDotCom(clientId: string): ForgeHost {
  return gitlabHost('https://gitlab.com', clientId);
}

/** A host as settings or the environment describe it (what forgeHostFrom takes). */
export interface ForgeHostConfig {
  type: ForgeHostType;
  /** https://github.com, a GHES origin, https://gitlab.com or a GitLab base URL (may carry a relative root) */
  webUrl: string;
  clientId: string;
  clientSecret?: string;
  /** default: the URL's host (github.com for GitHub's own site) */
  id?: string;
  scopes?: string[];
}

/**
 * Builds a validated ForgeHost from settings, picking the API base by type: github.com →
 * api.github.com, any other GitHub → <origin>/api/v3 (GHES), GitLab → <base>/api/v4.
 * Throws ForgeHostError for an unknown type or a bad URL.
 */
export function forgeHostFrom(config: ForgeHostConfig): ForgeHost {
  const extra = { ...(config.scopes ? { scopes: [...config.scopes] } : {}) };
  switch (config.type) {
    case 'github': {
      const origin = checkUrl('webUrl', config.webUrl).origin;
      const base = origin === 'https://github.com' ? githubDotCom(config.clientId, config.clientSecret) : githubEnterpriseHost(origin, config.clientId, config.clientSecret, config.id);
      return validateForgeHost({ ...base, ...(config.id ? { id: config.id } : {}), ...extra });
    }
    case 'gitlab':
      return gitlabHost(config.webUrl, config.clientId, { ...(config.id ? { id: config.id } : {}), ...(config.clientSecret ? { clientSecret: config.clientSecret } : {}), ...extra });
    default:
      throw new ForgeHostError(`unsupported host type "${String((config as { type?: unknown }).type)}"`);
  }
}

export function forgeEndpoints(host: ForgeHost): ForgeEndpoints {
  return traitsOf(host.type).endpoints(host.webUrl, host.apiUrl);
}

/** The scopes to ask for: the host's own, else its forge type's default. */
export function requestedScopes(host: ForgeHost): string[] {
  return host.scopes && host.scopes.length > 0 ? [...host.scopes] : [...traitsOf(host.type).defaultScopes];
}

export function summarizeHost(host: ForgeHost): ForgeHostSummary {
  return { id: host.id, type: host.type, webUrl: host.webUrl, apiUrl: host.apiUrl };
}

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

/**
 * The host serving a repository URL, with owner and repo. Accepts web and clone URLs
 * (https://HOST[/root]/owner/repo[.git]); on hosts whose projects nest in groups, owner is the
 * full group path ("platform-team/infra") and a GitLab page suffix ("/-/tree/main") is ignored.
 */
export function resolveRepoUrl(hosts: readonly ForgeHost[], repoUrl: string): { host: ForgeHost; owner: string; name: string } | null {
  const u = parseUrlWithoutCredentials(repoUrl);
  if (!u) return null;
  let best: { host: ForgeHost; root: string } | null = null;
  for (const h of hosts) {
    let base: URL;
    try {
      base = new URL(h.webUrl);
    } catch {
      continue;
    }
    if (base.origin !== u.origin) continue;
    const root = trimSlash(base.pathname);
    if (root && !(u.pathname === root || u.pathname.startsWith(`${root}/`))) continue;
    // the most specific host wins when two share an origin under different roots
    if (!best || root.length > best.root.length) best = { host: h, root };
  }
  if (!best) return null;
  const traits = traitsOf(best.host.type);
  let parts = u.pathname
    .slice(best.root.length)
    .split('/')
    .filter((p) => p !== '');
  const dash = parts.indexOf('-');
  if (dash >= 0 && traits.maxRepoDepth > 2) parts = parts.slice(0, dash);
  if (parts.length > 0) parts[parts.length - 1] = (parts[parts.length - 1] as string).replace(/\.git$/, '');
  if (parts.length < 2 || parts.length > traits.maxRepoDepth) return null;
  if (!parts.every((p) => SEGMENT.test(p) && p !== '.' && p !== '..')) return null;
  const name = parts[parts.length - 1] as string;
  return { host: best.host, owner: parts.slice(0, -1).join('/'), name };
}
