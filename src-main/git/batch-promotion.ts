// Batch promotion: many rows reviewed at once, then one PR per row, opened with bounded
// concurrency and reported row by row. Security model: the renderer names rows exactly as for
// promotion:plan ({pipelineId, targetEnv, revision?}); every row is derived from main's own
// board when it is planned AND again right before it is applied, so a row that stopped being
// eligible (or whose version changed) after the review is reported, never opened. Applying
// takes a batch id: the renderer cannot change what the user reviewed.
import { randomUUID } from 'node:crypto';
import type { BatchProgress, BatchPromotion, BatchRow, PromotionError, PromotionOrder, PromotionRequest, PromotionResult } from '../common/promotion';
import { forEachBounded } from '../common/bounded';
import type { Result } from '../common/result';
import type { Logger } from '../log/logger';
import type { PromotionService } from './promotion-service';

export interface BatchPromotionOptions {
  /** Derives a row from main's board as it is now (promotionOrderFromBoard). */
  derive(request: PromotionRequest): Promise<Result<PromotionOrder>>;
  promotion: Pick<PromotionService, 'plan' | 'apply' | 'discard'>;
  /** Every row state change, for the renderer's per-row progress. */
  emit(progress: BatchProgress): void;
  /** PRs opened at once (default 4): enough to be quick, few enough to stay clear of the forge's secondary rate limits. */
  concurrency?: number;
  /** After each opened or updated PR (to refresh the board's open-PR view). */
  onApplied?(result: PromotionResult): void;
  /** Batches kept for apply/retry (default 20); older ones are discarded with their plans. */
  keep?: number;
  logger?: Logger;
}

export interface BatchPromotions {
  plan(requests: PromotionRequest[]): Promise<BatchPromotion>;
  /** Applies every planned row of a reviewed batch. */
  apply(batchId: string): Promise<Result<BatchPromotion>>;
  /** Plans and applies again the rows that failed, and only those. */
  retry(batchId: string): Promise<Result<BatchPromotion>>;
  discard(batchId: string): void;
}

interface StoredBatch {
  rows: BatchRow[];
  requests: Map<string, PromotionRequest>;
  busy: boolean;
}

export function batchRowKey(request: Pick<PromotionRequest, 'pipelineId' | 'targetEnv'>): string {
  return `${request.pipelineId}→${request.targetEnv}`;
}

function failure(code: PromotionError['code'], message: string, hint?: string): PromotionError {
  return hint === undefined ? { code, message } : { code, message, hint };
}

/** Why a reviewed row may no longer be applied, or undefined when it still may. */
function changedSinceReview(row: BatchRow, now: Result<PromotionOrder>): PromotionError | undefined {
  if (!now.ok) return failure('not-eligible', `No longer eligible: ${now.error.message}`, 'Nothing was opened for it; check the board.');
  const reviewed = row.plan?.version;
  if (reviewed !== undefined && now.value.version !== reviewed) {
    return failure('not-eligible', `Changed since the review: ${row.targetEnv} would now get ${now.value.version}, not the reviewed ${reviewed}.`, 'Nothing was opened for it; review it again.');
  }
  return undefined;
}

