// Tokens that need someone's attention soon: they belong in the inbox beside pending
// promotions, because an expired token silently stops automated promotions. Pure.
import type { TokenEntry, TokenReport } from '../../../src-main/common/tokens';

/** States in which automated promotions stop (or will soon, or may have): worst first by rank. */
const TROUBLE_RANK: Partial<Record<TokenEntry['state'], number>> = {
  expired: 0,
  'revoked-or-expired': 0,
  'secret-missing': 0,
  'key-missing': 0,
  'cluster-error': 1,
  'expiring-soon': 2,
};

/** Entries whose token expired, was revoked, is missing or unreadable, or expires soon (worst first). */
export function troubledTokens(report: TokenReport | undefined): TokenEntry[] {
  if (!report) return [];
  const rank = (e: TokenEntry) => TROUBLE_RANK[e.state] ?? 9;
  return report.entries.filter((e) => TROUBLE_RANK[e.state] !== undefined && e.uses.some((u) => !u.referenceOnly)).sort((a, b) => rank(a) - rank(b));
}
