import { describe, expect, it } from 'vitest';
import { rangeFor } from './release-range';
import { virtualWindow } from './virtual-window';

const NOW = Date.parse('2026-12-07T12:00:00Z');

describe('release log ranges', () => {
  it('turns presets into ranges ending now', () => {
    expect(rangeFor({ preset: '7d' }, NOW)).toEqual({ from: '2026-11-30T12:00:00.000Z', to: '2026-12-07T12:00:00.000Z' });
    expect(rangeFor({ preset: '24h' }, NOW)).toEqual({ from: '2026-12-06T12:00:00.000Z', to: '2026-12-07T12:00:00.000Z' });
  });

  it('takes a custom pair of days, end day included, and explains a bad one', () => {
    const r = rangeFor({ preset: 'custom', fromDay: '2026-12-01', toDay: '2026-12-03' }, NOW);
    expect('from' in r && Date.parse(r.to) - Date.parse(r.from)).toBe(3 * 86_400_000 - 1);
    expect(rangeFor({ preset: 'custom', fromDay: '2026-12-03', toDay: '2026-12-01' }, NOW)).toEqual({ error: 'The start day is after the end day.' });
    expect(rangeFor({ preset: 'custom', fromDay: '2020-01-01', toDay: '2026-12-01' }, NOW)).toMatchObject({ error: expect.stringContaining('at most') });
    expect(rangeFor({ preset: 'custom' }, NOW)).toMatchObject({ error: expect.any(String) });
  });
});

describe('virtual window', () => {
  it('draws the visible rows and a few either side, whatever the list length', () => {
    expect(virtualWindow(30_000, 32, 32 * 1000, 640)).toEqual({ start: 992, end: 1028, offset: 992 * 32, total: 960_000 });
    expect(virtualWindow(5, 32, 0, 640)).toEqual({ start: 0, end: 5, offset: 0, total: 160 });
    expect(virtualWindow(0, 32, 0, 640)).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
});
