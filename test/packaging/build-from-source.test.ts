// Building from source as the README says: the Electron binary is found (or one message says
// how to provide it), and `npm run dist:dir` packs with a provided Electron instead of
// downloading one. The scripts run for real; npx is a recording stand-in.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'rb-from-source-'));
const binaryName = process.platform === 'win32' ? 'electron.exe' : 'electron';

function electronBinary(env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, [path.join(root, 'scripts/electron-binary.mjs'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('scripts/electron-binary.mjs', () => {
  it('prints the binary of a provided Electron folder', () => {
    const dist = path.join(work, 'electron-dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, binaryName), '');
    const result = electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(path.join(dist, binaryName));
  });

  it('without one, says in one message how to provide it; --quiet says nothing', () => {
    const empty = mkdtempSync(path.join(work, 'empty-'));
    const result = electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: empty });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('npx install-electron');
    expect(result.stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(result.stderr).toMatch(/electron-v\d+\.\d+\.\d+-\w+-\w+\.zip/);
    expect(result.stderr).not.toContain('npm rebuild');
    expect(result.stderr.match(/Release Board:/g)).toHaveLength(1);
    const quiet = electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: empty }, ['--quiet']);
    expect(quiet.status).toBe(1);
    expect(quiet.stderr).toBe('');
  });
});

describe.skipIf(process.platform === 'win32')('npm run dist:dir (scripts/dist-dir.sh)', () => {
  it('hands a provided Electron to electron-builder as -c.electronDist', () => {
    const bin = path.join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    const log = path.join(work, 'npx.log');
    writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\necho "$*" >> '${log}'\n`);
    chmodSync(path.join(bin, 'npx'), 0o755);
    const dist = path.join(work, 'provided-electron');
    mkdirSync(dist, { recursive: true });
    execFileSync('bash', [path.join(root, 'scripts/dist-dir.sh')], { env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH']}`, ELECTRON_OVERRIDE_DIST_PATH: dist } });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['electron-vite build --logLevel warn', `electron-builder --dir -c.electronDist=${dist}`]);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, any>;

  it('carries what the .deb and the desktop entry need, and the licence', () => {
    expect(pkg['homepage']).toMatch(/^https:\/\//);
    expect(pkg['repository'].url).toContain('github.com/release-board/release-board');
    expect(pkg['desktopName']).toBe('release-board.desktop');
    expect(pkg['author'].email).toMatch(/@/);
    expect(pkg['license']).toBe('Apache-2.0');
    expect(readFileSync(path.join(root, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
  });

  it('keeps renderer-only packages out of the app’s dependencies (Vite bundles them)', () => {
    for (const name of ['react', 'react-dom', '@dnd-kit/core', '@dnd-kit/utilities', 'zustand']) {
      expect(pkg['dependencies'][name]).toBeUndefined();
      expect(pkg['devDependencies'][name]).toBeDefined();
    }
    // ...and the renderer bundle (npm test builds before vitest) really contains React.
    const page = readFileSync(path.join(root, 'out/renderer/index.html'), 'utf8');
    const script = /src="\.\/(assets\/index-[\w-]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    expect(readFileSync(path.join(root, 'out/renderer', script!), 'utf8')).toContain('react.transitional.element');
  });

  it('replaces the built-in client id placeholders in the main bundle at build time', () => {
    const main = readFileSync(path.join(root, 'out/main/index.js'), 'utf8');
    expect(main).not.toContain('__RELEASE_BOARD_GITHUB_CLIENT_ID__');
    expect(main).not.toContain('__RELEASE_BOARD_GITLAB_CLIENT_ID__');
  });
});
