import { describe, expect, it } from 'vitest';
import { publishedForgeCapabilities } from '../../testing/forge-capabilities';
import { changeRequestWordsFor } from '../forges/forge-capabilities';
import {
  buildListModel,
  chooseFullRows,
  COMPACT,
  defaultView,
  groupInbox,
  inboxItems,
  itemAt,
  sinceText,
  rowMatches,
  sortInbox,
  uniformOffsets,
  visibleRange,
  GROUP_HEIGHT,
  PR_BADGE_EXTRA,
  ROW_BASE_HEIGHT,
  PROBLEM_HEIGHT,
} from './board-view';
import { relativeTime } from './format';
import { testEnv, testRow, testTarget } from '../../../src-main/common/test-rows';
import { parseViewHash, viewToHash } from './url-state';

const rows = [
  testRow('checkout', [
    testEnv('dev', 0, [testTarget('1.8.3', { lastDeployedAt: '2026-01-01T10:00:00Z' })]),
    testEnv('prod', 1, [testTarget('1.8.1')], { pending: [{ kind: 'promotion-expected', version: '1.8.3' }] }),
  ]),
  testRow('ledger', [
    testEnv('dev', 0, [testTarget('2.4.0', { health: 'failed' })], {}, 'failing'),
    testEnv('prod', 1, [testTarget('2.3.0', { cluster: 'eu' })], { pending: [{ kind: 'pr-open', pr: { number: 7, url: 'u', createdAt: '2026-01-01T08:00:00Z' } }] }),
  ]),
  testRow('web', [testEnv('dev', 0, [testTarget('0.1.0')])], { namespace: 'web', id: 'web/web', problems: [{ code: 'x', message: 'm', hint: 'h' }] }),
];
const clusters = [
  { name: 'mgmt', state: 'connected' as const },
  { name: 'eu', state: 'stale' as const },
];
const clusterMap = new Map(clusters.map((c) => [c.name, c]));

