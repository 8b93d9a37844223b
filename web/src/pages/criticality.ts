// The criticality panel: every method side by side for the perspective and date (GET /assess, the
// JSON of `lodestone assess --format json`), ranked by risk, with the EU CRM chart (economic
// importance vs supply risk and the EU thresholds the server applied), the score of the ranking
// method per material, how far the methods agree, and the suppliers with leverage over the
// perspective (GET /leverage). Below: the global concentration of every stage (GET /materials
// through the dataset), which does not depend on the perspective.
import { api, type AssessDoc, type AssessRow, type LeverageRow } from "../api";
import { chart, type Chart } from "../charts";
import type { AppContext } from "../main";
import { el, errorBox, num, pct, pill, table, unavailable } from "../ui";

/** The methods the server ranks by, with the score column each one ranks on. */
const METHODS: { id: string; label: string; score: string; digits: number }[] = [
  { id: "eu", label: "EU supply risk (SR)", score: "score_eu", digits: 2 },
  { id: "geopolrisk", label: "GeoPolRisk", score: "score_geopolrisk", digits: 3 },
  { id: "usgs", label: "USGS (DP × TE)", score: "score_usgs", digits: 3 },
  { id: "hhi", label: "HHI (concentration)", score: "score_hhi", digits: 3 },
];

const numberOf = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export async function renderCriticality(root: HTMLElement, ctx: AppContext): Promise<void> {
  const perspective = ctx.perspective();
  const asOf = ctx.asOf();
  root.append(
    el("h1", {}, `Criticality for ${perspective}`),
    el("p", { class: "lead" }, `As of ${asOf}. Every method runs on the same dataset for the same buyer, so their rankings can be compared.`),
  );
  if (ctx.has("GET", "/assess")) {
    const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
    const byStage = el("input", { type: "checkbox", id: "assess-by-stage" }) as HTMLInputElement;
    byStage.checked = params.get("by_stage") === "true";
    const rankBy = el("select", { id: "assess-rank-by", "aria-label": "rank by" });
    for (const m of METHODS) rankBy.append(el("option", { value: m.id }, m.label));
    rankBy.value = METHODS.some((m) => m.id === params.get("rank")) ? (params.get("rank") as string) : "eu";
    const panel = el("div", { id: "assess-panel" });
    root.append(
      el("div", { class: "controls" }, el("label", {}, "Rank by ", rankBy), el("label", {}, byStage, " one row per stage")),
      panel,
    );
    let doc: AssessDoc | null = null;
    const load = async () => {
      panel.replaceChildren(el("p", { class: "muted" }, "Assessing…"));
      try {
        doc = await api.assess(perspective, asOf, byStage.checked);
        panel.replaceChildren();
        renderAssess(panel, doc, rankBy.value);
      } catch (e) {
        doc = null;
        panel.replaceChildren(errorBox(e));
      }
    };
    rankBy.addEventListener("change", () => {
      if (doc) {
        panel.replaceChildren();
        renderAssess(panel, doc, rankBy.value);
      }
    });
    byStage.addEventListener("change", () => void load());
    // Both requests at once; the page is ready when both are drawn.
    const leverage = ctx.has("GET", "/leverage") ? api.leverage(perspective, asOf, 10) : null;
    leverage?.catch(() => {}); // handled when drawn, after the panel
    await load();
    if (leverage) await renderLeverage(root, ctx, perspective, leverage);
  } else {
    root.append(
      unavailable("assess", "This server has no criticality assessment (GET /api/v1/assess): EU supply risk, economic importance, GeoPolRisk and USGS DP/TE are not shown. Below: global concentration from the dataset, which does not depend on the perspective."),
    );
  }
  renderConcentration(root, ctx);
}

