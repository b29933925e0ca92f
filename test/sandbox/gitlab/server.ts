// The GitLab sandbox forge: a GitLab look-alike on 127.0.0.1 (REST under /api/v4, OAuth
// under /oauth) for tests and the demo. Adds what tests need around it: a state API,
// branch-movement events in the GitHub forge's CommitEvent shape (so the Flux simulator can
// listen to both), fault injection and a per-route request log.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createLoopbackListener } from '../loopback-listener.js';
import { createHash, randomBytes } from 'node:crypto';
import { readBody } from '../forge/http-util.js';
import type { CommitListener } from '../forge/state.js';
import { systemNow, type Now } from '../clock.js';
import type { GitLabPipelineStatus, SeedGitLab } from '../seeds/types.js';
import { GitLabError, type Ctx, type Reply } from './http.js';
import { GitLabOAuth } from './oauth.js';
import { buildRestRouter } from './rest.js';
import { DEFAULT_GITLAB_TIMINGS, GitLabState, type ApprovalRule, type GitLabTimings, type MergeRequestState, type PipelineState } from './state.js';

export interface StartGitLabForgeOptions {
  seed?: SeedGitLab;
  port?: number;
  /** Status of the pipeline every push to a non-default branch starts (null = no CI, the default). */
  pipelineOnPush?: GitLabPipelineStatus | null;
  /**
   * GitLab bumps a token's last_used_at when it is used and the stored value is older than
   * 10 minutes, so inspecting a token through its own API call moves it too. Default true.
   */
  trackLastUsed?: boolean;
  /**
   * The forge's clock (default: the system clock). Token expiry, last-use throttling, MR
   * preparing/checking, delayed pipelines and the archive rate limit all read it.
   */
  now?: Now;
  /** How long preparing, checking and starting a pipeline take (forge clock); default DEFAULT_GITLAB_TIMINGS. */
  timings?: Partial<GitLabTimings>;
  /** Archive downloads per user per window; default gitlab.com's 5 per minute, null = unlimited (self-managed default). */
  archiveRateLimit?: { limit: number; windowMs: number } | null;
}

export interface GitLabFaultFilter {
  method?: string;
  pathIncludes?: string;
}

export interface GitLabForgeFaults {
  /** The next `n` matching requests answer `status` with a GitLab-style error body. */
  failNext(n: number, status: number, filter?: GitLabFaultFilter): void;
  setLatency(ms: number): void;
  revokeToken(value: string): void;
  expireToken(value: string): void;
  clear(): void;
}

export interface GitLabRequestLogEntry {
  method: string;
  path: string;
  route: string; // "GET /projects/:id/merge_requests", or "<method> <path>" when unrouted
  status: number;
  username: string | null;
  /** which header carried the credential */
  auth: 'private-token' | 'bearer' | null;
  at: number;
}

export interface GitLabRequestLog {
  entries(route?: string): GitLabRequestLogEntry[];
  count(route?: string): number;
  reset(): void;
}

export interface GitLabStateApi {
  getFile(project: string, ref: string, path: string): string | null;
  listBranches(project: string): { name: string; sha: string }[];
  /** Commits on top of a branch (creating it from the default branch) and moves it like a push. */
  commitFiles(project: string, branch: string, files: Record<string, string | null>, message: string, author?: string): string;
  getMergeRequest(project: string, iid: number): MergeRequestState | undefined;
  listMergeRequests(project: string): MergeRequestState[];
  /** Adds a pipeline for a ref's current head (what CI would report). */
  setPipeline(project: string, ref: string, status: GitLabPipelineStatus): PipelineState;
  approve(project: string, iid: number, username: string): void;
  /** Project merge settings: "Pipelines must succeed", and approval rules (none = GitLab Free). */
  setProjectOptions(project: string, options: { onlyAllowMergeIfPipelineSucceeds?: boolean; approvalRules?: ApprovalRule[] }): void;
  raw: GitLabState;
}

