import { describe, expect, it } from 'vitest';
import type { ReleaseHistoryEntry } from './board';
import { deriveRollback, ROLLBACK_REASON_MAX } from './rollback';
import { requestSchemas } from '../ipc/schemas';
import { testEnv, testRow, testTarget } from './test-rows';

const h = (version: string, status: string, at: string): ReleaseHistoryEntry => ({ version, status, at });

function row(prodHistory: ReleaseHistoryEntry[][], prodVersion = '1.8.1') {
  return testRow('checkout', [
    testEnv('staging', 0, [testTarget('1.8.2')]),
    testEnv(
      'prod',
      1,
      prodHistory.map((history) => testTarget(prodVersion, { history })),
    ),
  ]);
}

describe('rollback derivation', () => {
  it('goes back to the newest release before the current one that ran (not a failed one)', () => {
    const r = deriveRollback(
      row([
        [
          h('1.8.1', 'deployed', '2026-12-05T10:00:00Z'),
          h('1.8.0-rc1', 'failed', '2026-12-04T10:00:00Z'),
          h('1.8.0', 'superseded', '2026-11-20T10:00:00Z'),
          h('1.7.4', 'superseded', '2026-10-01T10:00:00Z'),
        ],
      ]),
      'prod',
    );
    expect(r).toMatchObject({ allowed: true, version: '1.8.0', replaces: '1.8.1' });
  });

  it('rolls a failing release back to the last one that ran', () => {
    const r = deriveRollback(row([[h('5.2.0', 'failed', '2026-12-07T08:00:00Z'), h('5.1.3', 'superseded', '2026-11-27T08:00:00Z')]], '5.2.0'), 'prod');
    expect(r).toMatchObject({ allowed: true, version: '5.1.3', replaces: '5.2.0' });
  });

  it('refuses with a reason when the previous version is unknown or the targets disagree', () => {
    expect(deriveRollback(row([[h('1.8.1', 'deployed', '2026-12-05T10:00:00Z')]]), 'prod')).toMatchObject({
      allowed: false,
      code: 'previous-unknown',
      reason: expect.stringContaining('before 1.8.1 in prod is unknown'),
    });
    expect(deriveRollback(row([[]]), 'prod')).toMatchObject({ allowed: false, code: 'previous-unknown' });
    const split = row([[h('1.8.0', 'superseded', '2026-11-20T10:00:00Z')], [h('1.7.9', 'superseded', '2026-11-20T10:00:00Z')]]);
    expect(deriveRollback(split, 'prod')).toMatchObject({ allowed: false, code: 'targets-disagree', reason: expect.stringContaining('1.8.0, 1.7.9') });
    expect(deriveRollback(row([[h('1.8.0', 'superseded', '2026-11-20T10:00:00Z')], []]), 'prod')).toMatchObject({ allowed: false, code: 'previous-unknown' });
    expect(deriveRollback(row([]), 'nowhere')).toMatchObject({ allowed: false });
  });

  it('refuses a previous version that cannot be written safely, and an environment without a PR strategy', () => {
    expect(deriveRollback(row([[h('1.0 <b>', 'superseded', '2026-11-20T10:00:00Z')]]), 'prod')).toMatchObject({ allowed: false, code: 'unsafe-version' });
    const r = row([[h('1.8.0', 'superseded', '2026-11-20T10:00:00Z')]]);
    r.environments[1]!.strategy = { kind: 'notification', manual: false, source: 'pipeline' };
    expect(deriveRollback(r, 'prod')).toMatchObject({ allowed: false, code: 'notification-only' });
  });

  it('takes only pipeline, environment and a bounded reason over IPC', () => {
    const schema = requestSchemas['promotion:plan-rollback'];
    expect(schema.safeParse({ pipelineId: 'team/checkout', env: 'prod', reason: 'x'.repeat(ROLLBACK_REASON_MAX) }).success).toBe(true);
    expect(schema.safeParse({ pipelineId: 'team/checkout', env: 'prod', reason: 'x'.repeat(ROLLBACK_REASON_MAX + 1) }).success).toBe(false);
    expect(schema.safeParse({ pipelineId: 'team/checkout', env: 'prod', reason: '   ' }).success).toBe(false);
    expect(schema.safeParse({ pipelineId: 'team/checkout', env: 'prod', reason: 'bad', version: '0.0.1' }).success).toBe(false);
  });
});
