#!/usr/bin/env bash
# Size report of the npm package (issues #8, #16): raw and gzipped bytes of each entry's .wasm and JS, as
# shipped in pkg/ (built by scripts/build-package.sh; this script builds it when it is missing), then
# what a minimal Vite app ships, then each entry's module built alone (core, finder, photo, catalog) and
# the core without signatures (cargo features), then the biggest contributors of the default build and of the core.
#
# The contributors come from a copy of the shipped build that keeps the WebAssembly names section
# (wasm-opt -Oz -g into target/size-report/, the shipped pkg/ is not touched): `twiggy top` when twiggy
# is installed (`cargo install twiggy`), and always a breakdown by Rust module from the names section
# (scripts/size-report.mjs: code bytes per function, summed by module path; data segments as one line).
#
#   bash scripts/size-report.sh              full report (builds seven wasm32 variants: slow)
#   PRECLAIM_BENCH_SMOKE=1 bash scripts/...  only what pkg/ already has (no builds, no variants)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
smoke="${PRECLAIM_BENCH_SMOKE:-}"
out=target/size-report
wasm_opt=node_modules/.bin/wasm-opt
opt_flags=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)

gz() { cat "$@" | gzip -9 | wc -c; }
row() { printf '  %-44s %9s bytes %9s gzipped\n' "$1" "$2" "$3"; }
# shellcheck source=scripts/wasm-cargo.sh
. scripts/wasm-cargo.sh
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

if [ ! -f pkg/preclaim_bg.wasm ]; then
  [ -n "$smoke" ] && { echo "size-report (smoke): pkg/ is missing; nothing to measure"; exit 0; }
  bash scripts/build-package.sh >/dev/null
fi

echo "==> shipped: pkg/ (wasm-opt -Oz, names stripped), per entry"
for f in preclaim_bg.wasm preclaim.js index.js shared.js checker-shared.js node.js preclaim_compiler_bg.wasm preclaim_compiler.js compiler.js \
  preclaim_finder_bg.wasm preclaim_finder.js finder.js \
  preclaim_photo_bg.wasm preclaim_photo.js photo.js preclaim_catalog_bg.wasm preclaim_catalog.js catalog.js; do
  [ -f "pkg/$f" ] && row "pkg/$f" "$(wc -c <"pkg/$f")" "$(gz "pkg/$f")"
done
# What `import { Checker } from 'preclaim'` loads in a browser: its .wasm, the glue, index.js and the two
# shared modules.
core=(pkg/preclaim_bg.wasm pkg/preclaim.js pkg/index.js pkg/shared.js pkg/checker-shared.js)
total_gz=0
for f in "${core[@]}"; do total_gz=$((total_gz + $(gz "$f"))); done
row "preclaim (core: .wasm + glue + index.js + shared JS)" "$(cat "${core[@]}" | wc -c)" "$total_gz"
for e in compiler finder photo catalog; do
  files=("pkg/preclaim_${e}_bg.wasm" "pkg/preclaim_${e}.js" "pkg/$e.js")
  g=0; for f in "${files[@]}"; do g=$((g + $(gz "$f"))); done
  row "preclaim/$e (loaded only when imported)" "$(cat "${files[@]}" | wc -c)" "$g"
done
if [ "$total_gz" -le 150000 ]; then
  echo "  core goal 150 KB gzipped: met ($(kb "$total_gz"))"
else
  echo "  core goal 150 KB gzipped: NOT met, $(kb "$total_gz") is $(kb $((total_gz - 150000))) over ($(( (total_gz - 150000) * 100 / 150000 )) %)"
fi

# What an app ships: examples/vite-ts (main thread + a module Web Worker) built by `vite build` from the
# `npm pack` tarball (scripts/test-examples.sh --build-only; skipped in smoke runs).
if [ -z "$smoke" ]; then
  bash scripts/test-examples.sh --build-only >/dev/null
  echo "==> a minimal Vite + TypeScript app (examples/vite-ts: main thread and a Web Worker), vite build output"
  dist=target/examples/vite-ts/dist
  for f in $(cd "$dist" && find . -type f | sort); do row "${f#./}" "$(wc -c <"$dist/$f")" "$(gz "$dist/$f")"; done
  all=$(find "$dist" -type f | sort)
  # shellcheck disable=SC2086
  row "total (index.html, JS, .wasm)" "$(cat $all | wc -c)" "$(for f in $all; do gz "$f"; done | awk '{ s += $1 } END { print s }')"
fi

# One wasm32 build with the package's toolchain (scripts/wasm-cargo.sh), its size shipped and its names kept.
variant() {
  local name="$1"; shift
  local dir="$out/$name" tdir="$out/target-$name"
  mkdir -p "$dir"
  wasm_cargo "$tdir" "$@"
  wasm-bindgen --target web --no-typescript --out-dir "$dir" --out-name preclaim \
    "$tdir/wasm32-unknown-unknown/release/preclaim.wasm"
  "$wasm_opt" -Oz -g "${opt_flags[@]}" "$dir/preclaim_bg.wasm" -o "$dir/named.wasm"
  "$wasm_opt" -Oz --strip-debug --strip-producers "${opt_flags[@]}" "$dir/preclaim_bg.wasm" -o "$dir/stripped.wasm"
  local w wg j jg
  w=$(wc -c <"$dir/stripped.wasm"); wg=$(gz "$dir/stripped.wasm")
  j=$(cat "$dir/preclaim.js" npm/index.js | wc -c); jg=$(gz "$dir/preclaim.js" npm/index.js)
  printf '  %-30s wasm %7s B %7s B gz   JS %6s B %6s B gz   total %7s B gz\n' "$name" "$w" "$wg" "$j" "$jg" "$((wg + jg))"
}

if [ -n "$smoke" ]; then
  echo "==> variants and breakdown: skipped (PRECLAIM_BENCH_SMOKE=1)"
  exit 0
fi

echo "==> variants (wasm32 release, wasm-bindgen, wasm-opt -Oz, stripped; JS = glue + npm/index.js)"
echo "  built with $wasm_toolchain"
variant "default features"
# The entries as shipped (issue 16): the core (the checker over compiled packs), the compiler (JSON packs,
# signatures, JSONLogic compile), the finder's module (a checker + the finder), the photo checks and the
# catalog API as modules of their own (cargo feature `checker` off: only their exports); and what the core
# would weigh with the compiler in it (as it was before 7 December, late).
variant "core (as shipped)" --no-default-features --features checker
variant "compiler module" --no-default-features --features compiler,signatures
variant "finder module" --no-default-features --features checker,finder
variant "core with the compiler" --no-default-features --features checker,compiler,signatures
variant "photo module alone" --no-default-features --features photo
variant "catalog module alone" --no-default-features --features catalog

echo "==> biggest contributors (default features, wasm-opt -Oz -g: names kept, not shipped)"
named="$out/default features/named.wasm"
if command -v twiggy >/dev/null; then
  echo "  twiggy top -n 25 ($(twiggy --version 2>/dev/null || echo twiggy)):"
  twiggy top -n 25 "$named" | sed 's/^/  /'
else
  echo "  twiggy is not installed (cargo install twiggy): breakdown from the names section only"
fi
node scripts/size-report.mjs "$named"
echo "==> biggest contributors of the core (no photo, no catalog)"
node scripts/size-report.mjs "$out/core (as shipped)/named.wasm"