/** Rows ordered by the method's rank (1 = highest risk); rows the method does not score go last. */
function ranked(rows: AssessRow[], method: string): AssessRow[] {
  const r = (row: AssessRow) => numberOf(row[`rank_${method}`]) ?? Number.POSITIVE_INFINITY;
  return [...rows].sort((a, b) => r(a) - r(b) || a.material.localeCompare(b.material) || a.stage.localeCompare(b.stage));
}

function renderAssess(root: HTMLElement, doc: AssessDoc, method: string): void {
  const m = METHODS.find((x) => x.id === method) ?? METHODS[0];
  const rows = ranked(doc.rows, m.id);
  const label = (r: AssessRow) => (doc.by_stage ? `${r.material}/${r.stage}` : r.material);
  const { critical_ei: eiT, critical_sr: srT } = doc.methods;
  const critical = rows.filter((r) => r.critical).length;

  const scatterBox = el("div", { class: "chart", id: "crm-chart" });
  const barBox = el("div", { class: "chart", id: "sr-chart" });
  root.append(
    el("div", { class: "kpis" },
      el("div", { class: "kpi" }, el("b", {}, String(critical)), el("span", {}, `critical for the EU method (EI ≥ ${eiT}, SR ≥ ${srT}) of ${rows.length} ${doc.by_stage ? "stages" : "materials"}`)),
      el("div", { class: "kpi" }, el("b", {}, rows[0] ? label(rows[0]) : "–"), el("span", {}, `highest ${m.label}`)),
      el("div", { class: "kpi" }, el("b", {}, doc.perspective), el("span", {}, `${doc.members.length} member${doc.members.length === 1 ? "" : "s"}: ${doc.members.slice(0, 12).join(", ")}${doc.members.length > 12 ? ", …" : ""}`)),
    ),
    el("div", { class: "row", style: "margin-top:12px" },
      el("div", { class: "card" }, el("h2", {}, "EU CRM chart: economic importance vs supply risk"), scatterBox),
      el("div", { class: "card" }, el("h2", {}, `${m.label} by ${doc.by_stage ? "material and stage" : "material"}`), barBox)),
  );

  const tableBox = el("div", { class: "card", id: "assess-table", "data-perspective": doc.perspective, "data-as-of": doc.as_of, "data-rank-by": m.id, "data-by-stage": String(doc.by_stage) },
    el("h2", {}, `All methods, ranked by ${m.label}`),
    table(rows, [
      { title: "#", value: (r) => numberOf(r[`rank_${m.id}`]) ?? "", num: true },
      { title: "material", value: (r) => r.material },
      { title: "stage", value: (r) => r.stage },
      { title: "HHI", value: (r) => num(r.hhi), num: true },
      { title: "top producer", value: (r) => (r.top_country ? `${r.top_country} ${pct(r.top_share, 0)}` : "") },
      { title: "SR (EU)", value: (r) => num(r.sr, 2), num: true },
      { title: "EI (EU)", value: (r) => num(r.ei, 2), num: true },
      { title: "critical", value: (r) => (r.critical ? pill("critical", "#c0392b") : "no") },
      { title: "GeoPolRisk", value: (r) => num(r.geopolrisk, 3), num: true },
      { title: "import reliance", value: (r) => pct(r.import_reliance, 0), num: true },
      { title: "basis", value: (r) => el("span", { title: r.basis_note ?? "" }, r.basis ?? "") },
      { title: `HHI-WGI ${doc.perspective}`, value: (r) => num(r.hhi_wgi_p, 2), num: true },
      { title: "DP", value: (r) => num(r.dp, 3), num: true },
      { title: "TE", value: (r) => pct(r.te, 0), num: true },
      { title: "rank EU / GPR / USGS / HHI", value: (r) => ["eu", "geopolrisk", "usgs", "hhi"].map((k) => numberOf(r[`rank_${k}`]) ?? "–").join(" / ") },
    ], (r) => ({
      "data-material": r.material,
      "data-stage": r.stage,
      "data-sr": r.sr === null ? "" : String(r.sr),
      "data-critical": String(r.critical),
    })),
  );
  root.append(tableBox);
  // Name the cells for tests and screen readers: the SR cell of each row.
  for (const tr of tableBox.querySelectorAll<HTMLTableRowElement>("tbody tr")) tr.cells[5]?.setAttribute("data-col", "sr");

  if (doc.agreement.length) {
    root.append(el("div", { class: "row" },
      el("div", { class: "card", id: "assess-agreement" }, el("h2", {}, `How far the methods agree (vs ${doc.ranked_by})`),
        table(doc.agreement, [
          { title: "method", value: (a) => a.method },
          { title: "Spearman", value: (a) => num(a.spearman, 3), num: true },
          { title: "mean rank shift", value: (a) => num(a.mean_abs_rank_shift, 2), num: true },
          { title: "max shift", value: (a) => a.max_rank_shift ?? "", num: true },
          { title: "largest shift", value: (a) => a.max_shift_row },
        ])),
      el("div", { class: "card" }, el("h2", {}, "Notes"), el("ul", { class: "muted", id: "assess-notes" }, ...doc.notes.map((n) => el("li", {}, n)))),
    ));
  }

  const points = rows.filter((r) => r.ei !== null && r.sr !== null);
  const maxEi = Math.max(eiT * 1.25, ...points.map((r) => r.ei as number));
  const maxSr = Math.max(srT * 1.5, ...points.map((r) => r.sr as number));
  // Two series, critical and not, so that each colour has a legend entry. Every label is shown;
  // overlapping ones are moved apart vertically with a leader line to their point.
  const critLabel = `critical (EI ≥ ${eiT}, SR ≥ ${srT})`;
  const scatterSeries = (name: string, color: string, critical: boolean) => ({
    type: "scatter",
    name,
    symbolSize: 10,
    itemStyle: { color },
    data: points.filter((r) => r.critical === critical).map((r) => ({ name: label(r), value: [r.ei, r.sr], critical: r.critical })),
    label: { show: true, position: "right", fontSize: 10, formatter: "{b}" },
  });
  const crm = chart("crm", scatterBox, {
    grid: { left: 56, right: 90, top: 34, bottom: 48 },
    legend: { top: 0, left: "center", data: [critLabel, "not critical"] },
    tooltip: {
      formatter: (p: { data: { name: string; value: number[]; critical: boolean } }) =>
        `${p.data.name}: EI ${num(p.data.value[0], 2)}, SR ${num(p.data.value[1], 2)}${p.data.critical ? " (critical)" : ""}`,
    },
    xAxis: { name: "economic importance (EI)", nameLocation: "middle", nameGap: 28, type: "value", min: 0, max: Math.ceil(maxEi * 1.05 * 2) / 2 },
    yAxis: { name: "supply risk (SR)", type: "value", min: 0, max: Math.ceil(maxSr * 1.1 * 2) / 2 },
    series: [
      {
        ...scatterSeries(critLabel, "#c0392b", true),
        markLine: {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: "#c0392b" },
          label: { formatter: "{b}", fontSize: 10 },
          data: [{ name: `EI ${eiT}`, xAxis: eiT }, { name: `SR ${srT}`, yAxis: srT }],
        },
      },
      scatterSeries("not critical", "#2f6f9f", false),
    ],
  });
  placeLabels(crm, 2);

  const scored = rows.filter((r) => numberOf(r[m.score]) !== null);
  const barSeries = (name: string, color: string, critical: boolean) => ({
    type: "bar",
    name,
    stack: "score",
    itemStyle: { color },
    data: scored.map((r) => (r.critical === critical ? numberOf(r[m.score]) : null)),
    label: { show: true, position: "right", fontSize: 10, formatter: (p: { value: number | null }) => (p.value === null ? "" : num(p.value, m.digits)) },
  });
  chart("sr", barBox, {
    grid: { left: 110, right: 50, top: 28, bottom: 24 },
    legend: { top: 0, left: "center", data: [critLabel, "not critical"] },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: m.id === "eu" ? "SR" : "" },
    yAxis: { type: "category", inverse: true, data: scored.map(label), axisLabel: { fontSize: 10 } },
    series: [
      { ...barSeries(critLabel, "#c0392b", true),
        markLine: m.id === "eu" ? { symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#c0392b" }, data: [{ name: `SR ${srT}`, xAxis: srT }] } : undefined },
      barSeries("not critical", "#2f6f9f", false),
    ],
  });
}

