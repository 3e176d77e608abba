// The naive peer (issue "ETL throughput"): what a developer would write to get the offices'
// workbooks into DuckDB in an afternoon — exceljs's streaming reader feeding a DuckDB appender,
// one row of the table per row of a sheet, every value as text, with its file, sheet and row.
// No header recognition, no validation, no cross-file rules, no generations: one database, one
// transaction, commit and checkpoint. What the ETL does on top of this is what it is paid for.
import { mkdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { performance } from "node:perf_hooks";
import ExcelJS from "exceljs";
import { openDb } from "../warehouse/db.js";

/** Columns of the raw table: wide enough for the generated workbooks (23 columns at most). */
export const NAIVE_WIDTH = 24;

function text(v: ExcelJS.CellValue): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    // rich text, formulas, hyperlinks, errors: what the cell shows
    if ("richText" in v) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return v.result === undefined || v.result === null ? null : String(v.result instanceof Date ? v.result.toISOString() : v.result);
    if ("text" in v) return String(v.text);
    if ("error" in v) return String(v.error);
    return JSON.stringify(v);
  }
  return String(v);
}

export async function measureNaive(files: string[], dir: string): Promise<{ seconds: number; rows: number }> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const db = await openDb(join(dir, "naive.duckdb"), { readOnly: false, memoryLimit: process.env.PHULUC_LOAD_MEMORY ?? "256MB" });
  let rows = 0;
  try {
    const cols = Array.from({ length: NAIVE_WIDTH }, (_, i) => `c${i + 1} varchar`).join(", ");
    await db.run(`create table raw (file varchar, sheet varchar, row_no integer, ${cols})`);
    await db.run("begin transaction");
    const appender = await db.connection.createAppender("raw");
    for (const f of files) {
      const name = basename(f);
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(f, { sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", worksheets: "emit", entries: "ignore" });
      for await (const ws of reader) {
        const sheet = (ws as unknown as { name: string }).name;
        for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as ExcelJS.CellValue[]; // 1-based, holes for empty cells
          if (values.length - 1 > NAIVE_WIDTH) throw new Error(`${name} ${sheet} row ${row.number}: ${values.length - 1} columns, the naive table has ${NAIVE_WIDTH}`);
          appender.appendVarchar(name);
          appender.appendVarchar(sheet);
          appender.appendInteger(row.number);
          for (let c = 1; c <= NAIVE_WIDTH; c++) {
            const s = c < values.length ? text(values[c]) : null;
            if (s === null) appender.appendNull();
            else appender.appendVarchar(s);
          }
          appender.endRow();
          rows++;
        }
      }
    }
    appender.flushSync();
    appender.closeSync();
    await db.run("commit");
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return { seconds, rows };
}
