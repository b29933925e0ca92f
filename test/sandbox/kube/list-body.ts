// A JSON list response written as it is assembled, the way kube-apiserver streams a list: each
// stored entry's UTF-8 encoding is kept beside it (entries are immutable, one per
// resourceVersion, so an encoding never goes stale), and the body goes out in fixed-size
// blocks copied from those encodings, waiting for the socket to drain between blocks.
// Building one string of every item and encoding it per request cost the sandbox more CPU than
// the client spent parsing the list at scale:10000 (docs/benchmarks.md).
//
// The bytes on the wire are exactly what one `{"kind":…,"items":[…]}` string would be, with
// the same Content-Length.

import type { ServerResponse } from 'node:http';
import { jsonAtVersion, type StoredEntry } from './store.js';

const BLOCK_BYTES = 256 * 1024;
const COMMA = 0x2c;

const encodings = new WeakMap<StoredEntry, Buffer>();

/** The entry's JSON at `apiVersion` as UTF-8; kept for the entry's stored version when it is that one. */
export function entryBytes(entry: StoredEntry, apiVersion: string): Buffer {
  if (entry.obj.apiVersion !== apiVersion) return Buffer.from(jsonAtVersion(entry, apiVersion), 'utf8');
  let bytes = encodings.get(entry);
  if (!bytes) {
    bytes = Buffer.from(entry.json, 'utf8');
    encodings.set(entry, bytes);
  }
  return bytes;
}

/** `prefix` + items joined by commas + `suffix`, in blocks of at most `blockBytes` (larger items go out whole). */
export function* listBodyBlocks(prefix: string, items: readonly Buffer[], suffix: string, blockBytes = BLOCK_BYTES): Generator<Buffer> {
  let block = Buffer.allocUnsafe(blockBytes);
  let used = 0;
  const push = function* (bytes: Buffer): Generator<Buffer> {
    if (used + bytes.length > blockBytes && used > 0) {
      yield block.subarray(0, used);
      block = Buffer.allocUnsafe(blockBytes);
      used = 0;
    }
    if (bytes.length > blockBytes) {
      yield bytes;
      return;
    }
    used += bytes.copy(block, used);
  };
  const comma = Buffer.of(COMMA);
  yield* push(Buffer.from(prefix, 'utf8'));
  for (let i = 0; i < items.length; i++) {
    if (i > 0) yield* push(comma);
    yield* push(items[i]!);
  }
  yield* push(Buffer.from(suffix, 'utf8'));
  if (used > 0) yield block.subarray(0, used);
}

/** Byte length of the body listBodyBlocks produces. */
export function listBodyLength(prefix: string, items: readonly Buffer[], suffix: string): number {
  let n = Buffer.byteLength(prefix, 'utf8') + Buffer.byteLength(suffix, 'utf8') + Math.max(0, items.length - 1);
  for (const b of items) n += b.length;
  return n;
}

/** true once the socket's buffer drained, false if the response closed first. */
function drainedOrClosed(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (drained: boolean): void => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(drained);
    };
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/**
 * Sends a 200 list body: headers with its Content-Length, then the blocks, pausing while the
 * socket's buffer is full. Stops quietly if the client goes away.
 */
export async function sendListBody(res: ServerResponse, headers: Readonly<Record<string, string>>, prefix: string, items: readonly Buffer[], suffix: string): Promise<void> {
  res.writeHead(200, { ...headers, 'Content-Length': String(listBodyLength(prefix, items, suffix)) });
  for (const block of listBodyBlocks(prefix, items, suffix)) {
    if (res.destroyed) return;
    if (!res.write(block) && !(await drainedOrClosed(res))) return;
  }
  res.end();
}
