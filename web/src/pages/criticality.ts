// The criticality panel: every method side by side for the perspective (GET /assess), ranked
// by EU supply risk, with the EU CRM chart (economic importance vs supply risk and the two
// thresholds). Where the server has no assess endpoint, the global concentration of each
// material's stages is shown instead, and the page says so.
import { api, listOf, type AssessRow } from "../api";
import { chart } from "../charts";
import type { AppContext } from "../main";
import { el, num, pct, table, unavailable } from "../ui";

export async function renderCriticality(root: HTMLElement, ctx: AppContext): Promise<void> {
  const perspective = ctx.perspective();
  const asOf = ctx.asOf();
  root.append(
    el("h1", {}, `Criticality for ${perspective}`),
    el("p", { class: "lead" }, `As of ${asOf}. Every method runs on the same dataset, so their rankings can be compared.`),
  );
  const rows: AssessRow[] | null = ctx.has("GET", "/assess") ? listOf<AssessRow>(await api.assess(perspective, asOf), "rows") : null;
  if (rows) {
    renderAssess(root, rows, perspective);
  } else {
    root.append(
      unavailable("assess", "This server has no criticality assessment (GET /api/v1/assess): EU supply risk, economic importance, GeoPolRisk and USGS DP/TE are not shown. Below: global concentration from the dataset, which does not depend on the perspective."),
    );
  }
  renderConcentration(root, ctx);
}

function rank(rows: AssessRow[], key: keyof AssessRow): Map<string, number> {
  const sorted = rows.filter((r) => typeof r[key] === "number").sort((a, b) => (b[key] as number) - (a[key] as number));
  return new Map(sorted.map((r, i) => [r.material + (r.stage ?? ""), i + 1]));
}

function renderAssess(root: HTMLElement, rows: AssessRow[], perspective: string): void {
  const sorted = [...rows].sort((a, b) => (b.sr ?? -1) - (a.sr ?? -1));
  const ranks = { sr: rank(rows, "sr"), geopolrisk: rank(rows, "geopolrisk"), dp: rank(rows, "dp"), hhi: rank(rows, "hhi") };
  const scatterBox = el("div", { class: "chart", id: "crm-chart" });
  const barBox = el("div", { class: "chart", id: "sr-chart" });
  root.append(
    el("div", { class: "row" }, el("div", { class: "card" }, el("h2", {}, "EU CRM chart"), scatterBox), el("div", { class: "card" }, el("h2", {}, "Supply risk by method"), barBox)),
    el("div", { class: "card", id: "assess-table" }, el("h2", {}, "All methods"),
      table(sorted, [
        { title: "material", value: (r) => r.material },
        { title: "stage", value: (r) => r.stage ?? "" },
        { title: "SR (EU)", value: (r) => num(r.sr, 2), num: true },
        { title: "EI (EU)", value: (r) => num(r.ei, 2), num: true },
        { title: "critical", value: (r) => (r.critical ? "yes" : "no") },
        { title: "HHI", value: (r) => num(r.hhi), num: true },
        { title: "HHI-WGI GS", value: (r) => num(r.hhi_wgi_gs, 2), num: true },
        { title: `HHI-WGI ${perspective}`, value: (r) => num(r.hhi_wgi_p, 2), num: true },
        { title: "import reliance", value: (r) => pct(r.import_reliance, 0), num: true },
        { title: "GeoPolRisk", value: (r) => num(r.geopolrisk, 3), num: true },
        { title: "DP", value: (r) => num(r.dp, 3), num: true },
        { title: "TE", value: (r) => pct(r.te, 0), num: true },
        { title: "rank SR / GPR / DP / HHI", value: (r) => { const k = r.material + (r.stage ?? ""); return [ranks.sr.get(k), ranks.geopolrisk.get(k), ranks.dp.get(k), ranks.hhi.get(k)].map((x) => x ?? "-").join(" / "); } },
        { title: "basis", value: (r) => r.basis ?? "" },
      ], (r) => ({ "data-material": r.material })),
    ),
  );
  chart("crm", scatterBox, {
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    tooltip: { formatter: (p: { data: { name: string; value: number[] } }) => `${p.data.name}: EI ${num(p.data.value[0], 2)}, SR ${num(p.data.value[1], 2)}` },
    xAxis: { name: "economic importance", nameLocation: "middle", nameGap: 26, type: "value" },
    yAxis: { name: "supply risk", type: "value" },
    series: [{
      type: "scatter",
      name: "materials",
      data: rows.filter((r) => typeof r.ei === "number" && typeof r.sr === "number").map((r) => ({ name: r.material, value: [r.ei, r.sr], itemStyle: { color: r.critical ? "#c0392b" : "#2f6f9f" } })),
      label: { show: true, position: "right", fontSize: 10, formatter: "{b}" },
      markLine: { symbol: "none", lineStyle: { type: "dashed", color: "#999" }, data: [{ xAxis: 2.8 }, { yAxis: 1.0 }] },
    }],
  });
  chart("sr", barBox, {
    grid: { left: 90, right: 20, top: 30, bottom: 20 },
    legend: { top: 0 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "value" },
    yAxis: { type: "category", inverse: true, data: sorted.map((r) => r.material) },
    series: [
      { type: "bar", name: "SR (EU)", data: sorted.map((r) => r.sr ?? null) },
      { type: "bar", name: "GeoPolRisk ×10", data: sorted.map((r) => (typeof r.geopolrisk === "number" ? r.geopolrisk * 10 : null)) },
    ],
  });
}

