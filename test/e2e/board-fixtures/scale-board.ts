// A board of N pipelines × 4 environments for scale tests and the renderer benchmark.
// Deterministic (seeded by index) so runs compare.
import type { BoardSnapshot, ClusterState, PipelineRow } from '../../../src-main/common/board';
import { env, prStrategy, row, target } from './demo-board';

const envNames = ['dev', 'qa', 'staging', 'prod'];

export function createScaleRow(i: number, now: Date, bump = 0): PipelineRow {
  const at = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
  const team = `team-${String(Math.floor(i / 25)).padStart(3, '0')}`;
  const name = `service-${String(i).padStart(4, '0')}`;
  const major = 1 + (i % 5);
  const envs = envNames.map((envName, index) => {
    const minor = Math.max(0, 9 - index - ((i + index) % 3)) + bump;
    const targets = Array.from({ length: index === 3 ? 2 : 1 }, (_, k) =>
      target(
        {
          cluster: index === 0 ? 'mgmt' : `cluster-${index}`,
          context: index === 0 ? 'mgmt' : `cluster-${index}`,
          namespace: k === 0 ? team : `${team}-b`,
          deployedVersion: `${major}.${minor}.${i % 7}`,
          ...(i % 97 === index ? { health: 'failed' as const, message: 'Helm upgrade failed: timed out waiting for the condition' } : {}),
        },
        { kind: 'HelmRelease', name, at: at(index * 5 + (i % 11)) },
      ),
    );
    return env(envName, index, targets, {
      strategy: prStrategy({ manual: index === 3 }),
      pending: index === 3 && i % 13 === 0 ? [{ kind: 'awaiting-approval', version: `${major}.${minor + 1}.${i % 7}` }] : [],
    });
  });
  return row('mgmt', team, name, envs);
}

export function createScaleBoard(pipelines: number, now: Date = new Date()): BoardSnapshot {
  const clusters: ClusterState[] = [{ name: 'mgmt', context: 'mgmt', state: 'connected' }, ...[1, 2, 3].map((n) => ({ name: `cluster-${n}`, context: `cluster-${n}`, state: 'connected' as const }))];
  const rows = Array.from({ length: pipelines }, (_, i) => createScaleRow(i, now)).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { pipelines: rows, clusters, generatedAt: now.toISOString() };
}
