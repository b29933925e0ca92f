import { describe, expect, it } from 'vitest';
import type { TargetState } from '../common/board';
import {
  compareVersions,
  effectiveStrategy,
  indexPullRequests,
  normaliseRepoUrl,
  openPullRequestsFromRepos,
  pendingPromotions,
  promotionBranchName,
  rollupEnvironment,
  versionFromTitle,
  type OpenPullRequest,
} from './promotion-rules';

function target(deployedVersion: string | undefined, health: TargetState['health'] = 'ready', extra: Partial<TargetState> = {}): TargetState {
  return { cluster: 'c', namespace: 'n', kind: 'HelmRelease', name: 'app', health, conditions: [], ...(deployedVersion ? { deployedVersion } : {}), ...extra };
}

const PR_STRATEGY = {
  strategy: { 'pull-request': { type: 'github' as const, url: 'https://github.com/acme/fleet', baseBranch: 'main', secretRef: { name: 'tok' } } },
};

describe('effectiveStrategy', () => {
  it('uses the pipeline default when the env has none', () => {
    expect(effectiveStrategy(PR_STRATEGY, { name: 'staging', targets: [] })).toEqual({
      kind: 'pull-request',
      manual: false,
      provider: 'github',
      repoUrl: 'https://github.com/acme/fleet',
      baseBranch: 'main',
      secretRef: 'tok',
      source: 'pipeline',
    });
  });
  it('lets the environment override the default entirely', () => {
    const s = effectiveStrategy(PR_STRATEGY, { name: 'prod', targets: [], promotion: { manual: true, strategy: { notification: {} } } });
    expect(s).toEqual({ kind: 'notification', manual: true, source: 'environment' });
  });
  it('is none without any promotion', () => {
    expect(effectiveStrategy(undefined, { name: 'dev', targets: [] })).toEqual({ kind: 'none', manual: false, source: 'pipeline' });
  });
});

describe('rollupEnvironment', () => {
  it('summarises versions and states', () => {
    expect(rollupEnvironment([target('1.8.3')])).toEqual({ summary: '1.8.3', state: 'healthy', version: '1.8.3' });
    expect(rollupEnvironment([target('1.8.3'), target('1.8.3'), target('1.8.3')]).summary).toBe('all 3 targets on 1.8.3');
    expect(rollupEnvironment([target('1.8.3'), target('1.8.2'), target('1.8.3')])).toEqual({
      summary: '2 of 3 targets on 1.8.3',
      state: 'mixed',
      version: '1.8.3',
    });
    expect(rollupEnvironment([target('1.8.3'), target('1.8.3', 'reconciling')]).state).toBe('progressing');
    expect(rollupEnvironment([target('1.8.3', 'reconciling'), target(undefined, 'missing')]).state).toBe('failing');
    expect(rollupEnvironment([target('1.8.3', 'suspended')]).state).toBe('suspended');
    expect(rollupEnvironment([target(undefined, 'unknown')])).toEqual({ summary: 'version unknown', state: 'unknown' });
    expect(rollupEnvironment([])).toEqual({ summary: 'no targets', state: 'unknown' });
  });

  it('names the version most targets run, the first met on a tie, for small and large environments alike', () => {
    expect(rollupEnvironment([target('1.0.0'), target('2.0.0'), target('2.0.0'), target(undefined, 'unknown'), target('1.0.0')]).version).toBe('1.0.0');
    expect(rollupEnvironment([target('2.0.0'), target('1.0.0'), target('1.0.0')]).summary).toBe('2 of 3 targets on 1.0.0');
    // past 16 targets the count goes through a Map: the same answers
    const many = (versions: string[]) => rollupEnvironment(versions.map((v) => target(v)));
    const tie = [...Array<string>(10).fill('3.0.0'), ...Array<string>(10).fill('4.0.0')];
    expect(many(tie).version).toBe('3.0.0');
    expect(many(['4.0.0', ...tie]).summary).toBe('11 of 21 targets on 4.0.0');
  });
});

describe('versions', () => {
  it('compares semantic versions by SemVer precedence', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('v1.2.3', '1.2.3')).toBe(0);
    expect(compareVersions('1.2.3-rc.1', '1.2.3')).toBe(-1);
    // numeric pre-release identifiers compare as numbers, not text
    expect(compareVersions('1.0.0-rc.10', '1.0.0-rc.9')).toBe(1);
    expect(compareVersions('1.0.0-rc.9', '1.0.0-rc.10')).toBe(-1);
    // alphanumeric identifiers sort after numeric ones, longer sets after their prefixes
    expect(compareVersions('1.0.0-alpha.beta', '1.0.0-alpha.1')).toBe(1);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1);
    // build metadata does not count
    expect(compareVersions('1.2.3+build.7', '1.2.3+build.8')).toBe(0);
  });
  it('invents no order for versions that are not semantic versions', () => {
    expect(compareVersions('main@abc', '1.2.3')).toBeUndefined();
    expect(compareVersions('1.2', '1.10')).toBeUndefined();
    expect(compareVersions('2026-12-01', '2026-11-30')).toBeUndefined();
    // the same string is still the same version
    expect(compareVersions('main@sha1:abc', 'main@sha1:abc')).toBe(0);
    expect(compareVersions('v1.2', '1.2')).toBe(0);
  });
  it('reads the version from a controller-style PR title', () => {
    expect(versionFromTitle('Promote team/app in prod to 1.8.3')).toBe('1.8.3');
    expect(versionFromTitle('something else')).toBeUndefined();
  });
});

