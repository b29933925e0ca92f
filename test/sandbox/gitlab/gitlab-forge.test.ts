// Conformance of the GitLab sandbox with plain fetch: authentication and GitLab's error
// bodies, tokens, projects by encoded sub-group path, tree pagination, files, archive,
// multi-action commits, branches, merge requests (409, approvals, pipelines, merge) and
// OAuth with PKCE (public clients, loopback redirect rule, refresh rotation, revoke).
import { createHash, randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../flux/simulator.js';
import type { CommitEvent } from '../forge/state.js';
import { GL_CLIENT_ID, GL_CONFIDENTIAL_CLIENT_ID, GL_BOT, GL_GROUP_BOT, GL_OTHER_PROJECT, GL_PROJECT, GL_PROJECT_ID, GL_TOKENS, gitlabFixtureSeed } from './fixture.js';
import { startGitLabForge, type GitLabForge } from './index.js';

let forge: GitLabForge;
const P = encodeURIComponent(GL_PROJECT);
/** The forge's clock: tests move it instead of waiting. */
const clock = manualClock(new Date());

beforeAll(async () => {
  forge = await startGitLabForge({ seed: gitlabFixtureSeed(clock.now()), now: clock.now });
});
afterAll(async () => {
  await forge.close();
});

interface CallOptions {
  token?: string;
  bearer?: string;
  method?: string;
  body?: unknown;
  form?: Record<string, string>;
}

async function call(path: string, o: CallOptions = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = {};
  if (o.token) headers['PRIVATE-TOKEN'] = o.token;
  if (o.bearer) headers.authorization = `Bearer ${o.bearer}`;
  let body: string | undefined;
  if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  } else if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  }
  const url = path.startsWith('http') ? path : path.startsWith('/oauth') ? `${forge.url}${path}` : `${forge.apiUrl}${path}`;
  const res = await fetch(url, { method: o.method ?? 'GET', headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

describe('reading access tokens with another token (no use of the token read)', () => {
  const tokenId = (value: string) => forge.state.raw.tokens.get(value)?.id as number;

  it('project access tokens: Maintainers list and read them by id; others get 404; the listed token is not used', async () => {
    const alice = forge.signIn('rm-alice');
    const before = forge.state.raw.tokens.get(GL_TOKENS.deployBot)?.lastUsedAt;
    const list = await call(`/projects/${P}/access_tokens`, { bearer: alice });
    expect(list.status).toBe(200);
    expect(list.json.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['fleet-config promotion', 'deploy']));
    const one = await call(`/projects/${P}/access_tokens/${tokenId(GL_TOKENS.deployBot)}`, { bearer: alice });
    expect(one.json).toMatchObject({ id: tokenId(GL_TOKENS.deployBot), name: 'deploy', access_level: 40, active: true, revoked: false, last_used_at: before });
    expect(forge.state.raw.tokens.get(GL_TOKENS.deployBot)?.lastUsedAt).toBe(before);
    expect((await call(`/projects/${P}/access_tokens`, { bearer: forge.signIn('mallory') })).status).toBe(404);
    expect((await call(`/projects/${P}/access_tokens/${tokenId(GL_TOKENS.alice)}`, { bearer: alice })).status).toBe(404);
  });

  it('group access tokens: the group Owner only', async () => {
    const ok = await call(`/groups/platform-team/access_tokens/${tokenId(GL_TOKENS.groupBot)}`, { bearer: forge.signIn('rm-alice') });
    expect(ok.json).toMatchObject({ name: 'platform-team automation', access_level: 30 });
    expect((await call('/groups/platform-team/access_tokens', { bearer: forge.signIn('ci-carol') })).status).toBe(403);
    expect((await call('/groups/platform-team/access_tokens', { bearer: forge.signIn('mallory') })).status).toBe(404);
  });

  it("personal access tokens: your own, or anyone's for an administrator", async () => {
    const carol = forge.signIn('ci-carol');
    const own = await call('/personal_access_tokens?per_page=100', { bearer: carol });
    expect(own.json.length).toBeGreaterThan(0);
    expect(own.json.every((t: { user_id: number }) => t.user_id === 13)).toBe(true);
    expect((await call(`/personal_access_tokens/${tokenId(GL_TOKENS.alice)}`, { bearer: carol })).status).toBe(404);
    const admin = forge.signIn('root-admin');
    expect((await call(`/personal_access_tokens/${tokenId(GL_TOKENS.alice)}`, { bearer: admin })).json).toMatchObject({ user_id: 11, name: 'release-board' });
    expect((await call('/user', { bearer: admin })).json.is_admin).toBe(true);
    expect((await call('/users/15', { bearer: carol })).json).toMatchObject({ username: GL_BOT, bot: true });
  });
});

describe('authentication and tokens', () => {
  it('accepts PRIVATE-TOKEN and Bearer for access tokens', async () => {
    const a = await call('/user', { token: GL_TOKENS.alice });
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ username: 'rm-alice', name: 'Alice Release', bot: false, state: 'active' });
    const b = await call('/user', { bearer: GL_TOKENS.alice });
    expect(b.json.username).toBe('rm-alice');
  });

  it('answers unknown, revoked and expired tokens the way GitLab does', async () => {
    const none = await call('/user');
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ message: '401 Unauthorized' });
    const unknown = await call('/user', { token: 'glpat-doesnotexist000000' });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ message: '401 Unauthorized' });
    const revoked = await call('/user', { token: GL_TOKENS.revoked });
    expect(revoked.status).toBe(401);
    expect(revoked.json).toEqual({ error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' });
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');
    const expired = await call('/personal_access_tokens/self', { token: GL_TOKENS.expired });
    expect(expired.status).toBe(401);
    expect(expired.json.error_description).toMatch(/^Token is expired/);
  });

  it('describes the token itself and bumps last_used_at like GitLab (10 minute throttle)', async () => {
    const before = forge.state.raw.tokens.get(GL_TOKENS.expiringSoon)?.lastUsedAt;
    const self = await call('/personal_access_tokens/self', { token: GL_TOKENS.expiringSoon });
    expect(self.status).toBe(200);
    expect(Object.keys(self.json).sort()).toEqual(['active', 'created_at', 'description', 'expires_at', 'id', 'last_used_at', 'name', 'revoked', 'scopes', 'user_id'].sort());
    expect(self.json).toMatchObject({ name: 'flux promotions', scopes: ['api', 'write_repository'], active: true, revoked: false, user_id: 13 });
    expect(self.json.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // used 2 h ago: this very call moves it
    expect(Date.parse(self.json.last_used_at)).toBeGreaterThan(Date.parse(before as string));
    expect(self.json.last_used_at).toBe(clock.now().toISOString());
    const again = await call('/personal_access_tokens/self', { token: GL_TOKENS.expiringSoon });
    expect(again.json.last_used_at).toBe(self.json.last_used_at);
    await clock.advance(10 * 60_000);
    expect((await call('/personal_access_tokens/self', { token: GL_TOKENS.expiringSoon })).json.last_used_at).toBe(clock.now().toISOString());
  });

  it('project access tokens belong to a bot user and only reach their project', async () => {
    const u = await call('/user', { token: GL_TOKENS.projectBot });
    expect(u.json.username).toBe(GL_BOT);
    expect(u.json.username).toMatch(new RegExp(`^project_${GL_PROJECT_ID}_bot_[0-9a-f]{32}$`));
    expect(u.json.bot).toBe(true);
    const self = await call('/personal_access_tokens/self', { token: GL_TOKENS.projectBot });
    expect(self.json).toMatchObject({ name: 'fleet-config promotion', last_used_at: expect.any(String) });
    expect((await call(`/projects/${P}`, { token: GL_TOKENS.projectBot })).status).toBe(200);
    const other = await call(`/projects/${encodeURIComponent(GL_OTHER_PROJECT)}`, { token: GL_TOKENS.projectBot });
    expect(other.status).toBe(404);
    expect(other.json).toEqual({ message: '404 Project Not Found' });
  });

  it('group access tokens belong to a group bot and reach the projects below the group', async () => {
    const u = await call('/user', { token: GL_TOKENS.groupBot });
    expect(u.json).toMatchObject({ username: GL_GROUP_BOT, bot: true });
    expect(u.json.username).toMatch(/^group_77_bot_[0-9a-f]{32}$/);
    expect((await call(`/projects/${P}`, { token: GL_TOKENS.groupBot })).json.permissions.group_access).toEqual({ access_level: 30, notification_level: 3 });
    expect((await call(`/projects/${encodeURIComponent(GL_OTHER_PROJECT)}`, { token: GL_TOKENS.groupBot })).status).toBe(404);
    // read_api cannot write
    const write = await call(`/projects/${P}/repository/branches`, { token: GL_TOKENS.groupBot, method: 'POST', body: { branch: 'g', ref: 'main' } });
    expect(write.status).toBe(403);
    expect(write.json.error).toBe('insufficient_scope');
  });
});