function renderConcentration(root: HTMLElement, ctx: AppContext): void {
  const items = ctx.dataset.materials
    .map((m) => {
      const worst = [...m.stages].filter((s) => typeof s.hhi === "number").sort((a, b) => (b.hhi ?? 0) - (a.hhi ?? 0))[0];
      return worst ? { material: m.id, name: m.name, stage: worst.stage, hhi: worst.hhi ?? 0, top: worst.top_country ?? "", share: worst.top_share ?? 0 } : null;
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort((a, b) => b.hhi - a.hhi);
  const maxStages = Math.max(...ctx.dataset.materials.map((m) => m.stages.length));
  const heat: [number, number, number][] = [];
  const labels = new Map<string, string>();
  ctx.dataset.materials.forEach((m, y) =>
    m.stages.forEach((s) => {
      heat.push([s.order - 1, y, s.hhi ?? 0]);
      labels.set(`${s.order - 1},${y}`, `${s.stage}: ${s.top_country ?? ""} ${pct(s.top_share, 0)}`);
    }),
  );
  const barBox = el("div", { class: "chart tall", id: "concentration-chart" });
  const heatBox = el("div", { class: "chart tall", id: "heat-chart" });
  root.append(
    el("div", { class: "row" },
      el("div", { class: "card" }, el("h2", {}, "Most concentrated stage per material (HHI 0-1)"), barBox),
      el("div", { class: "card" }, el("h2", {}, "HHI of every stage, top producer and share"), heatBox),
    ),
  );
  chart("concentration", barBox, {
    grid: { left: 100, right: 70, top: 10, bottom: 24 },
    tooltip: { trigger: "axis", formatter: (p: { dataIndex: number }[]) => { const it = items[p[0].dataIndex]; return `${it.material} (${it.stage}): HHI ${num(it.hhi)}, ${it.top} ${pct(it.share)}`; } },
    xAxis: { type: "value", max: 1 },
    yAxis: { type: "category", inverse: true, data: items.map((i) => i.material) },
    series: [{ type: "bar", name: "HHI", data: items.map((i) => ({ value: i.hhi, itemStyle: { color: i.hhi > 0.5 ? "#c0392b" : i.hhi > 0.25 ? "#e67e22" : "#2f6f9f" } })), label: { show: true, position: "right", formatter: (p: { dataIndex: number }) => `${items[p.dataIndex].top} ${pct(items[p.dataIndex].share, 0)}`, fontSize: 10 } }],
  });
  chart("heat", heatBox, {
    grid: { left: 100, right: 20, top: 10, bottom: 60 },
    tooltip: { formatter: (p: { data: number[] }) => `${ctx.dataset.materials[p.data[1]].id}: ${labels.get(`${p.data[0]},${p.data[1]}`)} · HHI ${num(p.data[2])}` },
    xAxis: { type: "category", data: Array.from({ length: maxStages }, (_, i) => `stage ${i + 1}`) },
    yAxis: { type: "category", inverse: true, data: ctx.dataset.materials.map((m) => m.id) },
    visualMap: { min: 0, max: 1, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#5e8cb4", "#f5b041", "#c0292b"] } },
    series: [{ type: "heatmap", name: "HHI", data: heat, label: { show: true, fontSize: 9, formatter: (p: { data: number[] }) => labels.get(`${p.data[0]},${p.data[1]}`) ?? "" } }],
  });
}
