#!/bin/sh
# check_dataset_sources.sh SRC WORK: scripts/check_dataset.py must refuse a measure whose source is an aggregator
# (a host not on its allow-list) and one without a verified date, with exit 1 and the reasons.
src=$1
work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
cp -r "$src/data/world" "$work/world" || exit 1
python3 - "$work/world/measures.csv" <<'PY' || exit 1
import sys
p = sys.argv[1]
lines = open(p, encoding="utf-8").read().split("\n")
for i, ln in enumerate(lines):
    if ln.startswith("CN-2024-046-2,"):
        lines[i] = ln.replace("https://exportcontrol.mofcom.gov.cn/", "https://www.cryptogon.com/", 1)
    if ln.startswith("CN-2025-010,"):
        lines[i] = ln.replace(",2026-12-04,", ",,", 1)
open(p, "w", encoding="utf-8").write("\n".join(lines))
PY
err=$(python3 "$src/scripts/check_dataset.py" --dir "$work/world" --raw "$work/none" --quiet 2>&1)
got=$?
echo "$err"
[ "$got" -eq 1 ] || { echo "expected exit 1, got $got"; exit 1; }
echo "$err" | grep -q "source: host www.cryptogon.com is not on the allow-list" || exit 1
echo "$err" | grep -q "verified: empty" || exit 1
echo "sources check ok"
