# Sourced by scripts/build-package.sh and scripts/size-report.sh: `wasm_cargo TARGET_DIR [CARGO ARGS...]`
# builds the library for wasm32-unknown-unknown (release) with the toolchain the package is built with,
# and `$wasm_toolchain` says which (issue 16, docs/decisions.md).
#
# With a nightly toolchain that has rust-src (`rustup component add rust-src --toolchain nightly`;
# scripts/setup.sh adds it), the standard library is rebuilt with the crate's size profile and panics
# become an immediate trap (`-Z build-std`, `-C panic=immediate-abort`): no panic message formatting and no
# unwinding code ship. Library code has no panics (clippy denies them), so this changes no behaviour.
# Without it (or with PRECLAIM_WASM_STABLE=1), stable Rust builds the same code a few KB bigger.
wasm_nightly() {
  [ -z "${PRECLAIM_WASM_STABLE:-}" ] &&
    cargo +nightly --version >/dev/null 2>&1 &&
    rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^rust-src'
}
if wasm_nightly; then
  wasm_toolchain="$(rustc +nightly --version) with -Z build-std, -C panic=immediate-abort"
else
  wasm_toolchain="$(rustc --version) (stable: no nightly with rust-src; panic messages and their formatting ship)"
fi

wasm_cargo() {
  local tdir="$1"; shift
  if wasm_nightly; then
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" cargo +nightly build -Z build-std=std,panic_abort \
      --lib --release --target wasm32-unknown-unknown --quiet --target-dir "$tdir-nightly" "$@"
    mkdir -p "$tdir/wasm32-unknown-unknown/release"
    cp "$tdir-nightly/wasm32-unknown-unknown/release/preclaim.wasm" "$tdir/wasm32-unknown-unknown/release/preclaim.wasm"
  else
    cargo build --lib --release --target wasm32-unknown-unknown --quiet --target-dir "$tdir" "$@"
  fi
}
