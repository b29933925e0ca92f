// Browser preview harness: runs the main-process services in Node, serves the built
// renderer on 127.0.0.1 and carries the IPC contract over HTTP (requests) and server-sent
// events (events). Test code only: nothing in src-main or src-renderer knows it exists.
//
// Security model: the page URL carries a random per-run secret; the bridge script reads it from
// the page's own URL and sends it in a header (`x-release-board-preview`) on every bridge call,
// together with the harness's own Origin. No cookie is used: cookies are scoped to the host, not
// the port, so any other local page would receive one. Every request must also name the
// harness's exact Host (127.0.0.1:<port>), which defeats DNS rebinding. Other local pages and
// processes cannot drive main.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import type { AppInfo } from '../../src-main/common/app-info';
import type { MainServices } from '../../src-main/services';
import { rendererContentTypes as contentTypes } from '../../src-main/window/app-protocol';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');

/** What the services report about themselves when they run in Node for the preview. */
export async function previewAppInfo(): Promise<AppInfo> {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  return {
    name: 'Release Board',
    version: pkg.version,
    platform: process.platform,
    arch: process.arch,
    versions: { electron: null, chrome: null, node: process.versions.node },
    shell: 'preview',
  };
}

export interface PreviewServer {
  /** the URL to open, including the one-time secret */
  url: string;
  origin: string;
  /** every request/event payload that crossed the bridge, for leak assertions */
  traffic: { direction: 'request' | 'response' | 'event'; channel: string; body: string }[];
  close(): Promise<void>;
}

export interface PreviewOptions {
  services: MainServices;
  port?: number;
  rendererDir?: string;
}

async function bridgeScript(): Promise<string> {
  const source = await readFile(path.join(here, 'preview-bridge-client.ts'), 'utf8');
  const result = await transform(source, { loader: 'ts', format: 'iife', target: 'es2022' });
  return result.code;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The header the bridge script sends the run secret in. */
export const PREVIEW_SECRET_HEADER = 'x-release-board-preview';

async function readBody(req: http.IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const rendererDir = options.rendererDir ?? path.join(repoRoot, 'out/renderer');
  const indexHtml = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer in ${rendererDir}: run \`npx electron-vite build\` first (npm run preview does).`);
  });
  // The bridge must exist before the app's module script runs: inject a classic script first.
  const page = indexHtml.replace('<head>', '<head>\n    <script src="/__preview/bridge.js"></script>');
  const bridgeJs = await bridgeScript();
  const secret = randomBytes(32).toString('hex');
  const traffic: PreviewServer['traffic'] = [];
  const eventClients = new Set<http.ServerResponse>();
  let origin = '';

  const authorised = (req: http.IncomingMessage): boolean => {
    const given = req.headers[PREVIEW_SECRET_HEADER];
    if (typeof given !== 'string' || !safeEqual(given, secret)) return false;
    // The bridge's calls are same-origin fetches: browsers send our Origin on POST, and
    // Sec-Fetch-Site same-origin on the events GET.
    if (req.method === 'POST') return req.headers.origin === origin;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin';
  };

  const unsubscribe = options.services.events.subscribe((channel, payload) => {
    const body = JSON.stringify({ channel, payload });
    traffic.push({ direction: 'event', channel, body });
    for (const client of eventClients) client.write(`data: ${body}\n\n`);
  });

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
      const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', ...headers });
        res.end(body);
      };
      // A page on another name that resolves to 127.0.0.1 (DNS rebinding) sends its own Host.
      if (req.headers.host !== new URL(origin).host) return send(421, 'text/plain; charset=utf-8', 'Misdirected request: use the URL printed by `npm run preview`.');
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const given = url.searchParams.get('k');
        if (given && safeEqual(given, secret)) return send(200, contentTypes['.html']!, page);
        return send(403, 'text/plain; charset=utf-8', 'Open the URL printed by `npm run preview` (it carries this run’s secret).');
      }
      if (url.pathname === '/__preview/bridge.js') return send(200, contentTypes['.js']!, bridgeJs);
      if (url.pathname === '/__preview/request' && req.method === 'POST') {
        if (!authorised(req)) return send(403, 'application/json', JSON.stringify({ error: 'forbidden' }));
        let parsed: { channel?: unknown; payload?: unknown; undefinedPayload?: boolean };
        try {
          parsed = JSON.parse(await readBody(req)) as typeof parsed;
        } catch {
          return send(400, 'application/json', JSON.stringify({ error: 'bad json' }));
        }
        const channel = String(parsed.channel);
        traffic.push({ direction: 'request', channel, body: JSON.stringify(parsed) });
        const result = await options.services.dispatcher.dispatch(parsed.channel, parsed.undefinedPayload ? undefined : parsed.payload);
        const body = JSON.stringify(result);
        traffic.push({ direction: 'response', channel, body });
        return send(200, 'application/json', body);
      }
      if (url.pathname === '/__preview/events' && req.method === 'GET') {
        if (!authorised(req)) return send(403, 'text/plain', 'forbidden');
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.write(': connected\n\n');
        eventClients.add(res);
        req.on('close', () => eventClients.delete(res));
        return;
      }
      if (req.method === 'GET' && url.pathname.startsWith('/assets/')) {
        const file = path.normalize(path.join(rendererDir, url.pathname));
        if (!file.startsWith(rendererDir + path.sep)) return send(404, 'text/plain', 'not found');
        try {
          const body = await readFile(file);
          return send(200, contentTypes[path.extname(file)] ?? 'application/octet-stream', body, { 'cache-control': 'max-age=3600' });
        } catch {
          return send(404, 'text/plain', 'not found');
        }
      }
      return send(404, 'text/plain', 'not found');
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`preview harness error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?k=${secret}`,
    origin,
    traffic,
    async close() {
      unsubscribe();
      for (const client of eventClients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
