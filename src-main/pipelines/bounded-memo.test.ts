import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo';

describe('boundedMemo', () => {
  it('computes each key once, remembers falsy answers too, and starts over when full', () => {
    const calls: string[] = [];
    const memo = boundedMemo(2, (key) => {
      calls.push(key);
      return key === 'none' ? null : key.length;
    });
    expect([memo('a'), memo('bb'), memo('a'), memo('bb')]).toEqual([1, 2, 1, 2]);
    expect(calls).toEqual(['a', 'bb']);
    expect(memo('none')).toBeNull(); // third key: the memo was full and starts over
    expect(memo('none')).toBeNull();
    expect(memo('a')).toBe(1);
    expect(calls).toEqual(['a', 'bb', 'none', 'a']);
  });
});
