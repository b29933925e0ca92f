// What the board offers for "move this cell's version on": the one answer the cell's button,
// the `p` key, drag-and-drop, the Inbox and the command palette all show. An approval gate
// comes first (the controller has already decided which revision waits, whatever the
// upstream mix), then the ordinary promotion rules; a promotion that would change nothing
// is "already on X", not a button. Built on derivePromotion so main and renderer agree.
import type { EnvironmentCell, PipelineRow } from './board';
import { checkPromotion, derivePromotion, sameVersion, type CellRef, type DerivedPromotion, type PromotionRefusal } from './promotion-eligibility';

export type CellAction =
  /** The next environment waits for approval of exactly this revision. */
  | { kind: 'approve'; version: string; toIndex: number; promotion: DerivedPromotion; label: string }
  | { kind: 'promote'; version: string; toIndex: number; promotion: DerivedPromotion; label: string }
  /** Nothing to change: the next environment already runs (or Git already asks for) the version. */
  | { kind: 'already'; version: string; toIndex: number; label: string; reason: string }
  | { kind: 'refused'; reason: string; code: PromotionRefusal['code'] };

/** The revision an environment's approval gate waits for, if it waits for one. */
export function approvalGate(cell: EnvironmentCell | undefined): string | undefined {
  return cell?.pending.find((p) => p.kind === 'awaiting-approval' && p.version)?.version;
}

/** True when every target of `to` is known to carry `version`: deployed, or asked for by Git (the marker value). */
function alreadyThere(to: EnvironmentCell, version: string): 'deployed' | 'requested' | undefined {
  if (to.targets.length === 0) return undefined;
  if (to.targets.every((t) => sameVersion(t.deployedVersion, version))) return 'deployed';
  if (to.targets.every((t) => sameVersion(t.deployedVersion, version) || sameVersion(t.requestedVersion, version))) return 'requested';
  return undefined;
}

/** The action that moves `row`'s environment `envIndex` on into the environment after it. */
export function cellAction(row: PipelineRow, envIndex: number): CellAction {
  const from = row.environments[envIndex];
  const toIndex = envIndex + 1;
  const to = row.environments[toIndex];
  if (!from) return { kind: 'refused', code: 'not-next-env', reason: 'That environment is no longer part of the pipeline.' };
  if (!to) return { kind: 'refused', code: 'not-next-env', reason: `${from.name} is the last environment of ${row.name}.` };
  const gate = approvalGate(to);
  if (gate) {
    const approval = derivePromotion(row, to.name, gate);
    if (!approval.allowed) return { kind: 'refused', code: approval.code, reason: approval.reason };
    return { kind: 'approve', version: gate, toIndex, promotion: approval.promotion, label: `Approve ${gate}` };
  }
  const version = from.rollup.version;
  const there = version ? alreadyThere(to, version) : undefined;
  if (version && there) {
    const reason = there === 'deployed' ? `${to.name} already runs ${version}.` : `${to.name}'s configuration already asks for ${version}; Flux is applying it.`;
    return { kind: 'already', version, toIndex, label: `already on ${version}`, reason };
  }
  const derived = derivePromotion(row, to.name);
  if (!derived.allowed) return { kind: 'refused', code: derived.code, reason: derived.reason };
  return { kind: 'promote', version: derived.promotion.version, toIndex, promotion: derived.promotion, label: 'Promote →' };
}

export type DropVerdict = { allowed: true; version: string; approval: boolean } | { allowed: false; reason: string };

/** What dropping `source`'s version on `target` would do: onto the next environment, exactly what its cell action does. */
export function dropVerdict(source: CellRef, target: CellRef): DropVerdict {
  if (source.row.id === target.row.id && target.envIndex === source.envIndex + 1) {
    const action = cellAction(source.row, source.envIndex);
    if (action.kind === 'approve' || action.kind === 'promote') return { allowed: true, version: action.version, approval: action.kind === 'approve' };
    return { allowed: false, reason: action.reason };
  }
  const checked = checkPromotion(source, target);
  return checked.allowed ? { allowed: true, version: checked.version, approval: false } : { allowed: false, reason: checked.reason };
}
