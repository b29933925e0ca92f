// Pure view logic for the board: which rows a search/filter/cluster view keeps, how rows
// group into cluster/namespace sections, the flat item list the virtual list draws (with
// each item's height), and the pending-promotion inbox. No React, no DOM: unit-tested.
import type { BoardDensity } from '../../../src-main/common/settings';
import type { ClusterState, EnvironmentCell, PendingPromotion, PipelineRow, TargetState } from '../../../src-main/common/board';
import type { ChangeRequestWords } from '../forges/forge-capabilities';

export const FILTER_KEYS = ['needs-promotion', 'awaiting-approval', 'pr-open', 'pr-unknown', 'failing', 'stale'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const FILTER_LABELS: Record<FilterKey, string> = {
  'needs-promotion': 'Needs promotion',
  'awaiting-approval': 'Awaiting approval',
  'pr-open': 'PR open',
  'pr-unknown': 'PR unknown (sign in)',
  failing: 'Failing',
  stale: 'Stale',
};

export interface BoardView {
  query: string;
  /** Rows matching ANY of these are kept (none = no filter). */
  filters: FilterKey[];
  /** Keep rows with the Pipeline or any target on this cluster (null = all). */
  cluster: string | null;
  mode: 'board' | 'inbox' | 'tokens' | 'releases';
}

export const defaultView: BoardView = { query: '', filters: [], cluster: null, mode: 'board' };

const FAILING_HEALTH: ReadonlySet<TargetState['health']> = new Set(['failed', 'stalled', 'missing']);

function hasPending(row: PipelineRow, kind: PendingPromotion['kind']): boolean {
  return row.environments.some((e) => e.pending.some((p) => p.kind === kind));
}

/**
 * Row problems that are advice about the Pipeline's configuration while the board still reads
 * it fully (an appRef apiVersion the cluster no longer serves): they show on the row, but a pipeline
 * whose environments are healthy is not "Failing" because of them.
 */
const CONFIG_WARNINGS: ReadonlySet<string> = new Set(['app-version-not-served']);

export function rowIsFailing(row: PipelineRow): boolean {
  return row.problems.some((p) => !CONFIG_WARNINGS.has(p.code)) || row.environments.some((e) => e.rollup.state === 'failing' || e.targets.some((t) => FAILING_HEALTH.has(t.health)));
}

export function rowIsStale(row: PipelineRow, clusters: ReadonlyMap<string, ClusterState>): boolean {
  return row.environments.some((e) => e.targets.some((t) => t.stale || (clusters.get(t.cluster)?.state ?? 'connected') !== 'connected'));
}

export function matchesFilter(row: PipelineRow, filter: FilterKey, clusters: ReadonlyMap<string, ClusterState>): boolean {
  switch (filter) {
    case 'needs-promotion':
      return hasPending(row, 'promotion-expected');
    case 'awaiting-approval':
      return hasPending(row, 'awaiting-approval');
    case 'pr-open':
      return hasPending(row, 'pr-open');
    case 'pr-unknown':
      return hasPending(row, 'pr-unknown');
    case 'failing':
      return rowIsFailing(row);
    case 'stale':
      return rowIsStale(row, clusters);
  }
}

function searchText(row: PipelineRow): string {
  const parts = [row.name, row.namespace, row.id, row.cluster, row.appRef.name, row.appRef.kind];
  for (const e of row.environments) {
    parts.push(e.name);
    if (e.rollup.version) parts.push(e.rollup.version);
    for (const t of e.targets) if (t.deployedVersion) parts.push(t.deployedVersion);
    for (const p of e.pending) if (p.version) parts.push(p.version);
  }
  return parts.join(' ').toLowerCase();
}

const textCache = new WeakMap<PipelineRow, string>();

/** Every whitespace-separated word of the query must appear (pipeline, namespace, app, version…). */
export function matchesQuery(row: PipelineRow, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  let text = textCache.get(row);
  if (text === undefined) {
    text = searchText(row);
    textCache.set(row, text);
  }
  return words.every((w) => text.includes(w));
}

export function rowOnCluster(row: PipelineRow, cluster: string): boolean {
  return row.cluster === cluster || row.environments.some((e) => e.targets.some((t) => t.cluster === cluster));
}

export function rowMatches(row: PipelineRow, view: BoardView, clusters: ReadonlyMap<string, ClusterState>): boolean {
  if (view.cluster && !rowOnCluster(row, view.cluster)) return false;
  if (!matchesQuery(row, view.query)) return false;
  return view.filters.length === 0 || view.filters.some((f) => matchesFilter(row, f, clusters));
}

// ---- virtual list items ----

export const GROUP_HEIGHT = 34;
export const ROW_BASE_HEIGHT = 152;
export const ROW_EMPTY_HEIGHT = 64;
export const PROBLEM_HEIGHT = 46;

/** Compact density: one table-like line per pipeline (and per problem), so 25+ fit on a 900 px screen. */
export const COMPACT = { group: 26, row: 28, problem: 24 } as const;

/** Room for an open PR's status under its label, wrapped once at the narrowest board (env-cell.css). */
export const PR_BADGE_EXTRA = 32;

export function rowHeight(row: PipelineRow, density: BoardDensity = 'comfortable'): number {
  if (density === 'compact') return COMPACT.row + row.problems.length * COMPACT.problem;
  const hasOpenPr = row.environments.some((e) => e.pending.some((p) => p.pr));
  return (row.environments.length > 0 ? ROW_BASE_HEIGHT + (hasOpenPr ? PR_BADGE_EXTRA : 0) : ROW_EMPTY_HEIGHT) + row.problems.length * PROBLEM_HEIGHT;
}

export function groupKey(row: Pick<PipelineRow, 'cluster' | 'namespace'>): string {
  return `${row.cluster}/${row.namespace}`;
}

export type ListItem = { type: 'group'; key: string; cluster: string; namespace: string; count: number; collapsed: boolean; height: number } | { type: 'row'; id: string; height: number };

export interface ListModel {
  items: ListItem[];
  /** offsets[i] = top of item i; offsets[items.length] = total height */
  offsets: number[];
  /** ids of the visible rows in order (for keyboard navigation) */
  rowIds: string[];
  shown: number;
  total: number;
}

export function buildListModel(rows: readonly PipelineRow[], view: BoardView, clusters: readonly ClusterState[], collapsed: ReadonlySet<string>, density: BoardDensity = 'comfortable'): ListModel {
  const clusterMap = new Map(clusters.map((c) => [c.name, c]));
  const groups = new Map<string, PipelineRow[]>();
  let shown = 0;
  for (const row of rows) {
    if (!rowMatches(row, view, clusterMap)) continue;
    shown += 1;
    const key = groupKey(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const items: ListItem[] = [];
  const rowIds: string[] = [];
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    const first = members[0]!;
    const isCollapsed = collapsed.has(key);
    items.push({ type: 'group', key, cluster: first.cluster, namespace: first.namespace, count: members.length, collapsed: isCollapsed, height: density === 'compact' ? COMPACT.group : GROUP_HEIGHT });
    if (isCollapsed) continue;
    for (const row of members) {
      items.push({ type: 'row', id: row.id, height: rowHeight(row, density) });
      rowIds.push(row.id);
    }
  }
  const offsets = new Array<number>(items.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < items.length; i += 1) offsets[i + 1] = offsets[i]! + items[i]!.height;
  return { items, offsets, rowIds, shown, total: rows.length };
}

/** Index of the item containing pixel `y` (binary search over offsets). */
export function itemAt(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The [start, end) item range to render for a viewport, with overscan in pixels. */
export function visibleRange(offsets: readonly number[], scrollTop: number, viewport: number, overscan = 300): [number, number] {
  const count = offsets.length - 1;
  if (count <= 0) return [0, 0];
  const start = itemAt(offsets, Math.max(0, scrollTop - overscan));
  let end = itemAt(offsets, scrollTop + viewport + overscan) + 1;
  if (end > count) end = count;
  return [start, end];
}

/**
 * Which rows of a rendered range to mount in full (the board list's mount budget): rows already
 * mounted in full and the pinned (focused) row stay full; up to `budget` more become full, those
 * in the viewport (`viewport`, indices into `rowIds`) first; the rest are placeholders.
 * `rowIds` has null for the items that are not rows (group headers).
 */
export function chooseFullRows(
  rowIds: readonly (string | null)[],
  viewport: readonly [number, number],
  mounted: ReadonlySet<string>,
  pinned: string | null,
  budget: number,
): { full: Set<string>; placeholders: number } {
  const full = new Set<string>();
  let left = budget;
  let placeholders = 0;
  const decide = (id: string | null) => {
    if (id === null) return;
    if (mounted.has(id) || id === pinned) full.add(id);
    else if (left > 0) {
      left -= 1;
      full.add(id);
    } else placeholders += 1;
  };
  for (let i = viewport[0]; i < viewport[1]; i += 1) decide(rowIds[i] ?? null);
  rowIds.forEach((id, i) => {
    if (i < viewport[0] || i >= viewport[1]) decide(id);
  });
  return { full, placeholders };
}

// ---- inbox ----

export interface InboxItem {
  key: string;
  rowId: string;
  pipeline: string;
  namespace: string;
  envIndex: number;
  env: string;
  fromEnv?: string;
  pending: PendingPromotion;
  /** The forge of the environment's strategy, whose capabilities word its PRs (GitLab: MR !N). */
  provider?: string;
  /** When this started waiting (PR opened, or the previous env's last deploy); undefined if unknown. */
  since?: string;
  /** What `since` is the time of; the view words a PR's opening in its forge's terms. */
  sinceEvent: 'pr-opened' | 'previous-deployed' | 'unknown';
}

/** "MR opened", "staging deployed": what started the wait, in the item's forge's terms. */
export function sinceText(item: Pick<InboxItem, 'sinceEvent' | 'fromEnv'>, words: ChangeRequestWords): string {
  if (item.sinceEvent === 'pr-opened') return `${words.short} opened`;
  return item.sinceEvent === 'previous-deployed' && item.fromEnv ? `${item.fromEnv} deployed` : 'unknown';
}

function latestDeploy(cell: EnvironmentCell | undefined): string | undefined {
  let latest: string | undefined;
  for (const t of cell?.targets ?? []) if (t.lastDeployedAt && (!latest || t.lastDeployedAt > latest)) latest = t.lastDeployedAt;
  return latest;
}

export function inboxItems(rows: readonly PipelineRow[]): InboxItem[] {
  const out: InboxItem[] = [];
  for (const row of rows) {
    for (const cell of row.environments) {
      const previous = row.environments[cell.index - 1];
      cell.pending.forEach((pending, i) => {
        const prDate = pending.pr?.createdAt;
        const since = prDate ?? latestDeploy(previous);
        const item: InboxItem = {
          key: `${row.id}|${cell.index}|${i}`,
          rowId: row.id,
          pipeline: row.name,
          namespace: row.namespace,
          envIndex: cell.index,
          env: cell.name,
          pending,
          sinceEvent: prDate ? 'pr-opened' : previous ? 'previous-deployed' : 'unknown',
        };
        if (previous) item.fromEnv = previous.name;
        if (since) item.since = since;
        if (cell.strategy.provider) item.provider = cell.strategy.provider;
        out.push(item);
      });
    }
  }
  return out;
}

/** Oldest first (or newest first); items without a time go last either way. */
export function sortInbox(items: readonly InboxItem[], order: 'oldest' | 'newest'): InboxItem[] {
  return [...items].sort((a, b) => {
    if (!a.since || !b.since) return a.since ? -1 : b.since ? 1 : a.key < b.key ? -1 : 1;
    const d = a.since < b.since ? -1 : a.since > b.since ? 1 : 0;
    return order === 'oldest' ? d : -d;
  });
}

/** The Inbox's groups, most pressing first: gates waiting for a person, PRs in review, promotions expected, then those whose PR state is unknown before sign-in. */
export const INBOX_KINDS: readonly PendingPromotion['kind'][] = ['awaiting-approval', 'pr-open', 'promotion-expected', 'pr-unknown'];

export interface InboxGroup {
  kind: PendingPromotion['kind'];
  items: InboxItem[];
}

/** Items grouped by kind (in INBOX_KINDS order, empty groups left out), each group sorted by age. */
export function groupInbox(items: readonly InboxItem[], order: 'oldest' | 'newest'): InboxGroup[] {
  const sorted = sortInbox(items, order);
  return INBOX_KINDS.map((kind) => ({ kind, items: sorted.filter((i) => i.pending.kind === kind) })).filter((g) => g.items.length > 0);
}

/** Offsets for `count` rows of one height, in the shape visibleRange reads. */
export function uniformOffsets(count: number, height: number): number[] {
  return Array.from({ length: count + 1 }, (_, i) => i * height);
}

/** How many rows each filter would keep (over every row, whatever the view): the toolbar's counts. */
export function filterCounts(rows: Iterable<PipelineRow>, clusters: ReadonlyMap<string, ClusterState>): Record<FilterKey, number> {
  const counts = Object.fromEntries(FILTER_KEYS.map((f) => [f, 0])) as Record<FilterKey, number>;
  for (const row of rows) for (const f of FILTER_KEYS) if (matchesFilter(row, f, clusters)) counts[f] += 1;
  return counts;
}
