// Kind 1 (task register) and Kind 2 (task funding by year): one row per task, keyed by its code.
// A sheet may be both: a register with funding columns.
import { formatDecimal as fmt, parseDecimal as toMicro, partsWithin, withinTolerance as within } from "../../../core/money.js";
import { fold } from "../../../core/text.js";
import { emptyList } from "../../../core/lists.js";
import type { CellRef, Level, Source, TaskRecord } from "../../../warehouse/model.js";
import { FactKind } from "../../../warehouse/pack.js";
import type { Column } from "../headers.js";
import type { XCell } from "../../../xlsx/types.js";
import { claimFact, claimKey, hasSpace, isSpaceCode, notePlanMeasure, type RowView, type SheetCtx } from "../sheet.js";
import { dateFromCell, monthFromCell, parsePeriodText, hasSheetText, sheetText } from "../values.js";
import { fieldOf, genderOf, levelOf, statusOf } from "../values-lists.js";
import { levelDef, levelInForce, levelSource } from "../../../core/units.js";
import { LoadedFigures, readAmounts, type AmountCol } from "./amounts.js";
import { checkTotals, RowFigures, RowKinds, TotalsInput, type RowKind } from "./totals.js";

export const REGISTER_REQUIRED: { role: string; vi: string; en: string }[] = [
  { role: "title", vi: "Tên nhiệm vụ", en: "Tên nhiệm vụ (title)" },
  { role: "level", vi: "Cấp quản lý", en: "Cấp quản lý (level)" },
  { role: "leadOrg", vi: "Tổ chức chủ trì", en: "Tổ chức chủ trì (lead organisation)" },
  { role: "start|period", vi: "Bắt đầu / Thời gian thực hiện", en: "Bắt đầu / Thời gian thực hiện (start)" },
  { role: "end|period", vi: "Kết thúc / Thời gian thực hiện", en: "Kết thúc / Thời gian thực hiện (end)" },
  { role: "approved:TONG", vi: "Tổng kinh phí", en: "Tổng kinh phí (approved total)" },
];

const TOTAL_RE = /^(tong cong|tong so|tong|cong)\s*[:.]?(\s|$)/;
const GROUP_RE = /^([ivxlc]+|[a-h])\s*[.)/]\s*\S|^([ivxlc]+|[a-h])$/i;

/**
 * false when fold(t) surely does not start with the ASCII letter `a` or `b`: its first character
 * after white space is ASCII (folding keeps it, lower-cased) and is neither. Anything else (a
 * letter with a mark, …) is left to the caller's fold.
 */
function mayFoldStartWith(t: string, a: number, b: number): boolean {
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c >= 0x80) return true;
    const l = c >= 65 && c <= 90 ? c + 32 : c;
    return l === a || l === b;
  }
  return false; // blank: folds to ""
}

export const isTotalLabel = (t: string): boolean => mayFoldStartWith(t, 116 /* t */, 99 /* c */) && TOTAL_RE.test(fold(t));

const FOOTER_RE =
  /^(nguoi lap( bieu)?|nguoi ky|thu truong( don vi)?|giam doc|pho giam doc|ke toan( truong)?|truong phong|lanh dao|xac nhan|noi nhan|ghi chu ?:|\(ky|kt\.? giam doc|tm\.? )|ngay \d{1,2} thang \d{1,2} nam \d{4}/;
/** A line of the signature block or the notes under a table. */
export const isFooterText = (t: string): boolean => FOOTER_RE.test(fold(t));
export const isGroupNumber = (t: string): boolean => mayOpenGroupNumber(t) && (/^([IVXLC]+|[A-H])[.)]?$/.test(t.trim()) || /^([IVXLC]+|[A-H])[.)]\s+\S/.test(t.trim()));

/**
 * false when t's first character past white space (what trim removes is `\s`) can open neither
 * form of isGroupNumber (a Roman numeral or A–H): asked of every row's STT ("1", "2" …), the two
 * regular expressions on a trimmed copy cost more than this look at one character.
 */
