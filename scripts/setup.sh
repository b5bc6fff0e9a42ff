#!/usr/bin/env bash
# Bring this machine (Debian 12, rustup stable + nightly, Node 20 / npm 11, root) up to
# what `make test` and `make demo` need. Idempotent: on a machine that already has
# everything it installs nothing, prints one "ok: ..." line per tool and takes a
# second or two. Anything it has to install is announced with "installing: ...".
#
# Environment:
#   PRECLAIM_SKIP_BROWSER=1   do not install Debian's chromium / chromium-driver
#
# Toolchain notes (see ../shared/design/architecture.md, "Toolchain facts"):
#   - wasm-bindgen-cli must match the `wasm-bindgen = "=X.Y.Z"` pin in Cargo.toml exactly;
#     it is installed WITHOUT --locked (a locked dependency is missing from the registry here).
#   - No tool can download its own browser here; Debian's chromium is the browser.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# rustup installs cargo binaries here; make sure a fresh shell finds them.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

ok() { echo "ok: $*"; }
installing() { echo "installing: $*"; }

# --- Rust target for WebAssembly ---------------------------------------------------------
if rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
    ok "rust target wasm32-unknown-unknown"
else
    installing "rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
fi

# --- cargo components on stable ----------------------------------------------------------
installed_components="$(rustup component list --installed --toolchain stable)"
for comp in clippy rustfmt; do
    if grep -q "^${comp}\(-\|$\)" <<<"$installed_components"; then
        ok "rustup component $comp (stable)"
    else
        installing "rustup component $comp (stable)"
        rustup component add --toolchain stable "$comp"
    fi
done

# --- nightly with rust-src: the npm package's wasm32 builds (scripts/wasm-cargo.sh) ------------
# rebuild std for size with panics as traps; without it they fall back to stable, a few KB bigger.
if rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^rust-src'; then
    ok "rustup toolchain nightly with rust-src"
else
    installing "rustup toolchain nightly with rust-src (optional: the package builds on stable without it)"
    rustup toolchain install nightly --profile minimal --component rust-src ||
        echo "warning: no nightly with rust-src; the npm package will be built with stable Rust" >&2
fi

# --- wasm-bindgen-cli, exactly the version pinned in Cargo.toml ---------------------------
WB_VERSION="$(sed -n 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*"=\([0-9][0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
if [[ -z "$WB_VERSION" ]]; then
    echo "error: no line 'wasm-bindgen = \"=X.Y.Z\"' in Cargo.toml; cannot pick a wasm-bindgen-cli version" >&2
    exit 1
fi
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have_wb" == "$WB_VERSION" ]]; then
    ok "wasm-bindgen-cli $WB_VERSION"
else
    installing "wasm-bindgen-cli $WB_VERSION (found: ${have_wb:-none}; takes about 2 minutes)"
    # No --locked: one of the CLI's locked dependencies is not in the registry here.
    cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

# --- Debian chromium + chromedriver for browser tests -------------------------------------
if [[ "${PRECLAIM_SKIP_BROWSER:-0}" == "1" ]]; then
    ok "chromium/chromedriver skipped (PRECLAIM_SKIP_BROWSER=1)"
elif [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver && -d /usr/share/fonts/truetype/wqy ]]; then
    ok "chromium + chromedriver (/usr/bin/chromium, /usr/bin/chromedriver), CJK font"
else
    installing "chromium chromium-driver fonts-wqy-microhei (apt-get)"
    SUDO=""
    if [[ "$(id -u)" != "0" ]]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-wqy-microhei
fi

# --- npm packages (only once the repo has a package.json) ---------------------------------
if [[ ! -f package.json ]]; then
    ok "npm packages (no package.json yet; nothing to install)"
elif [[ -f package-lock.json ]]; then
    if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
        installing "npm packages (npm ci)"
        npm ci --no-audit --no-fund
        mkdir -p node_modules && touch node_modules
    else
        ok "npm packages (node_modules up to date with package-lock.json)"
    fi
else
    if [[ ! -d node_modules || package.json -nt node_modules ]]; then
        installing "npm packages (npm install; no package-lock.json)"
        npm install --no-audit --no-fund
        mkdir -p node_modules && touch node_modules
    else
        ok "npm packages (node_modules present)"
    fi
fi
