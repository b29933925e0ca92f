// Actions shared by the keyboard, buttons, the palette and the inbox: promote a cell (or say
// why not), jump to a cell even when the current view hides it.
import { useAppStore } from '../../store/store';
import { buildListModel, groupKey } from './board-view';
import { checkPromoteNext } from '../../../src-main/common/promotion-eligibility';

export function requestPromoteNext(rowId: string, envIndex: number): void {
  const state = useAppStore.getState();
  const row = state.rowsById[rowId];
  if (!row) return;
  const result = checkPromoteNext(row, envIndex);
  if (result.allowed) state.openPromote({ rowId, from: envIndex, to: envIndex + 1 });
  else state.announce(`Can’t promote: ${result.reason}`, 'refusal');
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
