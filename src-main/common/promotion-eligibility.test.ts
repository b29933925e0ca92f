import { describe, expect, it } from 'vitest';
import { checkPromoteNext, checkPromotion, derivePromotion, isPromotableVersion, promotionBranch, sameVersion } from './promotion-eligibility';
import { testEnv, testRow, testTarget } from './test-rows';

function pipeline() {
  return testRow('checkout', [testEnv('dev', 0, [testTarget('1.8.3')]), testEnv('staging', 1, [testTarget('1.8.2'), testTarget('1.8.2')]), testEnv('prod', 2, [testTarget('1.8.1')])]);
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
    expect(checkPromoteNext(withStrategy({ provider: 'bitbucket-server', repoUrl: 'https://bb.example/x', baseBranch: 'main' }), 0)).toMatchObject({
      code: 'provider-unsupported',
      reason: expect.stringContaining('Bitbucket Server'),
    });
    expect(checkPromoteNext(withStrategy({ provider: 'gitlab', repoUrl: 'https://gitlab.example/x', baseBranch: 'main' }), 0)).toMatchObject({ allowed: true });
    expect(checkPromoteNext(withStrategy({ provider: 'github' }), 0)).toMatchObject({ code: 'no-repository' });
  });

  it('names branches the way the pipeline-controller does and compares versions without v', () => {
    expect(promotionBranch({ namespace: 'flux-system', name: 'podinfo' }, 'prod')).toBe('promotion-flux-system-podinfo-prod');
    expect(sameVersion('v1.2.3', '1.2.3')).toBe(true);
    expect(sameVersion('1.2.3', undefined)).toBe(false);
  });
});

describe('derivePromotion (what main re-checks before planning)', () => {
  it('derives source, version, strategy and branch from the row alone', () => {
    const result = derivePromotion(pipeline(), 'staging');
    expect(result).toMatchObject({ allowed: true, promotion: { version: '1.8.3', branch: 'promotion-team-checkout-staging', approval: false } });
    if (result.allowed) expect(result.promotion.from?.name).toBe('dev');
  });

  it('refuses an unknown environment, the first environment and an ineligible source', () => {
    expect(derivePromotion(pipeline(), 'qa')).toMatchObject({ allowed: false, code: 'not-next-env' });
    expect(derivePromotion(pipeline(), 'dev')).toMatchObject({ allowed: false, code: 'backwards' });
    const mixed = testRow('checkout', [testEnv('qa', 0, [testTarget('4.2.1'), testTarget('4.2.0')], {}, 'mixed'), testEnv('prod', 1, [testTarget('4.1.0')])]);
    expect(derivePromotion(mixed, 'prod')).toMatchObject({ allowed: false, code: 'source-not-healthy' });
  });

  it('approves exactly the revision an approval gate waits for, whatever the upstream mix', () => {
    const gated = testRow('checkout', [
      testEnv('qa', 0, [testTarget('4.2.1'), testTarget('4.2.0')], {}, 'mixed'),
      testEnv('prod', 1, [testTarget('4.1.0')], { pending: [{ kind: 'awaiting-approval', version: '4.2.1' }] }),
    ]);
    expect(derivePromotion(gated, 'prod', '4.2.1')).toMatchObject({ allowed: true, promotion: { version: '4.2.1', approval: true } });
    expect(derivePromotion(gated, 'prod', '6.6.6-never-built')).toMatchObject({ allowed: false, code: 'approval-mismatch' });
    expect(derivePromotion(pipeline(), 'prod', '1.8.2')).toMatchObject({ allowed: false, code: 'no-approval-pending' });
  });

  it('refuses versions that could change what a reviewer reads', () => {
    for (const hostile of ['[click](https://evil.example/x)', '@acme/admins', '1.0<img/src=x>', '1.0\u202e', '1.0 beta', '', '-rf', 'a'.repeat(129)]) {
      expect(isPromotableVersion(hostile), hostile).toBe(false);
    }
    for (const fine of ['1.8.3', 'v2.3.0', '1.0.0-rc.10+build.5', 'v2.3.0@sha1:3f1c0b9e2d4a5b6c7d8e9f00112233445566778', 'latest@sha256:' + 'a'.repeat(64)]) {
      expect(isPromotableVersion(fine), fine).toBe(true);
    }
    const hostileRow = testRow('checkout', [testEnv('dev', 0, [testTarget('1.0<img/src=x>')]), testEnv('prod', 1, [testTarget('0.9')])]);
    expect(derivePromotion(hostileRow, 'prod')).toMatchObject({ allowed: false, code: 'unsafe-version' });
  });

  it('promotes a branch revision by its full digest-pinned revision', () => {
    const revision = 'main@sha1:3f1c0b9e2d4a5b6c7d8e9f00112233445566778a';
    const row = testRow('site', [testEnv('dev', 0, [testTarget('main@3f1c0b9', { deployedRevision: revision })]), testEnv('prod', 1, [testTarget('main@0000000')])]);
    expect(derivePromotion(row, 'prod')).toMatchObject({ allowed: true, promotion: { version: revision } });
  });
});
