// The pictures `npm run docs:screenshots` (test/docs/screenshots.ts) writes into docs/images/,
// and what each one shows. The docs may use only these; the docs test checks that.
export const SCREENSHOTS = {
  'board-light.png': 'the board on the demo sandbox, light theme',
  'board-dark.png': 'the same board, dark theme',
  'board-problems.png': 'the Failing filter: problems are states on the board, with their reason',
  'cluster-problem.png': 'a cluster the board cannot read (here: no kubeconfig context), selected in the top bar',
  'inbox.png': 'the inbox: open promotion PRs, approval gates, expected promotions',
  'promote-dialog.png': 'the promote dialog after a drag, with the exact file changes',
  'approval-dialog.png': 'the review for a manual gate, opened with the keyboard (p)',
  'tokens-consent.png': 'the Tokens view asking before it reads any promotion Secret',
  'tokens-view.png': 'the Tokens view: every token behind automated promotions',
  'token-risks.png': 'one token’s details: who is behind it, its risks, the safer alternatives',
  'settings.png': 'the Settings dialog',
  'empty-state.png': 'the first run on clusters without any Pipeline',
  'rollout-timeline.png': 'a merged promotion PR rolling out: the cell says "Rolling out", the detail panel has the timeline',
  'batch-review.png': 'the batch review: every pipeline, its version change and file lines, one pull request each',
  'rollback-dialog.png': 'rolling an environment back to its previous version: the reason and the exact line change',
  'release-log.png': 'the release log for one week: merged promotion PRs with approvers, and releases the clusters remember',
  'board-compact.png': 'the same board in compact rows: one table-like line per pipeline',
} as const;

export type ScreenshotName = keyof typeof SCREENSHOTS;

/** Pictures the benchmark draws (`npm run bench -- --chart docs/images/<name>`), not screenshots. */
export const BENCH_PICTURES = {
  'bench-scale.svg': 'board-ready time (and the raw-fetch baseline) and main heap against pipeline count',
} as const;
