// A GitLab token's last use, told truthfully. GitLab moves `last_used_at` whenever a token
// authenticates a request (PersonalAccessTokens::LastUsedService, at most once per 10
// minutes), so the board's own check with the stored token (`/personal_access_tokens/self`)
// is itself a use: the figure read afterwards may be the check. This module:
// - reads token records with the signed-in user's OWN token (project/group access tokens by
//   id, personal access tokens by id for their owner or an administrator), which never counts
//   as a use of the stored token;
// - snapshots those records BEFORE the stored token is used for the first time, so the first
//   figure is the one from before the board ever touched the token;
// - remembers when the board used each token and refuses any figure those uses explain.
//
// Security model: the stored token is never passed here; only the session's token (lent by
// the vault for one call) and token ids, which are not secrets.

import type { TokenActivity } from '../../common/tokens';
import type { ForgeTarget } from '../forge-url';
import { isoDate } from '../token-inspector';
import { isRecord } from './rest-client';

/** Lends the signed-in user's own GitLab token for one call; undefined when nobody is signed in there. */
export interface GitLabSessionAccess {
  withSessionToken<T>(apiBaseUrl: string, fn: (token: string) => Promise<T>): Promise<T | undefined>;
}

/** Where a token lives, which decides the endpoint that reads it by id. */
export type GitLabTokenHome = { kind: 'project'; path: string } | { kind: 'group'; path: string } | { kind: 'personal' };

/** The fields of GitLab's access-token JSON the board uses. */
export interface GitLabTokenRecord {
  id: number;
  userId: number | null;
  scopes: string[] | null;
  expiresAt: unknown;
  lastUsedAt: string | null | undefined;
  revoked: boolean;
  active: boolean;
}

/** GitLab answers the board's check within this long of sending it; clocks may also differ a little. */
export const OWN_USE_WINDOW_MS = 2 * 60_000;

export function parseTokenRecord(body: unknown): GitLabTokenRecord | undefined {
  if (!isRecord(body) || typeof body.id !== 'number') return undefined;
  return {
    id: body.id,
    userId: typeof body.user_id === 'number' ? body.user_id : null,
    scopes: Array.isArray(body.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : null,
    expiresAt: body.expires_at,
    lastUsedAt: typeof body.last_used_at === 'string' ? body.last_used_at : body.last_used_at === null ? null : undefined,
    revoked: body.revoked === true,
    active: body.active !== false,
  };
}

/** The token's record by id, at its home, read with the session's token. */
export function tokenRecordPath(home: GitLabTokenHome, id: number): string {
  if (home.kind === 'project') return `/projects/${encodeURIComponent(home.path)}/access_tokens/${id}`;
  if (home.kind === 'group') return `/groups/${encodeURIComponent(home.path)}/access_tokens/${id}`;
  return `/personal_access_tokens/${id}`;
}

/** Every list a stored token for this repository can be on: the project's, its groups', the user's own PATs. */
export function candidateHomes(target: ForgeTarget): { home: GitLabTokenHome; path: string }[] {
  const groups = target.owner.split('/');
  const out: { home: GitLabTokenHome; path: string }[] = [{ home: { kind: 'project', path: target.fullName }, path: `/projects/${encodeURIComponent(target.fullName)}/access_tokens?per_page=100` }];
  for (let i = groups.length; i >= 1; i -= 1) {
    const group = groups.slice(0, i).join('/');
    out.push({ home: { kind: 'group', path: group }, path: `/groups/${encodeURIComponent(group)}/access_tokens?per_page=100` });
  }
  out.push({ home: { kind: 'personal' }, path: '/personal_access_tokens?state=active&per_page=100' });
  return out;
}

/** What the board remembers about one stored token (keyed by fingerprint and forge; no value). */
export interface LastUseMemory {
  id?: number;
  home?: GitLabTokenHome;
  userId?: number | null;
  /** When the board sent this token to GitLab (each may have set last_used_at). */
  ownUses: number[];
  /** The newest figure known not to be the board's own doing, and where it was read. */
  truthful?: { at: string | null; source: string };
}

/** The board's own uses that can still explain a figure: GitLab keeps one timestamp, so the newest few suffice. */
const OWN_USES_KEPT = 20;

export function recordOwnUse(memory: LastUseMemory, at: number): void {
  memory.ownUses.push(at);
  if (memory.ownUses.length > OWN_USES_KEPT) memory.ownUses.splice(0, memory.ownUses.length - OWN_USES_KEPT);
}

export function isOwnUse(at: string, ownUses: readonly number[]): boolean {
  const t = Date.parse(at);
  return ownUses.some((u) => t >= u - OWN_USE_WINDOW_MS && t <= u + OWN_USE_WINDOW_MS);
}

/**
 * Folds a freshly read figure into memory: kept when the board's own uses cannot explain it
 * (a newer genuine use replaces an older one), ignored when they can.
 */
export function judgeLastUse(memory: LastUseMemory, figure: string | null | undefined, source: string): void {
  if (figure === undefined) return;
  if (figure === null) {
    // Only a figure read before any use by the board can say "never".
    if (memory.ownUses.length === 0 || source === SOURCES.beforeCheck) memory.truthful = { at: null, source };
    return;
  }
  if (isOwnUse(figure, memory.ownUses)) return;
  if (!memory.truthful || memory.truthful.at === null || Date.parse(figure) > Date.parse(memory.truthful.at)) memory.truthful = { at: figure, source };
}

export const SOURCES = {
  beforeCheck: 'read from GitLab with your sign-in before the board used the token',
  session: 'read from GitLab with your sign-in',
  tokenItself: 'as GitLab reported it to the token itself',
} as const;

/** The activity line: a truthful figure with where it came from, or why there is none. */
export function lastUseActivity(memory: LastUseMemory, signedIn: boolean): TokenActivity {
  const t = memory.truthful;
  if (t?.at === null) return { kind: 'never-used', label: `never used (${t.source})` };
  if (t) return { kind: 'last-used', label: `last used ${isoDate(t.at)} (${t.source})`, at: t.at };
  return {
    kind: 'unknown',
    label: signedIn
      ? "last use not known: GitLab counted the board's own check as a use, and your sign-in may not read this token (Maintainer of the project, Owner of the group, or the token's owner can)"
      : "last use not known: GitLab counts the board's own check as a use; sign in to GitLab to read it without using the token",
  };
}
