// Desktop notifications for promotions and rollouts. Keeps its own copy of the board (the
// "before" of every change), asks notification-rules what to say, de-duplicates, and hands
// the result to a Notifier — Electron's Notification in the app (electron-notifier.ts), a
// fake in tests. A click asks the app to focus the board cell.
import { applyBoardChange, boardStateOf, type BoardChange, type BoardSnapshot, type BoardState } from '../common/board';
import type { Logger } from '../log/logger';
import { limitBurst, notificationsForChange, type BoardNotification, type CellRef } from './notification-rules';

export interface Notifier {
  isSupported(): boolean;
  show(notification: BoardNotification, onClick: () => void): void;
}

export interface NotificationSource {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
}

export interface NotificationServiceOptions {
  board: NotificationSource;
  notifier: Notifier;
  /** the user's setting (settings.notifications.promotions), read for every change */
  enabled: () => boolean;
  /** called when a notification is clicked: focus the window and the cell */
  onFocusCell: (cell: CellRef) => void;
  logger?: Logger;
  now?: () => number;
}

export interface NotificationService {
  start(): Promise<void>;
  stop(): void;
}

/** Keys remembered to avoid repeating a notification (e.g. a rollout flapping back and forth). */
const rememberedKeys = 500;

export function createNotificationService(options: NotificationServiceOptions): NotificationService {
  let board: BoardState | undefined;
  let unsubscribe: (() => void) | undefined;
  const buffered: BoardChange[] = [];
  const delivered = new Set<string>();
  const now = options.now ?? (() => Date.now());

  const handle = (change: BoardChange) => {
    if (!board) {
      buffered.push(change);
      return;
    }
    const found = notificationsForChange(board, change).filter((n) => !delivered.has(n.key));
    board = applyBoardChange(board, change, new Date(now()).toISOString());
    for (const n of found) {
      delivered.add(n.key);
      if (delivered.size > rememberedKeys) delivered.delete(delivered.values().next().value!);
    }
    if (found.length === 0 || !options.enabled() || !options.notifier.isSupported()) return;
    for (const notification of limitBurst(found)) {
      try {
        options.notifier.show(notification, () => notification.cell && options.onFocusCell(notification.cell));
      } catch (error) {
        options.logger?.warn('notifications', `could not show a notification: ${(error as Error).message}`);
      }
    }
  };

  return {
    async start() {
      // Subscribe first so nothing between the snapshot and the subscription is lost.
      unsubscribe = options.board.subscribe(handle);
      board = boardStateOf(await options.board.snapshot());
      for (const change of buffered.splice(0)) handle(change);
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
