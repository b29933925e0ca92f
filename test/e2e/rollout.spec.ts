// Issue 17 on the demo sandbox, before anyone signs in: open PRs of the public config
// repository are read without a token, the private GitLab project's cells say "sign in to see
// open MRs" and the filter bar counts them apart. Then PR #1 is merged in the sandbox forge and
// the board follows the rollout: merged → reconciling → healthy, in the cell and in the detail
// panel. The Flux simulator runs on a manual clock, so each step happens when the test says.
import { Octokit } from '@octokit/rest';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { manualClock, type ManualClock } from '../sandbox/flux/simulator';
import { cell, expect, openBoard, screenshotDir, startRealApp, waitFor, type RealApp } from './sandbox-fixtures';

const FLUX_STEP_MS = 5_000;

const test = base.extend<object, { app: RealApp & { flux: ManualClock } }>({
  app: [
    async ({}, use) => {
      // the simulator's timers move only on advance(); its timestamps read the real clock, as main's do
      const manual = manualClock(new Date());
      const flux: ManualClock = { ...manual, now: () => new Date() };
      const app = await startRealApp({ fluxDelayMs: FLUX_STEP_MS, fluxClock: flux });
      await use({ ...app, flux });
      await app.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

const count = (page: Page, filter: string) => page.getByTestId(`filter-${filter}`).getByTestId('filter-count');

test.describe('rollout timeline and open PRs before sign-in (demo seed)', () => {
  test('before sign-in: PR #1 on the public repository shows; the private project says "sign in"; the filters count them apart', async ({ page, app }) => {
    const sessions = (await app.services.dispatcher.dispatch('auth:list-sessions', undefined)) as { ok: true; value: unknown[] };
    expect(sessions.value).toEqual([]);
    await openBoard(page, app);

    const checkoutProd = cell(page, 'team-payments/checkout', 'prod');
    await expect(checkoutProd.getByTestId('pending-badge')).toContainText('PR #1', { timeout: 20_000 });
    await expect(checkoutProd).not.toContainText('Promotion expected');

    // the GitLab project is private: its PR state is unknown until sign-in, and the cell says so
    const gatewayProd = cell(page, 'platform/ingress-gateway', 'prod');
    await expect(gatewayProd.getByTestId('pending-badge')).toHaveText('Sign in to see open MRs · 4.11.2');
    await expect(cell(page, 'platform/cert-rotation', 'prod').getByTestId('pending-badge')).toHaveText('Sign in to see open MRs · 2.3.0');

    await expect(count(page, 'pr-open')).toHaveText('1');
    await expect(count(page, 'pr-unknown')).toHaveText('2');
    await page.getByTestId('filter-pr-unknown').click();
    await expect(page.getByTestId('board-count')).toHaveText(/^2 of \d+ pipelines$/);
    await expect(page.locator('[data-testid="pipeline-row"]')).toHaveCount(2);
    // "needs promotion" no longer counts the environments whose PR state is unknown
    await page.getByTestId('filter-pr-unknown').click();
    await page.getByTestId('filter-needs-promotion').click();
    await expect(page.locator('[data-testid="pipeline-row"][data-row-id="platform/cert-rotation"]')).toHaveCount(0);
    await page.getByTestId('filter-needs-promotion').click();
    await page.screenshot({ path: path.join(screenshotDir, 'before-sign-in.png') });
  });

  test('merging PR #1 in the forge: the cell and the detail panel follow merged → reconciling → healthy', async ({ page, app }) => {
    await openBoard(page, app);
    const prod = cell(page, 'team-payments/checkout', 'prod');
    await expect(prod.getByTestId('pending-badge')).toContainText('PR #1', { timeout: 20_000 });

    const octokit = new Octokit({ baseUrl: app.sandbox.forge.apiUrl, auth: app.sandbox.users.tokens['releaseManager'] });
    const merged = await octokit.pulls.merge({ owner: 'acme', repo: 'fleet-config', pull_number: 1, merge_method: 'squash' });
    expect(merged.data.merged).toBe(true);
    // Flux has seen the commit and waits for its first step
    await waitFor('the Flux simulator to pick the merge up', () => (app.flux.pendingTimers() > 0 ? true : undefined));

    // step 1: the HelmRelease asks for 1.8.2 and reports Ready=Unknown (Progressing)
    await app.flux.advance(FLUX_STEP_MS);
    const badge = prod.getByTestId('rollout-badge');
    await expect(badge).toHaveText('Rolling out 1.8.2 · 0/1', { timeout: 20_000 });
    // by keyboard, not a click: the cell's layout moves while the rollout badge arrives, and a
    // click at its centre can land on a badge instead of the cell
    await prod.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-panel')).toBeVisible();
    const timeline = page.getByTestId('rollout-timeline');
    await expect(timeline).toHaveAttribute('data-state', 'rolling-out');
    const steps = timeline.getByTestId('rollout-step');
    await expect(steps).toHaveCount(2);
    await expect(steps.nth(0)).toContainText('#1 merged: 1.8.2');
    await expect(steps.nth(1)).toContainText('prod-eu/payments reconciling 1.8.2');
    await expect(steps.nth(0).locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await page.screenshot({ path: path.join(screenshotDir, 'rollout-reconciling.png') });

    // step 2: Ready=True on the new revision
    await app.flux.advance(FLUX_STEP_MS);
    await expect(badge).toHaveText('Rolled out 1.8.2 · 1/1');
    await expect(badge).toHaveAttribute('data-state', 'healthy');
    await expect(timeline).toHaveAttribute('data-state', 'healthy');
    await expect(steps).toHaveCount(3);
    await expect(steps.nth(2)).toContainText('prod-eu/payments healthy on 1.8.2');
    await expect(prod.getByTestId('version-chip')).toHaveText('1.8.2');
    await page.screenshot({ path: path.join(screenshotDir, 'rollout-healthy.png') });

    // compact rows: the badge keeps its count in its short form, and no token chip reaches an
    // environment's name (the sandbox's pipelines rely on tokens, so every row has a chip)
    await page.keyboard.press('Escape');
    const density = page.getByTestId('density-toggle');
    await density.click();
    await expect(density).toHaveAttribute('aria-pressed', 'true');
    await expect(badge.locator('[aria-hidden="true"]')).toHaveText('✓ 1/1');
    await expect(badge).toHaveAttribute('title', /^Rolled out 1\.8\.2 · 1\/1 — /);
    expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const chips = await page.getByTestId('row-token-badge').count();
    expect(chips).toBeGreaterThan(0);
    const collisions = await page.getByTestId('board-list').evaluate((list) => {
      const hit = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const found: string[] = [];
      for (const row of list.querySelectorAll('[data-testid="pipeline-row"]')) {
        const chip = row.querySelector('[data-testid="row-token-badge"]')?.getBoundingClientRect();
        const head = row.querySelector('.pipeline-row__head')?.getBoundingClientRect();
        if (!chip || !head) continue;
        if (chip.top < head.top || chip.bottom > head.bottom || chip.right > head.right) found.push(`${row.getAttribute('data-row-id')}: chip outside its head`);
        for (const name of list.querySelectorAll('.cell__env')) if (hit(chip, name.getBoundingClientRect())) found.push(`${row.getAttribute('data-row-id')}: chip over ${name.textContent}`);
      }
      return found;
    });
    expect(collisions).toEqual([]);
    await page.screenshot({ path: path.join(screenshotDir, 'rollout-compact.png') });
    await density.click();
    await expect(density).toHaveAttribute('aria-pressed', 'false');
  });
});
