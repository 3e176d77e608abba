// What the docs' pictures share (render-forms.ts, render-charts.ts): the bundled sample loaded
// into a temporary warehouse (sample/phuluc.config.json), sample/template.xlsx filled for a year,
// the workbook printed to PDF by LibreOffice with a fresh profile (so that no user setting, or a
// running instance, differs), and a page of it rasterised by pdftoppm.
//
// Needs `soffice` (LibreOffice) and `pdftoppm`/`pdfinfo`/`pdftotext` (Debian poppler-utils) on PATH.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../core/config.js";
import { runLoad } from "../etl/commands.js";
import { fillWorkbook } from "../fill/fill.js";
import { openCurrent } from "../warehouse/generations.js";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// a fixed time: the lineage part records it, nothing in the pictures depends on the day
const NOW = new Date("2024-06-30T03:00:00Z");

export interface FilledPdf {
  pdf: string;
  pages: number;
  /** the text of a page (1-based), NFC; `layout` keeps the page's columns */
  text(page: number, layout?: boolean): string;
}

/** The sample filled for `year` (with the chart sheet when asked), printed to PDF inside `work`. */
export async function filledSamplePdf(work: string, year: number, opts: { charts?: boolean } = {}): Promise<FilledPdf> {
  const config = ConfigSchema.parse(JSON.parse(readFileSync(join(root, "sample", "phuluc.config.json"), "utf8")));
  const db = join(work, "w.duckdb");
  const report = await runLoad({ inbox: join(root, "sample", "inbox"), db, config, quiet: true, now: () => NOW });
  if (report.outcome !== "loaded") throw new Error(`etl load: ${report.outcome}`);
  const w = await openCurrent(db);
  let bytes: Uint8Array;
  try {
    const template = readFileSync(join(root, "sample", "template.xlsx"));
    bytes = (await fillWorkbook({ db: w, year, template, now: NOW, ...(opts.charts ? { charts: true } : {}) })).bytes;
  } finally {
    w.close();
  }
  const name = `phu-luc-${year}`;
  writeFileSync(join(work, `${name}.xlsx`), bytes);
  const profile = join(work, "profile");
  execFileSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", work, join(work, `${name}.xlsx`)], {
    stdio: "pipe",
    timeout: 180_000,
  });
  const pdf = join(work, `${name}.pdf`);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))?.[1] ?? 0);
  const text = (page: number, layout = false) =>
    execFileSync("pdftotext", ["-f", String(page), "-l", String(page), ...(layout ? ["-layout"] : []), pdf, "-"], { encoding: "utf8" }).normalize("NFC");
  return { pdf, pages, text };
}

/** One page of the PDF as `<outBase>.png`, at `dpi`, cut to `crop` (pixels at that dpi) when given. */
export function pagePng(pdf: string, page: number, outBase: string, dpi: number, crop?: { x: number; y: number; w: number; h: number }): string {
  mkdirSync(dirname(outBase), { recursive: true });
  const cut = crop ? ["-x", String(crop.x), "-y", String(crop.y), "-W", String(crop.w), "-H", String(crop.h)] : [];
  execFileSync("pdftoppm", ["-r", String(dpi), "-png", "-f", String(page), "-l", String(page), ...cut, "-singlefile", pdf, outBase]);
  return `${outBase}.png`;
}
