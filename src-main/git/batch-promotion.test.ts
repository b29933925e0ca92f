import { describe, expect, it } from 'vitest';
import type { BatchProgress, PromotionOrder, PromotionPlan, PromotionRequest, PromotionResult } from '../common/promotion';
import { err, ok, type Result } from '../common/result';
import { forEachBounded } from '../common/bounded';
import { createBatchPromotions } from './batch-promotion';

const strategy = { kind: 'pull-request' as const, manual: false, provider: 'github' as const, repoUrl: 'https://git.example/acme/config', baseBranch: 'main', source: 'pipeline' as const };

/** A board of pipelines "team/<name>" whose next version main derives from `versions`. */
function fakeWorld(versions: Record<string, string | undefined>) {
  const applied: string[] = [];
  const discarded: string[] = [];
  let running = 0;
  let maxRunning = 0;
  const failApplyOnce = new Set<string>();
  let planCount = 0;
  const plans = new Map<string, PromotionOrder>();
  const derive = async (request: PromotionRequest): Promise<Result<PromotionOrder>> => {
    const version = versions[request.pipelineId];
    if (!version) return err('not-eligible', `Can't promote: ${request.pipelineId} has nothing to promote.`);
    return ok({ pipelineNamespace: 'team', pipelineName: request.pipelineId.split('/')[1]!, targetEnv: request.targetEnv, version, strategy });
  };
  const promotion = {
    async plan(order: PromotionOrder): Promise<Result<PromotionPlan>> {
      const id = `plan-${++planCount}`;
      plans.set(id, order);
      return ok({
        id,
        pipelineNamespace: order.pipelineNamespace,
        pipelineName: order.pipelineName,
        targetEnv: order.targetEnv,
        version: order.version,
        files: [{ path: 'a.yaml', changes: [{ line: 1, before: 'v: 1', after: `v: ${order.version}` }] }],
      } as PromotionPlan);
    },
    async apply(planId: string): Promise<Result<PromotionResult>> {
      const order = plans.get(planId)!;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setImmediate(r));
      running--;
      if (failApplyOnce.delete(order.pipelineName)) return err('forge-unavailable', 'The forge answered 502.');
      applied.push(order.pipelineName);
      return ok({ planId, prUrl: `https://git.example/acme/config/pull/${applied.length}`, number: applied.length, updated: false, rebuilt: false, files: [], baseSha: 'abc' });
    },
    discard(planId: string) {
      discarded.push(planId);
    },
  };
  const events: BatchProgress[] = [];
  const batches = createBatchPromotions({ derive, promotion, emit: (p) => events.push(p), concurrency: 3 });
  return { batches, events, applied, discarded, failApplyOnce, versions, maxRunning: () => maxRunning };
}

const rows = (...names: string[]): PromotionRequest[] => names.map((n) => ({ pipelineId: `team/${n}`, targetEnv: 'prod' }));

describe('batch promotion', () => {
  it('plans every row, refuses the ineligible ones and names each row once', async () => {
    const w = fakeWorld({ 'team/a': '1.1.0', 'team/b': '2.0.0' });
    const batch = await w.batches.plan([...rows('a', 'b', 'c'), ...rows('a')]);
    expect(batch.rows.map((r) => [r.pipelineId, r.state])).toEqual([
      ['team/a', 'planned'],
      ['team/b', 'planned'],
      ['team/c', 'refused'],
    ]);
    expect(batch.rows[2]?.error?.message).toContain('nothing to promote');
    expect(batch.rows[0]?.plan?.files[0]?.changes[0]?.after).toBe('v: 1.1.0');
  });

  it('opens one PR per planned row with bounded concurrency and reports every row', async () => {
    const w = fakeWorld(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`team/p${i}`, `1.0.${i}`])));
    const planned = await w.batches.plan(rows(...Array.from({ length: 10 }, (_, i) => `p${i}`)));
    const applied = await w.batches.apply(planned.batchId);
    expect(applied.ok && applied.value.rows.every((r) => r.state === 'opened')).toBe(true);
    expect(w.applied).toHaveLength(10);
    expect(w.maxRunning()).toBe(3);
    const states = w.events.filter((e) => e.row.pipelineId === 'team/p0').map((e) => e.row.state);
    expect(states).toEqual(['planned', 'queued', 'applying', 'opened']);
  });

  it('opens nothing for a row that became ineligible or changed version after the review', async () => {
    const w = fakeWorld({ 'team/a': '1.1.0', 'team/b': '2.0.0', 'team/c': '3.0.0' });
    const planned = await w.batches.plan(rows('a', 'b', 'c'));
    w.versions['team/b'] = undefined;
    w.versions['team/c'] = '3.0.1';
    const applied = await w.batches.apply(planned.batchId);
    if (!applied.ok) throw new Error(applied.error.message);
    expect(applied.value.rows.map((r) => r.state)).toEqual(['opened', 'ineligible', 'ineligible']);
    expect(applied.value.rows[2]?.error?.message).toContain('not the reviewed 3.0.0');
    expect(w.applied).toEqual(['a']);
    expect(w.discarded).toHaveLength(2);
  });

  it('retries the failed rows only, and refuses a second apply of the same batch', async () => {
    const w = fakeWorld({ 'team/a': '1.1.0', 'team/b': '2.0.0', 'team/c': '3.0.0' });
    w.failApplyOnce.add('b');
    const planned = await w.batches.plan(rows('a', 'b', 'c'));
    const first = await w.batches.apply(planned.batchId);
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.rows.map((r) => r.state)).toEqual(['opened', 'failed', 'opened']);
    expect(first.value.rows[1]?.error?.code).toBe('forge-unavailable');
    const retried = await w.batches.retry(planned.batchId);
    if (!retried.ok) throw new Error(retried.error.message);
    expect(retried.value.rows.map((r) => r.state)).toEqual(['opened', 'opened', 'opened']);
    expect(retried.value.rows[1]?.error).toBeUndefined();
    expect(w.applied).toEqual(['a', 'c', 'b']);
    const again = await w.batches.apply(planned.batchId);
    expect(again.ok && again.value.rows.map((r) => r.state)).toEqual(['opened', 'opened', 'opened']);
    expect(w.applied).toHaveLength(3);
  });

  it('answers plan-expired for an unknown or discarded batch', async () => {
    const w = fakeWorld({ 'team/a': '1.1.0' });
    const planned = await w.batches.plan(rows('a'));
    w.batches.discard(planned.batchId);
    expect(w.discarded).toHaveLength(1);
    const applied = await w.batches.apply(planned.batchId);
    expect(applied.ok ? 'ok' : applied.error.code).toBe('plan-expired');
  });
});

describe('forEachBounded', () => {
  it('runs every item once, never more than the limit at a time', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      seen.push(n);
      running--;
    });
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(2);
  });
});
