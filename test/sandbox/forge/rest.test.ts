// The forge's REST API driven by @octokit/rest exactly as the app drives GitHub.
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startForge, type CommitEvent, type Forge } from './index.js';
import type { SeedForge } from '../seeds/types.js';
import { TOKENS, forgeSeed, readTar, seededExpiry, waitFor } from './fixture.js';

let forge: Forge;
let seed: SeedForge;
const kit = (auth?: string): Octokit => new Octokit({ baseUrl: forge.apiUrl, auth, log: { debug() {}, info() {}, warn() {}, error() {} } });

async function failure(p: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown>; headers: Record<string, string | undefined> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; response?: { data: unknown; headers: Record<string, string | undefined> } };
    return { status: err.status, data: (err.response?.data ?? {}) as Record<string, unknown>, headers: err.response?.headers ?? {} };
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  forge = await startForge({ seed: forgeSeed() });
});

afterAll(async () => {
  await forge.close();
});

beforeEach(() => {
  seed = forgeSeed();
  forge.load(seed);
  forge.faults.clear();
});

describe('users, tokens and rate limits', () => {
  it('reports scopes and rate-limit headers for a classic token', async () => {
    const res = await kit(TOKENS.classic).rest.users.getAuthenticated();
    expect(res.data.login).toBe('alice');
    expect(res.data.type).toBe('User');
    expect(res.data.html_url).toBe(`${forge.url}/alice`);
    expect(res.headers['x-oauth-scopes']).toBe('repo, read:org');
    expect(res.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(res.headers['x-ratelimit-remaining'])).toBe(4999);
    expect(res.headers['x-ratelimit-used']).toBe('1');
    expect(res.headers['x-ratelimit-resource']).toBe('core');
    expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers['github-authentication-token-expiration']).toBeUndefined();
    const avatar = await fetch(res.data.avatar_url);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get('content-type')).toBe('image/svg+xml');
    expect(await avatar.text()).toContain('<svg');
  });

  it('sends the expiration header and no scopes for a fine-grained token', async () => {
    const res = await kit(TOKENS.fineGrained).request('GET /user');
    expect(res.data.login).toBe('bob');
    expect(res.headers['x-oauth-scopes']).toBeUndefined();
    const expiry = seededExpiry(seed, TOKENS.fineGrained); // "YYYY-MM-DDTHH:MM:SSZ"
    expect(res.headers['github-authentication-token-expiration']).toBe(`${expiry.slice(0, 10)} ${expiry.slice(11, 19)} UTC`);
  });

  it("expires tokens on its own clock, not the machine's", async () => {
    let at = Date.parse('2031-03-01T12:00:00Z');
    const pinned = await startForge({ seed: forgeSeed(new Date(at)), now: () => new Date(at) });
    try {
      const octo = new Octokit({ baseUrl: pinned.apiUrl, auth: TOKENS.fineGrained, log: { debug() {}, info() {}, warn() {}, error() {} } });
      expect((await octo.rest.users.getAuthenticated()).data.login).toBe('bob');
      at += 31 * 86_400_000; // the fixture gives this token 30 days
      expect((await failure(octo.rest.users.getAuthenticated())).status).toBe(401);
    } finally {
      await pinned.close();
    }
  });

  it('accepts Bearer as well as token authorization', async () => {
    const res = await fetch(`${forge.apiUrl}/user`, { headers: { authorization: `Bearer ${TOKENS.oauth}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-oauth-scopes')).toBe('repo');
  });

  it('refuses /user for installation tokens but serves /rate_limit without charging it', async () => {
    const octo = kit(TOKENS.installation);
    const err = await failure(octo.rest.users.getAuthenticated());
    expect(err.status).toBe(403);
    expect(err.data.message).toBe('Resource not accessible by integration');
    const a = await octo.rest.rateLimit.get();
    const b = await octo.rest.rateLimit.get();
    expect(a.data.resources.core.used).toBe(b.data.resources.core.used);
    expect(b.data.rate.remaining).toBe(b.data.rate.limit - b.data.rate.used);
    expect(b.data.resources.search?.limit).toBe(30);
  });

  it('answers 401 Bad credentials for revoked, expired and unknown tokens', async () => {
    for (const token of [TOKENS.revoked, 'ghp_doesnotexist']) {
      const err = await failure(kit(token).rest.users.getAuthenticated());
      expect(err.status).toBe(401);
      expect(err.data).toMatchObject({ message: 'Bad credentials', status: '401' });
      expect(String(err.data.documentation_url)).toMatch(/^https:\/\/docs\.github\.com\//);
    }
    await kit(TOKENS.expiring).rest.users.getAuthenticated();
    forge.faults.expireToken(TOKENS.expiring);
    expect((await failure(kit(TOKENS.expiring).rest.users.getAuthenticated())).status).toBe(401);
    forge.faults.revokeToken(TOKENS.classic);
    expect((await failure(kit(TOKENS.classic).rest.users.getAuthenticated())).status).toBe(401);
  });

  it('fails with the primary rate limit message when the quota is spent', async () => {
    forge.faults.setRateLimitRemaining(TOKENS.classic, 0);
    const err = await failure(kit(TOKENS.classic).rest.repos.get({ owner: 'acme', repo: 'fleet' }));
    expect(err.status).toBe(403);
    expect(err.headers['x-ratelimit-remaining']).toBe('0');
    expect(String(err.data.message)).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
  });
});

describe('git data', () => {
  it('creates blob, tree, commit and ref with git-compatible SHAs, then reads them back', async () => {
    const octo = kit(TOKENS.classic);
    const blob = await octo.rest.git.createBlob({ owner: 'acme', repo: 'fleet', content: 'hello\n', encoding: 'utf-8' });
    // `printf 'hello\n' | git hash-object --stdin`
    expect(blob.data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const b64 = await octo.rest.git.createBlob({ owner: 'acme', repo: 'fleet', content: Buffer.from('hello\n').toString('base64'), encoding: 'base64' });
    expect(b64.data.sha).toBe(blob.data.sha);
    const got = await octo.rest.git.getBlob({ owner: 'acme', repo: 'fleet', file_sha: blob.data.sha });
    expect(Buffer.from(got.data.content, 'base64').toString()).toBe('hello\n');

    const main = await octo.rest.git.getRef({ owner: 'acme', repo: 'fleet', ref: 'heads/main' });
    expect(main.data.ref).toBe('refs/heads/main');
    const baseCommit = await octo.rest.git.getCommit({ owner: 'acme', repo: 'fleet', commit_sha: main.data.object.sha });
    const tree = await octo.rest.git.createTree({
      owner: 'acme',
      repo: 'fleet',
      base_tree: baseCommit.data.tree.sha,
      tree: [
        { path: 'apps/podinfo/prod/release.yaml', mode: '100644', type: 'blob', content: 'version: 6.5.0 # {"$promotion": "podinfo"}\n' },
        { path: 'docs/hello.txt', mode: '100644', type: 'blob', sha: blob.data.sha },
        { path: 'README.md', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const full = await octo.rest.git.getTree({ owner: 'acme', repo: 'fleet', tree_sha: tree.data.sha, recursive: '1' });
    expect(full.data.truncated).toBe(false);
    const paths = full.data.tree.filter((e) => e.type === 'blob').map((e) => e.path);
    expect(paths.sort()).toEqual(['apps/podinfo/prod/release.yaml', 'apps/podinfo/staging/release.yaml', 'docs/hello.txt']);
    expect(full.data.tree.find((e) => e.path === 'apps')?.mode).toBe('040000');

    const commit = await octo.rest.git.createCommit({ owner: 'acme', repo: 'fleet', message: 'Promote podinfo to prod', tree: tree.data.sha, parents: [main.data.object.sha] });
    expect(commit.status).toBe(201);
    expect(commit.data.parents[0]?.sha).toBe(main.data.object.sha);
    expect(commit.data.author.name).toBe('Alice Release');
    expect(commit.data.sha).toMatch(/^[0-9a-f]{40}$/);

    const ref = await octo.rest.git.createRef({ owner: 'acme', repo: 'fleet', ref: 'refs/heads/promote/prod', sha: commit.data.sha });
    expect(ref.status).toBe(201);
    expect(forge.state.getFile('acme/fleet', 'promote/prod', 'docs/hello.txt')).toBe('hello\n');
    expect(forge.state.getFile('acme/fleet', 'promote/prod', 'README.md')).toBeNull();
    expect(forge.state.listBranches('acme/fleet').map((b) => b.name)).toContain('promote/prod');

    const dup = await failure(octo.rest.git.createRef({ owner: 'acme', repo: 'fleet', ref: 'refs/heads/promote/prod', sha: commit.data.sha }));
    expect(dup.status).toBe(422);
    expect(dup.data.message).toBe('Reference already exists');

    const matching = await octo.rest.git.listMatchingRefs({ owner: 'acme', repo: 'fleet', ref: 'heads/promote/' });
    expect(matching.data.map((r) => r.ref).sort()).toEqual(['refs/heads/promote/podinfo-staging', 'refs/heads/promote/prod']);
  });

  it('rejects non fast-forward ref updates unless forced, and deletes refs', async () => {
    const octo = kit(TOKENS.classic);
    const mainSha = forge.state.listBranches('acme/fleet').find((b) => b.name === 'main')?.sha as string;
    const side = forge.state.commitFiles('acme/fleet', 'side', { 'x.txt': 'x\n' }, 'side work', 'alice');
    forge.state.commitFiles('acme/fleet', 'main', { 'y.txt': 'y\n' }, 'main work', 'alice');
    const nonFf = await failure(octo.rest.git.updateRef({ owner: 'acme', repo: 'fleet', ref: 'heads/main', sha: side }));
    expect(nonFf.status).toBe(422);
    expect(nonFf.data.message).toBe('Update is not a fast forward');
    const forced = await octo.rest.git.updateRef({ owner: 'acme', repo: 'fleet', ref: 'heads/main', sha: mainSha, force: true });
    expect(forced.data.object.sha).toBe(mainSha);
    const del = await octo.rest.git.deleteRef({ owner: 'acme', repo: 'fleet', ref: 'heads/side' });
    expect(del.status).toBe(204);
    const missing = await failure(octo.rest.git.getRef({ owner: 'acme', repo: 'fleet', ref: 'heads/side' }));
    expect(missing.status).toBe(404);
    expect(missing.data.message).toBe('Not Found');
  });

  it('enforces token permissions and push access like GitHub', async () => {
    const mainSha = forge.state.listBranches('acme/fleet').find((b) => b.name === 'main')?.sha as string;
    const args = { owner: 'acme', repo: 'fleet', ref: 'refs/heads/try', sha: mainSha };
    const readOnly = await failure(kit(TOKENS.fineGrainedRead).rest.git.createRef(args));
    expect(readOnly.status).toBe(403);
    expect(readOnly.data.message).toBe('Resource not accessible by personal access token');
    expect((await failure(kit(TOKENS.classicNoRepo).rest.git.createRef(args))).status).toBe(404);
    expect((await failure(kit(TOKENS.outsider).rest.git.createRef(args))).status).toBe(404);
    expect((await kit(TOKENS.fineGrained).rest.git.createRef(args)).status).toBe(201);
    // reading a public repository needs no write permission
    const repo = await kit(TOKENS.fineGrainedRead).rest.repos.get({ owner: 'acme', repo: 'fleet' });
    expect(repo.data.default_branch).toBe('main');
    expect(repo.data.full_name).toBe('acme/fleet');
    expect((await failure(kit(TOKENS.classic).rest.repos.get({ owner: 'acme', repo: 'nope' }))).status).toBe(404);
  });
});

describe('contents, branches and archives', () => {
  it('serves files and directories through the contents API', async () => {
    const octo = kit(TOKENS.classic);
    const file = await octo.rest.repos.getContent({ owner: 'acme', repo: 'fleet', path: 'apps/podinfo/prod/release.yaml', ref: 'main' });
    if (Array.isArray(file.data) || file.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(file.data.content, 'base64').toString()).toBe('version: 6.4.0 # {"$promotion": "podinfo"}\n');
    expect(file.data.encoding).toBe('base64');
    const dir = await octo.rest.repos.getContent({ owner: 'acme', repo: 'fleet', path: 'apps/podinfo' });
    if (!Array.isArray(dir.data)) throw new Error('expected a directory');
    expect(dir.data.map((e) => `${e.type}:${e.path}`)).toEqual(['dir:apps/podinfo/prod', 'dir:apps/podinfo/staging']);
    const onHead = await octo.rest.repos.getContent({ owner: 'acme', repo: 'fleet', path: 'apps/podinfo/staging/release.yaml', ref: 'promote/podinfo-staging' });
    if (Array.isArray(onHead.data) || onHead.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(onHead.data.content, 'base64').toString()).toContain('6.5.1');
    const branch = await octo.rest.repos.getBranch({ owner: 'acme', repo: 'fleet', branch: 'promote/podinfo-staging' });
    expect(branch.data.commit.sha).toBe(forge.state.listBranches('acme/fleet').find((b) => b.name === 'promote/podinfo-staging')?.sha);
    expect(branch.data.commit.author?.login).toBe('promoter[bot]');
  });

  it('downloads a gzipped tarball that tar can read', async () => {
    const res = await kit(TOKENS.classic).rest.repos.downloadTarballArchive({ owner: 'acme', repo: 'fleet', ref: 'main' });
    const gz = Buffer.from(res.data as ArrayBuffer);
    const files = readTar(gunzipSync(gz));
    const sha = forge.state.listBranches('acme/fleet').find((b) => b.name === 'main')?.sha as string;
    const root = `acme-fleet-${sha.slice(0, 7)}`;
    expect(files.get(`${root}/README.md`)).toBe('# fleet\n');
    expect(files.get(`${root}/apps/podinfo/prod/release.yaml`)).toContain('6.4.0');
    const listing = execFileSync('tar', ['-tzf', '-'], { input: gz }).toString().split('\n');
    expect(listing).toContain(`${root}/apps/podinfo/staging/release.yaml`);
  });
});

describe('pull requests', () => {
  it('opens a PR, refuses a duplicate and an empty one with GitHub bodies, filters, updates', async () => {
    const octo = kit(TOKENS.classic);
    forge.state.commitFiles('acme/fleet', 'promote/prod', { 'apps/podinfo/prod/release.yaml': 'version: 6.5.0 # {"$promotion": "podinfo"}\n' }, 'Promote', 'alice');
    const created = await octo.rest.pulls.create({ owner: 'acme', repo: 'fleet', head: 'promote/prod', base: 'main', title: 'Promote podinfo 6.5.0 to prod', body: 'hi' });
    expect(created.status).toBe(201);
    expect(created.data.number).toBe(2);
    expect(created.data.user?.login).toBe('alice');
    expect(created.data.head.ref).toBe('promote/prod');
    expect(created.data.html_url).toBe(`${forge.url}/acme/fleet/pull/2`);

    const dup = await failure(octo.rest.pulls.create({ owner: 'acme', repo: 'fleet', head: 'acme:promote/prod', base: 'main', title: 'again' }));
    expect(dup.status).toBe(422);
    expect(dup.data.message).toBe('Validation Failed');
    expect(dup.data.errors).toEqual([{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:promote/prod.' }]);

    forge.state.commitFiles('acme/fleet', 'empty', {}, 'nothing', 'alice');
    await octo.rest.git.updateRef({ owner: 'acme', repo: 'fleet', ref: 'heads/empty', sha: forge.state.listBranches('acme/fleet').find((b) => b.name === 'main')?.sha as string, force: true });
    const none = await failure(octo.rest.pulls.create({ owner: 'acme', repo: 'fleet', head: 'empty', base: 'main', title: 'empty' }));
    expect(none.status).toBe(422);
    expect((none.data.errors as { message: string }[])[0]?.message).toBe('No commits between main and empty');

    const byHead = await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', head: 'acme:promote/prod' });
    expect(byHead.data.map((p) => p.number)).toEqual([2]);
    // like GitHub, a head filter without the owner prefix is ignored
    const bare = await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', head: 'promote/prod' });
    expect(bare.data.map((p) => p.number)).toEqual([2, 1]);
    const all = await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', state: 'all', sort: 'created', direction: 'asc' });
    expect(all.data.map((p) => p.number)).toEqual([1, 2]);
    expect(all.data[0]?.user?.type).toBe('Bot');
    expect(all.data[0]?.user?.html_url).toBe(`${forge.url}/apps/promoter`);

    const updated = await octo.rest.pulls.update({ owner: 'acme', repo: 'fleet', pull_number: 2, title: 'Promote podinfo 6.5.0 → prod', state: 'closed' });
    expect(updated.data.title).toBe('Promote podinfo 6.5.0 → prod');
    expect(updated.data.state).toBe('closed');
    expect((await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', head: 'acme:promote/prod' })).data).toEqual([]);
  });

  it('merges with a merge commit on the base branch and emits onCommit with the changed files', async () => {
    const octo = kit(TOKENS.classic);
    const events: CommitEvent[] = [];
    const off = forge.onCommit((e) => events.push(e));
    const pr = await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(pr.data.mergeable).toBe(true);
    expect(pr.data.merged).toBe(false);
    expect(pr.data.base.ref).toBe('main');
    const files = await octo.rest.pulls.listFiles({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(files.data.map((f) => [f.filename, f.status, f.additions, f.deletions])).toEqual([['apps/podinfo/staging/release.yaml', 'modified', 1, 1]]);
    // GitHub's patch: a hunk header, the removed line before the added one
    expect(files.data[0]!.patch).toBe('@@ -1 +1 @@\n-version: 6.5.0 # {"$promotion": "podinfo"}\n+version: 6.5.1 # {"$promotion": "podinfo"}');

    const wrongSha = await failure(octo.rest.pulls.merge({ owner: 'acme', repo: 'fleet', pull_number: 1, sha: '0'.repeat(40) }));
    expect(wrongSha.status).toBe(409);
    const before = forge.state.listBranches('acme/fleet').find((b) => b.name === 'main')?.sha;
    const merged = await octo.rest.pulls.merge({ owner: 'acme', repo: 'fleet', pull_number: 1, sha: pr.data.head.sha });
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });

    const event = await waitFor(() => events.find((e) => e.branch === 'main'));
    off();
    expect(event.repo).toBe('acme/fleet');
    expect(event.before).toBe(before);
    expect(event.after).toBe(merged.data.sha);
    expect(event.changedFiles).toEqual([{ path: 'apps/podinfo/staging/release.yaml', before: 'version: 6.5.0 # {"$promotion": "podinfo"}\n', after: 'version: 6.5.1 # {"$promotion": "podinfo"}\n' }]);
    const commit = await octo.rest.git.getCommit({ owner: 'acme', repo: 'fleet', commit_sha: merged.data.sha });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([before, pr.data.head.sha]);
    expect(commit.data.message).toBe('Merge pull request #1 from acme/promote/podinfo-staging\n\nPromote podinfo 6.5.1 to staging');

    const after = await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(after.data).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merged.data.sha });
    expect(after.data.merged_by?.login).toBe('alice');
    const again = await failure(octo.rest.pulls.merge({ owner: 'acme', repo: 'fleet', pull_number: 1 }));
    expect(again.status).toBe(405);
    expect(again.data.message).toBe('Pull Request is not mergeable');
  });

  it('reports a conflicting PR as not mergeable and refuses to merge it', async () => {
    const octo = kit(TOKENS.classic);
    forge.state.commitFiles('acme/fleet', 'main', { 'apps/podinfo/staging/release.yaml': 'version: 7.0.0\n' }, 'hotfix', 'alice');
    const pr = await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(pr.data.mergeable).toBe(false);
    expect(pr.data.mergeable_state).toBe('dirty');
    expect((await failure(octo.rest.pulls.merge({ owner: 'acme', repo: 'fleet', pull_number: 1 }))).status).toBe(405);
  });

  it('closes an open PR when its head branch is deleted, keeping its last head sha', async () => {
    const octo = kit(TOKENS.classic);
    const head = (await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 })).data.head.sha;
    await octo.rest.git.deleteRef({ owner: 'acme', repo: 'fleet', ref: 'heads/promote/podinfo-staging' });
    const pr = await octo.rest.pulls.get({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(pr.data).toMatchObject({ state: 'closed', merged: false });
    expect(pr.data.head.sha).toBe(head);
    const reopen = await failure(octo.rest.pulls.update({ owner: 'acme', repo: 'fleet', pull_number: 1, state: 'open' }));
    expect(reopen.status).toBe(422);
  });

  it('updates a file through the contents API and compares branches', async () => {
    const octo = kit(TOKENS.classic);
    const current = await octo.rest.repos.getContent({ owner: 'acme', repo: 'fleet', path: 'README.md' });
    if (Array.isArray(current.data)) throw new Error('expected a file');
    const stale = await failure(octo.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'fleet', path: 'README.md', message: 'docs', content: Buffer.from('x').toString('base64') }));
    expect(stale.status).toBe(409);
    const noBranch = await failure(
      octo.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'fleet', path: 'README.md', message: 'docs', branch: 'docs', content: 'eA==', sha: current.data.sha }),
    );
    // the branch must exist first, as on GitHub
    expect(noBranch.status).toBe(404);
    forge.state.commitFiles('acme/fleet', 'docs', {}, 'branch', 'alice');
    const ok = await octo.rest.repos.createOrUpdateFileContents({
      owner: 'acme',
      repo: 'fleet',
      path: 'README.md',
      message: 'docs',
      branch: 'docs',
      content: Buffer.from('# fleet\n\nmore\n').toString('base64'),
      sha: current.data.sha,
    });
    expect(ok.status).toBe(200);
    expect(forge.state.getFile('acme/fleet', 'docs', 'README.md')).toBe('# fleet\n\nmore\n');
    const cmp = await octo.rest.repos.compareCommitsWithBasehead({ owner: 'acme', repo: 'fleet', basehead: 'main...docs' });
    expect(cmp.data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(cmp.data.files?.map((f) => [f.filename, f.additions, f.deletions])).toEqual([['README.md', 2, 0]]);
    const commits = await octo.rest.repos.listCommits({ owner: 'acme', repo: 'fleet', sha: 'docs', path: 'README.md' });
    expect(commits.data.map((c) => c.commit.message)).toEqual(['docs', 'Initial commit']);
  });

  it('answers 304 to a conditional list without charging the rate limit', async () => {
    const octo = kit(TOKENS.classic);
    const first = await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const used = Number(first.headers['x-ratelimit-used']);
    const notModified = await failure(octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', headers: { 'if-none-match': etag } }));
    expect(notModified.status).toBe(304);
    expect(Number(notModified.headers['x-ratelimit-used'])).toBe(used);
    forge.state.commitFiles('acme/fleet', 'promote/x', { 'x.txt': '1\n' }, 'x', 'alice');
    await octo.rest.pulls.create({ owner: 'acme', repo: 'fleet', head: 'promote/x', base: 'main', title: 'x' });
    const changed = await octo.rest.pulls.list({ owner: 'acme', repo: 'fleet', headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.data).toHaveLength(2);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('serves seeded reviews, check runs and statuses, and searches PRs by author', async () => {
    const octo = kit(TOKENS.classic);
    forge.state.addReview('acme/fleet', 1, { user: 'bob', state: 'APPROVED' });
    forge.state.setCheckRuns('acme/fleet', 'promote/podinfo-staging', [{ name: 'validate', status: 'completed', conclusion: 'success' }]);
    forge.state.setStatuses('acme/fleet', 'promote/podinfo-staging', [{ context: 'ci/lint', state: 'pending' }]);
    const reviews = await octo.rest.pulls.listReviews({ owner: 'acme', repo: 'fleet', pull_number: 1 });
    expect(reviews.data.map((r) => [r.user?.login, r.state])).toEqual([['bob', 'APPROVED']]);
    const checks = await octo.rest.checks.listForRef({ owner: 'acme', repo: 'fleet', ref: 'promote/podinfo-staging' });
    expect(checks.data.check_runs.map((c) => [c.name, c.conclusion])).toEqual([['validate', 'success']]);
    const status = await octo.rest.repos.getCombinedStatusForRef({ owner: 'acme', repo: 'fleet', ref: 'promote/podinfo-staging' });
    expect(status.data.state).toBe('pending');
    const found = await octo.rest.search.issuesAndPullRequests({ q: 'is:pr author:promoter[bot] repo:acme/fleet', sort: 'created', order: 'desc' });
    expect(found.data.total_count).toBe(1);
    expect(found.data.items[0]?.pull_request?.html_url).toBe(`${forge.url}/acme/fleet/pull/1`);
    expect(found.headers['x-ratelimit-resource']).toBe('search');
    expect((await octo.rest.search.issuesAndPullRequests({ q: 'is:pr author:alice' })).data.total_count).toBe(0);
  });
});

describe('creating repositories and their first files', () => {
  it('creates a user repository, empty or with a README, and refuses a duplicate name', async () => {
    const octo = kit(TOKENS.classic);
    const empty = await octo.rest.repos.createForAuthenticatedUser({ name: 'my-fleet' });
    expect(empty.status).toBe(201);
    expect(empty.data).toMatchObject({ full_name: 'alice/my-fleet', default_branch: 'main', owner: { login: 'alice' } });
    expect((await octo.rest.repos.listBranches({ owner: 'alice', repo: 'my-fleet' })).data).toEqual([]);

    const put = await octo.rest.repos.createOrUpdateFileContents({
      owner: 'alice',
      repo: 'my-fleet',
      path: 'apps/web/release.yaml',
      message: 'First file',
      content: Buffer.from('version: 1.0.0\n').toString('base64'),
    });
    expect(put.status).toBe(201);
    expect(put.data.commit.parents).toEqual([]);
    const got = await octo.rest.repos.getContent({ owner: 'alice', repo: 'my-fleet', path: 'apps/web/release.yaml' });
    expect(Buffer.from((got.data as { content: string }).content, 'base64').toString()).toBe('version: 1.0.0\n');

    const initialised = await octo.rest.repos.createForAuthenticatedUser({ name: 'with-readme', auto_init: true });
    const branches = await octo.rest.repos.listBranches({ owner: 'alice', repo: initialised.data.name });
    expect(branches.data.map((b) => b.name)).toEqual(['main']);

    const duplicate = await failure(octo.rest.repos.createForAuthenticatedUser({ name: 'my-fleet' }));
    expect(duplicate.status).toBe(422);
    expect(duplicate.data).toMatchObject({
      message: 'Repository creation failed.',
      errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
    });
  });

  it('creates an organisation repository for a member, and checks tokens as GitHub does', async () => {
    const created = await kit(TOKENS.classic).rest.repos.createInOrg({ org: 'acme', name: 'new-service' });
    expect(created.data).toMatchObject({ full_name: 'acme/new-service', owner: { login: 'acme' } });
    expect((await failure(kit(TOKENS.outsider).rest.repos.createInOrg({ org: 'acme', name: 'nope' }))).status).toBe(403);
    expect((await failure(kit(TOKENS.classic).rest.repos.createInOrg({ org: 'no-such-org', name: 'x' }))).status).toBe(404);
    expect((await failure(kit(TOKENS.classicNoRepo).rest.repos.createForAuthenticatedUser({ name: 'x' }))).status).toBe(403);
    expect((await failure(kit(TOKENS.installation).rest.repos.createForAuthenticatedUser({ name: 'x' }))).status).toBe(403);
    expect((await failure(kit().rest.repos.createForAuthenticatedUser({ name: 'x' }))).status).toBe(401);
  });
});
