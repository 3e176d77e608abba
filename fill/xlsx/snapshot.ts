// GridSnapshots of a workbook file, read from the package's XML (no exceljs: it is faster, and it
// sees exactly what applyPlan will edit). The used range starts at A1 and covers every cell that
// has a value or a formula, and every merged area (styled empty cells do not widen it). Cached
// values as stored (a formula cell without one reads null); shared formulas as each cell's own.
import type { Area, GridSnapshot, GridValue } from "../engine/types.js";
import type { XmlEvents } from "../../xlsx/fastxml.js";
import { translateFormula } from "./formula.js";
import { digitsValue, parseArea, parseRef, parseRefAt } from "../../xlsx/refs.js";
import { Package } from "../../xlsx/package.js";
import { numberFormatsOf } from "../../xlsx/styles.js";
import { localName, readXmlEvents } from "../../xlsx/xml.js";
import { charsAllowed, isWs, nameEnd, XmlFallback, xmlAttr, xmlText } from "../../xlsx/fastxml.js";
import { sheetDataSpan } from "./rows-text.js";
import { readPartText, REL_SHARED_STRINGS, REL_STYLES, sharedStringsReader } from "../../xlsx/opc.js";
import { decodeXstring } from "../../xlsx/escape.js";
import { isoToSerial } from "../../core/serial.js";

export interface SnapshotOptions {
  /** only this many rows of values/formulas/formats (rowCount still says the full size) */
  firstRows?: number;
  /** only these sheets (by name, case-insensitive) */
  sheets?: string[];
}

export async function snapshotWorkbook(bytes: Uint8Array, opts: SnapshotOptions = {}): Promise<GridSnapshot[]> {
  return snapshotPackage(Package.open(bytes), opts);
}

export function snapshotPackage(pkg: Package, opts: SnapshotOptions = {}): GridSnapshot[] {
  const wb = pkg.workbookPart();
  const rels = pkg.rels(wb);
  const sstPart = rels.find((r) => REL_SHARED_STRINGS.test(r.type))?.part;
  const stylesPart = rels.find((r) => REL_STYLES.test(r.type))?.part;
  // the same readers as the ETL's (the limits are the reader's defaults)
  const sst = sstPart && pkg.has(sstPart) ? readPartText(pkg.readText(sstPart), sharedStringsReader) : [];
  const formats = numberFormatsOf(stylesPart && pkg.has(stylesPart) ? pkg.readText(stylesPart) : null);
  const { date1904 } = pkg.workbook();
  const wanted = opts.sheets ? new Set(opts.sheets.map((s) => s.toLowerCase())) : null;
  const out: GridSnapshot[] = [];
  let index = 0;
  for (const s of pkg.sheets()) {
    if (s.kind !== "worksheet") continue;
    const i = index++;
    if (wanted && !wanted.has(s.name.toLowerCase())) continue;
    if (!s.part || !pkg.has(s.part)) continue;
    out.push(snapshotSheet(pkg.readText(s.part), s.name, i, sst, formats, opts.firstRows, date1904));
  }
  return out;
}

interface RawCell {
  row: number;
  col: number;
  value: GridValue;
  formula: string | null;
  format: string;
}

// One pass over the sheet, no tree: a data sheet of 100 000 rows is read in one go. The rows of a
// plainly written <sheetData> (what Excel and the fill write) are read by hand first (readRowsFast);
// the rest of the sheet, and any sheet that is not plain, by the event reader: the fast one, saxes
// when it cannot vouch for the text (see fastxml.ts), from a clean state.
function snapshotSheet(xml: string, name: string, index: number, sst: string[], formats: string[], firstRows: number | undefined, date1904: boolean): GridSnapshot {
  const span = sheetDataSpan(xml);
  if (span) {
    const cells = new SheetCells(sst, formats, date1904);
    if (readRowsFast(xml, span.start, span.end, cells)) {
      try {
        // the merges, and a well-formed rest: the rows' own checks were readRowsFast's
        return readXmlEvents(xml.slice(0, span.start) + xml.slice(span.end), (read) => readSheet(read, name, index, cells, firstRows));
      } catch {
        /* the whole sheet below: it gives the error the sheet gives */
      }
    }
  }
  return readXmlEvents(xml, (read) => readSheet(read, name, index, new SheetCells(sst, formats, date1904), firstRows));
}

