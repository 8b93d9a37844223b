// The dashboard shell: hash routes to pages, the global as-of date and perspective, and the
// window.lodestone hook (page name, ready flag, charts) for the end-to-end tests.
import "./style.css";
import { API_BASE, api, type ApiIndex, type Country, type DatasetDoc } from "./api";
import { disposeCharts } from "./charts";
import { el, errorBox, hashParams, setHashParams } from "./ui";
import { renderMap } from "./pages/map";
import { renderCriticality } from "./pages/criticality";
import { renderPolicies } from "./pages/policies";
import { renderScenario } from "./pages/scenario";
import { renderBom } from "./pages/bom";
import { renderAlerts } from "./pages/alerts";
import { renderDecisions } from "./pages/decisions";

export interface AppContext {
  index: ApiIndex;
  /** True if the server has this endpoint, e.g. has("GET", "/assess"). */
  has: (method: string, path: string) => boolean;
  dataset: DatasetDoc;
  countries: Country[];
  countryName: (iso3: string) => string;
  asOf: () => string;
  perspective: () => string;
}

type Page = (root: HTMLElement, ctx: AppContext) => Promise<void>;
const pages: Record<string, Page> = {
  map: renderMap,
  criticality: renderCriticality,
  policies: renderPolicies,
  scenario: renderScenario,
  bom: renderBom,
  alerts: renderAlerts,
  decisions: renderDecisions,
};

const root = document.getElementById("page") as HTMLElement;
const asOfInput = document.getElementById("as-of") as HTMLInputElement;
const perspectiveSelect = document.getElementById("perspective") as HTMLSelectElement;
let generation = 0;

async function boot(): Promise<AppContext> {
  const [index, dataset, countries] = await Promise.all([api.index(), api.dataset(), api.countries()]);
  const endpoints = new Set(index.endpoints.map((e) => `${e.method} ${e.path}`));
  const names = new Map(countries.map((c) => [c.iso3, c.name]));
  names.set("ROW", "Other countries");
  // The date defaults to today, as in the CLI; the URL's as_of (a reload, a shared link) wins.
  const today = new Date();
  const local = new Date(today.getTime() - today.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  asOfInput.value = hashParams().get("as_of") ?? local;
  const blocs = [...new Set(countries.flatMap((c) => c.blocs))].sort();
  const options = [
    ...blocs.map((b) => ({ value: b, label: `${b} (bloc)` })),
    ...countries.map((c) => ({ value: c.iso3, label: `${c.iso3} ${c.name}` })).sort((a, b) => a.value.localeCompare(b.value)),
  ];
  for (const o of options) perspectiveSelect.append(el("option", { value: o.value }, o.label));
  const wanted = hashParams().get("perspective");
  perspectiveSelect.value = wanted && options.some((o) => o.value === wanted) ? wanted
    : options.some((o) => o.value === "USA") ? "USA" : options[0]?.value ?? "";
  const age = Math.round((Date.parse(asOfInput.value) - Date.parse(dataset.dataset.as_of)) / 86400000);
  showDataAge(age, dataset.dataset.as_of);
  asOfInput.addEventListener("change", () =>
    showDataAge(Math.round((Date.parse(asOfInput.value) - Date.parse(dataset.dataset.as_of)) / 86400000), dataset.dataset.as_of));
  document.getElementById("foot")!.textContent =
    `Dataset ${dataset.dataset.name} ${dataset.dataset.version} (as of ${dataset.dataset.as_of}), ` +
    `content hash ${dataset.dataset.content_hash}. Served by lodestone serve.`;
  return {
    index,
    has: (method, p) => endpoints.has(`${method} ${API_BASE}${p}`),
    dataset,
    countries,
    countryName: (iso3) => names.get(iso3) ?? iso3,
    asOf: () => asOfInput.value || dataset.dataset.as_of,
    perspective: () => perspectiveSelect.value || "USA",
  };
}

/** How old the data are on the date asked, next to the date (as the CLI's note). */
function showDataAge(days: number, datasetAsOf: string): void {
  const note = document.getElementById("data-age")!;
  note.textContent = Number.isFinite(days) && days > 0 ? `data as of ${datasetAsOf} (${days} days earlier)` : "";
  note.hidden = !note.textContent;
}

function currentPage(): string {
  const name = location.hash.replace(/^#\/?/, "").split("?")[0];
  return name in pages ? name : "map";
}

/** The brief of the current date and perspective, as the one-file HTML the CLI writes. */
function updateBriefLink(ctx: AppContext): void {
  const link = document.getElementById("brief-link") as HTMLAnchorElement;
  link.hidden = !ctx.has("GET", "/brief.html");
  const q = new URLSearchParams({ as_of: ctx.asOf(), perspective: ctx.perspective() });
  link.href = `${API_BASE}/brief.html?${q}`;
}

async function show(ctx: AppContext): Promise<void> {
  const my = ++generation;
  updateBriefLink(ctx);
  const name = currentPage();
  disposeCharts();
  window.lodestone.page = name;
  window.lodestone.ready = false;
  document.body.dataset.page = name;
  for (const a of document.querySelectorAll<HTMLAnchorElement>("#nav a")) {
    a.classList.toggle("active", a.dataset.page === name);
  }
  setHashParams({ as_of: ctx.asOf(), perspective: ctx.perspective() });
  const loading = el("div", { class: "loading", role: "status", id: "loading" }, "Loading…");
  root.replaceChildren(loading);
  try {
    await pages[name](root, ctx);
  } catch (e) {
    root.append(errorBox(e));
  }
  loading.remove();
  if (my === generation) {
    window.lodestone.ready = true;
    document.body.dataset.ready = name;
  }
}

boot()
  .then((ctx) => {
    window.addEventListener("hashchange", () => void show(ctx));
    asOfInput.addEventListener("change", () => void show(ctx));
    perspectiveSelect.addEventListener("change", () => void show(ctx));
    return show(ctx);
  })
  .catch((e) => {
    root.replaceChildren(el("h1", {}, "Lodestone"), errorBox(e));
    window.lodestone.ready = true;
    document.body.dataset.ready = "error";
  });
