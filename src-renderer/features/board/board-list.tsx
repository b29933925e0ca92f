// The virtualised board: only the rows in (and near) the viewport are in the DOM, each
// absolutely placed at its precomputed offset. Also hosts drag-and-drop (pointer and
// keyboard, with announcements) and the grid's keyboard navigation (roving tabindex).
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { cellKey } from './batch-selection';
import { useAppStore } from '../../store/store';
import { useNow } from '../../lib/use-now';
import { requestPromoteNext } from './board-actions';
import { requestRollback } from '../releases/release-actions';
import { useViewportHeight } from '../../lib/use-viewport-height';
import { chooseFullRows, visibleRange, type ListModel } from './board-view';
import type { DragData } from './env-cell';
import { GroupHeader, PipelineRowPlaceholder, PipelineRowView } from './pipeline-row';
import { useCompactRows } from './use-compact-rows';
import { dropVerdict } from '../../../src-main/common/cell-action';
import './board-list.css';
import './compact-density.css';
import './board-list-scroll.css';

function dragData(value: unknown): DragData | null {
  const d = value as Partial<DragData> | undefined;
  return d && typeof d.rowId === 'string' && typeof d.envIndex === 'number' ? { rowId: d.rowId, envIndex: d.envIndex } : null;
}

/** What dropping `active` on `over` would do, as a sentence. */
function verdict(active: DragData | null, over: DragData | null): { allowed: boolean; text: string } {
  const rows = useAppStore.getState().rowsById;
  if (!active) return { allowed: false, text: '' };
  const source = rows[active.rowId];
  const target = over ? rows[over.rowId] : undefined;
  if (!source) return { allowed: false, text: 'That pipeline is gone.' };
  if (!over || !target) return { allowed: false, text: 'Not over an environment.' };
  const result = dropVerdict({ row: source, envIndex: active.envIndex }, { row: target, envIndex: over.envIndex });
  const env = target.environments[over.envIndex]?.name ?? 'that environment';
  if (!result.allowed) return { allowed: false, text: `Can’t drop on ${env}: ${result.reason}` };
  return { allowed: true, text: result.approval ? `Drop to approve ${result.version} into ${env}.` : `Drop to promote ${result.version} to ${env}.` };
}

const announcements: Announcements = {
  onDragStart({ active }) {
    const d = dragData(active.data.current);
    const row = d ? useAppStore.getState().rowsById[d.rowId] : undefined;
    const env = row?.environments[d?.envIndex ?? -1];
    return row && env ? `Picked up ${env.rollup.version ?? 'version'} from ${row.name} ${env.name}. Use the arrow keys to move to another environment, Space to drop, Escape to cancel.` : undefined;
  },
  onDragOver({ active, over }) {
    const from = dragData(active.data.current);
    const to = dragData(over?.data.current);
    // Hovering the cell it came from says nothing new; keep the pick-up instructions.
    if (from && to && from.rowId === to.rowId && from.envIndex === to.envIndex) return undefined;
    return verdict(from, to).text;
  },
  onDragEnd({ active, over }) {
    const v = verdict(dragData(active.data.current), dragData(over?.data.current));
    return v.allowed ? 'Dropped. Review the promotion in the dialog.' : `Not promoted. ${v.text}`;
  },
  onDragCancel() {
    return 'Drag cancelled. Nothing was promoted.';
  },
};

const screenReaderInstructions = {
  draggable: 'To promote this version, press Space or Enter to pick it up, arrow keys to move to the next environment, Space to drop, Escape to cancel.',
};

/** Keyboard dragging jumps between the environments of the dragged pipeline. */
const cellCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const active = dragData(context.active?.data.current);
  if (!active || (event.code !== 'ArrowRight' && event.code !== 'ArrowLeft')) {
    if (event.code === 'ArrowUp' || event.code === 'ArrowDown') event.preventDefault();
    return undefined;
  }
  event.preventDefault();
  const current = dragData(context.over?.data.current) ?? active;
  const targetIndex = current.envIndex + (event.code === 'ArrowRight' ? 1 : -1);
  const container = context.droppableContainers.get(`drop|${active.rowId}|${targetIndex}`);
  const rect = container?.rect.current;
  const size = context.collisionRect;
  if (!rect || !size) return undefined;
  return { x: rect.left + rect.width / 2 - size.width / 2, y: rect.top + rect.height / 2 - size.height / 2 };
};

const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : args.pointerCoordinates ? [] : rectIntersection(args);
};

/** Hover comes back this long after the last scroll event. */
const SCROLL_SETTLE_MS = 150;

/**
 * How many rows one render may mount in full when only the scroll position moved. A full row
 * is ~50 elements with their store subscriptions, styles and paint (≈ 4–5 ms of main-thread
 * time each in software rendering); a brisk wheel turn brings a dozen in at once, which was a
 * frame of 40–70 ms. Past the budget a row mounts as a placeholder (its name and each
 * environment's version as text) and becomes full over the next frames, viewport first.
 * 2 rather than 3: fewer slow frames over four free wheel passes in compact rows (0–4 vs 2–6
 * of ~190); 1 was no better and fills the viewport more slowly.
 */
