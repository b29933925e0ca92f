import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { hardenSession, installNavigationGuards } from './guards';
import { defaultExternalLinkPolicy } from './external-links';

function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = Object.assign(emitter, {
    setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h),
  });
  return { contents: contents as unknown as WebContents, emitter, open: (url: string) => openHandler!({ url }) };
}

function navigate(emitter: EventEmitter, eventName: string, url: string) {
  const event = { preventDefault: vi.fn() };
  emitter.emit(eventName, event, url);
  return event.preventDefault;
}

describe('navigation guards', () => {
  const setup = () => {
    const { contents, emitter, open } = fakeContents();
    const openExternal = vi.fn();
    const blocked = vi.fn();
    installNavigationGuards(contents, {
      isAppUrl: (u) => u.startsWith('file:///app/index.html'),
      openExternal,
      linkPolicy: () => defaultExternalLinkPolicy,
      onBlocked: blocked,
    });
    return { emitter, open, openExternal, blocked };
  };

  it('blocks every navigation and sends allowed links to the system browser', () => {
    const { emitter, openExternal } = setup();
    expect(navigate(emitter, 'will-navigate', 'https://github.com/acme/repo/pull/1')).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://github.com/acme/repo/pull/1');
  });

  it('blocks navigation to other places without opening them', () => {
    const { emitter, openExternal, blocked } = setup();
    expect(navigate(emitter, 'will-navigate', 'https://evil.example/')).toHaveBeenCalled();
    expect(navigate(emitter, 'will-navigate', 'file:///app/index.html#reload')).toHaveBeenCalled();
    expect(openExternal).not.toHaveBeenCalled();
    expect(blocked).toHaveBeenCalledWith('external-link', 'https://evil.example/');
  });

  it('blocks redirects and webviews', () => {
    const { emitter } = setup();
    expect(navigate(emitter, 'will-redirect', 'https://github.com/')).toHaveBeenCalled();
    expect(navigate(emitter, 'will-attach-webview', '')).toHaveBeenCalled();
  });

  it('denies window.open, routing only allowed https links outside', () => {
    const { open, openExternal } = setup();
    expect(open('https://github.com/acme')).toEqual({ action: 'deny' });
    expect(open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('session hardening', () => {
  type RequestHandler = (c: unknown, p: string, cb: (granted: boolean) => void, details: { requestingUrl?: string }) => void;
  type CheckHandler = (c: unknown, p: string, origin: string) => boolean;
  type HeadersHandler = (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  const harden = (policy?: string) => {
    const handlers: { request?: RequestHandler; check?: CheckHandler; headers?: HeadersHandler } = {};
    const session = {
      setPermissionRequestHandler: (h: RequestHandler) => (handlers.request = h),
      setPermissionCheckHandler: (h: CheckHandler) => (handlers.check = h),
      webRequest: { onHeadersReceived: (h: HeadersHandler) => (handlers.headers = h) },
    } as unknown as Session;
    hardenSession(session, { isAppUrl: (u) => u.startsWith('app://release-board'), ...(policy ? { policy } : {}) });
    return handlers as Required<typeof handlers>;
  };
  const app = 'app://release-board/index.html';

  it('denies every permission but writing the clipboard from the app’s own page', () => {
    const { request, check } = harden();
    const granted = (permission: string, requestingUrl?: string) => {
      let answer: boolean | undefined;
      request(null, permission, (g) => (answer = g), requestingUrl === undefined ? {} : { requestingUrl });
      return answer;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(granted(permission, app)).toBe(false);
    expect(granted('clipboard-sanitized-write', app)).toBe(true);
    expect(granted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(granted('clipboard-sanitized-write')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://release-board')).toBe(true);
    expect(check(null, 'clipboard-read', 'app://release-board')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });

  it('adds the strict CSP header, or the policy it is given for the development server', () => {
    const answer = vi.fn();
    harden().headers({ responseHeaders: { 'x-a': ['1'] } }, answer);
    expect(answer.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0]).toContain("script-src 'self';");
    expect(answer.mock.calls[0]![0].responseHeaders['x-a']).toEqual(['1']);
    harden('dev-policy').headers({ responseHeaders: {} }, answer);
    expect(answer.mock.calls[1]![0].responseHeaders['Content-Security-Policy']).toEqual(['dev-policy']);
  });
});
