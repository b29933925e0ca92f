#!/usr/bin/env bash
# Source after ensure-node.sh: installs node_modules from the lockfile when they are
# missing or older than package-lock.json. The Electron binary is not downloaded here
# (it comes from GitHub releases); see README for getting it.
_rb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -d "$_rb_root/node_modules" ] || [ "$_rb_root/package-lock.json" -nt "$_rb_root/node_modules/.package-lock.json" ]; then
  echo "ensure-deps: installing dependencies from package-lock.json (npm ci)" >&2
  (cd "$_rb_root" && ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund) || { echo "ensure-deps: npm ci failed" >&2; return 1 2>/dev/null || exit 1; }
fi
