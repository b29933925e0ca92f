// Before sign-in main reads the PRs of public repositories without a token; a private one
// answers 404 until the user signs in. There "Promotion expected" would be a guess (a PR may be
// open), so such environments say that the PR state is unknown instead.
import type { PipelineRow } from '../common/board';
import { normaliseRepoUrl } from './promotion-rules';

/** The row with "promotion expected" turned into "PR state unknown" where the repository's PRs could not be read. */
export function markUnknownPullRequests(row: PipelineRow, unreadableRepos: ReadonlySet<string>): PipelineRow {
  if (unreadableRepos.size === 0) return row;
  let changed = false;
  const environments = row.environments.map((cell) => {
    const repo = cell.strategy.kind === 'pull-request' && cell.strategy.repoUrl ? normaliseRepoUrl(cell.strategy.repoUrl) : undefined;
    if (!repo || !unreadableRepos.has(repo) || !cell.pending.some((p) => p.kind === 'promotion-expected')) return cell;
    changed = true;
    return { ...cell, pending: cell.pending.map((p) => (p.kind === 'promotion-expected' ? { ...p, kind: 'pr-unknown' as const } : p)) };
  });
  return changed ? { ...row, environments } : row;
}
