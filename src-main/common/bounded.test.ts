import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded';

describe('mapBounded', () => {
  it('answers in input order with at most `limit` calls in flight, and nothing for no items', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([30, 10, 20, 5], 2, async (ms) => {
      running += 1;
      peak = Math.max(peak, running);
      // resolve in a different order than started: later items finish first
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      if (ms > 15) await new Promise<void>((resolve) => queueMicrotask(resolve));
      running -= 1;
      return ms * 2;
    });
    expect(out).toEqual([60, 20, 40, 10]);
    expect(peak).toBe(2);
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
  });
});
