// The typed client of `lodestone serve` (JSON under /api/v1/, see docs/api.md and
// /api/v1/openapi.json). Every path the dashboard uses is here and nowhere else.
// Errors come back as {error, diagnostics[]} with a 4xx status; they surface as ApiError.

export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly path = "",
  ) {
    super(message);
  }
  /** The server has no such endpoint: the capability is not in this build. */
  get missing(): boolean {
    return this.status === 404 && this.diagnostics.every((d) => d.code !== "E-NOT-FOUND" || d.field === "");
  }
}

// ---- dataset ----------------------------------------------------------------------------

export interface CountryShare {
  country: string; // ISO3, or ROW for other countries
  tonnes: number; // t per year, contained element
  share: number; // fraction of world output
  project_tonnes?: number; // of tonnes, added by projects after the data year (/shares only)
}

export interface StageInfo {
  stage: string;
  order: number;
  yield: number;
  description: string;
  year?: number;
  world_tonnes: number;
  hhi?: number;
  residual_share?: number;
  top_country?: string;
  top_share?: number;
  shares: CountryShare[];
  /** /shares only: the year of the production data, the years `year` may be, and what projects add. */
  data_year?: number;
  years?: { first: number; last: number };
  project_tonnes?: number;
}

export interface Material {
  id: string;
  name: string;
  family: string;
  price_usd_t: number | null;
  price_year: number | null;
  eol_rir: number | null;
  stages: StageInfo[];
}

export interface Country {
  iso3: string;
  name: string;
  region: string;
  wgi: number;
  blocs: string[];
}

export interface DatasetDoc {
  dataset: {
    name: string;
    version: string;
    as_of: string;
    description: string;
    licence: string;
    content_hash: string;
  };
  counts: Record<string, number>;
  materials: Material[];
  sources: string[];
}

// ---- policies -----------------------------------------------------------------------------

/** A row of GET /policies (table rows: lists are ";"-joined strings). */
export interface PolicyRow {
  id: string;
  kind: string;
  country: string;
  materials: string;
  stages: string;
  destinations: string;
  end_users: string;
  effective: string | null;
  expires: string | null;
  approval_rate: number | null;
  lead_time_days: number | null;
  title: string;
  source: string;
}

/** A row of GET /policies/upcoming and /policies/changes. */
export interface ChangeRow {
  date: string;
  in_days?: number;
  change: "started" | "ended" | "suspended" | "resumed";
  id: string;
  kind: string;
  country: string;
  materials: string;
  destinations: string;
  cause: string;
  title: string;
}

/** A measure of GET /measures, with its state on the as-of date. */
export interface Measure {
  id: string;
  kind: string;
  country: string;
  materials: string[];
  stages: string[];
  destinations: string;
  end_users: string;
  announced: string | null;
  effective: string | null;
  expires: string | null;
  suspends: string[];
  approval_rate: number | null;
  lead_time_days: number | null;
  quota_tonnes: number | null;
  tax_rate: number | null;
  tonnes: number | null;
  status: string;
  title: string;
  source: string;
  verified: string | null;
  notes: string;
  state: "in_force" | "suspended" | "inactive";
  suspended_by: string[];
}

// ---- assess (criticality) ----------------------------------------------------------------

/** A row of GET /assess (`lodestone assess --format json`, report/assess_view.cpp): one material
 * (at the stage where the ranking method peaks) or, with by_stage, one material and stage. Every
 * method side by side; numbers are null where a method has no value. */
export interface AssessRow {
  rank: number;
  material: string;
  stage: string;
  year: number | null;
  world_tonnes: number | null;
  hhi: number | null;
  hhi_10k: number | null;
  cr1: number | null;
  cr3: number | null;
  top_country: string;
  top_share: number | null;
  producers: number | null;
  hhi_wgi_gs: number | null;
  hhi_wgi_p: number | null;
  import_reliance: number | null;
  basis: string; // observed | derived | usgs | ...
  use_tonnes: number | null;
  import_tonnes: number | null;
  top_origins: string;
  eol_rir: number | null;
  si_sr: number | null;
  sr: number | null;
  ei: number | null;
  critical: boolean;
  geopolrisk: number | null;
  dp: number | null;
  te: number | null;
  ev: number | null;
  usgs_sr: number | null;
  usgs_score: number | null;
  bottleneck: string;
  trade_factors: string;
  perspective_trade_factors: string;
  basis_note: string;
  rank_spread: number | null;
  /** score_<method>, rank_<method>, <method>_stage for each method (eu, geopolrisk, usgs, hhi). */
  [key: string]: unknown;
}

