// The bundled template (sample/template.xlsx), or any workbook (a headless fill's output), as sheets of the recording mock Excel, read with
// exceljs: values, formulas ("=…") and number formats.
import { join, resolve } from "node:path";
import ExcelJS from "exceljs";
import type { MockSheetInit, MockValue } from "../doubles/mock-excel.js";

const ROOT = resolve(import.meta.dirname, "../..");

export async function templateSheets(path = join(ROOT, "sample", "template.xlsx")): Promise<MockSheetInit[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const out: MockSheetInit[] = [];
  wb.eachSheet((ws) => {
    const rows: (MockValue | null)[][] = [];
    const numberFormats: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row: (MockValue | null)[] = [];
      const fmts: string[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = ws.getCell(r, c);
        const v = cell.value as unknown;
        if (v && typeof v === "object" && "formula" in (v as object)) row.push(`=${(v as { formula: string }).formula}`);
        else if (v && typeof v === "object" && "richText" in (v as object)) row.push((v as { richText: { text: string }[] }).richText.map((t) => t.text).join(""));
        else row.push(typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null);
        fmts.push(cell.numFmt || "General");
      }
      rows.push(row);
      numberFormats.push(fmts);
    }
    out.push({ name: ws.name, rows, numberFormats, merges: [...((ws.model as { merges?: string[] }).merges ?? [])] });
  });
  return out;
}
