// A rotating log-file sink for the redacting logger. Records reach it already redacted
// (createLogger redacts before any sink), and the file is still private: created 0600 in a
// 0700 folder, because log lines name clusters, namespaces and repositories.
// Writes are synchronous so the lines before a crash are on disk; a full file is rotated to
// name.1 … name.N (oldest dropped). A failing disk never breaks the app: the sink reports
// once and then stays quiet.
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { formatLogRecord, type LogSink } from './logger';

export interface FileSinkOptions {
  /** the platform's log folder: app.getPath('logs') in the desktop app */
  dir: string;
  fileName?: string;
  /** rotate when the current file would grow past this (default 2 MiB) */
  maxBytes?: number;
  /** rotated files kept besides the current one (default 3) */
  maxFiles?: number;
  /** where a write failure is reported, once (default: stderr) */
  onError?: (error: Error) => void;
}

export interface FileSink {
  sink: LogSink;
  /** absolute path of the current log file */
  file: string;
  close(): void;
}

export function createFileSink(options: FileSinkOptions): FileSink {
  const file = path.join(options.dir, options.fileName ?? 'release-board.log');
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const maxFiles = Math.max(1, options.maxFiles ?? 3);
  const onError = options.onError ?? ((error: Error) => process.stderr.write(`log file disabled: ${error.message}\n`));
  let fd: number | undefined;
  let size = 0;
  let failed = false;

  const open = () => {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    fd = openSync(file, 'a', 0o600);
    // A file left by an older build (or created by hand) may be wider: narrow it.
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    size = fstatSync(fd).size;
  };

  const rotate = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    rmSync(`${file}.${maxFiles}`, { force: true });
    for (let i = maxFiles - 1; i >= 1; i -= 1) {
      try {
        renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    renameSync(file, `${file}.1`);
    open();
  };

  const sink: LogSink = (record) => {
    if (failed) return;
    try {
      if (fd === undefined) open();
      const line = Buffer.from(`${formatLogRecord(record)}\n`, 'utf8');
      if (size > 0 && size + line.length > maxBytes) rotate();
      writeSync(fd!, line);
      size += line.length;
    } catch (error) {
      failed = true;
      onError(error as Error);
    }
  };

  return {
    sink,
    file,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
