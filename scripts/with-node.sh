#!/usr/bin/env bash
# Runs a command with Node >= 22.19 first on PATH (installing Node 24 from the npm registry
# into .tools/ when the system Node is older). Used by every package.json script.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-node.sh"
exec "$@"