export interface AgreementRow {
  method: string;
  spearman: number | null;
  mean_abs_rank_shift: number | null;
  max_rank_shift: number | null;
  max_shift_row: string;
}

/** GET /assess: the criticality panel of a perspective on a date. */
export interface AssessDoc {
  as_of: string;
  perspective: string;
  members: string[];
  ranked_by: string;
  by_stage: boolean;
  methods: { trade_factor: Record<string, number>; critical_ei: number; critical_sr: number; row_wgi: number };
  rows: AssessRow[];
  agreement: AgreementRow[];
  notes: string[];
}

/** A row of GET /leverage?target= without supplier: every supplier of the target ranked
 * (report/leverage_view.cpp). leverage = import-value-weighted mean over materials of
 * supplier_share × si_sr × (1 − min(1, stock cover years)); reverse = the target's leverage back. */
export interface LeverageRow {
  rank: number;
  supplier: string;
  name: string;
  leverage: number | null;
  reverse: number | null;
  net: number | null;
  top_material: string;
  top_leverage: number | null;
}

// ---- scenarios and jobs ---------------------------------------------------------------------

/** A curated scenario of GET /scenarios (one that does not load carries `error` instead). */
export interface ScenarioInfo {
  id: string;
  file: string;
  name?: string;
  description?: string;
  start?: string;
  horizon_weeks?: number;
  runs?: number;
  seed?: number;
  materials?: string[];
  regions?: string[];
  sources?: string[];
  error?: { error: string; diagnostics: Diagnostic[] };
}

export interface Job<R = unknown> {
  id: string;
  kind: string;
  state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  progress: number;
  message?: string;
  params?: Record<string, unknown>;
  submitted?: string;
  started?: string | null;
  finished?: string | null;
  seconds?: number | null;
  result?: R;
  error?: { error: string; diagnostics: Diagnostic[] };
}

/** One weekly series of a simulation with its quantile bands over the runs (sim::series_json). */
export interface SeriesBands {
  region: string; // "WORLD" or an ISO3/bloc of the scenario's regions
  kind: "material" | "sector";
  group: string; // material id or sector id
  metric: string; // shortfall_share | shortfall_t | price_multiple | inventory_weeks | strategic_stock_t | cost_usd | cost_pct_output
  unit: string;
  mean: (number | null)[];
  p5: (number | null)[];
  p50: (number | null)[];
  p95: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
}

/** {scenario, seed, runs, weeks: [dates], series: [...]} as `lodestone simulate --out` writes series.json. */
export interface SeriesDoc {
  scenario?: string;
  seed?: number;
  runs?: number;
  weeks: string[];
  quantiles?: string;
  series: SeriesBands[];
}

/** A summary row over the runs (sim::summary_json). */
export interface SummaryRow {
  region: string;
  kind: string;
  group: string;
  metric: string;
  p5: number | null;
  p50: number | null;
  p95: number | null;
  mean: number | null;
  probability?: number | null;
  cvar95?: number | null;
}

/** The provenance of a run (sim::run_json). */
export interface RunInfo {
  tool?: { name: string; version: string; git: string };
  scenario?: { name: string; file: string; content_hash: string; start: string; horizon_weeks: number; baseline: string; materials: string[]; regions: string[]; sources: string[] };
  dataset?: { name: string; version: string; content_hash: string; source: string };
  seed: number;
  runs_requested: number;
  runs_done: number;
  cancelled: boolean;
  notes?: string[];
  max_mass_balance_residual?: number;
  replay?: string;
  [key: string]: unknown;
}

/** What a finished simulate job holds: {run, summary, series} (routes_simulate.cpp). */
export interface SimulationResult {
  run: RunInfo;
  summary: SummaryRow[];
  series: SeriesDoc;
}

