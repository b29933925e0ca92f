// Starting a batch review from anywhere (the batch bar, the `b` key, the palette, the Inbox):
// the selected cells become plan requests; cells with nothing to promote are named, not sent.
import { MAX_BATCH_ROWS } from '../../../src-main/common/promotion';
import { useAppStore } from '../../store/store';
import { selectionRequests } from './batch-selection';

export function reviewBatch(keys: readonly string[] = Object.keys(useAppStore.getState().batchSelection)): void {
  const state = useAppStore.getState();
  const { requests, skipped } = selectionRequests(state.rowsById, keys);
  if (requests.length === 0) {
    state.announce(
      skipped.length > 0 ? `Nothing to promote in the selection: ${skipped[0]!.label}: ${skipped[0]!.reason}` : 'Select cells to promote first (Ctrl- or Shift-click, or x on a cell).',
      'refusal',
    );
    return;
  }
  if (requests.length > MAX_BATCH_ROWS) state.announce(`A batch takes at most ${MAX_BATCH_ROWS} promotions: the first ${MAX_BATCH_ROWS} of ${requests.length} are reviewed.`, 'refusal');
  else if (skipped.length > 0) state.announce(`${skipped.length} selected ${skipped.length === 1 ? 'cell has' : 'cells have'} nothing to promote and ${skipped.length === 1 ? 'is' : 'are'} left out.`);
  void state.startBatch(requests.slice(0, MAX_BATCH_ROWS));
}

/** Selects these cells and says how many, for the presets. */
export function selectForBatch(keys: string[], what: string): void {
  const state = useAppStore.getState();
  state.selectBatchCells(keys);
  state.setBatchBar(true);
  state.announce(keys.length > 0 ? `Selected ${keys.length} ${keys.length === 1 ? 'cell' : 'cells'}: ${what}.` : `No cell matches: ${what}.`, keys.length > 0 ? 'info' : 'refusal');
}
