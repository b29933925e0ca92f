import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, mainWindowOptions } from './window-options';

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
});
