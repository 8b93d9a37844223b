#!/usr/bin/env python3
"""Validate a Lodestone dataset folder (default data/world) and print a concentration summary.

Usage:  python3 scripts/check_dataset.py [--dir data/world] [--quiet]

Stdlib only. Checks (every problem is reported, as `file:line: message`, before exiting non-zero):
  headers exactly as documented; UTF-8 + LF; every referenced code exists (countries, blocs, materials, stages,
  sectors, measure ids); ROW only where allowed and never in countries.csv; no duplicate keys; stage orders
  gapless and yields in (0, 1]; shares/fractions in [0, 1]; end-use shares (and import-source shares) sum to
  1 +- 1e-6; quantities numeric and non-negative; dates parse (ISO YYYY-MM-DD); suspensions name existing ids
  and end on/after they start; bloc sizes (EU 27, G7 7, OECD 38); file sizes < 500 KB; stockpile release rules are
  durations; with the raw inputs at hand (--raw, default ../raw), every material/stage whose source states a world
  total reaches it within 1 % (countries not listed go into a residual ROW row).
Then prints, per material/stage, the world total and the top producer with its share (ROW excluded from
ranking), HHI, and sanity checks against known 2024 facts; and the measures in force on the as-of date.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
from collections import defaultdict

MATERIAL_IDS = [
    "rare_earths", "dysprosium", "terbium", "gallium", "germanium", "antimony", "tungsten", "graphite",
    "cobalt", "lithium", "nickel", "manganese", "magnesium", "tellurium", "bismuth", "indium", "molybdenum",
    "copper",
]
ROW = "ROW"
REGIONS = {"East Asia", "South Asia", "Southeast Asia", "Europe", "North America", "Latin America", "Africa",
           "Middle East", "Central Asia", "Oceania"}
BLOCS = {"EU": 27, "G7": 7, "OECD": 38, "QUAD": 4, "ASEAN": None, "NATO": None}
KINDS = {"export_licensing", "export_ban", "export_quota", "export_tax", "suspension", "stockpile_purchase",
         "stockpile_release", "capacity_change", "tariff", "demand_shift", "technology_control", "other"}
HEADERS = {
    "countries.csv": "iso3,name,region,wgi,blocs,source",
    "materials.csv": "id,name,family,price_usd_t,price_year,eol_rir,si_sr,si_ei,elasticity_demand_short,"
                     "elasticity_demand_long,elasticity_supply_long,substitution_lag_months,capacity_lag_months,source",
    "stages.csv": "material,stage,order,yield,description",
    "production.csv": "material,stage,country,year,tonnes,capacity_tonnes,source",
    "import_reliance.csv": "importer,material,year,net_import_reliance,source",
    "import_sources.csv": "importer,material,year,exporter,share,source",
    "sourcing_shares.csv": "perspective,material,stage,year,country,share,source",
    "sectors.csv": "id,name,gics,value_added_usd,source,serves_military",
    "end_use.csv": "material,sector,share,source",
    "intensity.csv": "sector,material,stage,kg_per_musd,source",
    "measures.csv": "id,kind,country,materials,stages,destinations,end_users,announced,effective,expires,suspends,"
                    "approval_rate,lead_time_days,quota_tonnes,tax_rate,tonnes,status,title,source,verified,notes",
    "stockpiles.csv": "holder,bloc_or_country,material,stage,tonnes,as_of,release_rule,source",
    "projects.csv": "id,country,material,stage,capacity_tonnes,status,start,ramp_months,probability,source",
}
# Publishers a measure's source may cite (host, or a parent domain of the host). Official texts first: the
# governments and agencies that issue the measures; then, for measures with no public official text, reputable news
# agencies and price reporters. Aggregators, blogs, reprints and law-firm notes are refused: a source must lead to
# the text itself or to a report an editor stands behind. Keep in step with docs/dataset.md.
OFFICIAL_HOSTS = {
    "mofcom.gov.cn",          # China, Ministry of Commerce (incl. exportcontrol. and aqygzj. subdomains)
    "customs.gov.cn",         # China, General Administration of Customs
    "gov.cn",                 # China, State Council and ministries
    "federalregister.gov", "govinfo.gov",   # US Federal Register
    "whitehouse.gov", "dla.mil", "defense.gov", "war.gov", "sam.gov", "bis.gov", "commerce.gov", "usgs.gov",
    "ustr.gov", "state.gov",
    "europa.eu",              # European Commission, Council, Official Journal (eur-lex)
    "wto.org", "iea.org", "oecd.org",
    "meti.go.jp", "jogmec.go.jp", "motie.go.kr", "komir.or.kr",
}
REPUTABLE_HOSTS = {
    "reuters.com", "bloomberg.com", "nikkei.com", "ft.com", "argusmedia.com", "fastmarkets.com",
}
ALLOWED_HOSTS = OFFICIAL_HOSTS | REPUTABLE_HOSTS


def source_problems(source: str) -> list[str]:
    """Why a measure's source is not acceptable: no URL, or a URL whose host is not on the allow-list."""
    urls = re.findall(r"https?://[^\s,;()'\"]+", source)
    if not urls:
        return ["no URL (cite the official text or an allowed publisher)"]
    out = []
    for u in urls:
        host = re.sub(r"^https?://", "", u).split("/")[0].split(":")[0].lower()
        if not any(host == h or host.endswith("." + h) for h in ALLOWED_HOSTS):
            out.append(f"host {host} is not on the allow-list of official and reputable publishers")
    return out


