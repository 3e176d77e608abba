// Row heights for wrapped text the fill writes. Excel does not autofit rows when it opens a
// file, and LibreOffice keeps a row's stored height, so a long task title written into a
// wrapping cell of a default-height row shows (and prints) as overlapping, clipped lines. Nothing
// headless can measure glyphs, so the height is an estimate: the text wrapped word by word with
// average character widths for the cell's font size against the column's width — erring on the
// generous side, since a little air looks fine and a clipped line does not.
//
// The pure estimate (`wrappedLines`, `fittedRowHeight`) is separate from reading the sheet and
// styles XML (`fitWrittenRows`), so that it is unit-tested on numbers.
import { parseArea } from "../../xlsx/refs.js";
import type { RowRec } from "./cells.js";
import { childElements, firstChild, type XmlDocument, type XmlElement } from "../../xlsx/xml.js";

/** One wrapped text cell of a row, as the estimate needs it. */
export interface TextCell {
  text: string;
  /** width of the cell in pixels (the column's, or the columns' of a merge across one row) */
  widthPx: number;
  /** font size in points */
  fontPt: number;
  bold?: boolean;
  /** alignment indent level */
  indent?: number;
}

// Pixels per point at Excel's 96 dpi.
const PX_PER_PT = 96 / 72;
/** Maximum digit width of Calibri 11 (the default font), the unit of OOXML column widths. */
export const MAX_DIGIT_PX = 7;
/** Left + right cell margin and the gridline, in pixels. */
const CELL_PADDING_PX = 5;
/** Width of one indent level, in pixels (Excel: about three characters of the default font). */
const INDENT_PX = 3 * MAX_DIGIT_PX;
/** Line pitch as a multiple of the font size (Times New Roman/Calibri: ~1.15–1.22; a margin on top). */
const LINE_FACTOR = 1.25;
/** Top and bottom padding of a row, in points. */
const ROW_PADDING_PT = 2.25;

/**
 * Average advance of a character as a fraction of the font size (em), by kind. Times New Roman
 * and Calibri lower case average ~0.43 em, capitals ~0.66 em. Slightly high on purpose: Excel on
 * screen hints glyphs wider than a PDF lays them out.
 */
function charEm(ch: string): number {
  let em = EM_CACHE.get(ch);
  if (em === undefined) {
    em = charEmUncached(ch);
    EM_CACHE.set(ch, em);
  }
  return em;
}
// a list form's texts run to hundreds of thousands of characters from a small alphabet: the
// Unicode property tests once per character, not once per occurrence
const EM_CACHE = new Map<string, number>();

function charEmUncached(ch: string): number {
  if (ch === " ") return 0.25;
  if (/\p{M}/u.test(ch)) return 0; // a combining accent (text not in NFC) adds no width
  if (/\p{Lu}/u.test(ch)) return 0.68;
  if (/[\p{Ll}\p{Lo}]/u.test(ch)) return 0.46;
  if (/\p{N}/u.test(ch)) return 0.5;
  return 0.35; // punctuation, symbols
}

/** The summed character widths (em) of a word; words recur a lot across a list's titles. */
function wordEm(s: string): number {
  let n = WORD_CACHE.get(s);
  if (n === undefined) {
    n = 0;
    for (const ch of s) n += charEm(ch);
    if (WORD_CACHE.size > 50_000) WORD_CACHE.clear();
    WORD_CACHE.set(s, n);
  }
  return n;
}
const WORD_CACHE = new Map<string, number>();

/** Pixel width of a column of OOXML width `width` (characters of the maximum digit width). */
export function columnPx(width: number): number {
  return Math.max(0, Math.floor(width * MAX_DIGIT_PX));
}

