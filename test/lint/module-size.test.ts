// Issue 16 split two modules that had grown into closures nobody could review: the board
// service (a scheduler over src-main/kube/board/) and services.ts (wiring only). This keeps
// them small: a new concern goes into a unit of its own, with its own tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const lineCount = (file: string) => readFileSync(path.join(root, file), 'utf8').split('\n').length - 1;

describe('module size limits', () => {
  it.each([
    ['src-main/kube/board-service.ts', 300],
    ['src-main/services.ts', 300],
  ])('%s stays within %i lines', (file, limit) => {
    expect(lineCount(file)).toBeGreaterThan(50); // the file is really read
    expect(lineCount(file)).toBeLessThanOrEqual(limit);
  });
});