describe('projects and repository', () => {
  it('finds a project by URL-encoded sub-group path and by id', async () => {
    const byPath = await call(`/projects/${P}`, { token: GL_TOKENS.alice });
    expect(byPath.status).toBe(200);
    expect(byPath.json).toMatchObject({
      id: GL_PROJECT_ID,
      path_with_namespace: GL_PROJECT,
      default_branch: 'main',
      namespace: { full_path: 'platform-team/infra', kind: 'group' },
      web_url: `${forge.url}/${GL_PROJECT}`,
    });
    const byId = await call(`/projects/${GL_PROJECT_ID}`, { token: GL_TOKENS.alice });
    expect(byId.json.path_with_namespace).toBe(GL_PROJECT);
    // an unencoded path is not a project id
    expect((await call(`/projects/${GL_PROJECT}`, { token: GL_TOKENS.alice })).status).toBe(404);
    expect((await call(`/projects/${P}`, { token: GL_TOKENS.outsider })).json).toEqual({ message: '404 Project Not Found' });
    // anonymous: hidden like from an outsider (GitLab does not reveal that a private project exists)
    expect((await call(`/projects/${P}`)).json).toEqual({ message: '404 Project Not Found' });
  });

  it('paginates a recursive tree with x-* headers and Link', async () => {
    const paths: string[] = [];
    let page: string | null = '1';
    let pages = 0;
    while (page) {
      const r = await call(`/projects/${P}/repository/tree?recursive=true&ref=main&per_page=20&page=${page}`, { token: GL_TOKENS.alice });
      expect(r.status).toBe(200);
      pages++;
      expect(r.headers.get('x-per-page')).toBe('20');
      expect(r.headers.get('x-total')).toBe(String(r.headers.get('x-total')));
      for (const e of r.json as { path: string; type: string }[]) if (e.type === 'blob') paths.push(e.path);
      if (r.headers.get('x-next-page')) expect(r.headers.get('link')).toContain('rel="next"');
      page = r.headers.get('x-next-page') || null;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(paths).toContain('apps/checkout/prod.yaml');
    expect(paths.filter((p) => p.startsWith('padding/'))).toHaveLength(45);
    const missing = await call(`/projects/${P}/repository/tree?ref=nope`, { token: GL_TOKENS.alice });
    expect(missing.json).toEqual({ message: '404 Tree Not Found' });
  });

  it('serves raw files and file metadata', async () => {
    const raw = await call(`/projects/${P}/repository/files/${encodeURIComponent('apps/checkout/prod.yaml')}/raw?ref=main`, { token: GL_TOKENS.alice });
    expect(raw.status).toBe(200);
    expect(raw.text).toContain('version: "1.8.0"');
    expect(raw.headers.get('x-gitlab-blob-id')).toBe(
      createHash('sha1')
        .update(`blob ${Buffer.byteLength(raw.text)}\0${raw.text}`)
        .digest('hex'),
    );
    const meta = await call(`/projects/${P}/repository/files/${encodeURIComponent('apps/checkout/prod.yaml')}?ref=main`, { token: GL_TOKENS.alice });
    expect(Buffer.from(meta.json.content, 'base64').toString('utf8')).toBe(raw.text);
    expect((await call(`/projects/${P}/repository/files/${encodeURIComponent('apps/checkout/prod.yaml')}`, { token: GL_TOKENS.alice })).json).toEqual({ error: 'ref is missing' });
    expect((await call(`/projects/${P}/repository/files/nope.yaml/raw?ref=main`, { token: GL_TOKENS.alice })).json).toEqual({ message: '404 File Not Found' });
  });

  it('serves a tar.gz archive rooted at <project>-<ref>-<sha>/', async () => {
    const res = await fetch(`${forge.apiUrl}/projects/${P}/repository/archive.tar.gz?sha=main`, { headers: { 'PRIVATE-TOKEN': GL_TOKENS.alice } });
    expect(res.status).toBe(200);
    const tar = gunzipSync(Buffer.from(await res.arrayBuffer()));
    const sha = forge.state.listBranches(GL_PROJECT).find((b) => b.name === 'main')?.sha as string;
    expect(tar.toString('latin1')).toContain(`fleet-config-main-${sha}/apps/checkout/prod.yaml`);
    expect(tar.toString('latin1')).toContain('version: "1.8.0"');
  });
});

describe('commits and branches', () => {
  it('creates a branch with one multi-action commit and refuses to clobber it without force', async () => {
    const events: CommitEvent[] = [];
    const off = forge.onCommit((e) => events.push(e));
    const body = {
      branch: 'feature-a',
      start_branch: 'main',
      commit_message: 'Two files',
      actions: [
        { action: 'update', file_path: 'apps/checkout/prod.yaml', content: 'spec: {}\n' },
        { action: 'create', file_path: 'new/file.txt', content: Buffer.from('hello\n').toString('base64'), encoding: 'base64' },
      ],
    };
    const r = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ title: 'Two files', author_name: 'Alice Release', author_email: 'rm-alice@example.com' });
    expect(forge.state.getFile(GL_PROJECT, 'feature-a', 'new/file.txt')).toBe('hello\n');
    expect(events.at(-1)).toMatchObject({ repo: GL_PROJECT, branch: 'feature-a', after: r.json.id });
    const clash = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body });
    expect(clash.status).toBe(400);
    expect(clash.json.message).toBe("A branch called 'feature-a' already exists. Switch to that branch in order to make changes");
    const sameStartSha = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body: { ...body, start_branch: undefined, start_sha: r.json.id } });
    expect(sameStartSha.json.message).toMatch(/^A branch called 'feature-a' already exists/); // a start_sha always means a new branch
    expect((await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body: { ...body, branch: 'b2', start_branch: undefined, start_sha: 'nope' } })).json).toEqual({
      message: "Invalid start_sha 'nope'",
    });
    expect((await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body: { ...body, branch: 'b2', start_branch: 'ghost' } })).json).toEqual({
      message: 'You can only create or edit files when you are on a branch',
    });
    const forced = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body: { ...body, force: true, actions: [body.actions[0]] } });
    expect(forced.status).toBe(201);
    expect(forced.json.parent_ids).toEqual([forge.state.listBranches(GL_PROJECT).find((b) => b.name === 'main')?.sha]);
    expect(forge.state.getFile(GL_PROJECT, 'feature-a', 'new/file.txt')).toBeNull();
    off();
  });

  it('reports GitLab errors for bad actions, missing params, scopes and roles', async () => {
    const upd = await call(`/projects/${P}/repository/commits`, {
      token: GL_TOKENS.alice,
      method: 'POST',
      body: { branch: 'main', commit_message: 'x', actions: [{ action: 'update', file_path: 'missing.txt', content: '' }] },
    });
    expect(upd.json).toEqual({ message: "A file with this name doesn't exist" });
    const noParams = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.alice, method: 'POST', body: {} });
    expect(noParams.status).toBe(400);
    expect(noParams.json).toEqual({ error: 'branch is missing, commit_message is missing, actions is missing' });
    const scope = await call(`/projects/${P}/repository/commits`, { token: GL_TOKENS.aliceReadOnly, method: 'POST', body: { branch: 'main', commit_message: 'x', actions: [] } });
    expect(scope.status).toBe(403);
    expect(scope.json.error).toBe('insufficient_scope');
    const reporter = await call(`/projects/${P}/repository/branches`, { token: GL_TOKENS.reporterBot, method: 'POST', body: { branch: 'x', ref: 'main' } });
    expect(reporter.status).toBe(403);
    expect(reporter.json).toEqual({ message: '403 Forbidden' });
  });

  it('creates, reads and deletes branches', async () => {
    const c = await call(`/projects/${P}/repository/branches`, { token: GL_TOKENS.alice, method: 'POST', form: { branch: 'tmp/x', ref: 'main' } });
    expect(c.status).toBe(201);
    expect((await call(`/projects/${P}/repository/branches`, { token: GL_TOKENS.alice, method: 'POST', form: { branch: 'tmp/x', ref: 'main' } })).json).toEqual({ message: 'Branch already exists' });
    const g = await call(`/projects/${P}/repository/branches/${encodeURIComponent('tmp/x')}`, { token: GL_TOKENS.alice });
    expect(g.json).toMatchObject({ name: 'tmp/x', default: false, commit: { id: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    expect((await call(`/projects/${P}/repository/branches/${encodeURIComponent('tmp/x')}`, { token: GL_TOKENS.alice, method: 'DELETE' })).status).toBe(204);
    expect((await call(`/projects/${P}/repository/branches/${encodeURIComponent('tmp/x')}`, { token: GL_TOKENS.alice })).json).toEqual({ message: '404 Branch Not Found' });
  });
});

describe('merge requests', () => {
  it('opens one MR per source branch (409 for a second), filters, updates, gates and merges', async () => {
    forge.state.commitFiles(GL_PROJECT, 'promo', { 'apps/checkout/staging.yaml': 'version: 2\n' }, 'promote', 'dev-bob');
    const create = { source_branch: 'promo', target_branch: 'main', title: 'Promote', description: 'first' };
    const first = await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice, method: 'POST', body: create });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      iid: 1,
      state: 'opened',
      source_branch: 'promo',
      author: { username: 'rm-alice' },
      references: { full: `${GL_PROJECT}!1` },
      web_url: `${forge.url}/${GL_PROJECT}/-/merge_requests/1`,
      head_pipeline: null,
      detailed_merge_status: 'preparing',
    });
    // GitLab prepares the diff, then checks mergeability, before it says anything else
    await clock.advance(1500);
    expect((await call(`/projects/${P}/merge_requests/1`, { token: GL_TOKENS.alice })).json.detailed_merge_status).toBe('checking');
    await clock.advance(1000);
    const dup = await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice, method: 'POST', body: create });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ message: ['Another open merge request already exists for this source branch: !1'] });

    const list = await call(`/projects/${P}/merge_requests?state=opened&source_branch=promo`, { token: GL_TOKENS.alice });
    expect(list.json.map((m: { iid: number }) => m.iid)).toEqual([1]);
    expect(list.headers.get('x-total')).toBe('1');
    expect((await call(`/projects/${P}/merge_requests?state=merged`, { token: GL_TOKENS.alice })).json).toEqual([]);

    expect((await call(`/projects/${P}/merge_requests/1`, { token: GL_TOKENS.alice })).json.detailed_merge_status).toBe('not_approved');
    const upd = await call(`/projects/${P}/merge_requests/1`, { token: GL_TOKENS.alice, method: 'PUT', body: { title: 'Promote v2', description: 'second' } });
    expect(upd.json).toMatchObject({ title: 'Promote v2', description: 'second' });

    forge.state.setPipeline(GL_PROJECT, 'promo', 'running');
    const withPipeline = await call(`/projects/${P}/merge_requests/1`, { token: GL_TOKENS.alice });
    expect(withPipeline.json.head_pipeline).toMatchObject({ status: 'running', sha: withPipeline.json.sha, detailed_status: { group: 'running' } });
    const approvals = await call(`/projects/${P}/merge_requests/1/approvals`, { token: GL_TOKENS.alice });
    expect(approvals.json).toMatchObject({ approved: false, approvals_required: 1, approvals_left: 1, approved_by: [] });
    expect(withPipeline.json.detailed_merge_status).toBe('not_approved');

    const blocked = await call(`/projects/${P}/merge_requests/1/merge`, { token: GL_TOKENS.alice, method: 'PUT' });
    expect(blocked.status).toBe(405);
    expect(blocked.json).toEqual({ message: '405 Method Not Allowed' });
    // the author cannot approve their own MR; another member can
    expect((await call(`/projects/${P}/merge_requests/1/approve`, { token: GL_TOKENS.alice, method: 'POST' })).status).toBe(401);
    forge.state.approve(GL_PROJECT, 1, 'dev-bob');
    expect((await call(`/projects/${P}/merge_requests/1/approvals`, { token: GL_TOKENS.alice })).json).toMatchObject({
      approved: true,
      approvals_left: 0,
      approved_by: [{ user: { username: 'dev-bob' } }],
    });

    const wrongSha = await call(`/projects/${P}/merge_requests/1/merge`, { token: GL_TOKENS.alice, method: 'PUT', body: { sha: '0'.repeat(40) } });
    expect(wrongSha.status).toBe(409);
    expect(wrongSha.json.message).toMatch(/^SHA does not match HEAD of source branch: [0-9a-f]{40}$/);

    const events: CommitEvent[] = [];
    const off = forge.onCommit((e) => events.push(e));
    const merged = await call(`/projects/${P}/merge_requests/1/merge`, { token: GL_TOKENS.alice, method: 'PUT', body: { should_remove_source_branch: true } });
    off();
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ state: 'merged', merged_by: { username: 'rm-alice' }, merge_commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(events[0]).toMatchObject({ repo: GL_PROJECT, branch: 'main', after: merged.json.merge_commit_sha });
    expect(events[0]?.changedFiles).toEqual([{ path: 'apps/checkout/staging.yaml', before: expect.any(String), after: 'version: 2\n' }]);
    expect(events[1]).toMatchObject({ branch: 'promo', after: '0'.repeat(40) });
    expect(forge.state.getFile(GL_PROJECT, 'main', 'apps/checkout/staging.yaml')).toBe('version: 2\n');
    const again = await call(`/projects/${P}/merge_requests/1/merge`, { token: GL_TOKENS.alice, method: 'PUT' });
    expect(again.status).toBe(405);
  });

  it('reports a missing source branch as a conflict of the create call', async () => {
    const r = await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice, method: 'POST', body: { source_branch: 'ghost', target_branch: 'main', title: 'x' } });
    expect(r.status).toBe(409);
    expect(r.json.message).toEqual(['Source branch "ghost" does not exist']);
    const missing = await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice, method: 'POST', body: {} });
    expect(missing.json).toEqual({ error: 'source_branch is missing, target_branch is missing, title is missing' });
  });
});

