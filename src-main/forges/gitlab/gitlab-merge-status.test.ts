// One test per documented detailed_merge_status: each gets a board state in words a release
// manager understands, and the review/checks states it implies.
import { describe, expect, it } from 'vitest';
import { GITLAB_MERGE_STATUSES, gitlabMergeState } from './gitlab-merge-status';

const running = { status: 'running' };
const failed = { status: 'failed' };

describe('GitLab detailed_merge_status on the board', () => {
  const cases: [code: string, pipeline: { status: string } | null, expected: { tone: string; label: RegExp; reviewState?: string; checksState?: string }][] = [
    ['preparing', null, { tone: 'waiting', label: /preparing/ }],
    ['checking', null, { tone: 'waiting', label: /checking that it merges cleanly/ }],
    ['unchecked', null, { tone: 'waiting', label: /not yet checked/ }],
    ['approvals_syncing', null, { tone: 'waiting', label: /updating approvals/ }],
    ['ci_still_running', running, { tone: 'waiting', label: /pipeline to finish/, checksState: 'pending' }],
    ['ci_must_pass', failed, { tone: 'blocked', label: /pipeline must succeed/, checksState: 'failure' }],
    ['merge_time', null, { tone: 'waiting', label: /set time/ }],
    ['mergeable', null, { tone: 'ready', label: /^ready to merge$/ }],
    ['not_approved', running, { tone: 'blocked', label: /^needs approval$/, reviewState: 'review-required' }],
    ['requested_changes', null, { tone: 'blocked', label: /requested changes/, reviewState: 'changes-requested' }],
    ['discussions_not_resolved', null, { tone: 'blocked', label: /discussions must be resolved/ }],
    ['draft_status', null, { tone: 'blocked', label: /draft/ }],
    ['blocked_status', null, { tone: 'blocked', label: /another merge request/ }],
    ['merge_request_blocked', null, { tone: 'blocked', label: /another merge request/ }],
    ['need_rebase', null, { tone: 'blocked', label: /rebased/ }],
    ['conflict', null, { tone: 'blocked', label: /merge conflicts/ }],
    ['broken_status', null, { tone: 'blocked', label: /conflict is likely/ }],
    ['not_open', null, { tone: 'blocked', label: /no longer open/ }],
    ['commits_status', null, { tone: 'blocked', label: /source branch is missing/ }],
    ['jira_association_missing', null, { tone: 'blocked', label: /Jira issue/ }],
    ['external_status_checks', null, { tone: 'blocked', label: /status checks must pass/, checksState: 'pending' }],
    ['status_checks_must_pass', null, { tone: 'blocked', label: /status checks must pass/, checksState: 'pending' }],
    ['locked_paths', null, { tone: 'blocked', label: /locked by someone else/ }],
    ['locked_lfs_files', null, { tone: 'blocked', label: /LFS files/ }],
    ['security_policy_violations', null, { tone: 'blocked', label: /security policies/ }],
    ['title_regex', null, { tone: 'blocked', label: /required pattern/ }],
  ];

  it('covers every status it knows with a case here', () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(Object.keys(GITLAB_MERGE_STATUSES)));
  });

  for (const [code, pipeline, expected] of cases) {
    it(`${code} → ${expected.tone}`, () => {
      const s = gitlabMergeState(code, pipeline);
      expect(s.mergeState).toMatchObject({ code, tone: expected.tone });
      expect(s.mergeState?.label).toMatch(expected.label);
      expect(s.mergeState?.label).not.toMatch(/_/);
      expect(s.reviewState).toBe(expected.reviewState);
      expect(s.checksState).toBe(expected.checksState);
    });
  }

  it('ci_must_pass before any pipeline exists is waiting for CI to start, not a failure', () => {
    expect(gitlabMergeState('ci_must_pass', null)).toEqual({
      mergeState: { code: 'ci_must_pass', tone: 'waiting', label: 'waiting for a pipeline to start (pipelines must succeed)' },
      checksState: 'none',
    });
  });

  it("shows a code GitLab adds later as GitLab's own word", () => {
    expect(gitlabMergeState('something_new', null).mergeState).toEqual({ code: 'something_new', tone: 'waiting', label: 'GitLab says "something_new"' });
    expect(gitlabMergeState('', null).mergeState?.label).toBe('GitLab did not say whether it can merge');
  });
});
