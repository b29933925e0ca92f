import { describe, expect, it } from 'vitest';
import { testEnv, testRow, testTarget } from '../../src-main/common/test-rows';
import { createAppStore } from './store';

function board() {
  return {
    pipelines: [
      testRow('a', [testEnv('dev', 0, [testTarget('1.0.0')]), testEnv('prod', 1, [testTarget('0.9.0')])], { id: 'team/a' }),
      testRow('c', [testEnv('dev', 0, [testTarget('2.0.0')])], { id: 'team/c' }),
    ],
    clusters: [{ name: 'mgmt', state: 'connected' as const }],
    generatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('board slice', () => {
  it('keeps rows by id; a change replaces only the rows it names and flashes only changed envs', () => {
    const store = createAppStore();
    store.getState().receiveSnapshot(board());
    const before = store.getState();
    expect(before.boardLoad.status).toBe('ready');
    expect(before.rowOrder).toEqual(['team/a', 'team/c']);
    const a = before.rowsById['team/a']!;
    const changed = { ...a, environments: [a.environments[0]!, testEnv('prod', 1, [testTarget('1.0.0')])] };
    store.getState().receiveChange({ upserted: [changed], removed: [] });
    const after = store.getState();
    expect(after.rowsById['team/c']).toBe(before.rowsById['team/c']);
    expect(after.rowsById['team/a']).toBe(changed);
    expect(after.flashes['team/a']?.envs).toEqual(['prod']);
    expect(after.flashes['team/c']).toBeUndefined();
  });

  it('removes rows, merges new ones in id order and takes new cluster states', () => {
    const store = createAppStore();
    store.getState().receiveSnapshot(board());
    store.getState().receiveChange({
      upserted: [testRow('b', [testEnv('dev', 0, [testTarget('1.0.0')])], { id: 'team/b' })],
      removed: ['team/c'],
      clusters: [{ name: 'mgmt', state: 'stale', staleSince: '2026-01-01T00:00:00Z' }],
    });
    const s = store.getState();
    expect(s.rowOrder).toEqual(['team/a', 'team/b']);
    expect(s.rowsById['team/c']).toBeUndefined();
    expect(s.clusters[0]?.state).toBe('stale');
  });

  it('keeps the kubeconfig status main computed, from the snapshot and from later changes', () => {
    const store = createAppStore();
    const error = { code: 'kubeconfig-malformed', message: 'Kubeconfig /k is not valid YAML (line 2)', hint: 'Fix the file, or point KUBECONFIG at a valid one.' };
    store.getState().receiveSnapshot({ ...board(), kubeconfig: { files: ['/k'], error, warnings: [] } });
    expect(store.getState().kubeconfig?.error).toEqual(error);
    store.getState().receiveChange({ upserted: [], removed: ['team/c'] });
    expect(store.getState().kubeconfig?.error).toEqual(error); // a change without one keeps it
    store.getState().receiveChange({ upserted: [], removed: [], kubeconfig: { files: ['/k'], warnings: [] } });
    expect(store.getState().kubeconfig).toEqual({ files: ['/k'], warnings: [] });
  });
});
