// One sheet, start to end: legacy text converted, header found, the kind recognised (in the order
// of spec/inputs.md: budget lines, indicators, tasks), rows typed and parsed by their kind, merges
// over the data checked. Everything found is written into the file's state; nothing throws.
import { prob, type Code } from "../../core/codes.js";
import { emptyList } from "../../core/lists.js";
import type { SheetKind, SheetSummary } from "../../warehouse/model.js";
import type { XRow, XSheetInfo } from "../../xlsx/types.js";
import { decodeLegacy, type LegacyResult } from "../text/legacy.js";
import { plainUnicode } from "../../core/text.js";
import { colLetters, findHeader, parseArea, type Area, type Column } from "./headers.js";
import { amountColumns } from "./kinds/amounts.js";
import { parseBudgetRows } from "./kinds/budget.js";
import { parseIndicatorRows } from "./kinds/indicators.js";
import { parseTaskRows, REGISTER_REQUIRED } from "./kinds/tasks.js";
import type { RowKind, RowKinds } from "./kinds/totals.js";
import { RowCells, SheetCtx, type FileState, type RoleName, type RowView } from "./sheet.js";
import { cellText, hasSheetText } from "./values.js";
import { hierarchyCode, hierarchyLabel } from "./values-lists.js";

const KIND_NAMES: Record<SheetKind, { vi: string; en: string }> = {
  task_register: { vi: "danh mục nhiệm vụ", en: "a task register" },
  task_funding: { vi: "cấp phát kinh phí nhiệm vụ", en: "a task funding sheet" },
  budget_lines: { vi: "dự toán chi KH&CN (dòng 01–18)", en: "a budget-line sheet (01–18)" },
  indicators: { vi: "chỉ tiêu hoạt động", en: "an indicator sheet" },
};

/** Convert legacy-encoded text in place and NFC every text; report per sheet. */
function convertText(fs: FileState, sheet: string, rows: XRow[]): void {
  const converted = new Map<string, { count: number; first: string }>();
  // the same text in the same font converts the same way: each once (shared strings repeat)
  let cacheFont: string | undefined = undefined;
  let cache = new Map<string, { res: LegacyResult; text: string }>();
  const caches = new Map<string | undefined, Map<string, { res: LegacyResult; text: string }>>([[undefined, cache]]);
  const lastPlain: (string | undefined)[] = [];
  for (let ri = 0; ri < rows.length; ri++) {
    const cells = rows[ri]!.cells;
    for (let ci = 0; ci < cells.length; ci++) {
      const c = cells[ci]!;
      if (c.type !== "s" || typeof c.value !== "string") continue;
      // the fast reader tells a plain text while it reads its characters (XCell.plain): most are
      if (c.plain === true) continue;
      // a column's texts repeat down the sheet (levels, fields, organisations): the same text as
      // the last plain one of its column is plain too, told by one comparison
      const v = c.value;
      if (v === lastPlain[c.col]) continue;
      if (plainUnicode(v)) {
        lastPlain[c.col] = v;
        continue;
      }
      if (c.font !== cacheFont) {
        cacheFont = c.font;
        let m = caches.get(cacheFont);
        if (m === undefined) caches.set(cacheFont, (m = new Map()));
        cache = m;
      }
      let hit = cache.get(c.value);
      if (hit === undefined) {
        const res = decodeLegacy(c.value, c.font);
        hit = { res, text: res.text.normalize("NFC").replace(/\u00a0/g, " ") };
        cache.set(c.value, hit);
      }
      const res = hit.res;
      if (res.kind === "converted") {
        const e = converted.get(res.encoding) ?? { count: 0, first: c.ref };
        e.count++;
        converted.set(res.encoding, e);
      } else if (res.kind === "unconvertible") {
        fs.out.problems.push(mk(fs, sheet, "LEGACY_ENCODING_UNCONVERTIBLE", c.ref, { encoding: res.encoding, value: res.text }));
      }
      c.value = hit.text;
    }
  }
  for (const [encoding, e] of converted) fs.out.problems.push(mk(fs, sheet, "LEGACY_ENCODING_CONVERTED", e.first, { encoding, count: e.count }));
}

function mk(fs: FileState, sheet: string, code: Code, cell: string | undefined, data: Record<string, unknown>) {
  return prob(code, cell ? { file: fs.fileId, sheet, cell } : { file: fs.fileId, sheet }, data);
}

function toView(r: XRow): RowView {
  return new RowCells(r.cells, r.row, r.hidden);
}

