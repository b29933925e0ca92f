// Main's stand-in for renderer tests (store slices in Node, components in a DOM): installed
// where the preload puts the real bridge, it records every request, answers each one only when
// the test releases it, and lets the test emit main's events. Test code only.
import type { ReleaseBoardBridge } from '../../src-main/common/ipc-contract';

export interface FakeMainCall {
  channel: string;
  payload: unknown;
}

export interface FakeMain {
  calls: FakeMainCall[];
  emit(channel: string, payload: unknown): void;
  /** Answers every request made so far, then lets the awaiting code run on. */
  release(): Promise<void>;
}

type BridgeHost = { window?: { releaseBoard?: ReleaseBoardBridge } };
let createdWindow = false;

export function installFakeMain(answer: (channel: string, payload: unknown) => unknown): FakeMain {
  const calls: FakeMainCall[] = [];
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const pending: (() => void)[] = [];
  const bridge = {
    request: (channel: string, payload: unknown) => {
      calls.push({ channel, payload });
      return new Promise((resolve) => pending.push(() => resolve(answer(channel, payload))));
    },
    on: (channel: string, listener: (payload: unknown) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return () =>
        listeners.set(
          channel,
          (listeners.get(channel) ?? []).filter((l) => l !== listener),
        );
    },
  };
  // In Node there is no window: make one that holds only the bridge (and remove it again).
  const host = globalThis as BridgeHost;
  if (!host.window) {
    host.window = {};
    createdWindow = true;
  }
  host.window.releaseBoard = bridge as unknown as ReleaseBoardBridge;
  return {
    calls,
    emit: (channel, payload) => listeners.get(channel)?.forEach((l) => l(payload)),
    async release() {
      while (pending.length > 0) pending.shift()!();
      // a macrotask: every promise chain the answers started has settled by then
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

export function uninstallFakeMain(): void {
  const host = globalThis as BridgeHost;
  if (createdWindow) delete host.window;
  else delete host.window?.releaseBoard;
  createdWindow = false;
}
