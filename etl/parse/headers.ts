// Finding the header of a sheet and reading what each column means (spec/inputs.md: "What real
// staff workbooks look like" and "Amount columns"). Pure over a snapshot of the first rows.
import { fold, normalise as normaliseText } from "../../core/text.js";
import { memo } from "./memo.js";

/** normalise, once per distinct header text */
const normalise = memo(normaliseText);
import type { Measure, Source } from "../../warehouse/model.js";
import type { XRow } from "../../xlsx/types.js";
import { colLetters, parseArea as parseA1Area, type A1Area } from "../../xlsx/refs.js";
import { cellText, unitIn, type MoneyUnit } from "./values.js";

export const HEADER_SEARCH_ROWS = 20;

/** A measure as the header names it; "ke_hoach" becomes de_xuat outside indicator sheets. */
export type HeaderMeasure = Measure;
export type SourceWord = Source | "NSNN";

export type ColumnRole =
  | { role: "stt" }
  | { role: "code" } // Mã nhiệm vụ / Mã NV
  | { role: "maSo" } // Mã số: a task code or a hierarchy code, the values decide
  | { role: "title" }
  | { role: "level" }
  | { role: "field" } // Lĩnh vực: the field of a task, the area of an indicator
  | { role: "leadOrg" }
  | { role: "pi" }
  | { role: "piGender" }
  | { role: "decision" }
  | { role: "start" }
  | { role: "end" }
  | { role: "period" }
  | { role: "status" }
  | { role: "acceptedOn" }
  | { role: "indCode" }
  | { role: "indLabel" } // Chỉ tiêu
  | { role: "unit" } // Đơn vị tính (per row, indicators)
  | { role: "parent" } // Thuộc chỉ tiêu
  | { role: "label" } // Nội dung (budget lines)
  | { role: "approved"; source: SourceWord | "TONG"; unit?: MoneyUnit }
  | { role: "amount"; measure: HeaderMeasure; year: number; source: SourceWord | null; unit?: MoneyUnit };

export interface Column {
  col: number;
  /** the header text as shown (group › sub), for messages and COLUMN_IGNORED */
  header: string;
  /** the cell of the header (the lowest header cell of the column) */
  ref: string;
  role: ColumnRole | null;
}

export interface HeaderResult {
  /** header rows, 1 or 2 (3+ is an error, reported by the caller) */
  rows: number[];
  columns: Column[];
  /** row of column numbers under the header ("1", "2", "3=1+2"), skipped */
  numberRow?: number;
  /** the unit line of the title rows, if any */
  unit?: MoneyUnit;
  unitRef?: string;
}

// ---------------------------------------------------------------------------------------------
// Words

const MEASURES: [RegExp, HeaderMeasure][] = [
  [/\b(thuc hien|th) 6 thang\b|\b6 thang dau nam\b|\b6 thang\b/, "thuc_hien_6t"],
  [/\buoc thuc hien\b|\buoc th\b|\buoc\b/, "uoc_thuc_hien"],
  [/\bluy ke\b/, "luy_ke"],
  [/\bdu toan\b|\bdt\b/, "du_toan"],
  [/\bthuc hien\b|\bth\b|\bquyet toan\b/, "thuc_hien"],
  [/\bdu kien\b|\bde xuat\b|\bnhu cau\b/, "de_xuat"],
  [/\bke hoach\b|\bkh nam\b/, "ke_hoach"],
];

const SOURCES: [RegExp, SourceWord][] = [
  [/\bnuoc ngoai\b|\bvien tro\b|\boda\b/, "NUOC_NGOAI"],
  [/\bngoai (nsnn|ngan sach)\b|\bnguon khac\b|\bdoi ung\b|\bdoanh nghiep\b|\bkhac\b|\bxa hoi hoa\b/, "NGOAI_NSNN"],
  [/\bnstw\b|\bns ?tw\b|\btrung uong\b/, "NSTW"],
  [/\bnsdp\b|\bns ?dp\b|\bdia phuong\b|\bngan sach tinh\b|\bns tinh\b/, "NSDP"],
  [/\bnsnn\b|\bngan sach nha nuoc\b|\bngan sach\b/, "NSNN"],
];

const TOTAL_WORDS = /^(tong so|tong cong|tong|cong|tong kinh phi|tong von)$/;
const YEAR = /(?:^|[^\d])((?:19|20)\d{2})(?!\d)/;

/** "<measure> <year> [<source>]", any part possibly missing (a group supplies it). */
export interface AmountParts {
  measure?: HeaderMeasure;
  year?: number;
  source?: SourceWord;
  total?: boolean;
}

