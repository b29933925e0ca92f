// The URL rules both sides apply before they follow, fetch or link an address that came from
// outside (a forge, a cluster, the settings file). Written once so that main's guards and the
// renderer's links cannot drift apart on what "loopback" or "carries credentials" means.

/** The URL, or null when it does not parse or names a user or password (user:pass@host). */
export function parseUrlWithoutCredentials(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.username || url.password ? null : url;
}

/** 127.0.0.0/8 or ::1 (with or without the brackets URL.hostname keeps): never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1';
}

/** https anywhere, or plain http only to a loopback address (a local sandbox forge). */
export function isHttpsOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
