"""Checks `lodestone simulate --sensitivity --format csv` on stdin: one CSV table (one header, no
blank line, every row as wide as the header), one group of rows per (region, material, output)
with the same parameters in each, ranks 1..k and swings sorted from the largest, swing =
|median_high - median_low|. Usage: check_sensitivity_csv.py EXPECTED_PARAMETERS"""
import csv
import sys

HEADER = ["region", "material", "output", "unit", "rank", "parameter", "low_value", "high_value",
          "median_low", "median_base", "median_high", "swing"]


def main():
    expected = int(sys.argv[1])
    text = sys.stdin.read()
    lines = text.splitlines()
    assert lines and all(line.strip() for line in lines), "blank line: more than one table"
    rows = list(csv.reader(lines))
    assert rows[0] == HEADER, rows[0]
    groups = {}
    for row in rows[1:]:
        assert len(row) == len(HEADER), row
        rec = dict(zip(HEADER, row))
        groups.setdefault((rec["region"], rec["material"], rec["output"]), []).append(rec)
    assert groups, "no rows"
    params = None
    for key, recs in groups.items():
        names = sorted(r["parameter"] for r in recs)
        assert len(names) == expected, (key, names)
        params = params or names
        assert names == params, (key, names)
        assert [int(r["rank"]) for r in recs] == list(range(1, len(recs) + 1)), key
        swings = [float(r["swing"]) for r in recs]
        assert swings == sorted(swings, reverse=True), (key, swings)
        for r in recs:
            lo, hi, sw = float(r["median_low"]), float(r["median_high"]), float(r["swing"])
            assert abs(abs(hi - lo) - sw) <= 1e-9 * max(1.0, abs(hi), abs(lo)), r
            assert float(r["low_value"]) <= float(r["high_value"]), r
    outputs = {k[2] for k in groups}
    assert outputs == {"peak_shortfall_share", "peak_price_multiple", "cumulative_cost_usd"}, outputs
    print(f"one table: {len(rows) - 1} rows, {len(groups)} outputs x {expected} parameters")


main()
