// Turns a rollback request ({pipelineId, env, reason}) into a promotion order from main's own
// board: the version to go back to and the version it replaces come from the targets' release
// history (common/rollback.ts), never from the renderer; the reason is the only free text and
// is bounded here as well as by the IPC schema.
import type { BoardSnapshot } from '../common/board';
import type { PromotionOrder } from '../common/promotion';
import { err, ok, type Result } from '../common/result';
import { deriveRollback, ROLLBACK_REASON_MAX, type RollbackRequest } from '../common/rollback';

export function rollbackOrderFromBoard(board: BoardSnapshot, request: RollbackRequest): Result<PromotionOrder> {
  const reason = request.reason.trim();
  if (reason.length === 0) return err('invalid-request', 'Say why you roll back: the reason goes into the pull request for its reviewers.');
  if (reason.length > ROLLBACK_REASON_MAX) return err('invalid-request', `The reason is longer than ${ROLLBACK_REASON_MAX} characters.`);
  const row = board.pipelines.find((p) => p.id === request.pipelineId);
  if (!row) return err('not-eligible', `The board has no pipeline ${request.pipelineId.slice(0, 200)}.`, 'It may have been deleted; check the board.');
  const derived = deriveRollback(row, request.env);
  if (!derived.allowed) return err('not-eligible', `Can't roll back: ${derived.reason}`);
  return ok({
    pipelineNamespace: row.namespace,
    pipelineName: row.name,
    targetEnv: derived.env.name,
    version: derived.version,
    strategy: derived.strategy,
    rollback: { replaces: derived.replaces, reason },
  });
}
