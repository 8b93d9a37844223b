// End-to-end tests of the dashboard and the HTML brief in Debian's Chromium, driven by
// playwright-core (no browser download). Starts the real `lodestone serve` on a free loopback
// port with the built dashboard, checks that every page loads without console errors and renders
// the API's data (read back from the live ECharts options through window.lodestone), uploads an
// example BOM, opens the offline brief with every network request refused, saves screenshots,
// and stops the server.
//
// node web/e2e/run.mjs --lodestone build/dev/apps/cli/lodestone --dist web/dist --out build/dev/e2e
//                      [--source .] [--chromium /usr/bin/chromium] [--data DATASET_DIR]
// Exit: 0 all passed, 1 a check failed, 77 prerequisites missing (ctest: skipped) unless
// LODE_E2E_REQUIRED=1, when missing prerequisites fail.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const source = path.resolve(args.source ?? path.join(here, "..", ".."));
const lodestone = path.resolve(args.lodestone ?? path.join(source, "build/dev/apps/cli/lodestone"));
const dist = path.resolve(args.dist ?? path.join(source, "web/dist"));
const out = path.resolve(args.out ?? path.join(source, "build/e2e"));
const chromiumPath = args.chromium ?? "/usr/bin/chromium";
const dataArgs = args.data ? ["--data", path.resolve(args.data)] : []; // default: the embedded dataset
const required = process.env.LODE_E2E_REQUIRED === "1";

function skip(reason) {
  console.log(`e2e: ${required ? "FAILED" : "skipped"}: ${reason}`);
  process.exit(required ? 1 : 77);
}

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  skip("playwright-core is not installed (run `npm ci` in web/, or `make dev`)");
}
if (!existsSync(chromiumPath)) skip(`no Chromium at ${chromiumPath} (run \`scripts/bootstrap web\`)`);
if (!existsSync(path.join(dist, "index.html"))) skip(`no built dashboard in ${dist} (run \`npm run build\` in web/, or \`make dev\`)`);
if (!existsSync(lodestone)) skip(`no lodestone binary at ${lodestone}`);

mkdirSync(out, { recursive: true });
const results = [];
let failures = 0;
function check(name, ok, detail = "") {
  results.push({ name, ok, detail });
  if (!ok) failures++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

// ---- the server -------------------------------------------------------------------------------

const token = `e2e-${process.pid}-${Date.now()}`;
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(lodestone, ["serve", ...dataArgs, "--host", "127.0.0.1", "--port", "0", "--static", dist, "--token", token], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s\n${stdout}\n${stderr}`)), 60_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = stdout.match(/listening on (http:\/\/[^\s/]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1], stderr: () => stderr });
      }
    });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stdout}\n${stderr}`));
    });
  });
}

async function stopServer(server) {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once("exit", r));
  server.child.kill("SIGTERM");
  const t = setTimeout(() => server.child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(t);
}

