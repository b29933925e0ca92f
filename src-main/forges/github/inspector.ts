// GitHub (github.com and Enterprise Server) token inspection through @octokit/rest:
// GET /user for who and what (scopes, expiry and rate-limit headers), GET
// /installation/repositories for installation tokens (they cannot call /user), and the
// newest promotion PR by the token's user as the closest thing to "last used" that
// GitHub offers (it does not expose a token's last use to the token).
//
// Security model: the token is passed to a per-call Octokit instance that is dropped when
// the call returns. Octokit's own request log is silenced (its errors redact the
// authorization header, but we never keep or log error objects anyway).

import { Octokit } from '@octokit/rest';
import type { RateLimitInfo } from '../../common/tokens';
import type { ForgeTarget } from '../forge-url';
import { isoDate, networkMessage, type InspectedIdentity, type InspectorOptions, type TokenInspection, type TokenInspector } from '../token-inspector';
import { githubTokenKind } from '../token-facts';
import { silentLog, USER_AGENT } from './octokit-options';

/** How many PRs (newest first) are searched for a promotion PR by the token's user. */
export const PROMOTION_PR_SEARCH_LIMIT = 300;

type Headers = Record<string, string | number | undefined>;

function header(headers: Headers | undefined, name: string): string | undefined {
  const v = headers?.[name];
  return v === undefined ? undefined : String(v);
}

