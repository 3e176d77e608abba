// The task pane end to end in chromium, at the widths Excel gives a task pane (320, 350, 450 px):
// the real server (startServer → createApp) over a warehouse the real ETL built from sample/inbox,
// the pane as addin/build.ts builds it, and — in the page — the recording mock Excel
// holding the bundled template (sample/template.xlsx), exposed as the `Excel` global. The pane's
// own code connects (the key typed, Enter), reads the workbook, shows what a fill will change,
// fills all (keyboard), lists the changes; then the simulated workbook's cells are compared with
// the headless fill's (`phuluc fill` on the same template and warehouse).
// At each width: no horizontal scroll, no serious or critical axe violation, every control reached
// with Tab. The figures (overflow, axe, requests per action, syncs per form, largest request) are
// printed; PHULUC_SCREENSHOTS=docs writes the screenshots into docs/ (else out/).
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPane } from "../../addin/build.js";
import type { MockSheetInit } from "../doubles/mock-excel.js";
import { checkWidth, excelPage, findChromium, launch, type WidthFigures } from "./browser/harness.js";
import { templateSheets } from "./template.js";

const ROOT = resolve(import.meta.dirname, "../..");
const KEY = "pane-e2e-test-key-0123456789abcdef";
const YEAR = 2024;
const WIDTHS = [320, 350, 450];
const FIVE_MB = 5 * 1024 * 1024;
const SHOTS = join(ROOT, process.env.PHULUC_SCREENSHOTS === "docs" ? "docs" : "out");

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn("test/addin/pane-e2e: chromium not found (PATH or PHULUC_CHROMIUM): the browser test is skipped");

function expectUsable(f: WidthFigures): void {
  expect(f, JSON.stringify(f)).toMatchObject({ axeSerious: 0 });
  expect(f.scrollWidth, JSON.stringify(f)).toBeLessThanOrEqual(f.clientWidth);
  expect(f.reached, JSON.stringify(f)).toBe(f.controls);
}

/** The API requests a page sends while `action` runs (and until `done` holds). */
async function requestsDuring(page: Page, action: () => Promise<void>, done: () => Promise<unknown>): Promise<{ path: string; bytes: number }[]> {
  const seen: { path: string; bytes: number }[] = [];
  const on = (r: import("playwright-core").Request) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith("/api/")) seen.push({ path: `${u.pathname}${u.search}`, bytes: Buffer.byteLength(r.postData() ?? "") + u.href.length });
  };
  page.on("request", on);
  await action();
  await done();
  await page.waitForTimeout(200);
  page.off("request", on);
  return seen;
}

/** A sheet's cells as text for comparison: formulas by their text (without $, in capitals), values as they are. */
function cellsOf(s: MockSheetInit | { name: string; values: unknown[][]; formulas: unknown[][] }): Map<string, string> {
  const out = new Map<string, string>();
  const rows = "rows" in s ? s.rows : s.formulas;
  rows.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v === null || v === undefined || v === "") return;
      out.set(`${r + 1},${c + 1}`, typeof v === "string" && v.startsWith("=") ? v.replace(/\$/g, "").toUpperCase() : String(v));
    }),
  );
  return out;
}

