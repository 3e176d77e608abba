// The shapes a query result leaves in. The sandbox worker calls these on the rows it read, so a
// huge export costs the worker's time (and its time limit), not the server's.
//   json    rows as objects; DECIMAL as strings (exact), BIGINT as numbers when safe, else strings;
//           every column name an own key, "__proto__" too
//   csv     RFC 4180, CRLF, UTF-8 with a BOM when asked (Excel needs it for Vietnamese);
//           DECIMAL without trailing zeros (41612, not 41612.000000);
//           text that a spreadsheet would evaluate gets a leading apostrophe
//   arrow   an IPC stream; DECIMAL as Utf8 strings (exact; Arrow JS has no convenient Decimal128
//           builder), BIGINT as Int64, DATE as Date32, TIMESTAMP as Timestamp(ms, UTC)
//   parquet written by trusted code: a second, ordinary in-memory DuckDB receives the rows
//           through the appender and COPYs them to a temp file (the analyst's SQL never writes)
//   xlsx    exceljs; for an analyst to use as it is: a bold, frozen header with an autofilter,
//           widths that fit, DECIMAL (money) as numbers in #,##0.###, dates and timestamps as
//           real dates; every text as a text cell (never a formula), with the characters XML
//           cannot carry escaped as Excel does (_xHHHH_)
// apache-arrow and exceljs are loaded on first use: the worker must start fast (its start-up is
// what a request waits for after a timeout killed the previous worker).
import type { DataType, Vector } from "apache-arrow";
import type ExcelJS from "exceljs";
import { randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sqlString, type ColumnType, type Db, type Value } from "../warehouse/db.js";

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
  // Object.fromEntries defines own properties: a column named "__proto__" (or "constructor")
  // stays a key of the row, where an assignment would set the object's prototype and vanish.
  return rs.rows.map((row) => Object.fromEntries(rs.columns.map((c, i) => [c.name, jsonValue(kinds[i], row[i])])));
}

/** A DECIMAL's text without trailing zeros: "41612.000000" → "41612", "-1.500000" → "-1.5". */
export function trimDecimal(s: string): string {
  if (!/^-?\d+\.\d+$/.test(s)) return s;
  const t = s.replace(/\.?0+$/, "");
  return t === "-0" ? "0" : t;
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
  if (kind === "decimal" && typeof v === "string") return trimDecimal(v);
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
  // Own properties only: a column named "__proto__" stays a column (an assignment would set the
  // object's prototype and the column would vanish).
  const vectors: Record<string, Vector> = Object.create(null) as Record<string, Vector>;
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
    Object.defineProperty(vectors, c.name, { value: vectorFromArray(values as never[], type), enumerable: true, writable: true, configurable: true });
  });
  return tableToIPC(new Table(vectors), "stream");
}

// ---------------------------------------------------------------- xlsx

/** Excel's format for money (triệu đồng): thousands grouped, up to three decimals. */
export const MONEY_FORMAT = "#,##0.###";
/** Whole amounts: the same without the separator "#,##0.###" would leave dangling ("41,612."). */
const WHOLE_MONEY_FORMAT = "#,##0";
const DATE_FORMAT = "yyyy-mm-dd";
const TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss";
const MAX_WIDTH = 60;

