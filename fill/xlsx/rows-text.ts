// A form sheet's <sheetData> filled as text. A list form of thousands of rows is most of a
// workbook's bytes; built into a tree (an element and an attribute map per cell), written into
// and serialised again, it took half of a refill. Here the rows are read as strings: rows are
// deleted and inserted as the tree would (later rows renumbered on the way out), a cell the plan
// writes gets new markup, every other cell keeps its text. The few rows that hold formulas (a
// total row's SUMs) are handed to the tree's formula code and come back as text.
//
// Anything out of the ordinary — comments, CDATA, prefixed elements, extensions, rows or cells
// without their r, rows or cells out of order, a cell holding more than its value or formula —
// returns null, and the caller fills the sheet through the tree (apply.ts), which handles every
// case. The two are checked against each other (test/fill/xlsx/rows-text.test.ts).
import type { PlanCell, RowOp } from "../engine/types.js";
import { cellRef, colLetters, colNumber, digitsValue } from "../../xlsx/refs.js";
import type { TextStyles } from "../../xlsx/styles.js";
import { encodeXstring, escapeText } from "../../xlsx/escape.js";
import { isWs } from "../../xlsx/fastxml.js";

/** What a written value puts in its cell: the same markup the tree path serialises to. */
export interface CellValue {
  /** the cell's content (<v>, <is> or <f>), "" for none */
  inner: string;
  /** t="inlineStr" */
  inlineStr: boolean;
  /** the cell's new style index (a text variant), or null to keep it */
  style: number | null;
  /** a text that reads as a number */
  numericText: boolean;
}

