// The Git provider interface the promotion logic is written against. Provider-neutral:
// nothing here knows GitHub (or GitLab, Bitbucket); each implementation maps its API and its
// errors onto these calls and ProviderError kinds.

export interface RepoCoordinates {
  owner: string;
  name: string;
}

export interface BranchHead {
  sha: string;
  /** the commit's root tree, so a commit on top of it needs no extra lookup */
  treeSha: string;
}

export interface RepoTextFile {
  path: string;
  content: string;
  mode: '100644' | '100755';
}

export interface PullRequestInfo {
  number: number;
  url: string;
  title: string;
  body: string;
  headBranch: string;
  headSha: string;
  baseBranch: string;
  author: string;
  createdAt: string;
}

export type ListPullsResult = { notModified: true } | { notModified: false; etag: string | null; pulls: PullRequestInfo[] };

export interface GitProvider {
  /** The branch's head commit, or null when the branch does not exist. */
  getBranchHead(repo: RepoCoordinates, branch: string): Promise<BranchHead | null>;
  /** Text files at `commitSha` that contain `needle` (YAML files only). */
  readMarkedFiles(repo: RepoCoordinates, commitSha: string, needle: string): Promise<RepoTextFile[]>;
  /** One commit with these full-file contents on top of `parent`; returns its sha. Moves no branch. */
  createCommit(repo: RepoCoordinates, args: { parent: BranchHead; files: RepoTextFile[]; message: string }): Promise<string>;
  /** Creates the branch at sha; false when it already exists (nothing changed). */
  createBranch(repo: RepoCoordinates, branch: string, sha: string): Promise<boolean>;
  updateBranch(repo: RepoCoordinates, branch: string, sha: string, force: boolean): Promise<void>;
  deleteBranch(repo: RepoCoordinates, branch: string): Promise<void>;
  findOpenPullRequest(repo: RepoCoordinates, headBranch: string): Promise<PullRequestInfo | null>;
  openPullRequest(repo: RepoCoordinates, args: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo>;
  updatePullRequest(repo: RepoCoordinates, number: number, args: { title: string; body: string }): Promise<PullRequestInfo>;
  /** All open pull requests in one call, conditional on a previous ETag. */
  listOpenPullRequests(repo: RepoCoordinates, etag?: string | null): Promise<ListPullsResult>;
}

export type ProviderErrorKind =
  | 'unauthorized' // 401: token missing, expired or revoked
  | 'forbidden' // 403 without rate limiting, or 404 on something that exists for others
  | 'not-found'
  | 'rate-limited'
  | 'validation' // 422 and similar: the request was refused as it stands
  | 'unavailable'; // 5xx, network, timeouts

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
