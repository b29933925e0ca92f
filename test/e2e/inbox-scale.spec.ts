// The Inbox at scale (issue 17): at 1,000 pipelines it groups pending promotions by kind with
// counts, renders only the rows in view of a long group, and approves or promotes from each row
// through the promote dialog — all by keyboard. The palette offers "Promote <pipeline> to <env>".
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createScaleBoard } from './board-fixtures/scale-board';
import { expect, screenshotDir, test } from './board-fixtures/board-test';

async function openInbox(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('board-list')).toBeVisible();
  await page.keyboard.press('i');
  await expect(page.getByTestId('inbox')).toBeVisible();
}

test.describe('inbox at scale', () => {
  test('1,000 pipelines: grouped with counts, a long group virtualised, Approve from a row by keyboard', async ({ page, boardPreview, board }) => {
    board.set(createScaleBoard(1000));
    await page.setViewportSize({ width: 1280, height: 900 });
    await openInbox(page, boardPreview.preview.url);
    // every 13th pipeline's prod waits for approval: 77 of them, in one group
    const gates = page.locator('[data-testid="inbox-group"][data-kind="awaiting-approval"]');
    await expect(gates.getByTestId('inbox-group-count')).toHaveText('77');
    await expect(page.getByTestId('inbox')).toContainText('77 pending promotions');
    const rows = gates.getByTestId('inbox-item');
    expect(await rows.count()).toBeLessThan(30);
    await page.screenshot({ path: path.join(screenshotDir, 'inbox-scale.png') });

    // the group's rows scroll by keyboard, and the last one comes into the DOM
    const box = gates.getByTestId('inbox-rows');
    await box.focus();
    await page.keyboard.press('End');
    // rows are numbered from the header row (1): the 77th item is row 78
    const last = gates.locator('[data-testid="inbox-item"][aria-rowindex="78"]');
    await expect(last).toBeVisible();
    await expect(gates.locator('[data-testid="inbox-item"][aria-rowindex="2"]')).toHaveCount(0);
    expect(await rows.count()).toBeLessThan(30);

    // Approve from the row, with the keyboard, through the promote dialog
    const act = last.getByTestId('inbox-act');
    await expect(act).toHaveAttribute('data-action', 'approve');
    await expect(act).toHaveText(/^Approve \d+\.\d+\.\d+$/);
    const version = (await act.textContent())!.replace('Approve ', '');
    await act.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByRole('heading', { name: `Approve ${version} into prod` })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // a group folds away by keyboard
    const toggle = gates.getByTestId('inbox-group-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(rows).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(rows.first()).toBeVisible();
  });

  test('the palette promotes a pipeline to its next environment and approves a gate', async ({ page, boardPreview, board: _board }) => {
    await page.goto(boardPreview.preview.url);
    await expect(page.getByTestId('board-list')).toBeVisible();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('promote refunds to staging');
    await expect(page.getByTestId('command-palette')).toContainText('Promote refunds 0.9.4 to staging');
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog.getByRole('heading', { name: 'Promote refunds to staging' })).toBeVisible();
    await expect(dialog.getByTestId('promote-version')).toHaveText('0.9.4');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await page.keyboard.type('approve checkout');
    await expect(page.getByTestId('command-palette')).toContainText('Approve 1.8.2 into prod (checkout)');
  });
});
