// The one HTTP client for GitLab's REST API v4, shared by the git provider, the token
// inspector and the sign-in identity lookup (before, each had its own fetch wrapper).
// It is deliberately small: GitLab's API needs only a path, a JSON body and the token header;
// a library such as @gitbeaker/rest would add ~1 MB for calls we make a dozen of.
//
// Security model: the token only ever goes as a request header to the configured API base;
// redirects are refused (a redirect could carry the header elsewhere); the answer is handed
// back raw and never includes the request headers.

export type FetchLike = typeof fetch;

/** OAuth tokens need Bearer; personal/project/group access tokens work with both. */
export type GitLabTokenHeader = 'bearer' | 'private-token';

export interface GitLabClientOptions {
  /** e.g. https://gitlab.com/api/v4 */
  apiUrl: string;
  token: string;
  tokenHeader?: GitLabTokenHeader;
  fetch?: FetchLike;
  /** per request */
  timeoutMs: number;
  userAgent?: string;
}

export interface GitLabAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface GitLabClient {
  /** One call; throws only when the server could not be reached (or the call timed out). */
  send(method: string, path: string, body?: unknown): Promise<GitLabAnswer>;
}

export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const doFetch = options.fetch ?? fetch;
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  // no token: an anonymous read (public projects only), so no header at all
  const auth: Record<string, string> = !options.token ? {} : options.tokenHeader === 'private-token' ? { 'PRIVATE-TOKEN': options.token } : { authorization: `Bearer ${options.token}` };
  return {
    async send(method, path, body) {
      const res = await doFetch(`${apiUrl}${path}`, {
        method,
        headers: { ...auth, accept: 'application/json', 'user-agent': options.userAgent ?? 'release-board', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
    },
  };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The answer's JSON, or undefined when it is not JSON. */
export function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** GitLab's error bodies: {"message": string | string[] | {field: [..]}} or {"error": ..., "error_description": ...}. */
export function gitlabErrorMessage(body: unknown, status: number): string {
  if (isRecord(body)) {
    const m = body.message;
    if (typeof m === 'string') return m;
    if (Array.isArray(m)) return m.map(String).join('; ');
    if (isRecord(m))
      return Object.entries(m)
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`)
        .join('; ');
    if (typeof body.error_description === 'string') return body.error_description;
    if (typeof body.error === 'string') return body.error;
  }
  return `HTTP ${status}`;
}
