// The promotion:* request handlers. Main derives every promotion from its own board: the
// renderer names only the pipeline, the target environment and an approval's revision.
import type { BoardSnapshot } from '../common/board';
import { ok } from '../common/result';
import { repoUrlOfPullRequest } from '../forges/registry';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../log/logger';
import type { PromotionResult } from '../common/promotion';
import { createBatchPromotions } from './batch-promotion';
import { promotionOrderFromBoard } from './promotion-order';
import { rollbackOrderFromBoard } from './rollback-order';
import type { PromotionService } from './promotion-service';

export type PromotionHandlers = Pick<
  RequestHandlers,
  'promotion:plan' | 'promotion:plan-rollback' | 'promotion:apply' | 'promotion:discard-plan' | 'promotion:plan-batch' | 'promotion:apply-batch' | 'promotion:retry-batch' | 'promotion:discard-batch'
>;

export interface PromotionHandlerDeps {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  promotion: PromotionService;
  /** Forget the cached open PRs of a repository and poll again (the board's "PR open" badges). */
  pullRequestOpened(repoUrl: string): void;
  events: Pick<EventHub, 'emit'>;
  logger: Logger;
}

export function promotionHandlers(deps: PromotionHandlerDeps): PromotionHandlers {
  /** The new or updated PR should show on the board without waiting for the next poll. */
  const showOpenedPr = (result: PromotionResult): void => {
    const repoUrl = repoUrlOfPullRequest(result.prUrl);
    if (repoUrl !== null) deps.pullRequestOpened(repoUrl);
  };
  // Every batch row is derived from main's own board, exactly like a single promotion:plan.
  const batches = createBatchPromotions({
    derive: async (request) => promotionOrderFromBoard(await deps.snapshot(), request),
    promotion: deps.promotion,
    emit: (progress) => deps.events.emit('promotion:batch-progressed', progress),
    onApplied: showOpenedPr,
    logger: deps.logger,
  });
  return {
    'promotion:plan': async (request) => {
      const order = promotionOrderFromBoard(await deps.snapshot(), request);
      if (!order.ok) {
        deps.logger.warn('promotion', `refused a plan for ${request.pipelineId.slice(0, 200)} → ${request.targetEnv.slice(0, 100)}: ${order.error.message}`);
        return order;
      }
      return deps.promotion.plan(order.value, (p) => deps.events.emit('promotion:progressed', p));
    },
    'promotion:plan-rollback': async (request) => {
      const order = rollbackOrderFromBoard(await deps.snapshot(), request);
      if (!order.ok) {
        deps.logger.warn('promotion', `refused a rollback plan for ${request.pipelineId.slice(0, 200)} in ${request.env.slice(0, 100)}: ${order.error.message}`);
        return order;
      }
      return deps.promotion.plan(order.value, (p) => deps.events.emit('promotion:progressed', p));
    },
    'promotion:apply': async ({ planId }) => {
      const result = await deps.promotion.apply(planId, (p) => deps.events.emit('promotion:progressed', p));
      if (result.ok) showOpenedPr(result.value);
      return result;
    },
    'promotion:discard-plan': ({ planId }) => {
      deps.promotion.discard(planId);
      return ok(null);
    },
    'promotion:plan-batch': async ({ rows }) => ok(await batches.plan(rows)),
    'promotion:apply-batch': ({ batchId }) => batches.apply(batchId),
    'promotion:retry-batch': ({ batchId }) => batches.retry(batchId),
    'promotion:discard-batch': ({ batchId }) => {
      batches.discard(batchId);
      return ok(null);
    },
  };
}
