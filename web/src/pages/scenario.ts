// Scenario page: run a curated scenario (GET /scenarios) or an uploaded TOML as a job on the
// server (POST /simulate, 202), follow its progress (GET /jobs/{id}), cancel it (DELETE
// /jobs/{id}), and show fan charts of shortfall and price (P5/P50/P95 per week) for a region
// and material, with the summary over the runs. "Tornado" runs the scenario's sensitivity
// analysis instead (POST /simulate with sensitivity=oat): which uncertain parameter moves peak
// shortfall, peak price and cost most. A scenario the server refuses shows every diagnostic with
// its file:line:column.
import { ApiError, api, type Job, type ScenarioInfo, type SensitivityResult, type SeriesBands, type SimulateBody, type SimulationResult, type SummaryRow } from "../api";
import { chart } from "../charts";
import { fanChart } from "../fan";
import type { AppContext } from "../main";
import { el, errorBox, table, unavailable } from "../ui";

const POLL_MS = 250;
const DEFAULT_RUNS = 200;

export async function renderScenario(root: HTMLElement, ctx: AppContext): Promise<void> {
  root.append(el("h1", {}, "Scenario"), el("p", { class: "lead" }, "Simulate a disruption week by week with Monte Carlo uncertainty: shortfall and price with P5–P95 bands over the runs."));
  if (!ctx.has("GET", "/scenarios") || !ctx.has("POST", "/simulate")) {
    root.append(unavailable("simulate", "This server has no scenario simulation (GET /api/v1/scenarios, POST /api/v1/simulate): no scenario can be run and no fan chart is shown."));
    return;
  }
  const scenarios = await api.scenarios();
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");

  const pick = el("select", { id: "scenario-select", "aria-label": "curated scenario" });
  for (const s of scenarios) pick.append(el("option", { value: s.id }, s.error ? `${s.id} (does not load)` : `${s.id}: ${s.name ?? ""}`));
  const wanted = params.get("scenario");
  if (wanted && scenarios.some((s) => s.id === wanted)) pick.value = wanted;
  const upload = el("input", { type: "file", id: "scenario-file", accept: ".toml,application/toml,text/plain" }) as HTMLInputElement;
  const clearUpload = el("button", { id: "scenario-file-clear", class: "secondary", type: "button", hidden: "" }, "Use the curated scenario");
  const runs = el("input", { type: "number", id: "scenario-runs", value: String(DEFAULT_RUNS), min: "1", max: "100000", step: "1", style: "width:90px" }) as HTMLInputElement;
  const seed = el("input", { type: "number", id: "scenario-seed", min: "0", step: "1", style: "width:120px" }) as HTMLInputElement;
  const horizon = el("input", { type: "number", id: "scenario-horizon", min: "1", max: "1040", step: "1", style: "width:80px" }) as HTMLInputElement;
  const runBtn = el("button", { id: "scenario-run", type: "button" }, "Run");
  const tornadoBtn = el("button", { id: "scenario-sensitivity", class: "secondary", type: "button", title: "Each uncertain parameter pinned at its P5 and at its P95, the runs above each, same seed: (1 + 2 × parameters) × runs model runs" }, "Tornado");
  const cancelBtn = el("button", { id: "scenario-cancel", class: "secondary", type: "button", disabled: "" }, "Cancel");
  const progress = el("progress", { id: "scenario-progress", max: "1", value: "0" }) as HTMLProgressElement;
  const status = el("span", { id: "scenario-status", class: "muted", "data-state": "idle" });
  const details = el("div", { id: "scenario-details" });
  const out = el("div", { id: "scenario-result" });

  const selected = (): ScenarioInfo | undefined => scenarios.find((s) => s.id === pick.value);
  const uploaded = (): File | undefined => upload.files?.[0];
  const showDetails = () => {
    const file = uploaded();
    clearUpload.hidden = !file;
    pick.disabled = Boolean(file);
    if (file) {
      details.replaceChildren(el("p", {}, el("b", {}, "Uploaded: "), `${file.name} (${file.size.toLocaleString("en-US")} bytes). The server checks it when you run it.`));
      seed.placeholder = "from the file";
      horizon.placeholder = "file's";
      return;
    }
    const s = selected();
    if (!s) {
      details.replaceChildren(el("p", { class: "muted" }, "No curated scenario on this server: upload a scenario TOML (docs/scenarios.md)."));
      return;
    }
    seed.placeholder = s.seed !== undefined ? String(s.seed) : "";
    horizon.placeholder = s.horizon_weeks !== undefined ? String(s.horizon_weeks) : "";
    if (s.error) {
      details.replaceChildren(el("p", {}, `${s.file} does not load on this dataset:`), errorBox(new ApiError(422, s.error.error, s.error.diagnostics)));
      return;
    }
    const toml = el("pre", { id: "scenario-toml", class: "toml" });
    const more = el("details", {}, el("summary", {}, "Scenario file (TOML)"), toml);
    more.addEventListener("toggle", async () => {
      if (!more.open || toml.textContent) return;
      try {
        toml.textContent = (await api.scenario(s.id)).toml;
      } catch (e) {
        toml.replaceWith(errorBox(e));
      }
    });
    details.replaceChildren(
      el("p", {}, el("b", {}, s.name ?? s.id), s.description ? ` — ${s.description}` : ""),
      el("p", { class: "muted" },
        `Starts ${s.start ?? "?"}, ${s.horizon_weeks ?? "?"} weeks; materials ${(s.materials ?? []).join(", ") || "–"}; regions ${(s.regions ?? []).join(", ") || "–"}; ` +
        `the file asks for ${s.runs ?? "?"} runs with seed ${s.seed ?? "?"}.`),
      more,
    );
  };
  pick.addEventListener("change", showDetails);
  upload.addEventListener("change", showDetails);
  clearUpload.addEventListener("click", () => {
    upload.value = "";
    showDetails();
  });
  showDetails();

  root.append(
    el("div", { class: "card" },
      el("div", { class: "controls" }, el("label", {}, "Curated ", pick), el("span", { class: "muted" }, "or"), el("label", {}, "upload a scenario TOML ", upload), clearUpload),
      details,
      el("div", { class: "controls" },
        el("label", { title: "Monte Carlo runs; a few hundred finish in seconds" }, "runs ", runs),
        el("label", { title: "empty: the scenario's seed" }, "seed ", seed),
        el("label", { title: "weeks to simulate; empty: the scenario's horizon" }, "weeks ", horizon),
        runBtn, tornadoBtn, cancelBtn, progress, status),
    ),
    out,
  );

  let current: string | null = null;
  const setStatus = (state: string, text: string) => {
    status.dataset.state = state;
    status.textContent = text;
  };
  cancelBtn.addEventListener("click", async () => {
    if (!current) return;
    cancelBtn.setAttribute("disabled", "");
    try {
      await api.cancelJob(current);
    } catch (e) {
      out.append(errorBox(e));
    }
  });

  const start = async (sensitivity: boolean) => {
    out.replaceChildren();
    delete out.dataset.job;
    const problems = checkInputs(runs, seed, horizon);
    if (problems.length) {
      out.append(el("div", { class: "error", role: "alert" }, problems.join("\n")));
      setStatus("invalid", "not started");
      return;
    }
    runBtn.setAttribute("disabled", "");
    tornadoBtn.setAttribute("disabled", "");
    progress.value = 0;
    setStatus("submitting", "submitting…"); // before any await: the previous run's state is gone
    const file = uploaded();
    try {
      const body: SimulateBody = file ? { toml: await file.text(), filename: file.name } : { scenario: pick.value };
      body.runs = Number(runs.value);
      if (seed.value !== "") body.seed = Number(seed.value);
      if (horizon.value !== "") body.horizon = Number(horizon.value);
      let job: Job<SimulationResult | SensitivityResult>;
      try {
        job = sensitivity ? await api.sensitivity(body) : await api.simulate(body);
      } catch (e) {
        const what = file ? `The uploaded file ${file.name} was refused` : `The scenario ${pick.value} was refused`;
        out.append(el("div", { id: "scenario-refused" }, el("p", {}, el("b", {}, `${what}:`)), errorBox(e)));
        setStatus("refused", "refused");
        return;
      }
      current = job.id;
      out.dataset.job = job.id;
      cancelBtn.removeAttribute("disabled");
      while (job.state === "queued" || job.state === "running") {
        progress.value = job.progress ?? 0;
        setStatus(job.state, `${job.state} ${Math.round((job.progress ?? 0) * 100)} %${job.message ? ` · ${job.message}` : ""}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!root.isConnected) return; // the user left the page; the job goes on on the server
        job = await api.job<SimulationResult | SensitivityResult>(job.id);
      }
      progress.value = job.state === "succeeded" ? 1 : progress.value;
      const took = typeof job.seconds === "number" ? ` in ${job.seconds.toFixed(1)} s` : "";
      setStatus(job.state, `${job.state}${took}`);
      const label = file ? `upload ${file.name}` : pick.value;
      if (job.state === "succeeded" && job.result && "sensitivity" in job.result) showTornado(out, job.result, label);
      else if (job.state === "succeeded" && job.result && "series" in job.result) showResult(out, job.result, label);
      else if (job.state === "failed") out.append(el("p", {}, el("b", {}, "The run failed:")), errorBox(new ApiError(422, job.error?.error ?? "failed", job.error?.diagnostics ?? [])));
      else if (job.state === "cancelled") out.append(el("p", { class: "muted", id: "scenario-cancelled" }, `Job ${job.id} was cancelled: no result.`));
    } catch (e) {
      setStatus("error", "error");
      out.append(errorBox(e));
    } finally {
      current = null;
      runBtn.removeAttribute("disabled");
      tornadoBtn.removeAttribute("disabled");
      cancelBtn.setAttribute("disabled", "");
    }
  };
  runBtn.addEventListener("click", () => void start(false));
  tornadoBtn.addEventListener("click", () => void start(true));
}

/** Problems with the numbers typed in, before anything is sent (the server checks them again). */
function checkInputs(runs: HTMLInputElement, seed: HTMLInputElement, horizon: HTMLInputElement): string[] {
  const out: string[] = [];
  const int = (v: string) => /^\d+$/.test(v.trim());
  if (!int(runs.value) || Number(runs.value) < 1 || Number(runs.value) > 100000) out.push(`runs: expected a whole number from 1 to 100000, got '${runs.value}'`);
  if (seed.value !== "" && (!int(seed.value) || !Number.isSafeInteger(Number(seed.value)))) out.push(`seed: expected a whole number ≥ 0, got '${seed.value}'`);
  if (horizon.value !== "" && (!int(horizon.value) || Number(horizon.value) < 1 || Number(horizon.value) > 1040)) out.push(`weeks: expected a whole number from 1 to 1040, got '${horizon.value}'`);
  return out;
}

const fmt = (v: number | null | undefined) =>
  typeof v !== "number" || !Number.isFinite(v) ? "" : Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString("en-US") : String(Number(v.toPrecision(4)));
const pctOf = (v: number | null | undefined) => (typeof v === "number" && Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : "");

export function showResult(out: HTMLElement, result: SimulationResult, label: string): void {
  const doc = result.series;
  if (!doc || !Array.isArray(doc.weeks) || !Array.isArray(doc.series)) {
    out.append(el("div", { class: "error" }, "The job's result holds no weekly series (expected result.series.{weeks, series})."));
    return;
  }
  const materials = doc.series.filter((s) => s.kind === "material");
  const regions = [...new Set(materials.map((s) => s.region))];
  const groups = [...new Set(materials.map((s) => s.group))];
  const pickRegion = el("select", { id: "result-region", "aria-label": "region" });
  for (const r of regions) pickRegion.append(el("option", { value: r }, r));
  const pickMaterial = el("select", { id: "result-material", "aria-label": "material" });
  for (const g of groups) pickMaterial.append(el("option", { value: g }, g));
  // Default: the scenario's first region (the buyer it is about) and the material with the
  // largest median peak shortfall there.
  pickRegion.value = regions.find((r) => r !== "WORLD") ?? regions[0] ?? "";
  const peak = (g: string) => Math.max(0, ...(materials.find((s) => s.region === pickRegion.value && s.group === g && s.metric === "shortfall_share")?.p50 ?? []).map((v) => v ?? 0));
  pickMaterial.value = [...groups].sort((a, b) => peak(b) - peak(a))[0] ?? "";

  const run = result.run;
  const shortBox = el("div", { class: "chart", id: "shortfall-chart" });
  const priceBox = el("div", { class: "chart", id: "price-chart" });
  const summaryBox = el("div", { id: "scenario-summary-table" });
  out.append(
    el("div", { class: "card", id: "scenario-charts" },
      el("div", { class: "controls" }, el("label", {}, "Region ", pickRegion), el("label", {}, "Material ", pickMaterial),
        el("span", { class: "muted", id: "scenario-run-info" },
          `${label}: ${run?.runs_done ?? doc.runs ?? "?"} runs${run && run.runs_done !== run.runs_requested ? ` of ${run.runs_requested}` : ""}, seed ${run?.seed ?? doc.seed ?? "?"}, ` +
          `${doc.weeks.length} weeks from ${doc.weeks[0] ?? "?"}`)),
      el("div", { class: "row" }, el("div", { class: "card" }, shortBox), el("div", { class: "card" }, priceBox)),
      el("p", { class: "muted" }, "Shaded: P5–P95 over the runs; line: the median (P50). ", doc.quantiles ?? ""),
    ),
    el("div", { class: "card", id: "scenario-summary" }, el("h2", {}, "Summary over the runs"), summaryBox),
  );
  if (run) {
    out.append(el("div", { class: "card", id: "scenario-provenance" }, el("h2", {}, "Provenance"),
      el("p", { class: "muted" }, `Scenario ${run.scenario?.name ?? "?"} (content hash ${run.scenario?.content_hash ?? "?"}), baseline ${run.scenario?.baseline ?? "?"}; dataset ${run.dataset?.name ?? "?"} ${run.dataset?.version ?? ""} (${run.dataset?.content_hash ?? "?"}); largest mass-balance residual ${fmt(run.max_mass_balance_residual)}.`),
      run.replay ? el("p", {}, "Replay with the CLI: ", el("code", {}, run.replay)) : null,
      run.notes?.length ? el("ul", { class: "muted" }, ...run.notes.map((n) => el("li", {}, n))) : null,
    ));
  }

  const draw = () => {
    const find = (metric: string): SeriesBands | undefined => materials.find((s) => s.region === pickRegion.value && s.group === pickMaterial.value && s.metric === metric);
    for (const [name, box, metric, title, color] of [
      ["shortfall", shortBox, "shortfall_share", "shortfall", "#c0392b"],
      ["price", priceBox, "price_multiple", "price", "#2f6f9f"],
    ] as const) {
      const s = find(metric);
      box.dataset.region = pickRegion.value;
      box.dataset.material = pickMaterial.value;
      box.dataset.metric = s?.metric ?? "";
      fanChart(name, box, doc.weeks, s, `${pickMaterial.value} in ${pickRegion.value}: ${title}`, color);
    }
    const rows: SummaryRow[] = (result.summary ?? []).filter((r) => r.kind === "material" && r.region === pickRegion.value && r.group === pickMaterial.value);
    summaryBox.replaceChildren(rows.length
      ? table(rows, [
          { title: "region", value: (r) => r.region },
          { title: "material", value: (r) => r.group },
          { title: "metric", value: (r) => r.metric.replace(/_/g, " ") },
          { title: "P5", value: (r) => fmt(r.p5), num: true },
          { title: "P50", value: (r) => fmt(r.p50), num: true },
          { title: "P95", value: (r) => fmt(r.p95), num: true },
          { title: "mean", value: (r) => fmt(r.mean), num: true },
          { title: "probability", value: (r) => pctOf(r.probability), num: true },
          { title: "CVaR 95", value: (r) => fmt(r.cvar95), num: true },
        ], (r) => ({ "data-metric": r.metric, "data-p50": r.p50 === null ? "" : String(r.p50) }))
      : el("p", { class: "muted" }, `No summary row for ${pickMaterial.value} in ${pickRegion.value}.`));
  };
  pickRegion.addEventListener("change", draw);
  pickMaterial.addEventListener("change", draw);
  draw();
}

const METRIC_TITLE: Record<string, string> = {
  peak_shortfall_share: "peak shortfall (share of need)",
  peak_price_multiple: "peak price (× baseline)",
  cumulative_cost_usd: "cumulative extra cost (USD)",
};

/** The tornado of one (region, material, metric): bars are the change of the median from the base. */
export function showTornado(out: HTMLElement, result: SensitivityResult, label: string): void {
  const doc = result.sensitivity;
  if (!doc || !Array.isArray(doc.tornados)) {
    out.append(el("div", { class: "error" }, "The job's result holds no tornados (expected result.sensitivity.tornados)."));
    return;
  }
  const oat = doc.method === "oat";
  const regions = [...new Set(doc.tornados.map((t) => t.region))];
  const materials = [...new Set(doc.tornados.map((t) => t.material))];
  const metrics = [...new Set(doc.tornados.map((t) => t.metric))];
  const pickRegion = el("select", { id: "tornado-region", "aria-label": "region" });
  for (const r of regions) pickRegion.append(el("option", { value: r }, r));
  const pickMaterial = el("select", { id: "tornado-material", "aria-label": "material" });
  for (const m of materials) pickMaterial.append(el("option", { value: m }, m));
  const pickMetric = el("select", { id: "tornado-metric", "aria-label": "output" });
  for (const m of metrics) pickMetric.append(el("option", { value: m }, METRIC_TITLE[m] ?? m));
  pickRegion.value = regions.find((r) => r !== "WORLD") ?? regions[0] ?? "";
  // Default: the material whose peak shortfall has the largest swing there.
  const top = (m: string) => doc.tornados.find((t) => t.region === pickRegion.value && t.material === m && t.metric === "peak_shortfall_share")?.bars[0]?.swing ?? 0;
  pickMaterial.value = [...materials].sort((a, b) => (top(b) ?? 0) - (top(a) ?? 0))[0] ?? "";
  const box = el("div", { class: "chart", id: "tornado-chart" });
  const tableBox = el("div", { id: "tornado-table" });
  out.append(el("div", { class: "card", id: "scenario-tornado" },
    el("h2", {}, oat ? "Sensitivity: one parameter at a time" : "Sensitivity: Morris elementary effects"),
    el("div", { class: "controls" }, el("label", {}, "Region ", pickRegion), el("label", {}, "Material ", pickMaterial), el("label", {}, "Output ", pickMetric),
      el("span", { class: "muted", id: "tornado-info" }, `${label}: ${oat ? `${doc.runs} runs per variant` : `${doc.trajectories} trajectories`}, seed ${doc.seed}, ${doc.model_runs} model runs`)),
    box, tableBox,
    el("ul", { class: "muted" }, ...(doc.notes ?? []).map((n) => el("li", {}, n))),
  ));

  const draw = () => {
    const t = doc.tornados.find((x) => x.region === pickRegion.value && x.material === pickMaterial.value && x.metric === pickMetric.value);
    box.dataset.region = pickRegion.value;
    box.dataset.material = pickMaterial.value;
    box.dataset.metric = pickMetric.value;
    const bars = [...(t?.bars ?? [])].reverse(); // ECharts draws the first category at the bottom
    const base = t?.median_base ?? 0;
    const unit = t?.unit ?? "";
    const names = bars.map((b) => b.parameter.replace(/^scenario\./, ""));
    const series = oat
      ? [
          { name: "parameter at P5", type: "bar", barGap: "-100%", itemStyle: { color: "#2874a6" }, data: bars.map((b) => (b.median_low ?? base) - base) },
          { name: "parameter at P95", type: "bar", barGap: "-100%", itemStyle: { color: "#c0392b" }, data: bars.map((b) => (b.median_high ?? base) - base) },
        ]
      : [{ name: "mu*", type: "bar", itemStyle: { color: "#2874a6" }, data: bars.map((b) => b.mu_star ?? 0) }];
    chart("tornado", box, {
      title: { text: `${pickMaterial.value} in ${pickRegion.value}: ${METRIC_TITLE[pickMetric.value] ?? pickMetric.value}`,
        subtext: oat ? `bars: change of the median over runs from the base ${fmt(base)} ${unit}` : `mean |elementary effect| per the whole P5–P95 range (${unit})`, left: 8, top: 2, textStyle: { fontSize: 13 } },
      grid: { left: 260, right: 30, top: 64, bottom: 30 },
      legend: { top: 34, right: 10, textStyle: { fontSize: 10 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: oat ? `Δ ${unit}` : unit },
      yAxis: { type: "category", data: names, axisLabel: { fontSize: 10 } },
      series,
    });
    const rows = t?.bars ?? [];
    tableBox.replaceChildren(rows.length
      ? table(rows, [
          { title: "parameter", value: (b) => b.parameter },
          { title: "P5 value", value: (b) => fmt(b.low_value), num: true },
          { title: "P95 value", value: (b) => fmt(b.high_value), num: true },
          ...(oat
            ? [
                { title: "median at P5", value: (b: (typeof rows)[number]) => fmt(b.median_low), num: true },
                { title: "median (base)", value: () => fmt(base), num: true },
                { title: "median at P95", value: (b: (typeof rows)[number]) => fmt(b.median_high), num: true },
              ]
            : [
                { title: "mu*", value: (b: (typeof rows)[number]) => fmt(b.mu_star), num: true },
                { title: "sigma", value: (b: (typeof rows)[number]) => fmt(b.sigma), num: true },
              ]),
          { title: "swing", value: (b) => fmt(b.swing), num: true },
        ], (b) => ({ "data-parameter": b.parameter, "data-swing": b.swing === null ? "" : String(b.swing) }))
      : el("p", { class: "muted" }, "The scenario has no uncertain parameter: nothing to vary."));
  };
  for (const p of [pickRegion, pickMaterial, pickMetric]) p.addEventListener("change", draw);
  draw();
}
