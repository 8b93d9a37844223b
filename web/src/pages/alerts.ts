// Alerts: the workspace's watch rules, the alerts they raised (newest first) and the event feed
// (dataset measures and the workspace's events on the date). Read-only: rules are added and run
// with `lodestone watch add|run` or the write endpoints, which need the token.
import { api, ApiError } from "../api";
import type { AppContext } from "../main";
import { el, errorBox, table, unavailable } from "../ui";

/** A table of JSON rows, with the columns in the order of the first row's keys. */
function rowsTable(rows: Record<string, unknown>[], id: string): HTMLElement {
  if (!rows.length) return el("p", { class: "lead", id: `${id}-empty` }, "None.");
  const keys = Object.keys(rows[0]);
  const text = (v: unknown) => (v === null || v === undefined ? "" : Array.isArray(v) ? v.join("; ") : typeof v === "object" ? JSON.stringify(v) : String(v));
  const t = table(rows, keys.map((k) => ({ title: k.replace(/_/g, " "), value: (r: Record<string, unknown>) => text(r[k]), num: typeof rows[0][k] === "number" })));
  t.id = id;
  return t;
}

async function section(root: HTMLElement, title: string, id: string, load: () => Promise<Record<string, unknown>[]>): Promise<void> {
  const box = el("section", { class: "panel", id: `${id}-section` }, el("h2", {}, title));
  root.append(box);
  try {
    const rows = await load();
    box.dataset.count = String(rows.length);
    box.append(rowsTable(rows, id));
  } catch (e) {
    box.append(e instanceof ApiError && e.status === 404 ? unavailable(id, "this server has no such endpoint") : errorBox(e));
  }
}

export async function renderAlerts(root: HTMLElement, ctx: AppContext): Promise<void> {
  root.append(
    el("h1", {}, "Alerts"),
    el("p", { class: "lead" },
      "Watch rules of the workspace, the alerts they raised and the event feed on the date. Add rules with ",
      el("code", {}, "lodestone watch add"), " and evaluate them with ", el("code", {}, "lodestone watch run"), "."),
  );
  if (!ctx.has("GET", "/watch/rules")) {
    root.append(unavailable("alerts", "this server offers no watch rules (started with --no-workspace?)"));
    return;
  }
  await Promise.all([
    section(root, "Watch rules", "watch-rules", () => api.watchRules()),
    section(root, "Alerts (newest first)", "alerts", () => api.alerts()),
    section(root, `Event feed on ${ctx.asOf()}`, "events", () => api.events(ctx.asOf())),
  ]);
}
