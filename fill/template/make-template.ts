// The blank appendix workbook, generated from the form definitions: what a province that has no
// copy of its own starts from, and what the engine's tests edit into "real copies".
//   npx tsx fill/template/make-template.ts --out sample/template.xlsx --year 2024
// Deterministic: fixed document dates and zip entry times, so the committed file only changes
// when a definition does.
import { formForYear } from "../engine/form-year.js";
import ExcelJS from "exceljs";
import { unzipSync, zipSync, type Zippable } from "fflate";
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ColumnDef, FormDef } from "../../queries/form-schema.js";
import { withYear } from "../engine/match.js";
import { isPlanYear, PLAN_YEAR_RANGE } from "../../core/plan-year.js";

const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
/** zip entry times are local (DOS) times: fix the local wall clock, whatever the time zone */
const FIXED_ZIP_TIME = new Date(2024, 0, 1, 0, 0, 0);
const FONT = "Times New Roman";
const thin: Partial<ExcelJS.Border> = { style: "thin" };
const box: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };

/** The row where the header starts in our template (row 1 "Phụ lục", 2 title, 3 unit line). */
export const TEMPLATE_HEADER_ROW = 4;

function numFmt(def: FormDef, c: ColumnDef): string | undefined {
  const f = def.layout.numberFormats;
  if (c.kind === "money") return f.money;
  if (c.kind === "count") return f.count;
  if (c.kind === "ratio") return f.ratio;
  return "@";
}

function addForm(wb: ExcelJS.Workbook, form: FormDef, year: number): void {
  const def = formForYear(form, year);
  const ws = wb.addWorksheet(def.layout.sheetName, { pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const n = def.columns.length;
  ws.columns = def.columns.map((c) => ({ width: c.width ?? 12 }));
  const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 12, ...extra });

  ws.mergeCells(1, 1, 1, n);
  ws.getCell(1, 1).value = `Phụ lục ${def.number}`;
  ws.getCell(1, 1).font = font({ bold: true });
  ws.mergeCells(2, 1, 2, n);
  ws.getCell(2, 1).value = withYear(def.title, year).toUpperCase();
  ws.getCell(2, 1).font = font({ bold: true, size: 13 });
  ws.getCell(2, 1).alignment = { horizontal: "center", vertical: "middle", wrapText: true };
  ws.getRow(2).height = 36;
  ws.mergeCells(3, 1, 3, n);
  if (def.unitLine) {
    ws.getCell(3, 1).value = def.unitLine;
    ws.getCell(3, 1).font = font({ italic: true });
    ws.getCell(3, 1).alignment = { horizontal: "right" };
  }

  // header: one row, or two when the form has group headers
  const two = def.columns.some((c) => c.group);
  const h1 = TEMPLATE_HEADER_ROW;
  const h2 = two ? h1 + 1 : h1;
  const headStyle = (cell: ExcelJS.Cell) => {
    cell.font = font({ bold: true, size: 11 });
    cell.alignment = { horizontal: "center", vertical: "middle", wrapText: true };
    cell.border = box;
  };
  let i = 0;
  while (i < n) {
    const c = def.columns[i];
    if (c.group) {
      let j = i;
      while (j + 1 < n && def.columns[j + 1].group === c.group) j++;
      if (j > i) ws.mergeCells(h1, i + 1, h1, j + 1);
      ws.getCell(h1, i + 1).value = withYear(c.group, year);
      for (let k = i; k <= j; k++) {
        ws.getCell(h2, k + 1).value = withYear(def.columns[k].header, year);
        headStyle(ws.getCell(h1, k + 1));
        headStyle(ws.getCell(h2, k + 1));
      }
      i = j + 1;
    } else {
      if (two) ws.mergeCells(h1, i + 1, h2, i + 1);
      ws.getCell(h1, i + 1).value = withYear(c.header, year);
      headStyle(ws.getCell(h1, i + 1));
      if (two) headStyle(ws.getCell(h2, i + 1));
      i++;
    }
  }
  ws.getRow(h2).height = 48;
  const numRow = h2 + 1;
  def.columns.forEach((c, k) => {
    const cell = ws.getCell(numRow, k + 1);
    cell.value = c.number ?? "";
    cell.font = font({ italic: true, size: 10 });
    cell.alignment = { horizontal: "center" };
    cell.border = box;
    cell.numFmt = "@";
  });

  const bodyStyle = (r: number, bold = false) => {
    def.columns.forEach((c, k) => {
      const cell = ws.getCell(r, k + 1);
      cell.border = box;
      cell.font = font({ bold, size: 11 });
      const f = numFmt(def, c);
      if (f) cell.numFmt = f;
      cell.alignment = c.kind === "text" ? { vertical: "middle", wrapText: true, horizontal: c.id === "ma_so" || c.id === "stt" ? "center" : "left" } : { vertical: "middle" };
    });
  };
  let r = numRow + 1;
  const col = (id: string) => def.columns.findIndex((c) => c.id === id) + 1;
  if (def.kind === "fixed") {
    for (const row of def.rows ?? []) {
      const bold = row.indent === 0 || row.kind !== "data";
      bodyStyle(r, bold);
      const lc = col("label");
      if (lc > 0) {
        ws.getCell(r, lc).value = row.numbering ? `${row.numbering} ${row.label}` : row.label;
        ws.getCell(r, lc).alignment = { vertical: "middle", wrapText: true, indent: row.indent };
      }
      const mc = col("ma_so");
      if (mc > 0 && row.code) ws.getCell(r, mc).value = row.code;
      r++;
    }
  } else {
    const body = r;
    bodyStyle(body);
    r++;
    const total = def.list?.total;
    if (total) {
      bodyStyle(r, true);
      const lc = col(def.list!.labelColumn);
      ws.getCell(r, lc).value = total.label;
      ws.getCell(r, lc).alignment = { horizontal: "center", vertical: "middle" };
      def.columns.forEach((c, k) => {
        if (c.kind === "money" || c.kind === "count") {
          const L = ws.getColumn(k + 1).letter;
          ws.getCell(r, k + 1).value = { formula: `SUM(${L}${body}:${L}${body})`, result: 0 } as ExcelJS.CellFormulaValue;
        }
      });
      r++;
    }
  }
  ws.views = [{ state: "frozen", ySplit: numRow, xSplit: 0 }];
}

/** A blank workbook of the forms, one sheet each, for plan year `year`. */
export async function makeTemplate(forms: FormDef[], year = 2024): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "phuluc";
  wb.lastModifiedBy = "phuluc";
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.calcProperties.fullCalcOnLoad = true;
  for (const def of forms) addForm(wb, def, year);
  const raw = new Uint8Array(await wb.xlsx.writeBuffer());
  // re-pack with fixed entry times (JSZip stamps "now")
  const files = unzipSync(raw);
  const out: Zippable = {};
  for (const name of Object.keys(files).sort()) out[name] = [files[name], { mtime: FIXED_ZIP_TIME, level: 6 }];
  return Buffer.from(zipSync(out));
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = arg("--out") ?? "sample/template.xlsx";
  const year = Number(arg("--year") ?? "2024");
  if (!isPlanYear(year)) {
    process.stderr.write(`--year must be a plan year (${PLAN_YEAR_RANGE}) such as 2024\n`);
    process.exit(2);
  }
  const { loadForms } = await import("../../queries/forms.js");
  const buf = await makeTemplate(loadForms(), year);
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(out, buf);
  process.stdout.write(`${out}: ${buf.length} bytes, plan year ${year}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + "\n");
    process.exit(1);
  });
}
