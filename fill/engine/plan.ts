// Phase two of a fill: the write plan of one located form. Fixed forms (PL01, PL02, PL05) find
// their rows by Mã số or label; list forms (PL03, PL04, PL06) rebuild their body from the data,
// keeping the rows that are already there (matched by task code or title) so that the staff's
// notes stay with their task, inserting new ones (format copied from the template row) and
// deleting finished ones. Every data cell of the form is written: no figure is left over.
import { prob } from "../../core/codes.js";
import type { Problem } from "../../core/problem.js";
import type { ColumnDef, FixedRowDef, FormDef } from "../../queries/form-schema.js";
import type { FormData, FormRow, FormValue } from "../../queries/types.js";
import { lineageId as formatLineageId } from "../../core/lineage-id.js";
import { colLetter, formatAt, formulaAt, isEmpty, valueAt } from "./grid.js";
import { defIndex, type Located } from "./locate.js";
import { canon, cellText, codeOf, yearBag, canonWords, withYear } from "./match.js";
import { fold } from "../../core/text.js";
import type { Block, CellChange, CellLineage, FormPlan, GridSnapshot, GridValue, PlanCell, RowOp } from "./types.js";

type Place = { form: string; row?: string; column?: string; sheet?: string; cell?: string };

const isFigureKind = (c: ColumnDef) => c.kind !== "text";

/** The lineage id of a filled cell: `<form>:<year>:<generation>:<row_key>:<column_id>`. */
export function lineageId(data: FormData, rowKey: string, columnId: string): string {
  return formatLineageId(data.form, data.year, data.generation, rowKey, columnId);
}

/** A figure or text from data as a plan cell. Text stays text (never a formula, number or date). */
export function dataCell(col: ColumnDef, v: FormValue | undefined, targetFormat: string, onText?: () => void, moneyScale = 1): PlanCell {
  if (v === null || v === undefined) return { blank: true };
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return { blank: true };
    if (col.kind === "ratio" && targetFormat.includes("%")) return { n: Number((v / 100).toPrecision(12)) };
    if (col.kind === "money" && moneyScale !== 1) return { n: Number((v * moneyScale).toPrecision(15)) };
    return { n: v };
  }
  if (typeof v === "string") {
    if (v === "") return { blank: true };
    if (isFigureKind(col)) onText?.();
    return { s: v };
  }
  return { blank: true };
}

function newValue(c: PlanCell): GridValue {
  if (c === null) return null;
  if ("n" in c) return c.n;
  if ("s" in c) return c.s;
  if ("f" in c) return c.f;
  return null;
}

const nonZero = (v: FormValue | undefined) => typeof v === "number" && Number.isFinite(v) && Math.abs(v) > 0.0005;

// the sheet columns of a located form's figures, once per form (rowTexts runs for every row)
const FIGURE_COLS = new WeakMap<Located, { def: FormDef; cols: Set<number> }>();
function figureColsOf(loc: Located, def: FormDef): Set<number> {
  const hit = FIGURE_COLS.get(loc);
  if (hit && hit.def === def) return hit.cols;
  const cols = new Set(def.columns.filter(isFigureKind).map((c) => loc.columns[c.id]).filter((c) => c !== undefined));
  FIGURE_COLS.set(loc, { def, cols });
  return cols;
}

/** Rows whose label cell (and other text cells) may identify a row. */
function rowTexts(sheet: GridSnapshot, row: number, loc: Located, def: FormDef, first: string | undefined): string[] {
  const out: string[] = [];
  const push = (v: GridValue) => {
    const t = cellText(v).trim();
    if (t && !out.includes(t)) out.push(t);
  };
  if (first && loc.columns[first] !== undefined) push(valueAt(sheet, row, loc.columns[first]));
  const figureCols = figureColsOf(loc, def);
  const noteCol = loc.columns.note;
  const width = sheet.values[row - 1]?.length ?? 0;
  for (let c = 1; c <= width; c++) {
    if (figureCols.has(c) || c === noteCol) continue;
    const v = valueAt(sheet, row, c);
    if (typeof v === "string") push(v);
  }
  return out;
}

