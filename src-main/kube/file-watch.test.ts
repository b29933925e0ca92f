import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchFiles } from './file-watch';
import { waitFor } from './test-helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-watch-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('watchFiles', () => {
  it('reports in-place edits, atomic replacement and creation, debounced', async () => {
    const file = path.join(dir, 'config');
    const other = path.join(dir, 'unrelated');
    fs.writeFileSync(file, 'a');
    let calls = 0;
    const stop = watchFiles([file, path.join(dir, 'later')], () => (calls += 1), { debounceMs: 50 });
    try {
      fs.writeFileSync(file, 'b');
      fs.appendFileSync(file, 'c');
      await waitFor(() => calls >= 1, 'the edit to be reported');
      const afterEdit = calls;

      fs.writeFileSync(`${file}.tmp`, 'd');
      fs.renameSync(`${file}.tmp`, file); // how editors and cloud CLIs save
      await waitFor(() => calls > afterEdit, 'the replacement to be reported');
      const afterRename = calls;

      fs.writeFileSync(path.join(dir, 'later'), 'new');
      await waitFor(() => calls > afterRename, 'the new file to be reported');
      const afterCreate = calls;

      // An unrelated file in the same directory is ignored: prove it by sending a
      // related change afterwards and seeing exactly one more call.
      fs.writeFileSync(other, 'x');
      fs.writeFileSync(file, 'e');
      await waitFor(() => calls > afterCreate, 'the last edit');
      expect(calls).toBe(afterCreate + 1);
    } finally {
      stop();
    }
  });

  it('stops calling back after stop()', async () => {
    const file = path.join(dir, 'stopme');
    fs.writeFileSync(file, 'a');
    let calls = 0;
    const stop = watchFiles([file], () => (calls += 1), { debounceMs: 20 });
    stop();
    fs.writeFileSync(file, 'b');
    // Give the (closed) watcher a chance to misbehave, bounded by a control watcher that must fire.
    let control = 0;
    const stopControl = watchFiles([file], () => (control += 1), { debounceMs: 20 });
    fs.writeFileSync(file, 'c');
    await waitFor(() => control > 0, 'the control watcher');
    stopControl();
    expect(calls).toBe(0);
  });

  it('reports a directory that cannot be watched', () => {
    const errors: string[] = [];
    const stop = watchFiles([path.join(dir, 'no-such-dir', 'config')], () => undefined, { onError: (_e, d) => errors.push(d) });
    stop();
    expect(errors).toEqual([path.join(dir, 'no-such-dir')]);
  });
});
