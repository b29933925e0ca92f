import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { registerAppLifecycle } from './lifecycle';

function fakeApp() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, { quit: vi.fn() });
}

describe('app lifecycle', () => {
  it('keeps a second launch that arrives before the window exists, and focuses the window once it does', () => {
    const app = fakeApp();
    const lifecycle = registerAppLifecycle(app, { platform: 'linux' });
    app.emit('second-instance', {}, ['/usr/bin/release-board']);
    const window = { show: vi.fn(), recreate: vi.fn(), count: () => 1 };
    lifecycle.attachWindow(window);
    expect(window.show).toHaveBeenCalledTimes(1);
    app.emit('second-instance', {}, ['/usr/bin/release-board']);
    expect(window.show).toHaveBeenCalledTimes(2);
  });

  it('delivers deep links from start-up in order once the board can take them, and refuses bad ones', () => {
    const app = fakeApp();
    const blocked = vi.fn();
    const lifecycle = registerAppLifecycle(app, { platform: 'darwin', onBlockedLink: blocked });
    lifecycle.handleArgs(['/app', 'release-board://pipeline/apps/checkout/prod']);
    const preventDefault = vi.fn();
    app.emit('open-url', { preventDefault }, 'release-board://pipeline/apps/cart');
    app.emit('open-url', { preventDefault }, 'release-board://pipeline/../etc');
    expect(preventDefault).toHaveBeenCalledTimes(2);
    expect(blocked).toHaveBeenCalledWith('release-board://pipeline/../etc');
    const open = vi.fn();
    lifecycle.attachLinks(open);
    expect(open.mock.calls).toEqual([[{ pipelineId: 'apps/checkout', environment: 'prod' }], [{ pipelineId: 'apps/cart', environment: '' }]]);
    app.emit('second-instance', {}, ['/app', 'release-board://pipeline/apps/api/staging']);
    expect(open).toHaveBeenLastCalledWith({ pipelineId: 'apps/api', environment: 'staging' });
  });

  it('quits when the last window closes, except on macOS', () => {
    const linux = fakeApp();
    registerAppLifecycle(linux, { platform: 'linux' });
    linux.emit('window-all-closed');
    expect(linux.quit).toHaveBeenCalled();
    const mac = fakeApp();
    registerAppLifecycle(mac, { platform: 'darwin' });
    mac.emit('window-all-closed');
    expect(mac.quit).not.toHaveBeenCalled();
  });

  it('reopens a window from the Dock only when none is open', () => {
    const app = fakeApp();
    const lifecycle = registerAppLifecycle(app, { platform: 'darwin' });
    let count = 1;
    const window = { show: vi.fn(), recreate: vi.fn(), count: () => count };
    lifecycle.attachWindow(window);
    app.emit('activate');
    expect(window.recreate).not.toHaveBeenCalled();
    count = 0;
    app.emit('activate');
    expect(window.recreate).toHaveBeenCalledTimes(1);
  });
});