interface MergeRequestJson {
  iid: number;
  detailed_merge_status: string;
  head_pipeline: { status: string } | null;
}

async function readMr(gl: GitLabForge, project: string, iid: number, token: string): Promise<MergeRequestJson> {
  return (await fetch(`${gl.apiUrl}/projects/${encodeURIComponent(project)}/merge_requests/${iid}`, { headers: { 'PRIVATE-TOKEN': token } })).json() as Promise<MergeRequestJson>;
}

describe('a new merge request as GitLab reports it over time', () => {
  it('preparing → checking → waiting for its pipeline, which appears a moment after the push; "pipelines must succeed" holds it', async () => {
    const glClock = manualClock(new Date());
    const gl = await startGitLabForge({ seed: gitlabFixtureSeed(glClock.now()), now: glClock.now, pipelineOnPush: 'running', timings: { pipelineDelayMs: 4000 } });
    try {
      gl.state.setProjectOptions(GL_PROJECT, { onlyAllowMergeIfPipelineSucceeds: true });
      const get = () => readMr(gl, GL_PROJECT, 1, GL_TOKENS.alice);
      gl.state.commitFiles(GL_PROJECT, 'promotion-a', { 'x.txt': 'x\n' }, 'promote', 'rm-alice');
      const created = await fetch(`${gl.apiUrl}/projects/${P}/merge_requests`, {
        method: 'POST',
        headers: { 'PRIVATE-TOKEN': GL_TOKENS.alice, 'content-type': 'application/json' },
        body: JSON.stringify({ source_branch: 'promotion-a', target_branch: 'main', title: 'Promote a' }),
      });
      expect(created.status).toBe(201);
      const seen: [string, string | null][] = [];
      for (const step of [0, 1500, 1000, 1500]) {
        await glClock.advance(step);
        const mr = await get();
        seen.push([mr.detailed_merge_status, mr.head_pipeline?.status ?? null]);
      }
      expect(seen).toEqual([
        ['preparing', null],
        ['checking', null],
        ['ci_must_pass', null], // no pipeline yet, and pipelines must succeed
        ['ci_still_running', 'running'],
      ]);
      gl.state.setPipeline(GL_PROJECT, 'promotion-a', 'success');
      expect((await get()).detailed_merge_status).toBe('not_approved');
      gl.state.setPipeline(GL_PROJECT, 'promotion-a', 'failed');
      expect((await get()).detailed_merge_status).toBe('ci_must_pass');
      // a new push makes GitLab check again
      gl.state.commitFiles(GL_PROJECT, 'promotion-a', { 'y.txt': 'y\n' }, 'again', 'rm-alice');
      expect((await get()).detailed_merge_status).toBe('checking');
    } finally {
      await gl.close();
    }
  });
});

