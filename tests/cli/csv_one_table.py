#!/usr/bin/env python3
"""csv_one_table.py LODESTONE SOURCE_DIR WORKDIR: every command's CSV is one tidy table.

Pipes each command's `--format csv` output into Python's csv module and checks that it is one
table: a header of distinct non-empty names, then rows with exactly as many fields, and no second
header or blank separator line. Notes must go to stderr. Also checks --table and --tables-dir.
"""
import csv
import io
import os
import subprocess
import sys

lode, src, work = sys.argv[1:4]
ex = os.path.join(src, "data", "examples")
os.makedirs(work, exist_ok=True)
env = dict(os.environ, LODESTONE_TODAY="2026-11-27", XDG_DATA_HOME=os.path.join(work, "xdg"))

COMMANDS = [
    ["info"],
    ["validate"],
    ["assess", "--perspective", "EU"],
    ["assess", "--perspective", "USA", "--by-stage"],
    ["leverage", "--target", "USA", "--top", "5"],
    ["leverage", "--supplier", "CHN", "--target", "USA"],
    ["lookthrough", "--material", "gallium", "--country", "JPN"],
    ["lookthrough", "--bom", os.path.join(ex, "gan_radar_module.csv")],
    ["policies", "--no-workspace"],
    ["policies", "--no-workspace", "--upcoming", "30d"],
    ["simulate", "cn_magnet_ban_us_eu", "--runs", "4"],
    ["brief", "--no-html", "--scenario-runs", "0"],
    ["brief", "--no-html", "--scenario-runs", "0", "--table", "upcoming"],
]


def run(args):
    return subprocess.run([lode, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          cwd=work)


def check_one_table(name, text):
    rows = list(csv.reader(io.StringIO(text)))
    assert rows, f"{name}: no CSV"
    header = rows[0]
    assert all(h.strip() for h in header), f"{name}: empty column name in {header}"
    assert len(set(header)) == len(header), f"{name}: duplicate column names in {header}"
    for i, row in enumerate(rows[1:], 2):
        assert len(row) == len(header), f"{name}: line {i} has {len(row)} fields, header {len(header)}: {row}"
        assert row != header, f"{name}: a second header on line {i}"
    return len(rows) - 1


failures = 0
for args in COMMANDS:
    name = "lodestone " + " ".join(args)
    r = run([*args, "--format", "csv"])
    try:
        assert r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr[-800:]}"
        n = check_one_table(name, r.stdout)
        print(f"ok {n:4d} rows: {name}")
    except AssertionError as e:
        failures += 1
        print(f"FAIL {e}")

# --table picks another table; --tables-dir writes every table, each one tidy.
r = run(["lookthrough", "--material", "gallium", "--country", "JPN", "--format", "csv", "--table", "2"])
second = r.stdout.splitlines()[0] if r.stdout else ""
first = run(["lookthrough", "--material", "gallium", "--country", "JPN", "--format", "csv"]).stdout.splitlines()[0]
if r.returncode != 0 or second == first:
    failures += 1
    print(f"FAIL --table 2: exit {r.returncode}, header {second!r} (first table {first!r})")
out_dir = os.path.join(work, "tables")
r = run(["lookthrough", "--bom", os.path.join(ex, "gan_radar_module.csv"), "--format", "csv", "--tables-dir", out_dir])
files = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
if r.returncode != 0 or len(files) < 2 or r.stdout:
    failures += 1
    print(f"FAIL --tables-dir: exit {r.returncode}, files {files}, stdout {r.stdout[:200]!r}")
for f in files:
    try:
        check_one_table(f, open(os.path.join(out_dir, f), encoding="utf-8").read())
    except AssertionError as e:
        failures += 1
        print(f"FAIL {e}")
r = run(["policies", "--no-workspace", "--format", "csv", "--table", "nonesuch"])
if r.returncode != 2 or "--table: no table 'nonesuch'" not in r.stderr:
    failures += 1
    print(f"FAIL --table nonesuch: exit {r.returncode}: {r.stderr}")
print("csv one table ok" if failures == 0 else f"{failures} failure(s)")
sys.exit(1 if failures else 0)
