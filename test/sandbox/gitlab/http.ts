// HTTP plumbing for the GitLab sandbox: a pattern router whose route keys read like
// GitLab's docs ("GET /projects/:id/merge_requests"), GitLab-shaped errors
// ({"message": ...} for API errors, {"error": ...} for parameter and OAuth errors) and
// GitLab's offset pagination headers.
import type { IncomingMessage } from 'node:http';
import type { GitLabState, GitLabToken, GitLabUser } from './state.js';

export class GitLabError extends Error {
  constructor(
    readonly status: number,
    readonly payload: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof payload.message === 'string' ? payload.message : String(payload.error ?? status));
  }
}

/** `{"message": "404 Project Not Found"}` and friends. */
export const apiError = (status: number, message: string | string[] | Record<string, unknown>, headers?: Record<string, string>): GitLabError => new GitLabError(status, { message }, headers);
/** Grape parameter validation: 400 `{"error": "ref is missing"}`. */
export const paramError = (error: string): GitLabError => new GitLabError(400, { error });
export const notFound = (what?: string): GitLabError => apiError(404, what ? `404 ${what} Not Found` : '404 Not Found');
export const forbidden = (): GitLabError => apiError(403, '403 Forbidden');

export interface Reply {
  status: number;
  json?: unknown;
  raw?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string; // below the mount point, raw (still percent-encoded)
  url: URL;
  query: URLSearchParams;
  params: Record<string, string>;
  rawBody: Buffer;
  state: GitLabState;
  baseUrl: string;
  apiUrl: string;
  token: GitLabToken | undefined;
  user: GitLabUser | undefined;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

interface Route {
  method: string;
  key: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `:name` matches one (percent-decoded) segment; `*name` matches the rest. */
  add(method: string, pattern: string, handler: Handler): void {
    this.routes.push({ method, key: `${method} ${pattern}`, segments: pattern.split('/').filter((s) => s !== ''), handler });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | undefined {
    const parts = path.split('/').filter((s) => s !== '');
    let otherMethod = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      otherMethod = true;
    }
    return otherMethod ? 'method' : undefined;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    if (p.startsWith('*')) {
      if (i >= parts.length) return undefined;
      params[p.slice(1)] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (p.startsWith(':')) {
      // GitLab's archive route takes a format suffix on the same segment
      const suffix = /^:(\w+)(\..+)$/.exec(p);
      if (suffix) {
        if (!part.endsWith(suffix[2] as string)) return undefined;
        params[suffix[1] as string] = safeDecode(part.slice(0, -(suffix[2] as string).length));
      } else params[p.slice(1)] = safeDecode(part);
    } else if (p !== part) return undefined;
  }
  return pattern.length === parts.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** JSON or form body merged over the query string, as Grape does. */
export function params(ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of ctx.query) out[k] = v;
  if (ctx.rawBody.length === 0) return out;
  const type = String(ctx.req.headers['content-type'] ?? '');
  const text = ctx.rawBody.toString('utf8');
  if (type.includes('application/json')) {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new GitLabError(400, { error: '400 Bad Request' });
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
  } else {
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  }
  return out;
}

export function strParam(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function boolParam(p: Record<string, unknown>, key: string): boolean | undefined {
  const v = p[key];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/** Grape reports every missing required parameter at once: "a is missing, b is missing". */
export function requireParams(p: Record<string, unknown>, keys: string[]): void {
  const missing = keys.filter((k) => p[k] === undefined || p[k] === null || p[k] === '');
  if (missing.length > 0) throw paramError(missing.map((k) => `${k} is missing`).join(', '));
}

/** Offset pagination with GitLab's x-* headers and Link (default 20 per page, at most 100). */
export function paginate<T>(ctx: Ctx, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 20) || 20, 1), 100);
  const pageNo = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const totalPages = Math.max(Math.ceil(items.length / perPage), 1);
  const page = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  const link = (n: number, rel: string): string => {
    const u = new URL(`${ctx.apiUrl}${ctx.path}`);
    for (const [k, v] of ctx.query) u.searchParams.set(k, v);
    u.searchParams.set('page', String(n));
    u.searchParams.set('per_page', String(perPage));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (pageNo > 1) links.push(link(pageNo - 1, 'prev'));
  if (pageNo < totalPages) links.push(link(pageNo + 1, 'next'));
  links.push(link(1, 'first'), link(totalPages, 'last'));
  return {
    page,
    headers: {
      'x-page': String(pageNo),
      'x-per-page': String(perPage),
      'x-total': String(items.length),
      'x-total-pages': String(totalPages),
      'x-next-page': pageNo < totalPages ? String(pageNo + 1) : '',
      'x-prev-page': pageNo > 1 ? String(pageNo - 1) : '',
      link: links.join(', '),
    },
  };
}
