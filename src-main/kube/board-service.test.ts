import { afterEach, describe, expect, it } from 'vitest';
import type { BoardChange } from '../common/board';
import { createMemoryLogger } from '../log/logger';
import { createBoardService, type BoardService } from './board-service';
import { waitFor } from './test-helpers';

let service: BoardService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('createBoardService', () => {
  it('logs a listener that throws and still tells the other listeners', async () => {
    const logger = createMemoryLogger();
    service = createBoardService({
      loadKubeconfig: () => ({ ok: false, error: { code: 'kubeconfig-missing', message: 'No kubeconfig at /test/kubeconfig', hint: 'Create one.' } }),
      watchKubeconfig: false,
      logger,
    });
    const received: BoardChange[] = [];
    service.subscribe(() => {
      throw new Error('renderer went away');
    });
    service.subscribe((change) => received.push(change));
    await waitFor(() => received.length > 0, 'the kubeconfig change');
    expect(received[0]?.kubeconfig?.error).toEqual({ code: 'kubeconfig-missing', message: 'No kubeconfig at /test/kubeconfig', hint: 'Create one.' });
    expect(logger.records).toContainEqual(expect.objectContaining({ level: 'error', scope: 'board', message: 'a board listener failed: renderer went away' }));
  });
});
