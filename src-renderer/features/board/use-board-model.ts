// The rows, in order, and the list model for the current view; recomputed only when the
// rows, the view or the collapsed groups change.
import { useMemo } from 'react';
import type { PipelineRow } from '../../../src-main/common/board';
import { useAppStore } from '../../store/store';
import { buildListModel, type ListModel } from './board-view';

export function useOrderedRows(): PipelineRow[] {
  const rowsById = useAppStore((s) => s.rowsById);
  const rowOrder = useAppStore((s) => s.rowOrder);
  return useMemo(() => rowOrder.map((id) => rowsById[id]).filter((r): r is PipelineRow => r !== undefined), [rowsById, rowOrder]);
}

export function useListModel(): ListModel {
  const rows = useOrderedRows();
  const view = useAppStore((s) => s.view);
  const clusters = useAppStore((s) => s.clusters);
  const collapsed = useAppStore((s) => s.collapsed);
  const density = useAppStore((s) => s.density);
  return useMemo(() => buildListModel(rows, view, clusters, new Set(collapsed), density), [rows, view, clusters, collapsed, density]);
}
