// The Tokens view as the app mounts it, on the real token service over the demo sandbox:
// every token state the demo seeds (valid, expiring, rejected, no Secret, no key), re-check
// through main, guidance links to the published docs, and the inbox listing the tokens that
// will stop promotions. Screenshots: tokens-real.png (light), tokens-real-dark.png.
import path from 'node:path';
import { expect, openBoard, screenshotDir, test } from './sandbox-fixtures';

test('the Tokens view shows every token state of the demo seed', async ({ page, real }) => {
  await openBoard(page, real);
  await page.getByTestId('tokens-toggle').click();
  const view = page.getByTestId('tokens-view');
  await expect(view).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/#view=tokens$/);
  const states = await view.locator('[data-testid="token-item"] [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  for (const state of ['valid', 'expiring-soon', 'revoked-or-expired', 'secret-missing', 'key-missing']) expect(states, `a token in state ${state}`).toContain(state);
  const item = (state: string) =>
    view
      .locator('[data-testid="token-item"]')
      .filter({ has: page.locator(`[data-state="${state}"]`) })
      .first();
  await expect(item('valid')).toContainText('works');
  await expect(item('expiring-soon')).toContainText('expiring');
  await expect(item('revoked-or-expired')).toContainText('rejected');
  await expect(item('secret-missing')).toContainText('no Secret');
  await expect(item('key-missing')).toContainText('no token key');

  // the selected token's details; re-check goes through main and comes back
  await item('revoked-or-expired').click();
  const panel = view.getByTestId('token-panel');
  await expect(panel.locator('[data-state="revoked-or-expired"]').first()).toBeVisible();
  const recheck = panel.getByRole('button', { name: 'Re-check' });
  await recheck.click();
  await expect(panel.getByRole('button', { name: 'Re-check' })).toBeEnabled({ timeout: 20_000 });
  expect(real.preview.traffic.some((t) => t.direction === 'request' && t.channel === 'tokens:recheck')).toBe(true);
  // guidance opens the published docs in a new tab (main sends it to the system browser)
  const guide = panel.locator('a.token-risk__guide').first();
  await expect(guide).toHaveAttribute('href', /^https:\/\/github\.com\/release-board\/release-board\/blob\/main\/docs\/token-guidance\.md#[a-z0-9-]+$/);
  await expect(guide).toHaveAttribute('target', '_blank');
  await item('valid').click();
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-real.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-real-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });

  // a missing Secret is a risk with its fix, not "no risks found"
  await item('secret-missing').click();
  await expect(panel).toContainText('The promotion Secret does not exist');
  await expect(panel).toContainText('under token, username and password');
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-secret-missing.png') });

  // expired, revoked, missing, keyless and expiring tokens are in the inbox too
  await page.getByTestId('inbox-toggle').click();
  const tokens = page.getByTestId('inbox-token');
  await expect(tokens.first()).toBeVisible();
  const inboxStates = await tokens.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
  expect(inboxStates).toContain('revoked-or-expired');
  expect(inboxStates).toContain('expiring-soon');
  expect(inboxStates).toContain('secret-missing');
  expect(inboxStates).toContain('key-missing');
  expect(inboxStates.every((s) => ['expired', 'revoked-or-expired', 'secret-missing', 'key-missing', 'cluster-error', 'expiring-soon'].includes(s ?? ''))).toBe(true);
  await page.screenshot({ path: path.join(screenshotDir, 'inbox-tokens.png'), fullPage: true });
});

test('token chips on the board label their risk count, and a rejected token gets no person-like initials', async ({ page, real }) => {
  await openBoard(page, real);
  const badges = page.getByTestId('row-token-badge');
  await expect(badges.first()).toBeVisible({ timeout: 30_000 });
  const counts = await page.getByTestId('token-risk-count').allTextContents();
  expect(counts.length).toBeGreaterThan(0);
  for (const c of counts) expect(c).toMatch(/^\d+ risks?$/);
  const rejected = badges.filter({ has: page.locator('[data-state="revoked-or-expired"]') }).first();
  await expect(rejected).toBeVisible();
  // the forge rejected it, so nobody is known to own it
  await expect(rejected.locator('.token-avatar--initials')).toHaveText('?');
  await page.screenshot({ path: path.join(screenshotDir, 'token-chips.png') });

  // the detail panel shows the targets before the token
  // from the keyboard: a click at the cell's centre can land on a badge that appears meanwhile
  await page.locator('[data-testid="env-cell"][data-row-id="platform/cert-rotation"][data-env="prod"]').focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('detail-panel');
  await expect(detail.getByTestId('detail-token')).toBeVisible();
  const targetsFirst = await detail.evaluate((d) => {
    const targets = d.querySelector('[data-testid="detail-targets"]');
    const token = d.querySelector('[data-testid="detail-token"]');
    return !!targets && !!token && (targets.compareDocumentPosition(token) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
  });
  expect(targetsFirst).toBe(true);
  await page.screenshot({ path: path.join(screenshotDir, 'detail-targets-first.png') });
});

test('the Tokens view asks before reading promotion Secrets, and reads them once the user agrees', async ({ page, real }) => {
  // this user has not chosen yet: nothing is read and the view explains the choice
  await real.services.dispatcher.dispatch('settings:update', { readPromotionSecrets: false });
  await real.services.dispatcher.dispatch('tokens:refresh', undefined);
  const secretGetsBefore = real.sandbox
    .cluster(real.sandbox.info.managementCluster)
    .api.requestLog.entries()
    .filter((e) => e.path.includes('/secrets')).length;
  await page.goto(`${real.preview.url}#view=tokens`);
  const consent = page.getByTestId('tokens-consent');
  await expect(consent).toBeVisible({ timeout: 20_000 });
  await expect(consent).toContainText('Read the promotion Secrets?');
  await expect(consent).toContainText('only ever sent to a Git host you configured or approve');
  expect(
    real.sandbox
      .cluster(real.sandbox.info.managementCluster)
      .api.requestLog.entries()
      .filter((e) => e.path.includes('/secrets')).length,
  ).toBe(secretGetsBefore);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-consent.png') });
  await consent.getByTestId('tokens-consent-yes').click();
  await expect(page.getByTestId('tokens-view')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('token-item').first()).toBeVisible();
  const saved = (await real.services.dispatcher.dispatch('settings:get', undefined)) as { ok: true; value: { readPromotionSecrets: boolean | null } };
  expect(saved.value.readPromotionSecrets).toBe(true);
});
