import { describe, expect, it } from 'vitest';
import { applyBoardChange, type BoardSnapshot, type PipelineRow } from '../common/board';

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
    const snapshot: BoardSnapshot = { pipelines: [row('a'), row('c'), row('e')], clusters: [], generatedAt: 't0' };
    const next = applyBoardChange(snapshot, { upserted: [row('c', 'changed'), row('d'), row('b')], removed: ['e'] }, 't1');
    expect(next.pipelines.map((r) => `${r.id}:${r.name}`)).toEqual(['a:a', 'b:b', 'c:changed', 'd:d']);
    expect(next.generatedAt).toBe('t1');
    expect(snapshot.pipelines.map((r) => r.id)).toEqual(['a', 'c', 'e']);
    const withClusters = applyBoardChange(next, { upserted: [], removed: [], clusters: [{ name: 'mgmt', context: 'mgmt', state: 'stale', staleSince: 't1' }] }, 't2');
    expect(withClusters.clusters[0]?.state).toBe('stale');
    expect(withClusters.pipelines).toEqual(next.pipelines);
  });
});
