import { describe, expect, it } from 'vitest';
import { checkPromoteNext, checkPromotion, promotionBranch, sameVersion } from './promotion-eligibility';
import { testEnv, testRow, testTarget } from './test-rows';

function pipeline() {
  return testRow('checkout', [
    testEnv('dev', 0, [testTarget('1.8.3')]),
    testEnv('staging', 1, [testTarget('1.8.2'), testTarget('1.8.2')]),
    testEnv('prod', 2, [testTarget('1.8.1')]),
  ]);
}

describe('promotion eligibility', () => {
  it('allows the next env and describes the plan', () => {
    const row = pipeline();
    const result = checkPromotion({ row, envIndex: 0 }, { row, envIndex: 1 });
    expect(result.allowed).toBe(true);
    if (!result.allowed) return;
    expect(result.version).toBe('1.8.3');
    expect(result.to.name).toBe('staging');
    expect(result.branch).toBe('promotion-team-checkout-staging');
    expect(result.strategy.baseBranch).toBe('main');
  });

  it('refuses skipping, going backwards, the same env and another pipeline', () => {
    const row = pipeline();
    const other = testRow('ledger', row.environments);
    expect(checkPromotion({ row, envIndex: 0 }, { row, envIndex: 2 })).toMatchObject({ allowed: false, code: 'not-next-env', reason: expect.stringContaining('dev promotes into staging') });
    expect(checkPromotion({ row, envIndex: 1 }, { row, envIndex: 0 })).toMatchObject({ allowed: false, code: 'backwards' });
    expect(checkPromotion({ row, envIndex: 1 }, { row, envIndex: 1 })).toMatchObject({ allowed: false, code: 'same-env' });
    expect(checkPromotion({ row, envIndex: 0 }, { row: other, envIndex: 1 })).toMatchObject({ allowed: false, code: 'different-pipeline' });
    expect(checkPromoteNext(row, 2)).toMatchObject({ allowed: false, code: 'not-next-env', reason: expect.stringContaining('last environment') });
  });

  it('refuses when the target already runs the version (ignoring a leading v)', () => {
    const row = testRow('a', [testEnv('dev', 0, [testTarget('v2.0.0')]), testEnv('prod', 1, [testTarget('2.0.0')])]);
    expect(checkPromoteNext(row, 0)).toMatchObject({ allowed: false, code: 'same-version', reason: 'prod already runs v2.0.0.' });
  });

  it('allows when only some targets of the next env run the version', () => {
    const row = testRow('a', [testEnv('dev', 0, [testTarget('2.0.0')]), testEnv('prod', 1, [testTarget('2.0.0'), testTarget('1.9.0')], {}, 'mixed')]);
    expect(checkPromoteNext(row, 0).allowed).toBe(true);
  });

  it('refuses an unhealthy, stale or version-less source', () => {
    const failing = testRow('a', [testEnv('dev', 0, [testTarget('2.0.0', { health: 'failed' })], {}, 'failing'), testEnv('prod', 1, [testTarget('1.0.0')])]);
    expect(checkPromoteNext(failing, 0)).toMatchObject({ allowed: false, code: 'source-not-healthy', reason: expect.stringContaining('failing') });
    const stale = testRow('a', [testEnv('dev', 0, [testTarget('2.0.0', { stale: true, cluster: 'eu' })]), testEnv('prod', 1, [testTarget('1.0.0')])]);
    expect(checkPromoteNext(stale, 0)).toMatchObject({ allowed: false, code: 'source-not-healthy', reason: expect.stringContaining('eu is stale') });
    const none = testRow('a', [testEnv('dev', 0, [testTarget(undefined, { health: 'unknown' })], {}, 'unknown'), testEnv('prod', 1, [testTarget('1.0.0')])]);
    expect(checkPromoteNext(none, 0)).toMatchObject({ allowed: false, code: 'no-version' });
  });

  it('refuses by the target env strategy: none, notification, unsupported provider, no repository', () => {
    const withStrategy = (strategy: object) =>
      testRow('a', [testEnv('dev', 0, [testTarget('2.0.0')]), testEnv('prod', 1, [testTarget('1.0.0')], { strategy: { kind: 'pull-request', manual: false, source: 'environment', ...strategy } })]);
    expect(checkPromoteNext(withStrategy({ kind: 'none' }), 0)).toMatchObject({ code: 'no-strategy' });
    expect(checkPromoteNext(withStrategy({ kind: 'notification' }), 0)).toMatchObject({ code: 'notification-only' });
    expect(checkPromoteNext(withStrategy({ provider: 'bitbucket-server', repoUrl: 'https://bb.example/x', baseBranch: 'main' }), 0)).toMatchObject({ code: 'provider-unsupported', reason: expect.stringContaining('Bitbucket Server') });
    expect(checkPromoteNext(withStrategy({ provider: 'gitlab', repoUrl: 'https://gitlab.example/x', baseBranch: 'main' }), 0)).toMatchObject({ allowed: true });
    expect(checkPromoteNext(withStrategy({ provider: 'github' }), 0)).toMatchObject({ code: 'no-repository' });
  });

  it('names branches the way the pipeline-controller does and compares versions without v', () => {
    expect(promotionBranch({ namespace: 'flux-system', name: 'podinfo' }, 'prod')).toBe('promotion-flux-system-podinfo-prod');
    expect(sameVersion('v1.2.3', '1.2.3')).toBe(true);
    expect(sameVersion('1.2.3', undefined)).toBe(false);
  });
});
