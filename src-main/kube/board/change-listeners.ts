// The board's subscribers. A failing listener must not break the data plane or the other
// listeners, and must not fail silently either: it is logged and the rest still hear the change.
import type { BoardChange } from '../../common/board';
import type { Logger } from '../../log/logger';

export type BoardListener = (change: BoardChange) => void;

export class ChangeListeners {
  private readonly listeners = new Set<BoardListener>();

  constructor(private readonly logger?: Logger) {}

  /** Adds a listener; the returned function removes it. */
  add(listener: BoardListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(change: BoardChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (e) {
        this.logger?.error('board', `a board listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
