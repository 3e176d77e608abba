// Pure pieces of the Office.js back end: a FormPlan → the write requests the back end sends, each
// one `context.sync()`, each kept below Excel on the web's 5 MB request payload. No Office.js
// here, so the benchmark and the tests measure the same splitting the pane uses.
//
// Why requests are planned before any Office.js call: the sync count per form must not grow with
// the row count. Everything a form needs (row inserts/deletes, the text format of text cells, one
// values assignment per block) is queued into as few requests as the payload limit allows:
// normally ONE write sync per form; a block whose JSON would pass the budget is cut by rows.
import type { Block, FormPlan, PlanCell, RowOp } from "../../fill/engine/types.js";
import { cellRef, colLetters, colNumber } from "../../xlsx/refs.js";

/** Excel on the web refuses a request (and a response) above 5 MB. */
export const EXCEL_WEB_PAYLOAD_LIMIT = 5 * 1024 * 1024;
/**
 * What our own estimate may reach: Office.js wraps each action in an envelope (object paths,
 * action ids, argument info) that we do not count exactly, so keep 20 % headroom.
 */
export const DEFAULT_REQUEST_BUDGET = 4 * 1024 * 1024;
/** Estimated envelope of one queued action (range address, property name, ids). */
export const ACTION_OVERHEAD_BYTES = 160;

/** What a PlanCell becomes in `range.values`: null leaves the cell as it is (Office.js semantics). */
export type ExcelCell = string | number | null;

export type WriteOp =
  | { kind: "insertRows"; at: number; count: number; formatFrom: number }
  | { kind: "deleteRows"; at: number; count: number }
  /** numberFormat "@" on a rectangle of text cells, queued before their values */
  | { kind: "textFormat"; row: number; col: number; rows: number; cols: number }
  | { kind: "values"; row: number; col: number; values: ExcelCell[][] };

export interface WriteRequest {
  ops: WriteOp[];
  /** estimated JSON bytes of the request (UTF-8) */
  bytes: number;
}

export function cellToExcel(c: PlanCell): ExcelCell {
  if (c === null) return null;
  if ("n" in c) return c.n;
  if ("s" in c) return c.s;
  if ("f" in c) return c.f;
  return ""; // { blank: true }: clears the value, keeps the format
}

/** UTF-8 length of a string without TextEncoder allocations (the pane and Node alike). */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += c === 0x22 || c === 0x5c || c < 0x20 ? 2 : 1; // JSON escapes " \ and controls
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Estimated bytes of one value inside a JSON array (with its comma). */
export function valueBytes(v: ExcelCell | boolean): number {
  if (v === null) return 5;
  if (typeof v === "number") return String(v).length + 1;
  if (typeof v === "boolean") return v ? 5 : 6;
  return utf8Bytes(v) + 3;
}

export function rowBytes(row: ExcelCell[]): number {
  let n = 2;
  for (const v of row) n += valueBytes(v);
  return n;
}

/** Estimated bytes of an op, as Office.js would send it. */
export function opBytes(op: WriteOp): number {
  switch (op.kind) {
    case "insertRows":
      return ACTION_OVERHEAD_BYTES * (op.formatFrom > 0 ? 2 : 1);
    case "deleteRows":
      return ACTION_OVERHEAD_BYTES;
    case "textFormat":
      // the "@" matrix is sent whole: rows × cols × `"@",`
      return ACTION_OVERHEAD_BYTES + op.rows * (op.cols * 4 + 2);
    case "values": {
      let n = ACTION_OVERHEAD_BYTES;
      for (const r of op.values) n += rowBytes(r);
      return n;
    }
  }
}

/**
 * The rectangles of text cells ({ s }) in a block, in sheet coordinates: vertical runs of text
 * cells per column, then neighbouring columns with the same run merged into one rectangle.
 * Exactly the text cells get "@" — a number or blank cell keeps the template's format.
 */
