import { describe, expect, it } from 'vitest';
import type { BoardChange } from '../../common/board';
import { createLogger } from '../../log/logger';
import { ChangeListeners } from './change-listeners';

describe('ChangeListeners', () => {
  it('logs a failing listener and still tells the others; a removed listener hears nothing', () => {
    const lines: string[] = [];
    const listeners = new ChangeListeners(createLogger({ level: 'debug', sinks: [(record) => lines.push(`${record.level} ${record.scope} ${record.message}`)] }));
    const heard: string[] = [];
    listeners.add(() => {
      throw new Error('renderer gone');
    });
    const remove = listeners.add(() => heard.push('second'));
    const change: BoardChange = { upserted: [], removed: ['a/b'] };
    listeners.notify(change);
    expect(heard).toEqual(['second']);
    expect(lines).toEqual(['error board a board listener failed: renderer gone']);
    remove();
    listeners.notify(change);
    expect(heard).toEqual(['second']);
  });
});
