#!/bin/sh
# check_dataset_residual.sh SRC WORK: scripts/check_dataset.py must refuse a dataset whose germanium producers fall
# short of the source's world total (the residual ROW row removed), with exit 1 and the reason.
src=$1
work=$2
rm -rf "$work" && mkdir -p "$work" || exit 1
cp -r "$src/data/world" "$work/world" && cp -r "$src/data/raw" "$work/raw" || exit 1
grep -v '^germanium,refined,ROW,' "$src/data/world/production.csv" > "$work/world/production.csv"
err=$(python3 "$src/scripts/check_dataset.py" --dir "$work/world" --quiet 2>&1)
got=$?
echo "$err"
[ "$got" -eq 1 ] || { echo "expected exit 1, got $got"; exit 1; }
echo "$err" | grep -q "germanium/refined: rows sum to 139 t, short of the source's world total 210 t" || exit 1
echo "residual check ok"
