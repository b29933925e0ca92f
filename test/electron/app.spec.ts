// The real desktop app (out/main on the unpacked Electron binary) through Playwright's
// _electron: what only Electron can show. Every launch gets a temporary HOME and profile and
// the sandbox's kubeconfig, never the user's. Skips here without a binary; fails in the
// workflows without one (RELEASE_BOARD_REQUIRE_ELECTRON=1).
import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sandboxForgeHostsEnv } from '../harness/external-browser';
import { repoRoot } from '../harness/preview-server';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { electronPath, launchApp, requireElectron, sealedEnv, type LaunchedApp } from './launch';

const cell = (launched: LaunchedApp, rowId: string, env: string) => launched.page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${env}"]`);

/** Launches the app a second time with a link: the running one takes it, this one exits. */
async function openLinkFromSecondLaunch(launched: LaunchedApp, kubeconfig: string, link: string): Promise<number | null> {
  const second = spawn(electronPath(), [path.join(repoRoot, 'out/main/index.js'), link], { env: sealedEnv(launched.profile, kubeconfig), stdio: 'ignore' });
  return new Promise((resolve) => second.on('exit', resolve));
}

/** Plays the user's browser on the sandbox forge: opens the authorize page, presses Authorize,
 *  and follows the redirect to the app's loopback listener. */
async function approveInBrowser(authorizeUrl: string): Promise<void> {
  const html = await (await fetch(authorizeUrl)).text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  expect(requestId, html).toBeDefined();
  const answer = await fetch(new URL('/login/oauth/authorize', authorizeUrl), { method: 'POST', body: new URLSearchParams({ request_id: requestId!, authorize: '1' }), redirect: 'manual' });
  const callback = answer.headers.get('location');
  expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  expect((await fetch(callback!)).status).toBe(200);
}

