// GitProvider for GitLab (gitlab.com and self-managed) over the REST API v4, plus the
// merge-request status the board shows (head pipeline, approvals).
//
// Security model: the token is handed in per operation by the session vault and only ever
// sent as a request header to the configured API origin; redirects are refused (a redirect
// could carry the PRIVATE-TOKEN/Authorization header elsewhere); errors carry GitLab's
// message, never request headers.
//
// Mapping GitLab onto the provider interface:
// - Projects live in nested groups: RepoCoordinates.owner is the full namespace path
//   ("platform-team/infra"), and the project is addressed by its URL-encoded full path.
// - Reading the marked files: one archive.tar.gz call for the exact commit, whatever the
//   repository's size. gitlab.com rate-limits archive downloads hard (a few per minute per
//   user), so a 429 falls back to the recursive tree (100 entries per page) + raw YAML files.
// - Writing: commitToBranch is one POST /repository/commits with start_sha (the parent),
//   actions and force: GitLab makes the commit and points the branch at it in one call.
//   Branch moves to an existing sha (the service's rollback path) are delete + create, as
//   GitLab cannot move a branch to another commit.
// - PR status for the board: one GET /merge_requests/:iid per open MR (head pipeline →
//   checksState; detailed_merge_status → mergeState and, where it implies one, reviewState;
//   see gitlab-merge-status.ts). The approval count needs a second call, so the full
//   picture is mergeRequestStatus (2 calls).

import { ProviderError, type GitProvider, type ListPullsResult, type MergedPullRequest, type PullRequestInfo, type PullRequestStatus, type RepoCoordinates, type RepoTextFile } from '../git-provider';
import { isYamlPath, markedFilesFromArchive, sortByPath } from '../marked-files';
import { gitlabMergeState } from './gitlab-merge-status';
import { createGitLabClient, gitlabErrorMessage, isRecord, parseJson, type FetchLike, type GitLabAnswer, type GitLabTokenHeader } from './rest-client';

export { gitlabErrorMessage } from './rest-client';

export interface GitLabProviderOptions {
  /** e.g. https://gitlab.com/api/v4 */
  apiUrl: string;
  token: string;
  /** OAuth tokens need Bearer; personal/project/group access tokens work with both. Default bearer. */
  tokenHeader?: GitLabTokenHeader;
  fetch?: FetchLike;
  /** per request; default 30 s */
  timeoutMs?: number;
  /** concurrent raw-file reads in the tree fallback; default 4 */
  fallbackConcurrency?: number;
  /** open merge requests get "delete source branch when merged"; default true */
  removeSourceBranch?: boolean;
}

export type GitLabPipelineStatus = 'created' | 'waiting_for_resource' | 'preparing' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual' | 'scheduled';

/** What the board shows about an open promotion MR. */
export interface GitLabMergeRequestStatus {
  iid: number;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  detailedMergeStatus: string;
  headPipeline: { id: number; status: GitLabPipelineStatus; url: string } | null;
  approvals: { required: number; left: number; approvedBy: string[] };
  /** the board's vocabulary (PullRequestSummary) */
  checksState: 'success' | 'failure' | 'pending' | 'none';
  reviewState: 'approved' | 'review-required' | 'none';
}

export interface GitLabProvider extends GitProvider {
  listMergedPullRequests: NonNullable<GitProvider['listMergedPullRequests']>;
  approversOf: NonNullable<GitProvider['approversOf']>;
  mergeRequestStatus(repo: RepoCoordinates, iid: number): Promise<GitLabMergeRequestStatus>;
}

function toError(a: GitLabAnswer, what: string): ProviderError {
  const message = `${what}: ${gitlabErrorMessage(parseJson(a.body), a.status)}`;
  if (a.status === 429) {
    const retry = Number(a.headers.get('retry-after'));
    const reset = Number(a.headers.get('ratelimit-reset'));
    const wait = Number.isFinite(retry) && retry > 0 ? retry : Number.isFinite(reset) && reset > 0 ? Math.max(Math.ceil(reset - Date.now() / 1000), 1) : 60;
    return new ProviderError('rate-limited', message, 429, wait);
  }
  if (a.status === 401) return new ProviderError('unauthorized', message, 401);
  if (a.status === 403) return new ProviderError('forbidden', message, 403);
  if (a.status === 404) return new ProviderError('not-found', message, 404);
  if (a.status >= 500) return new ProviderError('unavailable', message, a.status);
  return new ProviderError('validation', message, a.status);
}

