// The sandbox forge: a GitHub Enterprise Server look-alike on 127.0.0.1 (REST under
// /api/v3, OAuth under /login) that @octokit/rest talks to unchanged. Adds what tests
// need around it: a state API, branch-movement events, fault injection and a
// per-route request log.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLoopbackListener } from '../loopback-listener.js';
import { randomBytes, createHash } from 'node:crypto';
import type { SeedForge } from '../seeds/types.js';
import { ApiError, DOCS, readBody, type Ctx, type Reply } from './http-util.js';
import { OAuthService, type CallbackHostRule } from './oauth.js';
import { buildRestRouter, etagFor, tarballFor, type RateSnapshot } from './rest.js';
import { systemNow, type Now } from '../clock.js';
import { ForgeState, type CheckRunState, type CommitListener, type CommitStatusState, type PullState, type ReviewState } from './state.js';

export interface StartForgeOptions {
  seed?: SeedForge;
  port?: number;
  /** Which redirect_uri hosts the OAuth authorize endpoint accepts; default 127.0.0.1 and [::1]. */
  callbackHostRule?: CallbackHostRule;
  /** Device flow polling interval and lifetime in seconds (GitHub: 5 and 900). */
  deviceFlow?: { interval?: number; expiresIn?: number };
  /** The forge's clock (default: the system clock); token expiry, rate-limit resets and commit times read it. */
  now?: Now;
}

export interface FaultFilter {
  method?: string;
  pathIncludes?: string;
}

export interface ForgeFaults {
  /** The next `n` matching requests answer `status` with a GitHub-style error body. */
  failNext(n: number, status: number, filter?: FaultFilter): void;
  /** The next `n` API requests hit GitHub's secondary rate limit (403 + Retry-After). */
  secondaryRateLimit(n: number, retryAfterSeconds: number): void;
  setLatency(ms: number): void;
  revokeToken(value: string): void;
  expireToken(value: string): void;
  /** Sets the primary (core) rate-limit remaining for a token; 0 makes calls fail with 403. */
  setRateLimitRemaining(token: string | null, remaining: number): void;
  clear(): void;
}

export interface RequestLogEntry {
  method: string;
  path: string; // as requested, with query
  route: string; // "GET /repos/{owner}/{repo}/pulls", or "<method> <path>" when unrouted
  status: number;
  login: string | null;
  at: number;
}

export interface RequestLog {
  entries(route?: string): RequestLogEntry[];
  count(route?: string): number;
  reset(): void;
}

export interface ForgeStateApi {
  getFile(repo: string, ref: string, path: string): string | null;
  listBranches(repo: string): { name: string; sha: string }[];
  /** Commits on top of a branch (creating it from the default branch) and moves it like a push. */
  commitFiles(repo: string, branch: string, files: Record<string, string | null>, message: string, author?: string): string;
  getPull(repo: string, number: number): PullState | undefined;
  listPulls(repo: string): PullState[];
  addReview(repo: string, number: number, review: { user: string; state: ReviewState['state']; body?: string }): void;
  setCheckRuns(repo: string, ref: string, runs: { name: string; status: CheckRunState['status']; conclusion?: CheckRunState['conclusion'] }[]): void;
  setStatuses(repo: string, ref: string, statuses: { context: string; state: CommitStatusState['state']; description?: string; targetUrl?: string }[]): void;
  /** Approves (or denies) a pending device-flow user code, as a user on the verification page would. */
  decideDeviceCode(userCode: string, approve: boolean, login?: string): boolean;
  /** Direct access for unusual tests. */
  raw: ForgeState;
}

