// Thin glue between electron-updater's autoUpdater and the UpdateService. The only file that
// imports electron-updater (which itself imports electron), so everything else stays testable
// in Node. It routes the updater's own log lines through the redacting logger and leaves every
// verification setting (sha512, Windows publisher check, macOS signature) at its secure default.
import electronUpdater from 'electron-updater';
import type { Logger } from '../log/logger';
import type { UpdaterLike } from './update-service';

export function electronAutoUpdater(logger: Logger): UpdaterLike {
  // electron-updater is CommonJS and defines autoUpdater as a lazy getter: read it through
  // the default export, at call time (it touches app paths, so only after app is ready).
  const updater = electronUpdater.autoUpdater;
  updater.logger = {
    info: (message?: unknown) => logger.info('updater', String(message)),
    warn: (message?: unknown) => logger.warn('updater', String(message)),
    error: (message?: unknown) => logger.error('updater', String(message)),
    debug: (message: string) => logger.debug('updater', message),
  };
  return {
    get autoDownload() {
      return updater.autoDownload;
    },
    set autoDownload(value) {
      updater.autoDownload = value;
    },
    get autoInstallOnAppQuit() {
      return updater.autoInstallOnAppQuit;
    },
    set autoInstallOnAppQuit(value) {
      updater.autoInstallOnAppQuit = value;
    },
    get allowDowngrade() {
      return updater.allowDowngrade;
    },
    set allowDowngrade(value) {
      updater.allowDowngrade = value;
    },
    get allowPrerelease() {
      return updater.allowPrerelease;
    },
    set allowPrerelease(value) {
      updater.allowPrerelease = value;
    },
    on(event, listener) {
      (updater as unknown as { on(event: string, listener: (...args: unknown[]) => void): unknown }).on(event, listener);
      return this;
    },
    checkForUpdates: () => updater.checkForUpdates(),
    quitAndInstall: (isSilent, isForceRunAfter) => updater.quitAndInstall(isSilent, isForceRunAfter),
  };
}
