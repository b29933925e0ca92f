// Which board changes deserve a desktop notification. Pure: takes the board before a change
// and the change, returns what to say. A release manager wants to hear when a promotion pull
// request was merged and when an environment finished rolling out (or failed to) — not about
// every reconcile, and never a burst of twenty toasts.
//
// The board has no "merged" flag: a promotion PR that leaves an environment's pending list is
// treated as merged when the environment now asks for (or runs, or is rolling out) the PR's
// version; a PR closed without merging changes none of those and stays silent.
import type { BoardChange, BoardState, EnvironmentCell, PipelineRow } from '../common/board';

export type BoardNotificationKind = 'pr-merged' | 'rolled-out' | 'rollout-failed' | 'summary';

export interface CellRef {
  pipelineId: string;
  environment: string;
}

export interface BoardNotification {
  /** stable identity, for de-duplication across changes */
  key: string;
  kind: BoardNotificationKind;
  title: string;
  body: string;
  /** the board cell to focus when the notification is clicked */
  cell?: CellRef;
}

/** More notifications than this from one change collapse into one summary. */
export const maxNotificationsPerChange = 3;

function rowLabel(row: PipelineRow): string {
  return `${row.namespace}/${row.name}`;
}

/** "v1.2.3" and "1.2.3" name the same release (PR titles and chart versions differ in style). */
function sameVersion(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/^v(?=\d)/, '') === b.replace(/^v(?=\d)/, '');
}

function inFlight(cell: EnvironmentCell): boolean {
  return cell.rollup.state === 'progressing' || cell.targets.some((t) => t.inFlightVersion !== undefined || t.health === 'reconciling');
}

function settled(cell: EnvironmentCell): boolean {
  return (
    cell.targets.length > 0 &&
    cell.rollup.state === 'healthy' &&
    cell.rollup.version !== undefined &&
    cell.targets.every((t) => t.health === 'ready' && !t.stale && t.inFlightVersion === undefined && t.deployedVersion === cell.rollup.version)
  );
}

function cellNotifications(row: PipelineRow, before: EnvironmentCell, after: EnvironmentCell): BoardNotification[] {
  const out: BoardNotification[] = [];
  const cell = { pipelineId: row.id, environment: after.name };
  const label = rowLabel(row);

  // A promotion PR that left the pending list, with its version now requested or running.
  const openAfter = new Set(after.pending.filter((p) => p.kind === 'pr-open' && p.pr).map((p) => p.pr!.number));
  for (const pending of before.pending) {
    if (pending.kind !== 'pr-open' || !pending.pr || openAfter.has(pending.pr.number) || !pending.version) continue;
    const version = pending.version;
    const adopted = after.targets.some((t) => sameVersion(t.requestedVersion, version) || sameVersion(t.inFlightVersion, version) || sameVersion(t.deployedVersion, version));
    if (!adopted) continue;
    out.push({
      key: `pr-merged:${row.id}:${after.name}:${pending.pr.number}`,
      kind: 'pr-merged',
      title: `Promotion merged: ${label} → ${after.name}`,
      body: `${after.strategy.provider === 'gitlab' ? `Merge request !${pending.pr.number}` : `Pull request #${pending.pr.number}`} for ${version} was merged; Flux is rolling it out.`,
      cell,
    });
  }

  // A rollout that finished: the cell was moving (or on another version) and is now settled.
  // Stale data coming back is not a rollout, and neither is the first sight of a cell.
  const beforeStale = before.targets.some((t) => t.stale);
  if (settled(after) && !beforeStale && (inFlight(before) || (before.rollup.version !== undefined && before.rollup.version !== after.rollup.version))) {
    const n = after.targets.length;
    out.push({
      key: `rolled-out:${row.id}:${after.name}:${after.rollup.version}`,
      kind: 'rolled-out',
      title: `${after.name} is on ${after.rollup.version}`,
      body: `${label}: ${n === 1 ? 'the target is' : `all ${n} targets are`} ready on ${after.rollup.version}.`,
      cell,
    });
  }

  // A rollout that stopped with a failure.
  if (inFlight(before) && !beforeStale && after.rollup.state === 'failing' && !inFlight(after)) {
    const failed = after.targets.filter((t) => t.health === 'failed' || t.health === 'stalled');
    const version = failed.find((t) => t.inFlightVersion)?.inFlightVersion ?? before.targets.find((t) => t.inFlightVersion)?.inFlightVersion;
    out.push({
      key: `rollout-failed:${row.id}:${after.name}:${version ?? after.rollup.summary}`,
      kind: 'rollout-failed',
      title: `Rollout failed in ${after.name}`,
      body: `${label}${version ? ` ${version}` : ''}: ${failed.length || 'some'} target${failed.length === 1 ? '' : 's'} failed. ${failed[0]?.message ?? ''}`.trim(),
      cell,
    });
  }
  return out;
}

/** What to notify for one board change, given the board just before it. */
export function notificationsForChange(previous: Pick<BoardState, 'rowsById'>, change: BoardChange): BoardNotification[] {
  const found: BoardNotification[] = [];
  for (const after of change.upserted) {
    const before = Object.hasOwn(previous.rowsById, after.id) ? previous.rowsById[after.id] : undefined;
    if (!before) continue; // a new row is news to the board, not to the user's inbox
    const beforeCells = new Map(before.environments.map((c) => [c.name, c]));
    for (const cell of after.environments) {
      const beforeCell = beforeCells.get(cell.name);
      if (beforeCell) found.push(...cellNotifications(after, beforeCell, cell));
    }
  }
  return found;
}

/** Collapses a burst into one summary, so a fleet-wide rollout is one toast, not twenty. */
export function limitBurst(notifications: BoardNotification[]): BoardNotification[] {
  if (notifications.length <= maxNotificationsPerChange) return notifications;
  const merged = notifications.filter((n) => n.kind === 'pr-merged').length;
  const rolled = notifications.filter((n) => n.kind === 'rolled-out').length;
  const failed = notifications.filter((n) => n.kind === 'rollout-failed').length;
  const parts = [merged && `${merged} promotion${merged === 1 ? '' : 's'} merged`, rolled && `${rolled} rollout${rolled === 1 ? '' : 's'} finished`, failed && `${failed} failed`].filter(Boolean);
  return [
    {
      key: `summary:${notifications.map((n) => n.key).join('|')}`,
      kind: 'summary',
      title: failed ? 'Release Board: rollouts need attention' : 'Release Board: promotions progressed',
      body: `${parts.join(', ')}.`,
      ...(notifications.find((n) => n.kind === 'rollout-failed')?.cell ? { cell: notifications.find((n) => n.kind === 'rollout-failed')!.cell! } : {}),
    },
  ];
}
