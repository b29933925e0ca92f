// GitLab (gitlab.com and self-managed) token inspection over the REST API v4.
//
// GitLab counts every request a token authenticates as a use of it, the board's own check
// included (see last-use.ts). So the stored token is sent as few times as possible:
// - first look: with the signed-in user's own token, the access-token lists the stored token
//   can be on are read (project, its groups, the user's own PATs); only then is the stored
//   token sent, once to `/personal_access_tokens/self` (which token is it: id, user); who the
//   user is comes from `/users/:id` through the session (without one, the token's `/user`);
// - later looks: when the signed-in user may read that token's record by id, nothing but
//   the session's token is sent; otherwise the first look is repeated.
// The last-use figure carries where it came from; where none is truthful, the newest
// promotion merge request by the token's user stands in (recentActivity), as on GitHub.
//
// Security model: the stored token is sent only in the PRIVATE-TOKEN header of these
// requests and not kept (memory is keyed by its fingerprint); the session's token is lent by
// the vault for one call and sent as a Bearer token to the same API; response bodies are read
// field by field into plain values.

import type { TokenActivity } from '../../common/tokens';
import type { ForgeTarget } from '../forge-url';
import {
  SOURCES,
  candidateHomes,
  judgeLastUse,
  lastUseActivity,
  recordOwnUse,
  parseTokenRecord,
  tokenRecordPath,
  type GitLabSessionAccess,
  type GitLabTokenHome,
  type GitLabTokenRecord,
  type LastUseMemory,
} from './last-use';
import { isoDate, networkMessage, type InspectedIdentity, type InspectorOptions, type TokenInspection, type TokenInspector } from '../token-inspector';
import { tokenFingerprint } from '../token-facts';
import { createGitLabClient, isRecord, parseJson, type GitLabTokenHeader } from './rest-client';

export type { GitLabSessionAccess } from './last-use';

export interface GitLabInspectorOptions extends InspectorOptions {
  /** The signed-in user's own GitLab session, to read stored tokens without using them. */
  session?: GitLabSessionAccess;
  /** The board's clock, as the token service's (default: the system clock). */
  now?: () => Date;
}

/** How many merge requests (newest first) are searched for a promotion MR by the token's user. */
export const PROMOTION_MR_SEARCH_LIMIT = 100;

type Get = (path: string) => Promise<{ status: number; body: unknown }>;

/** GitLab expires_at is a date ("2026-12-01"): the token stops working at the start of that day (UTC). */
export function gitlabExpiry(value: unknown): string | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

function identityOf(body: unknown): InspectedIdentity | undefined {
  if (!isRecord(body) || typeof body.username !== 'string') return undefined;
  const identity: InspectedIdentity = { login: body.username, type: body.bot === true ? 'Bot' : 'User' };
  if (typeof body.name === 'string' && body.name.length > 0) identity.name = body.name;
  if (typeof body.avatar_url === 'string') identity.avatarUrl = body.avatar_url;
  if (typeof body.web_url === 'string') identity.profileUrl = body.web_url;
  return identity;
}

/** accepted/rejected from the token's own record, with scopes and expiry. */
function fromRecord(rec: GitLabTokenRecord, nowMs: number): TokenInspection {
  const base: TokenInspection = { outcome: 'accepted', kind: 'gitlab-access-token' };
  const expiresAt = gitlabExpiry(rec.expiresAt);
  if (expiresAt !== undefined) base.expiresAt = expiresAt;
  if (rec.revoked) return { ...base, outcome: 'rejected', message: 'the token is revoked' };
  if (!rec.active || (typeof expiresAt === 'string' && Date.parse(expiresAt) <= nowMs)) return { ...base, outcome: 'rejected', message: 'the token is inactive (expired)' };
  return { ...base, scopes: rec.scopes };
}

