// GitHub REST v3 routes of the sandbox forge (mounted under /api/v3): users, rate
// limit, repositories, git data, contents, tarballs, commits, pulls, reviews, checks
// and issue search, with GitHub's JSON shapes, status codes and error bodies.
import { createHash } from 'node:crypto';
import { ZERO_SHA, diffFlat, lineDiffStats, type FlatTree, type TreeEntry, type TreeMode } from './git-objects.js';
import { ApiError, DOCS, Router, jsonBody, notFound, paginate, str, validationFailed, type Ctx, type Reply } from './http-util.js';
import type { ForgeUser, PullState, RepoState } from './state.js';
import { isoDaysFrom } from '../clock.js';
import { writeTarGz, type TarEntry } from './tar.js';

type Permission = 'contents' | 'pull_requests';

export interface RateSnapshot {
  resource: string;
  limit: number;
  remaining: number;
  reset: number;
  used: number;
}

/** What the REST layer needs from the server around it (rate-limit buckets live there). */
export interface RestHost {
  rateSnapshot(ctx: Ctx, resource: 'core' | 'search'): RateSnapshot;
}

const nodeId = (kind: string, id: number | string): string => Buffer.from(`${kind}:${id}`).toString('base64').replace(/=+$/, '');

export function userJson(ctx: Ctx, u: ForgeUser | { login: string; id: number; type: 'User' | 'Bot' }): Record<string, unknown> {
  const api = `${ctx.apiUrl}/users/${u.login}`;
  return {
    login: u.login,
    id: u.id,
    node_id: nodeId(u.type === 'Bot' ? 'Bot' : 'User', u.id),
    avatar_url: `${ctx.baseUrl}/avatars/${encodeURIComponent(u.login)}`,
    gravatar_id: '',
    url: api,
    // bots live under /apps/<slug> on GitHub
    html_url: u.type === 'Bot' ? `${ctx.baseUrl}/apps/${u.login.replace(/\[bot\]$/, '')}` : `${ctx.baseUrl}/${u.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: u.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

function userRef(ctx: Ctx, login: string): Record<string, unknown> {
  const u = ctx.state.user(login);
  return userJson(ctx, u ?? { login, id: 0, type: 'User' });
}

function fullUserJson(ctx: Ctx, u: ForgeUser): Record<string, unknown> {
  return {
    ...userJson(ctx, u),
    name: u.name,
    company: null,
    blog: '',
    location: null,
    email: u.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: [...ctx.state.repos.values()].filter((r) => r.owner.toLowerCase() === u.login.toLowerCase()).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    // relative to the forge's clock, so an account never appears created in the future
    created_at: isoDaysFrom(ctx.state.now(), -550),
    updated_at: ctx.state.seedDate(),
  };
}

function canPush(ctx: Ctx, repo: RepoState): boolean {
  if (!ctx.user) return false;
  if (!repo.pushers) return true;
  return repo.pushers.some((p) => p.toLowerCase() === ctx.user?.login.toLowerCase());
}

/**
 * GitHub's write checks: the token must allow the write (fine-grained/installation →
 * 403 "Resource not accessible by ..."; classic/OAuth without a repo scope → 404),
 * and the user must have push access (→ 404, GitHub hides what you cannot write).
 */
function requireWrite(ctx: Ctx, repo: RepoState, permission: Permission, needPush: boolean, docs?: string): void {
  const t = ctx.token;
  if (!t) throw new ApiError(401, 'Requires authentication', {}, docs);
  const tokenAllows = (): boolean => {
    if (t.repositories && !t.repositories.some((r) => r.toLowerCase() === repo.fullName.toLowerCase())) return false;
    if (t.permissions) return t.permissions[permission] === 'write';
    return true;
  };
  switch (t.kind) {
    case 'fine-grained':
      if (!t.repositories || !t.permissions || !tokenAllows()) throw new ApiError(403, 'Resource not accessible by personal access token', {}, docs);
      break;
    case 'installation':
    case 'app-user':
      if (!tokenAllows()) throw new ApiError(403, 'Resource not accessible by integration', {}, docs);
      break;
    default:
      if (!t.scopes.includes('repo') && !t.scopes.includes('public_repo')) throw notFound(docs);
  }
  if (needPush && t.kind !== 'installation' && !canPush(ctx, repo)) throw notFound(docs);
}

/**
 * Public repositories are read by anyone, without a token (within the anonymous rate limit);
 * a private one only by a signed-in user with access whose token reaches it: classic and OAuth
 * tokens need the `repo` scope (public_repo is not enough), fine-grained and app tokens must
 * list the repository. Everyone else gets GitHub's 404, as if it did not exist.
 */
export function canRead(ctx: Pick<Ctx, 'token' | 'user'>, repo: RepoState): boolean {
  if (!repo.private) return true;
  const t = ctx.token;
  if (!t || !ctx.user) return false;
  if (t.repositories) return t.repositories.some((r) => r.toLowerCase() === repo.fullName.toLowerCase());
  if (t.kind === 'classic' || t.kind === 'oauth') {
    if (!t.scopes.includes('repo')) return false;
  }
  return !repo.pushers || repo.pushers.some((p) => p.toLowerCase() === ctx.user?.login.toLowerCase());
}

function getRepo(ctx: Ctx, docs?: string): RepoState {
  const repo = ctx.state.repo(`${ctx.params.owner}/${ctx.params.repo}`);
  if (!repo || !canRead(ctx, repo)) throw notFound(docs);
  return repo;
}

function repoApi(ctx: Ctx, repo: RepoState): string {
  return `${ctx.apiUrl}/repos/${repo.fullName}`;
}

function repoHtml(ctx: Ctx, repo: RepoState): string {
  return `${ctx.baseUrl}/${repo.fullName}`;
}

export function repoJson(ctx: Ctx, repo: RepoState): Record<string, unknown> {
  const api = repoApi(ctx, repo);
  const html = repoHtml(ctx, repo);
  const push = canPush(ctx, repo);
  const host = new URL(ctx.baseUrl).host;
  const tip = repo.refs.get(`refs/heads/${repo.defaultBranch}`);
  const tipDate = tip ? repo.objects.commit(tip)?.committer.date : undefined;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: userRef(ctx, repo.owner),
    html_url: html,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    branches_url: `${api}/branches{/branch}`,
    commits_url: `${api}/commits{/sha}`,
    contents_url: `${api}/contents/{+path}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_trees_url: `${api}/git/trees{/sha}`,
    pulls_url: `${api}/pulls{/number}`,
    created_at: repo.createdAt,
    updated_at: tipDate ?? repo.createdAt,
    pushed_at: tipDate ?? repo.createdAt,
    git_url: `git://${host}/${repo.fullName}.git`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    forks_count: 0,
    open_issues_count: ctx.state.pullList(repo).filter((p) => p.state === 'open').length,
    forks: 0,
    open_issues: ctx.state.pullList(repo).filter((p) => p.state === 'open').length,
    watchers: 0,
    default_branch: repo.defaultBranch,
    permissions: { admin: false, maintain: false, push, triage: push, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    topics: [],
  };
}

function gitCommitJson(ctx: Ctx, repo: RepoState, sha: string): Record<string, unknown> {
  const c = repo.objects.commit(sha);
  if (!c) throw notFound();
  const api = repoApi(ctx, repo);
  return {
    sha,
    node_id: nodeId('Commit', sha),
    url: `${api}/git/commits/${sha}`,
    html_url: `${repoHtml(ctx, repo)}/commit/${sha}`,
    author: { ...c.author },
    committer: { ...c.committer },
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/git/commits/${p}`, html_url: `${repoHtml(ctx, repo)}/commit/${p}` })),
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

function loginForEmail(ctx: Ctx, email: string): string | undefined {
  for (const u of ctx.state.users.values()) {
    if (u.email === email || email.endsWith(`+${u.login}@users.noreply.${new URL(ctx.baseUrl).hostname}`)) return u.login;
  }
  return undefined;
}

function fileEntries(ctx: Ctx, repo: RepoState, before: string | null, after: string | null): Record<string, unknown>[] {
  const changes = diffFlat(ctx.state.flatAt(repo, before), ctx.state.flatAt(repo, after));
  return changes.map((c) => {
    const stats = lineDiffStats(ctx.state.blobText(repo, c.before) ?? '', ctx.state.blobText(repo, c.after) ?? '');
    const blob = c.after ?? c.before ?? ZERO_SHA;
    const ref = after ?? before ?? '';
    return {
      sha: blob,
      filename: c.path,
      status: c.before === null ? 'added' : c.after === null ? 'removed' : 'modified',
      additions: stats.additions,
      deletions: stats.deletions,
      changes: stats.additions + stats.deletions,
      blob_url: `${repoHtml(ctx, repo)}/blob/${ref}/${c.path}`,
      raw_url: `${repoHtml(ctx, repo)}/raw/${ref}/${c.path}`,
      contents_url: `${repoApi(ctx, repo)}/contents/${c.path}?ref=${ref}`,
      patch: stats.patch,
    };
  });
}

function restCommitJson(ctx: Ctx, repo: RepoState, sha: string, withFiles: boolean): Record<string, unknown> {
  const c = repo.objects.commit(sha);
  if (!c) throw notFound();
  const api = repoApi(ctx, repo);
  const authorLogin = loginForEmail(ctx, c.author.email);
  const committerLogin = loginForEmail(ctx, c.committer.email);
  const out: Record<string, unknown> = {
    sha,
    node_id: nodeId('Commit', sha),
    commit: {
      author: { ...c.author },
      committer: { ...c.committer },
      message: c.message,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      url: `${api}/git/commits/${sha}`,
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: `${api}/commits/${sha}`,
    html_url: `${repoHtml(ctx, repo)}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    author: authorLogin ? userRef(ctx, authorLogin) : null,
    committer: committerLogin ? userRef(ctx, committerLogin) : null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${repoHtml(ctx, repo)}/commit/${p}` })),
  };
  if (withFiles) {
    const files = fileEntries(ctx, repo, c.parents[0] ?? null, sha);
    const additions = files.reduce((n, f) => n + (f.additions as number), 0);
    const deletions = files.reduce((n, f) => n + (f.deletions as number), 0);
    out.stats = { total: additions + deletions, additions, deletions };
    out.files = files;
  }
  return out;
}

function refJson(ctx: Ctx, repo: RepoState, ref: string, sha: string): Record<string, unknown> {
  const api = repoApi(ctx, repo);
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${api}/git/${ref}`,
    object: { sha, type: 'commit', url: `${api}/git/commits/${sha}` },
  };
}

function branchJson(ctx: Ctx, repo: RepoState, name: string, sha: string): Record<string, unknown> {
  return {
    name,
    commit: restCommitJson(ctx, repo, sha, false),
    _links: { self: `${repoApi(ctx, repo)}/branches/${name}`, html: `${repoHtml(ctx, repo)}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${repoApi(ctx, repo)}/branches/${name}/protection`,
  };
}

function branchRefJson(ctx: Ctx, repo: RepoState, branch: string, sha: string): Record<string, unknown> {
  return {
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha,
    user: userRef(ctx, repo.owner),
    repo: repoJson(ctx, repo),
  };
}

function pullJson(ctx: Ctx, repo: RepoState, p: PullState, full: boolean): Record<string, unknown> {
  const api = repoApi(ctx, repo);
  const html = `${repoHtml(ctx, repo)}/pull/${p.number}`;
  const headSha = ctx.state.headSha(repo, p);
  const baseSha = ctx.state.baseSha(repo, p);
  const out: Record<string, unknown> = {
    url: `${api}/pulls/${p.number}`,
    id: p.id,
    node_id: nodeId('PullRequest', p.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${p.number}`,
    commits_url: `${api}/pulls/${p.number}/commits`,
    review_comments_url: `${api}/pulls/${p.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${p.number}/comments`,
    statuses_url: `${api}/statuses/${headSha}`,
    number: p.number,
    state: p.state,
    locked: false,
    title: p.title,
    user: userRef(ctx, p.author),
    body: p.body,
    labels: p.labels.map((name) => labelJson(ctx, repo, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    closed_at: p.closedAt,
    merged_at: p.mergedAt,
    merge_commit_sha: p.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchRefJson(ctx, repo, p.head, headSha),
    base: branchRefJson(ctx, repo, p.base, baseSha),
    _links: {
      self: { href: `${api}/pulls/${p.number}` },
      html: { href: html },
      issue: { href: `${api}/issues/${p.number}` },
      comments: { href: `${api}/issues/${p.number}/comments` },
      review_comments: { href: `${api}/pulls/${p.number}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${api}/pulls/${p.number}/commits` },
      statuses: { href: `${api}/statuses/${headSha}` },
    },
    author_association: repo.owner.toLowerCase() === p.author.toLowerCase() ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: p.draft,
  };
  if (full) {
    const mergeable = p.state === 'open' ? ctx.state.isMergeable(repo, p) : null;
    const commits = baseSha !== ZERO_SHA && headSha !== ZERO_SHA ? repo.objects.commitsBetween(baseSha, headSha) : [];
    const files = fileEntries(ctx, repo, p.mergedAt ? baseSha : (repo.objects.mergeBase(baseSha, headSha) ?? null), headSha);
    Object.assign(out, {
      merged: p.mergedAt !== null,
      mergeable,
      rebaseable: mergeable,
      mergeable_state: p.state !== 'open' ? 'unknown' : mergeable ? 'clean' : 'dirty',
      merged_by: p.mergedBy ? userRef(ctx, p.mergedBy) : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: commits.length,
      additions: files.reduce((n, f) => n + (f.additions as number), 0),
      deletions: files.reduce((n, f) => n + (f.deletions as number), 0),
      changed_files: files.length,
    });
  }
  return out;
}

/** A label as GitHub writes it; the sandbox keeps names only, so id and colour derive from the name. */
function labelJson(ctx: Ctx, repo: RepoState, name: string): Record<string, unknown> {
  const id = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return { id, node_id: nodeId('Label', id), url: `${repoApi(ctx, repo)}/labels/${encodeURIComponent(name)}`, name, color: 'ededed', default: false, description: null };
}

function getPull(ctx: Ctx, repo: RepoState, docs?: string): PullState {
  const n = Number(ctx.params.pull_number);
  const p = ctx.state.pullList(repo).find((x) => x.number === n);
  if (!p) throw notFound(docs);
  return p;
}

function isoSeconds(d: unknown): string | undefined {
  if (typeof d !== 'string') return undefined;
  const t = Date.parse(d);
  return Number.isNaN(t) ? undefined : new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function identityFrom(ctx: Ctx, v: unknown): { name: string; email: string; date: string } | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const fallback = ctx.user ? ctx.state.identity(ctx.user.login) : { name: 'ghost', email: 'ghost@example.invalid', date: ctx.state.nowIso() };
  return {
    name: typeof o.name === 'string' ? o.name : fallback.name,
    email: typeof o.email === 'string' ? o.email : fallback.email,
    date: isoSeconds(o.date) ?? ctx.state.nowIso(),
  };
}

function normalizeRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function treeJson(ctx: Ctx, repo: RepoState, sha: string, recursive: boolean): Record<string, unknown> {
  const api = repoApi(ctx, repo);
  const entries: Record<string, unknown>[] = [];
  const walk = (treeSha: string, prefix: string): void => {
    const t = repo.objects.tree(treeSha);
    if (!t) return;
    for (const e of t.entries) {
      const path = prefix ? `${prefix}/${e.name}` : e.name;
      const item: Record<string, unknown> = { path, mode: e.mode, type: e.type, sha: e.sha };
      if (e.type === 'blob') {
        item.size = repo.objects.blob(e.sha)?.content.length ?? 0;
        item.url = `${api}/git/blobs/${e.sha}`;
      } else if (e.type === 'tree') {
        item.url = `${api}/git/trees/${e.sha}`;
      }
      entries.push(item);
      if (recursive && e.type === 'tree') walk(e.sha, path);
    }
  };
  walk(sha, '');
  return { sha, url: `${api}/git/trees/${sha}`, tree: entries, truncated: false };
}

function contentItem(ctx: Ctx, repo: RepoState, ref: string, path: string, e: TreeEntry, withContent: boolean): Record<string, unknown> {
  const api = repoApi(ctx, repo);
  const type = e.type === 'tree' ? 'dir' : e.type === 'commit' ? 'submodule' : e.mode === '120000' ? 'symlink' : 'file';
  const self = `${api}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const git = e.type === 'tree' ? `${api}/git/trees/${e.sha}` : `${api}/git/blobs/${e.sha}`;
  const html = `${repoHtml(ctx, repo)}/${e.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`;
  const blob = e.type === 'blob' ? repo.objects.blob(e.sha) : undefined;
  const out: Record<string, unknown> = {
    type,
    size: blob?.content.length ?? 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: e.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${ctx.baseUrl}/raw/${repo.fullName}/${ref}/${path}` : null,
    _links: { self, git, html },
  };
  if (withContent && blob) {
    // GitHub wraps base64 content at 60 columns
    out.content = (blob.content.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + '\n';
    out.encoding = 'base64';
  }
  return out;
}

/** GitHub's tarball root folder: `<owner>-<repo>-<sha7>/`. */
export function tarballFor(repo: RepoState, sha: string): Buffer {
  const c = repo.objects.commit(sha);
  if (!c) throw notFound();
  const root = `${repo.owner}-${repo.name}-${sha.slice(0, 7)}/`;
  const mtime = Math.floor(Date.parse(c.committer.date) / 1000);
  const entries: TarEntry[] = [{ path: root, mtime }];
  const walk = (treeSha: string, prefix: string): void => {
    const t = repo.objects.tree(treeSha);
    if (!t) return;
    for (const e of t.entries) {
      const path = `${prefix}${e.name}`;
      if (e.type === 'tree') {
        entries.push({ path: `${path}/`, mtime });
        walk(e.sha, `${path}/`);
      } else if (e.type === 'blob') {
        entries.push({ path, content: repo.objects.blob(e.sha)?.content ?? Buffer.alloc(0), mode: e.mode === '100755' ? 0o775 : 0o664, mtime });
      }
    }
  };
  walk(c.tree, root);
  return writeTarGz(entries, sha);
}

function ok(json: unknown, status = 200, headers?: Record<string, string>): Reply {
  return headers ? { status, json, headers } : { status, json };
}

export function buildRestRouter(host: RestHost): Router {
  const r = new Router();

  r.add('GET', '/', (ctx) =>
    ok({
      current_user_url: `${ctx.apiUrl}/user`,
      rate_limit_url: `${ctx.apiUrl}/rate_limit`,
      repository_url: `${ctx.apiUrl}/repos/{owner}/{repo}`,
      issue_search_url: `${ctx.apiUrl}/search/issues?q={query}{&page,per_page,sort,order}`,
    }),
  );

  r.add('GET', '/meta', () => ok({ verifiable_password_authentication: false, installed_version: '3.17.0' }));

  r.add('GET', '/user', (ctx) => {
    const docs = `${DOCS}/users/users#get-the-authenticated-user`;
    if (!ctx.token || !ctx.user) throw new ApiError(401, 'Requires authentication', {}, docs);
    if (ctx.token.kind === 'installation') throw new ApiError(403, 'Resource not accessible by integration', {}, docs);
    return ok(fullUserJson(ctx, ctx.user));
  });

  r.add('GET', '/users/{username}', (ctx) => {
    const u = ctx.state.user(ctx.params.username ?? '');
    if (!u) throw notFound(`${DOCS}/users/users#get-a-user`);
    return ok(fullUserJson(ctx, u));
  });

  r.add('GET', '/rate_limit', (ctx) => {
    const core = host.rateSnapshot(ctx, 'core');
    const search = host.rateSnapshot(ctx, 'search');
    const strip = (s: RateSnapshot): Record<string, number> => ({ limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset });
    return ok({ resources: { core: strip(core), search: strip(search) }, rate: strip(core) });
  });

  // --- repositories and branches -------------------------------------------------

  /**
   * Creating a repository (POST /user/repos, POST /orgs/{org}/repos), as GitHub checks it: a
   * classic/OAuth token needs the repo or public_repo scope, a fine-grained token the
   * administration:write permission, an installation token cannot create user repositories;
   * an organisation must exist and the user must be one of its members (here: may push to one
   * of its repositories). auto_init makes the first commit with a README.
   */
  const createRepository = (ctx: Ctx, owner: string, docs: string): Reply => {
    const t = ctx.token;
    if (!t || !ctx.user) throw new ApiError(401, 'Requires authentication', {}, docs);
    if (t.kind === 'installation' || t.kind === 'app-user') throw new ApiError(403, 'Resource not accessible by integration', {}, docs);
    if (t.kind === 'fine-grained' ? t.permissions?.administration !== 'write' : !t.scopes.includes('repo') && !t.scopes.includes('public_repo')) {
      throw new ApiError(403, t.kind === 'fine-grained' ? 'Resource not accessible by personal access token' : 'Resource not accessible by integration', {}, docs);
    }
    const body = jsonBody(ctx);
    const name = str(body, 'name');
    if (name === undefined || name === '') throw validationFailed([{ resource: 'Repository', code: 'missing_field', field: 'name' }], docs, 'Repository creation failed.');
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === '.' || name === '..') {
      throw validationFailed([{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }], docs, 'Repository creation failed.');
    }
    if (ctx.state.repo(`${owner}/${name}`)) {
      throw validationFailed([{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }], docs, 'Repository creation failed.');
    }
    const now = ctx.state.nowIso();
    const repo = ctx.state.createRepo(owner, name, 'main', [ctx.user.login], now);
    if (body.auto_init === true) ctx.state.setRef(repo, 'refs/heads/main', ctx.state.commitOnto(repo, null, { 'README.md': `# ${name}\n` }, 'Initial commit', ctx.user.login, now));
    return ok(repoJson(ctx, repo), 201);
  };

  r.add('POST', '/user/repos', (ctx) => createRepository(ctx, ctx.user?.login ?? '', `${DOCS}/repos/repos#create-a-repository-for-the-authenticated-user`));

  r.add('POST', '/orgs/{org}/repos', (ctx) => {
    const docs = `${DOCS}/repos/repos#create-an-organization-repository`;
    const org = ctx.params.org ?? '';
    const repos = [...ctx.state.repos.values()].filter((repo) => repo.owner.toLowerCase() === org.toLowerCase());
    if (repos.length === 0 || ctx.state.user(org)) throw notFound(docs);
    if (ctx.user && !repos.some((repo) => canPush(ctx, repo))) throw new ApiError(403, 'You need admin access to the organization before adding a repository to it.', {}, docs);
    return createRepository(ctx, repos[0]!.owner, docs);
  });
  r.add('GET', '/repos/{owner}/{repo}', (ctx) => ok(repoJson(ctx, getRepo(ctx, `${DOCS}/repos/repos#get-a-repository`))));

  r.add('GET', '/repos/{owner}/{repo}/branches', (ctx) => {
    const repo = getRepo(ctx);
    const list = [...repo.refs].filter(([ref]) => ref.startsWith('refs/heads/')).sort(([a], [b]) => (a < b ? -1 : 1));
    const items = list.map(([ref, sha]) => {
      const name = ref.slice('refs/heads/'.length);
      const api = repoApi(ctx, repo);
      return { name, commit: { sha, url: `${api}/commits/${sha}` }, protected: false };
    });
    const { page, headers } = paginate(ctx, items);
    return ok(page, 200, headers);
  });

  r.add('GET', '/repos/{owner}/{repo}/branches/{branch+}', (ctx) => {
    const docs = `${DOCS}/branches/branches#get-a-branch`;
    const repo = getRepo(ctx, docs);
    const name = ctx.params.branch ?? '';
    const sha = repo.refs.get(`refs/heads/${name}`);
    if (!sha) throw new ApiError(404, 'Branch not found', {}, docs);
    return ok(branchJson(ctx, repo, name, sha));
  });

  // --- git refs --------------------------------------------------------------------
  r.add('GET', '/repos/{owner}/{repo}/git/ref/{ref+}', (ctx) => {
    const docs = `${DOCS}/git/refs#get-a-reference`;
    const repo = getRepo(ctx, docs);
    const ref = normalizeRef(ctx.params.ref ?? '');
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound(docs);
    return ok(refJson(ctx, repo, ref, sha));
  });

  const matching = (ctx: Ctx): Reply => {
    const repo = getRepo(ctx, `${DOCS}/git/refs#list-matching-references`);
    const prefix = `refs/${ctx.params.ref ?? ''}`;
    const items = [...repo.refs]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ref, sha]) => refJson(ctx, repo, ref, sha));
    const { page, headers } = paginate(ctx, items);
    return ok(page, 200, headers);
  };
  r.add('GET', '/repos/{owner}/{repo}/git/matching-refs', matching);
  r.add('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref+}', matching);

  r.add('POST', '/repos/{owner}/{repo}/git/refs', (ctx) => {
    const docs = `${DOCS}/git/refs#create-a-reference`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const ref = str(body, 'ref');
    const sha = str(body, 'sha');
    if (!ref || !sha) throw new ApiError(422, `Invalid request.\n\n"${!ref ? 'ref' : 'sha'}" wasn't supplied.`, {}, docs);
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) throw new ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.", {}, docs);
    if (!repo.objects.commit(sha)) throw new ApiError(422, 'Object does not exist', {}, docs);
    if (repo.refs.has(ref)) throw new ApiError(422, 'Reference already exists', {}, docs);
    ctx.state.setRef(repo, ref, sha);
    return ok(refJson(ctx, repo, ref, sha), 201, { location: `${repoApi(ctx, repo)}/git/${ref}` });
  });

  r.add('PATCH', '/repos/{owner}/{repo}/git/refs/{ref+}', (ctx) => {
    const docs = `${DOCS}/git/refs#update-a-reference`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const ref = normalizeRef(ctx.params.ref ?? '');
    const sha = str(body, 'sha');
    if (!sha) throw new ApiError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', {}, docs);
    const current = repo.refs.get(ref);
    if (!current) throw new ApiError(422, 'Reference does not exist', {}, docs);
    if (!repo.objects.commit(sha)) throw new ApiError(422, 'Object does not exist', {}, docs);
    if (body.force !== true && !repo.objects.isAncestor(current, sha)) throw new ApiError(422, 'Update is not a fast forward', {}, docs);
    ctx.state.setRef(repo, ref, sha);
    return ok(refJson(ctx, repo, ref, sha));
  });

  r.add('DELETE', '/repos/{owner}/{repo}/git/refs/{ref+}', (ctx) => {
    const docs = `${DOCS}/git/refs#delete-a-reference`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const ref = normalizeRef(ctx.params.ref ?? '');
    if (!repo.refs.has(ref)) throw new ApiError(422, 'Reference does not exist', {}, docs);
    ctx.state.setRef(repo, ref, null);
    return { status: 204 };
  });

  // --- git blobs, trees, commits ----------------------------------------------------
  r.add('GET', '/repos/{owner}/{repo}/git/blobs/{sha}', (ctx) => {
    const docs = `${DOCS}/git/blobs#get-a-blob`;
    const repo = getRepo(ctx, docs);
    const blob = repo.objects.blob(ctx.params.sha ?? '');
    if (!blob) throw notFound(docs);
    return ok({
      sha: blob.sha,
      node_id: nodeId('Blob', blob.sha),
      size: blob.content.length,
      url: `${repoApi(ctx, repo)}/git/blobs/${blob.sha}`,
      content: (blob.content.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + '\n',
      encoding: 'base64',
    });
  });

  r.add('POST', '/repos/{owner}/{repo}/git/blobs', (ctx) => {
    const docs = `${DOCS}/git/blobs#create-a-blob`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const content = body.content;
    if (typeof content !== 'string') throw new ApiError(422, 'Invalid request.\n\n"content" wasn\'t supplied.', {}, docs);
    const encoding = str(body, 'encoding') ?? 'utf-8';
    if (encoding !== 'utf-8' && encoding !== 'base64') {
      throw new ApiError(422, `encoding must be "utf-8" or "base64", not "${encoding}"`, {}, docs);
    }
    const sha = repo.objects.writeBlob(encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8'));
    return ok({ url: `${repoApi(ctx, repo)}/git/blobs/${sha}`, sha }, 201, { location: `${repoApi(ctx, repo)}/git/blobs/${sha}` });
  });

  r.add('GET', '/repos/{owner}/{repo}/git/trees/{sha+}', (ctx) => {
    const docs = `${DOCS}/git/trees#get-a-tree`;
    const repo = getRepo(ctx, docs);
    const id = ctx.params.sha ?? '';
    let treeSha: string | undefined = repo.objects.tree(id) ? id : undefined;
    if (!treeSha) {
      // GitHub also accepts a commit sha or a branch name here
      const commit = ctx.state.resolve(repo, id);
      treeSha = commit ? repo.objects.commit(commit)?.tree : undefined;
    }
    if (!treeSha) throw notFound(docs);
    const recursive = ctx.query.has('recursive') && !['0', 'false', ''].includes(ctx.query.get('recursive') ?? '');
    return ok(treeJson(ctx, repo, treeSha, recursive));
  });

  r.add('POST', '/repos/{owner}/{repo}/git/trees', (ctx) => {
    const docs = `${DOCS}/git/trees#create-a-tree`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const baseTree = str(body, 'base_tree');
    const tree = body.tree;
    if (!Array.isArray(tree)) throw new ApiError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.', {}, docs);
    let flat: FlatTree = new Map();
    if (baseTree) {
      if (!repo.objects.tree(baseTree)) throw new ApiError(422, 'base_tree is not a valid tree oid', {}, docs);
      flat = repo.objects.flatten(baseTree);
    }
    for (const raw of tree) {
      if (!raw || typeof raw !== 'object') throw new ApiError(422, 'Invalid tree info', {}, docs);
      const e = raw as Record<string, unknown>;
      const path = typeof e.path === 'string' ? e.path.replace(/^\/+|\/+$/g, '') : '';
      const mode = (typeof e.mode === 'string' ? e.mode : '100644') as TreeMode;
      const type = typeof e.type === 'string' ? e.type : mode === '040000' ? 'tree' : 'blob';
      if (!path || !['100644', '100755', '040000', '160000', '120000'].includes(mode)) throw new ApiError(422, 'Invalid tree info', {}, docs);
      if (e.sha === null) {
        // deletion: a file, or every file under a directory
        flat.delete(path);
        for (const p of [...flat.keys()]) if (p.startsWith(`${path}/`)) flat.delete(p);
        continue;
      }
      if (typeof e.content === 'string') {
        flat.set(path, { sha: repo.objects.writeBlob(e.content), mode: mode === '040000' ? '100644' : mode });
        continue;
      }
      if (typeof e.sha !== 'string') throw new ApiError(422, 'Must supply either tree.sha or tree.content. Request will be rejected if both are present.', {}, docs);
      if (type === 'tree') {
        if (!repo.objects.tree(e.sha)) throw new ApiError(422, `tree.sha ${e.sha} is not a valid tree`, {}, docs);
        for (const p of [...flat.keys()]) if (p.startsWith(`${path}/`)) flat.delete(p);
        for (const [sub, v] of repo.objects.flatten(e.sha)) flat.set(`${path}/${sub}`, v);
      } else {
        if (!repo.objects.blob(e.sha)) throw new ApiError(422, `tree.sha ${e.sha} is not a valid blob`, {}, docs);
        flat.set(path, { sha: e.sha, mode });
      }
    }
    const sha = repo.objects.buildTree(flat);
    return ok(treeJson(ctx, repo, sha, false), 201, { location: `${repoApi(ctx, repo)}/git/trees/${sha}` });
  });

  r.add('GET', '/repos/{owner}/{repo}/git/commits/{sha}', (ctx) => {
    const docs = `${DOCS}/git/commits#get-a-commit-object`;
    const repo = getRepo(ctx, docs);
    if (!repo.objects.commit(ctx.params.sha ?? '')) throw notFound(docs);
    return ok(gitCommitJson(ctx, repo, ctx.params.sha ?? ''));
  });

  r.add('POST', '/repos/{owner}/{repo}/git/commits', (ctx) => {
    const docs = `${DOCS}/git/commits#create-a-commit`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const message = str(body, 'message');
    const tree = str(body, 'tree');
    if (message === undefined) throw new ApiError(422, 'Invalid request.\n\n"message" wasn\'t supplied.', {}, docs);
    if (!tree) throw new ApiError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.', {}, docs);
    if (!repo.objects.tree(tree)) throw new ApiError(422, 'Tree SHA does not exist', {}, docs);
    const parents = Array.isArray(body.parents) ? body.parents.filter((p): p is string => typeof p === 'string') : [];
    for (const p of parents) if (!repo.objects.commit(p)) throw new ApiError(422, 'Parent SHA does not exist or is not a commit object', {}, docs);
    const author = identityFrom(ctx, body.author) ?? ctx.state.identity(ctx.user?.login ?? 'ghost');
    const committer = identityFrom(ctx, body.committer) ?? author;
    const sha = repo.objects.writeCommit({ tree, parents, author, committer, message });
    return ok(gitCommitJson(ctx, repo, sha), 201, { location: `${repoApi(ctx, repo)}/git/commits/${sha}` });
  });

  // --- contents and archives --------------------------------------------------------
  const getContents = (ctx: Ctx): Reply => {
    const docs = `${DOCS}/repos/contents#get-repository-content`;
    const repo = getRepo(ctx, docs);
    const ref = ctx.query.get('ref') || repo.defaultBranch;
    const sha = ctx.state.resolve(repo, ref);
    if (!sha) throw new ApiError(404, `No commit found for the ref ${ref}`, {}, docs);
    const commit = repo.objects.commit(sha);
    if (!commit) throw notFound(docs);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const entry = repo.objects.lookup(commit.tree, path);
    if (!entry) throw notFound(docs);
    if (entry.type === 'tree') {
      const t = repo.objects.tree(entry.sha);
      const items = (t?.entries ?? []).map((e) => contentItem(ctx, repo, ref, path ? `${path}/${e.name}` : e.name, e, false));
      return ok(items);
    }
    return ok(contentItem(ctx, repo, ref, path, entry, true));
  };
  r.add('GET', '/repos/{owner}/{repo}/contents', getContents);
  r.add('GET', '/repos/{owner}/{repo}/contents/{path+}', getContents);

  r.add('PUT', '/repos/{owner}/{repo}/contents/{path+}', (ctx) => {
    const docs = `${DOCS}/repos/contents#create-or-update-file-contents`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const path = ctx.params.path ?? '';
    const message = str(body, 'message');
    const content = str(body, 'content');
    if (message === undefined || content === undefined) {
      throw new ApiError(422, `Invalid request.\n\n"${message === undefined ? 'message' : 'content'}" wasn't supplied.`, {}, docs);
    }
    const branch = str(body, 'branch') ?? repo.defaultBranch;
    const tip = repo.refs.get(`refs/heads/${branch}`) ?? null;
    // An empty repository takes its first commit this way, on the default branch.
    if (!tip && (repo.refs.size > 0 || branch !== repo.defaultBranch)) throw new ApiError(404, `Branch ${branch} not found`, {}, docs);
    const current = ctx.state.flatAt(repo, tip).get(path);
    const given = str(body, 'sha');
    if (current && given !== current.sha) {
      throw new ApiError(409, given ? `${path} does not match ${given}` : 'Invalid request.\n\n"sha" wasn\'t supplied.', {}, docs);
    }
    const flat = ctx.state.flatAt(repo, tip);
    const blob = repo.objects.writeBlob(Buffer.from(content, 'base64'));
    flat.set(path, { sha: blob, mode: current?.mode ?? '100644' });
    const tree = repo.objects.buildTree(flat);
    const author = identityFrom(ctx, body.author) ?? ctx.state.identity(ctx.user?.login ?? 'ghost');
    const committer = identityFrom(ctx, body.committer) ?? author;
    const sha = repo.objects.writeCommit({ tree, parents: tip ? [tip] : [], author, committer, message });
    ctx.state.setRef(repo, `refs/heads/${branch}`, sha);
    const entry = repo.objects.lookup(tree, path) as TreeEntry;
    return ok({ content: contentItem(ctx, repo, branch, path, entry, false), commit: gitCommitJson(ctx, repo, sha) }, current ? 200 : 201);
  });

  const tarball = (ctx: Ctx): Reply => {
    const docs = `${DOCS}/repos/contents#download-a-repository-archive-tar`;
    const repo = getRepo(ctx, docs);
    const ref = ctx.params.ref || repo.defaultBranch;
    const sha = ctx.state.resolve(repo, ref);
    if (!sha) throw notFound(docs);
    // GitHub redirects to codeload; the sandbox's "codeload" is a path on the same server
    return { status: 302, headers: { location: `${ctx.baseUrl}/_codeload/${repo.fullName}/legacy.tar.gz/${sha}` } };
  };
  r.add('GET', '/repos/{owner}/{repo}/tarball', tarball);
  r.add('GET', '/repos/{owner}/{repo}/tarball/{ref+}', tarball);

  // --- commits, statuses, checks, compare ----------------------------------------------
  r.add('GET', '/repos/{owner}/{repo}/commits', (ctx) => {
    const repo = getRepo(ctx);
    const tip = ctx.state.resolve(repo, ctx.query.get('sha') || repo.defaultBranch);
    if (!tip) throw notFound();
    const path = ctx.query.get('path');
    let shas = [...repo.objects.commitsBetween(ZERO_SHA, tip)].reverse();
    if (path) {
      shas = shas.filter((s) => {
        const c = repo.objects.commit(s);
        const mine = c ? ctx.state.flatAt(repo, s).get(path)?.sha : undefined;
        const parent = c?.parents[0] ? ctx.state.flatAt(repo, c.parents[0]).get(path)?.sha : undefined;
        return mine !== parent;
      });
    }
    const { page, headers } = paginate(ctx, shas);
    return ok(
      page.map((s) => restCommitJson(ctx, repo, s, false)),
      200,
      headers,
    );
  });

  const combinedStatus = (ctx: Ctx): Reply => {
    const repo = getRepo(ctx);
    const sha = ctx.state.resolve(repo, ctx.params.ref ?? '');
    if (!sha) throw new ApiError(422, `No commit found for SHA: ${ctx.params.ref}`);
    const statuses = ctx.state.statuses.get(`${repo.fullName.toLowerCase()}@${sha}`) ?? [];
    const state =
      statuses.length === 0 ? 'pending' : statuses.some((s) => s.state === 'failure' || s.state === 'error') ? 'failure' : statuses.every((s) => s.state === 'success') ? 'success' : 'pending';
    const items = statuses.map((s) => ({
      url: `${repoApi(ctx, repo)}/statuses/${sha}`,
      id: s.id,
      node_id: nodeId('StatusContext', s.id),
      state: s.state,
      description: s.description,
      target_url: s.targetUrl,
      context: s.context,
      created_at: s.createdAt,
      updated_at: s.createdAt,
      avatar_url: null,
    }));
    return ok({
      state,
      statuses: items,
      sha,
      total_count: items.length,
      repository: repoJson(ctx, repo),
      commit_url: `${repoApi(ctx, repo)}/commits/${sha}`,
      url: `${repoApi(ctx, repo)}/commits/${sha}/status`,
    });
  };
  r.add('GET', '/repos/{owner}/{repo}/commits/{ref}/status', combinedStatus);

  r.add('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (ctx) => {
    const repo = getRepo(ctx);
    const sha = ctx.state.resolve(repo, ctx.params.ref ?? '');
    if (!sha) throw new ApiError(422, `No commit found for SHA: ${ctx.params.ref}`);
    const runs = ctx.state.checkRuns.get(`${repo.fullName.toLowerCase()}@${sha}`) ?? [];
    return ok({
      total_count: runs.length,
      check_runs: runs.map((c) => ({
        id: c.id,
        node_id: nodeId('CheckRun', c.id),
        head_sha: sha,
        external_id: String(c.id),
        url: `${repoApi(ctx, repo)}/check-runs/${c.id}`,
        html_url: `${repoHtml(ctx, repo)}/runs/${c.id}`,
        details_url: `${repoHtml(ctx, repo)}/runs/${c.id}`,
        status: c.status,
        conclusion: c.conclusion,
        started_at: c.startedAt,
        completed_at: c.completedAt,
        output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${repoApi(ctx, repo)}/check-runs/${c.id}/annotations` },
        name: c.name,
        check_suite: { id: c.id },
        app: null,
        pull_requests: [],
      })),
    });
  });

  r.add('GET', '/repos/{owner}/{repo}/commits/{ref+}', (ctx) => {
    const docs = `${DOCS}/commits/commits#get-a-commit`;
    const repo = getRepo(ctx, docs);
    const sha = ctx.state.resolve(repo, ctx.params.ref ?? '');
    if (!sha) throw new ApiError(422, `No commit found for SHA: ${ctx.params.ref}`, {}, docs);
    return ok(restCommitJson(ctx, repo, sha, true));
  });

  r.add('GET', '/repos/{owner}/{repo}/compare/{basehead+}', (ctx) => {
    const docs = `${DOCS}/commits/commits#compare-two-commits`;
    const repo = getRepo(ctx, docs);
    const [baseRef, headRef] = (ctx.params.basehead ?? '').split('...');
    const base = baseRef ? ctx.state.resolve(repo, baseRef) : undefined;
    const head = headRef ? ctx.state.resolve(repo, headRef) : undefined;
    if (!base || !head) throw notFound(docs);
    const mb = repo.objects.mergeBase(base, head) ?? null;
    const ahead = repo.objects.commitsBetween(base, head);
    const behind = repo.objects.commitsBetween(head, base);
    const status = ahead.length === 0 && behind.length === 0 ? 'identical' : behind.length === 0 ? 'ahead' : ahead.length === 0 ? 'behind' : 'diverged';
    return ok({
      url: `${repoApi(ctx, repo)}/compare/${ctx.params.basehead}`,
      html_url: `${repoHtml(ctx, repo)}/compare/${ctx.params.basehead}`,
      permalink_url: `${repoHtml(ctx, repo)}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${repoHtml(ctx, repo)}/compare/${ctx.params.basehead}.diff`,
      patch_url: `${repoHtml(ctx, repo)}/compare/${ctx.params.basehead}.patch`,
      base_commit: restCommitJson(ctx, repo, base, false),
      merge_base_commit: mb ? restCommitJson(ctx, repo, mb, false) : null,
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: ahead.map((s) => restCommitJson(ctx, repo, s, false)),
      files: fileEntries(ctx, repo, mb, head),
    });
  });

  // --- pulls ---------------------------------------------------------------------------
  r.add('GET', '/repos/{owner}/{repo}/pulls', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#list-pull-requests`;
    const repo = getRepo(ctx, docs);
    const state = ctx.query.get('state') ?? 'open';
    const head = ctx.query.get('head');
    const base = ctx.query.get('base');
    const sort = ctx.query.get('sort') ?? 'created';
    const direction = ctx.query.get('direction') ?? (sort === 'created' || sort === 'updated' ? 'desc' : 'asc');
    let list = ctx.state.pullList(repo).filter((p) => state === 'all' || p.state === state);
    if (head?.includes(':')) {
      // GitHub's head filter is "user:ref-name"; a bare branch name is silently ignored
      const [owner, branch] = head.split(/:(.*)/s);
      list = list.filter((p) => owner?.toLowerCase() === repo.owner.toLowerCase() && p.head === branch);
    }
    if (base) list = list.filter((p) => p.base === base);
    const key = (p: PullState): string => (sort === 'updated' ? p.updatedAt : p.createdAt);
    list = [...list].sort((a, b) => {
      const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.number - b.number;
      return direction === 'asc' ? c : -c;
    });
    const { page, headers } = paginate(ctx, list);
    return ok(
      page.map((p) => pullJson(ctx, repo, p, false)),
      200,
      headers,
    );
  });

  r.add('POST', '/repos/{owner}/{repo}/pulls', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#create-a-pull-request`;
    const repo = getRepo(ctx, docs);
    requireWrite(ctx, repo, 'pull_requests', false, docs);
    const body = jsonBody(ctx);
    const title = str(body, 'title');
    const headParam = str(body, 'head');
    const base = str(body, 'base');
    if (!headParam || !base || title === undefined) {
      const missing = !headParam ? 'head' : !base ? 'base' : 'title';
      throw validationFailed([{ resource: 'PullRequest', field: missing, code: 'missing_field' }], docs);
    }
    let headOwner = repo.owner;
    let head = headParam;
    if (headParam.includes(':')) [headOwner, head] = headParam.split(/:(.*)/s) as [string, string];
    const headSha = headOwner.toLowerCase() === repo.owner.toLowerCase() ? repo.refs.get(`refs/heads/${head}`) : undefined;
    const baseSha = repo.refs.get(`refs/heads/${base}`);
    const errors: Record<string, unknown>[] = [];
    if (!baseSha) errors.push({ resource: 'PullRequest', field: 'base', code: 'invalid' });
    if (!headSha) errors.push({ resource: 'PullRequest', field: 'head', code: 'invalid' });
    if (errors.length > 0) throw validationFailed(errors, docs);
    const existing = ctx.state.pullList(repo).find((p) => p.state === 'open' && p.head === head && p.base === base);
    if (existing) throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${headOwner}:${head}.` }], docs);
    if (repo.objects.commitsBetween(baseSha as string, headSha as string).length === 0) {
      throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }], docs);
    }
    const p = ctx.state.createPull(repo, {
      title,
      body: str(body, 'body') ?? null,
      head,
      base,
      author: ctx.user?.login ?? 'ghost',
      draft: body.draft === true,
    });
    return ok(pullJson(ctx, repo, p, true), 201, { location: `${repoApi(ctx, repo)}/pulls/${p.number}` });
  });

  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#get-a-pull-request`;
    const repo = getRepo(ctx, docs);
    return ok(pullJson(ctx, repo, getPull(ctx, repo, docs), true));
  });

  r.add('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#update-a-pull-request`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    requireWrite(ctx, repo, 'pull_requests', false, docs);
    // the author or a pusher may edit a pull request
    if (ctx.user?.login.toLowerCase() !== p.author.toLowerCase() && !canPush(ctx, repo)) throw new ApiError(403, 'Must have push access to update a pull request.', {}, docs);
    const body = jsonBody(ctx);
    const title = str(body, 'title');
    const text = body.body === null ? null : str(body, 'body');
    const state = str(body, 'state');
    const base = str(body, 'base');
    if (state !== undefined && state !== 'open' && state !== 'closed') {
      throw validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }], docs);
    }
    if (state === 'open' && p.state === 'closed') {
      if (p.mergedAt) throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: 'Cannot reopen a merged pull request.' }], docs);
      if (!repo.refs.has(`refs/heads/${p.head}`)) throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `The ${p.head} branch has been deleted.` }], docs);
      const dup = ctx.state.pullList(repo).find((x) => x !== p && x.state === 'open' && x.head === p.head && x.base === p.base);
      if (dup) throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${p.head}.` }], docs);
    }
    if (base !== undefined && !repo.refs.has(`refs/heads/${base}`)) {
      throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], docs);
    }
    const when = ctx.state.nowIso();
    if (title !== undefined) p.title = title;
    if (text !== undefined) p.body = text;
    if (base !== undefined) p.base = base;
    if (state === 'closed' && p.state === 'open') {
      p.state = 'closed';
      p.closedAt = when;
      p.frozenHeadSha = ctx.state.headSha(repo, p);
      p.frozenBaseSha = ctx.state.baseSha(repo, p);
    } else if (state === 'open' && p.state === 'closed') {
      p.state = 'open';
      p.closedAt = null;
      p.frozenHeadSha = null;
      p.frozenBaseSha = null;
    }
    p.updatedAt = when;
    return ok(pullJson(ctx, repo, p, true));
  });

  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#check-if-a-pull-request-has-been-merged`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    if (!p.mergedAt) throw notFound(docs);
    return { status: 204 };
  });

  r.add('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#merge-a-pull-request`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    requireWrite(ctx, repo, 'contents', true, docs);
    const body = jsonBody(ctx);
    const method = str(body, 'merge_method') ?? 'merge';
    if (method !== 'merge' && method !== 'squash' && method !== 'rebase') {
      throw validationFailed([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }], docs, 'Invalid request.');
    }
    if (p.state !== 'open' || !ctx.state.isMergeable(repo, p)) throw new ApiError(405, 'Pull Request is not mergeable', {}, docs);
    const expected = str(body, 'sha');
    if (expected && expected !== ctx.state.headSha(repo, p)) throw new ApiError(409, 'Head branch was modified. Review and try the merge again.', {}, docs);
    const sha = ctx.state.mergePull(repo, p, ctx.user?.login ?? 'ghost', method, str(body, 'commit_title'), str(body, 'commit_message'));
    if (!sha) throw new ApiError(405, 'Pull Request is not mergeable', {}, docs);
    return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
  });

  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#list-pull-requests-files`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    const head = ctx.state.headSha(repo, p);
    const base = ctx.state.baseSha(repo, p);
    const from = p.mergedAt ? base : (repo.objects.mergeBase(base, head) ?? null);
    const { page, headers } = paginate(ctx, fileEntries(ctx, repo, from, head));
    return ok(page, 200, headers);
  });

  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/commits', (ctx) => {
    const docs = `${DOCS}/pulls/pulls#list-commits-on-a-pull-request`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    const shas = repo.objects.commitsBetween(ctx.state.baseSha(repo, p), ctx.state.headSha(repo, p));
    const { page, headers } = paginate(ctx, shas, 250);
    return ok(
      page.map((s) => restCommitJson(ctx, repo, s, false)),
      200,
      headers,
    );
  });

  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const docs = `${DOCS}/pulls/reviews#list-reviews-for-a-pull-request`;
    const repo = getRepo(ctx, docs);
    const p = getPull(ctx, repo, docs);
    const reviews = ctx.state.reviews.get(`${repo.fullName.toLowerCase()}#${p.number}`) ?? [];
    const html = `${repoHtml(ctx, repo)}/pull/${p.number}`;
    const items = reviews.map((rv) => ({
      id: rv.id,
      node_id: nodeId('PullRequestReview', rv.id),
      user: userRef(ctx, rv.user),
      body: rv.body,
      state: rv.state,
      html_url: `${html}#pullrequestreview-${rv.id}`,
      pull_request_url: `${repoApi(ctx, repo)}/pulls/${p.number}`,
      author_association: 'COLLABORATOR',
      _links: { html: { href: `${html}#pullrequestreview-${rv.id}` }, pull_request: { href: `${repoApi(ctx, repo)}/pulls/${p.number}` } },
      submitted_at: rv.submittedAt,
      commit_id: rv.commitId,
    }));
    const { page, headers } = paginate(ctx, items);
    return ok(page, 200, headers);
  });

  // --- issue labels (a PR's labels live on its issue) ------------------------------------
  r.add('POST', '/repos/{owner}/{repo}/issues/{issue_number}/labels', (ctx) => {
    const docs = `${DOCS}/issues/labels#add-labels-to-an-issue`;
    const repo = getRepo(ctx, docs);
    const p = ctx.state.pullList(repo).find((x) => x.number === Number(ctx.params.issue_number));
    if (!p) throw notFound(docs);
    requireWrite(ctx, repo, 'pull_requests', false, docs);
    // {"labels": [...]}; names the repository does not have yet become new labels
    const names = jsonBody(ctx).labels;
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || n.length === 0 || n.length > 50)) {
      throw validationFailed([{ resource: 'Label', field: 'labels', code: 'invalid' }], docs);
    }
    for (const n of names as string[]) if (!p.labels.includes(n)) p.labels.push(n);
    return ok(p.labels.map((name) => labelJson(ctx, repo, name)));
  });

  // --- search ----------------------------------------------------------------------------
  r.add('GET', '/search/issues', (ctx) => {
    const docs = `${DOCS}/search/search#search-issues-and-pull-requests`;
    const q = ctx.query.get('q');
    if (!q) throw validationFailed([{ resource: 'Search', field: 'q', code: 'missing' }], docs);
    let candidates: { repo: RepoState; p: PullState }[] = [];
    for (const repo of ctx.state.repos.values()) if (canRead(ctx, repo)) for (const p of ctx.state.pullList(repo)) candidates.push({ repo, p });
    const words: string[] = [];
    for (const term of q.split(/\s+/).filter((t) => t !== '')) {
      const m = /^(-?)(\w+):(.+)$/.exec(term);
      if (!m) {
        words.push(term.toLowerCase());
        continue;
      }
      const [, neg, key, value] = m as unknown as [string, string, string, string];
      const v = value.toLowerCase();
      const test = (x: { repo: RepoState; p: PullState }): boolean => {
        switch (key) {
          case 'is':
          case 'type':
            return v === 'pr' || v === 'pull-request'
              ? true
              : v === 'issue'
                ? false
                : v === 'open'
                  ? x.p.state === 'open'
                  : v === 'closed'
                    ? x.p.state === 'closed'
                    : v === 'merged'
                      ? x.p.mergedAt !== null
                      : v === 'unmerged'
                        ? x.p.mergedAt === null
                        : true;
          case 'state':
            return x.p.state === v;
          case 'author':
            return x.p.author.toLowerCase() === v || (v.startsWith('app/') && x.p.author.toLowerCase() === `${v.slice(4)}[bot]`);
          case 'repo':
            return x.repo.fullName.toLowerCase() === v;
          case 'user':
          case 'org':
            return x.repo.owner.toLowerCase() === v;
          case 'head':
            return x.p.head.toLowerCase() === v;
          case 'base':
            return x.p.base.toLowerCase() === v;
          default:
            return true;
        }
      };
      candidates = candidates.filter((x) => (neg ? !test(x) : test(x)));
    }
    if (words.length > 0) candidates = candidates.filter((x) => words.every((w) => `${x.p.title} ${x.p.body ?? ''}`.toLowerCase().includes(w)));
    const sort = ctx.query.get('sort');
    const order = ctx.query.get('order') ?? 'desc';
    const key = (x: { p: PullState }): string => (sort === 'updated' ? x.p.updatedAt : x.p.createdAt);
    candidates.sort((a, b) => {
      const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.p.id - b.p.id;
      return order === 'asc' ? c : -c;
    });
    const { page, headers } = paginate(ctx, candidates);
    const items = page.map(({ repo, p }) => {
      const api = repoApi(ctx, repo);
      return {
        url: `${api}/issues/${p.number}`,
        repository_url: api,
        html_url: `${repoHtml(ctx, repo)}/pull/${p.number}`,
        id: p.id,
        node_id: nodeId('PullRequest', p.id),
        number: p.number,
        title: p.title,
        user: userRef(ctx, p.author),
        labels: [],
        state: p.state,
        locked: false,
        assignee: null,
        assignees: [],
        milestone: null,
        comments: 0,
        created_at: p.createdAt,
        updated_at: p.updatedAt,
        closed_at: p.closedAt,
        author_association: 'CONTRIBUTOR',
        draft: p.draft,
        pull_request: {
          url: `${api}/pulls/${p.number}`,
          html_url: `${repoHtml(ctx, repo)}/pull/${p.number}`,
          diff_url: `${repoHtml(ctx, repo)}/pull/${p.number}.diff`,
          patch_url: `${repoHtml(ctx, repo)}/pull/${p.number}.patch`,
          merged_at: p.mergedAt,
        },
        body: p.body,
        score: 1,
      };
    });
    return ok({ total_count: candidates.length, incomplete_results: false, items }, 200, headers);
  });

  return r;
}

/** Weak ETag over the body and the caller, as GitHub's vary on Authorization. */
export function etagFor(body: string, who: string): string {
  return `W/"${createHash('sha256').update(who).update('\0').update(body).digest('hex').slice(0, 40)}"`;
}
