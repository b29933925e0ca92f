import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for electron's Notification (the real one needs the Electron binary). It only
// records what the glue does with it; every assertion below is about the glue's own choices.
const created: (EventEmitter & { options: unknown; shown: number })[] = [];
const platform = { supported: true };
vi.mock('electron', () => ({
  Notification: class extends EventEmitter {
    static isSupported = () => platform.supported;
    options: unknown;
    shown = 0;
    constructor(options: unknown) {
      super();
      this.options = options;
      created.push(this as never);
    }
    show() {
      this.shown += 1;
    }
  },
}));

const { electronNotifier } = await import('./electron-notifier');

beforeEach(() => {
  created.length = 0;
});

describe('electron notifier', () => {
  it("answers isSupported with the platform's answer", () => {
    const notifier = electronNotifier();
    platform.supported = false;
    expect(notifier.isSupported()).toBe(false);
    platform.supported = true;
    expect(notifier.isSupported()).toBe(true);
  });

  it('makes a failed rollout audible and other notices silent', () => {
    const notifier = electronNotifier();
    notifier.show({ key: 'a', kind: 'rollout-failed', title: 'Rollout failed in prod', body: 'b' }, () => undefined);
    notifier.show({ key: 'b', kind: 'pr-merged', title: 'Promotion PR merged', body: 'c' }, () => undefined);
    expect(created.map((n) => n.options)).toEqual([
      { title: 'Rollout failed in prod', body: 'b', silent: false },
      { title: 'Promotion PR merged', body: 'c', silent: true },
    ]);
    expect(created.map((n) => n.shown)).toEqual([1, 1]);
  });

  it('routes a click to its own handler only, and a closed notification never calls it', () => {
    const notifier = electronNotifier();
    const clicks: string[] = [];
    notifier.show({ key: 'a', kind: 'rollout-failed', title: 'A', body: '' }, () => clicks.push('a'));
    notifier.show({ key: 'b', kind: 'rollout-failed', title: 'B', body: '' }, () => clicks.push('b'));
    created[1]!.emit('click');
    created[0]!.emit('close');
    expect(clicks).toEqual(['b']);
  });
});
