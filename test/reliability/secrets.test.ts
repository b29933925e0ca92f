// Reliability suite, secrets: one end-to-end session through createMainServices against the
// demo sandbox (board, browser sign-in with the expiring-token GitHub App so a refresh token
// exists, a promotion plan + apply, tokens:list and tokens:refresh) with a file log sink and a
// settings store in temp dirs. Afterwards every file written there, every dispatcher result,
// every event payload and every log record is searched for the user's access and refresh
// tokens, every forge token of the seed and every kube bearer token: zero hits allowed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnterpriseHost } from '../../src-main/forges/forge-host';
import { createFileSink, type FileSink } from '../../src-main/log/file-sink';
import { createLogger, type LogRecord } from '../../src-main/log/logger';
import { openSettingsStore } from '../../src-main/settings/settings-store';
import { createMainServices, type MainServices } from '../../src-main/services';
import { waitFor } from '../../src-main/kube/test-helpers';
import { browserFollower } from '../bench/promotion-sandbox';
import { previewAppInfo, startPreviewServer } from '../harness/preview-server';
import { startSandbox, type Sandbox } from '../sandbox/index';

let sandbox: Sandbox;
let dir: string;
let services: MainServices;
let fileSink: FileSink;
const records: LogRecord[] = [];
const seen: Array<{ where: string; value: unknown }> = [];
const HOST = 'sandbox-app';
/** every secret of the session, by label; filled by the end-to-end test */
const secrets = new Map<string, string>();

/** Runs in the page (a string: this program has no DOM types): every web storage the page can reach. */
const PAGE_STORAGE_DUMP = `(async () => {
  const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)).map((k) => [k, s.getItem(k)]));
  const idb = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(info.name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      idb[info.name + '/' + store] = await new Promise((resolve) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => resolve(all.result);
        all.onerror = () => resolve(String(all.error));
      });
    }
    db.close();
  }
  return { local: dump(localStorage), session: dump(sessionStorage), idb, cookie: document.cookie, html: document.documentElement.outerHTML };
})()`;

function hitsIn(haystacks: Array<{ where: string; text: string }>): string[] {
  const hits: string[] = [];
  for (const [label, value] of secrets) for (const h of haystacks) if (h.text.includes(value)) hits.push(`${label} in ${h.where}`);
  return hits;
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', fluxDelayMs: 50 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-secrets-'));
  fileSink = createFileSink({ dir: path.join(dir, 'logs') });
  const logger = createLogger({ level: 'debug', sinks: [fileSink.sink, (r) => records.push(r)] });
  const settings = await openSettingsStore(path.join(dir, 'settings'));
  const app = sandbox.users.oauthApps.find((a) => a.expiringTokens);
  if (!app) throw new Error('the demo seed has no expiring-token app');
  const host = githubEnterpriseHost(sandbox.forge.url, app.clientId, app.clientSecret, HOST);
  await settings.update({ kubeconfigPath: sandbox.kubeconfig, readPromotionSecrets: true, forgeHosts: [{ type: 'github', id: HOST, webUrl: sandbox.forge.url, clientId: app.clientId }] });
  services = await createMainServices({
    appInfo: await previewAppInfo(),
    logger,
    kubeconfigPath: sandbox.kubeconfig,
    forgeHosts: [host],
    openExternal: browserFollower(),
    settings,
    env: {},
  });
  services.events.subscribe((channel, payload) => seen.push({ where: `event ${channel}`, value: payload }));
}, 60_000);

afterAll(async () => {
  await services?.stop();
  fileSink?.close();
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function call(channel: string, payload: unknown): Promise<unknown> {
  const result = await services.dispatcher.dispatch(channel, payload);
  seen.push({ where: `result ${channel}`, value: result });
  return result;
}

function filesUnder(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(root, e.name)) : [path.join(root, e.name)]));
}