# (material, stage, expected top producer, low, high): known 2024 facts
SANITY = [
    ("rare_earths", "mine", "CHN", 0.66, 0.72, "China ~69 % of REE mining 2024 (USGS)"),
    ("rare_earths", "separation", "CHN", 0.88, 0.94, "China ~90 % of REE separation/refining (IEA)"),
    ("rare_earths", "magnet", "CHN", 0.87, 0.94, "China ~90 % of NdFeB magnets (industry estimate)"),
    ("gallium", "refined", "CHN", 0.97, 1.0, "China ~98-99 % of primary gallium (USGS)"),
    ("cobalt", "mine", "COD", 0.72, 0.80, "DRC ~75 % of cobalt mining (USGS: 76 %)"),
    ("nickel", "mine", "IDN", 0.57, 0.63, "Indonesia ~60 % of nickel mining (USGS)"),
    ("graphite", "anode", "CHN", 0.93, 0.98, "China ~95 % of battery-grade graphite (IEA)"),
    ("tungsten", "mine", "CHN", 0.78, 0.86, "China ~83 % of tungsten mining (USGS)"),
    ("dysprosium", "separation", "CHN", 0.97, 1.0, "China ~99 % of heavy-REE separation"),
]


class Checker:
    def __init__(self, folder: str):
        self.dir = folder
        self.errors: list[str] = []
        self.tables: dict[str, list[tuple[int, dict]]] = {}

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{where}: {msg}")

    # --- reading -----------------------------------------------------------------------------------------
    def load(self, name: str) -> list[tuple[int, dict]]:
        path = os.path.join(self.dir, name)
        if not os.path.exists(path):
            self.err(name, "missing file")
            return []
        raw = open(path, "rb").read()
        if len(raw) > 500 * 1024:
            self.err(name, f"file is {len(raw)} bytes (> 500 KB)")
        if b"\r" in raw:
            self.err(name, "contains CR characters (line endings must be LF)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(name, f"not UTF-8: {e}")
            return []
        lines = text.split("\n")
        data_lines = []
        for i, ln in enumerate(lines, start=1):
            if ln.startswith("#") or ln == "":
                continue
            data_lines.append((i, ln))
        if not data_lines:
            self.err(name, "no header")
            return []
        hline, header = data_lines[0]
        if header != HEADERS[name]:
            self.err(f"{name}:{hline}", f"header is {header!r}, expected {HEADERS[name]!r}")
        rows = []
        reader = csv.reader(io.StringIO("\n".join(ln for _, ln in data_lines)))
        cols = next(reader)
        for (lineno, _), rec in zip(data_lines[1:], reader):
            if len(rec) != len(cols):
                self.err(f"{name}:{lineno}", f"{len(rec)} fields, expected {len(cols)}")
                continue
            rows.append((lineno, dict(zip(cols, rec))))
        self.tables[name] = rows
        return rows

    def num(self, where: str, col: str, text: str, *, required=True, lo=None, hi=None, integer=False):
        if text == "":
            if required:
                self.err(where, f"{col}: empty")
            return None
        try:
            v = int(text) if integer else float(text)
        except ValueError:
            self.err(where, f"{col}: not a number: {text!r}")
            return None
        if v != v or v in (float("inf"), float("-inf")):
            self.err(where, f"{col}: not finite")
            return None
        if lo is not None and v < lo:
            self.err(where, f"{col}: {v} < {lo}")
        if hi is not None and v > hi:
            self.err(where, f"{col}: {v} > {hi}")
        return v

    def date(self, where: str, col: str, text: str, required=False):
        if text == "":
            if required:
                self.err(where, f"{col}: empty")
            return None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.err(where, f"{col}: not an ISO date: {text!r}")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.err(where, f"{col}: invalid date {text!r}")
            return None

    def dup(self, name: str, rows, keyf) -> None:
        seen = {}
        for lineno, r in rows:
            k = keyf(r)
            if k in seen:
                self.err(f"{name}:{lineno}", f"duplicate key {k} (first at line {seen[k]})")
            else:
                seen[k] = lineno

    # --- checks ------------------------------------------------------------------------------------------
    def run(self) -> dict:
        ctx = {}
        toml_path = os.path.join(self.dir, "dataset.toml")
        as_of = None
        if not os.path.exists(toml_path):
            self.err("dataset.toml", "missing")
        else:
            t = open(toml_path, encoding="utf-8").read()
            for key in ("name", "version", "description", "licence"):
                if not re.search(rf'^{key}\s*=\s*"', t, re.M):
                    self.err("dataset.toml", f"missing string key {key}")
            m = re.search(r"^as_of\s*=\s*(\d{4}-\d{2}-\d{2})\s*$", t, re.M)
            if not m:
                self.err("dataset.toml", "as_of must be a TOML date")
            else:
                as_of = dt.date.fromisoformat(m.group(1))
        if not os.path.exists(os.path.join(self.dir, "methods.toml")):
            self.err("methods.toml", "missing")
        ctx["as_of"] = as_of

        countries = self.load("countries.csv")
        self.dup("countries.csv", countries, lambda r: r["iso3"])
        iso = set()
        bloc_members = defaultdict(set)
        for ln, r in countries:
            w = f"countries.csv:{ln}"
            if r["iso3"] == ROW:
                self.err(w, "ROW must not appear in countries.csv")
            if not re.fullmatch(r"[A-Z]{3}", r["iso3"]):
                self.err(w, f"bad iso3 {r['iso3']!r}")
            iso.add(r["iso3"])
            if r["region"] not in REGIONS:
                self.err(w, f"unknown region {r['region']!r}")
            self.num(w, "wgi", r["wgi"], lo=0, hi=10)
            for b in filter(None, r["blocs"].split(";")):
                if b not in BLOCS:
                    self.err(w, f"unknown bloc {b}")
                bloc_members[b].add(r["iso3"])
        for b, n in BLOCS.items():
            if n is not None and len(bloc_members[b]) != n:
                self.err("countries.csv", f"bloc {b} has {len(bloc_members[b])} members, expected {n}")
        blocs = set(bloc_members)
        ctx["countries"] = {r["iso3"]: r for _, r in countries}

        materials = self.load("materials.csv")
        self.dup("materials.csv", materials, lambda r: r["id"])
        mats = {r["id"] for _, r in materials}
        if sorted(mats) != sorted(MATERIAL_IDS):
            self.err("materials.csv", f"ids {sorted(mats)} differ from the 18 required")
        for ln, r in materials:
            w = f"materials.csv:{ln}"
            self.num(w, "price_usd_t", r["price_usd_t"], lo=0)
            self.num(w, "price_year", r["price_year"], integer=True, lo=1990, hi=2100)
            self.num(w, "eol_rir", r["eol_rir"], required=False, lo=0, hi=1)
            self.num(w, "si_sr", r["si_sr"], lo=0, hi=1)
            self.num(w, "si_ei", r["si_ei"], lo=0, hi=1)
            self.num(w, "elasticity_demand_short", r["elasticity_demand_short"], hi=0)
            self.num(w, "elasticity_demand_long", r["elasticity_demand_long"], hi=0)
            self.num(w, "elasticity_supply_long", r["elasticity_supply_long"], lo=0)
            self.num(w, "substitution_lag_months", r["substitution_lag_months"], lo=0)
            self.num(w, "capacity_lag_months", r["capacity_lag_months"], lo=0)

        stages = self.load("stages.csv")
        self.dup("stages.csv", stages, lambda r: (r["material"], r["stage"]))
        self.dup("stages.csv", stages, lambda r: (r["material"], r["order"]))
        stage_set = set()
        orders = defaultdict(list)
        for ln, r in stages:
            w = f"stages.csv:{ln}"
            if r["material"] not in mats:
                self.err(w, f"unknown material {r['material']}")
            stage_set.add((r["material"], r["stage"]))
            o = self.num(w, "order", r["order"], integer=True, lo=1)
            if o is not None:
                orders[r["material"]].append((o, r["stage"]))
            y = self.num(w, "yield", r["yield"], lo=0, hi=1)
            if y == 0:
                self.err(w, "yield must be > 0")
            if not r["description"]:
                self.err(w, "empty description")
        last_stage = {}
        for m in mats:
            os_ = sorted(orders[m])
            if [o for o, _ in os_] != list(range(1, len(os_) + 1)):
                self.err("stages.csv", f"{m}: stage orders {[o for o, _ in os_]} are not 1..n")
            if os_:
                last_stage[m] = os_[-1][1]
        ctx["stage_order"] = {(m, s): o for m in orders for o, s in orders[m]}

        def country_ok(code, allow_row=False, allow_bloc=False):
            return code in iso or (allow_row and code == ROW) or (allow_bloc and code in blocs)

        production = self.load("production.csv")
        self.dup("production.csv", production, lambda r: (r["material"], r["stage"], r["country"]))
        prod = defaultdict(list)
        for ln, r in production:
            w = f"production.csv:{ln}"
            if (r["material"], r["stage"]) not in stage_set:
                self.err(w, f"unknown material/stage {r['material']}/{r['stage']}")
            if not country_ok(r["country"], allow_row=True):
                self.err(w, f"unknown country {r['country']}")
            self.num(w, "year", r["year"], integer=True, lo=1990, hi=2100)
            t = self.num(w, "tonnes", r["tonnes"], lo=0)
            self.num(w, "capacity_tonnes", r["capacity_tonnes"], required=False, lo=0)
            if not r["source"]:
                self.err(w, "empty source")
            if t is not None:
                prod[(r["material"], r["stage"])].append((r["country"], t))
        for k in stage_set:
            if sum(t for _, t in prod.get(k, [])) <= 0:
                self.err("production.csv", f"no production for {k[0]}/{k[1]}")
        ctx["prod"] = prod

        for ln, r in self.load("import_reliance.csv"):
            w = f"import_reliance.csv:{ln}"
            if not country_ok(r["importer"], allow_bloc=True):
                self.err(w, f"unknown importer {r['importer']}")
            if r["material"] not in mats:
                self.err(w, f"unknown material {r['material']}")
            self.num(w, "year", r["year"], integer=True)
            self.num(w, "net_import_reliance", r["net_import_reliance"], lo=0, hi=1)
        self.dup("import_reliance.csv", self.tables.get("import_reliance.csv", []),
                 lambda r: (r["importer"], r["material"], r["year"]))

        isrc = self.load("import_sources.csv")
        self.dup("import_sources.csv", isrc, lambda r: (r["importer"], r["material"], r["year"], r["exporter"]))
        sums = defaultdict(float)
        for ln, r in isrc:
            w = f"import_sources.csv:{ln}"
            if not country_ok(r["importer"], allow_bloc=True):
                self.err(w, f"unknown importer {r['importer']}")
            if not country_ok(r["exporter"], allow_row=True):
                self.err(w, f"unknown exporter {r['exporter']}")
            if r["material"] not in mats:
                self.err(w, f"unknown material {r['material']}")
            s = self.num(w, "share", r["share"], lo=0, hi=1)
            if s is not None:
                sums[(r["importer"], r["material"], r["year"])] += s
        for k, v in sums.items():
            if abs(v - 1) > 1e-6:
                self.err("import_sources.csv", f"shares of {k} sum to {v}")

        shares = self.load("sourcing_shares.csv")
        self.dup("sourcing_shares.csv", shares, lambda r: (r["perspective"], r["material"], r["stage"], r["country"]))
        sums = defaultdict(float)
        for ln, r in shares:
            w = f"sourcing_shares.csv:{ln}"
            if r["perspective"] != "WORLD" and not country_ok(r["perspective"], allow_bloc=True):
                self.err(w, f"unknown perspective {r['perspective']}")
            if not country_ok(r["country"], allow_row=True):
                self.err(w, f"unknown country {r['country']}")
            if (r["material"], r["stage"]) not in stage_set:
                self.err(w, f"unknown material/stage {r['material']}/{r['stage']}")
            self.num(w, "year", r["year"], integer=True)
            s = self.num(w, "share", r["share"], lo=0, hi=1)
            if s is not None:
                sums[(r["perspective"], r["material"], r["stage"])] += s
        for k, v in sums.items():
            if abs(v - 1) > 1e-6:
                self.err("sourcing_shares.csv", f"shares of {k} sum to {v}")

        sectors = self.load("sectors.csv")
        self.dup("sectors.csv", sectors, lambda r: r["id"])
        sector_ids = {r["id"] for _, r in sectors}
        for s in ("automotive", "electronics", "semiconductors", "defence", "aerospace", "energy_storage",
                  "renewables", "steel_alloys", "chemicals", "construction", "other"):
            if s not in sector_ids:
                self.err("sectors.csv", f"missing sector {s}")
        for ln, r in sectors:
            self.num(f"sectors.csv:{ln}", "value_added_usd", r["value_added_usd"], lo=1)
            if r["serves_military"] not in ("yes", "no"):
                self.err(f"sectors.csv:{ln}", f"serves_military must be yes or no, got {r['serves_military']!r}")
        if not any(r["serves_military"] == "yes" for _, r in sectors):
            self.err("sectors.csv", "no sector serves military end users: military-only measures would do nothing")

        end_use = self.load("end_use.csv")
        self.dup("end_use.csv", end_use, lambda r: (r["material"], r["sector"]))
        eu_sum = defaultdict(float)
        for ln, r in end_use:
            w = f"end_use.csv:{ln}"
            if r["material"] not in mats:
                self.err(w, f"unknown material {r['material']}")
            if r["sector"] not in sector_ids:
                self.err(w, f"unknown sector {r['sector']}")
            s = self.num(w, "share", r["share"], lo=0, hi=1)
            if s is not None:
                eu_sum[r["material"]] += s
        for m in mats:
            if abs(eu_sum.get(m, 0.0) - 1.0) > 1e-6:
                self.err("end_use.csv", f"{m}: end-use shares sum to {eu_sum.get(m, 0.0)!r}, not 1 +- 1e-6")

        intensity = self.load("intensity.csv")
        self.dup("intensity.csv", intensity, lambda r: (r["sector"], r["material"], r["stage"]))
        for ln, r in intensity:
            w = f"intensity.csv:{ln}"
            if r["sector"] not in sector_ids:
                self.err(w, f"unknown sector {r['sector']}")
            if (r["material"], r["stage"]) not in stage_set:
                self.err(w, f"unknown material/stage {r['material']}/{r['stage']}")
            self.num(w, "kg_per_musd", r["kg_per_musd"], lo=0)

        measures = self.load("measures.csv")
        self.dup("measures.csv", measures, lambda r: r["id"])
        ids = {r["id"] for _, r in measures}
        for ln, r in measures:
            w = f"measures.csv:{ln}"
            for problem in source_problems(r["source"]):
                self.err(w, f"source: {problem}")
            self.date(w, "verified", r["verified"], required=True)
            if r["kind"] not in KINDS:
                self.err(w, f"unknown kind {r['kind']}")
            if not country_ok(r["country"], allow_bloc=True):
                self.err(w, f"unknown country {r['country']}")
            ms = [x for x in r["materials"].split(";") if x]
            for x in ms:
                if x not in mats:
                    self.err(w, f"unknown material {x}")
            for s in filter(None, r["stages"].split(";")):
                if not any((x, s) in stage_set for x in ms):
                    self.err(w, f"stage {s} belongs to none of the listed materials")
            d = r["destinations"]
            if d and d != "ALL":
                codes = d[len("ALL_EXCEPT:"):] if d.startswith("ALL_EXCEPT:") else d
                for c in codes.split(";"):
                    if not country_ok(c, allow_bloc=True):
                        self.err(w, f"unknown destination {c}")
            if r["end_users"] not in ("all", "military"):
                self.err(w, f"end_users {r['end_users']!r} not all|military")
            self.date(w, "announced", r["announced"])
            eff = self.date(w, "effective", r["effective"], required=True)
            exp = self.date(w, "expires", r["expires"])
            if eff and exp and exp < eff:
                self.err(w, f"expires {exp} before effective {eff}")
            self.num(w, "approval_rate", r["approval_rate"], required=False, lo=0, hi=1)
            self.num(w, "lead_time_days", r["lead_time_days"], required=False, lo=0)
            self.num(w, "quota_tonnes", r["quota_tonnes"], required=False, lo=0)
            self.num(w, "tax_rate", r["tax_rate"], required=False, lo=0, hi=1)
            self.num(w, "tonnes", r["tonnes"], required=False, lo=0)
            sus = [x for x in r["suspends"].split(";") if x]
            if r["kind"] == "suspension":
                if not sus:
                    self.err(w, "suspension without suspends")
                if not eff or not exp:
                    self.err(w, "suspension needs effective and expires")
            elif sus:
                self.err(w, "suspends set on a non-suspension")
            for s in sus:
                if s not in ids:
                    self.err(w, f"suspends unknown measure {s}")
                if s == r["id"]:
                    self.err(w, "suspends itself")
            if not r["source"]:
                self.err(w, "empty source")
        ctx["measures"] = [r for _, r in measures]

        for ln, r in self.load("stockpiles.csv"):
            w = f"stockpiles.csv:{ln}"
            if not country_ok(r["bloc_or_country"], allow_bloc=True):
                self.err(w, f"unknown bloc_or_country {r['bloc_or_country']}")
            if (r["material"], r["stage"]) not in stage_set:
                self.err(w, f"unknown material/stage {r['material']}/{r['stage']}")
            self.num(w, "tonnes", r["tonnes"], lo=0)
            self.date(w, "as_of", r["as_of"], required=True)
            if r["release_rule"] and not re.fullmatch(r"\d+[dwmy]?", r["release_rule"]):
                self.err(w, f"release_rule {r['release_rule']!r} is not a duration <n>d|w|m|y (or empty)")
            if not r["source"]:
                self.err(w, "empty source")
        self.dup("stockpiles.csv", self.tables.get("stockpiles.csv", []),
                 lambda r: (r["holder"], r["material"], r["stage"], r["as_of"]))

        projects = self.load("projects.csv")
        self.dup("projects.csv", projects, lambda r: r["id"])
        for ln, r in projects:
            w = f"projects.csv:{ln}"
            if not country_ok(r["country"]):
                self.err(w, f"unknown country {r['country']}")
            if (r["material"], r["stage"]) not in stage_set:
                self.err(w, f"unknown material/stage {r['material']}/{r['stage']}")
            self.num(w, "capacity_tonnes", r["capacity_tonnes"], lo=0)
            if r["status"] not in ("announced", "construction", "operating"):
                self.err(w, f"status {r['status']!r}")
            self.date(w, "start", r["start"])
            self.num(w, "ramp_months", r["ramp_months"], lo=0)
            self.num(w, "probability", r["probability"], lo=0, hi=1)
        return ctx


def in_force(measures: list[dict], day: dt.date) -> list[dict]:
    def active(r):
        if not r["effective"]:
            return False
        eff = dt.date.fromisoformat(r["effective"])
        exp = dt.date.fromisoformat(r["expires"]) if r["expires"] else None
        return eff <= day and (exp is None or day <= exp)
    suspended = set()
    for r in measures:
        if r["kind"] == "suspension" and active(r):
            suspended.update(x for x in r["suspends"].split(";") if x)
    return [r for r in measures if active(r) and r["kind"] != "suspension" and r["id"] not in suspended]


def summary(ctx: dict, quiet: bool) -> list[str]:
    problems = []
    prod = ctx["prod"]
    wgi = {k: float(v["wgi"]) for k, v in ctx["countries"].items()}
    if not quiet:
        print(f"{'material/stage':28s} {'world t':>14s} {'top':>4s} {'share':>7s} {'2nd':>4s} {'share':>7s} "
              f"{'HHI':>6s} {'rows':>4s}")
    keys = sorted(prod, key=lambda k: (MATERIAL_IDS.index(k[0]), ctx["stage_order"].get(k, 0)))
    tops = {}
    for k in keys:
        rows = prod[k]
        total = sum(t for _, t in rows)
        ranked = sorted(((t / total, c) for c, t in rows if c != ROW), reverse=True)
        hhi = sum(s * s for s, _ in ranked)   # ROW residual counts in totals, not as a producer
        tops[k] = ranked
        if not quiet:
            top = ranked[0] if ranked else (0, "-")
            snd = ranked[1] if len(ranked) > 1 else (0, "-")
            print(f"{k[0] + '/' + k[1]:28s} {total:14,.1f} {top[1]:>4s} {top[0]:7.1%} {snd[1]:>4s} {snd[0]:7.1%} "
                  f"{hhi:6.3f} {len(rows):4d}")
    if not quiet:
        print("\nsanity checks against known facts:")
    for m, s, c, lo, hi, fact in SANITY:
        ranked = tops.get((m, s), [])
        share = next((v for v, cc in ranked if cc == c), 0.0)
        ok = ranked and ranked[0][1] == c and lo <= share <= hi
        if not quiet:
            print(f"  [{'ok' if ok else 'FAIL'}] {m}/{s}: {c} {share:.1%} (expected {lo:.0%}-{hi:.0%}; {fact})")
        if not ok:
            problems.append(f"sanity: {m}/{s}: {c} share {share:.3f} outside [{lo}, {hi}] or not top")
    if ctx.get("as_of") and not quiet:
        day = ctx["as_of"]
        print(f"\nmeasures in force on {day} (suspensions applied):")
        for r in in_force(ctx["measures"], day):
            print(f"  {r['id']:22s} {r['kind']:18s} {r['country']:4s} {r['materials'] or '-':45s} "
                  f"-> {r['destinations'] or '-'} ({r['end_users']})")
        nxt = day + dt.timedelta(days=1)
        before = {r["id"] for r in in_force(ctx["measures"], day)}
        after = {r["id"] for r in in_force(ctx["measures"], nxt)}
        if before != after:
            print(f"  changes on {nxt}: +{sorted(after - before)} -{sorted(before - after)}")
    return problems


def check_world_totals(ch: Checker, ctx: dict, raw: str) -> None:
    """Every material/stage whose source states a world total must reach it within 1 % (or the total's rounding):
    countries the source does not list belong in a residual ROW row, so that shares are of the true world total."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from build_dataset import source_world_totals, residual_needed
    for (m, st), (world, rounding, src) in sorted(source_world_totals(raw).items()):
        rows = ctx["prod"].get((m, st))
        if rows is None:
            ch.err("production.csv", f"{m}/{st}: world total given in raw data but no production rows")
            continue
        total = sum(t for _, t in rows)
        if residual_needed(total, world, rounding) > 0:
            ch.err("production.csv", f"{m}/{st}: rows sum to {total:g} t, short of the source's world total "
                                     f"{world:g} t by more than 1 % ({src[:80]}); add a residual ROW row")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Validate a Lodestone dataset folder")
    ap.add_argument("--dir", default="data/world")
    ap.add_argument("--quiet", action="store_true", help="only report problems")
    ap.add_argument("--raw", default=None,
                    help="raw inputs to compare world totals with (default: ../raw next to --dir, when present)")
    args = ap.parse_args(argv)
    ch = Checker(args.dir)
    ctx = ch.run()
    raw = args.raw or os.path.join(os.path.dirname(os.path.abspath(args.dir)), "raw")
    if not ch.errors and os.path.isdir(os.path.join(raw, "curated")):
        check_world_totals(ch, ctx, raw)
    problems = list(ch.errors)
    if not ch.errors:
        problems += summary(ctx, args.quiet)
    for p in problems:
        print(f"check_dataset: {p}", file=sys.stderr)
    if problems:
        print(f"check_dataset: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("check_dataset: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
