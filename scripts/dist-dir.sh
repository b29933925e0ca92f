#!/usr/bin/env bash
# npm run dist:dir: an unpacked, unsigned build of the app for this platform (dist/*-unpacked).
# electron-builder would download its own copy of Electron; an Electron that is already here
# (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist) is used instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npx electron-vite build --logLevel warn
args=(--dir)
if [ -n "${ELECTRON_OVERRIDE_DIST_PATH:-}" ]; then
  args+=("-c.electronDist=${ELECTRON_OVERRIDE_DIST_PATH}")
elif [ -f node_modules/electron/path.txt ] && [ -d node_modules/electron/dist ]; then
  args+=("-c.electronDist=node_modules/electron/dist")
fi
exec npx electron-builder "${args[@]}" "$@"