/** Lines a wrapped text takes in its cell: greedy word wrap, a word too long for a line broken. */
export function wrappedLines(c: TextCell): number {
  const em = c.fontPt * PX_PER_PT * (c.bold ? 1.08 : 1);
  const avail = Math.max(em, c.widthPx - CELL_PADDING_PX - (c.indent ?? 0) * INDENT_PX);
  const w = (s: string): number => wordEm(s) * em;
  const space = w(" ");
  let lines = 0;
  // (most texts are one line: no replace and split for them)
  const text = c.text.indexOf("\r") < 0 ? c.text : c.text.replace(/\r\n?/g, "\n");
  for (const para of text.indexOf("\n") < 0 ? [text] : text.split("\n")) {
    lines++;
    let used = 0;
    for (const word of para.split(/ +/)) {
      if (word === "") continue;
      const ww = w(word);
      if (used > 0 && used + space + ww <= avail) {
        used += space + ww;
        continue;
      }
      if (used > 0) lines++;
      // a word wider than the cell wraps inside itself
      const extra = Math.max(0, Math.ceil(ww / avail) - 1);
      lines += extra;
      used = ww - extra * avail;
    }
  }
  return Math.max(1, lines);
}

/**
 * The height (points) a row needs for its wrapped texts, or null when its current height is
 * enough: a row is never made lower (staff may have made it taller), and a single line fits the
 * height the row has.
 */
export function fittedRowHeight(cells: readonly TextCell[], currentPt: number): number | null {
  let need = 0;
  for (const c of cells) {
    const lines = wrappedLines(c);
    if (lines < 2) continue;
    need = Math.max(need, lines * c.fontPt * LINE_FACTOR + ROW_PADDING_PT);
  }
  if (need === 0) return null;
  // Excel stores heights in whole pixels (0.75 pt at 96 dpi)
  const h = Math.ceil(need / 0.75) * 0.75;
  return h > currentPt ? Math.min(h, 409) : null;
}

// ---------------------------------------------------------------------------------------------
// Reading what the estimate needs from the sheet and styles.xml.

export interface CellLook {
  wrap: boolean;
  fontPt: number;
  bold: boolean;
  indent: number;
}

/** Font size, weight, wrap and indent of each cellXfs index (read as asked: xfs may be added). */
export function cellLooks(styles: XmlDocument | null): (styleIndex: number) => CellLook {
  const memo = new Map<number, CellLook>();
  const on = (v: string | undefined) => v === "1" || v === "true";
  return (i) => {
    const hit = memo.get(i);
    if (hit) return hit;
    const fontsEl = styles && firstChild(styles.root, "fonts");
    const fonts = fontsEl ? childElements(fontsEl, "font") : [];
    const xfsEl = styles && firstChild(styles.root, "cellXfs");
    const xf = xfsEl ? childElements(xfsEl, "xf")[i] : undefined;
    const font = fonts[Number(xf?.attrs.get("fontId") ?? 0)] ?? fonts[0];
    const sz = Number(font && firstChild(font, "sz")?.attrs.get("val"));
    const b = font && firstChild(font, "b");
    const al = xf && firstChild(xf, "alignment");
    const look: CellLook = {
      wrap: on(al?.attrs.get("wrapText")),
      fontPt: Number.isFinite(sz) && sz > 0 ? sz : 11,
      bold: b !== undefined && b.attrs.get("val") !== "0" && b.attrs.get("val") !== "false",
      indent: Number(al?.attrs.get("indent") ?? 0) || 0,
    };
    memo.set(i, look);
    return look;
  };
}

/** How the estimate reads and sets a sheet's rows, whether they are a tree or text. */
export interface RowAccess {
  /** the style index of a cell, undefined when there is no such cell */
  style(row: number, col: number): number | undefined;
  /** a row's ht attribute as a number (NaN when it has none) */
  height(row: number): number;
  setHeight(row: number, ht: number): void;
}

/** RowAccess over rows read into a tree. */
export function treeRows(rows: readonly RowRec[]): RowAccess {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  return {
    style(row, col) {
      const cell = byRow.get(row)?.cells.find((c) => c.col === col);
      return cell ? Number(cell.el.attrs.get("s") ?? 0) : undefined;
    },
    height: (row) => Number(byRow.get(row)?.el.attrs.get("ht")),
    setHeight(row, ht) {
      const r = byRow.get(row);
      if (!r) return;
      r.el.attrs.set("ht", String(ht));
      r.el.attrs.set("customHeight", "1");
    },
  };
}