describe('approval rules', () => {
  const openMr = async (gl: GitLabForge, project: string, token: string, branch: string) => {
    gl.state.commitFiles(project, branch, { 'z.txt': `${branch}\n` }, 'change', 'rm-alice');
    const r = await fetch(`${gl.apiUrl}/projects/${encodeURIComponent(project)}/merge_requests`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': token, 'content-type': 'application/json' },
      body: JSON.stringify({ source_branch: branch, target_branch: 'main', title: branch }),
    });
    return ((await r.json()) as { iid: number }).iid;
  };

  it('Premium: several rules, each needing its own eligible approvers; approvals_left sums them', async () => {
    const glClock = manualClock(new Date());
    const gl = await startGitLabForge({ seed: gitlabFixtureSeed(glClock.now()), now: glClock.now });
    try {
      gl.state.setProjectOptions(GL_PROJECT, {
        approvalRules: [
          { name: 'Platform', approvalsRequired: 1, eligible: ['dev-bob'] },
          { name: 'Security', approvalsRequired: 1, eligible: ['ci-carol'] },
        ],
      });
      const iid = await openMr(gl, GL_PROJECT, GL_TOKENS.alice, 'rules');
      await glClock.advance(5000);
      const approvals = async () => (await fetch(`${gl.apiUrl}/projects/${P}/merge_requests/${iid}/approvals`, { headers: { 'PRIVATE-TOKEN': GL_TOKENS.alice } })).json();
      expect(await approvals()).toMatchObject({ approvals_required: 2, approvals_left: 2, multiple_approval_rules_available: true, approval_rules_left: [{ name: 'Platform' }, { name: 'Security' }] });
      gl.state.approve(GL_PROJECT, iid, 'dev-bob');
      expect(await approvals()).toMatchObject({ approvals_left: 1, approval_rules_left: [{ name: 'Security' }] });
      gl.state.approve(GL_PROJECT, iid, 'ci-carol');
      const mr = await readMr(gl, GL_PROJECT, iid, GL_TOKENS.alice);
      expect(mr.detailed_merge_status).toBe('mergeable');
    } finally {
      await gl.close();
    }
  });

  it('Free: no approval rules, nothing required', async () => {
    const glClock = manualClock(new Date());
    const gl = await startGitLabForge({ seed: gitlabFixtureSeed(glClock.now()), now: glClock.now });
    try {
      const other = encodeURIComponent(GL_OTHER_PROJECT);
      const iid = await openMr(gl, GL_OTHER_PROJECT, GL_TOKENS.outsider, 'free');
      await glClock.advance(5000);
      const approvals = await (await fetch(`${gl.apiUrl}/projects/${other}/merge_requests/${iid}/approvals`, { headers: { 'PRIVATE-TOKEN': GL_TOKENS.outsider } })).json();
      expect(approvals).toMatchObject({ approvals_required: 0, approvals_left: 0, has_approval_rules: false, multiple_approval_rules_available: false, approval_rules_left: [] });
      const mr = await readMr(gl, GL_OTHER_PROJECT, iid, GL_TOKENS.outsider);
      expect(mr.detailed_merge_status).toBe('mergeable');
    } finally {
      await gl.close();
    }
  });
});

