// Finds an Electron binary without triggering the electron package's download-on-require
// (which hangs or fails on a machine without internet), and decides whether the Electron
// specs run, skip (here, no binary) or fail (CI, where a skip would hide a broken app).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../harness/preview-server';

export type ElectronBinary = { path: string } | { missing: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkgDir = path.join(repoRoot, 'node_modules/electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override ? path.join(override, relative) : path.join(pkgDir, 'dist', relative);
  if (existsSync(candidate)) return { path: candidate };
  return {
    missing:
      `No Electron binary at ${candidate}. It is downloaded from GitHub releases, which this machine cannot reach. ` +
      'Run `npx install-electron` where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron; the preview harness (npm run preview) covers the UI meanwhile.',
  };
}

/** Set by the GitHub workflows: there, a missing binary is a broken build, not a reason to skip. */
export const requireElectronVariable = 'RELEASE_BOARD_REQUIRE_ELECTRON';

export type ElectronGate = { run: string } | { skip: string } | { fail: string };

export function electronGate(binary: ElectronBinary, env: NodeJS.ProcessEnv = process.env): ElectronGate {
  if ('path' in binary) return { run: binary.path };
  if (env[requireElectronVariable] === '1') return { fail: `${requireElectronVariable}=1 but the Electron specs cannot run: ${binary.missing}` };
  return { skip: binary.missing };
}
