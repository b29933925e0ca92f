// The board on the REAL data plane: the main services read the demo sandbox's Kubernetes API
// servers through its kubeconfig, exactly as the desktop app reads a user's clusters. Every
// seeded problem state shows in place with its message, a status change made with kubectl
// (an independent client) reaches the open board without a reload, and the top bar signs in
// with a device code.
import path from 'node:path';
import { cell, expect, kubectl, openBoard, row, screenshotDir, test } from './sandbox-fixtures';

test.describe.serial('board on the demo sandbox', () => {
  test('renders every demo case from the real data plane, with its message', async ({ page, real }) => {
    await page.setViewportSize({ width: 1280, height: 2600 });
    await openBoard(page, real);
    // 12 GitHub pipelines + 2 GitLab ones, all on the management cluster
    await expect(page.getByTestId('pipeline-row')).toHaveCount(14);
    await expect(page.getByTestId('clusters-connected')).toHaveText('3 connected');

    // stale appRef apiVersion: the board reads the served version and says so
    await expect(row(page, 'team-payments/ledger').getByTestId('row-problem')).toContainText('appRef asks for helm.toolkit.fluxcd.io/v2beta1');
    await expect(row(page, 'team-payments/ledger').getByTestId('row-problem')).toContainText('Update spec.appRef.apiVersion to helm.toolkit.fluxcd.io/v2');
    // malformed Pipeline: shown as far as it can be read, with the fix
    await expect(row(page, 'platform/observability').getByTestId('row-problem')).toContainText('duplicate environment "staging"');
    // missing GitopsCluster / no kubeconfig context
    await expect(page.locator('[data-testid="cluster-chip"][data-cluster="dr-eu"]')).toContainText('no context');
    await expect(cell(page, 'platform/cert-manager', 'prod').getByTestId('cell-note')).toContainText('dr-eu: no context');
    // "no context" reads the same everywhere: the target was not read, so its cell is Unknown, not Failing
    await expect(cell(page, 'platform/cert-manager', 'prod').getByTestId('cell-health')).toHaveText('Unknown');
    await expect(cell(page, 'team-search/ranker', 'staging').getByTestId('cell-note')).toContainText('staging-us: no context');
    // failing environment, with Flux's message
    await expect(cell(page, 'team-search/search-indexer', 'staging').getByTestId('cell-health')).toHaveText('Failing');
    await expect(cell(page, 'team-search/search-indexer', 'staging').getByTestId('cell-note')).toContainText('Failed to upgrade after 3 attempt(s)');
    // suspended target
    await expect(cell(page, 'team-search/query-gateway', 'prod').getByTestId('cell-health')).toHaveText('Suspended');
    await expect(cell(page, 'team-search/query-gateway', 'prod').getByTestId('cell-note')).toContainText('Reconciliation is suspended');
    // missing target object
    await expect(cell(page, 'team-search/autocomplete', 'prod').getByTestId('cell-health')).toHaveText('Failing');
    await expect(cell(page, 'team-search/autocomplete', 'prod').getByTestId('cell-note')).toContainText('HelmRelease search/autocomplete');
    // manual gate awaiting approval; promotion expected
    await expect(cell(page, 'team-payments/ledger', 'prod').getByTestId('pending-badge')).toHaveText('Awaiting approval · 2.4.0');
    await expect(cell(page, 'platform/ingress-nginx', 'prod').getByTestId('pending-badge')).toHaveText('Promotion expected · 4.11.3');
    // token badges on rows from the token report (a revoked token on search-indexer)
    await expect(row(page, 'team-search/search-indexer').getByTestId('row-token-badge')).toContainText('rejected');

    // the failing cell's detail has the whole Flux message
    await cell(page, 'team-search/search-indexer', 'staging').click();
    await expect(page.getByTestId('detail-panel')).toContainText('context deadline exceeded waiting for Deployment search/search-indexer');
    await expect(page.getByTestId('detail-token')).toBeVisible();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(screenshotDir, 'detail-token-real.png') });
    await page.keyboard.press('Escape');

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(screenshotDir, 'board-real-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: path.join(screenshotDir, 'board-real-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('a status change made with kubectl reaches the open board without a reload', async ({ page, real }) => {
    await openBoard(page, real, '#q=query-gateway');
    const dev = cell(page, 'team-search/query-gateway', 'dev');
    await expect(dev.getByTestId('cell-health')).toHaveText('Healthy');
    const marker = await page.evaluate(() => ((window as unknown as { __noReload: number }).__noReload = Math.random()));
    const now = new Date().toISOString();
    const patch = {
      status: {
        conditions: [
          { type: 'Ready', status: 'False', reason: 'UpgradeFailed', message: 'patched with kubectl: image pull back-off for search/query-gateway', lastTransitionTime: now, observedGeneration: 1 },
          { type: 'Stalled', status: 'True', reason: 'RetriesExceeded', message: 'patched with kubectl: retries exhausted', lastTransitionTime: now, observedGeneration: 1 },
        ],
      },
    };
    await kubectl(real, ['--context', 'mgmt', '-n', 'search-dev', 'patch', 'helmrelease', 'query-gateway', '--subresource=status', '--type=merge', '-p', JSON.stringify(patch)]);
    await expect(dev.getByTestId('cell-health')).toHaveText('Failing', { timeout: 20_000 });
    await expect(dev.getByTestId('cell-note')).toContainText('patched with kubectl');
    expect(await page.evaluate(() => (window as unknown as { __noReload: number }).__noReload)).toBe(marker);
  });

  test('signs in from the top bar with a device code; open PRs appear; sign out', async ({ page, real }) => {
    const forge = real.sandbox.forge.server;
    await openBoard(page, real, '#q=checkout');
    // acme/fleet-config is public: its open PR is read without a token, before any sign-in
    await expect(cell(page, 'team-payments/checkout', 'prod').getByTestId('pending-badge')).toContainText('PR #1 · 1.8.2', { timeout: 20_000 });
    await page.getByTestId('account-button').click();
    const github = page.locator('[data-testid="host-entry"]').filter({ hasText: 'GitHub' });
    await github.getByTestId('sign-in-code').click();
    const code = await github.getByTestId('device-user-code').textContent();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect(github.getByTestId('sign-in-device-prompt')).toContainText(`${real.sandbox.forge.url}/login/device`);
    await page.screenshot({ path: path.join(screenshotDir, 'signin-device.png') });
    // the user approves the code on the forge's page
    expect(forge.state.decideDeviceCode(code!, true)).toBe(true);
    await expect(github.getByTestId('session-login')).toHaveText(real.sandbox.users.signIn.login, { timeout: 20_000 });
    await expect(github).toContainText(/expires in \d+ h/);
    await expect(page.getByTestId('account-button')).toContainText(real.sandbox.users.signIn.login);
    await page.screenshot({ path: path.join(screenshotDir, 'signin-topbar.png') });
    // signed in, main's PR discovery asks the forge with the user's token: the PR is still shown
    await expect(cell(page, 'team-payments/checkout', 'prod').getByTestId('pending-badge')).toContainText('PR #1 · 1.8.2', { timeout: 20_000 });
    await github.getByTestId('sign-out').click();
    await expect(github).toContainText('Not signed in');
    await expect(page.getByTestId('account-button')).toContainText('Sign in');
  });
});
