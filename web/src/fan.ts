// Fan charts: the P5-P95 band of a Monte Carlo series shaded, the median drawn as a line.
import type { SeriesBands } from "./api";
import { chart, html, type Chart } from "./charts";

/** Titles of the simulation's metrics, as a reader says them (the ids stay in the JSON and CSV). */
export const metricTitles: Record<string, string> = {
  shortfall_share: "shortfall, share of need",
  shortfall_t: "shortfall",
  price_multiple: "price, multiple of baseline",
  inventory_weeks: "inventories, weeks of use",
  strategic_stock_t: "strategic stocks",
  cost_usd: "extra purchase cost",
  cost_pct_output: "extra material cost, share of output",
};

const fin = (v: number | null | undefined) => (typeof v === "number" && Number.isFinite(v) ? v : null);

export function fanChart(name: string, box: HTMLElement, weeks: string[], s: SeriesBands | undefined, title: string, color = "#c0392b"): Chart {
  const p5 = (s?.p5 ?? []).map(fin);
  const p95 = (s?.p95 ?? []).map(fin);
  const p50 = (s?.p50 ?? []).map(fin);
  const width = p5.map((lo, i) => (lo === null || p95[i] === null ? null : (p95[i] as number) - lo));
  // The engine's unit "x" (a multiple of the baseline) would read as an axis named x.
  const unit = ({ x: "× baseline", share: "share of need" } as Record<string, string>)[s?.unit ?? ""] ?? s?.unit ?? "";
  return chart(name, box, {
    title: { text: title, subtext: s ? `${s.region} · ${metricTitles[s.metric] ?? s.metric} (${unit})` : "no such series in the result", left: 8, top: 2, textStyle: { fontSize: 13 } },
    grid: { left: 64, right: 20, top: 58, bottom: 48 },
    legend: { top: 30, right: 10, data: ["P50", "P5-P95"], textStyle: { fontSize: 10 } },
    tooltip: {
      trigger: "axis",
      formatter: (items: { dataIndex: number }[]) => {
        const i = items[0]?.dataIndex ?? 0;
        const f = (v: number | null) => (v === null ? "–" : v.toPrecision(4));
        return html`${weeks[i] ?? `week ${i}`}<br/>P50 ${f(p50[i])} ${unit}<br/>P5 ${f(p5[i])} – P95 ${f(p95[i])}`;
      },
    },
    xAxis: { type: "category", name: "week starting", nameLocation: "middle", nameGap: 26, data: weeks.length ? weeks : p50.map((_, i) => String(i)), boundaryGap: false, axisLabel: { fontSize: 10 } },
    yAxis: { type: "value", name: unit, nameTextStyle: { align: "left" }, scale: s?.metric === "price_multiple" },
    series: [
      { name: "P5", type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, data: p5, tooltip: { show: false } },
      { name: "P5-P95", type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 }, itemStyle: { color }, areaStyle: { color, opacity: 0.22 }, data: width },
      { name: "P50", type: "line", symbol: "none", lineStyle: { color, width: 2 }, itemStyle: { color }, data: p50 },
    ],
  });
}
