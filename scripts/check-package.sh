#!/usr/bin/env bash
# The built npm package (pkg/, from scripts/build-package.sh) under the ecosystem's checkers, as a user's
# tools would see it: publint --strict, @arethetypeswrong/cli on the `npm pack` tarball, `npm publish
# --dry-run`, require() of the ESM package in Node (>= 20.19), and tsc with `lib: ["ES2022"]` alone.
#
# attw runs with one rule ignored, cjs-resolves-to-esm: the package is ESM only on purpose and its
# `engines` say node >= 20.19, where require() of an ES module without top-level await works (checked
# below); attw still checks every entry point under every resolution mode.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=node_modules/.bin
[ -f pkg/package.json ] || { echo "check-package: pkg/ is missing (bash scripts/build-package.sh)" >&2; exit 1; }

echo "==> publint --strict pkg/"
"$bin/publint" --strict pkg
echo "==> attw --pack pkg/ (ESM only: --ignore-rules cjs-resolves-to-esm)"
"$bin/attw" --pack pkg --ignore-rules cjs-resolves-to-esm --format table-flipped
echo "==> npm publish --dry-run"
(cd pkg && npm publish --dry-run --ignore-scripts 2>&1 | grep -E "^npm notice (name|version|package size|unpacked size|total files)|^\+ ")
echo "==> require('preclaim') from CommonJS (Node $(node --version), require(esm))"
ln -sfn ../pkg node_modules/preclaim
node --input-type=commonjs -e "const { Checker, version } = require('preclaim');
if (new Checker().packs().length !== 6) throw new Error('require(preclaim) did not give the default packs');
console.log('  require works: preclaim', version());"
echo "==> tsc: the declarations with lib ES2022 alone (no DOM), exact Claim, typed session paths"
"$bin/tsc" -p tests/npm/tsconfig.es2022.json
echo "  ok"