/** The cells of a sheet as they are read, by either reader: what a row, a cell and its end set. */
class SheetCells {
  readonly cells: RawCell[] = [];
  readonly shared = new Map<string, { row: number; col: number; text: string }>();
  readonly sharedChildren: { cell: RawCell; si: string }[] = [];
  row = 0;
  col = 0;
  maxRow = 0;
  maxCol = 0;

  constructor(
    private readonly sst: string[],
    private readonly formats: string[],
    private readonly date1904: boolean,
  ) {}

  /** a <row> of sheetData, with its r attribute */
  startRow(r: string | undefined): void {
    this.row = r ? toNumber(r) : this.row + 1;
    this.col = 0;
  }

  /** a <c> of a row, with its r attribute */
  startCell(r: string | undefined): void {
    const ref = r ? parseRef(r) : null;
    this.col = ref ? ref.col : this.col + 1;
    if (ref) this.row = ref.row;
  }

  /** a <c> whose r is a reference already read (what startCell does with it) */
  startCellAt(row: number, col: number): void {
    this.col = col;
    this.row = row;
  }

  /**
   * The end of a cell: its t (default "n"), whether it has an s and Number(s) (0 without one), its
   * <v> text (null: none), whether it has an <f> and that formula's text, t and si, and its inline
   * string (null: no <is>).
   */
  endCell(t: string, hasS: boolean, s: number, v: string | null, hasF: boolean, f: string | null, ft: string | undefined, fsi: string | undefined, inline: string | null): void {
    const row = this.row;
    const col = this.col;
    let value: GridValue = null;
    if (t === "inlineStr") value = decodeXstring(inline ?? "");
    else if (v !== null) {
      if (t === "s") value = this.sst[toNumber(v)] ?? "";
      else if (t === "b") value = v === "1" || v === "true";
      // an ISO date, time or duration is the serial Excel would have stored (text if none)
      else if (t === "d") value = isoToSerial(v, this.date1904) ?? v;
      else if (t === "str" || t === "e") value = decodeXstring(v);
      else {
        const n = toNumber(v);
        value = v.trim() !== "" && Number.isFinite(n) ? n : null;
      }
    }
    let formula: string | null = null;
    if (hasF) {
      if (f) formula = "=" + f;
      if (ft === "shared" && fsi !== undefined && f) this.shared.set(fsi, { row, col, text: f });
    }
    const rc: RawCell = { row, col, value, formula, format: this.formats[s] ?? "General" };
    if (hasF && !f && ft === "shared" && fsi !== undefined) this.sharedChildren.push({ cell: rc, si: fsi });
    if (value === null && formula === null && !(hasF && ft === "shared")) {
      if (!hasS) return; // an empty cell with no style says nothing
    } else {
      this.maxRow = Math.max(this.maxRow, row);
      this.maxCol = Math.max(this.maxCol, col);
    }
    this.cells.push(rc);
  }
}

/**
 * Number(s), without V8's general conversion for the common case: a fresh string of up to 15
 * digits (a sheet's indexes, row numbers and whole figures) is read by hand, exactly.
 */
function toNumber(s: string): number {
  const n = s.length;
  const v = n === 0 || n > 15 ? -1 : digitsValue(s, 0, n);
  return v >= 0 ? v : Number(s);
}

