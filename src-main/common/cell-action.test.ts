import { describe, expect, it } from 'vitest';
import { cellAction, dropVerdict } from './cell-action';
import { testEnv, testRow, testTarget } from './test-rows';

/** qa runs 4.2.1 on one target and 4.2.0 on the other; prod waits for approval of 4.2.1. */
function gatedBehindMixed() {
  return testRow('checkout', [
    testEnv('dev', 0, [testTarget('4.2.1')]),
    testEnv('qa', 1, [testTarget('4.2.1'), testTarget('4.2.0')], {}, 'mixed'),
    testEnv('prod', 2, [testTarget('4.1.0')], { pending: [{ kind: 'awaiting-approval', version: '4.2.1' }] }),
  ]);
}

describe('cell action', () => {
  it('offers "Approve <revision>" for an approval gate even when the upstream env is mixed', () => {
    const action = cellAction(gatedBehindMixed(), 1);
    expect(action).toMatchObject({ kind: 'approve', version: '4.2.1', toIndex: 2, label: 'Approve 4.2.1' });
    if (action.kind === 'approve') expect(action.promotion).toMatchObject({ approval: true, version: '4.2.1', branch: 'promotion-team-checkout-prod' });
  });

  it('lets a drag onto the gated env approve, but not skip over it', () => {
    const row = gatedBehindMixed();
    expect(dropVerdict({ row, envIndex: 1 }, { row, envIndex: 2 })).toEqual({ allowed: true, version: '4.2.1', approval: true });
    expect(dropVerdict({ row, envIndex: 0 }, { row, envIndex: 2 })).toMatchObject({ allowed: false, reason: expect.stringContaining('one step at a time') });
  });

  it('says "already on X" instead of promoting when every next target runs the version', () => {
    const row = testRow('a', [testEnv('dev', 0, [testTarget('1.8.2')]), testEnv('prod', 1, [testTarget('v1.8.2'), testTarget('1.8.2')])]);
    expect(cellAction(row, 0)).toMatchObject({ kind: 'already', label: 'already on 1.8.2', reason: 'prod already runs 1.8.2.' });
    expect(dropVerdict({ row, envIndex: 0 }, { row, envIndex: 1 })).toMatchObject({ allowed: false, reason: 'prod already runs 1.8.2.' });
  });

  it('says "already on X" when Git already asks for the version (the marker value is known equal)', () => {
    const row = testRow('a', [testEnv('dev', 0, [testTarget('1.9.0')]), testEnv('prod', 1, [testTarget('1.8.2', { requestedVersion: '1.9.0' })])]);
    expect(cellAction(row, 0)).toMatchObject({ kind: 'already', reason: expect.stringContaining('already asks for 1.9.0') });
  });

  it('promotes when some next target would change, and refuses with the rule’s reason otherwise', () => {
    const row = testRow('a', [testEnv('dev', 0, [testTarget('2.0.0')]), testEnv('prod', 1, [testTarget('2.0.0'), testTarget('1.9.0')])]);
    expect(cellAction(row, 0)).toMatchObject({ kind: 'promote', version: '2.0.0', label: 'Promote →' });
    const mixed = gatedBehindMixed();
    mixed.environments[2]!.pending = [];
    expect(cellAction(mixed, 1)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('running mixed versions') });
    expect(cellAction(mixed, 2)).toMatchObject({ kind: 'refused', code: 'not-next-env' });
  });

  it('refuses an approval it cannot write safely', () => {
    const row = gatedBehindMixed();
    row.environments[2]!.pending = [{ kind: 'awaiting-approval', version: '4.2.1 <b>' }];
    expect(cellAction(row, 1)).toMatchObject({ kind: 'refused', code: 'unsafe-version' });
  });
});
