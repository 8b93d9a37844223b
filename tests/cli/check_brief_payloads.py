#!/usr/bin/env python3
"""check_brief_payloads.py LODESTONE SRC OUTDIR: every string a user controls that reaches the HTML
brief carries script and markup payloads, and the brief shows each one as text. These strings come
from a dataset folder (--data: measure ids and titles, a suspension's id, a country's and a
material's name, the dataset's name and version), scenario TOMLs (--scenarios: name, description,
and the id, which is the file's name), and a BOM (--bom: product names, and the file's path).

The HTML is parsed with html.parser. It must have exactly one <script> element (the brief's JSON),
no <img> element and no on* attribute anywhere, and its text (text nodes and attribute values, as
a browser decodes them) must contain every payload in full: shown, not interpreted and not
double-decoded ("&amp;" stays "&amp;"). The JSON in the <script> element must parse back to the
payload that --format json prints (a "</script>" in a name does not end the element)."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

lode, src, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
shutil.rmtree(outdir, ignore_errors=True)
os.makedirs(outdir)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>'</script>&amp;"


def p(tag):
    """The payload behind a tag naming the field it is put in, so that a failure says which."""
    return tag + PAYLOAD


def rewrite_csv(path, edit):
    """Applies edit(header, row) to every data row of a CSV file (comment lines dropped)."""
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(line for line in f if not line.startswith("#")))
    for row in rows[1:]:
        edit(rows[0], row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def toml_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# A dataset folder: a measure in force (its id and title), the suspended measure that binds again on
# 2026-11-28 (its title) and the suspension behind it (its id), USA's and gallium's names, the
# dataset's name and version.
data = os.path.join(outdir, "world")
shutil.copytree(os.path.join(src, "data", "world"), data)


def edit_measure(h, r):
    if r[h.index("id")] == "CN-2023-023":
        r[h.index("id")] = p("MEASUREID")
        r[h.index("title")] = p("MEASURETITLE")
    elif r[h.index("id")] == "CN-2024-046-2":
        r[h.index("title")] = p("SUSPENDEDTITLE")
    elif r[h.index("id")] == "CN-2025-SUSP46":
        r[h.index("id")] = p("SUSPENSIONID")


rewrite_csv(os.path.join(data, "measures.csv"), edit_measure)
rewrite_csv(os.path.join(data, "countries.csv"),
            lambda h, r: r.__setitem__(h.index("name"), p("COUNTRYNAME")) if r[0] == "USA" else None)
rewrite_csv(os.path.join(data, "materials.csv"),
            lambda h, r: r.__setitem__(h.index("name"), p("MATERIALNAME")) if r[0] == "gallium" else None)
toml_path = os.path.join(data, "dataset.toml")
with open(toml_path, encoding="utf-8") as f:
    toml = f.read()
toml = re.sub(r"^name = .*$", lambda _: "name = " + toml_string(p("DATASETNAME")), toml, count=1, flags=re.M)
toml = re.sub(r"^version = .*$", lambda _: "version = " + toml_string(p("DATASETVERSION")), toml, count=1, flags=re.M)
with open(toml_path, "w", encoding="utf-8") as f:
    f.write(toml)

# Scenario TOMLs: every name and description, and one more scenario whose file name (its id) is a
# payload (a file name cannot hold "/", so this one has no "</script>").
scenarios = os.path.join(outdir, "scenarios")
shutil.copytree(os.path.join(src, "data", "scenarios"), scenarios)
scenario_id = "SCENARIOID<b onmouseover=alert(1)>\"><img src=x onerror=alert(1)>'&amp;"
shutil.copy(os.path.join(scenarios, "cn_gagesb_us_ban_lapse.toml"), os.path.join(scenarios, scenario_id + ".toml"))
for name in os.listdir(scenarios):
    path = os.path.join(scenarios, name)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^name = .*$", lambda _: "name = " + toml_string(p("SCENARIONAME")), text, count=1, flags=re.M)
    text = re.sub(r"^description = .*$", lambda _: "description = " + toml_string(p("SCENARIODESC")), text,
                  count=1, flags=re.M)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

# A BOM whose product is a payload, in a folder whose path spells one ("<script>...<" / "script>...").
bom_dir = os.path.join(outdir, "BOMPATH<script>alert(1)<", "script>\"><img src=x onerror=alert(1)>'&amp;")
os.makedirs(bom_dir)
bom = os.path.join(bom_dir, "bom.csv")
shutil.copy(os.path.join(src, "data", "examples", "ev_traction_motor.csv"), bom)
rewrite_csv(bom, lambda h, r: r.__setitem__(h.index("product"), p("PRODUCT")))

html_path = os.path.join(outdir, "brief.html")
args = [lode, "brief", "--data", data, "--scenarios", scenarios, "--scenario", scenario_id, "--bom", bom,
        "--out", html_path, "--as-of", "2026-11-27", "--scenario-runs", "20", "--sensitivity-runs", "4",
        "--pass-through", "0.3", "--format", "json"]
r = subprocess.run(args, capture_output=True, text=True)
if r.returncode != 0:
    print(f"FAIL: lodestone brief exited {r.returncode}\n{r.stderr}")
    sys.exit(1)
payload = json.loads(r.stdout)
with open(html_path, encoding="utf-8") as f:
    html = f.read()


class Brief(HTMLParser):
    """Elements, attributes, the text a reader sees (outside <script>) and the <script> contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attrs = []
        self.text = []
        self.scripts = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)
        self.text.extend(v for _, v in attrs if v)
        if tag == "script":
            self.in_script = True
            self.scripts.append({"attrs": dict(attrs), "data": ""})

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1]["data"] += data
        else:
            self.text.append(data)


