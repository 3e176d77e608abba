// What every kind of sheet shares while it is parsed: the file's state (keys seen in earlier
// sheets of the same file), the sheet's columns, number style and unit, and helpers that read a
// cell and place a problem on it.
import type { Place, Problem } from "../../core/problem.js";
import { nfc } from "../../core/text.js";
import { emptyList, grown } from "../../core/lists.js";
import { figureTooLarge, MAX_FIGURE, parseDecimal } from "../../core/money.js";
import { CODES, prob, type Code } from "../../core/codes.js";
import type { CellRef, ParsedFile } from "../../warehouse/model.js";
import type { XCell } from "../../xlsx/types.js";
import type { FileFacts } from "../../warehouse/pack.js";
import { colLetters, type Column, type ColumnRole } from "./headers.js";
import { inferNumberStyle, isBlankText, numberFromCell, plainDecimal, toTrieu, trieuOf, type MoneyUnit, type NumberStyle, type Result } from "./values.js";

/** What the parse of one file remembers across its sheets. */
export interface FileState {
  fileId: string;
  date1904: boolean;
  out: ParsedFile;
  /** task code → where the register row is */
  taskCodes: Map<string, CellRef>;
  /** any fact key ("tf" task funding, "bl" budget line, "if" indicator fact) → where it was given (a place of `places`) */
  factKeys: FactKeys<number>;
  /** ("task" | "line", key, year, "du_toan" | "de_xuat") → the measure's first cell (notePlanMeasure), a place */
  planYear: FactKeys<number>;
  /** the cells the keys above remember, as numbers: no CellRef, no "C123" per figure */
  places: Places;
  /** the file's facts, written straight into columns (warehouse/pack.ts FileFacts) */
  facts: FileFacts;
  indicatorKeys: Map<string, CellRef>;
  indicatorSort: number;
  /** funding facts given as "NSNN", their source waiting for the task's level: pairs of (fact index in facts' funding, place) */
  pendingNsnn: number[];
  /**
   * Problems past this many are not made: a stand-in of their severity takes their place (so a
   * row still knows it failed), and read.ts capProblems counts them. 150 000 rows each with a
   * problem held 150 000 messages. Unset: every problem is made.
   */
  maxProblems?: number;
}

/** Stand-ins for problems past FileState.maxProblems (one shared object per severity). */
export const OVER_LIMIT: Record<Problem["severity"], Problem> = {
  error: Object.freeze({ code: "PROBLEMS_MORE", severity: "error", place: {}, vi: "", en: "" }) as Problem,
  warning: Object.freeze({ code: "PROBLEMS_MORE", severity: "warning", place: {}, vi: "", en: "" }) as Problem,
  info: Object.freeze({ code: "PROBLEMS_MORE", severity: "info", place: {}, vi: "", en: "" }) as Problem,
};

/**
 * Values by (space, key, year, measure, source): a Map per space from the key to its values, so a
 * figure's key is not a string built and hashed per figure. The same as one Map keyed by
 * "space|key|year|measure|source".
 *
 * A key's values by (year, measure, source), `sub`, are few (a task's figures are a handful): they
 * are entries chained in three columns the whole file shares, the key's Map holding the index of
 * its first; past SLOTS_AS_LIST of them, a Map of their own. A list or a Map per key (a register
 * holds thousands of keys) were objects kept to the end of the file, each with room to grow, and
 * copied by the reading worker's scavenges.
 */
