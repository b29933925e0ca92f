// The right-click menu of the app's window: Copy for a selection, Copy Link for a link, and
// Inspect Element in development only. A few lines of our own instead of a dependency: the
// template is plain data, built and tested without Electron.
import type { ContextMenuParams, MenuItemConstructorOptions } from 'electron';

export interface ContextMenuActions {
  copyText: (text: string) => void;
  inspect: (x: number, y: number) => void;
}

type MenuParams = Pick<ContextMenuParams, 'selectionText' | 'linkURL' | 'isEditable' | 'x' | 'y'>;

export function contextMenuTemplate(params: MenuParams, options: { isPackaged: boolean; actions: ContextMenuActions }): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  if (params.isEditable) items.push({ role: 'cut' }, { role: 'copy' }, { role: 'paste' });
  else if (params.selectionText.trim()) items.push({ role: 'copy' });
  // Only web links: a javascript: or file: href is never offered for copying.
  if (/^https?:\/\//i.test(params.linkURL)) items.push({ id: 'copy-link', label: 'Copy Link', click: () => options.actions.copyText(params.linkURL) });
  if (!options.isPackaged) {
    if (items.length) items.push({ type: 'separator' });
    items.push({ id: 'inspect', label: 'Inspect Element', click: () => options.actions.inspect(params.x, params.y) });
  }
  return items;
}
