// The packaged app, as users get it: electron-builder --dir with electron-builder.yml (fuses
// flipped, app.asar), started with --remote-debugging-port=0 and attached with Playwright's
// chromium.connectOverCDP. (_electron cannot attach once the EnableNodeCliInspectArguments
// fuse is off: it relies on --inspect, which the packaged app now ignores — the point of
// the fuse.) Skips here without an Electron binary; fails in the workflows without one.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../harness/preview-server';
import { electronPath, requireElectron, sealedEnv, temporaryProfile, type Profile } from './launch';

/** The unpacked app's executable, per platform. */
function packagedExecutable(outDir: string): string {
  const folder = readdirSync(outDir).find((d) => d.endsWith('-unpacked') || d.startsWith('mac'));
  if (!folder) throw new Error(`electron-builder wrote no unpacked app into ${outDir}`);
  if (process.platform === 'darwin') return path.join(outDir, folder, 'Release Board.app/Contents/MacOS/Release Board');
  if (process.platform === 'win32') return path.join(outDir, folder, 'Release Board.exe');
  return path.join(outDir, folder, 'release-board');
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  browser: Browser;
  page: Page;
}

async function startPackaged(executable: string, profile: Profile, kubeconfig: string, extraArgs: string[], extraEnv: Record<string, string>): Promise<Running> {
  let out = '';
  let errOut = '';
  const child = spawn(executable, ['--remote-debugging-port=0', ...extraArgs], { env: sealedEnv(profile, kubeconfig, extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      errOut += d.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(errOut);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the packaged app exited (${code}) before listening:\n${errOut}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const appPage = () =>
    browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url().startsWith('app://'));
  await expect.poll(() => appPage() !== undefined, { timeout: 30_000 }).toBe(true);
  return { child, stdout: () => out, stderr: () => errOut, browser, page: appPage()! };
}

type Bridge = { releaseBoard: { request(channel: string, payload: unknown): Promise<{ ok: boolean; value?: Record<string, unknown> }> } };

test.describe('packaged app (electron-builder --dir)', () => {
  requireElectron();
  test.describe.configure({ mode: 'serial', timeout: 600_000 });

  let work: string;
  let executable: string;
  let profile: Profile;
  let kubeconfig: string;

  test.beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'rb-packaged-'));
    profile = temporaryProfile();
    // An empty kubeconfig: these checks are about the package, not the board.
    kubeconfig = path.join(work, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const config = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
    // On macOS the unpacked Electron is the folder holding Electron.app; elsewhere, the binary's folder.
    const binary = electronPath();
    const electronDist = process.platform === 'darwin' ? path.resolve(binary, '../../../..') : path.dirname(binary);
    const { build, Platform } = await import('electron-builder');
    process.env['CSC_IDENTITY_AUTO_DISCOVERY'] = 'false'; // an unsigned local package, whatever the keychain holds
    await build({
      projectDir: repoRoot,
      targets: Platform.current().createTarget('dir'),
      config: { ...config, electronDist, directories: { ...config['directories'], output: path.join(work, 'dist') } },
      publish: 'never',
    });
    executable = packagedExecutable(path.join(work, 'dist'));
    expect(existsSync(executable)).toBe(true);
  });

  test.afterAll(() => {
    profile?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('runs from app.asar, answers the bridge, explains updates, and ignores --inspect and ELECTRON_RUN_AS_NODE', async () => {
    const resources = process.platform === 'darwin' ? path.resolve(executable, '../../Resources') : path.join(path.dirname(executable), 'resources');
    expect(existsSync(path.join(resources, 'app.asar'))).toBe(true);
    expect(existsSync(path.join(resources, 'app'))).toBe(false);
    // Fused off: with RunAsNode on, this would print node-mode-42 and exit instead of opening the app.
    const running = await startPackaged(executable, profile, kubeconfig, ['--inspect=0', '-e', 'console.log("node-mode-" + (40 + 2))'], { ELECTRON_RUN_AS_NODE: '1' });
    try {
      const { page } = running;
      expect(page.url()).toMatch(/^app:\/\/release-board\//);
      await expect(page.getByTestId('app-info')).toContainText('Electron');
      const info = await page.evaluate(() => (globalThis as unknown as Bridge).releaseBoard.request('app:get-info', undefined));
      expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
      const update = await page.evaluate(() => (globalThis as unknown as Bridge).releaseBoard.request('update:get-state', undefined));
      expect(update.ok).toBe(true);
      // An unpacked Linux build is neither an AppImage nor a package: the state says so. (macOS and
      // Windows builds check the GitHub feed instead, so only a known state is asserted there.)
      if (process.platform === 'linux') expect(update.value).toMatchObject({ state: 'disabled', message: expect.stringContaining('cannot update itself') });
      else expect(['idle', 'checking', 'available', 'downloading', 'error', 'disabled']).toContain(update.value?.['state']);
      expect(running.stderr()).not.toContain('Debugger listening');
      expect(running.stdout()).not.toContain('node-mode-42');
    } finally {
      await running.browser.close().catch(() => undefined);
      running.child.kill();
    }
  });
});
