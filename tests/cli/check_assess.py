"""End-to-end checks of `lodestone assess` and `lodestone leverage` on the embedded dataset.
Usage: check_assess.py LODESTONE SOURCE_DIR. Each check recomputes a number from the files itself."""
import csv
import json
import os
import subprocess
import sys
import tempfile

LODE, SRC = sys.argv[1], sys.argv[2]
REQUIRED = ["material", "stage", "hhi", "cr1", "cr3", "top_country", "top_share", "hhi_wgi_gs",
            "hhi_wgi_p", "import_reliance", "sr", "ei", "geopolrisk", "dp", "te", "critical", "basis"]


def run(*args):
    out = subprocess.run([LODE, *args], capture_output=True, text=True)
    assert out.returncode == 0, f"{args}: exit {out.returncode}: {out.stderr}"
    return out.stdout


def assess_json(*args):
    return json.loads(run("assess", "--format", "json", *args))


def wgi(iso3):
    with open(os.path.join(SRC, "data/world/countries.csv"), newline="") as f:
        rows = [r for r in csv.reader(line for line in f if not line.startswith("#"))]
    header = rows[0]
    for r in rows[1:]:
        if r[header.index("iso3")] == iso3:
            return float(r[header.index("wgi")])
    raise KeyError(iso3)


# 1. every material, the required fields, ranked by SR, with the other ranks beside it
doc = assess_json()
rows = doc["rows"]
assert len(rows) >= 18, len(rows)
for r in rows:
    missing = [k for k in REQUIRED if k not in r]
    assert not missing, f"{r.get('material')}: missing {missing}"
    assert r["basis"] in ("observed", "partial", "derived", "published", "usgs"), r["basis"]
    for k in ("rank_eu", "rank_geopolrisk", "rank_usgs", "rank_hhi", "rank_spread"):
        assert k in r, k
    assert abs(r["hhi_10k"] - r["hhi"] * 10000) < 1e-6
    assert 0 <= r["import_reliance"] <= 1
srs = [r["sr"] for r in rows]
assert srs == sorted(srs, reverse=True), "rows are not ranked by SR"
assert [r["rank"] for r in rows] == [r["rank_eu"] for r in rows]
assert doc["perspective"] == "EU" and doc["ranked_by"] == "eu"
assert len(doc["agreement"]) == 3
print(f"ok: {len(rows)} materials ranked by SR; agreement rows {len(doc['agreement'])}")

# 2. gallium from China: the licensing factor of CN-2023-023 from 2023-08-01, exactly
before = assess_json("--material", "gallium", "--as-of", "2023-07-31")["rows"][0]
after = assess_json("--material", "gallium", "--as-of", "2023-08-01")["rows"][0]
assert before["top_country"] == "CHN"
s = before["top_share"]
expected = 0.3 * s * s * wgi("CHN")
got = after["hhi_wgi_gs"] - before["hhi_wgi_gs"]
assert abs(got - expected) < 1e-9, (got, expected)
assert before["trade_factors"] == "" and "CN-2023-023" in after["trade_factors"], after["trade_factors"]
print(f"ok: gallium HHI_WGI,t rises by {got:.6f} = 0.3 * {s:.6f}^2 * {wgi('CHN')}")

# 3. --methods overrides the factor
with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
    f.write("[trade_factor]\nexport_licensing = 1.5\n")
over = assess_json("--material", "gallium", "--as-of", "2023-08-01", "--methods", f.name)["rows"][0]
os.unlink(f.name)
got = over["hhi_wgi_gs"] - before["hhi_wgi_gs"]
assert abs(got - 0.5 * s * s * wgi("CHN")) < 1e-9, got
print("ok: --methods export_licensing = 1.5 applies")

# 4. USA: gallium from the observed flows (USGS import sources x US imports in trade.csv, US use in
# consumption.csv: no US output, so IR 1); molybdenum, without observed figures, on the USGS layer
# with zero net import reliance
usa = {r["material"]: r for r in assess_json("--perspective", "USA")["rows"]}
assert usa["gallium"]["basis"] == "observed" and usa["gallium"]["import_reliance"] == 1.0, usa["gallium"]
assert usa["molybdenum"]["basis"] == "usgs"
assert usa["molybdenum"]["import_reliance"] == 0.0 and usa["molybdenum"]["geopolrisk"] == 0.0
print("ok: USA rows on the observed and usgs bases")

