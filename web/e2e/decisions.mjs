// End-to-end checks of the Decisions page (called by run.mjs with its page, server and helpers):
// a small stockpile solve and a BOM exposure run through the real server, each compared with the
// API's JSON for the same request sent straight to the API (the runs are seeded, so the two jobs
// must agree), the tables' visible numbers with that JSON, the charts with it, the URL state over
// a reload, the CSV export, a portfolio ranking, and an uploaded BOM the server refuses (the
// message names the file and shows every diagnostic with file:line:column).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const TERMINAL = ["succeeded", "failed", "cancelled", "refused", "error", "invalid"];

/** The number a cell shows ("1,234.5 t", "85.0 %", "never" -> null). */
export function shownNumber(text) {
  const t = (text ?? "").trim();
  if (t === "" || t === "never" || t === "–") return null;
  const v = Number(t.replace(/,/g, "").replace(/\s*(%|USD|t|pp)$/, ""));
  return t.endsWith("%") ? v / 100 : v;
}

/** True when `shown` is `value` rounded to `digits` decimals (as the page formats it). */
export function sameAtPrecision(shown, value, digits) {
  if (value === null || value === undefined) return shown === null;
  if (shown === null || !Number.isFinite(shown)) return false;
  return Math.abs(shown - value) <= 0.5 * 10 ** -digits + 1e-9 * Math.abs(value);
}

