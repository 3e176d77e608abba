// The Office.js back end: reads the open workbook into grid snapshots and applies a write plan.
// Batching (design.md "The add-in"): a constant number of `context.sync()` per form whatever its
// row count — one read of the form's used range, one write request — plus one per further 5 MB
// chunk (addin/office/batches.ts splits). Workbook-level syncs (list the sheets, read their first
// rows, store the lineage part) do not grow with the number of rows either.
//
// Only Office.js objects and the pure batches/lineage modules here; the pane's `Office.onReady`
// wiring lives in addin/pane/.
import type { ChartSheetPlan } from "../../fill/engine/charts.js";
import { insertChartSheet, withChartLineage } from "./charts.js";
import type { GridSnapshot, GridValue, Area, FormPlan, WorkbookPlan } from "../../fill/engine/types.js";
import { FIRST_ROWS } from "../../fill/engine/locate.js";
import { LINEAGE_NS, buildLineageXml, parseLineageXml, type WorkbookLineage, type LineageSheet } from "../../fill/lineage-xml.js";
import {
  DEFAULT_REQUEST_BUDGET,
  a1,
  areaAddress,
  parseAddress,
  planRequests,
  readBytesPerRow,
  readChunks,
  utf8Bytes,
  type WriteOp,
} from "./batches.js";
import { hostSupports, type Supports } from "./requirements.js";

/** Rows of every sheet read in phase one (recognising a form needs its title and header rows). */
export const DEFAULT_HEAD_ROWS = FIRST_ROWS;
/** Columns read at most (a form has ~20; staff add a few; the ETL's own limit is 500). */
export const MAX_COLUMNS = 500;
/** Rows per getMergedAreasOrNullObject call (it fails beyond 512 merged areas). */
export const MERGE_BAND_ROWS = 250;

export interface SheetInfo {
  name: string;
  index: number;
  /** last used row/column (1-based), 0 for an empty sheet */
  lastRow: number;
  lastCol: number;
}

export interface WorkbookHeads {
  sheets: SheetInfo[];
  /** first rows of every non-empty sheet, from A1 */
  heads: GridSnapshot[];
  lineage: WorkbookLineage | null;
  lineagePartIds: string[];
  /** lineage parts that could not be parsed (kept, reported) */
  lineageProblems: string[];
}

/** Counts kept while a plan is applied; the tests and the benchmark read them. */
export interface SyncLog {
  /** syncs not attributable to one form (list sheets, first rows, lineage) */
  workbook: number;
  /** form code → syncs spent on it (read + write) */
  perForm: Record<string, number>;
}

export const newSyncLog = (): SyncLog => ({ workbook: 0, perForm: {} });

function countSync(log: SyncLog | undefined, form: string | null): void {
  if (!log) return;
  if (form === null) log.workbook++;
  else log.perForm[form] = (log.perForm[form] ?? 0) + 1;
}

// ---- errors ------------------------------------------------------------------------------------

export interface ExcelErrorInfo {
  code: string;
  message: string;
  /** Office's debugInfo (errorLocation, statement, surroundingStatements) as JSON text */
  debugInfo: string;
}

/** Every Excel.run error, with `code` and `debugInfo`, for the pane to show as it is. */
export function describeExcelError(e: unknown): ExcelErrorInfo {
  const err = e as { code?: unknown; message?: unknown; debugInfo?: unknown; name?: unknown };
  const code = typeof err?.code === "string" ? err.code : typeof err?.name === "string" ? err.name : "Error";
  const message = typeof err?.message === "string" ? err.message : String(e);
  let debugInfo = "";
  if (err && typeof err === "object" && err.debugInfo !== undefined) {
    const d = err.debugInfo as Record<string, unknown>;
    // fullStatements may carry data from the request; the rest is safe to show
    const { fullStatements: _omit, ...rest } = d ?? {};
    try {
      debugInfo = JSON.stringify(rest);
    } catch {
      debugInfo = String(err.debugInfo);
    }
  }
  return { code, message, debugInfo };
}

// ---- reading -----------------------------------------------------------------------------------