function amountParts_(text: string): AmountParts {
  const f = normalise(text).replace(/[()[\]]/g, " ").replace(/\s+/g, " ").trim();
  const out: AmountParts = {};
  for (const [re, m] of MEASURES) {
    if (re.test(f)) {
      out.measure = m;
      break;
    }
  }
  const y = YEAR.exec(f);
  if (y) out.year = Number(y[1]);
  // the source is read from what follows the measure words, so "Tổng kinh phí" is no source
  for (const [re, s] of SOURCES) {
    if (re.test(f)) {
      out.source = s;
      break;
    }
  }
  if (TOTAL_WORDS.test(f)) out.total = true;
  return out;
}

/** (memoised: header words repeat across sheets and rows; the result is only read) */
export const amountParts = memo(amountParts_);

const FIXED: [RegExp, ColumnRole["role"]][] = [
  [/^(stt|so tt|tt|so thu tu)$/, "stt"],
  [/^(ma nhiem vu|ma nv|ma de tai|ma so nhiem vu|ma de tai, du an|ma nhiem vu kh&cn)$/, "code"],
  [/^(ma so|ma)$/, "maSo"],
  [/^(ma chi tieu)$/, "indCode"],
  [/^(thuoc chi tieu|chi tieu cha|ma chi tieu cha)$/, "parent"],
  [/^(chi tieu|ten chi tieu|noi dung chi tieu)$/, "indLabel"],
  [/^(ten nhiem vu|ten de tai|ten de tai, du an|ten du an|ten nhiem vu kh&cn|ten de tai\/du an|ten de tai du an|nhiem vu kh&cn|ten nhiem vu khcn)$/, "title"],
  [/^(cap quan ly|cap|cap nhiem vu)$/, "level"],
  [/^(linh vuc|linh vuc khcn|linh vuc kh&cn|linh vuc nghien cuu)$/, "field"],
  [/^(to chuc chu tri|co quan chu tri|don vi chu tri|to chuc chu tri nhiem vu)$/, "leadOrg"],
  [/^(gioi tinh chu nhiem|gioi tinh)$/, "piGender"],
  [/^(chu nhiem|chu nhiem nhiem vu|chu nhiem de tai|ho ten chu nhiem)$/, "pi"],
  [/^(quyet dinh phe duyet|so qd|so quyet dinh|qd phe duyet|quyet dinh)$/, "decision"],
  [/^(bat dau|thoi gian bat dau|tu thang|thang bat dau)$/, "start"],
  [/^(ket thuc|thoi gian ket thuc|den thang|thang ket thuc)$/, "end"],
  [/^(thoi gian thuc hien|thoi gian)$/, "period"],
  [/^(tinh trang|trang thai)$/, "status"],
  [/^(ngay nghiem thu)$/, "acceptedOn"],
  [/^(don vi tinh|dvt|don vi)$/, "unit"],
  [/^(noi dung|noi dung chi|khoan muc|noi dung chi kh&cn|chi tieu chi)$/, "label"],
];

const APPROVED_GROUP = /^(tong kinh phi|tong kinh phi phe duyet|kinh phi duoc phe duyet|kinh phi phe duyet|tong von|kinh phi|tong kinh phi duoc phe duyet)$/;

/** What a column holds, from its group (upper header row, may be "") and its own text. */
export function classifyHeader(group: string, sub: string): ColumnRole | null {
  const g = normalise(group);
  const t = normalise(sub);
  const unit = unitIn(`${group} ${sub}`) ?? undefined;
  const own = t || g;
  if (!own) return null;
  // a fixed column (a group over it says nothing more, except time and approved funding)
  if (g === "thoi gian thuc hien" || g === "thoi gian") {
    if (/^(bat dau|tu|tu thang|thang bat dau)$/.test(t)) return { role: "start" };
    if (/^(ket thuc|den|den thang|thang ket thuc)$/.test(t)) return { role: "end" };
  }
  for (const [re, role] of FIXED) if (re.test(own)) return { role } as ColumnRole;
  const withUnit = <T extends ColumnRole>(r: T): T => (unit ? { ...r, unit } : r);
  if (APPROVED_GROUP.test(own)) return withUnit({ role: "approved", source: "TONG" });
  const pg = g && t ? amountParts(g) : {};
  const pt = amountParts(own);
  if (g && t && APPROVED_GROUP.test(g) && pg.measure === undefined && pt.measure === undefined && pt.year === undefined) {
    if (pt.total) return withUnit({ role: "approved", source: "TONG" });
    if (pt.source) return withUnit({ role: "approved", source: pt.source });
  }
  const measure = pt.measure ?? pg.measure;
  const year = pt.year ?? pg.year;
  const source = pt.source ?? (pt.total ? undefined : pg.source);
  if (measure && year) return withUnit({ role: "amount", measure, year, source: source ?? null });
  // a bare source column (NSTW, NSĐP …) outside any measure: approved funding parts
  if (!measure && !year && pt.source) return withUnit({ role: "approved", source: pt.source });
  return null;
}

