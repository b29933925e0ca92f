// The data-plane benchmark's processing figures (processing-probe.ts): the board service, the
// product's own code, run over list bodies held in memory. Timings are reported by
// `npm run bench`, not asserted; this guards that the in-memory load is the live load's twin
// (the probe fails when the board asks for a list the live load did not fetch) and reaches a
// full board.
import { describe, expect, it } from 'vitest';
import { learnBoardListTargets, processingFigures } from '../bench/dataplane';
import { startSandbox } from '../sandbox/index';

describe('processing figures against the sandbox', () => {
  it('runs the board over the held bodies to a full board, and parsing alone costs less', async () => {
    const targets = await learnBoardListTargets();
    const sandbox = await startSandbox({ seed: 'scale:20', fluxDelayMs: 0 });
    try {
      const figures = await processingFigures(sandbox.info.kubeconfig, targets, 20);
      expect(figures.listBytes).toBeGreaterThan(20 * 1000);
      expect(figures.boardColdBusyMs).toBeGreaterThan(figures.parseOnlyBusyMs);
      expect(figures.boardWarmBusyMs).toBeGreaterThan(0);
    } finally {
      await sandbox.stop();
    }
  }, 90_000);
});