function mayOpenGroupNumber(t: string): boolean {
  let i = 0;
  const n = t.length;
  while (i < n && isSpaceCode(t.charCodeAt(i))) i++;
  if (i === n) return false;
  const c = t.charCodeAt(i);
  return (c >= 65 && c <= 73) || c === 86 || c === 88 || c === 76;
}

/** NSNN in a row: NSTW for national and ministry tasks, NSĐP for the others. */
export const nsnnSource = (level: Level | undefined): Source => (level === "QUOC_GIA" || level === "BO" ? "NSTW" : "NSDP");

export interface TaskSheetOpts {
  register: boolean;
  funding: boolean;
  amounts: AmountCol[];
  approved: Column[];
}

export function parseTaskRows(ctx: SheetCtx, rows: RowView[], opts: TaskSheetOpts): { dataRows: number; kinds: RowKinds } {
  const codeCol = ctx.col("code") ?? ctx.col("maSo");
  const sttCol = ctx.col("stt");
  const labelCols = [sttCol, codeCol, ctx.col("title")].filter((c): c is Column => !!c);
  const numericCols = emptyList<Column>();
  for (let i = 0; i < opts.approved.length; i++) numericCols.push(opts.approved[i]!);
  for (let i = 0; i < opts.amounts.length; i++) numericCols.push(opts.amounts[i]!.col);
  const kinds = new RowKinds();
  const totals = new TotalsInput(numericCols);
  // a row's figures by column: one for the sheet, emptied per row (totals copies what it keeps)
  const values = new RowFigures();
  // and its loadable figures (readAmounts), likewise
  const loaded = new LoadedFigures();
  const dataRows = taskRows(ctx, rows, opts, codeCol, sttCol, labelCols, numericCols, kinds, totals, values, loaded);
  checkTotals(ctx, totals);
  return { dataRows, kinds };
}

/**
 * parseTaskRows' loop over the rows, with what it needs made once per sheet. On its own: V8
 * optimised the whole function while its first call was in the loop, with nothing learnt of the
 * setup before it (run before V8 kept any feedback for it), and threw that code away at the next
 * sheet's setup, once or twice a load (100-380 ms of compiling each time).
 */