describe('secrets: an end-to-end session leaks no token', () => {
  it('board, sign-in, plan + apply, tokens:list/refresh: zero secret hits in files, results, events, logs', async () => {
    const board = (await call('board:subscribe', undefined)) as { ok: boolean };
    expect(board.ok).toBe(true);
    await waitFor(() => seen.some((s) => s.where === 'event board:changed'), 'a board change');

    const signIn = (await call('auth:sign-in', { host: HOST })) as { ok: boolean; error?: { message: string } };
    expect(signIn.ok, signIn.error?.message).toBe(true);
    const accessToken = await services.promotion.vault.withToken(HOST, async (t) => t);
    const forgeState = sandbox.forge.server.state.raw as unknown as { refreshTokens: Map<string, { accessToken: string }> };
    const refreshTokens = [...forgeState.refreshTokens.entries()].filter(([, v]) => v.accessToken === accessToken).map(([k]) => k);
    expect(refreshTokens.length).toBe(1);

    // The renderer names only the pipeline and the environment; main derives the rest from its
    // board, so wait until staging (the source) is known there as healthy.
    await waitFor(async () => {
      const snapshot = await services.board.snapshot();
      return snapshot.pipelines.find((p) => p.id === 'platform/ingress-nginx')?.environments[2]?.rollup.state === 'healthy';
    }, 'ingress-nginx staging healthy on the board');
    const plan = (await call('promotion:plan', { pipelineId: 'platform/ingress-nginx', targetEnv: 'prod' })) as { ok: boolean; value?: { id: string }; error?: { message: string } };
    expect(plan.ok, plan.error?.message).toBe(true);
    const applied = (await call('promotion:apply', { planId: plan.value!.id })) as { ok: boolean; error?: { message: string } };
    expect(applied.ok, applied.error?.message).toBe(true);

    const list = (await call('tokens:list', undefined)) as { ok: boolean };
    const refreshed = (await call('tokens:refresh', undefined)) as { ok: boolean; value?: { entries: Array<{ state: string }> } };
    expect(list.ok).toBe(true);
    expect(refreshed.ok).toBe(true);
    // The token service really read promotion Secrets (their values passed through main).
    expect(refreshed.value!.entries.length).toBeGreaterThan(0);
    expect(refreshed.value!.entries.some((e) => !['secret-missing', 'forbidden', 'cluster-error'].includes(e.state))).toBe(true);
    await call('auth:list-sessions', undefined);
    await call('auth:list-hosts', undefined);
    await call('app:get-info', undefined);

    secrets.set('access token', accessToken);
    for (const r of refreshTokens) secrets.set('refresh token', r);
    for (const [label, value] of Object.entries(sandbox.users.tokens)) secrets.set(`forge token ${label}`, value);
    for (const [user, byCluster] of Object.entries(sandbox.users.kube)) for (const [c, value] of Object.entries(byCluster)) secrets.set(`kube ${user}@${c}`, value);
    for (const app of sandbox.users.oauthApps) secrets.set(`client secret ${app.name}`, app.clientSecret);
    expect(secrets.size).toBeGreaterThan(8);
    for (const value of secrets.values()) expect(value.length).toBeGreaterThanOrEqual(16);

    const haystacks: Array<{ where: string; text: string }> = [
      ...seen.map((s) => ({ where: s.where, text: JSON.stringify(s.value) })),
      ...records.map((r, i) => ({ where: `log record ${i}`, text: JSON.stringify(r) })),
      ...filesUnder(dir).map((f) => ({ where: path.relative(dir, f), text: fs.readFileSync(f).toString('latin1') })),
    ];
    // The session really produced material to search: results, events, a log file, a settings file.
    expect(haystacks.filter((h) => h.where.startsWith('result')).length).toBeGreaterThanOrEqual(7);
    expect(haystacks.some((h) => h.where.startsWith('event promotion:progressed'))).toBe(true);
    expect(haystacks.some((h) => h.where.startsWith('logs'))).toBe(true);
    expect(haystacks.some((h) => h.where.startsWith('settings'))).toBe(true);
    expect(records.length).toBeGreaterThan(0);

    expect(hitsIn(haystacks)).toEqual([]);
    // The search itself works: a haystack holding a secret is reported.
    expect(hitsIn([{ where: 'canary', text: `x${accessToken}x` }])).toEqual(['access token in canary']);
  }, 60_000);

  it('the page keeps no secret in localStorage, sessionStorage, IndexedDB or bridge traffic', async () => {
    expect(secrets.size).toBeGreaterThan(8);
    const server = await startPreviewServer({ services });
    const browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.locator('[data-testid="pipeline-row"], [data-testid="inbox"]').first().waitFor({ timeout: 20_000 });
      // Open a target's detail and wait until it shows the promotion token's facts: by then the
      // page has asked main for the board and the token report, the material to search.
      // From the keyboard: a click at the cell's centre can land on a badge or button that
      // appears as the board finishes loading (on a loaded machine it did, and no panel opened).
      await page.locator('[data-testid="env-cell"][data-row-id="platform/ingress-nginx"][data-env="prod"]').first().focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('detail-panel').getByTestId('token-panel').waitFor({ timeout: 40_000 });
      const storage = (await page.evaluate(PAGE_STORAGE_DUMP)) as { local: unknown; session: unknown; idb: unknown; cookie: string; html: string };
      const haystacks = [
        { where: 'localStorage', text: JSON.stringify(storage.local) },
        { where: 'sessionStorage', text: JSON.stringify(storage.session) },
        { where: 'IndexedDB', text: JSON.stringify(storage.idb) },
        { where: 'document.cookie', text: storage.cookie },
        { where: 'DOM', text: storage.html },
        ...server.traffic.map((t, i) => ({ where: `bridge ${t.direction} ${t.channel} #${i}`, text: t.body })),
      ];
      expect(server.traffic.some((t) => t.channel === 'board:subscribe')).toBe(true);
      expect(server.traffic.some((t) => t.channel === 'tokens:list' && t.direction === 'response')).toBe(true);
      // The dump really ran in the page: the rendered board is in it.
      expect(storage.html).toContain('ingress-nginx');
      expect(hitsIn(haystacks)).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 90_000);
});
