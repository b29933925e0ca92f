#!/usr/bin/env bash
# Runs a command with Node >= 22.19 first on PATH (installing Node 24 from the npm registry
# into .tools/ when the system Node is older) and the locked dependencies installed (npm ci
# when node_modules is missing or stale). Used by every package.json script, so each works on
# a fresh clone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"
source "$(dirname "${BASH_SOURCE[0]}")/ensure-deps.sh"
exec "$@"
