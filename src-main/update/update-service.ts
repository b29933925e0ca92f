// Auto-update policy, independent of Electron: when to check (on start, then every few hours),
// what state to show ("update ready — restart"), and the rule that an update is installed only
// when the user asks for it. The electron-updater object is injected (see electron-updater.ts),
// so this runs and is tested in plain Node with a fake updater.
//
// Security model: updates come from GitHub Releases over HTTPS and are checked by
// electron-updater (sha512 of the download; on Windows also the Authenticode publisher,
// on macOS the code signature by Squirrel.Mac). This module never turns those checks off,
// never installs on quit, and never downgrades.
import type { Timers } from '../auth/timers';
import type { Logger } from '../log/logger';

import type { UpdateState, UpdateStateName } from '../common/update';

export type { UpdateState, UpdateStateName };

export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  // Listener arguments differ per event (info objects, progress, errors); the service narrows them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the updater's events carry different payloads
  on(event: string, listener: (...args: any[]) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateServiceOptions {
  updater: UpdaterLike;
  /** false in development builds: electron-updater only works for installed apps */
  isPackaged: boolean;
  /** the user's setting at start-up (settings.updates.checkAutomatically); later changes via setCheckAutomatically */
  checkAutomatically: boolean;
  timers: Timers;
  logger: Logger;
  /** delay before the first check, so start-up is not slowed (default 30 s) */
  firstCheckDelayMs?: number;
  /** time between automatic checks (default 4 h) */
  intervalMs?: number;
  /**
   * Set when the platform cannot self-update this install (e.g. a Linux .deb: the package
   * manager owns it). The service stays 'disabled' with this explanation.
   */
  unsupportedReason?: string;
}

export interface UpdateService {
  getState(): UpdateState;
  /** Listens for state changes; returns an unsubscribe function. */
  subscribe(listener: (state: UpdateState) => void): () => void;
  /** Schedules the first and the periodic checks (when enabled). */
  start(): void;
  /** An explicit "Check for updates" from the user; runs even when automatic checks are off. */
  checkNow(): Promise<UpdateState>;
  /** Applies a change of the setting: schedules or cancels automatic checks. */
  setCheckAutomatically(enabled: boolean): void;
  /** Restarts into the downloaded update. Only on the user's explicit request; false when none is ready. */
  installNow(): boolean;
  stop(): void;
}

export const defaultUpdateIntervalMs = 4 * 60 * 60 * 1000;
export const defaultFirstCheckDelayMs = 30 * 1000;

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}

