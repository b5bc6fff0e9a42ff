#!/usr/bin/env bash
# The recipes of examples/ (node-esm, vite-ts, webpack, no-bundler), each built as a user would from the
# `npm pack` tarball of pkg/: the tarball is unpacked into a copy of the recipe's node_modules/preclaim
# under target/examples/ (the tools — vite, webpack, typescript — resolve from the repository's
# node_modules). Then Node runs node-esm, tsc + vite build the Vite app, webpack builds (a warning fails
# the step), and tests/examples.test.mjs drives the built pages in headless Chromium under a strict CSP,
# the Vite dev server too, and compares every report with the one Node gives.
#
#   bash scripts/test-examples.sh               everything
#   bash scripts/test-examples.sh --build-only  the builds only (make size measures the Vite app's output)
set -euo pipefail
build_only=; [ "${1:-}" = --build-only ] && build_only=1
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=$PWD/node_modules/.bin
[ -f pkg/package.json ] || bash scripts/build-package.sh
work=target/examples
rm -rf "$work" && mkdir -p "$work"
tarball=$(cd pkg && npm pack --silent --pack-destination "../$work" | tail -n 1)
echo "==> examples from the npm pack tarball ($tarball, $(wc -c <"$work/$tarball") bytes)"
for ex in node-esm vite-ts webpack no-bundler; do
  cp -r "examples/$ex" "$work/$ex"
  mkdir -p "$work/$ex/node_modules/preclaim"
  tar -xzf "$work/$tarball" -C "$work/$ex/node_modules/preclaim" --strip-components=1
done

echo "==> node-esm: node check.mjs claim.json"
(cd "$work/node-esm" && node check.mjs claim.json >report.json && head -c 120 report.json && echo " ...")

echo "==> vite-ts: tsc --noEmit && vite build"
(cd "$work/vite-ts" && "$bin/tsc" -p tsconfig.json && "$bin/vite" build --logLevel warn)

echo "==> webpack: webpack (production; any warning fails)"
(cd "$work/webpack" && "$bin/webpack" --config webpack.config.js --no-color >build.log 2>&1) || { cat "$work/webpack/build.log"; exit 1; }
if grep -qi "warning" "$work/webpack/build.log"; then cat "$work/webpack/build.log"; echo "webpack warned" >&2; exit 1; fi
grep -E "^asset " "$work/webpack/build.log" | sed 's/^/  /'

[ -n "$build_only" ] && exit 0
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ] && [ "${PRECLAIM_SKIP_BROWSER:-}" = 1 ]; then
  echo "WARNING: SKIPPING the recipes' browser tests: no Chromium at $chromium (PRECLAIM_SKIP_BROWSER=1)"
  exit 0
fi
echo "==> headless Chromium: the built pages (strict CSP), the Vite dev server, the Web Worker"
node --test tests/examples.test.mjs
