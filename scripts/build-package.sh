#!/usr/bin/env bash
# Builds the npm package into pkg/: five wasm32 modules (the core, the compiler, the claim finder, the photo
# checks, the catalog API),
# each with wasm-bindgen's web glue and wasm-opt -Oz (binaryen from npm, a current wasm-opt), then the
# hand-written JS entries, types, README and package.json.
# Prints the sizes (raw and gzipped) of what ships.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
out=pkg
wasm_opt=node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "build-package: $wasm_opt is missing (run make setup)" >&2; exit 1; }

# shellcheck source=scripts/wasm-cargo.sh
. scripts/wasm-cargo.sh
echo "==> toolchain: $wasm_toolchain"

rm -rf "$out" && mkdir -p "$out"
# Five WebAssembly modules, each fetched only by the entry that needs it: the core (`preclaim`: the
# checker and sessions over compiled packs), the pack and rule compiler (`preclaim/compiler`: JSON packs,
# signatures, JSONLogic `compile`), the claim finder (`preclaim/finder`: the finder with a checker of its
# own), the photo checks (`preclaim/photo`) and the catalog API (`preclaim/catalog`). Each has its own target directory, so rebuilding one keeps the others' cache.
module() {
  local name="$1" features="$2" tdir="target/wasm-$1"
  echo "==> cargo build (wasm32, release) --features $features → $name"
  wasm_cargo "$tdir" --no-default-features --features "$features"
  wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name "$name" \
    "$tdir/wasm32-unknown-unknown/release/preclaim.wasm"
  "$wasm_opt" -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm"
  mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
}
module preclaim checker
module preclaim_compiler compiler,signatures
module preclaim_finder checker,finder
module preclaim_photo photo
module preclaim_catalog catalog
cp npm/index.js npm/node.js npm/index.d.ts npm/shared.js npm/checker-shared.js npm/finder.js npm/finder.node.js npm/finder.d.ts npm/compiler.js npm/compiler.node.js npm/compiler.d.ts npm/photo.js npm/photo.node.js npm/photo.d.ts npm/catalog.js npm/catalog.node.js \
  npm/catalog.d.ts npm/claim.d.ts docs/claim.schema.json npm/README.md LICENSE "$out/"
for w in preclaim preclaim_finder preclaim_compiler preclaim_photo preclaim_catalog; do cp npm/preclaim_bg.wasm.d.ts "$out/${w}_bg.wasm.d.ts"; done
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" npm/package.json > "$out/package.json"

gz() { cat "$@" | gzip -9 | wc -c; }
row() { printf '  %-52s %9s bytes  %8s gzipped\n' "$1" "$2" "$3"; }
echo "==> pkg/ (preclaim $version): what each entry loads"
core_raw=$(cat "$out/preclaim_bg.wasm" "$out/preclaim.js" "$out/index.js" | wc -c)
core_gz=$(( $(gz "$out/preclaim_bg.wasm") + $(gz "$out/preclaim.js" "$out/index.js") ))
row "preclaim (.wasm + glue + index.js)" "$core_raw" "$core_gz"
for e in compiler finder photo catalog; do
  raw=$(cat "$out/preclaim_${e}_bg.wasm" "$out/preclaim_${e}.js" "$out/$e.js" | wc -c)
  g=$(( $(gz "$out/preclaim_${e}_bg.wasm") + $(gz "$out/preclaim_${e}.js" "$out/$e.js") ))
  row "preclaim/$e (its own .wasm + glue + $e.js)" "$raw" "$g"
done
echo "  built with $wasm_toolchain"
echo "  core budget 150000 gzipped: $([ "$core_gz" -le 150000 ] && echo met || echo "NOT met ($core_gz)")"
