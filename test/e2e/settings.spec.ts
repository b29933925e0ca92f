// The Settings dialog against real main services (in-memory settings store) in the preview
// harness: keyboard open/close, saving and reading back, the client secret going one way only,
// and a rejected save that keeps everything typed.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, screenshotDir, test } from './fixtures';

const SECRET = 'gl-secret-5a7c91e0d4b2';

async function openWithKeyboard(page: Page) {
  await page.keyboard.press('Control+Comma');
  const dialog = page.getByTestId('settings-dialog');
  await expect(dialog).toBeVisible();
  // Settings have arrived once the first field is there.
  await expect(dialog.getByLabel('Kubeconfig file')).toBeVisible();
  return dialog;
}

test.describe('settings dialog', () => {
  test('opens from the top bar button too', async ({ page, preview }) => {
    await page.goto(preview.url);
    await page.getByTestId('settings-open').click();
    const dialog = page.getByTestId('settings-dialog');
    await expect(dialog.getByLabel('Kubeconfig file')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  test('saves toggles, a context override and a GitLab host; the secret stays in main', async ({ page, preview }) => {
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);

    let dialog = await openWithKeyboard(page);
    // The kubeconfig file is chosen in main's own dialog, never typed into the page.
    await expect(dialog.getByTestId('settings-choose-kubeconfig')).toBeFocused();
    await expect(dialog.getByTestId('settings-kubeconfig')).toHaveText('KUBECONFIG or ~/.kube/config (default, like kubectl)');
    await expect(dialog.locator('input[placeholder*="KUBECONFIG"]')).toHaveCount(0);
    // The choice to read promotion Secrets has not been made yet.
    await expect(dialog.getByTestId('settings-read-secrets')).not.toBeChecked();

    const readSecrets = dialog.getByLabel(/Reach clusters without a kubeconfig context/);
    const updates = dialog.getByLabel('Check for updates automatically');
    const notify = dialog.getByLabel(/Notify me when a promotion/);
    await expect(readSecrets).not.toBeChecked();
    await expect(updates).toBeChecked();
    await expect(notify).toBeChecked();
    await readSecrets.check();
    await updates.uncheck();
    await notify.uncheck();

    await dialog.getByRole('button', { name: 'Add cluster context' }).click();
    // The new row's first field has the keyboard, so typing goes straight in.
    await expect(dialog.getByLabel('GitopsCluster 1', { exact: true })).toBeFocused();
    await page.keyboard.type('flux-system/staging');
    await dialog.getByLabel('Context for GitopsCluster 1').fill('kind-staging');

    await dialog.getByRole('button', { name: 'Add Git host' }).click();
    const host = dialog.getByTestId('host-row').last();
    await host.getByLabel('Type').selectOption('gitlab');
    await host.getByLabel('Web URL').fill('https://gitlab.example.test');
    await host.getByLabel('Client id').fill('release-board-app');
    await host.getByLabel('Client secret').fill(SECRET);
    // Enter in a field saves, like any form.
    await host.getByLabel('Client secret').press('Enter');

    await expect(dialog.getByTestId('settings-saved')).toHaveText('Saved');
    await expect(host.getByTestId('secret-stored')).toHaveText('stored');
    await expect(host.getByLabel('Client secret')).toHaveValue('');
    await expect(dialog.getByTestId('settings-restart')).toContainText('after Release Board restarts');
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeVisible();
    // A taller window so the whole dialog, down to the stored secret, is in the picture.
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.screenshot({ path: path.join(screenshotDir, 'settings.png') });

    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);

    // Reopen through the window event a top-bar button would dispatch.
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('release-board:open-settings')));
    dialog = page.getByTestId('settings-dialog');
    await expect(dialog.getByTestId('settings-kubeconfig')).toBeVisible();
    await expect(dialog.getByLabel(/Reach clusters without a kubeconfig context/)).toBeChecked();
    await expect(dialog.getByLabel('Check for updates automatically')).not.toBeChecked();
    await expect(dialog.getByLabel(/Notify me when a promotion/)).not.toBeChecked();
    await expect(dialog.getByLabel('GitopsCluster 1', { exact: true })).toHaveValue('flux-system/staging');
    await expect(dialog.getByLabel('Context for GitopsCluster 1')).toHaveValue('kind-staging');
    const saved = dialog.getByTestId('host-row').last();
    await expect(saved.getByLabel('Type')).toHaveValue('gitlab');
    await expect(saved.getByLabel('Web URL')).toHaveValue('https://gitlab.example.test');
    await expect(saved.getByLabel('Client id')).toHaveValue('release-board-app');
    await expect(saved.getByTestId('secret-stored')).toHaveText('stored');
    await expect(saved.getByLabel('Client secret')).toHaveValue('');

    // The secret went to main once and never came back: not in the page, not in any response or event.
    expect(preview.traffic.some((t) => t.direction === 'request' && t.channel === 'settings:update' && t.body.includes(SECRET))).toBe(true);
    const back = preview.traffic.filter((t) => t.direction === 'response' || t.direction === 'event');
    expect(back.some((t) => t.channel === 'settings:get')).toBe(true);
    expect(back.some((t) => t.channel === 'settings:changed')).toBe(true);
    expect(back.filter((t) => t.body.includes(SECRET)).map((t) => t.channel)).toEqual([]);
    expect(await page.content()).not.toContain(SECRET);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(screenshotDir, 'settings-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);
  });

  test('a rejected save shows the problems on their fields and keeps every value', async ({ page, preview }) => {
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    const dialog = await openWithKeyboard(page);
    const notify = dialog.getByLabel(/Notify me when a promotion/);
    const notifyBefore = await notify.isChecked();
    await notify.setChecked(!notifyBefore);

    // A half-filled override is caught before anything is sent.
    await dialog.getByRole('button', { name: 'Add cluster context' }).click();
    const rows = dialog.getByTestId('override-row');
    const lastRow = rows.last();
    await lastRow.getByRole('textbox').first().fill('flux-system/orphan');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(lastRow.getByRole('alert')).toContainText('Name both the GitopsCluster and the kubeconfig context');
    await lastRow.getByRole('textbox').nth(1).fill('kind-orphan');

    // An address main rejects: its invalid-payload detail lands under the Web URL field.
    await dialog.getByRole('button', { name: 'Add Git host' }).click();
    const host = dialog.getByTestId('host-row').last();
    await host.getByLabel('Web URL').fill('not a url');
    await host.getByLabel('Client id').fill('some-app');
    await host.getByLabel('Client secret').fill('typed-secret');
    const requestsBefore = preview.traffic.filter((t) => t.direction === 'request' && t.channel === 'settings:update').length;
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(host.getByRole('alert')).toContainText(/invalid url/i);
    await expect(host.getByLabel('Web URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(host.getByLabel('Web URL')).toBeFocused();
    expect(preview.traffic.filter((t) => t.direction === 'request' && t.channel === 'settings:update').length).toBe(requestsBefore + 1);
    await expect(dialog.getByTestId('settings-saved')).toHaveText('');
    await page.screenshot({ path: path.join(screenshotDir, 'settings-error.png') });

    // Nothing typed was lost.
    await expect(host.getByLabel('Web URL')).toHaveValue('not a url');
    await expect(host.getByLabel('Client secret')).toHaveValue('typed-secret');
    await expect(lastRow.getByRole('textbox').first()).toHaveValue('flux-system/orphan');
    await expect(notify).toBeChecked({ checked: !notifyBefore });
    // (React mirrors a controlled value into the attribute, which the absence checks below rely on.)
    await expect(dialog.locator('input[value="not a url"]')).toHaveCount(1);

    // Cancel discards: main still holds the previous settings.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);
    const again = await openWithKeyboard(page);
    await expect(again.getByLabel(/Notify me when a promotion/)).toBeChecked({ checked: notifyBefore });
    // The board's shortcuts do not act behind the open dialog.
    const addHost = again.getByRole('button', { name: 'Add Git host' });
    await addHost.press('?');
    await addHost.press('Control+k');
    await expect(page.getByTestId('shortcut-sheet')).toHaveCount(0);
    await expect(page.getByTestId('command-palette')).toHaveCount(0);
    await expect(addHost).toBeFocused();
    // Tab still wraps inside the dialog.
    await again.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Tab');
    await expect(again.getByTestId('settings-choose-kubeconfig')).toBeFocused();
    await expect(again.locator('input[value="not a url"]')).toHaveCount(0);
    await expect(again.locator('input[value="flux-system/orphan"]')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);
  });
});
