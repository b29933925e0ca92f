import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './logger';
import { createFileSink } from './file-sink';

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'rb-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const posix = process.platform !== 'win32';

describe('file sink', () => {
  it('writes redacted lines to a private file in a private folder', () => {
    const dir = path.join(tempDir(), 'logs');
    const files = createFileSink({ dir });
    const logger = createLogger({ sinks: [files.sink], now: () => new Date('2026-11-22T01:00:00Z') });
    logger.info('auth', 'signed in with token ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    logger.debug('auth', 'below the level');
    files.close();
    const text = readFileSync(files.file, 'utf8');
    expect(text).toBe('2026-11-22T01:00:00.000Z INFO  [auth] signed in with token [REDACTED]\n');
    if (posix) {
      expect(statSync(files.file).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it.runIf(posix)('narrows an existing world-readable log file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'release-board.log');
    writeFileSync(file, 'old line\n');
    chmodSync(file, 0o644);
    const files = createFileSink({ dir });
    files.sink({ time: 't', level: 'info', scope: 's', message: 'new' });
    files.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('old line\nt INFO  [s] new\n');
  });

  it('rotates at the size limit and keeps only maxFiles old files', () => {
    const dir = tempDir();
    const files = createFileSink({ dir, maxBytes: 100, maxFiles: 2 });
    // Each line is 40 bytes: two fit in 100, the third rotates.
    for (let i = 0; i < 9; i += 1) files.sink({ time: 't', level: 'info', scope: 's', message: `line ${i}`.padEnd(27, '.') });
    files.close();
    expect(readdirSync(dir).sort()).toEqual(['release-board.log', 'release-board.log.1', 'release-board.log.2']);
    const current = readFileSync(path.join(dir, 'release-board.log'), 'utf8');
    const previous = readFileSync(path.join(dir, 'release-board.log.1'), 'utf8');
    const oldest = readFileSync(path.join(dir, 'release-board.log.2'), 'utf8');
    expect(current).toContain('line 8');
    expect(previous).toContain('line 6');
    expect(previous).toContain('line 7');
    expect(oldest).toContain('line 4');
    expect(`${oldest}${previous}${current}`).not.toContain('line 3');
    for (const name of readdirSync(dir)) {
      expect(statSync(path.join(dir, name)).size).toBeLessThanOrEqual(100);
      if (posix) expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
    }
  });

  it('a failing disk is reported once and never throws into the logger', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    const onError = vi.fn();
    const files = createFileSink({ dir: path.join(blocker, 'logs'), onError });
    const logger = createLogger({ sinks: [files.sink] });
    expect(() => {
      logger.info('a', 'one');
      logger.info('a', 'two');
    }).not.toThrow();
    expect(onError).toHaveBeenCalledTimes(1);
  });
});
