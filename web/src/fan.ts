// Fan charts: the P5-P95 band of a Monte Carlo series shaded, the median drawn as a line.
import type { BandSeries } from "./api";
import { chart, type Chart } from "./charts";

export function fanChart(name: string, box: HTMLElement, series: BandSeries[], title: string, unit: string, color = "#c0392b"): Chart {
  const palette = [color, "#2f6f9f", "#27ae60", "#8e44ad", "#e67e22"];
  const weeks = [...new Set(series.flatMap((s) => s.points.map((p) => p.week)))].sort((a, b) => a - b);
  const out: object[] = [];
  series.forEach((s, i) => {
    const c = palette[i % palette.length];
    const at = new Map(s.points.map((p) => [p.week, p]));
    const stack = `band-${i}`;
    out.push(
      { name: `${s.name} P5`, type: "line", stack, symbol: "none", lineStyle: { opacity: 0 }, data: weeks.map((w) => at.get(w)?.p5 ?? null), tooltip: { show: false } },
      { name: `${s.name} P5-P95`, type: "line", stack, symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color: c, opacity: 0.22 }, data: weeks.map((w) => { const p = at.get(w); return p ? p.p95 - p.p5 : null; }) },
      { name: `${s.name} P50`, type: "line", symbol: "none", lineStyle: { color: c, width: 2 }, itemStyle: { color: c }, data: weeks.map((w) => at.get(w)?.p50 ?? null) },
    );
  });
  return chart(name, box, {
    title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
    grid: { left: 64, right: 20, top: 44, bottom: 40 },
    legend: { top: 22, data: series.map((s) => `${s.name} P50`), textStyle: { fontSize: 10 } },
    tooltip: {
      trigger: "axis",
      formatter: (items: { seriesName: string; dataIndex: number }[]) => {
        const w = weeks[items[0]?.dataIndex ?? 0];
        return [`week ${w}`, ...series.map((s) => {
          const p = s.points.find((q) => q.week === w);
          return p ? `${s.name}: P50 ${p.p50.toPrecision(4)} (P5 ${p.p5.toPrecision(3)} – P95 ${p.p95.toPrecision(3)}) ${unit}` : "";
        })].join("<br/>");
      },
    },
    xAxis: { type: "category", data: weeks, name: "week", nameLocation: "middle", nameGap: 24, boundaryGap: false },
    yAxis: { type: "value", name: unit, nameTextStyle: { align: "left" } },
    series: out,
  });
}
