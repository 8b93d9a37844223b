#!/usr/bin/env python3
"""Writes the starting seeds of fuzz/corpus/<target>/ from the repository's own inputs: the loader
corpus (tests/loader), data/world, data/examples, data/scenarios and the API test data. Seeds are
named seed_*; inputs found by fuzzing (crash_*, odd_*) are added by hand and never rewritten here.
Run from the repository root: python3 scripts/fuzz_seeds.py"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"


def write(target, name, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed_{name}").write_bytes(data if isinstance(data, bytes) else data.encode())


def part(name, text):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "surrogateescape")
    return f"@@ {name}\n{text}"


def dataset():
    loader = ROOT / "tests" / "loader"
    base = loader / "base"
    write("dataset", "base", "")
    for case in sorted(p for p in loader.iterdir() if p.is_dir() and p.name[:2] in ("y_", "n_")):
        parts = []
        for f in sorted(case.iterdir()):
            if f.name not in ("case.txt", "expected.txt") and f.is_file():
                parts.append(part(f.name, f.read_bytes()))
        case_txt = case / "case.txt"
        skip = False
        for line in case_txt.read_text().splitlines() if case_txt.exists() else []:
            verb, _, rest = line.partition(" ")
            if verb == "delete":
                parts.append(f"@@ -{rest.strip()}\n")
            elif verb == "append":
                file, _, text = rest.partition(" ")
                original = (case / file) if (case / file).exists() else (base / file)
                parts = [p for p in parts if not p.startswith(f"@@ {file}\n")]
                parts.append(part(file, original.read_text() + text + "\n"))
            else:  # mkdir, huge_line, target: about files on disk, not their bytes
                skip = True
        if not skip:
            write("dataset", case.name, "".join(parts).encode("utf-8", "surrogateescape"))
    # The optional files of the real dataset, cut to their header and a few gallium rows.
    world = ROOT / "data" / "world"
    extra = []
    for name in ("trade.csv", "consumption.csv", "demand.csv", "sourcing_shares.csv"):
        lines = (world / name).read_text().splitlines(keepends=True)
        header = [l for l in lines if l.startswith("#")] + [next(l for l in lines if not l.startswith("#"))]
        rows = [l for l in lines if "gallium" in l and not l.startswith("#")][:6]
        extra.append(part(name, "".join(header + rows)))
    write("dataset", "optional_files", "".join(extra))
    write("dataset", "methods_world", part("methods.toml", (world / "methods.toml").read_text()))
    write("dataset", "dataset_toml_world", part("dataset.toml", (world / "dataset.toml").read_text()))


def user_inputs():
    ex = ROOT / "data" / "examples"
    for f in sorted(ex.glob("*.csv")):
        if f.name in ("events.csv", "holdings.csv") or f.name.endswith("_products.csv"):
            continue
        text = f.read_text()
        products = ex / (f.stem + "_products.csv")
        if products.exists():
            text += part("products.csv", products.read_text())
        write("bom", f.stem, text)
    write("holdings", "holdings", (ex / "holdings.csv").read_text())
    write("events", "csv", part("events.csv", (ex / "events.csv").read_text()))
    write("events", "jsonl", part("events.jsonl", (ex / "events.jsonl").read_text()))
    write("events", "detect_jsonl", (ex / "events.jsonl").read_text())
    for f in sorted((ROOT / "data" / "scenarios").glob("*.toml")):
        write("scenario", f.stem, f.read_text())


def http():
    ex = ROOT / "data" / "examples"
    bom = (ex / "gan_radar_module.csv").read_text()
    scen = (ROOT / "data" / "scenarios" / "cn_magnet_ban_us_eu.toml").read_text()
    holdings = (ex / "holdings.csv").read_text()
    loader_base = ROOT / "tests" / "loader" / "base"
    files = {f.name: f.read_text() for f in sorted(loader_base.iterdir())}
    reqs = {
        "health": "GET /api/v1/health \n",
        "validate_json": "POST /api/v1/dataset/validate application/json\n" + json.dumps({"files": files}),
        "validate_multipart": "POST /api/v1/dataset/validate multipart/form-data\n"
        + "".join(part(n, t) for n, t in files.items()),
        "lookthrough_csv": "POST /api/v1/lookthrough?as_of=2025-06-01 text/csv\n" + bom,
        "lookthrough_multipart": "POST /api/v1/lookthrough multipart/form-data\n"
        + part("bom", (ex / "li_ion_pack.csv").read_text())
        + part("products", (ex / "li_ion_pack_products.csv").read_text()),
        "simulate_toml": "POST /api/v1/simulate?runs=2 application/toml\n" + scen,
        "simulate_json": "POST /api/v1/simulate application/json\n" + json.dumps({"toml": scen, "runs": 3, "seed": 7}),
        "simulate_curated": "POST /api/v1/simulate?scenario=cn_magnet_ban_us_eu&runs=2 \n",
        "exposure": "POST /api/v1/exposure application/json\n"
        + json.dumps({"bom": bom, "scenario": "cn_magnet_ban_us_eu", "runs": 2, "pass_through": 0.5}),
        "portfolio": "POST /api/v1/portfolio application/json\n"
        + json.dumps({"holdings": holdings, "scenarios": ["cn_magnet_ban_us_eu"], "runs": 2, "cvar": 0.9}),
        "stockpile": "POST /api/v1/stockpile application/json\n"
        + json.dumps({"holder": "EU", "budget_usd": 1e8, "scenarios": ["cn_gagesb_us_ban_lapse"], "runs": 2,
                      "objective": "cvar:0.9", "materials": ["gallium"], "value_of_lost_supply": {"gallium": 2e6},
                      "holding_cost": 0.05, "release_weeks": 12}),
        "assess": "GET /api/v1/assess?material=gallium&perspective=USA \n",
        "policies": "GET /api/v1/policies?as_of=2025-01-01 \n",
        "shares": "GET /api/v1/shares?material=gallium \n",
    }
    # The workspace endpoints, in name order (the replay runs seeds sorted by name, against one
    # workspace): ingest events, read them back, add rules, run them, list and remove.
    reqs.update({
        "ws1_events_csv": "POST /api/v1/events?file=events.csv text/csv\n" + (ex / "events.csv").read_text(),
        "ws2_events_jsonl": "POST /api/v1/events?file=events.jsonl application/x-ndjson\n"
        + (ex / "events.jsonl").read_text(),
        "ws3_events_list": "GET /api/v1/events?origin=workspace&as_of=2026-12-01 \n",
        "ws4_event_history": "GET /api/v1/events/EX-SUSP46-EXT/history \n",
        "ws5_watch_rule": "POST /api/v1/watch/rules application/json\n"
        + json.dumps({"name": "ga", "materials": ["gallium", "germanium"], "destination": "USA",
                      "min_severity": "low"}),
        "ws6_watch_rule_bom": "POST /api/v1/watch/rules application/json\n"
        + json.dumps({"name": "radar", "bom": bom, "destination": "USA"}),
        "ws7_watch_run": "POST /api/v1/watch/run?as_of=2026-11-28&horizon=90d \n",
        "ws8_watch_alerts": "GET /api/v1/watch/alerts \n",
        "ws9_watch_delete": "DELETE /api/v1/watch/rules/ga \n",
    })
    for name, text in reqs.items():
        write("http", name, text)


if __name__ == "__main__":
    dataset()
    user_inputs()
    http()
