// Turns what the renderer asked for ({pipelineId, targetEnv, revision?}) into a promotion order,
// using only main's own board model. Security model: the renderer is untrusted, so it names a
// pipeline and an environment and nothing else; the source environment, the version, the
// repository, the base branch and the strategy all come from cluster state main read itself,
// re-checked with the same rules the renderer shows (common/promotion-eligibility).
import type { BoardSnapshot } from '../common/board';
import type { PromotionOrder, PromotionRequest } from '../common/promotion';
import { derivePromotion } from '../common/promotion-eligibility';
import { err, ok, type Result } from '../common/result';
import { promotionEvidence } from './promotion-evidence';

export function promotionOrderFromBoard(board: BoardSnapshot, request: PromotionRequest): Result<PromotionOrder> {
  const row = board.pipelines.find((p) => p.id === request.pipelineId);
  if (!row) return err('not-eligible', `The board has no pipeline ${request.pipelineId.slice(0, 200)}.`, 'It may have been deleted; check the board.');
  const derived = derivePromotion(row, request.targetEnv, request.revision);
  if (!derived.allowed) return err('not-eligible', `Can't promote: ${derived.reason}`);
  const { promotion } = derived;
  // the PR's evidence comes from the same board: the source environment's targets as main read them
  const evidence = promotion.from ? { evidence: promotionEvidence(promotion.from, promotion.version) } : {};
  return ok({ pipelineNamespace: row.namespace, pipelineName: row.name, targetEnv: promotion.to.name, version: promotion.version, strategy: promotion.strategy, ...evidence });
}
