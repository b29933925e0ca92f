// Batch promotion end to end on the demo sandbox, with its OWN sandbox (it opens five PRs and
// MRs, which the shared journeys must not see): cells picked with Ctrl-click, Shift-click and
// the x key → one review listing every pipeline, version change and file line → confirm → the
// GitHub sandbox forge fails one commit → that row alone is reported failed → "Retry failed
// rows" opens it → one open PR/MR per pipeline in the two forges. The Inbox offers the same.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { cell, expect, openBoard, screenshotDir, startRealApp, test, type RealApp } from './sandbox-fixtures';
import { authorizeInBrowser } from './sign-in';

const GH_REPO = 'acme/fleet-config';
const GL_PROJECT = 'platform-team/infra/fleet-config';

/** The five promotions the demo seed offers (3 on GitHub, 2 on GitLab): [pipeline, cell that moves on, target env]. */
const BATCH: [string, string, string][] = [
  ['platform/ingress-nginx', 'staging', 'prod'],
  ['team-payments/checkout', 'staging', 'prod'],
  ['team-payments/ledger', 'dev', 'prod'],
  ['platform/cert-rotation', 'staging', 'prod'],
  ['platform/ingress-gateway', 'staging', 'prod'],
];

/** Signs in to both sandbox forges as the user would, through the "system browser". */
async function signInEverywhere(page: Page, app: RealApp): Promise<void> {
  const dispatch = app.services.dispatcher.dispatch.bind(app.services.dispatcher);
  const hosts = (await dispatch('auth:list-hosts', undefined)) as { ok: true; value: { id: string; type: string }[] };
  for (const [type, button] of [
    ['github', '#js-oauth-authorize-btn'],
    ['gitlab', '#authorize'],
  ] as const) {
    const host = hosts.value.find((h) => h.type === type)!;
    const signingIn = dispatch('auth:sign-in', { host: host.id });
    await authorizeInBrowser(page, app, button);
    expect(await signingIn).toMatchObject({ ok: true, value: { host: host.id } });
  }
}

