// The streamed list body: the same bytes as one joined JSON string, whatever the block size,
// with multi-byte characters and items larger than a block.

import { describe, expect, it } from 'vitest';
import type { StoredEntry } from './store.js';
import { entryBytes, listBodyBlocks, listBodyLength } from './list-body.js';

function entry(obj: Record<string, unknown>): StoredEntry {
  return { obj: obj as unknown as StoredEntry['obj'], json: JSON.stringify(obj), rv: 1 };
}

const PREFIX = '{"kind":"ThingList","apiVersion":"x.io/v1","metadata":{"resourceVersion":"7"},"items":[';
const SUFFIX = ']}';

function joined(items: string[]): string {
  return `${PREFIX}${items.join(',')}${SUFFIX}`;
}

describe('list body blocks', () => {
  const objects = [
    { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { name: 'a' }, note: 'plain' },
    { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { name: 'b' }, note: 'ünïcødé → 漢字 🚀' },
    { apiVersion: 'x.io/v1', kind: 'Thing', metadata: { name: 'c' }, note: 'x'.repeat(300) },
  ];
  const entries = objects.map(entry);
  const expected = joined(entries.map((e) => e.json));

  for (const blockBytes of [16, 64, 100, 4096]) {
    it(`are the joined JSON, byte for byte, in blocks of ${blockBytes}`, () => {
      const items = entries.map((e) => entryBytes(e, 'x.io/v1'));
      const blocks = [...listBodyBlocks(PREFIX, items, SUFFIX, blockBytes)];
      const body = Buffer.concat(blocks);
      expect(body.toString('utf8')).toBe(expected);
      expect(body.length).toBe(listBodyLength(PREFIX, items, SUFFIX));
      // only a piece larger than a block (the prefix or an item) goes out whole, past the block size
      const pieces = [Buffer.from(PREFIX), ...items];
      for (const b of blocks) expect(b.length <= blockBytes || pieces.some((p) => p.length > blockBytes && p.equals(b))).toBe(true);
    });
  }

  it('is an empty items array for no items', () => {
    expect(Buffer.concat([...listBodyBlocks(PREFIX, [], SUFFIX, 32)]).toString('utf8')).toBe(joined([]));
    expect(listBodyLength(PREFIX, [], SUFFIX)).toBe(Buffer.byteLength(joined([])));
  });

  it('keeps one encoding per stored entry and re-encodes for another served version', () => {
    const e = entries[1]!;
    expect(entryBytes(e, 'x.io/v1')).toBe(entryBytes(e, 'x.io/v1'));
    const other = entryBytes(e, 'x.io/v2');
    expect(JSON.parse(other.toString('utf8'))).toEqual({ ...objects[1], apiVersion: 'x.io/v2' });
  });
});
