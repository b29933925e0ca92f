// Runs electron-builder for real (`--dir`, Linux) with electron-builder.yml, without signing
// secrets and without the Electron download this machine cannot make: a stand-in Electron
// "binary" carrying a real fuse wire is used as electronDist. This proves what the schema
// check cannot: the config packs, the fuses are actually flipped in the packaged executable,
// the asar holds the built app and nothing else, and the update metadata for electron-updater
// is written. Needs the app built first (`npx electron-vite build`; npm test builds before vitest).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Asar from '@electron/asar';
import type * as Fuses from '@electron/fuses';
import type * as ElectronBuilder from 'electron-builder';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;

// Electron's shipped defaults for fuse wire v1: RunAsNode on, cookie encryption off, NODE_OPTIONS
// on, --inspect on, asar integrity off, only-asar off, V8 snapshot off, file:// privileges on.
const defaultWire = '10110001';

let work: string;
let appOutDir: string;
const signingVariables = [
  'CSC_LINK',
  'CSC_KEY_PASSWORD',
  'WIN_CSC_LINK',
  'WIN_CSC_KEY_PASSWORD',
  'APPLE_ID',
  'APPLE_APP_SPECIFIC_PASSWORD',
  'APPLE_TEAM_ID',
  'APPLE_API_KEY',
  'GH_TOKEN',
  'GITHUB_TOKEN',
];
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  if (!existsSync(path.join(root, 'out/main/index.js'))) throw new Error('out/main/index.js is missing: run `npx electron-vite build` before this test');
  for (const name of signingVariables) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
  work = mkdtempSync(path.join(tmpdir(), 'rb-pack-'));
  const electronDist = path.join(work, 'electron-dist');
  mkdirSync(electronDist);
  writeFileSync(path.join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(sentinel), Buffer.from([1, defaultWire.length]), Buffer.from(defaultWire)]), {
    mode: 0o755,
  });
  writeFileSync(path.join(electronDist, 'version'), electronVersion);
  const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
  const configFile = path.join(work, 'electron-builder.yml');
  writeFileSync(configFile, stringify({ ...config, electronDist, electronVersion, directories: { ...config['directories'], output: path.join(work, 'dist') } }));
  const { build, Platform } = (await import('electron-builder')) as typeof ElectronBuilder;
  await build({ projectDir: root, targets: Platform.LINUX.createTarget('dir'), config: configFile, publish: 'never' });
  appOutDir = path.join(work, 'dist/linux-unpacked');
}, 240_000);

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[name] = value;
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('an unsigned --dir build with electron-builder.yml', () => {
  it('flips the fuses in the packaged executable', async () => {
    const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as typeof Fuses;
    // The wire stores each fuse as an ASCII '0' (disabled) or '1' (enabled).
    const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) };
    const executable = path.join(appOutDir, 'release-board');
    const wire = (await getCurrentFuseWire(executable)) as unknown as Record<number, number>;
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    // the renderer is served from app://, so file:// keeps no extra privileges
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
  });

  it('packs the built app into app.asar, without sources, tests or source maps', () => {
    const asar = require('@electron/asar') as typeof Asar;
    const archive = path.join(appOutDir, 'resources/app.asar');
    const files = asar.listPackage(archive, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('/out/main/index.js');
    expect(files).toContain('/out/renderer/index.html');
    expect(files.some((f) => f.startsWith('/out/preload/'))).toBe(true);
    expect(files.filter((f) => /^\/(src-main|src-renderer|test|scripts|docs|assets|\.github)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // production dependencies come along; development ones do not
    expect(files.some((f) => f.startsWith('/node_modules/electron-updater/'))).toBe(true);
    expect(files.some((f) => f.startsWith('/node_modules/vitest/') || f.startsWith('/node_modules/electron/'))).toBe(false);
    // renderer-only packages are bundled into out/renderer by Vite; shipping them again is dead weight
    for (const rendererOnly of ['react', 'react-dom', '@dnd-kit', 'zustand']) expect(files.some((f) => f.startsWith(`/node_modules/${rendererOnly}/`))).toBe(false);
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8')) as { main: string; devDependencies?: unknown };
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('writes the update metadata electron-updater reads, pointing at GitHub Releases', () => {
    const updateConfig = parse(readFileSync(path.join(appOutDir, 'resources/app-update.yml'), 'utf8')) as Record<string, string>;
    expect(updateConfig).toMatchObject({ provider: 'github', owner: expect.any(String), repo: expect.any(String) });
    expect(JSON.stringify(updateConfig)).not.toMatch(/token/i);
  });
});