export function createBatchPromotions(options: BatchPromotionOptions): BatchPromotions {
  const limit = options.concurrency ?? 4;
  const batches = new Map<string, StoredBatch>();
  const keep = options.keep ?? 20;
  const log = options.logger;

  const update = (batchId: string, batch: StoredBatch, key: string, patch: Partial<BatchRow>): void => {
    const i = batch.rows.findIndex((r) => r.key === key);
    const current = batch.rows[i];
    if (!current) return;
    const next: BatchRow = { ...current, ...patch };
    // a state that carries no error or result drops the previous one
    if (!('error' in patch) && patch.state) delete next.error;
    batch.rows[i] = next;
    options.emit({ batchId, row: next });
  };

  const snapshot = (batchId: string, batch: StoredBatch): BatchPromotion => ({ batchId, rows: batch.rows.map((r) => ({ ...r })) });

  const forget = (batchId: string): void => {
    const batch = batches.get(batchId);
    if (!batch) return;
    for (const row of batch.rows) if (row.state === 'planned' && row.plan) options.promotion.discard(row.plan.id);
    batches.delete(batchId);
  };

  /** Re-derives the row, then applies `planId`; the row ends opened, updated, ineligible or failed. */
  const applyRow = async (batchId: string, batch: StoredBatch, row: BatchRow, planId: string): Promise<void> => {
    const request = batch.requests.get(row.key)!;
    const refusal = changedSinceReview(row, await options.derive(request));
    if (refusal) {
      options.promotion.discard(planId);
      log?.info('promotion', `batch row ${row.key.slice(0, 300)} not applied: ${refusal.message}`);
      update(batchId, batch, row.key, { state: 'ineligible', error: refusal });
      return;
    }
    update(batchId, batch, row.key, { state: 'applying' });
    const applied = await options.promotion.apply(planId);
    if (applied.ok) {
      options.onApplied?.(applied.value);
      update(batchId, batch, row.key, { state: applied.value.updated ? 'updated' : 'opened', result: applied.value });
    } else update(batchId, batch, row.key, { state: 'failed', error: applied.error as PromotionError });
  };

  const run = async (batchId: string, pick: (row: BatchRow) => boolean, work: (batch: StoredBatch, row: BatchRow) => Promise<void>): Promise<Result<BatchPromotion>> => {
    const batch = batches.get(batchId);
    if (!batch) return { ok: false, error: failure('plan-expired', 'This batch is no longer known.', 'Select the rows and review them again.') };
    if (batch.busy) return { ok: false, error: { code: 'batch-busy', message: 'This batch is already being applied.' } };
    batch.busy = true;
    try {
      const chosen = batch.rows.filter(pick);
      for (const row of chosen) update(batchId, batch, row.key, { state: 'queued' });
      await forEachBounded(chosen, limit, (row) =>
        work(
          batch,
          batch.rows.find((r) => r.key === row.key)!,
        ),
      );
      return { ok: true, value: snapshot(batchId, batch) };
    } finally {
      batch.busy = false;
    }
  };

  return {
    async plan(requests) {
      const batchId = randomUUID();
      const batch: StoredBatch = { rows: [], requests: new Map(), busy: true };
      for (const request of requests) {
        const key = batchRowKey(request);
        if (batch.requests.has(key)) continue; // the same promotion named twice is one row
        batch.requests.set(key, request);
        batch.rows.push({ key, pipelineId: request.pipelineId, targetEnv: request.targetEnv, state: 'planning' });
      }
      batches.set(batchId, batch);
      while (batches.size > keep) forget(batches.keys().next().value!);
      await forEachBounded([...batch.requests], limit, async ([key, request]) => {
        const order = await options.derive(request);
        if (!order.ok) {
          update(batchId, batch, key, { state: 'refused', error: failure('not-eligible', order.error.message, order.error.hint) });
          return;
        }
        const planned = await options.promotion.plan(order.value);
        if (planned.ok) update(batchId, batch, key, { state: 'planned', plan: planned.value });
        else update(batchId, batch, key, { state: 'refused', error: planned.error as PromotionError });
      });
      batch.busy = false;
      return snapshot(batchId, batch);
    },

    apply(batchId) {
      return run(
        batchId,
        (row) => row.state === 'planned',
        (batch, row) => applyRow(batchId, batch, row, row.plan!.id),
      );
    },

    retry(batchId) {
      return run(
        batchId,
        (row) => row.state === 'failed',
        async (batch, row) => {
          // The reviewed version is the contract: a fresh plan must promote the same one.
          const order = await options.derive(batch.requests.get(row.key)!);
          const refusal = changedSinceReview(row, order);
          if (refusal || !order.ok) {
            update(batchId, batch, row.key, { state: 'ineligible', error: refusal! });
            return;
          }
          update(batchId, batch, row.key, { state: 'applying' });
          const planned = await options.promotion.plan(order.value);
          if (!planned.ok) {
            update(batchId, batch, row.key, { state: 'failed', error: planned.error as PromotionError });
            return;
          }
          const fresh = { ...row, plan: planned.value };
          batch.rows[batch.rows.findIndex((r) => r.key === row.key)] = fresh;
          await applyRow(batchId, batch, fresh, planned.value.id);
        },
      );
    },

    discard(batchId) {
      forget(batchId);
    },
  };
}
