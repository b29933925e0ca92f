// A realistic board for developing and testing the renderer: every case the board must
// draw (healthy multi-target env, mixed versions, failing, suspended, stale / unreachable /
// forbidden / no-crd / no-context clusters, missing target, malformed pipeline, awaiting
// approval, PR open, promotion expected, notification and "none" strategies, a GitLab
// strategy, a Kustomization on branch@sha). Rollups come from the real pure rule so the
// summaries read exactly like the data plane's. Times are relative to `now`.
import type { BoardSnapshot, ClusterState, EffectiveStrategy, EnvironmentCell, PendingPromotion, PipelineRow, Problem, TargetState } from '../../../src-main/common/board';
import { rollupEnvironment } from '../../../src-main/pipelines/promotion-rules';

const HOUR = 3_600_000;
const MINUTE = 60_000;

export const fleetRepo = 'https://github.com/acme/fleet-config';

export function prStrategy(overrides: Partial<EffectiveStrategy> = {}): EffectiveStrategy {
  return { kind: 'pull-request', manual: false, provider: 'github', repoUrl: fleetRepo, baseBranch: 'main', secretRef: 'fleet-promotion', source: 'pipeline', ...overrides };
}

export interface TargetInput extends Partial<TargetState> {
  cluster: string;
  namespace: string;
}

export function target(input: TargetInput, defaults: { kind: string; name: string; at: string }): TargetState {
  const health = input.health ?? 'ready';
  const ready = health === 'ready';
  return {
    kind: defaults.kind,
    name: defaults.name,
    servedApiVersion: defaults.kind === 'Kustomization' ? 'kustomize.toolkit.fluxcd.io/v1' : 'helm.toolkit.fluxcd.io/v2',
    lastDeployedAt: defaults.at,
    conditions: [
      {
        type: 'Ready',
        status: ready ? 'True' : health === 'reconciling' || health === 'unknown' ? 'Unknown' : 'False',
        reason: ready ? (defaults.kind === 'Kustomization' ? 'ReconciliationSucceeded' : 'UpgradeSucceeded') : (input.conditions?.[0]?.reason ?? 'Progressing'),
        message: ready ? `Release reconciliation succeeded` : (input.message ?? ''),
        lastTransitionTime: defaults.at,
      },
    ],
    ...input,
    health,
  };
}

export function env(name: string, index: number, targets: TargetState[], opts: { strategy?: EffectiveStrategy; pending?: PendingPromotion[] } = {}): EnvironmentCell {
  return { name, index, targets, rollup: rollupEnvironment(targets), strategy: opts.strategy ?? prStrategy(), pending: opts.pending ?? [] };
}

export function row(
  cluster: string,
  namespace: string,
  name: string,
  environments: EnvironmentCell[],
  opts: { kind?: string; apiVersion?: string; servedVersion?: string; problems?: Problem[] } = {},
): PipelineRow {
  const kind = opts.kind ?? 'HelmRelease';
  const appRef: PipelineRow['appRef'] = { kind, name, apiVersion: opts.apiVersion ?? (kind === 'Kustomization' ? 'kustomize.toolkit.fluxcd.io/v1' : 'helm.toolkit.fluxcd.io/v2') };
  if (opts.servedVersion) appRef.servedVersion = opts.servedVersion;
  return { id: `${namespace}/${name}`, cluster, namespace, name, appRef, environments, problems: opts.problems ?? [] };
}