function toGridValue(v: unknown): GridValue {
  if (v === "" || v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  return String(v);
}

function toFormula(f: unknown): string | null {
  return typeof f === "string" && f.startsWith("=") ? f : null;
}

/** RangeAreas.address ("Sheet1!A1:C1,Sheet1!D2:E3") → merged areas. */
export function parseMergedAddress(address: string): Area[] {
  const out: Area[] = [];
  for (const part of address.split(",")) {
    const p = parseAddress(part.trim());
    if (p && (p.rows > 1 || p.cols > 1)) out.push({ top: p.row, left: p.col, bottom: p.row + p.rows - 1, right: p.col + p.cols - 1 });
  }
  return out;
}

/**
 * Phase one: list the sheets, the lineage parts, and read the first `headRows` rows of every
 * sheet. Three syncs for the whole workbook, however many sheets and rows.
 */
export async function readHeads(
  context: Excel.RequestContext,
  opts: { headRows?: number; supports?: Supports; log?: SyncLog } = {},
): Promise<WorkbookHeads> {
  const headRows = opts.headRows ?? DEFAULT_HEAD_ROWS;
  const supports = opts.supports ?? hostSupports();
  const wb = context.workbook;
  const sheets = wb.worksheets;
  sheets.load("items/name,items/position");
  const parts = wb.customXmlParts.getByNamespace(LINEAGE_NS);
  parts.load("items/id");
  await context.sync();
  countSync(opts.log, null);

  // valuesOnly: a sheet formatted down to row 1 048 576 or across to XFD must not make us read it
  const used = sheets.items.map((ws) => {
    const r = ws.getUsedRangeOrNullObject(true);
    r.load("isNullObject,rowIndex,columnIndex,rowCount,columnCount");
    return r;
  });
  const xmls = parts.items.map((p) => p.getXml());
  await context.sync();
  countSync(opts.log, null);

  const infos: SheetInfo[] = sheets.items.map((ws, i) => {
    const u = used[i];
    const empty = u.isNullObject;
    return {
      name: ws.name,
      index: typeof ws.position === "number" ? ws.position : i,
      lastRow: empty ? 0 : u.rowIndex + u.rowCount,
      lastCol: empty ? 0 : Math.min(MAX_COLUMNS, u.columnIndex + u.columnCount),
    };
  });
  const reads = infos.map((s, i) => {
    if (s.lastRow === 0) return null;
    const rows = Math.min(headRows, s.lastRow);
    const range = sheets.items[i].getRange(areaAddress(1, 1, rows, s.lastCol));
    range.load("values,formulas");
    const merges = supports("mergedAreas") ? range.getMergedAreasOrNullObject() : null;
    merges?.load("isNullObject,address");
    return { range, merges, rows };
  });
  await context.sync();
  countSync(opts.log, null);

  const heads: GridSnapshot[] = [];
  infos.forEach((s, i) => {
    const r = reads[i];
    if (!r) return;
    heads.push({
      sheetName: s.name,
      index: s.index,
      values: r.range.values.map((row) => row.map(toGridValue)),
      formulas: r.range.formulas.map((row) => row.map(toFormula)),
      // RangeAreas.address is ExcelApi 1.9: read only where the merges were asked for (1.13)
      merges: supports("mergedAreas") && r.merges && !r.merges.isNullObject ? parseMergedAddress(r.merges.address) : [],
      rowCount: s.lastRow,
      columnCount: s.lastCol,
    });
  });

  let lineage: WorkbookLineage | null = null;
  const lineageProblems: string[] = [];
  for (const x of xmls) {
    try {
      lineage = mergeLineageParts(lineage, parseLineageXml(x.value));
    } catch (e) {
      lineageProblems.push((e as Error).message);
    }
  }
  return { sheets: infos, heads, lineage, lineagePartIds: parts.items.map((p) => p.id), lineageProblems };
}

/**
 * Phase two: the whole used range (from A1) of one sheet, with formulas, number formats and
 * merges. One sync, or one per further chunk when the response would pass the budget.
 */
export async function readSheet(
  context: Excel.RequestContext,
  sheet: SheetInfo,
  opts: { sample?: GridValue[][]; supports?: Supports; log?: SyncLog; form?: string; budget?: number } = {},
): Promise<GridSnapshot> {
  const supports = opts.supports ?? hostSupports();
  const budget = opts.budget ?? DEFAULT_REQUEST_BUDGET;
  const ws = context.workbook.worksheets.getItem(sheet.name);
  const values: GridValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: string[][] = [];
  let merges: Area[] = [];
  if (sheet.lastRow > 0) {
    const chunks = readChunks(sheet.lastRow, readBytesPerRow(opts.sample ?? [], sheet.lastCol), budget);
    // Each chunk is a sync of its own; the merges ride with the first. getMergedAreas fails
    // beyond 512 areas, so ask for them in bands of rows (a merge across bands comes twice).
    const mergeBands: Excel.RangeAreas[] = [];
    if (supports("mergedAreas")) {
      for (let top = 1; top <= sheet.lastRow; top += MERGE_BAND_ROWS) {
        const band = ws.getRange(areaAddress(top, 1, Math.min(MERGE_BAND_ROWS, sheet.lastRow - top + 1), sheet.lastCol)).getMergedAreasOrNullObject();
        band.load("isNullObject,address");
        mergeBands.push(band);
      }
    }
    for (const c of chunks) {
      const range = ws.getRange(areaAddress(c.top, 1, c.rows, sheet.lastCol));
      range.load("values,formulas,numberFormat");
      await context.sync();
      countSync(opts.log, opts.form ?? null);
      for (const row of range.values) values.push(row.map(toGridValue));
      for (const row of range.formulas) formulas.push(row.map(toFormula));
      for (const row of range.numberFormat) numberFormats.push(row.map((f) => (typeof f === "string" ? f : "General")));
    }
    const seen = new Set<string>();
    // RangeAreas (ExcelApi 1.9) exist only where the merges were asked for (1.13)
    if (supports("mergedAreas")) {
      for (const band of mergeBands) {
        if (band.isNullObject) continue;
        for (const m of parseMergedAddress(band.address)) {
          const k = `${m.top},${m.left},${m.bottom},${m.right}`;
          if (!seen.has(k)) merges.push(m), seen.add(k);
        }
      }
    }
  }
  return {
    sheetName: sheet.name,
    index: sheet.index,
    values,
    formulas,
    numberFormats,
    merges,
    rowCount: sheet.lastRow,
    columnCount: sheet.lastCol,
  };
}

// ---- writing -----------------------------------------------------------------------------------

function fill<T>(rows: number, cols: number, v: T): T[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => v));
}

