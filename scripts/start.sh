#!/usr/bin/env bash
# npm start: builds and runs the desktop app. Where no Electron binary exists (it is
# downloaded from GitHub releases), says so plainly and points to the alternatives.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
if ! binary=$(node scripts/electron-binary.mjs); then
  exit 1
fi
npx electron-vite build --logLevel warn
exec "$binary" . "$@"