/** Could this text be part of a header (a role of its own, or a piece a group completes)? */
function headerish_(text: string): boolean {
  if (!text) return false;
  if (classifyHeader("", text)) return true;
  const f = normalise(text);
  if (f.length > 60) return false;
  const p = amountParts(text);
  if (p.measure || (p.year && /^(nam )?\d{4}$/.test(f)) || (p.source && f.split(" ").length <= 4) || p.total) return true;
  return /^(bat dau|ket thuc|ghi chu|tong so)$/.test(f);
}

export const headerish = memo(headerish_);

// ---------------------------------------------------------------------------------------------
// Merges and the header block

/** A merged area: its corners (the toolkit's A1Area's) and the reference as the file wrote it. */
export type Area = Pick<A1Area, "r1" | "c1" | "r2" | "c2"> & { ref: string };

// A1 references are the toolkit's (one module for the reader, the fill and the pane)
export { colLetters };

export function parseArea(ref: string): Area | null {
  const a = parseA1Area(ref.trim());
  if (!a || a.kind === "rows" || a.kind === "cols") return null;
  return { r1: Math.min(a.r1, a.r2), c1: Math.min(a.c1, a.c2), r2: Math.max(a.r1, a.r2), c2: Math.max(a.c1, a.c2), ref };
}

/** Text of the grid at (row, col), a merged area showing its top-left cell's text. */
export class Grid {
  private readonly byRow = new Map<number, Map<number, string>>();
  private readonly nums = new Map<number, number[]>();
  constructor(rows: XRow[], readonly merges: Area[]) {
    for (const r of rows) {
      const m = new Map<number, string>();
      const n: number[] = [];
      for (const c of r.cells) {
        const t = cellText(c);
        if (t) m.set(c.col, t);
        if (c.type === "n" && typeof c.value === "number") n.push(c.value);
      }
      this.byRow.set(r.row, m);
      this.nums.set(r.row, n);
    }
  }
  numbers(row: number): number[] {
    return this.nums.get(row) ?? [];
  }
  own(row: number, col: number): string {
    return this.byRow.get(row)?.get(col) ?? "";
  }
  mergeAt(row: number, col: number): Area | undefined {
    return this.merges.find((a) => row >= a.r1 && row <= a.r2 && col >= a.c1 && col <= a.c2);
  }
  text(row: number, col: number): string {
    const m = this.mergeAt(row, col);
    return m ? this.own(m.r1, m.c1) : this.own(row, col);
  }
  cols(row: number): number[] {
    return [...(this.byRow.get(row)?.keys() ?? [])].sort((a, b) => a - b);
  }
}

function rowScore(grid: Grid, row: number): number {
  let n = 0;
  for (const c of grid.cols(row)) if (headerish(grid.own(row, c))) n++;
  return n;
}

/** Does `lower` sit under a group in `upper` (a horizontal merge, or a group cell and blanks)? */
function hasFigures(grid: Grid, row: number): boolean {
  return grid.numbers(row).some((n) => !(Number.isInteger(n) && n >= 1990 && n <= 2100));
}

/** How many distinct texts a row shows, a merged area from above counting once. */
function visibleCells(grid: Grid, row: number, maxCol: number): number {
  const seen = new Set<string>();
  for (let c = 1; c <= maxCol; c++) {
    if (!grid.text(row, c)) continue;
    const m = grid.mergeAt(row, c);
    seen.add(m ? `${m.r1}:${m.c1}` : `${row}:${c}`);
  }
  return seen.size;
}

function isSubRow(grid: Grid, upper: number, lower: number): boolean {
  // A title merged across the sheet right above the header is no group: a group row is part of
  // the header, so it holds other header cells too (or the group leaves some columns out).
  // a row with figures in it is data, whatever words its labels share with headers
  if (hasFigures(grid, lower)) return false;
  const upperTexts = visibleCells(grid, upper, Math.max(0, ...grid.cols(lower), ...grid.cols(upper)));
  const lowerHeaderCols = grid.cols(lower).filter((c) => headerish(grid.own(lower, c)));
  const groupLike = (m: Area): boolean =>
    headerish(grid.own(m.r1, m.c1)) && (upperTexts >= 2 || lowerHeaderCols.some((c) => c < m.c1 || c > m.c2));
  let under = 0;
  for (const c of grid.cols(lower)) {
    const t = grid.own(lower, c);
    if (!headerish(t)) continue;
    const m = grid.mergeAt(upper, c);
    if (m && m.c2 > m.c1 && m.r1 <= upper && m.r2 === upper && groupLike(m)) under++;
  }
  if (under > 0) return true;
  if (upperTexts < 2) return false;
  // no merges: sub-header words under blank cells right of a group cell
  let subs = 0;
  for (const c of grid.cols(lower)) {
    const t = grid.own(lower, c);
    const p = amountParts(t);
    const subWord = !!(p.source || p.total || (p.measure && !p.year) || /^(bat dau|ket thuc)$/.test(normalise(t)));
    if (!subWord) continue;
    if (grid.text(upper, c) || (c > 1 && groupLeft(grid, upper, c))) subs++;
  }
  return subs >= 2;
}

