// GitProvider for GitHub and GitHub Enterprise Server, over @octokit/rest (baseUrl = the
// host's API URL). The token is handed in per operation by the session vault and lives only
// in this Octokit instance for that operation; Octokit's own logging is silenced and its
// errors are mapped to ProviderError with GitHub's message, never request headers.
//
// Reading the marked files: a promotion must find every `$promotion` marker in the repo,
// and neither the tree nor the contents API says which files contain one. Tree + blobs costs
// 1 call + 1 per candidate blob, and without content every YAML file is a candidate (5,000
// calls for a 5,000-file repo). Code search is not available on every GHES and lags behind
// the branch. The tarball is one API call (plus the archive download it redirects to)
// whatever the repository's size, pinned to the exact commit, so it is what we use; only
// YAML entries containing the needle are kept in memory.
//
// Writing (commitToBranch): one POST git/trees with base_tree and inline `content` (GitHub
// creates the blobs itself, so no call per file), one POST git/commits, then the ref. The
// base tree comes from the getBranchHead answer that preceded it in this provider instance
// (the service always re-reads the base head first), else from one GET git/commits call. A
// second commitToBranch with the same parent, files and message (taking over a leftover
// branch) reuses the commit instead of writing it again.
//
// PR status: one GET commits/{sha}/check-runs per open PR (checksState). GitHub's review
// decision would cost another call per PR (pulls/{n}/reviews), so reviewState is not filled.

import { Octokit } from '@octokit/rest';
import { createHash } from 'node:crypto';
import {
  ProviderError,
  type BranchHead,
  type ScopeReport,
  type GitProvider,
  type ListPullsResult,
  type MergedPullRequest,
  type PullRequestInfo,
  type PullRequestStatus,
  type RepoCoordinates,
} from '../git-provider';
import { markedFilesFromArchive } from '../marked-files';
import { silentLog, USER_AGENT } from './octokit-options';

type FetchLike = typeof fetch;

export interface GitHubProviderOptions {
  apiUrl: string;
  token: string;
  fetch?: FetchLike;
}

interface HttpErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpError(e: unknown): e is HttpErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number';
}

function githubMessage(e: HttpErrorLike): string {
  const data = e.response?.data;
  if (data && typeof data === 'object') {
    const d = data as { message?: unknown; errors?: unknown };
    const parts: string[] = [];
    if (typeof d.message === 'string') parts.push(d.message);
    if (Array.isArray(d.errors)) {
      for (const x of d.errors) if (x && typeof x === 'object' && typeof (x as { message?: unknown }).message === 'string') parts.push((x as { message: string }).message);
    }
    if (parts.length > 0) return parts.join(': ');
  }
  return e.message.split('\n')[0] ?? 'request failed';
}

