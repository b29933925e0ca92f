// The standard application menu (macOS app menu, Edit for copy/paste, View, Window, Help).
import type { MenuItemConstructorOptions } from 'electron';

export function appMenuTemplate(options: { isMac: boolean; appName: string; openDocs: () => void; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
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
    template.push({ label: 'File', submenu: [{ role: 'quit' }] });
  }
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
    { role: 'help', submenu: [{ label: 'Release Board documentation', click: options.openDocs }] },
  );
  return template;
}
