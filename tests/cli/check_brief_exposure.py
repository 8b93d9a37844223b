#!/usr/bin/env python3
"""check_brief_exposure.py LODESTONE SRC OUTDIR: `lodestone brief --bom FILE` carries the BOM's
exposure to its headline scenario, and its numbers are those of `lodestone exposure --bom FILE
--scenario <the headline> --runs <the headline's runs> --pass-through <the same> --format json`
(the same library, runs and seed). The terminal summary, the CSV table and the HTML carry it; the
HTML escapes a product name that is markup (a BOM is user input)."""
import json
import os
import re
import subprocess
import sys

lode, src, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(outdir, exist_ok=True)
bom = os.path.join(src, "data", "examples", "ev_traction_motor.csv")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(args):
    """Runs lodestone; a non-zero exit is a failure of the test, with its stderr."""
    r = subprocess.run([lode, *args], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"FAIL: lodestone {' '.join(args)} exited {r.returncode}\n{r.stderr}")
        sys.exit(1)
    return r.stdout


# A short headline (30 runs, no tornado) on the dataset's date, pass-through 0.3.
common = ["--as-of", "2026-11-27", "--scenario-runs", "30", "--sensitivity-runs", "0", "--pass-through", "0.3"]
payload = json.loads(run(["brief", "--no-html", "--format", "json", "--bom", bom, *common]))
ex = payload["bom"]["exposure"]
check(ex["availability"]["available"], "the brief has the BOM's exposure: " + ex["availability"]["reason"])
headline = payload["scenario"]["id"]
check(ex["scenario_id"] == headline, f"the exposure is to the headline {headline}, not {ex['scenario_id']}")
check(ex.get("runs") == payload["scenario"]["runs"] == 30, f"the headline's 30 runs, not {ex.get('runs')}")
check(ex.get("seed") == payload["scenario"]["seed"], "the headline's seed")
check(ex.get("bom") == "ev_traction_motor.csv", "the BOM's name")

# The same numbers as `lodestone exposure` with the headline's scenario, runs and pass-through.
cli = json.loads(run(["exposure", "--bom", bom, "--scenario", headline, "--runs", "30", "--pass-through", "0.3",
                      "--format", "json"]))
check(cli["seed"] == ex.get("seed") and cli["runs"] == ex.get("runs"), "same seed and runs as `lodestone exposure`")
check(len(cli["products"]) > 0 and cli["products"] == ex.get("products"),
      "per product: the brief's exposure numbers are `lodestone exposure`'s")
for key in ("stockout_week", "cost_before_usd", "cost_after_usd", "margin_change_pp", "driver"):
    for a, b in zip(cli["products"], ex.get("products", [])):
        check(a[key] == b[key], f"{a['product']}: {key} {b[key]} in the brief, {a[key]} from `lodestone exposure`")
p = ex["products"][0] if ex.get("products") else None

# A scenario with a known effect on the motor (rare-earth magnets), chosen with --scenario.
forced = json.loads(run(["brief", "--no-html", "--format", "json", "--bom", bom, "--scenario", "cn_magnet_ban_us_eu",
                         *common]))
fex = forced["bom"]["exposure"]
fcli = json.loads(run(["exposure", "--bom", bom, "--scenario", "cn_magnet_ban_us_eu", "--runs", "30",
                       "--pass-through", "0.3", "--format", "json"]))
check(fex["scenario_id"] == "cn_magnet_ban_us_eu" and fex.get("products") == fcli["products"],
      "--scenario: the exposure follows the chosen headline, with `lodestone exposure`'s numbers")
fp = fex["products"][0] if fex.get("products") else None
check(fp is not None and fp["cost_after_usd"]["p50"] > fp["cost_before_usd"] > 0 and fp["driver"]["material"] != "",
      "the magnet ban raises the motor's material cost and names a driver")

# Terminal summary and CSV table carry it.
text = run(["brief", "--no-html", "--format", "table", "--bom", bom, "--scenario", "cn_magnet_ban_us_eu", *common])
check(re.search(r"BOM under cn_magnet_ban_us_eu .*30 runs", text) is not None, "the terminal has the exposure table")
if fp:
    check(re.search(r"EV traction motor +DEU +[0-9.]+ +[0-9.]+ +\S+ \[", text) is not None,
          "the terminal shows the product's row with its stock-out week")
    check(f"{fp['cost_before_usd']:.2f}" in text, "the terminal shows the cost per unit before")
csv_text = run(["brief", "--no-html", "--format", "csv", "--table", "exposure", "--bom", bom, "--scenario",
                "cn_magnet_ban_us_eu", *common])
check(csv_text.startswith("product,region,cover,p_stockout,stockout_week,cost_before,cost_after_p50"),
      "--table exposure prints the exposure table as CSV")

# HTML: the section, and every product name escaped (a <script> payload from the BOM stays text).
html_path = os.path.join(outdir, "brief_exposure.html")
run(["brief", "--out", html_path, "--format", "json", "--bom", bom, "--scenario", "cn_magnet_ban_us_eu", *common])
html = open(html_path, encoding="utf-8").read()
check('id="bom-exposure"' in html and 'data-product="EV traction motor"' in html, "the HTML has the exposure table")
if fp:
    check(f"{fp['cost_before_usd']:.2f}" in html, "the HTML shows the cost per unit before")

payload_name = "<script>alert('bom')</script>"
evil = os.path.join(outdir, "evil_bom.csv")
with open(bom, encoding="utf-8") as f, open(evil, "w", encoding="utf-8") as g:
    g.write(f.read().replace("EV traction motor", payload_name))
evil_html = os.path.join(outdir, "brief_evil.html")
evil_json = json.loads(run(["brief", "--out", evil_html, "--format", "json", "--bom", evil, "--scenario",
                            "cn_magnet_ban_us_eu", *common]))
h = open(evil_html, encoding="utf-8").read()
check([x["product"] for x in evil_json["bom"]["exposure"].get("products", [])] == [payload_name],
      "the JSON keeps the product's name as given")
check("<script>alert" not in h, "the HTML has no <script> from the BOM")
check(h.count("<script") == 1 and '<script type="application/json" id="lodestone-brief">' in h,
      "the only script element is the JSON payload")
check("&lt;script&gt;alert(&#39;bom&#39;)&lt;/script&gt;" in h or "&lt;script&gt;alert(&#x27;bom&#x27;)&lt;/script&gt;" in h,
      "the product name is shown escaped")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("brief exposure ok")
