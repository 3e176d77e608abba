// Pictures of two filled forms for the docs: the bundled sample loaded into a temporary warehouse
// (sample/phuluc.config.json), sample/template.xlsx filled for 2024, the workbook printed to PDF
// by LibreOffice and the pages of PL01 (the execution report) and PL04 (the national tasks)
// rasterised by pdftoppm into docs/forms/pl01.png and docs/forms/pl04.png.
//
//   npx tsx scripts/render-forms.ts [outDir=docs/forms]
//
// Needs `soffice` (LibreOffice) and `pdftoppm`/`pdfinfo`/`pdftotext` (Debian poppler-utils) on PATH
// (scripts/render-pdf.ts does the loading, the fill, the printing and the rasterising).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { filledSamplePdf, pagePng, root } from "./render-pdf.js";

const outDir = resolve(process.argv[2] ?? join(root, "docs", "forms"));
/** The forms pictured: output name → the title line in the sheet's A1. */
const FORMS: { file: string; title: string; sheetIndex: number }[] = [
  { file: "pl01", title: "Phụ lục 01", sheetIndex: 0 },
  { file: "pl04", title: "Phụ lục 04", sheetIndex: 3 },
];

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "phuluc-render-"));
  try {
    const { pdf, pages, text } = await filledSamplePdf(work, 2024);
    // the page of each form: pages follow the sheet order, but a long sheet takes several, so
    // find the page that starts with the form's title (its A1), by sheet order if none does
    const texts = Array.from({ length: pages }, (_, i) => text(i + 1, true));
    for (const f of FORMS) {
      const hit = texts.findIndex((t) => t.includes(f.title));
      const page = hit >= 0 ? hit + 1 : f.sheetIndex + 1;
      const png = pagePng(pdf, page, join(outDir, f.file), 80);
      console.log(`${f.title}: page ${page} of ${pages} → ${png}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
