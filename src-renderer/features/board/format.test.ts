// The words a PR badge uses: the forge's reference and where the PR stands.
import { describe, expect, it } from 'vitest';
import { pendingLabel, prRef, prStatusText } from './format';

describe('PR badge words', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const pr = { number: 2, url: 'https://gitlab.example/g/p/-/merge_requests/2', createdAt: '2026-12-07T11:00:00Z' };

  it('numbers GitLab merge requests !N and GitHub pull requests #N', () => {
    expect(prRef(2, 'gitlab')).toBe('!2');
    expect(prRef(7, 'github')).toBe('#7');
    expect(pendingLabel({ kind: 'pr-open', version: '2.3.1', pr }, now, 'gitlab')).toBe('MR !2 · 2.3.1 · 1h');
  });

  it("shows GitLab's merge verdict with the checks, but not the checks twice when the verdict is about CI", () => {
    expect(prStatusText({ checksState: 'success', reviewState: 'review-required', mergeState: { code: 'not_approved', tone: 'blocked', label: 'needs approval' } })).toBe('needs approval · checks passed');
    expect(prStatusText({ checksState: 'pending', mergeState: { code: 'ci_still_running', tone: 'waiting', label: 'waiting for the pipeline to finish' } })).toBe('waiting for the pipeline to finish');
    expect(prStatusText({ reviewState: 'review-required', checksState: 'pending' })).toBe('review required · checks running');
  });
});
