#!/bin/sh
# huge_numbers.sh LODE TMPDIR DATADIR: a huge finite number (1e308) in any user input gets a located
# error naming the field and its allowed range (exit 2), and a quantity at its upper bound (1e15)
# gives finite outputs: never inf or NaN, an internal error (exit 1) or a huge allocation.
LODE=$1; TMP=$2; DATA=$3/huge
rm -rf "$TMP"; mkdir -p "$TMP"
fail() { echo "FAIL: $*"; exit 1; }
expect() { printf '%s\n' "$1" | grep -q -- "$2" || { printf '%s\n' "$1"; fail "expected /$2/"; }; }
# refused "what" "expected text"... -- command: exit 2 and every expected text on stderr.
refused() {
    what=$1; shift
    wants=""
    while [ "$1" != "--" ]; do wants="$wants
$1"; shift; done
    shift
    err=$("$@" 2>&1 >/dev/null); code=$?
    [ "$code" -eq 2 ] || { printf '%s\n' "$err"; fail "$what: exit $code, expected 2"; }
    printf '%s\n' "$wants" | while IFS= read -r want; do
        [ -z "$want" ] && continue
        printf '%s\n' "$err" | grep -qF -- "$want" || { printf '%s\n' "$err"; echo "FAIL: $what: expected '$want'"; exit 1; }
    done || exit 1
}

# Readers of files.
refused "BOM" "bom.csv:3:32: kg_per_unit: expected a number in [0,1e+15], got '1e308' (E-RANGE)" \
    -- "$LODE" lookthrough --bom "$DATA/bom.csv"
refused "products" \
    "products.csv:2:7: units_per_year: expected a number in [0,1e+15], got '1e308' (E-RANGE)" \
    "products.csv:2:13: unit_price_usd: expected a number in [0,1e+15], got '1e308' (E-RANGE)" \
    "products.csv:2:19: inventory_weeks: expected a number in [0,1040], got '1e308' (E-RANGE)" \
    -- "$LODE" lookthrough --bom "$DATA/../bom.csv" --products "$DATA/products.csv"
refused "holdings" "holdings.csv:2:3: weight: expected a number in [0,1e+15], got '1e308' (E-RANGE)" \
    -- "$LODE" portfolio --holdings "$DATA/holdings.csv" --scenario cn_magnet_ban_us_eu --runs 2
refused "events CSV" \
    "events.csv:2:51: lead_time_days: expected a number in [0,7300], got '1e308' (E-RANGE)" \
    "events.csv:2:57: quota_tonnes: expected a number in [0,1e+15], got '1e308' (E-RANGE)" \
    -- "$LODE" events add "$DATA/events.csv" --workspace "$TMP/ws.sqlite"
refused "events JSON" "events.jsonl:1: tax_rate: expected a number in [0,1e+15], got '1e+308' (E-RANGE)" \
    -- "$LODE" events add "$DATA/events.jsonl" --workspace "$TMP/ws.sqlite"
refused "methods.toml" "methods.toml:2:15: eu.critical_ei: expected a number in [0,100] (E-TOML)" \
    -- "$LODE" assess --methods "$DATA/methods.toml"
refused "scenario" \
    "scenario.toml:10:19: scenario.parameters.inventory_weeks: expected a number in [0,1e+15]" \
    "scenario.parameters.leakage_markup: expected a number in [0,1e+15]" \
    "scenario.parameters.spare_capacity: expected a number in [0,1e+15]" \
    "scenario.parameters.reservation_price: expected a number in (1,1e+15]" \
    "scenario.parameters.stock_price_elasticity.sigma: expected a number in [0,5]" \
    "scenario.measures[0].quota_tonnes: expected a number in [0,1e+15]" \
    "scenario.toml:26:11: scenario.world.prices.gallium: expected a number in (0,1e+15]" \
    -- "$LODE" simulate "$DATA/scenario.toml"

# Options.
refused "simulate --runs" "--runs" -- "$LODE" simulate cn_gagesb_us_ban_lapse --runs 1e308
refused "simulate --horizon" "--horizon" -- "$LODE" simulate cn_gagesb_us_ban_lapse --horizon 1e308
refused "stockpile --budget" "--budget: expected a number of USD in [-1e+15,1e+15]" \
    -- "$LODE" stockpile --holder USA --budget 1e308 --scenario cn_gagesb_us_ban_lapse
refused "stockpile --value-of-lost-supply" \
    "--value-of-lost-supply: expected a number in [0, 1e+12] for gallium, got 'gallium=1e308'" \
    -- "$LODE" stockpile --holder USA --budget 1e6 --scenario cn_gagesb_us_ban_lapse --value-of-lost-supply gallium=1e308
refused "assess --ev" "--ev: expected a number in [0, 1] for gallium, got 'gallium=1e308'" \
    -- "$LODE" assess --ev gallium=1e308
refused "brief --horizon" "--horizon" -- "$LODE" brief --horizon 1e308
refused "leverage --top" "--top" -- "$LODE" leverage --target USA --top 1e308
refused "lookthrough --min-share" "--min-share" -- "$LODE" lookthrough --material gallium --country USA --min-share 1e308
refused "exposure --pass-through" "--pass-through" \
    -- "$LODE" exposure --bom "$DATA/../bom.csv" --scenario cn_gagesb_us_ban_lapse --pass-through 1e308 --runs 2

# At the bound: accepted, and every number of the result is finite.
"$LODE" simulate "$DATA/scenario_at_bound.toml" --format json > "$TMP/bound.json" || fail "at the bound: exit $?"
# The JSON writer turns a non-finite number into null; the one designed null is a percentile of
# first_shortfall_week over runs of which some have no shortfall. The table (printf: inf, nan) too.
python3 - "$TMP/bound.json" <<'PY' || fail "at the bound: non-finite output"
import json, math, sys
def walk(x, path, allow_null=False):
    if x is None and not allow_null or isinstance(x, float) and not math.isfinite(x):
        sys.exit(f"{path} = {x}")
    if isinstance(x, dict):
        undefined_week = x.get("metric") == "first_shortfall_week"
        for k, v in x.items():
            walk(v, f"{path}.{k}", undefined_week and k in ("p5", "p50", "p95"))
    if isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, f"{path}[{i}]")
walk(json.load(open(sys.argv[1]), parse_constant=float), "$")
PY
"$LODE" simulate "$DATA/scenario_at_bound.toml" > "$TMP/bound.txt" || fail "at the bound (table): exit $?"
grep -qiE '(^|[^a-z])-?(inf|nan)([^a-z]|$)' "$TMP/bound.txt" && { cat "$TMP/bound.txt"; fail "at the bound: inf or nan in the table"; }
echo "huge numbers ok"
