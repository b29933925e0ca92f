// The batch bar above the board: how many cells are selected, the presets ("everything in the
// view", "<env> healthy for ≥ N hours that the next environment lacks") and the button that
// opens the batch review. Shown while cells are selected or after the palette asked for it.
import { useMemo, useState } from 'react';
import { EnvironmentSelect } from '../../components/environment-select';
import { useAppStore } from '../../store/store';
import { reviewBatch, selectForBatch } from './batch-actions';
import { healthyPresetCells, promotableCells, sourceEnvNames } from './batch-selection';
import type { ListModel } from './board-view';
import { useOrderedRows } from './use-board-model';
import './batch.css';

export function BatchBar(props: { model: ListModel }) {
  const selected = useAppStore((s) => Object.keys(s.batchSelection).length);
  const open = useAppStore((s) => s.batchBarOpen);
  const rows = useOrderedRows();
  const envNames = useMemo(() => sourceEnvNames(rows), [rows]);
  const [env, setEnv] = useState<string>('');
  const [hours, setHours] = useState('24');
  if (!open && selected === 0) return null;
  const presetEnv = env || (envNames.includes('staging') ? 'staging' : (envNames[0] ?? ''));
  const { clearBatchSelection, setBatchBar } = useAppStore.getState();
  const inView = () => {
    const byId = useAppStore.getState().rowsById;
    const shown = props.model.rowIds.map((id) => byId[id]).filter((r) => r !== undefined);
    selectForBatch(promotableCells(shown), 'every promotable cell in this view');
  };
  const preset = () => {
    const n = Number(hours);
    if (!Number.isFinite(n) || n < 0) {
      useAppStore.getState().announce('Give the hours as a number, for example 24.', 'refusal');
      return;
    }
    selectForBatch(healthyPresetCells(rows, presetEnv, n, Date.now()), `${presetEnv} healthy for at least ${n} h that the next environment lacks`);
  };
  return (
    <div className="batch-bar" role="region" aria-label="Batch promotion" data-testid="batch-bar">
      <strong className="batch-bar__count" data-testid="batch-count">
        {selected} {selected === 1 ? 'cell' : 'cells'} selected
      </strong>
      <button
        type="button"
        className="button button--small button--primary"
        disabled={selected === 0}
        onClick={() => reviewBatch()}
        data-testid="batch-review"
        title="Review the selected promotions (b)"
      >
        Review promotions…
      </button>
      <button type="button" className="button button--small" onClick={inView} data-testid="batch-select-view">
        Select all in view
      </button>
      <form
        className="batch-bar__preset"
        onSubmit={(e) => {
          e.preventDefault();
          preset();
        }}
      >
        <label>
          Select <EnvironmentSelect value={presetEnv} names={envNames} onChange={setEnv} ariaLabel="Environment" testId="batch-preset-env" />
        </label>
        <label>
          healthy ≥{' '}
          <input className="batch-bar__hours" type="number" min="0" step="1" value={hours} onChange={(e) => setHours(e.target.value)} aria-label="Hours healthy" data-testid="batch-preset-hours" /> h
        </label>
        <span className="muted">that the next environment lacks</span>
        <button type="submit" className="button button--small" data-testid="batch-preset">
          Select
        </button>
      </form>
      <button
        type="button"
        className="button button--ghost button--small batch-bar__close"
        onClick={() => {
          clearBatchSelection();
          setBatchBar(false);
        }}
        data-testid="batch-clear"
      >
        Clear
      </button>
    </div>
  );
}
