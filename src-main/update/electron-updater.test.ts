import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

// electron-updater needs Electron at import time; stand in for its autoUpdater and record every
// property written, so the test sees whether the glue weakens any verification setting.
const written: string[] = [];
const emitter = new EventEmitter();
const target: Record<string, unknown> = {
  autoDownload: true,
  autoInstallOnAppQuit: true,
  allowDowngrade: false,
  allowPrerelease: false,
  verifyUpdateCodeSignature: 'default-verifier',
  on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
  checkForUpdates: vi.fn(async () => null),
  quitAndInstall: vi.fn(),
};
const autoUpdater = new Proxy(target, {
  set(object, key, value) {
    written.push(String(key));
    object[String(key)] = value;
    return true;
  },
});
vi.mock('electron-updater', () => ({ default: { autoUpdater } }));

const { electronAutoUpdater } = await import('./electron-updater');
const { createUpdateService } = await import('./update-service');
const { createMemoryLogger } = await import('../log/logger');
const { systemTimers } = await import('../auth/timers');

describe('electron-updater glue', () => {
  it('configures consent-first updates and leaves signature verification alone', () => {
    const logger = createMemoryLogger();
    const service = createUpdateService({ updater: electronAutoUpdater(logger), isPackaged: true, checkAutomatically: false, timers: systemTimers, logger });
    expect(target['autoInstallOnAppQuit']).toBe(false);
    expect(target['verifyUpdateCodeSignature']).toBe('default-verifier');
    expect(written).not.toContain('verifyUpdateCodeSignature');
    expect(written).not.toContain('forceDevUpdateConfig');
    expect(written).toContain('logger');
    service.stop();
  });

  it('routes the updater’s log lines through the redacting logger', () => {
    const logger = createMemoryLogger();
    electronAutoUpdater(logger);
    (target['logger'] as { info(m: string): void }).info('fetching with token=ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(logger.records.at(-1)?.message).toBe('fetching with token=[REDACTED]');
  });

  it('forwards events, checks and the explicit install', async () => {
    const logger = createMemoryLogger();
    const updater = electronAutoUpdater(logger);
    const seen = vi.fn();
    updater.on('update-downloaded', seen);
    emitter.emit('update-downloaded', { version: '2.0.0' });
    expect(seen).toHaveBeenCalledWith({ version: '2.0.0' });
    await updater.checkForUpdates();
    expect(target['checkForUpdates']).toHaveBeenCalled();
    updater.quitAndInstall(false, true);
    expect(target['quitAndInstall']).toHaveBeenCalledWith(false, true);
  });
});
