// Rollback and release-log actions shared by the keyboard (r, l), the detail panel and the
// command palette: open the rollback dialog for a cell, or say why there is nothing to roll
// back to.
import { deriveRollback } from '../../../src-main/common/rollback';
import { useAppStore } from '../../store/store';
import { useReleasesStore } from './releases-store';

export function requestRollback(rowId: string, envIndex: number): void {
  const app = useAppStore.getState();
  const row = app.rowsById[rowId];
  const env = row?.environments[envIndex];
  if (!row || !env) return;
  const derived = deriveRollback(row, env.name);
  if (derived.allowed) useReleasesStore.getState().openRollback({ rowId, env: env.name });
  else app.announce(`Can’t roll back: ${derived.reason}`, 'refusal');
}

/** Opens the release log, or goes back to the board from it. */
export function toggleReleaseLog(): void {
  const app = useAppStore.getState();
  if (app.view.mode === 'releases') app.setView({ mode: 'board' });
  else useReleasesStore.getState().openLog(useReleasesStore.getState().scope);
}
