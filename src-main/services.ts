// The main-process services, composed without Electron: the desktop app wires them to
// IPC, and they run unchanged in plain Node (tests, the browser preview harness).
import type { AppInfo } from './common/app-info';
import type { BoardChange, BoardSnapshot } from './common/board';
import { ok } from './common/result';
import { createDispatcher, type Dispatcher, type RequestHandlers } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import type { Logger } from './log/logger';

/** What the board needs from the data plane: a snapshot now, changes afterwards. */
export interface BoardSource {
  snapshot(): BoardSnapshot | Promise<BoardSnapshot>;
  subscribe(listener: (change: BoardChange) => void): () => void;
  stop(): void | Promise<void>;
}

export interface ServiceOptions {
  appInfo: AppInfo;
  logger: Logger;
  /** the cluster data plane; without one the board is empty */
  board?: BoardSource;
}

const emptyBoard: BoardSource = {
  snapshot: () => ({ pipelines: [], clusters: [], generatedAt: new Date().toISOString() }),
  subscribe: () => () => {},
  stop: () => {},
};

export interface MainServices {
  dispatcher: Dispatcher;
  events: EventHub;
  stop(): Promise<void>;
}

export async function createMainServices(options: ServiceOptions): Promise<MainServices> {
  const events = createEventHub();
  const board = options.board ?? emptyBoard;
  const stopBoardEvents = board.subscribe((change) => events.emit('board:changed', change));
  const handlers: RequestHandlers = {
    'app:get-info': () => ok(options.appInfo),
    'board:subscribe': async () => ok(await board.snapshot()),
  };
  const dispatcher = createDispatcher(handlers, { logger: options.logger });
  return {
    dispatcher,
    events,
    async stop() {
      stopBoardEvents();
      await board.stop();
    },
  };
}
