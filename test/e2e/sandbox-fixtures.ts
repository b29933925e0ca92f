// Playwright fixtures for the end-to-end journeys: the demo sandbox (Kubernetes API servers,
// the GitHub and GitLab look-alike forges, the Flux simulator), the REAL main services over
// its kubeconfig and forge hosts, and the preview harness serving the built renderer.
// One per worker: starting the sandbox costs seconds, and the journeys build on each other.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MainServices } from '../../src-main/services';
import { createExternalBrowserHook, type ExternalBrowserHook } from '../harness/external-browser';
import { repoRoot, startPreviewServer, type PreviewServer } from '../harness/preview-server';
import { createSandboxServices } from '../harness/sandbox-services';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../sandbox/index';

export const screenshotDir = path.join(repoRoot, 'artifacts/screenshots');

export interface RealApp {
  sandbox: Sandbox;
  services: MainServices;
  preview: PreviewServer;
  /** The "system browser": URLs main asked to open (sign-in pages, links). */
  browser: ExternalBrowserHook;
  /** Release-log exports main "saved" through the stand-in for its save dialog. */
  exports: SavedExport[];
}

export interface SavedExport {
  fileName: string;
  content: string;
  format: string;
}

/** The demo sandbox, the real services over it and the preview; `stop` undoes all three. */
export async function startRealApp(sandboxOptions: Partial<StartSandboxOptions> = {}): Promise<RealApp & { stop(): Promise<void> }> {
  const sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 200, ...sandboxOptions });
  const browser = createExternalBrowserHook();
  const exports: SavedExport[] = [];
  // the user accepts the file name main suggests in its save dialog
  const save = async (fileName: string, content: string, format: string) => {
    exports.push({ fileName, content, format });
    return `/home/release-manager/${fileName}`;
  };
  // this user already chose to let the Tokens view read promotion Secrets
  const services = await createSandboxServices(sandbox, browser, { readPromotionSecrets: true }, save);
  const preview = await startPreviewServer({ services });
  return {
    sandbox,
    services,
    preview,
    browser,
    exports,
    async stop() {
      await preview.close();
      await services.stop();
      await sandbox.stop();
    },
  };
}

export const test = base.extend<object, { real: RealApp }>({
  real: [
    async ({}, use) => {
      const app = await startRealApp();
      await use(app);
      await app.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect };

export const cell = (page: Page, rowId: string, env: string) => page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${env}"]`);
export const row = (page: Page, rowId: string) => page.locator(`[data-testid="pipeline-row"][data-row-id="${rowId}"]`);

/** Opens the app and waits for the board from the real data plane. */
export async function openBoard(page: Page, app: RealApp, hash = ''): Promise<void> {
  await page.goto(app.preview.url + hash);
  await expect(page.getByTestId('board-list')).toBeVisible({ timeout: 20_000 });
}

/** kubectl against the sandbox, as an independent client: resolves with stdout, rejects with stderr. */
export function kubectl(app: RealApp, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', app.sandbox.kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errOut = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl ${args.join(' ')} exited ${code}: ${errOut}`))));
  });
}

/** Polls a condition (no fixed sleeps): resolves with its first defined value. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Drags a cell's version chip onto another cell with the mouse (the board's drag-and-drop). */
export async function dragVersion(page: Page, from: ReturnType<typeof cell>, to: ReturnType<typeof cell>): Promise<void> {
  const chip = from.getByTestId('version-chip');
  await chip.scrollIntoViewIfNeeded();
  const a = (await chip.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 3, { steps: 8 });
  await expect(to).toHaveClass(/cell--over/);
  await page.mouse.up();
}
