#!/usr/bin/env bash
# Strict typecheck of every part with its own environment: Node (main, sandbox, tests),
# DOM (renderer + shared common), and browser-facing tests (DOM + Node).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
for project in tsconfig.node.json tsconfig.web.json tsconfig.browser-tests.json; do
  npx tsc -p "$project" --pretty false || status=1
done
exit $status
