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
import { cellRef, colNumber } from "../../xlsx/refs.js";
import type { TextStyles } from "../../xlsx/styles.js";
import { encodeXstring, escapeText } from "../../xlsx/escape.js";

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
  /** the cell's text as read, until it is written */
  raw: string | null;
  /** where its start tag's ">" is in raw */
  tagEnd: number;
  /** once written: its attributes and content */
  attrs: Attrs | null;
  inner: string;
}
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
// fifth of the fill of a list form)
function attrsOf(text: string): Attrs {
  const out: Attrs = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    const eq = text.indexOf("=", i);
    if (i >= n || eq < 0) return out;
    const name = text.slice(i, eq).trim();
    let q = eq + 1;
    while (q < n && isSpace(text.charCodeAt(q))) q++;
    const quote = text[q];
    const close = quote === '"' || quote === "'" ? text.indexOf(quote, q + 1) : -1;
    if (close < 0) return out;
    const value = text.slice(q + 1, close);
    out.push([name, quote === "'" ? value.replace(/"/g, "&quot;") : value]);
    i = close + 1;
  }
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
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** The rows of a <sheetData>'s content, or null when it is not plain enough for this path. */
export function readTextRows(inner: string): TextRows | null {
  if (UNUSUAL.test(inner)) return null;
  const rows: TRow[] = [];
  let pos = 0;
  const n = inner.length;
  for (;;) {
    while (pos < n && isSpace(inner.charCodeAt(pos))) pos++;
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
    while (pos < n && isSpace(body.charCodeAt(pos))) pos++;
    if (pos >= n) return cells;
    // <c, then a space, "/" or ">"
    const after = body.charCodeAt(pos + 2);
    if (body.charCodeAt(pos) !== 60 || body.charCodeAt(pos + 1) !== 99 || !(isSpace(after) || after === 47 || after === 62)) return null;
    const tagEnd = body.indexOf(">", pos);
    if (tagEnd < 0) return null;
    const selfClosing = body.charCodeAt(tagEnd - 1) === 47;
    let end = tagEnd + 1;
    if (!selfClosing) {
      const close = body.indexOf("</c>", end);
      if (close < 0 || !plain(body, end, close)) return null;
      end = close + 4;
    }
    const col = refColumn(body, pos + 2, selfClosing ? tagEnd - 1 : tagEnd, row);
    if (col === 0 || (cells.length && col <= cells[cells.length - 1].col)) return null;
    cells.push({ col, raw: body.slice(pos, end), attrs: null, inner: "", tagEnd: tagEnd - pos });
    pos = end;
  }
}

/** The column of a cell's r attribute (in body[from, to)), 0 when it has none or it names another row. */
function refColumn(body: string, from: number, to: number, row: number): number {
  let i = body.indexOf('r="', from);
  // r first, as Excel writes it; else any attribute named r
  if (i !== from + 1 || !isSpace(body.charCodeAt(from))) {
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
  if (body.startsWith("<v>", from)) return body.indexOf("<", from + 3) === to - 4 && body.startsWith("</v>", to - 4);
  if (body.startsWith("<v/>", from)) return to === from + 4;
  return body.startsWith("<is>", from) && body.indexOf("</is>", from) === to - 5;
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
          const s = get(attrsOfCell(c), "s");
          return { col: c.col, raw: null, tagEnd: 0, attrs: s !== undefined ? [["r", ""], ["s", s]] : [["r", ""]], inner: "" };
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
    const i = lowerBound(r.cells, col, (x) => x.col);
    let c = r.cells[i];
    if (!c || c.col !== col) {
      const s = newCellStyle(get(r.attrs, "customFormat"), get(r.attrs, "s"), this.colStyles, col);
      c = { col, raw: null, tagEnd: 0, attrs: s ? [["r", cellRef(row, col)], ["s", s]] : [["r", cellRef(row, col)]], inner: "" };
      r.cells.splice(i, 0, c);
    }
    return { r, c };
  }

  write(row: number, col: number, v: Exclude<PlanCell, null>, ts: TextStyles): void {
    const { c } = this.cell(row, col);
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
  }

  /** A cell's markup in row `row` (its r rewritten when its row moved). */
  private static cellText(c: TCell, row: number, moved: boolean): string {
    if (c.raw !== null && !moved) return c.raw;
    let inner = c.inner;
    if (c.raw !== null) inner = c.raw.charCodeAt(c.tagEnd - 1) === 47 ? "" : c.raw.slice(c.tagEnd + 1, c.raw.length - 4);
    let t = "<c";
    for (const [k, v] of attrsOfCell(c)) t += " " + k + '="' + (k === "r" ? cellRef(row, c.col) : v) + '"';
    return inner === "" ? t + "/>" : t + ">" + inner + "</c>";
  }

  /** The style index of a cell, or undefined when the row has no such cell. */
  style(row: number, col: number): number | undefined {
    const r = this.byRow.get(row);
    if (!r) return undefined;
    const c = r.cells[lowerBound(r.cells, col, (x) => x.col)];
    if (!c || c.col !== col) return undefined;
    const s = get(attrsOfCell(c), "s");
    return Number(s ?? 0);
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
      let s = '<row r="' + r.row + '"';
      for (const [k, v] of r.attrs) if (k !== "spans" && k !== "r") s += " " + k + '="' + v + '"';
      if (!r.cells.length) {
        out.push(s + "/>");
        continue;
      }
      out.push(s + ">");
      const moved = r.row !== r.from;
      for (const c of r.cells) out.push(TextRows.cellText(c, r.row, moved));
      out.push("</row>");
    }
    return out.join("");
  }
}

function attrsOfCell(c: TCell): Attrs {
  if (c.attrs) return c.attrs;
  const raw = c.raw!;
  return attrsOf(raw.slice(2, raw.charCodeAt(c.tagEnd - 1) === 47 ? c.tagEnd - 1 : c.tagEnd));
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
