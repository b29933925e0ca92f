// Renderer benchmark (not a test): the built renderer in Chromium on the preview harness with
// a scale:N board. Measures first paint (snapshot received → rows painted, from the
// renderer's own performance marks), how fast a pushed board:changed reaches the DOM, long
// tasks while scrolling and dragging, JS heap, and the gzip size of the bundle; then real
// wheel events (Playwright mouse.wheel → Chromium input pipeline) from the top of the board to
// its bottom, with every frame's duration (requestAnimationFrame deltas) and long tasks.
// Run: npx electron-vite build && npx tsx test/bench/renderer.ts [pipelines] [default|compact]
import { chromium, type Page } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../harness/preview-server';
import { startBoardPreview } from '../e2e/board-fixtures/board-test';
import { createScaleBoard, createScaleRow } from '../e2e/board-fixtures/scale-board';
import { percentile } from './stats';

/** The board's row density; 'compact' is set through settings:update as the app's Settings does. */
export type BenchDensity = 'default' | 'compact';

export interface RendererBenchResult {
  density: BenchDensity;
  firstPaintMs: number;
  changeVisibleMs: number;
  longTasksOver50ms: number;
  /** long tasks while wheel-scrolling the whole board, top to bottom */
  wheelLongTasksOver50ms: number;
  /** frame duration p95 while wheel-scrolling the whole board */
  wheelFrameP95Ms: number;
  wheelFrameP50Ms: number;
  wheelEvents: number;
  rendererHeapMB: number;
  bundleGzipKB: number;
}

export const rendererTargets: Partial<RendererBenchResult> = {
  firstPaintMs: 1000,
  changeVisibleMs: 100,
  longTasksOver50ms: 0,
  wheelLongTasksOver50ms: 0,
  wheelFrameP95Ms: 20,
  rendererHeapMB: 120,
  bundleGzipKB: 400,
};

/** At most this many wheel events for a whole-board pass: larger boards get larger steps. */
const MAX_WHEEL_EVENTS = 1500;
/** About four notches of a mouse wheel, a brisk scroll. */
const MIN_WHEEL_DELTA_PX = 400;

export async function wheelThroughBoard(page: Page): Promise<{ longTasks: number[]; frames: number[]; events: number }> {
  const list = page.getByTestId('board-list');
  const box = (await list.boundingBox())!;
  await list.evaluate((el) => (el.scrollTop = 0));
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const { scrollHeight, clientHeight } = await list.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
  const delta = Math.max(MIN_WHEEL_DELTA_PX, Math.ceil((scrollHeight - clientHeight) / MAX_WHEEL_EVENTS));
  // Passed as source text: tsx would wrap a named function in a helper the page does not have.
  await page.evaluate(`(() => {
    const w = window;
    w.__wheel = { longTasks: [], frames: [], running: true };
    new PerformanceObserver((entries) => {
      if (w.__wheel.running) for (const e of entries.getEntries()) w.__wheel.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    requestAnimationFrame(function tick(t) {
      w.__wheel.frames.push(t - last);
      last = t;
      if (w.__wheel.running) requestAnimationFrame(tick);
    });
  })()`);
  let events = 0;
  for (;;) {
    await page.mouse.wheel(0, delta);
    events += 1;
    if (events % 20 === 0 || events >= MAX_WHEEL_EVENTS * 2) {
      const atBottom = await list.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1);
      if (atBottom || events >= MAX_WHEEL_EVENTS * 2) break;
    }
  }
  await page.waitForTimeout(300);
  const { longTasks, frames } = await page.evaluate(() => {
    const w = window as unknown as { __wheel: { longTasks: number[]; frames: number[]; running: boolean } };
    w.__wheel.running = false;
    return w.__wheel;
  });
  // The first delta spans the observer's set-up, not a frame.
  return { longTasks, frames: frames.slice(1), events };
}

