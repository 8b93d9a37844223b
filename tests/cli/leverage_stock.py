#!/usr/bin/env python3
"""leverage_stock.py LODESTONE: `leverage --supplier CHN --target USA` counts the US National Defense Stockpile.

The dataset's NDS bismuth row (557.9 t, as of 2026-10-11) must appear as stock_tonnes of the forward CHN->USA bismuth
row on 2026-11-27 and lower that row's leverage by exactly the cover it gives:
leverage = supplier_share x si_sr x (1 - min(1, stock / use)). Before the stock's date (2026-06-01) the stock is 0.
Each run must exit 0. Prints "leverage stock ok" when every check holds, else exits 1 with the reason.
"""
import csv
import io
import subprocess
import sys


def bismuth_row(lode, as_of):
    out = subprocess.run([lode, "leverage", "--supplier", "CHN", "--target", "USA", "--as-of", as_of,
                          "--format", "csv"], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"leverage --as-of {as_of} exited {out.returncode}: {out.stderr}")
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("direction,") or ln.startswith("forward,")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    hits = [r for r in rows if r.get("direction") == "forward" and r.get("material") == "bismuth"]
    if len(hits) != 1:
        sys.exit(f"expected one forward bismuth row on {as_of}, got {len(hits)}:\n{out.stdout}")
    return {k: v for k, v in hits[0].items()}


def main():
    lode = sys.argv[1]
    after = bismuth_row(lode, "2026-11-27")
    before = bismuth_row(lode, "2026-06-01")
    stock, use = float(after["stock_tonnes"]), float(after["use_tonnes"])
    if abs(stock - 557.9) > 0.5:
        sys.exit(f"NDS bismuth stock {stock} t, expected 557.9 t")
    if float(before["stock_tonnes"]) != 0.0:
        sys.exit(f"stock counted before its as_of date: {before['stock_tonnes']}")
    cover = stock / use
    if abs(float(after["cover_years"]) - cover) > 0.006:
        sys.exit(f"cover_years {after['cover_years']}, expected {cover:.3f}")
    want = float(after["supplier_share"]) * float(after["si_sr"]) * (1 - min(1.0, cover))
    if abs(float(after["leverage"]) - want) > 0.002:
        sys.exit(f"leverage {after['leverage']}, expected {want:.3f} with the stock counted")
    if not float(after["leverage"]) < float(before["leverage"]):
        sys.exit(f"the stock did not lower the leverage: {after['leverage']} vs {before['leverage']}")
    print("leverage stock ok")


if __name__ == "__main__":
    main()
