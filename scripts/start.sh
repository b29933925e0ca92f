#!/usr/bin/env bash
# npm start: builds and runs the desktop app, fetching the Electron binary on first run where
# the network allows (scripts/ensure-electron.sh says how to provide one otherwise).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
source scripts/ensure-electron.sh || exit 1
npx electron-vite build --logLevel warn
exec "$ELECTRON_BINARY" . "$@"
