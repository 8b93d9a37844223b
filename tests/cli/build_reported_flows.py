#!/usr/bin/env python3
"""build_reported_flows.py SRC WORK: the rules scripts/build_dataset.py applies to reported customs flows
(data/raw/trade/customs_flows_reported.csv), each checked on a copy of data/raw:

1. rows of one flow in several products are summed, each converted by its content: Chile's 2024 lithium carbonate
   and hydroxide shipments to Korea, against the stoichiometric Li fractions computed here; Korea's use
   (method reported_imports_minus_exports) is the sum of its reported imports;
2. a reported flow into the USA takes the place of the USGS partner share, and the other USGS partners share what is
   left of the USGS import total in their 2020-23 proportions (germanium: 33 t, Belgium 42 %, Germany 7 %, other 5 %);
3. reported flows into the USA above the USGS import total, and a content outside (0, 1], stop the build (exit 1)
   with the reason.
Prints "reported flows ok" and exits 0 when all hold.
"""
import csv
import shutil
import subprocess
import sys
from pathlib import Path

LI, C, O, H = 6.941, 12.011, 15.999, 1.008
LI_IN_CARBONATE = 2 * LI / (2 * LI + C + 3 * O)          # Li2CO3
LI_IN_HYDROXIDE = LI / (LI + O + H + (2 * H + O))         # LiOH.H2O

COLUMNS = ("material,stage,exporter,importer,year,period,covers_year,reported,reported_unit,content,content_basis,"
           "reporter,source_url,quote").split(",")


def build(src: Path, raw: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(src / "scripts/build_dataset.py"), "--raw", str(raw), "--out", str(out)],
                          capture_output=True, text=True)


def rows_of(out: Path, name: str) -> list[dict]:
    with open(out / name, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def trade(out: Path) -> dict[tuple, float]:
    """(material, exporter, importer) -> t; each of these flows has one stage in the dataset."""
    return {(r["material"], r["exporter"], r["importer"]): float(r["tonnes"]) for r in rows_of(out, "trade.csv")}


def with_row(src: Path, work: Path, name: str, **fields) -> Path:
    raw = work / name
    shutil.copytree(src / "data/raw", raw)
    row = {c: "" for c in COLUMNS} | {"stage": "refined", "year": "2024", "period": "2024 (test)", "covers_year": "yes",
                                      "reported_unit": "t", "content": "1", "content_basis": "test",
                                      "reporter": "test", "source_url": "https://example.org/", "quote": "test"} | fields
    with open(raw / "trade/customs_flows_reported.csv", "a", newline="") as f:
        csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n").writerow(row)
    return raw


def main() -> int:
    src, work = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    failures = []

    # 1. Two products of one flow, summed.
    shipped = build(src, src / "data/raw", work / "shipped")
    if shipped.returncode != 0:
        print(shipped.stderr)
        return 1
    want = 20471 * LI_IN_CARBONATE + 13400 * LI_IN_HYDROXIDE
    got = trade(work / "shipped")[("lithium", "CHL", "KOR")]
    if abs(got - want) > 1e-5 * want:  # the file's content factors carry 6 decimals
        failures.append(f"CHL->KOR lithium: {got} t, expected {want:.4f} t (carbonate + hydroxide)")

    # ... and Korea's use (reported_imports_minus_exports, exports nil) is the Li of all seven of its reported rows.
    want = (20471 + 5888 + 590) * LI_IN_CARBONATE + (13400 + 83863 + 2122 + 2062) * LI_IN_HYDROXIDE
    got = next(float(r["tonnes"]) for r in rows_of(work / "shipped", "consumption.csv")
               if (r["material"], r["stage"], r["country"]) == ("lithium", "refined", "KOR"))
    if abs(got - want) > 1e-5 * want:  # the file's content factors carry 6 decimals
        failures.append(f"KOR lithium use: {got} t, expected {want:.4f} t (the reported imports)")

    # 2. A reported flow into the USA: the other USGS partners share the rest of the 33 t.
    out = work / "can_reported"
    done = build(src, with_row(src, work, "raw_can", material="germanium", exporter="CAN", importer="USA",
                               reported="5"), out)
    if done.returncode != 0:
        failures.append(f"a 5 t CAN->USA germanium flow should build: {done.stderr.strip()}")
    else:
        t = trade(out)
        rest = 33 - 5 - 0  # the USGS total minus the reported flows into the USA (CAN 5 t, CHN 0 t)
        for exporter, share in (("BEL", 0.42), ("DEU", 0.07), ("ROW", 0.05)):
            want = rest * share / (0.42 + 0.07 + 0.05)
            if abs(t[("germanium", exporter, "USA")] - want) > 1e-3:
                failures.append(f"{exporter}->USA germanium: {t[('germanium', exporter, 'USA')]} t, expected {want:.4f}")
        if abs(t[("germanium", "CAN", "USA")] - 5) > 1e-9:
            failures.append("CAN->USA germanium should be the reported 5 t")
        total = sum(v for (m, _, importer), v in t.items() if m == "germanium" and importer == "USA")
        if abs(total - 33) > 1e-3:
            failures.append(f"US germanium imports sum to {total} t, expected the USGS total 33 t")

    # 3. What must stop the build.
    for name, fields, reason in (
            ("raw_over", dict(material="germanium", exporter="CAN", importer="USA", reported="40"),
             "exceed the USGS import total"),
            ("raw_content", dict(material="germanium", exporter="CAN", importer="JPN", reported="1", content="1.5"),
             "is not a fraction of the reported unit")):
        done = build(src, with_row(src, work, name, **fields), work / (name + "_out"))
        if done.returncode != 1 or reason not in done.stderr:
            failures.append(f"{name}: expected exit 1 with '{reason}', got {done.returncode}: {done.stderr.strip()}")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("reported flows ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
