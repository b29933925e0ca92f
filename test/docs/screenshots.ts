// `npm run docs:screenshots`: writes every picture the docs use (test/docs/screenshot-list.ts)
// into docs/images/, from the app as it is now — the demo sandbox, the real main-process
// services and the built renderer in the preview harness, driven in Chromium the way a release
// manager would use it. Pictures are generated, never edited by hand; run this after a UI change.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import type { MainServices } from '../../src-main/services';
import { createExternalBrowserHook, type ExternalBrowserHook } from '../harness/external-browser';
import { repoRoot, startPreviewServer, type PreviewServer } from '../harness/preview-server';
import { createSandboxServices } from '../harness/sandbox-services';
import { Octokit } from '@octokit/rest';
import { manualClock, type ManualClock } from '../sandbox/flux/simulator';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../sandbox/index';
import { SCREENSHOTS, type ScreenshotName } from './screenshot-list';

const imagesDir = path.join(repoRoot, 'docs/images');
const VIEWPORT = { width: 1280, height: 800 };
const WAIT = { timeout: 30_000 };

interface App {
  sandbox: Sandbox;
  services: MainServices;
  preview: PreviewServer;
  browser: ExternalBrowserHook;
}

/** The demo sandbox and the services over it, as a new user has them: Secrets not yet read. */
async function startApp(seed: string, sandboxOptions: Partial<StartSandboxOptions> = {}): Promise<App> {
  const sandbox = await startSandbox({ seed, ...sandboxOptions });
  const browser = createExternalBrowserHook();
  const services = await createSandboxServices(sandbox, browser);
  const preview = await startPreviewServer({ services });
  return { sandbox, services, preview, browser };
}

async function stopApp(app: App): Promise<void> {
  await app.preview.close();
  await app.services.stop();
  await app.sandbox.stop();
}

const written = new Set<ScreenshotName>();
async function shoot(page: Page, name: ScreenshotName): Promise<void> {
  // no blinking caret or running animation in a published picture
  await page.screenshot({ path: path.join(imagesDir, name), animations: 'disabled', caret: 'hide' });
  written.add(name);
  process.stderr.write(`docs:screenshots: ${name} — ${SCREENSHOTS[name]}\n`);
}

const cell = (page: Page, rowId: string, env: string) => page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${env}"]`);

async function openBoard(page: Page, app: App, hash = ''): Promise<void> {
  await page.goto(app.preview.url + hash);
  await page.getByTestId('board-list').waitFor(WAIT);
  // every connected cluster has answered once the header says so
  await page.getByTestId('clusters-connected').waitFor(WAIT);
}

/** Signs in to the sandbox's GitHub look-alike as its release manager: the browser's authorize page, Authorize. */
async function signIn(page: Page, app: App): Promise<void> {
  const hosts = (await app.services.dispatcher.dispatch('auth:list-hosts', undefined)) as { ok: true; value: { id: string; type: string }[] };
  const github = hosts.value.find((h) => h.type === 'github');
  if (!github) throw new Error('the demo sandbox offers no GitHub host');
  const signingIn = app.services.dispatcher.dispatch('auth:sign-in', { host: github.id });
  const url = await app.browser.next(20_000);
  const tab = await page.context().newPage();
  await tab.goto(url);
  await tab.locator('#js-oauth-authorize-btn').click();
  await tab.waitForURL((u) => u.hostname === '127.0.0.1' && !u.href.startsWith(new URL(url).origin), { timeout: 15_000 });
  await tab.close();
  const result = (await signingIn) as { ok: boolean };
  if (!result.ok) throw new Error(`signing in to the sandbox forge failed: ${JSON.stringify(result)}`);
}

