import { describe, expect, it, vi, beforeEach } from 'vitest';

// A stubbed electron module: the real one needs the Electron binary.
const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, h: (event: unknown, payload: unknown) => unknown) => handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpcHandlers, forwardEventsTo } = await import('./electron-ipc');
const { createDispatcher } = await import('./dispatcher');
const { stubHandlers } = await import('./test-handlers');
const { createEventHub } = await import('./event-hub');
const { createMemoryLogger } = await import('../log/logger');
const { ok } = await import('../common/result');
const { requestChannels } = await import('../common/ipc-contract');

const appInfo = { name: 'Release Board', version: '1.0.0', platform: 'linux', arch: 'x64', versions: { electron: '45', chrome: '140', node: '24' }, shell: 'electron' };
const appUrl = 'file:///opt/release-board/out/renderer/index.html';

function event(overrides: { senderId?: number; url?: string; parent?: unknown; noFrame?: boolean } = {}) {
  return {
    sender: { id: overrides.senderId ?? 7 },
    senderFrame: overrides.noFrame ? null : { url: overrides.url ?? appUrl, parent: overrides.parent ?? null },
  };
}

describe('Electron IPC registration', () => {
  const logger = createMemoryLogger();
  beforeEach(() => {
    handlers.clear();
    const dispatcher = createDispatcher(stubHandlers({ 'app:get-info': () => ok(appInfo), 'board:subscribe': () => ok({ pipelines: [], clusters: [], generatedAt: '' }) }), { logger });
    registerIpcHandlers(dispatcher, { webContentsIds: () => new Set([7]), isAppUrl: (u) => u === appUrl }, logger);
  });

  it('registers a handler for every request channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual([...requestChannels].sort());
  });

  it('answers the app’s own main frame', async () => {
    expect(await handlers.get('app:get-info')!(event(), undefined)).toEqual({ ok: true, value: appInfo });
  });

  it.each([
    ['a sub-frame', event({ parent: {} })],
    ['another window', event({ senderId: 8 })],
    ['a page that navigated elsewhere', event({ url: 'https://evil.example/' })],
    ['a sender without a frame', event({ noFrame: true })],
  ])('refuses %s', async (_name, e) => {
    expect(await handlers.get('app:get-info')!(e, undefined)).toMatchObject({ ok: false, error: { code: 'untrusted-sender' } });
  });

  it('validates payloads after the sender check', async () => {
    expect(await handlers.get('app:get-info')!(event(), { x: 1 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('forwards hub events to the window until it is destroyed', () => {
    const hub = createEventHub();
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const contents = { isDestroyed: () => destroyed, send: (c: string, p: unknown) => sent.push([c, p]) };
    forwardEventsTo(contents as never, hub);
    hub.emit('app:info-changed', appInfo);
    destroyed = true;
    hub.emit('app:info-changed', appInfo);
    expect(sent).toEqual([['app:info-changed', appInfo]]);
  });
});
