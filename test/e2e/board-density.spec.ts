// Compact rows (issue 17): a table-like board where 25+ pipelines fit on a 900 px screen at
// 1,000 pipelines, still virtualised, toggled from the toolbar by keyboard and remembered by
// main across reloads. Also: the drop verdict never covers a pending badge, and an open PR's
// status ("no checks") is never cut, at the board widths the window allows.
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { BoardSnapshot } from '../../src-main/common/board';
import { createDemoBoard } from './board-fixtures/demo-board';
import { createScaleBoard } from './board-fixtures/scale-board';
import { expect, screenshotDir, test } from './board-fixtures/board-test';

const cell = (page: Page, rowId: string, env: string) => page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${env}"]`);

async function open(page: Page, url: string, hash = '') {
  await page.goto(url + hash);
  await expect(page.getByTestId('board-list')).toBeVisible();
}

/** Rows whose whole height is inside the list's visible box. */
function fullyVisibleRows(page: Page): Promise<number> {
  return page.getByTestId('board-list').evaluate((list) => {
    const box = list.getBoundingClientRect();
    return [...list.querySelectorAll('[data-testid="pipeline-row"]')].filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= box.top && b.bottom <= box.bottom;
    }).length;
  });
}

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  expect(b, 'element has a box').not.toBeNull();
  return b!;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The demo board with ledger's open PR reporting no review and no checks yet. */
function noChecksBoard(): BoardSnapshot {
  const board = createDemoBoard();
  return {
    ...board,
    pipelines: board.pipelines.map((row) =>
      row.id !== 'team-payments/ledger'
        ? row
        : {
            ...row,
            environments: row.environments.map((env) => ({ ...env, pending: env.pending.map((p) => (p.pr ? { ...p, pr: { ...p.pr, reviewState: undefined, checksState: undefined } } : p)) })),
          },
    ),
  };
}

/** The demo board with checkout's prod rolling 1.8.2 out (0 of 1 targets healthy yet). */
function rollingOutBoard(): BoardSnapshot {
  const board = createDemoBoard();
  const rollout = {
    version: '1.8.2',
    pr: { number: 1, url: 'https://forge.test/acme/fleet-config/pull/1' },
    mergedAt: board.generatedAt,
    state: 'rolling-out' as const,
    done: 0,
    total: 1,
    targets: [],
  };
  return {
    ...board,
    pipelines: board.pipelines.map((row) => (row.id !== 'team-payments/checkout' ? row : { ...row, environments: row.environments.map((env) => (env.name === 'prod' ? { ...env, rollout } : env)) })),
  };
}

