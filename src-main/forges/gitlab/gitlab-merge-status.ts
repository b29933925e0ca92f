// GitLab's `detailed_merge_status` in a release manager's words. GitLab documents one code per
// reason a merge request cannot be merged right now (Merge requests API, "Merge status"); the
// board turns each into a tone (ready / waiting / blocked), a sentence, and the review and
// checks states it implies. Codes GitLab adds later are shown as GitLab's own word.

import { z } from 'zod';
import type { PullRequestMergeState } from '../../common/board';
import type { PullRequestStatus } from '../git-provider';
import documentedStatuses from './gitlab-merge-statuses.json' with { type: 'json' };

interface Meaning {
  tone: PullRequestMergeState['tone'];
  label: string;
  reviewState?: NonNullable<PullRequestStatus['reviewState']>;
  checksState?: NonNullable<PullRequestStatus['checksState']>;
}

/**
 * Every documented code (older ones GitLab still sends included), in the order of GitLab's
 * list: data, kept in gitlab-merge-statuses.json so it can be checked line by line against the
 * docs. Checked when this module loads, so a typo in a tone fails every test that imports it.
 */
export const GITLAB_MERGE_STATUSES: Readonly<Record<string, Meaning>> = z
  .record(
    z.string(),
    z.strictObject({
      tone: z.enum(['ready', 'waiting', 'blocked']),
      label: z.string().min(1),
      reviewState: z.enum(['approved', 'changes-requested', 'review-required', 'none']).optional(),
      checksState: z.enum(['success', 'failure', 'pending', 'none']).optional(),
    }),
  )
  .parse(documentedStatuses);

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
