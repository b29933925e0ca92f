#!/usr/bin/env bash
# Source: makes sure a Chromium for the browser tests exists (Debian's package; Playwright's
# own browser download is never used). Installs it with apt when running as root.
_rb_chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$_rb_chromium" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: installing Debian's chromium package" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; } ||
      { echo "ensure-chromium: apt-get install chromium failed" >&2; return 1 2>/dev/null || exit 1; }
  else
    echo "ensure-chromium: no Chromium at $_rb_chromium. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
    return 1 2>/dev/null || exit 1
  fi
fi
export CHROMIUM_PATH="$_rb_chromium"