export interface SimulateBody {
  scenario?: string;
  toml?: string;
  filename?: string; // names the uploaded TOML in the server's diagnostics
  runs?: number;
  seed?: number;
  horizon?: number;
  threads?: number;
  sensitivity?: "oat" | "morris"; // run the sensitivity analysis instead (result {sensitivity})
  trajectories?: number; // morris only
}

/** One parameter's effect on one output (sim::sensitivity_json): OAT medians or Morris mu*. */
export interface SensitivityBar {
  parameter: string; // key path, e.g. scenario.parameters.leakage
  low_value: number | null; // the parameter's P5
  high_value: number | null; // its P95
  median_low?: number | null;
  median_high?: number | null;
  mu_star?: number | null;
  sigma?: number | null;
  swing: number | null;
}

/** The bars of one output (region, material, metric), largest swing first. */
export interface Tornado {
  region: string;
  material: string;
  metric: string; // peak_shortfall_share | peak_price_multiple | cumulative_cost_usd
  unit: string;
  median_base: number | null;
  bars: SensitivityBar[];
}

/** What a finished sensitivity job holds: {sensitivity} (routes_simulate.cpp). */
export interface SensitivityResult {
  sensitivity: {
    method: "oat" | "morris";
    scenario: string;
    seed: number;
    runs?: number;
    trajectories?: number;
    model_runs: number;
    parameters: { path: string; low: number | null; high: number | null }[];
    tornados: Tornado[];
    notes: string[];
  };
}

// ---- look-through ----------------------------------------------------------------------------

/** One origin country of a material at one stage, with the measures in force touching it. */
export interface OriginShare {
  country: string; // ISO3 or ROW
  share: number;
  measures: string[];
}

/** The origin of a material at one upstream stage (exposure::StageOrigin). */
export interface StageOrigin {
  stage: string;
  basis: string; // observed | derived | mixed
  hhi: number;
  unattributed: number;
  kg_per_unit?: number;
  countries: OriginShare[];
}

/** One material of one product of the BOM, looked through (as `lodestone lookthrough --bom --format json`). */
export interface ProductMaterial {
  product: string;
  material: string;
  kg_per_unit: number;
  tonnes_per_year: number | null;
  lines: number;
  notes: string[];
  origins: StageOrigin[];
}

/** GET /lookthrough?material=&country=: where a country's (or bloc's) supply comes from at every
 * upstream stage of each stage it buys, with the measures in force touching each share. */
export interface CountryLookthrough {
  mode: "country";
  as_of: string;
  country: string;
  material: string;
  supplies: { stage: string; basis: string; import_reliance: number | null; notes: string[]; origins: StageOrigin[] }[];
  measures: { id: string; country: string; kind: string; title: string; destinations: string; effective: string; expires: string }[];
}

export interface LookthroughResult {
  mode: "bom";
  bom?: string;
  as_of: string;
  dataset_hash?: string;
  products: ProductMaterial[];
  measures?: Record<string, unknown>[];
}

// ---- decisions (stockpile, exposure, portfolio: the CLI's --format json, as job results) --------

/** POST /stockpile (report/decisions_view.cpp stockpile_views). */
export interface StockpileBody {
  holder: string;
  budget_usd: number;
  scenarios: string[];
  runs?: number;
  objective?: string; // "expected" | "cvar:0.95"
  materials?: string[];
}

export interface StockpileMaterial {
  material: string;
  stage: string;
  price_usd_t: number;
  price_source: string;
  holding_usd_t: number;
  cost_usd_t: number;
  value_of_lost_supply_usd_t: number;
  value_basis: string;
  start_stock_t: number;
  start_stock_source: string;
  release_weeks: number;
  expected_shortfall_t: number;
  tonnes?: number; // the rest only when the plan is optimal
  cost_usd?: number;
  expected_unmet_before_t?: number;
  expected_unmet_after_t?: number;
  coverage_before?: number;
  coverage_after?: number;
}

