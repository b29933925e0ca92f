// The main window's options. Security model: the renderer is a sandboxed web page with
// no Node access; it reaches main only through the preload's contract-derived bridge.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized?: boolean;
}

export const defaultWindowBounds: WindowBounds = { width: 1280, height: 800 };

export const secureWebPreferences = {
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
} as const;

export function mainWindowOptions(options: { preloadPath: string; bounds?: WindowBounds; dark?: boolean; devTools?: boolean }): BrowserWindowConstructorOptions {
  const bounds = options.bounds ?? defaultWindowBounds;
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Release Board',
    backgroundColor: options.dark ? '#15171c' : '#f6f7f9',
    // DevTools only in development: in an installed app they would let anyone at the keyboard
    // drive the bridge (and read what the renderer holds) without a trace.
    webPreferences: { ...secureWebPreferences, devTools: options.devTools ?? false, preload: options.preloadPath },
  };
}

function policy(script: string, style: string, connect: string): string {
  return [
    "default-src 'none'",
    `script-src ${script}`,
    `style-src ${style}`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The Content-Security-Policy of every app page: no inline script, no remote origin. */
export const contentSecurityPolicy = policy("'self'", "'self'", "'self'");

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The policy for a page from `electron-vite dev`'s server. Vite injects an inline module (React
 * Refresh's preamble) and inline <style> tags, and talks to its server over a WebSocket, so in
 * development only, and only for a loopback server, those are allowed; every other page keeps
 * the strict policy.
 */
export function devServerContentSecurityPolicy(devServerUrl: string): string {
  let url: URL;
  try {
    url = new URL(devServerUrl);
  } catch {
    return contentSecurityPolicy;
  }
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname)) return contentSecurityPolicy;
  return policy(`'self' 'unsafe-inline'`, `'self' 'unsafe-inline'`, `'self' ws://${url.host}`);
}
