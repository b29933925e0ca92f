import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergePathLists, resolveLoginShellPath } from './shell-path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-shell-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeShell(name: string, script: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, `#!/bin/sh\n${script}\n`);
  fs.chmodSync(p, 0o755);
  return p;
}

describe('resolveLoginShellPath', () => {
  it('extracts PATH from between markers, ignoring profile noise', async () => {
    // A "login shell" that prints a banner and then runs the command with a richer PATH.
    const shell = fakeShell('noisy', 'echo "Welcome!"; shift; PATH=/opt/homebrew/bin:/usr/bin; export PATH; eval "$2"');
    const resolved = await resolveLoginShellPath({ shell, platform: 'linux', env: { PATH: '/usr/bin:/bin' } });
    expect(resolved).toBe('/opt/homebrew/bin:/usr/bin');
  });
  it('gives up on a hanging shell within the timeout', async () => {
    // the shell would hang for 30 s, far past this test's own timeout, if the 200 ms limit were ignored
    const shell = fakeShell('hang', 'exec sleep 30');
    expect(await resolveLoginShellPath({ shell, platform: 'linux', timeoutMs: 200 })).toBeUndefined();
  });
  it('returns undefined for a missing shell and on Windows', async () => {
    expect(await resolveLoginShellPath({ shell: path.join(dir, 'missing'), platform: 'linux' })).toBeUndefined();
    expect(await resolveLoginShellPath({ platform: 'win32' })).toBeUndefined();
  });
});

describe('mergePathLists', () => {
  it('keeps current entries first and adds new ones once', () => {
    expect(mergePathLists('/usr/bin:/bin', '/opt/homebrew/bin:/usr/bin::/bin', 'linux')).toBe('/usr/bin:/bin:/opt/homebrew/bin');
    expect(mergePathLists(undefined, undefined, 'linux')).toBe('');
  });
});
