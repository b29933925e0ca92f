// The only module that reads window.releaseBoard. Everything else in the renderer talks
// to main through `bridge`, typed by the contract.
import type { EventChannel, EventChannels, ReleaseBoardBridge, RequestChannel, RequestPayload, RequestValue } from '../../src-main/common/ipc-contract';
import { err, type Result } from '../../src-main/common/result';

declare global {
  interface Window {
    releaseBoard?: ReleaseBoardBridge;
  }
}

function current(): ReleaseBoardBridge | undefined {
  return window.releaseBoard;
}

export const bridge = {
  available(): boolean {
    return current() !== undefined;
  },
  async request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<Result<RequestValue<C>>> {
    const api = current();
    if (!api) return err('no-bridge', 'Release Board’s main process is not connected to this window.');
    try {
      return await api.request(channel, payload);
    } catch (error) {
      return err('bridge-failed', `The request to the main process failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
  on<C extends EventChannel>(channel: C, listener: (payload: EventChannels[C]) => void): () => void {
    const api = current();
    return api ? api.on(channel, listener) : () => {};
  },
};

/**
 * Follows state that main both answers for and pushes when it changes: `apply` gets every pushed
 * value, and the answer to `read` only if nothing was pushed before it arrived — an answer that
 * comes back after a push was read before it, and would put the older state back.
 */
export function followState<C extends EventChannel>(channel: C, read: () => Promise<Result<EventChannels[C]>>, apply: (value: EventChannels[C]) => void): () => void {
  let pushed = false;
  const off = bridge.on(channel, (value) => {
    pushed = true;
    apply(value);
  });
  void read().then((answer) => {
    if (answer.ok && !pushed) apply(answer.value);
  });
  return off;
}