/** Every label of a scatter chart shown and none overlapping: each point's label goes to the first
 * place (right, left, above, below, then right shifted up or down) where it overlaps no label
 * placed before it and no point, points taken from the top of the chart down. */
function placeLabels(c: Chart, seriesCount: number): void {
  const ctx2d = document.createElement("canvas").getContext("2d");
  if (ctx2d) ctx2d.font = "10px sans-serif";
  type Rect = { x: number; y: number; w: number; h: number };
  const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const opt = c.getOption() as { series: { data: { name: string; value: number[] }[] }[] };
  const points: { s: number; i: number; name: string; x: number; y: number }[] = [];
  for (let s = 0; s < seriesCount; s++) {
    (opt.series[s]?.data ?? []).forEach((d, i) => {
      const [x, y] = c.convertToPixel({ seriesIndex: s }, d.value) as number[];
      points.push({ s, i, name: d.name, x, y });
    });
  }
  const symbols: Rect[] = points.map((p) => ({ x: p.x - 5, y: p.y - 5, w: 10, h: 10 }));
  const width = c.getWidth();
  const placed: Rect[] = [];
  const labels: { position: string; offset: number[] }[][] = Array.from({ length: seriesCount }, () => []);
  for (const p of [...points].sort((a, b) => a.y - b.y || a.x - b.x)) {
    const w = Math.ceil(ctx2d ? ctx2d.measureText(p.name).width : p.name.length * 6) + 2;
    const h = 12;
    const candidates: { position: string; offset: number[]; r: Rect }[] = [
      { position: "right", offset: [0, 0], r: { x: p.x + 10, y: p.y - h / 2, w, h } },
      { position: "left", offset: [0, 0], r: { x: p.x - 10 - w, y: p.y - h / 2, w, h } },
      { position: "top", offset: [0, 0], r: { x: p.x - w / 2, y: p.y - 10 - h, w, h } },
      { position: "bottom", offset: [0, 0], r: { x: p.x - w / 2, y: p.y + 10, w, h } },
      ...[-12, 12, -24, 24].map((dy) => ({ position: "right", offset: [0, dy], r: { x: p.x + 10, y: p.y - h / 2 + dy, w, h } })),
    ];
    const free = (r: Rect) => r.x >= 0 && r.x + r.w <= width && !placed.some((q) => overlaps(q, r)) && !symbols.some((q) => overlaps(q, r));
    const pick = candidates.find((k) => free(k.r)) ?? candidates[0];
    placed.push(pick.r);
    labels[p.s][p.i] = { position: pick.position, offset: pick.offset };
  }
  c.setOption({
    series: labels.map((ls, s) => ({ data: opt.series[s].data.map((d, i) => ({ ...d, label: ls[i] })) })),
  });
}

