import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Timers } from '../auth/timers';
import { createMemoryLogger } from '../log/logger';
import { createUpdateService, type UpdateState, type UpdaterLike } from './update-service';

/** Timers driven by the test: nothing fires until advance() says so. */
function manualTimers() {
  let now = Date.parse('2026-11-22T00:00:00Z');
  const pending: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      pending.push({ at: now + ms, fn, id });
      return () => {
        const index = pending.findIndex((t) => t.id === id);
        if (index >= 0) pending.splice(index, 1);
      };
    },
  };
  return {
    timers,
    pendingCount: () => pending.length,
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > until) break;
        pending.shift();
        now = next.at;
        next.fn();
        await flush();
      }
      now = until;
    },
  };
}

async function flush() {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

/** A stand-in for electron-updater's autoUpdater: records calls, emits what the test scripts. */
function fakeUpdater(script: (emit: (event: string, arg?: unknown) => void, call: number) => Promise<unknown> = async () => null) {
  const emitter = new EventEmitter();
  let calls = 0;
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    allowPrerelease: true,
    on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
    checkForUpdates: vi.fn(async () => {
      calls += 1;
      emitter.emit('checking-for-update');
      return script((event, arg) => emitter.emit(event, arg), calls);
    }),
    quitAndInstall: vi.fn(),
  } satisfies UpdaterLike;
  return { updater, emit: (event: string, arg?: unknown) => emitter.emit(event, arg) };
}

function setup(overrides: { isPackaged?: boolean; checkAutomatically?: boolean; unsupportedReason?: string } = {}, script?: Parameters<typeof fakeUpdater>[0]) {
  const clock = manualTimers();
  const { updater, emit } = fakeUpdater(script);
  const logger = createMemoryLogger();
  const service = createUpdateService({
    updater,
    isPackaged: overrides.isPackaged ?? true,
    checkAutomatically: overrides.checkAutomatically ?? true,
    timers: clock.timers,
    logger,
    firstCheckDelayMs: 1000,
    intervalMs: 60_000,
    ...(overrides.unsupportedReason ? { unsupportedReason: overrides.unsupportedReason } : {}),
  });
  const states: UpdateState[] = [];
  service.subscribe((s) => states.push(s));
  return { clock, updater, emit, service, states, logger };
}

describe('UpdateService', () => {
  it('never installs on quit, never downgrades, downloads in the background', () => {
    const { updater } = setup();
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updater.allowDowngrade).toBe(false);
    expect(updater.allowPrerelease).toBe(false);
    expect(updater.autoDownload).toBe(true);
  });

  it('checks after the start-up delay and then on every interval', async () => {
    const { clock, updater, service } = setup({}, async (emit) => emit('update-not-available', { version: '0.1.0' }));
    service.start();
    await clock.advance(999);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(service.getState()).toMatchObject({ state: 'idle', lastCheckedAt: '2026-11-22T00:00:01.000Z' });
    await clock.advance(60_000 * 3);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(4);
  });

  it('goes checking → available → downloading → ready, and stops checking once ready', async () => {
    const { clock, updater, emit, service, states } = setup({}, async (e) => e('update-available', { version: '0.2.0' }));
    service.start();
    await clock.advance(1000);
    emit('download-progress', { percent: 41.6 });
    emit('update-downloaded', { version: '0.2.0' });
    expect(states.map((s) => s.state)).toEqual(['checking', 'available', 'downloading', 'ready']);
    expect(states[2]).toMatchObject({ version: '0.2.0', percent: 42 });
    expect(service.getState()).toMatchObject({ state: 'ready', version: '0.2.0', message: expect.stringMatching(/restart/i) });
    await clock.advance(60_000 * 2);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('installs only on the explicit call, and only when an update is ready', async () => {
    const { clock, updater, emit, service } = setup({}, async (e) => e('update-available', { version: '0.2.0' }));
    expect(service.installNow()).toBe(false);
    service.start();
    await clock.advance(1000);
    expect(service.installNow()).toBe(false);
    emit('update-downloaded', { version: '0.2.0' });
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    expect(service.installNow()).toBe(true);
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('reports errors as a state and tries again at the next interval', async () => {
    const { clock, updater, service, logger } = setup({}, async (_e, call) => {
      if (call === 1) throw new Error('net::ERR_INTERNET_DISCONNECTED\n    at stack line');
      return null;
    });
    service.start();
    await clock.advance(1000);
    expect(service.getState()).toEqual({ state: 'error', message: 'net::ERR_INTERNET_DISCONNECTED' });
    expect(logger.records.some((r) => r.level === 'warn' && r.message.includes('ERR_INTERNET_DISCONNECTED'))).toBe(true);
    await clock.advance(60_000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
    expect(service.getState().state).toBe('idle');
  });

  it('an updater error event after a download keeps the update ready', async () => {
    const { clock, emit, service } = setup({}, async (e) => e('update-available', { version: '0.2.0' }));
    service.start();
    await clock.advance(1000);
    emit('update-downloaded', { version: '0.2.0' });
    emit('error', new Error('later failure'));
    expect(service.getState().state).toBe('ready');
  });

  it('coalesces a manual check with one already running', async () => {
    let release: () => void = () => {};
    const { updater, service } = setup({}, () => new Promise((resolve) => (release = () => resolve(null))));
    const first = service.checkNow();
    const second = service.checkNow();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    release();
    expect(await first).toBe(await second);
  });

  it('is disabled in development builds and never calls the updater', async () => {
    const { clock, updater, service } = setup({ isPackaged: false });
    service.start();
    await clock.advance(10 * 60_000);
    expect(await service.checkNow()).toMatchObject({ state: 'disabled', message: expect.stringMatching(/installed builds/) });
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(clock.pendingCount()).toBe(0);
  });

  it('is disabled with the given reason where this install cannot self-update', async () => {
    const { service, updater } = setup({ unsupportedReason: 'Installed by your package manager.' });
    service.start();
    expect(service.getState()).toEqual({ state: 'disabled', message: 'Installed by your package manager.' });
    await service.checkNow();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('respects the setting: no automatic checks when off, a manual check still works, turning it on schedules again', async () => {
    const { clock, updater, service } = setup({ checkAutomatically: false });
    service.start();
    expect(service.getState().state).toBe('disabled');
    await clock.advance(10 * 60_000);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    await service.checkNow();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    service.setCheckAutomatically(true);
    await clock.advance(1000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
    service.setCheckAutomatically(false);
    expect(service.getState().state).toBe('disabled');
    await clock.advance(10 * 60_000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('stop() cancels the schedule and drops listeners', async () => {
    const { clock, updater, service, states } = setup();
    service.start();
    service.stop();
    await clock.advance(10 * 60_000);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
    expect(clock.pendingCount()).toBe(0);
    expect(states).toEqual([]);
  });
});
