// Which IPC senders are trusted. Security model: only the main frame of the app's own
// window, showing the app's own page, may call main. Sub-frames, other windows and pages
// that somehow navigated elsewhere are refused.

export interface SenderLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export interface SenderTrust {
  webContentsIds: () => ReadonlySet<number>;
  isAppUrl: (url: string) => boolean;
}

export function isTrustedSender(event: SenderLike, trust: SenderTrust): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  if (!trust.webContentsIds().has(event.sender.id)) return false;
  return trust.isAppUrl(frame.url);
}

/** Builds isAppUrl for a page URL: the same file (file://), origin (dev server) or scheme and host (app://). */
export function appUrlMatcher(appUrl: string): (url: string) => boolean {
  const base = new URL(appUrl);
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (base.protocol === 'file:') return url.protocol === 'file:' && url.pathname === base.pathname;
    if (base.protocol === 'http:' || base.protocol === 'https:') return url.origin === base.origin;
    // A custom scheme (app://release-board): its URL.origin is the opaque "null", which every
    // data: or other custom URL shares too, so compare scheme and host instead.
    return url.protocol === base.protocol && url.host === base.host && url.host !== '';
  };
}
