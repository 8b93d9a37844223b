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
  const t = el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
  // Every table can be saved as CSV: a small button in its caption.
  const button = el("button", { type: "button", class: "csv-export", title: "Download this table as CSV" }, "CSV");
  button.addEventListener("click", () => download(`${document.body.dataset.page || "lodestone"}-table.csv`, tableCsv(t)));
  t.prepend(el("caption", { class: "table-tools" }, button));
  return t;
}

/** The hash's query (`#/page?as_of=...&perspective=...&material=...`): the dashboard's state, so a
 * reload or a shared link shows the same view. */
export function hashParams(): URLSearchParams {
  return new URLSearchParams(location.hash.split("?")[1] ?? "");
}

/** Sets (or, with "", removes) state keys in the hash without reloading the page. */
export function setHashParams(values: Record<string, string>): void {
  const [page] = location.hash.replace(/^#\/?/, "").split("?");
  const q = hashParams();
  for (const [k, v] of Object.entries(values)) {
    if (v) q.set(k, v);
    else q.delete(k);
  }
  const text = q.toString();
  history.replaceState(null, "", `#/${page || "map"}${text ? `?${text}` : ""}`);
}

/** A table's rows as CSV (RFC 4180): the text shown in each cell. */
export function tableCsv(t: HTMLTableElement): string {
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [...t.querySelectorAll("tr")]
    .map((tr) => [...tr.querySelectorAll("th,td")].map((c) => quote((c.textContent ?? "").trim())).join(","))
    .join("\n") + "\n";
}

/** Saves text as a file through a temporary link (no server round trip). */
export function download(name: string, text: string, type = "text/csv"): void {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
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
