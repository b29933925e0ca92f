// Main-side fan-out of event channels. Services emit here; the Electron layer forwards
// to the window's webContents, and any other transport subscribes the same way.
import type { EventChannel, EventChannels } from '../common/ipc-contract';

export type AnyEventListener = <C extends EventChannel>(channel: C, payload: EventChannels[C]) => void;

export interface EventHub {
  emit<C extends EventChannel>(channel: C, payload: EventChannels[C]): void;
  subscribe(listener: AnyEventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(channel, payload) {
      for (const listener of listeners) listener(channel, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
