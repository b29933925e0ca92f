// Tokens that need someone's attention soon: they belong in the inbox beside pending
// promotions, because an expired token silently stops automated promotions. Pure.
import type { TokenEntry, TokenReport } from '../../../src-main/common/tokens';

const TROUBLE: ReadonlySet<TokenEntry['state']> = new Set(['expired', 'revoked-or-expired', 'expiring-soon']);

/** Entries whose token expired, was revoked or expires soon (worst first). */
export function troubledTokens(report: TokenReport | undefined): TokenEntry[] {
  if (!report) return [];
  const rank = (e: TokenEntry) => (e.state === 'expiring-soon' ? 1 : 0);
  return report.entries.filter((e) => TROUBLE.has(e.state) && e.uses.some((u) => !u.referenceOnly)).sort((a, b) => rank(a) - rank(b));
}