function taskRows(
  ctx: SheetCtx,
  rows: RowView[],
  opts: TaskSheetOpts,
  codeCol: Column | undefined,
  sttCol: Column | undefined,
  labelCols: Column[],
  numericCols: Column[],
  kinds: RowKinds,
  totals: TotalsInput,
  values: RowFigures,
  loaded: LoadedFigures,
): number {
  let dataRows = 0;
  let afterGrandTotal = false;
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    // the row's non-empty texts, in column order: only the first is needed unless the row is odd
    let firstAt = -1;
    const cells = r.cells.values();
    for (let i = 0; i < cells.length; i++) {
      if (hasSheetText(cells[i]!)) {
        firstAt = i;
        break;
      }
    }
    if (firstAt < 0 && !hasErrorCell(cells)) {
      kinds.set(r.row, "blank");
      continue;
    }
    const keyCell = codeCol ? r.cells.get(codeCol.col) : undefined;
    if (keyCell && (keyCell.type === "e" || (keyCell.type === "z" && keyCell.formula !== undefined))) {
      kinds.set(r.row, "bad");
      ctx.text(r, codeCol); // reports VALUE_ERROR / FORMULA_NO_CACHE on the code cell
      continue;
    }
    const key = codeCol ? sheetText(keyCell) : "";
    const stt = sttCol ? sheetText(r.cells.get(sttCol.col)) : "";
    const first = firstAt >= 0 ? sheetText(cells[firstAt]) : "";
    // the row's texts, and [...labels, first]: made when a rule needs them
    let texts: string[] | null = null;
    let withFirst: string[] | null = null;
    let hasNumbers = false;
    for (let k = 0; k < numericCols.length; k++) {
      if (ctx.has(r, numericCols[k]!)) {
        hasNumbers = true;
        break;
      }
    }
    // signatures, dates and notes under the table ("Người lập biểu", "Long An, ngày … tháng …")
    if (!hasNumbers && (afterGrandTotal || (texts ??= rowTexts(cells, firstAt)).every(isFooterText))) {
      kinds.set(r.row, "blank");
      continue;
    }
    let kind: RowKind;
    if ((!key || isTotalLabel(key)) && (withFirst ??= labelsAndFirst(r, labelCols, first)).some(isTotalLabel)) {
      kind = "total";
      if (dataRows > 0 && !/^cong\b/.test(fold(withFirst.find(isTotalLabel)!))) afterGrandTotal = true;
    }
    else if (isGroupNumber(stt) || (hasSpace(key) && !hasNumbers && (isGroupNumber(key) || (texts ??= rowTexts(cells, firstAt)).length <= 2)) || (!key && ((withFirst ??= labelsAndFirst(r, labelCols, first)).some(isGroupNumber) || ((texts ??= rowTexts(cells, firstAt)).length <= 2 && !hasNumbers)))) kind = "group";
    else if (!key) {
      kind = "bad";
      ctx.add("REQUIRED_VALUE_MISSING", ctx.ref(codeCol?.col ?? 1, r.row), { column: "Mã nhiệm vụ (task code)", columnVi: "Mã nhiệm vụ" });
    } else kind = "data";
    kinds.set(r.row, kind);
    if (values.size !== 0) values.clear();
    if (kind === "group" || kind === "total") {
      for (const c of numericCols) {
        const a = opts.amounts.find((x) => x.col === c);
        const v = ctx.money(r, c, a ? a.unit : approvedUnit(c));
        if (v) values.set(c.col, v);
      }
      totals.push(r.row, kind, (withFirst ??= labelsAndFirst(r, labelCols, first)).find(isTotalOrGroup) ?? first, values);
      continue;
    }
    if (kind !== "data") continue;
    dataRows++;
    if (r.hidden) ctx.add("ROW_HIDDEN", ctx.ref(codeCol!.col, r.row), { row: r.row });
    const code = key;
    const at = ctx.at(ctx.ref(codeCol!.col, r.row));
    let level: Level | undefined;
    if (opts.register) {
      const rec = registerRow(ctx, r, code, at, opts.approved, values);
      level = rec?.level;
    }
    if (opts.funding) {
      readAmounts(ctx, r, opts.amounts, true, values, loaded);
      for (let li = 0; li < loaded.n; li++) {
        const a = loaded.cols[li]!;
        const value = loaded.values[li]!;
        // the fact goes straight into the file's columns: its cell a place, made a reference only for a problem
        const place = ctx.placeOf(a.col.col, r.row);
        let source = (a.source === "NSNN" ? "NSDP" : a.source) as Source;
        if (a.source === "NSNN") {
          if (level) source = nsnnSource(level);
          else {
            const i = ctx.fs.facts.putFunding(code, a.year, a.measure, source, value, ctx.sheet, a.col.col, r.row, codeCol!.col);
            ctx.fs.pendingNsnn.push(i, place);
            notePlanMeasure(ctx, "task", code, a.year, a.measure, place);
            continue;
          }
        }
        if (claimFact(ctx, "tf", code, a.year, a.measure, source, place)) {
          ctx.fs.facts.putFunding(code, a.year, a.measure, source, value, ctx.sheet, a.col.col, r.row, codeCol!.col);
        }
        notePlanMeasure(ctx, "task", code, a.year, a.measure, place);
      }
    }
    totals.push(r.row, kind, "", values);
  }
  return dataRows;
}

const isTotalOrGroup = (t: string): boolean => isTotalLabel(t) || isGroupNumber(t);

function hasErrorCell(cells: readonly XCell[]): boolean {
  for (const c of cells) if (c.type === "e" || (c.type === "z" && c.formula !== undefined)) return true;
  return false;
}

/** The row's non-empty texts in column order (those before `firstAt` are empty). */
function rowTexts(cells: readonly XCell[], firstAt: number): string[] {
  const out: string[] = [];
  if (firstAt < 0) return out;
  for (let i = firstAt; i < cells.length; i++) {
    const t = sheetText(cells[i]);
    if (t) out.push(t);
  }
  return out;
}