export function textRects(block: { row: number; col: number; cells: PlanCell[][] }): { row: number; col: number; rows: number; cols: number }[] {
  const width = block.cells.reduce((m, r) => Math.max(m, r.length), 0);
  const runsByCol: { top: number; len: number }[][] = [];
  for (let c = 0; c < width; c++) {
    const runs: { top: number; len: number }[] = [];
    let start = -1;
    for (let r = 0; r <= block.cells.length; r++) {
      const cell = r < block.cells.length ? block.cells[r][c] : undefined;
      const isText = !!cell && typeof cell === "object" && "s" in cell;
      if (isText && start < 0) start = r;
      if (!isText && start >= 0) {
        runs.push({ top: start, len: r - start });
        start = -1;
      }
    }
    runsByCol.push(runs);
  }
  const out: { row: number; col: number; rows: number; cols: number }[] = [];
  const open = new Map<string, { row: number; col: number; rows: number; cols: number }>();
  for (let c = 0; c < width; c++) {
    const next = new Map<string, { row: number; col: number; rows: number; cols: number }>();
    for (const run of runsByCol[c]) {
      const key = `${run.top}:${run.len}`;
      const prev = open.get(key);
      if (prev && prev.col + prev.cols === block.col + c) {
        prev.cols++;
        next.set(key, prev);
      } else {
        const rect = { row: block.row + run.top, col: block.col + c, rows: run.len, cols: 1 };
        out.push(rect);
        next.set(key, rect);
      }
    }
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  return out;
}

/** Cut a block into row slices whose values op each stays within `budget`. */
export function sliceBlock(block: Block, budget: number): Block[] {
  const slices: Block[] = [];
  let start = 0;
  let bytes = ACTION_OVERHEAD_BYTES;
  for (let r = 0; r < block.cells.length; r++) {
    const row = block.cells[r];
    // values row + the "@" share of this row's text cells
    let rb = rowBytes(row.map(cellToExcel)) + ACTION_OVERHEAD_BYTES / 4;
    for (const c of row) if (c && typeof c === "object" && "s" in c) rb += 4;
    if (r > start && bytes + rb > budget) {
      slices.push({ row: block.row + start, col: block.col, cells: block.cells.slice(start, r) });
      start = r;
      bytes = ACTION_OVERHEAD_BYTES;
    }
    bytes += rb;
  }
  if (start < block.cells.length || block.cells.length === 0) {
    slices.push({ row: block.row + start, col: block.col, cells: block.cells.slice(start) });
  }
  return slices;
}

function rowOpToWrite(op: RowOp): WriteOp {
  return op.op === "insert"
    ? { kind: "insertRows", at: op.at, count: op.count, formatFrom: op.formatFrom }
    : { kind: "deleteRows", at: op.at, count: op.count };
}

/** The ops of one block slice: "@" on its text rectangles, then its values (the order matters). */
export function blockOps(block: Block): WriteOp[] {
  const ops: WriteOp[] = textRects(block).map((r) => ({ kind: "textFormat", ...r }) as WriteOp);
  ops.push({ kind: "values", row: block.row, col: block.col, values: block.cells.map((r) => r.map(cellToExcel)) });
  return ops;
}

/**
 * A form plan → its write requests (one `context.sync()` each). Row ops come first, in plan
 * order (the blocks' coordinates are those AFTER the row ops); header rewrites are text blocks.
 * Requests are packed greedily up to `budget`; a block larger than the budget is cut by rows.
 */
export function planRequests(plan: FormPlan, budget = DEFAULT_REQUEST_BUDGET): WriteRequest[] {
  const units: WriteOp[][] = [];
  const rowOps = plan.rowOps.map(rowOpToWrite);
  if (rowOps.length) units.push(rowOps);
  const headerBlocks: Block[] = plan.headerRewrites.map((h) => ({ row: h.row, col: h.col, cells: [[{ s: h.new }]] }));
  for (const b of [...plan.blocks, ...headerBlocks]) {
    for (const slice of sliceBlock(b, budget)) units.push(blockOps(slice));
  }
  const requests: WriteRequest[] = [];
  let cur: WriteRequest = { ops: [], bytes: 0 };
  for (const unit of units) {
    const ub = unit.reduce((n, op) => n + opBytes(op), 0);
    if (cur.ops.length > 0 && cur.bytes + ub > budget) {
      requests.push(cur);
      cur = { ops: [], bytes: 0 };
    }
    cur.ops.push(...unit);
    cur.bytes += ub;
  }
  if (cur.ops.length > 0) requests.push(cur);
  return requests;
}

// ---- reading ---------------------------------------------------------------------------------

/** Column number (1-based) → letters: 1 → A, 28 → AB (the toolkit's A1 module). */
export { colLetters };

export const a1 = cellRef;

export function areaAddress(row: number, col: number, rows: number, cols: number): string {
  return rows === 1 && cols === 1 ? a1(row, col) : `${a1(row, col)}:${a1(row + rows - 1, col + cols - 1)}`;
}

/** "Sheet1!$C$5:$D$9" or "C5" → its top-left row/col (1-based). */
export function parseAddress(address: string): { sheet: string | null; row: number; col: number; rows: number; cols: number } | null {
  const bang = address.lastIndexOf("!");
  let sheet = bang >= 0 ? address.slice(0, bang) : null;
  if (sheet && sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replace(/''/g, "'");
  const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/i.exec(address.slice(bang + 1));
  if (!m) return null;
  const c1 = colNumber(m[1]);
  const r1 = Number(m[2]);
  const c2 = m[3] ? colNumber(m[3]) : c1;
  const r2 = m[4] ? Number(m[4]) : r1;
  return { sheet, row: Math.min(r1, r2), col: Math.min(c1, c2), rows: Math.abs(r2 - r1) + 1, cols: Math.abs(c2 - c1) + 1 };
}

/**
 * Bytes one row of a read will return (values + formulas + number formats), from the widest row
 * seen in the sheet's first rows (an average would be pulled down by the sparse title rows).
 * Responses have the same 5 MB limit as requests.
 */
export function readBytesPerRow(sample: (string | number | boolean | null)[][], cols: number): number {
  let widest = 0;
  for (const r of sample) {
    let n = 2;
    for (let c = 0; c < cols; c++) n += valueBytes(r[c] ?? null);
    widest = Math.max(widest, n);
  }
  // values and formulas both carry a constant cell's content; a number format ~ 10 bytes
  return Math.max(widest, cols * 12) * 2 + cols * 10 + 8;
}

/** Row ranges to read a sheet's used range in, each response within `budget`. */
export function readChunks(rowCount: number, bytesPerRow: number, budget = DEFAULT_REQUEST_BUDGET): { top: number; rows: number }[] {
  const per = Math.max(1, Math.floor(budget / Math.max(1, bytesPerRow)));
  const out: { top: number; rows: number }[] = [];
  for (let top = 1; top <= rowCount; top += per) out.push({ top, rows: Math.min(per, rowCount - top + 1) });
  return out;
}
