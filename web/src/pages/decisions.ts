// Decisions page: the three decision commands as jobs on the server (docs/decisions.md).
// Stockpile sizing (POST /stockpile): tonnes per material for a holder under a budget, with cost,
// coverage, unmet demand before/after and the marginal value of one more dollar. Exposure of a BOM
// (POST /exposure): per product the stock-out week, cost per unit before/after, margin change and
// the driving material and country. Portfolio (POST /portfolio): holdings ranked by EBIT margin
// change with CVaR and drivers. Each runs as a job that the page follows (GET /jobs/{id}) and can
// cancel; the example BOMs and holdings of data/examples/ are bundled at build time.
import { ApiError, api, type ExposureProduct, type ExposureResult, type Job, type PortfolioResult, type ScenarioInfo, type StockpileResult } from "../api";
import { chart } from "../charts";
import type { AppContext } from "../main";
import { el, errorBox, hashParams, kpi, setHashParams, table, unavailable } from "../ui";

const POLL_MS = 250;

// ---- the examples of data/examples/ ---------------------------------------------------------

const exampleFiles = import.meta.glob("../../../data/examples/*.csv", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

interface Example {
  file: string; // name in data/examples/
  title: string; // its first comment line, as a reader says it
  text: string;
  products?: string; // <name>_products.csv, the BOM's product data
}

/** The example BOMs (header product,...,material) and holdings files (header holding,...). */
function examples(): { boms: Example[]; holdings: Example[] } {
  const byName = new Map(Object.entries(exampleFiles).map(([p, t]) => [p.split("/").pop() ?? p, t]));
  const boms: Example[] = [];
  const holdings: Example[] = [];
  for (const [file, text] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = text.split(/\r?\n/);
    const header = lines.find((l) => l.trim() !== "" && !l.startsWith("#")) ?? "";
    // "# Illustrative BOM: a 150 kW ... motor ..., made in Germany." -> "A 150 kW ... made in Germany"
    const comment = (lines.find((l) => l.startsWith("#")) ?? "").replace(/^#\s*/, "").replace(/^Illustrative BOM:\s*/i, "").split(/\s\(|\.\s|\.$/)[0];
    const title = comment ? `${comment.charAt(0).toUpperCase()}${comment.slice(1)}` : file;
    if (/^product\b/.test(header) && header.includes("material")) {
      boms.push({ file, title, text, products: byName.get(file.replace(/\.csv$/, "_products.csv")) });
    } else if (/^holding\b/.test(header)) {
      holdings.push({ file, title, text });
    }
  }
  return { boms, holdings };
}

// ---- formats ----------------------------------------------------------------------------------

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);
/** A number with fixed decimals and thousands separators ("" when absent). */
export const fixed = (v: number | null | undefined, digits: number) =>
  finite(v) ? v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "";
const share = (v: number | null | undefined) => (finite(v) ? `${(v * 100).toFixed(1)} %` : "");
const usd = (v: number | null | undefined) => (finite(v) ? `${fixed(v, 0)} USD` : "");
const week = (v: number | null | undefined) => (finite(v) ? v.toFixed(0) : "never");
const raw = (v: number | null | undefined) => (finite(v) ? String(v) : "");

// ---- jobs -------------------------------------------------------------------------------------

interface JobUi {
  run: HTMLButtonElement;
  cancel: HTMLButtonElement;
  progress: HTMLProgressElement;
  status: HTMLElement;
  out: HTMLElement;
}

function jobUi(prefix: string, runLabel: string): JobUi {
  return {
    run: el("button", { id: `${prefix}-run`, type: "button" }, runLabel),
    cancel: el("button", { id: `${prefix}-cancel`, class: "secondary", type: "button", disabled: "" }, "Cancel"),
    progress: el("progress", { id: `${prefix}-progress`, max: "1", value: "0" }) as HTMLProgressElement,
    status: el("span", { id: `${prefix}-status`, class: "muted", "data-state": "idle" }),
    out: el("div", { id: `${prefix}-result` }),
  };
}

/** Submits a job, follows it until it ends, then shows its result; `what` names the input (an
 * uploaded file by its name) in the loading, refusal and failure messages. */
async function runJob<R>(ui: JobUi, what: string, problems: string[], submit: () => Promise<Job<R>>, show: (result: R) => void): Promise<void> {
  const setStatus = (state: string, text: string) => {
    ui.status.dataset.state = state;
    ui.status.textContent = text;
  };
  ui.out.replaceChildren();
  delete ui.out.dataset.job;
  if (problems.length) {
    ui.out.append(el("div", { class: "error", role: "alert" }, problems.join("\n")));
    setStatus("invalid", "not started");
    return;
  }
  ui.run.setAttribute("disabled", "");
  ui.progress.value = 0;
  setStatus("submitting", "submitting…");
  let id: string | null = null;
  const onCancel = async () => {
    if (!id) return;
    ui.cancel.setAttribute("disabled", "");
    try {
      await api.cancelJob(id);
    } catch (e) {
      ui.out.append(errorBox(e));
    }
  };
  ui.cancel.onclick = () => void onCancel();
  try {
    let job: Job<R>;
    try {
      job = await submit();
    } catch (e) {
      ui.out.append(el("div", { class: "refused" }, el("p", {}, el("b", {}, `${what} was refused:`)), errorBox(e)));
      setStatus("refused", "refused");
      return;
    }
    id = job.id;
    ui.out.dataset.job = job.id;
    ui.cancel.removeAttribute("disabled");
    const loading = el("div", { class: "loading", role: "status" }, `Running ${what}…`);
    ui.out.append(loading);
    while (job.state === "queued" || job.state === "running") {
      ui.progress.value = job.progress ?? 0;
      setStatus(job.state, `${job.state} ${Math.round((job.progress ?? 0) * 100)} %${job.message ? ` · ${job.message}` : ""}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (!ui.out.isConnected) return; // the user left the page; the job goes on on the server
      job = await api.job<R>(job.id);
    }
    loading.remove();
    if (job.state === "succeeded") ui.progress.value = 1;
    const took = typeof job.seconds === "number" ? ` in ${job.seconds.toFixed(1)} s` : "";
    if (job.state === "succeeded" && job.result) {
      show(job.result);
    } else if (job.state === "failed") {
      ui.out.append(el("p", {}, el("b", {}, `${what} failed:`)), errorBox(new ApiError(422, job.error?.error ?? "failed", job.error?.diagnostics ?? [])));
    } else if (job.state === "cancelled") {
      ui.out.append(el("p", { class: "muted cancelled" }, `Job ${job.id} (${what}) was cancelled: no result.`));
    }
    setStatus(job.state, `${job.state}${took}`);
  } catch (e) {
    ui.out.append(errorBox(e));
    setStatus("error", "error");
  } finally {
    id = null;
    ui.run.removeAttribute("disabled");
    ui.cancel.setAttribute("disabled", "");
  }
}

function checkRuns(runs: HTMLInputElement, problems: string[]): void {
  if (!/^\d+$/.test(runs.value.trim()) || Number(runs.value) < 1 || Number(runs.value) > 100000) {
    problems.push(`runs: expected a whole number from 1 to 100000, got '${runs.value}'`);
  }
}

function checkShare(input: HTMLInputElement, name: string, problems: string[]): void {
  const v = Number(input.value);
  if (input.value.trim() === "" || !(v >= 0 && v <= 1)) problems.push(`${name}: expected a share from 0 to 1, got '${input.value}'`);
}

/** Scenario checkboxes: every curated scenario that loads, by name; `wanted` ticked. */
function scenarioChecks(id: string, scenarios: ScenarioInfo[], wanted: string[]): { box: HTMLElement; chosen: () => string[] } {
  const box = el("fieldset", { id, class: "checks" }, el("legend", {}, "Scenarios"));
  for (const s of scenarios.filter((x) => !x.error)) {
    const input = el("input", { type: "checkbox", value: s.id, name: id });
    input.checked = wanted.includes(s.id);
    box.append(el("label", { title: s.description ?? s.id }, input, ` ${s.name ?? s.id}`));
  }
  return { box, chosen: () => [...box.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value) };
}

/** A file input with the examples beside it: the uploaded file wins over the example picked. */
function sourcePicker(prefix: string, list: Example[], wanted: string | null, accept = ".csv,text/csv") {
  const pick = el("select", { id: `${prefix}-example`, "aria-label": "example file" });
  for (const x of list) pick.append(el("option", { value: x.file }, x.title));
  if (wanted && list.some((x) => x.file === wanted)) pick.value = wanted;
  const upload = el("input", { type: "file", id: `${prefix}-file`, accept }) as HTMLInputElement;
  const clear = el("button", { id: `${prefix}-file-clear`, class: "secondary", type: "button", hidden: "" }, "Use the example");
  const note = el("span", { class: "muted", id: `${prefix}-source` });
  const sync = () => {
    const f = upload.files?.[0];
    clear.hidden = !f;
    pick.disabled = Boolean(f);
    note.textContent = f ? `Uploaded: ${f.name} (${f.size.toLocaleString("en-US")} bytes); the server checks it when you run it.` : `data/examples/${pick.value}`;
  };
  upload.addEventListener("change", sync);
  pick.addEventListener("change", sync);
  clear.addEventListener("click", () => {
    upload.value = "";
    sync();
  });
  sync();
  const example = () => list.find((x) => x.file === pick.value);
  return {
    pick,
    upload,
    clear,
    note,
    /** The text to send, its name, and how the messages call it. */
    async source(): Promise<{ text: string; name: string; label: string; products?: string } | null> {
      const f = upload.files?.[0];
      if (f) return { text: await f.text(), name: f.name, label: `the uploaded file ${f.name}` };
      const x = example();
      return x ? { text: x.text, name: x.file, label: `the example ${x.file}`, products: x.products } : null;
    },
  };
}

// ---- the page ---------------------------------------------------------------------------------

export async function renderDecisions(root: HTMLElement, ctx: AppContext): Promise<void> {
  root.append(
    el("h1", {}, "Decisions"),
    el("p", { class: "lead" }, "From risk to decisions under a disruption scenario: what to stockpile with a budget, what a scenario does to your products, which holdings carry the risk. Each solve is a job on the server, the same as `lodestone stockpile`, `exposure` and `portfolio`."),
  );
  const hasAny = ["/stockpile", "/exposure", "/portfolio"].some((p) => ctx.has("POST", p));
  if (!hasAny || !ctx.has("GET", "/scenarios")) {
    root.append(unavailable("decisions", "This server has no decision endpoints (POST /api/v1/stockpile, /exposure, /portfolio): nothing can be solved here."));
    return;
  }
  const scenarios = await api.scenarios();
  const names = new Map(ctx.dataset.materials.map((m) => [m.id, m.name]));
  const material = (id: string) => names.get(id) ?? id;
  const { boms, holdings } = examples();
  const params = hashParams();
  const remember = (values: Record<string, string>) => setHashParams(values);

  if (ctx.has("POST", "/stockpile")) stockpileSection(root, ctx, scenarios, params, remember, material);
  else root.append(unavailable("stockpile", "This server has no stockpile solver (POST /api/v1/stockpile)."));
  if (ctx.has("POST", "/exposure")) exposureSection(root, ctx, scenarios, boms, params, remember, material);
  else root.append(unavailable("exposure", "This server has no product exposure (POST /api/v1/exposure)."));
  if (ctx.has("POST", "/portfolio")) portfolioSection(root, ctx, scenarios, holdings, params, remember, material);
  else root.append(unavailable("portfolio", "This server has no portfolio ranking (POST /api/v1/portfolio)."));
}

type Remember = (values: Record<string, string>) => void;

/** The first `n` curated scenarios whose regions include `code` (else the first that load). */
function scenariosFor(code: string, scenarios: ScenarioInfo[], n = 1): string[] {
  const ok = scenarios.filter((s) => !s.error);
  const match = ok.filter((s) => (s.regions ?? []).includes(code));
  return (match.length ? match : ok).slice(0, n).map((s) => s.id);
}

function listParam(params: URLSearchParams, key: string, scenarios: ScenarioInfo[]): string[] | null {
  const v = params.get(key);
  if (v === null) return null;
  return v.split(",").filter((id) => scenarios.some((s) => s.id === id));
}

// ---- stockpile --------------------------------------------------------------------------------

function stockpileSection(root: HTMLElement, ctx: AppContext, scenarios: ScenarioInfo[], params: URLSearchParams, remember: Remember, material: (id: string) => string): void {
  const holder = el("select", { id: "sp-holder", "aria-label": "holder" });
  const header = document.getElementById("perspective") as HTMLSelectElement | null;
  for (const o of header ? [...header.options] : []) holder.append(el("option", { value: o.value }, o.textContent ?? o.value));
  const wantedHolder = params.get("sp_holder");
  holder.value = wantedHolder && [...holder.options].some((o) => o.value === wantedHolder) ? wantedHolder : ctx.perspective();
  const budget = el("input", { type: "number", id: "sp-budget", min: "0", step: "1000000", value: params.get("sp_budget") ?? "200000000", style: "width:150px" }) as HTMLInputElement;
  const budgetNote = el("span", { class: "muted", id: "sp-budget-text" });
  const objective = el("select", { id: "sp-objective", "aria-label": "objective" },
    el("option", { value: "expected" }, "expected loss"),
    el("option", { value: "cvar:0.95" }, "CVaR 95 % of the loss (the worst 5 % of runs)"));
  if (params.get("sp_objective") === "cvar:0.95") objective.value = "cvar:0.95";
  const runs = el("input", { type: "number", id: "sp-runs", min: "1", max: "100000", step: "1", value: params.get("sp_runs") ?? "100", style: "width:90px" }) as HTMLInputElement;
  const checks = scenarioChecks("sp-scenarios", scenarios, listParam(params, "sp_scenarios", scenarios) ?? scenariosFor(holder.value, scenarios));
  const ui = jobUi("sp", "Solve");
  const sync = () => {
    budgetNote.textContent = Number.isFinite(Number(budget.value)) && budget.value !== "" ? `= ${(Number(budget.value) / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 })} million USD` : "";
    remember({ sp_holder: holder.value, sp_budget: budget.value, sp_objective: objective.value, sp_runs: runs.value, sp_scenarios: checks.chosen().join(",") });
  };
  for (const x of [holder, budget, objective, runs, checks.box]) x.addEventListener("change", sync);
  budget.addEventListener("input", sync);
  sync();

  root.append(el("section", { class: "card", id: "decisions-stockpile" },
    el("h2", {}, "Stockpile sizing"),
    el("p", { class: "muted" }, "Tonnes to hold per material so that a budget covers as much of the holder's shortfall as it can across the runs of the scenarios (a two-stage stochastic LP; releases with perfect foresight within a run). Starting stocks of stockpiles.csv count."),
    el("div", { class: "controls" },
      el("label", {}, "Holder ", holder),
      el("label", { title: "USD to spend on the stock (purchase and holding cost)" }, "Budget (USD) ", budget), budgetNote,
      el("label", {}, "Objective ", objective),
      el("label", { title: "Monte Carlo runs per scenario" }, "runs ", runs)),
    checks.box,
    el("div", { class: "controls" }, ui.run, ui.cancel, ui.progress, ui.status),
    ui.out));

  ui.run.addEventListener("click", () => {
    const problems: string[] = [];
    if (budget.value.trim() === "" || !Number.isFinite(Number(budget.value))) problems.push(`budget: expected a number of USD, got '${budget.value}'`);
    checkRuns(runs, problems);
    if (!checks.chosen().length) problems.push("scenarios: tick at least one scenario");
    const what = `the stockpile of ${ctx.countryName(holder.value)} (${holder.value})`;
    void runJob<StockpileResult>(ui, what, problems,
      () => api.stockpile({ holder: holder.value, budget_usd: Number(budget.value), scenarios: checks.chosen(), runs: Number(runs.value), objective: objective.value }),
      (r) => showStockpile(ui.out, r, ctx, material));
  });
}

export function showStockpile(out: HTMLElement, r: StockpileResult, ctx: AppContext, material: (id: string) => string): void {
  const p = r.plan;
  out.append(el("p", { class: "muted", id: "sp-info" },
    `${ctx.countryName(r.holder)} (${r.holder}), ${r.objective}, budget ${usd(r.budget_usd)}; ${r.runs} runs of ${r.weeks} weeks per scenario; method ${r.method}.`));
  if (r.status !== "optimal" || !p) {
    out.append(el("div", { class: "unavailable", id: "sp-status-box", "data-status": r.status }, el("b", {}, `No plan: the problem is ${r.status}. `), r.message || ""));
  } else {
    out.append(el("div", { class: "kpis", id: "sp-kpis" },
      kpi(usd(p.cost_usd), "cost of the stock"),
      kpi(`${share(p.coverage_before)} → ${share(p.coverage_after)}`, "coverage: runs with no unmet demand, before → after"),
      kpi(`${usd(p.expected_loss_before_usd)} → ${usd(p.expected_loss_after_usd)}`, "expected loss (value of lost supply), before → after"),
      kpi(`${fixed(p.budget_dual_usd_per_usd, 3)} USD`, "marginal value of one more dollar of budget (objective avoided)")));
  }
  const rows = r.materials;
  out.append(el("h3", {}, "Per material"));
  out.append(el("div", { id: "sp-table" }, table(rows, [
    { title: "material", value: (m) => material(m.material) },
    { title: "stage", value: (m) => m.stage },
    { title: "tonnes to hold (t)", value: (m) => fixed(m.tonnes, 1), num: true },
    { title: "cost (USD)", value: (m) => fixed(m.cost_usd, 0), num: true },
    { title: "starting stock (t)", value: (m) => fixed(m.start_stock_t, 1), num: true },
    { title: "expected shortfall (t)", value: (m) => fixed(m.expected_shortfall_t, 1), num: true },
    { title: "expected unmet before (t)", value: (m) => fixed(m.expected_unmet_before_t, 1), num: true },
    { title: "expected unmet after (t)", value: (m) => fixed(m.expected_unmet_after_t, 1), num: true },
    { title: "coverage before", value: (m) => share(m.coverage_before), num: true },
    { title: "coverage after", value: (m) => share(m.coverage_after), num: true },
    { title: "value of lost supply (USD/t)", value: (m) => fixed(m.value_of_lost_supply_usd_t, 0), num: true },
  ], (m) => ({
    "data-material": m.material, "data-tonnes": raw(m.tonnes), "data-cost": raw(m.cost_usd),
    "data-unmet-before": raw(m.expected_unmet_before_t), "data-unmet-after": raw(m.expected_unmet_after_t),
    "data-coverage-before": raw(m.coverage_before), "data-coverage-after": raw(m.coverage_after),
  }))));
  if (p) {
    const items: [string, string, string, number | null][] = [
      ["status", "status", r.status, null],
      ["cost", "cost of the stock (USD)", fixed(p.cost_usd, 0), p.cost_usd],
      ["coverage_before", "coverage before", share(p.coverage_before), p.coverage_before],
      ["coverage_after", "coverage after", share(p.coverage_after), p.coverage_after],
      ["expected_loss_before", "expected loss before (USD)", fixed(p.expected_loss_before_usd, 0), p.expected_loss_before_usd],
      ["expected_loss_after", "expected loss after (USD)", fixed(p.expected_loss_after_usd, 0), p.expected_loss_after_usd],
      ["cvar_before", `CVaR ${r.alpha} of the loss before (USD)`, fixed(p.cvar_before_usd, 0), p.cvar_before_usd],
      ["cvar_after", `CVaR ${r.alpha} of the loss after (USD)`, fixed(p.cvar_after_usd, 0), p.cvar_after_usd],
      ["budget_dual", "marginal value of one more USD of budget (USD)", fixed(p.budget_dual_usd_per_usd, 3), p.budget_dual_usd_per_usd],
    ];
    out.append(el("h3", {}, "The plan"), el("div", { id: "sp-plan" }, table(items, [
      { title: "item", value: (i) => i[1] },
      { title: "value", value: (i) => i[2], num: true },
    ], (i) => ({ "data-item": i[0], "data-value": raw(i[3]) }))));
    const box = el("div", { class: "chart", id: "sp-chart" });
    out.append(box);
    const labels = rows.map((m) => material(m.material));
    chart("stockpile", box, {
      title: { text: `Stockpile of ${ctx.countryName(r.holder)}: tonnes to hold and expected unmet demand`, subtext: `${r.objective}, budget ${usd(r.budget_usd)}, ${r.runs} runs per scenario`, left: 8, top: 2, textStyle: { fontSize: 13 } },
      grid: { left: 80, right: 20, top: 70, bottom: 40 },
      legend: { top: 40, right: 10, data: ["tonnes to hold", "expected unmet before", "expected unmet after"], textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: labels },
      yAxis: { type: "value", name: "t" },
      series: [
        { name: "tonnes to hold", type: "bar", itemStyle: { color: "#2f6f9f" }, data: rows.map((m) => m.tonnes ?? null) },
        { name: "expected unmet before", type: "bar", itemStyle: { color: "#c0392b" }, data: rows.map((m) => m.expected_unmet_before_t ?? null) },
        { name: "expected unmet after", type: "bar", itemStyle: { color: "#e6a117" }, data: rows.map((m) => m.expected_unmet_after_t ?? null) },
      ],
    });
  }
  const notes = [
    ...r.scenarios.map((s) => `scenario: ${s}`),
    ...r.materials.map((m) => `${material(m.material)}: price ${fixed(m.price_usd_t, 0)} USD/t (${m.price_source}); holding ${fixed(m.holding_usd_t, 0)} USD/t over the horizon (ASSUMPTION); value of lost supply ${fixed(m.value_of_lost_supply_usd_t, 0)} USD/t, ${m.value_basis}; starting stock: ${m.start_stock_source}`),
    ...r.notes,
  ];
  out.append(el("ul", { class: "muted notes" }, ...notes.map((n) => el("li", {}, n))));
}

// ---- exposure ---------------------------------------------------------------------------------

function exposureSection(root: HTMLElement, ctx: AppContext, scenarios: ScenarioInfo[], boms: Example[], params: URLSearchParams, remember: Remember, material: (id: string) => string): void {
  const src = sourcePicker("ex", boms, params.get("ex_bom"));
  const scenario = el("select", { id: "ex-scenario", "aria-label": "scenario" });
  for (const s of scenarios.filter((x) => !x.error)) scenario.append(el("option", { value: s.id }, s.name ?? s.id));
  const wanted = params.get("ex_scenario");
  if (wanted && scenarios.some((s) => s.id === wanted && !s.error)) scenario.value = wanted;
  const pass = el("input", { type: "number", id: "ex-pass", min: "0", max: "1", step: "0.05", value: params.get("ex_pass") ?? "0.3", style: "width:70px" }) as HTMLInputElement;
  const runs = el("input", { type: "number", id: "ex-runs", min: "1", max: "100000", step: "1", value: params.get("ex_runs") ?? "100", style: "width:90px" }) as HTMLInputElement;
  const ui = jobUi("ex", "Run");
  const sync = () => remember({ ex_bom: src.pick.value, ex_scenario: scenario.value, ex_pass: pass.value, ex_runs: runs.value });
  for (const x of [src.pick, scenario, pass, runs]) x.addEventListener("change", sync);
  sync();

  root.append(el("section", { class: "card", id: "decisions-exposure" },
    el("h2", {}, "Exposure per product"),
    el("p", { class: "muted" }, "What a scenario does to the products of a bill of materials: the week each line runs out of a material (given its inventory cover), cost per unit before and after, the margin change at a pass-through rate, and the material and country that drive it. BOM format: docs/lookthrough.md."),
    el("div", { class: "controls" }, el("label", {}, "Example BOM ", src.pick), el("span", { class: "muted" }, "or"), el("label", {}, "upload a BOM CSV ", src.upload), src.clear),
    el("p", { class: "muted" }, src.note),
    el("div", { class: "controls" },
      el("label", {}, "Scenario ", scenario),
      el("label", { title: "share of the cost increase passed on in the price, 0-1" }, "pass-through ", pass),
      el("label", { title: "Monte Carlo runs" }, "runs ", runs),
      ui.run, ui.cancel, ui.progress, ui.status),
    ui.out));

  ui.run.addEventListener("click", async () => {
    const problems: string[] = [];
    checkRuns(runs, problems);
    checkShare(pass, "pass-through", problems);
    const s = await src.source();
    if (!s) problems.push("BOM: pick an example or upload a BOM CSV");
    await runJob<ExposureResult>(ui, s?.label ?? "the BOM", problems,
      () => api.exposure({ bom: s!.text, filename: s!.name, products: s!.products, scenario: scenario.value, runs: Number(runs.value), pass_through: Number(pass.value) }),
      (r) => showExposure(ui.out, r, ctx, material));
  });
}

export function showExposure(out: HTMLElement, r: ExposureResult, ctx: AppContext, material: (id: string) => string): void {
  const region = (code: string) => (code === "WORLD" ? "world market" : ctx.countryName(code));
  out.append(el("p", { class: "muted", id: "ex-info" },
    `${r.bom} under ${r.scenario}: median and P5–P95 over ${r.runs} runs (seed ${r.seed}), ${r.weeks} weeks; pass-through ${r.pass_through}.`));
  const products = r.products;
  out.append(el("div", { id: "ex-table" }, table(products, [
    { title: "product", value: (p) => p.product },
    { title: "made in", value: (p) => region(p.region) },
    { title: "cover (weeks)", value: (p) => fixed(p.cover_weeks, 1), num: true },
    { title: "P(stock-out)", value: (p) => share(p.p_stockout), num: true },
    { title: "stock-out week P5", value: (p) => week(p.stockout_week.p5), num: true },
    { title: "stock-out week P50", value: (p) => week(p.stockout_week.p50), num: true },
    { title: "stock-out week P95", value: (p) => week(p.stockout_week.p95), num: true },
    { title: "lost units P50", value: (p) => fixed(p.lost_units?.p50, 0), num: true },
    { title: "cost/unit before (USD)", value: (p) => fixed(p.cost_before_usd, 2), num: true },
    { title: "cost/unit after P50 (USD)", value: (p) => fixed(p.cost_after_usd.p50, 2), num: true },
    { title: "cost/unit after P5–P95 (USD)", value: (p) => `${fixed(p.cost_after_usd.p5, 2)} – ${fixed(p.cost_after_usd.p95, 2)}`, num: true },
    { title: "margin change P50 (pp)", value: (p) => (p.margin_change_pp ? fixed(p.margin_change_pp.p50, 2) : "–"), num: true },
    { title: "driver material", value: (p) => (p.driver.material ? material(p.driver.material) : "–") },
    { title: "driver country", value: (p) => (p.driver.country ? ctx.countryName(p.driver.country) : "–") },
  ], (p) => ({
    "data-product": p.product, "data-stockout-p5": raw(p.stockout_week.p5), "data-stockout-p50": raw(p.stockout_week.p50),
    "data-stockout-p95": raw(p.stockout_week.p95), "data-cost-before": raw(p.cost_before_usd), "data-cost-after": raw(p.cost_after_usd.p50),
    "data-margin": raw(p.margin_change_pp?.p50), "data-driver": p.driver.material, "data-driver-country": p.driver.country,
  }))));
  const labels = products.map((p) => p.product);
  const row = el("div", { class: "row" });
  const costBox = el("div", { class: "chart short", id: "ex-cost-chart" });
  const weekBox = el("div", { class: "chart short", id: "ex-stockout-chart" });
  row.append(el("div", { class: "card" }, costBox), el("div", { class: "card" }, weekBox));
  out.append(row);
  chart("exposure-cost", costBox, {
    title: { text: "Material cost per unit", subtext: `USD per unit, mean over the horizon; after = P50 over ${r.runs} runs`, left: 8, top: 2, textStyle: { fontSize: 13 } },
    grid: { left: 70, right: 20, top: 70, bottom: 50 },
    legend: { top: 40, right: 10, data: ["before", "after (P50)"], textStyle: { fontSize: 11 } },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: labels, axisLabel: { fontSize: 10, interval: 0 } },
    yAxis: { type: "value", name: "USD/unit" },
    series: [
      { name: "before", type: "bar", itemStyle: { color: "#7f8c8d" }, data: products.map((p) => p.cost_before_usd) },
      { name: "after (P50)", type: "bar", itemStyle: { color: "#c0392b" }, data: products.map((p) => p.cost_after_usd.p50) },
    ],
  });
  chart("exposure-stockout", weekBox, {
    title: { text: "Week the line runs out", subtext: `weeks from the scenario start; no bar: not within ${r.weeks} weeks`, left: 8, top: 2, textStyle: { fontSize: 13 } },
    grid: { left: 60, right: 20, top: 70, bottom: 50 },
    legend: { top: 40, right: 10, data: ["P5", "P50", "P95"], textStyle: { fontSize: 11 } },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: labels, axisLabel: { fontSize: 10, interval: 0 } },
    yAxis: { type: "value", name: "week", max: r.weeks },
    series: (["p5", "p50", "p95"] as const).map((q, i) => ({
      name: q.toUpperCase(), type: "bar", itemStyle: { color: ["#c0392b", "#e67e22", "#f5cba7"][i] }, data: products.map((p) => p.stockout_week[q]),
    })),
  });
  out.append(el("h3", {}, "Materials per product"), el("div", { id: "ex-materials" }, table(products.flatMap((p) => p.materials.map((m) => ({ product: p.product, ...m }))), [
    { title: "product", value: (m) => m.product },
    { title: "material", value: (m) => material(m.material) },
    { title: "kg per unit", value: (m) => m.kg_per_unit.toPrecision(3), num: true },
    { title: "simulated", value: (m) => (m.simulated ? "yes" : "no: baseline price, full supply") },
    { title: "cost/unit before (USD)", value: (m) => fixed(m.cost_before_usd, 2), num: true },
    { title: "cost/unit after P50 (USD)", value: (m) => fixed(m.cost_after_usd.p50, 2), num: true },
    { title: "runs where it stops the line first", value: (m) => share(m.runs_out_first), num: true },
    { title: "top origin", value: (m) => (m.top_origin.country ? `${ctx.countryName(m.top_origin.country)} (${m.top_origin.stage}, ${share(m.top_origin.share)})` : "") },
    { title: "measures on it", value: (m) => m.top_origin.measures.join(", ") },
  ], (m) => ({ "data-product": m.product, "data-material": m.material }))));
  const notes = [...products.flatMap((p: ExposureProduct) => [`${p.product}: cover ${p.cover_weeks} weeks (${p.cover_basis}); driver: ${p.driver.basis}`, ...p.notes.map((n) => `${p.product}: ${n}`)]), ...r.notes];
  out.append(el("ul", { class: "muted notes" }, ...notes.map((n) => el("li", {}, n))));
}

// ---- portfolio --------------------------------------------------------------------------------

function portfolioSection(root: HTMLElement, ctx: AppContext, scenarios: ScenarioInfo[], list: Example[], params: URLSearchParams, remember: Remember, material: (id: string) => string): void {
  const src = sourcePicker("pf", list, params.get("pf_holdings"));
  const checks = scenarioChecks("pf-scenarios", scenarios, listParam(params, "pf_scenarios", scenarios) ?? scenariosFor(ctx.perspective(), scenarios, 2));
  const pass = el("input", { type: "number", id: "pf-pass", min: "0", max: "1", step: "0.05", value: params.get("pf_pass") ?? "0.2", style: "width:70px" }) as HTMLInputElement;
  const runs = el("input", { type: "number", id: "pf-runs", min: "1", max: "100000", step: "1", value: params.get("pf_runs") ?? "100", style: "width:90px" }) as HTMLInputElement;
  const ui = jobUi("pf", "Rank");
  const sync = () => remember({ pf_holdings: src.pick.value, pf_scenarios: checks.chosen().join(","), pf_pass: pass.value, pf_runs: runs.value });
  for (const x of [src.pick, checks.box, pass, runs]) x.addEventListener("change", sync);
  sync();

  root.append(el("section", { class: "card", id: "decisions-portfolio" },
    el("h2", {}, "Portfolio ranking"),
    el("p", { class: "muted" }, "Holdings with a weight and a sector (or their own material cost shares): cost impact as % of cost of goods, EBIT margin change at a pass-through rate, and its CVaR across the scenarios (equally likely). Format: docs/decisions.md."),
    el("div", { class: "controls" }, el("label", {}, "Example holdings ", src.pick), el("span", { class: "muted" }, "or"), el("label", {}, "upload a holdings CSV ", src.upload), src.clear),
    el("p", { class: "muted" }, src.note),
    checks.box,
    el("div", { class: "controls" },
      el("label", { title: "share of the cost increase passed on in the price, 0-1" }, "pass-through ", pass),
      el("label", { title: "Monte Carlo runs per scenario" }, "runs ", runs),
      ui.run, ui.cancel, ui.progress, ui.status),
    ui.out));

  ui.run.addEventListener("click", async () => {
    const problems: string[] = [];
    checkRuns(runs, problems);
    checkShare(pass, "pass-through", problems);
    if (!checks.chosen().length) problems.push("scenarios: tick at least one scenario");
    const s = await src.source();
    if (!s) problems.push("holdings: pick an example or upload a holdings CSV");
    await runJob<PortfolioResult>(ui, s?.label ?? "the holdings", problems,
      () => api.portfolio({ holdings: s!.text, filename: s!.name, scenarios: checks.chosen(), runs: Number(runs.value), pass_through: Number(pass.value) }),
      (r) => showPortfolio(ui.out, r, material));
  });
}

export function showPortfolio(out: HTMLElement, r: PortfolioResult, material: (id: string) => string): void {
  const cvarName = `CVaR ${r.alpha}`;
  out.append(el("div", { class: "kpis", id: "pf-kpis" },
    kpi(`${fixed(r.portfolio.ebit_margin_change_pp, 3)} pp`, "portfolio EBIT margin change (weighted, expected)"),
    kpi(`${fixed(r.portfolio.ebit_margin_cvar_pp, 3)} pp`, `portfolio ${cvarName}: mean of the worst ${Math.round((1 - r.alpha) * 100)} % of runs`)));
  const rows = [...r.holdings].sort((a, b) => a.rank - b.rank);
  out.append(el("div", { id: "pf-table" }, table(rows, [
    { title: "rank", value: (h) => h.rank, num: true },
    { title: "holding", value: (h) => h.holding },
    { title: "weight", value: (h) => share(h.weight), num: true },
    { title: "basis", value: (h) => h.basis },
    { title: "cost impact (% of COGS)", value: (h) => fixed(h.cost_impact_pct_cogs, 3), num: true },
    { title: "EBIT margin change (pp)", value: (h) => fixed(h.ebit_margin_change_pp, 3), num: true },
    { title: `${cvarName} (pp)`, value: (h) => fixed(h.ebit_margin_cvar_pp, 3), num: true },
    { title: "driver", value: (h) => (h.driver.material ? `${material(h.driver.material)} (${share(h.driver.share)})` : "–") },
  ], (h) => ({ "data-holding": h.holding, "data-margin": raw(h.ebit_margin_change_pp), "data-cvar": raw(h.ebit_margin_cvar_pp), "data-cost-impact": raw(h.cost_impact_pct_cogs) }))));
  const box = el("div", { class: "chart", id: "pf-chart" });
  out.append(box);
  const labels = [...rows].reverse().map((h) => h.holding);
  chart("portfolio", box, {
    title: { text: "EBIT margin change per holding", subtext: `percentage points of revenue, pass-through ${r.pass_through}; ${r.scenarios.length} scenario(s)`, left: 8, top: 2, textStyle: { fontSize: 13 } },
    grid: { left: 200, right: 30, top: 70, bottom: 40 },
    legend: { top: 40, right: 10, data: ["expected", cvarName], textStyle: { fontSize: 11 } },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: "pp" },
    yAxis: { type: "category", data: labels, axisLabel: { fontSize: 10 } },
    series: [
      { name: "expected", type: "bar", itemStyle: { color: "#2f6f9f" }, data: [...rows].reverse().map((h) => h.ebit_margin_change_pp) },
      { name: cvarName, type: "bar", itemStyle: { color: "#c0392b" }, data: [...rows].reverse().map((h) => h.ebit_margin_cvar_pp) },
    ],
  });
  out.append(el("h3", {}, "Per scenario"), el("div", { id: "pf-scenarios-table" }, table(rows.flatMap((h) => h.scenarios.map((s) => ({ holding: h.holding, ...s }))), [
    { title: "holding", value: (x) => x.holding },
    { title: "scenario", value: (x) => x.scenario },
    { title: "cost impact (% of COGS)", value: (x) => fixed(x.cost_impact_pct_cogs, 3), num: true },
    { title: "EBIT margin change (pp)", value: (x) => fixed(x.ebit_margin_change_pp, 3), num: true },
    { title: "EBIT margin change P5 (pp)", value: (x) => fixed(x.ebit_margin_change_pp_p5, 3), num: true },
  ])));
  const notes = [...r.scenarios.map((s) => `scenario: ${s}`), ...r.holdings.filter((h) => h.cogs_basis !== "holdings file").map((h) => `${h.holding}: ${h.cogs_basis}`), ...r.notes];
  out.append(el("ul", { class: "muted notes" }, ...notes.map((n) => el("li", {}, n))));
}