const FULL_ROWS_PER_FRAME = 2;

export function BoardList(props: { model: ListModel }) {
  const { model } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const viewport = useViewportHeight(scrollRef, 800);
  const frame = useRef(0);
  const now = useNow();
  const drag = useAppStore((s) => s.drag);
  const setDrag = useAppStore((s) => s.setDrag);
  const openPromote = useAppStore((s) => s.openPromote);
  const announce = useAppStore((s) => s.announce);
  const reveal = useAppStore((s) => s.reveal);
  const hasFocus = useAppStore((s) => s.focus !== null);
  const focusCell = useAppStore((s) => s.focusCell);
  const compact = useCompactRows();
  const focusedRowId = useAppStore((s) => s.focus?.rowId ?? null);
  // The model of the last commit and the rows it rendered in full (see the mount budget below).
  const committed = useRef<{ model: ListModel | null; full: ReadonlySet<string> }>({ model: null, full: new Set() });
  const [, setUpgradeRound] = useState(0);

  // The first frame with rows in it, as a performance mark (what the renderer benchmark reads).
  useLayoutEffect(() => {
    if (model.items.length === 0 || performance.getEntriesByName('board:painted').length > 0) return;
    requestAnimationFrame(() => {
      if (performance.getEntriesByName('board:painted').length === 0) performance.mark('board:painted');
    });
  }, [model.items.length]);

  // Give the grid one tab stop from the start: the first cell.
  useEffect(() => {
    const first = model.rowIds[0];
    if (!hasFocus && first) useAppStore.setState({ focus: { rowId: first, envIndex: 0, token: 0 } });
  }, [hasFocus, model.rowIds]);

  // Scroll a requested row into view (keyboard navigation, inbox, palette).
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!reveal || !el) return;
    const index = model.items.findIndex((i) => i.type === 'row' && i.id === reveal.rowId);
    if (index < 0) return;
    const top = model.offsets[index]!;
    const bottom = model.offsets[index + 1]!;
    const groupAbove = index > 0 && model.items[index - 1]?.type === 'group' ? model.items[index - 1]!.height : 0;
    if (top - groupAbove < el.scrollTop) el.scrollTop = top - groupAbove;
    else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    setScrollTop(el.scrollTop);
  }, [reveal, model]);

  // Rows entering the viewport render as a transition: React works on them in slices that
  // yield to the browser, so wheel scrolling keeps its frames instead of waiting for a whole
  // batch of rows to mount in one long task (the overscan covers the rows still rendering).
  // While the wheel turns, hover is off (a class set on the element, no re-render): every
  // scrolled frame would otherwise hit-test and restyle the rows passing under the pointer.
  const scrollingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) {
      el.classList.add('board-list--scrolling');
      clearTimeout(scrollingTimer.current);
      scrollingTimer.current = setTimeout(() => el.classList.remove('board-list--scrolling'), SCROLL_SETTLE_MS);
    }
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const top = scrollRef.current?.scrollTop;
      if (top !== undefined) startTransition(() => setScrollTop(top));
    });
  }, []);
  useEffect(() => () => clearTimeout(scrollingTimer.current), []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.defaultPrevented || useAppStore.getState().drag) return;
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="env-cell"]');
    if (!cell) return;
    const rowId = cell.dataset['rowId']!;
    const envIndex = Number(cell.dataset['envIndex']);
    const onCell = e.target === cell;
    const rows = useAppStore.getState().rowsById;
    const envCount = rows[rowId]?.environments.length ?? 0;
    const move = (nextRow: string | undefined, nextEnv: number) => {
      if (!nextRow) return;
      e.preventDefault();
      const count = rows[nextRow]?.environments.length ?? 0;
      if (count === 0) return;
      focusCell({ rowId: nextRow, envIndex: Math.max(0, Math.min(nextEnv, count - 1)) }, { reveal: true });
    };
    const rowPos = model.rowIds.indexOf(rowId);
    const findRow = (from: number, step: number) => {
      for (let i = from + step; i >= 0 && i < model.rowIds.length; i += step) {
        const id = model.rowIds[i]!;
        if ((rows[id]?.environments.length ?? 0) > 0) return id;
      }
      return undefined;
    };
    switch (e.key) {
      case 'ArrowRight':
        if (onCell && envIndex < envCount - 1) move(rowId, envIndex + 1);
        break;
      case 'ArrowLeft':
        if (onCell && envIndex > 0) move(rowId, envIndex - 1);
        break;
      case 'ArrowDown':
        if (onCell) move(findRow(rowPos, 1), envIndex);
        break;
      case 'ArrowUp':
        if (onCell) move(findRow(rowPos, -1), envIndex);
        break;
      case 'Home':
        if (onCell) move(findRow(-1, 1), 0);
        break;
      case 'End':
        if (onCell) move(findRow(model.rowIds.length, -1), 0);
        break;
      case 'Enter':
        if (onCell) {
          e.preventDefault();
          useAppStore.getState().openDetail({ rowId, envIndex });
        }
        break;
      case 'x':
        // the keyboard's Ctrl-click: pick the cell for a batch promotion
        if (onCell && !e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault();
          useAppStore.getState().toggleBatchCell(cellKey(rowId, envIndex));
        }
        break;
      // p promotes, r rolls back (not b: b reviews the batch selection, use-board-shell.ts)
      case 'p':
      case 'P':
      case 'r':
      case 'R':
        if (!e.ctrlKey && !e.metaKey && !e.altKey) {
          e.preventDefault();
          if (e.key.toLowerCase() === 'p') requestPromoteNext(rowId, envIndex);
          else requestRollback(rowId, envIndex);
        }
        break;
    }
  };

  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }), useSensor(KeyboardSensor, { coordinateGetter: cellCoordinates }));

  const onDragStart = (event: DragStartEvent) => {
    const d = dragData(event.active.data.current);
    if (d) setDrag(d);
  };
  const onDragEnd = (event: DragEndEvent) => {
    const active = dragData(event.active.data.current);
    const over = dragData(event.over?.data.current);
    setDrag(null);
    if (!active || !over || (active.rowId === over.rowId && active.envIndex === over.envIndex)) return;
    const v = verdict(active, over);
    if (v.allowed) openPromote({ rowId: active.rowId, from: active.envIndex, to: over.envIndex });
    else announce(v.text, 'refusal');
  };

  const [start, end] = visibleRange(model.offsets, scrollTop, viewport);
  const visible = model.items.slice(start, end);
  // The mount budget. A new model (a filter, a change pushed from main) and the first rows
  // render in full at once, as before; when only the scroll position moved, each render may
  // mount a few rows in full and the rest of the range waits as placeholders for later frames.
  // What the last commit mounted is bookkeeping about the DOM, not state to render from, so it
  // lives in a ref that the commit (the layout effect) writes and the next render reads: state
  // would need a second render per commit, which on a brisk wheel cost long tasks of 50–80 ms.
  /* eslint-disable react-hooks/refs */
  const [viewStart, viewEnd] = visibleRange(model.offsets, scrollTop, viewport, 0);
  const budget = committed.current.model !== model || committed.current.full.size === 0 ? Infinity : FULL_ROWS_PER_FRAME;
  const { full, placeholders } = chooseFullRows(
    visible.map((item) => (item.type === 'row' ? item.id : null)),
    [Math.max(0, viewStart - start), Math.max(0, viewEnd - start)],
    committed.current.full,
    focusedRowId,
    budget,
  );
  /* eslint-enable react-hooks/refs */
  useLayoutEffect(() => {
    committed.current = { model, full };
    if (placeholders === 0) return;
    // Placeholders left: the next frame renders again, with a fresh budget.
    const frame = requestAnimationFrame(() => startTransition(() => setUpgradeRound((r) => r + 1)));
    return () => cancelAnimationFrame(frame);
  });
  const total = model.offsets[model.offsets.length - 1] ?? 0;
  const dragVersion = useMemo(() => {
    if (!drag) return null;
    return useAppStore.getState().rowsById[drag.rowId]?.environments[drag.envIndex]?.rollup.version ?? null;
  }, [drag]);

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      accessibility={{ announcements, screenReaderInstructions }}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDrag(null)}
      autoScroll={{ threshold: { x: 0, y: 0.15 } }}
    >
      <div
        ref={scrollRef}
        className={`board-list${drag ? ' board-list--dragging' : ''}${compact ? ' board-list--compact' : ''}`}
        role="grid"
        aria-label="Pipelines and their environments"
        aria-rowcount={model.items.length}
        data-testid="board-list"
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        tabIndex={0}
        onFocus={(e) => {
          // Tabbing in while the focused cell is scrolled out of the DOM: bring it back and focus it.
          if (e.target !== e.currentTarget || e.currentTarget.contains(e.relatedTarget as Node | null)) return;
          const f = useAppStore.getState().focus;
          const target = f && model.rowIds.includes(f.rowId) ? f : model.rowIds[0] ? { rowId: model.rowIds[0], envIndex: 0 } : null;
          if (target) focusCell({ rowId: target.rowId, envIndex: target.envIndex }, { reveal: true });
        }}
      >
        <div className="board-list__canvas" style={{ height: total }}>
          {visible.map((item, i) =>
            item.type === 'group' ? (
              <GroupHeader
                key={`g:${item.key}`}
                groupKey={item.key}
                cluster={item.cluster}
                namespace={item.namespace}
                count={item.count}
                collapsed={item.collapsed}
                top={model.offsets[start + i]!}
                height={item.height}
              />
            ) : full.has(item.id) ? (
              <PipelineRowView key={item.id} id={item.id} top={model.offsets[start + i]!} height={item.height} index={start + i} now={now} />
            ) : (
              <PipelineRowPlaceholder key={item.id} id={item.id} top={model.offsets[start + i]!} height={item.height} index={start + i} />
            ),
          )}
        </div>
      </div>
      <DragOverlay dropAnimation={null}>{dragVersion ? <span className="version-chip control-surface version-chip--overlay">{dragVersion}</span> : null}</DragOverlay>
    </DndContext>
  );
}
