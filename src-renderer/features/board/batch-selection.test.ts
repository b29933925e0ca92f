import { describe, expect, it } from 'vitest';
import { testEnv, testRow, testTarget } from '../../../src-main/common/test-rows';
import { cellKey, healthyPresetCells, inboxCells, parseCellKey, promotableCells, selectionRequests, sourceEnvNames } from './batch-selection';
import { inboxItems } from './board-view';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();

/** staging runs `staging` (deployed `age` hours ago), prod runs `prod`. */
function pipeline(name: string, staging: string, prod: string, age = 48, extra: { stagingState?: 'healthy' | 'failing'; prodGate?: string } = {}) {
  return testRow(name, [
    testEnv('dev', 0, [testTarget(staging, { lastDeployedAt: hoursAgo(age + 1) })]),
    testEnv('staging', 1, [testTarget(staging, { lastDeployedAt: hoursAgo(age) })], {}, extra.stagingState ?? 'healthy'),
    testEnv('prod', 2, [testTarget(prod, { lastDeployedAt: hoursAgo(age + 100) })], extra.prodGate ? { pending: [{ kind: 'awaiting-approval', version: extra.prodGate }] } : {}),
  ]);
}

describe('batch selection', () => {
  it('round-trips cell keys, even for ids with a context suffix', () => {
    expect(parseCellKey(cellKey('team/api@ctx-a', 2))).toEqual({ rowId: 'team/api@ctx-a', envIndex: 2 });
    expect(parseCellKey('nonsense')).toBeUndefined();
  });

  it('turns selected cells into plan requests, approving what a gate waits for and skipping cells with nothing to promote', () => {
    const rows = [pipeline('a', '1.1.0', '1.0.0'), pipeline('b', '2.0.0', '2.0.0'), pipeline('c', '3.1.0', '3.0.0', 48, { prodGate: '3.0.5' })];
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    const picked = selectionRequests(byId, [cellKey('team/a', 1), cellKey('team/b', 1), cellKey('team/c', 2), cellKey('team/a', 1), cellKey('team/gone', 0)]);
    expect(picked.requests).toEqual([
      { pipelineId: 'team/a', targetEnv: 'prod' },
      { pipelineId: 'team/c', targetEnv: 'prod', revision: '3.0.5' },
    ]);
    expect(picked.skipped).toEqual([{ label: 'team/b staging', reason: 'prod already runs 2.0.0.' }]);
  });

  it('selects every promotable cell of the filter result', () => {
    const rows = [pipeline('a', '1.1.0', '1.0.0'), pipeline('b', '2.0.0', '2.0.0')];
    // dev → staging is the same version everywhere; only a's staging → prod moves anything
    expect(promotableCells(rows)).toEqual([cellKey('team/a', 1)]);
  });

  it('presets "staging healthy for ≥ N hours that prod lacks"', () => {
    const rows = [
      pipeline('old', '1.1.0', '1.0.0', 30),
      pipeline('fresh', '1.1.0', '1.0.0', 2),
      pipeline('same', '1.0.0', '1.0.0', 30),
      pipeline('sick', '1.1.0', '1.0.0', 30, { stagingState: 'failing' }),
    ];
    expect(healthyPresetCells(rows, 'staging', 24, NOW)).toEqual([cellKey('team/old', 1)]);
    expect(healthyPresetCells(rows, 'staging', 1, NOW)).toEqual([cellKey('team/old', 1), cellKey('team/fresh', 1)]);
    expect(healthyPresetCells(rows, 'prod', 1, NOW)).toEqual([]);
    expect(sourceEnvNames(rows)).toEqual(['dev', 'staging']);
  });

  it('takes the Inbox items that can be acted on now', () => {
    const rows = [pipeline('c', '3.1.0', '3.0.0', 48, { prodGate: '3.0.5' }), pipeline('b', '2.0.0', '2.0.0')];
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(inboxCells(inboxItems(rows), byId)).toEqual([cellKey('team/c', 1)]);
  });
});