/**
 * Give the rows the plan wrote texts into the height their wrapped texts need (`ht` with
 * `customHeight="1"`, since Excel would otherwise keep showing its default height). `written`
 * are the text cells the plan wrote, in the sheet's final coordinates. Returns the rows changed.
 */
export function fitWrittenRows(
  root: XmlElement,
  rows: readonly RowRec[] | RowAccess,
  written: readonly { row: number; col: number; text: string }[],
  look: (styleIndex: number) => CellLook,
): number[] {
  if (written.length === 0) return [];
  const access = Array.isArray(rows) ? treeRows(rows) : (rows as RowAccess);
  // column widths in pixels: <cols>, else the sheet's default width
  const fmt = firstChild(root, "sheetFormatPr");
  const defaultWidth = Number(fmt?.attrs.get("defaultColWidth"));
  const baseWidth = Number(fmt?.attrs.get("baseColWidth") ?? 8);
  const defaultPx = Number.isFinite(defaultWidth) && defaultWidth > 0 ? columnPx(defaultWidth) : Math.floor(baseWidth * MAX_DIGIT_PX + CELL_PADDING_PX);
  const defaultHt = Number(fmt?.attrs.get("defaultRowHeight")) || 15;
  const cols: { min: number; max: number; px: number }[] = [];
  const colsEl = firstChild(root, "cols");
  if (colsEl)
    for (const c of childElements(colsEl, "col")) {
      const hidden = c.attrs.get("hidden") === "1" || c.attrs.get("hidden") === "true";
      const w = Number(c.attrs.get("width"));
      cols.push({ min: Number(c.attrs.get("min")), max: Number(c.attrs.get("max")), px: hidden ? 0 : Number.isFinite(w) ? columnPx(w) : defaultPx });
    }
  const pxOf = new Map<number, number>();
  const colPx = (c: number): number => {
    let px = pxOf.get(c);
    if (px === undefined) pxOf.set(c, (px = cols.find((x) => c >= x.min && c <= x.max)?.px ?? defaultPx));
    return px;
  };
  // merges: a cell inside one but not its top-left is hidden; one spanning rows shares its height
  const merges: { r1: number; c1: number; r2: number; c2: number }[] = [];
  const mc = firstChild(root, "mergeCells");
  if (mc)
    for (const m of childElements(mc, "mergeCell")) {
      const a = parseArea(m.attrs.get("ref") ?? "");
      if (a && a.kind === "range") merges.push(a);
    }

  // the rows merges reach (a list's thousands of body rows lie below the header's merges)
  let mergeTop = Infinity;
  let mergeBottom = -Infinity;
  for (const m of merges) {
    mergeTop = Math.min(mergeTop, m.r1);
    mergeBottom = Math.max(mergeBottom, m.r2);
  }
  const texts = new Map<number, TextCell[]>();
  for (const w of written) {
    const style = access.style(w.row, w.col);
    if (style === undefined) continue;
    const lk = look(style);
    if (!lk.wrap) continue;
    const m = w.row < mergeTop || w.row > mergeBottom ? undefined : merges.find((x) => w.row >= x.r1 && w.row <= x.r2 && w.col >= x.c1 && w.col <= x.c2);
    if (m && (m.r1 !== m.r2 || m.r1 !== w.row || m.c1 !== w.col)) continue;
    let px = 0;
    for (let c = w.col; c <= (m ? m.c2 : w.col); c++) px += colPx(c);
    if (px === 0) continue; // a hidden column shows nothing
    const list = texts.get(w.row) ?? [];
    list.push({ text: w.text, widthPx: px, fontPt: lk.fontPt, bold: lk.bold, indent: lk.indent });
    texts.set(w.row, list);
  }

  const changed: number[] = [];
  for (const [row, cells] of texts) {
    const ht = access.height(row);
    const current = Number.isFinite(ht) && ht > 0 ? ht : defaultHt;
    const h = fittedRowHeight(cells, current);
    if (h === null) continue;
    access.setHeight(row, h);
    changed.push(row);
  }
  return changed.sort((a, b) => a - b);
}
