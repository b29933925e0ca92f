// The token views in Chromium with real reports: the token service runs against the demo
// sandbox (admin and viewer kubeconfigs), and the components are built by vite into a
// standalone page under the app's CSP (img-src 'self' data:). The preview harness does not
// mount the views yet, so this page stands in for it; screenshots go to
// artifacts/screenshots/tokens-*.png.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenReport } from '../../src-main/common/tokens';
import { loadKubeconfig } from '../../src-main/kube/kubeconfig';
import { createLogger } from '../../src-main/log/logger';
import { createPipelineLister, createTokenService } from '../../src-main/tokens/token-service';
import { sandboxForgeHosts, startSandbox } from '../sandbox/index';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const screenshotDir = path.join(repoRoot, 'artifacts', 'screenshots');
const tokensDir = path.join(repoRoot, 'src-renderer', 'features', 'tokens');
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

let dir: string;
let server: Server;
let baseUrl: string;
let tokenValues: string[] = [];
let adminReport: TokenReport;
let viewerReport: TokenReport;

async function reportFor(kubeconfig: string, context: string, mayContactHost: (host: string) => boolean): Promise<TokenReport> {
  const loaded = loadKubeconfig({ explicitPath: kubeconfig });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const kubeconfigFor = (c: string) => loaded.value.forContext(c);
  const service = createTokenService({ mayContactHost, pipelines: createPipelineLister({ contexts: [context], kubeconfigFor }), kubeconfigFor, logger: createLogger({ level: 'error' }) });
  return service.report();
}

const ENTRY = `
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '${repoRoot}/src-renderer/styles/app.css';
import { TokensView } from '${tokensDir}/tokens-view';
import { TokenBadge } from '${tokensDir}/token-badge';
import { tokenEntryFor } from '${repoRoot}/src-main/common/tokens';
import admin from './admin.json';
import viewer from './viewer.json';

const params = new URLSearchParams(location.search);
const report = params.get('report') === 'viewer' ? viewer : admin;
const now = new Date(report.generatedAt);

function Badges() {
  return (
    <table className="badge-table" data-testid="badges">
      <tbody>
        {report.pipelines.map((p) => (
          <tr key={p.pipelineId}>
            <th>{p.pipelineId}</th>
            {p.environments.map((e) => (
              <td key={e.environment}>
                <span className="badge-env">{e.environment}</span>
                <TokenBadge entry={tokenEntryFor(report, p.pipelineId, e.environment)} onSelect={() => undefined} testId={'badge-' + p.pipeline + '-' + e.environment} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function View() {
  const [checking, setChecking] = useState();
  const [opened, setOpened] = useState('');
  return (
    <>
      <TokensView report={report} now={now} onRecheck={setChecking} recheckingKey={checking} onOpenGuidance={setOpened} />
      <output data-testid="opened" hidden>{opened}</output>
    </>
  );
}

createRoot(document.getElementById('root')).render(<StrictMode>{params.get('show') === 'badges' ? <Badges /> : <View />}</StrictMode>);
`;