function mrInfo(m: Record<string, unknown>): PullRequestInfo {
  const author = isRecord(m.author) && typeof m.author.username === 'string' ? m.author.username : '';
  return {
    number: Number(m.iid),
    url: String(m.web_url ?? ''),
    title: String(m.title ?? ''),
    body: typeof m.description === 'string' ? m.description : '',
    headBranch: String(m.source_branch ?? ''),
    headSha: typeof m.sha === 'string' ? m.sha : '',
    baseBranch: String(m.target_branch ?? ''),
    author,
    createdAt: String(m.created_at ?? ''),
  };
}

export function checksStateOf(status: string | undefined): GitLabMergeRequestStatus['checksState'] {
  if (!status) return 'none';
  if (status === 'success' || status === 'skipped') return 'success';
  if (status === 'failed' || status === 'canceled') return 'failure';
  return 'pending';
}

/** Usernames in a merge request's approvals answer (`approved_by[].user.username`). */
function approvedByOf(ap: unknown): string[] {
  return isRecord(ap) && Array.isArray(ap.approved_by) ? ap.approved_by.map((x) => (isRecord(x) && isRecord(x.user) ? String(x.user.username) : '')).filter((u) => u !== '') : [];
}

/** The project's `:id` for URLs: the URL-encoded full path (sub-groups included). */
export function gitlabProjectId(repo: RepoCoordinates): string {
  return encodeURIComponent(`${repo.owner}/${repo.name}`);
}

