// Rollback and the release log on the demo sandbox, through the real services: "Roll back to
// <previous version>" from an environment's history opens a labelled rollback PR (checked in
// the forge itself); the release log filtered to one week shows the merged promotion PRs with
// their approvers and is exported as CSV and Markdown (main's save dialog is the fixture's
// stand-in, which records what main wrote).
import path from 'node:path';
import { cell, expect, openBoard, screenshotDir, startRealApp, test, type RealApp } from './sandbox-fixtures';
import { signedInToGitHub } from './sign-in';

const GH_REPO = 'acme/fleet-config';

test.describe('rollback and release log on the demo sandbox', () => {
  // a demo sandbox of its own: other specs in the worker promote and merge (ingress-nginx gains
  // a previous version, checkout's prod moves), and these tests read exact histories
  let real: RealApp & { stop(): Promise<void> };
  test.beforeAll(async () => {
    real = await startRealApp();
  });
  test.afterAll(async () => {
    await real?.stop();
  });

  test('rollback: from the detail panel, with a reason, to a labelled PR that sets the marked line back', async ({ page }) => {
    const forge = real.sandbox.forge.server;
    await openBoard(page, real);
    await signedInToGitHub(page, real);
    await cell(page, 'team-payments/checkout', 'prod').click();
    const history = page.getByTestId('release-history');
    await expect(history).toContainText('1.8.0');
    // keyboard: the button is in the panel's tab order; the dialog also opens with r on the cell
    const button = history.getByTestId('rollback-button');
    await expect(button).toHaveText('Roll back to 1.8.0…');
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog).toContainText('Roll back checkout in prod to 1.8.0');
    await expect(dialog.getByTestId('rollback-review')).toBeDisabled();
    await dialog.getByTestId('rollback-reason').fill('Checkout errors up 4× since 1.8.1 went out');
    await dialog.getByTestId('rollback-review').click();
    const plan = dialog.getByTestId('rollback-plan');
    await expect(plan).toContainText('Roll back team-payments/checkout in prod to 1.8.0 (replaces 1.8.1)');
    await expect(plan).toContainText('rollback-team-payments-checkout-prod');
    await expect(plan.locator('del')).toContainText('"1.8.1"');
    await expect(plan.locator('ins')).toContainText('"1.8.0"');
    await page.screenshot({ path: path.join(screenshotDir, 'rollback-review.png') });
    await dialog.getByTestId('rollback-open').click();
    await expect(dialog.getByTestId('rollback-done')).toContainText('Rollback pull request opened');

    // in the forge: title, label, reason and the version it replaces; the open promotion PR #1 untouched
    const pull = forge.state.listPulls(GH_REPO).find((p) => p.head === 'rollback-team-payments-checkout-prod' && p.state === 'open');
    expect(pull?.title).toBe('Roll back team-payments/checkout in prod to 1.8.0 (replaces 1.8.1)');
    expect(pull?.labels).toEqual(['rollback']);
    expect(pull?.body).toContain('> Checkout errors up 4× since 1.8.1 went out');
    expect(pull?.body).toContain('1.8.1 is replaced by 1.8.0');
    expect(forge.state.getFile(GH_REPO, 'rollback-team-payments-checkout-prod', 'apps/checkout/prod/helmrelease.yaml')).toContain('version: "1.8.0" #');
    expect(forge.state.getPull(GH_REPO, 1)?.state).toBe('open');
    await dialog.getByTestId('rollback-cancel').click();

    await page.getByRole('button', { name: 'Close details' }).click();

    // an environment whose history has no earlier release: refused with the reason, on the key too
    const ingressProd = cell(page, 'platform/ingress-nginx', 'prod');
    await ingressProd.focus();
    await page.keyboard.press('r');
    await expect(page.getByTestId('toast')).toContainText('Can’t roll back: The version before 4.10.1 in prod is unknown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('rollback-refusal-reason')).toContainText('The version before 4.10.1 in prod is unknown');
    await expect(page.getByTestId('rollback-button')).toBeDisabled();
  });

  test('release log: one week, merged PRs with approvers and healthy times, exported as CSV and Markdown', async ({ page }) => {
    await openBoard(page, real);
    await page.keyboard.press('l');
    const log = page.getByTestId('release-log');
    await expect(log).toBeVisible();
    await page.getByTestId('release-range').selectOption('7d');
    const rows = log.getByTestId('release-row');
    await expect(rows.first()).toBeVisible();
    const checkoutProd = rows.filter({ hasText: 'team-payments/checkout' }).filter({ hasText: '1.8.0 → 1.8.1' });
    await expect(checkoutProd).toContainText('dev-bob');
    await expect(checkoutProd).toContainText('rm-alice');
    await expect(checkoutProd).toContainText(/PR #\d+/);
    // merged but never healthy: search-indexer's failed 5.2.0
    await expect(rows.filter({ hasText: 'search-indexer' }).filter({ hasText: 'staging' }).filter({ hasText: '5.1.3 → 5.2.0' })).toContainText('not yet');
    // older than a week: ledger's 2.3.5 is not in this range
    await expect(rows.filter({ hasText: '2.3.4 → 2.3.5' })).toHaveCount(0);
    await page.screenshot({ path: path.join(screenshotDir, 'release-log.png') });

    await log.getByTestId('export-csv').click();
    await expect(log.getByTestId('export-result')).toContainText('Saved release-log-');
    await log.getByTestId('export-markdown').click();
    await expect(log.getByTestId('export-result')).toContainText('.md');
    const csv = real.exports.find((e) => e.format === 'csv');
    const md = real.exports.find((e) => e.format === 'markdown');
    const lines = csv?.content.trimEnd().split('\r\n') ?? [];
    expect(lines[0]).toBe('Pipeline,Environment,Kind,Version,Previous version,Merged at,Healthy at,Pull request,URL,Author,Approved by,Source');
    expect(lines.find((l) => l.startsWith('team-payments/checkout,prod,promotion,1.8.1,1.8.0,'))).toMatch(
      /,PR #\d+,http:\/\/127\.0\.0\.1:\d+\/acme\/fleet-config\/pull\/\d+,rm-alice,dev-bob,pull-request$/,
    );
    expect(lines.some((l) => l.startsWith('team-payments/ledger,prod,'))).toBe(false);
    await expect(log.getByTestId('release-log-status')).toContainText(`${lines.length - 1} releases`);
    expect(md?.content).toMatch(/^# Release log\n/);
    expect(md?.content).toContain('| team-payments/checkout | prod | promotion | 1.8.1 | 1.8.0 |');
    expect(md?.content).toContain('dev-bob');

    // one environment: the log narrows to it
    await page.getByTestId('release-env').selectOption('prod');
    await expect(rows.filter({ hasText: 'staging' })).toHaveCount(0);
    await expect(rows.filter({ hasText: '1.8.0 → 1.8.1' })).toHaveCount(1);
  });
});