const PAGE_CSS = `
.badge-table { border-collapse: collapse; margin: 16px; background: var(--bg-raised); }
.badge-table th { text-align: left; padding: 6px 12px; font-weight: 500; color: var(--text-muted); }
.badge-table td { padding: 6px 10px; border-top: 1px solid var(--border); }
.badge-env { display: block; font-size: 11px; color: var(--text-faint); }
body:has(.badge-table) { overflow: auto; }
`;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const sandbox = await startSandbox({ seed: 'demo' });
  try {
    const gitlab = (sandbox.users as { gitlab?: { tokens: Record<string, string> } }).gitlab;
    tokenValues = [...Object.values(sandbox.users.tokens), ...Object.values(gitlab?.tokens ?? {})];
    adminReport = await reportFor(sandbox.kubeconfig, sandbox.info.managementCluster, sandboxForgeHosts(sandbox));
    viewerReport = await reportFor(sandbox.viewerKubeconfig, sandbox.info.managementCluster, sandboxForgeHosts(sandbox));
  } finally {
    await sandbox.stop();
  }
  dir = mkdtempSync(path.join(tmpdir(), 'tokens-e2e-'));
  // Bare imports from the temp entry resolve through the project's node_modules.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'admin.json'), JSON.stringify(adminReport));
  writeFileSync(path.join(dir, 'viewer.json'), JSON.stringify(viewerReport));
  writeFileSync(path.join(dir, 'main.tsx'), ENTRY);
  writeFileSync(path.join(dir, 'page.css'), PAGE_CSS);
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="UTF-8" /><meta http-equiv="Content-Security-Policy" content="${CSP}" /><meta name="color-scheme" content="light dark" /><link rel="stylesheet" href="./page.css" /><title>Tokens</title></head><body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>`,
  );
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  await build({ root: dir, configFile: false, logLevel: 'error', plugins: [react()], build: { outDir: path.join(dir, 'dist'), emptyOutDir: true } });
  const dist = path.join(dir, 'dist');
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dist)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  mkdirSync(screenshotDir, { recursive: true });
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(e.message));
  return violations;
}

test('the tokens view lists every token by fingerprint with its state, pipelines and risks', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1280 });
  const violations = watchCsp(page);
  await page.goto(baseUrl);
  const items = page.getByTestId('token-item');
  await expect(items).toHaveCount(adminReport.entries.length);
  const risks = adminReport.entries.reduce((n, e) => n + e.risks.length, 0);
  expect(risks).toBeGreaterThan(10);
  const tokens = adminReport.entries.filter((e) => e.fingerprint).length;
  expect(tokens).toBeGreaterThanOrEqual(7);
  await expect(page.getByTestId('tokens-summary')).toHaveText(`${tokens} tokens, ${adminReport.entries.length - tokens} Secrets without a readable token · ${risks} risks`);

  // the shared token: one entry, two pipelines, its risks with the safer path
  const shared = adminReport.entries.find((e) => e.uses.some((u) => u.pipeline === 'ranker'))!;
  await page.locator(`[data-testid="token-item"][data-token-key="${shared.key}"]`).click();
  const panel = page.getByTestId('token-panel');
  await expect(panel).toHaveAttribute('data-token-key', shared.key);
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('Bob Lindqvist (@dev-bob)');
  await expect(panel).toContainText('personal account');
  await expect(panel).toContainText('team-search/ranker');
  await expect(panel).toContainText('team-search/autocomplete');
  await expect(panel.locator('[data-risk="shared-token"]')).toContainText('The same token is used by 2 pipelines');
  await expect(panel.locator('[data-risk="broad-scope"]')).toContainText('Safer:');
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-view-shared.png') });
  await panel
    .locator('[data-risk="personal-account"]')
    .getByRole('button', { name: /How to fix/ })
    .click();
  await expect(page.getByTestId('opened')).toHaveText('docs/token-guidance.md#what-the-token-is-used-for');

  // the classic bot token: newest promotion PR, labelled as such
  const classic = adminReport.entries.find((e) => e.uses.some((u) => u.pipeline === 'checkout'))!;
  await page.locator(`[data-testid="token-item"][data-token-key="${classic.key}"]`).click();
  await expect(panel).toContainText(/newest promotion PR by promotion-bot: #1, \d{4}-\d{2}-\d{2}/);
  await expect(panel).toContainText('never expires');
  await page.getByRole('button', { name: 'Re-check' }).click();
  await expect(page.getByRole('button', { name: 'Checking…' })).toBeDisabled();
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-view-classic.png') });

  // avatars are inline images only (CSP), and no token value reaches the page
  const srcs = await page.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  expect(srcs.length).toBeGreaterThan(0);
  expect(srcs.every((s) => s.startsWith('data:image/'))).toBe(true);
  const html = await page.content();
  for (const v of tokenValues) expect(html.includes(v)).toBe(false);
  expect(violations).toEqual([]);
});

test('the missing Secret, missing key and rejected tokens say so', async ({ page }) => {
  await page.goto(baseUrl);
  const panel = page.getByTestId('token-panel');
  for (const [pipeline, text] of [
    ['query-gateway', 'the Secret does not exist'],
    ['search-ui', 'the Secret has no "token" key'],
    ['fraud-detector', 'rejected by the forge (revoked or expired)'],
  ] as const) {
    const entry = adminReport.entries.find((e) => e.uses.some((u) => u.pipeline === pipeline))!;
    await page.locator(`[data-testid="token-item"][data-token-key="${entry.key}"]`).click();
    await expect(panel.locator('.token-state')).toHaveText(text);
  }
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-view-rejected.png') });
});

test('compact badges per pipeline environment', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 620 });
  const violations = watchCsp(page);
  await page.goto(`${baseUrl}?show=badges`);
  await expect(page.getByTestId('badge-checkout-prod')).toContainText('@promotion-bot');
  await expect(page.getByTestId('badge-checkout-prod')).toContainText('works');
  await expect(page.getByTestId('badge-cert-manager-prod')).toContainText('expiring');
  await expect(page.getByTestId('badge-search-indexer-prod')).toContainText('rejected');
  await expect(page.getByTestId('badge-payments-api-prod')).toHaveText('no token');
  await page.getByTestId('badges').screenshot({ path: path.join(screenshotDir, 'tokens-badges.png') });
  expect(violations).toEqual([]);
});

test('with the viewer kubeconfig every Secret reads "you may not read this Secret"', async ({ page }) => {
  await page.goto(`${baseUrl}?report=viewer`);
  expect(viewerReport.entries.length).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('token-item')).toHaveCount(viewerReport.entries.length);
  await expect(page.getByTestId('token-panel').locator('.token-state')).toHaveText('you may not read this Secret');
  await expect(page.getByTestId('tokens-summary')).toHaveText(`0 tokens, ${viewerReport.entries.length} Secrets without a readable token · 0 risks`);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-view-forbidden.png') });
});

test('dark mode', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(baseUrl);
  await expect(page.getByTestId('token-item')).toHaveCount(adminReport.entries.length);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-view-dark.png') });
});