describe.skipIf(!CHROMIUM)("the task pane end to end (chromium, mock Excel, real server)", { timeout: 300_000 }, () => {
  let work: string;
  let server: { url: string; close(): Promise<void> };
  let db: string;
  let context: BrowserContext;
  let headless: MockSheetInit[];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "phuluc-pane-e2e-"));
    const paneDir = join(work, "pane");
    await buildPane({ outDir: paneDir, officeJs: "local", minify: false });
    const { loadConfig } = await import("../../core/config.js");
    const { runLoad } = await import("../../etl/commands.js");
    db = join(work, "phuluc.duckdb");
    const report = await runLoad({ inbox: join(ROOT, "sample", "inbox"), db, config: loadConfig(join(ROOT, "sample", "phuluc.config.json")), quiet: true });
    expect(report.outcome).not.toBe("rejected");
    const { startServer } = await import("../../api/serve-command.js");
    server = await startServer({ db, host: "127.0.0.1", port: 0, paneDir }, { ...process.env, PHULUC_API_KEY: KEY, PHULUC_LOG_LEVEL: "silent" }, () => {});
    // the headless fill of the same template from the same warehouse, with its chart sheet (as Fill all)
    const { fillCommand } = await import("../../fill/command.js");
    const out = join(work, "headless.xlsx");
    const code = await fillCommand({ db, year: YEAR, template: join(ROOT, "sample", "template.xlsx"), out, form: [], charts: true }, { log: () => {}, err: () => {} });
    expect([0, 3]).toContain(code);
    headless = await templateSheets(out);
    ({ context } = await launch(CHROMIUM!, join(work, "profile"), { width: 350, officeJs: "block" }));
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    if (Object.keys(figures).length) console.log(`test/addin/pane-e2e figures:\n${JSON.stringify(figures, null, 1)}`);
    await context?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("Connect → what a fill will change → Fill all → the change list; the workbook equals the headless fill's", async () => {
    const { page, errors } = await excelPage(context, { sheets: await templateSheets(), settings: { server: server.url, key: "", year: null } });
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    expect(await page.getAttribute("body", "data-mode")).toBe("excel");
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.textContent("#status")).toContain("Nhập khóa API");

    // Connect: the key typed, Enter — each request once
    await page.fill("#apikey", KEY);
    const connect = await requestsDuring(
      page,
      () => page.press("#apikey", "Enter"),
      () => page.waitForSelector("#changes-body .form-result, #status.error", { timeout: 60_000 }),
    );
    const paths = connect.map((r) => r.path);
    expect(new Set(paths).size, paths.join("\n")).toBe(paths.length);
    expect(paths).toHaveLength(9); // health, forms, years, six forms' figures
    // the plan year: the latest the warehouse has figures for, not the clock's
    expect(await page.inputValue("#year")).toBe(String(YEAR));
    expect(await page.isHidden("#year-warning")).toBe(true);
    const found = await page.locator("#form-list li").allTextContents();
    expect(found).toHaveLength(6);
    for (const t of found) expect(t).toContain("tìm thấy");
    // nothing written yet
    const mockBefore = await page.evaluate(() => window.__phuluc.events.filter((e) => e.kind === "set").length);
    expect(mockBefore).toBe(0);
    const pending = await page.locator("#changes-body .form-result").count();
    expect(pending).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "pane-before-fill.png"), fullPage: true });

    const before = [];
    for (const w of WIDTHS) before.push(await checkWidth(page, w));
    figures.beforeFill = before;
    before.forEach(expectUsable);
    await page.setViewportSize({ width: 350, height: 900 });

    // Fill all, from the keyboard: one request (has the warehouse moved?)
    await page.focus("#fill-all");
    const fillReqs = await requestsDuring(
      page,
      () => page.keyboard.press("Enter"),
      () => page.waitForSelector("#result-body .form-result, #status.error", { timeout: 60_000 }),
    );
    expect(await page.getAttribute("#status", "class")).not.toContain("error");
    expect(fillReqs.map((r) => r.path)).toEqual(["/api/health"]);
    const syncs = JSON.parse((await page.getAttribute("#result", "data-syncs")) ?? "{}") as Record<string, number>;
    // six forms, and the chart sheet Fill all writes after them
    expect(Object.keys(syncs).sort()).toEqual(["charts", "pl01", "pl02", "pl03", "pl04", "pl05", "pl06"]);
    for (const [k, n] of Object.entries(syncs)) if (k !== "charts") expect(n).toBeLessThanOrEqual(3);
    const wire = await page.evaluate(() => {
      const s = window.__phuluc.events.filter((e) => e.kind === "sync") as { requestBytes: number; responseBytes: number }[];
      return { syncs: s.length, maxRequest: Math.max(...s.map((e) => e.requestBytes)), maxResponse: Math.max(...s.map((e) => e.responseBytes)), textWithoutFormat: window.__phuluc.textWithoutTextFormat.length };
    });
    expect(wire.maxRequest).toBeLessThan(FIVE_MB);
    expect(wire.maxResponse).toBeLessThan(FIVE_MB);
    expect(wire.textWithoutFormat).toBe(0);
    figures.requests = { connect: paths.length, connectPaths: paths, fillAll: fillReqs.length, largestHttpRequestBytes: Math.max(...[...connect, ...fillReqs].map((r) => r.bytes)) };
    figures.syncsPerForm = syncs;
    figures.officeJs = wire;

    // the change list: every changed cell a button that selects it in the workbook
    expect(await page.locator("#result-body .form-result").count()).toBe(6);
    expect(await page.textContent("#changes-body")).toContain("Không ô nào thay đổi");
    const first = page.locator("#result-body details.cells").first();
    await first.locator("summary").click();
    const go = first.locator("button[data-goto]").first();
    const [sheet, ref] = (await go.getAttribute("data-goto"))!.split("|");
    await go.click();
    await page.waitForFunction(([s, r]) => window.__phuluc.selection.sheet === s && window.__phuluc.selection.address === r, [sheet, ref]);
    // a figure shown as the form's number format shows it (#,##0: no decimals)
    const shown = (await first.locator(".new").allTextContents()).filter((t) => /\d/.test(t));
    expect(shown.length).toBeGreaterThan(0);
    for (const t of shown) expect(t).toMatch(/^-?\d{1,3}(\.\d{3})*(,\d)?$/);

    // the simulated workbook's cells equal the headless fill's
    const mockSheets = await page.evaluate(() => window.__phuluc.sheets.map((s) => ({ name: s.name, values: s.values, formulas: s.formulas })));
    let compared = 0;
    const diffs: string[] = [];
    for (const h of headless) {
      const m = mockSheets.find((s) => s.name === h.name);
      expect(m, h.name).toBeDefined();
      const a = cellsOf(h);
      const b = cellsOf(m!);
      for (const k of new Set([...a.keys(), ...b.keys()])) {
        compared++;
        if (a.get(k) !== b.get(k)) diffs.push(`${h.name}!${k}: headless ${a.get(k)} · pane ${b.get(k)}`);
      }
    }
    figures.cellsCompared = compared;
    // and the chart sheet holds native charts, as many as the headless fill drew
    const def = (await import("../../queries/charts.js")).loadChartSheet()!;
    const charts = await page.evaluate(() => window.__phuluc.charts.map((c) => c.sheet));
    expect(charts).toEqual(def.charts.map(() => def.sheetName));
    expect(diffs.slice(0, 20)).toEqual([]);

    await page.screenshot({ path: join(SHOTS, "pane-after-fill.png"), fullPage: true });
    const after = [];
    for (const w of WIDTHS) after.push(await checkWidth(page, w));
    figures.afterFill = after;
    after.forEach(expectUsable);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a form not found says why; a year without figures says so before anything is filled", async () => {
    const sheets = (await templateSheets()).filter((s) => s.name !== "PL05");
    const { page, errors } = await excelPage(context, { sheets, settings: { server: server.url, key: KEY, year: null } });
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector("#form-list li[data-form='pl05']", { timeout: 60_000 });
    const li = (await page.textContent("#form-list li[data-form='pl05']")) ?? "";
    expect(li).toContain("không thấy");
    expect(await page.textContent("#forms-count")).toBe("(5/6)");
    await page.screenshot({ path: join(SHOTS, "pane-form-not-found.png"), fullPage: true });
    figures.notFound = await checkWidth(page, 350);
    expectUsable(figures.notFound as WidthFigures);

    // a year the warehouse has no figures for: said at once, Fill refused, nothing written
    await page.fill("#year", "2027");
    await page.press("#year", "Tab");
    await page.waitForSelector("#year-warning:not([hidden])");
    expect(await page.textContent("#year-warning")).toContain("2027");
    expect(await page.textContent("#year-warning")).toContain("2024");
    expect(await page.isDisabled("#fill-all")).toBe(true);
    expect(await page.evaluate(() => window.__phuluc.events.filter((e) => e.kind === "set").length)).toBe(0);

    // one language at a time; the switch changes all of it
    await page.click("#lang");
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent("#h-forms")).toContain("Forms in this workbook");
    expect(await page.textContent("body")).not.toContain("Phụ lục trong sổ này");
    expect(await page.textContent("#year-warning")).toContain("no figures for 2027");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("follows Office's display language (English)", async () => {
    const { page } = await excelPage(context, { sheets: await templateSheets(), settings: { server: server.url, key: KEY, year: null }, displayLanguage: "en-US" });
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector("#changes-body .form-result", { timeout: 60_000 });
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.textContent("#fill-all")).toBe("Fill all");
    await page.close();
  });
});

