import { describe, expect, it } from 'vitest';
import { applyBoardChange, boardRows, boardStateOf, type KubeconfigStatus, type PipelineRow } from './board';

const row = (id: string, name = id): PipelineRow => ({
  id,
  cluster: 'mgmt',
  namespace: 'ns',
  name,
  appRef: { kind: 'HelmRelease', name, apiVersion: 'helm.toolkit.fluxcd.io/v2' },
  environments: [],
  problems: [],
});

describe('applyBoardChange', () => {
  it('replaces in place, removes, inserts new rows in id order and keeps the input untouched', () => {
    const board = boardStateOf({ pipelines: [row('a'), row('c'), row('e')], clusters: [], generatedAt: 't0' });
    const next = applyBoardChange(board, { upserted: [row('c', 'changed'), row('d'), row('b')], removed: ['e'] }, 't1');
    expect(boardRows(next).map((r) => `${r.id}:${r.name}`)).toEqual(['a:a', 'b:b', 'c:changed', 'd:d']);
    expect(next.generatedAt).toBe('t1');
    expect(board.rowOrder).toEqual(['a', 'c', 'e']);
    expect(board.rowsById.e).toBeDefined();
    const withClusters = applyBoardChange(next, { upserted: [], removed: [], clusters: [{ name: 'mgmt', context: 'mgmt', state: 'stale', staleSince: 't1' }] }, 't2');
    expect(withClusters.clusters[0]?.state).toBe('stale');
    expect(withClusters.rowOrder).toBe(next.rowOrder);
  });

  it('keeps the identity of every row a change does not name', () => {
    const a = row('a');
    const board = boardStateOf({ pipelines: [a, row('b')], clusters: [], generatedAt: 't0' });
    const next = applyBoardChange(board, { upserted: [row('b', 'changed')], removed: [] }, 't1');
    expect(next.rowsById.a).toBe(a);
    expect(next.rowOrder).toBe(board.rowOrder); // nothing added or removed: the same order
  });

  it('moves a row whose id changed and keeps the last kubeconfig status until a new one comes', () => {
    const failing: KubeconfigStatus = { files: [], error: { code: 'kubeconfig-invalid', message: 'not YAML', hint: 'Fix it.' }, warnings: [] };
    const board = boardStateOf({ pipelines: [row('a'), row('m')], clusters: [], generatedAt: 't0', kubeconfig: failing });
    const next = applyBoardChange(board, { upserted: [row('z', 'm')], removed: ['m'] }, 't1');
    expect(next.rowOrder).toEqual(['a', 'z']);
    expect(next.kubeconfig).toBe(failing);
    const fixed = applyBoardChange(next, { upserted: [], removed: [], kubeconfig: { files: ['/k'], warnings: [] } }, 't2');
    expect(fixed.kubeconfig?.error).toBeUndefined();
  });
});
