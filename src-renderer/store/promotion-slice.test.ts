// The promotion slice against a fake main: the only place the promote dialogs reach main.
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchPromotion, PromotionPlan } from '../../src-main/common/promotion';
import { ok } from '../../src-main/common/result';
import { publishedForgeCapabilities } from '../testing/forge-capabilities';
import { githubStrategy, testEnv, testRow, testTarget } from '../../src-main/common/test-rows';
import { createAppStore } from './store';
import { installFakeMain, uninstallFakeMain } from '../testing/fake-main';

afterEach(uninstallFakeMain);

const plan = (id: string) => ({ id, pipelineName: 'api', targetEnv: 'prod', files: [{ path: 'a.yaml', changes: [] }] }) as unknown as PromotionPlan;

/** Main answering the plan with `planId`, and its apply with the change request it opened. */
function mainThatOpens(planId: string, opened: { number: number; prUrl: string; updated: boolean }) {
  return installFakeMain((channel, payload) =>
    channel === 'promotion:plan' ? ok(plan(planId)) : ok({ planId: (payload as { planId: string }).planId, ...opened, rebuilt: false, files: [], baseSha: 'abc' }),
  );
}
describe('promotion slice: single review', () => {
  it('drops the plan of a review closed before main answered, and discards it in main', async () => {
    const main = installFakeMain((channel) => (channel === 'promotion:plan' ? ok(plan('late')) : ok(null)));
    const store = createAppStore();
    const started = store.getState().startReview({ pipelineId: 'team/api', targetEnv: 'prod' });
    expect(store.getState().review.kind).toBe('planning');
    store.getState().closeReview();
    await main.release();
    await started;
    await main.release();
    expect(store.getState().review.kind).toBe('idle');
    expect(main.calls.map((c) => c.channel)).toEqual(['promotion:plan', 'promotion:discard-plan']);
    expect(main.calls[1]?.payload).toEqual({ planId: 'late' });
  });

  it('applies the reviewed plan with progress and announces the pull request', async () => {
    const main = mainThatOpens('p1', { number: 12, prUrl: 'https://git.example/a/b/pull/12', updated: false });
    const store = createAppStore();
    const started = store.getState().startReview({ pipelineId: 'team/api', targetEnv: 'prod' });
    await main.release();
    await started;
    expect(store.getState().review.kind).toBe('review');
    const confirmed = store.getState().confirmReview();
    main.emit('promotion:progressed', { planId: 'p1', step: 'commit', status: 'started' });
    const applying = store.getState().review;
    expect(applying.kind === 'applying' && applying.steps).toEqual({ commit: 'started' });
    await main.release();
    await confirmed;
    expect(store.getState().review.kind).toBe('done');
    expect(store.getState().announcement?.text).toBe('Opened pull request #12 for api in prod.');
  });

  it("announces a GitLab target's change as the merge request main's capabilities name", async () => {
    const main = mainThatOpens('p2', { number: 4, prUrl: 'https://git.example/a/b/-/merge_requests/4', updated: true });
    const store = createAppStore();
    const gitlab = { ...githubStrategy, provider: 'gitlab' as const };
    const row = testRow('api', [testEnv('dev', 0, [testTarget('2.0.0')]), testEnv('prod', 1, [testTarget('1.0.0')], { strategy: gitlab })]);
    store.setState({ forgeCapabilities: [...publishedForgeCapabilities], rowsById: { [row.id]: row } });
    const started = store.getState().startReview({ pipelineId: row.id, targetEnv: 'prod' });
    await main.release();
    await started;
    const confirmed = store.getState().confirmReview();
    await main.release();
    await confirmed;
    expect(store.getState().announcement?.text).toBe('Updated merge request !4 for api in prod.');
  });
});

describe('promotion slice: batch', () => {
  it('plans, applies with per-row progress, and retries the failed rows', async () => {
    const rows = (states: string[]) => states.map((state, i) => ({ key: `k${i}`, pipelineId: `team/p${i}`, targetEnv: 'prod', state }));
    const answers: Record<string, BatchPromotion> = {
      'promotion:plan-batch': { batchId: 'b1', rows: rows(['planned', 'planned']) } as BatchPromotion,
      'promotion:apply-batch': { batchId: 'b1', rows: rows(['opened', 'failed']) } as BatchPromotion,
      'promotion:retry-batch': { batchId: 'b1', rows: rows(['opened', 'opened']) } as BatchPromotion,
    };
    const main = installFakeMain((channel) => ok(answers[channel]));
    const store = createAppStore();
    const planned = store.getState().startBatch([
      { pipelineId: 'team/p0', targetEnv: 'prod' },
      { pipelineId: 'team/p1', targetEnv: 'prod' },
    ]);
    expect(store.getState().batch).toEqual({ kind: 'planning', count: 2 });
    await main.release();
    await planned;
    expect(store.getState().batch.kind).toBe('review');
    const applied = store.getState().confirmBatch();
    main.emit('promotion:batch-progressed', { batchId: 'b1', row: rows(['applying'])[0] });
    const applying = store.getState().batch;
    expect(applying.kind === 'applying' && applying.batch.rows.map((r) => r.state)).toEqual(['applying', 'queued']);
    await main.release();
    await applied;
    expect(store.getState().batch.kind).toBe('finished');
    expect(store.getState().announcement).toMatchObject({ text: 'Batch promotion: 1 of 2 opened, 1 failed.', tone: 'refusal' });
    const retried = store.getState().retryBatch();
    await main.release();
    await retried;
    const done = store.getState().batch;
    expect(done.kind === 'finished' && done.batch.rows.every((r) => r.state === 'opened')).toBe(true);
    expect(main.calls.map((c) => c.channel)).toEqual(['promotion:plan-batch', 'promotion:apply-batch', 'promotion:retry-batch']);
  });

  it('toggles cells in and out of the selection', () => {
    installFakeMain(() => ok(null));
    const store = createAppStore();
    store.getState().toggleBatchCell('team/a|0');
    store.getState().toggleBatchCell('team/b|1');
    store.getState().toggleBatchCell('team/a|0');
    expect(Object.keys(store.getState().batchSelection)).toEqual(['team/b|1']);
    store.getState().clearBatchSelection();
    expect(store.getState().batchSelection).toEqual({});
  });
});