function readSheet(read: (ev: XmlEvents) => void, name: string, index: number, sc: SheetCells, firstRows: number | undefined): GridSnapshot {
  const merges: Area[] = [];
  const stack: string[] = [];
  let cur: { t: string; s: string | undefined; v: string | null; f: string | null; fAttrs: Map<string, string> | null; inline: string | null } | null = null;
  let text = "";
  let inIs = false;
  let inRph = 0;
  const opentag = (tagName: string, a: Map<string, string>): void => {
    const ln = localName(tagName);
    const parent = stack.length ? localName(stack[stack.length - 1]) : "";
    stack.push(tagName);
    if (ln === "row" && parent === "sheetData") {
      sc.startRow(a.get("r"));
    } else if (ln === "c" && parent === "row") {
      sc.startCell(a.get("r"));
      cur = { t: a.get("t") ?? "n", s: a.get("s"), v: null, f: null, fAttrs: null, inline: null };
    } else if (cur && ln === "f" && parent === "c") {
      cur.fAttrs = a;
      text = "";
    } else if (cur && ln === "v" && parent === "c") {
      text = "";
    } else if (cur && ln === "is" && parent === "c") {
      inIs = true;
      cur.inline = "";
    } else if (inIs && ln === "rPh") {
      inRph++;
    } else if (inIs && ln === "t") {
      text = "";
    } else if (ln === "mergeCell") {
      const area = parseArea(a.get("ref") ?? "");
      if (area && area.kind !== "rows" && area.kind !== "cols") merges.push({ top: area.r1, left: area.c1, bottom: area.r2, right: area.c2 });
    }
  };
  const closetag = (tagName: string): void => {
    stack.pop();
    const ln = localName(tagName);
    if (!cur) return;
    if (ln === "f" && cur.fAttrs) cur.f = text;
    else if (ln === "v" && !inIs) cur.v = text;
    else if (inIs && ln === "rPh") inRph--;
    else if (inIs && ln === "t" && inRph === 0) cur.inline = (cur.inline ?? "") + text;
    else if (ln === "is") inIs = false;
    else if (ln === "c") {
      const c = cur;
      cur = null;
      sc.endCell(c.t, c.s !== undefined, Number(c.s ?? 0), c.v, c.fAttrs !== null, c.f, c.fAttrs?.get("t"), c.fAttrs?.get("si"), c.inline);
    }
  };
  read({
    opentag,
    closetag,
    text: (t) => {
      text += t;
    },
    cdata: (t) => {
      text += t;
    },
  });
  const { cells, shared, sharedChildren } = sc;
  let { maxRow, maxCol } = sc;
  for (const { cell, si } of sharedChildren) {
    const m = shared.get(si);
    if (m) cell.formula = "=" + translateFormula(m.text, cell.row - m.row, cell.col - m.col);
  }
  for (const m of merges) {
    maxRow = Math.max(maxRow, m.bottom);
    maxCol = Math.max(maxCol, m.right);
  }
  const height = firstRows !== undefined ? Math.min(maxRow, firstRows) : maxRow;
  const values: GridValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: string[][] = [];
  for (let i = 0; i < height; i++) {
    values.push(new Array<GridValue>(maxCol).fill(null));
    formulas.push(new Array<string | null>(maxCol).fill(null));
    numberFormats.push(new Array<string>(maxCol).fill("General"));
  }
  for (const c of cells) {
    if (c.row > height || c.col > maxCol) continue;
    values[c.row - 1][c.col - 1] = c.value;
    formulas[c.row - 1][c.col - 1] = c.formula;
    numberFormats[c.row - 1][c.col - 1] = c.format;
  }
  return { sheetName: name, index, values, formulas, numberFormats, merges, rowCount: maxRow, columnCount: maxCol };
}

// ---------------------------------------------------------------------------------------------
// The rows of a plain <sheetData>, read by hand: the event reader made an attribute map, a name
// and an event per element — a third of a refill's reading of a 5 000-row form, and much of its
// garbage. Plain is what Excel and the fill write: rows and cells with attributes only, a cell
// holding at most an <f> and then a <v> or an <is> with one <t>, white space between them. The
// text is vouched for as scanXml would (names, quoting, duplicates, references, characters XML
// forbids, matching end tags); anything else and false is returned, having read nothing that
// counts: the caller reads the whole sheet with the event reader.

/** Read sheetData's content src[from, to) into `sc`; false when it is not plain. */
function readRowsFast(src: string, from: number, to: number, sc: SheetCells): boolean {
  if (!charsAllowed(src.slice(from, to))) return false;
  try {
    return rowsFast(src, from, to, sc);
  } catch (e) {
    if (e instanceof XmlFallback) return false;
    throw e;
  }
}

function rowsFast(src: string, from: number, to: number, sc: SheetCells): boolean {
  let i = skipWs(src, from, to);
  while (i < to) {
    let j = startTag(src, i, to, "row");
    if (j < 0) return false;
    sc.startRow(attr(src, R));
    if (!A_SELF) {
      for (;;) {
        j = skipWs(src, j, to);
        const e = endTag(src, j, to, "row");
        if (e >= 0) {
          j = e;
          break;
        }
        j = cellFast(src, j, to, sc);
        if (j < 0) return false;
      }
    }
    i = skipWs(src, j, to);
  }
  return true;
}

