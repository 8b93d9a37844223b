"""Unit tests of scripts/backtest.py: its arithmetic (monthly means, peak, peak month, fall, the three
checks) on small hand-computed series, its input validation, and its exit codes with a stand-in CLI
that writes a known series.json. Run: python3 tests/backtest/backtest_test.py"""
import csv
import importlib.util
import json
import os
import stat
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("backtest", ROOT / "scripts" / "backtest.py")
bt = importlib.util.module_from_spec(spec)
sys.modules["backtest"] = bt
spec.loader.exec_module(bt)


class Arithmetic(unittest.TestCase):
    def test_month_index_round_trip(self):
        self.assertEqual(bt.month_index("2011-08") - bt.month_index("2009-12"), 20)
        self.assertEqual(bt.month_name(bt.month_index("2013-12")), "2013-12")
        with self.assertRaises(ValueError):
            bt.month_index("2011-13")

    def test_weekly_to_monthly_means_weeks_by_their_first_day(self):
        weeks = ["2024-01-01", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29", "2024-02-05"]
        got = bt.weekly_to_monthly(weeks, [1, 2, 3, 4, None, 10])
        self.assertEqual(got, {"2024-01": 2.5, "2024-02": 10.0})   # (1+2+3+4)/4; the missing week is skipped

    def test_peak_month_and_fall_within_24_months(self):
        s = {"2010-01": 1.0, "2010-06": 4.0, "2011-08": 20.0, "2011-12": 12.0, "2012-12": 5.0, "2014-01": 1.0}
        p = bt.peak_and_fall(s)
        self.assertEqual((p.value, p.month), (20.0, "2011-08"))
        # 2011-12 (4 months) and 2012-12 (16 months) are in the window; 2014-01 (29 months) is not.
        self.assertAlmostEqual(p.fall, 1 - 5.0 / 20.0)
        self.assertEqual(p.fall_months, 16)

    def test_peak_ties_take_the_earliest_month_and_no_later_point_means_no_fall(self):
        p = bt.peak_and_fall({"2024-03": 5.0, "2024-01": 5.0, "2023-12": 1.0})
        self.assertEqual(p.month, "2024-01")
        self.assertAlmostEqual(p.fall, 0.0)        # 2024-03 is 5 again: no fall
        last = bt.peak_and_fall({"2024-01": 1.0, "2025-06": 5.0})
        self.assertIsNone(last.fall)
        self.assertEqual(last.fall_months, 0)

    def test_observed_multiples_divide_by_the_baseline_month_and_drop_earlier_months(self):
        m = bt.observed_multiples({"2023-05": 12200.0, "2024-01": 11900.0, "2025-06": 60250.0}, "2024-01")
        self.assertEqual(set(m), {"2024-01", "2025-06"})
        self.assertAlmostEqual(m["2025-06"], 60250 / 11900)
        with self.assertRaises(ValueError):
            bt.observed_multiples({"2024-01": 1.0}, "2023-12")

    def test_judge_boundaries(self):
        obs = bt.Peak(20.0, "2011-08", 0.75, 16)
        ok = bt.judge(bt.Peak(10.0, "2011-02", 0.30, 24), obs, 0.30)   # exactly /2, -6 months, exactly 30 %
        self.assertTrue(ok.passed)
        self.assertEqual(ok.month_gap, -6)
        self.assertTrue(bt.judge(bt.Peak(40.0, "2012-02", 0.9, 20), obs, 0.30).passed)   # exactly x2, +6 months
        self.assertFalse(bt.judge(bt.Peak(9.99, "2011-08", 0.9, 20), obs, 0.30).multiple_ok)
        self.assertFalse(bt.judge(bt.Peak(40.01, "2011-08", 0.9, 20), obs, 0.30).multiple_ok)
        self.assertFalse(bt.judge(bt.Peak(20.0, "2012-03", 0.9, 20), obs, 0.30).month_ok)
        self.assertIs(bt.judge(bt.Peak(20.0, "2011-08", 0.29, 20), obs, 0.30).fall_ok, False)
        self.assertIs(bt.judge(bt.Peak(20.0, "2011-08", None, 0), obs, 0.30).fall_ok, False)   # model never falls

    def test_no_fall_requirement_when_the_observed_price_did_not_fall_back(self):
        obs = bt.Peak(5.0, "2025-06", None, 0)
        v = bt.judge(bt.Peak(5.0, "2025-05", None, 0), obs, 0.30)
        self.assertIsNone(v.fall_ok)
        self.assertTrue(v.passed)
        small = bt.Peak(5.0, "2025-06", 0.2, 3)          # fell 20 % < the 30 % threshold: not "fell back"
        self.assertIsNone(bt.judge(bt.Peak(5.0, "2025-06", 0.0, 3), small, 0.30).fall_ok)


class ObservedFile(unittest.TestCase):
    def write(self, text):
        d = tempfile.mkdtemp()
        p = Path(d) / "observed.csv"
        p.write_text(textwrap.dedent(text))
        return p

    def test_every_bad_row_is_reported_with_line_and_column(self):
        p = self.write("""\
            series,month,price,unit,source,basis,interpolated
            a,2024-01,10,USD/t,S1,point,0
            a,2024-13,10,USD/t,S1,point,0
            a,2024-02,-3,USD/t,S1,point,0
            a,2024-03,5,USD/kg,,point,2
            a,2024-01,11,USD/t,S1,point,0
            """)
        with self.assertRaises(bt.InputProblems) as cm:
            bt.read_observed(p)
        msgs = cm.exception.problems
        self.assertIn(f"{p}:3:2: month: expected YYYY-MM, got '2024-13' (E-MONTH)", msgs)
        self.assertIn(f"{p}:4:3: price: expected a positive number, got '-3' (E-NUMBER)", msgs)
        self.assertIn(f"{p}:5:5: source: empty: every row needs its source (E-REQUIRED)", msgs)
        self.assertIn(f"{p}:5:7: interpolated: expected 0 or 1, got '2' (E-RANGE)", msgs)
        self.assertIn(f"{p}:5:4: unit: 'USD/kg' differs from 'USD/t' earlier in series a (E-UNIT)", msgs)
        self.assertIn(f"{p}:6:2: month: second row for a 2024-01 (E-DUPLICATE)", msgs)
        self.assertEqual(len(msgs), 6)

    def test_interpolated_rows_are_not_observations(self):
        p = self.write("""\
            series,month,price,unit,source,basis,interpolated
            a,2024-01,10,USD/t,S1,point,0
            a,2024-02,15,USD/t,S1,interpolated,1
            """)
        data, units = bt.read_observed(p)
        self.assertEqual(data, {"a": {"2024-01": 10.0}})
        self.assertEqual(units, {"a": "USD/t"})

    def test_the_repository_episodes_are_valid(self):
        for folder in sorted((ROOT / "data" / "backtests").iterdir()):
            if (folder / "backtest.toml").is_file():
                ep = bt.read_episode(folder)
                self.assertTrue(any(c.check for c in ep.comparisons), folder)


FAKE_CLI = """#!{python}
# Stand-in for `lodestone simulate`: writes series.json with a price multiple that rises linearly to PEAK
# at week PEAK_WEEK and then falls to FLOOR, and prints a minimal JSON document.
import json, os, sys, datetime
if sys.argv[1] == "--version":
    print("fake"); sys.exit(0)
args = sys.argv
out = args[args.index("--out") + 1]
peak, peak_week, floor = {peak}, {peak_week}, {floor}
start = datetime.date(2024, 1, 1)
weeks, vals = [], []
for w in range(80):
    weeks.append(str(start + datetime.timedelta(weeks=w)))
    if w <= peak_week:
        vals.append(1 + (peak - 1) * w / peak_week)
    else:
        vals.append(max(floor, peak - (peak - floor) * (w - peak_week) / 20))
s = {{"region": "EU", "kind": "material", "group": "antimony", "metric": "price_multiple", "unit": "x",
     "p5": [v * 0.8 for v in vals], "p50": vals, "p95": [v * 1.2 for v in vals]}}
with open(os.path.join(out, "series.json"), "w") as f:
    json.dump({{"runs": 3, "weeks": weeks, "series": [s]}}, f)
print(json.dumps({{"run": {{}}, "summary": []}}))
"""


class EndToEnd(unittest.TestCase):
    """main() with a stand-in CLI: the exit code follows the verdict."""

    def setUp(self):
        self.root = Path(tempfile.mkdtemp())
        ep = self.root / "data" / "backtests" / "toy"
        ep.mkdir(parents=True)
        (ep / "scenario.toml").write_text("# not read by the stand-in\n")
        # Observed: 1.0 in 2024-01, peak 5.0 in 2025-01, down to 2.0 in 2025-06 (a 60 % fall).
        with (ep / "observed.csv").open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(bt.OBSERVED_COLUMNS)
            for m, p in (("2024-01", 100), ("2024-07", 200), ("2025-01", 500), ("2025-06", 200)):
                w.writerow(["toy_price", m, p, "USD/t", "TEST", "point", 0])
        (ep / "backtest.toml").write_text(textwrap.dedent("""\
            [backtest]
            title = "toy"
            fall_threshold = 0.30
            [[backtest.compare]]
            series = "toy_price"
            model_region = "EU"
            model_material = "antimony"
            baseline_month = "2024-01"
            check = true
            """))

    def fake(self, peak, peak_week, floor):
        p = self.root / f"fake_{peak}_{peak_week}_{floor}"
        p.write_text(FAKE_CLI.format(python=sys.executable, peak=peak, peak_week=peak_week, floor=floor))
        p.chmod(p.stat().st_mode | stat.S_IXUSR)
        return str(p)

    def run_main(self, cli, *extra):
        return bt.main(["--root", str(self.root), "--lodestone", cli, "--runs", "3", "--check", *extra])

    def test_a_model_like_the_observations_passes(self):
        # Peak ~5x in week 52 (2024-12-30, month 2024-12: one month before the observed peak), then falls to 1.5.
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5)), 0)

    def test_a_model_stuck_at_a_cap_fails(self):
        # Rises to 20x and never falls: multiple 4x too high and no fall.
        self.assertEqual(self.run_main(self.fake(20.0, 20, 20.0)), 1)

    def test_a_model_that_peaks_too_late_fails(self):
        self.assertEqual(self.run_main(self.fake(5.0, 79, 5.0)), 1)

    def test_docs_are_written_with_a_chart(self):
        out = self.root / "backtests.md"
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5), "--docs", str(out)), 0)
        text = out.read_text()
        self.assertIn("<svg", text)
        self.assertIn("| toy |", text)
        self.assertIn("PASS", text)

    def test_a_region_the_model_does_not_report_exits_2(self):
        toml = self.root / "data" / "backtests" / "toy" / "backtest.toml"
        toml.write_text(toml.read_text().replace('model_region = "EU"', 'model_region = "USA"'))
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5)), 2)

    def known_failure(self):
        toml = self.root / "data" / "backtests" / "toy" / "backtest.toml"
        toml.write_text(toml.read_text() + 'known_failure = "the toy model overshoots"\n')

    def test_a_known_failure_that_fails_passes_the_check(self):
        self.known_failure()
        self.assertEqual(self.run_main(self.fake(20.0, 20, 20.0)), 0)

    def test_a_known_failure_that_starts_to_pass_fails_the_check(self):
        self.known_failure()
        out = self.root / "backtests.md"
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5), "--docs", str(out)), 1)
        self.assertIn("UNEXPECTED PASS", out.read_text())

    def test_a_known_failure_on_a_reported_comparison_is_bad_input(self):
        toml = self.root / "data" / "backtests" / "toy" / "backtest.toml"
        toml.write_text(toml.read_text().replace("check = true", "check = false") + 'known_failure = "x"\n')
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5)), 2)

    def test_bad_input_exits_2(self):
        (self.root / "data" / "backtests" / "toy" / "observed.csv").write_text("wrong,header\n")
        self.assertEqual(self.run_main(self.fake(5.0, 52, 1.5)), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
