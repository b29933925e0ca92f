// Finds an Electron binary without triggering the electron package's download-on-require
// (which hangs or fails on a machine without internet).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../harness/preview-server';

export function findElectronBinary(): { path: string } | { missing: string } {
  const pkgDir = path.join(repoRoot, 'node_modules/electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const candidate = override ? path.join(override, relative) : path.join(pkgDir, 'dist', relative);
  if (existsSync(candidate)) return { path: candidate };
  return {
    missing:
      `No Electron binary at ${candidate}. It is downloaded from GitHub releases, which this machine cannot reach. ` +
      'Run `npx install-electron` where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron; the preview harness (npm run preview) covers the UI meanwhile.',
  };
}
