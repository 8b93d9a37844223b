#!/bin/sh
# A copy of the dataset with a few corrupted rows: validate lists every one of them and exits 2.
set -u
LODE=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cp -r "$SRC" "$TMP/world"
W="$TMP/world"
echo "gallium,refined,CHN,2024,-3,,corrupt" >> "$W/production.csv"
echo "unobtainium,mine,USA,2024,1,,corrupt" >> "$W/production.csv"
sed -i '2s/^\([^,]*\),\([^,]*\),\([^,]*\),[^,]*,/\1,\2,\3,12.5,/' "$W/countries.csv"
echo "XX-1,suspension,CHN,gallium,,ALL,all,,2025-01-01,2024-01-01,NO-SUCH-ID,,,,,,,,x,," >> "$W/measures.csv"
OUT=$("$LODE" validate "$W" --format table 2>&1)
CODE=$?
echo "$OUT"
[ "$CODE" -eq 2 ] || { echo "expected exit 2, got $CODE"; exit 1; }
for pat in "production.csv:[0-9]*:[0-9]*: tonnes: expected a number >= 0, got '-3' (E-NEGATIVE)" \
           "production.csv:[0-9]*:1: material: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)" \
           "countries.csv:2:[0-9]*: wgi: expected a number in \[0,10\], got '12.5' (E-RANGE)" \
           "measures.csv:[0-9]*:[0-9]*: expires: ends 2024-01-01 before it starts 2025-01-01 (E-DATE-ORDER)" \
           "measures.csv:[0-9]*:[0-9]*: suspends: suspends unknown measure 'NO-SUCH-ID' (E-UNKNOWN-MEASURE)" \
           "dataset refused"; do
  echo "$OUT" | grep -q "$pat" || { echo "missing: $pat"; exit 1; }
done
echo "all corruptions reported"