function rowsAddress(at: number, count: number): string {
  return `${at}:${at + count - 1}`;
}

/** Queue one op on a worksheet (no sync). */
export function queueOp(ws: Excel.Worksheet, op: WriteOp, supports: Supports): void {
  switch (op.kind) {
    case "insertRows": {
      const inserted = ws.getRange(rowsAddress(op.at, op.count)).insert(Excel.InsertShiftDirection.down);
      if (op.formatFrom > 0 && supports("copyFrom")) {
        // formatFrom is valid before the insert; rows at or below `at` moved down by `count`
        const src = op.formatFrom >= op.at ? op.formatFrom + op.count : op.formatFrom;
        inserted.copyFrom(ws.getRange(rowsAddress(src, 1)), Excel.RangeCopyType.formats);
      }
      // Without copyFrom (ExcelApi < 1.9) Excel gives inserted rows the format of the row above.
      return;
    }
    case "deleteRows":
      ws.getRange(rowsAddress(op.at, op.count)).delete(Excel.DeleteShiftDirection.up);
      return;
    case "textFormat":
      ws.getRange(areaAddress(op.row, op.col, op.rows, op.cols)).numberFormat = fill(op.rows, op.cols, "@");
      return;
    case "values": {
      const cols = op.values.reduce((m, r) => Math.max(m, r.length), 0);
      if (op.values.length === 0 || cols === 0) return;
      const rect = op.values.map((r) => (r.length === cols ? r : [...r, ...Array<null>(cols - r.length).fill(null)]));
      ws.getRange(areaAddress(op.row, op.col, rect.length, cols)).values = rect;
      return;
    }
  }
}

/**
 * Runs of rows the plan's blocks write a text ({ s }) into: a list form's body (task titles,
 * organisations, units). Fixed forms write figures only; header rewrites are left out (title
 * rows the template sized, often merged, which autofit would shrink to one line).
 */