/** Which role each column keeps: the first of each fixed role; later duplicates are ignored. */
function usedColumns(columns: Column[], allowed: Set<RoleName>): { used: Column[]; ignored: Column[] } {
  const used: Column[] = [];
  const ignored: Column[] = [];
  const seen = new Set<RoleName>();
  for (const c of columns) {
    const r = c.role;
    if (!r || !allowed.has(r.role)) {
      ignored.push(c);
      continue;
    }
    if (r.role !== "amount" && r.role !== "approved") {
      if (seen.has(r.role)) {
        ignored.push(c);
        continue;
      }
      seen.add(r.role);
    }
    used.push(c);
  }
  return { used, ignored };
}

const REGISTER_ROLES: RoleName[] = ["stt", "code", "maSo", "title", "level", "field", "leadOrg", "pi", "piGender", "decision", "start", "end", "period", "status", "acceptedOn", "approved"];
const FUNDING_ROLES: RoleName[] = ["stt", "code", "maSo", "title", "amount"];
const BUDGET_ROLES: RoleName[] = ["stt", "maSo", "label", "indLabel", "title", "amount"];
const INDICATOR_ROLES: RoleName[] = ["stt", "indCode", "maSo", "indLabel", "field", "unit", "parent", "amount"];

export function parseSheet(fs: FileState, info: XSheetInfo, rows: XRow[]): SheetSummary {
  const summary: SheetSummary = { name: info.name, kinds: [], status: "skipped", rows: 0, ignoredColumns: [] };
  const sheet = info.name;
  const add = (code: Code, cell: string | undefined, data: Record<string, unknown> = {}) => fs.out.problems.push(mk(fs, sheet, code, cell, data));
  convertText(fs, sheet, rows);
  // one kind of list whether the sheet has merges or not (core/lists.ts): `[].map(…)` is not
  const merges = emptyList<Area>();
  for (const m of info.merges) {
    const a = parseArea(m);
    if (a !== null) merges.push(a);
  }
  const header = findHeader(rows, merges);
  const hasContent = rows.some((r) => r.cells.some(hasSheetText));
  if (!header) {
    if (hasContent) add("SHEET_UNRECOGNISED", undefined);
    return summary;
  }
  if (header.rows.length > 2) {
    summary.status = "error";
    add("HEADER_THREE_ROWS", `A${header.rows[0]}`, { count: header.rows.length, rows: header.rows.join(", ") });
    return summary;
  }
  const bottom = header.rows[header.rows.length - 1]!;
  const dataStart = header.numberRow ?? bottom;
  const body: RowView[] = [];
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    if (r.row > dataStart) body.push(toView(r));
  }
  const cols = header.columns;
  const has = (role: RoleName) => cols.some((c) => c.role?.role === role);
  const first = (role: RoleName) => cols.find((c) => c.role?.role === role);
  const anyAmount = has("amount");

  // 1. Kind 3: hierarchy codes in Mã số, or hierarchy labels in a text column
  const maSo = first("maSo");
  let kind3Code: Column | undefined;
  let kind3Label: Column | undefined;
  // budget-line sheets are short: their first rows are enough to recognise them
  const sample = body.slice(0, 200);
  if (maSo && !has("title") && !has("indLabel")) {
    const vals = sample.map((r) => cellText(r.cells.get(maSo.col))).filter(Boolean);
    const hits = vals.filter((v) => hierarchyCode(v) !== null).length;
    if (hits >= 2 && hits >= vals.length * 0.6) kind3Code = maSo;
  }
  for (const c of cols.filter((c) => !c.role || ["label", "indLabel", "title"].includes(c.role.role))) {
    const hits = sample.filter((r) => hierarchyLabel(cellText(r.cells.get(c.col))) !== null).length;
    if (hits >= 3) {
      kind3Label = c;
      break;
    }
  }
  const kind3 = !!kind3Code || (!!kind3Label && !has("code") && !(maSo && !kind3Code && sample.some((r) => cellText(r.cells.get(maSo.col)) !== "")));
  const kinds: SheetKind[] = [];
  let missing: { kind: SheetKind; cols: string[] } | null = null;
  if (kind3) {
    if (anyAmount) kinds.push("budget_lines");
    else missing = { kind: "budget_lines", cols: ["<measure> <year> (e.g. Dự toán 2024)"] };
  } else if (has("indLabel")) {
    if (anyAmount) kinds.push("indicators");
    else missing = { kind: "indicators", cols: ["<measure> <year> (e.g. Kế hoạch 2024)"] };
  } else if (has("code") || maSo) {
    const k1cols = ["level", "field", "leadOrg", "pi", "piGender", "decision", "start", "end", "period", "status", "acceptedOn", "approved"] as RoleName[];
    const k1count = k1cols.filter(has).length;
    const looksRegister = has("title") && k1count >= 2;
    if (looksRegister) {
      const lack = REGISTER_REQUIRED.filter((req) => {
        if (req.role === "approved:TONG") return !cols.some((c) => c.role?.role === "approved" && c.role.source === "TONG");
        const alts = req.role.split("|") as RoleName[];
        if (alts.includes("period") && has("period")) return false;
        return !has(alts[0]!);
      });
      if (lack.length) missing = { kind: "task_register", cols: lack.map((l) => l.vi) };
      else kinds.push("task_register");
    }
    if (anyAmount && !missing) kinds.push("task_funding");
    if (!looksRegister && !anyAmount) missing = { kind: "task_funding", cols: ["<measure> <year> (e.g. Dự toán 2024) / Tên nhiệm vụ, Cấp quản lý, Tổ chức chủ trì …"] };
  } else if (anyAmount) {
    missing = { kind: "task_funding", cols: ["Mã nhiệm vụ / Mã số / Chỉ tiêu"] };
  }
  if (missing) {
    summary.status = "error";
    const k = KIND_NAMES[missing.kind];
    const uniq = [...new Set(missing.cols)];
    add("HEADER_MISSING_COLUMN", cols[0]?.ref ?? `A${bottom}`, { kind: k.en, kindVi: k.vi, missing: uniq.join(", "), columns: uniq });
    return summary;
  }
  if (kinds.length === 0) {
    if (hasContent) add("SHEET_UNRECOGNISED", undefined);
    return summary;
  }
  summary.kinds = kinds;
  const allowed = new Set<RoleName>(
    kinds.flatMap((k) => (k === "task_register" ? REGISTER_ROLES : k === "task_funding" ? FUNDING_ROLES : k === "budget_lines" ? BUDGET_ROLES : INDICATOR_ROLES)),
  );
  const { used, ignored } = usedColumns(cols, allowed);
  for (const c of ignored) {
    summary.ignoredColumns.push(c.header);
    add("COLUMN_IGNORED", c.ref, { header: c.header });
  }
  const ctx = new SheetCtx(fs, sheet, used);
  if (header.unit) ctx.unit = header.unit;
  const indicators = kinds.includes("indicators");
  const amounts = amountColumns(used, indicators);
  const approved = used.filter((c) => c.role?.role === "approved");
  const numericCols = new Set([...amounts.map((a) => a.col.col), ...approved.map((c) => c.col)]);
  // the texts of those columns, gathered when a text figure is first read
  ctx.styleFrom(body, [...numericCols]);
  const errorsBefore = fs.out.problems.filter((p) => p.severity === "error").length;
  let result: { dataRows: number; kinds: RowKinds };
  if (kinds.includes("budget_lines")) {
    const labelCol = kind3Label ?? used.find((c) => c.role?.role === "label" || c.role?.role === "indLabel" || c.role?.role === "title");
    result = parseBudgetRows(ctx, body, kind3Code, labelCol, amounts);
  } else if (indicators) {
    result = parseIndicatorRows(ctx, body, amounts);
  } else {
    result = parseTaskRows(ctx, body, { register: kinds.includes("task_register"), funding: kinds.includes("task_funding"), amounts, approved });
  }
  summary.rows = result.dataRows;
  // merges over the data: a multi-row merge, or a merge inside a data row
  for (const m of merges) {
    if (m.r2 <= dataStart) continue;
    const rowsHit: RowKind[] = [];
    for (let r = Math.max(m.r1, dataStart + 1); r <= m.r2; r++) rowsHit.push(result.kinds.get(r) ?? "blank");
    if (rowsHit.some((k) => k === "data" || k === "bad")) add("MERGED_DATA_CELLS", colLetters(m.c1) + m.r1, { range: m.ref });
  }
  if (result.dataRows === 0) {
    add("SHEET_NO_ROWS", `A${bottom}`);
    summary.status = "error";
    return summary;
  }
  const errorsAfter = fs.out.problems.filter((p) => p.severity === "error").length;
  summary.status = errorsAfter > errorsBefore ? "error" : "loaded";
  return summary;
}
