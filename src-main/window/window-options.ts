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

export function mainWindowOptions(options: { preloadPath: string; bounds?: WindowBounds; dark?: boolean }): BrowserWindowConstructorOptions {
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
    webPreferences: { ...secureWebPreferences, preload: options.preloadPath },
  };
}

/** The Content-Security-Policy of every app page: no inline script, no remote origin. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