/** Who could hurt the perspective most: every supplier ranked by its leverage over it. */
async function renderLeverage(root: HTMLElement, ctx: AppContext, perspective: string, request: Promise<LeverageRow[]>): Promise<void> {
  const box = el("div", { class: "card", id: "leverage" }, el("h2", {}, `Suppliers with the most leverage over ${perspective}`));
  root.append(box);
  let rows: LeverageRow[];
  try {
    rows = await request;
  } catch (e) {
    box.append(errorBox(e));
    return;
  }
  if (!Array.isArray(rows) || rows.length === 0) {
    box.append(el("p", { class: "muted" }, "No supplier with leverage over this perspective in the dataset."));
    return;
  }
  box.append(
    table(rows, [
      { title: "#", value: (r) => r.rank, num: true },
      { title: "supplier", value: (r) => `${r.supplier} ${r.name || ctx.countryName(r.supplier)}` },
      { title: "leverage", value: (r) => num(r.leverage, 3), num: true },
      { title: `${perspective}'s leverage back`, value: (r) => num(r.reverse, 3), num: true },
      { title: "net", value: (r) => num(r.net, 3), num: true },
      { title: "through", value: (r) => (r.top_material ? `${r.top_material} (${num(r.top_leverage, 2)})` : "") },
    ], (r) => ({ "data-supplier": r.supplier })),
    el("p", { class: "muted" }, "leverage: import-value-weighted mean over materials of the supplier’s share × the substitution index (si_sr, 1 = no substitute) × (1 − stock cover in years, capped at 1); net = leverage − leverage back."),
  );
}

