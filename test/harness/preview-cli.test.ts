// The preview CLI's own guards: it refuses to serve the user's real clusters unless asked, and
// its ready file (which carries the run's secret) is private and removed on exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitOf, firstStdoutLine } from './child-process';
import { repoRoot } from './preview-server';

describe('preview CLI', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'rb-preview-cli-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses to start on the user’s own kubeconfig without --use-my-kubeconfig', async () => {
    let stderr = '';
    const refused = spawn(process.execPath, ['--import', 'tsx', 'test/harness/preview.ts'], {
      cwd: repoRoot,
      env: { ...process.env, KUBECONFIG: path.join(work, 'nonexistent') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    refused.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exitOf(refused, 30_000)).toBe(2);
    expect(stderr).toContain('--use-my-kubeconfig');
  }, 40_000);

  it('refuses a --flux-delay-ms that is not a whole number of milliseconds, before starting anything', async () => {
    let stderr = '';
    const refused = spawn(process.execPath, ['--import', 'tsx', 'test/harness/preview.ts', '--seed', 'demo', '--flux-delay-ms', 'soon'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    refused.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await exitOf(refused, 30_000)).toBe(2);
    expect(stderr).toContain('--flux-delay-ms must be a whole number of milliseconds');
  }, 40_000);

  it('writes its ready file 0600 and removes it on exit', async () => {
    const readyFile = path.join(work, 'ready.json');
    child = spawn(process.execPath, ['--import', 'tsx', 'test/harness/preview.ts', '--seed', 'demo', '--ready-file', readyFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = JSON.parse(await firstStdoutLine(child, 60_000)) as { url: string };
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?k=[0-9a-f]{64}$/);
    expect(statSync(readyFile).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
    expect(await exitOf(child, 30_000)).toBe(0);
    expect(existsSync(readyFile)).toBe(false);
  }, 100_000);
});