/** Drags a cell's version chip onto another cell, as a person does with the mouse. */
async function drag(page: Page, from: string, to: string, rowId: string): Promise<void> {
  const chip = cell(page, rowId, from).getByTestId('version-chip');
  await chip.scrollIntoViewIfNeeded();
  const a = (await chip.boundingBox())!;
  const b = (await cell(page, rowId, to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 3, { steps: 8 });
  await page.mouse.up();
}

async function boardPictures(page: Page, app: App): Promise<void> {
  await openBoard(page, app);
  await shoot(page, 'board-light.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shoot(page, 'board-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByTestId('filter-failing').click();
  await page.getByTestId('row-problem').first().waitFor(WAIT);
  await shoot(page, 'board-problems.png');

  await openBoard(page, app);
  const troubled = page.locator('[data-testid="cluster-chip"]:not([data-state="connected"])').first();
  await troubled.waitFor(WAIT);
  await troubled.click();
  await shoot(page, 'cluster-problem.png');

  await openBoard(page, app);
  await page.getByTestId('inbox-toggle').click();
  await page.getByTestId('inbox').waitFor(WAIT);
  await shoot(page, 'inbox.png');
}

async function promotionPictures(page: Page, app: App): Promise<void> {
  await signIn(page, app);
  await openBoard(page, app, '#q=ingress-nginx');
  await drag(page, 'staging', 'prod', 'platform/ingress-nginx');
  const dialog = page.getByTestId('promote-dialog');
  await dialog.getByTestId('promote-plan').waitFor(WAIT);
  await dialog.getByTestId('diff-after').first().waitFor(WAIT);
  await shoot(page, 'promote-dialog.png');
  await page.keyboard.press('Escape');

  await openBoard(page, app, '#q=ledger');
  await cell(page, 'team-payments/ledger', 'dev').focus();
  await page.keyboard.press('p');
  await dialog.getByTestId('promote-awaiting').waitFor(WAIT);
  await dialog.getByTestId('promote-plan').waitFor(WAIT);
  await shoot(page, 'approval-dialog.png');
  await page.keyboard.press('Escape');
}

/** Three promotions picked with Ctrl-click and the x key, reviewed as one batch (b). */
async function batchPicture(page: Page, app: App): Promise<void> {
  // tall enough that the virtual list draws every pipeline to click on
  await page.setViewportSize({ width: VIEWPORT.width, height: 2400 });
  await openBoard(page, app);
  await cell(page, 'platform/ingress-nginx', 'staging').click({ modifiers: ['Control'], position: { x: 8, y: 8 } });
  await cell(page, 'team-payments/checkout', 'staging').click({ modifiers: ['Control'], position: { x: 8, y: 8 } });
  await cell(page, 'team-payments/ledger', 'dev').focus();
  await page.keyboard.press('x');
  await page.keyboard.press('b');
  const dialog = page.getByTestId('batch-dialog');
  await dialog.locator('[data-testid="batch-confirm"]:not([disabled])').waitFor(WAIT);
  await page.setViewportSize(VIEWPORT);
  await shoot(page, 'batch-review.png');
  await dialog.getByTestId('batch-cancel').click();
  await page.getByTestId('batch-clear').click();
}

async function releasePictures(page: Page, app: App): Promise<void> {
  await openBoard(page, app, '#q=checkout');
  await cell(page, 'team-payments/checkout', 'prod').click();
  await page.getByTestId('rollback-button').click();
  const dialog = page.getByTestId('rollback-dialog');
  await dialog.getByTestId('rollback-reason').fill('Checkout errors up 4× since 1.8.1 went out; 1.8.0 was clean for two weeks.');
  await dialog.getByTestId('rollback-review').click();
  await dialog.getByTestId('rollback-plan').waitFor(WAIT);
  await shoot(page, 'rollback-dialog.png');
  await page.keyboard.press('Escape');

  await page.goto(`${app.preview.url}#view=releases`);
  await page.getByTestId('release-row').first().waitFor(WAIT);
  await shoot(page, 'release-log.png');
}

async function tokenPictures(page: Page, app: App): Promise<void> {
  await page.goto(`${app.preview.url}#view=tokens`);
  const consent = page.getByTestId('tokens-consent');
  await consent.waitFor(WAIT);
  await shoot(page, 'tokens-consent.png');
  await page.getByTestId('tokens-consent-yes').click();
  const view = page.getByTestId('tokens-view');
  const items = view.getByTestId('token-item');
  await items.first().waitFor(WAIT);
  // the demo seeds one token in every state; wait until each has been checked at the forge
  await view.locator('[data-testid="token-item"] [data-state="valid"]').first().waitFor(WAIT);
  await view.locator('[data-testid="token-item"] [data-state="revoked-or-expired"]').first().waitFor(WAIT);
  await shoot(page, 'tokens-view.png');

  // the token with the most risks: the picture the guidance is about
  let most = 0;
  let chosen = 0;
  for (let i = 0; i < (await items.count()); i += 1) {
    await items.nth(i).click();
    const risks = await view.getByTestId('token-panel').locator('.token-risk').count();
    if (risks > most) [most, chosen] = [risks, i];
  }
  await items.nth(chosen).click();
  await view.getByTestId('token-panel').locator('.token-risk').first().waitFor(WAIT);
  await shoot(page, 'token-risks.png');
}

async function settingsPicture(page: Page, app: App): Promise<void> {
  await openBoard(page, app);
  await page.getByTestId('settings-open').click();
  await page.getByTestId('settings-dialog').waitFor(WAIT);
  await page.setViewportSize({ width: VIEWPORT.width, height: 1000 });
  await shoot(page, 'settings.png');
  await page.setViewportSize(VIEWPORT);
}

async function emptyPicture(browser: Browser): Promise<void> {
  const app = await startApp('empty');
  try {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await page.goto(app.preview.url);
    await page.getByTestId('board-empty').waitFor(WAIT);
    await shoot(page, 'empty-state.png');
  } finally {
    await stopApp(app);
  }
}

/**
 * PR #1 merged in the sandbox forge, caught between Flux's two steps: the simulator runs on a
 * manual clock (its timestamps on the real one), so "reconciling" is on screen for as long as
 * the picture needs, with no sleep.
 */
async function rolloutPicture(browser: Browser): Promise<void> {
  const step = 5_000;
  const manual = manualClock(new Date());
  const flux: ManualClock = { ...manual, now: () => new Date() };
  const app = await startApp('demo', { fluxDelayMs: step, fluxClock: flux });
  try {
    // wide enough that the cell's indicator shows beside the detail panel
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 720 }, colorScheme: 'light' })).newPage();
    await openBoard(page, app, '#q=checkout');
    const prod = cell(page, 'team-payments/checkout', 'prod');
    await prod.getByTestId('pending-badge').filter({ hasText: 'PR #1' }).waitFor(WAIT);
    const octokit = new Octokit({ baseUrl: app.sandbox.forge.apiUrl, auth: app.sandbox.users.tokens['releaseManager'] });
    await octokit.pulls.merge({ owner: 'acme', repo: 'fleet-config', pull_number: 1, merge_method: 'squash' });
    while (manual.pendingTimers() === 0) await new Promise((resolve) => setImmediate(resolve));
    await flux.advance(step);
    await prod.getByTestId('rollout-badge').filter({ hasText: 'Rolling out' }).waitFor(WAIT);
    await prod.click();
    await page.getByTestId('rollout-timeline').waitFor(WAIT);
    await shoot(page, 'rollout-timeline.png');
  } finally {
    await stopApp(app);
  }
}