export function textRowRuns(plan: FormPlan): { at: number; count: number }[] {
  const rows = new Set<number>();
  for (const b of plan.blocks) b.cells.forEach((line, i) => line.some((c) => c && "s" in c) && rows.add(b.row + i));
  const sorted = [...rows].sort((a, b) => a - b);
  const runs: { at: number; count: number }[] = [];
  for (const r of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.at + last.count === r) last.count++;
    else runs.push({ at: r, count: 1 });
  }
  return runs;
}

export interface ApplyResult {
  form: string;
  syncs: number;
  requests: number;
  maxRequestBytes: number;
}

/** Apply one form's plan: one sync per write request (normally one). */
export async function applyFormPlan(
  context: Excel.RequestContext,
  plan: FormPlan,
  opts: { supports?: Supports; log?: SyncLog; budget?: number } = {},
): Promise<ApplyResult> {
  const supports = opts.supports ?? hostSupports();
  const requests = planRequests(plan, opts.budget ?? DEFAULT_REQUEST_BUDGET);
  const ws = context.workbook.worksheets.getItem(plan.sheetName);
  const fit = textRowRuns(plan);
  let syncs = 0;
  for (const [i, req] of requests.entries()) {
    if (supports("suspendCalculation")) context.application.suspendApiCalculationUntilNextSync();
    for (const op of req.ops) queueOp(ws, op, supports);
    // Excel keeps a row's height when the API writes a wrapped text into it: the list forms'
    // long titles would show cut off. Autofit (ExcelApi 1.2) the rows given texts, queued after
    // the last values so that it rides with the last write sync — no sync of its own.
    if (i === requests.length - 1) for (const r of fit) ws.getRange(rowsAddress(r.at, r.count)).format.autofitRows();
    await context.sync();
    syncs++;
    countSync(opts.log, plan.form);
  }
  return { form: plan.form, syncs, requests: requests.length, maxRequestBytes: Math.max(0, ...requests.map((r) => r.bytes)) };
}

// ---- lineage -----------------------------------------------------------------------------------

/** Several parts in our namespace (a large workbook's lineage is split) read as one. */
export function mergeLineageParts(a: WorkbookLineage | null, b: WorkbookLineage): WorkbookLineage {
  if (!a) return b;
  const sheets = new Map<string, LineageSheet>();
  for (const s of [...a.sheets, ...b.sheets]) {
    const prev = sheets.get(s.sheetName);
    if (prev && prev.form === s.form) prev.cells.push(...s.cells);
    else sheets.set(s.sheetName, { ...s, cells: [...s.cells] });
  }
  const newer = b.filledAt > a.filledAt ? b : a;
  return { year: newer.year, generation: newer.generation, filledAt: newer.filledAt, sheets: [...sheets.values()] };
}

/**
 * The workbook's lineage after a fill: the filled forms' sheets replaced, other sheets' lineage
 * kept (a "Fill one" must not drop what the other forms recorded).
 */
export function lineageAfterFill(
  old: WorkbookLineage | null,
  plans: FormPlan[],
  meta: { year: number; generation: number; filledAt: string },
): WorkbookLineage {
  const filled = new Set(plans.map((p) => p.sheetName));
  const kept = (old?.sheets ?? []).filter((s) => !filled.has(s.sheetName) && !plans.some((p) => p.form === s.form));
  const fresh: LineageSheet[] = plans.map((p) => ({
    sheetName: p.sheetName,
    form: p.form,
    cells: p.lineage.map((c) => ({ ref: a1(c.row, c.col), lineageId: c.lineageId })),
  }));
  return { ...meta, sheets: [...kept, ...fresh] };
}

