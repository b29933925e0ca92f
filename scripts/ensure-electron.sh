#!/usr/bin/env bash
# Source after ensure-deps.sh: sets ELECTRON_BINARY. Electron 45's npm package does not fetch
# its binary on install, so the first run fetches it (Electron's own install.js, from GitHub
# releases) where the network allows; otherwise it prints, once, how to provide one and fails.
if ! ELECTRON_BINARY=$(node scripts/electron-binary.mjs --quiet); then
  if [ -z "${ELECTRON_OVERRIDE_DIST_PATH:-}" ]; then
    echo "Release Board: fetching the Electron binary (first run)…" >&2
    node node_modules/electron/install.js >/dev/null 2>&1 || true
  fi
  # The path, or the one explanation of how to provide a binary.
  ELECTRON_BINARY=$(node scripts/electron-binary.mjs) || { return 1 2>/dev/null || exit 1; }
fi
export ELECTRON_BINARY
