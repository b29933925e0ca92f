// Avatars as data: URLs. The renderer's CSP allows images only from 'self' and data:, so
// main fetches the (public) avatar once and inlines it. No credentials are sent: avatars
// are public, and the forge token must never go to an image host.

import { isHttpsOrLoopback, parseUrlWithoutCredentials } from '../common/web-url';

const ALLOWED_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
export const AVATAR_MAX_BYTES = 200_000;

/** Returns a data: URL, or undefined when the avatar is unavailable, too big or not an image. */
export async function fetchAvatarDataUrl(url: string, options: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<string | undefined> {
  // an avatar is public: a URL that names credentials is not one to follow
  const parsed = parseUrlWithoutCredentials(url);
  if (!parsed || !isHttpsOrLoopback(parsed)) return undefined;
  // GitHub serves a sized image with ?s=; other servers ignore the parameter.
  if (parsed.hostname.endsWith('githubusercontent.com')) parsed.searchParams.set('s', '96');
  try {
    const res = await (options.fetch ?? fetch)(parsed, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), credentials: 'omit', redirect: 'error' });
    if (!res.ok) return undefined;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ALLOWED_TYPES.has(type)) return undefined;
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > AVATAR_MAX_BYTES) return undefined;
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length === 0 || bytes.length > AVATAR_MAX_BYTES) return undefined;
    return `data:${type};base64,${bytes.toString('base64')}`;
  } catch {
    return undefined;
  }
}
