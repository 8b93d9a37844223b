#!/usr/bin/env python3
"""Build the embedded Lodestone dataset (data/world/) from the raw public files (data/raw/).

Usage:  python3 scripts/build_dataset.py [--raw data/raw] [--out data/world]

Stdlib only, deterministic: rows are sorted, floats are printed with a fixed number of decimals (trailing zeros
trimmed), and nothing depends on the clock, the locale or dict order of the inputs. Running it twice gives
byte-identical files.

Inputs:
  data/raw/<source>/...      copies of the public files (USGS MCS 2025/2026, IEA, WGI, EU CRM, events, prices)
  data/raw/curated/*.csv     hand-curated tables: name mappings, blocs, stage definitions, recipes, the measure
                             transcription, end-use allocations, sector sizes and every ASSUMPTION with its reason
When USGS publishes a new edition: drop the new files into data/raw/, point the recipes in data/raw/curated/
(production_sources.csv, prices.csv, import_reliance.csv) at them, rerun this script, then scripts/check_dataset.py.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
from collections import OrderedDict, defaultdict

DATASET_NAME = "lodestone-world"
DATASET_VERSION = "2026.11.0"
AS_OF = "2026-11-27"
# The last date to which the policy measures were checked against the public record: the latest official notices
# found (MOFCOM, July 2026). Whether the suspensions ending 2026-11-10 and 2026-11-27 were extended is not known;
# the CLI warns for any as-of date after this one.
POLICY_VERIFIED = "2026-07-31"

MATERIAL_IDS = [
    "rare_earths", "dysprosium", "terbium", "gallium", "germanium", "antimony", "tungsten", "graphite",
    "cobalt", "lithium", "nickel", "manganese", "magnesium", "tellurium", "bismuth", "indium", "molybdenum",
    "copper",
]
REGIONS = {"East Asia", "South Asia", "Southeast Asia", "Europe", "North America", "Latin America", "Africa",
           "Middle East", "Central Asia", "Oceania"}
MEASURE_KINDS = {"export_licensing", "export_ban", "export_quota", "export_tax", "suspension",
                 "stockpile_purchase", "stockpile_release", "capacity_change", "tariff", "demand_shift",
                 "technology_control", "other"}
ROW = "ROW"
USGS_UNITS = {"metric tons": 1.0, "thousand metric tons": 1000.0, "kilograms": 0.001}


class BuildError(Exception):
    pass


# ----------------------------------------------------------------------------------------------- CSV helpers

def read_csv(path: str) -> list[dict]:
    """Read a CSV with a header; lines starting with '#' are comments. Keys and values are kept verbatim."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    lines = [ln for ln in text.splitlines(keepends=True) if not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("".join(lines)))
    rows = []
    for row in reader:
        if None in row:
            raise BuildError(f"{path}: row with too many fields: {row}")
        rows.append(row)
    return rows


def fnum(x: float | int | None, nd: int = 6) -> str:
    """Fixed formatting: nd decimals, trailing zeros and a trailing dot trimmed; '' for None."""
    if x is None:
        return ""
    s = f"{float(x):.{nd}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def write_csv(path: str, header: list[str], rows: list[list], comments: list[str] | None = None) -> None:
    buf = io.StringIO()
    for c in comments or []:
        buf.write(f"# {c}\n")
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def parse_match(spec: str) -> list[tuple[str, str]]:
    """'a=b;c=d' -> [('a','b'), ('c','d')]. Values may contain commas (the field is CSV-quoted)."""
    out = []
    for part in spec.split(";"):
        if not part.strip():
            continue
        k, _, v = part.partition("=")
        out.append((k.strip(), v.strip()))
    return out


def select_rows(rows: list[dict], match: list[tuple[str, str]]) -> list[dict]:
    return [r for r in rows if all((r.get(k) or "").strip() == v for k, v in match)]


def to_float(text: str) -> float | None:
    t = (text or "").strip().replace(",", "")
    if t == "":
        return None
    try:
        return float(t)
    except ValueError:
        return None


RESIDUAL_TOLERANCE = 0.01   # listed producers may fall short of the source's world total by at most 1 %


def usgs_rounding(value: float) -> float:
    """Half a unit of the last significant digit of a rounded USGS total (240000 -> 5000; 81000 -> 500)."""
    digits = str(int(round(value)))
    zeros = len(digits) - len(digits.rstrip("0"))
    return 0.5 * 10 ** zeros if zeros else 0.5


def source_world_totals(raw: str) -> dict[tuple[str, str], tuple[float, float, str]]:
    """(material, stage) -> (world tonnes, rounding tonnes, source) for every recipe whose source states a world
    total: the USGS 'World total (rounded)' rows of the usgs recipes, and data/raw/curated/world_totals.csv."""
    usgs = read_csv(os.path.join(raw, "usgs_mcs2025", "world_data", "MCS2025_World_Data.csv"))
    out = {}
    for rec in read_csv(os.path.join(raw, "curated", "production_sources.csv")):
        if rec["method"] != "usgs":
            continue
        sel = parse_match(rec["select"])
        for r in usgs:
            if (r["COUNTRY"].strip().startswith("World total")
                    and all(re.sub(r"\s+", " ", (r[k] or "")).strip() == v for k, v in sel)):
                value = to_float(r["PROD_EST_ 2024"])
                if value is not None:
                    unit = USGS_UNITS[r["UNIT_MEAS"].strip()]
                    out[(rec["material"], rec["stage"])] = (
                        value * unit, usgs_rounding(value) * unit,
                        f"USGS MCS 2025 World Data, {r['COUNTRY'].strip()} {rec['material']} PROD_EST_ 2024")
    for r in read_csv(os.path.join(raw, "curated", "world_totals.csv")):
        out[(r["material"], r["stage"])] = (float(r["world_tonnes"]), float(r["rounding_tonnes"]), r["source"])
    return out


def residual_needed(listed: float, world: float, rounding: float) -> float:
    """Tonnes the listed producers fall short of the world total by, when beyond 1 % and beyond rounding; else 0."""
    gap = world - listed
    return gap if gap > RESIDUAL_TOLERANCE * world and gap > rounding else 0.0


# ----------------------------------------------------------------------------------------------- build steps

