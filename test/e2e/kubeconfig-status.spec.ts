// The kubeconfig status main computes reaches the page: a malformed kubeconfig shows its real
// error (file, line) and main's hint where the board would be, and fixing the file while the
// app runs replaces it (main watches the file) with the board's normal empty state and the
// new kubeconfig's warnings. On a board with rows, a reload that breaks the file says so above
// the rows, which stay (the last good kubeconfig keeps serving them).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryLogger } from '../../src-main/log/logger';
import { createMainServices, type MainServices } from '../../src-main/services';
import { previewAppInfo, startPreviewServer, type PreviewServer } from '../harness/preview-server';
import { startSandbox, type Sandbox } from '../sandbox/index';

const MALFORMED = 'apiVersion: v1\nclusters:\n  - name: [unclosed\n';

// A valid kubeconfig whose only user needs a credential plugin nobody installed: it loads,
// with a warning saying so; its cluster (a closed port on this machine) is never reached.
const WITH_MISSING_PLUGIN = `apiVersion: v1
kind: Config
current-context: mgmt
clusters:
  - name: mgmt
    cluster: { server: 'https://127.0.0.1:9' }
users:
  - name: mgmt-user
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: release-board-test-plugin-that-is-not-installed
contexts:
  - name: mgmt
    context: { cluster: mgmt, user: mgmt-user }
`;

interface AppWithKubeconfig {
  /** The kubeconfig main reads (and watches): tests rewrite it. */
  file: string;
  preview: PreviewServer;
  stop(): Promise<void>;
}

/** The real main services reading a kubeconfig file of this content, behind the preview harness. */
async function startWithKubeconfig(content: string): Promise<AppWithKubeconfig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-kubeconfig-status-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(file, content);
  // PATH empty: the credential plugin of WITH_MISSING_PLUGIN is not found, whatever is installed.
  const services: MainServices = await createMainServices({ logger: createMemoryLogger('warn'), appInfo: await previewAppInfo(), kubeconfigPath: file, forgeHosts: [], env: { PATH: '' } });
  const preview = await startPreviewServer({ services });
  return {
    file,
    preview,
    async stop() {
      await preview.close();
      await services.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test.describe('without a usable kubeconfig', () => {
  let app: AppWithKubeconfig;
  let file: string;
  let preview: PreviewServer;

  test.beforeAll(async () => {
    app = await startWithKubeconfig(MALFORMED);
    ({ file, preview } = app);
  });

  test.afterAll(() => app?.stop());

  test('a malformed kubeconfig shows its real error and hint, and fixing the file replaces them', async ({ page }) => {
    await page.goto(preview.url);
    const panel = page.getByTestId('board-kubeconfig-error');
    await expect(panel).toBeVisible({ timeout: 20_000 });
    await expect(panel.getByRole('heading')).toHaveText('Release Board cannot read your kubeconfig');
    const problem = panel.locator('[data-code="kubeconfig-malformed"]');
    await expect(problem).toContainText(`Kubeconfig ${file} is not valid YAML (line 4)`);
    await expect(problem).toContainText('Fix the file, or point KUBECONFIG at a valid one.');
    await expect(panel.getByRole('button', { name: 'Choose a kubeconfig in Settings' })).toBeVisible();
    await expect(page.getByTestId('board-empty')).toHaveCount(0);

    fs.writeFileSync(file, WITH_MISSING_PLUGIN);
    const empty = page.getByTestId('board-empty');
    await expect(empty).toBeVisible({ timeout: 20_000 });
    await expect(panel).toHaveCount(0);
    await expect(empty.locator('[data-code="exec-plugin-missing"]')).toContainText('Context "mgmt"');
  });
});

test.describe('on a board with rows', () => {
  let sandbox: Sandbox;
  let app: AppWithKubeconfig;
  let file: string;
  let preview: PreviewServer;

  test.beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'demo' });
    app = await startWithKubeconfig(fs.readFileSync(sandbox.kubeconfig, 'utf8'));
    ({ file, preview } = app);
  });

  test.afterAll(async () => {
    await app?.stop();
    await sandbox?.stop();
  });

  test('a kubeconfig broken while the app runs is reported above the rows, which stay', async ({ page }) => {
    await page.goto(preview.url);
    const list = page.getByTestId('board-list');
    await expect(list).toBeVisible({ timeout: 20_000 });
    const freshness = page.getByTestId('board-freshness');
    await expect(freshness).toContainText(/[1-9]\d* pipelines/);
    const pipelines = /(\d+) pipelines/.exec((await freshness.textContent()) ?? '')?.[1];
    await expect(page.getByTestId('kubeconfig-notice')).toHaveCount(0);

    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, MALFORMED);
    const notice = page.getByTestId('kubeconfig-notice');
    await expect(notice).toBeVisible({ timeout: 20_000 });
    await expect(notice).toHaveAttribute('role', 'alert');
    await expect(notice).toContainText('the board shows what the last good one reached');
    await expect(notice.locator('[data-code="kubeconfig-malformed"]')).toContainText(`Kubeconfig ${file} is not valid YAML (line 4)`);
    await expect(freshness).toContainText(`${pipelines} pipelines`);
    await expect(list).toBeVisible();

    fs.writeFileSync(file, good);
    await expect(notice).toHaveCount(0, { timeout: 20_000 });
    await expect(freshness).toContainText(`${pipelines} pipelines`);
  });
});
