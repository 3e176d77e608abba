// The shapes a query result leaves in. The sandbox worker calls these on the rows it read, so a
// huge export costs the worker's time (and its time limit), not the server's.
//   json    rows as objects; DECIMAL as strings (exact), BIGINT as numbers when safe, else strings
//   csv     RFC 4180, CRLF, UTF-8 with a BOM when asked (Excel needs it for Vietnamese);
//           text that a spreadsheet would evaluate gets a leading apostrophe
//   arrow   an IPC stream; DECIMAL as Utf8 strings (exact; Arrow JS has no convenient Decimal128
//           builder), BIGINT as Int64, DATE as Date32, TIMESTAMP as Timestamp(ms, UTC)
//   parquet written by trusted code: a second, ordinary in-memory DuckDB receives the rows
//           through the appender and COPYs them to a temp file (the analyst's SQL never writes)
//   xlsx    exceljs; numbers as numbers, dates as dates, every text as a text cell (never a formula)
import type { DuckDBType, DuckDBValue } from "@duckdb/node-api";
// apache-arrow and exceljs are loaded on first use: the worker must start fast (its start-up is
// what a request waits for after a timeout killed the previous worker).
import type { DataType, Vector } from "apache-arrow";
import type ExcelJS from "exceljs";
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sqlString, type Db } from "../warehouse/db.js";

export const FORMATS = ["json", "csv", "arrow", "parquet", "xlsx"] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPE: Record<Format, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  arrow: "application/vnd.apache.arrow.stream",
  parquet: "application/vnd.apache.parquet",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export interface ResultColumn {
  name: string;
  /** DuckDB's name of the type: "INTEGER", "DECIMAL(18,6)", "TIMESTAMP WITH TIME ZONE" … */
  type: string;
}

/** A result as the worker read it: rows in DuckDB's JSON-safe form (getRowsJson). */
export interface ResultSet {
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
}

type Kind = "int" | "big" | "ubig" | "huge" | "float" | "decimal" | "bool" | "date" | "timestamp" | "text" | "other";

export function kindOf(type: string): Kind {
  const t = type.toUpperCase();
  if (["TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"].includes(t)) return "int";
  if (t === "BIGINT" || t === "UINTEGER") return "big";
  if (t === "UBIGINT") return "ubig";
  if (t === "HUGEINT" || t === "UHUGEINT") return "huge";
  if (t === "FLOAT" || t === "DOUBLE") return "float";
  if (t.startsWith("DECIMAL")) return "decimal";
  if (t === "BOOLEAN") return "bool";
  if (t === "DATE") return "date";
  if (t.startsWith("TIMESTAMP")) return "timestamp";
  if (t === "VARCHAR") return "text";
  return "other";
}

/** Result column names made unique (`a`, `a_2`), so rows can be objects. */
export function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n === "" ? "column" : n;
    for (let i = 2; seen.has(name); i++) name = `${n}_${i}`;
    seen.add(name);
    return name;
  });
}

const isIntegerText = (v: unknown): v is string => typeof v === "string" && /^-?\d+$/.test(v);

