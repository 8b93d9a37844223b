// ECharts with only the pieces the dashboard uses, and the hook the end-to-end tests read:
// window.lodestone.charts[name] is the live chart, so tests assert on its option (rendered data).
import * as echarts from "echarts/core";
import { BarChart, CustomChart, HeatmapChart, LineChart, MapChart, SankeyChart, ScatterChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart, CustomChart, HeatmapChart, LineChart, MapChart, SankeyChart, ScatterChart,
  DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, ToolboxComponent, TooltipComponent,
  VisualMapComponent, CanvasRenderer,
]);

export { echarts };
export type Chart = echarts.ECharts;

export interface LodestoneHook {
  page: string;
  ready: boolean;
  charts: Record<string, Chart>;
}

declare global {
  interface Window {
    lodestone: LodestoneHook;
  }
}

window.lodestone = { page: "", ready: false, charts: {} };

const live = new Set<Chart>();

// ---- tooltips: text unless built with html`...` --------------------------------------------------
// ECharts renders the string a tooltip formatter returns as HTML, and tooltips show names from the
// dataset, a workspace's events and uploaded BOMs. So chart() wraps every tooltip formatter: what it
// returns is escaped as text, unless it was built with the html`...` tag below, whose literal parts
// are markup and whose every ${value} is escaped. Forgetting the tag shows "<br/>" as text; it cannot
// let a name become markup. (ECharts' default tooltips escape names themselves.)

/** Markup made by html`...`; only values in `madeByTag` are trusted. */
export interface TooltipHtml {
  readonly markup: string;
}
const madeByTag = new WeakSet<TooltipHtml>();
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML text or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]);
}

/** Tooltip markup: the template's literal parts as written, every interpolated value escaped
 * (html`...` values are inserted as they are). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): TooltipHtml {
  let markup = strings[0];
  values.forEach((v, i) => {
    const isTag = typeof v === "object" && v !== null && madeByTag.has(v as TooltipHtml);
    markup += (isTag ? (v as TooltipHtml).markup : escapeHtml(String(v ?? ""))) + strings[i + 1];
  });
  const made: TooltipHtml = { markup };
  madeByTag.add(made);
  return made;
}

type Formatter = ((...args: unknown[]) => unknown) & { escapesText?: true };

/** The formatter, returning escaped text unless its result was made by html`...`. */
function textUnlessTagged(f: Formatter): Formatter {
  if (f.escapesText) return f;
  const wrapped: Formatter = (...args: unknown[]) => {
    const r = f(...args);
    if (typeof r === "object" && r !== null && madeByTag.has(r as TooltipHtml)) return (r as TooltipHtml).markup;
    return escapeHtml(String(r ?? ""));
  };
  wrapped.escapesText = true;
  return wrapped;
}

/** Wraps every tooltip.formatter function in a chart option (top level, series, data items). */
function safeTooltips(node: unknown, key = ""): void {
  if (Array.isArray(node)) {
    for (const item of node) safeTooltips(item, key);
    return;
  }
  if (typeof node !== "object" || node === null || Object.getPrototypeOf(node) !== Object.prototype) return;
  const o = node as Record<string, unknown>;
  if (key === "tooltip" && typeof o.formatter === "function") o.formatter = textUnlessTagged(o.formatter as Formatter);
  for (const [k, v] of Object.entries(o)) if (typeof v === "object") safeTooltips(v, k);
}

/** Creates (or replaces) the chart `name` in `el`, sets its option and registers it for tests.
 * Tooltip formatters return text, or markup built with html`...` (see above). */
export function chart(name: string, el: HTMLElement, option: echarts.EChartsCoreOption): Chart {
  safeTooltips(option);
  const old = window.lodestone.charts[name];
  if (old && !old.isDisposed()) {
    old.dispose();
    live.delete(old);
  }
  el.dataset.chart = name;
  const c = echarts.init(el, undefined, { renderer: "canvas" });
  // Every chart can be saved as a PNG (ECharts' toolbox) unless the page sets its own toolbox.
  c.setOption({ toolbox: { right: 8, top: 2, feature: { saveAsImage: { title: "PNG", name: `lodestone-${name}`, pixelRatio: 2 } } }, ...option });
  window.lodestone.charts[name] = c;
  live.add(c);
  return c;
}

/** Disposes every chart (when the page changes). */
export function disposeCharts(): void {
  for (const c of live) if (!c.isDisposed()) c.dispose();
  live.clear();
  window.lodestone.charts = {};
}

window.addEventListener("resize", () => {
  for (const c of live) if (!c.isDisposed()) c.resize();
});

/** Colours of measure kinds, shared by the timeline and the tables. */
export function kindColor(kind: string): string {
  switch (kind) {
    case "export_ban": return "#c0392b";
    case "export_licensing": return "#e67e22";
    case "export_quota":
    case "export_tax": return "#d4ac0d";
    case "stockpile_purchase":
    case "stockpile_release": return "#2874a6";
    case "capacity_change": return "#27ae60";
    case "tariff": return "#8e44ad";
    default: return "#7f8c8d";
  }
}

const fixed: Record<string, string> = {
  CHN: "#c0392b", USA: "#2f6f9f", AUS: "#e6a117", COD: "#6c3483", IDN: "#1e8449", CHL: "#d35400",
  RUS: "#7f8c8d", ZAF: "#16a085", JPN: "#ad1457", BRA: "#558b2f", ARG: "#0097a7", MMR: "#8d6e63",
  ROW: "#b0b7bf", KOR: "#3949ab", CAN: "#ef6c00", VNM: "#9e9d24", PHL: "#00897b", GAB: "#5d4037",
  MOZ: "#f06292", MDG: "#7cb342",
};
const palette = ["#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6", "#d37295"];

/** A stable colour per country code (the same as the HTML brief's). */
export function countryColor(iso3: string): string {
  if (fixed[iso3]) return fixed[iso3];
  let h = 0;
  for (const ch of iso3) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length];
}
