#!/usr/bin/env bash
# Browser tests of the demo portal (www/tests/): starts scripts/serve-demo.mjs on a free port and drives
# Debian's Chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core; axe-core audits the page.
# Screenshots are written to test-artifacts/ (UPDATE_SCREENSHOTS=1 also refreshes docs/portal.png, the
# README's). Exits non-zero on any failure.
# PRECLAIM_SKIP_BROWSER=1 skips (loudly) when there is no Chromium on purpose.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ "${PRECLAIM_SKIP_BROWSER:-}" = 1 ]; then
    echo "WARNING: SKIPPING the portal's browser tests: no Chromium at $chromium (PRECLAIM_SKIP_BROWSER=1)"
    exit 0
  fi
  echo "test-www: no Chromium at $chromium (run make setup, or set CHROMIUM=/path/to/chromium)" >&2
  exit 1
fi
for dep in playwright-core axe-core; do
  [ -d "node_modules/$dep" ] || { echo "test-www: node_modules/$dep is missing (run npm ci)" >&2; exit 1; }
done
if [ ! -f pkg/index.js ] || [ ! -f pkg/preclaim_bg.wasm ]; then
  echo "==> pkg/ is missing: building the npm package first"
  bash scripts/build-package.sh
fi
if [ ! -f target/catalogs/diagnosis-sample.bin ] || [ ! -f target/catalogs/drugs-sample.bin ]; then
  echo "==> target/catalogs/ is missing: building the catalogs first (the diagnosis autocomplete tests need them)"
  bash scripts/build-catalogs.sh
fi
[ -d "${PRECLAIM_SHARED:-../shared}" ] || \
  echo "WARNING: PRECLAIM_SHARED=${PRECLAIM_SHARED:-../shared} does not exist: the sample A test will be SKIPPED"

mkdir -p test-artifacts
export CHROMIUM="$chromium"
exec timeout 360 node --test --test-concurrency=1 --test-reporter=spec www/tests/
