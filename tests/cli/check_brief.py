#!/usr/bin/env python3
"""check_brief.py LODESTONE OUTDIR: runs `lodestone brief` on the embedded dataset and checks the
terminal summary, the JSON payload and the self-contained HTML file against each other."""
import json
import os
import re
import subprocess
import sys

lode, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
html_path = os.path.join(outdir, "brief.html")
if os.path.exists(html_path):
    os.remove(html_path)

# A reduced number of scenario runs keeps the test short; the same runs give the same numbers. The
# date is pinned to the dataset's as-of date (the brief defaults to today), so the story below holds.
runs = ["--scenario-runs", "40", "--sensitivity-runs", "6", "--as-of", "2026-11-27"]
text = subprocess.run([lode, "brief", "--out", html_path, "--format", "table", *runs], check=True,
                      capture_output=True, text=True).stdout
payload = json.loads(subprocess.run([lode, "brief", "--no-html", "--format", "json", *runs], check=True,
                                    capture_output=True, text=True).stdout)
html = open(html_path, encoding="utf-8").read()
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


# Terminal: headline, sections, where the file is.
check(text.startswith("Lodestone brief: as of " + payload["as_of"] + ", perspective USA"), "terminal headline")
check("Full brief with charts: " + html_path in text, "terminal names the HTML file")
for s in payload["suspended"]:
    check(f"{s['id']} " in text and "binds again from" in text, f"terminal names suspended {s['id']}")
check(("BOM exposure: not available" in text) != payload["bom"]["availability"]["available"], "BOM section state")
check(not payload["bom"]["availability"]["available"] and payload["bom"]["items"] == [], "no BOM given: no BOM numbers")
check(("Scenario: not available" in text) != payload["scenario"]["availability"]["available"], "scenario section state")
sc = payload["scenario"]
check(sc["availability"]["available"], "the scenario headline ran: " + sc["availability"]["reason"])
if sc["availability"]["available"]:
    check(sc["runs"] == 40, f"40 runs, not {sc['runs']}")
    check(sc["id"] == sc["candidates"][0]["id"], "the headline is the most relevant candidate")
    check(f"Scenario {sc['id']}" in text, "the terminal names the scenario")
    m = sc["materials"][0]
    check(f"{m['peak_shortfall_share']['p50']:.3f}" in text, "the terminal shows the payload's median peak shortfall")
    check(len(sc["weeks"]) == sc["horizon_weeks"] == len(m["shortfall_share"]["p50"]), "one band per week")
    check('id="scenario-fans"' in html, "the HTML has the scenario's fan charts")
    check(f"lodestone simulate {sc['id']} --out runs/{sc['id']}" in text, "the terminal says how to run it in full")
    # The tornado: each uncertain parameter at P5 and P95, 6 runs each, two bars per parameter.
    t = sc["sensitivity"]
    check(t is not None and t["runs"] == 6 and len(t["drivers"]) > 0, "the payload has the headline's tornado")
    if t:
        swings = [d["swing"] for d in t["drivers"]]
        check(swings == sorted(swings, reverse=True), "tornado bars by swing")
        check(all(abs(abs(d["median_high"] - d["median_low"]) - d["swing"]) < 1e-12 for d in t["drivers"]),
              "swing = |median_high - median_low|")
        check('id="scenario-tornado"' in html and html.count('class="tornado-bar"') == 2 * len(t["drivers"]),
              "the HTML draws two tornado bars per parameter")
        check(f"most sensitive to {t['drivers'][0]['parameter']}" in text, "the terminal names the top driver")

# HTML: one file, nothing to fetch.
for pattern in (r"<script[^>]*\bsrc=", r"<link\b", r"<img\b", r"<iframe\b", r"url\((?!#)", r"@import", r"\bhref=\"http"):
    check(re.search(pattern, html) is None, f"HTML must not contain {pattern}")
m = re.search(r'<script type="application/json" id="lodestone-brief">(.*?)</script>', html, re.S)
check(m is not None, "HTML embeds the payload")
if m:
    embedded = json.loads(m.group(1))
    embedded.pop("generator", None)
    payload.pop("generator", None)
    check(embedded == payload, "embedded payload equals --format json")
check(html.count('<g class="measure">') == len(payload["timeline"]["rows"]), "one timeline bar per row")
check(html.count('class="bar"') == len(payload["risk"]["rows"]), "one risk bar per ranked material")
for r in payload["risk"]["rows"]:
    check(f'data-material="{r["material"]}"' in html, f"risk row {r['material']} in HTML")

# The dataset's story on its as-of date: the suspension of the Ga/Ge/Sb ban to the USA ends.
ups = [u for u in payload["upcoming"] if u["measure_id"] == "CN-2024-046-2"]
check(ups and ups[0]["change"] == "resumed" and ups[0]["date"] == "2026-11-28", "CN-2024-046-2 resumes 2026-11-28")
check(len(payload["risk"]["rows"]) == 10, "ten riskiest materials")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"brief ok: {len(payload['binding'])} binding, {len(payload['upcoming'])} upcoming, "
      f"{len(payload['timeline']['rows'])} timeline rows, HTML {len(html)} bytes")