export function createDemoBoard(now: Date = new Date()): BoardSnapshot {
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const hr = (kind: string, name: string, at: string) => ({ kind, name, at });
  const t = (name: string, at: string, input: TargetInput, kind = 'HelmRelease') => target(input, hr(kind, name, at));

  const clusters: ClusterState[] = [
    { name: 'mgmt', context: 'mgmt', state: 'connected' },
    { name: 'staging-eu', context: 'staging-eu', state: 'connected' },
    {
      name: 'staging-us',
      context: 'staging-us',
      state: 'stale',
      staleSince: ago(2 * HOUR + 5 * MINUTE),
      message: 'The watch on staging-us closed (connection reset by peer); retrying every 30s. Showing the last known state.',
    },
    { name: 'prod-eu', context: 'prod-eu', state: 'connected' },
    { name: 'prod-us', context: 'prod-us', state: 'unreachable', message: 'dial tcp 10.40.12.7:6443: i/o timeout' },
    { name: 'prod-ap', context: 'prod-ap', state: 'forbidden', message: 'User "alice@acme.example" cannot list helmreleases.helm.toolkit.fluxcd.io in namespace "web"' },
    { name: 'edge-1', context: 'edge-1', state: 'no-crd', message: 'kustomize.toolkit.fluxcd.io is not served by edge-1 (is Flux installed?)' },
    { name: 'lab', state: 'no-context', message: 'GitopsCluster flux-system/lab has no matching kubeconfig context' },
  ];

  // ---- team-payments ----
  const checkout = row('mgmt', 'team-payments', 'checkout', [
    env('dev', 0, [t('checkout', ago(3 * HOUR), { cluster: 'mgmt', context: 'mgmt', namespace: 'payments-dev', deployedVersion: '1.8.3', deployedRevision: '1.8.3', requestedVersion: '1.8.3' })]),
    env('staging', 1, [
      t('checkout', ago(2 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'payments', deployedVersion: '1.8.3', deployedRevision: '1.8.3' }),
      t('checkout', ago(2 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'payments-canary', deployedVersion: '1.8.3', deployedRevision: '1.8.3' }),
      t('checkout', ago(26 * HOUR), {
        cluster: 'staging-us',
        context: 'staging-us',
        namespace: 'payments',
        deployedVersion: '1.8.2',
        deployedRevision: '1.8.2',
        inFlightVersion: '1.8.3',
        stale: true,
      }),
    ]),
    env(
      'prod',
      2,
      [
        t('checkout', ago(5 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'payments', deployedVersion: '1.8.1', deployedRevision: '1.8.1' }),
        t('checkout', ago(5 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'payments-batch', deployedVersion: '1.8.1', deployedRevision: '1.8.1' }),
      ],
      { strategy: prStrategy({ manual: true, source: 'environment' }), pending: [{ kind: 'awaiting-approval', version: '1.8.2' }] },
    ),
  ]);

  const ledger = row('mgmt', 'team-payments', 'ledger', [
    env('dev', 0, [t('ledger', ago(30 * HOUR), { cluster: 'mgmt', context: 'mgmt', namespace: 'payments-dev', deployedVersion: '2.4.0' })]),
    env('staging', 1, [
      t('ledger', ago(20 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'payments', deployedVersion: '2.4.0' }),
      t('ledger', ago(20 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'payments-replica', deployedVersion: '2.4.0' }),
    ]),
    env('prod', 2, [t('ledger', ago(9 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'payments', deployedVersion: '2.3.1' })], {
      pending: [{ kind: 'pr-open', version: '2.4.0', pr: { number: 128, url: `${fleetRepo}/pull/128`, createdAt: ago(4 * HOUR), reviewState: 'review-required', checksState: 'pending' } }],
    }),
  ]);

  const refunds = row('mgmt', 'team-payments', 'refunds', [
    env('dev', 0, [t('refunds', ago(45 * MINUTE), { cluster: 'mgmt', context: 'mgmt', namespace: 'payments-dev', deployedVersion: '0.9.4' })]),
    env('staging', 1, [t('refunds', ago(6 * 24 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'payments', deployedVersion: '0.9.2' })], {
      pending: [{ kind: 'promotion-expected', version: '0.9.4' }],
    }),
    env('prod', 2, [t('refunds', ago(6 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'payments', deployedVersion: '0.9.2' })]),
  ]);

  // ---- team-search ----
  const indexer = row(
    'mgmt',
    'team-search',
    'indexer',
    [
      env('dev', 0, [
        t(
          'indexer',
          ago(20 * MINUTE),
          { cluster: 'mgmt', context: 'mgmt', namespace: 'search-dev', deployedVersion: 'main@3f9c2ab', deployedRevision: 'main@sha1:3f9c2ab71e0d4c55a9f1b3d0c2e4f6a8b0c1d2e3' },
          'Kustomization',
        ),
      ]),
      env(
        'staging',
        1,
        [
          t(
            'indexer',
            ago(3 * 24 * HOUR),
            { cluster: 'staging-eu', context: 'staging-eu', namespace: 'search', deployedVersion: 'main@91d04be', deployedRevision: 'main@sha1:91d04be2aa34c0e1f5d6b7a8c9d0e1f2a3b4c5d6' },
            'Kustomization',
          ),
        ],
        {
          strategy: { kind: 'notification', manual: false, source: 'pipeline' },
        },
      ),
      env(
        'edge',
        2,
        [
          t(
            'indexer',
            ago(10 * 24 * HOUR),
            {
              cluster: 'edge-1',
              context: 'edge-1',
              namespace: 'search',
              health: 'unknown',
              message: 'edge-1 does not serve kustomize.toolkit.fluxcd.io',
              problem: { code: 'no-crd', message: 'edge-1 does not serve the Flux Kustomization API', hint: 'Install Flux on edge-1, or remove the target from the pipeline.' },
            },
            'Kustomization',
          ),
        ],
        {
          strategy: { kind: 'notification', manual: false, source: 'pipeline' },
        },
      ),
    ],
    { kind: 'Kustomization' },
  );

  const queryApi = row('mgmt', 'team-search', 'query-api', [
    env('dev', 0, [
      t('query-api', ago(15 * MINUTE), {
        cluster: 'mgmt',
        context: 'mgmt',
        namespace: 'search-dev',
        deployedVersion: '3.1.9',
        inFlightVersion: '3.2.0',
        requestedVersion: '3.2.0',
        health: 'failed',
        message: 'Helm upgrade failed: context deadline exceeded: Deployment search-dev/query-api not ready (CrashLoopBackOff)',
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'UpgradeFailed',
            message: 'Helm upgrade failed: context deadline exceeded: Deployment search-dev/query-api not ready (CrashLoopBackOff)',
            lastTransitionTime: ago(15 * MINUTE),
          },
          {
            type: 'Released',
            status: 'False',
            reason: 'UpgradeFailed',
            message: 'Helm upgrade failed for release search-dev/query-api with chart query-api@3.2.0',
            lastTransitionTime: ago(15 * MINUTE),
          },
        ],
      }),
    ]),
    env('staging', 1, [t('query-api', ago(4 * 24 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'search', deployedVersion: '3.1.9' })]),
    env('prod', 2, [
      t('query-api', ago(4 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'search', deployedVersion: '3.1.9' }),
      t('query-api', ago(8 * 24 * HOUR), {
        cluster: 'prod-us',
        context: 'prod-us',
        namespace: 'search',
        health: 'unknown',
        message: 'prod-us is unreachable',
        problem: { code: 'cluster-unreachable', message: 'prod-us is unreachable: dial tcp 10.40.12.7:6443: i/o timeout', hint: 'Check VPN access and the prod-us context in your kubeconfig.' },
      }),
    ]),
  ]);

  // ---- team-web ----
  const storefront = row('mgmt', 'team-web', 'storefront', [
    env('dev', 0, [t('storefront', ago(90 * MINUTE), { cluster: 'mgmt', context: 'mgmt', namespace: 'web-dev', deployedVersion: '5.0.1' })]),
    env(
      'staging',
      1,
      [
        t('storefront', ago(2 * 24 * HOUR), {
          cluster: 'staging-eu',
          context: 'staging-eu',
          namespace: 'web',
          deployedVersion: '5.0.0',
          health: 'suspended',
          message: 'Reconciliation is suspended (spec.suspend: true)',
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'UpgradeSucceeded',
              message: 'Helm upgrade succeeded for release web/storefront.v14 with chart storefront@5.0.0',
              lastTransitionTime: ago(2 * 24 * HOUR),
            },
          ],
        }),
      ],
      { strategy: prStrategy({ provider: 'gitlab', repoUrl: 'https://gitlab.acme.example/web/deploy', source: 'environment' }) },
    ),
    env(
      'prod',
      1 + 1,
      [
        t('storefront', ago(12 * 24 * HOUR), {
          cluster: 'prod-ap',
          context: 'prod-ap',
          namespace: 'web',
          health: 'unknown',
          message: 'Access denied',
          problem: { code: 'forbidden', message: 'Not allowed to read HelmReleases in prod-ap/web', hint: 'Ask for get/list/watch on helmreleases.helm.toolkit.fluxcd.io in namespace web.' },
        }),
      ],
      {
        strategy: prStrategy({ provider: 'gitlab', repoUrl: 'https://gitlab.acme.example/web/deploy', source: 'environment' }),
      },
    ),
  ]);

  const promoBanner = row('mgmt', 'team-web', 'promo-banner', [], {
    problems: [
      {
        code: 'invalid-pipeline',
        message: 'spec.environments[1].targets: must contain at least 1 item',
        hint: 'Add a target (namespace, optional clusterRef) to environment "staging" and re-apply the Pipeline.',
      },
    ],
  });

  const searchUi = row(
    'mgmt',
    'team-web',
    'search-ui',
    [
      env('dev', 0, [t('search-ui', ago(5 * HOUR), { cluster: 'mgmt', context: 'mgmt', namespace: 'web-dev', deployedVersion: '1.2.0' })]),
      env('prod', 1, [
        t('search-ui', ago(40 * 24 * HOUR), {
          cluster: 'prod-eu',
          context: 'prod-eu',
          namespace: 'web',
          health: 'missing',
          message: 'HelmRelease web/search-ui not found on prod-eu',
          conditions: [],
          problem: { code: 'target-missing', message: 'HelmRelease web/search-ui does not exist on prod-eu', hint: 'Create it (or fix the target namespace in the Pipeline).' },
        }),
      ]),
    ],
    {
      apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      servedVersion: 'helm.toolkit.fluxcd.io/v2',
      problems: [
        {
          code: 'app-version-not-served',
          message: 'appRef asks for helm.toolkit.fluxcd.io/v2beta1, which mgmt, prod-eu no longer serve; the board reads helm.toolkit.fluxcd.io/v2 instead',
          hint: 'Update spec.appRef.apiVersion to helm.toolkit.fluxcd.io/v2 (the pipeline-controller may fail to read a version that is not served).',
        },
      ],
    },
  );

  const notifications = row('mgmt', 'team-web', 'notifications', [
    env('dev', 0, [t('notifications', ago(7 * HOUR), { cluster: 'mgmt', context: 'mgmt', namespace: 'web-dev', deployedVersion: '1.0.0' })], {
      strategy: { kind: 'none', manual: false, source: 'pipeline' },
    }),
    env('staging', 1, [t('notifications', ago(15 * 24 * HOUR), { cluster: 'staging-eu', context: 'staging-eu', namespace: 'web', deployedVersion: '0.9.0' })], {
      strategy: { kind: 'none', manual: false, source: 'pipeline' },
    }),
    env(
      'canary',
      2,
      [
        t('notifications', ago(15 * 24 * HOUR), {
          cluster: 'prod-eu',
          context: 'prod-eu',
          namespace: 'web-canary',
          deployedVersion: '0.9.0',
          health: 'reconciling',
          inFlightVersion: '0.9.1',
          message: 'Running upgrade',
        }),
      ],
      { strategy: { kind: 'none', manual: false, source: 'pipeline' } },
    ),
    env('prod', 3, [t('notifications', ago(15 * 24 * HOUR), { cluster: 'prod-eu', context: 'prod-eu', namespace: 'web', deployedVersion: '0.9.0' })], {
      strategy: { kind: 'none', manual: false, source: 'pipeline' },
    }),
  ]);

  // ---- platform (a GitopsCluster without a kubeconfig context) ----
  const edgeAgent = row('mgmt', 'platform', 'edge-agent', [
    env('dev', 0, [t('edge-agent', ago(26 * HOUR), { cluster: 'mgmt', context: 'mgmt', namespace: 'platform-dev', deployedVersion: '0.3.0' })]),
    env('lab', 1, [
      t('edge-agent', ago(26 * HOUR), {
        cluster: 'lab',
        namespace: 'platform',
        health: 'unknown',
        problem: { code: 'no-context', message: 'No kubeconfig context for GitopsCluster flux-system/lab', hint: 'Add a context named "lab" to your kubeconfig, or map one in Settings.' },
      }),
    ]),
  ]);

  const pipelines = [checkout, ledger, refunds, indexer, queryApi, edgeAgent, notifications, promoBanner, searchUi, storefront].sort((a, b) => (a.id < b.id ? -1 : 1));
  return { pipelines, clusters, generatedAt: now.toISOString() };
}

export const demoBoard: BoardSnapshot = createDemoBoard();
