import { describe, expect, it } from 'vitest';
import type { ReleaseHistoryEntry } from '../common/board';
import { testEnv, testRow, testTarget } from '../common/test-rows';
import type { MergedPromotion } from '../git/merged-promotions';
import { requestSchemas } from '../ipc/schemas';
import { buildReleaseLog } from './build-release-log';

const REPO = 'https://github.com/acme/fleet';
const h = (version: string, at: string, status = 'deployed'): ReleaseHistoryEntry => ({ version, status, at });
const pr = (extra: Partial<MergedPromotion>): MergedPromotion => ({
  pipelineNamespace: 'team',
  pipelineName: 'checkout',
  targetEnv: 'prod',
  branch: 'promotion-team-checkout-prod',
  number: 7,
  url: 'https://github.com/acme/fleet/pull/7',
  ref: 'PR #7',
  title: 'Promote team/checkout in prod to 1.8.1',
  author: 'rm-alice',
  mergedAt: '2026-12-03T09:00:00Z',
  approvers: ['dev-bob'],
  version: '1.8.1',
  previousVersion: '1.8.0',
  rollback: false,
  ...extra,
});

function board() {
  return {
    pipelines: [
      testRow('checkout', [
        testEnv('staging', 0, [testTarget('1.8.2', { history: [h('1.8.2', '2026-12-06T10:00:00Z'), h('1.8.1', '2026-12-01T10:00:00Z', 'superseded')] })]),
        testEnv('prod', 1, [
          testTarget('1.8.1', { history: [h('1.8.1', '2026-12-03T09:20:00Z'), h('1.8.0', '2026-11-18T10:00:00Z', 'superseded')] }),
          testTarget('1.8.1', { cluster: 'prod-us', history: [h('1.8.1', '2026-12-03T09:45:00Z'), h('1.8.0', '2026-11-18T10:00:00Z', 'superseded')] }),
        ]),
      ]),
    ],
  };
}
const range = { from: '2026-11-30T00:00:00Z', to: '2026-12-07T12:00:00Z' };

describe('release log', () => {
  it('joins a merged PR with the time the last target ran it, and lists cluster-only releases too, newest first', () => {
    const log = buildReleaseLog(board(), new Map([[REPO, [pr({})]]]), range);
    expect(log.map((e) => [e.env, e.version, e.source])).toEqual([
      ['staging', '1.8.2', 'cluster'],
      ['prod', '1.8.1', 'pull-request'],
      ['staging', '1.8.1', 'cluster'],
    ]);
    expect(log[1]).toMatchObject({
      mergedAt: '2026-12-03T09:00:00Z',
      healthyAt: '2026-12-03T09:45:00Z',
      approvers: ['dev-bob'],
      author: 'rm-alice',
      previousVersion: '1.8.0',
      pr: { ref: 'PR #7' },
      kind: 'promotion',
    });
    expect(log[0]).toMatchObject({ previousVersion: '1.8.1', healthyAt: '2026-12-06T10:00:00Z', approvers: [] });
  });

  it('leaves "healthy at" empty while a target has not run the merged version', () => {
    const b = board();
    b.pipelines[0]!.environments[1]!.targets[1]!.history = [h('1.8.0', '2026-11-18T10:00:00Z')];
    expect(buildReleaseLog(b, new Map([[REPO, [pr({})]]]), range).find((e) => e.source === 'pull-request')?.healthyAt).toBeUndefined();
  });

  it('filters by range, pipeline and environment, and marks rollbacks', () => {
    const merged = new Map([[REPO, [pr({ rollback: true, title: 'Roll back team/checkout in prod to 1.8.1 (replaces 1.8.2)' })]]]);
    expect(buildReleaseLog(board(), merged, { ...range, env: 'prod' }).map((e) => [e.env, e.kind])).toEqual([['prod', 'rollback']]);
    expect(buildReleaseLog(board(), merged, { from: '2026-12-05T00:00:00Z', to: range.to })).toHaveLength(1);
    expect(buildReleaseLog(board(), merged, { ...range, pipelineId: 'team/other' })).toEqual([]);
  });

  it('scales to 1,000 pipelines over 30 days', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ ...board().pipelines[0]!, id: `team/app-${i}`, name: `app-${i}` }));
    const log = buildReleaseLog({ pipelines: rows }, new Map(), { from: '2026-11-07T00:00:00Z', to: range.to });
    // per pipeline: staging 1.8.2 and 1.8.1, prod 1.8.1 and (within 30 days) 1.8.0
    expect(log).toHaveLength(4000);
  });

  it('takes a bounded range over IPC', () => {
    const schema = requestSchemas['releases:list'];
    expect(schema.safeParse({ from: '2026-11-30T00:00:00Z', to: '2026-12-07T00:00:00Z', env: 'prod' }).success).toBe(true);
    expect(schema.safeParse({ from: '2024-01-01T00:00:00Z', to: '2026-12-07T00:00:00Z' }).success).toBe(false);
    expect(schema.safeParse({ from: 'last week', to: '2026-12-07T00:00:00Z' }).success).toBe(false);
    expect(requestSchemas['releases:export'].safeParse({ ...range, format: 'xlsx' }).success).toBe(false);
    expect(requestSchemas['releases:export'].safeParse({ ...range, format: 'csv', path: '/etc/passwd' }).success).toBe(false);
  });
});
