// The board's data: rows kept by id (so a change replaces only the rows it names and every
// other row keeps its identity, letting memoised rows skip rendering), their order, the
// cluster states, the kubeconfig status (its error and warnings, computed in main), and which
// cells just changed (for the flash). Changes are applied by the same applyBoardChange as main's.
import type { StateCreator } from 'zustand';
import { applyBoardChange, boardStateOf, type BoardChange, type BoardSnapshot, type ClusterState, type KubeconfigStatus, type PipelineRow } from '../../src-main/common/board';
import type { AppError } from '../../src-main/common/result';
import { bridge } from '../bridge/release-board';

export type BoardLoad = { status: 'loading' } | { status: 'ready' } | { status: 'error'; error: AppError };

export interface CellFlash {
  /** increases on every change, so the same cell can flash again */
  token: number;
  /** performance.now() when it changed: a row scrolled into view later does not flash */
  at: number;
  envs: string[];
}

export interface BoardSlice {
  boardLoad: BoardLoad;
  rowsById: Record<string, PipelineRow>;
  rowOrder: string[];
  clusters: ClusterState[];
  /** Which kubeconfig main reads and what is wrong with it; null until the snapshot came. */
  kubeconfig: KubeconfigStatus | null;
  generatedAt: string | null;
  flashes: Record<string, CellFlash>;
  /** Starts listening for changes, then asks for the snapshot; returns the unsubscribe. */
  subscribeBoard(): () => void;
  loadSnapshot(): Promise<void>;
  receiveSnapshot(snapshot: BoardSnapshot): void;
  receiveChange(change: BoardChange): void;
}

let flashCounter = 0;

/** Environments whose visible content differs between two versions of a row. */
export function changedEnvs(before: PipelineRow | undefined, after: PipelineRow): string[] {
  if (!before) return after.environments.map((e) => e.name);
  return after.environments
    .filter((e) => {
      const old = before.environments.find((o) => o.name === e.name);
      return !old || JSON.stringify(old) !== JSON.stringify(e);
    })
    .map((e) => e.name);
}

export const createBoardSlice: StateCreator<BoardSlice, [], [], BoardSlice> = (set, get) => {
  // Changes that arrive before the snapshot are replayed on top of it (upserts are idempotent).
  let early: BoardChange[] | null = null;
  return {
    boardLoad: { status: 'loading' },
    rowsById: {},
    rowOrder: [],
    clusters: [],
    kubeconfig: null,
    generatedAt: null,
    flashes: {},
    subscribeBoard() {
      early = [];
      const off = bridge.on('board:changed', (change) => {
        if (early) early.push(change);
        else get().receiveChange(change);
      });
      void get().loadSnapshot();
      return off;
    },
    async loadSnapshot() {
      set({ boardLoad: { status: 'loading' } });
      early ??= [];
      const result = await bridge.request('board:subscribe', undefined);
      if (!result.ok) {
        set({ boardLoad: { status: 'error', error: result.error } });
        return;
      }
      get().receiveSnapshot(result.value);
      const queued = early ?? [];
      early = null;
      for (const change of queued) get().receiveChange(change);
    },
    receiveSnapshot(snapshot) {
      performance.mark('board:snapshot-received');
      const { rowsById, rowOrder, clusters, generatedAt, kubeconfig } = boardStateOf(snapshot);
      set({ boardLoad: { status: 'ready' }, rowsById, rowOrder, clusters, generatedAt, kubeconfig: kubeconfig ?? null, flashes: {} });
    },
    receiveChange(change) {
      const state = get();
      const flashes = { ...state.flashes };
      for (const id of change.removed) delete flashes[id];
      for (const row of change.upserted) {
        const envs = changedEnvs(state.rowsById[row.id], row);
        if (envs.length > 0) flashes[row.id] = { token: ++flashCounter, at: performance.now(), envs };
      }
      const before = {
        rowsById: state.rowsById,
        rowOrder: state.rowOrder,
        clusters: state.clusters,
        generatedAt: state.generatedAt ?? '',
        ...(state.kubeconfig ? { kubeconfig: state.kubeconfig } : {}),
      };
      const { rowsById, rowOrder, clusters, generatedAt, kubeconfig } = applyBoardChange(before, change, new Date().toISOString());
      set({ rowsById, rowOrder, flashes, clusters, generatedAt, kubeconfig: kubeconfig ?? null });
    },
  };
};
