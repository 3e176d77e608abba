// The picture of the headless fill's chart sheet for the docs: the bundled sample loaded into a
// temporary warehouse, sample/template.xlsx filled for 2024 with the chart sheet (`charts: true`),
// the workbook printed to PDF by LibreOffice and the chart sheet's page (the one that starts with
// its title) rasterised by pdftoppm, the blank page margin cut off, into docs/charts-headless.png.
// What it shows is LibreOffice drawing the DrawingML parts the fill wrote — no Excel involved.
//
//   npx tsx scripts/render-charts.ts [out=docs/charts-headless.png]
//
// Needs `soffice` (LibreOffice) and `pdftoppm`/`pdfinfo`/`pdftotext` (Debian poppler-utils) on PATH.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../core/config.js";
import { runLoad } from "../etl/commands.js";
import { openCurrent } from "../warehouse/generations.js";
import { fillWorkbook } from "../fill/fill.js";
import { loadChartSheet } from "../queries/charts.js";
import { withYear } from "../fill/engine/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "docs", "charts-headless.png"));
const NOW = new Date("2024-06-30T03:00:00Z");
const YEAR = 2024;
/** 110 dpi, landscape A4: the part of the page that holds the tables and charts */
const DPI = 110;
const CROP = { x: 40, y: 50, w: 1210, h: 640 };

async function main(): Promise<void> {
  const def = loadChartSheet();
  if (!def) throw new Error("no queries/charts/charts.json: nothing to render");
  const work = mkdtempSync(join(tmpdir(), "phuluc-charts-"));
  try {
    const config = ConfigSchema.parse(JSON.parse(readFileSync(join(root, "sample", "phuluc.config.json"), "utf8")));
    const db = join(work, "w.duckdb");
    const report = await runLoad({ inbox: join(root, "sample", "inbox"), db, config, quiet: true, now: () => NOW });
    if (report.outcome !== "loaded") throw new Error(`etl load: ${report.outcome}`);
    const w = await openCurrent(db);
    let bytes: Uint8Array;
    try {
      bytes = (await fillWorkbook({ db: w, year: YEAR, template: readFileSync(join(root, "sample", "template.xlsx")), charts: true, now: NOW })).bytes;
    } finally {
      w.close();
    }
    const xlsx = join(work, "phu-luc-2024.xlsx");
    writeFileSync(xlsx, bytes);
    const profile = join(work, "profile");
    execFileSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", work, xlsx], { stdio: "pipe", timeout: 180_000 });
    const pdf = join(work, "phu-luc-2024.pdf");
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))?.[1] ?? 0);
    const title = withYear(def.title, YEAR);
    let page = pages; // the chart sheet is the last sheet
    for (let i = 1; i <= pages; i++) {
      if (execFileSync("pdftotext", ["-f", String(i), "-l", String(i), pdf, "-"], { encoding: "utf8" }).normalize("NFC").includes(title)) page = i;
    }
    mkdirSync(dirname(out), { recursive: true });
    const args = ["-r", String(DPI), "-png", "-f", String(page), "-l", String(page), "-x", String(CROP.x), "-y", String(CROP.y), "-W", String(CROP.w), "-H", String(CROP.h)];
    execFileSync("pdftoppm", [...args, "-singlefile", pdf, out.replace(/\.png$/, "")]);
    console.log(`chart sheet: page ${page} of ${pages} → ${out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
