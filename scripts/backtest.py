#!/usr/bin/env python3
"""Backtest the market model against observed price episodes (data/backtests/<episode>/).

Each episode folder holds `backtest.toml` (what to compare), `scenario.toml` (the episode as a
scenario), `observed.csv` (published monthly prices, one source per row) and SOURCES.md/events.md.
The script runs the real CLI (`lodestone simulate SCENARIO --runs N --format json --out DIR`), reads
the weekly price-multiple bands of DIR/series.json (median and P5/P95 over runs, per region and
material), averages the weeks of each calendar month and compares with the observed series:

* peak multiple: model = largest monthly median; observed = largest price / price in the baseline month;
* peak month: the month of that largest value;
* fall: 1 - (lowest value in the 24 months after the peak) / peak, where the observed series has points.

`--check` passes an episode when, for every comparison marked `check = true`, the model's peak
multiple is within a factor of 2 of the observed one, its peak month within 6 months of the observed
peak month, and, where the observed price fell back (by at least `fall_threshold`, 30 %), the model
falls by at least 30 % within 24 months of its own peak. A checked comparison with `known_failure` (the
reason, as text) must fail instead: a strict expected failure, so that a model that starts to pass is
noticed. It prints the table either way and exits 1 on a failure. `--docs` rewrites docs/backtests.md
(table and one SVG chart per comparison).

Exit codes: 0 ok, 1 a check failed (or the CLI failed internally), 2 bad input (every problem is
printed as `file:line:column: message (CODE)`). Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MULTIPLE_TOLERANCE = 2.0      # model peak multiple within observed / 2 .. observed * 2
PEAK_MONTH_TOLERANCE = 6      # months
FALL_WINDOW_MONTHS = 24
MODEL_FALL_REQUIRED = 0.30    # model fall from its peak within the window, when the observed price fell
OBSERVED_COLUMNS = ["series", "month", "price", "unit", "source", "basis", "interpolated"]
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class InputProblems(Exception):
    """Bad input: carries every problem as a compiler-style line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Months and series arithmetic (pure functions; tested in tests/backtest/backtest_test.py)

