// Watches kubeconfig files and calls back once per burst of changes. We watch each
// file's directory rather than the file: editors and cloud CLIs replace kubeconfigs by
// rename, which ends an fs.watch on the old inode; a directory watch sees the new file
// (and a file that did not exist yet appearing).

import fs from 'node:fs';
import path from 'node:path';

export interface WatchFilesOptions {
  debounceMs?: number;
  /** Called when a directory cannot be watched (missing, permissions); watching the rest continues. */
  onError?: (error: Error, directory: string) => void;
}

/** Starts watching; returns a function that stops every watcher and pending timer. */
export function watchFiles(files: readonly string[], onChange: () => void, opts: WatchFilesOptions = {}): () => void {
  const debounceMs = opts.debounceMs ?? 250;
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const abs = path.resolve(file);
    const dir = path.dirname(abs);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(path.basename(abs));
    byDir.set(dir, names);
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const trigger = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!stopped) onChange();
    }, debounceMs);
  };
  const watchers: fs.FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, filename) => {
        // Some platforms omit the name; then any change in the directory counts.
        if (!filename || names.has(filename.toString())) trigger();
      });
      w.on('error', (e) => opts.onError?.(e, dir));
      watchers.push(w);
    } catch (e) {
      opts.onError?.(e as Error, dir);
    }
  }
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}
