// Opens the main window. The order matters and is what the tests check: the window's id is
// trusted before its page loads (the renderer's first requests come before loadURL resolves),
// the window shows (maximized if it was) only at ready-to-show, and a crashed renderer offers
// a reload instead of leaving a blank window.
import { BrowserWindow, clipboard, dialog, Menu, type RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../log/logger';
import { contextMenuTemplate } from './context-menu';
import { installNavigationGuards, type GuardOptions } from './guards';
import { mainWindowOptions, type WindowBounds } from './window-options';

export interface MainWindowOptions {
  url: string;
  preloadPath: string;
  bounds?: WindowBounds;
  dark: boolean;
  isPackaged: boolean;
  guards: GuardOptions;
  /** The set of webContents ids whose IPC main trusts. */
  trusted: Set<number>;
  logger: Logger;
  /** Called before the page loads: event forwarding, bounds memory. */
  onCreated?: (window: BrowserWindow) => void;
  /** Quits the app (the crash dialog's other choice). */
  quit: () => void;
}

/** Whether a gone renderer is worth a dialog: a clean exit is the window closing, not a crash. */
export function rendererCrashed(details: Pick<RenderProcessGoneDetails, 'reason'>): boolean {
  return details.reason !== 'clean-exit';
}

export function offerReload(window: BrowserWindow, details: RenderProcessGoneDetails, options: Pick<MainWindowOptions, 'logger' | 'quit'>): Promise<void> {
  options.logger.error('window', `the window's renderer is gone (${details.reason}, exit code ${details.exitCode})`);
  return dialog
    .showMessageBox(window, {
      type: 'error',
      title: 'Release Board',
      message: 'The Release Board window stopped working.',
      detail: `Reason: ${details.reason}. Reload to carry on: signed-in sessions, settings and open pull requests are kept by the app, not the window.`,
      buttons: ['Reload', 'Quit'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    })
    .then(({ response }) => {
      if (window.isDestroyed()) return;
      if (response === 0) window.webContents.reload();
      else options.quit();
    });
}

export async function openMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const window = new BrowserWindow(mainWindowOptions({ preloadPath: options.preloadPath, dark: options.dark, devTools: !options.isPackaged, ...(options.bounds ? { bounds: options.bounds } : {}) }));
  const contents = window.webContents;
  const id = contents.id;
  options.trusted.add(id);
  window.on('closed', () => options.trusted.delete(id));
  installNavigationGuards(contents, options.guards);
  contents.on('render-process-gone', (_event, details) => {
    if (rendererCrashed(details)) void offerReload(window, details, options);
  });
  contents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, {
      isPackaged: options.isPackaged,
      actions: { copyText: (text) => clipboard.writeText(text), inspect: (x, y) => contents.inspectElement(x, y) },
    });
    if (template.length) Menu.buildFromTemplate(template).popup({ window });
  });
  // maximize() shows the window, so it waits for the first paint like show() does.
  window.once('ready-to-show', () => {
    if (options.bounds?.maximized) window.maximize();
    window.show();
  });
  options.onCreated?.(window);
  await window.loadURL(options.url);
  return window;
}
