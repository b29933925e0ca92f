#!/usr/bin/env bash
# Runs a command once the app is built and current (see ensure-build.sh). Used by package.json
# scripts that load the built renderer, after with-node.sh has provided Node and dependencies.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-build.sh"
exec "$@"
