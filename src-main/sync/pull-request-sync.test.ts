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
  return {
    id: 'apps/checkout',
    cluster: 'mgmt',
    namespace: 'apps',
    name: 'checkout',
    appRef: { kind: 'HelmRelease', name: 'checkout', apiVersion: 'helm.toolkit.fluxcd.io/v2' },
    environments: [env('prod', pending)],
    problems: [],
  };
}

/** deferred early polls wait here until a test runs them */
const laterQueue: { fn: () => void; ms: number }[] = [];
const timers = {
  setInterval: (() => 0) as unknown as typeof setInterval,
  clearInterval: (() => {}) as unknown as typeof clearInterval,
  setTimeout: (fn: () => void, ms: number) => laterQueue.push({ fn, ms }),
  clearTimeout: () => {},
};

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
    laterQueue.length = 0;
    sync.onBoardChange({ upserted: [prRow], removed: [] });
    expect(invalidated).toEqual([repo]); // inside the window: not now...
    expect(laterQueue.map((t) => t.ms)).toEqual([7_000]); // ...but once the window ends, not at the next 30 s poll
    advance(7_000);
    laterQueue.shift()?.fn();
    expect(invalidated).toEqual([repo, repo]);

    advance(10_000);
    sync.onBoardChange({ upserted: [prRow], removed: [] });
    expect(invalidated).toEqual([repo, repo, repo]);
  });

  it('ignores changes to rows without an open PR', () => {
    const { sync, invalidated } = setup();
    sync.onBoardChange({ upserted: [row([{ kind: 'promotion-expected', version: '1.2.3' }])], removed: [] });
    expect(invalidated).toEqual([]);
  });
});

describe('pull request sync: merges and unreadable repositories', () => {
  const openPr = {
    branch: 'promotion-apps-checkout-prod',
    metadata: { pipelineNamespace: 'apps', pipelineName: 'checkout', targetEnv: 'prod' },
    title: 'Promote apps/checkout in prod to 1.8.2',
    author: 'bot',
    number: 7,
    url: `${repo}/pull/7`,
    createdAt: '2026-11-22T00:00:00Z',
  };

  function withAnswers(answers: Array<Awaited<ReturnType<Parameters<typeof createPullRequestSync>[0]['poll']>>>, mergedAt: string | null) {
    const merged: unknown[] = [];
    const unreadable: string[][] = [];
    const asked: number[] = [];
    const sync = createPullRequestSync({
      snapshot: () => ({ pipelines: [row([])], clusters: [], generatedAt: '' }),
      poll: async () => answers.shift() ?? ok({ repoUrl: repo, pulls: [], fetchedAt: '' }),
      publish: () => {},
      mergedAt: async (_url, number) => {
        asked.push(number);
        return ok(mergedAt);
      },
      onMerged: (m) => merged.push(m),
      onUnreadable: (repos) => unreadable.push([...repos]),
      logger: createMemoryLogger(),
      timers,
    });
    return { sync, merged, unreadable, asked };
  }

  it('asks the forge once about a promotion PR that left the open list and reports its merge with the version from the title', async () => {
    const { sync, merged, asked } = withAnswers([ok({ repoUrl: repo, pulls: [openPr], fetchedAt: '' }), ok({ repoUrl: repo, pulls: [openPr], fetchedAt: '' })], '2026-11-23T10:00:00Z');
    await sync.refresh();
    await sync.refresh();
    expect(asked).toEqual([]); // still open: nothing to ask
    await sync.refresh();
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual([7]);
    expect(merged).toEqual([
      { pipelineNamespace: 'apps', pipelineName: 'checkout', targetEnv: 'prod', version: '1.8.2', number: 7, url: `${repo}/pull/7`, mergedAt: '2026-11-23T10:00:00Z', repoUrl: repo },
    ]);
  });

  it('reports nothing for a PR closed without merging', async () => {
    const { sync, merged, asked } = withAnswers([ok({ repoUrl: repo, pulls: [openPr], fetchedAt: '' })], null);
    await sync.refresh();
    await sync.refresh();
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual([7]);
    expect(merged).toEqual([]);
  });

  it('names the repositories it could not read without signing in, and forgets them once readable', async () => {
    const refused = { ok: false as const, error: { code: 'sign-in-required' as const, message: 'acme/fleet-config is not public' } };
    const { sync, unreadable } = withAnswers([refused, { ok: false, error: { code: 'forge-unavailable' as const, message: 'down' } }], null);
    await sync.refresh();
    await sync.refresh();
    await sync.refresh();
    expect(unreadable).toEqual([['github.com/acme/fleet-config'], [], []]);
  });

  it('polls at once when a board change names a repository no poll has covered yet', async () => {
    const { sync, polled } = setup();
    sync.onBoardChange({ upserted: [row([])], removed: [] });
    await sync.refresh();
    expect(polled).toEqual([repo]);
    sync.onBoardChange({ upserted: [row([])], removed: [] });
    await sync.refresh();
    expect(polled).toEqual([repo, repo]); // the explicit refresh only: the repository was covered
  });
});