export class FactKeys<V> {
  /** by space, each key's first entry (≥ 0), or ~i for its Map maps[i] */
  private readonly spaces = new Map<string, Map<string, number>>();
  // the entries: their sub and value, and the index of the next entry of the same key (-1: none)
  private readonly subs = emptyList<number | string>();
  private readonly vals = emptyList<V>();
  private readonly nexts = emptyList<number>();
  private readonly maps = emptyList<Map<number | string, V>>();
  private readonly ids = new Map<string, number>();
  private id(s: string | undefined): number {
    if (s === undefined) return 0;
    let i = this.ids.get(s);
    if (i === undefined) {
      if (this.ids.size >= 255) return -1;
      i = this.ids.size + 1;
      this.ids.set(s, i);
    }
    return i;
  }
  // the last measure and source and their ids: a sheet's figures repeat a handful of each, and an
  // id once given (or refused) never changes, so the same string gives the same id
  private lastM: string | undefined = undefined;
  private lastMId = 0;
  private lastS: string | undefined = undefined;
  private lastSId = 0;
  private sub(year: number, measure: string | undefined, source: string | undefined): number | string {
    let m = this.lastMId;
    if (measure !== this.lastM) {
      m = this.lastMId = this.id(measure);
      this.lastM = measure;
    }
    let s = this.lastSId;
    if (source !== this.lastS) {
      s = this.lastSId = this.id(source);
      this.lastS = source;
    }
    if (Number.isInteger(year) && year >= 0 && year < 10000 && m >= 0 && s >= 0) return (year * 256 + m) * 256 + s;
    return `${year}|${measure ?? ""}|${source ?? ""}`;
  }
  // the last (space, key) looked up, its space's Map and its first entry: a row's figures share it
  private lastSpace = "";
  private lastKey = "";
  private lastSp: Map<string, number> | undefined = undefined;
  private lastHead = NO_ENTRY;
  /** The key's first entry, ~i for its Map, or NO_ENTRY; the key is remembered for put(). */
  private head(space: string, key: string): number {
    if (this.lastSp !== undefined && space === this.lastSpace && key === this.lastKey) return this.lastHead;
    let sp = this.spaces.get(space);
    if (sp === undefined) this.spaces.set(space, (sp = new Map()));
    const h = sp.get(key);
    this.lastSpace = space;
    this.lastKey = key;
    this.lastSp = sp;
    this.lastHead = h === undefined ? NO_ENTRY : h;
    return this.lastHead;
  }
  private find(h: number, sub: number | string): V | undefined {
    if (h === NO_ENTRY) return undefined;
    if (h < 0) return this.maps[~h]!.get(sub);
    const subs = this.subs;
    const nexts = this.nexts;
    for (let i = h; i >= 0; i = nexts[i]!) if (subs[i] === sub) return this.vals[i];
    return undefined;
  }
  /** Set (sub, v) for the last key (head() just gave its first entry `h`). */
  private put(h: number, sub: number | string, v: V): void {
    if (h !== NO_ENTRY && h < 0) {
      this.maps[~h]!.set(sub, v);
      return;
    }
    const subs = this.subs;
    const nexts = this.nexts;
    let last = -1;
    let n = 0;
    if (h !== NO_ENTRY) {
      for (let i = h; i >= 0; i = nexts[i]!) {
        if (subs[i] === sub) {
          this.vals[i] = v;
          return;
        }
        last = i;
        n++;
      }
    }
    if (n >= SLOTS_AS_LIST) {
      const m = new Map<number | string, V>();
      for (let i = h; i >= 0; i = nexts[i]!) m.set(subs[i]!, this.vals[i]!);
      m.set(sub, v);
      this.maps.push(m);
      this.setHead(~(this.maps.length - 1));
      return;
    }
    const e = subs.length;
    subs.push(sub);
    this.vals.push(v);
    nexts.push(-1);
    if (last >= 0) nexts[last] = e;
    else this.setHead(e);
  }
  private setHead(h: number): void {
    this.lastSp!.set(this.lastKey, h);
    this.lastHead = h;
  }
  get(space: string, key: string, year: number, measure?: string, source?: string): V | undefined {
    return this.find(this.head(space, key), this.sub(year, measure, source));
  }
  set(space: string, key: string, year: number, measure: string | undefined, source: string | undefined, v: V): void {
    this.put(this.head(space, key), this.sub(year, measure, source), v);
  }
  /** get, then set when absent: the value given before (nothing set), or undefined (v set). */
  claim(space: string, key: string, year: number, measure: string | undefined, source: string | undefined, v: V): V | undefined {
    const h = this.head(space, key);
    const sub = this.sub(year, measure, source);
    const prev = this.find(h, sub);
    if (prev !== undefined) return prev;
    this.put(h, sub, v);
    return undefined;
  }
}

