// The Git provider interface the promotion logic is written against. Provider-neutral:
// nothing here knows GitHub (or GitLab, Bitbucket); each implementation maps its API and its
// errors onto these calls and ProviderError kinds.

import type { PullRequestMergeState } from '../common/board';

export interface RepoCoordinates {
  owner: string;
  name: string;
}

export interface BranchHead {
  sha: string;
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

/** A merged pull request (GitLab: merge request), for the release log. */
export interface MergedPullRequest extends PullRequestInfo {
  mergedAt: string;
  /** Who pressed merge, when the forge says. */
  mergedBy?: string;
}

export type ListPullsResult = { notModified: true } | { notModified: false; etag: string | null; pulls: PullRequestInfo[] };

export interface GitProvider {
  /** The branch's head commit, or null when the branch does not exist. */
  getBranchHead(repo: RepoCoordinates, branch: string): Promise<BranchHead | null>;
  /** Text files at `commitSha` that contain `needle` (YAML files only). */
  readMarkedFiles(repo: RepoCoordinates, commitSha: string, needle: string): Promise<RepoTextFile[]>;
  /**
   * One commit with these full-file contents on top of `parent`, written onto `branch`; returns
   * the commit's sha. force=false creates the branch and returns null (branch untouched) when it
   * already exists; force=true points the branch at the new commit whatever it pointed at
   * (a ProviderError 'validation' when the branch does not exist and the forge cannot create it
   * that way). Forges differ in how (GitHub: tree + commit + ref; GitLab: one commits call), not
   * in what.
   */
  commitToBranch(repo: RepoCoordinates, args: { branch: string; parent: BranchHead; files: RepoTextFile[]; message: string; force: boolean }): Promise<string | null>;
  /** Points an existing branch at an existing commit (used to put a branch back after a failure). */
  updateBranch(repo: RepoCoordinates, branch: string, sha: string, force: boolean): Promise<void>;
  deleteBranch(repo: RepoCoordinates, branch: string): Promise<void>;
  findOpenPullRequest(repo: RepoCoordinates, headBranch: string): Promise<PullRequestInfo | null>;
  /** `labels`: added to the new PR (GitHub: one more call; GitLab: part of the same call). */
  openPullRequest(repo: RepoCoordinates, args: { head: string; base: string; title: string; body: string; labels?: string[] }): Promise<PullRequestInfo>;
  updatePullRequest(repo: RepoCoordinates, number: number, args: { title: string; body: string; labels?: string[] }): Promise<PullRequestInfo>;
  /** All open pull requests in one call, conditional on a previous ETag. */
  listOpenPullRequests(repo: RepoCoordinates, etag?: string | null): Promise<ListPullsResult>;
  /** PRs merged at or after `since` (ISO), newest first; pages until older ones (each provider says how). */
  listMergedPullRequests?(repo: RepoCoordinates, since: string): Promise<MergedPullRequest[]>;
  /** Who approved a PR, in ONE API call (GitHub: reviews; GitLab: approvals). */
  approversOf?(repo: RepoCoordinates, number: number): Promise<string[]>;
  /** Review and check state of one open PR, in at most ONE API call (each provider says which). */
  pullRequestStatus?(repo: RepoCoordinates, pr: PullRequestInfo): Promise<PullRequestStatus>;
  /** When a PR was merged (ISO time), or null when it was closed without merging; one API call. */
  pullRequestMergedAt?(repo: RepoCoordinates, number: number): Promise<string | null>;
}

/** What the board shows next to an open promotion PR; a field is absent when the forge did not say. */
export interface PullRequestStatus {
  reviewState?: 'approved' | 'changes-requested' | 'review-required' | 'none';
  checksState?: 'success' | 'failure' | 'pending' | 'none';
  /** Whether the forge would merge it now (GitLab: from detailed_merge_status). */
  mergeState?: PullRequestMergeState;
}

export type ProviderErrorKind =
  | 'unauthorized' // 401: token missing, expired or revoked
  | 'forbidden' // 403 without rate limiting, or 404 on something that exists for others
  | 'not-found'
  | 'rate-limited'
  | 'validation' // 422 and similar: the request was refused as it stands
  | 'unavailable'; // 5xx, network, timeouts

/** The OAuth scopes a forge reported with a refusal (GitHub: X-OAuth-Scopes / X-Accepted-OAuth-Scopes). */
export interface ScopeReport {
  /** What the token has. */
  granted: string[];
  /** What the endpoint accepts (empty when the forge did not say). */
  accepted: string[];
}

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** Set on a refusal when the forge told which scopes the token has. */
  scopes?: ScopeReport;
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The scopes a refused token lacks, when the forge's headers show it: none of the endpoint's
 * accepted scopes, or (GitHub classic/OAuth, which write only with repo or public_repo) no
 * write scope at all. Empty when the scopes are fine or unknown: then it is repository access.
 */
export function missingScopes(report: ScopeReport | undefined): string[] {
  if (!report) return [];
  if (report.accepted.length > 0) return report.accepted.some((s) => report.granted.includes(s)) ? [] : report.accepted;
  return report.granted.includes('repo') || report.granted.includes('public_repo') ? [] : ['repo'];
}
