"""check_simulate_json.py RUNS: stdin is `lodestone simulate --format json`; checks its shape."""
import json
import sys

doc = json.load(sys.stdin)
runs = int(sys.argv[1])
assert doc["run"]["runs_done"] == runs, doc["run"]["runs_done"]
assert doc["run"]["scenario"]["content_hash"], "no scenario hash"
assert doc["run"]["dataset"]["content_hash"], "no dataset hash"
assert doc["run"]["max_mass_balance_residual"] < 1e-9, doc["run"]["max_mass_balance_residual"]
metrics = {row["metric"] for row in doc["summary"]}
assert {"peak_shortfall_share", "first_shortfall_week", "peak_price_multiple", "cumulative_cost_usd"} <= metrics
print(len(doc["summary"]), "summary rows")
