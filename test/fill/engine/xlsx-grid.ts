// Test helper: an .xlsx (a buffer) read with exceljs into the engine's GridSnapshots, the way the
// Office.js back end reports a sheet: cached values, formulas with "=", number formats, merges
// (a merged area's value only in its top-left cell).
import ExcelJS from "exceljs";
import type { Area, GridSnapshot, GridValue } from "../../../fill/engine/types.js";

function decode(ref: string): { row: number; col: number } {
  const m = /^\$?([A-Z]+)\$?(\d+)$/.exec(ref.trim())!;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

export function areaOf(range: string): Area {
  const [a, b] = range.split(":");
  const p = decode(a);
  const q = decode(b ?? a);
  return { top: p.row, left: p.col, bottom: q.row, right: q.col };
}

function excelSerial(d: Date): number {
  return (d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000;
}

function plain(v: ExcelJS.CellValue): GridValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return excelSerial(v);
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    if ("formula" in v || "sharedFormula" in v) return plain((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("text" in v) return String((v as { text: unknown }).text);
    if ("error" in v) return String((v as { error: unknown }).error);
  }
  return null;
}

export function sheetSnapshot(ws: ExcelJS.Worksheet, index: number): GridSnapshot {
  const rows = ws.rowCount;
  const cols = ws.columnCount;
  const values: GridValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: string[][] = [];
  for (let r = 1; r <= rows; r++) {
    const vr: GridValue[] = [];
    const fr: (string | null)[] = [];
    const nr: string[] = [];
    const row = ws.getRow(r);
    for (let c = 1; c <= cols; c++) {
      const cell = row.getCell(c);
      const slave = cell.isMerged && cell.master !== cell;
      vr.push(slave ? null : plain(cell.value));
      const f = slave ? null : cell.formula;
      fr.push(f ? "=" + f : null);
      nr.push(cell.numFmt ?? "General");
    }
    values.push(vr);
    formulas.push(fr);
    numberFormats.push(nr);
  }
  const merges = ((ws.model as { merges?: string[] }).merges ?? []).map(areaOf);
  return { sheetName: ws.name, index, values, formulas, numberFormats, merges, rowCount: rows, columnCount: cols };
}

export async function loadWorkbook(buf: Buffer | Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  return wb;
}

export function snapshots(wb: ExcelJS.Workbook): GridSnapshot[] {
  return wb.worksheets.map((ws, i) => sheetSnapshot(ws, i));
}

/** Save and read back: the fixture is a real .xlsx, not an in-memory object. */
export async function roundTrip(wb: ExcelJS.Workbook): Promise<GridSnapshot[]> {
  const buf = await wb.xlsx.writeBuffer();
  return snapshots(await loadWorkbook(new Uint8Array(buf)));
}