export interface StockpileResult {
  holder: string;
  status: string; // optimal | infeasible | empty | ...
  message: string;
  method: string;
  objective: string;
  alpha: number;
  budget_usd: number;
  runs: number;
  weeks: number;
  scenarios: string[];
  notes: string[];
  cancelled: boolean;
  materials: StockpileMaterial[];
  plan?: {
    cost_usd: number;
    objective_usd: number;
    expected_loss_before_usd: number;
    expected_loss_after_usd: number;
    cvar_before_usd: number;
    cvar_after_usd: number;
    coverage_before: number;
    coverage_after: number;
    budget_dual_usd_per_usd: number;
    iterations: number;
    lp_columns: number;
    lp_rows: number;
  };
}

/** POST /exposure. */
export interface ExposureBody {
  bom: string;
  filename?: string;
  products?: string;
  scenario: string;
  runs?: number;
  pass_through?: number;
  default_cover?: number;
}

/** P5/P50/P95 and mean over runs; null = never within the horizon (stock-out weeks). */
export interface Band {
  p5: number | null;
  p50: number | null;
  p95: number | null;
  mean: number | null;
}

export interface ExposureProduct {
  product: string;
  region: string;
  cover_weeks: number;
  cover_basis: string;
  units_per_year: number | null;
  unit_price_usd: number | null;
  p_stockout: number;
  stockout_week: Band;
  lost_weeks: Band;
  lost_units: Band | null;
  cost_before_usd: number;
  cost_after_usd: Band;
  cost_change_usd: Band;
  margin_change_pp: Band | null;
  driver: { material: string; country: string; basis: string };
  materials: {
    material: string;
    kg_per_unit: number;
    simulated: boolean;
    price_usd_t: number | null;
    cost_before_usd: number;
    cost_after_usd: Band;
    runs_out_first: number;
    top_origin: { country: string; stage: string; share: number; measures: string[] };
  }[];
  notes: string[];
}

export interface ExposureResult {
  bom: string;
  scenario: string;
  scenario_file: string;
  seed: number;
  runs: number;
  weeks: number;
  pass_through: number;
  cancelled: boolean;
  products: ExposureProduct[];
  notes: string[];
}

/** POST /portfolio. */
export interface PortfolioBody {
  holdings: string;
  filename?: string;
  scenarios: string[];
  runs?: number;
  pass_through?: number;
  cvar?: number;
}

export interface PortfolioHolding {
  holding: string;
  rank: number;
  weight: number;
  basis: string;
  region: string;
  cogs_share: number;
  cogs_basis: string;
  cost_shares_of_cogs: Record<string, number>;
  cost_impact_pct_cogs: number;
  ebit_margin_change_pp: number;
  ebit_margin_cvar_pp: number;
  driver: { material: string; share: number };
  scenarios: { scenario: string; cost_impact_pct_cogs: number; ebit_margin_change_pp: number; ebit_margin_change_pp_p5: number }[];
}

export interface PortfolioResult {
  scenarios: string[];
  pass_through: number;
  alpha: number;
  portfolio: { ebit_margin_change_pp: number; ebit_margin_cvar_pp: number };
  holdings: PortfolioHolding[];
  cancelled: boolean;
  notes: string[];
}

// ---- the index ------------------------------------------------------------------------------

/** GET /api/v1: what this server offers, so that pages never call an endpoint it lacks. */
export interface ApiIndex {
  auth: { reads_need_token: boolean; writes_enabled: boolean };
  dataset: { name: string; version: string; as_of: string; content_hash: string; source: string };
  endpoints: { method: string; path: string; access: "read" | "write"; summary: string }[];
}

// ---- transport --------------------------------------------------------------------------------

export const API_BASE = "/api/v1";

type Query = Record<string, string | number | undefined | null>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

async function request<T>(method: string, path: string, query?: Query, body?: BodyInit, type?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (type) headers["Content-Type"] = type;
  const token = sessionStorage.getItem("lodestone.token");
  if (token && method !== "GET") headers["Authorization"] = `Bearer ${token}`;
  const res = await fetch(url(path, query), { method, headers, body });
  const text = await res.text();
  let doc: unknown = null;
  try {
    doc = text ? JSON.parse(text) : null;
  } catch {
    doc = null;
  }
  if (!res.ok) {
    const e = (doc ?? {}) as { error?: string; diagnostics?: Diagnostic[] };
    throw new ApiError(res.status, e.error ?? `${res.status} ${res.statusText}`, e.diagnostics ?? [], path);
  }
  return doc as T;
}