async function bundleGzipKB(): Promise<number> {
  const dir = path.join(repoRoot, 'out/renderer/assets');
  let total = 0;
  for (const name of await readdir(dir)) if (name.endsWith('.js')) total += gzipSync(await readFile(path.join(dir, name)), { level: 9 }).length;
  return Math.round((total / 1024) * 10) / 10;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const wallNow = () => performance.timeOrigin + performance.now();

async function applyDensity(services: { dispatcher: { dispatch(channel: unknown, payload: unknown): Promise<{ ok: boolean; error?: { message: string } }> } }, density: BenchDensity): Promise<void> {
  if (density === 'default') return;
  const saved = await services.dispatcher.dispatch('settings:update', { density });
  if (!saved.ok) throw new Error(`--density ${density}: the app refused the setting (${saved.error?.message ?? 'no reason given'}); this build may not have that density yet`);
}

export async function runRendererBench(options: { pipelines: number; density?: BenchDensity; chromiumPath?: string }): Promise<RendererBenchResult> {
  const now = new Date();
  const density = options.density ?? 'default';
  const started = await startBoardPreview(createScaleBoard(options.pipelines, now));
  await applyDensity(started.services, density).catch(async (error: unknown) => {
    await started.close();
    throw error;
  });
  const browser = await chromium.launch({
    executablePath: options.chromiumPath ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    if (process.env['BENCH_DEBUG']) console.error('preview up');
    await page.goto(started.preview.url);
    if (process.env['BENCH_DEBUG']) console.error('loaded');
    await page.waitForFunction(() => performance.getEntriesByName('board:painted').length > 0, undefined, { timeout: 30_000 });
    if (process.env['BENCH_DEBUG']) console.error('painted');
    const firstPaintMs = await page.evaluate(() => {
      const received = performance.getEntriesByName('board:snapshot-received')[0]!;
      const painted = performance.getEntriesByName('board:painted')[0]!;
      return painted.startTime - received.startTime;
    });

    // Change → DOM: the page stamps the wall clock when the visible cell's version text changes.
    const samples: number[] = [];
    const firstRowId = await page.locator('[data-testid="pipeline-row"]').first().getAttribute('data-row-id');
    const index = Number(/service-(\d+)/.exec(firstRowId ?? '')?.[1] ?? 0);
    for (let i = 1; i <= 7; i += 1) {
      await page.evaluate((rowId) => {
        const chip = document.querySelector(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="prod"] [data-testid="version-chip"]`);
        const before = chip?.textContent ?? '';
        const w = window as unknown as { __changedAt?: Promise<number> };
        w.__changedAt = new Promise<number>((resolve) => {
          const target = chip?.closest('[data-testid="pipeline-row"]') ?? document.body;
          const mo = new MutationObserver(() => {
            const now = document.querySelector(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="prod"] [data-testid="version-chip"]`);
            if (now && now.textContent !== before) {
              mo.disconnect();
              resolve(performance.timeOrigin + performance.now());
            }
          });
          mo.observe(target, { subtree: true, childList: true, characterData: true });
        });
      }, firstRowId);
      const sentAt = wallNow();
      started.board.push({ upserted: [createScaleRow(index, now, i * 10)], removed: [] });
      const seenAt = await page.evaluate(() => (window as unknown as { __changedAt: Promise<number> }).__changedAt);
      samples.push(seenAt - sentAt);
    }
    const changeVisibleMs = median(samples);
    if (process.env['BENCH_DEBUG']) console.error('first paint', firstPaintMs, 'change samples', samples);

    // Long tasks while scrolling and dragging.
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: 'longtask' });
    });
    const list = page.getByTestId('board-list');
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 40; i += 1) {
      await page.mouse.wheel(0, 600);
      await page.waitForTimeout(16);
    }
    for (let i = 0; i < 20; i += 1) {
      await page.mouse.wheel(0, -900);
      await page.waitForTimeout(16);
    }
    await page.waitForTimeout(200);
    if (process.env['BENCH_DEBUG']) console.error('after scroll', await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks));
    // A chip that is shown and on screen in either density (the overscan rows are in the DOM too).
    const chip = page.locator('[data-testid="env-cell"][data-env="dev"] [data-testid="version-chip"]').filter({ visible: true }).first();
    // Rows can still be unmounting from the scroll above (they render as a transition): a chip
    // that detaches while being scrolled to is looked up again.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await chip.scrollIntoViewIfNeeded({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const from = (await chip.boundingBox())!;
    const row = page.locator('[data-testid="pipeline-row"]').filter({ has: chip });
    const far = (await row.locator('[data-testid="env-cell"]').nth(3).boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 30; i += 1) {
      const t = i / 30;
      await page.mouse.move(from.x + (far.x + far.width / 2 - from.x) * t, from.y + (far.y + far.height / 2 - from.y) * t + Math.sin(t * 6) * 40);
    }
    // Drop back on the source cell: nothing to promote, no dialog.
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2, { steps: 10 });
    await page.mouse.up();
    await page.waitForTimeout(300);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    if (process.env['BENCH_DEBUG']) console.error('after drag', longTasks);

    const wheel = await wheelThroughBoard(page);
    if (process.env['BENCH_DEBUG']) console.error('wheel', wheel.events, 'events, long tasks', wheel.longTasks);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

    return {
      density,
      firstPaintMs: Math.round(firstPaintMs),
      changeVisibleMs: Math.round(changeVisibleMs * 10) / 10,
      longTasksOver50ms: longTasks.filter((d) => d > 50).length,
      wheelLongTasksOver50ms: wheel.longTasks.filter((d) => d > 50).length,
      wheelFrameP95Ms: Number(percentile(wheel.frames, 95).toFixed(1)),
      wheelFrameP50Ms: Number(percentile(wheel.frames, 50).toFixed(1)),
      wheelEvents: wheel.events,
      rendererHeapMB: Math.round((heap.usedSize / 1024 / 1024) * 10) / 10,
      bundleGzipKB: await bundleGzipKB(),
    };
  } finally {
    await browser.close();
    await started.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const pipelines = Number(process.argv[2] ?? 1000);
  const result = await runRendererBench({ pipelines, density: (process.argv[3] as BenchDensity | undefined) ?? 'default' });
  const rows = (Object.keys(result) as (keyof RendererBenchResult)[]).map((k) => {
    const target = rendererTargets[k] as number | undefined;
    const value = result[k];
    return { metric: k, value, target: target === undefined ? 'report' : `≤ ${target}`, ok: target === undefined || typeof value !== 'number' || value <= target };
  });
  console.table(rows);
  console.log(JSON.stringify({ pipelines, ...result }));
}
