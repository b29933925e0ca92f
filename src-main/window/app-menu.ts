// The standard application menu (macOS app menu, Edit for copy/paste, View, Window, Help),
// plus the app's own items: Check for Updates, Open Logs Folder, Copy Diagnostics. The
// template is plain data with callbacks, built and tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  isMac: boolean;
  appName: string;
  isPackaged: boolean;
  openDocs: () => void;
  /** Help → Open Logs Folder (shell.openPath(app.getPath('logs'))) */
  openLogsFolder?: () => void;
  /** Help → Copy Diagnostics (clipboard.writeText(diagnosticsText(...))) */
  copyDiagnostics?: () => void;
  /** Check for Updates… (updateService.checkNow()); shown in installed builds only */
  checkForUpdates?: () => void;
  /** Help → Report an Issue (opens the issue tracker) */
  reportIssue?: () => void;
  /** Settings… (macOS: app menu, others: File), CmdOrCtrl+, */
  openSettings?: () => void;
}

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  const settingsItems: MenuItemConstructorOptions[] = options.openSettings ? [{ id: 'settings', label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: options.openSettings }] : [];
  const updateItems: MenuItemConstructorOptions[] = options.checkForUpdates && options.isPackaged ? [{ id: 'check-for-updates', label: 'Check for Updates…', click: options.checkForUpdates }] : [];
  if (options.isMac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        ...updateItems,
        { type: 'separator' },
        ...settingsItems,
        ...(settingsItems.length ? ([{ type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  } else {
    template.push({ label: 'File', submenu: [...settingsItems, ...(settingsItems.length ? ([{ type: 'separator' }] as MenuItemConstructorOptions[]) : []), { role: 'quit' }] });
  }
  const helpItems: MenuItemConstructorOptions[] = [{ id: 'docs', label: `${options.appName} Documentation`, click: options.openDocs }];
  if (options.reportIssue) helpItems.push({ id: 'report-issue', label: 'Report an Issue…', click: options.reportIssue });
  const supportItems: MenuItemConstructorOptions[] = [];
  if (options.openLogsFolder) supportItems.push({ id: 'open-logs', label: 'Open Logs Folder', click: options.openLogsFolder });
  if (options.copyDiagnostics) supportItems.push({ id: 'copy-diagnostics', label: 'Copy Diagnostics', click: options.copyDiagnostics });
  if (supportItems.length) helpItems.push({ type: 'separator' }, ...supportItems);
  if (!options.isMac && updateItems.length) helpItems.push({ type: 'separator' }, ...updateItems);
  // On Windows and Linux the About panel lives in Help, as users expect there.
  if (!options.isMac) helpItems.push({ type: 'separator' }, { role: 'about', label: `About ${options.appName}` });
  template.push(
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [
        ...(options.isPackaged ? [] : ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: helpItems },
  );
  return template;
}
