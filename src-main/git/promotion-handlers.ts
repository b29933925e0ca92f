// The promotion:* request handlers. Main derives every promotion from its own board: the
// renderer names only the pipeline, the target environment and an approval's revision.
import type { BoardSnapshot } from '../common/board';
import { ok } from '../common/result';
import { repoUrlOfPullRequest } from '../forges/registry';
import type { RequestHandlers } from '../ipc/dispatcher';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../log/logger';
import { promotionOrderFromBoard } from './promotion-order';
import type { PromotionService } from './promotion-service';

export type PromotionHandlers = Pick<RequestHandlers, 'promotion:plan' | 'promotion:apply' | 'promotion:discard-plan'>;

export interface PromotionHandlerDeps {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  promotion: PromotionService;
  /** Forget the cached open PRs of a repository and poll again (the board's "PR open" badges). */
  pullRequestOpened(repoUrl: string): void;
  events: Pick<EventHub, 'emit'>;
  logger: Logger;
}

export function promotionHandlers(deps: PromotionHandlerDeps): PromotionHandlers {
  return {
    'promotion:plan': async (request) => {
      const order = promotionOrderFromBoard(await deps.snapshot(), request);
      if (!order.ok) {
        deps.logger.warn('promotion', `refused a plan for ${request.pipelineId.slice(0, 200)} → ${request.targetEnv.slice(0, 100)}: ${order.error.message}`);
        return order;
      }
      return deps.promotion.plan(order.value, (p) => deps.events.emit('promotion:progressed', p));
    },
    'promotion:apply': async ({ planId }) => {
      const result = await deps.promotion.apply(planId, (p) => deps.events.emit('promotion:progressed', p));
      // The new or updated PR should show on the board without waiting for the next poll.
      const repoUrl = result.ok ? repoUrlOfPullRequest(result.value.prUrl) : null;
      if (repoUrl !== null) deps.pullRequestOpened(repoUrl);
      return result;
    },
    'promotion:discard-plan': ({ planId }) => {
      deps.promotion.discard(planId);
      return ok(null);
    },
  };
}
