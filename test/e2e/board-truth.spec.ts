// The board tells the whole truth and acts where the release manager looks (issue 17): an
// approval gate behind a mixed environment is approvable from the cell, `p`, the Inbox and
// the palette; a promotion that changes nothing says "already on X"; mixed cells name every
// version; tagged Kustomization revisions show their commit.
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { BoardSnapshot } from '../../src-main/common/board';
import { createDemoBoard, env, row, target } from './board-fixtures/demo-board';
import { expect, screenshotDir, test } from './board-fixtures/board-test';

const cell = (page: Page, rowId: string, envName: string) => page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${envName}"]`);

async function open(page: Page, url: string, hash = '') {
  await page.goto(url + hash);
  await expect(page.getByTestId('board-list').or(page.getByTestId('inbox'))).toBeVisible();
}

/** Picks up `from`'s version chip and holds it over `to` (the caller drops or cancels). */
async function dragOver(page: Page, from: ReturnType<typeof cell>, to: ReturnType<typeof cell>) {
  const a = (await from.getByTestId('version-chip').boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 3, { steps: 8 });
}

const SHA = '3f1c0b9a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a';

/** The demo board plus two pipelines of its own: one where prod already runs dev's version, one Kustomization on a tag. */
function truthBoard(now = new Date()): BoardSnapshot {
  const board = createDemoBoard(now);
  const at = new Date(now.getTime() - 3_600_000).toISOString();
  const hr = (input: Parameters<typeof target>[0]) => target(input, { kind: 'HelmRelease', name: 'billing', at });
  const ks = (input: Parameters<typeof target>[0]) => target(input, { kind: 'Kustomization', name: 'gateway', at });
  const billing = row('mgmt', 'team-payments', 'billing', [
    env('dev', 0, [hr({ cluster: 'mgmt', namespace: 'billing-dev', deployedVersion: '1.8.2' })]),
    env('production-europe-west-and-central', 1, [
      hr({ cluster: 'prod-eu', namespace: 'billing', deployedVersion: '1.8.2' }),
      hr({ cluster: 'prod-eu', namespace: 'billing-batch', deployedVersion: '1.8.2' }),
    ]),
  ]);
  const gateway = row(
    'mgmt',
    'team-web',
    'gateway',
    [
      env('dev', 0, [ks({ cluster: 'mgmt', namespace: 'gw-dev', deployedVersion: 'v2.3.0', deployedRevision: `v2.3.0@sha1:${SHA}` })]),
      env('prod', 1, [ks({ cluster: 'prod-eu', namespace: 'gw', deployedVersion: 'v2.2.0', deployedRevision: 'v2.2.0@sha1:aaaaaaa1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a' })]),
    ],
    { kind: 'Kustomization' },
  );
  return { ...board, pipelines: [...board.pipelines, billing, gateway].sort((a, b) => (a.id < b.id ? -1 : 1)) };
}