# 4b. EU: where its mix would be derived, the EU's published sourcing shares (sourcing_shares.csv, EU CRM 2023,
# Appendix 7): gallium refined 69 % China, 10 % USA, 9 % UK, 2 % Germany (a member: domestic), so the import
# reliance is 1 - 0.02 = 0.98 and the HHI_WGI,t of the EU's sourcing is recomputed from the published shares.
eu = assess_json("--perspective", "EU", "--material", "gallium", "--as-of", "2023-03-16", "--method", "eu")["rows"][0]
assert eu["basis"] == "published", eu["basis"]
assert abs(eu["import_reliance"] - 0.98) < 1e-9, eu["import_reliance"]
terms = {"CHN": 0.69, "USA": 0.10, "GBR": 0.09, "TWN": 0.02, "UKR": 0.02, "HKG": 0.01, "RUS": 0.01}
want = sum(v * v * wgi(c) for c, v in terms.items()) + 0.02 * 0.02 * wgi("DEU") * 0.8
assert abs(eu["hhi_wgi_p"] - want) < 1e-9, (eu["hhi_wgi_p"], want)
print(f"ok: EU gallium on the published EU sourcing mix, HHI_WGI,t {want:.6f}")

# 4c. On 2023-03-16 the 2024 production data were not known: global supply is the EU study's published global supply
# at processing, 2016-2020 (sourcing_shares.csv, perspective WORLD; Appendix 7): CHN 93.8 %, UKR 2.2 %, RUS 1.9 %,
# JPN 1.0 %, no export restriction in force yet (t = 1). The notes say so.
gs = {"CHN": 0.938, "UKR": 0.022, "RUS": 0.019, "JPN": 0.010}
assert eu["year"] == 2020, eu["year"]
want_gs = sum(v * v * wgi(c) for c, v in gs.items())
assert abs(eu["hhi_wgi_gs"] - want_gs) < 1e-9, (eu["hhi_wgi_gs"], want_gs)
eu_doc = assess_json("--perspective", "EU", "--material", "gallium", "--as-of", "2023-03-16", "--method", "eu")
assert any("published mix of 2020" in n for n in eu_doc["notes"]), eu_doc["notes"]
late = assess_json("--perspective", "EU", "--material", "gallium", "--as-of", "2025-06-01")["rows"][0]
assert late["year"] == 2024, late["year"]
print(f"ok: EU gallium global supply on 2023-03-16 from the published 2020 mix, HHI_WGI,t {want_gs:.6f}")

# 5. by stage: one row per material and stage
stages = assess_json("--by-stage")["rows"]
assert len(stages) > len(rows)
assert any(r["material"] == "rare_earths" and r["stage"] == "separation" for r in stages)
print(f"ok: {len(stages)} material/stage rows")

# 6. leverage: both dyads and the ranking
lev = json.loads(run("leverage", "--supplier", "CHN", "--target", "USA", "--format", "json"))
assert lev["forward"]["rows"] and lev["reverse"]["rows"]
for r in lev["forward"]["rows"]:
    assert 0 <= r["leverage"] <= 1
    assert abs(r["leverage"] - r["supplier_share"] * r["si_sr"] * (1 - min(1, r["cover_years"]))) < 1e-12
assert lev["forward"]["total"] > lev["reverse"]["total"]
top = list(csv.DictReader(run("leverage", "--target", "USA", "--top", "5", "--format", "csv").splitlines()))
assert len(top) == 5 and top[0]["supplier"] == "CHN", top[:2]
print(f"ok: CHN over USA {lev['forward']['total']:.3f}, USA over CHN {lev['reverse']['total']:.3f}")

# 7. the leverage shares are the look-through of `lodestone lookthrough` (same rule, same numbers)
checked = 0
for row in lev["forward"]["rows"]:
    look = json.loads(run("lookthrough", "--material", row["material"], "--country", "USA", "--format", "json"))
    final = look["supplies"][-1]
    origin = next(o for o in final["origins"] if o["stage"] == row["stage"])
    chn = sum(c["share"] for c in origin["countries"] if c["country"] == "CHN")
    assert abs(chn - row["supplier_share"]) < 1e-9, (row["material"], chn, row["supplier_share"])
    checked += 1
print(f"ok: CHN shares of USA supply agree with lookthrough for {checked} materials")
