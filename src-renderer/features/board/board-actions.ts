// Actions shared by the keyboard, buttons, the palette and the inbox: promote a cell (or say
// why not), approve what a gate waits for, jump to a cell even when the current view hides it.
import { useAppStore } from '../../store/store';
import { buildListModel, groupKey } from './board-view';
import { approvalGate, cellAction, type CellAction } from '../../../src-main/common/cell-action';

/**
 * The action `p` takes on a cell: move its version on, or — on a cell whose own approval gate
 * waits and that has nothing to move on — approve what the gate waits for.
 */
export function keyAction(row: Parameters<typeof cellAction>[0], envIndex: number): { action: CellAction; from: number } {
  const own = cellAction(row, envIndex);
  if (own.kind === 'approve' || own.kind === 'promote' || envIndex === 0 || !approvalGate(row.environments[envIndex])) return { action: own, from: envIndex };
  return { action: cellAction(row, envIndex - 1), from: envIndex - 1 };
}

export function requestPromoteNext(rowId: string, envIndex: number): void {
  const state = useAppStore.getState();
  const row = state.rowsById[rowId];
  if (!row) return;
  const { action, from } = keyAction(row, envIndex);
  if (action.kind === 'approve' || action.kind === 'promote') state.openPromote({ rowId, from, to: action.toIndex });
  else if (action.kind === 'already') state.announce(`Nothing to promote: ${action.reason}`);
  else state.announce(`Can’t promote: ${action.reason}`, 'refusal');
}

/** Switches to the board, clears whatever hides the row, scrolls to it and focuses the cell. */
export function jumpToCell(rowId: string, envIndex: number): void {
  const state = useAppStore.getState();
  const row = state.rowsById[rowId];
  if (!row) return;
  let view = { ...state.view, mode: 'board' as const };
  const visible = buildListModel([row], view, state.clusters, new Set()).shown === 1;
  if (!visible) view = { query: '', filters: [], cluster: null, mode: 'board' };
  state.setView(view);
  const key = groupKey(row);
  if (state.collapsed.includes(key)) state.toggleGroup(key);
  state.focusCell({ rowId, envIndex: Math.min(envIndex, Math.max(0, row.environments.length - 1)) }, { reveal: true });
}