/** The label columns' non-empty texts, then the row's first text. */
function labelsAndFirst(r: RowView, labelCols: Column[], first: string): string[] {
  const out: string[] = [];
  for (const c of labelCols) {
    const t = sheetText(r.cells.get(c.col));
    if (t) out.push(t);
  }
  out.push(first);
  return out;
}

function approvedUnit(c: Column) {
  return c.role && c.role.role === "approved" ? c.role.unit : undefined;
}

/** A required text of the register row, reported when missing (not when it is an error value). */
function need(ctx: SheetCtx, r: RowView, role: Parameters<SheetCtx["col"]>[0], vi: string, en: string): string {
  const col = ctx.col(role);
  const t = ctx.text(r, col);
  if (!t && col && !(ctx.cell(r, col)?.type === "e" || ctx.cell(r, col)?.formula !== undefined)) ctx.add("REQUIRED_VALUE_MISSING", ctx.ref(col.col, r.row), { column: en, columnVi: vi });
  return t;
}

/** The start or end month of the register row; null (reported) when missing or wrong. */
function monthIn(ctx: SheetCtx, r: RowView, col: Column, ref: string, en: string, vi: string): string | null {
  const m = monthFromCell(ctx.cell(r, col), ctx.fs.date1904);
  if (!m.ok) ctx.fail(ref, m);
  else if (m.value === null) ctx.add("REQUIRED_VALUE_MISSING", ref, { column: en, columnVi: vi });
  else return m.value;
  return null;
}

/** An approved amount of the register row, by its source ("TONG", "NSTW" … "NSNN"). */
interface Part {
  source: string;
  amount: string;
  /** its column (its cell's reference made only for a problem: ctx.ref(col, row)) */
  col: number;
}

function partOf(parts: Part[], source: string): Part | undefined {
  for (let i = 0; i < parts.length; i++) if (parts[i]!.source === source) return parts[i];
  return undefined;
}

/** A parsed task's approved amounts: none as objects, they are facts of the file's columns (FileFacts). */
const NO_APPROVED: TaskRecord["approved"] = Object.freeze([]) as unknown as TaskRecord["approved"];

/**
 * A TaskRecord's fields in the literal's order; pi, piGender, decision, acceptedOn added when given.
 * An instance, not a literal: tasks live until the end of the file, and when the garbage collector
 * decided that a literal's objects (counted at its place in the code) are to be made in the old
 * generation, the optimised registerRow that made them was thrown away and compiled again (issue
 * 16). `new` of a class is not counted so.
 */
class TaskRow {
  declare pi?: string;
  declare piGender?: "NAM" | "NU";
  declare decision?: string;
  declare acceptedOn?: string;
  constructor(
    public code: string,
    public title: string,
    public level: Level,
    public field: TaskRecord["field"],
    public leadOrg: string,
    public start: string,
    public end: string,
    public status: TaskRecord["status"],
    public unsplit: boolean,
    public at: CellRef,
    public approved: TaskRecord["approved"],
  ) {}
}

/** The sources an approved total splits into, in the order the parts are listed. */
const SPLIT_SOURCES: readonly Source[] = ["NSTW", "NSDP", "NGOAI_NSNN", "NUOC_NGOAI"];

