// Reliability suite, bad inputs in the page: hostile strings as a forge or a cluster could
// send them (HTML and script in names, titles and condition messages, javascript: URLs in a
// PR's html_url and a strategy's repository URL) go through the real services and the
// preview harness into the built renderer in Chromium. Nothing may execute, the markup must
// show as text, and a javascript: link must neither run nor navigate.
// Needs the built renderer (out/renderer: `npx electron-vite build`, which npm test runs
// first) and Chromium at $CHROMIUM_PATH or /usr/bin/chromium.

import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, ClusterState } from '../../src-main/common/board';
import { createMemoryLogger } from '../../src-main/log/logger';
import { buildBoard, type WorkloadCollection } from '../../src-main/pipelines/build-board';
import { condition, helmRelease, pipeline } from '../../src-main/pipelines/test-objects';
import { createMainServices, type MainServices } from '../../src-main/services';
import { previewAppInfo, startPreviewServer, type PreviewServer } from '../harness/preview-server';

const XSS_NAME = '<img src=x onerror=window.__pwned=1>';
const XSS_TITLE = '"><svg onload=window.__pwned=2>';
const XSS_MESSAGE = '<script>window.__pwned=4</script><b>bold?</b>';
const JS_URL = 'javascript:window.__pwned=5';
const HUGE_MESSAGE = `${'A'.repeat(200_000)}<img src=x onerror=window.__pwned=6>`;

function hostileBoard(): BoardSnapshot {
  const clusters: ClusterState[] = [{ name: 'mgmt', context: 'mgmt', state: 'connected' }];
  const strategy = { strategy: { 'pull-request': { type: 'github', url: 'javascript:window.__pwned=3', baseBranch: 'main', secretRef: { name: 't' } } } };
  const p = pipeline('team', XSS_NAME, [
    { name: 'dev', targets: [{ namespace: 'dev' }] },
    { name: 'prod', targets: [{ namespace: 'prod' }], promotion: strategy },
  ]);
  const dev = helmRelease('dev', XSS_NAME, '1.0.0');
  const prod = helmRelease('prod', XSS_NAME, '0.9.0', { ready: 'False' });
  (prod.status.conditions as unknown[]) = [condition('Ready', 'False', 'InstallFailed', `${XSS_MESSAGE}${HUGE_MESSAGE}`)];
  const items = (objs: Array<{ metadata: { namespace: string; name: string } }>): WorkloadCollection => ({
    items: new Map(objs.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o])),
    synced: true,
  });
  const served = new Map([
    ['helm.toolkit.fluxcd.io', ['v2']],
    ['kustomize.toolkit.fluxcd.io', ['v1']],
    ['pipelines.weave.works', ['v1alpha1']],
  ]);
  const board = buildBoard({
    pipelines: new Map([['mgmt', new Map([[`team/${XSS_NAME}`, p]])]]),
    gitopsClusters: new Map([['mgmt', new Map()]]),
    workloads: new Map([['mgmt', new Map([['HelmRelease', items([dev, prod])]])]]),
    clusters,
    servedVersions: new Map([['mgmt', served]]),
    contextForCluster: () => undefined,
    openPullRequests: [],
  });
  // An open promotion PR as a hostile forge would describe it (title and html_url).
  const env = board.pipelines[0]?.environments.find((e) => e.name === 'prod');
  if (!env) throw new Error('hostile board has no prod environment');
  env.pending = [{ kind: 'pr-open', version: XSS_TITLE, pr: { number: 7, url: JS_URL, createdAt: '2026-01-01T00:00:00Z' } }];
  return board;
}

let services: MainServices;
let server: PreviewServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const board = hostileBoard();
  services = await createMainServices({
    appInfo: await previewAppInfo(),
    logger: createMemoryLogger('warn'),
    board: { snapshot: () => board, subscribe: () => () => {}, stop: () => {} },
    forgeHosts: [],
    kubeconfigPath: '/nonexistent/kubeconfig',
    env: {},
  });
  server = await startPreviewServer({ services });
  browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await services?.stop();
});

const pwned = () => page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned);

/** Page script: resolves after the tasks queued so far, then two animation frames (text, as the page has no Node types). */
const AFTER_QUEUED_TASKS = `new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null)));
  channel.port2.postMessage(null);
})`;

describe('bad inputs: hostile forge and cluster strings in the page', () => {
  it('HTML in a pipeline name renders as text and runs nothing', async () => {
    await page.getByText(XSS_NAME).first().waitFor({ timeout: 20_000 });
    expect(await pwned()).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('a script in a condition message and a huge message stay inert text', async () => {
    const cell = page.locator('[data-testid="env-cell"][data-env="prod"]').first();
    await cell.click();
    const panel = page.getByTestId('detail-panel');
    await panel.waitFor({ timeout: 10_000 });
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('<script>');
    expect(await page.locator('script:not([src])').evaluateAll((nodes) => nodes.filter((n) => n.textContent?.includes('__pwned')).length)).toBe(0);
    expect(await page.locator('b', { hasText: 'bold?' }).count()).toBe(0);
    expect(await pwned()).toBeUndefined();
  });

  it('a PR title with markup shows as text in the pending list', async () => {
    const panel = page.getByTestId('detail-panel');
    await expect.poll(() => panel.textContent(), { timeout: 10_000 }).toContain('svg onload');
    expect(await page.locator('svg[onload]').count()).toBe(0);
    expect(await pwned()).toBeUndefined();
  });

  it('javascript: in html_url and in the repository URL neither runs nor navigates', async () => {
    const before = page.url();
    const links = page.locator('a[href^="javascript:" i]');
    const count = await links.count();
    for (let i = 0; i < count; i++)
      await links
        .nth(i)
        .click({ force: true })
        .catch(() => undefined);
    // The PR link text is the raw URL; clicking it too.
    const byText = page.getByText(JS_URL);
    const shown = await byText.count();
    if (shown > 0)
      await byText
        .first()
        .click({ force: true })
        .catch(() => undefined);
    // The hostile PR link is on the page (so the clicks above exercised it).
    expect(count + shown).toBeGreaterThan(0);
    // Look only once every task the clicks queued has run: a message posted now is delivered
    // after them, and two animation frames later any script they started has rendered too.
    await page.evaluate(AFTER_QUEUED_TASKS);
    await page.waitForLoadState('load');
    expect(await pwned()).toBeUndefined();
    expect(page.url()).toBe(before);
    expect(browser.contexts()[0]?.pages().length).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('the hostile board reached the page only through the bridge, as data', async () => {
    const boardTraffic = server.traffic.filter((t) => t.channel === 'board:subscribe' && t.direction === 'response');
    expect(boardTraffic.length).toBeGreaterThan(0);
    expect(boardTraffic[0]?.body).toContain('onerror=window.__pwned=1');
    expect(pageErrors.filter((e) => /__pwned/.test(e))).toEqual([]);
  });
});
