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
  // AppUpdater has every member UpdaterLike names; the type keeps the service to those (it
  // cannot reach the verification settings). The cast is only for `on`, whose per-event
  // overloads are narrower than the service's string events.
  return updater as unknown as UpdaterLike;
}
