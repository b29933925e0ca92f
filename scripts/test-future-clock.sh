#!/usr/bin/env bash
# npm run test:future-clock: the Node-only suites that handle dates (sandbox forges and seeds,
# tokens, sign-in) with the system clock 400 days ahead, under libfaketime. Nothing in them may
# carry a calendar date that one day passes; this is how CI proves it. Needs the Debian package
# `faketime` (installed here when running as root).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh || exit 1
source scripts/ensure-deps.sh || exit 1

if ! command -v faketime >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "future clock: installing Debian's faketime package" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; } ||
      { echo "future clock: apt-get install faketime failed" >&2; exit 1; }
  else
    echo "future clock: faketime is missing; install it (Debian/Ubuntu: sudo apt-get install faketime)" >&2
    exit 1
  fi
fi

# src-main/forges: the token inspectors and the OAuth clients live there since #16
SUITES=(
  test/sandbox/forge test/sandbox/gitlab test/sandbox/seeds
  src-main/tokens src-main/auth src-main/forges
  test/integration/tokens.test.ts test/integration/gitlab-tokens.test.ts
  test/integration/auth-sign-in.test.ts test/integration/gitlab-sign-in.test.ts
)
# Only the wall clock moves: monotonic clocks (timers, timeouts) keep their real pace.
export FAKETIME_DONT_FAKE_MONOTONIC=1
faked=$(faketime -f +400d node -e 'process.stdout.write(new Date().toISOString())')
echo "future clock: running ${SUITES[*]} with the system clock at $faked (real: $(date -u +%Y-%m-%dT%H:%M:%SZ), +400 days)"
if [ "${faked:0:4}" = "$(date -u +%Y)" ]; then
  echo "future clock: faketime did not move Node's clock; the check would prove nothing" >&2
  exit 1
fi
mkdir -p artifacts/reports
report=artifacts/reports/vitest-future-clock.json
rm -f "$report"
faketime -f +400d npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "${SUITES[@]}"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`future clock (+400 days): ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" 2>/dev/null || echo "future clock (+400 days): vitest produced no report"
exit $status
