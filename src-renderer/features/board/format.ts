// Small formatting helpers shared by the board's components (words, not colours, carry state).
import type { ChangeRequestWords } from '../forges/forge-capabilities';
import type { ClusterConnectionState, EnvironmentCell, PendingPromotion, PullRequestSummary, RollupState, TargetHealth } from '../../../src-main/common/board';

/** "just now", "5m ago", "3h ago", "4d ago", "6w ago". */
export function relativeTime(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d}d ago`;
  return `${Math.floor(d / 7)}w ago`;
}

/** The same age without "ago": "3h", "4d". */
export function age(iso: string | undefined, now: number): string {
  return relativeTime(iso, now).replace(/ ago$/, '');
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'idle';

export const rollupWords: Record<RollupState, { word: string; tone: Tone }> = {
  healthy: { word: 'Healthy', tone: 'ok' },
  progressing: { word: 'Progressing', tone: 'info' },
  failing: { word: 'Failing', tone: 'bad' },
  mixed: { word: 'Mixed', tone: 'warn' },
  unknown: { word: 'Unknown', tone: 'idle' },
  suspended: { word: 'Suspended', tone: 'idle' },
};

export const healthWords: Record<TargetHealth, { word: string; tone: Tone }> = {
  ready: { word: 'Ready', tone: 'ok' },
  reconciling: { word: 'Reconciling', tone: 'info' },
  stalled: { word: 'Stalled', tone: 'bad' },
  failed: { word: 'Failed', tone: 'bad' },
  suspended: { word: 'Suspended', tone: 'idle' },
  unknown: { word: 'Unknown', tone: 'idle' },
  missing: { word: 'Missing', tone: 'bad' },
};

export const clusterWords: Record<ClusterConnectionState, { word: string; tone: Tone }> = {
  connected: { word: 'connected', tone: 'ok' },
  connecting: { word: 'connecting', tone: 'info' },
  stale: { word: 'stale', tone: 'warn' },
  unreachable: { word: 'unreachable', tone: 'bad' },
  forbidden: { word: 'forbidden', tone: 'bad' },
  'no-crd': { word: 'API not served', tone: 'warn' },
  'no-context': { word: 'no context', tone: 'warn' },
};

/** The words of a pending promotion's badge, in its forge's terms ("MR !12 · 2.3.0 · 4h"). */
export function pendingLabel(p: PendingPromotion, now: number, words: ChangeRequestWords): string {
  switch (p.kind) {
    case 'awaiting-approval':
      return `Awaiting approval${p.version ? ` · ${p.version}` : ''}`;
    case 'promotion-expected':
      return `Promotion expected${p.version ? ` · ${p.version}` : ''}`;
    case 'pr-unknown':
      return `Sign in to see open ${words.short}s${p.version ? ` · ${p.version}` : ''}`;
    case 'pr-open': {
      const parts = [`${words.short} ${words.ref(p.pr?.number)}`];
      if (p.version) parts.push(p.version);
      if (p.pr?.createdAt) parts.push(age(p.pr.createdAt, now));
      return parts.join(' · ');
    }
  }
}

export function reviewWord(state: string | undefined): string {
  switch (state) {
    case 'approved':
      return 'approved';
    case 'changes-requested':
      return 'changes requested';
    case 'review-required':
      return 'review required';
    default:
      return 'no review';
  }
}

export function checksWord(state: string | undefined): string {
  switch (state) {
    case 'success':
      return 'checks passed';
    case 'failure':
      return 'checks failing';
    case 'pending':
      return 'checks running';
    default:
      return 'no checks';
  }
}

/**
 * Where an open PR stands, short enough for a badge: the forge's merge verdict when it gives
 * one (GitLab), else review and checks. The checks word is left out when the verdict is
 * already about CI.
 */
export function prStatusText(pr: Pick<PullRequestSummary, 'reviewState' | 'checksState' | 'mergeState'>): string {
  if (!pr.mergeState) return `${reviewWord(pr.reviewState)} · ${checksWord(pr.checksState)}`;
  const aboutCi = /pipeline|status checks/.test(pr.mergeState.label);
  return aboutCi ? pr.mergeState.label : `${pr.mergeState.label} · ${checksWord(pr.checksState)}`;
}

/** The digest a Flux revision pins ("v2.3.0@sha1:3f1c0b9…" → "3f1c0b9"), when the readable version hides it. */
export function hiddenShortSha(version: string, revision: string | undefined): string | undefined {
  const match = revision ? /@sha1:([0-9a-f]{7,40})$|@sha256:([0-9a-f]{7,64})$/.exec(revision) : null;
  const hex = match?.[1] ?? match?.[2];
  if (!hex) return undefined;
  const short = match?.[1] ? hex.slice(0, 7) : hex.slice(0, 12);
  return version.includes(short) ? undefined : short;
}

/** The one raw revision the targets on `version` run, when they agree. */
export function cellRevision(cell: Pick<EnvironmentCell, 'targets'>, version: string | undefined): string | undefined {
  const revisions = new Set(cell.targets.filter((t) => t.deployedVersion === version && t.deployedRevision).map((t) => t.deployedRevision));
  return revisions.size === 1 ? [...revisions][0] : undefined;
}

/** A cell's version as the chip shows it: "v2.3.0 · 3f1c0b9" when a tag hides the commit, else the version. */
export function versionLabel(cell: Pick<EnvironmentCell, 'targets'>, version: string): string {
  const sha = hiddenShortSha(version, cellRevision(cell, version));
  return sha ? `${version} · ${sha}` : version;
}

/**
 * The rollup line: a mixed environment lists every version with its target count, most
 * common first ("4.2.1 ×1 · 4.2.0 ×1"); otherwise main's summary.
 */
export function rollupLine(cell: Pick<EnvironmentCell, 'targets' | 'rollup'>): string {
  if (cell.targets.length === 1) return '1 target';
  const counts = new Map<string, number>();
  for (const t of cell.targets) {
    const v = t.deployedVersion ?? 'unknown';
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size < 2) return cell.rollup.summary;
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : -1))
    .map(([v, n]) => `${v} ×${n}`)
    .join(' · ');
}

/** "stale for 2h", or "just went stale" (never "stale for just now"). */
export function staleFor(since: string | undefined, now: number): string {
  if (!since) return 'stale';
  const howLong = age(since, now);
  return howLong === 'just now' ? 'just went stale' : howLong ? `stale for ${howLong}` : 'stale';
}
