// Prints the path of the Electron binary, or explains on stderr why there is none.
// Never requires the electron package: that would try to download on a closed network.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const pkgDir = path.resolve(import.meta.dirname, '../node_modules/electron');
const pathFile = path.join(pkgDir, 'path.txt');
const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const candidate = override ? path.join(override, relative) : path.join(pkgDir, 'dist', relative);
if (existsSync(candidate)) {
  console.log(candidate);
} else {
  console.error(`Release Board: the Electron binary is missing (looked for ${candidate}).
It is downloaded from GitHub releases, which this machine cannot reach. To run the desktop app:
  - on a machine with internet access: npx install-electron   (then npm start again), or
  - point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron ${JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version} folder.
To see the UI without Electron: npm run preview   (opens in your browser, same services).`);
  process.exit(1);
}