/** The colour bands of the concentration chart (HHI 0-1, as the US DOJ's 2,500 and 5,000 on 0-10,000). */
const HHI_BANDS = [
  { name: "HHI > 0.5", color: "#c0392b", test: (h: number) => h > 0.5 },
  { name: "0.25 < HHI ≤ 0.5", color: "#e67e22", test: (h: number) => h > 0.25 && h <= 0.5 },
  { name: "HHI ≤ 0.25", color: "#2f6f9f", test: (h: number) => h <= 0.25 },
];

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
    el("h2", { style: "margin-top:20px" }, "Global concentration (the same for every perspective)"),
    el("div", { class: "row" },
      el("div", { class: "card" }, el("h2", {}, "Most concentrated stage per material (HHI 0-1)"), barBox),
      el("div", { class: "card" }, el("h2", {}, "HHI of every stage, top producer and share"), heatBox),
    ),
  );
  chart("concentration", barBox, {
    grid: { left: 100, right: 70, top: 28, bottom: 24 },
    legend: { top: 0, left: "center", data: HHI_BANDS.map((b) => b.name) },
    tooltip: { trigger: "axis", formatter: (p: { dataIndex: number }[]) => { const it = items[p[0].dataIndex]; return `${it.material} (${it.stage}): HHI ${num(it.hhi)}, ${it.top} ${pct(it.share)}`; } },
    xAxis: { type: "value", max: 1 },
    yAxis: { type: "category", inverse: true, data: items.map((i) => i.material) },
    // One stacked series per concentration band, so that each colour has a legend entry.
    series: HHI_BANDS.map((b) => ({
      type: "bar", name: b.name, stack: "hhi", itemStyle: { color: b.color },
      data: items.map((i) => (b.test(i.hhi) ? i.hhi : null)),
      label: { show: true, position: "right", formatter: (p: { dataIndex: number; value: number | null }) => (p.value === null ? "" : `${items[p.dataIndex].top} ${pct(items[p.dataIndex].share, 0)}`), fontSize: 10 },
    })),
  });
  chart("heat", heatBox, {
    grid: { left: 100, right: 20, top: 10, bottom: 60 },
    tooltip: { formatter: (p: { data: number[] }) => `${ctx.dataset.materials[p.data[1]].id}: ${labels.get(`${p.data[0]},${p.data[1]}`)} · HHI ${num(p.data[2])}` },
    xAxis: { type: "category", data: Array.from({ length: maxStages }, (_, i) => `stage ${i + 1}`) },
    yAxis: { type: "category", inverse: true, data: ctx.dataset.materials.map((m) => m.id) },
    visualMap: { min: 0, max: 1, orient: "horizontal", left: "center", bottom: 0, text: ["HHI 1", "HHI 0"], inRange: { color: ["#5e8cb4", "#f5b041", "#c0292b"] } },
    series: [{ type: "heatmap", name: "HHI", data: heat, label: { show: true, fontSize: 9, formatter: (p: { data: number[] }) => labels.get(`${p.data[0]},${p.data[1]}`) ?? "" } }],
  });
}