describe('board view', () => {
  it('searches pipeline, namespace, app and version with every word', () => {
    expect(rows.filter((r) => rowMatches(r, { ...defaultView, query: '2.4' }, clusterMap)).map((r) => r.name)).toEqual(['ledger']);
    expect(rows.filter((r) => rowMatches(r, { ...defaultView, query: 'TEAM 1.8.1' }, clusterMap)).map((r) => r.name)).toEqual(['checkout']);
    expect(rows.filter((r) => rowMatches(r, { ...defaultView, query: 'nothing-like-this' }, clusterMap))).toHaveLength(0);
  });

  it('keeps rows matching any filter, and limits to a cluster', () => {
    const names = (v: Partial<typeof defaultView>) => rows.filter((r) => rowMatches(r, { ...defaultView, ...v }, clusterMap)).map((r) => r.name);
    expect(names({ filters: ['needs-promotion'] })).toEqual(['checkout']);
    expect(names({ filters: ['pr-open', 'needs-promotion'] })).toEqual(['checkout', 'ledger']);
    expect(names({ filters: ['failing'] })).toEqual(['ledger', 'web']);
    expect(names({ filters: ['stale'] })).toEqual(['ledger']);
    expect(names({ cluster: 'eu' })).toEqual(['ledger']);
  });

  it('does not call a healthy pipeline Failing for a config warning (a no-longer-served apiVersion)', () => {
    const warned = testRow('old-api', [testEnv('dev', 0, [testTarget('1.0.0')])], { problems: [{ code: 'app-version-not-served', message: 'm', hint: 'h' }] });
    const broken = testRow('broken', [testEnv('dev', 0, [testTarget('1.0.0')])], { problems: [{ code: 'malformed-pipeline', message: 'm', hint: 'h' }] });
    expect(rowMatches(warned, { ...defaultView, filters: ['failing'] }, clusterMap)).toBe(false);
    expect(rowMatches(broken, { ...defaultView, filters: ['failing'] }, clusterMap)).toBe(true);
  });

  it('groups by cluster/namespace with heights, honouring collapsed groups', () => {
    const model = buildListModel(rows, defaultView, clusters, new Set());
    expect(model.items.map((i) => (i.type === 'group' ? `G:${i.key}:${i.count}` : i.id))).toEqual(['G:mgmt/team:2', 'team/checkout', 'team/ledger', 'G:mgmt/web:1', 'web/web']);
    // ledger has an open PR: its row makes room for the PR's status under its label
    expect(model.offsets.at(-1)).toBe(2 * GROUP_HEIGHT + 3 * ROW_BASE_HEIGHT + PR_BADGE_EXTRA + PROBLEM_HEIGHT);
    const collapsed = buildListModel(rows, defaultView, clusters, new Set(['mgmt/team']));
    expect(collapsed.rowIds).toEqual(['web/web']);
    expect(collapsed.shown).toBe(3);
  });

  it('compact density: one line per pipeline and per problem, whatever its badges', () => {
    const model = buildListModel(rows, defaultView, clusters, new Set(), 'compact');
    expect(model.offsets.at(-1)).toBe(2 * COMPACT.group + 3 * COMPACT.row + COMPACT.problem);
    // a 785 px list (a 900 px window less the bars) holds 25 lines under two group headers
    expect(785 - 2 * COMPACT.group).toBeGreaterThanOrEqual(25 * COMPACT.row);
  });

  it('finds the items in view', () => {
    const offsets = [0, 10, 110, 210, 310];
    expect(itemAt(offsets, 0)).toBe(0);
    expect(itemAt(offsets, 109)).toBe(1);
    expect(itemAt(offsets, 110)).toBe(2);
    expect(itemAt(offsets, 9999)).toBe(3);
    expect(visibleRange(offsets, 100, 50, 0)).toEqual([1, 3]);
    expect(visibleRange([0], 0, 100)).toEqual([0, 0]);
  });

  it('lists pending promotions with their age, oldest first', () => {
    const items = sortInbox(inboxItems(rows), 'oldest');
    expect(items.map((i) => `${i.pipeline}:${i.env}:${i.pending.kind}`)).toEqual(['ledger:prod:pr-open', 'checkout:prod:promotion-expected']);
    expect(items[1]!.since).toBe('2026-01-01T10:00:00Z');
    expect(sortInbox(items, 'newest')[0]!.pipeline).toBe('checkout');
  });

  it("says what started each wait, a PR's opening in its forge's terms", () => {
    const [ledger, checkout] = sortInbox(inboxItems(rows), 'oldest');
    expect(ledger!.sinceEvent).toBe('pr-opened');
    expect(sinceText(ledger!, changeRequestWordsFor(publishedForgeCapabilities, 'gitlab'))).toBe('MR opened');
    expect(sinceText(ledger!, changeRequestWordsFor(publishedForgeCapabilities, 'github'))).toBe('PR opened');
    expect(sinceText(checkout!, changeRequestWordsFor([], undefined))).toBe(`${checkout!.fromEnv} deployed`);
    expect(sinceText({ sinceEvent: 'unknown' }, changeRequestWordsFor([], undefined))).toBe('unknown');
  });

  it('groups the Inbox by kind, most pressing first, each group sorted by age', () => {
    const gated = testRow('gate', [testEnv('dev', 0, [testTarget('3.0.0')]), testEnv('prod', 1, [testTarget('2.0.0')], { pending: [{ kind: 'awaiting-approval', version: '3.0.0' }] })]);
    const groups = groupInbox(inboxItems([...rows, gated]), 'oldest');
    expect(groups.map((g) => `${g.kind}:${g.items.map((i) => i.pipeline).join(',')}`)).toEqual(['awaiting-approval:gate', 'pr-open:ledger', 'promotion-expected:checkout']);
    expect(groupInbox([], 'oldest')).toEqual([]);
    expect(uniformOffsets(3, 40)).toEqual([0, 40, 80, 120]);
    expect(visibleRange(uniformOffsets(1000, 40), 4000, 400, 0)).toEqual([100, 111]);
  });

  it('formats relative times', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(relativeTime('2026-01-01T09:00:00Z', now)).toBe('3h ago');
    expect(relativeTime('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(relativeTime('2025-12-28T12:00:00Z', now)).toBe('4d ago');
    expect(relativeTime(undefined, now)).toBe('');
  });

  it('round-trips the view through the URL hash and drops unknown filters', () => {
    const view = { query: 'checkout 1.8', filters: ['failing', 'stale'] as const, cluster: 'prod-eu', mode: 'inbox' as const };
    expect(parseViewHash(viewToHash({ ...view, filters: [...view.filters] }))).toEqual({ ...view, filters: ['failing', 'stale'] });
    expect(parseViewHash('#f=failing,bogus&view=weird')).toEqual({ query: '', filters: ['failing'], cluster: null, mode: 'board' });
    expect(viewToHash(defaultView)).toBe('');
  });
});

describe('chooseFullRows (the board list mount budget)', () => {
  const ids = [null, 'a', 'b', 'c', null, 'd', 'e', 'f', 'g'];

  it('mounts everything with an unlimited budget', () => {
    const { full, placeholders } = chooseFullRows(ids, [2, 6], new Set(), null, Infinity);
    expect([...full].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(placeholders).toBe(0);
  });

  it('spends the budget on the viewport first and leaves the rest as placeholders', () => {
    const { full, placeholders } = chooseFullRows(ids, [5, 8], new Set(), null, 2);
    expect([...full]).toEqual(['d', 'e']);
    expect(placeholders).toBe(5);
  });

  it('keeps rows already mounted and the focused row full without spending the budget', () => {
    const { full, placeholders } = chooseFullRows(ids, [1, 4], new Set(['a', 'b']), 'g', 1);
    expect([...full].sort()).toEqual(['a', 'b', 'c', 'g']);
    expect(placeholders).toBe(3); // d, e, f
  });

  it('mounts nothing new with no budget left', () => {
    const { full, placeholders } = chooseFullRows(ids, [1, 4], new Set(['c']), null, 0);
    expect([...full]).toEqual(['c']);
    expect(placeholders).toBe(6);
  });
});
