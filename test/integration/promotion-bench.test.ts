// The promotion benchmark as a regression guard on the API budget (not on time: timings on a
// shared CI machine are reported by `npx tsx test/bench/promotion.ts`, not asserted).
import { describe, expect, it } from 'vitest';
import { runPromotionBench } from '../bench/promotion';

describe('promotion on a 5,000-file repository', () => {
  it('stays within 8 API calls and one archive download per promotion', async () => {
    const r = await runPromotionBench({ repoFiles: 5000, iterations: 2 });
    expect(r.repoFiles).toBeGreaterThanOrEqual(5000);
    expect(r.apiCalls).toBeLessThanOrEqual(8);
    expect(r.archiveDownloads).toBe(1);
    expect(r.samples).toHaveLength(2);
  }, 60_000);
});