function common(loc: Located, sheet: GridSnapshot, def: FormDef, data: FormData) {
  const problems: Problem[] = [];
  const place: Place = { form: def.code, sheet: sheet.sheetName };
  const headerRewrites: FormPlan["headerRewrites"] = [];
  if (loc.templateYear !== null && loc.templateYear !== data.year) {
    const delta = data.year - loc.templateYear;
    // only the title cells and the header: a guidance reference ("Công văn … ngày 06/4/2023")
    // elsewhere in the title rows keeps its year
    const cells: { row: number; col: number }[] = [...loc.titleCells];
    for (let r = loc.headerTop; r <= loc.headerBottom; r++) {
      const width = sheet.values[r - 1]?.length ?? 0;
      for (let c = 1; c <= width; c++) cells.push({ row: r, col: c });
    }
    for (const { row: r, col: c } of cells) {
      const v = valueAt(sheet, r, c);
      if (typeof v !== "string") continue;
      const nv = v.replace(/(?<!\d)(19\d\d|20\d\d)(?!\d)/g, (y) => {
        const n = Number(y);
        return Math.abs(n - loc.templateYear!) <= 3 ? String(n + delta) : y;
      });
      if (nv !== v) headerRewrites.push({ row: r, col: c, old: v, new: nv });
    }
    problems.push(
      prob("W_FORM_LAST_YEAR_COPY", place, { templateYear: loc.templateYear, year: data.year }, { count: headerRewrites.length, shift: `${delta > 0 ? "+" : ""}${delta}` }),
    );
  }
  // the copy's money unit: figures are in triệu đồng; a copy kept in nghìn đồng / đồng / tỷ đồng is scaled
  let moneyScale = 1;
  let unitText = "";
  const UNIT = /(?:don vi(?: tinh)?\s*:?\s*|\(\s*)(trieu dong|nghin dong|ngan dong|ty dong|ti dong|dong)\b/;
  const factor: Record<string, number> = { "trieu dong": 1, "nghin dong": 1000, "ngan dong": 1000, "ty dong": 0.001, "ti dong": 0.001, dong: 1_000_000 };
  const moneyCols = new Set(def.columns.filter((c) => c.kind === "money").map((c) => loc.columns[c.id]));
  for (let r = 1; r <= loc.headerBottom && !unitText; r++) {
    const width = sheet.values[r - 1]?.length ?? 0;
    for (let c = 1; c <= width && !unitText; c++) {
      const v = valueAt(sheet, r, c);
      if (typeof v !== "string") continue;
      if (r >= loc.headerTop && !moneyCols.has(c)) continue;
      const m = UNIT.exec(fold(v));
      if (m) {
        unitText = v.trim();
        moneyScale = factor[m[1]];
      }
    }
  }
  if (moneyScale !== 1)
    problems.push(
      prob("W_FORM_UNIT_SCALED", place, { scale: moneyScale }, { unit: unitText }),
    );
  for (const id of loc.missingColumns) {
    const col = def.columns.find((c) => c.id === id);
    if (!col || !col.write) continue;
    // the header as the form shows it this year ("Thực hiện năm 2022"), never its template "{N-2}"
    const header = withYear(col.header, data.year);
    problems.push(
      prob("W_FORM_COLUMN_MISSING", { ...place, column: id }, {}, { header }),
    );
    for (const r of data.rows) {
      const v = r.values[id];
      if (nonZero(v))
        problems.push(
          prob("E_FORM_COLUMN_MISSING_FIGURE", { ...place, row: r.rowKey, column: id }, { class: "arithmetic", expected: String(v), actual: "0" }, { header }),
        );
    }
  }
  const cellOf = (cd: ColumnDef, v: FormValue | undefined, fmt: string, onText?: () => void) : PlanCell => dataCell(cd, v, fmt, onText, moneyScale);
  return { problems, place, headerRewrites, cellOf };
}

/** Written columns of the located form, by sheet column. */
function writtenColumns(loc: Located, def: FormDef): { def: ColumnDef; col: number }[] {
  return def.columns
    .filter((c) => c.write && loc.columns[c.id] !== undefined)
    .map((c) => ({ def: c, col: loc.columns[c.id] }))
    .sort((a, b) => a.col - b.col);
}

/** One block per contiguous run of written columns over rows [top, bottom]. */
function blocksOf(cols: { col: number }[], top: number, bottom: number, cell: (row: number, col: number) => PlanCell): Block[] {
  const blocks: Block[] = [];
  if (bottom < top) return blocks;
  let i = 0;
  while (i < cols.length) {
    let j = i;
    while (j + 1 < cols.length && cols[j + 1].col === cols[j].col + 1) j++;
    const cells: PlanCell[][] = [];
    for (let r = top; r <= bottom; r++) {
      const line: PlanCell[] = [];
      for (let k = i; k <= j; k++) line.push(cell(r, cols[k].col));
      cells.push(line);
    }
    blocks.push({ row: top, col: cols[i].col, cells });
    i = j + 1;
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// Fixed forms.

function planFixed(loc: Located, sheet: GridSnapshot, def: FormDef, data: FormData): FormPlan {
  const { problems, place, headerRewrites, cellOf } = common(loc, sheet, def, data);
  const idx = defIndex(def);
  const rows: FixedRowDef[] = def.rows ?? [];
  const byCode = new Map<string, number>();
  rows.forEach((r, i) => r.code && byCode.set(r.code, i));
  const labelKeys = rows.map((r) => new Set([r.label, ...(r.labels ?? [])].map((l) => canon(l, idx.syn, { stripNumbering: true }))));
  const retiredKeys = (def.retiredRows ?? []).map((row) => ({ row, keys: new Set([row.label, ...(row.labels ?? [])].map((l) => canon(l, idx.syn, { stripNumbering: true }))) }));
  const where = new Map<number, number>(); // def row index → sheet row
  let last = -1;
  const end = Math.max(sheet.values.length, loc.bodyStart);
  for (let r = loc.bodyStart; r <= end; r++) {
    let cands: number[] = [];
    if (loc.columns.ma_so !== undefined) {
      const code = codeOf(valueAt(sheet, r, loc.columns.ma_so));
      if (code !== null && byCode.has(code)) cands = [byCode.get(code)!];
    }
    if (!cands.length) {
      for (const t of rowTexts(sheet, r, loc, def, "label")) {
        const k = canon(t, idx.syn, { stripNumbering: true });
        if (!k) continue;
        labelKeys.forEach((s, i) => s.has(k) && !cands.includes(i) && cands.push(i));
        if (cands.length) break;
      }
    }
    const free = cands.filter((i) => !where.has(i));
    const pick = free.find((i) => i > last) ?? free[0];
    if (pick === undefined && !cands.length && retiredKeys.length) {
      // a row the form had in earlier years (cấp huyện in PL05 before 2027): say so, leave it be
      const gone = rowTexts(sheet, r, loc, def, "label")
        .map((t) => canon(t, idx.syn, { stripNumbering: true }))
        .map((k) => retiredKeys.find((x) => k && x.keys.has(k))?.row)
        .find(Boolean);
      if (gone)
        problems.push(
          prob("W_FORM_ROW_RETIRED", { ...place, row: gone.key, cell: `A${r}` }, {}, { label: gone.label, year: data.year, ...(gone.untilPlanYear ? { until: gone.untilPlanYear } : {}) }),
        );
      continue;
    }
    if (pick === undefined) {
      if (cands.length)
        problems.push(
          prob("W_FORM_ROW_TWICE", { ...place, row: rows[cands[0]].key, cell: `A${r}` }, {}, { label: rows[cands[0]].label, first: where.get(cands[0]) }),
        );
      continue;
    }
    where.set(pick, r);
    last = pick;
  }

  const byKey = new Map(data.rows.map((r) => [r.rowKey, r]));
  const sheetRowDef = new Map<number, FixedRowDef>();
  rows.forEach((d, i) => {
    const r = where.get(i);
    if (r !== undefined) sheetRowDef.set(r, d);
    else {
      const dr = byKey.get(d.key);
      const figures = dr ? Object.entries(dr.values).filter(([k, v]) => nonZero(v) && def.columns.some((c) => c.id === k && c.write)) : [];
      const label = withYear(d.label, data.year);
      problems.push(
        figures.length
          ? prob("E_FORM_ROW_MISSING_FIGURE", { ...place, row: d.key }, { class: "arithmetic", figures: Object.fromEntries(figures) }, { label })
          : prob("W_FORM_ROW_MISSING", { ...place, row: d.key }, {}, { label }),
      );
    }
  });
  const cols = writtenColumns(loc, def);
  const colDef = new Map(cols.map((c) => [c.col, c.def]));
  const lineage: CellLineage[] = [];
  const changes: CellChange[] = [];
  const located = [...where.values()];
  const top = located.length ? Math.min(...located) : 0;
  const bottom = located.length ? Math.max(...located) : -1;
  const blocks = blocksOf(cols, top, bottom, (r, c) => {
    const d = sheetRowDef.get(r);
    if (!d) return null;
    const cd = colDef.get(c)!;
    const f = formulaAt(sheet, r, c);
    if (f && (d.kind === "group" || d.kind === "total" || cd.computed)) return null; // Excel recomputes
    const dr = byKey.get(d.key);
    const v = dr?.values[cd.id];
    const cell = cellOf(cd, v, formatAt(sheet, r, c), () =>
      problems.push(prob("W_FORM_TEXT_FIGURE", { ...place, row: d.key, column: cd.id }, {}, { value: String(v) })),
    );
    if (f)
      problems.push(prob("W_FORM_FORMULA_REPLACED", { ...place, row: d.key, column: cd.id, cell: `${colLetter(c)}${r}` }, {}, { formula: f }));
    if (cell && "n" in cell) lineage.push({ row: r, col: c, lineageId: lineageId(data, d.key, cd.id) });
    const old = valueAt(sheet, r, c);
    const nv = newValue(cell);
    if (f || !same(old, nv)) changes.push({ row: r, col: c, old, new: nv });
    return cell;
  });
  return { form: def.code, sheetName: sheet.sheetName, rowOps: [], blocks, headerRewrites, lineage, rowsAdded: [], rowsRemoved: [], changes, problems };
}

function same(a: GridValue, b: GridValue): boolean {
  if ((a === null || a === "") && (b === null || b === "")) return true;
  return a === b;
}

// ---------------------------------------------------------------------------------------------
// List forms.

interface OldRow {
  row: number; // sheet row (snapshot coordinates)
  blank: boolean;
  key: string | null;
  /** a group/total row known from the definition (not data) */
  structural: boolean;
  label: string;
  code: string;
}

interface Slot {
  /** the new row (index into newRows), or -1 for a kept-blank filler */
  j: number;
  /** where its cells come from: an old row kept/reused, or an insert */
  origin: { kind: "old"; old: number } | { kind: "insert"; fmt: number | null };
}

/** Longest increasing subsequence (indices into `a`). */
function lis(a: number[]): number[] {
  const tails: number[] = [];
  const prev: number[] = new Array(a.length).fill(-1);
  for (let i = 0; i < a.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[tails[mid]] < a[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = [];
  let k = tails.length ? tails[tails.length - 1] : -1;
  while (k >= 0) {
    out.push(k);
    k = prev[k];
  }
  return out.reverse();
}

function planList(loc: Located, sheet: GridSnapshot, def: FormDef, data: FormData): FormPlan {
  const { problems, place, headerRewrites, cellOf } = common(loc, sheet, def, data);
  const idx = defIndex(def);
  const list = def.list!;
  const labelCol = loc.columns[list.labelColumn];
  const mappedCols = Object.values(loc.columns);
  if (loc.codeColumn !== null) mappedCols.push(loc.codeColumn);
  // the same texts are keyed while looking for the total row, then as old and new labels: once
  const labelKeys = new Map<string, string>();
  const labelKey = (t: string) => {
    let k = labelKeys.get(t);
    if (k === undefined) labelKeys.set(t, (k = canon(t, idx.syn, { stripNumbering: true })));
    return k;
  };
  const rowBlank = (r: number) => mappedCols.every((c) => isEmpty(valueAt(sheet, r, c)));
  const isTotal = (r: number) => {
    if (!idx.totalLabels.size) return false;
    for (const t of rowTexts(sheet, r, loc, def, list.labelColumn)) if (idx.totalLabels.has(labelKey(t))) return true;
    return false;
  };

  // 1. the body as it is: between the header and the total row (on top or below), or — a form
  // without a total row — up to the first blank row after its data (a signature block may follow)
  const lastRow = sheet.values.length;
  let totalRow: number | null = null;
  let totalFirst = false;
  const oldRows: OldRow[] = [];
  const mk = (r: number, blank: boolean): OldRow => ({
    row: r, blank, key: null, structural: false,
    label: labelCol ? cellText(valueAt(sheet, r, labelCol)).trim() : "",
    code: loc.codeColumn ? cellText(valueAt(sheet, r, loc.codeColumn)).trim() : "",
  });
  let first = loc.bodyStart;
  // a total right under the header is on top when rows follow it; else the body is empty
  if (first < lastRow && isTotal(first) && !rowBlank(first + 1) && !isTotal(first + 1)) {
    totalRow = first;
    totalFirst = true;
    first++;
  }
  let end: number | null = null;
  if (!totalFirst && idx.totalLabels.size)
    for (let r = first; r <= lastRow; r++)
      if (isTotal(r)) {
        totalRow = r;
        end = r - 1;
        break;
      }
  if (end === null) {
    // no total below: the body reaches the last row with a figure (blank rows inside included)
    const figureCols = def.columns.filter((c) => isFigureKind(c) && loc.columns[c.id] !== undefined).map((c) => loc.columns[c.id]);
    for (let r = lastRow; r >= first && end === null; r--)
      if (figureCols.some((c) => typeof valueAt(sheet, r, c) === "number")) end = r;
  }
  if (end !== null) for (let r = first; r <= end; r++) oldRows.push(mk(r, rowBlank(r)));
  else {
    let seenData = false;
    for (let r = first; r <= lastRow; r++) {
      const blank = rowBlank(r);
      if (blank && (seenData || r > first)) break;
      if (!blank) seenData = true;
      oldRows.push(mk(r, blank));
    }
    if (!oldRows.length && totalRow === null) oldRows.push(mk(first, true)); // nothing below the header yet
  }
  const start = first;

  // 2. the new body
  const totalKey = list.total?.key;
  const sorted = [...data.rows].sort((a, b) => a.sort - b.sort);
  const totalData = totalKey ? sorted.find((r) => r.rowKey === totalKey) : undefined;
  const newRows: (FormRow | null)[] = sorted.filter((r) => totalRow === null || r.rowKey !== totalKey);
  if (!newRows.length) newRows.push(null); // keep one empty row: the format of the next fill
  const newByKey = new Map<string, number>();
  const newByLabel = new Map<string, number[]>();
  newRows.forEach((r, j) => {
    if (!r) return;
    newByKey.set(r.rowKey, j);
    const lv = r.values[list.labelColumn];
    if (typeof lv === "string" && lv.trim()) {
      const k = labelKey(lv);
      const l = newByLabel.get(k);
      if (l) l.push(j);
      else newByLabel.set(k, [j]);
    }
  });
  const parentOf = (j: number) => newRows[j]?.parentKey ?? null;
  const ancestors = (j: number): string[] => {
    const out: string[] = [];
    let p = parentOf(j);
    const seen = new Set<string>();
    while (p && !seen.has(p)) {
      out.push(p);
      seen.add(p);
      const pj = newByKey.get(p);
      p = pj === undefined ? null : parentOf(pj);
    }
    return out;
  };
  const groupDefs = (list.groups ?? []).map((g) => ({ g, keys: new Set([g.label, ...(g.labels ?? [])].map((l) => yearBag(canonWords(l, idx.syn, { stripNumbering: true })).key)) }));
  // a bag's key has as many words as the label's canonical words: a label of another length is
  // no group's, and its bag (sorted words) is not made — five thousand task titles have none
  const groupSizes = new Set(groupDefs.flatMap((x) => [...x.keys].map((k) => (k === "" ? 0 : k.split(" ").length))));

  // 3. match the old rows to new ones: by code, by label (in its group's context), by group label
  const matchedNew = new Map<number, number>(); // old index → new index
  const usedNew = new Set<number>();
  let ctxTop: string | null = null;
  let ctx: string | null = null;
  oldRows.forEach((o, i) => {
    if (o.blank) return;
    let j: number | undefined;
    if (o.code && list.codeKeyPrefix) {
      const cj = newByKey.get(list.codeKeyPrefix + o.code);
      if (cj !== undefined && !usedNew.has(cj)) j = cj;
    }
    const lk = o.label ? labelKey(o.label) : "";
    if (j === undefined && lk) {
      const cands = (newByLabel.get(lk) ?? []).filter((c) => !usedNew.has(c));
      j = cands.find((c) => ctx !== null && (parentOf(c) === ctx || ancestors(c).includes(ctx))) ??
        cands.find((c) => ctxTop !== null && ancestors(c).includes(ctxTop)) ??
        cands[0];
    }
    let derived: string | null = null;
    if (lk) {
      const ws = canonWords(o.label, idx.syn, { stripNumbering: true });
      const bk = groupSizes.has(ws.length) ? yearBag(ws).key : null;
      const gd = bk === null ? undefined : groupDefs.find((x) => x.keys.has(bk));
      if (gd) {
        derived = gd.g.sub ? (ctxTop ? `${ctxTop}:${gd.g.key}` : null) : gd.g.key;
        o.structural = true;
        if (!gd.g.sub) ctxTop = gd.g.key;
        if (j === undefined && derived) {
          const dj = newByKey.get(derived);
          if (dj !== undefined && !usedNew.has(dj)) j = dj;
        }
      }
    }
    if (j !== undefined) {
      usedNew.add(j);
      matchedNew.set(i, j);
      o.key = newRows[j]!.rowKey;
      const nr = newRows[j]!;
      if (nr.kind === "group" || nr.kind === "heading") {
        if (!nr.parentKey) ctxTop = nr.rowKey;
        ctx = nr.rowKey;
      }
    } else if (derived) ctx = derived;
  });

  // 4. keep the matched rows that are in order; the others are deleted and inserted again
  const pairs = [...matchedNew.entries()].sort((a, b) => a[0] - b[0]);
  const keptIdx = new Set(lis(pairs.map((p) => p[1])));
  const kept = pairs.filter((_, i) => keptIdx.has(i));
  const moved = pairs.filter((_, i) => !keptIdx.has(i));
  if (moved.length > 10)
    problems.push(
      prob("W_LIST_ROW_MOVED", place, { rows: moved.map(([, j]) => newRows[j]!.rowKey) }),
    );
  else
    for (const [oi, j] of moved)
      problems.push(
        prob("W_LIST_ROW_MOVED", { ...place, row: newRows[j]!.rowKey }, {}, { label: oldRows[oi].label, line: oldRows[oi].row }),
      );
  // origin of every new row: kept old row, a reused blank row in the same gap, or an insert
  const originOld = new Map<number, number>(); // new index → old index
  for (const [oi, j] of kept) originOld.set(j, oi);
  {
    const bounds: [number, number][] = [[-1, -1], ...kept, [oldRows.length, newRows.length]];
    for (let g = 0; g + 1 < bounds.length; g++) {
      const blanks: number[] = [];
      for (let oi = bounds[g][0] + 1; oi < bounds[g + 1][0]; oi++) if (oldRows[oi].blank) blanks.push(oi);
      let b = 0;
      for (let j = bounds[g][1] + 1; j < bounds[g + 1][1] && b < blanks.length; j++) originOld.set(j, blanks[b++]);
    }
  }
  const oldToNew = new Map<number, number>();
  for (const [j, oi] of originOld) oldToNew.set(oi, j);

  // 5. row operations: inserts (top-down, formats copied while their rows still exist), then deletes (bottom-up)
  const isGroupish = (j: number) => {
    const k = newRows[j]?.kind;
    return k === "group" || k === "heading" || k === "total";
  };
  const fmtTask = oldRows.findIndex((o, oi) => {
    const j = oldToNew.get(oi);
    return j !== undefined ? !isGroupish(j) : !o.structural;
  });
  const fmtGroup = oldRows.findIndex((o, oi) => {
    const j = oldToNew.get(oi);
    return j !== undefined ? isGroupish(j) : o.structural;
  });
  // Positions without simulating the sheet: inserts are placed in the data's order right after
  // the row before them, so each insert "follows" an old row (its anchor, -1 at the top) and the
  // anchors never decrease; an old row sits at its index plus the inserts anchored above it.
  const rowOps: RowOp[] = [];
  const anchors: number[] = [];
  const insertsAbove = (oi: number) => {
    let lo = 0;
    let hi = anchors.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (anchors[mid] < oi) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const insertFmt = new Map<number, number | null>(); // new index → old index whose format it copies
  let lastInsert: { op: Extract<RowOp, { op: "insert" }>; fmtOld: number | null; end: number } | null = null;
  let lastIdx = -1;
  let lastAnchor = -1;
  for (let j = 0; j < newRows.length; j++) {
    const oiHere = originOld.get(j);
    if (oiHere !== undefined) {
      lastIdx = oiHere + insertsAbove(oiHere);
      lastAnchor = oiHere;
      continue;
    }
    const at = j === 0 ? 0 : lastIdx + 1;
    let fmtOld: number | null = isGroupish(j) && fmtGroup >= 0 ? fmtGroup : fmtTask >= 0 ? fmtTask : fmtGroup >= 0 ? fmtGroup : null;
    if (fmtOld === null && oldRows.length) fmtOld = 0;
    insertFmt.set(j, fmtOld);
    const formatFrom =
      fmtOld !== null ? start + fmtOld + insertsAbove(fmtOld) : totalFirst ? totalRow! : totalRow !== null ? start + oldRows.length + anchors.length : Math.max(1, start - 1);
    if (lastInsert && lastInsert.fmtOld === fmtOld && lastInsert.end === at) {
      lastInsert.op.count++;
      lastInsert.end++;
    } else {
      const op: Extract<RowOp, { op: "insert" }> = { op: "insert", at: start + at, count: 1, formatFrom };
      rowOps.push(op);
      lastInsert = { op, fmtOld, end: at + 1 };
    }
    anchors.push(j === 0 ? -1 : lastAnchor);
    lastIdx = at;
  }
  let lastDelete: Extract<RowOp, { op: "delete" }> | null = null;
  for (let oi = oldRows.length - 1; oi >= 0; oi--) {
    if (oldToNew.has(oi)) continue;
    const p = oi + insertsAbove(oi);
    if (lastDelete && lastDelete.at === start + p + 1) {
      lastDelete.at--;
      lastDelete.count++;
    } else {
      lastDelete = { op: "delete", at: start + p, count: 1 };
      rowOps.push(lastDelete);
    }
  }

  // 6. the cells of the new body
  const rowAt = (j: number) => start + j;
  const totalAt = totalRow === null ? null : totalFirst ? totalRow : start + newRows.length;
  const cols = writtenColumns(loc, def);
  const colDef = new Map(cols.map((c) => [c.col, c.def]));
  const lineage: CellLineage[] = [];
  const changes: CellChange[] = [];
  // asked for every figure column of every group row: one pass over the new body for all keys
  let childrenBy: Map<string | null, number[]> | null = null;
  const childrenOf = (key: string | null): number[] => {
    if (!childrenBy) {
      childrenBy = new Map();
      newRows.forEach((r, j) => {
        if (!r || r.rowKey === totalKey) return;
        const k = r.parentKey ?? null;
        const l = childrenBy!.get(k);
        if (l) l.push(j);
        else childrenBy!.set(k, [j]);
      });
    }
    return [...(childrenBy.get(key) ?? [])];
  };
  const sumOver = (col: number, js: number[]): string | null => {
    if (!js.length) return null;
    const rs = js.map(rowAt).sort((a, b) => a - b);
    const parts: string[] = [];
    let i = 0;
    while (i < rs.length) {
      let k = i;
      while (k + 1 < rs.length && rs[k + 1] === rs[k] + 1) k++;
      const L = colLetter(col);
      parts.push(k > i ? `${L}${rs[i]}:${L}${rs[k]}` : `${L}${rs[i]}`);
      i = k + 1;
    }
    return `=SUM(${parts.join(",")})`;
  };
  const note = (cell: PlanCell, r: number, c: number, old: GridValue, key: string | null, cd: ColumnDef) => {
    if (cell && "n" in cell && key) lineage.push({ row: r, col: c, lineageId: lineageId(data, key, cd.id) });
    const nv = newValue(cell);
    if (cell !== null && !same(old, nv)) changes.push({ row: r, col: c, old, new: nv });
  };
  // made only where dataCell can call it (a text in a figure column), not for ninety thousand cells
  const textWarn = (key: string, cd: ColumnDef, v: FormValue | undefined) =>
    typeof v === "string" && v !== "" && isFigureKind(cd)
      ? () => problems.push(prob("W_FORM_TEXT_FIGURE", { ...place, row: key, column: cd.id }, {}, { value: String(v) }))
      : undefined;

  // a formula already there, with no row moved, is left alone (a second fill changes nothing)
  const unchanged = (oldF: string | null, f: string) => rowOps.length === 0 && oldF !== null && oldF.replace(/\s+/g, "").toUpperCase() === f.toUpperCase();
  const bodyCell = (j: number, c: number): PlanCell => {
    const cd = colDef.get(c)!;
    const r = rowAt(j);
    const nr = newRows[j];
    const oi = originOld.get(j);
    const oldRow = oi !== undefined ? oldRows[oi].row : null;
    const old = oldRow !== null ? valueAt(sheet, oldRow, c) : null;
    const oldF = oldRow !== null ? formulaAt(sheet, oldRow, c) : null;
    let cell: PlanCell;
    if (!nr) cell = { blank: true };
    else if (isFigureKind(cd) && (nr.kind === "group" || nr.kind === "total") && (oldF || (oi === undefined && fmtRowOf(j) !== null && isGroupish(j) && formulaAt(sheet, fmtRowOf(j)!, c) !== null && fmtGroup >= 0))) {
      // the sheet sums its groups with formulas: keep doing so, over the new body
      const f = sumOver(c, childrenOf(nr.rowKey));
      const fr = oldRow ?? fmtRowOf(j);
      cell = f ? (unchanged(oldF, f) ? null : { f }) : cellOf(cd, nr.values[cd.id], fr ? formatAt(sheet, fr, c) : "", textWarn(nr.rowKey, cd, nr.values[cd.id]));
    } else if (cd.computed && "sum" in cd.computed && oldF) cell = null; // the row's own formula, kept
    else if (cd.computed && "sum" in cd.computed && oi === undefined && insertedFormula(j, c)) {
      const parts = cd.computed.sum.map((id) => loc.columns[id]);
      cell = { f: "=" + parts.map((pc) => `${colLetter(pc)}${r}`).join("+") };
    } else {
      const fmtRow = oldRow ?? fmtRowOf(j);
      cell = cellOf(cd, nr.values[cd.id], fmtRow ? formatAt(sheet, fmtRow, c) : "", textWarn(nr.rowKey, cd, nr.values[cd.id]));
    }
    note(cell, r, c, old, nr?.rowKey ?? null, cd);
    return cell;
  };
  const fmtRowOf = (j: number): number | null => {
    const f = insertFmt.get(j);
    return f !== undefined && f !== null ? oldRows[f].row : null;
  };
  const insertedFormula = (j: number, c: number): boolean => {
    const cd = colDef.get(c)!;
    if (!cd.computed || !("sum" in cd.computed) || !cd.computed.sum.every((id) => loc.columns[id] !== undefined)) return false;
    const fr = fmtRowOf(j);
    return fr !== null && formulaAt(sheet, fr, c) !== null;
  };
  const totalCell = (c: number): PlanCell => {
    const cd = colDef.get(c)!;
    const old = valueAt(sheet, totalRow!, c);
    if (!isFigureKind(cd)) return null; // its label stays
    const oldF = formulaAt(sheet, totalRow!, c);
    let cell: PlanCell;
    if (oldF) {
      const top = childrenOf(null);
      const f = sumOver(c, top.length ? top : newRows.map((_, j) => j));
      cell = f ? (unchanged(oldF, f) ? null : { f }) : { blank: true };
    } else cell = cellOf(cd, totalData?.values[cd.id], formatAt(sheet, totalRow!, c), textWarn(totalKey ?? "total", cd, totalData?.values[cd.id]));
    note(cell, totalAt!, c, old, totalKey ?? null, cd);
    return cell;
  };
  const top = totalFirst ? totalRow! : start;
  const bottom = totalFirst ? rowAt(newRows.length - 1) : (totalAt ?? rowAt(newRows.length - 1));
  const blocks = blocksOf(cols, top, bottom, (r, c) => (totalAt !== null && r === totalAt ? totalCell(c) : bodyCell(r - start, c)));

  // 7. the report: rows added and removed
  // A row is named by its code where it has one (a task's, an indicator's), else by its label. A
  // key made up for a row without a code ("THANH_TRA|so co so …": area and folded label, as the
  // ETL keys an indicator the office gave no code) is no name for the officer.
  const rowName = (r: FormRow) => {
    const lv = r.values[list.labelColumn];
    const label = typeof lv === "string" && lv ? lv : null;
    if (list.codeKeyPrefix && r.rowKey.startsWith(list.codeKeyPrefix)) {
      const code = r.rowKey.slice(list.codeKeyPrefix.length);
      if (!code.includes("|") || label === null) return code;
    }
    return label ?? r.rowKey;
  };
  const matchedAny = new Set(matchedNew.values());
  const rowsAdded = newRows
    .map((r, j) => (r && r.kind === "data" && !matchedAny.has(j) ? rowName(r) : null))
    .filter((x): x is string => x !== null);
  const rowsRemoved = oldRows
    .filter((o, oi) => !oldToNew.has(oi) && !o.blank && !o.structural && o.key === null && !(totalKey && o.key === totalKey))
    .map((o) => o.code || o.label || `row ${o.row}`);
  return { form: def.code, sheetName: sheet.sheetName, rowOps, blocks, headerRewrites, lineage, rowsAdded, rowsRemoved, changes, problems };
}

/** The write plan of one located form, from the full snapshot of its sheet and the form's figures. */
export function planForm(located: Located, fullSnapshot: GridSnapshot, def: FormDef, data: FormData): FormPlan {
  if (located.status !== "found")
    return { form: def.code, sheetName: fullSnapshot.sheetName, rowOps: [], blocks: [], headerRewrites: [], lineage: [], rowsAdded: [], rowsRemoved: [], changes: [], problems: yearsIn(located.problems, data.year) };
  const plan = def.kind === "fixed" ? planFixed(located, fullSnapshot, def, data) : planList(located, fullSnapshot, def, data);
  plan.problems = yearsIn(plan.problems, data.year);
  return plan;
}

/**
 * A message says "Thực hiện năm 2022", never the definition's "{N-2}": the texts quoted above
 * are written for the year where they are made; this catches any text quoted from a definition
 * that a later message forgets to (test/fill/engine: no message of a fill shows a "{").
 */
function yearsIn(problems: Problem[], year: number): Problem[] {
  // in place: the fill tells a located form's own problems apart by identity (fill.ts)
  for (const p of problems) {
    if (p.vi.includes("{")) p.vi = withYear(p.vi, year);
    if (p.en.includes("{")) p.en = withYear(p.en, year);
  }
  return problems;
}
