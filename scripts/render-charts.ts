// The picture of the headless fill's chart sheet for the docs: the bundled sample loaded into a
// temporary warehouse, sample/template.xlsx filled for 2024 with the chart sheet (`charts: true`),
// the workbook printed to PDF by LibreOffice and the chart sheet's page (the one that starts with
// its title) rasterised by pdftoppm, the blank page margin cut off, into docs/charts-headless.png.
// What it shows is LibreOffice drawing the DrawingML parts the fill wrote — no Excel involved.
//
//   npx tsx scripts/render-charts.ts [out=docs/charts-headless.png]
//
// Needs `soffice` (LibreOffice) and `pdftoppm`/`pdfinfo`/`pdftotext` (Debian poppler-utils) on PATH
// (scripts/render-pdf.ts does the loading, the fill, the printing and the rasterising).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadChartSheet } from "../queries/charts.js";
import { withYear } from "../fill/engine/index.js";
import { filledSamplePdf, pagePng, root } from "./render-pdf.js";

const out = resolve(process.argv[2] ?? join(root, "docs", "charts-headless.png"));
const YEAR = 2024;
/** 110 dpi, landscape A4: the part of the page that holds the tables and charts */
const DPI = 110;
const CROP = { x: 40, y: 50, w: 1210, h: 640 };

async function main(): Promise<void> {
  const def = loadChartSheet();
  if (!def) throw new Error("no queries/charts/charts.json: nothing to render");
  const work = mkdtempSync(join(tmpdir(), "phuluc-charts-"));
  try {
    const { pdf, pages, text } = await filledSamplePdf(work, YEAR, { charts: true });
    const title = withYear(def.title, YEAR);
    let page = pages; // the chart sheet is the last sheet
    for (let i = 1; i <= pages; i++) if (text(i).includes(title)) page = i;
    pagePng(pdf, page, out.replace(/\.png$/, ""), DPI, CROP);
    console.log(`chart sheet: page ${page} of ${pages} → ${out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
