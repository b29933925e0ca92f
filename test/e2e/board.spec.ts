// The pipeline board against the demo fixture: every case visible with its message, detail
// panel, search/filters/URL, promotion by drag-and-drop and keyboard, inbox, live changes.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createScaleBoard, createScaleRow } from './board-fixtures/scale-board';
import { expect, screenshotDir, test } from './board-fixtures/board-test';

const cell = (page: Page, rowId: string, env: string) => page.locator(`[data-testid="env-cell"][data-row-id="${rowId}"][data-env="${env}"]`);
const row = (page: Page, rowId: string) => page.locator(`[data-testid="pipeline-row"][data-row-id="${rowId}"]`);

async function open(page: Page, url: string, hash = '') {
  await page.goto(url + hash);
  await expect(page.getByTestId('board-list').or(page.getByTestId('inbox')).or(page.getByTestId('board-no-match'))).toBeVisible();
}

async function dragTo(page: Page, from: ReturnType<typeof cell>, to: ReturnType<typeof cell>) {
  const chip = from.getByTestId('version-chip');
  const a = (await chip.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 3, { steps: 8 });
}

test.describe('pipeline board', () => {
  test('shows every demo case in place, with its message', async ({ page, boardPreview, board: _board }) => {
    await page.setViewportSize({ width: 1280, height: 2000 });
    await open(page, boardPreview.preview.url);
    await expect(page.getByTestId('pipeline-row')).toHaveCount(10);
    // healthy multi-target, mixed versions, stale target
    await expect(cell(page, 'team-payments/ledger', 'staging').getByTestId('cell-summary')).toContainText('all 2 targets on 2.4.0');
    await expect(cell(page, 'team-payments/checkout', 'staging').getByTestId('cell-summary')).toContainText('1.8.3 ×2 · 1.8.2 ×1');
    await expect(cell(page, 'team-payments/checkout', 'staging').getByTestId('cell-health')).toHaveText('Mixed');
    await expect(cell(page, 'team-payments/checkout', 'staging').getByTestId('cell-note')).toContainText('staging-us stale for 2h');
    // failing with message, suspended, missing, unreachable, forbidden, no-crd, no-context targets
    await expect(cell(page, 'team-search/query-api', 'dev').getByTestId('cell-health')).toHaveText('Failing');
    await expect(cell(page, 'team-search/query-api', 'dev').getByTestId('cell-note')).toContainText('Helm upgrade failed');
    await expect(cell(page, 'team-web/storefront', 'staging').getByTestId('cell-health')).toHaveText('Suspended');
    await expect(cell(page, 'team-web/search-ui', 'prod').getByTestId('cell-note')).toContainText('does not exist on prod-eu');
    await expect(cell(page, 'team-search/query-api', 'prod').getByTestId('cell-note')).toContainText('prod-us: unreachable');
    await expect(cell(page, 'team-web/storefront', 'prod').getByTestId('cell-note')).toContainText('prod-ap: forbidden');
    await expect(cell(page, 'team-search/indexer', 'edge').getByTestId('cell-note')).toContainText('edge-1: API not served');
    await expect(cell(page, 'platform/edge-agent', 'lab').getByTestId('cell-note')).toContainText('lab: no context');
    // pending promotions
    await expect(cell(page, 'team-payments/checkout', 'prod').getByTestId('pending-badge')).toHaveText('Awaiting approval · 1.8.2');
    await expect(cell(page, 'team-payments/ledger', 'prod').getByTestId('pending-badge')).toContainText('PR #128 · 2.4.0 · 4h');
    await expect(cell(page, 'team-payments/ledger', 'prod').getByTestId('pending-badge')).toContainText('review required · checks running');
    await expect(cell(page, 'team-payments/refunds', 'staging').getByTestId('pending-badge')).toHaveText('Promotion expected · 0.9.4');
    // Kustomization branch@sha
    await expect(cell(page, 'team-search/indexer', 'dev').getByTestId('version-chip')).toHaveText('main@3f9c2ab');
    // row problems: malformed pipeline and a stale appRef version, each with a hint
    await expect(row(page, 'team-web/promo-banner').getByTestId('row-problem')).toContainText('spec.environments[1].targets: must contain at least 1 item');
    await expect(row(page, 'team-web/promo-banner').getByTestId('row-problem')).toContainText('Add a target');
    await expect(row(page, 'team-web/search-ui').getByTestId('row-problem')).toContainText('helm.toolkit.fluxcd.io/v2beta1');
    // cluster states in the top bar
    const chip = (name: string) => page.locator(`[data-testid="cluster-chip"][data-cluster="${name}"]`);
    await expect(chip('staging-us')).toContainText('stale 2h');
    await expect(chip('prod-us')).toContainText('unreachable');
    await expect(chip('prod-ap')).toContainText('forbidden');
    await expect(chip('edge-1')).toContainText('API not served');
    await expect(chip('lab')).toContainText('no context');
    await expect(page.getByTestId('clusters-connected')).toContainText('3 connected');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(screenshotDir, 'board-light.png') });
    await page.getByTestId('filter-failing').click();
    await page.getByTestId('filter-stale').click();
    await page.screenshot({ path: path.join(screenshotDir, 'board-problems.png') });
  });

  test('follows the dark theme and reads well at 1920×1080', async ({ page, boardPreview, board: _board }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await open(page, boardPreview.preview.url);
    await expect(page.getByTestId('pipeline-row').first()).toBeVisible();
    await page.screenshot({ path: path.join(screenshotDir, 'board-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await cell(page, 'team-payments/checkout', 'staging').click();
    await expect(page.getByTestId('detail-panel')).toBeVisible();
    await page.screenshot({ path: path.join(screenshotDir, 'board-1920.png') });
  });

  test('opens per-target detail by click and by Enter, and closes with Escape', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url);
    await cell(page, 'team-payments/checkout', 'staging').click();
    const panel = page.getByTestId('detail-panel');
    await expect(panel.getByTestId('target-card')).toHaveCount(3);
    await expect(panel).toContainText('staging-us / payments');
    await expect(panel.getByTestId('stale-marker')).toContainText('Last known state');
    await expect(panel).toContainText('helm.toolkit.fluxcd.io/v2');
    await expect(panel).toContainText('In flight');
    await expect(panel).toContainText('UpgradeSucceeded');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(cell(page, 'team-payments/checkout', 'staging')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(cell(page, 'team-payments/checkout', 'dev')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(cell(page, 'team-payments/ledger', 'dev')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(panel).toContainText('team-payments/ledger');
  });

  test('search, filters and cluster narrow the board and restore from the URL', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url);
    await page.keyboard.press('/');
    await expect(page.getByTestId('board-search')).toBeFocused();
    await page.keyboard.type('2.4.0');
    await expect(page.getByTestId('pipeline-row')).toHaveCount(1);
    await expect(page.getByTestId('board-count')).toHaveText('1 of 10 pipelines');
    await page.getByTestId('board-search').fill('');
    await page.getByTestId('filter-awaiting-approval').click();
    await page.getByTestId('filter-pr-open').click();
    await expect(page.getByTestId('pipeline-row')).toHaveCount(2);
    await page.getByTestId('cluster-select').selectOption('staging-us');
    await expect(page.getByTestId('pipeline-row')).toHaveCount(1);
    expect(new URL(page.url()).hash).toBe('#f=awaiting-approval%2Cpr-open&cluster=staging-us');
    await page.reload();
    await expect(page.getByTestId('pipeline-row')).toHaveCount(1);
    await expect(page.getByTestId('filter-pr-open')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('cluster-select')).toHaveValue('staging-us');
    await open(page, boardPreview.preview.url, '#q=search-ui');
    await expect(page.getByTestId('pipeline-row')).toHaveCount(1);
    await expect(page.getByTestId('board-search')).toHaveValue('search-ui');
    await page.getByTestId('board-search').fill('team-payments');
    await expect(page.getByTestId('pipeline-row')).toHaveCount(3);
    const group = page.locator('[data-testid="group-header"][data-group="mgmt/team-payments"] button');
    await group.click();
    await expect(group).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('pipeline-row')).toHaveCount(0);
    await group.click();
    await expect(page.getByTestId('pipeline-row')).toHaveCount(3);
    await page.getByTestId('board-search').fill('no-such-pipeline');
    await expect(page.getByTestId('board-no-match')).toBeVisible();
  });

  test('drag-and-drop says before the drop whether a promotion is allowed, then opens the dialog', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url, '#q=team-payments');
    const dev = cell(page, 'team-payments/refunds', 'dev');
    const staging = cell(page, 'team-payments/refunds', 'staging');
    const prod = cell(page, 'team-payments/refunds', 'prod');
    // disallowed: skipping an environment
    await dragTo(page, dev, prod);
    await expect(prod.getByTestId('drop-verdict')).toContainText('Promote one step at a time: dev promotes into staging, not prod.');
    await expect(staging.getByTestId('drop-verdict')).toContainText('Drop to promote 0.9.4 to staging');
    await expect(prod).toHaveClass(/cell--over/);
    await page.screenshot({ path: path.join(screenshotDir, 'drag-verdict.png') });
    await page.mouse.up();
    await expect(page.getByTestId('toast')).toContainText('one step at a time');
    await expect(page.getByTestId('promote-dialog')).toHaveCount(0);
    // allowed: the next environment
    await dragTo(page, dev, staging);
    await expect(staging).toHaveClass(/cell--over/);
    await page.mouse.up();
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('Promote refunds to staging');
    await expect(dialog).toContainText('0.9.2 → 0.9.4');
    await expect(dialog).toContainText('https://github.com/acme/fleet-config');
    await expect(dialog.getByTestId('promote-branch')).toHaveText('promotion-team-payments-refunds-staging');
    // these services have no forge host configured: the plan says so, and nothing can be confirmed
    await expect(dialog.getByTestId('promote-plan-error')).toHaveAttribute('data-code', 'unknown-host');
    await expect(dialog.getByTestId('promote-plan-error')).toContainText('No Git host configured for this repository');
    await expect(dialog.getByTestId('promote-confirm')).toBeDisabled();
    await page.screenshot({ path: path.join(screenshotDir, 'promote-dialog.png') });
    await page.keyboard.press('Enter');
    await expect(dialog.getByTestId('promote-plan')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });

  test('the keyboard promotes (p, and picking up a version) or says why not', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url, '#q=team-payments');
    await cell(page, 'team-payments/refunds', 'dev').focus();
    await page.keyboard.press('p');
    const dialog = page.getByTestId('promote-dialog');
    await expect(dialog).toContainText('Promote refunds to staging');
    // focus stays in the dialog
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    // refused: staging of refunds is healthy, but prod already... try the notification / none strategies
    await page.getByTestId('board-search').fill('notifications');
    await cell(page, 'team-web/notifications', 'dev').focus();
    await page.keyboard.press('p');
    await expect(page.getByTestId('toast')).toContainText('staging has no promotion strategy');
    await expect(page.getByTestId('live-region')).toContainText('no promotion strategy');
    await page.getByTestId('board-search').fill('indexer');
    await cell(page, 'team-search/indexer', 'dev').focus();
    await page.keyboard.press('p');
    await expect(page.getByTestId('toast')).toContainText('notification only');
    await page.getByTestId('board-search').fill('storefront');
    await cell(page, 'team-web/storefront', 'dev').focus();
    await page.keyboard.press('p');
    // GitLab promotes by merge request
    await expect(dialog.getByTestId('promote-confirm')).toHaveText('Confirm and open merge request');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    // keyboard drag: Space picks up, arrows move between environments, Space drops
    await page.getByTestId('board-search').fill('refunds');
    await cell(page, 'team-payments/refunds', 'dev').focus();
    await page.keyboard.press('Tab');
    await expect(cell(page, 'team-payments/refunds', 'dev').getByTestId('version-chip')).toBeFocused();
    await page.keyboard.press('Space');
    // dnd-kit starts listening for arrow keys just after the pick-up; its announcement marks that point
    await expect(page.locator('[id^="DndLiveRegion"]')).toContainText('Picked up 0.9.4 from refunds dev');
    const refundsStaging = cell(page, 'team-payments/refunds', 'staging');
    const refundsProd = cell(page, 'team-payments/refunds', 'prod');
    await page.keyboard.press('ArrowRight');
    await expect(refundsStaging).toHaveClass(/cell--over/);
    await page.keyboard.press('ArrowRight');
    await expect(refundsProd).toHaveClass(/cell--over/);
    await expect(refundsProd.getByTestId('drop-verdict')).toContainText('one step at a time');
    // dnd-kit's live region tells screen-reader users the same verdict
    await expect(page.locator('[id^="DndLiveRegion"]')).toContainText('one step at a time');
    await page.keyboard.press('ArrowLeft');
    await expect(refundsStaging).toHaveClass(/cell--over/);
    await page.keyboard.press('Space');
    await expect(dialog).toContainText('Promote refunds to staging');
  });

  test('the inbox lists pending promotions, sorts by age and jumps to the cell', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url, '#f=failing');
    await expect(page.getByTestId('inbox-toggle')).toContainText('3');
    await page.getByTestId('inbox-toggle').click();
    const items = page.getByTestId('inbox-item');
    await expect(items).toHaveCount(3);
    // grouped by kind, most pressing first: the approval gate, the open PR, the expected promotion
    await expect(page.getByTestId('inbox-group')).toHaveCount(3);
    await expect(page.getByTestId('inbox-group').nth(0)).toHaveAttribute('data-kind', 'awaiting-approval');
    await expect(items.first()).toContainText('checkout');
    await expect(page.getByTestId('inbox-group').nth(1).getByTestId('inbox-item')).toContainText('ledger');
    await expect(page.getByRole('columnheader', { name: 'Waiting' }).first()).toHaveAttribute('aria-sort', 'descending');
    await page.getByTestId('inbox-sort').click();
    await expect(page.getByRole('columnheader', { name: 'Waiting' }).first()).toHaveAttribute('aria-sort', 'ascending');
    await page.screenshot({ path: path.join(screenshotDir, 'inbox.png') });
    expect(new URL(page.url()).hash).toContain('view=inbox');
    await items.filter({ hasText: 'ledger' }).getByTestId('inbox-jump').click();
    await expect(page.getByTestId('board-list')).toBeVisible();
    // ledger is not failing: the filter that hid it was cleared
    await expect(cell(page, 'team-payments/ledger', 'prod')).toBeFocused();
  });

  test('a pushed board:changed shows without reload and flashes the changed cell', async ({ page, boardPreview, board }) => {
    await open(page, boardPreview.preview.url, '#q=refunds');
    const staging = cell(page, 'team-payments/refunds', 'staging');
    await expect(staging.getByTestId('version-chip')).toHaveText('0.9.2');
    const current = board.current().pipelines.find((r) => r.id === 'team-payments/refunds')!;
    const target = { ...current.environments[1]!.targets[0]!, deployedVersion: '0.9.4', lastDeployedAt: new Date().toISOString() };
    const updated = {
      ...current,
      environments: current.environments.map((e, i) => (i === 1 ? { ...e, targets: [target], rollup: { summary: '0.9.4', state: 'healthy' as const, version: '0.9.4' }, pending: [] } : e)),
    };
    board.push({ upserted: [updated], removed: [] });
    await expect(staging.getByTestId('version-chip')).toHaveText('0.9.4');
    await expect(staging).toHaveClass(/cell--flash/);
    await expect(cell(page, 'team-payments/refunds', 'dev')).not.toHaveClass(/cell--flash/);
    // removal and new rows too
    board.push({ upserted: [], removed: ['team-payments/refunds'] });
    await expect(page.getByTestId('board-no-match')).toBeVisible();
  });

  test('an update waits for the user: Restart calls update:install only on click', async ({ page, boardPreview, board: _board }) => {
    const { preview, services } = boardPreview;
    await open(page, preview.url);
    await expect(page.getByTestId('update-notice')).toHaveCount(0);
    services.events.emit('update:state-changed', { state: 'ready', version: '0.2.0' });
    const notice = page.getByTestId('update-notice');
    await expect(notice).toContainText('Update ready (0.2.0)');
    await expect(page.getByTestId('board-list')).toBeVisible(); // non-blocking: the board stays usable
    expect(preview.traffic.some((t) => t.direction === 'request' && t.channel === 'update:install')).toBe(false);
    await notice.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => preview.traffic.some((t) => t.direction === 'request' && t.channel === 'update:install')).toBe(true);
  });

  test('the status bar follows every update state, and a failed check can be retried', async ({ page, boardPreview, board: _board }) => {
    const { preview, services } = boardPreview;
    await open(page, preview.url);
    const status = page.getByTestId('update-status');
    services.events.emit('update:state-changed', { state: 'checking' });
    await expect(status).toHaveText('Checking for updates…');
    services.events.emit('update:state-changed', { state: 'downloading', version: '0.2.0', percent: 30 });
    await expect(status).toHaveText('Downloading update 0.2.0 (30%)');
    services.events.emit('update:state-changed', { state: 'idle', lastCheckedAt: new Date().toISOString() });
    await expect(status).toHaveText('Up to date');
    services.events.emit('update:state-changed', { state: 'error', message: 'net::ERR_NAME_NOT_RESOLVED' });
    await expect(status).toContainText('Update check failed: net::ERR_NAME_NOT_RESOLVED');
    await status.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => preview.traffic.some((t) => t.direction === 'request' && t.channel === 'update:check')).toBe(true);
  });

  test('a clicked notification (board:focus-requested) brings its cell into view and focuses it', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url, '#q=checkout');
    boardPreview.services.events.emit('board:focus-requested', { pipelineId: 'team-payments/refunds', environment: 'staging' });
    const target = cell(page, 'team-payments/refunds', 'staging');
    await expect(target).toBeFocused();
    expect(new URL(page.url()).hash).not.toContain('checkout');
  });

  test('with no Git host configured, the account menu says what to configure', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url);
    await page.getByTestId('account-button').click();
    const empty = page.getByTestId('no-hosts');
    await expect(empty).toContainText('RELEASE_BOARD_FORGE_HOSTS');
    await expect(empty.getByRole('link', { name: 'docs/configuration.md' })).toHaveAttribute('target', '_blank');
    await page.keyboard.press('Escape');
    await expect(empty).toHaveCount(0);
  });

  test('command palette jumps to a pipeline; ? shows the shortcuts', async ({ page, boardPreview, board: _board }) => {
    await open(page, boardPreview.preview.url);
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await expect(palette).toBeVisible();
    await page.keyboard.type('go ledger');
    await page.keyboard.press('Enter');
    await expect(palette).toHaveCount(0);
    await expect(cell(page, 'team-payments/ledger', 'dev')).toBeFocused();
    await page.keyboard.press('Control+k');
    await page.keyboard.type('only failing');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('filter-failing')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcut-sheet')).toContainText('Promote the focused environment');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-sheet')).toHaveCount(0);
  });

  test('1,000 pipelines: only the visible rows are in the DOM, and scrolling reaches the end', async ({ page, boardPreview, board }) => {
    board.set(createScaleBoard(1000));
    await open(page, boardPreview.preview.url);
    await expect(page.getByTestId('board-count')).toHaveText('1000 pipelines');
    expect(await page.getByTestId('pipeline-row').count()).toBeLessThan(30);
    await page.getByTestId('board-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(row(page, 'team-039/service-0999')).toBeVisible();
    expect(await page.getByTestId('pipeline-row').count()).toBeLessThan(30);
    board.push({ upserted: [createScaleRow(999, new Date(), 5)], removed: [] });
    await expect(cell(page, 'team-039/service-0999', 'prod').getByTestId('version-chip')).toHaveText(/^5\.1[0-9]\./);
  });
});
