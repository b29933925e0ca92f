// Navigation, new-window, webview and permission guards for the app's web contents.
// Security model: the app never navigates away from its own page, never opens a second
// window, grants one permission only (writing to the clipboard, for the app's own page: the
// device-code "Copy" button); allowed https links go to the system browser.
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from './window-options';
import { isAllowedExternalUrl, type ExternalLinkPolicy } from './external-links';

export interface GuardOptions {
  isAppUrl: (url: string) => boolean;
  openExternal: (url: string) => void | Promise<void>;
  linkPolicy: () => ExternalLinkPolicy;
  onBlocked?: (what: string, url: string) => void;
}

export function installNavigationGuards(contents: WebContents, options: GuardOptions): void {
  const blocked = (what: string, url: string) => options.onBlocked?.(what, url);
  const routeOutside = (url: string) => {
    if (isAllowedExternalUrl(url, options.linkPolicy())) void options.openExternal(url);
    else blocked('external-link', url);
  };
  contents.on('will-navigate', (event, url) => {
    // Even a navigation to the app's own URL would reload and drop state: never allowed.
    event.preventDefault();
    if (!options.isAppUrl(url)) routeOutside(url);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    blocked('redirect', url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    blocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    routeOutside(url);
    return { action: 'deny' };
  });
}

export interface SessionHardening {
  isAppUrl: (url: string) => boolean;
  /** The CSP for pages this session loads over http(s) (the development server). Default: strict. */
  policy?: string;
}

/** Writing (never reading) the clipboard: navigator.clipboard.writeText from the app's page. */
const clipboardWrite = 'clipboard-sanitized-write';

export function hardenSession(session: Session, options: SessionHardening): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permission === clipboardWrite && options.isAppUrl(details.requestingUrl ?? '')));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permission === clipboardWrite && options.isAppUrl(requestingOrigin));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [options.policy ?? contentSecurityPolicy],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}