describe('pendingPromotions', () => {
  const pipeline = { namespace: 'team', name: 'app', status: new Map() };
  const noPrs = indexPullRequests([]);
  const env = (targets: TargetState[]) => ({ rollup: rollupEnvironment(targets), targets });

  it('reports a manual gate from status.environments.<env>.waitingApproval', () => {
    const p = { ...pipeline, status: new Map([['prod', { waitingApprovalRevision: '1.8.3' }]]) };
    const out = pendingPromotions({ pipeline: p, envName: 'prod', previous: env([target('1.8.3')]), current: env([target('1.8.2')]), prs: noPrs });
    expect(out).toEqual([{ kind: 'awaiting-approval', version: '1.8.3' }]);
  });

  it('finds an open PR by branch name or by its metadata block', () => {
    const pr: OpenPullRequest = {
      number: 7,
      url: 'https://x/pull/7',
      createdAt: '2026-01-01T00:00:00Z',
      headBranch: promotionBranchName('team', 'app', 'prod'),
      title: 'Promote team/app in prod to 1.8.3',
    };
    const byBranch = pendingPromotions({ pipeline, envName: 'prod', current: env([target('1.8.2')]), prs: indexPullRequests([pr]) });
    expect(byBranch).toEqual([{ kind: 'pr-open', version: '1.8.3', pr: { number: 7, url: 'https://x/pull/7', createdAt: '2026-01-01T00:00:00Z' } }]);

    const other: OpenPullRequest = {
      ...pr,
      headBranch: 'my-branch',
      body: 'Human text\n<details><summary>metadata</summary>\nteam/app/prod\n</details>',
    };
    const byBody = pendingPromotions({ pipeline, envName: 'prod', current: env([target('1.8.2')]), prs: indexPullRequests([other]) });
    expect(byBody[0]?.kind).toBe('pr-open');
    const wrongEnv = pendingPromotions({ pipeline, envName: 'staging', current: env([target('1.8.2')]), prs: indexPullRequests([other]) });
    expect(wrongEnv).toEqual([]);
  });

  it('matches a PR only to environments promoting through the repository it was opened in', () => {
    const pr = (n: number, repoUrl?: string): OpenPullRequest => ({
      number: n,
      url: `https://x/pull/${n}`,
      createdAt: '2026-01-01T00:00:00Z',
      headBranch: promotionBranchName('team', 'app', 'prod'),
      title: `Promote team/app in prod to 1.8.${n}`,
      ...(repoUrl ? { repoUrl } : {}),
    });
    const current = env([target('1.8.2')]);
    const prs = indexPullRequests([pr(5, 'https://github.com/acme/other'), pr(6, 'https://github.com/acme/fleet')]);
    // Same branch name in two repositories: the environment's own repository wins.
    const mine = pendingPromotions({ pipeline, envName: 'prod', current, prs, repoUrl: 'https://GitHub.com/acme/fleet.git/' });
    expect(mine[0]?.pr?.number).toBe(6);
    const none = pendingPromotions({ pipeline, envName: 'prod', current, prs: indexPullRequests([pr(5, 'https://github.com/acme/other')]), repoUrl: 'https://github.com/acme/fleet' });
    expect(none).toEqual([]);
    // Either side without a repository: matched by branch as before.
    expect(pendingPromotions({ pipeline, envName: 'prod', current, prs: indexPullRequests([pr(7)]), repoUrl: 'https://github.com/acme/fleet' })[0]?.pr?.number).toBe(7);
    expect(pendingPromotions({ pipeline, envName: 'prod', current, prs })[0]?.pr?.number).toBe(5);
  });

  it('normalises repository URLs for comparison', () => {
    expect(normaliseRepoUrl('https://github.com/Acme/Fleet.git')).toBe('github.com/acme/fleet');
    expect(normaliseRepoUrl('ssh://git@github.com/acme/fleet')).toBe('github.com/acme/fleet');
    expect(normaliseRepoUrl('git@github.com:acme/fleet.git')).toBe('github.com/acme/fleet');
    expect(normaliseRepoUrl('https://gitlab.example.com:8443/group/sub/repo/')).toBe('gitlab.example.com:8443/group/sub/repo');
  });

  it("accepts the git layer's promotion PR lists, matched by parsed metadata", () => {
    const prs = openPullRequestsFromRepos([
      {
        repoUrl: 'https://github.com/acme/fleet',
        pulls: [
          {
            branch: 'custom',
            metadata: { pipelineNamespace: 'team', pipelineName: 'app', targetEnv: 'prod' },
            title: 'Promote team/app in prod to 2.0.0',
            author: 'bot',
            number: 9,
            url: 'https://x/pull/9',
            createdAt: '2026-01-01T00:00:00Z',
          },
        ],
        fetchedAt: '2026-01-01T00:00:00Z',
      } as never,
    ]);
    const out = pendingPromotions({ pipeline, envName: 'prod', current: env([target('1.0.0')]), prs: indexPullRequests(prs) });
    expect(out).toEqual([{ kind: 'pr-open', version: '2.0.0', pr: { number: 9, url: 'https://x/pull/9', createdAt: '2026-01-01T00:00:00Z' } }]);
    expect(prs[0]?.repoUrl).toBe('https://github.com/acme/fleet');
    const elsewhere = pendingPromotions({ pipeline, envName: 'prod', current: env([target('1.0.0')]), prs: indexPullRequests(prs), repoUrl: 'https://github.com/acme/other' });
    expect(elsewhere).toEqual([]);
  });

  it('carries the review and checks state of discovered PRs onto the board', () => {
    const prs = openPullRequestsFromRepos([
      {
        repoUrl: 'https://github.com/acme/fleet',
        pulls: [
          {
            branch: 'promotion-team-app-prod',
            title: 'Promote team/app in prod to 2.0.0',
            author: 'bot',
            number: 3,
            url: 'https://x/pull/3',
            createdAt: '2026-01-01T00:00:00Z',
            reviewState: 'approved',
            checksState: 'failure',
          },
        ],
        fetchedAt: '2026-01-01T00:00:00Z',
      },
    ]);
    const out = pendingPromotions({ pipeline, envName: 'prod', current: env([target('1.0.0')]), prs: indexPullRequests(prs) });
    expect(out[0]?.pr).toEqual({ number: 3, url: 'https://x/pull/3', createdAt: '2026-01-01T00:00:00Z', reviewState: 'approved', checksState: 'failure' });
  });

  it('expects a promotion when the previous env settled on another version', () => {
    const out = pendingPromotions({ pipeline, envName: 'prod', previous: env([target('1.8.3'), target('v1.8.3')]), current: env([target('1.8.2')]), prs: noPrs });
    expect(out).toEqual([{ kind: 'promotion-expected', version: '1.8.3' }]);
  });

  it('expects nothing when the previous env is not settled, or the change is underway or would downgrade', () => {
    const cur = env([target('1.8.2')]);
    const cases = [
      { previous: env([target('1.8.3'), target('1.8.3', 'reconciling')]), current: cur },
      { previous: env([target('1.8.3'), target('1.8.4')]), current: cur },
      { previous: env([target('1.8.3')]), current: env([target('1.8.3')]) },
      { previous: env([target('1.8.3')]), current: env([target('1.8.2', 'reconciling', { inFlightVersion: '1.8.3' })]) },
      { previous: env([target('1.8.3')]), current: env([target('1.8.2', 'ready', { requestedVersion: '1.8.3' })]) },
      { previous: env([target('1.8.3')]), current: env([target('1.9.0')]) },
      { previous: env([target('1.8.3')]), current: env([target(undefined, 'missing')]) },
      { previous: env([target('1.8.3')]), current: env([target('1.8.2'), target(undefined, 'unknown')]) },
      { previous: undefined, current: cur },
    ];
    for (const c of cases) expect(pendingPromotions({ pipeline, envName: 'prod', ...c, prs: noPrs })).toEqual([]);
  });

  it('orders release candidates numerically: rc.10 is ahead of rc.9, rc.9 behind rc.10', () => {
    const ahead = pendingPromotions({ pipeline, envName: 'prod', previous: env([target('1.0.0-rc.9')]), current: env([target('1.0.0-rc.10')]), prs: noPrs });
    expect(ahead).toEqual([]);
    const behind = pendingPromotions({ pipeline, envName: 'prod', previous: env([target('1.0.0-rc.10')]), current: env([target('1.0.0-rc.9')]), prs: noPrs });
    expect(behind).toEqual([{ kind: 'promotion-expected', version: '1.0.0-rc.10' }]);
  });

  it('expects a promotion between versions it cannot order (the fallback: only "different")', () => {
    const out = pendingPromotions({ pipeline, envName: 'prod', previous: env([target('main@sha1:bbb')]), current: env([target('main@sha1:aaa')]), prs: noPrs });
    expect(out).toEqual([{ kind: 'promotion-expected', version: 'main@sha1:bbb' }]);
  });
});
