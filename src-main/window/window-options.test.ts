import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, devServerContentSecurityPolicy, mainWindowOptions } from './window-options';

describe('main window options', () => {
  const prefs = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs' }).webPreferences!;

  it('isolates and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('restores remembered bounds', () => {
    const options = mainWindowOptions({ preloadPath: 'p', bounds: { x: 10, y: 20, width: 1500, height: 900 } });
    expect(options).toMatchObject({ x: 10, y: 20, width: 1500, height: 900 });
  });

  it('has a CSP with no inline script and no remote origin', () => {
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("default-src 'none'");
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('keeps DevTools off unless asked (development)', () => {
    expect(prefs.devTools).toBe(false);
    expect(mainWindowOptions({ preloadPath: 'p', devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('relaxes the CSP for a loopback development server only, for Vite’s inline preamble and its WebSocket', () => {
    const dev = devServerContentSecurityPolicy('http://localhost:5173/');
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).not.toContain('unsafe-eval');
    expect(devServerContentSecurityPolicy('http://evil.example:5173/')).toBe(contentSecurityPolicy);
    expect(devServerContentSecurityPolicy('https://localhost:5173/')).toBe(contentSecurityPolicy);
    expect(devServerContentSecurityPolicy('not a url')).toBe(contentSecurityPolicy);
  });
});