test.describe('desktop app', () => {
  requireElectron();
  test.describe.configure({ mode: 'serial' });

  let sandbox: Sandbox;
  let launched: LaunchedApp;

  test.beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 200 });
    launched = await launchApp({ kubeconfig: sandbox.kubeconfig, env: { RELEASE_BOARD_FORGE_HOSTS: sandboxForgeHostsEnv(sandbox.info, { expiringTokens: true }) } });
  });

  test.afterAll(async () => {
    await launched?.app.close();
    launched?.profile.remove();
    await sandbox?.stop();
  });

  test('serves the page from app:// in a sandboxed, isolated renderer', async () => {
    const { page } = launched;
    expect(page.url()).toMatch(/^app:\/\/release-board\//);
    await expect(page.getByTestId('app-info')).toContainText('Electron');
    // No Node globals, and the bridge exposes exactly the contract's two functions.
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { releaseBoard?: object }).releaseBoard ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: ['on', 'request'] });
    // The strict CSP is in force: an inline script does not run.
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      return (window as { __inline?: number }).__inline === 1;
    });
    expect(inlineRan).toBe(false);
    // No second window, no navigation away.
    expect(await page.evaluate(() => window.open('https://evil.example/'))).toBeNull();
    const url = page.url();
    await page.evaluate(() => (location.href = 'https://evil.example/'));
    expect(page.url()).toBe(url);
  });

  test('lets the page write the clipboard (the device code’s Copy) but never read it', async () => {
    const { app, page } = launched;
    // The async clipboard needs a focused page; a CI display may not give the window focus.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
    const wrote = await page.evaluate(() =>
      navigator.clipboard.writeText('ABCD-1234').then(
        () => 'ok',
        (e: Error) => e.name,
      ),
    );
    expect(wrote).toBe('ok');
    expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toBe('ABCD-1234');
    const read = await page.evaluate(() =>
      navigator.clipboard.readText().then(
        () => 'read',
        (e: Error) => e.name,
      ),
    );
    expect(read).toBe('NotAllowedError');
  });

  test('answers the preload bridge from main', async () => {
    const info = await launched.page.evaluate(() => (globalThis as { releaseBoard?: { request(c: string, p: unknown): Promise<unknown> } }).releaseBoard!.request('app:get-info', undefined));
    expect(info).toMatchObject({ ok: true, value: { name: 'Release Board', shell: 'electron' } });
  });

  test('loads the board from the sandbox kubeconfig', async () => {
    await expect(launched.page.getByTestId('board-list')).toBeVisible({ timeout: 30_000 });
    await expect(cell(launched, 'team-payments/checkout', 'prod')).toBeVisible();
  });

  test('has the app menu, with Settings… opening the settings dialog', async () => {
    const { app, page } = launched;
    const labels = await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.items.map((i) => i.label) ?? []);
    expect(labels).toEqual(expect.arrayContaining(['Edit', 'View', 'Help']));
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.getMenuItemById('settings')!.click());
    await expect(page.getByTestId('settings-dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('settings-dialog')).toHaveCount(0);
  });

  test('a second launch hands its release-board:// link to the running app and exits', async () => {
    expect(await openLinkFromSecondLaunch(launched, sandbox.kubeconfig, 'release-board://pipeline/team-payments/checkout/prod')).toBe(0);
    await expect(cell(launched, 'team-payments/checkout', 'prod')).toBeFocused();
    expect(await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('signs in through the system browser (shell.openExternal intercepted) and opens a promotion PR', async () => {
    test.setTimeout(120_000);
    const { app, page } = launched;
    // The "system browser": main's shell.openExternal records the URL instead of opening it.
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { openedExternally?: string[] }).openedExternally = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    expect(await openLinkFromSecondLaunch(launched, sandbox.kubeconfig, 'release-board://pipeline/platform/ingress-nginx/staging')).toBe(0);
    const staging = cell(launched, 'platform/ingress-nginx', 'staging');
    await expect(staging).toBeFocused();
    await page.keyboard.press('p');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog).toContainText('Promote ingress-nginx to prod');
    await dialog.getByTestId('promote-sign-in').click();
    let authorizeUrl = '';
    await expect.poll(async () => (authorizeUrl = await app.evaluate(() => (globalThis as { openedExternally?: string[] }).openedExternally?.[0] ?? '')), { timeout: 20_000 }).toMatch(/^http/);
    expect(new URL(authorizeUrl).origin).toBe(sandbox.forge.url);
    await approveInBrowser(authorizeUrl);
    await expect(dialog.getByTestId('promote-plan')).toBeVisible({ timeout: 30_000 });
    await dialog.getByTestId('promote-confirm').click();
    const done = dialog.getByTestId('promote-done');
    await expect(done).toBeVisible({ timeout: 30_000 });
    const prUrl = (await done.getByTestId('promote-pr-link').getAttribute('href'))!;
    expect(prUrl).toMatch(new RegExp(`^${sandbox.forge.url}/acme/fleet-config/pull/\\d+$`));
    const pr = sandbox.forge.server.state.getPull('acme/fleet-config', Number(prUrl.split('/').at(-1)));
    expect(pr).toMatchObject({ head: 'promotion-platform-ingress-nginx-prod', state: 'open', author: sandbox.users.signIn.login });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
  });

  test('offers a reload when the renderer crashes, and comes back', async () => {
    const { app } = launched;
    // Answer the crash dialog with "Reload" (main's dialog module is the one electron exports).
    await app.evaluate(({ dialog }) => {
      dialog.showMessageBox = (async () => ({ response: 0, checkboxChecked: false })) as typeof dialog.showMessageBox;
    });
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
    await expect
      .poll(
        () =>
          app.evaluate(async ({ BrowserWindow }) => {
            const contents = BrowserWindow.getAllWindows()[0]!.webContents;
            if (contents.isCrashed() || contents.isLoading()) return '';
            return String(await contents.executeJavaScript('document.querySelector("[data-testid=app-info]")?.textContent ?? ""'));
          }),
        { timeout: 30_000 },
      )
      .toContain('Electron');
  });
});
