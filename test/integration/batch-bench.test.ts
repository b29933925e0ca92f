// The batch benchmark as a regression guard on the API budget (timings are reported by
// `npm run bench`, not asserted): every row opens its PR, within 8 forge API calls per PR, and
// the review reads the config repository's archive once for the whole batch, not once per row.
import { describe, expect, it } from 'vitest';
import { runBatchBench } from '../bench/batch';

describe('batch promotion against the sandbox forge', () => {
  it('opens one PR per row within 8 API calls each, reading the repository once', async () => {
    const r = await runBatchBench({ repoFiles: 500, rows: 12 });
    expect(r.opened).toBe(12);
    expect(r.apiCallsPerPr).toBeLessThanOrEqual(8);
    expect(r.archiveDownloads).toBe(1);
  }, 60_000);
});
