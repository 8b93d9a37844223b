"""check_policies_json.py P27 P28: the JSON of `lodestone policies` on 2026-11-27 and 2026-11-28.

On 2026-11-27 the US ban CN-2024-046-2 is suspended (last suspended day 2026-11-27) and not in
force; on 2026-11-28 (filtered on gallium to the USA) it is in force again.
"""
import json
import sys

p27 = json.load(open(sys.argv[1]))
p28 = json.load(open(sys.argv[2]))
assert p27["as_of"] == "2026-11-27", p27["as_of"]
in_force_27 = {r["id"] for r in p27["in_force"]}
assert "CN-2024-046-2" not in in_force_27, in_force_27
assert "CN-2023-023" in in_force_27, in_force_27
suspended = {r["id"]: r for r in p27["suspended"]}
assert suspended["CN-2024-046-2"]["last_suspended_day"] == "2026-11-27", suspended["CN-2024-046-2"]
assert suspended["CN-2024-046-2"]["suspended_by"] == "CN-2025-SUSP46"
up = [r for r in p27["upcoming"]["rows"] if r["id"] == "CN-2024-046-2"]
assert up and up[0]["change"] == "resumed" and up[0]["date"] == "2026-11-28" and up[0]["last_day"] == "2026-11-27", up
in_force_28 = {r["id"] for r in p28["in_force"]}
assert "CN-2024-046-2" in in_force_28, in_force_28
for r in p28["in_force"]:
    assert "gallium" in r["materials"].split(";"), r
print("policies json ok")
