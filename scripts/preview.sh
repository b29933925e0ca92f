#!/usr/bin/env bash
# npm run preview -- [--port N] [--ready-file F] (--seed NAME | --use-my-kubeconfig): builds the app if
# needed and serves
# the UI in a browser, driven by the main-process services running in Node.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
source scripts/ensure-build.sh
exec node_modules/.bin/tsx test/harness/preview.ts "$@"
