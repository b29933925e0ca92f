// What can be said about a token from its value alone, without sending it anywhere:
// its fingerprint and, for GitHub, its kind (from the documented prefixes).
//
// Security model: the value is hashed and inspected in place; nothing derived from it
// other than the 8-hex fingerprint and the kind ever leaves this module.

import { createHash } from 'node:crypto';
import type { TokenKind } from '../common/tokens';

/** First 8 hex of SHA-256: enough to recognise a shared token, useless to an attacker. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8);
}

/** GitHub's token prefixes (github.blog, "Behind GitHub's new authentication token formats"). */
export function githubTokenKind(token: string): TokenKind {
  if (token.startsWith('github_pat_')) return 'github-fine-grained';
  if (token.startsWith('ghp_')) return 'github-classic';
  if (token.startsWith('gho_')) return 'github-oauth';
  if (token.startsWith('ghu_')) return 'github-app-user';
  if (token.startsWith('ghs_')) return 'github-installation';
  // Pre-2021 classic tokens are 40 hex characters with no prefix.
  if (/^[0-9a-f]{40}$/.test(token)) return 'github-classic';
  return 'unknown';
}

export const TOKEN_KIND_LABELS: Record<TokenKind, string> = {
  'github-classic': 'classic personal access token',
  'github-fine-grained': 'fine-grained personal access token',
  'github-oauth': 'OAuth app token',
  'github-app-user': 'GitHub App user token',
  'github-installation': 'GitHub App installation token',
  'gitlab-access-token': 'GitLab access token',
  unknown: 'unrecognised token format',
};

/** A token value must look like one opaque word; anything else is not sent to a forge. */
export function isPlausibleToken(token: string): boolean {
  return token.length >= 8 && token.length <= 1024 && /^[\x21-\x7e]+$/.test(token);
}
