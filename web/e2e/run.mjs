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
import { checkDecisions } from "./decisions.mjs";

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
    // Every text of the risk chart (labels left of the bars, values right of them, the top bar's
    // included) lies inside the chart's drawing area.
    const clipped = await offline.$$eval("#risk-chart svg text", (ts) => {
      const svg = ts[0]?.ownerSVGElement;
      const vb = svg ? svg.viewBox.baseVal : { width: 0 };
      return ts.filter((t) => { const b = t.getBBox(); return b.x < -0.5 || b.x + b.width > vb.width + 0.5; }).map((t) => t.textContent);
    });
    check("brief: no risk chart label or value is clipped", clipped.length === 0, clipped.join(" | "));
    await offline.screenshot({ path: path.join(out, "brief.png"), fullPage: true });
    // On a phone (400 px wide) the charts scale down to the screen: nothing wider than the viewport.
    await offline.setViewportSize({ width: 400, height: 800 });
    const phone = await offline.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      charts: [...document.querySelectorAll(".chart svg")].map((s) => s.getBoundingClientRect().width),
    }));
    check("brief: at 400 px the page does not scroll sideways", phone.page <= 400, `scrollWidth ${phone.page}`);
    check("brief: at 400 px every chart fits the screen", phone.charts.length > 0 && phone.charts.every((w) => w <= 400 - 8), phone.charts.map((w) => w.toFixed(0)).join(", "));
    await offline.screenshot({ path: path.join(out, "brief-phone.png"), fullPage: true });
    // Printed on A4 (the print stylesheet): charts fit the printable width, the header is ink on paper.
    await offline.setViewportSize({ width: 1360, height: 900 });
    await offline.emulateMedia({ media: "print" });
    const a4Px = (210 - 2 * 12) * 96 / 25.4;  // A4 width less the @page margins, CSS px
    await offline.setViewportSize({ width: Math.floor(a4Px), height: 1100 });
    const printed = await offline.evaluate(() => ({
      charts: [...document.querySelectorAll(".chart svg")].map((s) => s.getBoundingClientRect().width),
      header: getComputedStyle(document.querySelector("header")).backgroundColor,
    }));
    check("brief: printed on A4 every chart fits the printable width", printed.charts.every((w) => w <= a4Px + 0.5), printed.charts.map((w) => w.toFixed(0)).join(", "));
    check("brief: printed on A4 the header has no dark background", printed.header === "rgb(255, 255, 255)", printed.header);
    const pdf = await offline.pdf({ format: "A4", printBackground: false });
    writeFileSync(path.join(out, "brief-a4.pdf"), pdf);
    check("brief: prints to an A4 PDF", pdf.length > 10000 && pdf.subarray(0, 5).toString() === "%PDF-", `${pdf.length} bytes`);
    await offline.emulateMedia({ media: "screen" });
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
  // ECharts renders a tooltip formatter's result as HTML; chart() (web/src/charts.ts) wraps every
  // formatter so that it returns escaped text unless built with html`...`. Every live one is wrapped.
  const tooltipsAreText = async (pageName) => {
    const bare = await page.evaluate(() => {
      const found = [];
      const walk = (node, key, where) => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, key, `${where}[${i}]`));
        if (typeof node !== "object" || node === null) return;
        if (key === "tooltip" && typeof node.formatter === "function" && !node.formatter.escapesText) found.push(where);
        for (const [k, v] of Object.entries(node)) if (typeof v === "object") walk(v, k, `${where}.${k}`);
      };
      for (const [name, c] of Object.entries(window.lodestone.charts)) if (!c.isDisposed()) walk(c.getOption(), "", name);
      return found;
    });
    check(`${pageName}: every tooltip formatter escapes text`, bare.length === 0, bare.join(", "));
  };
  // A tooltip formatter called with names that are markup: they come back as text.
  const evil = "<img src=x onerror=alert(1)>";
  const tooltipOf = (chartName, params) =>
    page.evaluate(([n, p]) => {
      const t = window.lodestone.charts[n].getOption().tooltip;
      return (Array.isArray(t) ? t[0] : t).formatter(p);
    }, [chartName, params]);
  const showsAsText = (tip) => !tip.includes("<img") && tip.includes("&lt;img src=x onerror=alert(1)&gt;");

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
    // Charts name materials by their name, not their id.
    const reeName = (await apiGet(server.base, "/dataset")).body.materials.find((m) => m.id === "rare_earths")?.name || "rare_earths";
    await page.waitForFunction((n) => window.lodestone.charts.map?.getOption().title[0].text.startsWith(n), reeName, { timeout: 30_000 });
    await page.selectOption("#map-stage", "separation").catch(() => {});
    await page.waitForTimeout(600);
    const opt2 = await option("map");
    check("map: switching material redraws", opt2.title[0].text.startsWith(reeName) && opt2.series[0].data.length > 0, opt2.title[0].text);
    check("map: the chart can be saved as PNG", Boolean(opt2.toolbox?.[0]?.feature?.saveAsImage), JSON.stringify(opt2.toolbox ?? null));
    check("map: the loading state is gone once the page is ready", (await page.$("#loading")) === null);
    // The view lives in the URL: a reload shows the same material, stage, date and perspective.
    const before = { material: "rare_earths", stage: await page.$eval("#map-stage", (e) => e.value),
      asOf: await page.$eval("#as-of", (e) => e.value), perspective: await page.$eval("#perspective", (e) => e.value) };
    const hash = await page.evaluate(() => location.hash);
    check("map: the URL holds the view", hash.includes("material=rare_earths") && hash.includes(`as_of=${before.asOf}`) && hash.includes(`perspective=${before.perspective}`), hash);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === "map", null, { timeout: 60_000 });
    const after = { material: await page.$eval("#map-material", (e) => e.value), stage: await page.$eval("#map-stage", (e) => e.value),
      asOf: await page.$eval("#as-of", (e) => e.value), perspective: await page.$eval("#perspective", (e) => e.value) };
    check("map: the view survives a reload", JSON.stringify(after) === JSON.stringify(before), `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    // Every table can be saved as CSV: the producers table's CSV is its rows.
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.click("#map-side table caption .csv-export")]);
    const csvText = await new Promise((resolve, reject) => {
      download.createReadStream().then((s) => { let t = ""; s.on("data", (c) => (t += c)); s.on("end", () => resolve(t)); s.on("error", reject); }, reject);
    });
    const csvRows = csvText.trim().split("\n");
    const shownRows = await page.$$eval("#map-side table tbody tr", (trs) => trs.length);
    check("map: a table downloads as CSV with its rows", csvRows.length === shownRows + 1 && csvRows[0].includes(","), `${csvRows.length} lines for ${shownRows} rows`);
    // The header links the brief of the current date and perspective (GET /api/v1/brief.html).
    const href = await page.$eval("#brief-link", (a) => (a.hidden ? "" : a.href));
    if (href) {
      const res = await page.request.get(href);
      const body = await res.text();
      check("map: the header's brief link serves the self-contained brief", res.status() === 200 && body.includes('id="lodestone-brief"') && !/<script[^>]*\bsrc=/.test(body), `${res.status()} ${href}`);
    } else {
      check("map: the header's brief link is shown when the server has the brief", !(await apiGet(server.base, "/brief")).body, "hidden");
    }
    // The time control: each year's map is the API's /shares for that year (projects added).
    await page.goto(`${server.base}/#/map?material=rare_earths&stage=separation&view=`);
    await page.reload(); // a fresh document: body[data-ready] is set only once this view is drawn
    await page.waitForFunction(() => document.body.dataset.ready === "map" && document.getElementById("map-year")?.min, null, { timeout: 60_000 });
    const years = await page.$eval("#map-year", (e) => ({ min: Number(e.min), max: Number(e.max), disabled: e.disabled }));
    const apiYears = (await apiGet(server.base, "/shares?material=rare_earths&stage=separation")).body.years;
    check("map: the year control spans the data year to the projects' last year", years.min === apiYears.first && years.max === apiYears.last && years.max > years.min && !years.disabled,
      `${years.min}-${years.max} vs ${JSON.stringify(apiYears)}`);
    const mapAt = async (year) => {
      await page.$eval("#map-year", (e, y) => { e.value = String(y); e.dispatchEvent(new Event("input")); e.dispatchEvent(new Event("change")); }, year);
      await page.waitForFunction((y) => window.lodestone.ready && document.getElementById("map-chart")?.dataset.year === String(y)
        && window.lodestone.charts.map?.getOption().title[0].text.endsWith(String(y)), year, { timeout: 30_000 });
      const o = await option("map");
      return (o?.series?.[0]?.data ?? []).filter((d) => Number.isFinite(d.value));
    };
    for (const year of [apiYears.last, apiYears.first]) {
      const shown = await mapAt(year);
      const expectedYear = (await apiGet(server.base, `/shares?material=rare_earths&stage=separation&year=${year}`)).body.shares.filter((x) => x.country !== "ROW" && x.share > 0);
      check(`map: moving the year control to ${year} draws the API's shares of ${year}`,
        shown.length === expectedYear.length && expectedYear.every((x) => shown.some((d) => d.name === x.country && Math.abs(d.value - x.share) < 1e-12)),
        `${shown.length} countries, ${expectedYear.length} from /shares?year=${year}`);
      const sideRows = await page.$$eval("#map-side tr[data-country]", (trs) => trs.map((t) => [t.dataset.country, Number(t.dataset.share)]));
      check(`map: the producers table follows the year (${year})`, sideRows.length === expectedYear.length + 1 && expectedYear.every((x) => sideRows.some(([c, v]) => c === x.country && Math.abs(v - x.share) < 1e-12)), `${sideRows.length} rows`);
    }
    const first = (await apiGet(server.base, `/shares?material=rare_earths&stage=separation&year=${apiYears.first}`)).body;
    const last = (await apiGet(server.base, `/shares?material=rare_earths&stage=separation&year=${apiYears.last}`)).body;
    check("map: the last year differs from the data year by the projects' capacity", last.project_tonnes > 0 && first.project_tonnes === 0 && last.world_tonnes > first.world_tonnes, `${first.world_tonnes} -> ${last.world_tonnes} t`);
    check("map: the year is in the URL", (await page.evaluate(() => location.hash)).includes(`year=${apiYears.first}`));
    // Every stage side by side, each the API's shares of that stage in the year shown.
    const reeStages = (await apiGet(server.base, "/materials/rare_earths")).body.stages.map((x) => x.stage);
    const stageMaps = await page.$$eval("#map-stages [data-chart]", (es) => es.map((e) => e.dataset.stage));
    check("map: every stage of the material is drawn side by side", JSON.stringify(stageMaps) === JSON.stringify(reeStages), `${stageMaps.join(", ")} vs ${reeStages.join(", ")}`);
    let stagesOk = true;
    for (const st of reeStages) {
      const o = await option(`map-stage-${st}`);
      const d = (o?.series?.[0]?.data ?? []).filter((x) => Number.isFinite(x.value));
      const a = (await apiGet(server.base, `/shares?material=rare_earths&stage=${st}&year=${apiYears.first}`)).body.shares.filter((x) => x.country !== "ROW" && x.share > 0);
      if (!(d.length === a.length && a.every((x) => d.some((y) => y.name === x.country && Math.abs(y.value - x.share) < 1e-12)))) stagesOk = false;
    }
    check("map: each stage's small map is the API's shares of that stage", stagesOk);
    // The perspective outlines its members; the as-of date lists the measures in force against it.
    const perspective = await page.$eval("#perspective", (e) => e.value);
    const memberCodes = (await apiGet(server.base, "/countries")).body.filter((c) => c.iso3 === perspective || c.blocs.includes(perspective)).map((c) => c.iso3);
    const outlined = ((await option("map"))?.series?.[0]?.data ?? []).filter((d) => d.itemStyle?.borderColor === "#1f4e79").map((d) => d.name);
    check(`map: ${perspective}'s members are outlined`, memberCodes.length > 0 && memberCodes.every((c) => outlined.includes(c)), `${outlined.length} outlined, ${memberCodes.length} members`);
    const listedMeasures = async () => page.$$eval("#map-measures li[data-measure]", (li) => li.map((l) => l.dataset.measure));
    const nowMeasures = await listedMeasures();
    const asOfBefore = await page.$eval("#as-of", (e) => e.value);
    await page.fill("#as-of", "2020-01-01");
    await page.dispatchEvent("#as-of", "change");
    await page.waitForFunction(() => window.lodestone.ready && !document.getElementById("loading") && document.getElementById("map-measures"), null, { timeout: 60_000 });
    const oldMeasures = await listedMeasures();
    const policies2020 = (await apiGet(server.base, `/policies?as_of=2020-01-01&material=rare_earths&destination=${perspective}`)).body.map((m) => m.id);
    check("map: the as-of date changes the measures in force shown", JSON.stringify(oldMeasures) !== JSON.stringify(nowMeasures) && oldMeasures.every((id) => policies2020.includes(id)),
      `${nowMeasures.length} now, ${oldMeasures.length} on 2020-01-01`);
    // The perspective's supply view: origins on the as-of date from GET /lookthrough?country=.
    await page.fill("#as-of", asOfBefore);
    await page.dispatchEvent("#as-of", "change");
    await page.waitForFunction(() => window.lodestone.ready && !document.getElementById("loading"), null, { timeout: 60_000 });
    await page.selectOption("#perspective", "EU");
    await page.waitForFunction(() => window.lodestone.ready && !document.getElementById("loading"), null, { timeout: 60_000 });
    await page.selectOption("#map-view", "supply");
    await page.waitForFunction(() => window.lodestone.ready && document.getElementById("map-chart")?.dataset.view === "supply", null, { timeout: 60_000 });
    const asOfNow = await page.$eval("#as-of", (e) => e.value);
    const look = (await apiGet(server.base, `/lookthrough?material=rare_earths&country=EU&as_of=${asOfNow}`)).body;
    const sepOrigins = look.supplies.find((x) => x.stage === "separation").origins.find((o) => o.stage === "separation").countries.filter((c) => c.country !== "ROW" && c.share > 0);
    const supplyShown = ((await option("map"))?.series?.[0]?.data ?? []).filter((d) => Number.isFinite(d.value));
    check("map: the supply view draws the perspective's origins of the API on the as-of date",
      supplyShown.length === sepOrigins.length && sepOrigins.every((x) => supplyShown.some((d) => d.name === x.country && Math.abs(d.value - x.share) < 1e-12)),
      `${supplyShown.length} shown, ${sepOrigins.length} from /lookthrough?country=EU`);
    noErrors("map (year, stages, perspective)");
    await shot("map-supply");
    await page.selectOption("#map-view", "world");
    await page.waitForFunction(() => window.lodestone.ready && document.getElementById("map-chart")?.dataset.view === "world", null, { timeout: 60_000 });
    await shot("map-years");
    await page.selectOption("#perspective", perspective);
    await page.waitForFunction(() => window.lodestone.ready && !document.getElementById("loading"), null, { timeout: 60_000 });
    noErrors("map");
    await tooltipsAreText("map");
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
    // One series per colour band: the bar of each material is the non-empty one.
    const values = axis.map((_, i) => (opt?.series ?? []).map((x) => x.data[i]).find((v) => v !== null && v !== undefined && v !== "-"));
    check("criticality: bar values are the HHIs", Math.abs(values[0] - worst[0].hhi) < 1e-12, `${values[0]} vs ${worst[0].hhi}`);
    {
      const o = opt;
      const legendNames = o?.legend?.[0]?.data?.map((d) => (typeof d === "string" ? d : d.name)) ?? [];
      const colours = (o?.series ?? []).map((x) => x.itemStyle?.color);
      check("criticality: every colour of the concentration chart has a legend", colours.every(Boolean) && new Set(colours).size === colours.length && (o?.series ?? []).every((x) => legendNames.includes(x.name)), legendNames.join(" | "));
      const heat = await option("heat");
      check("criticality: the HHI heatmap's colours have a labelled scale", Boolean(heat?.visualMap?.[0]) && (heat.visualMap[0].text ?? []).length === 2, JSON.stringify(heat?.visualMap?.[0]?.text ?? null));
    }
    const assessIndexed = (await apiGet(server.base, "")).body.endpoints.some((e) => e.method === "GET" && e.path === "/api/v1/assess");
    if (assessIndexed) {
      // The panel must show the API's numbers for the header's perspective and date.
      const assessChecks = async (perspective) => {
        await page.waitForSelector(`#assess-table[data-perspective="${perspective}"] tbody tr[data-material]`, { timeout: 60_000 });
        const asOf = await page.$eval("#as-of", (e) => e.value);
        const assess = await apiGet(server.base, `/assess?perspective=${encodeURIComponent(perspective)}&as_of=${asOf}`);
        check(`criticality ${perspective}: GET /assess answers 200`, assess.status === 200, `${assess.status}`);
        if (assess.status !== 200) return;
        const apiRows = assess.body.rows;
        const shown = await page.$$eval("#assess-table tbody tr[data-material]", (trs) =>
          trs.map((t) => ({ material: t.dataset.material, stage: t.dataset.stage, sr: t.dataset.sr, srText: t.querySelector("td[data-col=sr]")?.textContent ?? null, critical: t.dataset.critical })));
        const ga = apiRows.find((r) => r.material === "gallium");
        const gaShown = shown.find((r) => r.material === "gallium");
        check(`criticality ${perspective}: gallium has a row`, Boolean(ga) && Boolean(gaShown), `${shown.length} rows shown, ${apiRows.length} from the API`);
        if (ga && gaShown) {
          check(`criticality ${perspective}: gallium's SR is the API's`,
            typeof ga.sr === "number" && Number(gaShown.sr) === ga.sr && gaShown.srText === ga.sr.toFixed(2) && gaShown.stage === ga.stage,
            `shown ${gaShown.srText} (${gaShown.sr}, ${gaShown.stage}), API ${ga.sr} (${ga.stage})`);
          check(`criticality ${perspective}: gallium's critical flag is the API's`, gaShown.critical === String(ga.critical), `${gaShown.critical} vs ${ga.critical}`);
        }
        const expectedOrder = [...apiRows].sort((a, b) => a.rank_eu - b.rank_eu).map((r) => r.material);
        check(`criticality ${perspective}: table is ranked by EU supply risk as the API ranks it`,
          JSON.stringify(shown.map((r) => r.material)) === JSON.stringify(expectedOrder), shown.map((r) => r.material).join(", "));
        check(`criticality ${perspective}: every row's SR is the API's`,
          shown.length === apiRows.length && shown.every((r) => { const a = apiRows.find((x) => x.material === r.material && x.stage === r.stage); return a && (a.sr === null ? r.sr === "" : Number(r.sr) === a.sr); }));
        const crm = await option("crm");
        const pts = (crm?.series ?? []).flatMap((x) => x.data ?? []);
        const withBoth = apiRows.filter((r) => typeof r.ei === "number" && typeof r.sr === "number");
        check(`criticality ${perspective}: EU CRM chart plots every material at (EI, SR) of the API`,
          pts.length === withBoth.length && withBoth.every((r) => pts.some((p) => p.name === r.material && p.value[0] === r.ei && p.value[1] === r.sr)),
          `${pts.length} points, ${withBoth.length} materials with EI and SR`);
        const lines = crm?.series?.[0]?.markLine?.data ?? [];
        check(`criticality ${perspective}: the EU thresholds are the server's`,
          lines.some((l) => l.xAxis === assess.body.methods.critical_ei) && lines.some((l) => l.yAxis === assess.body.methods.critical_sr),
          `EI ${assess.body.methods.critical_ei}, SR ${assess.body.methods.critical_sr}`);
        // Every label of the CRM chart is drawn and none overlaps another (read from the drawn text).
        const crmLabels = await page.evaluate(() => {
          const rects = [];
          window.lodestone.charts.crm.getModel().eachSeries((series) => {
            const data = series.getData();
            for (let i = 0; i < data.count(); i++) {
              // A scatter point is a group: its label hangs on the symbol's path.
              const g = data.getItemGraphicEl(i);
              const t = g?.getTextContent?.() ?? g?.getSymbolPath?.()?.getTextContent?.() ?? g?.childAt?.(0)?.getTextContent?.();
              if (!t || t.ignore || t.invisible) continue;
              const r = t.getBoundingRect().clone();
              r.applyTransform(t.getComputedTransform());
              rects.push({ name: data.getName(i), x: r.x, y: r.y, w: r.width, h: r.height });
            }
          });
          return rects;
        });
        const clash = [];
        for (let i = 0; i < crmLabels.length; i++) for (let j = i + 1; j < crmLabels.length; j++) {
          const a = crmLabels[i], b = crmLabels[j];
          if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) clash.push(`${a.name}/${b.name}`);
        }
        check(`criticality ${perspective}: every CRM chart label is shown and none overlaps`, crmLabels.length === pts.length && clash.length === 0, `${crmLabels.length} labels of ${pts.length} points; overlapping: ${clash.join(", ")}`);
        // Every colour has a legend: each chart's series carry one colour each and the legend names them all.
        for (const name of ["crm", "sr"]) {
          const o = await option(name);
          const legendNames = o?.legend?.[0]?.data?.map((d) => (typeof d === "string" ? d : d.name)) ?? [];
          const colours = (o?.series ?? []).map((x) => x.itemStyle?.color);
          const itemOverrides = (o?.series ?? []).flatMap((x) => (x.data ?? []).filter((d) => d && typeof d === "object" && d.itemStyle?.color));
          check(`criticality ${perspective}: every colour of the ${name} chart has a legend`,
            o?.legend?.[0]?.show !== false && colours.every(Boolean) && new Set(colours).size === colours.length && (o?.series ?? []).every((x) => legendNames.includes(x.name)) && itemOverrides.length === 0,
            `legend ${legendNames.join(" | ")}; colours ${colours.join(", ")}`);
        }
        const unavailableBox = await page.$("[data-unavailable=assess]");
        check(`criticality ${perspective}: no "Not available" box`, unavailableBox === null);
      };
      await assessChecks(await page.$eval("#perspective", (e) => e.value));
      // Another perspective: the page follows the header.
      const before = await page.$eval("#perspective", (e) => e.value);
      const other = before === "EU" ? "USA" : "EU";
      const redrawn = () => page.waitForFunction(() => window.lodestone.ready && document.body.dataset.ready === "criticality", null, { timeout: 60_000 });
      await page.selectOption("#perspective", other);
      await redrawn();
      await assessChecks(other);
      await page.selectOption("#perspective", before);
      await redrawn();
      await page.waitForSelector(`#assess-table[data-perspective="${before}"]`, { timeout: 60_000 });
      const leverage = await apiGet(server.base, `/leverage?target=${encodeURIComponent(before)}&as_of=${await page.$eval("#as-of", (e) => e.value)}&top=10`);
      const suppliers = await page.$$eval("#leverage tr[data-supplier]", (trs) => trs.map((t) => t.dataset.supplier));
      // One row per stage: the panel reloads with by_stage=true.
      await page.check("#assess-by-stage");
      await page.waitForSelector('#assess-table[data-by-stage="true"] tbody tr[data-material]', { timeout: 60_000 });
      const byStage = await apiGet(server.base, `/assess?perspective=${encodeURIComponent(before)}&as_of=${await page.$eval("#as-of", (e) => e.value)}&by_stage=true`);
      const stageRows = await page.$$eval("#assess-table tbody tr[data-material]", (trs) => trs.map((t) => `${t.dataset.material}/${t.dataset.stage}=${t.dataset.sr}`));
      check("criticality: one row per stage shows the API's rows", byStage.status === 200 && stageRows.length === byStage.body.rows.length && stageRows.length > 18 &&
        byStage.body.rows.every((r) => stageRows.includes(`${r.material}/${r.stage}=${r.sr ?? ""}`)), `${stageRows.length} rows, ${byStage.body?.rows?.length} from the API`);
      await page.waitForTimeout(400);
      await shot("criticality-by-stage");
      await page.uncheck("#assess-by-stage");
      await page.waitForSelector('#assess-table[data-by-stage="false"] tbody tr[data-material]', { timeout: 60_000 });
      await page.waitForTimeout(400);
      check("criticality: the leverage table is the API's ranking", leverage.status === 200 && suppliers.length > 0 && JSON.stringify(suppliers) === JSON.stringify(leverage.body.map((r) => r.supplier)), suppliers.join(", "));
    } else {
      const box = await page.$("[data-unavailable=assess]");
      check("criticality: says plainly that assess is not on this server", box !== null, "GET /assess not in the index");
    }
    noErrors("criticality");
    await tooltipsAreText("criticality");
    await shot("criticality");
  }

  // -- alerts ---------------------------------------------------------------------------------
  {
    // A watch rule added over the API (a write: the token) shows on the alerts page with the feed.
    const ruleName = `e2e-${Date.now()}`;
    const added = await page.request.post(`${server.base}/api/v1/watch/rules`, {
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      data: JSON.stringify({ name: ruleName, materials: ["gallium"], min_severity: "low" }),
    });
    await open("alerts");
    const rules = await apiGet(server.base, "/watch/rules");
    const asOf = await page.$eval("#as-of", (e) => e.value);
    const events = await apiGet(server.base, `/events?as_of=${asOf}&origin=all`);
    const shownRules = await page.$$eval("#watch-rules tbody tr", (trs) => trs.map((t) => t.textContent));
    check("alerts: the page lists the API's watch rules", added.status() === 201 && rules.status === 200 && shownRules.length === rules.body.length && shownRules.some((t) => t.includes(ruleName)),
      `POST ${added.status()}, ${shownRules.length} shown, ${rules.body?.length} from the API`);
    const shownEvents = await page.$$eval("#events tbody tr", (trs) => trs.length);
    check("alerts: the event feed is the API's", events.status === 200 && shownEvents === events.body.length && shownEvents > 0, `${shownEvents} shown, ${events.body?.length} from the API`);
    check("alerts: the alerts section is shown", (await page.$("#alerts-section")) !== null);
    noErrors("alerts");
    await shot("alerts");
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
    const tip = await tooltipOf("timeline", { data: { name: evil, value: [], measure: { id: evil, kind: "export_ban", title: evil, country: "CHN",
      destinations: evil, materials: [evil], effective: "2025-01-01", expires: null, state: "suspended", suspended_by: [evil] } } });
    check("policies: the timeline tooltip shows a measure's id and title as text, keeps its own markup", showsAsText(tip) && tip.includes("<br/>") && !tip.includes("&lt;br"), tip);
    noErrors("policies");
    await tooltipsAreText("policies");
    await shot("policies");
  }

  // -- scenario ---------------------------------------------------------------------------------
  {
    await open("scenario");
    const scen = await apiGet(server.base, "/scenarios");
    if (scen.status === 200) {
      await page.evaluate((t) => sessionStorage.setItem("lodestone.token", t), token);
      const listed = await page.$$eval("#scenario-select option", (os) => os.map((o) => o.value));
      check("scenario: lists the API's curated scenarios", JSON.stringify(listed) === JSON.stringify(scen.body.map((s) => s.id)), listed.join(", "));
      const finished = () => page.waitForFunction(() => ["succeeded", "failed", "cancelled", "refused", "error", "invalid"].includes(document.querySelector("#scenario-status")?.dataset.state ?? ""), null, { timeout: 300_000 });
      const stateOf = () => page.$eval("#scenario-status", (e) => e.dataset.state);

      // A curated run with few runs: the fan charts are the job's result.
      const scenarioId = "cn_magnet_ban_us_eu";
      await page.selectOption("#scenario-select", scenarioId);
      await page.click("#scenario-details summary");
      await page.waitForFunction(() => (document.querySelector("#scenario-toml")?.textContent ?? "").length > 0, null, { timeout: 30_000 });
      const curated = await apiGet(server.base, `/scenarios/${scenarioId}`);
      check(`scenario: shows the TOML of ${scenarioId}`, curated.status === 200 && (await page.$eval("#scenario-toml", (e) => e.textContent)) === curated.body.toml);
      const runs = 200;
      await page.selectOption("#scenario-select", scenarioId);
      await page.fill("#scenario-runs", String(runs));
      await page.click("#scenario-run");
      await finished();
      const state = await stateOf();
      check(`scenario: ${scenarioId} with ${runs} runs succeeds`, state === "succeeded", `${state}: ${await page.$eval("#scenario-status", (e) => e.textContent)}`);
      const jobId = await page.$eval("#scenario-result", (e) => e.dataset.job ?? "");
      const job = jobId ? await apiGet(server.base, `/jobs/${jobId}`) : { status: 0, body: null };
      check("scenario: the page's job is on the server and succeeded", job.status === 200 && job.body.state === "succeeded" && job.body.params?.scenario === scenarioId && job.body.result?.run?.runs_done === runs,
        `job ${jobId}: ${job.status} ${job.body?.state} ${job.body?.params?.scenario} ${job.body?.result?.run?.runs_done} runs`);
      if (job.body?.result) {
        const result = job.body.result;
        const fanMatches = async (chartName, metric) => {
          const where = await page.$eval(`[data-chart=${chartName}]`, (e) => ({ region: e.dataset.region, material: e.dataset.material, metric: e.dataset.metric }));
          const series = result.series.series.find((s) => s.kind === "material" && s.region === where.region && s.group === where.material && s.metric === metric);
          const opt = await option(chartName);
          const named = (n) => (opt?.series ?? []).find((s) => s.name === n)?.data ?? null;
          const p50 = named("P50");
          const p5 = named("P5");
          const band = named("P5-P95");
          const ok = Boolean(series) && where.metric === metric &&
            JSON.stringify(p50) === JSON.stringify(series.p50) && JSON.stringify(p5) === JSON.stringify(series.p5) &&
            band?.length === series.p95.length && band.every((w, i) => (w === null ? series.p5[i] === null || series.p95[i] === null : Math.abs(w - (series.p95[i] - series.p5[i])) < 1e-12)) &&
            JSON.stringify(opt.xAxis[0].data) === JSON.stringify(result.series.weeks);
          check(`scenario: ${chartName} fan chart (${where.region}/${where.material}/${metric}) is the job's P5/P50/P95`, ok,
            `${p50?.length ?? 0} weeks shown, ${series?.p50?.length ?? "no"} in the result`);
          return { where, series };
        };
        const shortfall = await fanMatches("shortfall", "shortfall_share");
        await fanMatches("price", "price_multiple");
        const peak = Math.max(...(shortfall.series?.p50 ?? []).filter((v) => typeof v === "number"));
        check(`scenario: the ban causes a median shortfall in ${shortfall.where.region}`, peak > 0, `peak P50 shortfall share ${peak}`);
        const shownSummary = await page.$$eval("#scenario-summary tr[data-metric]", (trs) => trs.map((t) => ({ metric: t.dataset.metric, p50: t.dataset.p50 })));
        const expectedSummary = result.summary.filter((r) => r.kind === "material" && r.region === shortfall.where.region && r.group === shortfall.where.material);
        check("scenario: the summary table is the job's summary", shownSummary.length === expectedSummary.length && shownSummary.length > 0 &&
          expectedSummary.every((r, i) => shownSummary[i].metric === r.metric && (r.p50 === null ? shownSummary[i].p50 === "" : Number(shownSummary[i].p50) === r.p50)), `${shownSummary.length} rows`);
        await page.waitForTimeout(600); // the charts' first frame
        await shot("scenario");
        // Another region: the charts follow the selection.
        const regions = await page.$$eval("#result-region option", (os) => os.map((o) => o.value));
        const otherRegion = regions.find((r) => r !== shortfall.where.region);
        if (otherRegion) {
          await page.selectOption("#result-region", otherRegion);
          await fanMatches("shortfall", "shortfall_share");
        }
      } else {
        await shot("scenario");
      }
      noErrors("scenario");
      await tooltipsAreText("scenario");

      // Tornado: the sensitivity job's bars are what the chart draws (change of the median from the base).
      await page.fill("#scenario-runs", "4");
      await page.click("#scenario-sensitivity");
      await finished();
      const sensState = await stateOf();
      check(`scenario: the tornado of ${scenarioId} succeeds`, sensState === "succeeded", `${sensState}: ${await page.$eval("#scenario-status", (e) => e.textContent)}`);
      const sensId = await page.$eval("#scenario-result", (e) => e.dataset.job ?? "");
      const sensJob = sensId ? await apiGet(server.base, `/jobs/${sensId}`) : { status: 0, body: null };
      const tornados = sensJob.body?.result?.sensitivity?.tornados ?? [];
      check("scenario: the tornado job is a sensitivity job with tornados", sensJob.body?.kind === "sensitivity" && tornados.length > 0, `${sensJob.body?.kind}, ${tornados.length} tornados`);
      if (tornados.length) {
        const where = await page.$eval("[data-chart=tornado]", (e) => ({ region: e.dataset.region, material: e.dataset.material, metric: e.dataset.metric }));
        const t = tornados.find((x) => x.region === where.region && x.material === where.material && x.metric === where.metric);
        const opt = await option("tornado");
        const low = (opt?.series ?? []).find((x) => x.name === "parameter at P5")?.data ?? [];
        const bars = [...(t?.bars ?? [])].reverse();
        check(`scenario: the tornado chart (${where.region}/${where.material}/${where.metric}) is the job's bars`,
          Boolean(t) && low.length === bars.length && bars.every((b, i) => Math.abs(low[i] - (b.median_low - t.median_base)) < 1e-12) &&
          JSON.stringify(opt.yAxis[0].data) === JSON.stringify(bars.map((b) => b.parameter.replace(/^scenario\./, ""))),
          `${low.length} bars shown, ${t?.bars?.length ?? "no"} in the result`);
        await page.waitForTimeout(600);
        await shot("scenario-tornado");
      }
      noErrors("scenario tornado");

      // Cancel: a long run is stopped and the page says so.
      consoleErrors.length = 0;
      // 9,000 runs of a 104-week scenario: under a job's limit of 1e8 simulated values, and long enough.
      await page.fill("#scenario-runs", "9000");
      await page.click("#scenario-run");
      await page.waitForFunction(() => ["running", "queued"].includes(document.querySelector("#scenario-status")?.dataset.state ?? ""), null, { timeout: 60_000 });
      const longJob = await page.$eval("#scenario-result", (e) => e.dataset.job ?? "");
      await page.click("#scenario-cancel");
      await finished();
      const cancelled = await apiGet(server.base, `/jobs/${longJob}`);
      check("scenario: cancel stops the job", (await stateOf()) === "cancelled" && cancelled.body?.state === "cancelled" && (await page.$("#scenario-cancelled")) !== null,
        `page ${await stateOf()}, server ${cancelled.body?.state}`);

      // Uploads the server refuses: every diagnostic is shown with its file:line:column.
      const badFiles = {
        "bad_syntax.toml": "[scenario]\nname = \"broken\"\nstart = 2026-11-02\nhorizon_weeks = = 10\n",
        "bad_material.toml": (await (await fetch(`${server.base}/api/v1/scenarios/${scenarioId}`)).json()).toml.replaceAll('materials = ["rare_earths"]', 'materials = ["unobtainium"]'),
      };
      for (const [name, text] of Object.entries(badFiles)) {
        const file = path.join(out, name);
        writeFileSync(file, text);
        const direct = await fetch(`${server.base}/api/v1/simulate`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ toml: text, filename: name, runs: 10 }) });
        const directBody = await direct.json();
        await page.setInputFiles("#scenario-file", file);
        await page.click("#scenario-run");
        await finished();
        const shown = await page.$eval("#scenario-result", (e) => e.textContent ?? "");
        const diags = directBody.diagnostics ?? [];
        const located = diags.filter((d) => d.file === name && d.line > 0);
        check(`scenario: ${name} is refused with 422 and located diagnostics`, direct.status === 422 && located.length > 0, `${direct.status}: ${directBody.error}`);
        check(`scenario: ${name} shows every diagnostic with file:line:column`, (await stateOf()) === "refused" && shown.includes(name) && diags.length > 0 &&
          diags.every((d) => shown.includes(`${d.file ? `${d.file}:${d.line}:${d.column}: ` : ""}${d.message} (${d.code})`)), shown.slice(0, 300).replace(/\n/g, " | "));
        await shot(`scenario-${name.replace(/\.toml$/, "")}`);
      }
      await page.click("#scenario-file-clear");
      // The browser itself logs each refused request ("Failed to load resource: ... 422"): those are expected here.
      const unexpected = consoleErrors.filter((m) => !/status of 422\b/.test(m));
      consoleErrors.length = 0;
      consoleErrors.push(...unexpected);
    } else {
      check("scenario: says plainly that simulate is not on this server", (await page.$("[data-unavailable=simulate]")) !== null, `GET /scenarios -> ${scen.status}`);
      await shot("scenario");
    }
    noErrors("scenario");
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
      const tip = await tooltipOf("bom-sankey", { data: { source: evil, target: `${evil}"'&amp;`, value: 1 } });
      check("bom: the Sankey tooltip shows part and product names as text", showsAsText(tip) && tip.includes("&quot;&#39;&amp;amp;"), tip);
      const detailRows = await page.$$eval("#bom-detail tr[data-stage]", (trs) => trs.length);
      check(`bom: ${example} lists origins per stage`, detailRows > 0, `${detailRows} rows`);
      // Sankey labels stay inside the chart (read from the drawn text elements).
      const labelRects = (name) => page.evaluate((n) => {
        const c = window.lodestone.charts[n];
        const rects = [];
        c.getModel().eachSeries((series) => {
          const data = series.getData();
          for (let i = 0; i < data.count(); i++) {
            const t = data.getItemGraphicEl(i)?.getTextContent?.();
            if (!t || t.ignore || t.invisible) continue;
            const r = t.getBoundingRect().clone();
            r.applyTransform(t.getComputedTransform());
            rects.push({ name: data.getName(i), x: r.x, y: r.y, w: r.width, h: r.height });
          }
        });
        return { width: c.getWidth(), height: c.getHeight(), rects };
      }, name);
      const sk = await labelRects("bom-sankey");
      const clipped = sk.rects.filter((r) => r.x < 0 || r.x + r.w > sk.width || r.y < 0 || r.y + r.h > sk.height);
      check(`bom: ${example}: no Sankey label is cut off`, sk.rects.length === (sankey?.series?.[0]?.data ?? []).length && clipped.length === 0,
        `${sk.rects.length} labels, cut: ${clipped.map((r) => r.name).join(", ")}`);
      // The example picker: every BOM of data/examples, and picking one loads it with an overview of all its lines.
      const { readFileSync } = await import("node:fs");
      const bomExamples = examples.filter((f) => readFileSync(path.join(examplesDir, f), "utf8").split("\n").some((l) => l.startsWith("product,part,")));
      const offered = await page.$$eval("#bom-example option", (os) => os.map((o) => o.value).filter(Boolean));
      check("bom: the example picker offers every example BOM", JSON.stringify(offered) === JSON.stringify(bomExamples), offered.join(", "));
      for (const pick of bomExamples) {
        await page.selectOption("#bom-example", pick);
        await page.waitForFunction((f) => document.body.dataset.bom === f && window.lodestone.ready && document.querySelector(`#bom-overview[data-file="${f}"]`), pick, { timeout: 60_000 });
        const form = new FormData();
        form.append("bom", new Blob([readFileSync(path.join(examplesDir, pick), "utf8")], { type: "text/csv" }), pick);
        const productsFile = pick.replace(/\.csv$/, "_products.csv");
        if (existsSync(path.join(examplesDir, productsFile))) form.append("products", new Blob([readFileSync(path.join(examplesDir, productsFile), "utf8")], { type: "text/csv" }), productsFile);
        const asOfBom = await page.$eval("#as-of", (e) => e.value);
        const apiBom = await (await fetch(`${server.base}/api/v1/lookthrough?as_of=${asOfBom}`, { method: "POST", body: form })).json();
        const overviewRows = await page.$$eval("#bom-overview tr[data-line]", (trs) => trs.map((t) => `${t.dataset.line}=${t.dataset.lines}`));
        const expectedRows = apiBom.products.map((l) => `${l.product} · ${l.material}=${l.lines}`);
        check(`bom: picking ${pick} shows an overview of all its lines`, overviewRows.length > 0 && JSON.stringify(overviewRows) === JSON.stringify(expectedRows), `${overviewRows.length} rows, ${expectedRows.length} from the API`);
      }
      // The overview comes before the per-line detail; clicking a line shows its detail.
      const order = await page.evaluate(() => { const o = document.getElementById("bom-overview"), d = document.getElementById("bom-detail"); return o && d ? o.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING : 0; });
      check("bom: the overview comes before the per-line detail", order !== 0);
      const secondLine = await page.$$eval("#bom-overview tr[data-line]", (trs) => trs[trs.length - 1]?.dataset.line ?? "");
      await page.click(`#bom-overview tr[data-line="${secondLine}"]`);
      await page.waitForTimeout(300);
      check("bom: clicking an overview line shows its detail", (await page.$eval("#bom-line", (e) => e.value)) === secondLine, secondLine);
      await shot("bom-overview");
      // The template downloads, has the BOM's columns, and is itself a valid BOM.
      const [tpl] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.click("#bom-template")]);
      const tplPath = path.join(out, "bom_template.csv");
      await tpl.saveAs(tplPath);
      const tplText = readFileSync(tplPath, "utf8");
      const header = tplText.split("\n").find((l) => !l.startsWith("#"))?.split(",") ?? [];
      check("bom: the template has every required column", ["product", "part", "material", "stage", "kg_per_unit", "supplier_country", "tier"].every((c) => header.includes(c)), header.join(","));
      await page.setInputFiles("#bom-file", tplPath);
      await page.waitForFunction(() => document.body.dataset.bom === "bom_template.csv" && window.lodestone.ready, null, { timeout: 60_000 });
      check("bom: the template itself is a valid BOM", (await page.$("#bom-overview")) !== null && (await page.$("#bom-result .error")) === null);
      // A refused upload names the file in its messages.
      const badPath = path.join(out, "my_bad_bom.csv");
      writeFileSync(badPath, "product,part,material,stage,kg_per_unit,supplier,supplier_country,tier\nmotor,magnet,unobtainium,separation,abc,Acme,JPN,1\n");
      await page.setInputFiles("#bom-file", badPath);
      await page.waitForFunction(() => document.body.dataset.bom === "my_bad_bom.csv" && window.lodestone.ready, null, { timeout: 60_000 });
      const errText = await page.$eval("#bom-result", (e) => e.textContent ?? "");
      check("bom: a refused BOM's messages name the uploaded file", errText.includes("my_bad_bom.csv:2:") && errText.includes("unobtainium"), errText.slice(0, 300));
      await shot("bom-error");
      // The browser logs the refused request (422) itself: that one is expected.
      consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !e.includes("422")));
    }
    noErrors("bom");
    await tooltipsAreText("bom");
    await shot("bom");
  }

  // -- decisions (web/e2e/decisions.mjs) ----------------------------------------------------------
  await checkDecisions({ page, base: server.base, token, source, out, check, option, open, shot, consoleErrors, noErrors });
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
