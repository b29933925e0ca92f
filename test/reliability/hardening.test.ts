// Reliability suite, hardening: the packaged app's Electron fuses and the window's
// webPreferences checked together, plus a small static check over the main and renderer
// sources standing in for @doyensec/electronegativity (which fetches Electron release data
// and translations at run time and crashes offline; see docs/reliability.md). Each rule
// names what it protects against; a finding fails the test with file and line.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { contentSecurityPolicy, mainWindowOptions, secureWebPreferences } from '../../src-main/window/window-options';
import { defaultExternalLinkPolicy, isAllowedExternalUrl } from '../../src-main/window/external-links';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|html)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.startsWith('test-')) out.push(rel);
  }
  return out;
}

interface Finding {
  rule: string;
  at: string;
  line: string;
}

/** Lines matching `pattern` in the product sources, as findings. */
function scan(rule: string, pattern: RegExp, dirs = ['src-main', 'src-renderer']): Finding[] {
  const findings: Finding[] = [];
  for (const file of dirs.flatMap(sourceFiles)) {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (pattern.test(line)) findings.push({ rule, at: `${file}:${i + 1}`, line: line.trim() });
    });
  }
  return findings;
}

describe('hardening: packaged app configuration', () => {
  it('electron-builder fuses close Node entry points and pin the app to its asar', () => {
    const config = parseYaml(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean>; asar?: boolean };
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    // asar integrity validation needs the app packed into an asar.
    expect(config.asar).not.toBe(false);
  });

  it('the main window gets the secure webPreferences, and a preload is the only bridge', () => {
    const options = mainWindowOptions({ preloadPath: '/app/preload/index.cjs' });
    // the full, literal set: a setting added, dropped or loosened in the code fails here
    const expected = {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    };
    // DevTools stay off unless the caller asks (development builds only: main-window.ts passes !isPackaged).
    expect(options.webPreferences).toEqual({ ...expected, devTools: false, preload: '/app/preload/index.cjs' });
    expect(secureWebPreferences).toEqual(expected);
  });
});

describe('hardening: static check (electronegativity-equivalent rules)', () => {
  // Each rule: what must never appear in product code.
  const forbidden: Array<[string, RegExp]> = [
    ['NODE_INTEGRATION', /nodeIntegration(InWorker|InSubFrames)?\s*:\s*true/],
    ['CONTEXT_ISOLATION', /contextIsolation\s*:\s*false/],
    ['SANDBOX', /\bsandbox\s*:\s*false/],
    ['WEB_SECURITY', /webSecurity\s*:\s*false|disable-web-security/],
    ['INSECURE_CONTENT', /allowRunningInsecureContent\s*:\s*true|allow-running-insecure-content/],
    ['EXPERIMENTAL_FEATURES', /(experimentalFeatures|enableBlinkFeatures)\s*:\s*(true|['"])/],
    ['REMOTE_MODULE', /enableRemoteModule|@electron\/remote|\bremote\.require\(|electron['"]\)\.remote/],
    ['WEBVIEW', /webviewTag\s*:\s*true|<webview/],
    ['INSECURE_SWITCHES', /appendSwitch\(\s*['"](ignore-certificate-errors|disable-site-isolation-trials|remote-debugging-port)/],
    ['CERTIFICATE_BYPASS', /setCertificateVerifyProc|on\(\s*['"]certificate-error['"][^)]*callback\(true/],
    ['HTML_INJECTION', /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|\beval\(|new Function\(/],
  ];

  it.each(forbidden)('%s: no finding in src-main or src-renderer', (rule, pattern) => {
    expect(scan(rule, pattern)).toEqual([]);
  });

  it('OPEN_EXTERNAL: every shell.openExternal call site is a reviewed one taking validated or fixed URLs', () => {
    const sites = scan('OPEN_EXTERNAL', /shell\.openExternal\(/, ['src-main']);
    // Reviewed sites: link guards (isAllowedExternalUrl before the call), sign-in (the auth
    // service checks the authorize URL against the configured host), Help menu (fixed URLs).
    const reviewed = [/openExternal: \(target\) => shell\.openExternal\(target\)/, /shell\.openExternal\(`\$\{projectUrl\}\//];
    const unreviewed = sites.filter((s) => !reviewed.some((r) => r.test(s.line)));
    expect(unreviewed).toEqual([]);
    expect(sites.length).toBeGreaterThan(0);
    // The guard really validates: only https to non-private hosts passes.
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'http://example.com', 'data:text/html,<b>x</b>', 'smb://host/share']) {
      expect(isAllowedExternalUrl(bad, defaultExternalLinkPolicy), bad).toBe(false);
    }
    expect(isAllowedExternalUrl('https://github.com/acme/fleet-config/pull/1', defaultExternalLinkPolicy)).toBe(true);
    const guards = fs.readFileSync(path.join(ROOT, 'src-main/window/guards.ts'), 'utf8');
    expect(guards).toMatch(/if \(isAllowedExternalUrl\(url, options\.linkPolicy\(\)\)\) void options\.openExternal\(url\)/);
  });

  it('CSP: present in the page and in response headers, no inline or eval script', () => {
    const html = fs.readFileSync(path.join(ROOT, 'src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    for (const csp of [meta ?? '', contentSecurityPolicy]) {
      const scriptSrc =
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith('script-src')) ??
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith('default-src'));
      expect(scriptSrc, csp).toBeDefined();
      expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:/);
      expect(csp).toMatch(/object-src 'none'|default-src 'none'/);
    }
  });

  it('PERMISSIONS and NAVIGATION: handlers deny by default and are installed at start-up', () => {
    const guards = fs.readFileSync(path.join(ROOT, 'src-main/window/guards.ts'), 'utf8');
    // One permission, for the app's own page only: writing the clipboard (the device code's Copy).
    expect(guards).toMatch(/setPermissionRequestHandler\(\([^)]*callback, details\) =>\s*callback\(permission === clipboardWrite && options\.isAppUrl\(details\.requestingUrl \?\? ''\)\)/);
    expect(guards).toMatch(/setPermissionCheckHandler\(\([^)]*\) => permission === clipboardWrite && options\.isAppUrl\(requestingOrigin\)\)/);
    expect(guards).toMatch(/const clipboardWrite = 'clipboard-sanitized-write';/);
    expect(guards).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(guards).toMatch(/'will-navigate'[\s\S]*?event\.preventDefault\(\)/);
    expect(guards).toMatch(/'will-attach-webview'[\s\S]*?event\.preventDefault\(\)/);
    const index = fs.readFileSync(path.join(ROOT, 'src-main/index.ts'), 'utf8');
    expect(index).toMatch(/hardenSession\(session\.defaultSession, \{ isAppUrl/);
    const mainWindow = fs.readFileSync(path.join(ROOT, 'src-main/window/main-window.ts'), 'utf8');
    expect(mainWindow).toMatch(/installNavigationGuards\(contents, options\.guards\)/);
    expect(mainWindow).toMatch(/new BrowserWindow\(\s*mainWindowOptions\(/);
    // No second window type that could bypass mainWindowOptions.
    expect(scan('BROWSER_WINDOW', /new BrowserWindow\(/, ['src-main']).length).toBe(1);
  });
});