/** Split a lineage into documents each within the budget (one customXmlParts.add per sync). */
export function splitLineage(l: WorkbookLineage, budget = DEFAULT_REQUEST_BUDGET): string[] {
  const whole = buildLineageXml(l);
  if (utf8Bytes(whole) <= budget) return [whole];
  const docs: string[] = [];
  let cur: LineageSheet[] = [];
  let bytes = 400;
  const flush = () => {
    if (cur.length) docs.push(buildLineageXml({ ...l, sheets: cur }));
    cur = [];
    bytes = 400;
  };
  for (const s of l.sheets) {
    let part: LineageSheet = { ...s, cells: [] };
    cur.push(part);
    bytes += 80 + utf8Bytes(s.sheetName) * 2;
    for (const c of s.cells) {
      const cb = 30 + utf8Bytes(c.ref) + utf8Bytes(c.lineageId);
      if (bytes + cb > budget && part.cells.length > 0) {
        flush();
        part = { ...s, cells: [] };
        cur.push(part);
      }
      part.cells.push(c);
      bytes += cb;
    }
  }
  flush();
  return docs;
}

/** Replace the lineage parts: the old ones deleted and the first new one added in one sync. */
export async function writeLineage(
  context: Excel.RequestContext,
  lineage: WorkbookLineage,
  oldPartIds: string[],
  opts: { log?: SyncLog; budget?: number } = {},
): Promise<number> {
  const docs = splitLineage(lineage, opts.budget);
  const parts = context.workbook.customXmlParts;
  for (const id of oldPartIds) parts.getItem(id).delete();
  let syncs = 0;
  for (const xml of docs) {
    parts.add(xml);
    await context.sync();
    countSync(opts.log, null);
    syncs++;
  }
  return syncs;
}

// ---- the whole fill ----------------------------------------------------------------------------

export interface FillProgress {
  form: string;
  phase: "read" | "write" | "done";
  done: number;
  total: number;
}

export interface FillResult {
  plan: WorkbookPlan;
  applied: ApplyResult[];
  log: SyncLog;
  lineage: WorkbookLineage;
  /** the chart sheet written (args.charts), or null */
  charts: ChartSheetPlan | null;
}

/**
 * Read (two phases), plan with the pure engine, write, store lineage — one Excel.run, grouped
 * into one undo step where the host has ExcelApi 1.20.
 */
export async function fillWorkbook(args: {
  year: number;
  generation: number;
  /** which sheets each form was located on; the pane calls the engine's locateForms on the heads */
  locate: (heads: GridSnapshot[]) => { form: string; sheetName: string }[];
  /** the engine's planWorkbook over the full snapshots of the matched sheets */
  plan: (sheets: GridSnapshot[]) => WorkbookPlan;
  onProgress?: (p: FillProgress) => void;
  supports?: Supports;
  headRows?: number;
  budget?: number;
  now?: () => Date;
  /** the chart sheet to write after the forms (addin/office/charts.ts chartsFor), null for none */
  charts?: (plan: WorkbookPlan) => ChartSheetPlan | null;
  /** read and plan only: nothing is written (the pane's "what a fill will change") */
  dryRun?: boolean;
}): Promise<FillResult> {
  const supports = args.supports ?? hostSupports();
  const log = newSyncLog();
  const batch = async (context: Excel.RequestContext): Promise<FillResult> => {
    const wb = await readHeads(context, { headRows: args.headRows, supports, log });
    const located = args.locate(wb.heads);
    const full: GridSnapshot[] = [];
    const seen = new Set<string>();
    for (const [i, l] of located.entries()) {
      if (seen.has(l.sheetName)) continue;
      seen.add(l.sheetName);
      const info = wb.sheets.find((s) => s.name === l.sheetName);
      if (!info) continue;
      args.onProgress?.({ form: l.form, phase: "read", done: i, total: located.length });
      const sample = wb.heads.find((h) => h.sheetName === l.sheetName)?.values;
      full.push(await readSheet(context, info, { sample, supports, log, form: l.form, budget: args.budget }));
    }
    const plan = args.plan(full);
    if (args.dryRun) return { plan, applied: [], log, lineage: wb.lineage ?? { year: args.year, generation: args.generation, filledAt: "", sheets: [] }, charts: null };
    const applied: ApplyResult[] = [];
    for (const [i, fp] of plan.forms.entries()) {
      args.onProgress?.({ form: fp.form, phase: "write", done: i, total: plan.forms.length });
      applied.push(await applyFormPlan(context, fp, { supports, log, budget: args.budget }));
      args.onProgress?.({ form: fp.form, phase: "done", done: i + 1, total: plan.forms.length });
    }
    let charts = plan.forms.length > 0 ? (args.charts?.(plan) ?? null) : null;
    if (charts) {
      const done = await insertChartSheet(context, charts);
      log.perForm.charts = done.syncs;
      if (done.skipped) charts = null;
    }
    let lineage = lineageAfterFill(wb.lineage, plan.forms, {
      year: args.year,
      generation: args.generation,
      filledAt: (args.now?.() ?? new Date()).toISOString(),
    });
    if (charts) lineage = withChartLineage(lineage, charts);
    if (plan.forms.length > 0) await writeLineage(context, lineage, wb.lineagePartIds, { log, budget: args.budget });
    return { plan, applied, log, lineage, charts };
  };
  return supports("mergeUndoGroup") && !args.dryRun ? Excel.run({ mergeUndoGroup: true }, batch) : Excel.run(batch);
}

