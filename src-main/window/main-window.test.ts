import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for Electron's BrowserWindow that records, in order, what the glue does to it.
const journal: string[] = [];
const windows: FakeWindow[] = [];
let dialogAnswer = 0;
const showMessageBox = vi.fn(async () => ({ response: dialogAnswer, checkboxChecked: false }));

class FakeContents extends EventEmitter {
  id = 42;
  reload = vi.fn(() => journal.push('reload'));
  inspectElement = vi.fn();
  setWindowOpenHandler = vi.fn();
}

class FakeWindow extends EventEmitter {
  webContents = new FakeContents();
  constructor(public options: Record<string, any>) {
    super();
    windows.push(this);
  }
  loadURL = vi.fn(async (url: string) => {
    journal.push(`loadURL ${url}`);
  });
  maximize = vi.fn(() => journal.push('maximize'));
  show = vi.fn(() => journal.push('show'));
  isDestroyed = () => false;
}

vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  dialog: { showMessageBox },
  clipboard: { writeText: vi.fn() },
  Menu: { buildFromTemplate: vi.fn(() => ({ popup: vi.fn() })) },
}));

const { openMainWindow } = await import('./main-window');
const { createMemoryLogger } = await import('../log/logger');

function options(overrides: Partial<Parameters<typeof openMainWindow>[0]> = {}) {
  const trusted = new Set<number>();
  const logger = createMemoryLogger();
  return {
    url: 'app://release-board/index.html',
    preloadPath: '/app/out/preload/index.cjs',
    dark: false,
    isPackaged: true,
    guards: { isAppUrl: () => true, openExternal: vi.fn(), linkPolicy: () => ({ hosts: [] }) as never },
    trusted: {
      add: (id: number) => (journal.push(`trust ${id}`), trusted.add(id)),
      delete: (id: number) => trusted.delete(id),
      has: (id: number) => trusted.has(id),
    } as unknown as Set<number>,
    logger,
    quit: vi.fn(),
    ...overrides,
  };
}

beforeEach(() => {
  journal.length = 0;
  windows.length = 0;
  showMessageBox.mockClear();
});

describe('opening the main window', () => {
  it('trusts the window id before the page loads', async () => {
    await openMainWindow(options());
    expect(journal).toEqual(['trust 42', 'loadURL app://release-board/index.html']);
  });

  it('maximizes and shows only at ready-to-show, never before', async () => {
    await openMainWindow(options({ bounds: { width: 1400, height: 900, maximized: true } }));
    expect(journal).not.toContain('maximize');
    expect(journal).not.toContain('show');
    windows[0]!.emit('ready-to-show');
    expect(journal.slice(-2)).toEqual(['maximize', 'show']);
  });

  it('keeps DevTools off in an installed app and on in development', async () => {
    await openMainWindow(options({ isPackaged: true }));
    await openMainWindow(options({ isPackaged: false }));
    expect(windows.map((w) => w.options['webPreferences'].devTools)).toEqual([false, true]);
    expect(windows[0]!.options['webPreferences']).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('offers to reload when the renderer crashes, and reloads on that choice', async () => {
    const logger = createMemoryLogger();
    const opts = options({ logger });
    await openMainWindow(opts);
    dialogAnswer = 0;
    windows[0]!.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    await vi.waitFor(() => expect(journal).toContain('reload'));
    expect(showMessageBox).toHaveBeenCalledWith(windows[0], expect.objectContaining({ buttons: ['Reload', 'Quit'] }));
    expect(logger.records.some((r) => r.message.includes('crashed'))).toBe(true);
  });

  it('quits on the other choice, and ignores a clean exit', async () => {
    const opts = options();
    await openMainWindow(opts);
    windows[0]!.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(showMessageBox).not.toHaveBeenCalled();
    dialogAnswer = 1;
    windows[0]!.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
    await vi.waitFor(() => expect(opts.quit).toHaveBeenCalled());
    expect(journal).not.toContain('reload');
  });
});
