// BOM page: upload a bill of materials (CSV), and see its look-through: for each product and
// material, the country of origin at every upstream stage, as a map (one stage at a time) and a
// Sankey of flows from stage to stage by country.
import { api, type LookthroughLine, type LookthroughResult } from "../api";
import { chart, countryColor } from "../charts";
import { registerWorld } from "../geo";
import type { AppContext } from "../main";
import { el, errorBox, pct, table, unavailable } from "../ui";

export async function renderBom(root: HTMLElement, ctx: AppContext): Promise<void> {
  registerWorld();
  const file = el("input", { type: "file", id: "bom-file", accept: ".csv,text/csv" }) as HTMLInputElement;
  const out = el("div", { id: "bom-result" });
  root.append(
    el("h1", {}, "BOM look-through"),
    el("p", { class: "lead" }, "Not just which supplier, but which country: upload a BOM CSV (product, part, material, stage, kg_per_unit, supplier, supplier_country, tier) to trace each material back through every stage."),
    el("div", { class: "card" }, el("label", {}, "BOM file ", file)),
    out,
  );
  const available = ctx.has("POST", "/lookthrough");
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (!available) {
      out.replaceChildren(unavailable("lookthrough", "This server has no look-through (POST /api/v1/lookthrough): the BOM cannot be analysed here."));
      document.body.dataset.bom = f.name;
      return;
    }
    window.lodestone.ready = false;
    out.replaceChildren(el("p", { class: "muted" }, `Analysing ${f.name}…`));
    try {
      const result = await api.lookthrough(await f.text(), ctx.asOf());
      out.replaceChildren();
      showLookthrough(out, result, ctx);
    } catch (e) {
      out.replaceChildren(errorBox(e));
    } finally {
      window.lodestone.ready = true;
      document.body.dataset.bom = f.name;
    }
  });
}

const lineKey = (l: LookthroughLine) => `${l.product} · ${l.material}`;

export function showLookthrough(out: HTMLElement, result: LookthroughResult, ctx: AppContext): void {
  const lines = result.lines;
  const pickLine = el("select", { id: "bom-line", "aria-label": "product and material" });
  for (const l of lines) pickLine.append(el("option", { value: lineKey(l) }, `${lineKey(l)} (${l.kg_per_unit} kg/unit)`));
  const pickStage = el("select", { id: "bom-stage", "aria-label": "stage" });
  const mapBox = el("div", { class: "chart", id: "bom-map" });
  const sankeyBox = el("div", { class: "chart", id: "bom-sankey" });
  const detail = el("div", { id: "bom-detail" });
  out.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Line ", pickLine), el("label", {}, "Stage ", pickStage),
        result.basis ? el("span", { class: "muted" }, `basis: ${result.basis}`) : null),
      el("div", { class: "row" }, el("div", { class: "card" }, el("h2", {}, "Origin by country"), mapBox), el("div", { class: "card" }, el("h2", {}, "Flows by stage and country"), sankeyBox)),
      detail,
    ),
  );
  const current = () => lines.find((l) => lineKey(l) === pickLine.value) ?? lines[0];
  const fillStages = () => {
    const l = current();
    pickStage.replaceChildren(...(l?.stages ?? []).map((s) => el("option", { value: s.stage }, s.stage)));
  };
  const drawMap = () => {
    const l = current();
    const st = l?.stages.find((s) => s.stage === pickStage.value) ?? l?.stages[0];
    const origins = (st?.origins ?? []).filter((o) => o.country !== "ROW");
    chart("bom-map", mapBox, {
      tooltip: { trigger: "item", formatter: (p: { name: string; value?: number }) => `${ctx.countryName(p.name)}: ${Number.isFinite(p.value) ? pct(p.value) : "none"}` },
      visualMap: { min: 0, max: 1, left: 10, bottom: 10, inRange: { color: ["#fde8d7", "#c0392b"] }, formatter: (v: number) => pct(v, 0) },
      series: [{ type: "map", map: "world", roam: true, name: `${lineKey(l)} ${st?.stage ?? ""}`, itemStyle: { areaColor: "#eef1f4", borderColor: "#b8c1ca", borderWidth: 0.5 }, data: origins.map((o) => ({ name: o.country, value: o.share })) }],
    });
  };
  const drawSankey = () => {
    const l = current();
    if (!l) return;
    // Nodes: (stage, country). Links between consecutive stages: the shares of the downstream
    // stage's origin carried back to the upstream one, weighted by kg per unit.
    const nodes = new Map<string, { name: string; itemStyle: { color: string } }>();
    const links: { source: string; target: string; value: number }[] = [];
    const flows = (result as { flows?: { product: string; material: string; from_stage: string; from_country: string; to_stage: string; to_country: string; kg_per_unit: number }[] }).flows;
    const node = (stage: string, country: string) => {
      const name = `${stage}: ${country}`;
      if (!nodes.has(name)) nodes.set(name, { name, itemStyle: { color: countryColor(country) } });
      return name;
    };
    if (flows) {
      for (const f of flows.filter((x) => x.product === l.product && x.material === l.material)) {
        links.push({ source: node(f.from_stage, f.from_country), target: node(f.to_stage, f.to_country), value: f.kg_per_unit });
      }
    } else {
      // Without explicit flows, each stage links to the product: origin share × kg per unit.
      const product = `${l.product}`;
      nodes.set(product, { name: product, itemStyle: { color: "#34495e" } });
      for (const s of l.stages) {
        for (const o of s.origins) links.push({ source: node(s.stage, o.country), target: product, value: o.share * l.kg_per_unit });
      }
    }
    chart("bom-sankey", sankeyBox, {
      tooltip: { trigger: "item" },
      series: [{ type: "sankey", emphasis: { focus: "adjacency" }, nodeAlign: "left", data: [...nodes.values()], links, label: { fontSize: 10 } }],
    });
  };
  const drawDetail = () => {
    const l = current();
    detail.replaceChildren(
      el("h2", {}, `${lineKey(l)}: origin at every stage`),
      table(l.stages.flatMap((s) => s.origins.map((o) => ({ stage: s.stage, ...o }))), [
        { title: "stage", value: (r) => r.stage },
        { title: "country", value: (r) => `${r.country} ${ctx.countryName(r.country)}` },
        { title: "share", value: (r) => pct(r.share), num: true },
        { title: "kg per unit", value: (r) => (r.share * l.kg_per_unit).toPrecision(3), num: true },
      ], (r) => ({ "data-stage": r.stage, "data-country": r.country })),
      l.measures?.length ? el("p", {}, `Measures in force touching these origins: ${l.measures.join(", ")}`) : el("p", { class: "muted" }, "No measure in force touches these origins."),
    );
  };
  const drawAll = () => { drawMap(); drawSankey(); drawDetail(); };
  pickLine.addEventListener("change", () => { fillStages(); drawAll(); });
  pickStage.addEventListener("change", drawMap);
  fillStages();
  if (lines.length) drawAll();
  else out.append(el("p", { class: "muted" }, "The BOM has no lines."));
}