export interface Forge {
  url: string;
  apiUrl: string;
  port: number;
  load(seed: SeedForge): void;
  state: ForgeStateApi;
  faults: ForgeFaults;
  onCommit(listener: CommitListener): () => void;
  requestLog: RequestLog;
  /** Stops listening (open connections are dropped); state is kept for restart(). */
  stop(): Promise<void>;
  /** Listens again on the same port with the same state. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

interface Bucket {
  used: number;
  reset: number; // epoch seconds
  forcedRemaining?: number;
}

const EXPOSE =
  'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset';

/** GitHub's format for GitHub-Authentication-Token-Expiration: "2026-12-01 12:00:00 UTC". */
export function formatExpiration(iso: string): string {
  return new Date(iso)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
}

function avatarSvg(login: string): string {
  const hash = createHash('sha1').update(login).digest();
  const hue = ((hash[0] ?? 0) * 360) / 256;
  const cells: string[] = [];
  // a 5x5 mirrored identicon, like GitHub's default avatars
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 3; x++) {
      if (((hash[1 + y * 3 + x] ?? 0) & 1) === 1) {
        cells.push(`<rect x="${x * 14 + 5}" y="${y * 14 + 5}" width="14" height="14"/>`);
        if (x < 2) cells.push(`<rect x="${(4 - x) * 14 + 5}" y="${y * 14 + 5}" width="14" height="14"/>`);
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80"><rect width="80" height="80" fill="#f0f0f0"/><g fill="hsl(${hue.toFixed(0)},55%,55%)">${cells.join('')}</g></svg>`;
}

export async function startForge(options: StartForgeOptions = {}): Promise<Forge> {
  let port = options.port ?? 0;
  let baseUrl = '';
  const now = options.now ?? systemNow;
  const nowMs = () => now().getTime();
  const state = new ForgeState(() => (baseUrl ? new URL(baseUrl).hostname : '127.0.0.1'), now);
  const buckets = new Map<string, { core: Bucket; search: Bucket }>();
  const log: RequestLogEntry[] = [];
  let latency = 0;
  const failQueue: { remaining: number; status: number; filter: FaultFilter }[] = [];
  let secondary: { remaining: number; retryAfter: number } | null = null;

  const oauth = new OAuthService(state, {
    callbackHostRule: options.callbackHostRule,
    deviceInterval: options.deviceFlow?.interval,
    deviceExpiresIn: options.deviceFlow?.expiresIn,
  });

  const bucketFor = (ctx: Pick<Ctx, 'token' | 'req'>): { key: string; limits: { core: number; search: number } } => {
    if (ctx.token) return { key: `token:${ctx.token.value}`, limits: { core: 5000, search: 30 } };
    return { key: `ip:${ctx.req.socket.remoteAddress ?? ''}`, limits: { core: 60, search: 10 } };
  };

  const getBucket = (key: string, resource: 'core' | 'search'): Bucket => {
    let b = buckets.get(key);
    const fresh = (): Bucket => ({ used: 0, reset: Math.floor(nowMs() / 1000) + 3600 });
    if (!b) {
      b = { core: fresh(), search: fresh() };
      buckets.set(key, b);
    }
    const bucket = b[resource];
    if (bucket.reset <= nowMs() / 1000) {
      bucket.used = 0;
      bucket.reset = Math.floor(nowMs() / 1000) + (resource === 'search' ? 60 : 3600);
      delete bucket.forcedRemaining;
    }
    return bucket;
  };

  const snapshot = (ctx: Pick<Ctx, 'token' | 'req'>, resource: 'core' | 'search'): RateSnapshot => {
    const { key, limits } = bucketFor(ctx);
    const b = getBucket(key, resource);
    const limit = limits[resource];
    const remaining = b.forcedRemaining ?? Math.max(limit - b.used, 0);
    return { resource, limit, remaining, reset: b.reset, used: b.forcedRemaining !== undefined ? limit - b.forcedRemaining : b.used };
  };

  const restRouter = buildRestRouter({ rateSnapshot: snapshot });
  oauth.addAppRoutes(restRouter);
  const oauthRouter = oauth.buildRouter();

  const rateHeaders = (s: RateSnapshot): Record<string, string> => ({
    'x-ratelimit-limit': String(s.limit),
    'x-ratelimit-remaining': String(s.remaining),
    'x-ratelimit-reset': String(s.reset),
    'x-ratelimit-used': String(s.used),
    'x-ratelimit-resource': s.resource,
  });

  const send = (res: ServerResponse, reply: Reply, headers: Record<string, string>): void => {
    const h: Record<string, string> = { ...headers, ...(reply.headers ?? {}) };
    let payload: Buffer | undefined;
    if (reply.raw) {
      payload = reply.raw;
      h['content-type'] = reply.contentType ?? 'application/octet-stream';
    } else if (reply.json !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
      h['content-type'] = reply.contentType ?? 'application/json; charset=utf-8';
    }
    if (payload && reply.status !== 204 && reply.status !== 304) h['content-length'] = String(payload.length);
    else h['content-length'] = '0';
    res.writeHead(reply.status, h);
    res.end(reply.status === 204 || reply.status === 304 ? undefined : payload);
  };

  const errorReply = (e: ApiError): Reply => ({ status: e.status, json: e.body(), headers: e.headers });

  const genericFault = (status: number): Reply => {
    if (status === 401) return errorReply(new ApiError(401, 'Bad credentials', {}, DOCS));
    const message = status >= 500 ? (status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Server Error')) : (STATUS_CODES[status] ?? 'Error');
    return errorReply(new ApiError(status, message, {}, DOCS));
  };

  const takeFailure = (method: string, path: string): number | undefined => {
    for (const f of failQueue) {
      if (f.remaining <= 0) continue;
      if (f.filter.method && f.filter.method.toUpperCase() !== method) continue;
      if (f.filter.pathIncludes && !path.includes(f.filter.pathIncludes)) continue;
      f.remaining--;
      return f.status;
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const fullPath = url.pathname;
    const requestId = `${randomBytes(2).toString('hex').toUpperCase()}:${randomBytes(3).toString('hex').toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`;
    let routeKey = `${method} ${fullPath}`;
    let login: string | null = null;
    let status = 500;
    const logIt = (): void => {
      log.push({ method, path: `${fullPath}${url.search}`, route: routeKey, status, login, at: nowMs() });
    };
    try {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const rawBody = await readBody(req);
      const isApi = fullPath === '/api/v3' || fullPath.startsWith('/api/v3/');
      const baseHeaders: Record<string, string> = { 'x-github-request-id': requestId };

      if (fullPath.startsWith('/avatars/')) {
        const who = decodeURIComponent(fullPath.slice('/avatars/'.length));
        status = 200;
        routeKey = 'GET /avatars/{login}';
        send(res, { status: 200, raw: Buffer.from(avatarSvg(who), 'utf8'), contentType: 'image/svg+xml', headers: { 'cache-control': 'max-age=300' } }, baseHeaders);
        return;
      }

      const forced = takeFailure(method, `${fullPath}${url.search}`);
      if (forced !== undefined) {
        status = forced;
        send(res, genericFault(forced), { ...baseHeaders, 'access-control-expose-headers': EXPOSE });
        return;
      }

      if (isApi) {
        const path = fullPath.slice('/api/v3'.length) || '/';
        const ctx: Ctx = { req, res, method, path, url, query: url.searchParams, params: {}, rawBody, state, baseUrl, apiUrl: `${baseUrl}/api/v3`, token: undefined, user: undefined };
        const headers: Record<string, string> = {
          ...baseHeaders,
          'x-github-media-type': 'github.v3; format=json',
          'x-github-api-version-selected': '2022-11-28',
          'x-github-enterprise-version': '3.17.0',
          'access-control-expose-headers': EXPOSE,
          'access-control-allow-origin': '*',
          vary: 'Accept, Authorization, Cookie, X-GitHub-OTP',
          'x-content-type-options': 'nosniff',
        };
        const reply = await (async (): Promise<Reply> => {
          // --- authentication
          const auth = String(req.headers.authorization ?? '');
          let presented: string | undefined;
          const bearer = /^(?:token|bearer)\s+(\S+)$/i.exec(auth);
          if (bearer) presented = bearer[1];
          else if (/^basic\s+/i.test(auth) && !path.startsWith('/applications/')) {
            // git-style Basic auth with the token as password
            const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
            presented = decoded.split(/:(.*)/s)[1];
          }
          if (presented !== undefined) {
            const t = state.tokens.get(presented);
            const expired = t?.expiresAt ? Date.parse(t.expiresAt) <= nowMs() : false;
            if (!t || t.revoked || expired) {
              Object.assign(headers, rateHeaders(snapshot(ctx, 'core')));
              return errorReply(new ApiError(401, 'Bad credentials', {}, DOCS));
            }
            ctx.token = t;
            ctx.user = state.user(t.login);
            login = t.login;
            if (t.kind === 'classic' || t.kind === 'oauth') {
              headers['x-oauth-scopes'] = t.scopes.join(', ');
              headers['x-accepted-oauth-scopes'] = '';
            }
            if (t.expiresAt) headers['github-authentication-token-expiration'] = formatExpiration(t.expiresAt);
          }
          // --- secondary rate limit (before routing, like GitHub's abuse detection)
          if (secondary && secondary.remaining > 0) {
            secondary.remaining--;
            Object.assign(headers, rateHeaders(snapshot(ctx, 'core')));
            return errorReply(
              new ApiError(
                403,
                `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
                {},
                'https://docs.github.com/enterprise-server@3.17/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
                { 'retry-after': String(secondary.retryAfter) },
              ),
            );
          }
          const found = restRouter.match(method, path);
          if (!found) {
            Object.assign(headers, rateHeaders(snapshot(ctx, 'core')));
            return errorReply(new ApiError(404, 'Not Found', {}, DOCS));
          }
          if ('allowed' in found) {
            Object.assign(headers, rateHeaders(snapshot(ctx, 'core')));
            return errorReply(new ApiError(404, 'Not Found', {}, DOCS));
          }
          routeKey = found.route.key;
          ctx.params = found.params;
          // --- primary rate limit
          const resource = path.startsWith('/search/') ? 'search' : 'core';
          const counts = path !== '/rate_limit';
          if (counts) {
            const before = snapshot(ctx, resource);
            if (before.remaining <= 0) {
              Object.assign(headers, rateHeaders(before));
              const who = ctx.user ? `user ID ${ctx.user.id}` : String(req.socket.remoteAddress ?? '');
              return errorReply(
                new ApiError(403, `API rate limit exceeded for ${who}.`, {}, 'https://docs.github.com/enterprise-server@3.17/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit'),
              );
            }
            const b = getBucket(bucketFor(ctx).key, resource);
            b.used++;
            if (b.forcedRemaining !== undefined) b.forcedRemaining--;
          }
          let result: Reply;
          try {
            result = await found.route.handler(ctx);
          } catch (e) {
            if (e instanceof ApiError) result = errorReply(e);
            else throw e;
          }
          // --- conditional requests: GitHub does not charge a 304 against the limit
          if (method === 'GET' && result.status === 200 && result.json !== undefined) {
            const etag = etagFor(JSON.stringify(result.json), ctx.token?.value ?? '');
            result.headers = { ...(result.headers ?? {}), etag };
            const inm = String(req.headers['if-none-match'] ?? '');
            if (
              inm &&
              inm
                .split(',')
                .map((s) => s.trim())
                .some((v) => v === etag || v === etag.slice(2) || v === '*')
            ) {
              if (counts) {
                const b = getBucket(bucketFor(ctx).key, resource);
                b.used = Math.max(b.used - 1, 0);
                if (b.forcedRemaining !== undefined) b.forcedRemaining++;
              }
              result = { status: 304, headers: { etag, ...(result.headers.link ? { link: result.headers.link } : {}) } };
            }
          }
          Object.assign(headers, rateHeaders(snapshot(ctx, resource)));
          return result;
        })();
        status = reply.status;
        send(res, reply, headers);
        return;
      }

      if (fullPath.startsWith('/login/')) {
        const found = oauthRouter.match(method, fullPath);
        const ctx: Ctx = { req, res, method, path: fullPath, url, query: url.searchParams, params: {}, rawBody, state, baseUrl, apiUrl: `${baseUrl}/api/v3`, token: undefined, user: undefined };
        let reply: Reply;
        if (!found || 'allowed' in found) {
          reply = { status: 404, raw: Buffer.from('<!DOCTYPE html><title>Page not found</title><h1>404</h1>', 'utf8'), contentType: 'text/html; charset=utf-8' };
        } else {
          routeKey = found.route.key;
          ctx.params = found.params;
          try {
            reply = await found.route.handler(ctx);
          } catch (e) {
            if (e instanceof ApiError) reply = errorReply(e);
            else throw e;
          }
        }
        status = reply.status;
        send(res, reply, { ...baseHeaders, 'cache-control': 'no-store' });
        return;
      }

      const codeload = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(fullPath);
      if (codeload && method === 'GET') {
        routeKey = 'GET /_codeload/{owner}/{repo}/legacy.tar.gz/{sha}';
        const repo = state.repo(`${codeload[1]}/${codeload[2]}`);
        const sha = codeload[3] as string;
        if (!repo || !repo.objects.commit(sha)) {
          status = 404;
          send(res, { status: 404, raw: Buffer.from('404: Not Found'), contentType: 'text/plain; charset=utf-8' }, baseHeaders);
          return;
        }
        const tgz = tarballFor(repo, sha);
        status = 200;
        send(
          res,
          {
            status: 200,
            raw: tgz,
            contentType: 'application/x-gzip',
            headers: { 'content-disposition': `attachment; filename=${repo.owner}-${repo.name}-${sha.slice(0, 7)}.tar.gz`, etag: `"${sha}"` },
          },
          baseHeaders,
        );
        return;
      }

      const raw = /^\/raw\/([^/]+)\/([^/]+)\/(.+)$/.exec(fullPath);
      if (raw && method === 'GET') {
        routeKey = 'GET /raw/{owner}/{repo}/{ref}/{path}';
        const repo = state.repo(`${raw[1]}/${raw[2]}`);
        const rest = decodeURIComponent(raw[3] as string);
        // the ref may itself contain slashes: take the longest ref that resolves
        let content: Buffer | undefined;
        if (repo) {
          const parts = rest.split('/');
          for (let i = parts.length - 1; i >= 1 && !content; i--) {
            const sha = state.resolve(repo, parts.slice(0, i).join('/'));
            if (!sha) continue;
            const c = repo.objects.commit(sha);
            const e = c ? repo.objects.lookup(c.tree, parts.slice(i).join('/')) : undefined;
            if (e?.type === 'blob') content = repo.objects.blob(e.sha)?.content;
          }
        }
        status = content ? 200 : 404;
        send(res, { status, raw: content ?? Buffer.from('404: Not Found'), contentType: 'text/plain; charset=utf-8' }, baseHeaders);
        return;
      }

      status = fullPath === '/' ? 200 : 404;
      send(
        res,
        {
          status,
          raw: Buffer.from(status === 200 ? '<!DOCTYPE html><title>Sandbox forge</title><h1>Sandbox forge</h1>' : '<!DOCTYPE html><title>Page not found</title><h1>404</h1>', 'utf8'),
          contentType: 'text/html; charset=utf-8',
        },
        baseHeaders,
      );
    } catch (e) {
      status = 500;
      if (!res.headersSent) {
        send(res, { status: 500, json: { message: 'Server Error', documentation_url: DOCS, status: '500', detail: e instanceof Error ? e.message : String(e) } }, {});
      } else {
        res.destroy();
      }
    } finally {
      logIt();
    }
  };

  // Restart (a fault control) listens again on the same port with the same state.
  const listener = createLoopbackListener((req, res) => void handle(req, res), { port, keepAliveTimeoutMs: 5000 });
  const listen = async (): Promise<void> => {
    port = await listener.listen();
    baseUrl = `http://127.0.0.1:${port}`;
  };
  const stop = (): Promise<void> => listener.stop();

  if (options.seed) state.load(options.seed);
  await listen();

  const repoOrThrow = (name: string): NonNullable<ReturnType<ForgeState['repo']>> => {
    const r = state.repo(name);
    if (!r) throw new Error(`forge: unknown repo ${name}`);
    return r;
  };

  const stateApi: ForgeStateApi = {
    raw: state,
    getFile(repoName, ref, path) {
      const repo = repoOrThrow(repoName);
      const sha = state.resolve(repo, ref);
      if (!sha) return null;
      const c = repo.objects.commit(sha);
      const e = c ? repo.objects.lookup(c.tree, path) : undefined;
      return e?.type === 'blob' ? (repo.objects.blob(e.sha)?.content.toString('utf8') ?? null) : null;
    },
    listBranches(repoName) {
      const repo = repoOrThrow(repoName);
      return [...repo.refs]
        .filter(([ref]) => ref.startsWith('refs/heads/'))
        .map(([ref, sha]) => ({ name: ref.slice('refs/heads/'.length), sha }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    commitFiles(repoName, branch, files, message, author) {
      const repo = repoOrThrow(repoName);
      const ref = `refs/heads/${branch}`;
      const parent = repo.refs.get(ref) ?? repo.refs.get(`refs/heads/${repo.defaultBranch}`) ?? null;
      const sha = state.commitOnto(repo, parent, files, message, author ?? repo.owner);
      state.setRef(repo, ref, sha);
      return sha;
    },
    getPull(repoName, number) {
      return state.pullList(repoOrThrow(repoName)).find((p) => p.number === number);
    },
    listPulls(repoName) {
      return [...state.pullList(repoOrThrow(repoName))];
    },
    addReview(repoName, number, review) {
      const repo = repoOrThrow(repoName);
      const p = state.pullList(repo).find((x) => x.number === number);
      if (!p) throw new Error(`forge: no pull #${number} in ${repoName}`);
      const key = `${repo.fullName.toLowerCase()}#${number}`;
      const list = state.reviews.get(key) ?? [];
      list.push({ id: state.newId(), user: review.user, state: review.state, body: review.body ?? '', submittedAt: state.nowIso(), commitId: state.headSha(repo, p) });
      state.reviews.set(key, list);
      p.updatedAt = state.nowIso();
    },
    setCheckRuns(repoName, ref, runs) {
      const repo = repoOrThrow(repoName);
      const sha = state.resolve(repo, ref);
      if (!sha) throw new Error(`forge: unknown ref ${ref} in ${repoName}`);
      const at = state.nowIso();
      state.checkRuns.set(
        `${repo.fullName.toLowerCase()}@${sha}`,
        runs.map((r) => ({
          id: state.newId(),
          name: r.name,
          status: r.status,
          conclusion: r.status === 'completed' ? (r.conclusion ?? 'success') : null,
          startedAt: at,
          completedAt: r.status === 'completed' ? at : null,
        })),
      );
    },
    setStatuses(repoName, ref, statuses) {
      const repo = repoOrThrow(repoName);
      const sha = state.resolve(repo, ref);
      if (!sha) throw new Error(`forge: unknown ref ${ref} in ${repoName}`);
      state.statuses.set(
        `${repo.fullName.toLowerCase()}@${sha}`,
        statuses.map((s) => ({ id: state.newId(), context: s.context, state: s.state, description: s.description ?? null, targetUrl: s.targetUrl ?? null, createdAt: state.nowIso() })),
      );
    },
    decideDeviceCode(userCode, approve, login) {
      return oauth.decideDevice(userCode, approve, login);
    },
  };

  const faults: ForgeFaults = {
    failNext(n, status, filter = {}) {
      failQueue.push({ remaining: n, status, filter });
    },
    secondaryRateLimit(n, retryAfterSeconds) {
      secondary = { remaining: n, retryAfter: retryAfterSeconds };
    },
    setLatency(ms) {
      latency = ms;
    },
    revokeToken(value) {
      const t = state.tokens.get(value);
      if (!t) throw new Error('forge: unknown token');
      t.revoked = true;
    },
    expireToken(value) {
      const t = state.tokens.get(value);
      if (!t) throw new Error('forge: unknown token');
      t.expiresAt = new Date(nowMs() - 1000).toISOString();
    },
    setRateLimitRemaining(token, remaining) {
      const key = token === null ? 'ip:127.0.0.1' : `token:${token}`;
      getBucket(key, 'core').forcedRemaining = remaining;
    },
    clear() {
      failQueue.length = 0;
      secondary = null;
      latency = 0;
    },
  };

  const requestLog: RequestLog = {
    entries(route) {
      return log.filter((e) => route === undefined || e.route === route);
    },
    count(route) {
      return route === undefined ? log.length : log.filter((e) => e.route === route).length;
    },
    reset() {
      log.length = 0;
    },
  };

  const forge: Forge = {
    get url() {
      return baseUrl;
    },
    get apiUrl() {
      return `${baseUrl}/api/v3`;
    },
    get port() {
      return port;
    },
    load(seed) {
      state.load(seed);
      oauth.reset();
      buckets.clear();
    },
    state: stateApi,
    faults,
    onCommit: (listener) => state.onCommit(listener),
    requestLog,
    stop,
    async restart() {
      await stop();
      await listen();
    },
    async close() {
      await stop();
    },
  };
  return forge;
}
