// The CLI as scripts use it: start, wait for the single ready JSON, talk to the clusters, send
// SIGTERM, and expect a clean exit that leaves no ready file and no temp dir behind.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from './index';
import { exitOf, firstStdoutLine } from '../harness/child-process';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('sandbox CLI', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'rb-cli-test-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('prints one ready JSON object, serves the seed, and cleans up on SIGTERM', async () => {
    const readyFile = path.join(work, 'ready.json');
    child = spawn(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts', '--seed', 'demo', '--ready-file', readyFile, '--flux-delay-ms', '10'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = await firstStdoutLine(child, 45_000);
    const info = JSON.parse(line) as SandboxInfo;
    expect(JSON.parse(readFileSync(readyFile, 'utf8'))).toEqual(info);
    expect(info.clusters.map((c) => [c.name, c.context])).toEqual([
      ['mgmt', 'mgmt'],
      ['staging-eu', 'staging-eu'],
      ['prod-eu', 'prod-eu'],
    ]);
    expect(info.forge.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v3$/);
    expect(info.users.tokens.releaseManager).toMatch(/^ghp_/);

    const { stdout } = await run('kubectl', ['--kubeconfig', info.kubeconfig, 'get', 'pipelines', '-n', 'team-payments', '-o', 'name'], { timeout: 30_000 });
    expect(stdout.trim().split('\n')).toHaveLength(4);
    const user = await fetch(`${info.forge.apiUrl}/user`, { headers: { authorization: `Bearer ${info.users.tokens.releaseManager}` } });
    expect(((await user.json()) as { login: string }).login).toBe('rm-alice');

    child.kill('SIGTERM');
    expect(await exitOf(child, 15_000)).toBe(0);
    expect(existsSync(readyFile)).toBe(false);
    expect(existsSync(info.dir)).toBe(false);
  }, 60_000);

  it('rejects bad arguments with a usage message', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'test/sandbox/cli.ts', '--flux-delay-ms', 'soon'], { cwd: REPO_ROOT, timeout: 30_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: tsx test\/sandbox\/cli\.ts/);
  }, 60_000);
});
