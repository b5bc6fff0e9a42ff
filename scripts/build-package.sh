#!/usr/bin/env bash
# Builds the npm package into pkg/: the core for wasm32, wasm-bindgen's web glue, wasm-opt -Oz (binaryen
# from npm, a current wasm-opt), then the hand-written JS entries, types, README and package.json.
# Prints the sizes (raw and gzipped) of what ships.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
out=pkg
wasm_opt=node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "build-package: $wasm_opt is missing (run make setup)" >&2; exit 1; }

echo "==> cargo build (wasm32, release)"
cargo build --lib --release --target wasm32-unknown-unknown --quiet
rm -rf "$out" && mkdir -p "$out"
echo "==> wasm-bindgen (web target)"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name preclaim \
  target/wasm32-unknown-unknown/release/preclaim.wasm
echo "==> wasm-opt -Oz"
"$wasm_opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  "$out/preclaim_bg.wasm" -o "$out/preclaim_bg.opt.wasm"
mv "$out/preclaim_bg.opt.wasm" "$out/preclaim_bg.wasm"
cp npm/index.js npm/node.js npm/index.d.ts npm/claim.d.ts docs/claim.schema.json npm/preclaim_bg.wasm.d.ts npm/README.md LICENSE "$out/"
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" npm/package.json > "$out/package.json"

gz() { gzip -9 -c "$1" | wc -c; }
wasm_raw=$(wc -c < "$out/preclaim_bg.wasm"); wasm_gz=$(gz "$out/preclaim_bg.wasm")
js_raw=$(cat "$out/preclaim.js" "$out/index.js" | wc -c); js_gz=$(cat "$out/preclaim.js" "$out/index.js" | gzip -9 | wc -c)
echo "==> pkg/ (preclaim $version)"
printf '  %-28s %9s bytes  %8s gzipped\n' "preclaim_bg.wasm" "$wasm_raw" "$wasm_gz"
printf '  %-28s %9s bytes  %8s gzipped\n' "JS (glue + API)" "$js_raw" "$js_gz"
printf '  %-28s %9s bytes  %8s gzipped  (budget 150000 gzipped)\n' "total shipped to a browser" "$((wasm_raw + js_raw))" "$((wasm_gz + js_gz))"
