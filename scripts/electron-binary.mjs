// Prints the path of the Electron binary, or explains on stderr why there is none.
// Never requires the electron package: that would try to download on a closed network.
//   node scripts/electron-binary.mjs          path, or the explanation (exit 1)
//   node scripts/electron-binary.mjs --quiet  path, or nothing (exit 1)
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const pkgDir = path.resolve(import.meta.dirname, '../node_modules/electron');
const pathFile = path.join(pkgDir, 'path.txt');
const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const candidate = override ? path.join(override, relative) : path.join(pkgDir, 'dist', relative);
const version = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
if (existsSync(candidate)) {
  console.log(candidate);
} else {
  if (!process.argv.includes('--quiet'))
    console.error(`Release Board: no Electron ${version} binary at ${candidate}.
Electron comes from GitHub releases, which this machine may not reach; provide it in one of these ways, then run the command again:
  - where GitHub is reachable: npx install-electron
  - or unpack electron-v${version}-${process.platform}-${process.arch}.zip (from the Electron release) into a folder and
    export ELECTRON_OVERRIDE_DIST_PATH=/that/folder
To see the UI without Electron: npm run preview   (opens in your browser, same services).`);
  process.exit(1);
}
