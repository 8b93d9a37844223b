#!/bin/sh
# decisions_cli.sh LODESTONE SRC CASE: the exposure, portfolio and stockpile commands as a user runs
# them; checks exit codes, the CSV header and the numbers' presence. Prints "CASE ok" on success.
set -u
L=$1
SRC=$2
CASE=$3
TMP=${TMPDIR:-/tmp}/lode_decisions_$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
case "$CASE" in
stockpile)
    "$L" stockpile --holder USA --budget 2e8 --scenario cn_gagesb_us_ban_lapse --runs 4 --threads 2 --format csv \
        --write-lp "$TMP/usa.lp" > "$TMP/out.csv" || fail "exit $?"
    head -1 "$TMP/out.csv" | grep -q '^holder,material,stage,status,objective,tonnes,cost_usd,' || fail "header: $(head -1 "$TMP/out.csv")"
    grep -q '^USA,gallium,refined,optimal,expected loss,' "$TMP/out.csv" || fail "no gallium row"
    grep -q '^USA,ALL,' "$TMP/out.csv" || fail "no ALL row"
    grep -q '^Minimize' "$TMP/usa.lp" && grep -q '^ budget:' "$TMP/usa.lp" && grep -q '^End' "$TMP/usa.lp" || fail "LP file"
    # Same plan by both methods (the test scenario is small enough for the monolithic LP).
    "$L" stockpile --holder USA --budget 2e8 --scenario cn_gagesb_us_ban_lapse --runs 4 --method structured --format json > "$TMP/s.json" || fail "structured exit $?"
    "$L" stockpile --holder USA --budget 2e8 --scenario cn_gagesb_us_ban_lapse --runs 4 --method lp --format json > "$TMP/l.json" || fail "lp exit $?"
    python3 - "$TMP/s.json" "$TMP/l.json" <<'PY' || fail "methods differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
oa, ob = a["plan"]["objective_usd"], b["plan"]["objective_usd"]
assert abs(oa - ob) <= max(0.01, 1e-6 * abs(oa)), (oa, ob)  # to a cent, or 1e-6 relative (solver tolerance)
assert a["plan"]["cost_usd"] <= 2e8 * (1 + 1e-9)
assert all(m["value_basis"].startswith("default:") for m in a["materials"])
PY
    echo "stockpile ok" ;;
stockpile_cvar_empty_budget)
    "$L" stockpile --holder EU --budget 0 --scenario cn_magnet_ban_us_eu --runs 3 --objective cvar:0.9 \
        --value-of-lost-supply rare_earths=1e6 --format json > "$TMP/o.json" || fail "exit $?"
    python3 - "$TMP/o.json" <<'PY' || fail "json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["status"] == "optimal", d["status"]
m = d["materials"][0]
assert m["value_basis"] == "override (--value-of-lost-supply)" and m["value_of_lost_supply_usd_t"] == 1e6
assert abs(d["plan"]["cost_usd"]) < 1e-6
PY
    echo "stockpile_cvar_empty_budget ok" ;;
exposure)
    "$L" exposure --bom "$SRC/data/examples/gan_radar_module.csv" --scenario cn_gagesb_us_ban_lapse --runs 4 --threads 2 \
        --pass-through 0.3 --format csv > "$TMP/e.csv" || fail "exit $?"
    head -1 "$TMP/e.csv" | grep -q '^product,region,material,kg_per_unit,cover_weeks,cover_basis,p_stockout,' || fail "header"
    grep -q '^AESA radar array,USA,gallium,0.05,12,BOM inventory_weeks,' "$TMP/e.csv" || fail "gallium row: $(cat "$TMP/e.csv")"
    "$L" exposure --bom "$SRC/data/examples/gan_radar_module.csv" --scenario cn_gagesb_us_ban_lapse --runs 4 --format table > "$TMP/e.txt" || fail "table exit $?"
    grep -q 'stockout_week' "$TMP/e.txt" || fail "table"
    echo "exposure ok" ;;
portfolio)
    "$L" portfolio --holdings "$SRC/data/examples/holdings.csv" --scenario cn_magnet_ban_us_eu --scenario cn_gagesb_us_ban_lapse \
        --runs 3 --pass-through 0.2 --format csv > "$TMP/p.csv" || fail "exit $?"
    head -1 "$TMP/p.csv" | grep -q '^holding,scenario,weight,basis,region,cogs_share,cogs_basis,cost_impact_pct_cogs,' || fail "header"
    grep -q '^PORTFOLIO,ALL SCENARIOS,' "$TMP/p.csv" || fail "portfolio row"
    grep -q '^Magnet motor maker E,ALL SCENARIOS,0.1,own cost shares,JPN,0.75,' "$TMP/p.csv" || fail "holding E"
    echo "portfolio ok" ;;
bad_holdings)
    out=$("$L" portfolio --holdings "$SRC/tests/cli/data/bad_holdings.csv" --scenario cn_magnet_ban_us_eu 2>&1 >/dev/null)
    code=$?
    [ "$code" -eq 2 ] || fail "exit $code"
    for want in 'bad_holdings.csv:2:.*cogs_share 1.5.* (E-RANGE)' 'bad_holdings.csv:3:.*(E-NEGATIVE)' \
                "bad_holdings.csv:3:.*unknown sector 'nosuchsector' (E-UNKNOWN-SECTOR)" \
                "bad_holdings.csv:4:.*unknown material 'unobtainium' (E-UNKNOWN-MATERIAL)" \
                "bad_holdings.csv:5:.*give either sector or cost_shares.* (E-REQUIRED)"; do
        echo "$out" | grep -q "$want" || fail "missing: $want in $out"
    done
    echo "bad holdings ok" ;;
*) fail "unknown case $CASE" ;;
esac
