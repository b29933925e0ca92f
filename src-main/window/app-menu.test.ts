import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, type AppMenuOptions } from './app-menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function byId(template: MenuItemConstructorOptions[], id: string) {
  return flatten(template).find((item) => item.id === id);
}

function help(template: MenuItemConstructorOptions[]) {
  return template.find((item) => item.role === 'help')!.submenu as MenuItemConstructorOptions[];
}

const callbacks = () => ({ openDocs: vi.fn(), openLogsFolder: vi.fn(), copyDiagnostics: vi.fn(), checkForUpdates: vi.fn(), reportIssue: vi.fn() });
const build = (overrides: Partial<AppMenuOptions> & ReturnType<typeof callbacks>) => appMenuTemplate({ isMac: false, appName: 'Release Board', isPackaged: true, ...overrides });

describe('application menu', () => {
  it('Help has Open Logs Folder and Copy Diagnostics wired to their callbacks', () => {
    const cb = callbacks();
    const template = build(cb);
    const labels = help(template).map((i) => i.label ?? i.type ?? i.role);
    expect(labels).toContain('Open Logs Folder');
    expect(labels).toContain('Copy Diagnostics');
    (byId(template, 'open-logs')!.click as () => void)();
    (byId(template, 'copy-diagnostics')!.click as () => void)();
    (byId(template, 'docs')!.click as () => void)();
    expect(cb.openLogsFolder).toHaveBeenCalledTimes(1);
    expect(cb.copyDiagnostics).toHaveBeenCalledTimes(1);
    expect(cb.openDocs).toHaveBeenCalledTimes(1);
  });

  it('puts Check for Updates in the app menu on macOS and in Help elsewhere, only in installed builds', () => {
    const cb = callbacks();
    const mac = build({ ...cb, isMac: true });
    const macAppMenu = mac[0]!.submenu as MenuItemConstructorOptions[];
    expect(macAppMenu.map((i) => i.id ?? i.role)).toContain('check-for-updates');
    expect(help(mac).some((i) => i.id === 'check-for-updates')).toBe(false);
    expect(help(mac).some((i) => i.role === 'about')).toBe(false);

    const win = build(cb);
    expect(help(win).some((i) => i.id === 'check-for-updates')).toBe(true);
    expect(help(win).some((i) => i.role === 'about')).toBe(true);
    (byId(win, 'check-for-updates')!.click as () => void)();
    expect(cb.checkForUpdates).toHaveBeenCalled();

    expect(byId(build({ ...cb, isPackaged: false }), 'check-for-updates')).toBeUndefined();
  });

  it('keeps developer tools out of installed builds', () => {
    const roles = (t: MenuItemConstructorOptions[]) => flatten(t).map((i) => i.role);
    expect(roles(build(callbacks()))).not.toContain('toggleDevTools');
    expect(roles(build({ ...callbacks(), isPackaged: false }))).toContain('toggleDevTools');
  });

  it('still builds with only the original options (callbacks are optional)', () => {
    const template = appMenuTemplate({ isMac: true, appName: 'Release Board', isPackaged: true, openDocs: () => {} });
    expect(help(template).map((i) => i.id)).toEqual(['docs']);
  });
});

describe('Settings… menu item', () => {
  it('is in the macOS app menu and in File elsewhere, with the usual shortcut', () => {
    for (const isMac of [true, false]) {
      const openSettings = vi.fn();
      const template = appMenuTemplate({ isMac, appName: 'Release Board', isPackaged: true, openDocs: vi.fn(), openSettings });
      const item = byId(template, 'settings')!;
      expect(item.label).toBe('Settings…');
      expect(item.accelerator).toBe('CmdOrCtrl+,');
      expect((template[0]!.submenu as MenuItemConstructorOptions[]).includes(item)).toBe(true);
      (item.click as () => void)();
      expect(openSettings).toHaveBeenCalledTimes(1);
    }
  });
});
