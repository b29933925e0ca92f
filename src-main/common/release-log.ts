// The release log: what changed in which environment, when it merged and when every target
// ran it, from which PR, by whom, approved by whom. Plain JSON shared with the renderer;
// main builds it (src-main/release-log) from merged promotion PRs and the targets' history.

/** Which releases to show: a time range (ISO), optionally one pipeline and/or one environment. */
export interface ReleaseLogQuery {
  from: string;
  to: string;
  pipelineId?: string;
  env?: string;
}

export interface ReleaseLogPullRequest {
  number: number;
  url: string;
  title: string;
  /** "PR #12" / "merge request !12" */
  ref: string;
}

export interface ReleaseLogEntry {
  /** Stable within one log: pipeline, environment, version and time. */
  id: string;
  pipelineId: string;
  pipeline: string;
  env: string;
  version: string;
  /** The version it replaced, when known (from the PR body or the target history). */
  previousVersion?: string;
  kind: 'promotion' | 'rollback';
  /** When the PR merged (absent: known from the cluster only). */
  mergedAt?: string;
  /** When the last target of the environment ran it (absent: not every target has, or unknown). */
  healthyAt?: string;
  pr?: ReleaseLogPullRequest;
  author?: string;
  approvers: string[];
  /** The entry's time for sorting and filtering: merge time, else when the targets ran it. */
  at: string;
  source: 'pull-request' | 'cluster';
}

/** Why part of the log may be missing (a repository that could not be read, and what to do). */
export interface ReleaseLogNotice {
  repoUrl: string;
  message: string;
  hint?: string;
}

export interface ReleaseLog {
  query: ReleaseLogQuery;
  /** Newest first. */
  entries: ReleaseLogEntry[];
  notices: ReleaseLogNotice[];
  generatedAt: string;
}

export type ReleaseLogFormat = 'csv' | 'markdown';

/** The longest range one request may ask for. */
export const RELEASE_LOG_MAX_DAYS = 366;