export function createGitLabInspector(options: GitLabInspectorOptions = {}): TokenInspector {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const clock = options.now ?? (() => new Date());
  const now = (): number => clock().getTime();
  const memory = new Map<string, LastUseMemory>();

  async function get(token: string, target: ForgeTarget, path: string, header: GitLabTokenHeader): Promise<{ status: number; body: unknown }> {
    const client = createGitLabClient({
      apiUrl: target.apiBaseUrl,
      token,
      tokenHeader: header,
      timeoutMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    const answer = await client.send('GET', path);
    return { status: answer.status, body: parseJson(answer.body) };
  }

  /** Runs fn with the session's token; undefined when nobody is signed in or the session cannot be used. */
  async function withSession<T>(target: ForgeTarget, fn: (get: Get) => Promise<T>): Promise<T | undefined> {
    if (!options.session) return undefined;
    try {
      return await options.session.withSessionToken(target.apiBaseUrl, (token) => fn((path) => get(token, target, path, 'bearer')));
    } catch {
      return undefined;
    }
  }

  /** The records of every token the session may list for this repository, by id: read BEFORE the stored token is sent. */
  const snapshot = (target: ForgeTarget) =>
    withSession(target, async (g) => {
      const found = new Map<number, { home: GitLabTokenHome; rec: GitLabTokenRecord }>();
      for (const c of candidateHomes(target)) {
        const r = await g(c.path);
        if (r.status !== 200 || !Array.isArray(r.body)) continue;
        for (const item of r.body) {
          const rec = parseTokenRecord(item);
          if (rec && !found.has(rec.id)) found.set(rec.id, { home: c.home, rec });
        }
      }
      return found;
    });

  /** A later look: the token's record and user through the session only (no use of the token). */
  async function recheckBySession(target: ForgeTarget, mem: LastUseMemory): Promise<TokenInspection | undefined> {
    if (mem.id === undefined || !mem.home) return undefined;
    const { id, home } = mem;
    const read = await withSession(target, async (g) => {
      const r = await g(tokenRecordPath(home, id));
      const rec = r.status === 200 ? parseTokenRecord(r.body) : undefined;
      if (!rec) return undefined;
      const user = rec.userId !== null ? await g(`/users/${rec.userId}`) : undefined;
      return { rec, identity: user?.status === 200 ? identityOf(user.body) : undefined };
    });
    if (!read) return undefined;
    judgeLastUse(mem, read.rec.lastUsedAt, SOURCES.session);
    const out = fromRecord(read.rec, now());
    if (read.identity) out.identity = read.identity;
    if (out.outcome === 'accepted') out.lastUse = lastUseActivity(mem, true);
    return out;
  }

  async function firstLook(token: string, target: ForgeTarget, mem: LastUseMemory): Promise<TokenInspection> {
    const base: TokenInspection = { outcome: 'error', kind: 'gitlab-access-token' };
    const before = mem.id === undefined ? await snapshot(target) : undefined;
    const sentAt = now();
    const self = await get(token, target, '/personal_access_tokens/self', 'private-token');
    const rec = self.status === 200 ? parseTokenRecord(self.body) : undefined;
    const seen = rec ? before?.get(rec.id) : undefined;
    // Read before this check was sent, the snapshot can only reflect the board's EARLIER uses.
    if (seen) judgeLastUse(mem, seen.rec.lastUsedAt, SOURCES.beforeCheck);
    recordOwnUse(mem, sentAt);
    if (self.status === 401) return { ...base, outcome: 'rejected', message: 'the forge answered 401 Unauthorized' };
    if (!rec) return { ...base, message: `HTTP ${self.status} from /personal_access_tokens/self` };
    mem.id = rec.id;
    mem.userId = rec.userId;
    const out = fromRecord(rec, now());
    if (out.outcome !== 'accepted') return out;
    let signedIn = before !== undefined;
    if (seen) mem.home = seen.home;
    else {
      // Not on a list the session could read: its owner or an administrator reads a PAT by id.
      const personal = await withSession(target, (g) => g(tokenRecordPath({ kind: 'personal' }, rec.id)));
      signedIn ||= personal !== undefined;
      const viaSession = personal?.status === 200 ? parseTokenRecord(personal.body) : undefined;
      if (viaSession) {
        mem.home = { kind: 'personal' };
        judgeLastUse(mem, viaSession.lastUsedAt, SOURCES.session);
      } else judgeLastUse(mem, rec.lastUsedAt, SOURCES.tokenItself);
    }
    out.lastUse = lastUseActivity(mem, signedIn);
    // Who: through the session where possible, else the token's own /user.
    const viaSession = rec.userId !== null ? await withSession(target, (g) => g(`/users/${rec.userId}`)) : undefined;
    const user = viaSession?.status === 200 ? viaSession : await get(token, target, '/user', 'private-token');
    const identity = user.status === 200 ? identityOf(user.body) : undefined;
    if (identity) out.identity = identity;
    else out.message = `the token's user could not be read (HTTP ${user.status} from /user)`;
    return out;
  }

  return {
    provider: 'gitlab',
    async inspect(token, target) {
      const key = `${tokenFingerprint(token)}@${target.apiBaseUrl}`;
      const mem = memory.get(key) ?? { ownUses: [] };
      memory.set(key, mem);
      try {
        return (await recheckBySession(target, mem)) ?? (await firstLook(token, target, mem));
      } catch (e) {
        return { outcome: 'error', kind: 'gitlab-access-token', message: networkMessage(e) };
      }
    },
    async recentActivity(token, target, login): Promise<TokenActivity> {
      const path = `/projects/${encodeURIComponent(target.fullName)}/merge_requests?author_username=${encodeURIComponent(login)}&state=all&order_by=created_at&sort=desc&per_page=${PROMOTION_MR_SEARCH_LIMIT}`;
      try {
        // The session lists merge requests without using the stored token; without one, the token (already used by the check) does.
        const res = (await withSession(target, (g) => g(path))) ?? (await get(token, target, path, 'private-token'));
        if (res.status !== 200 || !Array.isArray(res.body)) return { kind: 'unknown', label: `merge requests of ${target.fullName} could not be listed (HTTP ${res.status})` };
        const found = res.body.find((m): m is Record<string, unknown> => isRecord(m) && typeof m.source_branch === 'string' && m.source_branch.startsWith('promotion-'));
        if (!found) return { kind: 'no-promotion-pr', label: `no promotion merge request by ${login} in the ${res.body.length} newest of ${target.fullName}`, repo: target.fullName };
        const createdAt = String(found.created_at ?? '');
        return {
          kind: 'newest-promotion-pr',
          label: `newest promotion merge request by ${login}: !${Number(found.iid)}, ${isoDate(createdAt)}`,
          number: Number(found.iid),
          url: String(found.web_url ?? ''),
          createdAt,
          repo: target.fullName,
        };
      } catch (e) {
        return { kind: 'unknown', label: `merge requests of ${target.fullName} could not be listed (${networkMessage(e)})` };
      }
    },
  };
}
