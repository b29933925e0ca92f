import { describe, expect, it } from 'vitest';
import type { ConditionSummary, RolloutTimeline } from '../common/board';
import { testTarget } from '../common/test-rows';
import { deriveRollout, versionFromPromotionTitle, type MergedPromotion } from './rollout-timeline';

const MERGED_AT = '2026-03-02T10:00:00Z';
const at = (seconds: number) => new Date(Date.parse(MERGED_AT) + seconds * 1000);
const iso = (seconds: number) => at(seconds).toISOString().replace('.000Z', 'Z');
const merge: MergedPromotion = {
  pipelineNamespace: 'team',
  pipelineName: 'checkout',
  targetEnv: 'prod',
  version: '1.8.2',
  number: 7,
  url: 'https://forge.test/acme/fleet/pull/7',
  mergedAt: MERGED_AT,
  repoUrl: 'https://forge.test/acme/fleet',
};
const BOUND = 600_000;

const ready = (seconds: number): ConditionSummary => ({ type: 'Ready', status: 'True', reason: 'UpgradeSucceeded', lastTransitionTime: iso(seconds) });
const progressing = (seconds: number): ConditionSummary[] => [
  { type: 'Reconciling', status: 'True', reason: 'Progressing', lastTransitionTime: iso(seconds) },
  { type: 'Ready', status: 'Unknown', reason: 'Progressing', lastTransitionTime: iso(seconds) },
];
const oldAndReady = (cluster: string) => testTarget('1.8.1', { cluster, requestedVersion: '1.8.1', conditions: [ready(-86_400)] });
const reconciling = (cluster: string, seconds: number) => testTarget('1.8.1', { cluster, requestedVersion: '1.8.2', health: 'reconciling', conditions: progressing(seconds) });
const healthy = (cluster: string, seconds: number) => testTarget('1.8.2', { cluster, requestedVersion: '1.8.2', conditions: [ready(seconds)] });

describe('rollout timeline', () => {
  it('reads the promoted version from the controller-convention PR title', () => {
    expect(versionFromPromotionTitle('Promote team/checkout in prod to 1.8.2')).toBe('1.8.2');
    expect(versionFromPromotionTitle('Bump things')).toBeUndefined();
  });

  it('goes merged → reconciling → healthy and keeps when each target started reconciling', () => {
    const waiting = deriveRollout({ merge, targets: [oldAndReady('eu'), oldAndReady('us')], now: at(5), reconcileBoundMs: BOUND });
    expect(waiting).toMatchObject({ state: 'rolling-out', done: 0, total: 2, mergedAt: MERGED_AT, version: '1.8.2' });
    expect(waiting.targets.map((t) => t.phase)).toEqual(['waiting', 'waiting']);

    const half = deriveRollout({ merge, targets: [reconciling('eu', 30), oldAndReady('us')], now: at(31), reconcileBoundMs: BOUND, previous: waiting });
    expect(half.targets[0]).toMatchObject({ phase: 'reconciling', reconcilingAt: iso(30) });

    const one = deriveRollout({ merge, targets: [healthy('eu', 90), reconciling('us', 60)], now: at(95), reconcileBoundMs: BOUND, previous: half });
    expect(one).toMatchObject({ state: 'rolling-out', done: 1, total: 2 });
    // the Ready condition no longer says when reconciling began: the previous timeline does
    expect(one.targets[0]).toMatchObject({ phase: 'healthy', reconcilingAt: iso(30), healthyAt: iso(90) });

    const done = deriveRollout({ merge, targets: [healthy('eu', 90), healthy('us', 120)], now: at(125), reconcileBoundMs: BOUND, previous: one });
    expect(done).toMatchObject({ state: 'healthy', done: 2, finishedAt: iso(120) });
    expect(done.targets[1]).toMatchObject({ reconcilingAt: iso(60), healthyAt: iso(120) });
  });

  it('reports a failed rollout with Flux’s message and when it failed', () => {
    const failedTarget = testTarget('1.8.1', {
      cluster: 'eu',
      requestedVersion: '1.8.2',
      health: 'stalled',
      message: 'Helm upgrade failed: timed out waiting for the condition',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'UpgradeFailed', lastTransitionTime: iso(200) },
        { type: 'Stalled', status: 'True', reason: 'RetriesExceeded', lastTransitionTime: iso(200) },
      ],
    });
    const previous: RolloutTimeline = deriveRollout({ merge, targets: [reconciling('eu', 20)], now: at(21), reconcileBoundMs: BOUND });
    const timeline = deriveRollout({ merge, targets: [failedTarget], now: at(205), reconcileBoundMs: BOUND, previous });
    expect(timeline).toMatchObject({ state: 'failed', done: 0, finishedAt: iso(200) });
    expect(timeline.targets[0]).toMatchObject({ phase: 'failed', reconcilingAt: iso(20), failedAt: iso(200), message: 'Helm upgrade failed: timed out waiting for the condition' });
  });

  it('says so when a target never reconciles, but only once the bound has passed', () => {
    const before = deriveRollout({ merge, targets: [healthy('eu', 40), oldAndReady('us')], now: at(599), reconcileBoundMs: BOUND });
    expect(before.state).toBe('rolling-out');
    expect(before.targets[1]?.phase).toBe('waiting');
    const after = deriveRollout({ merge, targets: [healthy('eu', 40), oldAndReady('us')], now: at(600), reconcileBoundMs: BOUND, previous: before });
    expect(after.state).toBe('stuck');
    expect(after.targets[1]).toMatchObject({ phase: 'not-reconciling' });
    expect(after.targets[1]?.message).toContain('No reconciliation of 1.8.2 seen 10 min after the merge');
  });

  it('does not date a step before the merge from an old condition', () => {
    // Ready flipped long ago (never went Unknown): main saw the new version only now
    const timeline = deriveRollout({ merge, targets: [testTarget('1.8.2', { cluster: 'eu', conditions: [ready(-3600)] })], now: at(50), reconcileBoundMs: BOUND });
    expect(timeline.targets[0]).toMatchObject({ phase: 'healthy', healthyAt: iso(50) });
  });

  it('matches a Kustomization revision by its tag and starts over for a newer merge', () => {
    const tagged = testTarget('v2.3.0', { cluster: 'eu', kind: 'Kustomization', deployedRevision: 'v2.3.0@sha1:3f1c0b9aa', conditions: [ready(10)] });
    const kMerge = { ...merge, version: 'v2.3.0' };
    const first = deriveRollout({ merge: kMerge, targets: [tagged], now: at(11), reconcileBoundMs: BOUND });
    expect(first.state).toBe('healthy');
    const next = deriveRollout({ merge: { ...kMerge, number: 8, mergedAt: iso(100), version: 'v2.4.0' }, targets: [tagged], now: at(101), reconcileBoundMs: BOUND, previous: first });
    expect(next).toMatchObject({ state: 'rolling-out', done: 0, pr: { number: 8 } });
    expect(next.targets[0]?.healthyAt).toBeUndefined();
  });
});
