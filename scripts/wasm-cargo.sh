# Sourced by scripts/build-package.sh and scripts/size-report.sh: `wasm_cargo TARGET_DIR [CARGO ARGS...]`
# builds the library for wasm32-unknown-unknown (release) with the toolchain the package is built with,
# and `$wasm_toolchain` says which (issue 16, docs/decisions.md).
#
# The package is built with stable Rust. With PRECLAIM_WASM_NIGHTLY=1 and a nightly toolchain that has
# rust-src (`rustup component add rust-src --toolchain nightly`; scripts/setup.sh tries to add it), the
# standard library is rebuilt with the crate's size profile and panics become an immediate trap
# (`-Z build-std`, `-C panic=immediate-abort`): 14 KB gzipped smaller, but a check in Node about 40 %
# slower (sample A 254 vs 178 µs, 7 December), so it is not the default (docs/decisions.md).
wasm_nightly() {
  [ -n "${PRECLAIM_WASM_NIGHTLY:-}" ] &&
    cargo +nightly --version >/dev/null 2>&1 &&
    rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^rust-src'
}
if wasm_nightly; then
  wasm_toolchain="$(rustc +nightly --version) with -Z build-std, -C panic=immediate-abort"
else
  wasm_toolchain="$(rustc --version) (stable; PRECLAIM_WASM_NIGHTLY=1 builds with nightly -Z build-std: smaller, slower)"
fi

wasm_cargo() {
  local tdir="$1"; shift
  if wasm_nightly; then
    if RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" cargo +nightly build -Z build-std=std,panic_abort \
      --lib --release --target wasm32-unknown-unknown --quiet --target-dir "$tdir-nightly" "$@"; then
      mkdir -p "$tdir/wasm32-unknown-unknown/release"
      cp "$tdir-nightly/wasm32-unknown-unknown/release/preclaim.wasm" "$tdir/wasm32-unknown-unknown/release/preclaim.wasm"
      return 0
    fi
    # A nightly that no longer takes these flags must not stop the build: the stable build is the same code.
    echo "WARNING: the nightly wasm build failed; building with stable Rust instead (a few KB bigger)" >&2
    wasm_toolchain="$(rustc --version) (stable: the nightly build failed)"
  fi
  cargo build --lib --release --target wasm32-unknown-unknown --quiet --target-dir "$tdir" "$@"
}