const get = <T>(path: string, query?: Query) => request<T>("GET", path, query);

export const api = {
  index: () => get<ApiIndex>(""),
  dataset: () => get<DatasetDoc>("/dataset"),
  countries: () => get<Country[]>("/countries"),
  materials: () => get<Material[]>("/materials"),
  shares: (material: string, stage: string, year?: number) =>
    get<StageInfo & { material: string }>("/shares", { material, stage, year }),

  policies: (asOf?: string) => get<PolicyRow[]>("/policies", { as_of: asOf }),
  /** Measures binding on the date on one material and one destination (a country or a bloc). */
  policiesOn: (asOf: string, material: string, destination: string) =>
    get<PolicyRow[]>("/policies", { as_of: asOf, material, destination }),
  upcoming: (asOf?: string, withinDays = 180) =>
    get<ChangeRow[]>("/policies/upcoming", { as_of: asOf, within: `${withinDays}d` }),
  measures: (asOf?: string) => get<{ as_of: string; measures: Measure[] }>("/measures", { as_of: asOf }),

  assess: (perspective: string, asOf?: string, byStage = false) =>
    get<AssessDoc>("/assess", { perspective, as_of: asOf, by_stage: byStage ? "true" : undefined }),
  leverage: (target: string, asOf?: string, top = 10) => get<LeverageRow[]>("/leverage", { target, as_of: asOf, top }),

  scenarios: () => get<ScenarioInfo[]>("/scenarios"),
  scenario: (id: string) => get<ScenarioInfo & { toml: string }>(`/scenarios/${encodeURIComponent(id)}`),
  simulate: (body: SimulateBody) =>
    request<Job<SimulationResult>>("POST", "/simulate", undefined, JSON.stringify(body), "application/json"),
  sensitivity: (body: SimulateBody) =>
    request<Job<SensitivityResult>>("POST", "/simulate", undefined, JSON.stringify({ ...body, sensitivity: body.sensitivity ?? "oat" }), "application/json"),
  job: <R>(id: string) => get<Job<R>>(`/jobs/${encodeURIComponent(id)}`),
  cancelJob: <R>(id: string) => request<Job<R>>("DELETE", `/jobs/${encodeURIComponent(id)}`),

  /** Rows of the workspace views (the CLI's JSON): watch rules, alerts, the event feed. */
  watchRules: () => get<Record<string, unknown>[]>("/watch/rules"),
  alerts: (rule?: string) => get<Record<string, unknown>[]>("/watch/alerts", { rule }),
  events: (asOf?: string, origin = "all") => get<Record<string, unknown>[]>("/events", { as_of: asOf, origin }),

  lookthrough: (bomCsv: string, asOf?: string) =>
    request<LookthroughResult>("POST", "/lookthrough", { as_of: asOf }, bomCsv, "text/csv"),
  /** The same as a form, so that the server's diagnostics name the file (and its products file). */
  lookthroughFile: (bom: { name: string; text: string }, asOf?: string, products?: { name: string; text: string }) => {
    const form = new FormData();
    form.append("bom", new Blob([bom.text], { type: "text/csv" }), bom.name);
    if (products) form.append("products", new Blob([products.text], { type: "text/csv" }), products.name);
    return request<LookthroughResult>("POST", "/lookthrough", { as_of: asOf }, form);
  },
  lookthroughCountry: (material: string, country: string, asOf?: string) =>
    get<CountryLookthrough>("/lookthrough", { material, country, as_of: asOf }),

  stockpile: (body: StockpileBody) =>
    request<Job<StockpileResult>>("POST", "/stockpile", undefined, JSON.stringify(body), "application/json"),
  exposure: (body: ExposureBody) =>
    request<Job<ExposureResult>>("POST", "/exposure", undefined, JSON.stringify(body), "application/json"),
  portfolio: (body: PortfolioBody) =>
    request<Job<PortfolioResult>>("POST", "/portfolio", undefined, JSON.stringify(body), "application/json"),
};
