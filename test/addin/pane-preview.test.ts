// The pane in a real browser: the real server (api/serve-command.ts startServer → createApp) on
// 127.0.0.1 over a warehouse built from sample/inbox by the real ETL, the pane built by
// addin/build.ts with the npm package's office.js, Debian's chromium driven by
// playwright-core. Outside Excel the page opens in preview mode; the figures it shows must be the
// API's. Every request to another host is refused (no network at run time) and listed.
// At 320, 350 and 450 px: no sideways scroll, axe, the keyboard. Saves docs/pane-preview.png.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { buildPane } from "../../addin/build.js";
import { formatFigure } from "../../addin/pane/view.js";
import { checkWidth } from "./browser/harness.js";

const ROOT = resolve(import.meta.dirname, "../..");

function findChromium(): string | null {
  const env = process.env.PHULUC_CHROMIUM;
  if (env && existsSync(env)) return env;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const p = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (p) return p;
    } catch {
      /* not on PATH */
    }
  }
  return null;
}

const CHROMIUM = findChromium();
if (!CHROMIUM) console.warn("test/addin/pane-preview: chromium not found (PATH or PHULUC_CHROMIUM): the browser test is skipped");

const KEY = "pane-preview-test-key-0123456789";
const YEAR = 2024;

describe.skipIf(!CHROMIUM)("the task pane in preview mode (chromium)", { timeout: 180_000 }, () => {
  let work: string;
  let server: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  const foreign: string[] = [];
  const consoleErrors: string[] = [];
  let source: "warehouse" | "canned" = "canned";

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "phuluc-pane-"));
    const paneDir = join(work, "pane");
    await buildPane({ outDir: paneDir, officeJs: "local", minify: false });

    // A real warehouse from sample/inbox when the ETL can build one; else the real API over
    // canned figures (said on the console, so that a skipped warehouse is visible).
    try {
      const { loadConfig } = await import("../../core/config.js");
      const { runLoad } = await import("../../etl/commands.js");
      const db = join(work, "phuluc.duckdb");
      const report = await runLoad({ inbox: join(ROOT, "sample", "inbox"), db, config: loadConfig(join(ROOT, "sample", "phuluc.config.json")), quiet: true });
      if (report.outcome === "rejected") throw new Error("sample inbox rejected");
      const { startServer } = await import("../../api/serve-command.js");
      server = await startServer({ db, host: "127.0.0.1", port: 0, paneDir }, { ...process.env, PHULUC_API_KEY: KEY, PHULUC_LOG_LEVEL: "silent" }, () => {});
      source = "warehouse";
    } catch (e) {
      console.warn(`test/addin/pane-preview: no warehouse from sample/inbox (${(e as Error).message.split("\n")[0]}): the real API over canned figures`);
      const { startStubApi } = await import("./stub-api.js");
      server = await startStubApi(paneDir, KEY);
      source = "canned";
    }

    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM!,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 900, height: 1400 },
      locale: "vi-VN",
      timezoneId: "Asia/Ho_Chi_Minh",
    });
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === "127.0.0.1" || u.protocol === "data:") return route.continue();
      foreign.push(u.href);
      return route.abort();
    });
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    await page.addInitScript(
      ([url, key, year]) => localStorage.setItem("phuluc.pane.v1", JSON.stringify({ server: url, key, year })),
      [server.url, KEY, YEAR] as const,
    );
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("lists the forms, shows each on a page of its own at full width, the charts and the load history", async () => {
    await page.goto(`${server.url}/index.html`);
    await page.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    expect(await page.getAttribute("body", "data-mode")).toBe("preview");
    expect(await page.textContent("#mode")).toContain("Xem trước");
    expect(await page.isHidden("#excel-forms")).toBe(true);
    await page.waitForSelector("#preview-list li");
    expect(await page.locator("#preview-list li").count()).toBe(6);

    // PL02 on its own page: its figures are the API's, shown as the form's number format shows them
    await page.click("#preview-list a[href='#form=pl02']");
    await page.waitForSelector("#preview-table table.form-table");
    expect(await page.getAttribute("body", "data-page")).toBe("form");
    expect(await page.isHidden("#preview")).toBe(true);
    const api = (await (
      await fetch(`${server.url}/api/forms/pl02?year=${YEAR}`, { headers: { Authorization: `Bearer ${KEY}` } })
    ).json()) as { rows: { rowKey: string; values: Record<string, unknown> }[] };
    const total = api.rows.find((r) => r.rowKey === "01")!;
    const shown = (await page.textContent("#preview-table tr[data-row='01']")) ?? "";
    const figures = ["c1", "c2", "c3", "c4", "c5"].map((c) => formatFigure(total.values[c], "money")).filter((s) => s !== "");
    expect(figures.length).toBeGreaterThan(0);
    for (const f of figures) expect(shown).toContain(f);
    expect(await page.textContent("#preview-table caption")).toContain(String(YEAR));
    // the label column is readable (not one word per line): at least 18em wide
    const labelWidth = await page.evaluate(() => (document.querySelector("#preview-table td.label") as HTMLElement).offsetWidth);
    expect(labelWidth).toBeGreaterThanOrEqual(18 * 12);
    mkdirSync(join(ROOT, "docs"), { recursive: true });
    // Into out/ on every run; PHULUC_SCREENSHOTS=docs refreshes the committed picture in docs/.
    await page.screenshot({ path: join(ROOT, process.env.PHULUC_SCREENSHOTS === "docs" ? "docs" : "out", "pane-preview.png"), fullPage: true });

    // another form, back to the list
    await page.goto(`${server.url}/index.html#form=pl03`);
    await page.waitForSelector("#preview-table caption:has-text('03')");
    expect(await page.locator("#preview-table tbody tr").count()).toBeGreaterThan(1);
    await page.click("#back");
    await page.waitForSelector("#preview-list li");

    // the two charts, drawn as SVG bars; the history of load runs (asked for when opened)
    expect(await page.locator("#charts svg").count()).toBe(2);
    expect(await page.locator("#charts svg rect").count()).toBeGreaterThan(4);
    await page.click("#more summary");
    await page.waitForSelector("#runs-body table, #runs-body p");
    expect(await page.textContent("#runs-body")).toMatch(/\d/);
    expect(await page.textContent("#status")).toContain("Đã kết nối");

    // at the widths of a task pane: no sideways scroll of the page, axe, the keyboard
    const widths = [];
    for (const hash of ["", "#form=pl02"]) {
      await page.goto(`${server.url}/index.html${hash}`);
      await page.waitForSelector(hash ? "#preview-table table" : "#preview-list li");
      for (const w of [320, 350, 450]) {
        const f = await checkWidth(page, w);
        widths.push({ page: hash || "list", ...f });
        expect(f.scrollWidth, JSON.stringify(f)).toBeLessThanOrEqual(f.clientWidth);
        expect(f.axeSerious, JSON.stringify(f)).toBe(0);
        expect(f.reached, JSON.stringify(f)).toBe(f.controls);
      }
    }
    console.log(`test/addin/pane-preview widths: ${JSON.stringify(widths)}`);

    // Nothing left the machine: requests to other hosts are refused here and listed. Outside
    // Office, office.js tries to frame its telemetry page; the server's CSP blocks that frame
    // (a console error we expect, not a request).
    expect(foreign.filter((u) => !u.startsWith("https://appsforoffice.microsoft.com/"))).toEqual([]);
    const unexpected = consoleErrors.filter((e) => !/appsforoffice|net::ERR_FAILED|^Framing 'https:\/\/telemetryservice\.[^']*' violates the following Content Security Policy/.test(e));
    expect(unexpected).toEqual([]);
  });

  it("says so when the key is wrong", async () => {
    const p = await context.newPage();
    await p.addInitScript(([url]) => localStorage.setItem("phuluc.pane.v1", JSON.stringify({ server: url, key: "wrong-key", year: 2024 })), [server.url] as const);
    await p.goto(`${server.url}/index.html`);
    await p.waitForSelector("body[data-ready='1']", { timeout: 60_000 });
    await p.waitForSelector("#status.error");
    expect(await p.textContent("#status")).toContain("UNAUTHORIZED");
    await p.close();
  });
});
