// Which rows of a fixed-height list to draw for a scroll position: the visible ones plus a few
// either side, so scrolling a 30,000-row log costs the same as a 30-row one. Pure.
export interface VirtualWindow {
  start: number;
  end: number;
  /** px above the first drawn row */
  offset: number;
  /** px of the whole list */
  total: number;
}

export function virtualWindow(count: number, rowHeight: number, scrollTop: number, viewport: number, overscan = 8): VirtualWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewport, rowHeight) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end: Math.max(start, end), offset: start * rowHeight, total: count * rowHeight };
}