test.describe('batch promotion on the demo sandbox', () => {
  let app: RealApp & { stop(): Promise<void> };
  test.beforeAll(async () => {
    app = await startRealApp();
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test('the Inbox offers every waiting promotion as one batch', async ({ page }) => {
    await signInEverywhere(page, app);
    await openBoard(page, app);
    await page.keyboard.press('i');
    const promoteAll = page.getByTestId('inbox-promote-all');
    await expect(promoteAll).toHaveText(/^Promote all \d+ waiting$/);
    const count = Number(/\d+/.exec((await promoteAll.textContent()) ?? '')![0]);
    expect(count).toBeGreaterThanOrEqual(2);
    await promoteAll.click();
    const dialog = page.getByTestId('batch-dialog');
    await expect(dialog.getByTestId('batch-row')).toHaveCount(count, { timeout: 20_000 });
    await expect(dialog.getByTestId('batch-confirm')).toBeEnabled({ timeout: 20_000 });
    await dialog.getByTestId('batch-cancel').click();
    await expect(dialog).toHaveCount(0);

    // the palette's preset selects the same way: staging healthy for at least an hour, that prod lacks
    await page.keyboard.press('i');
    await expect(page.getByTestId('board-list')).toBeVisible();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Command' }).fill('batch staging 1 h');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('batch-count')).toHaveText(/^[1-9]\d* cells? selected$/);
    await expect(cell(page, 'platform/ingress-nginx', 'staging')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('batch-clear').click();
    await expect(page.getByTestId('batch-bar')).toHaveCount(0);
  });

  test('a batch of 5 with one row failing, then retried: one PR per pipeline', async ({ page }) => {
    test.setTimeout(90_000);
    const forge = app.sandbox.forge.server;
    // tall enough that the virtual list draws every demo pipeline
    await page.setViewportSize({ width: 1440, height: 2400 });
    await openBoard(page, app);

    // pick: Ctrl-click, Shift-click, and the keyboard (x on a focused cell)
    const [first, second, third, fourth, fifth] = BATCH.map(([id, env]) => cell(page, id, env));
    await first!.click({ modifiers: ['Control'], position: { x: 8, y: 8 } });
    await second!.click({ modifiers: ['Shift'], position: { x: 8, y: 8 } });
    await third!.click({ modifiers: ['Control'], position: { x: 8, y: 8 } });
    await fourth!.click({ modifiers: ['Control'], position: { x: 8, y: 8 } });
    await fifth!.focus();
    await page.keyboard.press('x');
    await expect(page.getByTestId('batch-count')).toHaveText('5 cells selected');
    for (const c of [first, second, third, fourth, fifth]) await expect(c!).toHaveAttribute('aria-selected', 'true');
    await page.screenshot({ path: path.join(screenshotDir, 'batch-selection.png') });

    // one review: every pipeline, version change and file line
    await page.keyboard.press('b');
    const dialog = page.getByTestId('batch-dialog');
    await expect(dialog.getByTestId('batch-confirm')).toHaveText('Confirm and open 5 pull/merge requests', { timeout: 20_000 });
    const rows = dialog.getByTestId('batch-row');
    await expect(rows).toHaveCount(5);
    for (const [id, , env] of BATCH) {
      const row = dialog.locator(`[data-testid="batch-row"][data-row-id="${id}"][data-env="${env}"]`);
      await expect(row).toHaveAttribute('data-state', 'planned');
      await expect(row.getByTestId('batch-version')).toContainText('→');
      await expect(row.getByTestId('batch-line').first()).toBeVisible();
    }
    await expect(dialog.locator('[data-row-id="team-payments/ledger"] [data-testid="batch-version"]')).toContainText('2.4.0');
    await page.screenshot({ path: path.join(screenshotDir, 'batch-review.png') });

    // the forge fails exactly one commit: that row alone fails, the other four open
    forge.faults.failNext(1, 500, { method: 'POST', pathIncludes: '/git/trees' });
    await dialog.getByTestId('batch-confirm').click();
    await expect(dialog.getByTestId('batch-summary')).toHaveText('4 of 5 opened, 1 failed.', { timeout: 30_000 });
    const failed = dialog.locator('[data-testid="batch-row"][data-state="failed"]');
    await expect(failed).toHaveCount(1);
    await expect(failed.getByTestId('batch-row-error')).toHaveAttribute('data-code', 'forge-unavailable');
    await expect(dialog.locator('[data-testid="batch-row"][data-state="opened"], [data-testid="batch-row"][data-state="updated"]')).toHaveCount(4);
    await page.screenshot({ path: path.join(screenshotDir, 'batch-partial-failure.png') });

    // retry the failed row only
    const opensBefore = forge.requestLog.count('POST /repos/{owner}/{repo}/pulls');
    await dialog.getByTestId('batch-retry').click();
    await expect(dialog.getByTestId('batch-summary')).toHaveText('5 of 5 opened.', { timeout: 30_000 });
    await expect(dialog.getByTestId('batch-retry')).toHaveCount(0);
    // checkout's seeded PR #1 is updated, so the retry opens at most the one PR it retried
    expect(forge.requestLog.count('POST /repos/{owner}/{repo}/pulls') - opensBefore).toBeLessThanOrEqual(1);

    // in the forges: exactly one open PR/MR per pipeline and environment, on the controller's branch
    const openPulls = forge.state.listPulls(GH_REPO).filter((p) => p.state === 'open');
    for (const [id, , env] of BATCH.slice(0, 3)) {
      const [ns, name] = id.split('/');
      expect(openPulls.filter((p) => p.head === `promotion-${ns}-${name}-${env}`)).toHaveLength(1);
    }
    const links = await dialog.getByTestId('batch-pr-link').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    expect(links.filter((l) => l.startsWith(`${app.sandbox.forge.url}/${GH_REPO}/pull/`))).toHaveLength(3);
    expect(links.filter((l) => l.startsWith(`${app.sandbox.gitlab!.url}/${GL_PROJECT}/-/merge_requests/`))).toHaveLength(2);
    await dialog.getByTestId('batch-close').click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('batch-bar')).toHaveCount(0);
  });
});
