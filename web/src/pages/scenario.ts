// Scenario page: run a curated scenario (or an uploaded TOML) as a job on the server, follow its
// progress, cancel it, and show fan charts of shortfall and price (P5/P50/P95 per week).
import { ApiError, api, listOf, type Job, type ScenarioInfo, type SeriesDoc, type SimulationResult, type SummaryRow } from "../api";
import { fanChart } from "../fan";
import type { AppContext } from "../main";
import { el, errorBox, table, unavailable } from "../ui";

export async function renderScenario(root: HTMLElement, ctx: AppContext): Promise<void> {
  root.append(el("h1", {}, "Scenario"), el("p", { class: "lead" }, "Simulate a disruption week by week with Monte Carlo uncertainty: shortfall and price with P5–P95 bands."));
  if (!ctx.has("GET", "/scenarios") || !ctx.has("POST", "/simulate")) {
    root.append(unavailable("simulate", "This server has no scenario simulation (GET /api/v1/scenarios, POST /api/v1/simulate): no scenario can be run and no fan chart is shown."));
    return;
  }
  const scenarios: ScenarioInfo[] = listOf<ScenarioInfo>(await api.scenarios(), "scenarios");
  const pick = el("select", { id: "scenario-select", "aria-label": "scenario" });
  for (const s of scenarios) pick.append(el("option", { value: s.id }, s.title ?? s.name ?? s.id));
  const upload = el("input", { type: "file", id: "scenario-file", accept: ".toml,text/plain" }) as HTMLInputElement;
  const runs = el("input", { type: "number", id: "scenario-runs", value: "200", min: "1", max: "100000", style: "width:90px" }) as HTMLInputElement;
  const seed = el("input", { type: "number", id: "scenario-seed", value: "42", style: "width:90px" }) as HTMLInputElement;
  const runBtn = el("button", { id: "scenario-run" }, "Run");
  const cancelBtn = el("button", { id: "scenario-cancel", class: "secondary", disabled: "" }, "Cancel");
  const progress = el("progress", { id: "scenario-progress", max: "1", value: "0" }) as HTMLProgressElement;
  const status = el("span", { id: "scenario-status", class: "muted" });
  const out = el("div", { id: "scenario-result" });
  const describe = el("p", { class: "muted", id: "scenario-description" });
  const showDescription = () => { describe.textContent = scenarios.find((s) => s.id === pick.value)?.description ?? ""; };
  pick.addEventListener("change", showDescription);
  showDescription();
  root.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Curated ", pick), el("label", {}, "or upload TOML ", upload)),
      describe,
      el("div", { class: "controls" }, el("label", {}, "runs ", runs), el("label", {}, "seed ", seed), runBtn, cancelBtn, progress, status),
    ),
    out,
  );

  let current: string | null = null;
  cancelBtn.addEventListener("click", () => { if (current) void api.cancelJob(current); });
  runBtn.addEventListener("click", async () => {
    out.replaceChildren();
    runBtn.setAttribute("disabled", "");
    try {
      const file = upload.files?.[0];
      const body = file
        ? { toml: await file.text(), runs: Number(runs.value), seed: Number(seed.value) }
        : { scenario: pick.value, runs: Number(runs.value), seed: Number(seed.value) };
      let job: Job<SimulationResult> = (await api.simulate(body)) as Job<SimulationResult>;
      current = job.id;
      cancelBtn.removeAttribute("disabled");
      while (job.state === "queued" || job.state === "running") {
        progress.value = job.progress ?? 0;
        status.textContent = `${job.state} ${Math.round((job.progress ?? 0) * 100)} % ${job.message ?? ""}`;
        await new Promise((r) => setTimeout(r, 250));
        job = await api.job<SimulationResult>(job.id);
      }
      progress.value = job.state === "succeeded" ? 1 : progress.value;
      status.textContent = job.state;
      if (job.state === "succeeded" && job.result) showResult(out, job.result);
      else if (job.state === "failed") out.append(errorBox(new ApiError(422, job.error?.error ?? "failed", job.error?.diagnostics ?? [])));
      else out.append(el("p", { class: "muted" }, "Cancelled: no result."));
    } catch (e) {
      out.append(errorBox(e));
    } finally {
      current = null;
      runBtn.removeAttribute("disabled");
      cancelBtn.setAttribute("disabled", "");
    }
  });
}