/**
 * Cells as small numbers (the index of one here): a sheet of the file, a column and a row in three
 * columns of integers. FactKeys and notePlanMeasure remember the first cell of each figure's key
 * until the file's end; a CellRef and its "C123" per figure were objects the reading worker's
 * scavenges copied. The reference is made only when a problem names the cell (`ref`).
 */
export class Places {
  private readonly sheets = emptyList<string>();
  private lastSheet = "";
  private lastSheetNo = -1;
  private data = new Int32Array(3 * 1024);
  private n = 0;
  add(sheet: string, col: number, row: number): number {
    if (sheet !== this.lastSheet || this.lastSheetNo < 0) {
      let k = this.sheets.indexOf(sheet);
      if (k < 0) k = this.sheets.push(sheet) - 1;
      this.lastSheet = sheet;
      this.lastSheetNo = k;
    }
    const i = this.n;
    if (3 * i + 3 > this.data.length) this.data = grown(this.data, this.data.length * 2);
    this.data[3 * i] = this.lastSheetNo;
    this.data[3 * i + 1] = col;
    this.data[3 * i + 2] = row;
    this.n = i + 1;
    return i;
  }
  sheet(i: number): string {
    return this.sheets[this.data[3 * i]!]!;
  }
  cell(i: number): string {
    return colLetters(this.data[3 * i + 1]!) + this.data[3 * i + 2]!;
  }
  /** The place as a CellRef (for a problem's other cell). */
  ref(i: number): CellRef {
    return new CellAt(this.sheet(i), this.cell(i));
  }
}

/** FactKeys: no entry for the key (never ~i of a Map's index). */
const NO_ENTRY = -0x40000000;
/** FactKeys: how many values a key chains before they go into a Map of their own. */
const SLOTS_AS_LIST = 16;

export interface RowView {
  row: number;
  hidden: boolean;
  cells: RowCells;
}

/**
 * A row's cells by column, as a Map of them would give: the cells in file order, and for a column
 * given twice the last one (at the first one's place). Rows come with their cells ascending by
 * column, so a lookup is mostly one index; only a row whose columns repeat or go backwards gets a
 * Map of its own.
 */
export class RowCells implements RowView {
  private readonly list: XCell[];
  private readonly map: Map<number, XCell> | null;
  /**
   * A body row is its own RowView (`cells` is the object itself): one object per row, not a view
   * and its cells, for the thousands of rows a sheet holds until its end.
   */
  constructor(
    cells: XCell[],
    readonly row = 0,
    readonly hidden = false,
  ) {
    let prev = 0;
    let ordered = true;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!.col;
      if (!(c > prev)) {
        ordered = false;
        break;
      }
      prev = c;
    }
    if (ordered) {
      this.list = cells;
      this.map = null;
    } else {
      const m = new Map<number, XCell>();
      for (const c of cells) m.set(c.col, c);
      this.map = m;
      this.list = [...m.values()];
    }
  }
  get cells(): RowCells {
    return this;
  }
  get size(): number {
    return this.list.length;
  }
  get(col: number): XCell | undefined {
    if (this.map) return this.map.get(col);
    const l = this.list;
    const n = l.length;
    // dense rows: column c is at index c - 1
    let i = col - 1;
    if (i < n && i >= 0 && l[i]!.col === col) return l[i];
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      i = (lo + hi) >> 1;
      const c = l[i]!.col;
      if (c === col) return l[i];
      if (c < col) lo = i + 1;
      else hi = i - 1;
    }
    return undefined;
  }
  /** the cells in file order (one per column) */
  values(): readonly XCell[] {
    return this.list;
  }
}

