// What the user is looking at: the view (search, filters, cluster, board/inbox — mirrored
// in the URL hash), collapsed groups, the focused cell, open panels and dialogs, the drag
// in progress, and the latest announcement for screen readers.
import type { StateCreator } from 'zustand';
import { defaultView, type BoardView, type FilterKey } from '../features/board/board-view';

export interface CellAddress {
  rowId: string;
  envIndex: number;
}

export interface Announcement {
  id: number;
  text: string;
  tone: 'info' | 'refusal';
}

export interface UiSlice {
  view: BoardView;
  collapsed: string[];
  focus: (CellAddress & { token: number }) | null;
  /** A request to scroll a row into view (consumed by the list). */
  reveal: { rowId: string; token: number } | null;
  detail: CellAddress | null;
  promote: { rowId: string; from: number; to: number } | null;
  drag: CellAddress | null;
  overlay: 'palette' | 'shortcuts' | null;
  announcement: Announcement | null;
  setView(patch: Partial<BoardView>): void;
  toggleFilter(filter: FilterKey): void;
  toggleGroup(key: string): void;
  focusCell(cell: CellAddress, opts?: { reveal?: boolean }): void;
  openDetail(cell: CellAddress | null): void;
  openPromote(request: { rowId: string; from: number; to: number } | null): void;
  setDrag(cell: CellAddress | null): void;
  setOverlay(overlay: UiSlice['overlay']): void;
  announce(text: string, tone?: Announcement['tone']): void;
}

let tokens = 0;

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set, get) => ({
  view: defaultView,
  collapsed: [],
  focus: null,
  reveal: null,
  detail: null,
  promote: null,
  drag: null,
  overlay: null,
  announcement: null,
  setView(patch) {
    set({ view: { ...get().view, ...patch } });
  },
  toggleFilter(filter) {
    const filters = get().view.filters;
    set({ view: { ...get().view, filters: filters.includes(filter) ? filters.filter((f) => f !== filter) : [...filters, filter] } });
  },
  toggleGroup(key) {
    const collapsed = get().collapsed;
    set({ collapsed: collapsed.includes(key) ? collapsed.filter((k) => k !== key) : [...collapsed, key] });
  },
  focusCell(cell, opts) {
    const token = ++tokens;
    set({ focus: { ...cell, token }, ...(opts?.reveal ? { reveal: { rowId: cell.rowId, token } } : {}) });
  },
  openDetail(cell) {
    set({ detail: cell });
  },
  openPromote(request) {
    set({ promote: request });
  },
  setDrag(cell) {
    set({ drag: cell });
  },
  setOverlay(overlay) {
    set({ overlay });
  },
  announce(text, tone = 'info') {
    set({ announcement: { id: ++tokens, text, tone } });
  },
});
