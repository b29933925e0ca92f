import { describe, expect, it } from 'vitest';
import type { BoardChange, BoardSnapshot, PipelineRow } from '../common/board';
import { testEnv, testRow, testTarget } from '../common/test-rows';
import { markUnknownPullRequests } from '../pipelines/unknown-pull-requests';
import type { MergedPromotion } from '../pipelines/rollout-timeline';
import { createDecoratedBoard } from './decorated-board';
import { createRolloutTracker } from './rollout-tracker';

const MERGED_AT = '2026-03-02T10:00:00Z';

/** Timers that only move when the test says so. */
function manualTimers(start: number) {
  let now = start;
  const due: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimeout(fn: () => void, ms: number) {
      const entry = { at: now + ms, fn };
      due.push(entry);
      return () => void due.splice(due.indexOf(entry), 1);
    },
    advance(ms: number) {
      now += ms;
      for (const entry of due.filter((d) => d.at <= now)) {
        due.splice(due.indexOf(entry), 1);
        entry.fn();
      }
    },
  };
}

function fakeFeed(rows: PipelineRow[]) {
  const listeners = new Set<(c: BoardChange) => void>();
  return {
    snapshot: (): BoardSnapshot => ({ pipelines: rows, clusters: [], generatedAt: '' }),
    subscribe(l: (c: BoardChange) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    send: (change: BoardChange) => listeners.forEach((l) => l(change)),
  };
}

const merge: MergedPromotion = {
  pipelineNamespace: 'team',
  pipelineName: 'checkout',
  targetEnv: 'prod',
  version: '1.8.2',
  number: 1,
  url: 'https://github.com/acme/fleet/pull/1',
  mergedAt: MERGED_AT,
  repoUrl: 'https://github.com/acme/fleet.git',
};
const checkout = (prodTarget = testTarget('1.8.1', { requestedVersion: '1.8.1' })) =>
  testRow('checkout', [testEnv('dev', 0, [testTarget('1.8.2')]), testEnv('prod', 1, [prodTarget], { pending: [{ kind: 'promotion-expected', version: '1.8.2' }] })]);

function setup(rows: PipelineRow[]) {
  const timers = manualTimers(Date.parse(MERGED_AT) + 1_000);
  const feed = fakeFeed(rows);
  let unreadable: ReadonlySet<string> = new Set();
  const tracker = createRolloutTracker({ timers, changed: (which) => board.refresh(which), reconcileBoundMs: 60_000, tickMs: 15_000 });
  const board = createDecoratedBoard(feed, [(row) => markUnknownPullRequests(row, unreadable), (row) => tracker.decorate(row)]);
  const sent: BoardChange[] = [];
  board.subscribe((c) => sent.push(c));
  return { timers, feed, tracker, board, sent, setUnreadable: (s: string[]) => ((unreadable = new Set(s)), board.refresh()) };
}

describe('rollout tracker on the board', () => {
  it('puts the timeline on the merged environment, follows the targets, and reports one that never reconciles after the bound', async () => {
    const { timers, feed, tracker, board, sent } = setup([checkout()]);
    expect((await board.snapshot()).pipelines[0]?.environments[1]?.rollout).toBeUndefined();

    tracker.recordMerge(merge);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.upserted[0]?.environments[1]?.rollout).toMatchObject({ state: 'rolling-out', done: 0, total: 1, mergedAt: MERGED_AT });
    expect(sent[0]?.upserted[0]?.environments[0]?.rollout).toBeUndefined(); // dev was not promoted into

    // nothing moves: the timer re-derives and, past the bound, says so without a board change
    timers.advance(15_000);
    expect(sent).toHaveLength(1);
    timers.advance(60_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.upserted[0]?.environments[1]?.rollout).toMatchObject({ state: 'stuck', targets: [{ phase: 'not-reconciling' }] });

    // Flux catches up: the data plane's next row carries the healthy target
    feed.send({ upserted: [checkout(testTarget('1.8.2', { requestedVersion: '1.8.2', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-02T10:01:20Z' }] }))], removed: [] });
    expect(sent[2]?.upserted[0]?.environments[1]?.rollout).toMatchObject({ state: 'healthy', done: 1, finishedAt: '2026-03-02T10:01:20Z' });
    tracker.stop();
  });

  it('drops a finished timeline after it has been shown for a while', async () => {
    const healthyTarget = testTarget('1.8.2', { requestedVersion: '1.8.2', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-03-02T10:00:30Z' }] });
    const { timers, tracker, board } = setup([checkout(healthyTarget)]);
    await board.snapshot();
    tracker.recordMerge(merge);
    expect((await board.snapshot()).pipelines[0]?.environments[1]?.rollout?.state).toBe('healthy');
    timers.advance(31 * 60_000);
    expect((await board.snapshot()).pipelines[0]?.environments[1]?.rollout).toBeUndefined();
  });

  it('says "PR state unknown" instead of "promotion expected" where the repository could not be read', async () => {
    const { board, sent, setUnreadable } = setup([checkout()]);
    await board.snapshot();
    setUnreadable(['github.com/acme/fleet']);
    expect(sent.at(-1)?.upserted[0]?.environments[1]?.pending).toEqual([{ kind: 'pr-unknown', version: '1.8.2' }]);
    setUnreadable([]);
    expect(sent.at(-1)?.upserted[0]?.environments[1]?.pending).toEqual([{ kind: 'promotion-expected', version: '1.8.2' }]);
  });
});
