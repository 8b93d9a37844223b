// World map of one material and stage, in two views: the share of world output per country in a
// chosen year (the data year, or a later one with the capacity projects.csv brings online, from
// GET /shares?year=), or where the perspective's supply comes from on the as-of date (GET
// /lookthrough?country=). The perspective's members are outlined, and the countries whose measures
// in force on the as-of date touch the perspective are drawn with a dashed red border. Below, every
// stage of the material side by side in the same view and year.
import { api, ApiError, type CountryLookthrough, type PolicyRow, type StageInfo } from "../api";
import { chart, countryColor } from "../charts";
import { registerWorld } from "../geo";
import type { AppContext } from "../main";
import { membersOf, touches } from "../perspective";
import { el, errorBox, hashParams, kpi, num, pct, setHashParams, table, tonnes } from "../ui";

type Shares = StageInfo & { material: string };
interface Cell { country: string; share: number; tonnes?: number; project_tonnes?: number; measures?: string[] }

const MEMBER_BORDER = "#1f4e79";
const MEASURE_BORDER = "#c0392b";

export async function renderMap(root: HTMLElement, ctx: AppContext): Promise<void> {
  registerWorld();
  const materials = ctx.dataset.materials.filter((m) => m.stages.length > 0);
  const params = hashParams();
  const perspective = ctx.perspective();
  const asOf = ctx.asOf();
  const materialSel = el("select", { id: "map-material", "aria-label": "material" });
  for (const m of materials) materialSel.append(el("option", { value: m.id }, m.name || m.id));
  materialSel.value = params.get("material") ?? (materials.some((m) => m.id === "gallium") ? "gallium" : materials[0]?.id ?? "");
  const stageSel = el("select", { id: "map-stage", "aria-label": "stage" });
  const viewSel = el("select", { id: "map-view", "aria-label": "view" },
    el("option", { value: "world" }, "share of world output"),
    el("option", { value: "supply" }, `${perspective}'s supply by origin`));
  viewSel.value = params.get("view") === "supply" ? "supply" : "world";
  const yearInput = el("input", { type: "range", id: "map-year", "aria-label": "year", step: "1" }) as HTMLInputElement;
  const yearLabel = el("output", { id: "map-year-label", for: "map-year" });
  const yearNote = el("span", { class: "muted", id: "map-year-note" });

  const mapBox = el("div", { class: "chart tall", id: "map-chart" });
  const side = el("div", { id: "map-side" });
  const stagesRow = el("div", { class: "row", id: "map-stages" });
  root.append(
    el("h1", {}, "Where it is made"),
    el("p", { class: "lead" }, `Share of world output by country, per material and stage (tonnes of contained element per year), or where ${perspective}'s supply comes from on ${asOf}. ${perspective}'s members are outlined in blue; a dashed red border marks a country with a measure in force on ${asOf} that touches ${perspective}.`),
    el("div", { class: "controls" },
      el("label", {}, "Material ", materialSel), el("label", {}, "Stage ", stageSel), el("label", {}, "Show ", viewSel),
      el("label", { id: "map-year-control" }, "Year ", yearInput, " ", yearLabel), yearNote),
    el("div", { class: "row" }, el("div", { class: "card", style: "flex: 3 1 640px" }, mapBox), el("div", { class: "card", style: "flex: 1 1 300px" }, side)),
    el("h2", { style: "margin-top:16px", id: "map-stages-title" }, ""),
    stagesRow,
  );

  const members = new Set(membersOf(perspective, ctx.countries).map((c) => c.iso3));
  const materialName = (id: string) => materials.find((x) => x.id === id)?.name || id;

  const fillStages = () => {
    const m = materials.find((x) => x.id === materialSel.value);
    stageSel.replaceChildren(...(m?.stages ?? []).map((s) => el("option", { value: s.stage }, `${s.order}. ${s.stage}`)));
    const wanted = params.get("stage");
    if (wanted && m?.stages.some((s) => s.stage === wanted)) stageSel.value = wanted;
  };

  /** The years of the stage (its data year to the last project year); the year shown is the URL's,
   * else the as-of date's year, within them. */
  const fillYears = async (preferred: number | null) => {
    const base = await api.shares(materialSel.value, stageSel.value);
    const first = base.years?.first ?? base.year ?? 0;
    const last = base.years?.last ?? first;
    yearInput.min = String(first);
    yearInput.max = String(last);
    const wanted = preferred ?? Number(asOf.slice(0, 4));
    yearInput.value = String(Math.min(last, Math.max(first, Number.isFinite(wanted) ? wanted : first)));
    yearInput.disabled = first === last || viewSel.value === "supply";
    yearInput.dataset.first = String(first);
    yearInput.dataset.last = String(last);
  };

  // What the as-of date and the perspective change: the measures in force against the perspective.
  let measures: PolicyRow[] = [];
  const loadMeasures = async () => {
    measures = ctx.has("GET", "/policies") ? await api.policiesOn(asOf, materialSel.value, perspective).catch(() => []) : [];
    // The brief's rule: export-side measures covering a member, buyer-side ones the perspective imposes.
    measures = measures.filter((m) => (!m.stages || m.stages.split(";").includes(stageSel.value)) && touches(m, perspective, ctx.countries));
  };
  /** Other countries whose measures touch the perspective (its own buyer-side measures are listed, not drawn). */
  const measureCountries = () => new Set(measures.map((m) => m.country).filter((c) => !members.has(c) && c !== perspective));

  /** Map data: every cell with a value, plus the members and the measure-imposing countries
   * (outlined, no value when they have no share). */
  const mapData = (cells: Cell[]) => {
    const imposing = measureCountries();
    const style = (iso3: string) =>
      imposing.has(iso3) ? { borderColor: MEASURE_BORDER, borderWidth: 1.6, borderType: "dashed" }
        : members.has(iso3) ? { borderColor: MEMBER_BORDER, borderWidth: 1.2 } : undefined;
    const data: Record<string, unknown>[] = cells.filter((c) => c.country !== "ROW" && c.share > 0).map((c) => {
      const s = style(c.country);
      return { name: c.country, value: c.share, tonnes: c.tonnes, project_tonnes: c.project_tonnes, ...(s ? { itemStyle: s } : {}) };
    });
    const shown = new Set(data.map((d) => d.name));
    for (const iso3 of new Set([...members, ...imposing])) {
      if (!shown.has(iso3)) data.push({ name: iso3, itemStyle: style(iso3) });
    }
    return data;
  };

  const tooltip = {
    trigger: "item",
    formatter: (p: { name: string; value?: number; data?: { tonnes?: number; project_tonnes?: number } }) =>
      p.value === undefined || Number.isNaN(p.value)
        ? `${ctx.countryName(p.name)}: no recorded output`
        : `${ctx.countryName(p.name)}: ${pct(p.value)}${p.data?.tonnes !== undefined ? ` (${tonnes(p.data.tonnes)}${p.data.project_tonnes ? `, of which projects ${tonnes(p.data.project_tonnes)}` : ""})` : ""}`,
  };

  const drawMap = (name: string, box: HTMLElement, title: string, subtext: string, cells: Cell[], small = false) => {
    const max = Math.max(0.05, ...cells.filter((c) => c.country !== "ROW").map((c) => c.share));
    chart(name, box, {
      title: { text: title, subtext, left: 8, top: 4, ...(small ? { textStyle: { fontSize: 13 } } : {}) },
      tooltip,
      visualMap: { min: 0, max, left: 12, bottom: 12, calculable: !small, itemHeight: small ? 80 : 140, inRange: { color: ["#fde8d7", "#f5a25d", "#c0392b", "#6e1616"] }, formatter: (v: number) => pct(v, 0) },
      series: [{
        name: "share",
        type: "map",
        map: "world",
        roam: !small,
        top: small ? 48 : 56,
        bottom: 8,
        left: 8,
        right: 8,
        itemStyle: { areaColor: "#eef1f4", borderColor: "#b8c1ca", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#f7dc6f" } },
        data: mapData(cells),
      }],
    });
  };

  const measureList = () =>
    el("div", { id: "map-measures" },
      el("h2", {}, `In force on ${asOf} against ${perspective}`),
      measures.length
        ? el("ul", { class: "muted" }, ...measures.map((m) => el("li", { "data-measure": m.id }, `${m.country}: ${m.title || m.id} (${m.kind.replace(/_/g, " ")})`)))
        : el("p", { class: "muted" }, `No measure on ${materialName(materialSel.value)} touches ${perspective} on ${asOf}.`));

  const memberShare = (cells: Cell[]) => cells.filter((c) => members.has(c.country)).reduce((a, c) => a + c.share, 0);

  const drawWorld = async (year: number) => {
    const stage: Shares = await api.shares(materialSel.value, stageSel.value, year);
    const named = stage.shares.filter((s) => s.country !== "ROW");
    const residual = stage.shares.find((s) => s.country === "ROW");
    const name = materialName(stage.material);
    const projected = (stage.project_tonnes ?? 0) > 0 || (stage.data_year !== undefined && stage.year !== stage.data_year);
    mapBox.dataset.year = String(stage.year ?? "");
    mapBox.dataset.view = "world";
    drawMap("map", mapBox, `${name} · ${stage.stage} · ${stage.year ?? "?"}`,
      `world ${tonnes(stage.world_tonnes)}${projected ? ` (${stage.data_year} output + ${tonnes(stage.project_tonnes)} of projects)` : ""}`, stage.shares);
    side.replaceChildren(
      el("h2", {}, `${name} · ${stage.stage} in ${stage.year}`),
      el("div", { class: "kpis" },
        kpi(num(stage.hhi), "HHI (0-1)"),
        kpi(pct(stage.top_share, 0), `top: ${ctx.countryName(stage.top_country ?? "")}`),
        kpi(named.length, "producers"),
        kpi(pct(memberShare(stage.shares), 1), `${perspective}'s own share`)),
      el("p", { class: "muted" }, stage.description),
      el("p", { class: "muted", id: "map-basis" }, projected
        ? `Output of ${stage.data_year} plus the capacity projects bring online by ${stage.year} (mean of each project's ramp over the year × its probability, at full use).`
        : stage.years && stage.years.last > (stage.data_year ?? 0) ? `Output data of ${stage.data_year}; later years add the projects' capacity.` : `Output data of ${stage.data_year ?? stage.year}; no later year in the data.`),
      table(
        stage.shares,
        [
          { title: "country", value: (s) => (s.country === "ROW" ? "Other countries (ROW)" : `${s.country} ${ctx.countryName(s.country)}`) },
          { title: "share", value: (s) => pct(s.share), num: true },
          { title: "t/yr", value: (s) => Math.round(s.tonnes).toLocaleString("en-US"), num: true },
          { title: "of which projects", value: (s) => (s.project_tonnes ? Math.round(s.project_tonnes).toLocaleString("en-US") : ""), num: true },
        ],
        (s) => ({ "data-country": s.country, "data-share": String(s.share), style: `border-left: 4px solid ${countryColor(s.country)}` }),
      ),
      el("p", { class: "muted" }, residual ? `ROW ${pct(residual.share)} counts in world output but not as one producer in HHI.` : ""),
      measureList(),
    );
  };

  let supply: CountryLookthrough | null = null;
  const originsAt = (stage: string) => supply?.supplies.find((s) => s.stage === stage)?.origins.find((o) => o.stage === stage) ?? null;

  const drawSupply = async () => {
    supply = await api.lookthroughCountry(materialSel.value, perspective, asOf);
    const origin = originsAt(stageSel.value);
    const name = materialName(materialSel.value);
    mapBox.dataset.year = "";
    mapBox.dataset.view = "supply";
    const cells: Cell[] = (origin?.countries ?? []).map((c) => ({ country: c.country, share: c.share, measures: c.measures }));
    drawMap("map", mapBox, `${perspective}'s ${name} · ${stageSel.value} by origin`, `on ${supply.as_of}${origin ? ` · HHI ${num(origin.hhi)} · basis ${origin.basis}` : ""}`, cells);
    const entry = supply.supplies.find((s) => s.stage === stageSel.value);
    side.replaceChildren(
      el("h2", {}, `Where ${perspective}'s ${name} · ${stageSel.value} comes from`),
      el("div", { class: "kpis" },
        kpi(origin ? num(origin.hhi) : "–", "HHI of origins"),
        kpi(entry?.import_reliance === null || entry?.import_reliance === undefined ? "–" : pct(entry.import_reliance, 0), "import reliance"),
        kpi(pct(memberShare(cells), 1), `from ${perspective} itself`)),
      origin
        ? table(cells, [
          { title: "origin", value: (c) => (c.country === "ROW" ? "Other countries (ROW)" : `${c.country} ${ctx.countryName(c.country)}`) },
          { title: "share", value: (c) => pct(c.share), num: true },
          { title: "measures in force", value: (c) => (c.measures ?? []).join(", ") },
        ], (c) => ({ "data-country": c.country, "data-share": String(c.share), style: `border-left: 4px solid ${countryColor(c.country)}` }))
        : el("p", { class: "muted" }, `${perspective} has no recorded supply of ${name} at this stage.`),
      ...(entry?.notes ?? []).map((n) => el("p", { class: "muted" }, n)),
      measureList(),
    );
  };

  /** Every stage of the material side by side, in the same view (and year). */
  const drawStages = async (year: number) => {
    const m = materials.find((x) => x.id === materialSel.value);
    const stages = m?.stages ?? [];
    const world = viewSel.value === "world";
    (document.getElementById("map-stages-title") as HTMLElement).textContent = world
      ? `Every stage of ${materialName(materialSel.value)} in ${year}`
      : `Every stage of ${materialName(materialSel.value)}: ${perspective}'s supply by origin on ${asOf}`;
    // Every card first, so that each chart is sized within its share of the row.
    const cards = stages.map((s) => {
      const box = el("div", { class: "chart small-map", id: `map-stage-${s.stage}`, "data-stage": s.stage });
      return { s, box, card: el("div", { class: "card stage-card", "data-stage": s.stage }, box) };
    });
    stagesRow.replaceChildren(...cards.map((c) => c.card));
    for (const { s, box, card } of cards) {
      if (world) {
        try {
          const st = await api.shares(materialSel.value, s.stage, year);
          box.dataset.year = String(st.year);
          drawMap(`map-stage-${s.stage}`, box, `${s.order}. ${s.stage}`, `HHI ${num(st.hhi)} · top ${st.top_country ?? ""} ${pct(st.top_share, 0)}`, st.shares, true);
        } catch (e) {
          box.remove();
          card.append(el("h3", {}, `${s.order}. ${s.stage}`), e instanceof ApiError && e.status === 422 ? el("p", { class: "muted", "data-no-data": String(year) }, e.diagnostics[0]?.message ?? e.message) : errorBox(e));
        }
      } else {
        const o = originsAt(s.stage);
        if (!o) {
          box.remove();
          card.append(el("h3", {}, `${s.order}. ${s.stage}`), el("p", { class: "muted", "data-no-data": "supply" }, `${perspective} buys no ${materialName(materialSel.value)} at this stage.`));
          continue;
        }
        drawMap(`map-stage-${s.stage}`, box, `${s.order}. ${s.stage}`, `HHI ${num(o.hhi)} · ${o.basis}`, o.countries.map((c) => ({ country: c.country, share: c.share, measures: c.measures })), true);
      }
      card.addEventListener("click", () => {
        if (stageSel.value === s.stage) return;
        stageSel.value = s.stage;
        stageSel.dispatchEvent(new Event("change"));
      });
    }
  };

  const draw = async () => {
    window.lodestone.ready = false;
    const year = Number(yearInput.value);
    yearLabel.textContent = viewSel.value === "world" ? yearInput.value : asOf;
    yearInput.disabled = yearInput.min === yearInput.max || viewSel.value === "supply";
    yearNote.textContent = viewSel.value === "supply" ? `(the supply view is on the as-of date, ${asOf})`
      : yearInput.min === yearInput.max ? `(${yearInput.min} only: no later projects)` : `(${yearInput.min}: data, to ${yearInput.max}: with projects)`;
    setHashParams({ material: materialSel.value, stage: stageSel.value, view: viewSel.value === "supply" ? "supply" : "", year: viewSel.value === "world" ? yearInput.value : "" });
    await loadMeasures();
    if (viewSel.value === "world") await drawWorld(year);
    else await drawSupply();
    await drawStages(year);
    window.lodestone.ready = true;
  };

  fillStages();
  const urlYear = params.get("year") ? Number(params.get("year")) : null;
  await fillYears(urlYear);
  const redraw = () => void draw().catch((e) => side.replaceChildren(errorBox(e)));
  materialSel.addEventListener("change", async () => {
    const year = Number(yearInput.value);
    fillStages();
    await fillYears(year);
    redraw();
  });
  stageSel.addEventListener("change", async () => {
    await fillYears(Number(yearInput.value));
    redraw();
  });
  viewSel.addEventListener("change", redraw);
  yearInput.addEventListener("input", () => (yearLabel.textContent = yearInput.value));
  yearInput.addEventListener("change", redraw);
  await draw();
}
