import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../../common/board';
import { listClusterStates } from './cluster-states';

const unmappedState = (name: string): ClusterState => ({ name, state: 'no-context', message: `No context for ${name}` });

describe('listClusterStates', () => {
  it('lists connected, missing management and unmapped clusters by name', () => {
    const states = listClusterStates({
      connected: [{ name: 'mgmt', context: 'mgmt', state: 'connected' }],
      missingManagement: ['other'],
      unmapped: ['prod'],
      unmappedState,
      notReady: [],
    });
    expect(states).toEqual([
      { name: 'mgmt', context: 'mgmt', state: 'connected' },
      { name: 'other', state: 'unreachable', message: 'Context "other" is not in the kubeconfig' },
      { name: 'prod', state: 'no-context', message: 'No context for prod' },
    ]);
  });

  it('notes a GitopsCluster that is not Ready on the cluster that reaches it, keeping an error message', () => {
    const connected: ClusterState[] = [
      { name: 'dev', context: 'dev', state: 'connected' },
      { name: 'stage', context: 'stage', state: 'unreachable', message: 'connection refused' },
    ];
    const states = listClusterStates({
      connected,
      missingManagement: [],
      unmapped: ['prod'],
      unmappedState,
      notReady: [
        { context: 'dev', name: 'dev', note: 'GitopsCluster flux/dev is not Ready' },
        { context: 'stage', name: 'stage', note: 'GitopsCluster flux/stage is not Ready' },
        { name: 'prod', note: 'GitopsCluster flux/prod is not Ready' },
        { context: 'gone', name: 'gone', note: 'not shown' },
      ],
    });
    expect(states.map((s) => s.message)).toEqual([
      'GitopsCluster flux/dev is not Ready',
      'No context for prod; GitopsCluster flux/prod is not Ready',
      'connection refused; GitopsCluster flux/stage is not Ready',
    ]);
    expect(connected[0]?.message).toBeUndefined(); // the inputs are not changed
  });
});
