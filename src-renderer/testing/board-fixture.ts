// A small board for the component tests, built with the shared row builders
// (src-main/common/test-rows.ts). Every date is relative to the clock the test passes in.
import type { BoardSnapshot, PipelineRow } from '../../src-main/common/board';
import { testEnv, testRow, testTarget } from '../../src-main/common/test-rows';

const HOUR = 3_600_000;

export function hoursBefore(now: number, hours: number): string {
  return new Date(now - hours * HOUR).toISOString();
}

/**
 * checkout: dev runs 1.4.0 (promotable to staging), staging runs 1.3.0 with an open PR for
 * 1.4.0, and prod waits for approval of 1.3.0.
 */
export function checkoutRow(now: number): PipelineRow {
  return testRow('checkout', [
    testEnv('dev', 0, [testTarget('1.4.0', { lastDeployedAt: hoursBefore(now, 3) })]),
    testEnv('staging', 1, [testTarget('1.3.0')], {
      pending: [
        { kind: 'pr-open', version: '1.4.0', pr: { number: 42, url: 'https://github.com/acme/fleet/pull/42', createdAt: hoursBefore(now, 5), reviewState: 'approved', checksState: 'success' } },
      ],
    }),
    testEnv('prod', 2, [testTarget('1.2.0')], { pending: [{ kind: 'awaiting-approval', version: '1.3.0' }] }),
  ]);
}

/** search: dev runs two versions (nothing may be promoted from it), staging is failing. */
export function searchRow(): PipelineRow {
  return testRow('search', [
    testEnv('dev', 0, [testTarget('2.1.0'), testTarget('2.0.0')], {}, 'mixed'),
    testEnv('staging', 1, [testTarget('2.0.0', { health: 'failed', message: 'Helm upgrade failed: timed out waiting for the condition' })], {}, 'failing'),
  ]);
}

/** ledger: staging already runs what dev runs. */
export function ledgerRow(): PipelineRow {
  return testRow('ledger', [testEnv('dev', 0, [testTarget('3.0.0')]), testEnv('staging', 1, [testTarget('3.0.0')])]);
}

export function boardSnapshot(now: number, rows: PipelineRow[] = [checkoutRow(now), searchRow(), ledgerRow()]): BoardSnapshot {
  return { pipelines: rows, clusters: [{ name: 'mgmt', state: 'connected' }], generatedAt: new Date(now).toISOString() };
}
