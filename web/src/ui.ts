// Small DOM helpers shared by the pages: elements, tables, messages, number formats.
import { ApiError } from "./api";

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

export interface ColumnSpec<T> {
  title: string;
  value: (row: T) => string | number | null | undefined | Node;
  num?: boolean;
  date?: boolean;
}

export function table<T>(rows: T[], columns: ColumnSpec<T>[], rowAttrs?: (row: T) => Record<string, string>): HTMLTableElement {
  const head = el("tr", {}, ...columns.map((c) => el("th", {}, c.title)));
  const body = rows.map((r) =>
    el(
      "tr",
      rowAttrs ? rowAttrs(r) : {},
      ...columns.map((c) => {
        const v = c.value(r);
        const cls = c.num ? "num" : c.date ? "date" : "";
        return el("td", cls ? { class: cls } : {}, v instanceof Node ? v : v === null || v === undefined ? "" : String(v));
      }),
    ),
  );
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "" : `${(x * 100).toFixed(digits)} %`;

export const num = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? "" : x.toFixed(digits);

export const tonnes = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "" : `${Math.round(x).toLocaleString("en-US")} t`;

/** A plain "not in this build" box for a capability the server does not offer. */
export function unavailable(what: string, detail: string): HTMLElement {
  return el("div", { class: "unavailable", "data-unavailable": what }, el("b", {}, "Not available. "), detail);
}

/** The server's error with every diagnostic, as the CLI would print them. */
export function errorBox(e: unknown): HTMLElement {
  if (e instanceof ApiError) {
    const lines = e.diagnostics.length
      ? e.diagnostics.map((d) => `${d.file ? `${d.file}:${d.line}:${d.column}: ` : d.field ? `${d.field}: ` : ""}${d.message} (${d.code})`)
      : [e.message];
    return el("div", { class: "error", role: "alert" }, `${e.status}: ${lines.join("\n")}`);
  }
  return el("div", { class: "error", role: "alert" }, String(e instanceof Error ? e.message : e));
}

export function pill(text: string, color: string): HTMLElement {
  const p = el("span", { class: "pill" }, text);
  p.style.background = color;
  return p;
}

export function kpi(value: string | number, label: string): HTMLElement {
  return el("div", { class: "kpi" }, el("b", {}, String(value)), el("span", {}, label));
}
