// The main-process services, composed without Electron: the desktop app wires them to
// IPC, and they run unchanged in plain Node (tests, the browser preview harness).
import type { AppInfo } from './common/app-info';
import { ok } from './common/result';
import { createDispatcher, type Dispatcher, type RequestHandlers } from './ipc/dispatcher';
import { createEventHub, type EventHub } from './ipc/event-hub';
import type { Logger } from './log/logger';

export interface ServiceOptions {
  appInfo: AppInfo;
  logger: Logger;
}

export interface MainServices {
  dispatcher: Dispatcher;
  events: EventHub;
  stop(): Promise<void>;
}

export async function createMainServices(options: ServiceOptions): Promise<MainServices> {
  const events = createEventHub();
  const handlers: RequestHandlers = {
    'app:get-info': () => ok(options.appInfo),
  };
  const dispatcher = createDispatcher(handlers, { logger: options.logger });
  return {
    dispatcher,
    events,
    async stop() {},
  };
}
