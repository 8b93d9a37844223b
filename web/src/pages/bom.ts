// BOM page: upload a bill of materials (CSV), and see its look-through: for each product and
// material, the country of origin at every upstream stage, as a map (one stage at a time) and a
// Sankey of flows from stage to stage by country.
import { api, type LookthroughResult, type ProductMaterial } from "../api";
import { chart, countryColor } from "../charts";
import { registerWorld } from "../geo";
import type { AppContext } from "../main";
import { download, el, errorBox, num, pct, table, unavailable } from "../ui";

/** The example BOMs of data/examples (bundled at build time): every CSV whose header is a BOM's,
 * with its products file (NAME_products.csv) when there is one. */
const exampleFiles = import.meta.glob("../../../data/examples/*.csv", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const isBom = (text: string) => text.split("\n").some((l) => /^product,part,/.test(l.trim()));
export const EXAMPLE_BOMS: { name: string; text: string; products?: { name: string; text: string } }[] = Object.entries(exampleFiles)
  .filter(([, text]) => isBom(text))
  .map(([p, text]) => {
    const name = baseName(p);
    const productsPath = Object.keys(exampleFiles).find((q) => baseName(q) === name.replace(/\.csv$/, "_products.csv"));
    return { name, text, products: productsPath ? { name: baseName(productsPath), text: exampleFiles[productsPath] } : undefined };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** A BOM template: the columns of docs/lookthrough.md, an assembly line and a material line. */
export const BOM_TEMPLATE = [
  "# BOM template for the look-through (one line per part and material; # lines are comments).",
  "# Required: product, part, tier, and for a material line material, stage, kg_per_unit, supplier_country (ISO3).",
  "# An assembly line (no material) is a node of the tier tree; parent names the part a line goes into.",
  "product,part,parent,material,stage,kg_per_unit,supplier,supplier_country,tier,units_per_year,unit_price_usd,inventory_weeks,country,note",
  "My product,Module,,,,,Module maker,DEU,1,1000,5000,8,DEU,an assembly: no material of its own",
  "My product,Magnet,Module,rare_earths,magnet,0.5,Magnet maker,JPN,2,,,,,kg of contained rare-earth oxide per unit",
  "",
].join("\n");

export async function renderBom(root: HTMLElement, ctx: AppContext): Promise<void> {
  registerWorld();
  const file = el("input", { type: "file", id: "bom-file", accept: ".csv,text/csv" }) as HTMLInputElement;
  const example = el("select", { id: "bom-example", "aria-label": "example BOM" },
    el("option", { value: "" }, "— pick an example —"),
    ...EXAMPLE_BOMS.map((b) => el("option", { value: b.name }, b.name)));
  const template = el("button", { type: "button", id: "bom-template", title: "Download an empty BOM with every column" }, "Download a BOM template");
  template.addEventListener("click", () => download("bom_template.csv", BOM_TEMPLATE));
  const out = el("div", { id: "bom-result" });
  root.append(
    el("h1", {}, "BOM look-through"),
    el("p", { class: "lead" }, "Not just which supplier, but which country: upload a BOM CSV (product, part, material, stage, kg_per_unit, supplier, supplier_country, tier) to trace each material back through every stage."),
    el("div", { class: "card controls" }, el("label", {}, "BOM file ", file), el("label", {}, "or an example ", example), template),
    out,
  );
  const available = ctx.has("POST", "/lookthrough");
  const analyse = async (bom: { name: string; text: string }, products?: { name: string; text: string }) => {
    if (!available) {
      out.replaceChildren(unavailable("lookthrough", "This server has no look-through (POST /api/v1/lookthrough): the BOM cannot be analysed here."));
      document.body.dataset.bom = bom.name;
      return;
    }
    window.lodestone.ready = false;
    out.replaceChildren(el("p", { class: "muted" }, `Analysing ${bom.name}…`));
    try {
      const result = await api.lookthroughFile(bom, ctx.asOf(), products);
      out.replaceChildren();
      showLookthrough(out, result, ctx, bom.name);
    } catch (e) {
      // Name the file: the server's diagnostics carry it as file:line:column, other errors do not.
      out.replaceChildren(el("p", { class: "error-file", "data-file": bom.name }, `${bom.name} could not be analysed:`), errorBox(e));
    } finally {
      window.lodestone.ready = true;
      document.body.dataset.bom = bom.name;
    }
  };
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    example.value = "";
    await analyse({ name: f.name, text: await f.text() });
  });
  example.addEventListener("change", async () => {
    const b = EXAMPLE_BOMS.find((x) => x.name === example.value);
    if (!b) return;
    file.value = "";
    await analyse(b, b.products);
  });
}

const lineKey = (l: ProductMaterial) => `${l.product} · ${l.material}`;

/** Sankey nodes and links of one product and material: origin countries of each stage flow into
 * that stage's pool, which flows into the next stage's origin countries, and the last pool into
 * the product. No joint distribution is assumed between stages: each pool mixes its origins. */
export function sankeyOf(l: ProductMaterial): { nodes: { name: string; itemStyle: { color: string } }[]; links: { source: string; target: string; value: number }[] } {
  const nodes = new Map<string, { name: string; itemStyle: { color: string } }>();
  const links: { source: string; target: string; value: number }[] = [];
  const add = (name: string, color: string) => {
    if (!nodes.has(name)) nodes.set(name, { name, itemStyle: { color } });
    return name;
  };
  let previous: string | null = null;
  for (const o of l.origins) {
    const kg = o.kg_per_unit ?? l.kg_per_unit;
    const pool = add(`${l.material} ${o.stage}`, "#34495e");
    for (const c of o.countries) {
      if (c.share <= 0) continue;
      const country = add(`${c.country} (${o.stage})`, countryColor(c.country));
      if (previous) links.push({ source: previous, target: country, value: c.share * kg });
      links.push({ source: country, target: pool, value: c.share * kg });
    }
    previous = pool;
  }
  if (previous) links.push({ source: previous, target: add(l.product, "#7f8c8d"), value: l.kg_per_unit });
  return { nodes: [...nodes.values()], links };
}

export function showLookthrough(out: HTMLElement, result: LookthroughResult, ctx: AppContext, fileName = ""): void {
  const lines = result.products;
  out.append(overview(result, ctx, fileName, (l) => {
    pickLine.value = lineKey(l);
    pickLine.dispatchEvent(new Event("change"));
    pickLine.scrollIntoView({ block: "nearest" });
  }));
  const pickLine = el("select", { id: "bom-line", "aria-label": "product and material" });
  for (const l of lines) pickLine.append(el("option", { value: lineKey(l) }, `${lineKey(l)} (${l.kg_per_unit.toPrecision(3)} kg/unit)`));
  // Start with the material whose origin is the most concentrated.
  const worst = (l: ProductMaterial) => Math.max(0, ...l.origins.map((o) => o.hhi));
  pickLine.value = lines.length ? lineKey([...lines].sort((a, b) => worst(b) - worst(a))[0]) : "";
  const pickStage = el("select", { id: "bom-stage", "aria-label": "stage" });
  const mapBox = el("div", { class: "chart", id: "bom-map" });
  const sankeyBox = el("div", { class: "chart", id: "bom-sankey" });
  const detail = el("div", { id: "bom-detail" });
  out.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Product · material ", pickLine), el("label", {}, "Origin at stage ", pickStage),
        el("span", { class: "muted" }, `as of ${result.as_of}`)),
      el("div", { class: "row" }, el("div", { class: "card" }, el("h2", {}, "Origin by country"), mapBox), el("div", { class: "card" }, el("h2", {}, "Flows by stage and country (kg per unit)"), sankeyBox)),
      detail,
    ),
  );
  const current = () => lines.find((l) => lineKey(l) === pickLine.value) ?? lines[0];
  const fillStages = () => {
    const l = current();
    pickStage.replaceChildren(...(l?.origins ?? []).map((s) => el("option", { value: s.stage }, s.stage)));
    const most = [...(l?.origins ?? [])].sort((a, b) => b.hhi - a.hhi)[0];
    if (most) pickStage.value = most.stage;
  };
  const drawMap = () => {
    const l = current();
    const st = l?.origins.find((s) => s.stage === pickStage.value) ?? l?.origins[0];
    const origins = (st?.countries ?? []).filter((o) => o.country !== "ROW" && o.share > 0);
    chart("bom-map", mapBox, {
      title: { text: `${lineKey(l)}: ${st?.stage ?? ""}`, subtext: `HHI ${st ? st.hhi.toFixed(3) : ""} · basis ${st?.basis ?? ""}`, left: 8, top: 2, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "item", formatter: (p: { name: string; value?: number }) => `${ctx.countryName(p.name)}: ${Number.isFinite(p.value) ? pct(p.value) : "none"}` },
      visualMap: { min: 0, max: 1, left: 10, bottom: 10, inRange: { color: ["#fde8d7", "#c0392b"] }, formatter: (v: number) => pct(v, 0) },
      series: [{ type: "map", map: "world", roam: true, top: 50, bottom: 8, left: 8, right: 8, name: `${lineKey(l)} ${st?.stage ?? ""}`, itemStyle: { areaColor: "#eef1f4", borderColor: "#b8c1ca", borderWidth: 0.5 }, data: origins.map((o) => ({ name: o.country, value: o.share })) }],
    });
  };
  const drawSankey = () => {
    const l = current();
    if (!l) return;
    const { nodes, links } = sankeyOf(l);
    // Labels sit right of their node, and the last column's (the product) left of it, so that
    // no label runs past the chart's edge.
    const product = nodes[nodes.length - 1]?.name ?? "";
    chart("bom-sankey", sankeyBox, {
      tooltip: { trigger: "item", formatter: (p: { data: { source?: string; target?: string; value?: number; name?: string } }) => (p.data.source ? `${p.data.source} → ${p.data.target}: ${(p.data.value ?? 0).toPrecision(3)} kg/unit` : p.data.name ?? "") },
      series: [{
        type: "sankey", emphasis: { focus: "adjacency" }, nodeAlign: "justify", left: 8, right: 8, top: 28, bottom: 12,
        data: nodes.map((n) => (n.name === product ? { ...n, label: { position: "left" } } : n)),
        links,
        label: { fontSize: 10, position: "right" },
      }],
    });
  };
  const drawDetail = () => {
    const l = current();
    detail.replaceChildren(
      el("h2", {}, `Detail of ${lineKey(l)}: origin at every stage`),
      table(l.origins.flatMap((s) => s.countries.map((c) => ({ stage: s.stage, basis: s.basis, kg: s.kg_per_unit ?? l.kg_per_unit, ...c }))), [
        { title: "stage", value: (r) => r.stage },
        { title: "country", value: (r) => `${r.country} ${ctx.countryName(r.country)}` },
        { title: "share", value: (r) => pct(r.share), num: true },
        { title: "kg per unit", value: (r) => (r.share * r.kg).toPrecision(3), num: true },
        { title: "measures in force", value: (r) => r.measures.join(", ") },
        { title: "basis", value: (r) => r.basis },
      ], (r) => ({ "data-stage": r.stage, "data-country": r.country })),
      ...l.notes.map((n) => el("p", { class: "muted" }, n)),
    );
  };
  const drawAll = () => { drawMap(); drawSankey(); drawDetail(); };
  pickLine.addEventListener("change", () => { fillStages(); drawAll(); });
  pickStage.addEventListener("change", drawMap);
  fillStages();
  if (lines.length) drawAll();
  else out.append(el("p", { class: "muted" }, "The BOM has no lines."));
}