describe('OAuth with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  async function authorize(redirectUri: string, extra: Record<string, string> = {}, approve = true, clientId = GL_CLIENT_ID): Promise<URL> {
    const q = new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: 'code',
      state: 'st-1',
      scope: 'api read_user',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    const page = await call(`/oauth/authorize?${q.toString()}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Authorize');
    const id = /name="request_id" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const form: Record<string, string> = approve ? { request_id: id } : { request_id: id, _method: 'delete' };
    const r = await call('/oauth/authorize', { method: 'POST', form });
    expect(r.status).toBe(302);
    return new URL(r.headers.get('location') as string);
  }

  it('issues 2-hour tokens with a refresh token to a public client without a secret, on any loopback port', async () => {
    const redirectUri = 'http://127.0.0.1:53123/callback';
    const back = await authorize(redirectUri);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') as string;
    const tok = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier } });
    expect(tok.status).toBe(200);
    expect(tok.json).toMatchObject({ token_type: 'Bearer', expires_in: 7200, scope: 'api read_user', refresh_token: expect.any(String), created_at: expect.any(Number) });
    const me = await call('/user', { bearer: tok.json.access_token });
    expect(me.json.username).toBe('rm-alice');
    // OAuth tokens are not accepted in PRIVATE-TOKEN
    expect((await call('/user', { token: tok.json.access_token })).json).toEqual({ message: '401 Unauthorized' });
    // single use
    const reuse = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier } });
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');

    // refresh rotates: new pair, old access and old refresh token dead
    const refreshed = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, grant_type: 'refresh_token', refresh_token: tok.json.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).not.toBe(tok.json.access_token);
    const old = await call('/user', { bearer: tok.json.access_token });
    expect(old.status).toBe(401);
    expect(old.json.error).toBe('invalid_token');
    expect((await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, grant_type: 'refresh_token', refresh_token: tok.json.refresh_token } })).json.error).toBe('invalid_grant');
    expect((await call('/user', { bearer: refreshed.json.access_token })).status).toBe(200);

    forge.faults.expireToken(refreshed.json.access_token);
    const expired = await call('/user', { bearer: refreshed.json.access_token });
    expect(expired.json).toEqual({ error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' });
  });

  it('refuses a wrong or missing verifier and burns the code', async () => {
    const redirectUri = 'http://127.0.0.1:40001/callback';
    const code = (await authorize(redirectUri)).searchParams.get('code') as string;
    const wrong = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: 'x'.repeat(43) } });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual({ error: 'invalid_grant', error_description: expect.stringContaining('authorization grant is invalid') });
    const right = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier } });
    expect(right.json.error).toBe('invalid_grant');
    const code2 = (await authorize(redirectUri)).searchParams.get('code') as string;
    const missing = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code: code2, grant_type: 'authorization_code', redirect_uri: redirectUri } });
    expect(missing.json).toMatchObject({ error: 'invalid_request' });
    const code3 = (await authorize(redirectUri)).searchParams.get('code') as string;
    const otherRedirect = await call('/oauth/token', {
      method: 'POST',
      form: { client_id: GL_CLIENT_ID, code: code3, grant_type: 'authorization_code', redirect_uri: 'http://127.0.0.1:40002/callback', code_verifier: verifier },
    });
    expect(otherRedirect.json.error).toBe('invalid_grant');
  });

  it('follows the loopback redirect rule: any port on an IP literal, exact path, no localhost', async () => {
    for (const bad of ['http://localhost:5000/callback', 'http://127.0.0.1:5000/callback/sub', 'http://evil.example/callback', 'https://127.0.0.1:5000/callback']) {
      const q = new URLSearchParams({ client_id: GL_CLIENT_ID, redirect_uri: bad, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' });
      const page = await call(`/oauth/authorize?${q.toString()}`);
      expect(page.status, bad).toBe(400);
      expect(page.text).toContain('doesn&#39;t match client redirect URI');
    }
  });

  it('sends access_denied back when the user denies, and needs the secret of a confidential client', async () => {
    const back = await authorize('http://127.0.0.1:40003/callback', {}, false);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-1');
    const redirectUri = 'http://127.0.0.1:40004/callback';
    const code = (await authorize(redirectUri, { scope: 'api' }, true, GL_CONFIDENTIAL_CLIENT_ID)).searchParams.get('code') as string;
    const noSecret = await call('/oauth/token', {
      method: 'POST',
      form: { client_id: GL_CONFIDENTIAL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier },
    });
    expect(noSecret.status).toBe(401);
    expect(noSecret.json.error).toBe('invalid_client');
  });

  /** The public app authorized and its code exchanged: a fresh grant. */
  async function grant(redirectUri: string): Promise<{ json: { access_token: string; refresh_token: string } }> {
    const code = (await authorize(redirectUri)).searchParams.get('code') as string;
    return call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier } });
  }

  it('revokes tokens', async () => {
    const tok = await grant('http://127.0.0.1:40005/callback');
    const info = await call('/oauth/token/info', { bearer: tok.json.access_token });
    expect(info.json).toMatchObject({ application: { uid: GL_CLIENT_ID }, scope: ['api', 'read_user'] });
    const rev = await call('/oauth/revoke', { method: 'POST', form: { client_id: GL_CLIENT_ID, token: tok.json.access_token } });
    expect(rev.status).toBe(200);
    const after = await call('/user', { bearer: tok.json.access_token });
    expect(after.json.error_description).toMatch(/revoked/);
    // the grant is one record: its refresh token died with the access token
    const refresh = await call('/oauth/token', { method: 'POST', form: { client_id: GL_CLIENT_ID, grant_type: 'refresh_token', refresh_token: tok.json.refresh_token } });
    expect(refresh.status).toBe(400);
    expect(refresh.json.error).toBe('invalid_grant');
  });

  it('accepts PKCE parameters repeated on a refresh', async () => {
    const redirectUri = 'http://127.0.0.1:40006/callback';
    const tok = await grant(redirectUri);
    const refreshed = await call('/oauth/token', {
      method: 'POST',
      form: { client_id: GL_CLIENT_ID, grant_type: 'refresh_token', refresh_token: tok.json.refresh_token, code_verifier: verifier, redirect_uri: redirectUri },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
  });

  it('requires a code challenge where the application demands PKCE', async () => {
    const app = forge.state.raw.apps.get(GL_CLIENT_ID);
    if (!app) throw new Error('no public app');
    forge.state.raw.apps.set('pkce-only', { ...app, clientId: 'pkce-only', requirePkce: true });
    const q = new URLSearchParams({ client_id: 'pkce-only', redirect_uri: 'http://127.0.0.1:40007/callback', response_type: 'code', state: 's', scope: 'api' });
    const refused = await call(`/oauth/authorize?${q.toString()}`);
    expect(refused.status).toBe(302);
    const back = new URL(refused.headers.get('location') as string);
    expect([back.searchParams.get('error'), back.searchParams.get('error_description'), back.searchParams.get('state')]).toEqual(['invalid_request', 'Code challenge is required.', 's']);
    const withPkce = await authorize('http://127.0.0.1:40007/callback', { scope: 'api' }, true, 'pkce-only');
    expect(withPkce.searchParams.get('code')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips consent for a confidential application the user already authorized with those scopes, never for a public one', async () => {
    const redirectUri = 'http://127.0.0.1:40008/callback';
    const exchange = async (clientId: string, code: string, secret?: string) =>
      call('/oauth/token', {
        method: 'POST',
        form: { client_id: clientId, ...(secret ? { client_secret: secret } : {}), code, grant_type: 'authorization_code', redirect_uri: redirectUri, code_verifier: verifier },
      });
    const first = (await authorize(redirectUri, { scope: 'api' }, true, GL_CONFIDENTIAL_CLIENT_ID)).searchParams.get('code') as string;
    expect((await exchange(GL_CONFIDENTIAL_CLIENT_ID, first, 'gloas-confidential')).status).toBe(200);
    const q = (clientId: string, scope: string) =>
      new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: 'code', state: 'again', scope, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
    const again = await call(`/oauth/authorize?${q(GL_CONFIDENTIAL_CLIENT_ID, 'api')}`);
    expect(again.status).toBe(302);
    const back = new URL(again.headers.get('location') as string);
    expect(back.searchParams.get('state')).toBe('again');
    expect((await exchange(GL_CONFIDENTIAL_CLIENT_ID, back.searchParams.get('code') as string, 'gloas-confidential')).status).toBe(200);
    // the public desktop app asks every time, though the user authorized it before
    expect((await call(`/oauth/authorize?${q(GL_CLIENT_ID, 'api read_user')}`)).status).toBe(200);
  });
});

describe('faults and lifecycle', () => {
  it('fails the next matching requests, logs routes and keeps state across restart', async () => {
    forge.requestLog.reset();
    forge.faults.failNext(1, 502, { pathIncludes: '/merge_requests' });
    expect((await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice })).status).toBe(502);
    expect((await call(`/projects/${P}/merge_requests`, { token: GL_TOKENS.alice })).status).toBe(200);
    expect(forge.requestLog.count('GET /projects/:id/merge_requests')).toBe(1);
    expect(forge.requestLog.entries('GET /projects/:id/merge_requests')[0]).toMatchObject({ username: 'rm-alice', auth: 'private-token', status: 200 });
    const port = forge.port;
    await forge.stop();
    // a stopped forge refuses connections (and the client drops its pooled sockets)
    await expect(fetch(`${forge.apiUrl}/user`)).rejects.toThrow();
    await forge.restart();
    expect(forge.port).toBe(port);
    expect((await call(`/projects/${P}/merge_requests/1`, { token: GL_TOKENS.alice })).json.state).toBe('merged');
  });
});
