// The GitLab inspector (no GitLab sandbox yet) and the GitHub paths the sandbox does not
// cover (installation tokens, expiry header formats), against a tiny local fake forge.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchAvatarDataUrl } from '../tokens/avatar';
import { forgeTargetFor, type ForgeTarget } from './forge-url';
import { createGitHubInspector, parseGitHubExpiration, parseRateLimit } from './github/inspector';
import { createGitLabInspector, gitlabExpiry } from './gitlab/inspector';
import { SOURCES, judgeLastUse, lastUseActivity, recordOwnUse, type LastUseMemory } from './gitlab/last-use';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const GL_TOKEN = 'glpat-abcdefghijklmnopqrst';
const GL_REVOKED = 'glpat-revokedrevokedrevoked';
const GH_INSTALLATION = 'ghs_installationtokenvalue0000000000001';
const GH_USER = 'ghp_usertokenvalue000000000000000000000001';

let server: Server;
let base: string;
const seen: { path: string; auth: string | undefined; privateToken: string | undefined }[] = [];

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const routes: Record<string, Handler> = {
  'GET /gl/api/v4/personal_access_tokens/self': (req, res) => {
    const t = req.headers['private-token'];
    if (t === GL_TOKEN) {
      return json(res, 200, {
        id: 4,
        name: 'promotion',
        revoked: false,
        created_at: '2026-01-01T00:00:00Z',
        scopes: ['api', 'write_repository'],
        user_id: 24,
        last_used_at: '2026-11-20T10:00:00.000Z',
        active: true,
        expires_at: '2026-12-01',
      });
    }
    if (t === GL_REVOKED) return json(res, 401, { message: '401 Unauthorized' });
    return json(res, 401, { message: '401 Unauthorized' });
  },
  'GET /gl/api/v4/user': (req, res) => {
    if (req.headers['private-token'] !== GL_TOKEN) return json(res, 401, { message: '401 Unauthorized' });
    return json(res, 200, { id: 24, username: 'project_42_bot', name: 'Promotion bot', bot: true, avatar_url: `${base}/avatar.png`, web_url: `${base}/project_42_bot` });
  },
  'GET /gh/api/v3/user': (req, res) => {
    if (req.headers.authorization === `token ${GH_INSTALLATION}`) return json(res, 403, { message: 'Resource not accessible by integration' });
    if (req.headers.authorization !== `token ${GH_USER}`) return json(res, 401, { message: 'Bad credentials' });
    return json(
      res,
      200,
      { login: 'octo-bot', type: 'Bot', name: null, avatar_url: `${base}/avatar.png` },
      {
        'x-oauth-scopes': '',
        'github-authentication-token-expiration': '2026-12-01 05:00:00 -0800',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-used': '1',
        'x-ratelimit-reset': '1800000000',
        'x-ratelimit-resource': 'core',
      },
    );
  },
  'GET /gh/api/v3/installation/repositories': (req, res) => {
    if (req.headers.authorization !== `token ${GH_INSTALLATION}`) return json(res, 401, { message: 'Bad credentials' });
    return json(res, 200, { total_count: 1, repositories: [{ full_name: 'acme/fleet-config' }] }, { 'x-ratelimit-limit': '15000', 'x-ratelimit-remaining': '14990' });
  },
  'GET /gh/api/v3/repos/acme/fleet-config/pulls': (_req, res) =>
    json(res, 200, [
      { number: 9, html_url: `${base}/acme/fleet-config/pull/9`, created_at: '2026-11-20T08:00:00Z', user: { login: 'someone' }, head: { ref: 'promotion-a-b-prod' } },
      { number: 8, html_url: `${base}/acme/fleet-config/pull/8`, created_at: '2026-11-19T08:00:00Z', user: { login: 'octo-bot' }, head: { ref: 'feature-x' } },
      { number: 7, html_url: `${base}/acme/fleet-config/pull/7`, created_at: '2026-11-18T08:00:00Z', user: { login: 'Octo-Bot' }, head: { ref: 'promotion-a-b-staging' } },
    ]),
  'GET /avatar.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  },
  'GET /big.png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(Buffer.alloc(300_000));
  },
  'GET /page.html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html></html>');
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push({ path, auth: req.headers.authorization, privateToken: req.headers['private-token'] as string | undefined });
    const handler = routes[`${req.method} ${path}`];
    if (handler) handler(req, res);
    else json(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function target(provider: 'github' | 'gitlab', api: string): ForgeTarget {
  return { provider, host: '127.0.0.1', webBaseUrl: base, apiBaseUrl: `${base}${api}`, owner: 'acme', repo: 'fleet-config', fullName: 'acme/fleet-config' };
}

describe('GitLab inspector', () => {
  // The fake's token expires 2026-12-01 and was last used 2026-11-20: the check happens in between.
  const gitlab = createGitLabInspector({ now: () => new Date('2026-11-25T12:00:00Z') });

  it('reads who, scopes, expiry and a last use older than its own check, labelled as the token itself reported it', async () => {
    const r = await gitlab.inspect(GL_TOKEN, target('gitlab', '/gl/api/v4'));
    expect(r).toMatchObject({
      outcome: 'accepted',
      kind: 'gitlab-access-token',
      scopes: ['api', 'write_repository'],
      expiresAt: '2026-12-01T00:00:00.000Z',
      lastUse: { kind: 'last-used', label: 'last used 2026-11-20 (as GitLab reported it to the token itself)', at: '2026-11-20T10:00:00.000Z' },
      identity: { login: 'project_42_bot', name: 'Promotion bot', type: 'Bot', avatarUrl: `${base}/avatar.png` },
    });
    expect(seen.filter((s) => s.path.startsWith('/gl/')).every((s) => s.privateToken === GL_TOKEN && s.auth === undefined)).toBe(true);
  });

  it('reports a 401 as rejected', async () => {
    const r = await gitlab.inspect(GL_REVOKED, target('gitlab', '/gl/api/v4'));
    expect(r.outcome).toBe('rejected');
    expect(JSON.stringify(r)).not.toContain(GL_REVOKED);
  });

  it('reports an unreachable forge as an error without the token', async () => {
    // A port that was just free: fetch refuses "bad ports" such as 1 before connecting.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await gitlab.inspect(GL_TOKEN, { ...target('gitlab', '/x'), apiBaseUrl: `http://127.0.0.1:${port}/api/v4` });
    expect(r.outcome).toBe('error');
    expect(r.message).toBe('ECONNREFUSED');
  });

  it('parses GitLab dates', () => {
    expect(gitlabExpiry(null)).toBeNull();
    expect(gitlabExpiry('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    expect(gitlabExpiry(42)).toBeUndefined();
    expect(lastUseActivity({ ownUses: [], truthful: { at: null, source: 'x' } }, true).kind).toBe('never-used');
    expect(lastUseActivity({ ownUses: [1] }, false)).toMatchObject({ kind: 'unknown', label: expect.stringContaining('sign in to GitLab') });
  });
});

describe('GitHub inspector', () => {
  const github = createGitHubInspector();

  it('reads an expiring token with an offset expiry header and empty scopes', async () => {
    const r = await github.inspect(GH_USER, target('github', '/gh/api/v3'));
    expect(r).toMatchObject({ outcome: 'accepted', kind: 'github-classic', scopes: [], expiresAt: '2026-12-01T13:00:00.000Z', identity: { login: 'octo-bot', type: 'Bot' } });
    expect(r.rateLimit).toEqual({ limit: 5000, remaining: 4999, used: 1, resetsAt: new Date(1_800_000_000_000).toISOString(), resource: 'core' });
  });

  it('inspects installation tokens through /installation/repositories, never /user', async () => {
    seen.length = 0;
    const r = await github.inspect(GH_INSTALLATION, target('github', '/gh/api/v3'));
    expect(r).toMatchObject({ outcome: 'accepted', kind: 'github-installation', scopes: null, repositories: ['acme/fleet-config'] });
    expect(r.identity).toBeUndefined();
    expect(seen.map((s) => s.path)).toEqual(['/gh/api/v3/installation/repositories']);
  });

  it('finds the newest promotion PR by the user (case-insensitive login, promotion- branch)', async () => {
    const a = await github.recentActivity(GH_USER, target('github', '/gh/api/v3'), 'octo-bot');
    expect(a).toEqual({
      kind: 'newest-promotion-pr',
      label: 'newest promotion PR by octo-bot: #7, 2026-11-18',
      number: 7,
      url: `${base}/acme/fleet-config/pull/7`,
      createdAt: '2026-11-18T08:00:00Z',
      repo: 'acme/fleet-config',
    });
    const none = await github.recentActivity(GH_USER, target('github', '/gh/api/v3'), 'nobody');
    expect(none).toEqual({ kind: 'no-promotion-pr', label: 'no promotion PR by nobody in the 3 newest PRs of acme/fleet-config', repo: 'acme/fleet-config' });
  });

  it('reports 401 as rejected', async () => {
    const r = await github.inspect('ghp_wrongwrongwrongwrongwrongwrongwrong1', target('github', '/gh/api/v3'));
    expect(r.outcome).toBe('rejected');
  });

  it('parses expiry and rate-limit headers', () => {
    expect(parseGitHubExpiration('2026-12-01 12:00:00 UTC')).toBe('2026-12-01T12:00:00.000Z');
    expect(parseGitHubExpiration('2026-12-01 12:00:00 +0100')).toBe('2026-12-01T11:00:00.000Z');
    expect(parseGitHubExpiration('soon')).toBeUndefined();
    expect(parseRateLimit({})).toBeUndefined();
  });
});

describe('avatars', () => {
  it('inlines a small image as a data: URL', async () => {
    expect(await fetchAvatarDataUrl(`${base}/avatar.png`)).toBe(`data:image/png;base64,${Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64')}`);
  });

  it('drops big images, non-images, failures and non-https remote URLs', async () => {
    expect(await fetchAvatarDataUrl(`${base}/big.png`)).toBeUndefined();
    expect(await fetchAvatarDataUrl(`${base}/page.html`)).toBeUndefined();
    expect(await fetchAvatarDataUrl(`${base}/missing.png`)).toBeUndefined();
    expect(await fetchAvatarDataUrl('http://avatars.example.com/u/1')).toBeUndefined();
  });
});

describe('forge URLs', () => {
  it('maps hosts to API base URLs (github.com, GHES, loopback http, GitLab groups)', () => {
    const gh = forgeTargetFor('github', 'https://github.com/acme/fleet-config.git');
    expect(gh.ok && gh.value).toMatchObject({ apiBaseUrl: 'https://api.github.com', owner: 'acme', repo: 'fleet-config' });
    const ghes = forgeTargetFor('github', 'https://git.acme.example/acme/fleet-config');
    expect(ghes.ok && ghes.value.apiBaseUrl).toBe('https://git.acme.example/api/v3');
    const loop = forgeTargetFor('github', 'http://127.0.0.1:8123/acme/fleet-config');
    expect(loop.ok && loop.value.apiBaseUrl).toBe('http://127.0.0.1:8123/api/v3');
    const gl = forgeTargetFor('gitlab', 'https://gitlab.com/acme/platform/fleet-config');
    expect(gl.ok && gl.value).toMatchObject({ apiBaseUrl: 'https://gitlab.com/api/v4', owner: 'acme/platform', repo: 'fleet-config' });
  });

  it('refuses plain http off loopback, localhost, credentials in URLs and unsupported providers', () => {
    for (const url of ['http://git.acme.example/acme/x', 'http://localhost:8080/acme/x', 'https://user:pw@github.com/acme/x', 'https://github.com/acme', 'not a url']) {
      const r = forgeTargetFor('github', url);
      expect(r.ok, url).toBe(false);
    }
    const bb = forgeTargetFor('bitbucket-server', 'https://bitbucket.acme.example/scm/acme/x');
    expect(!bb.ok && bb.error.code).toBe('unsupported-provider');
  });
});

describe('GitLab last use', () => {
  it("keeps only a figure the board's own uses cannot explain, and a newer genuine use replaces an older one", () => {
    const t0 = Date.parse('2026-11-25T12:00:00Z');
    const mem: LastUseMemory = { ownUses: [] };
    judgeLastUse(mem, '2026-11-14T09:00:00.000Z', SOURCES.beforeCheck);
    recordOwnUse(mem, t0);
    judgeLastUse(mem, new Date(t0 + 500).toISOString(), SOURCES.session); // GitLab counted the check
    expect(mem.truthful).toEqual({ at: '2026-11-14T09:00:00.000Z', source: SOURCES.beforeCheck });
    judgeLastUse(mem, new Date(t0 + 15 * 60_000).toISOString(), SOURCES.session); // Flux, later
    expect(mem.truthful?.at).toBe(new Date(t0 + 15 * 60_000).toISOString());
    judgeLastUse(mem, null, SOURCES.session); // "never" after the board used it cannot be true
    expect(mem.truthful?.at).not.toBeNull();
    for (let i = 0; i < 30; i += 1) recordOwnUse(mem, t0 + i);
    expect(mem.ownUses).toHaveLength(20);
  });
});
