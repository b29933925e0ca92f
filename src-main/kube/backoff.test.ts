import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles the cap per failure up to the maximum and draws between half and all of it', () => {
    const low = () => 0;
    const high = () => 0.999_999;
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1_000 }, low)).toBe(50);
    expect(backoffDelay(2, { initialMs: 100, maxMs: 1_000 }, low)).toBe(100);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 1_000 }, low)).toBe(200);
    expect(backoffDelay(10, { initialMs: 100, maxMs: 1_000 }, low)).toBe(500);
    expect(backoffDelay(10, { initialMs: 100, maxMs: 1_000 }, high)).toBeCloseTo(1_000, 2);
  });

  it('uses 500 ms and 30 s by default and never overflows after many failures', () => {
    expect(backoffDelay(1, {}, () => 0.5)).toBe(375);
    expect(backoffDelay(10_000, {}, () => 0)).toBe(15_000);
  });

  it('starts at the maximum for failures that retrying soon will not fix', () => {
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1_000 }, () => 0, true)).toBe(500);
  });
});
