// The promotion state machines, pure: the single review (promote dialog) and the batch review.
// Each takes the current phase and an event and returns the next phase; an event the current
// phase does not expect returns the phase unchanged (same object), so a late answer from main
// (progress of another plan, a plan for a closed review) can never move the UI sideways.
//
// Single: idle → planning → review → applying → done
//                  ↘ plan-error ⇄ signing-in      ↘ apply-error → planning (retry)
// Batch:  idle → planning → review → applying → finished → applying (retry failed rows)
//                  ↘ plan-error               ↘ apply-error
import type { BatchProgress, BatchPromotion, BatchRow, PromotionPlan, PromotionProgress, PromotionResult, PromotionStep } from '../../src-main/common/promotion';
import type { AppError } from '../../src-main/common/result';

export type StepStates = Partial<Record<PromotionStep, 'started' | 'done'>>;

export type ReviewPhase =
  | { kind: 'idle' }
  | { kind: 'planning' }
  | { kind: 'review'; plan: PromotionPlan; replanned?: boolean }
  | { kind: 'plan-error'; error: AppError }
  | { kind: 'signing-in'; host: string }
  | { kind: 'applying'; plan: PromotionPlan; steps: StepStates }
  | { kind: 'done'; plan: PromotionPlan; result: PromotionResult }
  | { kind: 'apply-error'; plan: PromotionPlan; error: AppError };

export type ReviewEvent =
  | { type: 'plan-started' }
  /** `replanned`: a retry found different changes, so the user reviews again */
  | { type: 'planned'; plan: PromotionPlan; replanned?: boolean }
  | { type: 'plan-failed'; error: AppError }
  | { type: 'sign-in-started'; host: string }
  | { type: 'apply-started'; plan: PromotionPlan }
  | { type: 'step-progressed'; progress: PromotionProgress }
  | { type: 'applied'; result: PromotionResult }
  | { type: 'apply-failed'; error: AppError }
  | { type: 'closed' };

export const idleReview: ReviewPhase = { kind: 'idle' };

export function reviewTransition(phase: ReviewPhase, event: ReviewEvent): ReviewPhase {
  if (event.type === 'closed') return idleReview;
  switch (phase.kind) {
    case 'idle':
    case 'review':
    case 'plan-error':
    case 'apply-error':
      if (event.type === 'plan-started') return { kind: 'planning' };
      if (event.type === 'sign-in-started' && phase.kind === 'plan-error') return { kind: 'signing-in', host: event.host };
      // a retry that finds the same changes applies them at once
      if (event.type === 'apply-started' && (phase.kind === 'review' || phase.kind === 'apply-error')) return { kind: 'applying', plan: event.plan, steps: {} };
      return phase;
    case 'planning':
    case 'signing-in':
      if (event.type === 'planned') return { kind: 'review', plan: event.plan, ...(event.replanned ? { replanned: true } : {}) };
      if (event.type === 'plan-failed') return { kind: 'plan-error', error: event.error };
      if (event.type === 'plan-started' && phase.kind === 'signing-in') return { kind: 'planning' };
      if (event.type === 'apply-started' && phase.kind === 'planning') return { kind: 'applying', plan: event.plan, steps: {} };
      return phase;
    case 'applying':
      if (event.type === 'step-progressed' && event.progress.planId === phase.plan.id) return { ...phase, steps: { ...phase.steps, [event.progress.step]: event.progress.status } };
      if (event.type === 'applied' && event.result.planId === phase.plan.id) return { kind: 'done', plan: phase.plan, result: event.result };
      if (event.type === 'apply-failed') return { kind: 'apply-error', plan: phase.plan, error: event.error };
      return phase;
    case 'done':
      return phase;
  }
}

export type BatchPhase =
  | { kind: 'idle' }
  | { kind: 'planning'; count: number }
  | { kind: 'review'; batch: BatchPromotion }
  | { kind: 'plan-error'; error: AppError }
  | { kind: 'applying'; batch: BatchPromotion }
  | { kind: 'finished'; batch: BatchPromotion }
  | { kind: 'apply-error'; batch: BatchPromotion; error: AppError };

export type BatchEvent =
  | { type: 'plan-started'; count: number }
  | { type: 'planned'; batch: BatchPromotion }
  | { type: 'plan-failed'; error: AppError }
  | { type: 'apply-started' }
  | { type: 'retry-started' }
  | { type: 'row-progressed'; progress: BatchProgress }
  | { type: 'applied'; batch: BatchPromotion }
  | { type: 'apply-failed'; error: AppError }
  | { type: 'closed' };

export const idleBatch: BatchPhase = { kind: 'idle' };

function withRows(batch: BatchPromotion, change: (row: BatchRow) => BatchRow): BatchPromotion {
  return { ...batch, rows: batch.rows.map(change) };
}

export function batchTransition(phase: BatchPhase, event: BatchEvent): BatchPhase {
  if (event.type === 'closed') return idleBatch;
  switch (phase.kind) {
    case 'idle':
    case 'plan-error':
      return event.type === 'plan-started' ? { kind: 'planning', count: event.count } : phase;
    case 'planning':
      if (event.type === 'planned') return { kind: 'review', batch: event.batch };
      if (event.type === 'plan-failed') return { kind: 'plan-error', error: event.error };
      return phase;
    case 'review':
      if (event.type === 'apply-started' && phase.batch.rows.some((r) => r.state === 'planned')) {
        return { kind: 'applying', batch: withRows(phase.batch, (r) => (r.state === 'planned' ? { ...r, state: 'queued' } : r)) };
      }
      return phase;
    case 'finished':
    case 'apply-error':
      if (event.type === 'retry-started' && phase.batch.rows.some((r) => r.state === 'failed')) {
        return { kind: 'applying', batch: withRows(phase.batch, (r) => (r.state === 'failed' ? { ...r, state: 'queued' } : r)) };
      }
      return phase;
    case 'applying':
      if (event.type === 'row-progressed' && event.progress.batchId === phase.batch.batchId) {
        return { kind: 'applying', batch: withRows(phase.batch, (r) => (r.key === event.progress.row.key ? event.progress.row : r)) };
      }
      if (event.type === 'applied' && event.batch.batchId === phase.batch.batchId) return { kind: 'finished', batch: event.batch };
      if (event.type === 'apply-failed') return { kind: 'apply-error', batch: phase.batch, error: event.error };
      return phase;
  }
}

export interface BatchCounts {
  total: number;
  /** rows with a PR (opened or updated) */
  done: number;
  failed: number;
  /** refused at review, or no longer eligible when applied */
  skipped: number;
  /** still to be reviewed or applied */
  waiting: number;
}

export function batchCounts(batch: BatchPromotion): BatchCounts {
  const counts: BatchCounts = { total: batch.rows.length, done: 0, failed: 0, skipped: 0, waiting: 0 };
  for (const row of batch.rows) {
    if (row.state === 'opened' || row.state === 'updated') counts.done++;
    else if (row.state === 'failed') counts.failed++;
    else if (row.state === 'refused' || row.state === 'ineligible') counts.skipped++;
    else counts.waiting++;
  }
  return counts;
}
