#!/bin/sh
# watch_workflow.sh LODE TMPDIR DATADIR: a rule on gallium for the USA raises the "binds again"
# alert once; a second `watch run` prints nothing new; alerts are listed; a BOM rule works too.
LODE=$1; TMP=$2; DATA=$3
rm -rf "$TMP"; mkdir -p "$TMP"
WS="$TMP/ws.sqlite"
fail() { echo "FAIL: $*"; exit 1; }
expect() { printf '%s\n' "$1" | grep -q -- "$2" || { printf '%s\n' "$1"; fail "expected /$2/"; }; }
reject() { printf '%s\n' "$1" | grep -q -- "$2" && { printf '%s\n' "$1"; fail "did not expect /$2/"; }; return 0; }

out=$("$LODE" watch add --name ga-us --materials gallium,germanium --destination USA --min-severity low \
      --workspace "$WS" --format csv) || fail "watch add"
expect "$out" "^ga-us,materials,gallium;germanium,USA,low,2,,"
"$LODE" watch add --name ga-us-medium --materials gallium,germanium --destination USA --min-severity medium \
      --workspace "$WS" --format csv >/dev/null || fail "watch add medium"
err=$("$LODE" watch add --name ga-us --materials gallium --workspace "$WS" 2>&1 >/dev/null); code=$?
[ "$code" -eq 2 ] || fail "duplicate rule: exit $code"
expect "$err" "a watch rule named 'ga-us' exists already"
err=$("$LODE" watch add --name x --materials gallium,unobtainium --workspace "$WS" 2>&1 >/dev/null); code=$?
[ "$code" -eq 2 ] || fail "unknown material: exit $code"
expect "$err" "--materials: unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)"

# Severity low: on observed flows China ships 19 % of the USA's gallium directly (USGS import
# sources) and no germanium since 2023 (China's customs), below the 0.2 threshold of medium; so
# the rule that asks for medium or more raises nothing.
out=$("$LODE" watch run --as-of 2026-11-27 --workspace "$WS" --format csv) || fail "run 1"
reject "$out" "^ga-us-medium,"
expect "$out" "^ga-us,low,2026-11-28,resumed,CN-2024-046-2,gallium;germanium,.*binds again from 2026-11-28: suspension CN-2025-SUSP46 has its last day on 2026-11-27"
expect "$out" "^ga-us,low,2025-11-09,suspended,CN-2024-046-2,"
first=$(printf '%s\n' "$out" | grep -c "^ga-us,")
[ "$first" -gt 2 ] || fail "expected several alerts, got $first"
out=$("$LODE" watch run --as-of 2026-11-27 --workspace "$WS" --format csv) || fail "run 2"
[ "$(printf '%s\n' "$out" | grep -c "^ga-us,")" -eq 0 ] || { printf '%s\n' "$out"; fail "second run raised alerts again"; }
out=$("$LODE" watch run --as-of 2026-11-27 --workspace "$WS" --format table) || fail "run 3"
expect "$out" "0 new alert(s); $first already raised before"
# The day after, the ban's current status is the same resumption: still nothing new.
out=$("$LODE" watch run --as-of 2026-11-28 --workspace "$WS" --format csv) || fail "run 4"
reject "$out" "CN-2024-046-2"
out=$("$LODE" watch alerts --workspace "$WS" --format csv) || fail "alerts"
[ "$(printf '%s\n' "$out" | grep -c "^ga-us,")" -eq "$first" ] || fail "alerts list differs from what was raised"
out=$("$LODE" watch alerts --workspace "$WS" --format json) || fail "alerts json"
expect "$out" '"measure": "CN-2024-046-2"'

out=$("$LODE" watch add --name radar --bom "$DATA/bom.csv" --workspace "$WS" --format csv) || fail "bom add"
expect "$out" "^radar,bom,gallium;dysprosium,any,medium,2,"
out=$("$LODE" watch run --rule radar --as-of 2026-11-27 --workspace "$WS" --format csv) || fail "bom run"
expect "$out" "^radar,high,.*,CN-2025-018,dysprosium,.*parts: motor/rotor_magnet"
out=$("$LODE" watch list --workspace "$WS" --format csv) || fail "list"
expect "$out" "^radar,bom,"
"$LODE" watch remove radar --workspace "$WS" --format csv >/dev/null || fail "remove"
out=$("$LODE" watch alerts --rule radar --workspace "$WS" 2>&1); code=$?
[ "$code" -eq 2 ] || fail "alerts of a removed rule: exit $code"
expect "$out" "no watch rule named 'radar' (E-NOT-FOUND)"
echo "watch workflow ok"
