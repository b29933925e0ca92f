// The command palette's batch-promotion commands: review the selection, select the view's
// promotable cells, or a "healthy for ≥ N hours" preset per source environment.
import type { PipelineRow } from '../../../src-main/common/board';
import { useAppStore } from '../../store/store';
import { reviewBatch, selectForBatch } from './batch-actions';
import { healthyPresetCells, promotableCells, sourceEnvNames } from './batch-selection';
import type { Command } from './command-palette';

const PRESET_HOURS = [1, 24];

export function batchCommands(rows: readonly PipelineRow[], shownRows: readonly PipelineRow[], selected: number): Command[] {
  const list: Command[] = [];
  if (selected > 0) list.push({ id: 'batch:review', label: `Batch: review the ${selected} selected promotions`, hint: 'batch', run: () => reviewBatch() });
  list.push({
    id: 'batch:view',
    label: 'Batch: select every promotable cell in this view',
    hint: 'batch',
    run: () => selectForBatch(promotableCells(shownRows), 'every promotable cell in this view'),
  });
  for (const env of sourceEnvNames(rows)) {
    for (const hours of PRESET_HOURS) {
      const what = `${env} healthy for at least ${hours} h that the next environment lacks`;
      list.push({
        id: `batch:preset:${env}:${hours}`,
        label: `Batch: select everything in ${env} healthy ≥ ${hours} h that the next environment lacks`,
        hint: 'batch',
        run: () => selectForBatch(healthyPresetCells(rows, env, hours, Date.now()), what),
      });
    }
  }
  list.push({ id: 'batch:bar', label: 'Batch: choose cells to promote together…', hint: 'batch', run: () => useAppStore.getState().setBatchBar(true) });
  return list;
}