/** One row per product and material of the BOM, before the per-line detail: quantity, the BOM
 * lines it sums, its most concentrated stage, the top origin there and the measures in force. */
function overview(result: LookthroughResult, ctx: AppContext, fileName: string, pick: (l: ProductMaterial) => void): HTMLElement {
  const rows = result.products.map((l) => {
    const worst = [...l.origins].sort((a, b) => b.hhi - a.hhi)[0];
    const top = worst ? [...worst.countries].filter((c) => c.country !== "ROW").sort((a, b) => b.share - a.share)[0] : undefined;
    const measures = [...new Set(l.origins.flatMap((o) => o.countries.flatMap((c) => c.measures)))];
    return { l, worst, top, measures };
  });
  const t = table(rows, [
    { title: "product", value: (r) => r.l.product },
    { title: "material", value: (r) => r.l.material },
    { title: "kg per unit", value: (r) => r.l.kg_per_unit.toPrecision(3), num: true },
    { title: "t/yr", value: (r) => (r.l.tonnes_per_year === null ? "" : r.l.tonnes_per_year.toPrecision(3)), num: true },
    { title: "BOM lines", value: (r) => r.l.lines, num: true },
    { title: "most concentrated stage", value: (r) => r.worst?.stage ?? "" },
    { title: "HHI", value: (r) => num(r.worst?.hhi), num: true },
    { title: "top origin there", value: (r) => (r.top ? `${r.top.country} ${ctx.countryName(r.top.country)} ${pct(r.top.share, 0)}` : "") },
    { title: "measures in force", value: (r) => r.measures.join(", ") },
  ], (r) => ({ "data-line": lineKey(r.l), "data-lines": String(r.l.lines), title: "Show this line's detail below", style: "cursor: pointer" }));
  for (const tr of t.querySelectorAll<HTMLTableRowElement>("tbody tr")) {
    tr.addEventListener("click", () => {
      const r = rows.find((x) => lineKey(x.l) === tr.dataset.line);
      if (r) pick(r.l);
    });
  }
  return el("div", { class: "card", id: "bom-overview", "data-file": fileName },
    el("h2", {}, `Overview of ${fileName || "the BOM"}: ${rows.length} product and material line${rows.length === 1 ? "" : "s"} as of ${result.as_of}`),
    t,
    el("p", { class: "muted" }, "Click a line to see its origin map, flows and origins at every stage below."));
}
