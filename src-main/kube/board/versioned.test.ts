import { describe, expect, it } from 'vitest';
import { RevisionCursor, Versioned } from './versioned';

describe('Versioned', () => {
  it('moves its revision only when the value changes structurally', () => {
    const v = new Versioned<{ name: string; tags: string[] }[]>([]);
    expect(v.set([])).toBe(false);
    expect(v.revision).toBe(0);
    expect(v.set([{ name: 'a', tags: ['x'] }])).toBe(true);
    expect(v.set([{ name: 'a', tags: ['x'] }])).toBe(false); // a new but equal array
    expect(v.revision).toBe(1);
    expect(v.set([{ name: 'a', tags: ['y'] }])).toBe(true);
    expect(v.revision).toBe(2);
  });

  it('hands a consumer each change once', () => {
    const v = new Versioned('one');
    const cursor = new RevisionCursor(v);
    expect(cursor.takeChange()).toBeUndefined();
    v.set('two');
    v.set('three');
    expect(cursor.takeChange()).toBe('three');
    expect(cursor.takeChange()).toBeUndefined();
  });
});
