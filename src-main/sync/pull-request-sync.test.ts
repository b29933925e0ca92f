import { describe, expect, it } from 'vitest';
import type { BoardSnapshot, EnvironmentCell, PipelineRow } from '../common/board';
import { ok } from '../common/result';
import { createMemoryLogger } from '../log/logger';
import { createPullRequestSync, promotionRepoUrls } from './pull-request-sync';

const repo = 'https://github.com/acme/fleet-config';

function env(name: string, pending: EnvironmentCell['pending']): EnvironmentCell {
  return {
    name,
    index: 0,
    targets: [],
    rollup: { summary: '', state: 'healthy' },
    strategy: { kind: 'pull-request', manual: false, provider: 'github', repoUrl: repo, baseBranch: 'main', source: 'pipeline' },
    pending,
  };
}

function row(pending: EnvironmentCell['pending']): PipelineRow {
  return { id: 'apps/checkout', cluster: 'mgmt', namespace: 'apps', name: 'checkout', appRef: { kind: 'HelmRelease', name: 'checkout', apiVersion: 'helm.toolkit.fluxcd.io/v2' }, environments: [env('prod', pending)], problems: [] };
}

const timers = { setInterval: (() => 0) as unknown as typeof setInterval, clearInterval: (() => {}) as unknown as typeof clearInterval };

function setup() {
  let clock = 0;
  const polled: string[] = [];
  const invalidated: string[] = [];
  const snapshot: BoardSnapshot = { pipelines: [row([])], clusters: [], generatedAt: '' };
  const sync = createPullRequestSync({
    snapshot: () => snapshot,
    poll: async (url) => {
      polled.push(url);
      return ok({ repoUrl: url, pulls: [], fetchedAt: '' });
    },
    invalidate: (url) => invalidated.push(url),
    publish: () => {},
    logger: createMemoryLogger(),
    timers,
    now: () => clock,
    earlyRepollMs: 10_000,
  });
  return { sync, polled, invalidated, advance: (ms: number) => (clock += ms) };
}

describe('pull request sync', () => {
  it('collects each config repository once', () => {
    expect(promotionRepoUrls({ pipelines: [row([]), row([])], clusters: [], generatedAt: '' })).toEqual([repo]);
  });

  it('asks again at once when a row with an open PR changes (it may have just merged), throttled per repository', async () => {
    const { sync, polled, invalidated, advance } = setup();
    const prRow = row([{ kind: 'pr-open', pr: { number: 7, url: `${repo}/pull/7`, createdAt: '2026-11-22T00:00:00Z' } }]);
    sync.onBoardChange({ upserted: [prRow], removed: [] });
    await sync.refresh();
    expect(invalidated).toEqual([repo]);
    expect(polled).toEqual([repo]);

    advance(3_000);
    sync.onBoardChange({ upserted: [prRow], removed: [] });
    expect(invalidated).toEqual([repo]); // inside the window: no second early poll

    advance(10_000);
    sync.onBoardChange({ upserted: [prRow], removed: [] });
    expect(invalidated).toEqual([repo, repo]);
  });

  it('ignores changes to rows without an open PR', () => {
    const { sync, invalidated } = setup();
    sync.onBoardChange({ upserted: [row([{ kind: 'promotion-expected', version: '1.2.3' }])], removed: [] });
    expect(invalidated).toEqual([]);
  });
});
