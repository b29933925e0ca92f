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
  it('denies every permission and adds the CSP header', () => {
    let requestHandler: (c: unknown, p: string, cb: (granted: boolean) => void) => void = () => {};
    let checkHandler: () => boolean = () => true;
    let headersHandler: (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void = () => {};
    const session = {
      setPermissionRequestHandler: (h: typeof requestHandler) => (requestHandler = h),
      setPermissionCheckHandler: (h: typeof checkHandler) => (checkHandler = h),
      webRequest: { onHeadersReceived: (h: typeof headersHandler) => (headersHandler = h) },
    } as unknown as Session;
    hardenSession(session);
    const granted = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) requestHandler(null, permission, granted);
    expect(granted.mock.calls.every(([g]) => g === false)).toBe(true);
    expect(checkHandler()).toBe(false);
    const answer = vi.fn();
    headersHandler({ responseHeaders: { 'x-a': ['1'] } }, answer);
    expect(answer.mock.calls[0]![0].responseHeaders['Content-Security-Policy'][0]).toContain("script-src 'self'");
  });
});