export interface GitLabForge {
  url: string;
  apiUrl: string;
  port: number;
  load(seed: SeedGitLab): void;
  state: GitLabStateApi;
  faults: GitLabForgeFaults;
  onCommit(listener: CommitListener): () => void;
  /** An OAuth access token for `username`, as if they had signed in through the first OAuth application (tests). */
  signIn(username: string, scopes?: string[]): string;
  requestLog: GitLabRequestLog;
  /** Stops listening (open connections are dropped); state is kept for restart(). */
  stop(): Promise<void>;
  /** Listens again on the same port with the same state. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const LAST_USED_THROTTLE_MS = 10 * 60 * 1000;

function avatarSvg(username: string): string {
  const hash = createHash('md5').update(username).digest();
  const hue = ((hash[0] ?? 0) * 360) / 256;
  const initial = (username[0] ?? '?').toUpperCase();
  return `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80"><rect width="80" height="80" fill="hsl(${hue.toFixed(0)},45%,85%)"/><text x="40" y="52" font-family="sans-serif" font-size="36" text-anchor="middle" fill="hsl(${hue.toFixed(0)},45%,30%)">${initial.replace(/[<&>"']/g, '')}</text></svg>`;
}

function faultReply(status: number): Reply {
  const text = STATUS_CODES[status] ?? 'Error';
  if (status === 429) return { status, json: { message: 'Retry later' }, headers: { 'retry-after': '60' } };
  return { status, json: { message: `${status} ${text}` } };
}

export async function startGitLabForge(options: StartGitLabForgeOptions = {}): Promise<GitLabForge> {
  let port = options.port ?? 0;
  let baseUrl = '';
  const state = new GitLabState(() => (baseUrl ? new URL(baseUrl).hostname : '127.0.0.1'), options.now ?? systemNow);
  state.pipelineOnPush = options.pipelineOnPush ?? null;
  state.timings = { ...DEFAULT_GITLAB_TIMINGS, ...options.timings };
  if (options.archiveRateLimit !== undefined) state.archiveRateLimit = options.archiveRateLimit;
  const trackLastUsed = options.trackLastUsed ?? true;
  const oauth = new GitLabOAuth(state);
  const restRouter = buildRestRouter();
  const oauthRouter = oauth.buildRouter();
  const log: GitLabRequestLogEntry[] = [];
  const failQueue: { remaining: number; status: number; filter: GitLabFaultFilter }[] = [];
  let latency = 0;

  const send = (res: ServerResponse, reply: Reply, headers: Record<string, string>): void => {
    const h: Record<string, string> = { ...headers, ...(reply.headers ?? {}) };
    let payload: Buffer | undefined;
    if (reply.raw) {
      payload = reply.raw;
      h['content-type'] = reply.contentType ?? 'application/octet-stream';
    } else if (reply.json !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
      h['content-type'] = reply.contentType ?? 'application/json';
    }
    h['content-length'] = payload && reply.status !== 204 && reply.status !== 304 ? String(payload.length) : '0';
    res.writeHead(reply.status, h);
    res.end(reply.status === 204 || reply.status === 304 ? undefined : payload);
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

  /** GitLab's bearer-token errors: revoked and expired tokens say so, unknown ones do not. */
  const invalidToken = (description: string): GitLabError =>
    new GitLabError(401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': `Bearer realm="", error="invalid_token", error_description="${description}"` });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const url = new URL(req.url ?? '/', baseUrl);
    const requestId = randomBytes(13).toString('hex').toUpperCase();
    let routeKey = `${method} ${rawPath}`;
    let username: string | null = null;
    let authKind: GitLabRequestLogEntry['auth'] = null;
    let status = 500;
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      'x-gitlab-meta': JSON.stringify({ correlation_id: requestId.toLowerCase(), version: '1' }),
      'cache-control': 'max-age=0, private, must-revalidate',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    };
    try {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      const rawBody = await readBody(req);
      state.catchUp();

      const avatar = /^\/uploads\/-\/system\/user\/avatar\/([^/]+)\/avatar\.svg$/.exec(rawPath);
      if (avatar && method === 'GET') {
        status = 200;
        routeKey = 'GET /uploads/-/system/user/avatar/:username/avatar.svg';
        send(res, { status: 200, raw: Buffer.from(avatarSvg(decodeURIComponent(avatar[1] as string)), 'utf8'), contentType: 'image/svg+xml' }, headers);
        return;
      }

      const forced = takeFailure(method, `${rawPath}${url.search}`);
      if (forced !== undefined) {
        status = forced;
        send(res, faultReply(forced), headers);
        return;
      }

      const isApi = rawPath === '/api/v4' || rawPath.startsWith('/api/v4/');
      const path = isApi ? rawPath.slice('/api/v4'.length) || '/' : rawPath;
      const ctx: Ctx = { req, method, path, url, query: url.searchParams, params: {}, rawBody, state, baseUrl, apiUrl: `${baseUrl}/api/v4`, token: undefined, user: undefined };

      const reply = await (async (): Promise<Reply> => {
        try {
          if (!isApi) {
            const found = oauthRouter.match(method === 'POST' && /(^|&)_method=delete(&|$)/i.test(rawBody.toString('utf8')) ? 'DELETE' : method, path);
            if (!found || found === 'method')
              return { status: 404, raw: Buffer.from('<!DOCTYPE html><html><body><h1>404</h1><p>Page Not Found</p></body></html>'), contentType: 'text/html; charset=utf-8' };
            routeKey = found.route.key;
            ctx.params = found.params;
            return await found.route.handler(ctx);
          }
          // --- authentication: PRIVATE-TOKEN takes access tokens, Bearer takes those and OAuth tokens
          const privateToken = (req.headers['private-token'] as string | undefined) ?? url.searchParams.get('private_token') ?? undefined;
          const bearer = /^bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? url.searchParams.get('access_token') ?? undefined;
          const presented = privateToken ?? bearer;
          if (presented !== undefined) {
            authKind = privateToken !== undefined ? 'private-token' : 'bearer';
            const t = state.tokens.get(presented);
            if (!t || (authKind === 'private-token' && t.kind === 'oauth')) throw new GitLabError(401, { message: '401 Unauthorized' });
            if (t.revoked) throw invalidToken('Token was revoked. You have to re-authorize from the user.');
            if (state.isTokenExpired(t)) throw invalidToken('Token is expired. You can either do re-authorization or token refresh.');
            ctx.token = t;
            ctx.user = state.user(t.username);
            username = t.username;
            if (trackLastUsed && t.kind !== 'oauth' && (!t.lastUsedAt || state.nowMs() - Date.parse(t.lastUsedAt) >= LAST_USED_THROTTLE_MS)) {
              t.lastUsedAt = state.now().toISOString();
            }
          }
          const found = restRouter.match(method, path);
          if (!found) return { status: 404, json: { error: '404 Not Found' } };
          if (found === 'method') return { status: 405, json: { error: '405 Not Allowed' } };
          routeKey = found.route.key;
          ctx.params = found.params;
          return await found.route.handler(ctx);
        } catch (e) {
          if (e instanceof GitLabError) return { status: e.status, json: e.payload, headers: e.headers };
          throw e;
        }
      })();
      status = reply.status;
      send(res, reply, headers);
    } catch (e) {
      status = 500;
      if (!res.headersSent) send(res, { status: 500, json: { message: '500 Internal Server Error', detail: e instanceof Error ? e.message : String(e) } }, headers);
      else res.destroy();
    } finally {
      log.push({ method, path: `${rawPath}${url.search}`, route: routeKey, status, username, auth: authKind, at: state.nowMs() });
    }
  };

  // Restart (a fault control) listens again on the same port with the same state.
  const listener = createLoopbackListener((req, res) => void handle(req, res), { port });
  const listen = async (): Promise<void> => {
    port = await listener.listen();
    baseUrl = `http://127.0.0.1:${port}`;
  };
  const stop = (): Promise<void> => listener.stop();

  if (options.seed) state.load(options.seed);
  await listen();

  const projectOrThrow = (path: string) => {
    const p = state.project(path);
    if (!p) throw new Error(`gitlab forge: unknown project ${path}`);
    return p;
  };

  const stateApi: GitLabStateApi = {
    raw: state,
    getFile(projectPath, ref, path) {
      const project = projectOrThrow(projectPath);
      const sha = state.git.resolve(project.repo, ref);
      const c = sha ? project.repo.objects.commit(sha) : undefined;
      const e = c ? project.repo.objects.lookup(c.tree, path) : undefined;
      return e?.type === 'blob' ? (project.repo.objects.blob(e.sha)?.content.toString('utf8') ?? null) : null;
    },
    listBranches(projectPath) {
      const project = projectOrThrow(projectPath);
      return [...project.repo.refs]
        .filter(([ref]) => ref.startsWith('refs/heads/'))
        .map(([ref, sha]) => ({ name: ref.slice('refs/heads/'.length), sha }))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    commitFiles(projectPath, branch, files, message, author) {
      const project = projectOrThrow(projectPath);
      const ref = `refs/heads/${branch}`;
      const parent = project.repo.refs.get(ref) ?? project.repo.refs.get(`refs/heads/${project.repo.defaultBranch}`) ?? null;
      const sha = state.git.commitOnto(project.repo, parent, files, message, author ?? state.signInUser);
      state.git.setRef(project.repo, ref, sha);
      return sha;
    },
    getMergeRequest(projectPath, iid) {
      state.catchUp();
      return state.mrList(projectOrThrow(projectPath)).find((m) => m.iid === iid);
    },
    listMergeRequests(projectPath) {
      state.catchUp();
      return [...state.mrList(projectOrThrow(projectPath))];
    },
    setPipeline(projectPath, ref, pipelineStatus) {
      const project = projectOrThrow(projectPath);
      const sha = state.git.resolve(project.repo, ref);
      if (!sha) throw new Error(`gitlab forge: unknown ref ${ref} in ${projectPath}`);
      return state.addPipeline(project, sha, ref, pipelineStatus, 'push', state.signInUser);
    },
    setProjectOptions(projectPath, o) {
      const project = projectOrThrow(projectPath);
      if (o.onlyAllowMergeIfPipelineSucceeds !== undefined) project.onlyAllowMergeIfPipelineSucceeds = o.onlyAllowMergeIfPipelineSucceeds;
      if (o.approvalRules) project.approvalRules = o.approvalRules.map((r) => ({ ...r, ...(r.eligible ? { eligible: [...r.eligible] } : {}) }));
    },
    approve(projectPath, iid, approver) {
      const mr = state.mrList(projectOrThrow(projectPath)).find((m) => m.iid === iid);
      if (!mr) throw new Error(`gitlab forge: no MR !${iid} in ${projectPath}`);
      if (!mr.approvedBy.includes(approver)) mr.approvedBy.push(approver);
    },
  };

  const faults: GitLabForgeFaults = {
    failNext(n, failStatus, filter = {}) {
      failQueue.push({ remaining: n, status: failStatus, filter });
    },
    setLatency(ms) {
      latency = ms;
    },
    revokeToken(value) {
      const t = state.tokens.get(value);
      if (!t) throw new Error('gitlab forge: unknown token');
      t.revoked = true;
    },
    expireToken(value) {
      const t = state.tokens.get(value);
      if (!t) throw new Error('gitlab forge: unknown token');
      // access tokens carry a date, OAuth tokens a time
      t.expiresAt = t.kind === 'oauth' ? new Date(state.nowMs() - 1000).toISOString() : new Date(state.nowMs() - 86_400_000).toISOString().slice(0, 10);
    },
    clear() {
      failQueue.length = 0;
      latency = 0;
    },
  };

  const requestLog: GitLabRequestLog = {
    entries: (route) => log.filter((e) => route === undefined || e.route === route),
    count: (route) => (route === undefined ? log.length : log.filter((e) => e.route === route).length),
    reset() {
      log.length = 0;
    },
  };

  return {
    get url() {
      return baseUrl;
    },
    get apiUrl() {
      return `${baseUrl}/api/v4`;
    },
    get port() {
      return port;
    },
    load(seed) {
      state.load(seed);
      oauth.reset();
    },
    state: stateApi,
    faults,
    onCommit: (listener) => state.onCommit(listener),
    signIn(username, scopes) {
      const app = [...state.apps.values()][0];
      if (!app || !state.user(username)) throw new Error(`gitlab forge: cannot sign ${username} in`);
      return String(oauth.issue(app.clientId, username, scopes ?? app.scopes).access_token);
    },
    requestLog,
    stop,
    async restart() {
      await stop();
      await listen();
    },
    async close() {
      await stop();
      state.dispose();
    },
  };
}
