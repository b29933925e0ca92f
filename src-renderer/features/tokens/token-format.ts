// Pure presentation helpers for the token views: tones, short texts, initials, dates.
import { wholeDaysUntil, type TokenEntry, type TokenRisk, type TokenState } from '../../../src-main/common/tokens';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export function stateTone(state: TokenState): Tone {
  switch (state) {
    case 'valid':
      return 'ok';
    case 'expiring-soon':
    case 'forbidden':
    case 'host-not-approved':
      return 'warn';
    case 'expired':
    case 'revoked-or-expired':
    case 'secret-missing':
    case 'key-missing':
      return 'bad';
    default:
      return 'muted';
  }
}

/** Short state words for a badge (the full label is in TokenEntry.stateLabel). */
export function shortState(state: TokenState): string {
  const words: Record<TokenState, string> = {
    valid: 'works',
    'expiring-soon': 'expiring',
    expired: 'expired',
    'revoked-or-expired': 'rejected',
    forbidden: 'no access',
    'secret-missing': 'no Secret',
    'key-missing': 'no token key',
    'cluster-error': 'cluster error',
    'forge-error': 'forge error',
    'unsupported-provider': 'unsupported',
    'invalid-repo-url': 'bad repo URL',
    'host-not-approved': 'not checked',
  };
  return words[state];
}

export function initials(entry: TokenEntry): string {
  const source = entry.identity?.name ?? entry.identity?.login;
  // Without a known owner, letters from the fingerprint would look like a person's initials.
  if (!source) return '?';
  const words = source.split(/[\s._-]+/).filter((w) => w.length > 0);
  const letters = words.length >= 2 ? `${words[0]![0]}${words[1]![0]}` : source.slice(0, 2);
  return letters.toUpperCase();
}

/** "who" in one line: "Promotion Bot (@promotion-bot)", or where the token is stored. */
export function whoLabel(entry: TokenEntry): string {
  if (entry.identity) return entry.identity.name ? `${entry.identity.name} (@${entry.identity.login})` : `@${entry.identity.login}`;
  if (entry.kind === 'github-installation') return 'GitHub App installation';
  const s = entry.secrets[0];
  if (!s) return entry.fingerprint ? `token ${entry.fingerprint}` : 'unknown';
  return `${s.namespace}/${s.name}${entry.secrets.length > 1 ? ` +${entry.secrets.length - 1}` : ''}`;
}

/** A few words for the kind ("classic PAT"), for dense lists. */
export function shortKind(entry: TokenEntry): string | undefined {
  switch (entry.kind) {
    case 'github-classic':
      return 'classic PAT';
    case 'github-fine-grained':
      return 'fine-grained';
    case 'github-oauth':
      return 'OAuth';
    case 'github-app-user':
      return 'App user';
    case 'github-installation':
      return 'installation';
    case 'gitlab-access-token':
      return 'GitLab token';
    default:
      return undefined;
  }
}

/** True when the Secret was read, so its keys are known. */
export function secretWasRead(entry: TokenEntry): boolean {
  return entry.fingerprint !== undefined || entry.state === 'key-missing';
}

export function accountTypeLabel(entry: TokenEntry): string | undefined {
  switch (entry.identity?.type) {
    case 'Bot':
      return 'bot account';
    case 'User':
      return 'personal account';
    case 'Organization':
      return 'organisation';
    default:
      return undefined;
  }
}

/** "in 5 days", "3 days ago", "today". */
export function relativeDays(iso: string, now: Date): string {
  const days = wholeDaysUntil(iso, now.getTime());
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} day${days === 1 ? '' : 's'}`;
  return `${-days} day${days === -1 ? '' : 's'} ago`;
}

export function expiryText(entry: TokenEntry, now: Date): string {
  if (entry.expiresAt === null) return 'never expires';
  if (entry.expiresAt === undefined) return 'unknown';
  const past = Date.parse(entry.expiresAt) <= now.getTime();
  return `${past ? 'expired' : 'expires'} ${entry.expiresAt.slice(0, 10)} (${relativeDays(entry.expiresAt, now)})`;
}

export function scopesText(entry: TokenEntry): string {
  if (entry.scopes === undefined) return 'unknown';
  if (entry.scopes === null) return entry.kind === 'github-fine-grained' ? 'per-repository permissions (not visible to the token)' : 'none reported';
  return entry.scopes.length === 0 ? 'no scopes' : entry.scopes.join(', ');
}

const SEVERITY_RANK: Record<TokenRisk['severity'], number> = { high: 0, medium: 1, low: 2 };

export function sortedRisks(risks: readonly TokenRisk[]): TokenRisk[] {
  return [...risks].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

/** Distinct pipelines of an entry with the environments each promotes into. */
export function pipelinesOf(entry: TokenEntry): { pipelineId: string; environments: string[] }[] {
  const map = new Map<string, string[]>();
  for (const u of entry.uses) map.set(u.pipelineId, [...(map.get(u.pipelineId) ?? []), u.referenceOnly ? 'no environment (pipeline default only)' : u.environment]);
  return [...map].map(([pipelineId, environments]) => ({ pipelineId, environments }));
}