class Builder:
    def __init__(self, raw: str, out: str):
        self.raw = raw
        self.out = out
        self.cur = os.path.join(raw, "curated")
        self.assumption_log: list[tuple[str, str]] = []   # (file/row, text) for SOURCES.md
        self.referenced_countries: set[str] = set()

    def path(self, *parts: str) -> str:
        return os.path.join(self.raw, *parts)

    def curated(self, name: str) -> list[dict]:
        return read_csv(os.path.join(self.cur, name))

    def note_assumption(self, where: str, text: str) -> None:
        if "ASSUMPTION" in text:
            self.assumption_log.append((where, text))

    # --- countries ---------------------------------------------------------------------------------------
    def load_country_tables(self) -> None:
        self.countries = OrderedDict((r["iso3"], r) for r in self.curated("countries.csv"))
        for iso, r in self.countries.items():
            if not re.fullmatch(r"[A-Z]{3}", iso) or iso == ROW:
                raise BuildError(f"countries.csv: bad iso3 {iso!r}")
            if r["region"] not in REGIONS:
                raise BuildError(f"countries.csv: {iso}: unknown region {r['region']!r}")
        self.name_to_iso = {}
        for r in self.curated("country_names.csv"):
            self.name_to_iso[r["name"].strip()] = r["iso3"]
        self.blocs: dict[str, list[str]] = OrderedDict()
        self.bloc_source = {}
        for r in self.curated("blocs.csv"):
            members = [m for m in r["members"].split(";") if m]
            for m in members:
                if m not in self.countries:
                    raise BuildError(f"blocs.csv: {r['bloc']}: unknown member {m}")
            self.blocs[r["bloc"]] = members
            self.bloc_source[r["bloc"]] = r["source"]

    def iso(self, name: str, where: str) -> str:
        key = name.strip()
        key = re.sub(r"\s+", " ", key)
        if key not in self.name_to_iso:
            raise BuildError(f"{where}: country name {name!r} not in curated/country_names.csv")
        code = self.name_to_iso[key]
        if code != ROW and code not in self.countries:
            raise BuildError(f"{where}: {name!r} -> {code} not in curated/countries.csv")
        return code

    def compute_wgi(self) -> dict[str, tuple[float, str]]:
        summary = {r["iso3"]: r for r in read_csv(self.path("wgi", "wgi_target_countries_summary.csv"))}
        col_eu = [k for k in next(iter(summary.values())).keys() if k.startswith("eu_style_scaled_0_10_2022")][0]
        norm2022 = {}
        for r in read_csv(self.path("wgi", "wgi_2022_six_dim_mean_normalised.csv")):
            name = r["Country/Territory"].strip()
            if name in self.name_to_iso and to_float(r["2022"]) is not None:
                norm2022[self.name_to_iso[name]] = float(r["2022"])
        six2019 = defaultdict(list)
        p2019 = self.path("wgi", "wgi_2019_six_dimensions.csv")   # optional fallback, only needed for gaps
        for r in (read_csv(p2019) if os.path.exists(p2019) else []):
            name = r["country"].strip()
            v = to_float(r["estimate"])
            if name in self.name_to_iso and v is not None:
                six2019[self.name_to_iso[name]].append(v)
        out = {}
        for iso, row in self.countries.items():
            if iso in summary and to_float(summary[iso][col_eu]) is not None:
                out[iso] = (float(summary[iso][col_eu]),
                            "WGI 2022 EU-style score (10 = worst), wgi/wgi_target_countries_summary.csv")
            elif iso in norm2022:
                out[iso] = (10.0 * (1.0 - norm2022[iso]),
                            "WGI 2022 computed as 10 x (1 - six-dimension normalised mean), "
                            "wgi/wgi_2022_six_dim_mean_normalised.csv")
            elif len(six2019[iso]) == 6:
                mean = sum(six2019[iso]) / 6.0
                out[iso] = (10.0 * (1.0 - (mean + 2.5) / 5.0),
                            "WGI 2019: 10 x (1 - (mean of six estimates + 2.5)/5) from wgi/wgi_2019_six_dimensions.csv")
        for iso, row in self.countries.items():
            if iso not in out and row["wgi_proxy"]:
                proxy = row["wgi_proxy"]
                if proxy not in out:
                    raise BuildError(f"countries.csv: {iso}: proxy {proxy} has no WGI")
                out[iso] = (out[proxy][0], f"{row['source']} (proxy {proxy}: {out[proxy][1]})")
        missing = [iso for iso in self.countries if iso not in out]
        if missing:
            raise BuildError(f"no WGI value for {missing}; add a wgi_proxy in curated/countries.csv")
        return out

    # --- assumptions & production ------------------------------------------------------------------------
    def load_assumptions(self) -> None:
        self.assume = OrderedDict()
        for r in self.curated("assumptions.csv"):
            self.assume[r["key"]] = r
            self.note_assumption(f"assumptions.csv:{r['key']}", r["source"])

    def a_num(self, key: str) -> float:
        if key not in self.assume:
            raise BuildError(f"assumptions.csv: missing key {key}")
        return float(self.assume[key]["value"])

    def load_stages(self) -> None:
        self.stages = defaultdict(list)   # material -> [row]
        for r in self.curated("stages.csv"):
            if r["material"] not in MATERIAL_IDS:
                raise BuildError(f"stages.csv: unknown material {r['material']}")
            self.stages[r["material"]].append(r)
        for m in MATERIAL_IDS:
            rows = sorted(self.stages[m], key=lambda r: int(r["order"]))
            if [int(r["order"]) for r in rows] != list(range(1, len(rows) + 1)):
                raise BuildError(f"stages.csv: {m}: orders not 1..n")
            self.stages[m] = rows
        self.stage_order = {(m, r["stage"]): int(r["order"]) for m in MATERIAL_IDS for r in self.stages[m]}
        for m in MATERIAL_IDS:
            for r in self.stages[m]:
                self.note_assumption(f"stages.csv:{m}/{r['stage']} (yield {r['yield']})", r["source"])

    def world_total(self, material: str, stage: str) -> float:
        rows = self.production.get((material, stage))
        if rows is None:
            raise KeyError((material, stage))
        return sum(r["tonnes"] for r in rows)

    def stage_yield(self, material: str, stage: str) -> float:
        row = next(r for r in self.stages[material] if r["stage"] == stage)
        if row["yield"].strip() == "derived":
            order = int(row["order"])
            if order == 1:
                return 1.0
            prev = self.stages[material][order - 2]["stage"]
            return min(1.0, self.world_total(material, stage) / self.world_total(material, prev))
        return float(row["yield"])

    def eval_world(self, expr: str) -> float:
        tokens = re.split(r"([*/])", expr.replace(" ", ""))
        value = None
        op = "*"
        for tok in tokens:
            if tok in ("*", "/"):
                op = tok
                continue
            if tok.startswith("a:"):
                v = self.a_num(tok[2:])
            elif tok.startswith("w:"):
                m, s = tok[2:].split(".", 1)
                v = self.world_total(m, s)
            elif tok.startswith("y:"):
                m, s = tok[2:].split(".", 1)
                v = self.stage_yield(m, s)
            else:
                v = float(tok)
            value = v if value is None else (value * v if op == "*" else value / v)
        return value

    def share_set(self, spec: str, where: str) -> list[tuple[str, float, str]]:
        kind, _, rest = spec.partition(":")
        out: dict[str, float] = defaultdict(float)
        if kind == "iea":
            rows = select_rows(self.iea, parse_match(rest) + [("case", "observed"), ("year", "2024")])
            for r in rows:
                v = float(r["value_kt"])
                if v > 0:
                    out[self.iso(r["country"], where)] += v
        elif kind == "assembled":
            rows = select_rows(self.assembled, parse_match(rest))
            for r in rows:
                out[self.iso(r["country"], where)] += float(r["share"])
        elif kind == "set":
            for r in self.share_sets:
                if r["set"] == rest:
                    out[r["country"]] += float(r["share"])
        else:
            raise BuildError(f"{where}: unknown share source {spec!r}")
        total = sum(out.values())
        if total <= 0:
            raise BuildError(f"{where}: empty share set {spec!r}")
        return [(c, v / total, spec) for c, v in out.items()]

    def build_production(self) -> None:
        self.usgs = read_csv(self.path("usgs_mcs2025", "world_data", "MCS2025_World_Data.csv"))
        self.iea = read_csv(self.path("iea", "iea_supply_by_country_2024_base.csv"))
        self.assembled = read_csv(self.path("production_shares_assembled.csv"))
        self.share_sets = self.curated("share_sets.csv")
        for r in self.share_sets:
            self.note_assumption(f"share_sets.csv:{r['set']}:{r['country']}", r["source"])
        recipes = self.curated("production_sources.csv")
        self.world_totals = source_world_totals(self.raw)
        self.production: dict[tuple[str, str], list[dict]] = {}
        self.production_recipe = {}
        pending = list(recipes)
        for _ in range(len(recipes) + 1):
            deferred = []
            for rec in pending:
                try:
                    self.production[(rec["material"], rec["stage"])] = self.run_recipe(rec)
                    self.production_recipe[(rec["material"], rec["stage"])] = rec
                except KeyError:
                    deferred.append(rec)
            if not deferred:
                break
            if len(deferred) == len(pending):
                raise BuildError(f"production_sources.csv: unresolved references in {[r['material'] + '/' + r['stage'] for r in deferred]}")
            pending = deferred
        for m in MATERIAL_IDS:
            for st in self.stages[m]:
                if (m, st["stage"]) not in self.production:
                    raise BuildError(f"production_sources.csv: no recipe for {m}/{st['stage']}")
        for rec in recipes:
            self.note_assumption(f"production.csv:{rec['material']}/{rec['stage']}", rec["source"])

    def run_recipe(self, rec: dict) -> list[dict]:
        m, st, method = rec["material"], rec["stage"], rec["method"]
        where = f"production_sources.csv:{m}/{st}"
        if (m, st) not in self.stage_order:
            raise BuildError(f"{where}: stage not in stages.csv")
        rows: dict[str, dict] = {}

        def add(country, tonnes, cap, year, source):
            if country in rows:
                raise BuildError(f"{where}: duplicate country {country}")
            rows[country] = {"material": m, "stage": st, "country": country, "year": year,
                             "tonnes": tonnes, "capacity": cap, "source": source}

        if method == "usgs":
            sel = [(k, v) for k, v in parse_match(rec["select"])]
            hits = []
            for r in self.usgs:
                if all(re.sub(r"\s+", " ", (r[k] or "")).strip() == v for k, v in sel):
                    hits.append(r)
            if not hits:
                raise BuildError(f"{where}: no USGS rows for {rec['select']!r}")
            for r in hits:
                name = r["COUNTRY"].strip()
                if name.startswith("World total"):
                    continue
                unit = USGS_UNITS[r["UNIT_MEAS"].strip()]
                prod = to_float(r["PROD_EST_ 2024"])
                cap = to_float(r["CAP_EST_ 2024"])
                note = (r["PROD_NOTES"] or "").strip()
                if prod is None and cap is None:
                    continue   # blank / W (withheld) / NA: no figure
                code = self.iso(name, where)
                src = rec["source"]
                if prod is None:
                    prod = 0.0
                    src += "; no 2024 production reported, capacity only (tonnes 0)"
                if note:
                    src += f"; USGS note: {note}"
                add(code, prod * unit, None if cap is None else cap * unit, 2024, src)
        elif method == "iea":
            hits = select_rows(self.iea, parse_match(rec["select"]) + [("case", "observed"), ("year", "2024")])
            if not hits:
                raise BuildError(f"{where}: no IEA rows for {rec['select']!r}")
            for r in hits:
                v = float(r["value_kt"]) * 1000.0
                if v <= 0:
                    continue
                code = self.iso(r["country"], where)
                add(code, v, None, 2024, rec["source"] + ("; IEA 'Rest of world' residual" if code == ROW else ""))
        elif method == "assembled":
            hits = select_rows(self.assembled, parse_match(rec["select"]))
            if not hits:
                raise BuildError(f"{where}: no assembled rows for {rec['select']!r}")
            for r in hits:
                if r["unit"].strip() != "metric tons":
                    raise BuildError(f"{where}: unexpected unit {r['unit']}")
                v = float(r["value"])
                if v <= 0:
                    continue
                add(self.iso(r["country"], where), v, None, int(r["year"]), rec["source"] + f"; {r['quality']}")
        elif method == "shares":
            world = self.eval_world(rec["world"])     # may raise KeyError -> deferred
            for code, share, spec in self.share_set(rec["select"], where):
                if code != ROW and code not in self.countries:
                    raise BuildError(f"{where}: unknown country {code}")
                add(code, world * share, None, 2024,
                    rec["source"] + f"; share {fnum(share, 4)} of world {fnum(world, 1)} t")
        else:
            raise BuildError(f"{where}: unknown method {method}")
        if not rows:
            raise BuildError(f"{where}: recipe produced no rows")
        if (m, st) in self.world_totals:
            world, rounding, wsrc = self.world_totals[(m, st)]
            listed = sum(r["tonnes"] for r in rows.values())
            gap = residual_needed(listed, world, rounding)
            if gap > 0:
                year = max(r["year"] for r in rows.values())
                note = (f"residual: world total {fnum(world, 1)} t minus the {fnum(listed, 1)} t listed by country "
                        f"= {fnum(gap, 1)} t of countries the source does not list (counts in totals, not as one "
                        f"producer in HHI); world total: {wsrc}")
                if ROW in rows:
                    rows[ROW]["tonnes"] += gap
                    rows[ROW]["source"] += "; plus " + note
                else:
                    add(ROW, gap, None, year, note)
        return list(rows.values())

    # --- materials ---------------------------------------------------------------------------------------
    def build_materials(self) -> list[list]:
        eol23 = {r["reference_id"].strip(): r for r in read_csv(self.path("eu_crm", "eol_rir_2023_and_hs_codes.csv"))}
        eol20 = {r["material"].strip(): r for r in read_csv(self.path("eu_crm", "eu_crm2020_eol_rir.csv"))}
        prices = {r["material"]: r for r in self.curated("prices.csv")}
        self.material_rows = OrderedDict()
        out = []
        cur = {r["id"]: r for r in self.curated("materials.csv")}
        if sorted(cur) != sorted(MATERIAL_IDS):
            raise BuildError("materials.csv: ids differ from the 18 required ids")
        for mid in MATERIAL_IDS:
            r = cur[mid]
            # price
            p = prices[mid]
            prows = select_rows(read_csv(self.path(p["file"])), parse_match(p["match"]))
            if len(prows) != 1:
                raise BuildError(f"prices.csv:{mid}: {len(prows)} rows match {p['match']!r}")
            val = to_float(prows[0][p["value_column"]])
            if val is None:
                raise BuildError(f"prices.csv:{mid}: empty {p['value_column']}")
            price = val * float(p["factor"])
            year_txt = dict(parse_match(p["match"])).get("year") or dict(parse_match(p["match"])).get("Year")
            price_year = int(re.match(r"\d{4}", year_txt).group(0))
            # EoL-RIR
            eol = None
            eol_src = "eol_rir: not published"
            if r["eol_ref"]:
                key, _, name = r["eol_ref"].partition(":")
                if key == "eu2023":
                    eol = float(eol23[name]["eol_rir_2023"])
                    eol_src = f"eol_rir: EU CRM 2023 (SCRREEN2) '{name}' = {eol23[name]['eol_rir_2023']} (eu_crm/eol_rir_2023_and_hs_codes.csv)"
                elif key == "eu2020":
                    eol = float(eol20[name]["eol_rir_2020"])
                    eol_src = f"eol_rir: EU CRM 2020 '{name}' = {eol20[name]['eol_rir_2020']} (eu_crm/eu_crm2020_eol_rir.csv)"
                else:
                    raise BuildError(f"materials.csv:{mid}: bad eol_ref")
            si_src = f"si_sr {r['si_sr']}, si_ei {r['si_ei']}: {r['si_source']}"
            assumption = (f"ASSUMPTION: elasticities "
                          f"{r['elasticity_demand_short']}/{r['elasticity_demand_long']}/{r['elasticity_supply_long']}, "
                          f"lags {r['substitution_lag_months']}/{r['capacity_lag_months']} months: {r['assumption']}")
            price_src = f"price: {p['file']} ({p['note']}) {price_year}"
            source = f"{si_src} | {assumption} | {price_src} | {eol_src}"
            self.note_assumption(f"materials.csv:{mid}", assumption)
            if "ASSUMPTION" in p["note"]:
                self.note_assumption(f"materials.csv:{mid}:price", p["note"])
            for k in ("si_sr", "si_ei"):
                if not 0 <= float(r[k]) <= 1:
                    raise BuildError(f"materials.csv:{mid}: {k} outside [0,1]")
            if not (float(r["elasticity_demand_short"]) < 0 and float(r["elasticity_demand_long"]) < 0
                    and float(r["elasticity_supply_long"]) > 0):
                raise BuildError(f"materials.csv:{mid}: elasticity signs")
            self.material_rows[mid] = {"price": price}
            out.append([mid, r["name"], r["family"], fnum(price, 2), price_year, fnum(eol, 4),
                        fnum(float(r["si_sr"]), 3), fnum(float(r["si_ei"]), 3),
                        fnum(float(r["elasticity_demand_short"]), 3), fnum(float(r["elasticity_demand_long"]), 3),
                        fnum(float(r["elasticity_supply_long"]), 3), fnum(float(r["substitution_lag_months"]), 1),
                        fnum(float(r["capacity_lag_months"]), 1), source])
        return out

    # --- import reliance & sources -----------------------------------------------------------------------
    @staticmethod
    def convert_nir(text: str) -> tuple[float, str]:
        t = text.strip()
        if t == "E":
            return 0.0, "'E' (net exporter) -> 0"
        m = re.fullmatch(r">\s*(\d+(?:\.\d+)?)", t)
        if m:
            n = float(m.group(1))
            return (n + 100.0) / 200.0, f"'{t}' -> midpoint of ({fnum(n)}%, 100%]"
        m = re.fullmatch(r"<\s*(\d+(?:\.\d+)?)", t)
        if m:
            n = float(m.group(1))
            return n / 200.0, f"'{t}' -> midpoint of [0, {fnum(n)}%)"
        v = to_float(t)
        if v is None:
            raise BuildError(f"unparseable USGS NIR {text!r}")
        return v / 100.0, f"{fnum(v)}%"

    def build_import_reliance(self) -> list[list]:
        out = []
        for r in self.curated("import_reliance.csv"):
            rows = select_rows(read_csv(self.path(r["file"])), parse_match(r["match"]))
            if len(rows) != 1:
                raise BuildError(f"import_reliance.csv:{r['material']}: {len(rows)} rows match")
            raw = rows[0][r["value_column"]]
            val, how = self.convert_nir(raw)
            src = f"USGS MCS 2025 {r['file'].split('/')[-1]} ({r['match']}), 2024: {how}"
            if r["note"]:
                src += f"; {r['note']}"
            out.append(["USA", r["material"], 2024, fnum(val, 4), src])
        self.referenced_countries.add("USA")
        out.sort(key=lambda x: (x[0], MATERIAL_IDS.index(x[1])))
        return out

    def build_import_sources(self) -> list[list]:
        rows = self.curated("import_sources.csv")
        out = []
        sums = defaultdict(float)
        for r in rows:
            for c in (r["importer"], r["exporter"]):
                if c != ROW and c not in self.countries:
                    raise BuildError(f"import_sources.csv: unknown country {c}")
                if c != ROW:
                    self.referenced_countries.add(c)
            sums[(r["importer"], r["material"])] += float(r["share"])
            out.append([r["importer"], r["material"], int(r["year"]), r["exporter"], fnum(float(r["share"]), 4),
                        r["source"]])
        for k, v in sums.items():
            if abs(v - 1.0) > 1e-6:
                raise BuildError(f"import_sources.csv: shares of {k} sum to {v}")
        out.sort(key=lambda x: (x[0], MATERIAL_IDS.index(x[1]), x[3] == ROW, -float(x[4]), x[3]))
        return out

    def build_sourcing_shares(self) -> list[list]:
        """Published supply mixes of the EU 2023 study (Appendix 7): the EU's sourcing at the stage the EU
        assessed (perspective EU), and global supply at extraction and processing (perspective WORLD)."""
        out = self.published_mix("EU", "eu_crm2023_eu_sourcing.csv", "partner", 2023, "EU sourcing shares")
        out += self.published_mix("WORLD", "eu_crm2023_global_supply.csv", "country", 2020,
                                  "global supply shares (2016-2020 averages)")
        out.sort(key=lambda x: (x[0] == "WORLD", x[0], MATERIAL_IDS.index(x[1]), x[2], x[4] == ROW,
                                -float(x[5]), x[4]))
        return out

    def published_mix(self, perspective: str, file: str, column: str, year: int, what: str) -> list[list]:
        out = []
        sums = defaultdict(float)
        name = f"eu_crm/{file}"
        for r in read_csv(self.path("eu_crm", file)):
            where = f"{name}:{r['material']}/{r[column]}"
            self.check_stage(where, r["material"], r["stage"])
            code = self.iso(r[column], where)
            self.check_code(where, code, False, False)
            share = float(r["share"])
            sums[(r["material"], r["stage"])] += share
            out.append([perspective, r["material"], r["stage"], year, code, fnum(share, 4),
                        f"EU CRM 2023 study (doi:10.2873/725585), Appendix 7, {what} (>= 1 %) at "
                        f"{'extraction' if r['eu_stage'] == 'E' else 'processing'}: {r[column]} {fnum(100 * share, 3)} % "
                        "(transcribed in github.com/erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets "
                        "@555be664, CC BY 4.0)"])
        for (material, stage), total in sums.items():
            if total > 1.0 + 1e-9:
                raise BuildError(f"{name}: shares of {material}/{stage} sum to {total}")
            if total < 1.0 - 1e-9:
                out.append([perspective, material, stage, year, ROW, fnum(1.0 - total, 4),
                            f"EU CRM 2023 study, Appendix 7: shares below 1 % are not listed; 1 - listed "
                            f"{fnum(total, 4)} = the rest"])
        return out

    # --- observed trade and consumption (trade.csv, consumption.csv) ---------------------------------------
    def check_stage(self, where: str, material: str, stage: str) -> None:
        if material not in MATERIAL_IDS or all(r["stage"] != stage for r in self.stages[material]):
            raise BuildError(f"{where}: unknown material/stage {material}/{stage}")

    def check_code(self, where: str, code: str, allow_row: bool, allow_bloc: bool) -> None:
        if code == ROW and allow_row or allow_bloc and code in self.blocs:
            return
        if code not in self.countries:
            raise BuildError(f"{where}: unknown country {code}")
        self.referenced_countries.add(code)

    def build_trade(self) -> list[list]:
        """Observed bilateral flows: USGS US import sources x US imports; Eurostat EU imports by partner; customs
        figures by partner as credible publishers report them (China's exports and imports)."""
        out = []
        customs_name = "customs_flows_reported.csv"
        customs = read_csv(self.path("trade", customs_name))
        reported_flows = self.reported_flows(customs_name, customs)
        self.reported_imports = defaultdict(float)  # (material, stage, importer) -> t, for consumption.csv
        for (m, stage, _, importer, _), (tonnes, _) in reported_flows.items():
            self.reported_imports[(m, stage, importer)] += tonnes
        # A flow the customs figures report for the year itself replaces the USGS 2020-23 partner share of it; the
        # other USGS partners share what is left of the USGS import total.
        reported = set(reported_flows)
        reported_into_usa = defaultdict(float)  # by material: tonnes of the reported flows into the USA
        for (m, _, _, importer, _), (tonnes, _) in reported_flows.items():
            if importer == "USA":
                reported_into_usa[m] += tonnes
        usgs = read_csv(self.path("trade", "usgs_mcs2025_us_imports.csv"))
        sums = defaultdict(float)
        kept = defaultdict(float)  # share of the USGS partners not replaced by a reported flow, by material
        for r in usgs:
            sums[r["material"]] += float(r["share"])
            if (r["material"], r["stage"], r["exporter"], "USA", r["year"]) not in reported:
                kept[r["material"]] += float(r["share"])
        for m, v in sums.items():
            if abs(v - 1.0) > 1e-6:
                raise BuildError(f"trade/usgs_mcs2025_us_imports.csv: shares of {m} sum to {v}")
        quotes: dict[str, str] = {}  # "same" repeats the material's first quote
        for r in usgs:
            where = f"trade/usgs_mcs2025_us_imports.csv:{r['material']}/{r['exporter']}"
            self.check_stage(where, r["material"], r["stage"])
            self.check_code(where, r["exporter"], True, False)
            share = float(r["share"])
            imports = float(r["imports_tonnes"])
            quote = quotes.setdefault(r["material"], r["quote"]) if r["quote"] == "same" or r["material"] not in quotes \
                else r["quote"]
            if (r["material"], r["stage"], r["exporter"], "USA", r["year"]) in reported:
                continue
            rest = imports - reported_into_usa[r["material"]]
            if rest < 0:
                raise BuildError(f"{where}: the reported flows into the USA ({reported_into_usa[r['material']]} t) "
                                 f"exceed the USGS import total ({imports} t)")
            scale = rest / (imports * kept[r["material"]])
            rescaled = "" if abs(scale - 1.0) < 1e-12 else (
                f"; rescaled x {fnum(scale, 4)} to share the {fnum(rest, 6)} t the reported {r['year']} flows of "
                f"other partners leave of the import total ({customs_name}): ASSUMPTION: the remaining partners keep "
                "their 2020-23 proportions")
            src = (f"USGS MCS 2025 {r['material']} (https://pubs.usgs.gov/periodicals/mcs2025/), US imports 2024e "
                   f"{r['imports_form']} x import-source share {fnum(share, 2)} (2020-23): '{quote}'; "
                   f"ASSUMPTION: 2020-23 partner shares applied to 2024 imports{rescaled}")
            out.append([r["material"], r["stage"], r["exporter"], "USA", int(r["year"]),
                        fnum(imports * share * scale, 4), src])
        self.note_assumption("trade.csv:USA", "ASSUMPTION: USGS 2020-23 import-source shares applied to 2024 imports")
        eu = read_csv(self.path("trade", "eu_ree_imports_2024_eurostat.csv"))
        total = next(float(r["quantity_t"]) for r in eu if r["partner"].startswith("WORLD"))
        named = 0.0
        iso = {"China": "CHN", "Russia": "RUS", "Malaysia": "MYS"}
        for r in eu:
            if r["partner"].startswith("WORLD"):
                continue
            code = iso[r["partner"]]
            self.check_code("trade/eu_ree_imports_2024_eurostat.csv", code, False, False)
            named += float(r["quantity_t"])
            out.append(["rare_earths", "separation", code, "EU", int(r["year"]), fnum(float(r["quantity_t"]), 4),
                        f"Eurostat, EU27 extra-EU imports of REE+ (all rare earths incl. Sc and Y) 2024 from {r['partner']}: "
                        f"{r['quantity_t']} t ({fnum(100 * float(r['share_of_total']), 3)}% of {fnum(total, 6)} t), "
                        "Eurostat news release 2025-04-09 (https://ec.europa.eu/eurostat/product?code=ddn-20250409-1, "
                        f"dataset ds-045409), also reported by WAM 2025-04-12 ({r['source_url']}); Eurostat article "
                        "https://ec.europa.eu/eurostat/statistics-explained/index.php?title=International_trade_in_critical_raw_materials"])
        out.append(["rare_earths", "separation", ROW, "EU", 2024, fnum(total - named, 4),
                    f"Eurostat EU27 REE+ imports 2024: total {fnum(total, 6)} t minus China, Russia and Malaysia "
                    f"({fnum(named, 6)} t) = all other partners"])
        for (m, stage, exporter, importer, year), (tonnes, source) in reported_flows.items():
            out.append([m, stage, exporter, importer, int(year), fnum(tonnes, 4), source])
        out.sort(key=lambda x: (MATERIAL_IDS.index(x[0]), x[1], x[3], x[2] == ROW, -float(x[5]), x[2]))
        return out

    def reported_flows(self, name: str, rows: list[dict]) -> dict[tuple, tuple[float, str]]:
        """Customs figures by partner (trade/customs_flows_reported.csv): tonnes = reported x content, summed over
        the products of one flow (e.g. carbonate and hydroxide), with the source text of each part."""
        flows: dict[tuple, tuple[float, str]] = {}
        quotes: dict[str, str] = {}  # "same" repeats the quote of the material's row above
        for r in rows:
            where = f"trade/{name}:{r['material']}/{r['exporter']}/{r['importer']}"
            self.check_stage(where, r["material"], r["stage"])
            self.check_code(where, r["exporter"], False, False)
            self.check_code(where, r["importer"], False, True)
            if r["covers_year"] not in ("yes", "no"):
                raise BuildError(f"{where}: covers_year must be yes or no, not {r['covers_year']!r}")
            content = float(r["content"])
            if not 0 < content <= 1:
                raise BuildError(f"{where}: content {content} is not a fraction of the reported unit")
            quote = quotes.setdefault(r["material"], r["quote"]) if r["quote"] == "same" else r["quote"]
            quotes[r["material"]] = quote
            self.note_assumption(f"trade.csv:{r['material']}/{r['exporter']}/{r['importer']}", r["content_basis"])
            converted = "" if content == 1 else f" x {r['content']}"
            source = (f"{r['reporter']}: {r['exporter']} to {r['importer']} {r['reported']} {r['reported_unit']}"
                      f"{converted} ({r['content_basis']}), as reported by {r['source_url']}: '{quote}'; "
                      f"period {r['period']}"
                      + ("" if r["covers_year"] == "yes" else
                         ": the reported figure, a lower bound of the calendar-year flow (not scaled up)"))
            key = (r["material"], r["stage"], r["exporter"], r["importer"], r["year"])
            tonnes, earlier = flows.get(key, (0.0, ""))
            flows[key] = (tonnes + float(r["reported"]) * content, f"{earlier} + {source}" if earlier else source)
        return flows

    def build_consumption(self) -> list[list]:
        """Apparent use by country or bloc: published figures or computed from production and trade."""
        out = []
        for r in read_csv(self.path("trade", "consumption_published.csv")):
            where = f"trade/consumption_published.csv:{r['material']}/{r['country']}"
            self.check_stage(where, r["material"], r["stage"])
            self.check_code(where, r["country"], False, True)
            members = self.blocs.get(r["country"], [r["country"]])
            output = sum(p["tonnes"] for p in self.production[(r["material"], r["stage"])] if p["country"] in members)
            method = r["method"]
            if method == "published":
                tonnes = float(r["tonnes"])
                how = "published"
            elif method == "production_minus_net_exports":
                tonnes = output - float(r["exports_tonnes"]) + float(r["imports_tonnes"])
                how = (f"production {fnum(output, 6)} t (production.csv) - exports {r['exports_tonnes']} t"
                       f" + imports {r['imports_tonnes']} t")
            elif method == "imports_minus_exports":
                tonnes = output + float(r["imports_tonnes"]) - float(r["exports_tonnes"])
                how = (f"imports {r['imports_tonnes']} t - exports {r['exports_tonnes']} t"
                       + (f" + production {fnum(output, 6)} t (production.csv)" if output > 0 else ""))
            elif method == "reported_imports_minus_exports":
                imports = self.reported_imports.get((r["material"], r["stage"], r["country"]), 0.0)
                if imports <= 0:
                    raise BuildError(f"{where}: no reported flows into {r['country']} in trade/customs_flows_reported.csv")
                tonnes = output + imports - float(r["exports_tonnes"])
                how = (f"imports {fnum(imports, 1)} t (the reported flows of trade.csv) - exports {r['exports_tonnes']} t"
                       + (f" + production {fnum(output, 6)} t (production.csv)" if output > 0 else ""))
            else:
                raise BuildError(f"{where}: unknown method {method}")
            if tonnes < 0:
                raise BuildError(f"{where}: negative apparent consumption {tonnes}")
            if "ASSUMPTION" in r["source"]:
                self.note_assumption(f"consumption.csv:{r['material']}/{r['stage']}/{r['country']}", r["source"])
            out.append([r["material"], r["stage"], r["country"], int(r["year"]), fnum(tonnes, 4),
                        f"apparent consumption ({how}); {r['source']}"])
        out.sort(key=lambda x: (MATERIAL_IDS.index(x[0]), x[1], x[2]))
        return out

    # --- sectors, end use, intensity ---------------------------------------------------------------------
    def build_sectors(self) -> list[list]:
        self.sectors = OrderedDict((r["id"], r) for r in self.curated("sectors.csv"))
        required = ["automotive", "electronics", "semiconductors", "defence", "aerospace", "energy_storage",
                    "renewables", "steel_alloys", "chemicals", "construction", "other"]
        for s in required:
            if s not in self.sectors:
                raise BuildError(f"sectors.csv: missing sector {s}")
        out = []
        for sid, r in self.sectors.items():
            self.note_assumption(f"sectors.csv:{sid}", r["source"])
            if r.get("serves_military", "") not in ("yes", "no"):
                raise BuildError(f"sectors.csv: {sid}: serves_military must be yes or no")
            out.append([sid, r["name"], r["gics"], fnum(float(r["value_added_usd"]), 0), r["source"],
                        r["serves_military"]])
        return out

    def build_end_use(self) -> list[list]:
        rows = self.curated("end_use.csv")
        by_mat = defaultdict(list)
        for r in rows:
            if r["material"] not in MATERIAL_IDS or r["sector"] not in self.sectors:
                raise BuildError(f"end_use.csv: unknown material/sector in {r}")
            by_mat[r["material"]].append(r)
        out = []
        self.end_use = []
        for m in MATERIAL_IDS:
            if not by_mat[m]:
                raise BuildError(f"end_use.csv: no rows for {m}")
            shares = OrderedDict()
            srcs = {}
            for r in by_mat[m]:
                if r["sector"] in shares:
                    raise BuildError(f"end_use.csv: duplicate {m}/{r['sector']}")
                shares[r["sector"]] = float(r["share"])
                srcs[r["sector"]] = r["source"]
                self.note_assumption(f"end_use.csv:{m}/{r['sector']}", r["source"])
            total = sum(shares.values())
            if total > 1.0 + 1e-9:
                raise BuildError(f"end_use.csv: {m} shares sum to {total} > 1")
            if total < 1.0 - 1e-9:
                rem = 1.0 - total
                shares["other"] = shares.get("other", 0.0) + rem
                srcs["other"] = (srcs.get("other", "") + f"; remainder {fnum(rem, 6)} added by build_dataset.py").lstrip("; ")
            for sector, share in shares.items():
                self.end_use.append((m, sector, share))
                out.append([m, sector, fnum(share, 6), srcs[sector]])
        return out

    def last_stage(self, m: str) -> str:
        return self.stages[m][-1]["stage"]

    def build_intensity(self) -> list[list]:
        out = []
        for m, sector, share in self.end_use:
            st = self.last_stage(m)
            world = self.world_total(m, st)
            va = float(self.sectors[sector]["value_added_usd"])
            kg_per_musd = share * world * 1000.0 / (va / 1e6)
            src = (f"derived: end-use share {fnum(share, 4)} x world output of {m}/{st} ({fnum(world, 0)} t, "
                   f"production.csv, taken as world consumption) x 1000 kg/t / sector value added "
                   f"{fnum(va / 1e9, 0)} bn USD (sectors.csv, used as the output proxy)")
            out.append([sector, m, st, fnum(kg_per_musd, 4), src])
        out.sort(key=lambda x: (x[0], MATERIAL_IDS.index(x[1])))
        return out

    # --- measures ----------------------------------------------------------------------------------------
    def build_measures(self) -> list[list]:
        events = read_csv(self.path("events", "critical_mineral_policy_events.csv"))
        ev = {e["event_id"]: e for e in events}
        rows = self.curated("measures.csv")
        cols = ["id", "kind", "country", "materials", "stages", "destinations", "end_users", "announced",
                "effective", "expires", "suspends", "approval_rate", "lead_time_days", "quota_tonnes", "tax_rate",
                "tonnes", "status", "title", "source", "verified", "notes"]
        ids = set()
        covered = set()
        out = []
        all_stage_ids = {s for (_, s) in self.stage_order}
        for r in rows:
            mid = r["id"]
            where = f"measures.csv:{mid}"
            if mid in ids:
                raise BuildError(f"{where}: duplicate id")
            ids.add(mid)
            if r["event_id"]:
                if r["event_id"] not in ev:
                    raise BuildError(f"{where}: unknown event_id {r['event_id']}")
                covered.add(r["event_id"])
            if r["kind"] not in MEASURE_KINDS:
                raise BuildError(f"{where}: unknown kind {r['kind']}")
            mats = [x for x in r["materials"].split(";") if x]
            for x in mats:
                if x not in MATERIAL_IDS:
                    raise BuildError(f"{where}: unknown material {x}")
            for s in [x for x in r["stages"].split(";") if x]:
                if not any((x, s) in self.stage_order for x in mats):
                    raise BuildError(f"{where}: stage {s} belongs to none of {mats}")
            if r["country"] in self.countries:
                self.referenced_countries.add(r["country"])
            elif r["country"] not in self.blocs:
                raise BuildError(f"{where}: unknown country {r['country']}")
            dest = r["destinations"]
            if dest and dest != "ALL":
                codes = dest[len("ALL_EXCEPT:"):] if dest.startswith("ALL_EXCEPT:") else dest
                for c in codes.split(";"):
                    if c in self.countries:
                        self.referenced_countries.add(c)
                    elif c not in self.blocs:
                        raise BuildError(f"{where}: unknown destination {c}")
            if r["end_users"] not in ("all", "military"):
                raise BuildError(f"{where}: end_users must be all|military")
            for k in ("announced", "effective", "expires", "verified"):
                if r[k] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[k]):
                    raise BuildError(f"{where}: bad date {k}={r[k]}")
            if not r["effective"]:
                raise BuildError(f"{where}: effective date is required (approximate it and say so in notes)")
            if r["kind"] == "suspension" and (not r["suspends"] or not r["effective"] or not r["expires"]):
                raise BuildError(f"{where}: suspension needs suspends, effective and expires")
            src = r["source"]   # never the events file's links: those include aggregators (see check_dataset.py)
            if not src:
                raise BuildError(f"{where}: no source")
            if not r["verified"]:
                raise BuildError(f"{where}: no verified date")
            self.note_assumption(f"measures.csv:{mid}", r["notes"])
            out.append([r[c] if c != "source" else src for c in cols])
        for r in rows:
            for s in [x for x in r["suspends"].split(";") if x]:
                if s not in ids:
                    raise BuildError(f"measures.csv:{r['id']}: suspends unknown id {s}")
        missing = sorted(set(ev) - covered)
        if missing:
            raise BuildError(f"measures.csv: events not represented: {missing}")
        self.measure_ids = ids
        out.sort(key=lambda x: (x[8] or "9999", x[0]))   # by effective date, then id
        return out

    # --- stockpiles & projects ---------------------------------------------------------------------------
    def demand_weight(self, material: str, country: str) -> tuple[float, str]:
        """The country's final-stage demand weight for the material (own rows, else the '*' default)."""
        rows = self.curated("demand.csv")
        for key in (material, "*"):
            for r in rows:
                if r["material"] == key and r["country"] == country:
                    return float(r["weight"]), f"demand.csv {key}/{country}"
        raise BuildError(f"stockpiles.csv: no demand weight for {country} ({material} or '*')")

    def build_stockpiles(self) -> list[list]:
        out = []
        for i, r in enumerate(self.curated("stockpiles.csv"), start=1):
            where = f"stockpiles.csv row {i} ({r['holder']}, {r['material']})"
            m, st = r["material"], r["stage"]
            if (m, st) not in self.stage_order:
                raise BuildError(f"{where}: unknown stage {m}/{st}")
            if r["release_rule"] and not re.fullmatch(r"\d+[dwmy]?", r["release_rule"]):
                raise BuildError(f"{where}: release_rule {r['release_rule']!r} is not a duration <n>d|w|m|y")
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["as_of"]):
                raise BuildError(f"{where}: as_of must be a date")
            code = r["bloc_or_country"]
            if code in self.countries:
                self.referenced_countries.add(code)
            elif code not in self.blocs:
                raise BuildError(f"{where}: unknown holder country {code}")
            source = r["source"]
            if bool(r["tonnes"]) == bool(r["days_of_use"]):
                raise BuildError(f"{where}: give exactly one of tonnes and days_of_use")
            if r["days_of_use"]:
                days = float(r["days_of_use"])
                weight, wsrc = self.demand_weight(m, code)
                world = self.world_total(m, st)
                tonnes = days / 365.0 * weight * world
                derivation = (f"ASSUMPTION: tonnes = {fnum(days, 0)} days / 365 x {code} use; {code} use = demand "
                              f"weight {fnum(weight, 4)} ({wsrc}) x world {m}/{st} output {fnum(world, 1)} t "
                              f"(production.csv) = {fnum(weight * world, 1)} t/yr, so {fnum(tonnes, 1)} t; "
                              f"assumes the published days-of-use figure is met")
                self.note_assumption(f"stockpiles.csv:{r['holder']}/{m}", derivation)
                source = f"{derivation} | {source}"
                tonnes_txt = fnum(tonnes, 1)
            else:
                tonnes_txt = fnum(float(r["tonnes"]), 3)
                self.note_assumption(f"stockpiles.csv:{r['holder']}/{m}", source)
            out.append([r["holder"], code, m, st, tonnes_txt, r["as_of"], r["release_rule"], source])
        return out

    def build_projects(self) -> list[list]:
        start = self.assume["project_start"]["value"]
        self.a_num("project_min_tonnes")
        ramp = self.a_num("project_ramp_months")
        prob = self.a_num("project_probability")
        out = []
        for spec in self.curated("project_sources.csv"):
            m, st = spec["material"], spec["stage"]
            if (m, st) not in self.stage_order:
                raise BuildError(f"project_sources.csv: unknown stage {m}/{st}")
            base = {}
            for r in self.iea:
                if r["mineral"] == spec["iea_mineral"] and r["stage"] == spec["iea_stage"]:
                    base[(r["country"], r["year"])] = float(r["value_kt"])
            for (country, year), v2030 in sorted(base.items()):
                if year != "2030" or country == "Rest of world":
                    continue
                v2024 = base.get((country, "2024"), 0.0)
                delta = (v2030 - v2024) * 1000.0
                if delta < float(self.assume["project_min_tonnes"]["value"]):
                    continue
                code = self.iso(country, "project_sources.csv")
                self.referenced_countries.add(code)
                pid = f"IEA2030-{m}-{st}-{code}"
                src = (f"IEA (2025) Global Critical Minerals Outlook 2025, Critical Minerals Dataset base case: "
                       f"{spec['iea_mineral']} {spec['iea_stage']} {country} {fnum(v2024, 1)} kt (2024) -> "
                       f"{fnum(v2030, 1)} kt (2030); ASSUMPTION: start {start}, ramp {fnum(ramp, 0)} months, "
                       f"probability {fnum(prob, 2)} (see assumptions.csv)")
                out.append([pid, code, m, st, fnum(delta, 1), "announced", start, fnum(ramp, 0), fnum(prob, 2), src])
        out.sort(key=lambda x: (MATERIAL_IDS.index(x[2]), self.stage_order[(x[2], x[3])], x[1]))
        return out

    # --- main --------------------------------------------------------------------------------------------
    def run(self) -> None:
        os.makedirs(self.out, exist_ok=True)
        self.load_country_tables()
        self.load_assumptions()
        self.load_stages()
        self.build_production()

        # stages.csv
        stage_rows = []
        for m in MATERIAL_IDS:
            for r in self.stages[m]:
                y = self.stage_yield(m, r["stage"])
                if not 0 < y <= 1:
                    raise BuildError(f"stages.csv: {m}/{r['stage']}: yield {y} outside (0,1]")
                stage_rows.append([m, r["stage"], int(r["order"]), fnum(y, 4), r["description"]])
        write_csv(os.path.join(self.out, "stages.csv"), ["material", "stage", "order", "yield", "description"],
                  stage_rows)

        # production.csv
        prod_rows = []
        for m in MATERIAL_IDS:
            for st in self.stages[m]:
                rows = self.production[(m, st["stage"])]
                rows = sorted(rows, key=lambda r: (r["country"] == ROW, r["country"]))
                for r in rows:
                    if r["country"] != ROW:
                        self.referenced_countries.add(r["country"])
                    prod_rows.append([m, st["stage"], r["country"], r["year"], fnum(r["tonnes"], 3),
                                      fnum(r["capacity"], 3), r["source"]])
        write_csv(os.path.join(self.out, "production.csv"),
                  ["material", "stage", "country", "year", "tonnes", "capacity_tonnes", "source"], prod_rows)

        write_csv(os.path.join(self.out, "materials.csv"),
                  ["id", "name", "family", "price_usd_t", "price_year", "eol_rir", "si_sr", "si_ei",
                   "elasticity_demand_short", "elasticity_demand_long", "elasticity_supply_long",
                   "substitution_lag_months", "capacity_lag_months", "source"], self.build_materials())
        write_csv(os.path.join(self.out, "import_reliance.csv"),
                  ["importer", "material", "year", "net_import_reliance", "source"], self.build_import_reliance())
        write_csv(os.path.join(self.out, "import_sources.csv"),
                  ["importer", "material", "year", "exporter", "share", "source"], self.build_import_sources())
        write_csv(os.path.join(self.out, "sourcing_shares.csv"),
                  ["perspective", "material", "stage", "year", "country", "share", "source"],
                  self.build_sourcing_shares(),
                  ["Published sourcing mixes of a country or bloc at one stage: share of its supply by origin, its own",
                   "members' output included (data/raw/eu_crm/); ROW = the unlisted rest. Used for that perspective's",
                   "assessment where observed trade does not cover the stage. Perspective WORLD = a published global",
                   "supply mix of the year given: assess uses it when the production data are later than the date assessed."])
        write_csv(os.path.join(self.out, "trade.csv"),
                  ["material", "stage", "exporter", "importer", "year", "tonnes", "source"], self.build_trade(),
                  ["Observed bilateral flows, t/yr of contained element (data/raw/trade/); importer may be a bloc (EU).",
                   "The network uses them first and derives only the rest of each country's imports."])
        write_csv(os.path.join(self.out, "consumption.csv"),
                  ["material", "stage", "country", "year", "tonnes", "source"], self.build_consumption(),
                  ["Observed apparent use of a stage by a country or bloc, t/yr (data/raw/trade/consumption_published.csv);",
                   "world output minus these is shared among the others by the demand weights."])
        write_csv(os.path.join(self.out, "sectors.csv"), ["id", "name", "gics", "value_added_usd", "source",
                                                               "serves_military"],
                  self.build_sectors())
        write_csv(os.path.join(self.out, "end_use.csv"), ["material", "sector", "share", "source"],
                  self.build_end_use())
        write_csv(os.path.join(self.out, "intensity.csv"), ["sector", "material", "stage", "kg_per_musd", "source"],
                  self.build_intensity())
        write_csv(os.path.join(self.out, "measures.csv"),
                  ["id", "kind", "country", "materials", "stages", "destinations", "end_users", "announced",
                   "effective", "expires", "suspends", "approval_rate", "lead_time_days", "quota_tonnes",
                   "tax_rate", "tonnes", "status", "title", "source", "verified", "notes"], self.build_measures())
        write_csv(os.path.join(self.out, "stockpiles.csv"),
                  ["holder", "bloc_or_country", "material", "stage", "tonnes", "as_of", "release_rule", "source"],
                  self.build_stockpiles())
        write_csv(os.path.join(self.out, "projects.csv"),
                  ["id", "country", "material", "stage", "capacity_tonnes", "status", "start", "ramp_months",
                   "probability", "source"], self.build_projects())

        # demand.csv: final-stage demand weights (curated; the network's sourcing rule, docs/lookthrough.md)
        demand = []
        for r in self.curated("demand.csv"):
            if r["country"] != "ROW":
                self.referenced_countries.add(r["country"])
            demand.append([r["material"], r["country"], fnum(float(r["weight"])), r["source"]])
        write_csv(os.path.join(self.out, "demand.csv"), ["material", "country", "weight", "source"], demand,
                  ["Final-stage demand weights per country (share of world use); material '*' = default for every",
                   "material without rows of its own; the rest of the world (ROW) takes 1 - sum (data/raw/curated/demand.csv)."])

        # countries.csv (last: collects every referenced code)
        wgi = self.compute_wgi()
        missing = sorted(c for c in self.referenced_countries if c not in self.countries)
        if missing:
            raise BuildError(f"referenced countries missing from curated/countries.csv: {missing}")
        member_of = defaultdict(list)
        for b, members in self.blocs.items():
            for c in members:
                member_of[c].append(b)
        crow = []
        for iso in sorted(self.countries):
            r = self.countries[iso]
            score, wsrc = wgi[iso]
            if not 0 <= score <= 10:
                raise BuildError(f"{iso}: WGI {score} outside 0-10")
            src = f"{r['source']}; wgi: {wsrc}"
            if r["wgi_proxy"]:
                src = f"{r['source']}; wgi: proxy {r['wgi_proxy']} ({wgi[r['wgi_proxy']][1]})"
                self.note_assumption(f"countries.csv:{iso}", r["source"])
            crow.append([iso, r["name"], r["region"], fnum(score, 3), ";".join(member_of[iso]), src])
        write_csv(os.path.join(self.out, "countries.csv"), ["iso3", "name", "region", "wgi", "blocs", "source"], crow)

        self.write_toml()
        self.write_sources_md()

    def write_toml(self) -> None:
        ds = f'''# Lodestone embedded default dataset. Built by scripts/build_dataset.py from data/raw/; do not edit by hand.
name = "{DATASET_NAME}"
version = "{DATASET_VERSION}"
as_of = {AS_OF}
policy_verified = {POLICY_VERIFIED}
description = "Critical-minerals supply chains for 18 materials: 2024 country production by stage (USGS MCS 2025, IEA Global Critical Minerals Outlook 2025), US import reliance, end uses, sector intensities, policy measures 2010-2026 (China export controls and suspensions, US DLA stockpiling, EU RESourceEU), WGI governance. Assumptions are labelled in each row's source column and listed in SOURCES.md."
licence = "Underlying data: USGS Mineral Commodity Summaries 2025/2026 and data releases are US public domain (cite doi:10.5066/P13XCP3R and doi:10.5066/P1WKQ63T); IEA Critical Minerals Dataset is CC BY 4.0 (cite: IEA (2025), Global Critical Minerals Outlook 2025, IEA, Paris); World Bank Worldwide Governance Indicators are CC BY 4.0 (cite: Kaufmann and Kraay, WGI, World Bank); World Mining Data (Austrian Federal Ministry of Finance) germanium figures are cited by source; EU CRM recycling rates are from European Commission CRM assessments; policy events are facts with source URLs per row."
'''
        with open(os.path.join(self.out, "dataset.toml"), "w", encoding="utf-8", newline="") as f:
            f.write(ds)
        methods = '''# Parameters of the criticality methods (docs/methods.md). Built by scripts/build_dataset.py; all values configurable.

[trade_factor]
# t_c in HHI_WGI,t = sum_c S_c^2 * WGI_c * t_c, applied when country c has an export restriction in force on the
# material. EU CRM methodology (European Commission, "Methodology for establishing the EU list of critical raw
# materials - Guidelines", 2017, doi:10.2873/769526), as applied in the EU 2023 assessment: its table of global
# supply shares and trade-related variable (Study on the Critical Raw Materials for the EU 2023 - Final Report,
# Appendix 7; data/raw/eu_crm/eu_crm2023_trade_factor_examples.csv) gives 1.1 where an export tax applies (DRC
# cobalt, China antimony, Argentina lithium), 1.2 for a quota or several measures (Vietnam tungsten ores), 1.3 for an
# export prohibition (Indonesia nickel ore).
export_tax = 1.1          # export tax (EU 2023 Appendix 7, e.g. COD cobalt, CHN antimony)
export_quota = 1.2        # export quota (EU 2023 Appendix 7, e.g. VNM tungsten)
export_licensing = 1.3    # ASSUMPTION: licensing treated like a prohibition (no licensing-only case in the EU table)
export_ban = 1.3          # export prohibition (EU 2023 Appendix 7, IDN nickel ore)

[eu]
critical_ei = 2.8         # economic-importance threshold (EU CRM 2017 guidelines; CRMA Annex II)
critical_sr = 1.0         # supply-risk threshold (EU CRM 2017 guidelines; CRMA Annex II)
# The EU's adjustment for its internal market: in the EU 2023 table every EU member state has t = 0.8 (and no
# third country, FTA partners included, has t below 1), in global supply and in EU sourcing alike.
member_trade_factor = 0.8
# Stages that are products rather than raw materials: the EU assesses extraction and processing only, so the EU
# perspective leaves these out unless `lodestone assess --product-stages` asks for them.
product_stages = ["magnet", "anode"]

[price]
cap_multiple = 1000.0     # numerical guard of the market model, a multiple of the baseline price; a run that reaches it is flagged as failed (docs/market_model.md)
'''
        with open(os.path.join(self.out, "methods.toml"), "w", encoding="utf-8", newline="") as f:
            f.write(methods)

    def write_sources_md(self) -> None:
        tmpl_path = os.path.join(self.cur, "SOURCES_world.md")
        with open(tmpl_path, encoding="utf-8") as f:
            text = f.read()
        lines = ["", "## Assumption register (generated)", "",
                 "Every row or table entry whose figure is an ASSUMPTION, as found by build_dataset.py in the curated",
                 "inputs (file:key, then the text). Rows of the output files carry the same text in their `source`",
                 "(or `notes`) column.", ""]
        seen = set()
        for where, txt in self.assumption_log:
            key = (where, txt)
            if key in seen:
                continue
            seen.add(key)
            clean = " ".join(txt.split())
            lines.append(f"- `{where}`: {clean}")
        text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
        with open(os.path.join(self.out, "SOURCES.md"), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", default="data/raw", help="raw input folder (default data/raw)")
    ap.add_argument("--out", default="data/world", help="output folder (default data/world)")
    args = ap.parse_args(argv)
    try:
        Builder(args.raw, args.out).run()
    except BuildError as e:
        print(f"build_dataset: error: {e}", file=sys.stderr)
        return 1
    print(f"build_dataset: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
