// World map of production share per material and stage, with the stage's concentration and
// the list of producers (ROW = other countries, counted in world output, not as one producer).
import { api, type StageInfo } from "../api";
import { chart, countryColor } from "../charts";
import { registerWorld } from "../geo";
import type { AppContext } from "../main";
import { el, hashParams, kpi, num, pct, setHashParams, table, tonnes } from "../ui";

export async function renderMap(root: HTMLElement, ctx: AppContext): Promise<void> {
  registerWorld();
  const materials = ctx.dataset.materials.filter((m) => m.stages.length > 0);
  const params = hashParams();
  const materialSel = el("select", { id: "map-material", "aria-label": "material" });
  for (const m of materials) materialSel.append(el("option", { value: m.id }, m.name || m.id));
  materialSel.value = params.get("material") ?? (materials.some((m) => m.id === "gallium") ? "gallium" : materials[0]?.id ?? "");
  const stageSel = el("select", { id: "map-stage", "aria-label": "stage" });

  const mapBox = el("div", { class: "chart tall", id: "map-chart" });
  const side = el("div", { id: "map-side" });
  root.append(
    el("h1", {}, "Where it is made"),
    el("p", { class: "lead" }, "Share of world output by country, per material and stage (tonnes of contained element per year)."),
    el("div", { class: "controls" }, el("label", {}, "Material ", materialSel), el("label", {}, "Stage ", stageSel)),
    el("div", { class: "row" }, el("div", { class: "card", style: "flex: 3 1 640px" }, mapBox), el("div", { class: "card", style: "flex: 1 1 300px" }, side)),
  );

  const fillStages = () => {
    const m = materials.find((x) => x.id === materialSel.value);
    stageSel.replaceChildren(...(m?.stages ?? []).map((s) => el("option", { value: s.stage }, `${s.order}. ${s.stage}`)));
    const wanted = params.get("stage");
    if (wanted && m?.stages.some((s) => s.stage === wanted)) stageSel.value = wanted;
  };

  const draw = async () => {
    const stage: StageInfo & { material: string } = await api.shares(materialSel.value, stageSel.value);
    const named = stage.shares.filter((s) => s.country !== "ROW");
    const residual = stage.shares.find((s) => s.country === "ROW");
    const max = Math.max(0.05, ...named.map((s) => s.share));
    const materialName = materials.find((x) => x.id === stage.material)?.name || stage.material;
    chart("map", mapBox, {
      title: { text: `${materialName} · ${stage.stage}`, subtext: `world ${tonnes(stage.world_tonnes)} (${stage.year ?? "?"})`, left: 8, top: 4 },
      tooltip: {
        trigger: "item",
        formatter: (p: { name: string; value?: number; data?: { tonnes?: number } }) =>
          p.value === undefined || Number.isNaN(p.value)
            ? `${ctx.countryName(p.name)}: no recorded output`
            : `${ctx.countryName(p.name)}: ${pct(p.value)} (${tonnes(p.data?.tonnes)})`,
      },
      visualMap: { min: 0, max, left: 12, bottom: 12, calculable: true, inRange: { color: ["#fde8d7", "#f5a25d", "#c0392b", "#6e1616"] }, formatter: (v: number) => pct(v, 0) },
      series: [
        {
          name: "share",
          type: "map",
          map: "world",
          roam: true,
          top: 56,
          bottom: 8,
          left: 8,
          right: 8,
          itemStyle: { areaColor: "#eef1f4", borderColor: "#b8c1ca", borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#f7dc6f" } },
          data: named.map((s) => ({ name: s.country, value: s.share, tonnes: s.tonnes })),
        },
      ],
    });
    side.replaceChildren(
      el("h2", {}, `${materialName} · ${stage.stage}`),
      el(
        "div",
        { class: "kpis" },
        kpi(num(stage.hhi), "HHI (0-1)"),
        kpi(pct(stage.top_share, 0), `top: ${ctx.countryName(stage.top_country ?? "")}`),
        kpi(named.length, "producers"),
      ),
      el("p", { class: "muted" }, stage.description),
      table(
        stage.shares,
        [
          { title: "country", value: (s) => (s.country === "ROW" ? "Other countries (ROW)" : `${s.country} ${ctx.countryName(s.country)}`) },
          { title: "share", value: (s) => pct(s.share), num: true },
          { title: "t/yr", value: (s) => Math.round(s.tonnes).toLocaleString("en-US"), num: true },
        ],
        (s) => ({ "data-country": s.country, style: `border-left: 4px solid ${countryColor(s.country)}` }),
      ),
      el("p", { class: "muted" }, residual ? `ROW ${pct(residual.share)} counts in world output but not as one producer in HHI.` : ""),
    );
  };

  fillStages();
  if (params.get("stage") && [...stageSel.options].some((o) => o.value === params.get("stage"))) {
    stageSel.value = params.get("stage")!;
  }
  materialSel.addEventListener("change", () => {
    fillStages();
    setHashParams({ material: materialSel.value, stage: stageSel.value });
    void draw();
  });
  stageSel.addEventListener("change", () => {
    setHashParams({ material: materialSel.value, stage: stageSel.value });
    void draw();
  });
  await draw();
}
