// The provider interface for token inspection: one implementation per forge (GitHub,
// GitLab). The service never knows which forge it talks to.
//
// Security model: `inspect` receives the token value as an argument and must not keep it
// (no closures, caches or error objects that outlive the call hold it), return it or log it.

import type { RateLimitInfo, TokenActivity, TokenKind, TokenProvider } from '../common/tokens';
import type { ForgeTarget } from './forge-url';

export interface InspectedIdentity {
  login: string;
  name?: string;
  type: 'User' | 'Bot' | 'Organization' | 'unknown';
  /** Remote avatar URL; the service turns it into a data: URL or drops it. */
  avatarUrl?: string;
  profileUrl?: string;
}

export interface TokenInspection {
  /** accepted: the forge authenticated it; rejected: 401; error: could not tell. */
  outcome: 'accepted' | 'rejected' | 'error';
  kind: TokenKind;
  identity?: InspectedIdentity;
  /** null = the forge reports no scopes (fine-grained, installation). */
  scopes?: string[] | null;
  /** ISO; null = does not expire; undefined = unknown. */
  expiresAt?: string | null;
  rateLimit?: RateLimitInfo;
  repositories?: string[];
  /**
   * The token's last use as far as it can be told truthfully, labelled with its source
   * (GitLab); a kind other than last-used/never-used says why it is not known. GitHub never
   * reports one.
   */
  lastUse?: TokenActivity;
  /** Human message for 'error' (and detail for 'rejected'); never contains the token. */
  message?: string;
}

export interface TokenInspector {
  readonly provider: TokenProvider;
  inspect(token: string, target: ForgeTarget): Promise<TokenInspection>;
  /**
   * What the forge can tell about recent use by this token's user in the repository.
   * GitHub: the newest promotion PR authored by `login` (not a "last used" time).
   */
  recentActivity(token: string, target: ForgeTarget, login: string): Promise<TokenActivity>;
}

export interface InspectorOptions {
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  userAgent?: string;
}

/** "2026-12-01" from an ISO time, for labels. */
export function isoDate(iso: string): string {
  return iso.slice(0, 10);
}

/** Message of a failed network call without anything request-specific (no headers). */
export function networkMessage(e: unknown): string {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'the request timed out';
  return e instanceof Error ? e.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
}
