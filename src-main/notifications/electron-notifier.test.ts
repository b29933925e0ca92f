import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

// A stubbed electron Notification: the real one needs the Electron binary.
const created: (EventEmitter & { options: unknown; show: ReturnType<typeof vi.fn> })[] = [];
vi.mock('electron', () => ({
  Notification: class extends EventEmitter {
    static isSupported = () => true;
    options: unknown;
    show = vi.fn();
    constructor(options: unknown) {
      super();
      this.options = options;
      created.push(this as never);
    }
  },
}));

const { electronNotifier } = await import('./electron-notifier');

describe('electron notifier', () => {
  it('shows a native notification and routes its click', () => {
    const notifier = electronNotifier();
    const onClick = vi.fn();
    expect(notifier.isSupported()).toBe(true);
    notifier.show({ key: 'k', kind: 'rollout-failed', title: 'Rollout failed in prod', body: 'b' }, onClick);
    expect(created[0]!.options).toEqual({ title: 'Rollout failed in prod', body: 'b', silent: false });
    expect(created[0]!.show).toHaveBeenCalled();
    created[0]!.emit('click');
    expect(onClick).toHaveBeenCalledTimes(1);
  });
});
