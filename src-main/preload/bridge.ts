// Builds the renderer-facing API from the contract. Security model: the page gets two
// functions, not ipcRenderer; channel names are checked against the contract's lists, and
// listeners never see the IPC event object (which would leak ipcRenderer's sender).
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { isEventChannel, isRequestChannel, type ReleaseBoardBridge } from '../common/ipc-contract';
import { err } from '../common/result';

type IpcLike = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

export function createPreloadBridge(ipc: IpcLike): ReleaseBoardBridge {
  return {
    request(channel, payload) {
      if (!isRequestChannel(channel)) return Promise.resolve(err('unknown-channel', `Unknown channel ${String(channel)}`));
      return ipc.invoke(channel, payload);
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new Error(`Unknown event channel ${String(channel)}`);
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
      ipc.on(channel, wrapped);
      return () => {
        ipc.removeListener(channel, wrapped);
      };
    },
  };
}
