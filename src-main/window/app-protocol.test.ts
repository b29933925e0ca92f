import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileFor, appPageUrl, appProtocolHandler, appSchemePrivileges } from './app-protocol';

const dir = mkdtempSync(path.join(tmpdir(), 'rb-renderer-'));
mkdirSync(path.join(dir, 'assets'));
writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Release Board</title>');
writeFileSync(path.join(dir, 'assets/index.js'), 'console.log(1)');
writeFileSync(path.join(dir, '..', 'secret.txt'), 'outside');

describe('the app:// protocol', () => {
  it('is registered standard and secure, with fetch support', () => {
    expect(appSchemePrivileges).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(appPageUrl).toBe('app://release-board/index.html');
  });

  it('maps the app host’s paths into the renderer folder only', () => {
    expect(appFileFor(dir, 'app://release-board/index.html')).toBe(path.join(dir, 'index.html'));
    expect(appFileFor(dir, 'app://release-board/')).toBe(path.join(dir, 'index.html'));
    expect(appFileFor(dir, 'app://release-board/assets/index.js?v=1#x')).toBe(path.join(dir, 'assets/index.js'));
    // The URL parser folds an encoded dot-dot segment away: it stays inside the folder.
    expect(appFileFor(dir, 'app://release-board/%2e%2e/secret.txt')).toBe(path.join(dir, 'secret.txt'));
    expect(appFileFor(dir, 'app://release-board/..%2fsecret.txt')).toBeUndefined();
    expect(appFileFor(dir, 'app://release-board/%E0%A4%A')).toBeUndefined();
    expect(appFileFor(dir, 'app://other/index.html')).toBeUndefined();
    expect(appFileFor(dir, 'file:///etc/passwd')).toBeUndefined();
  });

  it('serves files with their type and the CSP, and 404s the rest', async () => {
    const handle = appProtocolHandler(dir);
    const page = await handle(new Request('app://release-board/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Release Board');
    expect((await handle(new Request('app://release-board/assets/index.js'))).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await handle(new Request('app://release-board/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://release-board/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://release-board/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
  });
});
