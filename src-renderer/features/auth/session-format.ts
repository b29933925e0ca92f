// Words for sign-in sessions: initials, expiry, provider names. Pure.
import type { ForgeHostSummary, SessionInfo } from '../../../src-main/common/session';

export function initialsOf(login: string, name?: string | null): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2) return `${words[0]![0]}${words[words.length - 1]![0]}`.toUpperCase();
  return login.slice(0, 2).toUpperCase();
}

/** Only data: URLs render (the CSP allows no remote images); anything else means initials. */
export function safeAvatar(url: string | null | undefined): string | undefined {
  return url && url.startsWith('data:image/') ? url : undefined;
}

/** "expires in 3 h", "expired" — null when the session does not expire. */
export function expiryWords(expiresAt: string | null, now: number): string | null {
  if (!expiresAt) return null;
  const ms = Date.parse(expiresAt) - now;
  if (Number.isNaN(ms)) return null;
  if (ms <= 0) return 'expired';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'expires in under a minute';
  if (min < 60) return `expires in ${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `expires in ${h} h`;
  return `expires in ${Math.round(h / 24)} days`;
}

/** A host's short name for buttons: its web URL's host (ids may be configuration keys). */
export function hostLabel(host: ForgeHostSummary | undefined, id: string): string {
  if (!host) return id;
  try {
    return new URL(host.webUrl).host;
  } catch {
    return id;
  }
}

export function sessionFor(sessions: readonly SessionInfo[], host: string): SessionInfo | undefined {
  return sessions.find((s) => s.host === host);
}
