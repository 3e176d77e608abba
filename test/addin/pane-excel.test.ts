// The pane in EXCEL mode in chromium: the page gets the recording mock Excel (bundled for the
// browser) holding the bundled template, and an Office object that says "Excel"; the API is the
// real createApp over canned figures. Scan → six forms found → Fill all → result panel → click a
// change (the cell is selected) → select a filled cell → its facts. Saves docs/pane-excel.png.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPane } from "../../scripts/build-pane.js";
import { startStubApi } from "./stub-api.js";
import { templateSheets } from "./template.js";

const ROOT = resolve(import.meta.dirname, "../..");
const KEY = "pane-excel-test-key-0123456789ab";

function findChromium(): string | null {
  const env = process.env.PHULUC_CHROMIUM;
  if (env && existsSync(env)) return env;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}
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
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM!,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 420, height: 1600 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
    });
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      // the page's own office.js would replace our Office: serve nothing in its place
      if (u.pathname.endsWith("/office.js")) return route.fulfill({ body: "", contentType: "text/javascript" });
      if (u.hostname === "127.0.0.1") return route.continue();
      return route.abort();
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function openPane(sheets: Awaited<ReturnType<typeof templateSheets>>) {
    const bundle = await build({
      entryPoints: [join(ROOT, "test", "addin", "browser", "excel-entry.ts")],
      bundle: true,
      format: "iife",
      globalName: "__phulucMock",
      platform: "browser",
      write: false,
      alias: { "office-addin-mock": join(ROOT, "test", "addin", "browser", "office-addin-mock-shim.ts") },
      logLevel: "error",
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript({
      content: `${bundle.outputFiles[0].text};__phulucMock.install(${JSON.stringify(sheets)});
localStorage.setItem("test-partition:phuluc.pane.v1", JSON.stringify({ server: ${JSON.stringify(server.url)}, key: ${JSON.stringify(KEY)}, year: 2024 }));`,
    });
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
    await page.waitForSelector("#form-list li:has-text('“PL02 (2)”')");
    await page.click("[data-fill='pl02']");
    await page.waitForSelector("#status:has-text('Đã điền'), #status.error", { timeout: 60_000 });
    expect(await page.textContent("#status")).toContain("Đã điền 1");
    const filled = await page.evaluate(() =>
      ["PL02", "PL02 (2)"].map((n) => window.__phuluc.sheets.find((s) => s.name === n)!.values.flat().includes(41612)),
    );
    expect(filled).toEqual([false, true]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("scans, fills all six forms, shows changes, selects cells and shows a cell's facts", async () => {
    const { page, errors } = await openPane(await templateSheets());
    expect(await page.getAttribute("body", "data-mode")).toBe("excel");
    expect(await page.isHidden("#preview")).toBe(true);

    // the forms found, where
    const items = await page.locator("#form-list li").allTextContents();
    expect(items).toHaveLength(6);
    for (const t of items) expect(t).toContain("tìm thấy");
    expect(items.join(" ")).toContain("“PL03”");

    // Fill all (keyboard: focus the button, Enter)
    await page.focus("#fill-all");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#status:has-text('Đã điền'), #status.error", { timeout: 60_000 });
    expect(await page.textContent("#status")).toContain("Đã điền 6");
    const status = (await page.textContent("#status")) ?? "";
    for (const m of status.matchAll(/PL0\d (\d+)/g)) expect(Number(m[1])).toBeLessThanOrEqual(3);
    expect(await page.locator("#result-body h3").count()).toBeGreaterThanOrEqual(6);
    const mock = await page.evaluate(() => ({
      textWithoutFormat: window.__phuluc.textWithoutTextFormat.length,
      parts: window.__phuluc.xmlParts.length,
      pl02: window.__phuluc.sheets.find((s) => s.name === "PL02")!.values.flat().includes(41612),
    }));
    expect(mock).toEqual({ textWithoutFormat: 0, parts: 1, pl02: true });

    // a change, clicked: the cell is selected in the workbook
    const first = page.locator("#result-body button[data-goto]").first();
    const goto = (await first.getAttribute("data-goto"))!.split("|");
    await first.click();
    await page.waitForFunction((sheet) => window.__phuluc.selection.sheet === sheet, goto[0]);

    // select a filled cell: the pane shows the facts behind it
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
    expect(lineage).toContain("data as of");
    expect(errors).toEqual([]);

    mkdirSync(join(ROOT, "docs"), { recursive: true });
    // Into out/ on every run; PHULUC_SCREENSHOTS=docs refreshes the committed picture in docs/.
    await page.screenshot({ path: join(ROOT, process.env.PHULUC_SCREENSHOTS === "docs" ? "docs" : "out", "pane-excel.png"), fullPage: true });
    await page.close();
  });
});