export type RoleName = ColumnRole["role"];

/**
 * A CellRef made by SheetCtx.at: an instance, not a literal. Facts and tasks keep theirs until the
 * end of the file; when the garbage collector decided that a literal's objects (counted at its
 * place in the code) are to be made in the old generation, every optimised function that had the
 * literal inlined (the row loops, registerRow) was thrown away. `new` of a class is not counted so.
 */
class CellAt implements CellRef {
  constructor(
    public sheet: string,
    public cell: string,
  ) {}
}

/**
 * The texts of `cols` in `rows` (their order does not matter: the style counts them). On its own,
 * not in the getter with inferNumberStyle: the loop was optimised while it ran, inferNumberStyle
 * after it not yet run, and that code was thrown away as soon as it got there.
 */
function textsOf(rows: readonly RowView[], cols: readonly number[]): string[] {
  const numberTexts: string[] = [];
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    for (let k = 0; k < cols.length; k++) {
      const c = r.cells.get(cols[k]!);
      if (c !== undefined && c.type === "s") numberTexts.push(String(c.value));
    }
  }
  return numberTexts;
}

/** Is c a character of the regular expressions' `\s`? */
export function isSpaceCode(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Would `replace(/\s+/g, " ")` change t (a run of two white spaces, or one that is not " ")? The
 * same as /\s\s|[^\S ]/.test(t), as one loop: asked of every text cell, the regular expression's
 * call cost more than the answer.
 */
export function spacesToCollapse(t: string): boolean {
  let prevSpace = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return true;
      prevSpace = true;
    } else if (c < 33 ? c >= 9 && c <= 13 : c >= 0xa0 && isSpaceCode(c)) return true;
    else prevSpace = false;
  }
  return false;
}

/** /\s/.test(t), as a loop. */
export function hasSpace(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (isSpaceCode(t.charCodeAt(i))) return true;
  return false;
}

export class SheetCtx {
  private style_: NumberStyle = "none";
  // the rows and columns whose texts give the style, until it is worked out: data, not a closure
  // made per sheet (the hot money() that reads the style met a new function at each sheet)
  private styleRows: readonly RowView[] | null = null;
  private styleCols: readonly number[] = [];
  /**
   * How the sheet writes numbers as text. Only a text figure needs it: worked out (styleFrom) the
   * first time one is read, so that a sheet of numbers never gathers its texts.
   */
  get style(): NumberStyle {
    if (this.styleRows !== null) {
      const rows = this.styleRows;
      this.styleRows = null;
      this.style_ = inferNumberStyle(textsOf(rows, this.styleCols));
    }
    return this.style_;
  }
  set style(s: NumberStyle) {
    this.styleRows = null;
    this.style_ = s;
  }
  /** The style is to be inferred from the texts of these columns in these rows (they do not change meanwhile). */
  styleFrom(rows: readonly RowView[], cols: readonly number[]): void {
    this.styleRows = rows;
    this.styleCols = cols;
  }
  unit: MoneyUnit = "trieu";
  readonly byRole = new Map<RoleName, Column>();
  /** column letters by column number, made once per sheet */
  private readonly letters: string[] = [];
  constructor(
    readonly fs: FileState,
    readonly sheet: string,
    readonly columns: Column[],
  ) {
    for (const c of columns) if (c.role && !this.byRole.has(c.role.role) && c.role.role !== "amount" && c.role.role !== "approved") this.byRole.set(c.role.role, c);
  }

