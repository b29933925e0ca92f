// GitLab (gitlab.com and self-managed) token inspection over the REST API v4:
// GET /personal_access_tokens/self (scopes, expires_at, last_used_at, revoked/active; also
// answers for project and group access tokens) and GET /user (who). GitLab reports the
// token's last use itself, so no PR search is needed.
//
// Security model: the token is sent only in the PRIVATE-TOKEN header of these requests and
// not kept; response bodies are read field by field into plain values.

import type { TokenActivity } from '../common/tokens';
import type { ForgeTarget } from './forge-url';
import { isoDate, networkMessage, type InspectedIdentity, type InspectorOptions, type TokenInspection, type TokenInspector } from './provider';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** GitLab expires_at is a date ("2026-12-01"): the token stops working at the start of that day (UTC). */
export function gitlabExpiry(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export function createGitLabInspector(options: InspectorOptions = {}): TokenInspector {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function get(token: string, target: ForgeTarget, path: string): Promise<{ status: number; body: unknown }> {
    const res = await doFetch(`${target.apiBaseUrl}${path}`, {
      headers: { 'PRIVATE-TOKEN': token, accept: 'application/json', 'user-agent': options.userAgent ?? 'release-board' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  return {
    provider: 'gitlab',
    async inspect(token, target) {
      const base: TokenInspection = { outcome: 'error', kind: 'gitlab-access-token' };
      try {
        const self = await get(token, target, '/personal_access_tokens/self');
        if (self.status === 401) return { ...base, outcome: 'rejected', message: 'the forge answered 401 Unauthorized' };
        if (self.status !== 200 || !isRecord(self.body)) return { ...base, message: `HTTP ${self.status} from /personal_access_tokens/self` };
        const t = self.body;
        if (t.revoked === true || t.active === false) {
          const expiresAt = gitlabExpiry(t.expires_at);
          return { ...base, outcome: 'rejected', ...(expiresAt !== undefined ? { expiresAt } : {}), message: t.revoked === true ? 'the token is revoked' : 'the token is inactive' };
        }
        const out: TokenInspection = {
          ...base,
          outcome: 'accepted',
          scopes: Array.isArray(t.scopes) ? t.scopes.filter((s): s is string => typeof s === 'string') : null,
          lastUsedAt: typeof t.last_used_at === 'string' ? t.last_used_at : null,
        };
        const expiresAt = gitlabExpiry(t.expires_at);
        if (expiresAt !== undefined) out.expiresAt = expiresAt;
        const user = await get(token, target, '/user');
        if (user.status === 200 && isRecord(user.body) && typeof user.body.username === 'string') {
          const u = user.body;
          const identity: InspectedIdentity = { login: u.username as string, type: u.bot === true ? 'Bot' : 'User' };
          if (typeof u.name === 'string' && u.name.length > 0) identity.name = u.name;
          if (typeof u.avatar_url === 'string') identity.avatarUrl = u.avatar_url;
          if (typeof u.web_url === 'string') identity.profileUrl = u.web_url;
          out.identity = identity;
        } else {
          out.message = `the token's user could not be read (HTTP ${user.status} from /user)`;
        }
        return out;
      } catch (e) {
        return { ...base, message: networkMessage(e) };
      }
    },
    async recentActivity(_token, _target, login): Promise<TokenActivity> {
      // GitLab reports last_used_at in inspect(); the service turns that into activity.
      return { kind: 'unknown', label: `GitLab reports the token's last use directly (user ${login})` };
    },
  };
}

/** The activity line for a GitLab token's provider-reported last use. */
export function gitlabLastUsedActivity(lastUsedAt: string | null | undefined): TokenActivity {
  if (lastUsedAt === undefined) return { kind: 'unknown', label: 'last use not reported' };
  if (lastUsedAt === null) return { kind: 'never-used', label: 'never used (as reported by GitLab)' };
  return { kind: 'last-used', label: `last used ${isoDate(lastUsedAt)} (as reported by GitLab)`, at: lastUsedAt };
}
