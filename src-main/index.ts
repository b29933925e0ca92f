// Composition root of the desktop app: single-instance lock, lifecycle, services, IPC,
// the main window. Everything here is glue; the logic lives in services that run in Node.
import { app, BrowserWindow, clipboard, dialog, Menu, nativeTheme, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppInfo } from './common/app-info';
import { registerIpcHandlers, forwardEventsTo } from './ipc/electron-ipc';
import { appUrlMatcher } from './ipc/trusted-sender';
import { credentialPluginSearchPath } from './kube/shell-path';
import { systemTimers } from './auth/timers';
import { aboutPanelOptions } from './diagnostics/about-panel';
import { diagnosticsText } from './diagnostics/diagnostics';
import { createRecentProblems } from './diagnostics/recent-problems';
import { createFileSink } from './log/file-sink';
import { consoleSink, createLogger } from './log/logger';
import { electronNotifier } from './notifications/electron-notifier';
import { createNotificationService } from './notifications/notification-service';
import { electronAutoUpdater } from './update/electron-updater';
import { createUpdateService } from './update/update-service';
import { updateUnsupportedReason } from './update/update-support';
import { createMainServices, type MainServices } from './services';
import { openSettingsStore, type SettingsStore } from './settings/settings-store';
import { appMenuTemplate } from './window/app-menu';
import { defaultExternalLinkPolicy } from './window/external-links';
import { hardenSession, installNavigationGuards } from './window/guards';
import { mainWindowOptions } from './window/window-options';
import { hostApprovalPrompt, kubeconfigPicker } from './window/native-dialogs';

const here = path.dirname(fileURLToPath(import.meta.url));
// Logs go to the platform's log folder through the redacting logger (file mode 0600).
const fileLog = createFileSink({ dir: app.getPath('logs') });
const recentProblems = createRecentProblems();
const logger = createLogger({ level: app.isPackaged ? 'info' : 'debug', sinks: [consoleSink, fileLog.sink, recentProblems.sink] });
const projectUrl = 'https://github.com/release-board/release-board';

function rendererUrl(): string {
  // electron-vite sets ELECTRON_RENDERER_URL in development only; packaged builds load the file.
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devUrl) return devUrl;
  return pathToFileURL(path.join(here, '../renderer/index.html')).toString();
}

function appInfo(): AppInfo {
  return {
    name: 'Release Board',
    version: app.getVersion(),
    platform: process.platform,
    arch: process.arch,
    versions: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null, node: process.versions.node },
    shell: 'electron',
  };
}