/** One <c> at `i`: the offset after it, or -1. */
function cellFast(src: string, i: number, to: number, sc: SheetCells): number {
  let j = startTag(src, i, to, "c");
  if (j < 0) return -1;
  // the reference read where it stands, as startCell would read it; else startCell says what it is
  const ref = A_SPAN[2 * R] >= 0 && A_DECODED[R] === null ? parseRefAt(src, A_SPAN[2 * R], A_SPAN[2 * R + 1]) : null;
  if (ref) sc.startCellAt(ref.row, ref.col);
  else sc.startCell(attr(src, R));
  const t = typeOf(src);
  const hasS = A_SPAN[2 * S] >= 0;
  const s = hasS ? numberOf(src, S) : 0;
  let v: string | null = null;
  let hasF = false;
  let f: string | null = null;
  let ft: string | undefined;
  let fsi: string | undefined;
  let inline: string | null = null;
  if (!A_SELF) {
    j = skipWs(src, j, to);
    const fj = startTag(src, j, to, "f");
    if (fj >= 0) {
      hasF = true;
      ft = attr(src, T);
      fsi = attr(src, SI);
      j = elementText(src, fj, to, "f");
      if (j < 0) return -1;
      f = TEXT;
      j = skipWs(src, j, to);
    }
    const vj = startTag(src, j, to, "v");
    if (vj >= 0) {
      j = elementText(src, vj, to, "v");
      if (j < 0) return -1;
      v = TEXT;
      j = skipWs(src, j, to);
    } else {
      const ij = startTag(src, j, to, "is");
      if (ij >= 0) {
        inline = "";
        j = ij;
        if (!A_SELF) {
          j = skipWs(src, j, to);
          const tj = startTag(src, j, to, "t");
          if (tj >= 0) {
            j = elementText(src, tj, to, "t");
            if (j < 0) return -1;
            inline = TEXT;
            j = skipWs(src, j, to);
          }
          j = endTag(src, j, to, "is");
          if (j < 0) return -1;
        }
        j = skipWs(src, j, to);
      }
    }
    j = endTag(src, j, to, "c");
    if (j < 0) return -1;
  }
  sc.endCell(t, hasS, s, v, hasF, f, ft, fsi, inline);
  return j;
}

const skipWs = (src: string, i: number, to: number): number => {
  while (i < to && isWs(src.charCodeAt(i))) i++;
  return i;
};

