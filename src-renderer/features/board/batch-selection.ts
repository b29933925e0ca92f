// Which cells a batch promotion takes and what it asks main for. A selected cell means what
// its `p` key means (keyAction): move its version on, or approve what its own gate waits for.
// Pure: the selection itself lives in the promotion slice. Main re-derives every row anyway.
import type { EnvironmentCell, PipelineRow } from '../../../src-main/common/board';
import type { PromotionRequest } from '../../../src-main/common/promotion';
import { keyAction } from './board-actions';
import type { InboxItem } from './board-view';

export function cellKey(rowId: string, envIndex: number): string {
  return `${rowId}|${envIndex}`;
}

export function parseCellKey(key: string): { rowId: string; envIndex: number } | undefined {
  const bar = key.lastIndexOf('|');
  const envIndex = Number(key.slice(bar + 1));
  return bar > 0 && Number.isInteger(envIndex) ? { rowId: key.slice(0, bar), envIndex } : undefined;
}

export type CellRequest = { ok: true; request: PromotionRequest; label: string } | { ok: false; label: string; reason: string };

/** What promoting this cell asks main for, or why it cannot be part of a batch. */
export function cellRequest(row: PipelineRow, envIndex: number): CellRequest {
  const label = `${row.namespace}/${row.name} ${row.environments[envIndex]?.name ?? ''}`.trim();
  const { action } = keyAction(row, envIndex);
  if (action.kind !== 'approve' && action.kind !== 'promote') return { ok: false, label, reason: action.reason };
  const to = row.environments[action.toIndex]!;
  return { ok: true, label, request: { pipelineId: row.id, targetEnv: to.name, ...(action.kind === 'approve' ? { revision: action.version } : {}) } };
}

export interface SelectionRequests {
  requests: PromotionRequest[];
  /** selected cells with nothing to promote (they are not sent) */
  skipped: { label: string; reason: string }[];
}

/** The requests for the selected cells, one per pipeline and target environment. */
export function selectionRequests(rowsById: Readonly<Record<string, PipelineRow>>, keys: readonly string[]): SelectionRequests {
  const out: SelectionRequests = { requests: [], skipped: [] };
  const seen = new Set<string>();
  for (const key of keys) {
    const cell = parseCellKey(key);
    const row = cell ? rowsById[cell.rowId] : undefined;
    if (!cell || !row) continue;
    const asked = cellRequest(row, cell.envIndex);
    if (!asked.ok) {
      out.skipped.push({ label: asked.label, reason: asked.reason });
      continue;
    }
    const id = `${asked.request.pipelineId}→${asked.request.targetEnv}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.requests.push(asked.request);
  }
  return out;
}

function promotable(row: PipelineRow, envIndex: number): boolean {
  return cellRequest(row, envIndex).ok;
}

/** Every cell in these rows that can be promoted or approved now (the current filter result). */
export function promotableCells(rows: readonly PipelineRow[]): string[] {
  const keys: string[] = [];
  for (const row of rows) for (const env of row.environments) if (env.index < row.environments.length - 1 && promotable(row, env.index)) keys.push(cellKey(row.id, env.index));
  return keys;
}

/** How long every target of the environment has run what it runs now; undefined if any deploy time is unknown. */
function healthyForMs(env: EnvironmentCell, now: number): number | undefined {
  if (env.rollup.state !== 'healthy' || env.targets.length === 0) return undefined;
  let latest = 0;
  for (const t of env.targets) {
    const at = t.lastDeployedAt ? Date.parse(t.lastDeployedAt) : NaN;
    if (Number.isNaN(at)) return undefined;
    latest = Math.max(latest, at);
  }
  return now - latest;
}

/**
 * "Everything in <env> healthy for at least <hours> that the next environment lacks": the cells
 * named `envName` that are healthy, whose last deploy is at least that old, and whose version
 * the next environment does not run yet (the ordinary promotion rules decide the last part).
 */
export function healthyPresetCells(rows: readonly PipelineRow[], envName: string, hours: number, now: number): string[] {
  const keys: string[] = [];
  for (const row of rows) {
    const env = row.environments.find((e) => e.name === envName);
    if (!env || env.index >= row.environments.length - 1) continue;
    const age = healthyForMs(env, now);
    if (age === undefined || age < hours * 3_600_000) continue;
    if (promotable(row, env.index)) keys.push(cellKey(row.id, env.index));
  }
  return keys;
}

/** Environment names that promote into another somewhere on the board (for the preset's choice). */
export function sourceEnvNames(rows: readonly PipelineRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const env of row.environments.slice(0, -1)) names.add(env.name);
  return [...names];
}

/** The Inbox items that can be promoted or approved now, as cells (the one before the waiting environment). */
export function inboxCells(items: readonly InboxItem[], rowsById: Readonly<Record<string, PipelineRow>>): string[] {
  const keys = new Set<string>();
  for (const item of items) {
    const row = rowsById[item.rowId];
    if (!row || item.envIndex === 0 || item.pending.kind === 'pr-open') continue;
    if (promotable(row, item.envIndex - 1)) keys.add(cellKey(row.id, item.envIndex - 1));
  }
  return [...keys];
}