test.describe('board density', () => {
  test.afterEach(async ({ boardPreview }) => {
    // The preview's settings outlive a test: leave the next one the default density.
    await boardPreview.services.dispatcher.dispatch('settings:update', { density: 'comfortable' });
  });

  test('compact rows: 25+ pipelines on a 900 px screen at 1,000 pipelines, virtualised, by keyboard, remembered', async ({ page, boardPreview, board }) => {
    board.set(createScaleBoard(1000));
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, boardPreview.preview.url);
    const toggle = page.getByTestId('density-toggle');
    await expect(toggle).toHaveAccessibleName('Compact rows');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    const comfortable = await fullyVisibleRows(page);
    expect(comfortable).toBeLessThan(10);

    await toggle.focus();
    await page.keyboard.press('Space');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('board-list')).toHaveClass(/board-list--compact/);
    await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(25);
    // still virtualised: a screenful (plus overscan) in the DOM, not 1,000 rows
    expect(await page.getByTestId('pipeline-row').count()).toBeLessThan(60);
    await page.screenshot({ path: path.join(screenshotDir, 'board-compact.png') });

    // the grid's keyboard navigation works on the compact lines
    await cell(page, 'team-000/service-0000', 'dev').focus();
    await page.keyboard.press('ArrowDown');
    await expect(cell(page, 'team-000/service-0001', 'dev')).toBeFocused();

    // scrolling reaches the last pipeline, and the rows stay one line each
    await page.getByTestId('board-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(page.locator('[data-testid="pipeline-row"][data-row-id="team-039/service-0999"]')).toBeVisible();
    // a jump mounts most rows as placeholders first (the list's mount budget); they fill in
    await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(25);

    // main remembers the choice: a reload (a restart of the window) opens compact
    await page.reload();
    await expect(page.getByTestId('density-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(25);
    const saved = await boardPreview.services.dispatcher.dispatch('settings:get', undefined);
    expect(saved).toMatchObject({ ok: true, value: { density: 'compact' } });

    await page.getByTestId('density-toggle').press('Enter');
    await expect(page.getByTestId('density-toggle')).toHaveAttribute('aria-pressed', 'false');
    await expect.poll(() => fullyVisibleRows(page)).toBeLessThan(10);
  });

  test('a brisk wheel turn mounts placeholders first, and every row in view is full once it stops', async ({ page, boardPreview, board }) => {
    board.set(createScaleBoard(1000));
    await boardPreview.services.dispatcher.dispatch('settings:update', { density: 'compact' });
    await open(page, boardPreview.preview.url);
    await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(20);
    // Records every placeholder the list ever mounts (they may be gone before anyone looks).
    await page.getByTestId('board-list').evaluate((list) => {
      const seen = new Map<string, string>();
      (window as unknown as { __placeholders: Map<string, string> }).__placeholders = seen;
      new MutationObserver((records) => {
        for (const r of records)
          for (const n of r.addedNodes) if (n instanceof HTMLElement && n.dataset['testid'] === 'pipeline-row-placeholder') seen.set(n.dataset['rowId'] ?? '', n.textContent ?? '');
      }).observe(list, { childList: true, subtree: true });
    });
    const list = await box(page.getByTestId('board-list'));
    await page.mouse.move(list.x + list.width / 2, list.y + list.height / 2);
    for (let i = 0; i < 6; i += 1) await page.mouse.wheel(0, 400);

    const seen = await page.evaluate(() => [...(window as unknown as { __placeholders: Map<string, string> }).__placeholders]);
    // ~14 rows enter per 400 px step; at most 2 per render mount in full
    expect(seen.length).toBeGreaterThan(5);
    // a placeholder names its pipeline and each environment with its version
    const [firstId, firstText] = seen[0]!;
    expect(firstText).toContain(firstId.split('/')[1]!);
    expect(firstText).toMatch(/dev\s*\d+\.\d+\.\d+.*prod\s*\d+\.\d+\.\d+/);
    const placeholders = seen.map(([id]) => id);
    // once the wheel stops, every placeholder has become a full row
    await expect(page.getByTestId('pipeline-row-placeholder')).toHaveCount(0);
    await expect.poll(() => fullyVisibleRows(page)).toBeGreaterThanOrEqual(20); // 800 px: ~22 lines
    for (const id of placeholders.slice(0, 5)) {
      const row = page.locator(`[data-testid="pipeline-row"][data-row-id="${id}"]`);
      if ((await row.count()) > 0) await expect(row.getByTestId('env-cell')).toHaveCount(4);
    }
  });

  test('compact rows: the rollout badge shows its short form with its count uncut, the whole sentence in its title', async ({ page, boardPreview, board }) => {
    board.set(rollingOutBoard());
    await boardPreview.services.dispatcher.dispatch('settings:update', { density: 'compact' });
    for (const width of [960, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await open(page, boardPreview.preview.url, '#q=team-payments');
      await expect(page.getByTestId('board-list')).toHaveClass(/board-list--compact/);
      const prod = cell(page, 'team-payments/checkout', 'prod');
      const badge = prod.getByTestId('rollout-badge');
      await expect(badge.locator('[aria-hidden="true"]')).toHaveText('↻ 0/1');
      await expect(badge).toHaveAttribute('title', /^Rolling out 1\.8\.2 · 0\/1 — #1 merged /);
      expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      // inside the cell, not cut off by its edge
      const cellBox = await box(prod);
      const badgeBox = await box(badge);
      expect(badgeBox.x + badgeBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width);
      if (width === 960) await page.screenshot({ path: path.join(screenshotDir, 'rollout-badge-compact.png') });
    }
  });

  for (const width of [960, 1280, 1920]) {
    test(`at ${width} px an open PR's status is never cut, and the drop verdict never covers a pending badge`, async ({ page, boardPreview, board }) => {
      board.set(noChecksBoard());
      await page.setViewportSize({ width, height: 900 });
      await open(page, boardPreview.preview.url, '#q=team-payments');
      const status = cell(page, 'team-payments/ledger', 'prod').getByTestId('pr-status');
      await expect(status).toHaveText('· no review · no checks');
      for (const part of await status.locator('.badge__part').all()) {
        expect(await part.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        // inside the cell, not cut off by its edge
        const cellBox = await box(cell(page, 'team-payments/ledger', 'prod'));
        const partBox = await box(part);
        expect(partBox.x + partBox.width).toBeLessThanOrEqual(cellBox.x + cellBox.width);
        expect(partBox.y + partBox.height).toBeLessThanOrEqual(cellBox.y + cellBox.height);
      }

      // drag refunds' dev version over staging, which shows "Promotion expected · 0.9.4"
      const target = cell(page, 'team-payments/refunds', 'staging');
      const chip = await box(cell(page, 'team-payments/refunds', 'dev').getByTestId('version-chip'));
      const over = await box(target);
      await page.mouse.move(chip.x + chip.width / 2, chip.y + chip.height / 2);
      await page.mouse.down();
      await page.mouse.move(chip.x + chip.width / 2 + 10, chip.y + chip.height / 2, { steps: 3 });
      await page.mouse.move(over.x + over.width / 2, over.y + over.height / 3, { steps: 8 });
      const verdict = target.getByTestId('drop-verdict');
      await expect(verdict).toHaveText('Drop to promote 0.9.4 to staging');
      const badge = target.getByTestId('pending-badge');
      await expect(badge).toBeVisible();
      expect(overlaps(await box(verdict), await box(badge))).toBe(false);
      if (width === 1280) await page.screenshot({ path: path.join(screenshotDir, 'drop-verdict-beside-badge.png') });
      await page.keyboard.press('Escape');
      await page.mouse.up();
    });
  }
});