/** The series document inside a job result, whichever way the server wraps it. */
function seriesOf(result: SimulationResult): SeriesDoc | null {
  const r = result as Record<string, unknown>;
  if (Array.isArray(r.weeks) && Array.isArray(r.series)) return r as unknown as SeriesDoc;
  const inner = r.series as Record<string, unknown> | undefined;
  if (inner && Array.isArray(inner.weeks) && Array.isArray(inner.series)) return inner as unknown as SeriesDoc;
  return null;
}

function summaryOf(result: SimulationResult): SummaryRow[] {
  const s = (result as Record<string, unknown>).summary;
  if (Array.isArray(s)) return s as SummaryRow[];
  if (s && Array.isArray((s as { rows?: unknown }).rows)) return (s as { rows: SummaryRow[] }).rows;
  return [];
}

export function showResult(out: HTMLElement, result: SimulationResult): void {
  const doc = seriesOf(result);
  if (!doc) {
    out.append(el("div", { class: "error" }, "The job's result holds no weekly series."));
    return;
  }
  const materials = doc.series.filter((s) => s.kind === "material");
  const regions = [...new Set(materials.map((s) => s.region))];
  const groups = [...new Set(materials.map((s) => s.group))];
  const pickRegion = el("select", { id: "result-region", "aria-label": "region" });
  for (const r of regions) pickRegion.append(el("option", { value: r }, r));
  const pickMaterial = el("select", { id: "result-material", "aria-label": "material" });
  for (const g of groups) pickMaterial.append(el("option", { value: g }, g));
  // The material hit hardest by default: the largest median peak shortfall.
  const peak = (g: string) => Math.max(0, ...(materials.find((s) => s.group === g && s.metric === "shortfall_share")?.p50 ?? []).map((v) => v ?? 0));
  pickMaterial.value = [...groups].sort((a, b) => peak(b) - peak(a))[0] ?? "";
  const shortBox = el("div", { class: "chart", id: "shortfall-chart" });
  const priceBox = el("div", { class: "chart", id: "price-chart" });
  out.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Region ", pickRegion), el("label", {}, "Material ", pickMaterial),
        el("span", { class: "muted" }, `${doc.runs ?? "?"} runs, seed ${doc.seed ?? "?"}, ${doc.weeks.length} weeks`)),
      el("div", { class: "row" }, el("div", { class: "card" }, shortBox), el("div", { class: "card" }, priceBox)),
    ),
  );
  const summary = summaryOf(result).filter((r) => r.kind === "material");
  if (summary.length) {
    out.append(el("div", { class: "card", id: "scenario-summary" }, el("h2", {}, "Summary over the runs"),
      table(summary, [
        { title: "region", value: (r) => r.region },
        { title: "material", value: (r) => r.group },
        { title: "metric", value: (r) => r.metric },
        { title: "P5", value: (r) => fmt(r.p5), num: true },
        { title: "P50", value: (r) => fmt(r.p50), num: true },
        { title: "P95", value: (r) => fmt(r.p95), num: true },
        { title: "probability", value: (r) => (r.probability === undefined || r.probability === null ? "" : `${(r.probability * 100).toFixed(0)} %`), num: true },
      ])));
  }
  const draw = () => {
    const find = (metric: string) => materials.find((s) => s.region === pickRegion.value && s.group === pickMaterial.value && s.metric === metric);
    fanChart("shortfall", shortBox, doc.weeks, find("shortfall_share") ?? find("shortfall_t"), `${pickMaterial.value}: shortfall`, "#c0392b");
    fanChart("price", priceBox, doc.weeks, find("price_multiple"), `${pickMaterial.value}: price`, "#2f6f9f");
  };
  pickRegion.addEventListener("change", draw);
  pickMaterial.addEventListener("change", draw);
  draw();
}

const fmt = (v: number | null | undefined) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(4)) : v === null || v === undefined ? "" : String(v));
