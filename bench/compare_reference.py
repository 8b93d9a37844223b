#!/usr/bin/env python3
"""Compares the daily production and value added of `lodestone propagate --out DIR` (daily.csv)
with bench/propagate_reference.py on the same inputs; exits 1 if any day differs by more than
--rel (relative). Example:
    python3 bench/compare_reference.py --lodestone build/dev/apps/cli/lodestone --gen build/dev/tests/gen_firmnet \
        --firms 1000 --days 30 --work /tmp/cmp
"""
import argparse
import csv
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lodestone", required=True)
    ap.add_argument("--gen", required=True, help="the gen_firmnet program")
    ap.add_argument("--firms", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--rel", type=float, default=1e-9)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    net = os.path.join(a.work, "net")
    subprocess.run([a.gen, "--firms", str(a.firms), "--seed", str(a.seed), "--shocked-share", "0.05",
                    "--out", net], check=True, stdout=subprocess.DEVNULL)
    worst = 0.0
    for rule in ("proportional", "lowest-first"):
        ref = subprocess.run([sys.executable, os.path.join(here, "propagate_reference.py"), "--dir", os.path.join(net, "csv"),
                              "--days", str(a.days), "--rationing", rule], check=True, capture_output=True, text=True).stdout
        ref_rows = list(csv.DictReader(ref.splitlines()))
        for fmt, args in (("csv", ["--firms", os.path.join(net, "csv", "firms.csv"), "--links", os.path.join(net, "csv", "links.csv"),
                                    "--shock", os.path.join(net, "csv", "shocks.csv")]),
                          ("inoue", ["--input-format", "inoue", "--transactions", os.path.join(net, "inoue", "transactions.txt"),
                                     "--final-consumption", os.path.join(net, "inoue", "final_consumption.txt"),
                                     "--initial-production", os.path.join(net, "inoue", "initial_production.txt"),
                                     "--affiliation", os.path.join(net, "inoue", "affiliation.txt"),
                                     "--delta", os.path.join(net, "inoue", "delta.txt")])):
            out = os.path.join(a.work, "out_%s_%s" % (rule, fmt))
            subprocess.run([a.lodestone, "propagate", *args, "--days", str(a.days), "--rationing", rule, "--threads", "2",
                            "--out", out, "--format", "csv"], check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(out, "daily.csv"), newline="") as f:
                got = list(csv.DictReader(f))
            if len(got) != len(ref_rows):
                print("%s %s: %d days, reference %d" % (rule, fmt, len(got), len(ref_rows)))
                return 1
            case_worst = 0.0
            for g, r in zip(got, ref_rows):
                for key in ("production", "value_added"):
                    x, y = float(g[key]), float(r[key])
                    rel = abs(x - y) / max(abs(y), 1e-300)
                    worst = max(worst, rel)
                    case_worst = max(case_worst, rel)
                    if rel > a.rel:
                        print("%s %s day %s %s: lodestone %.17g reference %.17g (rel %.3g)" % (rule, fmt, g["day"], key, x, y, rel))
                        return 1
            drop = 1 - float(got[-1]["production"]) / float(got[0]["production"])
            print("%s %s: largest relative difference %.3g; production fell %.3g%% by day %d" %
                  (rule, fmt, case_worst, 100 * drop, a.days))
            if drop < 1e-4:
                print("%s %s: production fell by only %.3g; the case does not test propagation" % (rule, fmt, drop))
                return 1
    print("reference match: largest relative difference %.3g over %d days, 2 rules, 2 formats" % (worst, a.days))
    return 0


if __name__ == "__main__":
    sys.exit(main())