// ---- small pane helpers ------------------------------------------------------------------------

/** Select a cell (result panel: click a change or a broken rule to go there). */
export async function selectCell(sheetName: string, row: number, col: number): Promise<void> {
  await selectRange(sheetName, a1(row, col));
}

/** Select a range ("B7:H30"), its sheet activated: the pane's "select the filled range". */
export async function selectRange(sheetName: string, address: string): Promise<void> {
  await Excel.run(async (context) => {
    const ws = context.workbook.worksheets.getItem(sheetName);
    ws.activate();
    ws.getRange(address).select();
    await context.sync();
  });
}

/** The selected cell: sheet and A1 ref of its top-left cell. */
export async function selectedCell(): Promise<{ sheetName: string; ref: string } | null> {
  return Excel.run(async (context) => {
    const r = context.workbook.getSelectedRange();
    r.load("address");
    await context.sync();
    const p = parseAddress(r.address);
    return p && p.sheet ? { sheetName: p.sheet, ref: a1(p.row, p.col) } : null;
  });
}

/** Read only the lineage parts (the pane, when it opens in a workbook filled before). */
export async function readLineage(): Promise<WorkbookLineage | null> {
  return Excel.run(async (context) => {
    const parts = context.workbook.customXmlParts.getByNamespace(LINEAGE_NS);
    parts.load("items/id");
    await context.sync();
    const xmls = parts.items.map((p) => p.getXml());
    await context.sync();
    let l: WorkbookLineage | null = null;
    for (const x of xmls) {
      try {
        l = mergeLineageParts(l, parseLineageXml(x.value));
      } catch {
        /* a foreign part in our namespace: ignore */
      }
    }
    return l;
  });
}

export interface OverviewTable {
  title: string;
  /** first row: headers; then label + numbers */
  rows: (string | number)[][];
  chart: "columnStacked" | "columnClustered";
}

/**
 * Write the pane's charts' data to an overview sheet and add native charts over it
 * (Worksheet.charts.add is ExcelApi 1.1). Text cells get "@" before their values here too.
 */
export async function insertOverviewCharts(sheetName: string, tables: OverviewTable[]): Promise<void> {
  await Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    const existing = sheets.getItemOrNullObject(sheetName);
    await context.sync();
    if (!existing.isNullObject) existing.delete();
    const ws = sheets.add(sheetName);
    let row = 1;
    for (const t of tables) {
      ws.getRange(a1(row, 1)).numberFormat = [["@"]];
      ws.getRange(a1(row, 1)).values = [[t.title]];
      const top = row + 1;
      const cols = t.rows[0]?.length ?? 0;
      const data = ws.getRange(areaAddress(top, 1, t.rows.length, cols));
      // labels (first column and header row) as text, figures as numbers
      ws.getRange(areaAddress(top, 1, 1, cols)).numberFormat = fill(1, cols, "@");
      ws.getRange(areaAddress(top, 1, t.rows.length, 1)).numberFormat = fill(t.rows.length, 1, "@");
      data.values = t.rows;
      const chart = ws.charts.add(
        t.chart === "columnStacked" ? Excel.ChartType.columnStacked : Excel.ChartType.columnClustered,
        data,
        Excel.ChartSeriesBy.columns,
      );
      chart.title.text = t.title;
      chart.setPosition(a1(top, cols + 2), a1(top + 14, cols + 9));
      row = top + Math.max(t.rows.length, 16) + 2;
    }
    ws.activate();
    await context.sync();
  });
}