/** One JSON value: integers as numbers when exactly representable, DECIMAL stays a string. */
export function jsonValue(kind: Kind, v: unknown): unknown {
  if ((kind === "big" || kind === "ubig" || kind === "huge") && isIntegerText(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v;
}

export function jsonRows(rs: ResultSet): Record<string, unknown>[] {
  const kinds = rs.columns.map((c) => kindOf(c.type));
  return rs.rows.map((row) => {
    const o: Record<string, unknown> = {};
    rs.columns.forEach((c, i) => {
      o[c.name] = jsonValue(kinds[i], row[i]);
    });
    return o;
  });
}

// ---------------------------------------------------------------- CSV

/**
 * Would a spreadsheet evaluate this text? "=…", "@…", a tab or carriage return first: yes.
 * "+…" / "-…": only when what follows looks like something to compute — a number, a
 * parenthesis, another operator, a cell reference, a function call, a DDE link (| or !) — so
 * that ordinary labels such as "- Nhiệm vụ cấp tỉnh" or "- Chi hoạt động bộ máy (ghi rõ)" stay as
 * they are.
 */
export function isFormulaLike(s: string): boolean {
  if (s.length === 0) return false;
  const c = s[0];
  if (c === "\t" || c === "\r") return true;
  if (c === "=") return s.length > 1;
  if (c === "@") return /^@\S/.test(s);
  if (c !== "+" && c !== "-") return false;
  const rest = s.slice(1).replace(/^\s+/, "");
  if (rest === "") return false;
  if (/^[\d.(=+\-@$"'#{]/.test(rest)) return true;
  if (/^\$?[A-Za-z]{1,3}\$?\d+\b/.test(rest)) return true; // A1, $B$7
  if (/[|!]/.test(rest)) return true; // DDE: cmd|' /C calc'!A0, Sheet1!A1
  if (/[A-Za-z0-9_.]\(/.test(rest)) return true; // SUM(, HYPERLINK(
  return false;
}

export const escapeSpreadsheetText = (s: string): string => (isFormulaLike(s) ? `'${s}` : s);

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvCell(kind: Kind, v: unknown): string {
  if (v === null || v === undefined) return "";
  if (kind === "text" || kind === "other") {
    const s = typeof v === "string" ? v : JSON.stringify(v);
    return escapeSpreadsheetText(s);
  }
  return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
}

export function toCsv(rs: ResultSet, opts: { bom?: boolean } = {}): string {
  const kinds = rs.columns.map((c) => kindOf(c.type));
  const lines = [rs.columns.map((c) => csvField(escapeSpreadsheetText(c.name))).join(",")];
  for (const row of rs.rows) lines.push(row.map((v, i) => csvField(csvCell(kinds[i], v))).join(","));
  return (opts.bom ? "\uFEFF" : "") + lines.join("\r\n") + "\r\n";
}

// ---------------------------------------------------------------- Arrow

/**
 * `jsRows` are the same rows as JS values (getRowsJS: bigint, Date); decimals and the
 * catch-all are taken from the JSON-safe rows so they stay exact.
 */
export async function toArrow(rs: ResultSet, jsRows: unknown[][]): Promise<Uint8Array> {
  const { Bool, DateDay, Float64, Int32, Int64, Table, TimestampMillisecond, Uint64, Utf8, tableToIPC, vectorFromArray } = await import("apache-arrow");
  const vectors: Record<string, Vector> = {};
  rs.columns.forEach((c, i) => {
    const kind = kindOf(c.type);
    const js = jsRows.map((r) => r[i] ?? null);
    const json = rs.rows.map((r) => r[i] ?? null);
    let type: DataType;
    let values: unknown[];
    switch (kind) {
      case "int":
        type = new Int32();
        values = js;
        break;
      case "big":
        type = new Int64();
        values = js.map((v) => (v === null ? null : BigInt(v as bigint | number)));
        break;
      case "ubig":
        type = new Uint64();
        values = js.map((v) => (v === null ? null : BigInt(v as bigint | number)));
        break;
      case "float":
        type = new Float64();
        values = js;
        break;
      case "bool":
        type = new Bool();
        values = js;
        break;
      case "date":
        type = new DateDay();
        values = js;
        break;
      case "timestamp":
        type = new TimestampMillisecond("UTC");
        values = js;
        break;
      default:
        type = new Utf8();
        values = json.map((v) => (v === null ? null : typeof v === "string" ? v : JSON.stringify(v)));
    }
    vectors[c.name] = vectorFromArray(values as never[], type);
  });
  return tableToIPC(new Table(vectors), "stream");
}

// ---------------------------------------------------------------- xlsx

export async function toXlsx(rs: ResultSet, sheetName = "Kết quả"): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  wb.creator = "phuluc";
  const ws = wb.addWorksheet(sheetName);
  const kinds = rs.columns.map((c) => kindOf(c.type));
  const header = ws.addRow(rs.columns.map((c) => c.name));
  header.font = { bold: true };
  rs.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    const m = /^DECIMAL\(\d+,(\d+)\)$/i.exec(c.type);
    if (m) col.numFmt = Number(m[1]) > 0 ? `#,##0.${"0".repeat(Number(m[1]))}` : "#,##0";
    else if (kinds[i] === "date") col.numFmt = "yyyy-mm-dd";
  });
  for (const row of rs.rows) {
    ws.addRow(row.map((v, i) => xlsxValue(kinds[i], v)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function xlsxValue(kind: Kind, v: unknown): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "int":
    case "float":
      return typeof v === "number" ? v : String(v);
    case "big":
    case "ubig":
    case "huge": {
      const n = Number(v);
      return isIntegerText(v) && Number.isSafeInteger(n) ? n : String(v);
    }
    case "decimal":
      return Number(v);
    case "bool":
      return Boolean(v);
    case "date":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : String(v);
    default:
      // A string is always written as a text cell by exceljs (formulas only from { formula }).
      return xstring(typeof v === "string" ? v : JSON.stringify(v));
  }
}

/**
 * Excel's escape for characters XML cannot carry (ST_Xstring): a carriage return or another
 * control character becomes "_x000D_"; a text that already looks like an escape gets its
 * underscore escaped ("_x005F_"), so that Excel reads back exactly the text we had.
 */
export function xstring(s: string): string {
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(/[\x00-\x08\x0B\x0C\x0D\x0E-\x1F]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

// ---------------------------------------------------------------- Parquet

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * `trusted` is an ordinary in-memory DuckDB of the worker (never the analysts' connection);
 * `types` and `rows` are DuckDB's own (DuckDBValue), so nothing is converted on the way.
 */
export async function toParquet(
  trusted: Db,
  columns: ResultColumn[],
  types: DuckDBType[],
  rows: DuckDBValue[][],
  tmpDir: string,
): Promise<Buffer> {
  const table = "result_out";
  await trusted.run(
    `create or replace table ${table} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(", ")})`,
  );
  const file = join(tmpDir, `phuluc-${process.pid}-${randomUUID()}.parquet`);
  try {
    const app = await trusted.connection.createAppender(table);
    try {
      for (const row of rows) {
        for (let i = 0; i < row.length; i++) app.appendValue(row[i], types[i]);
        app.endRow();
      }
      app.flushSync();
    } finally {
      app.closeSync();
    }
    await trusted.run(`copy ${table} to ${sqlString(file)} (format parquet)`);
    return readFileSync(file);
  } finally {
    rmSync(file, { force: true });
    await trusted.run(`drop table if exists ${table}`);
  }
}
