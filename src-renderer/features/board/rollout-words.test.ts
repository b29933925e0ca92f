import { describe, expect, it } from 'vitest';
import type { RolloutTimeline } from '../../../src-main/common/board';
import { rolloutIndicator, rolloutSteps } from './rollout-words';

const timeline: RolloutTimeline = {
  version: '1.8.2',
  pr: { number: 4, url: 'https://forge.test/acme/fleet/pull/4' },
  mergedAt: '2026-03-02T10:00:00Z',
  state: 'rolling-out',
  done: 1,
  total: 3,
  targets: [
    { cluster: 'eu', namespace: 'pay', phase: 'healthy', reconcilingAt: '2026-03-02T10:00:40Z', healthyAt: '2026-03-02T10:01:30Z' },
    { cluster: 'us', namespace: 'pay', phase: 'reconciling', reconcilingAt: '2026-03-02T10:00:20Z' },
    { cluster: 'ap', namespace: 'pay', phase: 'waiting' },
  ],
};

describe('rollout words', () => {
  it('says how far the rollout is in the cell', () => {
    expect(rolloutIndicator(timeline)).toEqual({ text: 'Rolling out 1.8.2 · 1/3', short: '↻ 1/3', tone: 'progress' });
    expect(rolloutIndicator({ ...timeline, state: 'healthy', done: 3 }).short).toBe('✓ 3/3');
    expect(rolloutIndicator({ ...timeline, state: 'failed' }).tone).toBe('bad');
    expect(rolloutIndicator({ ...timeline, state: 'stuck' }).text).toBe('1.8.2 not reconciling · 1/3');
  });

  it('lists the steps in time order, merged first, targets still waiting last', () => {
    expect(rolloutSteps(timeline, '#4').map((s) => s.text)).toEqual(['#4 merged: 1.8.2', 'us/pay reconciling 1.8.2', 'eu/pay reconciling 1.8.2', 'eu/pay healthy on 1.8.2', 'ap/pay waiting for Flux']);
  });
});
