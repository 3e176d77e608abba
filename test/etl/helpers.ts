// Fixtures for the ETL tests: workbooks written with exceljs into a temporary folder (real .xlsx
// files through the real reader), and an in-memory XlsxReader for odd rows.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { ParsedFile } from "../../warehouse/model.js";
import { readAsObjects } from "./unpack.js";
import type { WorkbookInfo, XCell, XlsxReader, XRow } from "../../xlsx/types.js";

export type CellSpec =
  | string
  | number
  | null
  | undefined
  | { v?: string | number | Date | null; f?: string; numFmt?: string; font?: string; error?: string };

export interface SheetSpec {
  name: string;
  rows: CellSpec[][];
  /** 1-based first row of `rows` (default 1) */
  start?: number;
  merges?: string[];
  hidden?: number[];
}

export const LIMITS = { maxFileBytes: 50 * 1024 * 1024, maxInflatedBytes: 512 * 1024 * 1024, maxColumns: 500, maxRows: 200_000 };

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), "phuluc-etl-"));
}

export async function writeWorkbook(path: string, sheets: SheetSpec[], opts: { date1904?: boolean } = {}): Promise<string> {
  const wb = new ExcelJS.Workbook();
  if (opts.date1904) (wb.properties as { date1904?: boolean }).date1904 = true;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    const start = s.start ?? 1;
    s.rows.forEach((row, i) => {
      const r = ws.getRow(start + i);
      row.forEach((spec, j) => {
        if (spec === null || spec === undefined) return;
        const cell = r.getCell(j + 1);
        if (typeof spec === "string" || typeof spec === "number") {
          cell.value = spec;
          return;
        }
        if (spec.error) cell.value = { error: spec.error } as ExcelJS.CellErrorValue;
        else if (spec.f !== undefined) cell.value = spec.v === undefined || spec.v === null ? ({ formula: spec.f } as ExcelJS.CellFormulaValue) : ({ formula: spec.f, result: spec.v } as ExcelJS.CellFormulaValue);
        else if (spec.v !== undefined && spec.v !== null) cell.value = spec.v;
        if (spec.numFmt) cell.numFmt = spec.numFmt;
        if (spec.font) cell.font = { name: spec.font };
      });
      r.commit?.();
    });
    for (const m of s.merges ?? []) ws.mergeCells(m);
    for (const h of s.hidden ?? []) ws.getRow(h).hidden = true;
  }
  await wb.xlsx.writeFile(path);
  return path;
}

/** Write a workbook and read it back through readInboxFile, its facts as objects (unpack.ts). */
export async function parseWorkbook(sheets: SheetSpec[], opts: { date1904?: boolean; name?: string } = {}): Promise<ParsedFile> {
  const dir = tmpDir();
  const name = opts.name ?? "test.xlsx";
  const path = await writeWorkbook(join(dir, name), sheets, opts);
  return readAsObjects(path, name, "chung", { limits: LIMITS, province: "80" });
}

/** An XlsxReader over in-memory rows (for unit tests of odd rows, no file involved). */
export function gridReader(sheets: { name: string; rows: XRow[]; merges?: string[] }[], date1904 = false): XlsxReader {
  const info: WorkbookInfo = {
    date1904,
    sheets: sheets.map((s, index) => ({ name: s.name, index, state: "visible", merges: s.merges ?? [] })),
  };
  return {
    info: async () => info,
    rows: (i: number) =>
      (async function* () {
        for (const r of sheets[i]!.rows) yield r;
      })(),
    close: async () => {},
  };
}

function letters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Rows of plain values → XRow[] (strings "s", numbers "n"). */
export function xrows(rows: (string | number | null | Partial<XCell>)[][], start = 1, hidden: number[] = []): XRow[] {
  return rows.map((row, i) => {
    const r = start + i;
    const cells: XCell[] = [];
    row.forEach((v, j) => {
      if (v === null || v === undefined) return;
      const col = j + 1;
      const ref = letters(col) + r;
      if (typeof v === "string") cells.push({ col, ref, type: "s", value: v });
      else if (typeof v === "number") cells.push({ col, ref, type: "n", value: v });
      else cells.push({ col, ref, type: "s", value: null, ...v } as XCell);
    });
    return { row: r, hidden: hidden.includes(r), cells };
  });
}

/** The problems as "CODE@cell" strings, sorted, for whole comparisons. */
export function codes(f: ParsedFile, severity?: string): string[] {
  return f.problems
    .filter((p) => !severity || p.severity === severity)
    .map((p) => `${p.code}@${p.place.sheet ?? ""}${p.place.cell ? "!" + p.place.cell : ""}`)
    .sort();
}
