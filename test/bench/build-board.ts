// buildBoard in isolation: N pipelines × 4 environments × 5 targets, all in memory (no
// servers). Figures in CPU milliseconds of this process, so other work on a loaded machine does
// not count: `warmCpuMs` is a full rebuild over unchanged informer objects (what the board
// service does when only the PR list changes, best of 3), `coldCpuMs` a first build over objects
// never seen before (parsing included). Reported, never asserted: unit tests check behaviour.
import { buildBoard, type BoardInput } from '../../src-main/pipelines/build-board';
import { gitopsCluster, helmRelease, pipeline } from '../../src-main/pipelines/test-objects';

const CONTEXTS = ['c0', 'c1', 'c2', 'c3', 'c4'];
const ENVS = ['dev', 'qa', 'staging', 'prod'];
const MGMT = 'mgmt';

export interface BuildBoardBenchResult {
  pipelines: number;
  environments: number;
  targetsPerEnvironment: number;
  warmCpuMs: number;
  coldCpuMs: number;
}

function served(): Map<string, string[]> {
  return new Map([
    ['helm.toolkit.fluxcd.io', ['v2']],
    ['kustomize.toolkit.fluxcd.io', ['v1']],
    ['pipelines.weave.works', ['v1alpha1']],
  ]);
}

function fleetInput(count: number): BoardInput {
  const pipelines = new Map<string, unknown>();
  const items = new Map<string, Map<string, unknown>>(CONTEXTS.map((c) => [c, new Map()]));
  for (let i = 0; i < count; i += 1) {
    const name = `app-${i}`;
    const envs = ENVS.map((env, e) => ({
      name: env,
      targets: CONTEXTS.map((c) => ({ namespace: `${env}-ns`, clusterRef: { kind: 'GitopsCluster' as const, name: c } })),
      ...(e === ENVS.length - 1 ? { promotion: { manual: true, strategy: { notification: {} } } } : {}),
    }));
    pipelines.set(`team/${name}`, pipeline('team', name, envs));
    for (const c of CONTEXTS) for (const env of ENVS) items.get(c)?.set(`${env}-ns/${name}`, helmRelease(`${env}-ns`, name, env === 'prod' ? '1.0.0' : '1.1.0'));
  }
  return {
    pipelines: new Map([[MGMT, pipelines]]),
    gitopsClusters: new Map([[MGMT, new Map(CONTEXTS.map((c) => [`team/${c}`, gitopsCluster('team', c)]))]]),
    workloads: new Map(CONTEXTS.map((c) => [c, new Map([['HelmRelease', { items: items.get(c) ?? new Map(), synced: true }]])])),
    clusters: CONTEXTS.map((c) => ({ name: c, context: c, state: 'connected' as const })),
    servedVersions: new Map(CONTEXTS.map((c) => [c, served()])),
    contextForCluster: (ref) => ref.name,
    openPullRequests: [],
  };
}

function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

export function runBuildBoardBench(options: { pipelines: number }): BuildBoardBenchResult {
  buildBoard(fleetInput(options.pipelines)); // JIT warm-up on other objects
  const input = fleetInput(options.pipelines);
  let board = buildBoard(input);
  const unseen = fleetInput(options.pipelines);
  const coldCpuMs = cpuMs(() => (board = buildBoard(unseen)));
  let warmCpuMs = Infinity;
  for (let i = 0; i < 3; i += 1)
    warmCpuMs = Math.min(
      warmCpuMs,
      cpuMs(() => (board = buildBoard(input))),
    );
  // a figure for the wrong board would be worthless: check the shape before reporting
  const pending = board.pipelines[0]?.environments[ENVS.length - 1]?.pending;
  if (board.pipelines.length !== options.pipelines || pending?.[0]?.kind !== 'promotion-expected') throw new Error('build-board bench: the board built is not the fleet asked for');
  return { pipelines: options.pipelines, environments: ENVS.length, targetsPerEnvironment: CONTEXTS.length, warmCpuMs: Math.round(warmCpuMs * 10) / 10, coldCpuMs: Math.round(coldCpuMs * 10) / 10 };
}
