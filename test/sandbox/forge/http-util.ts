// Small HTTP toolkit for the forge: a pattern router whose route keys read like
// octokit's ("GET /repos/{owner}/{repo}/pulls"), GitHub-shaped errors, body parsing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ForgeState, ForgeToken, ForgeUser } from './state.js';

export const DOCS = 'https://docs.github.com/enterprise-server@3.17/rest';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly docs: string = DOCS,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { message: this.message, ...this.extra, documentation_url: this.docs, status: String(this.status) };
  }
}

export const notFound = (docs?: string): ApiError => new ApiError(404, 'Not Found', {}, docs);

export function validationFailed(errors: Record<string, unknown>[], docs?: string, message = 'Validation Failed'): ApiError {
  return new ApiError(422, message, { errors }, docs);
}

export interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string; // path under the mount point, no query
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
  rawBody: Buffer;
  state: ForgeState;
  baseUrl: string; // http://127.0.0.1:port
  apiUrl: string; // baseUrl + /api/v3
  token: ForgeToken | undefined;
  user: ForgeUser | undefined;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export interface Route {
  method: string;
  key: string; // "GET /repos/{owner}/{repo}"
  segments: string[];
  handler: Handler;
}

export class Router {
  readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, key: `${method} ${pattern}`, segments: pattern.split('/').filter((s) => s !== ''), handler });
  }

  /** `{name}` matches one segment; `{name+}` matches the rest (at least one segment). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const parts = path.split('/').filter((s) => s !== '');
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const m = /^\{(\w+)(\+)?\}$/.exec(p);
    if (m?.[2]) {
      if (i >= parts.length) return undefined;
      params[m[1] as string] = parts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (m) params[m[1] as string] = decodeURIComponent(part);
    else if (p !== part) return undefined;
  }
  return pattern.length === parts.length ? params : undefined;
}

export async function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new ApiError(413, 'Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** JSON object body; GitHub answers 400 "Problems parsing JSON" for anything else. */
export function jsonBody(ctx: Ctx): Record<string, unknown> {
  if (ctx.rawBody.length === 0) return {};
  try {
    const v: unknown = JSON.parse(ctx.rawBody.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'Problems parsing JSON');
}

/** Form or JSON body, as the OAuth endpoints accept both (and query parameters). */
export function formBody(ctx: Ctx): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of ctx.query) out[k] = v;
  const type = String(ctx.req.headers['content-type'] ?? '');
  const text = ctx.rawBody.toString('utf8');
  if (text.length === 0) return out;
  if (type.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object') for (const [k, val] of Object.entries(v)) if (val !== null && val !== undefined) out[k] = String(val);
    } catch {
      // GitHub ignores an unparsable body here and reports the missing fields instead
    }
  } else {
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  }
  return out;
}

export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Slices a list by per_page/page and adds GitHub's Link header. */
export function paginate<T>(ctx: Ctx, items: T[], max = 100): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), max);
  const pageNo = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string): string => {
    const u = new URL(ctx.url.toString());
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${ctx.apiUrl}${ctx.path}${u.search}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, 'prev'));
  if (pageNo < last) links.push(link(pageNo + 1, 'next'), link(last, 'last'));
  if (pageNo > 1) links.push(link(1, 'first'));
  return { page, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
