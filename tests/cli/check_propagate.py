#!/usr/bin/env python3
"""Checks `lodestone propagate --format json` on tests/cli/data/propagate (the chain A -> B -> C
of docs/propagate.md, A at half capacity): B runs short of A's good on day 30 (computed by hand in
tests/unit/firmnet_test.cpp): total production 20 -> 18 on day 1 and 15 on day 30."""
import json
import sys

doc = json.load(sys.stdin)
daily = {row["day"]: row for row in doc["daily"]}
checks = [(daily[0]["production"], 20.0), (daily[1]["production"], 18.0), (daily[29]["production"], 18.0),
          (daily[30]["production"], 15.0), (daily[30]["value_added"], 7.0)]
for got, want in checks:
    if abs(got - want) > 1e-9:
        print("got %r, want %r" % (got, want))
        sys.exit(1)
top = doc["hardest_hit"][0]
if top["firm"] != "A" or abs(top["production_loss"] - 60.0) > 1e-9:
    print("hardest hit: %r" % top)
    sys.exit(1)
groups = {(g["country"], g["sector"]): g for g in doc["by_country_sector"]}
if abs(groups[("JPN", "refine")]["production_loss"] - 3.0) > 1e-9:
    print("groups: %r" % groups)
    sys.exit(1)
if doc["run"]["rationing"] != "proportional" or doc["run"]["days"] != 30:
    print("run: %r" % doc["run"])
    sys.exit(1)
print("propagate chain ok")
