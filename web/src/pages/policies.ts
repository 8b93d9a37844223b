// The policy timeline: every measure with materials as a bar from effective to expiry (hatched
// while suspended), the as-of line, what binds on the date and what changes soon.
import { api, type Measure } from "../api";
import { chart, echarts, html, kindColor } from "../charts";
import type { AppContext } from "../main";
import { touches } from "../perspective";
import { el, kpi, pill, table } from "../ui";

const DAY = 86_400_000;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

export async function renderPolicies(root: HTMLElement, ctx: AppContext): Promise<void> {
  const asOf = ctx.asOf();
  const withinSel = el("select", { id: "within", "aria-label": "horizon" });
  for (const d of [30, 90, 180, 365]) withinSel.append(el("option", { value: String(d) }, `${d} days`));
  withinSel.value = "180";
  const body = el("div");
  root.append(
    el("h1", {}, "Policy timeline"),
    el("p", { class: "lead" }, `Export controls, suspensions and stockpile actions as of ${asOf}; the expiry date is the last day in force.`),
    el("div", { class: "controls" }, el("label", {}, "Upcoming within ", withinSel)),
    body,
  );

  const draw = async () => {
    const within = Number(withinSel.value);
    const [measures, inForce, upcoming] = await Promise.all([api.measures(asOf), api.policies(asOf), api.upcoming(asOf, within)]);
    const perspective = ctx.perspective();
    const rows = measures.measures
      .filter((m) => m.kind !== "suspension" && m.effective && m.materials.length > 0)
      .sort((a, b) => (a.effective! < b.effective! ? -1 : a.effective! > b.effective! ? 1 : a.id.localeCompare(b.id)));
    const byId = new Map(measures.measures.map((m) => [m.id, m]));
    const from = ms(asOf) - 3 * 365 * DAY;
    const to = ms(asOf) + Math.max(within, 90) * DAY;
    const visible = rows.filter((m) => ms(m.effective!) <= to && (!m.expires || ms(m.expires) + DAY >= from));
    const bars = visible.map((m, i) => ({
      name: m.id,
      value: [i, Math.max(ms(m.effective!), from), m.expires ? ms(m.expires) + DAY : to, m.id],
      itemStyle: { color: kindColor(m.kind) },
      measure: m,
    }));
    const gaps: { name: string; value: [number, number, number, string] }[] = [];
    visible.forEach((m, i) => {
      for (const s of measures.measures) {
        if (s.kind !== "suspension" || !s.effective || !s.suspends.includes(m.id)) continue;
        const a = Math.max(ms(s.effective), ms(m.effective!));
        const b = Math.min(s.expires ? ms(s.expires) + DAY : to, m.expires ? ms(m.expires) + DAY : to);
        if (a < b) gaps.push({ name: `${m.id} suspended by ${s.id}`, value: [i, a, b, s.id] });
      }
    });
    type Api = { value: (i: number) => number; coord: (v: number[]) => number[]; size: (v: number[]) => number[]; style: () => object };
    type Params = { coordSys: { x: number; y: number; width: number; height: number } };
    const renderItem = (hatched: boolean) => (params: Params, a: Api) => {
      const y = a.value(0);
      const p0 = a.coord([a.value(1), y]);
      const p1 = a.coord([a.value(2), y]);
      const h = a.size([0, 1])[1] * 0.62;
      const shape = echarts.graphic.clipRectByRect(
        { x: p0[0], y: p0[1] - h / 2, width: Math.max(2, p1[0] - p0[0]), height: h },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height },
      );
      if (!shape) return null;
      return hatched
        ? { type: "rect", shape, style: { fill: "rgba(255,255,255,0.72)", stroke: "#888", lineDash: [3, 2] } }
        : { type: "rect", shape, style: a.style() };
    };
    const timelineBox = el("div", { class: "chart tall", id: "timeline-chart" });
    timelineBox.style.height = `${Math.max(320, 60 + visible.length * 20)}px`;

    const touching = (id: string) => {
      const m = byId.get(id);
      return !!m && touches(m, perspective, ctx.countries);
    };
    body.replaceChildren(
      el("div", { class: "kpis" },
        kpi(inForce.length, `measures in force on ${asOf}`),
        kpi(measures.measures.filter((m) => m.state === "suspended").length, "suspended"),
        kpi(upcoming.length, `changes within ${within} days`),
      ),
      el("div", { class: "card" }, el("h2", {}, "Timeline"), timelineBox,
        el("p", { class: "muted" }, "Hatched: suspended. Bars reaching the right edge are open-ended. Dashed red line: the as-of date.")),
      el("div", { class: "row" },
        el("div", { class: "card", id: "upcoming" }, el("h2", {}, `What changes within ${within} days`),
          upcoming.length
            ? table(upcoming, [
                { title: "date", value: (c) => c.date, date: true },
                { title: "in", value: (c) => (c.in_days === undefined ? "" : `${c.in_days} d`), num: true },
                { title: "change", value: (c) => el("b", {}, c.change) },
                { title: "measure", value: (c) => c.id },
                { title: "kind", value: (c) => pill(c.kind, kindColor(c.kind)) },
                { title: "materials", value: (c) => c.materials.split(";").join(", ") },
                { title: "cause", value: (c) => c.cause },
              ], (c) => ({ "data-measure": c.id, title: c.title }))
            : el("p", { class: "muted" }, "No measure starts, ends, is suspended or resumes in this window."),
        ),
        el("div", { class: "card", id: "in-force" }, el("h2", {}, `In force on ${asOf}`),
          table(inForce, [
            { title: "id", value: (m) => (touching(m.id) ? el("b", {}, m.id) : m.id) },
            { title: "country", value: (m) => m.country },
            { title: "kind", value: (m) => pill(m.kind, kindColor(m.kind)) },
            { title: "materials", value: (m) => m.materials.split(";").join(", ") },
            { title: "destinations", value: (m) => m.destinations },
            { title: "since", value: (m) => m.effective, date: true },
            { title: "until", value: (m) => m.expires ?? "open-ended", date: true },
          ], (m) => ({ "data-measure": m.id, title: m.title })),
        ),
      ),
    );

    chart("timeline", timelineBox, {
      grid: { left: 130, right: 24, top: 30, bottom: 30 },
      tooltip: {
        trigger: "item",
        formatter: (p: { data: { name: string; value: number[]; measure?: Measure } }) => {
          const m = p.data.measure;
          if (!m) return p.data.name;
          const by = m.suspended_by.length ? ` (by ${m.suspended_by.join(", ")})` : "";
          return html`<b>${m.id}</b> ${m.kind}<br/>${m.title}<br/>${m.country} → ${m.destinations}; ${m.materials.join(", ")}<br/>${m.effective} to ${m.expires ?? "open-ended"}; ${m.state}${by}`;
        },
      },
      xAxis: { type: "time", min: from, max: to, position: "top", splitLine: { show: true, lineStyle: { color: "#eef0f2" } } },
      yAxis: {
        type: "category",
        inverse: true,
        data: visible.map((m) => m.id),
        axisLabel: {
          fontSize: 10,
          formatter: (id: string) => (touching(id) ? `{b|${id}}` : id),
          rich: { b: { fontWeight: "bold", fontSize: 10 } },
        },
      },
      series: [
        {
          name: "measures",
          type: "custom",
          renderItem: renderItem(false),
          encode: { x: [1, 2], y: 0 },
          data: bars,
          markLine: {
            symbol: "none",
            silent: true,
            lineStyle: { color: "#d62728", type: "dashed", width: 1.5 },
            label: { formatter: `as of ${asOf}`, color: "#d62728", position: "end" },
            data: [{ xAxis: ms(asOf) }],
          },
        },
        { name: "suspended", type: "custom", renderItem: renderItem(true), encode: { x: [1, 2], y: 0 }, data: gaps },
      ],
    });
  };

  withinSel.addEventListener("change", () => void draw());
  await draw();
}