  get problems(): Problem[] {
    return this.fs.out.problems;
  }
  // the last row's number as text: a row's cells are referred to one after another
  private lastRow = -1;
  private lastRowText = "";
  ref(col: number, row: number): string {
    let l = this.letters[col];
    if (l === undefined) l = this.letters[col] = colLetters(col);
    if (row !== this.lastRow) {
      this.lastRow = row;
      this.lastRowText = String(row);
    }
    return l + this.lastRowText;
  }
  at(ref: string): CellRef {
    return new CellAt(this.sheet, ref);
  }
  /** The cell as a place of the file's Places (a figure's: no reference made). */
  placeOf(col: number, row: number): number {
    return this.fs.places.add(this.sheet, col, row);
  }
  place(ref?: string, other?: CellRef): Place {
    const p: Place = { file: this.fs.fileId, sheet: this.sheet };
    if (ref) p.cell = ref;
    if (other) p.other = { file: this.fs.fileId, sheet: other.sheet, cell: other.cell };
    return p;
  }
  add(code: Code, ref: string | undefined, data: Record<string, unknown> = {}, other?: CellRef): void {
    const ps = this.problems;
    if (this.fs.maxProblems !== undefined && ps.length >= this.fs.maxProblems) ps.push(OVER_LIMIT[CODES[code].severity as Problem["severity"]]);
    else ps.push(prob(code, this.place(ref, other), data));
  }
  col(role: RoleName): Column | undefined {
    return this.byRole.get(role);
  }
  cell(r: RowView, col: Column | number | undefined): XCell | undefined {
    if (col === undefined) return undefined;
    return r.cells.get(typeof col === "number" ? col : col.col);
  }
  /** A text cell (numbers as their decimal text), "" when blank; error values reported. */
  text(r: RowView, col: Column | undefined): string {
    const c = this.cell(r, col);
    if (!c || !col) return "";
    if (c.type === "e") {
      this.add("VALUE_ERROR", c.ref, { value: c.value ?? "#ERROR" });
      return "";
    }
    if (c.type === "z") {
      if (c.formula !== undefined) this.add("FORMULA_NO_CACHE", c.ref);
      return "";
    }
    if (c.type === "n") {
      const v = c.value as number;
      return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(15)));
    }
    // the sheet's texts were made NFC (and their no-break spaces plain) when read: see convertText
    const v = c.value;
    let t = typeof v === "string" ? v : nfc(String(v ?? ""));
    t = (spacesToCollapse(t) ? t.replace(/\s+/g, " ") : t).trim();
    // a trimmed text of two characters or more is never blank
    return t.length < 2 && isBlankText(t) ? "" : t;
  }
  /** Does the row hold anything in this column? (no problems reported) */
  has(r: RowView, col: Column | undefined): boolean {
    const c = this.cell(r, col);
    if (!c) return false;
    if (c.type === "s") return !isBlankText(String(c.value ?? ""));
    return c.type !== "z" || c.formula !== undefined;
  }
  /** Report a failed parse at the cell. */
  fail(ref: string, res: Result<unknown>): void {
    if (!res.ok) this.add(res.code, ref, res.detail ?? {});
  }
  /**
   * A money cell → decimal string in triệu đồng; null when blank; undefined after reporting a
   * problem. `unit` is the column's own unit, else the sheet's.
   */
  money(r: RowView, col: Column, unit?: MoneyUnit): string | null | undefined {
    const c = r.cells.get(col.col);
    if (c === undefined) return null;
    const u = unit ?? this.unit;
    // the common cell: a number whose shortest form is already exact (in triệu đồng: as it is)
    if (c.type === "n") {
      const d = plainDecimal(c.value);
      if (d !== null && d.charCodeAt(0) !== 45) {
        if (u === "trieu") return d;
        const t = trieuOf(d, u);
        if (t !== null) return this.fits(col.col, r.row, t);
      }
    }
    // the cell's place is made only for a problem
    const n = numberFromCell(c, c.type === "s" ? this.style : "none"); // the style is read for texts only
    if (!n.ok) {
      this.fail(this.ref(col.col, r.row), n);
      return undefined;
    }
    if (n.value === null) return null;
    if (n.value.startsWith("-")) {
      this.add("VALUE_NEGATIVE", this.ref(col.col, r.row), { value: n.value });
      return undefined;
    }
    const t = toTrieu(n.value, u);
    if (!t.ok) {
      this.fail(this.ref(col.col, r.row), t);
      return undefined;
    }
    return this.fits(col.col, r.row, t.value);
  }
  /** A plain number in its own unit (indicators): decimal string, null blank, undefined reported. */
  number(r: RowView, col: Column): string | null | undefined {
    const c = r.cells.get(col.col);
    if (c === undefined) return null;
    if (c.type === "n") {
      const d = plainDecimal(c.value);
      if (d !== null) return d;
    }
    const n = numberFromCell(c, c.type === "s" ? this.style : "none"); // the style is read for texts only
    if (!n.ok) {
      this.fail(this.ref(col.col, r.row), n);
      return undefined;
    }
    if (n.value === null) return null;
    const t = toTrieu(n.value, "trieu"); // only to round at 6 decimals
    return t.ok ? this.fits(col.col, r.row, t.value) : undefined;
  }
  /** A figure the warehouse holds, or undefined after reporting VALUE_TOO_LARGE at the cell. */
  private fits(col: number, row: number, v: string): string | undefined {
    if (!figureTooLarge(v)) return v;
    this.add("VALUE_TOO_LARGE", this.ref(col, row), { value: v.length > 40 ? `${v.slice(0, 12)}… (${v.split(".")[0]!.replace("-", "").length} chữ số / digits)` : v, limit: MAX_FIGURE });
    return undefined;
  }
}

