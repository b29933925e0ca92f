// The renderer is served from app://release-board/, a privileged custom scheme, not from
// file://. Why: a file:// page may read other local files and needs the
// GrantFileProtocolExtraPrivileges fuse; an app:// page has a real origin ('self' in the CSP
// means exactly the app's own files), and the fuse can stay off.
//
// Security model: the handler serves only files inside the built renderer folder, for the
// app's own host, with GET; anything else is a 404. Every response carries the CSP, because
// responses from protocol.handle do not pass through the session's webRequest hooks.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { contentSecurityPolicy } from './window-options';

export const appScheme = 'app';
export const appHost = 'release-board';
export const appOrigin = `${appScheme}://${appHost}`;
export const appPageUrl = `${appOrigin}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready. */
export const appSchemePrivileges: CustomScheme[] = [
  // standard: relative URLs and an origin of its own; secure: treated like https (no mixed-content
  // downgrade); supportFetchAPI: the renderer's module scripts are fetched through it.
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
];

/** Content types of the files the renderer build contains (also used by the preview harness). */
export const rendererContentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The file an app:// URL names inside rendererDir, or undefined when it names anything else. */
export function appFileFor(rendererDir: string, rawUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (relative === '/' || relative === '') relative = '/index.html';
  if (relative.includes('\0')) return undefined;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

export type ReadFile = (file: string) => Promise<Uint8Array>;

/** The protocol.handle handler for app://. */
export function appProtocolHandler(rendererDir: string, read: ReadFile = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    const file = request.method === 'GET' ? appFileFor(rendererDir, request.url) : undefined;
    if (!file) return new Response('Not found', { status: 404 });
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      return new Response('Not found', { status: 404 });
    }
    return new Response(Buffer.from(body), {
      status: 200,
      headers: {
        'Content-Type': rendererContentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': contentSecurityPolicy,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  };
}
