import { describe, expect, it } from 'vitest';
import type { BatchPromotion, BatchRow, PromotionPlan, PromotionResult } from '../../src-main/common/promotion';
import { batchCounts, batchTransition, idleBatch, idleReview, reviewTransition, type BatchEvent, type BatchPhase, type ReviewEvent, type ReviewPhase } from './promotion-machine';

const plan = (id: string) => ({ id, files: [] }) as unknown as PromotionPlan;
const result = (planId: string) => ({ planId, number: 7, prUrl: 'https://git.example/a/b/pull/7', updated: false, rebuilt: false, files: [], baseSha: 'abc' }) as PromotionResult;
const error = { code: 'forge-unavailable' as const, message: 'The forge answered 502.' };

function run(events: ReviewEvent[], from: ReviewPhase = idleReview): ReviewPhase {
  return events.reduce(reviewTransition, from);
}

describe('single review machine', () => {
  it('goes idle → planning → review → applying → done, counting steps of its own plan only', () => {
    const applying = run([{ type: 'plan-started' }, { type: 'planned', plan: plan('p1') }, { type: 'apply-started', plan: plan('p1') }]);
    expect(applying.kind).toBe('applying');
    const stepped = run(
      [
        { type: 'step-progressed', progress: { planId: 'p1', step: 'commit', status: 'started' } },
        { type: 'step-progressed', progress: { planId: 'other', step: 'open-pr', status: 'done' } },
      ],
      applying,
    );
    expect(stepped.kind === 'applying' && stepped.steps).toEqual({ commit: 'started' });
    expect(reviewTransition(stepped, { type: 'applied', result: result('other') })).toBe(stepped);
    const done = reviewTransition(stepped, { type: 'applied', result: result('p1') });
    expect(done.kind === 'done' && done.result.number).toBe(7);
    // a finished review only closes
    expect(reviewTransition(done, { type: 'plan-started' })).toBe(done);
    expect(reviewTransition(done, { type: 'closed' })).toBe(idleReview);
  });

  it('offers sign-in only from a plan error, and plans again once signed in', () => {
    const failed = run([{ type: 'plan-started' }, { type: 'plan-failed', error: { code: 'sign-in-required', message: 'Sign in' } }]);
    expect(failed.kind).toBe('plan-error');
    const signing = reviewTransition(failed, { type: 'sign-in-started', host: 'gh' });
    expect(signing).toEqual({ kind: 'signing-in', host: 'gh' });
    expect(reviewTransition(run([{ type: 'plan-started' }, { type: 'planned', plan: plan('p') }]), { type: 'sign-in-started', host: 'gh' }).kind).toBe('review');
    expect(run([{ type: 'plan-started' }, { type: 'planned', plan: plan('p2') }], signing).kind).toBe('review');
  });

  it('keeps the plan on an apply failure and lets a retry apply again or show changed plans for review', () => {
    const failed = run([{ type: 'plan-started' }, { type: 'planned', plan: plan('p1') }, { type: 'apply-started', plan: plan('p1') }, { type: 'apply-failed', error }]);
    expect(failed.kind === 'apply-error' && failed.plan.id).toBe('p1');
    expect(run([{ type: 'plan-started' }, { type: 'apply-started', plan: plan('p2') }], failed).kind).toBe('applying');
    const replanned = run([{ type: 'plan-started' }, { type: 'planned', plan: plan('p3'), replanned: true }], failed);
    expect(replanned).toEqual({ kind: 'review', plan: plan('p3'), replanned: true });
  });

  it('ignores events a phase does not expect', () => {
    expect(reviewTransition(idleReview, { type: 'planned', plan: plan('late') })).toBe(idleReview);
    expect(reviewTransition(idleReview, { type: 'apply-started', plan: plan('x') })).toBe(idleReview);
    const planning = reviewTransition(idleReview, { type: 'plan-started' });
    expect(reviewTransition(planning, { type: 'applied', result: result('x') })).toBe(planning);
  });
});

const row = (key: string, state: BatchRow['state']): BatchRow => ({ key, pipelineId: key, targetEnv: 'prod', state });
const batchOf = (...rows: BatchRow[]): BatchPromotion => ({ batchId: 'b1', rows });

function runBatch(events: BatchEvent[], from: BatchPhase = idleBatch): BatchPhase {
  return events.reduce(batchTransition, from);
}

describe('batch machine', () => {
  it('queues the planned rows on confirm, follows row progress, then retries only the failed rows', () => {
    const review = runBatch([
      { type: 'plan-started', count: 3 },
      { type: 'planned', batch: batchOf(row('a', 'planned'), row('b', 'planned'), row('c', 'refused')) },
    ]);
    const applying = batchTransition(review, { type: 'apply-started' });
    expect(applying.kind === 'applying' && applying.batch.rows.map((r) => r.state)).toEqual(['queued', 'queued', 'refused']);
    const progressed = runBatch(
      [
        { type: 'row-progressed', progress: { batchId: 'b1', row: row('a', 'opened') } },
        { type: 'row-progressed', progress: { batchId: 'other', row: row('b', 'opened') } },
      ],
      applying,
    );
    expect(progressed.kind === 'applying' && progressed.batch.rows.map((r) => r.state)).toEqual(['opened', 'queued', 'refused']);
    const finished = batchTransition(progressed, { type: 'applied', batch: batchOf(row('a', 'opened'), row('b', 'failed'), row('c', 'refused')) });
    expect(finished.kind).toBe('finished');
    const retrying = batchTransition(finished, { type: 'retry-started' });
    expect(retrying.kind === 'applying' && retrying.batch.rows.map((r) => r.state)).toEqual(['opened', 'queued', 'refused']);
  });

  it('will not apply a batch with nothing planned nor retry one without failures', () => {
    const review = runBatch([
      { type: 'plan-started', count: 1 },
      { type: 'planned', batch: batchOf(row('a', 'refused')) },
    ]);
    expect(batchTransition(review, { type: 'apply-started' })).toBe(review);
    const finished: BatchPhase = { kind: 'finished', batch: batchOf(row('a', 'opened')) };
    expect(batchTransition(finished, { type: 'retry-started' })).toBe(finished);
  });

  it('counts rows by outcome', () => {
    expect(batchCounts(batchOf(row('a', 'opened'), row('b', 'updated'), row('c', 'failed'), row('d', 'ineligible'), row('e', 'refused'), row('f', 'queued')))).toEqual({
      total: 6,
      done: 2,
      failed: 1,
      skipped: 2,
      waiting: 1,
    });
  });
});