async function createMainWindow(settings: SettingsStore, services: MainServices, isAppUrl: (url: string) => boolean, url: string) {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath: path.join(here, '../preload/index.cjs'),
      ...(settings.get().windowBounds ? { bounds: settings.get().windowBounds! } : {}),
      dark: nativeTheme.shouldUseDarkColors,
    }),
  );
  if (settings.get().windowBounds?.maximized) window.maximize();
  installNavigationGuards(window.webContents, {
    isAppUrl,
    openExternal: (target) => shell.openExternal(target),
    linkPolicy: () => defaultExternalLinkPolicy,
    onBlocked: (what, target) => logger.warn('window', `blocked ${what} ${target}`),
  });
  const stopForwarding = forwardEventsTo(window.webContents, services.events);
  const rememberBounds = () => {
    if (window.isDestroyed()) return;
    const maximized = window.isMaximized();
    const bounds = maximized ? settings.get().windowBounds : window.getNormalBounds();
    if (bounds) void settings.update({ windowBounds: { ...bounds, maximized } }).catch((e: Error) => logger.warn('settings', e.message));
  };
  window.on('resized', rememberBounds);
  window.on('moved', rememberBounds);
  window.on('close', rememberBounds);
  window.on('closed', stopForwarding);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(url);
  return window;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  hardenSession(session.defaultSession);
  const settings = await openSettingsStore(app.getPath('userData'), (message) => logger.warn('settings', message));
  // Apps launched from a desktop environment miss the login shell's PATH, where kubectl's
  // exec credential plugins (aws, gke-gcloud-auth-plugin, kubelogin…) usually live.
  app.setAboutPanelOptions(aboutPanelOptions({ app: appInfo(), copyright: 'Copyright © 2026 Release Board team', website: projectUrl }));
  if (process.platform === 'win32') app.setAppUserModelId('works.releaseboard.app'); // Windows notifications need it
  const unsupported = updateUnsupportedReason({ platform: process.platform, env: process.env, resourcesPath: process.resourcesPath, exists: existsSync });
  const updates = createUpdateService({
    updater: electronAutoUpdater(logger),
    isPackaged: app.isPackaged,
    checkAutomatically: settings.get().updates.checkAutomatically,
    timers: systemTimers,
    logger,
    ...(unsupported ? { unsupportedReason: unsupported } : {}),
  });
  const credentialPluginPath = await credentialPluginSearchPath().catch(() => process.env['PATH'] ?? '');
  const services = await createMainServices({
    appInfo: appInfo(),
    logger,
    credentialPluginPath,
    settings,
    // Sign-in opens the forge's authorize page in the system browser; the auth service has
    // already checked the URL against the configured host before calling this.
    openExternal: (target) => shell.openExternal(target),
    updates,
    // Asked in native dialogs, never in the renderer: which kubeconfig, and which Git hosts get tokens.
    chooseKubeconfigFile: kubeconfigPicker(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
    confirmHostApproval: hostApprovalPrompt(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
  });
  updates.subscribe((state) => services.events.emit('update:state-changed', state));
  updates.start();
  const url = rendererUrl();
  const isAppUrl = appUrlMatcher(url);
  const windows = new Set<number>();
  registerIpcHandlers(services.dispatcher, { webContentsIds: () => windows, isAppUrl }, logger);

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        isMac: process.platform === 'darwin',
        appName: 'Release Board',
        isPackaged: app.isPackaged,
        openDocs: () => void shell.openExternal(`${projectUrl}/tree/main/docs`),
        openLogsFolder: () => void shell.openPath(app.getPath('logs')),
        copyDiagnostics: () => void copyDiagnostics(),
        checkForUpdates: () => void updates.checkNow(),
        reportIssue: () => void shell.openExternal(`${projectUrl}/issues/new`),
      }),
    ),
  );

  const open = async () => {
    const window = await createMainWindow(settings, services, isAppUrl, url);
    const id = window.webContents.id;
    windows.add(id);
    window.on('closed', () => windows.delete(id));
    return window;
  };
  let mainWindow = await open();

  const copyDiagnostics = async () => {
    const snapshot = await services.board.snapshot();
    clipboard.writeText(
      diagnosticsText({
        app: appInfo(),
        os: { type: os.type(), release: os.release() },
        contexts: snapshot.clusters.filter((c) => c.context).length,
        clusters: snapshot.clusters,
        pipelines: snapshot.pipelines.length,
        forges: services.promotion.auth.hosts().map((h) => ({ signedIn: services.promotion.auth.sessions().some((s) => s.host === h.id && s.state === 'signed-in') })),
        updateState: updates.getState().state,
        checkUpdatesAutomatically: settings.get().updates.checkAutomatically,
        locale: app.getLocale(),
        recentProblems: recentProblems.list(),
        generatedAt: new Date().toISOString(),
      }),
    );
  };

  // Native notifications when a promotion PR merged or a rollout finished; a click focuses the cell.
  const notifications = createNotificationService({
    board: services.board,
    notifier: electronNotifier(),
    enabled: () => settings.get().notifications.promotions,
    logger,
    onFocusCell: (cell) => {
      if (mainWindow.isDestroyed()) return;
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
      services.events.emit('board:focus-requested', { pipelineId: cell.pipelineId, environment: cell.environment });
    },
  });
  void notifications.start();

  app.on('second-instance', () => {
    if (mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void open().then((w) => (mainWindow = w));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Quitting forgets every token: the vault lives in memory only.
  app.on('will-quit', () => {
    updates.stop();
    notifications.stop();
    void services.stop().finally(() => fileLog.close());
  });
}

main().catch((error: unknown) => {
  logger.error('app', `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  app.exit(1);
});
