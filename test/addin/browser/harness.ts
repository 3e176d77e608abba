// What the pane's browser tests share: Debian's chromium found (PATH or PHULUC_CHROMIUM), a
// persistent context that refuses every host but 127.0.0.1, and a page holding the recording mock
// Excel (bundled from excel-entry.ts, exposed as the `Excel` global) before pane.js runs.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { build } from "esbuild";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { MockSheetInit } from "../../doubles/mock-excel.js";

const ROOT = resolve(import.meta.dirname, "../../..");

export function findChromium(): string | null {
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

export async function launch(chromiumPath: string, profile: string, opts: { width?: number; height?: number; officeJs?: "block" | "serve" } = {}): Promise<{ context: BrowserContext; foreign: string[] }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: opts.width ?? 350, height: opts.height ?? 900 },
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  const foreign: string[] = [];
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    // in Excel mode the page's own office.js would replace our Office: serve nothing in its place
    if (opts.officeJs === "block" && u.pathname.endsWith("/office.js")) return route.fulfill({ body: "", contentType: "text/javascript" });
    if (u.hostname === "127.0.0.1" || u.protocol === "data:") return route.continue();
    foreign.push(u.href);
    return route.abort();
  });
  return { context, foreign };
}

let mockBundle: Promise<string> | null = null;

/** The mock Excel and an Office that says "Excel", as one script for the page. */
export function mockScript(): Promise<string> {
  mockBundle ??= build({
    entryPoints: [join(ROOT, "test", "addin", "browser", "excel-entry.ts")],
    bundle: true,
    format: "iife",
    globalName: "__phulucMock",
    platform: "browser",
    write: false,
    alias: { "office-addin-mock": join(ROOT, "test", "addin", "browser", "office-addin-mock-shim.ts") },
    logLevel: "error",
  }).then((b) => b.outputFiles[0].text);
  return mockBundle;
}

export interface PaneSetup {
  sheets: MockSheetInit[];
  /** stored settings (server, key, year, lang); none: the officer types them */
  settings?: Record<string, unknown>;
  displayLanguage?: string;
}

/** A page in Excel mode over the mock workbook, not yet navigated. */
export async function excelPage(context: BrowserContext, setup: PaneSetup): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const settings = setup.settings ? `localStorage.setItem("test-partition:phuluc.pane.v1", ${JSON.stringify(JSON.stringify(setup.settings))});` : `localStorage.removeItem("test-partition:phuluc.pane.v1");`;
  await page.addInitScript({
    content: `${await mockScript()};__phulucMock.install(${JSON.stringify(setup.sheets)}, ${JSON.stringify(setup.displayLanguage ?? "vi-VN")});\n${settings}`,
  });
  return { page, errors };
}

/**
 * Tab through the page from the top and list what took focus (id, or tag + text), until focus
 * comes back to an element seen before or `max` presses.
 */
export async function tabOrder(page: Page, max = 2000): Promise<string[]> {
  // start at the top of the page: a focus point before everything (not itself a tab stop)
  await page.evaluate(() => {
    let start = document.getElementById("__tab-start");
    if (!start) {
      start = document.createElement("span");
      start.id = "__tab-start";
      start.tabIndex = -1;
      document.body.prepend(start);
    }
    start.focus();
  });
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const who = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      return el.dataset.key ?? (el.id || `<${el.tagName.toLowerCase()}>`);
    });
    if (who === null || seen.includes(who)) break;
    seen.push(who);
  }
  return seen;
}

/** Give every visible control a key (data-key) and list them: what the keyboard must reach. */
export async function controls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const sel = "button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex='-1'])";
    const out: string[] = [];
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      // checkVisibility: not inside a closed <details> (content-visibility), display or visibility
      const visible = el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true } as CheckVisibilityOptions) && !!(el.offsetWidth || el.offsetHeight);
      if (!visible || (el as HTMLButtonElement).disabled) continue;
      el.dataset.key = el.id || `${el.tagName.toLowerCase()}-${n++}`;
      out.push(el.dataset.key);
    }
    return out;
  });
}

export interface WidthFigures {
  width: number;
  scrollWidth: number;
  clientWidth: number;
  axeSerious: number;
  axeAll: number;
  controls: number;
  reached: number;
}

/** At one width: overflow, axe (serious + critical), and Tab reaching every visible control. */
export async function checkWidth(page: Page, width: number): Promise<WidthFigures> {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(50);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  const axe = await new AxeBuilder({ page } as never).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const wanted = await controls(page);
  const reached = await tabOrder(page);
  return {
    width,
    scrollWidth,
    clientWidth,
    axeSerious: serious.length,
    axeAll: axe.violations.length,
    controls: wanted.length,
    reached: wanted.filter((k) => reached.includes(k)).length,
    ...(serious.length ? { seriousRules: serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`) } : {}),
    ...(wanted.some((k) => !reached.includes(k)) ? { missed: wanted.filter((k) => !reached.includes(k)) } : {}),
  } as WidthFigures;
}

