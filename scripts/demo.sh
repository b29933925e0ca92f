#!/usr/bin/env bash
# npm run demo: the sandbox (clusters, forge, Flux simulator) plus the desktop app pointed at
# it through KUBECONFIG, in one command. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh
source scripts/ensure-deps.sh
# ensure-electron.sh fetches the binary where it can, else explains once how to provide it
if ! source scripts/ensure-electron.sh; then
  echo "For the same demo in a browser: npm run preview -- --seed demo" >&2
  exit 1
fi
ready=$(mktemp)
rm -f "$ready"
node_modules/.bin/tsx test/sandbox/cli.ts --seed "${DEMO_SEED:-demo}" --ready-file "$ready" >/dev/null &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null; wait $sandbox_pid 2>/dev/null; rm -f "$ready"' EXIT
for _ in $(seq 1 300); do [ -s "$ready" ] && break; kill -0 $sandbox_pid 2>/dev/null || { echo "demo: the sandbox failed to start" >&2; exit 1; }; sleep 0.1; done
[ -s "$ready" ] || { echo "demo: the sandbox did not become ready in 30 s" >&2; exit 1; }
KUBECONFIG=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).kubeconfig)' "$ready")
export KUBECONFIG
# the sandbox's GitHub and GitLab look-alikes as configured Git hosts, so sign-in and promotion work
RELEASE_BOARD_FORGE_HOSTS=$(node_modules/.bin/tsx test/harness/forge-hosts-env.ts "$ready")
export RELEASE_BOARD_FORGE_HOSTS
echo "demo: sandbox ready (KUBECONFIG=$KUBECONFIG); starting Release Board" >&2
bash scripts/start.sh
