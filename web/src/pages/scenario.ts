// Scenario page: run a curated scenario (or an uploaded TOML) as a job on the server, follow its
// progress, cancel it, and show fan charts of shortfall and price (P5/P50/P95 per week).
import { ApiError, api, listOf, type BandSeries, type Job, type ScenarioInfo, type SimulationResult } from "../api";
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

export function showResult(out: HTMLElement, result: SimulationResult): void {
  const materials = [...new Set(result.series.map((s) => s.material ?? s.name))];
  const pickMaterial = el("select", { id: "result-material", "aria-label": "material" });
  for (const m of materials) pickMaterial.append(el("option", { value: m }, m));
  const shortBox = el("div", { class: "chart", id: "shortfall-chart" });
  const priceBox = el("div", { class: "chart", id: "price-chart" });
  out.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Material ", pickMaterial),
        el("span", { class: "muted" }, `${result.runs ?? "?"} runs, seed ${result.seed ?? "?"}`)),
      el("div", { class: "row" }, el("div", { class: "card" }, shortBox), el("div", { class: "card" }, priceBox)),
    ),
  );
  if (result.summary?.length) {
    const keys = Object.keys(result.summary[0]);
    out.append(el("div", { class: "card", id: "scenario-summary" }, el("h2", {}, "Summary"),
      table(result.summary, keys.map((k) => ({ title: k, value: (r: Record<string, unknown>) => { const v = r[k]; return typeof v === "number" ? Number(v.toPrecision(4)) : String(v ?? ""); }, num: typeof result.summary![0][k] === "number" })))));
  }
  const draw = () => {
    const m = pickMaterial.value;
    const of = (q: string): BandSeries[] => result.series.filter((s) => (s.material ?? s.name) === m && s.quantity === q);
    const sh = of("shortfall");
    const pr = of("price");
    fanChart("shortfall", shortBox, sh, `${m}: shortfall`, sh[0]?.unit ?? "t/week", "#c0392b");
    fanChart("price", priceBox, pr, `${m}: price`, pr[0]?.unit ?? "× baseline", "#2f6f9f");
  };
  pickMaterial.addEventListener("change", draw);
  draw();
}
