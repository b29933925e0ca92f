// Settings → theme (system, light, dark): applied the moment it is picked, by keyboard, and
// remembered by main across reloads; Git hosts configured through environment variables are
// listed read-only (main publishes them; the renderer never reads the environment).
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { createLogger } from '../../src-main/log/logger';
import { createMainServices, type MainServices } from '../../src-main/services';
import { previewAppInfo, startPreviewServer, type PreviewServer } from '../harness/preview-server';
import { expect, screenshotDir } from './fixtures';

const test = base.extend<object, { app: { preview: PreviewServer; services: MainServices } }>({
  app: [
    async ({}, use) => {
      const services = await createMainServices({
        logger: createLogger({ level: 'warn' }),
        appInfo: await previewAppInfo(),
        env: {
          KUBECONFIG: '/nonexistent/kubeconfig',
          RELEASE_BOARD_GITHUB_CLIENT_ID: 'Iv1.from-env',
          RELEASE_BOARD_GITHUB_CLIENT_SECRET: 'env-secret-9f3a1c',
          RELEASE_BOARD_FORGE_HOSTS: JSON.stringify([{ type: 'gitlab', webUrl: 'https://gitlab.acme.example', clientId: 'gl-from-env' }]),
        },
      });
      const preview = await startPreviewServer({ services });
      await use({ preview, services });
      await preview.close();
      await services.stop();
    },
    { scope: 'worker' },
  ],
});

async function openSettings(page: Page) {
  await page.keyboard.press('Control+Comma');
  const dialog = page.getByTestId('settings-dialog');
  await expect(dialog.getByLabel('Kubeconfig file')).toBeVisible();
  return dialog;
}

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test.describe('appearance settings', () => {
  test('the theme applies at once, by keyboard, and survives a reload', async ({ page, app }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(app.preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    const light = await background(page);

    let dialog = await openSettings(page);
    const themes = dialog.getByTestId('settings-theme');
    await expect(themes.getByRole('radio', { name: 'Like the system' })).toBeChecked();
    await themes.getByRole('radio', { name: 'Like the system' }).focus();
    // arrow keys move through a radio group: system → light → dark
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(themes.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect.poll(() => background(page)).not.toBe(light);
    await page.screenshot({ path: path.join(screenshotDir, 'settings-theme-dark.png') });
    // no Save needed: main has it already
    expect(await app.services.dispatcher.dispatch('settings:get', undefined)).toMatchObject({ ok: true, value: { theme: 'dark' } });

    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const dark = await background(page);
    expect(dark).not.toBe(light);

    // "like the system" follows the OS again: dark here because the OS says so
    dialog = await openSettings(page);
    await dialog.getByTestId('settings-theme').getByRole('radio', { name: 'Like the system' }).check();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
    await expect.poll(() => background(page)).toBe(light);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background(page)).toBe(dark);
    // a fixed light theme wins over a dark OS
    await dialog.getByTestId('settings-theme').getByRole('radio', { name: 'Light' }).check();
    await expect.poll(() => background(page)).toBe(light);
    await app.services.dispatcher.dispatch('settings:update', { theme: 'system' });
  });

  test('hosts from the environment are listed read-only, without their secret', async ({ page, app }) => {
    await page.goto(app.preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    const dialog = await openSettings(page);
    const listed = dialog.getByTestId('settings-env-hosts');
    await expect(listed.getByTestId('env-host')).toHaveCount(2);
    await expect(listed.getByTestId('env-host').nth(0)).toContainText('https://github.com');
    await expect(listed.getByTestId('env-host').nth(0)).toContainText('RELEASE_BOARD_GITHUB_CLIENT_ID');
    await expect(listed.getByTestId('env-host').nth(1)).toContainText('https://gitlab.acme.example');
    await expect(listed.getByTestId('env-host').nth(1)).toContainText('RELEASE_BOARD_FORGE_HOSTS');
    // read-only: nothing to type into, and not among the editable hosts
    await expect(listed.locator('input, select, textarea, button')).toHaveCount(0);
    await expect(dialog.getByTestId('host-row')).toHaveCount(0);
    expect(await page.content()).not.toContain('env-secret-9f3a1c');
    await listed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'settings-env-hosts.png') });
  });
});
