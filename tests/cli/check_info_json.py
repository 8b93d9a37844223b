"""Checks `lodestone info --format json`: >= 18 materials, each with stages and country shares."""
import json
import sys

doc = json.load(sys.stdin)
materials = doc["materials"]
assert len(materials) >= 18, f"only {len(materials)} materials"
for m in materials:
    assert m["stages"], f"{m['id']} has no stages"
    for s in m["stages"]:
        shares = s["shares"]
        assert shares, f"{m['id']}/{s['stage']} has no country shares"
        total = sum(x["share"] for x in shares)
        assert abs(total - 1) < 1e-9, f"{m['id']}/{s['stage']} shares sum to {total}"
        assert s["top_country"] == shares[0]["country"]
assert doc["dataset"]["name"] == "lodestone-world"
assert doc["counts"]["materials"] == len(materials)
print(f"ok: {len(materials)} materials, {sum(len(m['stages']) for m in materials)} stages")
