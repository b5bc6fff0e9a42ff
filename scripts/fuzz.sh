#!/usr/bin/env bash
# Fuzz every cargo-fuzz target in fuzz/ for a bounded time and print executions and coverage.
#
#   scripts/fuzz.sh                  each target for $FUZZ_SECONDS (default 60) seconds   (make fuzz)
#   scripts/fuzz.sh --smoke          each target for $FUZZ_SMOKE_SECONDS (default 10) s  (make test)
#   scripts/fuzz.sh --time 300 claim pack_claim      chosen targets, 5 minutes each
#   scripts/fuzz.sh --list           the targets
#
# Needs the nightly toolchain (libFuzzer instrumentation) and cargo-fuzz, which it installs when missing.
# Corpora: fuzz/corpus/<target> holds the small committed seeds (read only here); fuzz/work/seeds/<target>
# is regenerated from packs/*.json and examples/*.json on every run; what the fuzzer finds goes to
# fuzz/work/corpus/<target> (git-ignored, kept between runs). A crash leaves its input in
# fuzz/artifacts/<target>/ and makes this script exit 1 after all targets ran; reproduce it with
# `cargo +nightly fuzz run <target> <file>` and turn it into a case in tests/hostile.rs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ="$ROOT/fuzz"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

seconds="${FUZZ_SECONDS:-60}"
smoke=0
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1; seconds="${FUZZ_SMOKE_SECONDS:-10}" ;;
        --time) shift; seconds="${1:?--time needs a number of seconds}" ;;
        --list) grep -E '^name = ' "$FUZZ/Cargo.toml" | sed -n '2,$p' | sed -E 's/name = "(.*)"/\1/'; exit 0 ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) targets+=("$1") ;;
    esac
    shift
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: seconds must be a whole number, got '$seconds'" >&2; exit 2 ;; esac

# --- tools (idempotent) ----------------------------------------------------------------------------------
if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "==> installing the nightly toolchain (cargo-fuzz needs it)"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "==> installing cargo-fuzz"
    cargo install cargo-fuzz
fi

cd "$FUZZ"
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

# --- seeds from the live packs and examples (not committed: they would double the repository's size) -----
mkdir -p work/seeds work/corpus
seed_dir() { rm -rf "work/seeds/$1"; mkdir -p "work/seeds/$1"; echo "work/seeds/$1"; }
d=$(seed_dir claim); cp "$ROOT"/examples/*.json "$d"/
d=$(seed_dir decode_text); cp "$ROOT"/examples/*.json "$d"/
d=$(seed_dir pack_load); cp "$ROOT"/packs/*.json "$d"/
d=$(seed_dir pack_canonical); cp "$ROOT"/packs/*.json "$d"/
d=$(seed_dir pack_compiled); cp "$ROOT"/packs/compiled/*.pack "$ROOT"/packs/compiled/defaults.bundle "$d"/
# The default packs' patterns all take the fixed-shape matcher and carry no DFA: one seed whose pattern
# does (P-ACC with C07's invoice code pattern widened), so mutations reach the DFA loading too; built with
# the CLI when `cargo test` or `make packs` has built it.
if [ -x "$ROOT/target/debug/preclaim" ]; then
    sed "s/'^\[0-9\]{8}\$'/'^[0-9]{8,12}(-[A-Z]+)?\$'/" "$ROOT/packs/p-acc.json" >"$d/p-acc-dfa.json"
    "$ROOT/target/debug/preclaim" pack compile "$d/p-acc-dfa.json" -o "$d/p-acc-dfa.pack" >/dev/null
    rm "$d/p-acc-dfa.json"
fi
d=$(seed_dir pack_claim)
for pack in "$ROOT"/packs/*.json; do
    product=$(grep -m1 -oE '"products": *\["[^"]+"' "$pack" | grep -oE 'P-[A-Z]+' || true)
    for claim in "$ROOT"/examples/*.json; do
        if grep -q "\"product\": *\"$product\"" "$claim"; then
            { cat "$pack"; printf '\0'; cat "$claim"; } > "$d/$(basename "$pack" .json)-$(basename "$claim")"
        fi
    done
done
for t in jsonlogic text_syntax pack_mutate quality catalog; do seed_dir "$t" >/dev/null; done
# Sessions: each seed edits the example claim its first byte picks (lines PATH=VALUE or PATH).
d=$(seed_dir session)
printf 'invoices[0].total="12.50"\ninvoices[1].items[0].amount=3\npolicy.product\n' > "$d/edits"
printf '%s\n' 'notes.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z=[[[[1]]]]' 'payee.bank_card="6225768888888888"' > "$d/deep"
printf '%s\n' 'invoices[0].items[0].amount="3.50"' 'filed_on' 'reported_on=null' 'policy.effective_on="2024-02-30"' \
    'invoices[0].issued_on="2024-09-20"' 'insured.name={"a":1}' 'schema="x"' 'invoices[0].items[0]' > "$d/fields"

# --- build once ------------------------------------------------------------------------------------------
# Debug assertions on (integer overflow panics, so a wrapping sum is a crash); no sanitizer by default (the
# crate has no unsafe code; set FUZZ_SANITIZER=address to use ASan).
sanitizer="${FUZZ_SANITIZER:-none}"
build_flags=(--debug-assertions --sanitizer "$sanitizer")
echo "==> cargo +nightly fuzz build (all targets)"
cargo +nightly fuzz build "${build_flags[@]}" 2>&1 | grep -vE '^\s+(Compiling|Checking)' | tail -n 5

# --- run -------------------------------------------------------------------------------------------------
mode="$([ $smoke -eq 1 ] && echo smoke || echo full)"
echo "==> fuzzing ${#targets[@]} targets for ${seconds}s each ($mode run)"
logdir="$FUZZ/work/logs"
mkdir -p "$logdir"
summary=()
failed=0
for t in "${targets[@]}"; do
    mkdir -p "work/corpus/$t" "corpus/$t" "work/seeds/$t" "artifacts/$t"
    log="$logdir/$t.log"
    echo "--> $t"
    set +e
    cargo +nightly fuzz run "${build_flags[@]}" "$t" "work/corpus/$t" "work/seeds/$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" >"$log" 2>&1
    rc=$?
    set -e
    # The last status line: "#123456 DONE cov: 1234 ft: 5678 corp: 90/12Kb ..." (or pulse/NEW lines).
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    execs=${execs:-$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')}
    rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    cov=$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || true)
    ft=$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' || true)
    corp=$(echo "$last" | grep -oE 'corp: [0-9]+' | grep -oE '[0-9]+' || true)
    if [ $rc -eq 0 ]; then
        result=ok
    else
        failed=1
        artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/Test unit written to //' || true)
        result="FAILED (exit $rc${artifact:+; input: fuzz/$artifact}; log: fuzz/work/logs/$t.log)"
        grep -E "panicked|ERROR: libFuzzer|SUMMARY" "$log" | head -n 5 | sed 's/^/    /' || true
    fi
    line=$(printf '%-12s execs %-10s exec/s %-7s cov %-6s ft %-7s corpus %-6s %s' \
        "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result")
    echo "    $line"
    summary+=("$line")
done

echo "==> fuzz summary ($mode, ${seconds}s per target; cov = edges covered, ft = libFuzzer features)"
printf '    %s\n' "${summary[@]}"
if [ $failed -ne 0 ]; then
    echo "==> fuzz: FAILED (see the inputs above; each crash becomes a case in tests/hostile.rs)"
    exit 1
fi
echo "==> fuzz: all ${#targets[@]} targets ran clean"
