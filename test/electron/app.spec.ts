// The real desktop app, launched through Playwright's _electron. Skips, saying why, where
// no Electron binary exists (it cannot be downloaded on a machine without internet).
import { _electron as electron, expect, test } from '@playwright/test';
import path from 'node:path';
import { repoRoot } from '../harness/preview-server';
import { findElectronBinary } from './electron-binary';

const binary = findElectronBinary();
if ('missing' in binary) console.warn(`[electron] skipping the Electron specs: ${binary.missing}`);

test.describe('desktop app', () => {
  test.skip('missing' in binary, 'missing' in binary ? binary.missing : '');

  test('opens a hardened window showing app info from main', async () => {
    const app = await electron.launch({
      executablePath: (binary as { path: string }).path,
      args: [path.join(repoRoot, 'out/main/index.js')],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '1' },
    });
    const page = await app.firstWindow();
    await expect(page.getByTestId('app-info')).toContainText('Electron');
    // Sandboxed, isolated renderer: no Node globals, and the bridge exposes exactly the contract's two functions.
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((globalThis as { releaseBoard?: object }).releaseBoard ?? {}).sort(),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: ['on', 'request'] });
    const opened = await page.evaluate(() => window.open('https://evil.example/'));
    expect(opened).toBeNull();
    const url = page.url();
    await page.evaluate(() => (location.href = 'https://evil.example/'));
    expect(page.url()).toBe(url);
    await app.close();
  });
});
