// The only module that touches ipcMain and webContents.send. Requests are checked for a
// trusted sender, then handed to the dispatcher (which validates and answers a Result).
import { ipcMain, type WebContents } from 'electron';
import { eventChannels, requestChannels } from '../common/ipc-contract';
import { err } from '../common/result';
import type { Logger } from '../log/logger';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';
import { isTrustedSender, type SenderTrust } from './trusted-sender';

export function registerIpcHandlers(dispatcher: Dispatcher, trust: SenderTrust, logger: Logger): () => void {
  for (const channel of requestChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event, trust)) {
        logger.warn('ipc', `refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        return err('untrusted-sender', 'Request refused: it did not come from the Release Board window.');
      }
      return dispatcher.dispatch(channel, payload);
    });
  }
  return () => {
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
  };
}

export function forwardEventsTo(contents: WebContents, hub: EventHub): () => void {
  return hub.subscribe((channel, payload) => {
    if (!contents.isDestroyed() && (eventChannels as readonly string[]).includes(channel)) contents.send(channel, payload);
  });
}