/** Is src[i, e) the name `name`? */
function nameIs(src: string, i: number, e: number, name: string): boolean {
  if (e - i !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (src.charCodeAt(i + k) !== name.charCodeAt(k)) return false;
  return true;
}

// what startTag read: where the values of the attributes r, s, t and si are in the text (start and
// end; -1 for none), their values when they needed decoding (else null: the text is the value),
// and whether the tag closed itself. Offsets rather than strings: most are read as numbers.
const R = 0;
const S = 1;
const T = 2;
const SI = 3;
const A_SPAN = new Int32Array(8);
const A_DECODED: (string | null)[] = [null, null, null, null];
let A_SELF = false;

/** Attribute k's value as the event reader gives it (undefined when the tag has none). */
function attr(src: string, k: number): string | undefined {
  const from = A_SPAN[2 * k];
  return from < 0 ? undefined : (A_DECODED[k] ?? src.slice(from, A_SPAN[2 * k + 1]));
}

/** Number() of attribute k's value (there is one). */
function numberOf(src: string, k: number): number {
  const d = A_DECODED[k];
  if (d !== null) return Number(d);
  const from = A_SPAN[2 * k];
  const to = A_SPAN[2 * k + 1];
  const n = to - from < 1 || to - from > 9 ? -1 : digitsValue(src, from, to);
  return n >= 0 ? n : Number(src.slice(from, to));
}

// a cell's t, without a string made for the usual ones
const TYPES = ["s", "n", "str", "inlineStr", "b", "e", "d"];
function typeOf(src: string): string {
  const from = A_SPAN[2 * T];
  if (from < 0) return "n";
  if (A_DECODED[T] !== null) return A_DECODED[T]!;
  const len = A_SPAN[2 * T + 1] - from;
  for (const t of TYPES) if (t.length === len && src.startsWith(t, from)) return t;
  return src.slice(from, from + len);
}

// the names of the tag's attributes so far (start, end), for duplicates
let NAMES = new Int32Array(32);

/**
 * The start tag of element `name` at `i`: the offset after it, or -1 when there is none there.
 * XmlFallback when one is there that scanXml would not vouch for.
 */
function startTag(src: string, i: number, to: number, name: string): number {
  if (i >= to || src.charCodeAt(i) !== 60 /* < */) return -1;
  const e = nameEnd(src, i + 1);
  if (e < 0 || !nameIs(src, i + 1, e, name)) return -1;
  A_SPAN[2 * R] = A_SPAN[2 * S] = A_SPAN[2 * T] = A_SPAN[2 * SI] = -1; // (a call of fill costs more)
  A_SELF = false;
  let names = 0;
  let j = e;
  for (;;) {
    let ws = false;
    while (j < to && isWs(src.charCodeAt(j))) {
      j++;
      ws = true;
    }
    if (j >= to) throw new XmlFallback("a start tag runs out of sheetData");
    const d = src.charCodeAt(j);
    if (d === 62 /* > */) return j + 1;
    if (d === 47 /* / */) {
      if (j + 1 >= to || src.charCodeAt(j + 1) !== 62) throw new XmlFallback("a bad start tag");
      A_SELF = true;
      return j + 2;
    }
    if (!ws) throw new XmlFallback("attributes without white space between them");
    const ae = nameEnd(src, j);
    if (ae < 0) throw new XmlFallback("a bad attribute name");
    for (let k = 0; k < names; k++) {
      const ns = NAMES[2 * k];
      const ne = NAMES[2 * k + 1];
      if (ne - ns === ae - j && sameText(src, ns, j, ae - j)) throw new XmlFallback("a duplicate attribute");
    }
    if (2 * names + 2 > NAMES.length) {
      const more = new Int32Array(NAMES.length * 2);
      more.set(NAMES);
      NAMES = more;
    }
    NAMES[2 * names] = j;
    NAMES[2 * names + 1] = ae;
    names++;
    let k = ae;
    while (k < to && isWs(src.charCodeAt(k))) k++;
    if (src.charCodeAt(k) !== 61 /* = */) throw new XmlFallback("an attribute without a value");
    k++;
    while (k < to && isWs(src.charCodeAt(k))) k++;
    const q = src.charCodeAt(k);
    if (q !== 34 && q !== 39) throw new XmlFallback("an unquoted attribute value");
    // by hand: a value is a few characters, and a call of indexOf costs more than reading them
    let close = k + 1;
    let work = false; // references or white space to normalise (xmlAttr's work)
    for (let c = src.charCodeAt(close); c !== q; c = src.charCodeAt(++close)) {
      if (close >= to) throw new XmlFallback("an unclosed attribute value");
      if (c === 60) throw new XmlFallback("< in an attribute value");
      if (c === 38 || c === 9 || c === 10 || c === 13) work = true;
    }
    if (close >= to) throw new XmlFallback("an unclosed attribute value");
    const len = ae - j;
    const c0 = src.charCodeAt(j);
    const which =
      len === 1 ? (c0 === 114 /* r */ ? R : c0 === 115 /* s */ ? S : c0 === 116 /* t */ ? T : -1) : len === 2 && c0 === 115 && src.charCodeAt(j + 1) === 105 /* si */ ? SI : -1;
    // its references checked whether it is read or not
    const decoded = work ? xmlAttr(src.slice(k + 1, close)) : null;
    if (which >= 0) {
      A_SPAN[2 * which] = k + 1;
      A_SPAN[2 * which + 1] = close;
      A_DECODED[which] = decoded;
    }
    j = close + 1;
  }
}

/** Is src[a, a + n) the same text as src[b, b + n)? */
function sameText(src: string, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (src.charCodeAt(a + k) !== src.charCodeAt(b + k)) return false;
  return true;
}

/** The end tag of `name` at `i`: the offset after it, or -1. */
function endTag(src: string, i: number, to: number, name: string): number {
  if (i + 1 >= to || src.charCodeAt(i) !== 60 || src.charCodeAt(i + 1) !== 47) return -1;
  const e = nameEnd(src, i + 2);
  if (e < 0 || !nameIs(src, i + 2, e, name)) return -1;
  let j = e;
  while (j < to && isWs(src.charCodeAt(j))) j++;
  return j < to && src.charCodeAt(j) === 62 ? j + 1 : -1;
}

// what elementText read
let TEXT = "";

/**
 * After the start tag of element `name`, which ended at `i`: its text into TEXT ("" when the tag
 * closed itself) and the offset after its end tag; -1 when markup comes before that end tag.
 */
function elementText(src: string, i: number, to: number, name: string): number {
  if (A_SELF) {
    TEXT = "";
    return i;
  }
  let lt = i;
  while (lt < to && src.charCodeAt(lt) !== 60) lt++;
  if (lt >= to) return -1;
  const j = endTag(src, lt, to, name);
  if (j < 0) return -1;
  TEXT = xmlText(src.slice(i, lt));
  return j;
}
