import path from 'node:path';
import { expect, screenshotDir, test } from './fixtures';

test.describe('app shell in the preview harness', () => {
  test('shows app information that comes from the main-process services', async ({ page, preview }) => {
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toContainText(`Release Board 0.1.0 · services on Node ${process.versions.node}`);
    await expect(page.getByRole('banner')).toContainText('Release Board');
    // The harness reads this machine's default kubeconfig; without one, main's own error shows.
    await expect(page.getByTestId('board-empty').or(page.getByTestId('board-kubeconfig-error'))).toBeVisible();
    // The value crossed the contract: the harness saw the request and Result response.
    expect(preview.traffic.some((t) => t.direction === 'response' && t.channel === 'app:get-info' && t.body.includes('"ok":true'))).toBe(true);
    await page.screenshot({ path: path.join(screenshotDir, 'shell-light.png') });
  });

  test('follows the OS dark theme', async ({ page, preview }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 23, 28)');
    await page.screenshot({ path: path.join(screenshotDir, 'shell-dark.png') });
  });

  test('runs under a CSP that forbids inline script', async ({ page, preview }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text());
    });
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(inlineRan).toBe(false);
    expect(violations.length).toBeGreaterThan(0);
  });

  test('the bridge refuses callers without the run secret, with only a cookie, from another origin or another Host', async ({ page, preview, request }) => {
    const secret = new URL(preview.url).searchParams.get('k')!;
    const call = { channel: 'app:get-info', payload: null, undefinedPayload: true };
    const noSecret = await request.get(preview.origin + '/');
    expect(noSecret.status()).toBe(403);
    const direct = await request.post(preview.origin + '/__preview/request', { data: call });
    expect(direct.status()).toBe(403);
    // the page works: its bridge sends the secret in a header, and no cookie is ever set
    await page.goto(preview.url);
    await expect(page.getByTestId('app-info')).toBeVisible();
    expect(await page.context().cookies()).toEqual([]);
    // a cookie (which any page on 127.0.0.1, whatever its port, would be sent) is not enough
    const cookieOnly = await request.post(preview.origin + '/__preview/request', { headers: { origin: preview.origin, cookie: `rb_preview=${secret}` }, data: call });
    expect(cookieOnly.status()).toBe(403);
    const crossOrigin = await request.post(preview.origin + '/__preview/request', { headers: { origin: 'http://evil.example', 'x-release-board-preview': secret }, data: call });
    expect(crossOrigin.status()).toBe(403);
    // DNS rebinding: another name resolving to 127.0.0.1 arrives with its own Host
    const rebound = await request.post(preview.origin + '/__preview/request', { headers: { host: 'evil.example', origin: preview.origin, 'x-release-board-preview': secret }, data: call });
    expect(rebound.status()).toBe(421);
    const allowed = await request.post(preview.origin + '/__preview/request', { headers: { origin: preview.origin, 'x-release-board-preview': secret }, data: call });
    expect(allowed.status()).toBe(200);
  });
});