test.describe('the board acts where the release manager looks', () => {
  test('an approval gate behind a mixed environment is approvable from the cell, p, the Inbox and the palette', async ({ page, boardPreview, board: _board }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, boardPreview.preview.url, '#q=checkout');
    const staging = cell(page, 'team-payments/checkout', 'staging');
    await expect(staging.getByTestId('cell-health')).toHaveText('Mixed');
    const approve = staging.getByTestId('promote-button');
    await expect(approve).toHaveText('Approve 1.8.2 →');
    await expect(approve).toHaveAttribute('data-action', 'approve');
    await page.screenshot({ path: path.join(screenshotDir, 'approval-cell.png') });

    await approve.click();
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByRole('heading', { name: 'Approve 1.8.2 into prod' })).toBeVisible();
    await expect(dialog.getByTestId('promote-version')).toHaveText('1.8.2');
    await expect(dialog.getByTestId('promote-awaiting')).toContainText('prod is waiting for approval of 1.8.2');
    await expect(dialog.getByTestId('promote-awaiting')).toContainText('staging runs other versions on 2 of 3 targets');
    await page.screenshot({ path: path.join(screenshotDir, 'approval-dialog.png') });
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // `p` on the gated cell itself approves, too
    await cell(page, 'team-payments/checkout', 'prod').focus();
    await page.keyboard.press('p');
    await expect(dialog.getByRole('heading', { name: 'Approve 1.8.2 into prod' })).toBeVisible();
    await page.keyboard.press('Escape');

    // the Inbox acts on it
    await page.getByTestId('inbox-toggle').click();
    const item = page.getByTestId('inbox-item').filter({ hasText: 'checkout' });
    await expect(item.getByTestId('inbox-act')).toHaveText('Approve 1.8.2');
    await page.screenshot({ path: path.join(screenshotDir, 'approval-inbox.png') });
    await item.getByTestId('inbox-act').click();
    await expect(dialog.getByRole('heading', { name: 'Approve 1.8.2 into prod' })).toBeVisible();
    await page.keyboard.press('Escape');

    // and so does the palette
    await page.keyboard.press('Control+k');
    await page.keyboard.type('approve 1.8.2');
    await expect(page.getByTestId('command-palette')).toContainText('Approve 1.8.2 into prod (checkout)');
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('heading', { name: 'Approve 1.8.2 into prod' })).toBeVisible();
  });

  test('"already on X" instead of a Promote that would change nothing; mixed cells and tagged revisions tell everything', async ({ page, boardPreview, board }) => {
    board.set(truthBoard());
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, boardPreview.preview.url, '#q=billing');
    const dev = cell(page, 'team-payments/billing', 'dev');
    await expect(dev.getByTestId('already-on')).toHaveText('already on 1.8.2');
    await expect(dev.getByTestId('promote-button')).toHaveCount(0);
    // a long environment name keeps a tooltip
    const prodName = cell(page, 'team-payments/billing', 'production-europe-west-and-central').locator('.cell__env');
    await expect(prodName).toHaveAttribute('title', 'production-europe-west-and-central');
    await dev.focus();
    await page.keyboard.press('p');
    await expect(page.getByTestId('live-region')).toContainText('Nothing to promote: production-europe-west-and-central already runs 1.8.2.');
    await expect(page.getByTestId('promote-dialog')).toHaveCount(0);
    await page.screenshot({ path: path.join(screenshotDir, 'already-on.png') });

    // a drag onto it says the same before the drop; the refusal leaves the live region once a new drag starts
    const prodCell = cell(page, 'team-payments/billing', 'production-europe-west-and-central');
    await dragOver(page, dev, prodCell);
    await expect(prodCell.getByTestId('drop-verdict')).toHaveText('production-europe-west-and-central already runs 1.8.2.');
    await page.mouse.up();
    await expect(page.getByTestId('live-region')).toContainText('Can’t drop on production-europe-west-and-central');
    await dragOver(page, dev, prodCell);
    await expect(page.getByTestId('live-region')).toHaveText('');
    await page.keyboard.press('Escape');
    await page.mouse.up();
  });

  test('mixed cells list every version with its count; tagged revisions show the tag and a short sha', async ({ page, boardPreview, board }) => {
    board.set(truthBoard());
    await page.setViewportSize({ width: 1280, height: 900 });
    await open(page, boardPreview.preview.url, '#q=checkout');
    await expect(cell(page, 'team-payments/checkout', 'staging').getByTestId('cell-summary')).toContainText('1.8.3 ×2 · 1.8.2 ×1');

    await page.getByTestId('board-search').fill('gateway');
    const chip = cell(page, 'team-web/gateway', 'dev').getByTestId('version-chip');
    await expect(chip).toHaveText('v2.3.0 · 3f1c0b9');
    await expect(chip).toHaveAttribute('title', new RegExp(`v2\\.3\\.0@sha1:${SHA}`));
    await page.screenshot({ path: path.join(screenshotDir, 'tagged-revision.png') });
    await cell(page, 'team-web/gateway', 'dev').click();
    await expect(page.getByTestId('detail-panel')).toContainText(`v2.3.0@sha1:${SHA}`);
  });
});
