"""check_single_run.py SERIES_CSV: with --runs 1 every band collapses onto the one trajectory."""
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
for r in rows:
    vals = {r["p5"], r["p50"], r["p95"], r["min"], r["max"], r["mean"]}
    assert len(vals) == 1, f"band is not one value: {r}"
print(f"{len(rows)} rows, every P5 = P50 = P95 = the run's value")