export async function checkDecisions({ page, base, token, source, out, check, option, open, shot, consoleErrors, noErrors }) {
  const post = async (p, body) => {
    const res = await fetch(`${base}/api/v1${p}`, { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const waitJob = async (id) => {
    for (let i = 0; i < 1200; i++) {
      const res = await fetch(`${base}/api/v1/jobs/${id}`);
      const job = await res.json();
      if (!["queued", "running"].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 250));
    }
    return { state: "timeout" };
  };
  const getJob = async (id) => (id ? (await fetch(`${base}/api/v1/jobs/${id}`)).json() : null);
  const finished = (prefix) => page.waitForFunction(([p, states]) => states.includes(document.querySelector(`#${p}-status`)?.dataset.state ?? ""), [prefix, TERMINAL], { timeout: 300_000 });
  const stateOf = (prefix) => page.$eval(`#${prefix}-status`, (e) => `${e.dataset.state}: ${e.textContent}`);
  const cells = (selector) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => ({ data: { ...tr.dataset }, text: [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "") })));
  const headers = (selector) => page.$$eval(`${selector} thead th`, (ths) => ths.map((th) => th.textContent ?? ""));

  const index = (await (await fetch(`${base}/api/v1`)).json()).endpoints;
  if (!index.some((e) => e.method === "POST" && e.path === "/api/v1/stockpile")) {
    await open("decisions");
    check("decisions: says plainly that the decision endpoints are not on this server", (await page.$("[data-unavailable]")) !== null);
    return;
  }
  await open("decisions");
  await page.evaluate((t) => sessionStorage.setItem("lodestone.token", t), token);
  check("decisions: the page loads with its three sections",
    (await page.$("#decisions-stockpile")) !== null && (await page.$("#decisions-exposure")) !== null && (await page.$("#decisions-portfolio")) !== null);

  // -- stockpile: a small solve, the same request straight to the API ---------------------------
  const spScenario = "cn_gagesb_us_ban_lapse";
  const spBody = { holder: "USA", budget_usd: 200000000, scenarios: [spScenario], runs: 20, objective: "expected" };
  await page.selectOption("#sp-holder", spBody.holder);
  await page.fill("#sp-budget", String(spBody.budget_usd));
  await page.selectOption("#sp-objective", spBody.objective);
  await page.fill("#sp-runs", String(spBody.runs));
  for (const box of await page.$$("#sp-scenarios input[type=checkbox]")) {
    const want = (await box.getAttribute("value")) === spScenario;
    if ((await box.isChecked()) !== want) await box.click();
  }
  await page.click("#sp-run");
  await finished("sp");
  check(`decisions: the stockpile of USA under ${spScenario} (${spBody.runs} runs) is solved`, (await stateOf("sp")).startsWith("succeeded"), await stateOf("sp"));
  const spJob = await getJob(await page.$eval("#sp-result", (e) => e.dataset.job ?? ""));
  const direct = await post("/stockpile", spBody);
  const directJob = direct.status === 202 ? await waitJob(direct.body.id) : { state: `HTTP ${direct.status}` };
  const sp = directJob.result;
  check("decisions: the page's stockpile job is the API's answer to the same request",
    spJob?.state === "succeeded" && directJob.state === "succeeded" && JSON.stringify(spJob.result.plan) === JSON.stringify(sp.plan) &&
      JSON.stringify(spJob.result.materials) === JSON.stringify(sp.materials) && spJob.params?.holder === "USA",
    `page ${spJob?.state}, API ${directJob.state}`);
  if (sp?.plan) {
    const rows = await cells("#sp-table");
    const cols = await headers("#sp-table");
    const col = (title) => cols.indexOf(title);
    const tonnesCol = col("tonnes to hold (t)"), costCol = col("cost (USD)"), beforeCol = col("expected unmet before (t)"), afterCol = col("expected unmet after (t)");
    const covBefore = col("coverage before"), covAfter = col("coverage after");
    const bad = [];
    for (const m of sp.materials) {
      const r = rows.find((x) => x.data.material === m.material);
      if (!r) { bad.push(`${m.material}: no row`); continue; }
      const same = [
        ["tonnes", sameAtPrecision(shownNumber(r.text[tonnesCol]), m.tonnes, 1) && Number(r.data.tonnes) === m.tonnes],
        ["cost", sameAtPrecision(shownNumber(r.text[costCol]), m.cost_usd, 0) && Number(r.data.cost) === m.cost_usd],
        ["unmet before", sameAtPrecision(shownNumber(r.text[beforeCol]), m.expected_unmet_before_t, 1)],
        ["unmet after", sameAtPrecision(shownNumber(r.text[afterCol]), m.expected_unmet_after_t, 1)],
        ["coverage before", sameAtPrecision(shownNumber(r.text[covBefore]), m.coverage_before, 3)],
        ["coverage after", sameAtPrecision(shownNumber(r.text[covAfter]), m.coverage_after, 3)],
      ].filter(([, ok]) => !ok).map(([k]) => k);
      if (same.length) bad.push(`${m.material}: ${same.join(", ")} differ (${r.text.join(" | ")})`);
    }
    check("decisions: the stockpile table shows the API's tonnes, cost, unmet demand and coverage per material",
      rows.length === sp.materials.length && rows.length > 0 && bad.length === 0, bad.join("; ") || `${rows.length} materials`);
    const plan = Object.fromEntries((await cells("#sp-plan")).map((r) => [r.data.item, r]));
    const planOk = [
      ["cost", sp.plan.cost_usd, 0], ["coverage_before", sp.plan.coverage_before, 3], ["coverage_after", sp.plan.coverage_after, 3],
      ["expected_loss_before", sp.plan.expected_loss_before_usd, 0], ["expected_loss_after", sp.plan.expected_loss_after_usd, 0],
      ["budget_dual", sp.plan.budget_dual_usd_per_usd, 3],
    ].filter(([k, v, d]) => !(plan[k] && sameAtPrecision(shownNumber(plan[k].text[1]), v, d) && Number(plan[k].data.value) === v)).map(([k]) => k);
    check("decisions: the plan table shows the API's cost, coverage, expected loss and marginal value of a dollar", planOk.length === 0,
      planOk.length ? `differ: ${planOk.join(", ")}` : `marginal value ${sp.plan.budget_dual_usd_per_usd}`);
    const opt = await option("stockpile");
    const held = (opt?.series ?? []).find((s) => s.name === "tonnes to hold")?.data ?? [];
    check("decisions: the stockpile chart draws the API's tonnes, with a legend",
      JSON.stringify(held) === JSON.stringify(sp.materials.map((m) => m.tonnes)) && (opt?.legend?.[0]?.data ?? []).length === 3 && Boolean(opt?.toolbox?.[0]?.feature?.saveAsImage),
      `${held.length} bars`);
    // Every table downloads as CSV.
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.click("#sp-table caption .csv-export")]);
    const csv = await new Promise((resolve, reject) => {
      download.createReadStream().then((s) => { let t = ""; s.on("data", (c) => (t += c)); s.on("end", () => resolve(t)); s.on("error", reject); }, reject);
    });
    check("decisions: the stockpile table downloads as CSV with its rows", csv.trim().split("\n").length === rows.length + 1, `${csv.trim().split("\n").length} lines`);
  }
  await page.waitForTimeout(400);
  await shot("decisions-stockpile");

  // -- the view lives in the URL -----------------------------------------------------------------
  const hash = await page.evaluate(() => location.hash);
  check("decisions: the URL holds the stockpile parameters", hash.startsWith("#/decisions") && hash.includes("sp_holder=USA") && hash.includes("sp_budget=200000000") &&
    hash.includes(`sp_scenarios=${spScenario}`) && hash.includes("sp_runs=20"), hash);

  // -- exposure: an example BOM, the same request straight to the API ----------------------------
  const example = "ev_traction_motor.csv";
  const exBody = { bom: readFileSync(path.join(source, "data/examples", example), "utf8"), filename: example, scenario: "cn_magnet_ban_us_eu", runs: 20, pass_through: 0.3 };
  await page.selectOption("#ex-example", example);
  await page.selectOption("#ex-scenario", exBody.scenario);
  await page.fill("#ex-pass", String(exBody.pass_through));
  await page.fill("#ex-runs", String(exBody.runs));
  await page.click("#ex-run");
  await finished("ex");
  check(`decisions: the exposure of ${example} to ${exBody.scenario} runs`, (await stateOf("ex")).startsWith("succeeded"), await stateOf("ex"));
  const exJob = await getJob(await page.$eval("#ex-result", (e) => e.dataset.job ?? ""));
  const exDirect = await post("/exposure", exBody);
  const exDirectJob = exDirect.status === 202 ? await waitJob(exDirect.body.id) : { state: `HTTP ${exDirect.status}` };
  const ex = exDirectJob.result;
  check("decisions: the page's exposure job is the API's answer to the same request",
    exJob?.state === "succeeded" && exDirectJob.state === "succeeded" && JSON.stringify(exJob.result.products) === JSON.stringify(ex.products),
    `page ${exJob?.state}, API ${exDirectJob.state}`);
  if (ex?.products) {
    const rows = await cells("#ex-table");
    const cols = await headers("#ex-table");
    const col = (title) => cols.indexOf(title);
    const bad = [];
    for (const p of ex.products) {
      const r = rows.find((x) => x.data.product === p.product);
      if (!r) { bad.push(`${p.product}: no row`); continue; }
      const differs = [
        ["stock-out P5", sameAtPrecision(shownNumber(r.text[col("stock-out week P5")]), p.stockout_week.p5, 0)],
        ["stock-out P50", sameAtPrecision(shownNumber(r.text[col("stock-out week P50")]), p.stockout_week.p50, 0)],
        ["stock-out P95", sameAtPrecision(shownNumber(r.text[col("stock-out week P95")]), p.stockout_week.p95, 0)],
        ["P(stock-out)", sameAtPrecision(shownNumber(r.text[col("P(stock-out)")]), p.p_stockout, 3)],
        ["cost before", sameAtPrecision(shownNumber(r.text[col("cost/unit before (USD)")]), p.cost_before_usd, 2)],
        ["cost after", sameAtPrecision(shownNumber(r.text[col("cost/unit after P50 (USD)")]), p.cost_after_usd.p50, 2)],
        ["margin", p.margin_change_pp === null ? r.text[col("margin change P50 (pp)")] === "–" : sameAtPrecision(shownNumber(r.text[col("margin change P50 (pp)")]), p.margin_change_pp.p50, 2)],
        ["driver", r.data.driver === p.driver.material && r.data.driverCountry === p.driver.country],
      ].filter(([, ok]) => !ok).map(([k]) => k);
      if (differs.length) bad.push(`${p.product}: ${differs.join(", ")} differ (${r.text.join(" | ")})`);
    }
    check("decisions: the exposure table shows the API's stock-out weeks, cost per unit, margin change and drivers per product",
      rows.length === ex.products.length && rows.length > 0 && bad.length === 0, bad.join("; ") || `${rows.length} products`);
    const cost = await option("exposure-cost");
    const after = (cost?.series ?? []).find((s) => s.name === "after (P50)")?.data ?? [];
    check("decisions: the cost chart draws the API's cost per unit after, with a legend",
      JSON.stringify(after) === JSON.stringify(ex.products.map((p) => p.cost_after_usd.p50)) && (cost?.legend?.[0]?.data ?? []).length === 2, `${after.length} bars`);
  }
  await page.waitForTimeout(400);
  await shot("decisions-exposure");

  // -- a reload keeps every parameter -----------------------------------------------------------
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === "decisions", null, { timeout: 60_000 });
  const kept = await page.evaluate(() => ({
    holder: document.querySelector("#sp-holder").value, budget: document.querySelector("#sp-budget").value, runs: document.querySelector("#sp-runs").value,
    scenarios: [...document.querySelectorAll("#sp-scenarios input:checked")].map((i) => i.value),
    example: document.querySelector("#ex-example").value, exScenario: document.querySelector("#ex-scenario").value, pass: document.querySelector("#ex-pass").value,
  }));
  check("decisions: the parameters survive a reload", kept.holder === "USA" && kept.budget === "200000000" && kept.runs === "20" && JSON.stringify(kept.scenarios) === JSON.stringify([spScenario]) &&
    kept.example === example && kept.exScenario === exBody.scenario && kept.pass === "0.3", JSON.stringify(kept));

  // -- an uploaded BOM the server refuses: the page names the file and every diagnostic ----------
  consoleErrors.length = 0;
  const badName = "bad_bom_upload.csv";
  const badText = "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier\nmotor,magnet,unobtainium,separation,0.05,Acme,JPN,1\nmotor,coil,copper,refined,abc,Acme,JPN,1\n";
  writeFileSync(path.join(out, badName), badText);
  const badDirect = await post("/exposure", { bom: badText, filename: badName, scenario: "cn_magnet_ban_us_eu", runs: 5 });
  await page.setInputFiles("#ex-file", path.join(out, badName));
  await page.click("#ex-run");
  await finished("ex");
  const shownBad = await page.$eval("#ex-result", (e) => e.textContent ?? "");
  const diags = badDirect.body.diagnostics ?? [];
  check(`decisions: ${badName} is refused with 422 and located diagnostics`, badDirect.status === 422 && diags.length > 0 && diags.every((d) => d.file === badName && d.line > 0), `${badDirect.status}: ${JSON.stringify(diags).slice(0, 300)}`);
  check(`decisions: the refusal names ${badName} and shows every diagnostic with file:line:column`, (await stateOf("ex")).startsWith("refused") && shownBad.includes(`the uploaded file ${badName} was refused`) &&
    diags.every((d) => shownBad.includes(`${d.file}:${d.line}:${d.column}: ${d.message} (${d.code})`)), shownBad.slice(0, 300).replace(/\n/g, " | "));
  await shot("decisions-refused");
  await page.click("#ex-file-clear");
  const unexpected = consoleErrors.filter((m) => !/status of 422\b/.test(m));
  consoleErrors.length = 0;
  consoleErrors.push(...unexpected);

  // -- portfolio: the example holdings ----------------------------------------------------------
  await page.fill("#pf-runs", "10");
  for (const box of await page.$$("#pf-scenarios input[type=checkbox]")) {
    const want = ["cn_magnet_ban_us_eu", "cn_gagesb_us_ban_lapse"].includes(await box.getAttribute("value"));
    if ((await box.isChecked()) !== want) await box.click();
  }
  await page.click("#pf-run");
  await finished("pf");
  check("decisions: the portfolio of the example holdings is ranked", (await stateOf("pf")).startsWith("succeeded"), await stateOf("pf"));
  const pfJob = await getJob(await page.$eval("#pf-result", (e) => e.dataset.job ?? ""));
  if (pfJob?.result?.holdings) {
    const rows = await cells("#pf-table");
    const order = [...pfJob.result.holdings].sort((a, b) => a.rank - b.rank);
    check("decisions: the ranking table is the job's ranking with its margin change and CVaR",
      rows.length === order.length && order.every((h, i) => rows[i].data.holding === h.holding && Number(rows[i].data.margin) === h.ebit_margin_change_pp && Number(rows[i].data.cvar) === h.ebit_margin_cvar_pp),
      rows.map((r) => r.data.holding).join(", "));
  }
  noErrors("decisions");
  await page.waitForTimeout(400);
  await shot("decisions");
}
