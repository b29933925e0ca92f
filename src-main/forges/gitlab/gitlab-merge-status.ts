// GitLab's `detailed_merge_status` in a release manager's words. GitLab documents one code per
// reason a merge request cannot be merged right now (Merge requests API, "Merge status"); the
// board turns each into a tone (ready / waiting / blocked), a sentence, and the review and
// checks states it implies. Codes GitLab adds later are shown as GitLab's own word.

import type { PullRequestMergeState } from '../../common/board';
import type { PullRequestStatus } from '../git-provider';

interface Meaning {
  tone: PullRequestMergeState['tone'];
  label: string;
  reviewState?: NonNullable<PullRequestStatus['reviewState']>;
  checksState?: NonNullable<PullRequestStatus['checksState']>;
}

/** Every documented code (older ones GitLab still sends included). */
export const GITLAB_MERGE_STATUSES: Readonly<Record<string, Meaning>> = {
  preparing: { tone: 'waiting', label: 'GitLab is still preparing the merge request' },
  checking: { tone: 'waiting', label: 'GitLab is checking that it merges cleanly' },
  unchecked: { tone: 'waiting', label: 'GitLab has not yet checked that it merges cleanly' },
  approvals_syncing: { tone: 'waiting', label: 'GitLab is updating approvals after a push' },
  ci_still_running: { tone: 'waiting', label: 'waiting for the pipeline to finish', checksState: 'pending' },
  ci_must_pass: { tone: 'blocked', label: 'the pipeline must succeed before it can merge' },
  merge_time: { tone: 'waiting', label: 'scheduled: it may not merge before its set time' },
  mergeable: { tone: 'ready', label: 'ready to merge' },
  not_approved: { tone: 'blocked', label: 'needs approval', reviewState: 'review-required' },
  requested_changes: { tone: 'blocked', label: 'a reviewer requested changes', reviewState: 'changes-requested' },
  discussions_not_resolved: { tone: 'blocked', label: 'open discussions must be resolved' },
  draft_status: { tone: 'blocked', label: 'it is a draft' },
  blocked_status: { tone: 'blocked', label: 'blocked by another merge request' },
  merge_request_blocked: { tone: 'blocked', label: 'blocked by another merge request' },
  need_rebase: { tone: 'blocked', label: 'must be rebased onto its target branch' },
  conflict: { tone: 'blocked', label: 'has merge conflicts with its target branch' },
  broken_status: { tone: 'blocked', label: 'cannot merge: a conflict is likely' },
  not_open: { tone: 'blocked', label: 'is no longer open' },
  commits_status: { tone: 'blocked', label: 'its source branch is missing or has no commits' },
  jira_association_missing: { tone: 'blocked', label: 'its title or description must name a Jira issue' },
  external_status_checks: { tone: 'blocked', label: 'external status checks must pass', checksState: 'pending' },
  status_checks_must_pass: { tone: 'blocked', label: 'external status checks must pass', checksState: 'pending' },
  locked_paths: { tone: 'blocked', label: 'files it changes are locked by someone else' },
  locked_lfs_files: { tone: 'blocked', label: 'LFS files it changes are locked by someone else' },
  security_policy_violations: { tone: 'blocked', label: 'security policies must be satisfied first' },
  title_regex: { tone: 'blocked', label: "its title does not match the project's required pattern" },
};

/** The board's reading of a merge request's detailed_merge_status (and its head pipeline, when known). */
export function gitlabMergeState(code: string, headPipeline: { status: string } | null): PullRequestStatus {
  const known = GITLAB_MERGE_STATUSES[code];
  const meaning: Meaning = known ?? { tone: 'waiting', label: code ? `GitLab says "${code}"` : 'GitLab did not say whether it can merge' };
  let { tone, label } = meaning;
  // "Pipelines must succeed" with no pipeline yet: CI has not started, nothing failed.
  if (code === 'ci_must_pass' && !headPipeline) {
    tone = 'waiting';
    label = 'waiting for a pipeline to start (pipelines must succeed)';
  }
  const out: PullRequestStatus = { mergeState: { code, tone, label } };
  if (meaning.reviewState) out.reviewState = meaning.reviewState;
  const checks = meaning.checksState ?? (code === 'ci_must_pass' ? (headPipeline ? 'failure' : 'none') : undefined);
  if (checks) out.checksState = checks;
  return out;
}
