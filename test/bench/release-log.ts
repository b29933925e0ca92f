// Release-log benchmark (not a test): 1,000 pipelines × 4 environments whose targets remember
// a release every 3 days for 30 days, served by the real main services (no forge hosts, so
// every entry comes from the targets' history and nothing leaves the machine), drawn by the
// built renderer in Chromium. renderMs: the log's data received → its rows painted, from the
// renderer's own marks (releases:data-received, releases:painted), for the 30-day range.
// Run: npx electron-vite build && npx tsx test/bench/release-log.ts [pipelines]
import { chromium } from '@playwright/test';
import { pathToFileURL } from 'node:url';
import type { BoardSnapshot, ReleaseHistoryEntry } from '../../src-main/common/board';
import { createLogger } from '../../src-main/log/logger';
import { createMainServices } from '../../src-main/services';
import { createControlledBoard } from '../e2e/board-fixtures/board-test';
import { createScaleBoard } from '../e2e/board-fixtures/scale-board';
import { previewAppInfo, startPreviewServer } from '../harness/preview-server';

export interface ReleaseLogBenchResult {
  renderMs: number;
  /** releases in the 30-day log */
  entries: number;
  /** rows in the DOM after painting (virtualised) */
  domRows: number;
}

export const releaseLogTargets: Partial<ReleaseLogBenchResult> = { renderMs: 1000 };

const DAY = 86_400_000;

/** The scale board with 10 releases per target, one every 3 days (newest first). */
export function boardWithHistory(pipelines: number, now: Date): BoardSnapshot {
  const board = createScaleBoard(pipelines, now);
  for (const row of board.pipelines) {
    for (const env of row.environments) {
      for (const t of env.targets) {
        const history: ReleaseHistoryEntry[] = Array.from({ length: 10 }, (_, k) => ({
          version: k === 0 ? (t.deployedVersion ?? '0.0.0') : `0.${10 - k}.${env.index}`,
          status: k === 0 ? 'deployed' : 'superseded',
          at: new Date(now.getTime() - (k * 3 + env.index * 0.1) * DAY).toISOString(),
        }));
        t.history = history;
      }
    }
  }
  return board;
}

export async function runReleaseLogBench(options: { pipelines: number; chromiumPath?: string }): Promise<ReleaseLogBenchResult> {
  const now = new Date();
  const board = createControlledBoard(boardWithHistory(options.pipelines, now));
  const services = await createMainServices({ logger: createLogger({ level: 'warn' }), appInfo: await previewAppInfo(), board, forgeHosts: [] });
  const preview = await startPreviewServer({ services });
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${preview.url}#view=releases`);
    await page.getByTestId('release-log-table').waitFor({ timeout: 60_000 });
    const samples: { renderMs: number; entries: number; domRows: number }[] = [];
    // alternate 7 and 30 days so every 30-day sample is a fresh log, not an unchanged one
    for (let i = 0; i < 5; i++) {
      await page.getByTestId('release-range').selectOption('7d');
      await page.waitForFunction(() => /^\d+ releases?/.test(document.querySelector('[data-testid="release-log-status"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
      await page.getByTestId('release-range').selectOption('30d');
      await page.waitForFunction(
        () => {
          const status = document.querySelector('[data-testid="release-log-status"]')?.textContent ?? '';
          const received = performance.getEntriesByName('releases:data-received')[0];
          const painted = performance.getEntriesByName('releases:painted')[0];
          return /^\d+ releases?/.test(status) && received && painted && painted.startTime > received.startTime && Number(status.split(' ')[0]) > 10_000;
        },
        undefined,
        { timeout: 60_000 },
      );
      samples.push(
        await page.evaluate(() => {
          const received = performance.getEntriesByName('releases:data-received')[0]!;
          const painted = performance.getEntriesByName('releases:painted')[0]!;
          const status = document.querySelector('[data-testid="release-log-status"]')?.textContent ?? '';
          return { renderMs: painted.startTime - received.startTime, entries: Number(status.split(' ')[0]), domRows: document.querySelectorAll('[data-testid="release-row"]').length };
        }),
      );
    }
    const sorted = [...samples].sort((a, b) => a.renderMs - b.renderMs);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return { renderMs: Math.round(median.renderMs), entries: median.entries, domRows: median.domRows };
  } finally {
    await browser.close();
    await preview.close();
    await services.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const pipelines = Number(process.argv[2] ?? 1000);
  console.log(JSON.stringify(await runReleaseLogBench({ pipelines }), null, 2));
  process.exit(0);
}