async function main(): Promise<void> {
  await mkdir(imagesDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // `-- --only NAME`: a picture with a sandbox of its own is written alone, the rest of docs/images stays as it is
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined) {
    const alone: Partial<Record<ScreenshotName, (b: Browser) => Promise<void>>> = { 'empty-state.png': emptyPicture, 'rollout-timeline.png': rolloutPicture };
    const picture = alone[only as ScreenshotName];
    try {
      if (!picture) throw new Error(`--only takes one of ${Object.keys(alone).join(', ')}, not ${only}`);
      await picture(browser);
    } finally {
      await browser.close();
    }
    return;
  }
  try {
    const app = await startApp('demo');
    try {
      const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
      const page = await context.newPage();
      // Secrets first, so the board and inbox show the tokens' states too
      await tokenPictures(page, app);
      await boardPictures(page, app);
      await promotionPictures(page, app);
      await batchPicture(page, app);
      await releasePictures(page, app);
      await settingsPicture(page, app);
    } finally {
      await stopApp(app);
    }
    await emptyPicture(browser);
    await rolloutPicture(browser);
  } finally {
    await browser.close();
  }
  const missing = (Object.keys(SCREENSHOTS) as ScreenshotName[]).filter((n) => !written.has(n));
  if (missing.length > 0) throw new Error(`not written: ${missing.join(', ')}`);
  process.stderr.write(`docs:screenshots: ${written.size} pictures in docs/images/\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`docs:screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
