import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../common/board';
import { testEnv, testRow, testTarget } from '../common/test-rows';
import { promotionOrderFromBoard } from './promotion-order';

const board: BoardSnapshot = {
  generatedAt: '',
  clusters: [],
  pipelines: [testRow('checkout', [testEnv('dev', 0, [testTarget('1.8.3')]), testEnv('staging', 1, [testTarget('1.8.2')]), testEnv('prod', 2, [testTarget('1.8.1')])])],
};

describe('promotionOrderFromBoard', () => {
  it('builds the order from the board: version, repository and strategy are main’s own', () => {
    const order = promotionOrderFromBoard(board, { pipelineId: 'team/checkout', targetEnv: 'staging' });
    expect(order).toEqual({
      ok: true,
      value: {
        pipelineNamespace: 'team',
        pipelineName: 'checkout',
        targetEnv: 'staging',
        version: '1.8.3',
        strategy: board.pipelines[0]!.environments[1]!.strategy,
        // the PR's evidence: dev's targets as main's board has them
        evidence: { sourceEnv: 'dev', version: '1.8.3', targets: [{ cluster: 'mgmt', namespace: 'ns', version: '1.8.3', health: 'ready' }] },
      },
    });
  });

  it('refuses a pipeline the board does not have, and a promotion its rules refuse', () => {
    expect(promotionOrderFromBoard(board, { pipelineId: 'team/nope', targetEnv: 'staging' })).toMatchObject({ ok: false, error: { code: 'not-eligible' } });
    // prod's source (staging) runs 1.8.2 and prod waits for no approval: a forged revision is refused
    expect(promotionOrderFromBoard(board, { pipelineId: 'team/checkout', targetEnv: 'prod', revision: '6.6.6-never-built' })).toMatchObject({
      ok: false,
      error: { code: 'not-eligible', message: expect.stringContaining('not waiting for the approval') },
    });
  });
});
