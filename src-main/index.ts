// Composition root of the desktop app: single-instance lock, lifecycle, services, IPC,
// the main window. Everything here is glue; the logic lives in services that run in Node.
import { app, BrowserWindow, clipboard, dialog, Menu, nativeTheme, net, protocol, safeStorage, session, shell } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from './common/app-info';
import type { SettingsView } from './common/settings';
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
import { builtInClients, withBuiltInClients } from './config/built-in-clients';
import { createMainServices } from './services';
import { openSettingsStore } from './settings/settings-store';
import { appMenuTemplate } from './window/app-menu';
import { appPageUrl, appProtocolHandler, appScheme, appSchemePrivileges } from './window/app-protocol';
import { deepLinkScheme } from './window/deep-link';
import { defaultExternalLinkPolicy } from './window/external-links';
import { hardenSession } from './window/guards';
import { registerAppLifecycle } from './window/lifecycle';
import { execPluginPrompt, hostApprovalPrompt, kubeconfigPicker } from './window/native-dialogs';
import { releaseLogSaver } from './window/save-dialog';
import { sandboxRefusal } from './window/sandbox-check';
import { openMainWindow } from './window/main-window';
import { startupFailureText } from './window/startup-failure';
import { devServerContentSecurityPolicy } from './window/window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
// Development runs (npm start, the Electron specs) may keep their profile elsewhere, so a test
// never touches the user's real one. Installed builds always use the platform's folder.
const devUserData = process.env['RELEASE_BOARD_USER_DATA_DIR'];
if (!app.isPackaged && devUserData) {
  app.setPath('userData', devUserData);
  app.setAppLogsPath(path.join(devUserData, 'logs'));
}
// Must happen before the app is ready: app:// gets an origin of its own, like https.
protocol.registerSchemesAsPrivileged(appSchemePrivileges);
// Logs go to the platform's log folder through the redacting logger (file mode 0600).
const fileLog = createFileSink({ dir: app.getPath('logs') });
const recentProblems = createRecentProblems();
const logger = createLogger({ level: app.isPackaged ? 'info' : 'debug', sinks: [consoleSink, fileLog.sink, recentProblems.sink] });
const projectUrl = 'https://github.com/release-board/release-board';

