// The pane in EXCEL mode in chromium: the page gets the recording mock Excel (bundled for the
// browser) holding the bundled template, and an Office object that says "Excel"; the API is the
// real createApp over canned figures (test/addin/stub-api.ts). Two sheets alike → the picker →
// Fill one fills only the chosen sheet; select a filled cell → the facts behind it.
// (The whole flow against a real warehouse, the widths, axe and the keyboard: pane-e2e.test.ts.)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPane } from "../../addin/build.js";
import { excelPage, findChromium, launch } from "./browser/harness.js";
import { startStubApi } from "./stub-api.js";
import { templateSheets } from "./template.js";

const KEY = "pane-excel-test-key-0123456789ab";
const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn("test/addin/pane-excel: chromium not found (PATH or PHULUC_CHROMIUM): the browser test is skipped");

describe.skipIf(!CHROMIUM)("the task pane in Excel mode (chromium + mock Excel)", { timeout: 180_000 }, () => {
  let work: string;
  let server: { url: string; close(): Promise<void> };
  let context: BrowserContext;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "phuluc-pane-excel-"));
    const paneDir = join(work, "pane");
    await buildPane({ outDir: paneDir, officeJs: "local", minify: false });
    server = await startStubApi(paneDir, KEY);
    ({ context } = await launch(CHROMIUM!, join(work, "profile"), { width: 350, height: 1200, officeJs: "block" }));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function openPane(sheets: Awaited<ReturnType<typeof templateSheets>>) {
    const { page, errors } = await excelPage(context, { sheets, settings: { server: server.url, key: KEY, year: 2024 } });
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await page.waitForSelector("#form-list li");
    return { page, errors };
  }

  it("two sheets alike: the picker chooses, Fill one fills only the chosen sheet", async () => {
    const sheets = await templateSheets();
    sheets.push({ ...sheets.find((s) => s.name === "PL02")!, name: "PL02 (2)" });
    const { page, errors } = await openPane(sheets);
    const picker = page.locator("select[data-choose='pl02']");
    expect(await picker.locator("option").allTextContents()).toEqual(["—", "PL02", "PL02 (2)"]);
    await picker.selectOption("PL02 (2)");
    await page.waitForSelector("#form-list li[data-form='pl02']:has-text('“PL02 (2)”')");
    // the plan for the chosen sheet is shown before anything is written
    await page.waitForSelector("#changes-body .form-result[data-form='pl02']:has-text('PL02 (2)')");
    await page.selectOption("#fill-one-form", "pl02");
    await page.click("#fill-one");
    await page.waitForSelector("#result-body .form-result, #status.error", { timeout: 60_000 });
    expect(await page.textContent("#status")).toContain("Đã điền 1");
    const filled = await page.evaluate(() =>
      ["PL02", "PL02 (2)"].map((n) => window.__phuluc.sheets.find((s) => s.name === n)!.values.flat().includes(41612)),
    );
    expect(filled).toEqual([false, true]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("fills all, then a selected filled cell shows the facts behind it", async () => {
    const { page, errors } = await openPane(await templateSheets());
    await page.click("#fill-all");
    await page.waitForSelector("#result-body .form-result, #status.error", { timeout: 60_000 });
    expect(await page.textContent("#status")).toContain("Đã điền 6");
    const mock = await page.evaluate(() => ({
      textWithoutFormat: window.__phuluc.textWithoutTextFormat.length,
      parts: window.__phuluc.xmlParts.length,
      pl02: window.__phuluc.sheets.find((s) => s.name === "PL02")!.values.flat().includes(41612),
    }));
    expect(mock).toEqual({ textWithoutFormat: 0, parts: 1, pl02: true });

    // "select the filled range": the range is selected in the workbook
    const range = page.locator("#result-body .form-result[data-form='pl02'] button[data-goto]").first();
    const [sheet, address] = (await range.getAttribute("data-goto"))!.split("|");
    expect(address).toMatch(/^[A-Z]+\d+:[A-Z]+\d+$/);
    await range.click();
    await page.waitForFunction(([s, a]) => window.__phuluc.selection.sheet === s && window.__phuluc.selection.address === a, [sheet, address]);

    const cell = await page.evaluate(() => {
      const xml = window.__phuluc.xmlParts[0].xml;
      const m = /<sheet name="([^"]+)"[^>]*>\s*<cell ref="([A-Z]+\d+)" id="([^"]+)"/.exec(xml)!;
      return { sheet: m[1], ref: m[2], id: m[3] };
    });
    await page.evaluate(({ sheet, ref }) => window.__phuluc.select(sheet, ref), cell);
    await page.waitForSelector("#lineage-body table");
    const lineage = (await page.textContent("#lineage-body")) ?? "";
    expect(lineage).toContain(`${cell.sheet}!${cell.ref}`);
    expect(lineage).toContain("Du toan 2024.xlsx");
    expect(lineage).toContain("Số liệu tính đến");
    expect(errors).toEqual([]);
    await page.close();
  });
});
