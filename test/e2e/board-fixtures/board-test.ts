// Playwright fixtures for the board specs: a preview harness per worker whose board source
// the test controls — which snapshot `board:subscribe` returns, and `board:changed` pushes.
import { test as base } from '@playwright/test';
import path from 'node:path';
import type { BoardChange, BoardSnapshot } from '../../../src-main/common/board';
import { createLogger } from '../../../src-main/log/logger';
import { createMainServices, type BoardSource, type MainServices } from '../../../src-main/services';
import { previewAppInfo, repoRoot, startPreviewServer, type PreviewServer } from '../../harness/preview-server';
import { createDemoBoard } from './demo-board';

export const screenshotDir = path.join(repoRoot, 'artifacts/screenshots');

export interface ControlledBoard extends BoardSource {
  set(snapshot: BoardSnapshot): void;
  push(change: BoardChange): void;
  current(): BoardSnapshot;
}

export function createControlledBoard(initial: BoardSnapshot): ControlledBoard {
  let snapshot = initial;
  const listeners = new Set<(change: BoardChange) => void>();
  return {
    snapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      listeners.clear();
    },
    set(next) {
      snapshot = next;
    },
    current: () => snapshot,
    push(change) {
      const removed = new Set(change.removed);
      const byId = new Map(change.upserted.map((r) => [r.id, r]));
      const kept = snapshot.pipelines.filter((r) => !removed.has(r.id)).map((r) => byId.get(r.id) ?? r);
      const added = change.upserted.filter((r) => !snapshot.pipelines.some((p) => p.id === r.id));
      snapshot = { pipelines: [...kept, ...added].sort((a, b) => (a.id < b.id ? -1 : 1)), clusters: change.clusters ?? snapshot.clusters, generatedAt: new Date().toISOString() };
      for (const l of listeners) l(change);
    },
  };
}

export async function startBoardPreview(initial: BoardSnapshot): Promise<{ preview: PreviewServer; board: ControlledBoard; services: MainServices; close(): Promise<void> }> {
  const board = createControlledBoard(initial);
  const services = await createMainServices({
    logger: createLogger({ level: 'warn' }),
    appInfo: await previewAppInfo(),
    board,
  });
  const preview = await startPreviewServer({ services });
  return {
    preview,
    board,
    services,
    async close() {
      await preview.close();
      await services.stop();
    },
  };
}

export const test = base.extend<{ board: ControlledBoard }, { boardPreview: { preview: PreviewServer; board: ControlledBoard; services: MainServices } }>({
  boardPreview: [
    async ({}, use) => {
      const started = await startBoardPreview(createDemoBoard());
      await use(started);
      await started.close();
    },
    { scope: 'worker' },
  ],
  // Every test starts from a fresh demo board (times relative to now).
  board: async ({ boardPreview }, use) => {
    boardPreview.board.set(createDemoBoard());
    await use(boardPreview.board);
  },
});

export { expect } from '@playwright/test';