function registerRow(ctx: SheetCtx, r: RowView, code: string, at: TaskRecord["at"], approvedCols: Column[], values: RowFigures): TaskRecord | null {
  const before = ctx.problems.length;
  if (!claimKey(ctx, ctx.fs.taskCodes, code, at, code, "TASK_CODE_DUPLICATE")) return null;
  const title = need(ctx, r, "title", "Tên nhiệm vụ", "task title");
  const leadOrg = need(ctx, r, "leadOrg", "Tổ chức chủ trì", "lead organisation");
  const levelText = need(ctx, r, "level", "Cấp quản lý", "level");
  let level: Level | null = null;
  if (levelText) {
    level = levelOf(levelText);
    if (!level) ctx.add("VALUE_NOT_IN_LIST", ctx.ref(ctx.col("level")!.col, r.row), { value: levelText, list: "levels (Quốc gia, Bộ, Tỉnh, Cơ sở, Huyện, Khác)", listVi: "cấp quản lý (Quốc gia, Bộ, Tỉnh, Cơ sở, Huyện, Khác)" });
  }
  // field: missing or unknown → Chưa phân loại, with a warning
  const fieldCol = ctx.col("field");
  const fieldText = ctx.text(r, fieldCol);
  let field: TaskRecord["field"] = "CHUA_PHAN_LOAI";
  const f = fieldText ? fieldOf(fieldText) : null;
  if (f) {
    field = f.field;
    if (f.merged) ctx.add("FIELD_MERGED_XH_NV", fieldCol ? ctx.ref(fieldCol.col, r.row) : at.cell, { value: fieldText });
  } else ctx.add("FIELD_UNKNOWN", fieldCol ? ctx.ref(fieldCol.col, r.row) : at.cell, { value: fieldText || "—" });
  // months
  let start: string | null = null;
  let end: string | null = null;
  const sCol = ctx.col("start");
  const eCol = ctx.col("end");
  const pCol = ctx.col("period");
  let startRef = at.cell;
  let endRef = at.cell;
  if (sCol && eCol) {
    startRef = ctx.ref(sCol.col, r.row);
    endRef = ctx.ref(eCol.col, r.row);
    start = monthIn(ctx, r, sCol, startRef, "start month", "Bắt đầu");
    end = monthIn(ctx, r, eCol, endRef, "end month", "Kết thúc");
  } else if (pCol) {
    startRef = endRef = ctx.ref(pCol.col, r.row);
    const c = ctx.cell(r, pCol);
    if (!c || !ctx.has(r, pCol)) ctx.add("REQUIRED_VALUE_MISSING", startRef, { column: "period", columnVi: "Thời gian thực hiện" });
    else if (c.type === "e") ctx.add("VALUE_ERROR", startRef, { value: c.value ?? "#ERROR" });
    else if (c.type === "z") ctx.add("FORMULA_NO_CACHE", startRef);
    else {
      const p = parsePeriodText(String(c.value));
      if (!p.ok) ctx.fail(startRef, p);
      else {
        start = p.value.start;
        end = p.value.end;
      }
    }
  }
  if (start && end && end < start) ctx.add("PERIOD_START_AFTER_END", endRef, { start, end }, endRef !== startRef ? ctx.at(startRef) : undefined);
  // status and acceptance date
  const stCol = ctx.col("status");
  const stText = ctx.text(r, stCol);
  let status: TaskRecord["status"] = "DANG_THUC_HIEN";
  if (stText) {
    const s = statusOf(stText);
    if (s) status = s;
    else ctx.add("VALUE_NOT_IN_LIST", ctx.ref(stCol!.col, r.row), { value: stText, list: "statuses", listVi: "tình trạng" });
  }
  let acceptedOn: string | undefined;
  const aCol = ctx.col("acceptedOn");
  if (aCol) {
    const d = dateFromCell(ctx.cell(r, aCol), ctx.fs.date1904);
    if (!d.ok) ctx.fail(ctx.ref(aCol.col, r.row), d);
    else if (d.value) acceptedOn = d.value;
  }
  const gCol = ctx.col("piGender");
  const gText = ctx.text(r, gCol);
  let piGender: "NAM" | "NU" | undefined;
  if (gText) {
    const g = genderOf(gText);
    if (g) piGender = g;
    else ctx.add("VALUE_NOT_IN_LIST", ctx.ref(gCol!.col, r.row), { value: gText, list: "Nam, Nữ", listVi: "giới tính (Nam, Nữ)" });
  }
  const pi = ctx.text(r, ctx.col("pi"));
  const decision = ctx.text(r, ctx.col("decision"));
  // approved funding
  // by source, the first column's (a handful: a list, not a Map per row)
  const parts = emptyList<Part>();
  for (let k = 0; k < approvedCols.length; k++) {
    const c = approvedCols[k]!;
    if (!c.role || c.role.role !== "approved") continue;
    const v = ctx.money(r, c, c.role.unit);
    if (v === null || v === undefined) continue;
    values.set(c.col, v);
    if (!partOf(parts, c.role.source)) parts.push({ source: c.role.source, amount: v, col: c.col });
  }
  const tongCol = approvedCols.find((c) => c.role?.role === "approved" && c.role.source === "TONG");
  const tong = partOf(parts, "TONG");
  if (!tong && tongCol && !ctx.has(r, tongCol)) ctx.add("REQUIRED_VALUE_MISSING", ctx.ref(tongCol.col, r.row), { column: "approved total", columnVi: "Tổng kinh phí" });
  const lvl = level ?? undefined;
  // the approved amounts, written as facts (FileFacts) once the task is known to be kept
  const approved = emptyList<Part>();
  let unsplit = false;
  if (tong) {
    approved.push(tong);
    const given = emptyList<Part & { source: Source }>();
    // NSNN stands in for NSTW/NSĐP only when both are blank; beside them it is their subtotal
    const nsnn = partOf(parts, "NSNN");
    // (in a Map, set on an absent key: added, its value the NSNN part's)
    if (nsnn && !partOf(parts, "NSTW") && !partOf(parts, "NSDP")) parts.push({ source: nsnnSource(lvl), amount: nsnn.amount, col: nsnn.col });
    for (const s of SPLIT_SOURCES) {
      const p = partOf(parts, s);
      // (the part found by its source s: the same source, amount and column)
      if (p) given.push(p as Part & { source: Source });
    }
    if (given.length === 0) {
      unsplit = true;
      ctx.add("TASK_UNSPLIT", ctx.ref(tong.col, r.row), { code });
    } else {
      // partsWithin's lists all of one kind, whoever makes them (core/lists.ts)
      const amounts = emptyList<string>();
      for (const g of given) amounts.push(g.amount);
      if (partsWithin(amounts, tong.amount) !== true) {
        const sum = given.reduce((s, p) => s + toMicro(p.amount), 0n);
        if (!within(sum, toMicro(tong.amount))) {
          const cells = given.map((g) => ctx.ref(g.col, r.row));
          ctx.add("TOTAL_PARTS_MISMATCH", ctx.ref(tong.col, r.row), { total: tong.amount, sum: fmt(sum), parts: cells.join(", "), cells });
        }
      }
      for (const g of given) approved.push(g);
    }
  }
  // A level that had ended before the task started (cấp huyện after 30 June 2025) is refused at the
  // level cell; tasks of earlier years keep it (core/admin/levels.json).
  if (level && start && !levelInForce(level, start)) {
    const def = levelDef(level)!;
    const ended = def.valid_to!;
    ctx.add("LEVEL_ENDED", ctx.ref(ctx.col("level")!.col, r.row), {
      value: levelText, start: `${start.slice(5)}/${start.slice(0, 4)}`, ended, endedVi: ended.split("-").reverse().join("/"),
      source: levelSource(level),
    });
  }
  let failed = false;
  for (let i = before; i < ctx.problems.length; i++) if (ctx.problems[i]!.severity === "error") failed = true;
  if (failed || !level || !start || !end || !tong) return null;
  // its approved amounts are facts of the file's columns, not objects the task keeps (NO_APPROVED)
  const rec: TaskRecord = new TaskRow(code, title, level, field, leadOrg, start, end, status, unsplit, at, NO_APPROVED);
  const facts = ctx.fs.facts;
  for (let i = 0; i < approved.length; i++) {
    const a = approved[i]!;
    facts.put(FactKind.Approved, code, 0, "", a.source, a.amount, ctx.sheet, a.col, r.row);
  }
  if (pi) rec.pi = pi;
  if (piGender) rec.piGender = piGender;
  if (decision) rec.decision = decision;
  if (acceptedOn) rec.acceptedOn = acceptedOn;
  ctx.fs.out.tasks.push(rec);
  return rec;
}