export async function toXlsx(rs: ResultSet, sheetName = "Kết quả"): Promise<Buffer> {
  const { default: Excel } = await import("exceljs");
  const wb = new Excel.Workbook();
  wb.creator = "phuluc";
  const n = rs.columns.length;
  // The header stays in view and carries the filter buttons.
  const ws = wb.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  const kinds = rs.columns.map((c) => kindOf(c.type));
  const header = ws.addRow(rs.columns.map((c) => xstring(c.name)));
  header.font = { bold: true };
  if (n > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: n } };
  // Widths in characters, from what each cell shows (the header's bold and the filter button
  // take about two more).
  const widths = rs.columns.map((c) => longestLine(c.name) + 3);
  rs.columns.forEach((_, i) => {
    const col = ws.getColumn(i + 1);
    if (kinds[i] === "decimal") col.numFmt = MONEY_FORMAT;
    else if (kinds[i] === "date") col.numFmt = DATE_FORMAT;
    else if (kinds[i] === "timestamp") col.numFmt = TIMESTAMP_FORMAT;
  });
  const wrap = new Array<boolean>(n).fill(false);
  const added: ExcelJS.Row[] = [];
  for (const row of rs.rows) {
    const r = ws.addRow(row.map((v, i) => xlsxValue(kinds[i], v)));
    added.push(r);
    row.forEach((v, i) => {
      if (v === null || v === undefined) return;
      const cell = r.getCell(i + 1);
      let shown: number;
      if (kinds[i] === "decimal" && typeof cell.value === "number") {
        const whole = Number.isInteger(cell.value);
        if (whole) cell.numFmt = WHOLE_MONEY_FORMAT;
        const [int, frac = ""] = trimDecimal(String(v)).replace("-", "").split(".");
        shown = int.length + Math.floor((int.length - 1) / 3) + (whole ? 0 : 1 + Math.min(3, frac.length)) + (String(v).startsWith("-") ? 1 : 0);
      } else if (cell.value instanceof Date) shown = kinds[i] === "timestamp" ? TIMESTAMP_FORMAT.length : DATE_FORMAT.length;
      else if (typeof cell.value === "string") {
        shown = longestLine(cell.value);
        if (shown > MAX_WIDTH || cell.value.includes("\n")) wrap[i] = true;
      } else shown = String(cell.value).length;
      widths[i] = Math.max(widths[i], shown + 2);
    });
  }
  const finalWidth = widths.map((w) => Math.min(MAX_WIDTH, Math.max(8, w)));
  rs.columns.forEach((_, i) => {
    const col = ws.getColumn(i + 1);
    col.width = finalWidth[i];
    // A long text wraps within the capped width rather than being cut off at the next cell.
    if (wrap[i]) col.alignment = { wrapText: true, vertical: "top" };
  });
  // Rows holding a wrapped text get the height of their lines: neither Excel nor LibreOffice
  // grows a row on opening a file, so the lines would otherwise overlap the next row.
  if (wrap.some(Boolean)) {
    for (const r of added) {
      let lines = 1;
      r.eachCell((cell, c) => {
        if (!wrap[c - 1] || typeof cell.value !== "string") return;
        // a width unit is one digit; the letters of a text are narrower on average
        const per = Math.max(1, (finalWidth[c - 1] - 2) * 1.2);
        lines = Math.max(lines, cell.value.split("\n").reduce((k, l) => k + Math.max(1, Math.ceil([...l].length / per)), 0));
      });
      if (lines > 1) r.height = 15 * lines;
    }
    ws.eachRow((r) => {
      r.alignment = { vertical: "top" };
    });
    wrap.forEach((w, i) => w && (ws.getColumn(i + 1).alignment = { wrapText: true, vertical: "top" }));
  }
  // Printed as it is: landscape, the columns on the page's width, the header on every page.
  ws.pageSetup = { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: "1:1" };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** How many characters the longest line of a text is (what a column's width must hold). */
function longestLine(s: string): number {
  return Math.max(0, ...s.split("\n").map((l) => [...l].length));
}

/** Excel keeps dates from 1900 on; outside that a date stays its text. */
const excelYear = (y: number) => y >= 1900 && y <= 9999;

/**
 * A TIMESTAMP's text as DuckDB prints it ("2024-01-02 03:04:05.5", with "+07" for WITH TIME
 * ZONE) → the date Excel shows: the same wall-clock time (Excel dates carry no zone; exceljs
 * writes a Date's UTC fields).
 */
export function timestampCell(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[+-]\d{2}(?::?\d{2}){0,2})?$/.exec(v);
  if (!m || !excelYear(Number(m[1]))) return null;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
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
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && excelYear(Number(v.slice(0, 4))) ? new Date(`${v}T00:00:00Z`) : xstring(String(v));
    case "timestamp":
      return (typeof v === "string" && timestampCell(v)) || xstring(String(v));
    default:
      // A string is always written as a text cell by exceljs (formulas only from { formula }).
      return xstring(typeof v === "string" ? v : JSON.stringify(v));
  }
}

// Characters XML 1.0 cannot carry (Char excludes them): C0 controls but tab and line feed (a
// carriage return is kept by escaping it, XML would turn it into a line feed), lone surrogates,
// U+FFFE and U+FFFF.
const NOT_XML = /[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Excel's escape for characters XML cannot carry (ST_Xstring): a carriage return, another
 * control character, U+FFFE, U+FFFF or a lone surrogate becomes "_xHHHH_" ("_x000D_",
 * "_xFFFE_"); a text that already looks like an escape gets its underscore escaped ("_x005F_"),
 * so that Excel reads back exactly the text we had. The workbook is always valid XML.
 */
export function xstring(s: string): string {
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(NOT_XML, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

// ---------------------------------------------------------------- Parquet

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * `trusted` is an ordinary in-memory DuckDB of the worker (never the analysts' connection);
 * `types` and `rows` are DuckDB's own (a chunk's values()), so nothing is converted on the way.
 */
export async function toParquet(
  trusted: Db,
  columns: ResultColumn[],
  types: ColumnType[],
  rows: Value[][],
  tmpDir: string,
): Promise<Buffer> {
  const table = "result_out";
  await trusted.run(
    `create or replace table ${table} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(", ")})`,
  );
  const file = join(tmpDir, `phuluc-${process.pid}-${randomUUID()}.parquet`);
  try {
    await trusted.appendRows(table, types, rows);
    await trusted.run(`copy ${table} to ${sqlString(file)} (format parquet)`);
    return readFileSync(file);
  } finally {
    rmSync(file, { force: true });
    await trusted.run(`drop table if exists ${table}`);
  }
}
