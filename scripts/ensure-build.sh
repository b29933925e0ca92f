#!/usr/bin/env bash
# Source after ensure-deps.sh: builds the app (out/) when it is missing or older than any of
# its sources, so commands that load the built renderer (preview, bench, the reliability
# report) work on a fresh clone and never run yesterday's build.
_rb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_rb_stamp="$_rb_root/out/.built-from-sources"
if [ ! -f "$_rb_stamp" ] || [ ! -f "$_rb_root/out/renderer/index.html" ] || [ -n "$(cd "$_rb_root" && find src-main src-renderer assets electron.vite.config.ts package-lock.json tsconfig.base.json tsconfig.node.json tsconfig.web.json -newer "$_rb_stamp" -print -quit 2>/dev/null)" ]; then
  echo "ensure-build: building the app into out/ (missing or older than its sources)" >&2
  (cd "$_rb_root" && npx electron-vite build --logLevel warn >&2) || { echo "ensure-build: the build failed; run npm run build to see why" >&2; return 1 2>/dev/null || exit 1; }
  touch "$_rb_stamp"
fi