describe.skipIf(!CHROMIUM)("the task pane with a rule that does not add up (chromium, stub API)", { timeout: 300_000 }, () => {
  it("lists the broken rule, with a button that selects its cell", async () => {
    const work = mkdtempSync(join(tmpdir(), "phuluc-pane-rule-"));
    const paneDir = join(work, "pane");
    await buildPane({ outDir: paneDir, officeJs: "local", minify: false });
    const { startStubApi } = await import("./stub-api.js");
    const server = await startStubApi(paneDir, KEY, {
      rules: (form, year) =>
        form === "pl02"
          ? [
              {
                class: "arithmetic",
                rule: "sum-of-sources",
                ok: false,
                form,
                rowKey: "01",
                column: "c1",
                expected: "41612.000000",
                actual: "41500.000000",
                problem: {
                  code: "RULE_ARITHMETIC",
                  severity: "error",
                  place: { form, row: "01", column: "c1" },
                  vi: `Tổng nguồn (c1) năm ${year} không bằng tổng các nguồn: 41.612 ≠ 41.500`,
                  en: `Total (c1) for ${year} is not the sum of its sources: 41,612 ≠ 41,500`,
                },
              },
            ]
          : [],
    });
    const { context } = await launch(CHROMIUM!, join(work, "profile"), { width: 350, officeJs: "block" });
    try {
      const { page, errors } = await excelPage(context, { sheets: await templateSheets(), settings: { server: server.url, key: KEY, year: null } });
      await page.goto(`${server.url}/index.html`);
      await page.waitForSelector("#rules-body li", { timeout: 60_000 });
      expect(await page.textContent("#rules-count")).toBe("(1)");
      const rule = page.locator("#rules-body button[data-goto]");
      expect(await rule.textContent()).toContain("41.612 ≠ 41.500");
      await page.screenshot({ path: join(SHOTS, "pane-rule-broken.png"), fullPage: true });
      const [sheet] = (await rule.getAttribute("data-goto"))!.split("|");
      await rule.click();
      await page.waitForFunction((s) => window.__phuluc.selection.sheet === s, sheet);
      expectUsable(await checkWidth(page, 350));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
