// Command-palette entries for one pipeline: its release log, and a rollback for every
// environment main's rules would roll back (labelled with the version it goes back to).
import type { PipelineRow } from '../../../src-main/common/board';
import { deriveRollback } from '../../../src-main/common/rollback';
import { useReleasesStore } from './releases-store';

export interface PaletteCommand {
  id: string;
  label: string;
  hint: string;
  run(): void;
}

export function releaseCommands(row: PipelineRow): PaletteCommand[] {
  const releases = useReleasesStore.getState();
  const out: PaletteCommand[] = [{ id: `releases:${row.id}`, label: `Release log of ${row.namespace}/${row.name}`, hint: 'release log', run: () => releases.openLog({ pipelineId: row.id }) }];
  for (const env of row.environments) {
    const r = deriveRollback(row, env.name);
    if (!r.allowed) continue;
    out.push({
      id: `rollback:${row.id}:${env.name}`,
      label: `Roll back ${row.name} in ${env.name} to ${r.version}`,
      hint: 'rollback',
      run: () => releases.openRollback({ rowId: row.id, env: env.name }),
    });
  }
  return out;
}