function groupLeft(grid: Grid, row: number, col: number): string {
  for (let c = col; c >= 1; c--) {
    const t = grid.text(row, c);
    if (t) {
      const p = amountParts(t);
      return p.year || p.measure || APPROVED_GROUP.test(normalise(t)) || /^thoi gian/.test(normalise(t)) ? t : "";
    }
  }
  return "";
}

/** The group text over `col` in `upper`: its merge, else the nearest group cell to the left. */
function groupText(grid: Grid, upper: number, col: number, lowerHasText: boolean): string {
  const m = grid.mergeAt(upper, col);
  if (m) return m.r2 > upper ? "" : grid.own(m.r1, m.c1); // merged down: the column's own header
  const own = grid.own(upper, col);
  if (own) return own;
  return lowerHasText ? groupLeft(grid, upper, col) : "";
}

/**
 * The header: the row among the first 20 with the most header-like cells (at least two), with
 * the group row above it or the sub-header row below it. Returns all header rows found: more
 * than two means a three-row header, which the caller reports.
 */
export function findHeader(rows: XRow[], merges: Area[]): HeaderResult | null {
  const head = rows.filter((r) => r.row <= HEADER_SEARCH_ROWS + 2);
  const grid = new Grid(head, merges);
  let best = 0;
  let bestScore = 1;
  for (const r of head) {
    if (r.row > HEADER_SEARCH_ROWS) break;
    const s = rowScore(grid, r.row);
    if (s > bestScore) {
      best = r.row;
      bestScore = s;
    }
  }
  if (!best) return null;
  const hdr = [best];
  while (hdr[0]! > 1 && isSubRow(grid, hdr[0]! - 1, hdr[0]!) && hdr.length < 4) hdr.unshift(hdr[0]! - 1);
  while (isSubRow(grid, hdr[hdr.length - 1]!, hdr[hdr.length - 1]! + 1) && hdr.length < 4) hdr.push(hdr[hdr.length - 1]! + 1);
  const res: HeaderResult = { rows: hdr, columns: [] };
  if (hdr.length > 2) return res;
  const top = hdr[0]!;
  const bottom = hdr[hdr.length - 1]!;
  const colSet = new Set<number>();
  for (const r of hdr) for (const c of grid.cols(r)) colSet.add(c);
  for (const m of merges) if (m.r1 <= bottom && m.r2 >= top) for (let c = m.c1; c <= m.c2; c++) colSet.add(c);
  for (const col of [...colSet].sort((a, b) => a - b)) {
    let group = "";
    let sub = "";
    if (hdr.length === 2) {
      sub = grid.text(bottom, col);
      // merged down over both rows: the column's own header, no group
      const vm = grid.mergeAt(top, col);
      if (vm && vm.r2 >= bottom) sub = grid.own(vm.r1, vm.c1);
      else group = groupText(grid, top, col, !!grid.own(bottom, col));
      if (!sub && group) [sub, group] = [group, ""];
    } else sub = grid.text(top, col);
    if (!sub && !group) continue;
    const header = group ? `${group} › ${sub}` : sub;
    res.columns.push({ col, header: header.replace(/\s+/g, " ").trim(), ref: colLetters(col) + bottom, role: classifyHeader(group, sub) });
  }
  // a row of column numbers right under the header
  const next = bottom + 1;
  const nums = grid.cols(next).map((c) => grid.own(next, c));
  // (a data row of small figures is no such row: column numbers run 1, 2, 3 …)
  const lead = nums.map((t) => /^\(?\s*(\d{1,2})/.exec(t)?.[1]).filter((x): x is string => x !== undefined).map(Number);
  const consecutive = lead.length >= 2 && lead.every((n, i) => i === 0 || n === lead[i - 1]! + 1);
  if (consecutive && nums.every((t) => /^\(?\s*(\d{1,2}|[a-h])\s*\)?$|^\(?\d{1,2}\s*=\s*[\d+\-*/x() ]+\)?$/i.test(t))) res.numberRow = next;
  // the unit line of the title rows
  for (const r of head) {
    if (r.row >= top) break;
    for (const c of grid.cols(r.row)) {
      const t = grid.own(r.row, c);
      const f = fold(t);
      if (/don vi( tinh)?\s*:|\bdvt\s*:/.test(f)) {
        const u = unitIn(t);
        if (u) {
          res.unit = u;
          res.unitRef = colLetters(c) + r.row;
        }
      }
    }
  }
  return res;
}
