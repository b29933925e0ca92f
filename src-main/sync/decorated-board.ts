// The board as the renderer receives it: the data plane's rows with what main learned
// elsewhere laid over them (the forge's view of PRs it could not read, rollout timelines).
// Decorators are row → row functions that return the same object when nothing applies; when
// their own state changes, refresh() re-decorates the rows the data plane last sent and emits
// the ones that changed as an ordinary board change.
import type { BoardChange, BoardSnapshot, PipelineRow } from '../common/board';

export interface BoardFeed {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
}

export type RowDecorator = (row: PipelineRow) => PipelineRow;

export interface DecoratedBoard {
  snapshot(): Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
  /** Re-applies the decorators to the known rows (those `which` keeps) and sends the rows that changed. */
  refresh(which?: (row: PipelineRow) => boolean): void;
  stop(): void;
}

export function createDecoratedBoard(feed: BoardFeed, decorators: readonly RowDecorator[]): DecoratedBoard {
  /** the undecorated rows, as the data plane last sent them, and what the renderer last got */
  const rows = new Map<string, { raw: PipelineRow; sent: PipelineRow }>();
  const listeners = new Set<(change: BoardChange) => void>();
  const decorate = (row: PipelineRow) => decorators.reduce((r, d) => d(r), row);
  const remember = (raw: PipelineRow): PipelineRow => {
    const out = decorate(raw);
    rows.set(raw.id, { raw, sent: out });
    return out;
  };
  const emit = (change: BoardChange) => {
    for (const l of [...listeners]) {
      try {
        l(change);
      } catch {
        // one failing listener must not stop the others
      }
    }
  };
  const unsubscribe = feed.subscribe((change) => {
    for (const id of change.removed) rows.delete(id);
    emit({ ...change, upserted: change.upserted.map(remember) });
  });
  return {
    async snapshot() {
      const snap = await feed.snapshot();
      return { ...snap, pipelines: snap.pipelines.map(remember) };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh(which) {
      const upserted: PipelineRow[] = [];
      for (const [id, entry] of rows) {
        if (which && !which(entry.raw)) continue;
        const out = decorate(entry.raw);
        // undecorated before and after: nothing to compare (most rows, most of the time)
        if (out === entry.sent || JSON.stringify(out) === JSON.stringify(entry.sent)) continue;
        rows.set(id, { raw: entry.raw, sent: out });
        upserted.push(out);
      }
      if (upserted.length > 0) emit({ upserted, removed: [] });
    },
    stop() {
      unsubscribe();
      listeners.clear();
    },
  };
}
