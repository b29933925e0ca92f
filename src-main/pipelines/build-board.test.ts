import { describe, expect, it } from 'vitest';
import type { ClusterState } from '../common/board';
import { buildBoard, buildPipelineRow, collectWatchNeeds, createRowContext, depKey, gitopsClusterNotReady, type BoardInput, type WorkloadCollection } from './build-board';
import { condition, gitopsCluster, helmRelease, pipeline } from './test-objects';

const MGMT = 'mgmt';

function collection(objects: Array<{ metadata: { namespace: string; name: string } }>, extra: Partial<WorkloadCollection> = {}): WorkloadCollection {
  return { items: new Map(objects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o])), synced: true, ...extra };
}

function served(helm: string[] = ['v2']) {
  return new Map([
    ['helm.toolkit.fluxcd.io', helm],
    ['kustomize.toolkit.fluxcd.io', ['v1']],
    ['pipelines.weave.works', ['v1alpha1']],
  ]);
}

function baseInput(overrides: Partial<BoardInput> = {}): BoardInput {
  const checkout = pipeline('team', 'checkout', [
    { name: 'dev', targets: [{ namespace: 'dev' }] },
    {
      name: 'staging',
      targets: [
        { namespace: 'pay', clusterRef: { kind: 'GitopsCluster', name: 'staging-eu', namespace: 'flux-system' } },
        { namespace: 'pay', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } },
      ],
    },
  ]);
  const clusters: ClusterState[] = [
    { name: MGMT, context: MGMT, state: 'connected' },
    { name: 'staging-eu', context: 'staging-eu', state: 'connected' },
    { name: 'staging-us', context: 'staging-us', state: 'connected' },
  ];
  return {
    pipelines: new Map([[MGMT, new Map([['team/checkout', checkout]])]]),
    gitopsClusters: new Map([
      [
        MGMT,
        new Map([
          ['flux-system/staging-eu', gitopsCluster('flux-system', 'staging-eu')],
          ['team/staging-us', gitopsCluster('team', 'staging-us')],
        ]),
      ],
    ]),
    workloads: new Map([
      [MGMT, new Map([['HelmRelease', collection([helmRelease('dev', 'checkout', '1.8.3')])]])],
      ['staging-eu', new Map([['HelmRelease', collection([helmRelease('pay', 'checkout', '1.8.2')])]])],
      ['staging-us', new Map([['HelmRelease', collection([helmRelease('pay', 'checkout', '1.8.2')])]])],
    ]),
    clusters,
    servedVersions: new Map([
      [MGMT, served()],
      ['staging-eu', served()],
      ['staging-us', served()],
    ]),
    contextForCluster: (ref) => (['staging-eu', 'staging-us'].includes(ref.name) ? ref.name : undefined),
    openPullRequests: [],
    now: () => '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('buildBoard', () => {
  it('builds rows with targets across clusters, rollups and expected promotions', () => {
    const board = buildBoard(baseInput());
    expect(board.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(board.pipelines).toHaveLength(1);
    const row = board.pipelines[0]!;
    expect(row.id).toBe('team/checkout');
    expect(row.problems).toEqual([]);
    expect(row.appRef).toEqual({ kind: 'HelmRelease', name: 'checkout', apiVersion: 'helm.toolkit.fluxcd.io/v2', servedVersion: 'helm.toolkit.fluxcd.io/v2' });
    const [dev, staging] = row.environments;
    expect(dev?.targets[0]).toMatchObject({ cluster: MGMT, context: MGMT, deployedVersion: '1.8.3', health: 'ready' });
    expect(staging?.targets.map((t) => t.cluster)).toEqual(['staging-eu', 'staging-us']);
    expect(staging?.rollup).toEqual({ summary: 'all 2 targets on 1.8.2', state: 'healthy', version: '1.8.2' });
    expect(staging?.pending).toEqual([{ kind: 'promotion-expected', version: '1.8.3' }]);
    expect(JSON.parse(JSON.stringify(board))).toEqual(board);
  });

  it('adds the management context to ids when several management clusters are shown', () => {
    const input = baseInput();
    const other = pipeline('team', 'checkout', [{ name: 'dev', targets: [{ namespace: 'dev' }] }]);
    const board = buildBoard({ ...input, pipelines: new Map([...input.pipelines, ['mgmt-2', new Map([['team/checkout', other]])]]) });
    expect(board.pipelines.map((p) => p.id)).toEqual(['team/checkout@mgmt', 'team/checkout@mgmt-2']);
  });

  it('turns a malformed Pipeline into a row with a problem', () => {
    const input = baseInput();
    const bad = { metadata: { name: 'broken', namespace: 'team' }, spec: { appRef: 'nope', environments: 'x' } };
    const board = buildBoard({ ...input, pipelines: new Map([[MGMT, new Map([['team/broken', bad]])]]) });
    const row = board.pipelines[0]!;
    expect(row.id).toBe('team/broken');
    expect(row.environments).toEqual([]);
    expect(row.problems.map((p) => p.code)).toEqual(['malformed-pipeline', 'malformed-pipeline']);
    expect(row.problems[0]?.message).toContain('spec.appRef');
  });

  it('reads the served version when the appRef asks for one that is no longer served', () => {
    const input = baseInput();
    const p = pipeline('team', 'old', [{ name: 'dev', targets: [{ namespace: 'dev' }] }], {
      appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', name: 'checkout' },
    });
    const board = buildBoard({ ...input, pipelines: new Map([[MGMT, new Map([['team/old', p]])]]) });
    const row = board.pipelines[0]!;
    expect(row.appRef.servedVersion).toBe('helm.toolkit.fluxcd.io/v2');
    expect(row.environments[0]?.targets[0]?.deployedVersion).toBe('1.8.3');
    expect(row.problems.map((p) => p.code)).toEqual(['app-version-not-served']);
    expect(row.problems[0]?.message).toContain(`which ${MGMT} no longer serves;`);
    expect(row.problems[0]?.hint).toContain('helm.toolkit.fluxcd.io/v2');
  });

  it('keeps a "no context" target Unknown even when the controller reports an error for it', () => {
    const p = pipeline('team', 'checkout', [{ name: 'prod', targets: [{ namespace: 'pay', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } }] }], {
      status: {
        environments: {
          prod: {
            targets: [
              {
                clusterAppRef: { apiVersion: 'v', kind: 'HelmRelease', name: 'checkout', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } },
                ready: false,
                error: 'kubeconfig Secret not found',
              },
            ],
          },
        },
      },
    });
    const input = baseInput({ pipelines: new Map([[MGMT, new Map([['team/checkout', p]])]]), contextForCluster: () => undefined });
    const target = buildBoard(input).pipelines[0]!.environments[0]!.targets[0]!;
    expect(target.problem?.code).toBe('cluster-unmapped');
    expect(target.health).toBe('unknown');
  });

  it('explains missing GitopsClusters, unmapped contexts, missing workloads and forbidden namespaces', () => {
    const input = baseInput({
      gitopsClusters: new Map([[MGMT, new Map()]]),
      contextForCluster: (ref) => (ref.name === 'staging-eu' ? 'staging-eu' : undefined),
      workloads: new Map([
        [MGMT, new Map([['HelmRelease', collection([], { forbiddenNamespaces: new Set(['dev']) })]])],
        ['staging-eu', new Map([['HelmRelease', collection([])]])],
      ]),
    });
    const row = buildBoard(input).pipelines[0]!;
    const [dev, staging] = row.environments;
    expect(dev?.targets[0]?.problem?.code).toBe('namespace-forbidden');
    expect(dev?.targets[0]?.health).toBe('unknown');
    expect(staging?.targets[0]?.problem?.code).toBe('gitops-cluster-missing');
    expect(staging?.targets[0]?.health).toBe('missing');
    expect(staging?.targets[1]?.problem?.code).toBe('gitops-cluster-missing');
    expect(staging?.targets[1]?.context).toBeUndefined();

    const mapped = buildBoard({ ...input, gitopsClusters: baseInput().gitopsClusters }).pipelines[0]!;
    expect(mapped.environments[1]?.targets[1]?.problem?.code).toBe('cluster-unmapped');
    expect(mapped.environments[1]?.targets[0]?.problem?.code).toBe('workload-missing');
  });

  it('keeps the last known state of a stale cluster and explains an unreachable one', () => {
    const input = baseInput();
    const clusters: ClusterState[] = [
      { name: MGMT, context: MGMT, state: 'connected' },
      { name: 'staging-eu', context: 'staging-eu', state: 'stale', staleSince: '2026-01-01T00:00:00Z' },
      { name: 'staging-us', context: 'staging-us', state: 'unreachable', message: 'connect ECONNREFUSED' },
    ];
    const workloads = new Map(input.workloads);
    workloads.set('staging-us', new Map([['HelmRelease', { items: new Map(), synced: false }]]));
    const row = buildBoard({ ...input, clusters, workloads }).pipelines[0]!;
    const [eu, us] = row.environments[1]!.targets;
    expect(eu).toMatchObject({ stale: true, deployedVersion: '1.8.2', health: 'ready' });
    expect(eu?.problem).toBeUndefined();
    expect(us).toMatchObject({ health: 'unknown' });
    expect(us?.problem?.code).toBe('cluster-unreachable');
    expect(us?.problem?.message).toContain('ECONNREFUSED');
  });

  it('falls back to status.environments targets when a cluster cannot be read', () => {
    const input = baseInput({ contextForCluster: () => undefined });
    const p = pipeline('team', 'checkout', [{ name: 'prod', targets: [{ namespace: 'pay', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } }] }], {
      status: {
        environments: {
          prod: { targets: [{ clusterAppRef: { apiVersion: 'x', kind: 'HelmRelease', name: 'checkout', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } }, ready: true, revision: '2.0.0' }] },
        },
      },
    });
    const row = buildBoard({ ...input, pipelines: new Map([[MGMT, new Map([['team/checkout', p]])]]) }).pipelines[0]!;
    expect(row.environments[0]?.targets[0]).toMatchObject({ deployedVersion: '2.0.0', health: 'ready' });
    expect(row.environments[0]?.targets[0]?.problem?.code).toBe('cluster-unmapped');
  });

  it('reports open promotion PRs and approval gates per environment', () => {
    const p = pipeline(
      'team',
      'checkout',
      [
        { name: 'dev', targets: [{ namespace: 'dev' }] },
        { name: 'staging', targets: [{ namespace: 'pay', clusterRef: { kind: 'GitopsCluster', name: 'staging-us' } }] },
      ],
      {
        status: { environments: { staging: { waitingApproval: { revision: '1.8.3' } } } },
      },
    );
    const input = baseInput({
      openPullRequests: [{ number: 3, url: 'https://f/pull/3', createdAt: '2026-01-01T00:00:00Z', headBranch: 'promotion-team-checkout-staging', title: 'Promote team/checkout in staging to 1.8.3' }],
    });
    const row = buildBoard({ ...input, pipelines: new Map([[MGMT, new Map([['team/checkout', p]])]]) }).pipelines[0]!;
    expect(row.environments[1]?.pending.map((x) => x.kind)).toEqual(['awaiting-approval', 'pr-open']);
  });

  it('records dependencies and watch needs for incremental rebuilds', () => {
    const input = baseInput();
    const built = buildPipelineRow(input.pipelines.get(MGMT)!.get('team/checkout'), MGMT, 'team/checkout', createRowContext(input));
    expect(built.deps.has(depKey.workload('staging-eu', 'HelmRelease', 'pay', 'checkout'))).toBe(true);
    expect(built.deps.has(depKey.gitopsCluster(MGMT, 'flux-system', 'staging-eu'))).toBe(true);
    expect(built.deps.has(depKey.gitopsCluster(MGMT, 'team', 'staging-us'))).toBe(true);
    expect(built.deps.has(depKey.cluster('staging-us'))).toBe(true);
    expect(built.needs).toEqual([
      { context: MGMT, kind: 'HelmRelease', namespace: 'dev' },
      { context: 'staging-eu', kind: 'HelmRelease', namespace: 'pay' },
      { context: 'staging-us', kind: 'HelmRelease', namespace: 'pay' },
    ]);
  });

  it('collects the same watch needs as a row build, without building the row', () => {
    const input = baseInput();
    const raw = input.pipelines.get(MGMT)!.get('team/checkout');
    const built = buildPipelineRow(raw, MGMT, 'team/checkout', createRowContext(input));
    expect(collectWatchNeeds(raw, MGMT, 'team/checkout', input)).toEqual(built.needs);
    // Unmapped clusters and unreadable kinds need nothing, as in the row build.
    const unmapped = { ...input, contextForCluster: () => undefined };
    expect(collectWatchNeeds(raw, MGMT, 'team/checkout', unmapped)).toEqual([{ context: MGMT, kind: 'HelmRelease', namespace: 'dev' }]);
    const odd = pipeline('team', 'odd', [{ name: 'dev', targets: [{ namespace: 'dev' }] }], { appRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'x' } });
    expect(collectWatchNeeds(odd, MGMT, 'team/odd', input)).toEqual([]);
  });

  it('explains a target whose GitopsCluster is not Ready', () => {
    const notReady = { ...gitopsCluster('flux-system', 'staging-eu'), status: { conditions: [condition('Ready', 'False', 'WaitingForSecret', 'Secret flux-system/staging-eu-kubeconfig not found')] } };
    expect(gitopsClusterNotReady(notReady)).toBe('Secret flux-system/staging-eu-kubeconfig not found');
    expect(gitopsClusterNotReady(gitopsCluster('flux-system', 'x'))).toBeUndefined();
    expect(gitopsClusterNotReady({ metadata: { name: 'x' } })).toBeUndefined();
    const base = baseInput();
    const gcs = new Map(base.gitopsClusters.get(MGMT)!);
    gcs.set('flux-system/staging-eu', notReady);
    const row = buildBoard({ ...base, gitopsClusters: new Map([[MGMT, gcs]]) }).pipelines[0]!;
    const t = row.environments[1]!.targets[0]!;
    expect(t.problem).toMatchObject({ code: 'gitops-cluster-not-ready', message: expect.stringContaining('not found') });
    // The board still reads the target through the user's own context.
    expect(t.deployedVersion).toBe('1.8.2');
    // Without a context, what the user can fix here (map a context) comes first.
    const unmapped = buildBoard({ ...base, gitopsClusters: new Map([[MGMT, gcs]]), contextForCluster: () => undefined }).pipelines[0]!;
    expect(unmapped.environments[1]!.targets[0]!.problem?.code).toBe('cluster-unmapped');
  });

  it('asks for each target cluster once per build, however many rows name it', () => {
    const base = baseInput();
    const checkout = base.pipelines.get(MGMT)!.get('team/checkout');
    const many = new Map<string, unknown>();
    for (let i = 0; i < 5; i += 1) many.set(`team/checkout-${i}`, { ...(checkout as object), metadata: { namespace: 'team', name: `checkout-${i}` } });
    const asked: string[] = [];
    const board = buildBoard({
      ...base,
      pipelines: new Map([[MGMT, many]]),
      contextForCluster: (ref) => {
        asked.push(`${ref.namespace}/${ref.name}`);
        return base.contextForCluster(ref);
      },
    });
    expect(asked.sort()).toEqual(['flux-system/staging-eu', 'team/staging-us']);
    // every row still reads both clusters through their contexts
    for (const row of board.pipelines) expect(row.environments[1]!.targets.map((t) => t.context)).toEqual(['staging-eu', 'staging-us']);
  });
});
