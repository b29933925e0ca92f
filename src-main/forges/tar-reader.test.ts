import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTarGz } from './tar-reader';

const dir = mkdtempSync(path.join(tmpdir(), 'rb-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function archive(format: 'pax' | 'gnu' | 'ustar', files: Record<string, string>): Buffer {
  const root = path.join(dir, `${format}-${Object.keys(files).length}`);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, 'repo-abc1234', p)), { recursive: true });
    writeFileSync(path.join(root, 'repo-abc1234', p), content);
  }
  chmodSync(path.join(root, 'repo-abc1234', Object.keys(files)[0] as string), 0o755);
  return execFileSync('tar', ['-C', root, `--format=${format}`, '-czf', '-', 'repo-abc1234']);
}

describe('readTarGz', () => {
  const long = `${'deep/'.repeat(30)}values.yaml`;
  const files = { 'run.sh': '#!/bin/sh\n', 'a/b.yaml': 'x: 1\n', [long]: 'long: path\n', 'big.yaml': 'y'.repeat(70_000) };

  for (const format of ['pax', 'gnu'] as const) {
    it(`reads ${format} archives, long paths included, keeping only what the filter wants`, async () => {
      const out = await readTarGz(archive(format, files), (p) => p.endsWith('.yaml') || p.endsWith('.sh'));
      const byPath = new Map(out.map((f) => [f.path, f]));
      expect([...byPath.keys()].sort()).toEqual(['repo-abc1234/a/b.yaml', 'repo-abc1234/big.yaml', `repo-abc1234/${long}`, 'repo-abc1234/run.sh'].sort());
      expect(byPath.get(`repo-abc1234/${long}`)?.content.toString()).toBe('long: path\n');
      expect(byPath.get('repo-abc1234/big.yaml')?.content.length).toBe(70_000);
      expect((byPath.get('repo-abc1234/run.sh')?.mode ?? 0) & 0o111).not.toBe(0);
      expect((byPath.get('repo-abc1234/a/b.yaml')?.mode ?? 0) & 0o111).toBe(0);
    });
  }

  it('skips directories and entries the filter rejects', async () => {
    const out = await readTarGz(archive('ustar', { 'x.yaml': 'a: 1\n', 'y.txt': 'no\n' }), (p) => p.endsWith('.yaml'));
    expect(out.map((f) => f.path)).toEqual(['repo-abc1234/x.yaml']);
  });
});