function versionOf(info: unknown): string | undefined {
  const version = (info as { version?: unknown } | null | undefined)?.version;
  return typeof version === 'string' ? version : undefined;
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { updater, timers, logger } = options;
  const intervalMs = options.intervalMs ?? defaultUpdateIntervalMs;
  const firstDelayMs = options.firstCheckDelayMs ?? defaultFirstCheckDelayMs;
  const listeners = new Set<(state: UpdateState) => void>();
  let state: UpdateState = { state: 'idle' };
  let cancelTimer: (() => void) | undefined;
  let checking: Promise<UpdateState> | undefined;
  let stopped = false;
  let automatic = options.checkAutomatically;

  // Consent first: downloading in the background is fine, installing is the user's call.
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;

  const set = (next: UpdateState) => {
    const merged = next.lastCheckedAt || !state.lastCheckedAt ? next : { ...next, lastCheckedAt: state.lastCheckedAt };
    // The service and the updater both announce a check; tell listeners about real changes only.
    if (JSON.stringify(merged) === JSON.stringify(state)) return;
    state = merged;
    for (const listener of listeners) listener(state);
  };
  const checkedNow = () => new Date(timers.now()).toISOString();

  const disabledState = (): UpdateState | undefined => {
    if (!options.isPackaged) return { state: 'disabled', message: 'Updates are checked only in installed builds.' };
    if (options.unsupportedReason) return { state: 'disabled', message: options.unsupportedReason };
    return undefined;
  };

  updater.on('checking-for-update', () => {
    if (state.state !== 'downloading' && state.state !== 'ready') set({ state: 'checking' });
  });
  updater.on('update-not-available', () => set({ state: 'idle', lastCheckedAt: checkedNow() }));
  updater.on('update-available', (info: unknown) => set({ state: 'available', ...withVersion(versionOf(info)), lastCheckedAt: checkedNow() }));
  updater.on('download-progress', (progress: { percent?: number }) => {
    const percent = typeof progress?.percent === 'number' ? Math.max(0, Math.min(100, Math.round(progress.percent))) : undefined;
    set({ state: 'downloading', ...withVersion(state.version), ...(percent === undefined ? {} : { percent }) });
  });
  updater.on('update-downloaded', (info: unknown) => {
    const version = versionOf(info) ?? state.version;
    logger.info('update', `update ${version ?? ''} downloaded; waiting for the user to restart`);
    set({ state: 'ready', ...withVersion(version), message: 'Restart Release Board to finish updating.' });
  });
  updater.on('error', (error: unknown) => {
    // A failed check or download is not fatal; the next scheduled check tries again. A
    // downloaded update stays ready even if a later check fails.
    logger.warn('update', `update failed: ${firstLine(error)}`);
    if (state.state !== 'ready') set({ state: 'error', message: firstLine(error) });
  });

  const schedule = (delay: number) => {
    cancelTimer?.();
    cancelTimer = undefined;
    if (stopped || !automatic || disabledState()) return;
    cancelTimer = timers.setTimeout(() => {
      cancelTimer = undefined;
      void runCheck().finally(() => schedule(intervalMs));
    }, delay);
  };

  const runCheck = (): Promise<UpdateState> => {
    const disabled = disabledState();
    if (disabled) {
      set(disabled);
      return Promise.resolve(state);
    }
    // Nothing to look for while an update is on its way or waiting for a restart.
    if (state.state === 'ready' || state.state === 'downloading') return Promise.resolve(state);
    if (checking) return checking;
    checking = (async () => {
      try {
        if (state.state !== 'checking') set({ state: 'checking' });
        await updater.checkForUpdates();
        // Without a publish configuration electron-updater resolves null and emits nothing.
        if (state.state === 'checking') set({ state: 'idle', lastCheckedAt: checkedNow() });
      } catch (error) {
        if (state.state !== 'error' && state.state !== 'ready') {
          logger.warn('update', `update check failed: ${firstLine(error)}`);
          set({ state: 'error', message: firstLine(error) });
        }
      } finally {
        checking = undefined;
      }
      return state;
    })();
    return checking;
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      stopped = false;
      const disabled = disabledState();
      if (disabled) set(disabled);
      else if (!automatic) set({ state: 'disabled', message: 'Automatic update checks are turned off in Settings.' });
      schedule(firstDelayMs);
    },
    checkNow: () => runCheck(),
    setCheckAutomatically(enabled) {
      automatic = enabled;
      if (!enabled) {
        cancelTimer?.();
        cancelTimer = undefined;
        if (state.state === 'idle' || state.state === 'error' || state.state === 'checking') set({ state: 'disabled', message: 'Automatic update checks are turned off in Settings.' });
        return;
      }
      if (state.state === 'disabled' && !disabledState()) set({ state: 'idle' });
      schedule(firstDelayMs);
    },
    installNow() {
      if (state.state !== 'ready') return false;
      logger.info('update', `restarting to install ${state.version ?? 'the update'} at the user's request`);
      // isSilent false: the Windows installer shows its progress; isForceRunAfter true: reopen the app.
      updater.quitAndInstall(false, true);
      return true;
    },
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      listeners.clear();
    },
  };
}

function withVersion(version: string | undefined): { version?: string } {
  return version === undefined ? {} : { version };
}
