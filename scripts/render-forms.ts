// Pictures of two filled forms for the docs: the bundled sample loaded into a temporary warehouse
// (sample/phuluc.config.json), sample/template.xlsx filled for 2024, the workbook printed to PDF
// by LibreOffice and the pages of PL01 (the execution report) and PL04 (the national tasks)
// rasterised by pdftoppm into docs/forms/pl01.png and docs/forms/pl04.png.
//
//   npx tsx scripts/render-forms.ts [outDir=docs/forms]
//
// Needs `soffice` (LibreOffice) and `pdftoppm`/`pdftotext` (Debian poppler-utils) on PATH.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../core/config.js";
import { runLoad } from "../etl/commands.js";
import { openCurrent } from "../warehouse/generations.js";
import { fillWorkbook } from "../fill/fill.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = resolve(process.argv[2] ?? join(root, "docs", "forms"));
/** The forms pictured: output name → the title line in the sheet's A1. */
const FORMS: { file: string; title: string; sheetIndex: number }[] = [
  { file: "pl01", title: "Phụ lục 01", sheetIndex: 0 },
  { file: "pl04", title: "Phụ lục 04", sheetIndex: 3 },
];
// a fixed time: the lineage part records it, nothing in the pictures depends on the day
const NOW = new Date("2024-06-30T03:00:00Z");

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "phuluc-render-"));
  try {
    // 1. the sample into a fresh warehouse
    const config = ConfigSchema.parse(JSON.parse(readFileSync(join(root, "sample", "phuluc.config.json"), "utf8")));
    const db = join(work, "w.duckdb");
    const report = await runLoad({ inbox: join(root, "sample", "inbox"), db, config, quiet: true, now: () => NOW });
    if (report.outcome !== "loaded") throw new Error(`etl load: ${report.outcome}`);

    // 2. the template filled for 2024
    const w = await openCurrent(db);
    let bytes: Uint8Array;
    try {
      bytes = (await fillWorkbook({ db: w, year: 2024, template: readFileSync(join(root, "sample", "template.xlsx")), now: NOW })).bytes;
    } finally {
      w.close();
    }
    const xlsx = join(work, "phu-luc-2024.xlsx");
    writeFileSync(xlsx, bytes);

    // 3. PDF: a fresh LibreOffice profile, so that no user setting (or a running instance) differs
    const profile = join(work, "profile");
    execFileSync("soffice", [`-env:UserInstallation=file://${profile}`, "--headless", "--convert-to", "pdf", "--outdir", work, xlsx], {
      stdio: "pipe",
      timeout: 180_000,
    });
    const pdf = join(work, "phu-luc-2024.pdf");

    // 4. the page of each form: pages follow the sheet order, but a long sheet takes several,
    //    so find the page that starts with the form's title (its A1), by sheet order if none does
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))?.[1] ?? 0);
    const texts = Array.from({ length: pages }, (_, i) => execFileSync("pdftotext", ["-f", String(i + 1), "-l", String(i + 1), "-layout", pdf, "-"], { encoding: "utf8" }));
    mkdirSync(outDir, { recursive: true });
    for (const f of FORMS) {
      const hit = texts.findIndex((t) => t.normalize("NFC").includes(f.title));
      const page = hit >= 0 ? hit + 1 : f.sheetIndex + 1;
      execFileSync("pdftoppm", ["-r", "80", "-png", "-f", String(page), "-l", String(page), "-singlefile", pdf, join(outDir, f.file)]);
      console.log(`${f.title}: page ${page} of ${pages} → ${join(outDir, `${f.file}.png`)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