const scopeList = (value: string | number | undefined): string[] =>
  String(value ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** GitHub names a classic/OAuth token's scopes on every answer; fine-grained and app tokens have none. */
function scopeReport(headers: Record<string, string | number | undefined>): ScopeReport | undefined {
  const granted = headers['x-oauth-scopes'];
  if (granted === undefined) return undefined;
  return { granted: scopeList(granted), accepted: scopeList(headers['x-accepted-oauth-scopes']) };
}

/** Maps an Octokit error (or a network failure) to a ProviderError. */
export function toProviderError(e: unknown, what: string): ProviderError {
  if (e instanceof ProviderError) return e;
  if (!isHttpError(e)) return new ProviderError('unavailable', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  const headers = e.response?.headers ?? {};
  const message = `${what}: ${githubMessage(e)}`;
  const retryAfter = Number(headers['retry-after']);
  const remaining = headers['x-ratelimit-remaining'];
  const reset = Number(headers['x-ratelimit-reset']);
  if (e.status === 429 || ((e.status === 403 || e.status === 429) && (Number.isFinite(retryAfter) || String(remaining) === '0'))) {
    const wait = Number.isFinite(retryAfter) ? retryAfter : Number.isFinite(reset) ? Math.max(Math.ceil(reset - Date.now() / 1000), 1) : 60;
    return new ProviderError('rate-limited', message, e.status, wait);
  }
  if (e.status === 401) return new ProviderError('unauthorized', message, 401);
  if (e.status === 403 || e.status === 404) {
    const refused = new ProviderError(e.status === 403 ? 'forbidden' : 'not-found', message, e.status);
    const scopes = scopeReport(headers);
    if (scopes) refused.scopes = scopes;
    return refused;
  }
  if (e.status === 409 || e.status === 422) return new ProviderError('validation', message, e.status);
  if (e.status >= 500 || e.status === 0) return new ProviderError('unavailable', message, e.status);
  return new ProviderError('validation', message, e.status);
}

function pullInfo(p: {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  user: { login: string } | null;
  created_at: string;
}): PullRequestInfo {
  return {
    number: p.number,
    url: p.html_url,
    title: p.title,
    body: p.body ?? '',
    headBranch: p.head.ref,
    headSha: p.head.sha,
    baseBranch: p.base.ref,
    author: p.user?.login ?? '',
    createdAt: p.created_at,
  };
}

/** Check runs → the board's vocabulary: any failed run fails, any unfinished one is pending. */
export function checksStateOf(runs: readonly { status: string; conclusion?: string | null }[]): NonNullable<PullRequestStatus['checksState']> {
  if (runs.length === 0) return 'none';
  if (runs.some((r) => r.status === 'completed' && ['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure'].includes(r.conclusion ?? ''))) return 'failure';
  if (runs.some((r) => r.status !== 'completed')) return 'pending';
  return 'success';
}

export function createGitHubProvider(options: GitHubProviderOptions): GitProvider {
  const octokit = new Octokit({
    // an empty token: Octokit sends no Authorization header (anonymous reads of public repos)
    ...(options.token ? { auth: options.token } : {}),
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    log: silentLog,
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const treeOf = new Map<string, string>();
  const commits = new Map<string, string>();
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw toProviderError(e, what);
    }
  };

  /** Labels go on the PR's issue; best effort, as the PR already exists (its title says what it is). */
  const addLabels = async (repo: RepoCoordinates, number: number, labels: string[] | undefined): Promise<void> => {
    if (!labels || labels.length === 0) return;
    try {
      await octokit.rest.issues.addLabels({ owner: repo.owner, repo: repo.name, issue_number: number, labels });
    } catch {
      // no triage permission or labels disabled: the PR stands without its label
    }
  };

  return {
    async getBranchHead(repo, branch) {
      try {
        const res = await octokit.rest.repos.getBranch({ owner: repo.owner, repo: repo.name, branch });
        treeOf.set(res.data.commit.sha, res.data.commit.commit.tree.sha);
        return { sha: res.data.commit.sha };
      } catch (e) {
        const pe = toProviderError(e, `read branch ${branch}`);
        if (pe.kind === 'not-found' && isHttpError(e) && /branch not found/i.test(githubMessage(e))) return null;
        throw pe;
      }
    },

    async readMarkedFiles(repo, commitSha, needle) {
      const res = await call(`download ${repo.owner}/${repo.name}@${commitSha.slice(0, 7)}`, () => octokit.rest.repos.downloadTarballArchive({ owner: repo.owner, repo: repo.name, ref: commitSha }));
      const gz = Buffer.from(res.data as ArrayBuffer);
      return markedFilesFromArchive(gz, needle);
    },

    async commitToBranch(repo, { branch, parent, files, message, force }) {
      const key = createHash('sha256')
        .update(JSON.stringify([repo.owner, repo.name, parent.sha, message, files]))
        .digest('hex');
      let sha = commits.get(key);
      if (!sha) {
        let baseTree = treeOf.get(parent.sha);
        if (!baseTree) {
          const c = await call('read commit', () => octokit.rest.git.getCommit({ owner: repo.owner, repo: repo.name, commit_sha: parent.sha }));
          baseTree = c.data.tree.sha;
        }
        const tree = await call('create tree', () =>
          octokit.rest.git.createTree({
            owner: repo.owner,
            repo: repo.name,
            base_tree: baseTree,
            tree: files.map((f) => ({ path: f.path, mode: f.mode, type: 'blob' as const, content: f.content })),
          }),
        );
        const commit = await call('create commit', () => octokit.rest.git.createCommit({ owner: repo.owner, repo: repo.name, message, tree: tree.data.sha, parents: [parent.sha] }));
        sha = commit.data.sha;
        commits.set(key, sha);
      }
      const commitSha = sha;
      if (force) {
        await call(`move branch ${branch}`, () => octokit.rest.git.updateRef({ owner: repo.owner, repo: repo.name, ref: `heads/${branch}`, sha: commitSha, force: true }));
        return commitSha;
      }
      try {
        await octokit.rest.git.createRef({ owner: repo.owner, repo: repo.name, ref: `refs/heads/${branch}`, sha: commitSha });
        return commitSha;
      } catch (e) {
        if (isHttpError(e) && e.status === 422 && /already exists/i.test(githubMessage(e))) return null;
        throw toProviderError(e, `create branch ${branch}`);
      }
    },

    async updateBranch(repo, branch, sha, force) {
      await call(`move branch ${branch}`, () => octokit.rest.git.updateRef({ owner: repo.owner, repo: repo.name, ref: `heads/${branch}`, sha, force }));
    },

    async deleteBranch(repo, branch) {
      await call(`delete branch ${branch}`, () => octokit.rest.git.deleteRef({ owner: repo.owner, repo: repo.name, ref: `heads/${branch}` }));
    },

    async findOpenPullRequest(repo, headBranch) {
      const res = await call('list pull requests', () => octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, state: 'open', head: `${repo.owner}:${headBranch}`, per_page: 10 }));
      const found = res.data.find((p) => p.head.ref === headBranch);
      return found ? pullInfo(found) : null;
    },

    async openPullRequest(repo, { head, base, title, body, labels }) {
      const res = await call('open pull request', () => octokit.rest.pulls.create({ owner: repo.owner, repo: repo.name, head, base, title, body }));
      await addLabels(repo, res.data.number, labels);
      return pullInfo(res.data);
    },

    async updatePullRequest(repo, number, { title, body, labels }) {
      const res = await call(`update pull request #${number}`, () => octokit.rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: number, title, body }));
      await addLabels(repo, number, labels);
      return pullInfo(res.data);
    },

    async listMergedPullRequests(repo, since) {
      // Closed PRs by last update, newest first: a PR merged after `since` was updated after it,
      // so paging stops at the first page that reaches older updates (at most 10 pages).
      const merged: MergedPullRequest[] = [];
      for (let page = 1; page <= 10; page++) {
        const res = await call('list closed pull requests', () =>
          octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100, page }),
        );
        for (const p of res.data) if (p.merged_at && Date.parse(p.merged_at) >= Date.parse(since)) merged.push({ ...pullInfo(p), mergedAt: p.merged_at });
        const last = res.data[res.data.length - 1];
        if (res.data.length < 100 || !last || Date.parse(last.updated_at) < Date.parse(since)) break;
      }
      return merged.sort((a, b) => (a.mergedAt < b.mergedAt ? 1 : -1));
    },

    async approversOf(repo, number) {
      const res = await call(`read reviews of #${number}`, () => octokit.rest.pulls.listReviews({ owner: repo.owner, repo: repo.name, pull_number: number, per_page: 100 }));
      // a reviewer's latest review counts (an approval later dismissed is no approval)
      const latest = new Map<string, string>();
      for (const r of res.data) if (r.user?.login && r.state !== 'COMMENTED') latest.set(r.user.login, r.state);
      return [...latest].filter(([, state]) => state === 'APPROVED').map(([login]) => login);
    },

    async listOpenPullRequests(repo: RepoCoordinates, etag?: string | null): Promise<ListPullsResult> {
      try {
        const res = await octokit.rest.pulls.list({
          owner: repo.owner,
          repo: repo.name,
          state: 'open',
          per_page: 100,
          ...(etag ? { headers: { 'if-none-match': etag } } : {}),
        });
        const tag = res.headers.etag;
        return { notModified: false, etag: typeof tag === 'string' ? tag : null, pulls: res.data.map(pullInfo) };
      } catch (e) {
        if (isHttpError(e) && e.status === 304) return { notModified: true };
        throw toProviderError(e, 'list pull requests');
      }
    },

    async pullRequestStatus(repo, pr): Promise<PullRequestStatus> {
      const res = await call(`read checks of #${pr.number}`, () => octokit.rest.checks.listForRef({ owner: repo.owner, repo: repo.name, ref: pr.headSha, per_page: 100 }));
      return { checksState: checksStateOf(res.data.check_runs) };
    },

    async pullRequestMergedAt(repo, number) {
      const res = await call(`read pull request #${number}`, () => octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: number }));
      return res.data.merged_at ?? null;
    },
  };
}

export type { BranchHead };
