// Row builders for unit tests of the board rules (main and renderer); the e2e fixture lives under test/.
import type { EffectiveStrategy, EnvironmentCell, PipelineRow, RollupState, TargetState } from './board';

export function testTarget(version: string | undefined, extra: Partial<TargetState> = {}): TargetState {
  const t: TargetState = { cluster: 'mgmt', namespace: 'ns', kind: 'HelmRelease', name: 'app', health: 'ready', conditions: [], ...extra };
  if (version) t.deployedVersion = version;
  return t;
}

export const githubStrategy: EffectiveStrategy = { kind: 'pull-request', manual: false, provider: 'github', repoUrl: 'https://github.com/acme/fleet', baseBranch: 'main', source: 'pipeline' };

export function testEnv(name: string, index: number, targets: TargetState[], extra: Partial<EnvironmentCell> = {}, state: RollupState = 'healthy'): EnvironmentCell {
  const version = targets[0]?.deployedVersion;
  return { name, index, targets, rollup: { summary: version ?? 'version unknown', state, ...(version ? { version } : {}) }, strategy: githubStrategy, pending: [], ...extra };
}

export function testRow(name: string, envs: EnvironmentCell[], extra: Partial<PipelineRow> = {}): PipelineRow {
  return { id: `team/${name}`, cluster: 'mgmt', namespace: 'team', name, appRef: { kind: 'HelmRelease', name, apiVersion: 'helm.toolkit.fluxcd.io/v2' }, environments: envs, problems: [], ...extra };
}
