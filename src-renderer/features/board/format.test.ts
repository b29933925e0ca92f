// The words a PR badge uses: the forge's reference and where the PR stands.
import { describe, expect, it } from 'vitest';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { changeRequestWordsFor } from '../forges/forge-capabilities';
import { pendingLabel, prStatusText, rollupLine, staleFor, versionLabel } from './format';

describe('PR badge words', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const pr = { number: 2, url: 'https://gitlab.example/g/p/-/merge_requests/2', createdAt: '2026-12-07T11:00:00Z' };

  const gitlab = changeRequestWordsFor(publishedForgeCapabilities, 'gitlab');
  const github = changeRequestWordsFor(publishedForgeCapabilities, 'github');

  it('labels an open PR in its forge terms: GitLab MR !N, GitHub PR #N', () => {
    expect(pendingLabel({ kind: 'pr-open', version: '2.3.1', pr }, now, gitlab)).toBe('MR !2 · 2.3.1 · 1h');
    expect(pendingLabel({ kind: 'pr-open', version: '2.3.1', pr: { ...pr, number: 7 } }, now, github)).toBe('PR #7 · 2.3.1 · 1h');
    expect(pendingLabel({ kind: 'pr-open' }, now, github)).toBe('PR #?');
  });

  it('asks for sign-in to see open PRs or MRs, as the forge calls them', () => {
    expect(pendingLabel({ kind: 'pr-unknown', version: '4.11.2' }, now, gitlab)).toBe('Sign in to see open MRs · 4.11.2');
    expect(pendingLabel({ kind: 'pr-unknown' }, now, github)).toBe('Sign in to see open PRs');
  });

  it("shows GitLab's merge verdict with the checks, but not the checks twice when the verdict is about CI", () => {
    expect(prStatusText({ checksState: 'success', reviewState: 'review-required', mergeState: { code: 'not_approved', tone: 'blocked', label: 'needs approval' } })).toBe(
      'needs approval · checks passed',
    );
    expect(prStatusText({ checksState: 'pending', mergeState: { code: 'ci_still_running', tone: 'waiting', label: 'waiting for the pipeline to finish' } })).toBe('waiting for the pipeline to finish');
    expect(prStatusText({ reviewState: 'review-required', checksState: 'pending' })).toBe('review required · checks running');
  });
});

describe('version words', () => {
  const t = (deployedVersion: string, deployedRevision?: string) => ({
    cluster: 'c',
    namespace: 'n',
    kind: 'Kustomization',
    name: 'a',
    health: 'ready' as const,
    conditions: [],
    deployedVersion,
    ...(deployedRevision ? { deployedRevision } : {}),
  });

  it('lists each version of a mixed cell with its target count, most common first', () => {
    expect(rollupLine({ targets: [t('4.2.1'), t('4.2.0')], rollup: { summary: '1 of 2 targets on 4.2.1', state: 'mixed' } })).toBe('4.2.1 ×1 · 4.2.0 ×1');
    expect(rollupLine({ targets: [t('1.8.2'), t('1.8.3'), t('1.8.3')], rollup: { summary: '2 of 3 targets on 1.8.3', state: 'mixed' } })).toBe('1.8.3 ×2 · 1.8.2 ×1');
    expect(rollupLine({ targets: [t('1.8.3'), t('1.8.3')], rollup: { summary: 'all 2 targets on 1.8.3', state: 'healthy' } })).toBe('all 2 targets on 1.8.3');
  });

  it('shows the short sha a tag hides, but not twice for branch revisions', () => {
    const sha = '3f1c0b9a1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a';
    expect(versionLabel({ targets: [t('v2.3.0', `v2.3.0@sha1:${sha}`)] }, 'v2.3.0')).toBe('v2.3.0 · 3f1c0b9');
    expect(versionLabel({ targets: [t('main@3f1c0b9', `main@sha1:${sha}`)] }, 'main@3f1c0b9')).toBe('main@3f1c0b9');
    expect(versionLabel({ targets: [t('1.8.3', '1.8.3')] }, '1.8.3')).toBe('1.8.3');
  });

  it('never says "stale for just now"', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(staleFor('2026-12-07T11:59:50Z', now)).toBe('just went stale');
    expect(staleFor('2026-12-07T10:00:00Z', now)).toBe('stale for 2h');
  });
});