export function createGitLabProvider(options: GitLabProviderOptions): GitLabProvider {
  const client = createGitLabClient({
    apiUrl: options.apiUrl,
    token: options.token,
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.tokenHeader ? { tokenHeader: options.tokenHeader } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function request(method: string, path: string, what: string, body?: unknown): Promise<GitLabAnswer> {
    try {
      return await client.send(method, path, body);
    } catch (e) {
      throw new ProviderError('unavailable', `${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  async function json(method: string, path: string, what: string, body?: unknown): Promise<unknown> {
    const a = await request(method, path, what, body);
    if (a.status < 200 || a.status >= 300) throw toError(a, what);
    return parseJson(a.body);
  }

  /** Every page of a list (GitLab's x-next-page header). */
  async function all(path: string, what: string): Promise<unknown[]> {
    const out: unknown[] = [];
    let page = '1';
    for (let i = 0; i < 1000 && page; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const a = await request('GET', `${path}${sep}per_page=100&page=${page}`, what);
      if (a.status !== 200) throw toError(a, what);
      const items = parseJson(a.body);
      if (Array.isArray(items)) out.push(...items);
      page = a.headers.get('x-next-page') ?? '';
    }
    return out;
  }

  const project = (repo: RepoCoordinates): string => `/projects/${gitlabProjectId(repo)}`;

  async function readViaTree(repo: RepoCoordinates, commitSha: string, needle: string): Promise<RepoTextFile[]> {
    const entries = (await all(`${project(repo)}/repository/tree?recursive=true&ref=${encodeURIComponent(commitSha)}`, 'list repository tree')).filter(
      (e): e is Record<string, unknown> => isRecord(e) && e.type === 'blob' && typeof e.path === 'string' && isYamlPath(e.path),
    );
    const out: RepoTextFile[] = [];
    const queue = [...entries];
    const worker = async (): Promise<void> => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        const path = e.path as string;
        const a = await request('GET', `${project(repo)}/repository/files/${encodeURIComponent(path)}/raw?ref=${encodeURIComponent(commitSha)}`, `read ${path}`);
        if (a.status !== 200) throw toError(a, `read ${path}`);
        const content = a.body.toString('utf8');
        if (content.includes(needle)) out.push({ path, content, mode: e.mode === '100755' ? '100755' : '100644' });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.fallbackConcurrency ?? 4) }, worker));
    return out;
  }

  return {
    async getBranchHead(repo, branch) {
      const a = await request('GET', `${project(repo)}/repository/branches/${encodeURIComponent(branch)}`, `read branch ${branch}`);
      if (a.status === 404 && /branch not found/i.test(gitlabErrorMessage(parseJson(a.body), 404))) return null;
      if (a.status !== 200) throw toError(a, `read branch ${branch}`);
      const b = parseJson(a.body);
      const sha = isRecord(b) && isRecord(b.commit) && typeof b.commit.id === 'string' ? b.commit.id : undefined;
      if (!sha) throw new ProviderError('unavailable', `read branch ${branch}: unexpected answer`);
      return { sha };
    },

    async readMarkedFiles(repo, commitSha, needle) {
      const what = `download ${repo.owner}/${repo.name}@${commitSha.slice(0, 7)}`;
      const a = await request('GET', `${project(repo)}/repository/archive.tar.gz?sha=${encodeURIComponent(commitSha)}`, what);
      if (a.status === 429) return sortByPath(await readViaTree(repo, commitSha, needle));
      if (a.status !== 200) throw toError(a, what);
      return markedFilesFromArchive(a.body, needle);
    },

    async commitToBranch(repo, { branch, parent, files, message, force }) {
      if (files.length === 0) throw new ProviderError('validation', 'create commit: no files to change');
      const what = `commit to ${branch}`;
      const a = await request('POST', `${project(repo)}/repository/commits`, what, {
        branch,
        start_sha: parent.sha,
        commit_message: message,
        // 'update' keeps the file's mode, so RepoTextFile.mode needs no chmod action
        actions: files.map((f) => ({ action: 'update', file_path: f.path, content: f.content })),
        force,
      });
      // GitLab: "A branch called '<b>' already exists. ..."; check the branch too rather than trust the wording
      if (!force && a.status === 400 && (/already exists/i.test(gitlabErrorMessage(parseJson(a.body), 400)) || (await this.getBranchHead(repo, branch)) !== null)) return null;
      if (a.status !== 201) throw toError(a, what);
      const id = (parseJson(a.body) as Record<string, unknown> | undefined)?.id;
      if (typeof id !== 'string') throw new ProviderError('unavailable', `${what}: unexpected answer`);
      return id;
    },

    async updateBranch(repo, branch, sha, force) {
      if (!force) throw new ProviderError('validation', `move branch ${branch}: GitLab can only move a branch by recreating it`);
      // GitLab cannot point a branch at another commit: recreate it there
      const del = await request('DELETE', `${project(repo)}/repository/branches/${encodeURIComponent(branch)}`, `move branch ${branch}`);
      if (del.status !== 204 && del.status !== 404) throw toError(del, `move branch ${branch}`);
      const a = await request('POST', `${project(repo)}/repository/branches`, `move branch ${branch}`, { branch, ref: sha });
      if (a.status !== 201) throw toError(a, `move branch ${branch}`);
    },

    async deleteBranch(repo, branch) {
      const a = await request('DELETE', `${project(repo)}/repository/branches/${encodeURIComponent(branch)}`, `delete branch ${branch}`);
      if (a.status !== 204) throw toError(a, `delete branch ${branch}`);
    },

    async findOpenPullRequest(repo, headBranch) {
      const list = await json('GET', `${project(repo)}/merge_requests?state=opened&source_branch=${encodeURIComponent(headBranch)}&per_page=20`, 'list merge requests');
      const found = Array.isArray(list) ? list.find((m): m is Record<string, unknown> => isRecord(m) && m.source_branch === headBranch) : undefined;
      return found ? mrInfo(found) : null;
    },

    async openPullRequest(repo, { head, base, title, body, labels }) {
      const m = await json('POST', `${project(repo)}/merge_requests`, 'open merge request', {
        source_branch: head,
        target_branch: base,
        title,
        description: body,
        remove_source_branch: options.removeSourceBranch ?? true,
        ...(labels && labels.length > 0 ? { labels: labels.join(',') } : {}),
      });
      if (!isRecord(m)) throw new ProviderError('unavailable', 'open merge request: unexpected answer');
      return mrInfo(m);
    },

    async updatePullRequest(repo, number, { title, body, labels }) {
      const m = await json('PUT', `${project(repo)}/merge_requests/${number}`, `update merge request !${number}`, {
        title,
        description: body,
        ...(labels && labels.length > 0 ? { add_labels: labels.join(',') } : {}),
      });
      if (!isRecord(m)) throw new ProviderError('unavailable', `update merge request !${number}: unexpected answer`);
      return mrInfo(m);
    },

    async listOpenPullRequests(repo: RepoCoordinates): Promise<ListPullsResult> {
      // GitLab sends no ETag for this list, so every poll is a full answer
      const list = await all(`${project(repo)}/merge_requests?state=opened`, 'list merge requests');
      return { notModified: false, etag: null, pulls: list.filter(isRecord).map(mrInfo) };
    },

    async listMergedPullRequests(repo, since): Promise<MergedPullRequest[]> {
      const list = await all(`${project(repo)}/merge_requests?state=merged&updated_after=${encodeURIComponent(since)}&order_by=updated_at&sort=desc`, 'list merged merge requests');
      return list
        .filter(isRecord)
        .filter((m) => typeof m.merged_at === 'string' && Date.parse(m.merged_at) >= Date.parse(since))
        .map((m) => {
          const by = isRecord(m.merge_user) ? m.merge_user.username : isRecord(m.merged_by) ? m.merged_by.username : undefined;
          return { ...mrInfo(m), mergedAt: m.merged_at as string, ...(typeof by === 'string' ? { mergedBy: by } : {}) };
        })
        .sort((a, b) => (a.mergedAt < b.mergedAt ? 1 : -1));
    },

    async approversOf(repo, iid) {
      const ap = await json('GET', `${project(repo)}/merge_requests/${iid}/approvals`, `read approvals of !${iid}`);
      return approvedByOf(ap);
    },

    async pullRequestStatus(repo, pr): Promise<PullRequestStatus> {
      const m = await json('GET', `${project(repo)}/merge_requests/${pr.number}`, `read merge request !${pr.number}`);
      if (!isRecord(m)) throw new ProviderError('unavailable', `read merge request !${pr.number}: unexpected answer`);
      const hp = isRecord(m.head_pipeline) ? m.head_pipeline : null;
      const pipeline = hp ? { status: String(hp.status) } : null;
      // Only some statuses say anything about approvals (GitLab reports one reason at a time).
      const meaning = gitlabMergeState(String(m.detailed_merge_status ?? ''), pipeline);
      return { ...meaning, checksState: pipeline ? checksStateOf(pipeline.status) : (meaning.checksState ?? 'none') };
    },

    async pullRequestMergedAt(repo, iid) {
      const m = await json('GET', `${project(repo)}/merge_requests/${iid}`, `read merge request !${iid}`);
      return isRecord(m) && typeof m.merged_at === 'string' ? m.merged_at : null;
    },

    async mergeRequestStatus(repo, iid) {
      const [m, ap] = await Promise.all([
        json('GET', `${project(repo)}/merge_requests/${iid}`, `read merge request !${iid}`),
        json('GET', `${project(repo)}/merge_requests/${iid}/approvals`, `read approvals of !${iid}`),
      ]);
      if (!isRecord(m)) throw new ProviderError('unavailable', `read merge request !${iid}: unexpected answer`);
      const hp = isRecord(m.head_pipeline) ? m.head_pipeline : null;
      const headPipeline = hp ? { id: Number(hp.id), status: String(hp.status) as GitLabPipelineStatus, url: String(hp.web_url ?? '') } : null;
      const required = isRecord(ap) ? Number(ap.approvals_required ?? 0) : 0;
      const left = isRecord(ap) ? Number(ap.approvals_left ?? 0) : 0;
      const approvedBy = approvedByOf(ap);
      return {
        iid,
        state: String(m.state) as GitLabMergeRequestStatus['state'],
        detailedMergeStatus: String(m.detailed_merge_status ?? m.merge_status ?? ''),
        headPipeline,
        approvals: { required, left, approvedBy },
        checksState: checksStateOf(headPipeline?.status),
        reviewState: left > 0 ? 'review-required' : required > 0 || approvedBy.length > 0 ? 'approved' : 'none',
      };
    },
  };
}

/** Fits promotion-service's ProviderFactory: (host, token) → a provider for host.apiUrl. */
export function gitlabProviderFor(options: Omit<GitLabProviderOptions, 'apiUrl' | 'token'> = {}): (host: { apiUrl: string }, token: string) => GitLabProvider {
  return (host, token) => createGitLabProvider({ ...options, apiUrl: host.apiUrl, token });
}
