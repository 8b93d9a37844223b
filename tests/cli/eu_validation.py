#!/usr/bin/env python3
"""Validation of `lodestone assess --perspective EU` against the EU 2023 criticality assessment.

Usage: eu_validation.py LODESTONE SRC_DIR [--markdown]

Reads the published EU 2023 supply risk (SR), economic importance (EI) and critical flag of every material of the
dataset that the EU assessed (data/raw/eu_crm/eu_crm2023_sr_ei.csv), runs the engine on the same materials, and
checks the agreement this project holds itself to:
  - at least two thirds of the materials within +-25 % of the EU's SR;
  - the critical flag equal to the EU 2023 list for every material but the documented exceptions (EXCEPTIONS);
  - every material whose SR or EI differs by more than 20 % has its reason in REASONS (also in docs/methods.md).
Exit 0 when all hold (prints "eu validation ok"), 1 otherwise. --markdown prints the table of docs/methods.md.
"""
import csv
import io
import subprocess
import sys

# Why the engine's SR or EI differs from the EU's by more than 20 %. Keep in step with docs/methods.md.
REASONS = {}
# Materials whose critical flag may differ from the EU 2023 list, with the reason. Keep in step with docs/methods.md.
EXCEPTIONS = {}


def read_eu(src):
    with open(f"{src}/data/raw/eu_crm/eu_crm2023_sr_ei.csv", encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def run_engine(lode):
    out = subprocess.run([lode, "assess", "--perspective", "EU", "--method", "eu", "--format", "csv"],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"assess failed with exit {out.returncode}: {out.stderr}")
    return {r["material"]: r for r in csv.DictReader(io.StringIO(out.stdout))}


def ratio(ours, theirs):
    return ours / theirs if theirs else float("inf")


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    lode, src = argv[1], argv[2]
    eu = read_eu(src)
    ours = run_engine(lode)
    rows, problems, within = [], [], 0
    for e in eu:
        m = e["material"]
        if m not in ours:
            problems.append(f"{m}: not in the engine's output")
            continue
        o = ours[m]
        sr, ei = float(o["sr"]), float(o["ei"])
        sr_eu, ei_eu = float(e["sr_2023"]), float(e["ei_2023"])
        crit = o["critical"].strip().lower() in ("true", "yes", "1")
        crit_eu = e["eu_critical_2023"] == "yes"
        r_sr, r_ei = ratio(sr, sr_eu), ratio(ei, ei_eu)
        if abs(r_sr - 1) <= 0.25:
            within += 1
        far = abs(r_sr - 1) > 0.20 or abs(r_ei - 1) > 0.20
        if far and m not in REASONS:
            problems.append(f"{m}: SR ratio {r_sr:.2f}, EI ratio {r_ei:.2f} differ by more than 20 % without a reason")
        if crit != crit_eu and m not in EXCEPTIONS:
            problems.append(f"{m}: critical {crit} but EU 2023 says {crit_eu}, not a documented exception")
        rows.append((m, e["eu_material"], o["stage"], sr, sr_eu, r_sr, ei, ei_eu, r_ei, crit, crit_eu,
                     REASONS.get(m, "") if far else "", EXCEPTIONS.get(m, "") if crit != crit_eu else ""))
    need = -(-2 * len(eu) // 3)  # two thirds, rounded up
    if within < need:
        problems.append(f"only {within} of {len(eu)} materials within +-25 % of the EU SR (need {need})")
    if "--markdown" in argv:
        print("| material | EU group | stage | SR | SR EU 2023 | ratio | EI | EI EU 2023 | ratio | critical | EU 2023 | reason |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for (m, g, st, sr, sre, rs, ei, eie, re_, c, ce, why, exc) in rows:
            note = "; ".join(x for x in (why, ("critical flag: " + exc) if exc else "") if x)
            print(f"| {m} | {g} | {st} | {sr:.2f} | {sre:.1f} | {rs:.2f} | {ei:.2f} | {eie:.1f} | {re_:.2f} | "
                  f"{'yes' if c else 'no'} | {'yes' if ce else 'no'} | {note} |")
        print(f"\n{within} of {len(eu)} materials within +-25 % of the EU SR; "
              f"{sum(1 for r in rows if r[9] == r[10])} of {len(rows)} critical flags equal.")
    for p in problems:
        print(f"eu_validation: {p}", file=sys.stderr)
    if problems:
        return 1
    print("eu validation ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
