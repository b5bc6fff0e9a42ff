#!/usr/bin/env bash
# Browser and cross-target tests of the WebAssembly build (run `bash scripts/build-package.sh` first so
# pkg/ exists). Three parts, one summary line each; exits non-zero on any failure.
#   1. wasm-bindgen-test in headless Chromium (tests/wasm_browser.rs): the core's Rust API and the
#      #[wasm_bindgen] API compiled to wasm32 give exactly the native CLI's snapshot bytes.
#   2. www-test/run.mjs: pkg/ in Node (pkg/node.js) and in a strict-CSP page in Chromium (pkg/index.js)
#      gives byte-identical reports to tests/snapshots/; screenshot in test-artifacts/csp-page.png.
#   3. www-test/run.mjs: WebAssembly memory does not grow over 100,000 checkJson calls (Node, Chromium).
# Chromium flags for part 1 are in webdriver.json (crate root); for parts 2 and 3 in www-test/run.mjs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json"
# A generous limit: the first start of Chromium on a cold machine can be slow.
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

die() { echo "test-browser: $*" >&2; exit 1; }
[ -f pkg/preclaim_bg.wasm ] && [ -f pkg/index.js ] && [ -f pkg/node.js ] \
  || die "pkg/ is missing or incomplete: run 'bash scripts/build-package.sh' first"
for tool in wasm-bindgen-test-runner node; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (run make setup)"
done
[ -x "$CHROMEDRIVER" ] || die "chromedriver not found at $CHROMEDRIVER (apt-get install chromium-driver)"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium not found (apt-get install chromium)"
[ -d node_modules/playwright-core ] || die "node_modules/playwright-core is missing (npm ci)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "==> [1/3] wasm-bindgen-test in headless Chromium (tests/wasm_browser.rs)"
if ! cargo test --target wasm32-unknown-unknown --test wasm_browser >"$log" 2>&1; then
  cat "$log"
  die "[1/3] wasm-bindgen-test in headless Chromium FAILED"
fi
grep -E '^(Running headless tests|test )' "$log" || true
result=$(grep -E '^test result: ok\. [0-9]+ passed' "$log" | tail -n 1 || true)
passed=$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' <<<"$result")
[ -n "$passed" ] && [ "$passed" -gt 0 ] || { cat "$log"; die "[1/3] wasm-bindgen-test ran no test"; }
summary1="[1/3] wasm-bindgen-test in headless Chromium: $passed passed, 0 failed (core Rust API + WasmChecker/WasmSession on wasm32 = native CLI snapshots)"
echo "$summary1"

echo "==> [2/3] + [3/3] Node and a strict-CSP page in Chromium (www-test/run.mjs)"
node www-test/run.mjs || die "[2/3]/[3/3] www-test/run.mjs FAILED"

echo "==> test-browser: all three parts passed"