async function apiGet(base, p) {
  const res = await fetch(`${base}/api/v1${p}`);
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

// ---- the browser ------------------------------------------------------------------------------

const profile = mkdtempSync(path.join(tmpdir(), "lodestone-e2e-"));
const launchArgs = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

let server;
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: launchArgs,
    viewport: { width: 1360, height: 900 },
  });
  // Nothing leaves the machine: any request not to the server (or a file: URL) is refused and counted.
  const foreign = [];
  let serverHost = null;
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "file:" || u.protocol === "data:" || u.host === serverHost) return route.continue();
    foreign.push(u.href);
    return route.abort();
  });

  // -- the HTML brief, offline (first: it needs no server) ------------------------------------------------------------------
  {
    const briefFile = path.join(out, "brief.html");
    execFileSync(lodestone, ["brief", ...dataArgs, "--out", briefFile, "--format", "json"], { stdio: ["ignore", "ignore", "inherit"] });
    const offline = await context.newPage();
    const errors = [];
    offline.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    offline.on("pageerror", (e) => errors.push(e.message));
    const before = foreign.length;
    const requests = [];
    offline.on("request", (r) => requests.push(r.url()));
    await offline.goto(`file://${briefFile}`);
    await offline.waitForLoadState("load");
    const data = await offline.$eval("#lodestone-brief", (e) => JSON.parse(e.textContent));
    check("brief: opens offline with no request beyond the file", requests.every((u) => u.startsWith("file:")) && foreign.length === before, requests.filter((u) => !u.startsWith("file:")).join(", "));
    check("brief: no console errors", errors.length === 0, errors.join(" | "));
    const timelineBars = await offline.$$eval("#timeline-chart g.measure", (g) => g.length);
    check("brief: the timeline chart draws every timeline row", timelineBars === data.timeline.rows.length, `${timelineBars} bars, ${data.timeline.rows.length} rows`);
    const riskRows = await offline.$$eval("#risk tr[data-material]", (trs) => trs.map((t) => t.dataset.material));
    check("brief: the risk table is the payload's ranking", JSON.stringify(riskRows) === JSON.stringify(data.risk.rows.map((r) => r.material)), riskRows.join(", "));
    const bars = await offline.$$eval("#risk-chart rect.bar", (r) => r.length);
    check("brief: one bar per ranked material", bars === data.risk.rows.length, `${bars}`);
    await offline.screenshot({ path: path.join(out, "brief.png"), fullPage: true });
    await offline.close();
  }

  // The dashboard needs `lodestone serve`; a build without it has no dashboard to test.
  const hasServe = /^\s+serve\b/m.test(execFileSync(lodestone, ["--help"], { encoding: "utf8" }));
  if (!hasServe) console.log("e2e: dashboard checks skipped: this build of lodestone has no `serve` command");
  if (hasServe) {
  server = await startServer();
  serverHost = new URL(server.base).host;
  console.log(`e2e: server at ${server.base}`);

  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message}`));

  async function open(name) {
    consoleErrors.length = 0;
    await page.goto(`${server.base}/#/${name}`);
    await page.waitForFunction((n) => document.body.dataset.ready === n, name, { timeout: 60_000 });
    await page.waitForTimeout(400); // let ECharts finish its first frame for the screenshot
  }
  async function shot(name) {
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
  const option = (chartName) =>
    page.evaluate((n) => {
      const c = window.lodestone.charts[n];
      return c ? JSON.parse(JSON.stringify(c.getOption(), (k, v) => (typeof v === "function" ? undefined : v))) : null;
    }, chartName);
  const noErrors = (pageName) => check(`${pageName}: no console errors`, consoleErrors.length === 0, consoleErrors.join(" | "));

  // -- map ------------------------------------------------------------------------------------
  {
    await open("map");
    const material = await page.$eval("#map-material", (e) => e.value);
    const stage = await page.$eval("#map-stage", (e) => e.value);
    const api = await apiGet(server.base, `/shares?material=${material}&stage=${stage}`);
    const opt = await option("map");
    // ECharts lists every region of the map; those without a value are not data.
    const rendered = (opt?.series?.[0]?.data ?? []).filter((d) => Number.isFinite(d.value));
    const expected = api.body.shares.filter((s) => s.country !== "ROW");
    check("map: renders the API's shares", rendered.length === expected.length && expected.every((s) => rendered.some((d) => d.name === s.country && Math.abs(d.value - s.share) < 1e-12)),
      `${material}/${stage}: ${rendered.length} countries rendered, ${expected.length} from the API`);
    const top = expected[0];
    // Hover the top producer: the tooltip names it with its share.
    await page.evaluate((iso3) => window.lodestone.charts.map.dispatchAction({ type: "showTip", seriesIndex: 0, name: iso3 }), top.country);
    await page.waitForTimeout(300);
    const tip = await page.evaluate(() => [...document.querySelectorAll("#map-chart div")].map((d) => d.textContent).find((t) => t && t.includes("%")) ?? "");
    check("map: tooltip shows the top producer's share", tip.includes(`${(top.share * 100).toFixed(1)} %`), tip);
    const rows = await page.$$eval("#map-side tr[data-country]", (trs) => trs.map((t) => t.dataset.country));
    check("map: producer table lists every share", rows.length === api.body.shares.length, `${rows.length} rows`);
    // Switch material: the chart follows.
    await page.selectOption("#map-material", "rare_earths");
    await page.waitForFunction(() => window.lodestone.charts.map?.getOption().title[0].text.startsWith("rare_earths"), null, { timeout: 30_000 });
    await page.selectOption("#map-stage", "separation").catch(() => {});
    await page.waitForTimeout(600);
    const opt2 = await option("map");
    check("map: switching material redraws", opt2.title[0].text.startsWith("rare_earths") && opt2.series[0].data.length > 0, opt2.title[0].text);
    // The header links the brief of the current date and perspective (GET /api/v1/brief.html).
    const href = await page.$eval("#brief-link", (a) => (a.hidden ? "" : a.href));
    if (href) {
      const res = await page.request.get(href);
      const body = await res.text();
      check("map: the header's brief link serves the self-contained brief", res.status() === 200 && body.includes('id="lodestone-brief"') && !/<script[^>]*\bsrc=/.test(body), `${res.status()} ${href}`);
    } else {
      check("map: the header's brief link is shown when the server has the brief", !(await apiGet(server.base, "/brief")).body, "hidden");
    }
    noErrors("map");
    await shot("map");
  }

  // -- criticality ----------------------------------------------------------------------------
  {
    await open("criticality");
    const materials = (await apiGet(server.base, "/materials")).body;
    const worst = materials
      .map((m) => ({ id: m.id, hhi: Math.max(...m.stages.map((s) => s.hhi ?? 0)) }))
      .sort((a, b) => b.hhi - a.hhi);
    const opt = await option("concentration");
    const axis = opt?.yAxis?.[0]?.data ?? [];
    check("criticality: concentration ranking matches the API", axis[0] === worst[0].id && axis.length === worst.length,
      `first ${axis[0]} (expected ${worst[0].id}), ${axis.length} materials`);
    const values = (opt?.series?.[0]?.data ?? []).map((d) => d.value);
    check("criticality: bar values are the HHIs", Math.abs(values[0] - worst[0].hhi) < 1e-12, `${values[0]} vs ${worst[0].hhi}`);
    const assess = await apiGet(server.base, "/assess?perspective=USA");
    if (assess.status === 200) {
      const crm = await option("crm");
      check("criticality: EU CRM chart has every assessed material", (crm?.series?.[0]?.data ?? []).length > 0);
    } else {
      const box = await page.$("[data-unavailable=assess]");
      check("criticality: says plainly that assess is not on this server", box !== null, `GET /assess -> ${assess.status}`);
    }
    noErrors("criticality");
    await shot("criticality");
  }

  // -- policies -------------------------------------------------------------------------------
  {
    await open("policies");
    const asOf = await page.$eval("#as-of", (e) => e.value);
    const measures = (await apiGet(server.base, `/measures?as_of=${asOf}`)).body.measures;
    const opt = await option("timeline");
    const ids = (opt?.series?.[0]?.data ?? []).map((d) => d.name);
    const expected = measures.filter((m) => m.kind !== "suspension" && m.effective && m.materials.length > 0);
    check("policies: timeline has bars from the API's measures", ids.length > 0 && ids.every((id) => expected.some((m) => m.id === id)), `${ids.length} bars`);
    const suspendedBars = (opt?.series?.[1]?.data ?? []).map((d) => d.name);
    const suspendedNow = measures.filter((m) => m.state === "suspended" && ids.includes(m.id));
    check("policies: suspended measures are hatched", suspendedNow.every((m) => suspendedBars.some((n) => n.startsWith(`${m.id} suspended by`))),
      suspendedNow.map((m) => m.id).join(", ") || "none suspended");
    const upcoming = (await apiGet(server.base, `/policies/upcoming?as_of=${asOf}&within=180d`)).body;
    const shownUpcoming = await page.$$eval("#upcoming tr[data-measure]", (trs) => trs.map((t) => t.dataset.measure));
    check("policies: upcoming table matches the API", shownUpcoming.length === upcoming.length && upcoming.every((c) => shownUpcoming.includes(c.id)), `${shownUpcoming.length} rows`);
    noErrors("policies");
    await shot("policies");
  }

  // -- scenario ---------------------------------------------------------------------------------
  {
    await open("scenario");
    const scen = await apiGet(server.base, "/scenarios");
    if (scen.status === 200) {
      await page.evaluate((t) => sessionStorage.setItem("lodestone.token", t), token);
      await page.fill("#scenario-runs", "40");
      await page.click("#scenario-run");
      await page.waitForFunction(() => ["succeeded", "failed", "cancelled"].includes(document.querySelector("#scenario-status")?.textContent ?? ""), null, { timeout: 240_000 });
      const state = await page.$eval("#scenario-status", (e) => e.textContent);
      check("scenario: the job succeeds", state === "succeeded", state);
      const opt = await option("shortfall");
      const p50 = (opt?.series ?? []).filter((s) => s.name.endsWith("P50")).flatMap((s) => s.data).filter((v) => typeof v === "number");
      check("scenario: fan chart of shortfall has median values", p50.length > 0, `${p50.length} points`);
      const price = await option("price");
      check("scenario: fan chart of price has a P5-P95 band", (price?.series ?? []).some((s) => s.name.endsWith("P5-P95") && s.data.some((v) => typeof v === "number")));
    } else {
      check("scenario: says plainly that simulate is not on this server", (await page.$("[data-unavailable=simulate]")) !== null, `GET /scenarios -> ${scen.status}`);
    }
    noErrors("scenario");
    await shot("scenario");
  }

  // -- BOM --------------------------------------------------------------------------------------
  {
    await open("bom");
    const examplesDir = path.join(source, "data/examples");
    const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith(".csv")).sort() : [];
    const lt = await fetch(`${server.base}/api/v1/lookthrough`, { method: "POST", headers: { "Content-Type": "text/csv", Authorization: `Bearer ${token}` }, body: "" });
    await page.evaluate((t) => sessionStorage.setItem("lodestone.token", t), token);
    if (lt.status === 404) {
      // No look-through on this server: uploading must say so, not fail silently.
      const csv = path.join(out, "tiny_bom.csv");
      writeFileSync(csv, "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier\nmotor,magnet,dysprosium,separation,0.05,Acme,JPN,1\n");
      await page.setInputFiles("#bom-file", examples.length ? path.join(examplesDir, examples[0]) : csv);
      await page.waitForFunction(() => document.body.dataset.bom, null, { timeout: 30_000 });
      check("bom: says plainly that look-through is not on this server", (await page.$("[data-unavailable=lookthrough]")) !== null, "POST /lookthrough -> 404");
    } else if (examples.length === 0) {
      check("bom: example BOMs exist in data/examples", false, `none in ${examplesDir}`);
    } else {
      const example = examples.find((f) => f.includes("motor")) ?? examples[0];
      await page.setInputFiles("#bom-file", path.join(examplesDir, example));
      await page.waitForFunction((f) => document.body.dataset.bom === f, example, { timeout: 60_000 });
      const sankey = await option("bom-sankey");
      const links = sankey?.series?.[0]?.links ?? [];
      check(`bom: ${example} shows its look-through Sankey`, links.length > 0, `${links.length} links`);
      const map = await option("bom-map");
      check(`bom: ${example} shows its origin map`, (map?.series?.[0]?.data ?? []).length > 0);
      const detailRows = await page.$$eval("#bom-detail tr[data-stage]", (trs) => trs.length);
      check(`bom: ${example} lists origins per stage`, detailRows > 0, `${detailRows} rows`);
    }
    noErrors("bom");
    await shot("bom");
  }
  }

  check("no request left the machine", foreign.length === 0, foreign.join(", "));
} catch (e) {
  check("e2e run", false, e.stack ?? String(e));
} finally {
  if (context) await context.close().catch(() => {});
  await stopServer(server);
  rmSync(profile, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
writeFileSync(path.join(out, "results.json"), JSON.stringify(results, null, 2));
console.log(`screenshots: ${out}`);
console.log(`${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