/** GitHub-Authentication-Token-Expiration: "2026-12-01 12:00:00 UTC" or "... -0800". */
export function parseGitHubExpiration(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(UTC|Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const zone = !m[3] || m[3] === 'UTC' || m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function parseRateLimit(headers: Headers | undefined): RateLimitInfo | undefined {
  const limit = Number(header(headers, 'x-ratelimit-limit'));
  const remaining = Number(header(headers, 'x-ratelimit-remaining'));
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || header(headers, 'x-ratelimit-limit') === undefined) return undefined;
  const out: RateLimitInfo = { limit, remaining };
  const used = Number(header(headers, 'x-ratelimit-used'));
  if (Number.isFinite(used) && header(headers, 'x-ratelimit-used') !== undefined) out.used = used;
  const reset = Number(header(headers, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) out.resetsAt = new Date(reset * 1000).toISOString();
  const resource = header(headers, 'x-ratelimit-resource');
  if (resource) out.resource = resource;
  return out;
}

function parseScopes(headers: Headers | undefined): string[] | null {
  const raw = header(headers, 'x-oauth-scopes');
  if (raw === undefined) return null;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

interface HttpFailure {
  status?: number;
  headers?: Headers;
  message: string;
}

function failureOf(e: unknown): HttpFailure {
  if (typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number') {
    const status = (e as { status: number }).status;
    const response = (e as { response?: { headers?: Headers; data?: unknown } }).response;
    const data = response?.data;
    const bodyMessage = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : undefined;
    return { status, ...(response?.headers ? { headers: response.headers } : {}), message: `HTTP ${status}${bodyMessage ? `: ${bodyMessage.slice(0, 200)}` : ''}` };
  }
  return { message: networkMessage(e) };
}

function identityOf(data: unknown): InspectedIdentity | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.login !== 'string') return undefined;
  const type = d.type === 'User' || d.type === 'Bot' || d.type === 'Organization' ? d.type : 'unknown';
  const out: InspectedIdentity = { login: d.login, type };
  if (typeof d.name === 'string' && d.name.length > 0) out.name = d.name;
  if (typeof d.avatar_url === 'string') out.avatarUrl = d.avatar_url;
  if (typeof d.html_url === 'string') out.profileUrl = d.html_url;
  return out;
}

export function createGitHubInspector(options: InspectorOptions = {}): TokenInspector {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = (token: string, target: ForgeTarget) =>
    new Octokit({
      auth: token,
      baseUrl: target.apiBaseUrl,
      userAgent: options.userAgent ?? USER_AGENT,
      log: silentLog,
      request: { ...(options.fetch ? { fetch: options.fetch } : {}) },
    });
  const signal = () => ({ request: { signal: AbortSignal.timeout(timeoutMs) } });

  async function inspectInstallation(octokit: Octokit, base: TokenInspection): Promise<TokenInspection> {
    try {
      const res = await octokit.request('GET /installation/repositories', { per_page: 100, ...signal() });
      const repos = (res.data.repositories ?? []).map((r) => r.full_name);
      const rateLimit = parseRateLimit(res.headers as Headers);
      return { ...base, outcome: 'accepted', scopes: null, repositories: repos, ...(rateLimit ? { rateLimit } : {}) };
    } catch (e) {
      const f = failureOf(e);
      if (f.status === 401) return { ...base, outcome: 'rejected', message: f.message };
      // Older servers lack the endpoint: /rate_limit costs no quota and still proves the token works.
      try {
        const res = await octokit.request('GET /rate_limit', signal());
        const core = res.data.resources.core;
        return {
          ...base,
          outcome: 'accepted',
          scopes: null,
          rateLimit: { limit: core.limit, remaining: core.remaining, used: core.used, resetsAt: new Date(core.reset * 1000).toISOString(), resource: 'core' },
          message: `the installation's repositories could not be listed (${f.message})`,
        };
      } catch (e2) {
        const f2 = failureOf(e2);
        if (f2.status === 401) return { ...base, outcome: 'rejected', message: f2.message };
        return { ...base, outcome: 'error', message: f2.message };
      }
    }
  }

  return {
    provider: 'github',
    async inspect(token, target) {
      const kind = githubTokenKind(token);
      const base: TokenInspection = { outcome: 'error', kind };
      const octokit = client(token, target);
      if (kind === 'github-installation') return inspectInstallation(octokit, base);
      try {
        const res = await octokit.request('GET /user', signal());
        const headers = res.headers as Headers;
        const identity = identityOf(res.data);
        const expiresAt = parseGitHubExpiration(header(headers, 'github-authentication-token-expiration'));
        const rateLimit = parseRateLimit(headers);
        return {
          outcome: 'accepted',
          kind,
          ...(identity ? { identity } : {}),
          scopes: parseScopes(headers),
          // The header is sent whenever the token expires; its absence means "never".
          expiresAt: expiresAt ?? null,
          ...(rateLimit ? { rateLimit } : {}),
        };
      } catch (e) {
        const f = failureOf(e);
        if (f.status === 401) return { ...base, outcome: 'rejected', message: 'the forge answered 401 Bad credentials' };
        // An installation token without the ghs_ prefix (GHES proxies, old formats).
        if (f.status === 403 && /integration/i.test(f.message)) return inspectInstallation(octokit, { ...base, kind: 'github-installation' });
        const rateLimit = parseRateLimit(f.headers);
        return { ...base, message: f.message, ...(rateLimit ? { rateLimit } : {}) };
      }
    },
    async recentActivity(token, target, login) {
      const octokit = client(token, target);
      const perPage = 100;
      let seen = 0;
      try {
        for (let page = 1; seen < PROMOTION_PR_SEARCH_LIMIT; page += 1) {
          const res = await octokit.rest.pulls.list({ owner: target.owner, repo: target.repo, state: 'all', sort: 'created', direction: 'desc', per_page: perPage, page, ...signal() });
          const found = res.data.find((p) => p.user?.login.toLowerCase() === login.toLowerCase() && p.head.ref.startsWith('promotion-'));
          if (found) {
            return {
              kind: 'newest-promotion-pr',
              label: `newest promotion PR by ${login}: #${found.number}, ${isoDate(found.created_at)}`,
              number: found.number,
              url: found.html_url,
              createdAt: found.created_at,
              repo: target.fullName,
            };
          }
          seen += res.data.length;
          if (res.data.length < perPage) break;
        }
        return {
          kind: 'no-promotion-pr',
          label: seen === 0 ? `no PRs in ${target.fullName} yet` : `no promotion PR by ${login} in the ${seen} newest PR${seen === 1 ? '' : 's'} of ${target.fullName}`,
          repo: target.fullName,
        };
      } catch (e) {
        return { kind: 'unknown', label: `promotion PRs of ${target.fullName} could not be listed (${failureOf(e).message})` };
      }
    },
  };
}