/** electron-vite sets ELECTRON_RENDERER_URL in development only; otherwise the app:// page. */
function devServerUrl(): string | undefined {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  return !app.isPackaged && devUrl ? devUrl : undefined;
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

function readUsernsRestriction(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Before anything loads: a second launch or a link during start-up is kept, not dropped.
  const lifecycle = registerAppLifecycle(app, { platform: process.platform, onBlockedLink: (raw) => logger.warn('app', `ignored a malformed link (${raw.length} characters)`) });
  lifecycle.handleArgs(process.argv);
  // Installed builds register the scheme through their installer metadata too (electron-builder
  // protocols); development runs would register the bare Electron binary, so they do not.
  if (app.isPackaged) app.setAsDefaultProtocolClient(deepLinkScheme);
  await app.whenReady();
  const refusal = sandboxRefusal({
    platform: process.platform,
    isPackaged: app.isPackaged,
    noSandbox: app.commandLine.hasSwitch('no-sandbox'),
    env: process.env,
    usernsRestriction: readUsernsRestriction,
  });
  if (refusal) {
    logger.error('app', `refused to start without the sandbox: ${refusal}`);
    // After ready: on Linux, showErrorBox before ready only prints to stderr.
    dialog.showErrorBox('Release Board cannot start safely', refusal);
    app.exit(1);
    return;
  }

  // Apps launched from a desktop environment miss the login shell's PATH, where kubectl's exec
  // credential plugins (aws, gke-gcloud-auth-plugin, kubelogin…) usually live. Asking the shell
  // can take seconds, so it runs in the background; until it answers, the current PATH is used.
  let credentialPluginPath = process.env['PATH'] ?? '';
  void credentialPluginSearchPath()
    .then((found) => (credentialPluginPath = found))
    .catch((error: Error) => logger.warn('kube', `login shell PATH lookup failed: ${error.message}`));

  const devUrl = devServerUrl();
  const url = devUrl ?? appPageUrl;
  const isAppUrl = appUrlMatcher(url);
  hardenSession(session.defaultSession, { isAppUrl, ...(devUrl ? { policy: devServerContentSecurityPolicy(devUrl) } : {}) });
  protocol.handle(appScheme, appProtocolHandler(path.join(here, '../renderer')));
  // Git host client secrets are sealed by the OS keychain (safeStorage) or, where it is not
  // available, kept in memory only for this run.
  const secretBox = safeStorage.isEncryptionAvailable()
    ? { seal: (plain: string) => safeStorage.encryptString(plain).toString('base64'), open: (sealed: string) => safeStorage.decryptString(Buffer.from(sealed, 'base64')) }
    : undefined;
  const settings = await openSettingsStore(app.getPath('userData'), (message) => logger.warn('settings', message), secretBox);
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
  const services = await createMainServices({
    appInfo: appInfo(),
    logger,
    env: withBuiltInClients(process.env, builtInClients()),
    credentialPluginPath: () => credentialPluginPath,
    // Forge traffic goes through Chromium's network stack: the OS certificate store (a GitHub
    // Enterprise or GitLab behind a private CA) and the system proxy / PAC, like a browser.
    forgeFetch: (input, init) => net.fetch(input instanceof URL ? input.toString() : input, init),
    settings,
    // Sign-in opens the forge's authorize page in the system browser; the auth service has
    // already checked the URL against the configured host before calling this.
    openExternal: (target) => shell.openExternal(target),
    updates,
    // Asked in native dialogs, never in the renderer: which kubeconfig, and which Git hosts get tokens.
    chooseKubeconfigFile: kubeconfigPicker(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
    confirmHostApproval: hostApprovalPrompt(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
    confirmExecPlugins: execPluginPrompt(dialog, () => BrowserWindow.getFocusedWindow() ?? undefined),
    // Release-log exports: the user picks the file in the native save dialog; main writes it.
    saveReleaseLog: releaseLogSaver(
      dialog,
      () => BrowserWindow.getFocusedWindow() ?? undefined,
      (file, content) => writeFile(file, content, 'utf8'),
      () => app.getPath('documents'),
    ),
  });
  updates.subscribe((state) => services.events.emit('update:state-changed', state));
  updates.start();
  // The window's own chrome and every prefers-color-scheme rule follow the theme chosen in Settings.
  nativeTheme.themeSource = settings.get().appearance.theme;
  services.events.subscribe((channel, payload) => {
    if (channel === 'settings:changed') nativeTheme.themeSource = (payload as SettingsView).theme;
  });
  const trusted = new Set<number>();
  registerIpcHandlers(services.dispatcher, { webContentsIds: () => trusted, isAppUrl }, logger);

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

  let mainWindow: BrowserWindow | undefined;
  const showMainWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

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
        openSettings: () => {
          showMainWindow();
          services.events.emit('settings:open-requested', null);
        },
      }),
    ),
  );

  const open = async () => {
    const bounds = settings.get().windowBounds;
    const window = await openMainWindow({
      url,
      preloadPath: path.join(here, '../preload/index.cjs'),
      ...(bounds ? { bounds } : {}),
      dark: nativeTheme.shouldUseDarkColors,
      isPackaged: app.isPackaged,
      trusted,
      logger,
      quit: () => app.quit(),
      guards: {
        isAppUrl,
        openExternal: (target) => shell.openExternal(target),
        linkPolicy: () => defaultExternalLinkPolicy,
        onBlocked: (what, target) => logger.warn('window', `blocked ${what} ${target}`),
      },
      onCreated: (window) => {
        mainWindow = window;
        const stopForwarding = forwardEventsTo(window.webContents, services.events);
        const rememberBounds = () => {
          if (window.isDestroyed()) return;
          const maximized = window.isMaximized();
          const normal = maximized ? settings.get().windowBounds : window.getNormalBounds();
          if (normal) void settings.update({ windowBounds: { ...normal, maximized } }).catch((e: Error) => logger.warn('settings', e.message));
        };
        window.on('resized', rememberBounds);
        window.on('moved', rememberBounds);
        window.on('close', rememberBounds);
        window.on('closed', stopForwarding);
      },
    });
    return window;
  };
  lifecycle.attachWindow({ show: showMainWindow, recreate: () => void open(), count: () => BrowserWindow.getAllWindows().length });
  await open();
  lifecycle.attachLinks((target) => {
    showMainWindow();
    services.events.emit('board:focus-requested', target);
  });

  // Native notifications when a promotion PR merged or a rollout finished; a click focuses the cell.
  const notifications = createNotificationService({
    board: services.board,
    notifier: electronNotifier(),
    enabled: () => settings.get().notifications.promotions,
    logger,
    onFocusCell: (cell) => {
      showMainWindow();
      services.events.emit('board:focus-requested', { pipelineId: cell.pipelineId, environment: cell.environment });
    },
  });
  void notifications.start();

  // Before quitting, revoke the user's tokens where the forge allows it (2 s at most), so a
  // token that outlives the app is not left valid for hours.
  let revoked = false;
  app.on('before-quit', (event) => {
    if (revoked) return;
    event.preventDefault();
    revoked = true;
    void services.revokeSessions(2000).finally(() => app.quit());
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
  // A dialog, not a silent exit. Shown once the app is ready: before that, Linux only prints it.
  const { title, content } = startupFailureText(error, fileLog.file);
  void app
    .whenReady()
    .then(() => dialog.showErrorBox(title, content))
    .finally(() => app.exit(1));
});