const NUMERIC_TEXT = /^\s*[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?\s*$/;

/** A number as OOXML stores it: shortest round-trip decimal, exponent in capitals. */
export function formatNumber(n: number): string {
  if (Object.is(n, -0)) return "0";
  return String(n).replace("e", "E");
}

/** The markup of a text value, as an inline string. */
export function inlineString(s: string): string {
  const text = encodeXstring(s);
  const open = /^\s|\s$|\n/.test(text) ? '<t xml:space="preserve"' : "<t";
  return text === "" ? "<is>" + open + "/></is>" : "<is>" + open + ">" + escapeText(text) + "</t></is>";
}

/** A plan value in a cell of style `style`. A non-finite number is written as blank. */
export function cellValue(v: Exclude<PlanCell, null>, style: number, ts: TextStyles): CellValue {
  if ("n" in v) return { inner: Number.isFinite(v.n) ? "<v>" + formatNumber(v.n) + "</v>" : "", inlineStr: false, style: null, numericText: false };
  if ("s" in v) return { inner: inlineString(v.s), inlineStr: true, style: ts.textVariant(style), numericText: NUMERIC_TEXT.test(v.s) };
  if ("f" in v) return { inner: "<f>" + escapeText(v.f.startsWith("=") ? v.f.slice(1) : v.f) + "</f>", inlineStr: false, style: null, numericText: false };
  return { inner: "", inlineStr: false, style: null, numericText: false };
}

/** A <cols> entry's style: the style of a new cell in those columns when its row has none. */
export interface ColumnStyle {
  min: number;
  max: number;
  s: string;
}

/**
 * The style a cell the fill adds gets, as Excel gives one: its row's (a row with customFormat),
 * else its column's; undefined for the default.
 */
export function newCellStyle(customFormat: string | undefined, rowStyle: string | undefined, columns: readonly ColumnStyle[], col: number): string | undefined {
  const s = (customFormat === "1" || customFormat === "true" ? rowStyle : undefined) ?? columns.find((x) => col >= x.min && col <= x.max)?.s;
  return s && s !== "0" ? s : undefined;
}

type Attrs = [name: string, value: string][]; // values as escaped in the XML, in double quotes

interface TCell {
  col: number;
  /** the cell's text as read; its attributes are the cell's until `attrs` is set */
  raw: string | null;
  /** where its start tag's ">" is in raw */
  tagEnd: number;
  /** once written through the general path: its attributes (raw is then null) */
  attrs: Attrs | null;
  /** the cell's content once written */
  inner: string;
  /**
   * A cell written over its raw text (the common case, kept without an attribute list per cell):
   * NOT_WRITTEN, or what became of raw's s — KEEP_STYLE, 0 (dropped) or the new index. Raw's t, cm
   * and vm are dropped and t="inlineStr" is added when `inline`, as `write` does to a list.
   */
  written: number;
  inline: boolean;
  /** the style index of a cell written over raw (what `style` answers) */
  styleIndex: number;
  /** a cell written over raw: its attributes before and after r, as they are written out */
  pre: string;
  post: string;
}
const NOT_WRITTEN = -2;
const KEEP_STYLE = -1;
interface TRow {
  row: number;
  /** the row's number as read (its cells' r say it until they are written out) */
  from: number;
  attrs: Attrs;
  cells: TCell[];
  /** a row with formulas, as read: its cells come back through replaceRow */
  formulas?: string;
}

const ROW_OPEN = /<row\b([^>]*?)(\/?)>/y;
const CELL_REF = /(?:^|\s)r\s*=\s*["']([A-Z]{1,3})(\d+)["']/;
const FORMULA = /<f[\s>/]/;
// a cell's content from the tree: its formula and value
const TREE_INNER = /^(?:<f[\s>/].*?(?:<\/f>|\/>))?(?:<v>[^<]*<\/v>|<v\/>|<is>.*<\/is>)?$/s;
// what sends a sheet to the tree: comments, CDATA, PIs, prefixed elements, extensions
const UNUSUAL = /<!|<\?|<\/?[\w.-]+:|<extLst/;

// by hand: every written cell's start tag is read (a regular expression's matchAll took a
// fifth of the fill of a list form). The attributes of text[from, to) are left in SPANS as
// offsets (name start and end, value start and end, quote) — a hundred thousand cells are read
// without a string or an array made per attribute; attrsOf makes the list from the same spans.
const SPAN = 5;
let SPANS = new Int32Array(SPAN * 16);
function scanAttrs(text: string, from: number, to: number): number {
  let count = 0;
  let i = from;
  for (;;) {
    while (i < to && isWs(text.charCodeAt(i))) i++;
    // by hand, not indexOf: a name or value is a few characters, and a call costs more than them
    let eq = i;
    while (eq < to && text.charCodeAt(eq) !== 61 /* = */) eq++;
    if (eq >= to) return count;
    // the name is what lies before "=", trimmed as String.prototype.trim does
    let ns = i;
    let ne = eq;
    while (ns < ne && isTrimmed(text.charCodeAt(ns))) ns++;
    while (ne > ns && isTrimmed(text.charCodeAt(ne - 1))) ne--;
    let q = eq + 1;
    while (q < to && isWs(text.charCodeAt(q))) q++;
    const quote = q < to ? text.charCodeAt(q) : 0;
    if (quote !== 34 && quote !== 39) return count;
    let close = q + 1;
    while (close < to && text.charCodeAt(close) !== quote) close++;
    if (close >= to) return count;
    if ((count + 1) * SPAN > SPANS.length) {
      const more = new Int32Array(SPANS.length * 2);
      more.set(SPANS);
      SPANS = more;
    }
    const k = count * SPAN;
    SPANS[k] = ns;
    SPANS[k + 1] = ne;
    SPANS[k + 2] = q + 1;
    SPANS[k + 3] = close;
    SPANS[k + 4] = quote;
    count++;
    i = close + 1;
  }
}
/** String.prototype.trim's white space and line terminators. */
function isTrimmed(c: number): boolean {
  return (
    (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
/** Attribute `k`'s value as written in double quotes (a single-quoted one's " made &quot;). */
function spanValue(text: string, k: number): string {
  const value = text.slice(SPANS[k * SPAN + 2], SPANS[k * SPAN + 3]);
  return SPANS[k * SPAN + 4] === 39 ? value.replace(/"/g, "&quot;") : value;
}
/** Is attribute `k`'s name `name` (of one or two ASCII letters)? */
function spanIs(text: string, k: number, name: string): boolean {
  const ns = SPANS[k * SPAN];
  const len = SPANS[k * SPAN + 1] - ns;
  if (len !== name.length) return false;
  for (let j = 0; j < len; j++) if (text.charCodeAt(ns + j) !== name.charCodeAt(j)) return false;
  return true;
}
function attrsOf(text: string, from = 0, to = text.length): Attrs {
  const count = scanAttrs(text, from, to);
  const out: Attrs = [];
  for (let k = 0; k < count; k++) out.push([text.slice(SPANS[k * SPAN], SPANS[k * SPAN + 1]), spanValue(text, k)]);
  return out;
}
const get = (a: Attrs, name: string): string | undefined => a.find((x) => x[0] === name)?.[1];
function set(a: Attrs, name: string, value: string): void {
  const i = a.findIndex((x) => x[0] === name);
  if (i >= 0) a[i][1] = value;
  else a.push([name, value]);
}
function drop(a: Attrs, ...names: string[]): Attrs {
  return a.filter((x) => !names.includes(x[0]));
}

/** The rows of a <sheetData>'s content, or null when it is not plain enough for this path. */
export function readTextRows(inner: string): TextRows | null {
  if (UNUSUAL.test(inner)) return null;
  const rows: TRow[] = [];
  let pos = 0;
  const n = inner.length;
  for (;;) {
    while (pos < n && isWs(inner.charCodeAt(pos))) pos++;
    if (pos >= n) break;
    ROW_OPEN.lastIndex = pos;
    const m = ROW_OPEN.exec(inner);
    if (!m) return null;
    pos = ROW_OPEN.lastIndex;
    let body = "";
    if (m[2] !== "/") {
      const end = inner.indexOf("</row>", pos);
      if (end < 0) return null;
      body = inner.slice(pos, end);
      pos = end + 6;
    }
    const attrs = attrsOf(m[1]);
    const r = Number(get(attrs, "r"));
    if (!Number.isInteger(r) || r < 1 || (rows.length && r <= rows[rows.length - 1].row)) return null;
    if (FORMULA.test(body)) {
      rows.push({ row: r, from: r, attrs, cells: [], formulas: m[0] + body + (m[2] === "/" ? "" : "</row>") });
      continue;
    }
    const cells = readCells(body, r, plainValue);
    if (!cells) return null;
    rows.push({ row: r, from: r, attrs, cells });
  }
  return new TextRows(rows);
}

// by hand, not one regular expression per cell: a list form has a hundred thousand of them
function readCells(body: string, row: number, plain: (body: string, from: number, to: number) => boolean): TCell[] | null {
  const cells: TCell[] = [];
  let pos = 0;
  const n = body.length;
  for (;;) {
    while (pos < n && isWs(body.charCodeAt(pos))) pos++;
    if (pos >= n) return cells;
    // <c, then a space, "/" or ">"
    const after = body.charCodeAt(pos + 2);
    if (body.charCodeAt(pos) !== 60 || body.charCodeAt(pos + 1) !== 99 || !(isWs(after) || after === 47 || after === 62)) return null;
    // by hand, not indexOf: a cell is a few dozen characters, and a call costs more than them
    let tagEnd = pos;
    while (tagEnd < n && body.charCodeAt(tagEnd) !== 62 /* > */) tagEnd++;
    if (tagEnd >= n) return null;
    const selfClosing = body.charCodeAt(tagEnd - 1) === 47;
    let end = tagEnd + 1;
    if (!selfClosing) {
      const close = cellClose(body, end, n);
      if (close < 0 || !plain(body, end, close)) return null;
      end = close + 4;
    }
    const col = refColumn(body, pos + 2, selfClosing ? tagEnd - 1 : tagEnd, row);
    if (col === 0 || (cells.length && col <= cells[cells.length - 1].col)) return null;
    cells.push({ col, raw: body.slice(pos, end), attrs: null, inner: "", tagEnd: tagEnd - pos, written: NOT_WRITTEN, inline: false, styleIndex: 0, pre: "", post: "" });
    pos = end;
  }
}

/** Where the first "</c>" at or after `from` starts (body.indexOf("</c>", from)), -1 when none does. */
function cellClose(body: string, from: number, n: number): number {
  for (let i = from; i + 3 < n; i++) {
    if (body.charCodeAt(i) === 60 && body.charCodeAt(i + 1) === 47 && body.charCodeAt(i + 2) === 99 && body.charCodeAt(i + 3) === 62) return i;
  }
  return -1;
}

/** The column of a cell's r attribute (in body[from, to)), 0 when it has none or it names another row. */
function refColumn(body: string, from: number, to: number, row: number): number {
  // r first, as Excel writes it (a white space, then r="); else any attribute named r
  let i = from + 1;
  if (!isWs(body.charCodeAt(from)) || body.charCodeAt(i) !== 114 || body.charCodeAt(i + 1) !== 61 || body.charCodeAt(i + 2) !== 34) {
    const m = CELL_REF.exec(body.slice(from, to));
    return m && Number(m[2]) === row ? colNumber(m[1]) : 0;
  }
  i += 3;
  let col = 0;
  for (let c = body.charCodeAt(i); c >= 65 && c <= 90; c = body.charCodeAt(++i)) col = col * 26 + (c - 64);
  let r = 0;
  for (let c = body.charCodeAt(i); c >= 48 && c <= 57; c = body.charCodeAt(++i)) r = r * 10 + (c - 48);
  return body.charCodeAt(i) === 34 && r === row && col > 0 && col <= 16_384 ? col : 0;
}

/** A cell's content this path rewrites or keeps: its value only, <v> or <is>. */
function plainValue(body: string, from: number, to: number): boolean {
  if (from === to) return true;
  if (body.startsWith("<v>", from)) {
    // the first "<" after <v> is its end tag's, right before </c> (by hand, as readCells)
    let lt = from + 3;
    while (lt < to && body.charCodeAt(lt) !== 60) lt++;
    return lt === to - 4 && body.startsWith("</v>", to - 4);
  }
  if (body.startsWith("<v/>", from)) return to === from + 4;
  if (!body.startsWith("<is>", from)) return false;
  // the first "</is>" is right before </c>
  for (let i = from; i <= to - 5; i++) if (body.charCodeAt(i) === 60 && body.startsWith("</is>", i)) return i === to - 5;
  return false;
}
const fromTree = (body: string, from: number, to: number): boolean => TREE_INNER.test(body.slice(from, to));

/** Rows as text, written cell by cell like apply.ts's SheetGrid. */
export class TextRows {
  /** cells given a text that reads as a number */
  readonly numericTexts: string[] = [];
  private readonly byRow = new Map<number, TRow>();
  private colStyles: readonly ColumnStyle[] = [];

  constructor(private readonly rows: TRow[]) {
    for (const r of rows) this.byRow.set(r.row, r);
  }

  /** The rows that hold formulas, as read (each a <row> element). */
  formulaRows(): string[] {
    return this.rows.filter((r) => r.formulas !== undefined).map((r) => r.formulas!);
  }

  /**
   * A row with formulas back from the tree (serialised, formulas moved, stale results gone).
   * False when it is not one of them or not plain enough.
   */
  replaceRow(text: string): boolean {
    ROW_OPEN.lastIndex = 0;
    const m = ROW_OPEN.exec(text);
    if (!m) return false;
    const attrs = attrsOf(m[1]);
    const r = this.byRow.get(Number(get(attrs, "r")));
    const close = m[2] === "/" ? text.length : text.lastIndexOf("</row>");
    const cells = r?.formulas !== undefined && close >= m[0].length ? readCells(text.slice(m[0].length, close), r.row, fromTree) : null;
    if (!r || !cells) return false;
    r.attrs = attrs;
    r.cells = cells;
    delete r.formulas;
    return true;
  }

  /**
   * Rows deleted and inserted as apply.ts's applyRowOp does: later rows renumbered, an inserted
   * row a copy of its model row's attributes and cell styles, with no values.
   */
  applyOp(op: RowOp): void {
    if (op.op === "delete") {
      const end = op.at + op.count - 1;
      const kept = this.rows.filter((r) => r.row < op.at || r.row > end);
      for (const r of kept) if (r.row > end) r.row -= op.count;
      this.rows.splice(0, this.rows.length, ...kept);
    } else {
      const src = this.byRow.get(op.formatFrom);
      for (const r of this.rows) if (r.row >= op.at) r.row += op.count;
      for (let k = 0; k < op.count; k++) {
        const row = op.at + k;
        const cells: TCell[] = (src?.cells ?? []).map((c) => {
          const s = styleOf(c);
          return { col: c.col, raw: null, tagEnd: 0, attrs: s !== undefined ? [["r", ""], ["s", s]] : [["r", ""]], inner: "", written: NOT_WRITTEN, inline: false, styleIndex: 0, pre: "", post: "" };
        });
        // the pairs copied too: setHeight on the new row must not change its model's
        this.rows.push({ row, from: row, attrs: src ? drop(src.attrs, "spans", "hidden", "collapsed").map(([a, v]) => [a, v]) : [], cells });
      }
      this.rows.sort((a, b) => a.row - b.row);
    }
    this.byRow.clear();
    for (const r of this.rows) this.byRow.set(r.row, r);
  }

  /** The style of new cells in a column without a row style (<cols>' style attributes). */
  setColumnStyles(styles: readonly ColumnStyle[]): void {
    this.colStyles = styles;
  }

  private cell(row: number, col: number): { r: TRow; c: TCell } {
    let r = this.byRow.get(row);
    if (!r) {
      r = { row, from: row, attrs: [["r", String(row)]], cells: [] };
      this.byRow.set(row, r);
      this.rows.splice(lowerBound(this.rows, row + 1, (x) => x.row), 0, r);
    }
    const i = lowerBoundCol(r.cells, col);
    let c = r.cells[i];
    if (!c || c.col !== col) {
      const s = newCellStyle(get(r.attrs, "customFormat"), get(r.attrs, "s"), this.colStyles, col);
      c = { col, raw: null, tagEnd: 0, attrs: s ? [["r", cellRef(row, col)], ["s", s]] : [["r", cellRef(row, col)]], inner: "", written: NOT_WRITTEN, inline: false, styleIndex: 0, pre: "", post: "" };
      r.cells.splice(i, 0, c);
    }
    return { r, c };
  }

  write(row: number, col: number, v: Exclude<PlanCell, null>, ts: TextStyles): void {
    const { c } = this.cell(row, col);
    if (c.raw !== null && c.written === NOT_WRITTEN) {
      const done = writeOverRaw(c, v, ts);
      if (done === NUMERIC_TEXT_WRITTEN) this.numericTexts.push(cellRef(row, col));
      if (done !== 0) return;
    }
    let attrs = drop(attrsOfCell(c), "t", "cm", "vm");
    const w = cellValue(v, Number(get(attrs, "s") ?? 0), ts);
    if (w.numericText) this.numericTexts.push(cellRef(row, col));
    if (w.inlineStr) attrs.push(["t", "inlineStr"]);
    if (w.style !== null) {
      if (w.style === 0) attrs = drop(attrs, "s");
      else set(attrs, "s", String(w.style));
    }
    c.attrs = attrs;
    c.inner = w.inner;
    c.raw = null;
    c.written = NOT_WRITTEN;
  }

  /**
   * A cell's markup in row `row` (its r rewritten when its row moved), in pieces onto `out`:
   * `rowText` is String(row). The pieces are joined once for the whole sheet.
   */
  private static cellText(out: string[], c: TCell, rowText: string, moved: boolean): void {
    const raw = c.raw;
    if (raw !== null && !moved && c.written === NOT_WRITTEN) {
      out.push(raw);
      return;
    }
    const letters = letterOf(c.col);
    if (raw !== null && c.written !== NOT_WRITTEN) {
      if (c.pre === "") out.push('<c r="', letters, rowText, '"');
      else out.push("<c", c.pre, ' r="', letters, rowText, '"');
      if (c.post !== "") out.push(c.post);
      if (c.inner === "") out.push("/>");
      else out.push(">", c.inner, "</c>");
      return;
    }
    if (raw === null) {
      out.push("<c");
      for (const [k, v] of c.attrs!) {
        if (k === "r") out.push(' r="', letters, rowText, '"');
        else out.push(" ", k, '="', v, '"');
      }
      if (c.inner === "") out.push("/>");
      else out.push(">", c.inner, "</c>");
      return;
    }
    // a cell as read in a row that moved: its attributes as they are, r rewritten
    const selfClosing = raw.charCodeAt(c.tagEnd - 1) === 47;
    const count = scanAttrs(raw, 2, selfClosing ? c.tagEnd - 1 : c.tagEnd);
    out.push("<c");
    for (let k = 0; k < count; k++) {
      if (spanIs(raw, k, "r")) out.push(' r="', letters, rowText, '"');
      else out.push(" ", raw.slice(SPANS[k * SPAN], SPANS[k * SPAN + 1]), '="', spanValue(raw, k), '"');
    }
    const inner = selfClosing ? "" : raw.slice(c.tagEnd + 1, raw.length - 4);
    if (inner === "") out.push("/>");
    else out.push(">", inner, "</c>");
  }

  /** The style index of a cell, or undefined when the row has no such cell. */
  style(row: number, col: number): number | undefined {
    const r = this.byRow.get(row);
    if (!r) return undefined;
    const c = r.cells[lowerBoundCol(r.cells, col)];
    if (!c || c.col !== col) return undefined;
    if (c.written !== NOT_WRITTEN) return c.styleIndex;
    return Number(styleOf(c) ?? 0);
  }

  /** A row's ht attribute as a number (NaN when it has none). */
  height(row: number): number {
    const r = this.byRow.get(row);
    return r ? Number(get(r.attrs, "ht")) : NaN;
  }

  setHeight(row: number, ht: number): void {
    const r = this.byRow.get(row);
    if (!r) return;
    set(r.attrs, "ht", String(ht));
    set(r.attrs, "customHeight", "1");
  }

  /** The rows and columns the cells span, or null when there is none. */
  bounds(): { r1: number; c1: number; r2: number; c2: number } | null {
    let r1 = Infinity, r2 = 0, c1 = Infinity, c2 = 0;
    for (const r of this.rows) {
      if (!r.cells.length) continue;
      r1 = Math.min(r1, r.row);
      r2 = Math.max(r2, r.row);
      c1 = Math.min(c1, r.cells[0].col);
      c2 = Math.max(c2, r.cells[r.cells.length - 1].col);
    }
    return r2 === 0 ? null : { r1, c1, r2, c2 };
  }

  /** The <sheetData> content; rows lose their spans (written cells may fall outside them). */
  text(): string {
    // one array of pieces joined once: concatenating per row made ropes the join then flattened
    const out: string[] = [];
    for (const r of this.rows) {
      const rowText = String(r.row);
      out.push('<row r="', rowText, '"');
      for (const [k, v] of r.attrs) if (k !== "spans" && k !== "r") out.push(" ", k, '="', v, '"');
      if (!r.cells.length) {
        out.push("/>");
        continue;
      }
      out.push(">");
      const moved = r.row !== r.from;
      for (const c of r.cells) TextRows.cellText(out, c, rowText, moved);
      out.push("</row>");
    }
    return out.join("");
  }
}

/** A cell's attributes as a list (a cell written over raw: as `write` would have left the list). */
function attrsOfCell(c: TCell): Attrs {
  if (c.attrs) return c.attrs;
  const raw = c.raw!;
  const attrs = attrsOf(raw, 2, raw.charCodeAt(c.tagEnd - 1) === 47 ? c.tagEnd - 1 : c.tagEnd);
  if (c.written === NOT_WRITTEN) return attrs;
  let out = drop(attrs, "t", "cm", "vm");
  if (c.inline) out.push(["t", "inlineStr"]);
  if (c.written === 0) out = drop(out, "s");
  else if (c.written > 0) set(out, "s", String(c.written));
  return out;
}

/**
 * `write` on a cell as read, without making its attribute list: raw's attributes serialised
 * around its r as the list would be (t, cm, vm dropped, s as the value says, t="inlineStr" last),
 * into c.pre and c.post. 0 (nothing done) when raw has no r or more than one: the list does it;
 * else WRITTEN, or NUMERIC_TEXT_WRITTEN for a text that reads as a number.
 */
function writeOverRaw(c: TCell, v: Exclude<PlanCell, null>, ts: TextStyles): number {
  const raw = c.raw!;
  const count = scanAttrs(raw, 2, raw.charCodeAt(c.tagEnd - 1) === 47 ? c.tagEnd - 1 : c.tagEnd);
  let rAt = -1;
  let sAt = -1;
  for (let k = 0; k < count; k++) {
    if (spanIs(raw, k, "r")) {
      if (rAt >= 0) return 0;
      rAt = k;
    } else if (sAt < 0 && spanIs(raw, k, "s")) sAt = k;
  }
  if (rAt < 0) return 0;
  const sNum = sAt < 0 ? 0 : spanNumber(raw, sAt);
  const w = cellValue(v, sNum, ts);
  const style = w.style; // null: s kept, 0: every s dropped, else the first s takes it
  // the spans are still raw's: cellValue reads no attributes
  let pre = "";
  let post = "";
  let sSeen = false;
  let onlyStyle = -1; // post is styleAttr(onlyStyle) alone so far
  for (let k = 0; k < count; k++) {
    if (k === rAt) continue;
    let piece: string;
    let pieceStyle = -1;
    if (spanIs(raw, k, "t") || spanIs(raw, k, "cm") || spanIs(raw, k, "vm")) continue;
    if (spanIs(raw, k, "s") && style !== null) {
      if (style === 0) continue;
      if (!sSeen) {
        sSeen = true;
        piece = styleAttr(style);
        pieceStyle = style;
      } else piece = keptAttr(raw, k);
    } else if (spanIs(raw, k, "s")) {
      piece = keptAttr(raw, k);
      pieceStyle = canonicalIndex(raw, k);
    } else piece = " " + raw.slice(SPANS[k * SPAN], SPANS[k * SPAN + 1]) + '="' + spanValue(raw, k) + '"';
    if (k < rAt) pre += piece;
    else {
      onlyStyle = post === "" ? pieceStyle : -1;
      post += piece;
    }
  }
  if (w.inlineStr) post = onlyStyle >= 0 ? inlineAttr(onlyStyle) : post + ' t="inlineStr"';
  if (style !== null && style > 0 && !sSeen) post += styleAttr(style);
  c.pre = pre;
  c.post = post;
  c.inner = w.inner;
  c.inline = w.inlineStr;
  c.written = style === null ? KEEP_STYLE : style;
  c.styleIndex = style === null ? sNum : style;
  return w.numericText ? NUMERIC_TEXT_WRITTEN : WRITTEN;
}
const WRITTEN = 1;
const NUMERIC_TEXT_WRITTEN = 2;

/** An attribute kept as it is, written out (' s="14"'). */
function keptAttr(raw: string, k: number): string {
  const i = canonicalIndex(raw, k);
  return i >= 0 ? styleAttr(i) : " " + raw.slice(SPANS[k * SPAN], SPANS[k * SPAN + 1]) + '="' + spanValue(raw, k) + '"';
}

/** An s attribute whose value is written as String(n) of an index n < 10⁶ (its name is "s"): n; else -1. */
function canonicalIndex(raw: string, k: number): number {
  const from = SPANS[k * SPAN + 2];
  const to = SPANS[k * SPAN + 3];
  if (to - from < 1 || to - from > 6 || (to - from > 1 && raw.charCodeAt(from) === 48)) return -1;
  return digitsValue(raw, from, to);
}

/** Number() of attribute k's value, without making the string when it is plain digits. */
function spanNumber(raw: string, k: number): number {
  const n = canonicalIndex(raw, k);
  return n >= 0 ? n : Number(spanValue(raw, k));
}

/** The value of a cell's first s attribute (undefined when it has none). */
function styleOf(c: TCell): string | undefined {
  if (c.attrs || c.written !== NOT_WRITTEN) return get(attrsOfCell(c), "s");
  const raw = c.raw!;
  const count = scanAttrs(raw, 2, raw.charCodeAt(c.tagEnd - 1) === 47 ? c.tagEnd - 1 : c.tagEnd);
  for (let k = 0; k < count; k++) if (spanIs(raw, k, "s")) return spanValue(raw, k);
  return undefined;
}

// ' s="14"' (and ' s="14" t="inlineStr"') for the style indexes written, once each
const STYLE_ATTRS: string[] = [];
const styleAttr = (i: number): string => (STYLE_ATTRS[i] ??= ' s="' + i + '"');
const INLINE_ATTRS: string[] = [];
const inlineAttr = (i: number): string => (INLINE_ATTRS[i] ??= ' s="' + i + '" t="inlineStr"');
// column letters, once each
const LETTERS: string[] = [];
const letterOf = (col: number): string => (LETTERS[col] ??= colLetters(col));

function lowerBoundCol(a: readonly TCell[], col: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid].col < col) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose item's key is not below `key`: where `key` goes in `a`. */
function lowerBound<T>(a: readonly T[], key: number, of: (x: T) => number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (of(a[mid]) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a sheet's <sheetData> content lies, when it is written plainly (no prefix, not empty-tagged). */
export function sheetDataSpan(xml: string): { start: number; end: number } | null {
  const open = /<sheetData\b[^>]*?(\/?)>/.exec(xml);
  if (!open || open[1] === "/") return null;
  const start = open.index + open[0].length;
  const end = xml.indexOf("</sheetData>", start);
  if (end < 0 || xml.indexOf("<sheetData", start) >= 0) return null;
  return { start, end };
}
