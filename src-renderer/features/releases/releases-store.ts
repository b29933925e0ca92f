// The release log and rollback dialog state, in a store of their own (the board's store keeps
// only the view mode). Everything is asked of main: the log for a range, the export (main
// shows the save dialog and writes the file), and the rollback plan and PR.
import { create } from 'zustand';
import type { AppError } from '../../../src-main/common/result';
import type { ReleaseLog, ReleaseLogFormat } from '../../../src-main/common/release-log';
import { bridge } from '../../bridge/release-board';
import { useAppStore } from '../../store/store';
import { rangeFor, type RangeChoice } from './release-range';

export interface ReleaseScope {
  pipelineId?: string;
  env?: string;
}

export interface ReleasesState {
  scope: ReleaseScope;
  range: RangeChoice;
  load: { status: 'idle' | 'loading' | 'ready' | 'error'; log?: ReleaseLog; error?: AppError };
  exporting: ReleaseLogFormat | null;
  exported: { tone: 'ok' | 'error'; text: string } | null;
  /** The environment a rollback dialog is open for. */
  rollback: { rowId: string; env: string } | null;
  openLog(scope?: ReleaseScope): void;
  setScope(scope: ReleaseScope): void;
  setRange(range: RangeChoice): void;
  refresh(): Promise<void>;
  exportAs(format: ReleaseLogFormat): Promise<void>;
  openRollback(target: { rowId: string; env: string } | null): void;
}

let requestSeq = 0;

function query(s: Pick<ReleasesState, 'scope' | 'range'>): { from: string; to: string; pipelineId?: string; env?: string } | { error: string } {
  const r = rangeFor(s.range, Date.now());
  if ('error' in r) return r;
  return { ...r, ...(s.scope.pipelineId ? { pipelineId: s.scope.pipelineId } : {}), ...(s.scope.env ? { env: s.scope.env } : {}) };
}

export const useReleasesStore = create<ReleasesState>()((set, get) => ({
  scope: {},
  range: { preset: '7d' },
  load: { status: 'idle' },
  exporting: null,
  exported: null,
  rollback: null,
  openLog(scope = {}) {
    set({ scope, exported: null });
    useAppStore.getState().setView({ mode: 'releases' });
    void get().refresh();
  },
  setScope(scope) {
    set({ scope, exported: null });
    void get().refresh();
  },
  setRange(range) {
    set({ range, exported: null });
    void get().refresh();
  },
  async refresh() {
    const q = query(get());
    if ('error' in q) {
      set({ load: { status: 'error', error: { code: 'invalid-range', message: q.error } } });
      return;
    }
    const seq = ++requestSeq;
    set((s) => ({ load: { ...s.load, status: 'loading' } }));
    const result = await bridge.request('releases:list', q);
    if (seq !== requestSeq) return; // a newer range or scope was asked for meanwhile
    // what the renderer benchmark reads: data in hand → rows painted (ReleaseLogTable marks that)
    performance.clearMarks('releases:data-received');
    performance.clearMarks('releases:painted');
    performance.mark('releases:data-received');
    set({ load: result.ok ? { status: 'ready', log: result.value } : { status: 'error', error: result.error } });
  },
  async exportAs(format) {
    const q = query(get());
    if ('error' in q) return;
    set({ exporting: format, exported: null });
    const result = await bridge.request('releases:export', { ...q, format });
    set({
      exporting: null,
      exported: result.ok ? (result.value.saved ? { tone: 'ok', text: `Saved ${result.value.fileName}.` } : null) : { tone: 'error', text: `Not exported: ${result.error.message}` },
    });
  },
  openRollback(target) {
    set({ rollback: target });
  },
}));
