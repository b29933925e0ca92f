// The board against clusters that serve two versions of each Flux kind, as real Flux 2.3+
// installations do (helm.toolkit.fluxcd.io v2 and the deprecated v2beta2, Kustomization v1
// and v1beta2): it reads the preferred version, says so on a Pipeline that asks for the
// deprecated one, and never touches the deprecated version (no deprecation warnings).

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../src-main/common/board';
import { createBoardService, type BoardService } from '../../src-main/kube/board-service';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { waitFor } from '../../src-main/kube/test-helpers';
import { FLUX_DEPRECATED_VERSIONS } from '../sandbox/kube/index';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let service: BoardService | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', extraServedVersions: FLUX_DEPRECATED_VERSIONS });
}, 60_000);

afterEach(async () => {
  await service?.stop();
});

afterAll(async () => {
  await sandbox?.stop();
});

const checkoutRow = (s: BoardSnapshot) => s.pipelines.find((p) => p.id === 'team-payments/checkout');

describe('clusters serving a deprecated Flux version beside the current one', () => {
  it('reads the preferred version and says so for a Pipeline asking for the deprecated one', async () => {
    const mgmt = sandbox.cluster('mgmt').api.store;
    mgmt.patch(
      { apiVersion: 'pipelines.weave.works/v1alpha1', kind: 'Pipeline', namespace: 'team-payments', name: 'checkout' },
      { spec: { appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2beta2' } } },
    );
    for (const c of sandbox.clusters) c.api.requestLog.reset();

    service = createBoardService({ loadKubeconfig: () => loadKubeconfig({ explicitPath: sandbox.kubeconfig }), batchMs: 20 });
    const s = await waitFor(
      () => {
        const snap = service!.snapshot();
        const prod = checkoutRow(snap)?.environments.find((e) => e.name === 'prod')?.targets[0];
        return prod?.deployedVersion ? snap : undefined;
      },
      'the checkout row to read prod',
      20_000,
    );

    const row = checkoutRow(s)!;
    expect(row.appRef).toMatchObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta2', servedVersion: 'helm.toolkit.fluxcd.io/v2' });
    // the asked version is served (deprecated), so this is no "not served" problem
    expect(row.problems.map((p) => p.code)).not.toContain('app-version-not-served');
    for (const env of row.environments) for (const t of env.targets) expect(t.servedApiVersion).toBe('helm.toolkit.fluxcd.io/v2');

    const deprecatedRequests = sandbox.clusters.flatMap((c) => c.api.requestLog.entries().filter((e) => e.path.includes('/v2beta2/') || e.path.includes('/v1beta2/')));
    expect(deprecatedRequests).toEqual([]);
    const workloadReads = sandbox
      .cluster('prod-eu')
      .api.requestLog.entries()
      .filter((e) => e.path.startsWith('/apis/helm.toolkit.fluxcd.io/'));
    expect(workloadReads.length).toBeGreaterThan(0);
  });
});
