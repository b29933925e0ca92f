#!/usr/bin/env bash
# npm start: builds and runs the desktop app. Electron's binary is not installed by npm ci
# (Electron 45 has no install script): fetch it the first time, where the network allows;
# otherwise say once, plainly, how to provide one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
if ! binary=$(node scripts/electron-binary.mjs --quiet); then
  if [ -z "${ELECTRON_OVERRIDE_DIST_PATH:-}" ]; then
    echo "Release Board: fetching the Electron binary (first run)…" >&2
    node node_modules/electron/install.js >/dev/null 2>&1 || true
  fi
  # Prints the path, or the one explanation of how to provide a binary.
  binary=$(node scripts/electron-binary.mjs) || exit 1
fi
npx electron-vite build --logLevel warn
exec "$binary" . "$@"
