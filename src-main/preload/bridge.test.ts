import { describe, expect, it, vi } from 'vitest';
import { createPreloadBridge } from './bridge';

function fakeIpc() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    invoke: vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } })),
    on: vi.fn((channel: string, l: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    }),
    removeListener: vi.fn((channel: string, l: (...args: unknown[]) => void) => listeners.get(channel)?.delete(l)),
    fire: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipc-event' }, payload)),
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
}

describe('preload bridge', () => {
  it('forwards contract channels to ipcRenderer.invoke', async () => {
    const ipc = fakeIpc();
    const bridge = createPreloadBridge(ipc as never);
    await bridge.request('app:get-info', undefined);
    expect(ipc.invoke).toHaveBeenCalledWith('app:get-info', undefined);
  });

  it('refuses channels outside the contract without touching IPC', async () => {
    const ipc = fakeIpc();
    const bridge = createPreloadBridge(ipc as never);
    const result = await bridge.request('shell:exec' as never, 'rm -rf /' as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(ipc.invoke).not.toHaveBeenCalled();
    expect(() => bridge.on('secret:leaked' as never, () => {})).toThrow(/Unknown event channel/);
  });

  it('hands listeners the payload only, never the IPC event, and unsubscribes', () => {
    const ipc = fakeIpc();
    const bridge = createPreloadBridge(ipc as never);
    const seen: unknown[][] = [];
    const off = bridge.on('app:info-changed', (...args: unknown[]) => seen.push(args));
    ipc.fire('app:info-changed', { version: '2' });
    off();
    ipc.fire('app:info-changed', { version: '3' });
    expect(seen).toEqual([[{ version: '2' }]]);
    expect(ipc.count('app:info-changed')).toBe(0);
  });
});