doc = Brief()
doc.feed(html)
doc.close()
shown = "\n".join(doc.text)

check(len(doc.scripts) == 1, f"one <script> element (the JSON payload), not {len(doc.scripts)}")
check(doc.scripts and doc.scripts[0]["attrs"] == {"type": "application/json", "id": "lodestone-brief"},
      "the only <script> is <script type=\"application/json\" id=\"lodestone-brief\">")
check("img" not in doc.tags, "no <img> element (every one would come from a payload)")
handlers = [(t, k) for t, k, _ in doc.attrs if k.startswith("on")]
check(not handlers, f"no on* attribute, found {handlers[:5]}")
check("<script>alert" not in html and "<img" not in html, "no payload markup in the HTML text")
if doc.scripts:
    try:
        check(json.loads(doc.scripts[0]["data"]) == payload,
              "the embedded JSON is the payload of --format json, names intact")
    except json.JSONDecodeError as e:
        check(False, f"the embedded JSON parses ({e}): a payload ended the <script> element")

# Each field reaches the brief and is shown as text, in full.
fields = ["MEASUREID", "MEASURETITLE", "SUSPENDEDTITLE", "SUSPENSIONID", "COUNTRYNAME", "DATASETNAME",
          "DATASETVERSION", "SCENARIONAME", "SCENARIODESC", "PRODUCT"]
for tag in fields:
    check(p(tag) in shown, f"{tag}: the payload is shown as text in the HTML")
# A material's name is only a chart label, cut to the label's width.
check(p("MATERIALNAME")[:30] in shown, "MATERIALNAME: the start of the payload is shown as a chart label")
check(scenario_id in shown, "SCENARIOID: the scenario id (its file name) is shown as text")
check(bom in shown, "BOMPATH: the BOM's path is shown as text")
# The run used the payload scenario and the payload names (the checks above are not vacuous).
check(payload["scenario"]["id"] == scenario_id and payload["scenario"]["availability"]["available"],
      "the headline is the payload scenario, and it ran")
check(payload["bom"]["exposure"]["availability"]["available"], "the BOM's exposure to the headline is shown")

if failures:
    print("FAIL:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"brief payloads ok: {len(fields) + 3} fields, {len(doc.tags)} elements, one script")