export const micro = (s: string): bigint => parseDecimal(s);

/** Register a key given once in the file; report KEY_DUPLICATE (or `code`) naming both cells. */
export function claimKey(ctx: SheetCtx, map: Map<string, CellRef>, key: string, at: CellRef, label: string | (() => string), code: Code = "KEY_DUPLICATE"): boolean {
  const prev = map.get(key);
  if (prev) {
    ctx.add(code, at.cell, { key: typeof label === "string" ? label : label() }, prev);
    return false;
  }
  map.set(key, at);
  return true;
}

/** claimKey for a figure's key (see FactKeys), its cell a place (SheetCtx.placeOf). */
export function claimFact(ctx: SheetCtx, space: string, key: string, year: number, measure: string, source: string | undefined, at: number): boolean {
  const prev = ctx.fs.factKeys.claim(space, key, year, measure, source, at);
  if (prev !== undefined) {
    const places = ctx.fs.places;
    // the key as the office reads it: "<key> <measure> <year> [<source>]"
    ctx.add("KEY_DUPLICATE", places.cell(at), { key: source === undefined ? `${key} ${measure} ${year}` : `${key} ${measure} ${year} ${source}` }, places.ref(prev));
    return false;
  }
  return true;
}

/**
 * du_toan and de_xuat for the same key and year: the plan year's figure given twice. Told once, at
 * the first cell of whichever measure came second, naming the first cell of the other:
 * FileState.planYear holds the first cell of each measure by (what, key, year, measure), no
 * object of its own per key and year (one per figure was made, and one per key and year kept to
 * the end of the file).
 */
export function notePlanMeasure(ctx: SheetCtx, what: string, key: string, year: number, measure: string, at: number): void {
  if (measure !== "du_toan" && measure !== "de_xuat") return;
  const seen = ctx.fs.planYear;
  // this measure given before for the key and year: whatever was to be told has been
  if (seen.claim(what, key, year, measure, undefined, at) !== undefined) return;
  const other = seen.get(what, key, year, measure === "du_toan" ? "de_xuat" : "du_toan");
  if (other !== undefined) ctx.add("MEASURE_BOTH_DU_TOAN_DE_XUAT", ctx.fs.places.cell(at), { key, year }, ctx.fs.places.ref(other));
}
