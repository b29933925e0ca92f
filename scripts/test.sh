#!/usr/bin/env bash
# The test command (npm test): sets up what it needs, then typecheck, lint, format check, build, unit and
# integration tests (vitest), end-to-end tests (Playwright: Chromium on the preview harness,
# Electron where a binary exists), and prints one summary line.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/ensure-node.sh || exit 1
source scripts/ensure-deps.sh || exit 1
source scripts/ensure-chromium.sh || exit 1
mkdir -p artifacts/reports artifacts/screenshots

step() { printf '\n=== %s\n' "$1"; }
failed_steps=()

# Stale reports must not be summarised as this run's results.
rm -f artifacts/reports/vitest.json artifacts/reports/playwright.json

step "typecheck"
bash scripts/typecheck.sh || failed_steps+=(typecheck)
step "lint"
npx eslint . || failed_steps+=(lint)
step "format (Prettier; npm run format fixes it)"
npx prettier --check --log-level warn "**/*.{ts,tsx,mjs,js,cjs,css}" || failed_steps+=(format)
step "build"
# always a fresh build here; the stamp lets preview, bench and the reliability report reuse it
{ npx electron-vite build --logLevel warn && touch out/.built-from-sources; } || failed_steps+=(build)
step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/reports/vitest.json || failed_steps+=(vitest)
step "end-to-end tests (Playwright)"
PLAYWRIGHT_JSON_OUTPUT_NAME=artifacts/reports/playwright.json npx playwright test --reporter=list,json || failed_steps+=(playwright)

step "summary"
rm -f artifacts/reports/.keep
node scripts/summarize-tests.mjs artifacts/reports/vitest.json artifacts/reports/playwright.json
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  exit 1
fi