def month_index(month: str) -> int:
    """'2011-08' -> 2011 * 12 + 7, so that differences are whole months."""
    m = MONTH_RE.match(month)
    if not m:
        raise ValueError(f"not a month YYYY-MM: {month!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def weekly_to_monthly(week_dates: list[str], values: list[float | None]) -> dict[str, float]:
    """Mean of the weeks whose first day falls in each calendar month; weeks without a value are skipped."""
    if len(week_dates) != len(values):
        raise ValueError(f"{len(week_dates)} week dates but {len(values)} values")
    sums: dict[str, list[float]] = {}
    for date, v in zip(week_dates, values):
        if v is None or not math.isfinite(v):
            continue
        sums.setdefault(date[:7], []).append(float(v))
    return {m: sum(vs) / len(vs) for m, vs in sorted(sums.items())}


@dataclass
class Peak:
    value: float            # largest value (a multiple of the baseline)
    month: str
    fall: float | None      # 1 - min(after peak, within the window) / peak; None without later points
    fall_months: int        # months after the peak that the fall looked at (0 if none)


def peak_and_fall(series: dict[str, float], window_months: int = FALL_WINDOW_MONTHS) -> Peak:
    """Peak of a month -> value series (the earliest month on ties) and the fall within the window after it."""
    if not series:
        raise ValueError("empty series")
    months = sorted(series, key=month_index)
    peak_month = max(months, key=lambda m: (series[m], -month_index(m)))
    peak = series[peak_month]
    p = month_index(peak_month)
    after = [m for m in months if p < month_index(m) <= p + window_months]
    if not after or peak <= 0:
        return Peak(peak, peak_month, None, 0)
    low = min(series[m] for m in after)
    return Peak(peak, peak_month, 1.0 - low / peak, month_index(after[-1]) - p)


def observed_multiples(prices: dict[str, float], baseline_month: str) -> dict[str, float]:
    """Prices divided by the price of the baseline month; only the baseline month and later."""
    if baseline_month not in prices:
        raise ValueError(f"no observed price in the baseline month {baseline_month}")
    base = prices[baseline_month]
    b = month_index(baseline_month)
    return {m: v / base for m, v in prices.items() if month_index(m) >= b}


@dataclass
class Verdict:
    multiple_ok: bool
    month_ok: bool
    fall_ok: bool | None     # None: the observed price did not fall back (no requirement)
    month_gap: int

    @property
    def passed(self) -> bool:
        return self.multiple_ok and self.month_ok and self.fall_ok is not False


def judge(model: Peak, observed: Peak, fall_threshold: float) -> Verdict:
    """The three checks of --check for one comparison."""
    lo, hi = observed.value / MULTIPLE_TOLERANCE, observed.value * MULTIPLE_TOLERANCE
    gap = month_index(model.month) - month_index(observed.month)
    fell = observed.fall is not None and observed.fall >= fall_threshold
    fall_ok = None
    if fell:
        fall_ok = model.fall is not None and model.fall >= MODEL_FALL_REQUIRED
    return Verdict(lo <= model.value <= hi, abs(gap) <= PEAK_MONTH_TOLERANCE, fall_ok, gap)


# ---------------------------------------------------------------------------------------------
# Input files

@dataclass
class Comparison:
    series: str
    region: str
    material: str
    baseline_month: str
    check: bool
    note: str
    stage: str = ""  # the model stage whose price is compared ("" = the material's final stage)
    # Why the model is known to fail this checked comparison. --check then requires the failure (a strict
    # expected failure): a model that starts to pass fails the check until the entry is removed.
    known_failure: str = ""

    def passes(self, verdict: "Verdict") -> bool:
        """What --check requires of this comparison: nothing if only reported, the failure if it is known."""
        if not self.check:
            return True
        return not verdict.passed if self.known_failure else verdict.passed


@dataclass
class Episode:
    name: str
    folder: Path
    title: str
    scenario: Path
    observed_file: Path
    fall_threshold: float
    comparisons: list[Comparison]
    observed: dict[str, dict[str, float]] = field(default_factory=dict)   # series -> month -> price
    units: dict[str, str] = field(default_factory=dict)


def _toml_line(text: str, key: str, occurrence: int = 0) -> int:
    """Best-effort line of `key =` in a TOML text (1-based), for diagnostics; 1 if not found."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if re.match(rf"\s*{re.escape(key)}\s*=", line)]
    return hits[occurrence] if occurrence < len(hits) else 1


def read_episode(folder: Path) -> Episode:
    path = folder / "backtest.toml"
    text = path.read_text(encoding="utf-8")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+), column (\d+)", str(e))
        line, col = (m.group(1), m.group(2)) if m else ("1", "1")
        raise InputProblems([f"{path}:{line}:{col}: {e} (E-TOML)"]) from None
    problems: list[str] = []
    bt = doc.get("backtest")
    if not isinstance(bt, dict):
        raise InputProblems([f"{path}:1:1: missing table [backtest] (E-REQUIRED)"])
    known = {"title", "scenario", "observed", "fall_threshold", "compare"}
    for k in bt:
        if k not in known:
            problems.append(f"{path}:{_toml_line(text, k)}:1: backtest.{k}: unknown key (E-UNKNOWN-KEY)")

    def need_str(table: dict, key: str, where: str, occ: int = 0) -> str:
        v = table.get(key)
        if not isinstance(v, str) or not v:
            problems.append(f"{path}:{_toml_line(text, key, occ)}:1: {where}.{key}: expected a non-empty string (E-REQUIRED)")
            return ""
        return v

    title = need_str(bt, "title", "backtest")
    scenario = folder / (bt.get("scenario") or "scenario.toml")
    observed = folder / (bt.get("observed") or "observed.csv")
    fall_threshold = bt.get("fall_threshold", 0.30)
    if not isinstance(fall_threshold, (int, float)) or not 0 < fall_threshold < 1:
        problems.append(f"{path}:{_toml_line(text, 'fall_threshold')}:1: backtest.fall_threshold: expected a number in (0,1) (E-RANGE)")
        fall_threshold = 0.30
    compares = bt.get("compare")
    comparisons: list[Comparison] = []
    if not isinstance(compares, list) or not compares:
        problems.append(f"{path}:1:1: backtest.compare: at least one [[backtest.compare]] table is required (E-REQUIRED)")
        compares = []
    for i, c in enumerate(compares):
        where = f"backtest.compare[{i}]"
        for k in c:
            if k not in {"series", "model_region", "model_material", "model_stage", "baseline_month", "check", "note",
                         "known_failure"}:
                problems.append(f"{path}:{_toml_line(text, k, i)}:1: {where}.{k}: unknown key (E-UNKNOWN-KEY)")
        series = need_str(c, "series", where, i)
        region = need_str(c, "model_region", where, i)
        material = need_str(c, "model_material", where, i)
        base = need_str(c, "baseline_month", where, i)
        if base and not MONTH_RE.match(base):
            problems.append(f"{path}:{_toml_line(text, 'baseline_month', i)}:1: {where}.baseline_month: expected YYYY-MM, got '{base}' (E-MONTH)")
        check = c.get("check", True)
        if not isinstance(check, bool):
            problems.append(f"{path}:{_toml_line(text, 'check', i)}:1: {where}.check: expected true or false (E-TYPE)")
            check = True
        known = c.get("known_failure", "")
        if not isinstance(known, str):
            problems.append(f"{path}:{_toml_line(text, 'known_failure', i)}:1: {where}.known_failure: expected the reason as text (E-TYPE)")
            known = ""
        elif known and not check:
            problems.append(f"{path}:{_toml_line(text, 'known_failure', i)}:1: {where}.known_failure: only a checked comparison "
                            "(check = true) can be a known failure (E-CONFLICT)")
        comparisons.append(Comparison(series, region, material, base, check, str(c.get("note", "")),
                                      str(c.get("model_stage", "")), known))
    for f, what in ((scenario, "scenario"), (observed, "observed")):
        if not f.is_file():
            problems.append(f"{f}:1:1: backtest.{what}: file does not exist (E-FILE-MISSING)")
    if problems:
        raise InputProblems(problems)
    ep = Episode(folder.name, folder, title, scenario, observed, float(fall_threshold), comparisons)
    ep.observed, ep.units = read_observed(observed)
    problems = []
    for i, c in enumerate(ep.comparisons):
        line = _toml_line(text, "series", i)
        if c.series not in ep.observed:
            problems.append(f"{path}:{line}:1: backtest.compare[{i}].series: no series '{c.series}' in {observed.name} (E-UNKNOWN-SERIES)")
        elif c.baseline_month not in ep.observed[c.series]:
            problems.append(f"{path}:{_toml_line(text, 'baseline_month', i)}:1: backtest.compare[{i}].baseline_month: "
                            f"{c.series} has no price in {c.baseline_month} (E-BASELINE)")
    if problems:
        raise InputProblems(problems)
    return ep


def read_observed(path: Path) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """observed.csv -> series -> month -> price, and series -> unit. Checks every row, then raises once."""
    problems: list[str] = []
    data: dict[str, dict[str, float]] = {}
    units: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or rows[0] != OBSERVED_COLUMNS:
        raise InputProblems([f"{path}:1:1: expected the header {','.join(OBSERVED_COLUMNS)} (E-HEADER)"])
    for line, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(OBSERVED_COLUMNS):
            problems.append(f"{path}:{line}:1: expected {len(OBSERVED_COLUMNS)} fields, got {len(row)} (E-FIELDS)")
            continue
        series, month, price, unit, source, _basis, interp = row
        col = {name: i + 1 for i, name in enumerate(OBSERVED_COLUMNS)}
        if not series:
            problems.append(f"{path}:{line}:{col['series']}: series: empty (E-REQUIRED)")
        if not MONTH_RE.match(month):
            problems.append(f"{path}:{line}:{col['month']}: month: expected YYYY-MM, got '{month}' (E-MONTH)")
        try:
            value = float(price)
            if not math.isfinite(value) or value <= 0:
                raise ValueError
        except ValueError:
            problems.append(f"{path}:{line}:{col['price']}: price: expected a positive number, got '{price}' (E-NUMBER)")
            value = None
        if not unit:
            problems.append(f"{path}:{line}:{col['unit']}: unit: empty (E-REQUIRED)")
        if not source:
            problems.append(f"{path}:{line}:{col['source']}: source: empty: every row needs its source (E-REQUIRED)")
        if interp not in ("0", "1"):
            problems.append(f"{path}:{line}:{col['interpolated']}: interpolated: expected 0 or 1, got '{interp}' (E-RANGE)")
        if series and units.get(series, unit) != unit:
            problems.append(f"{path}:{line}:{col['unit']}: unit: '{unit}' differs from '{units[series]}' earlier in series {series} (E-UNIT)")
        if series and MONTH_RE.match(month) and month in data.get(series, {}):
            problems.append(f"{path}:{line}:{col['month']}: month: second row for {series} {month} (E-DUPLICATE)")
        if value is not None and series and MONTH_RE.match(month) and interp == "0":
            data.setdefault(series, {})[month] = value
            units.setdefault(series, unit)
    if problems:
        raise InputProblems(problems)
    return data, units


# ---------------------------------------------------------------------------------------------
# Running the CLI

def find_lodestone(arg: str | None) -> str:
    if arg:
        return arg
    built = ROOT / "build" / "dev" / "apps" / "cli" / "lodestone"
    if built.is_file():
        return str(built)
    found = shutil.which("lodestone")
    if found:
        return found
    raise InputProblems(["lodestone: binary not found: give --lodestone PATH (E-USAGE)"])


def run_model(lodestone: str, ep: Episode, runs: int, seed: int | None, threads: int | None) -> tuple[dict, dict]:
    """Runs the scenario; returns (series.json, stdout JSON with run and summary)."""
    with tempfile.TemporaryDirectory(prefix=f"backtest_{ep.name}_") as out:
        cmd = [lodestone, "simulate", str(ep.scenario), "--runs", str(runs), "--format", "json", "--out", out]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        if threads is not None:
            cmd += ["--threads", str(threads)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            if proc.returncode == 2:
                raise InputProblems([f"{ep.scenario}:1:1: lodestone simulate rejected the scenario (see above) (E-SCENARIO)"])
            raise RuntimeError(f"lodestone simulate failed with exit code {proc.returncode}: {' '.join(cmd)}")
        with open(os.path.join(out, "series.json"), encoding="utf-8") as f:
            series = json.load(f)
    return series, json.loads(proc.stdout)


@dataclass
class ModelBands:
    p5: dict[str, float]
    p50: dict[str, float]
    p95: dict[str, float]


def model_bands(series_doc: dict, region: str, material: str, where: str = "backtest.toml",
                stage: str = "") -> ModelBands:
    """Monthly P5/P50/P95 of the weekly price-multiple bands of one region, material and stage
    (the first price series of the material, its final stage, when no stage is given)."""
    for s in series_doc["series"]:
        if (s["region"] == region and s["kind"] == "material" and s["group"] == material
                and s["metric"] == "price_multiple" and (not stage or s.get("stage") == stage)):
            weeks = series_doc["weeks"]
            return ModelBands(weekly_to_monthly(weeks, s["p5"]), weekly_to_monthly(weeks, s["p50"]),
                              weekly_to_monthly(weeks, s["p95"]))
    available = sorted({(s["region"], s["group"]) for s in series_doc["series"] if s["metric"] == "price_multiple"})
    raise InputProblems([f"{where}:1:1: no price_multiple series for region {region}, material {material} in the "
                         f"model output (available: {', '.join(f'{r}/{g}' for r, g in available)}) (E-UNKNOWN-SERIES)"])


@dataclass
class Result:
    episode: Episode
    comparison: Comparison
    model: Peak
    model_p5_peak: float
    model_p95_peak: float
    observed: Peak
    observed_multiples: dict[str, float]
    bands: ModelBands
    verdict: Verdict
    runs: int
    summary_peak: tuple[float, float, float] | None   # run-wise peak multiple P5/P50/P95 from the CLI summary


def evaluate(ep: Episode, series_doc: dict, stdout_doc: dict) -> list[Result]:
    out: list[Result] = []
    for c in ep.comparisons:
        bands = model_bands(series_doc, c.region, c.material, str(ep.folder / "backtest.toml"), c.stage)
        model = peak_and_fall(bands.p50)
        obs_mult = observed_multiples(ep.observed[c.series], c.baseline_month)
        observed = peak_and_fall(obs_mult)
        summary = None
        for row in (stdout_doc.get("summary", []) if not c.stage else []):  # run-wise peaks are final-stage
            if (row["region"], row["kind"], row["group"], row["metric"]) == (c.region, "material", c.material, "peak_price_multiple"):
                summary = (row["p5"], row["p50"], row["p95"])
        out.append(Result(ep, c, model, max(bands.p5.values()), max(bands.p95.values()), observed, obs_mult, bands,
                          judge(model, observed, ep.fall_threshold), int(series_doc.get("runs", 0)), summary))
    return out


# ---------------------------------------------------------------------------------------------
# Output: table and docs

def fmt_fall(p: Peak) -> str:
    if p.fall is None:
        return "-"
    return f"{100 * p.fall:.0f}% ({p.fall_months} mo)"


def verdict_text(r: Result) -> str:
    if not r.comparison.check:
        return "reported"
    v = r.verdict
    bad = []
    if not v.multiple_ok:
        bad.append("multiple")
    if not v.month_ok:
        bad.append(f"month {v.month_gap:+d}")
    if v.fall_ok is False:
        bad.append("no fall")
    if r.comparison.known_failure:
        return "KNOWN FAILURE (" + ", ".join(bad) + ")" if bad else "UNEXPECTED PASS (remove known_failure)"
    return "PASS" if not bad else "FAIL (" + ", ".join(bad) + ")"


TABLE_HEAD = ["episode", "observed series", "model", "model peak x P50 [P5-P95]", "model peak month", "model fall 24 mo",
              "observed peak x", "observed peak month", "observed fall 24 mo", "verdict"]


def table_rows(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        c = r.comparison
        rows.append([r.episode.name, f"{c.series} (base {c.baseline_month})", f"{c.region}/{c.material}",
                     f"{r.model.value:.2f} [{r.model_p5_peak:.2f}-{r.model_p95_peak:.2f}]", r.model.month, fmt_fall(r.model),
                     f"{r.observed.value:.2f}", r.observed.month, fmt_fall(r.observed), verdict_text(r)])
    return rows


def print_table(results: list[Result], runs: int) -> None:
    rows = [TABLE_HEAD] + table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(TABLE_HEAD))]
    print(f"Backtest: model median of monthly price multiples over {runs} runs vs observed prices / baseline month")
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print(f"Checks (rows marked PASS/FAIL): peak multiple within x{MULTIPLE_TOLERANCE:g} of observed; peak month within "
          f"+-{PEAK_MONTH_TOLERANCE} months; where the observed price fell >= the episode's fall_threshold within "
          f"{FALL_WINDOW_MONTHS} months, a model fall >= {100 * MODEL_FALL_REQUIRED:.0f}% within {FALL_WINDOW_MONTHS} months of its peak. "
          "KNOWN FAILURE rows must fail (known_failure in backtest.toml); an UNEXPECTED PASS fails the check.")


def svg_chart(r: Result, width: int = 720, height: int = 300) -> str:
    """Model P5-P95 band and P50 line against observed multiples, monthly x axis, log y axis."""
    left, right, top, bottom = 56, 16, 28, 40
    months = sorted(set(r.bands.p50) | set(r.observed_multiples), key=month_index)
    m0, m1 = month_index(months[0]), month_index(months[-1])
    values = [v for d in (r.bands.p5, r.bands.p95, r.observed_multiples) for v in d.values() if v > 0]
    vmin, vmax = min(values + [1.0]), max(values + [1.0])
    y0, y1 = math.floor(math.log10(vmin) * 2) / 2, math.ceil(math.log10(vmax) * 2) / 2
    if y1 - y0 < 0.5:
        y1 = y0 + 0.5

    def x(month: str) -> float:
        span = max(m1 - m0, 1)
        return left + (month_index(month) - m0) / span * (width - left - right)

    def y(v: float) -> float:
        return top + (y1 - math.log10(max(v, 1e-9))) / (y1 - y0) * (height - top - bottom)

    e = []
    e.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'font-family="sans-serif" font-size="11">')
    c = r.comparison
    e.append(f'<text x="{left}" y="16" font-size="12">{r.episode.name}: {c.series} vs model {c.region}/{c.material} '
             f'(multiple of {c.baseline_month}, log scale)</text>')
    tick = y0
    while tick <= y1 + 1e-9:
        v = 10 ** tick
        yy = y(v)
        e.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        e.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{v:.3g}x</text>')
        tick += 0.5
    for i in range(m0, m1 + 1):
        name = month_name(i)
        if name.endswith("-01") or i == m0:
            xx = x(name)
            e.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{top}" y2="{height - bottom}" stroke="#eee"/>')
            e.append(f'<text x="{xx:.1f}" y="{height - bottom + 14}" text-anchor="middle">{name}</text>')
    band_months = sorted(r.bands.p50, key=month_index)
    if band_months:
        upper = " ".join(f"{x(m):.1f},{y(r.bands.p95[m]):.1f}" for m in band_months)
        lower = " ".join(f"{x(m):.1f},{y(r.bands.p5[m]):.1f}" for m in reversed(band_months))
        e.append(f'<polygon points="{upper} {lower}" fill="#9ecae1" fill-opacity="0.5" stroke="none"/>')
        line = " ".join(f"{x(m):.1f},{y(r.bands.p50[m]):.1f}" for m in band_months)
        e.append(f'<polyline points="{line}" fill="none" stroke="#08519c" stroke-width="2"/>')
    for m, v in sorted(r.observed_multiples.items(), key=lambda kv: month_index(kv[0])):
        e.append(f'<circle cx="{x(m):.1f}" cy="{y(v):.1f}" r="4" fill="#d94801"><title>{m}: {v:.2f}x</title></circle>')
    lx = width - right - 250
    e.append(f'<rect x="{lx}" y="{top + 4}" width="14" height="8" fill="#9ecae1"/>'
             f'<text x="{lx + 18}" y="{top + 12}">model P5-P95</text>')
    e.append(f'<line x1="{lx + 100}" x2="{lx + 114}" y1="{top + 8}" y2="{top + 8}" stroke="#08519c" stroke-width="2"/>'
             f'<text x="{lx + 118}" y="{top + 12}">P50</text>')
    e.append(f'<circle cx="{lx + 160}" cy="{top + 8}" r="4" fill="#d94801"/><text x="{lx + 168}" y="{top + 12}">observed</text>')
    e.append("</svg>")
    return "\n".join(e)


def write_docs(results: list[Result], runs: int, lodestone_version: str, path: Path) -> None:
    lines = [
        "# Backtests: the market model against observed price episodes",
        "",
        "Generated by `python3 scripts/backtest.py --docs` (do not edit by hand). Each episode of",
        "`data/backtests/` is run with the CLI, `lodestone simulate <scenario.toml> --runs N --format json --out DIR`,",
        "and its weekly price-multiple bands (median, P5, P95 over runs) for the region and material named in the",
        "episode's `backtest.toml` are averaged per calendar month. Observed prices are published monthly figures",
        "(one source per row: `observed.csv`, `SOURCES.md`), divided by the price of the baseline month.",
        "",
        "Checks (`--check`, ctest label `backtest`), for the comparisons marked `check = true`:",
        f"model median peak multiple within a factor {MULTIPLE_TOLERANCE:g} of the observed peak multiple; model peak",
        f"month within {PEAK_MONTH_TOLERANCE} months of the observed peak month; where the observed price fell back",
        f"(at least the episode's `fall_threshold` within {FALL_WINDOW_MONTHS} months of its peak), a model fall of at",
        f"least {100 * MODEL_FALL_REQUIRED:.0f} % within {FALL_WINDOW_MONTHS} months of the model's peak. Rows marked",
        "`reported` are shown, not checked (their `note` in `backtest.toml` says why). Rows marked `KNOWN FAILURE` are",
        "checked the other way round: the model is known to fail them (`known_failure` in `backtest.toml` says why),",
        "and `--check` fails if one of them starts to pass, so that the entry is removed. `P5-P95` is the peak of the",
        "monthly P5 and P95 bands; the fall is measured on the monthly median and on the observed points (the number",
        "of months after the peak that had a value is in brackets).",
        "",
        f"Model: {lodestone_version}, {runs} runs per episode.",
        "",
        "| " + " | ".join(TABLE_HEAD) + " |",
        "|" + "---|" * len(TABLE_HEAD),
    ]
    for row in table_rows(results):
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for r in results:
        c = r.comparison
        lines.append(f"## {r.episode.name}: {c.series}")
        lines.append("")
        lines.append(f"{r.episode.title}. Model: {c.region}/{c.material}; observed series `{c.series}`, "
                     f"baseline month {c.baseline_month}. {c.note}".rstrip()
                     + (f" **Known failure:** {c.known_failure}" if c.known_failure else ""))
        if r.summary_peak and None not in r.summary_peak:
            p5, p50, p95 = r.summary_peak
            lines.append("")
            lines.append(f"Weekly run-wise peak price multiple from the CLI summary: {p50:.2f} [{p5:.2f}-{p95:.2f}].")
        lines.append("")
        lines.append(svg_chart(r))
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------------------

def discover(root: Path, names: list[str] | None) -> list[Path]:
    base = root / "data" / "backtests"
    folders = sorted(p for p in base.iterdir() if (p / "backtest.toml").is_file()) if base.is_dir() else []
    if names:
        chosen = []
        for n in names:
            p = base / n
            if not (p / "backtest.toml").is_file():
                raise InputProblems([f"{p / 'backtest.toml'}:1:1: unknown episode '{n}' (E-FILE-MISSING)"])
            chosen.append(p)
        return chosen
    if not folders:
        raise InputProblems([f"{base}:1:1: no episode folders with a backtest.toml (E-FILE-MISSING)"])
    return folders


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lodestone", help="the lodestone binary (default: build/dev/apps/cli/lodestone, else PATH)")
    ap.add_argument("--runs", type=int, default=200, help="Monte Carlo runs per episode (default 200)")
    ap.add_argument("--seed", type=int, help="seed (default: each scenario's)")
    ap.add_argument("--threads", type=int, help="worker threads (default: all cores; results do not depend on it)")
    ap.add_argument("--episode", action="append", help="only this episode folder (repeatable)")
    ap.add_argument("--check", action="store_true", help="exit 1 unless every checked comparison passes")
    ap.add_argument("--docs", nargs="?", const=str(ROOT / "docs" / "backtests.md"), metavar="FILE",
                    help="write the report with charts (default docs/backtests.md)")
    ap.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        if args.runs < 1:
            raise InputProblems([f"--runs: expected a whole number >= 1, got {args.runs} (E-USAGE)"])
        lodestone = find_lodestone(args.lodestone)
        episodes = [read_episode(f) for f in discover(Path(args.root), args.episode)]
        results: list[Result] = []
        for ep in episodes:
            series_doc, stdout_doc = run_model(lodestone, ep, args.runs, args.seed, args.threads)
            results += evaluate(ep, series_doc, stdout_doc)
    except InputProblems as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return 2
    except RuntimeError as e:
        print(f"backtest: {e}", file=sys.stderr)
        return 1
    print_table(results, args.runs)
    if args.docs:
        version = subprocess.run([lodestone, "--version"], capture_output=True, text=True).stdout.strip()
        write_docs(results, args.runs, f"lodestone {version}", Path(args.docs))
        print(f"wrote {args.docs}")
    failed = [r for r in results if not r.comparison.passes(r.verdict)]
    if args.check:
        episodes_failed = sorted({r.episode.name for r in failed})
        print(f"check: {'FAILED: ' + ', '.join(episodes_failed) if failed else 'all episodes pass'}")
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
