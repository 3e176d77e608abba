// The purpose-built scanner of worksheet XML: the ETL's hot path (millions of cells). A generic
// SAX parser builds an event and an attribute object for every tag; this one knows the handful
// of elements a sheet's values live in (row, c, v, f, is/t, mergeCell) and skips the rest. Each
// tag is read in ONE forward pass over the chunk's UTF-16 code units (name, attributes, quotes,
// '>'), attribute values are kept as positions in the chunk, and only what a cell needs becomes a
// string. It is fed chunks of any size and keeps across calls only an unfinished tag and the raw
// text of the element being read, so a tag or an entity split between two chunks is fine. It is
// checked cell by cell against exceljs, and against every way of splitting its input (test/xlsx).
import type { ReaderLimits, XCell, XRow } from "./types.js";
import { emptyList } from "../core/lists.js";
import { isPlain, PLAIN_START, plainStep, plainUnicode } from "../core/text.js";
import { XlsxInvalidError, XlsxLimitError, XlsxOpenError } from "./types.js";
import { colLetters, MAX_ROW } from "./refs.js";
import { endianness } from "node:os";
import { decodeReferences, decodeXstring, normaliseEol, type BadReference } from "./escape.js";
// an ISO date cell's value as Excel's serial: shared with the fill's snapshot (fill/xlsx)
import { isoToSerial } from "../core/serial.js";
export { isoToSerial };

/** A sheet's context: the workbook's tables and the reader's limits (the optional ones default when absent). */
export interface ScanContext extends Pick<ReaderLimits, "maxColumns" | "maxRows" | "maxCellsPerSheet" | "maxTextChars" | "maxMergesPerSheet" | "maxMarkupChars"> {
  sheet: string;
  sharedStrings: string[];
  numFmt: string[];
  font: (string | undefined)[];
  date1904: boolean;
}

/** Excel's last row: a reference past it is not a worksheet's (and past 2^31 breaks integers). */
export const EXCEL_MAX_ROW = MAX_ROW;

/** An xsd:double as Excel writes it; anything else Number() would read ("0x55", "0b1", "") is not. */
const XSD_DOUBLE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^\s*(?:-?INF|NaN)\s*$/;

/** Characters XML 1.0 does not allow (Char production): they can only come from a broken writer. */
export const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/**
 * NOT_XML_CHAR.test(t), as a loop over the UTF-16 units: the scanner asks it of every inline
 * text, where the regular expression's call cost a tenth of the whole reader. A high surrogate
 * followed by a low one is a character past U+FFFF (allowed); a lone surrogate is not a character.
 */
export function hasNonXmlChar(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) continue;
    if (c < 0x20) {
      if (c === 9 || c === 10 || c === 13) continue;
      return true;
    }
    if (c >= 0xe000) {
      if (c <= 0xfffd) continue;
      return true;
    }
    if (c <= 0xdbff) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return true;
  }
  return false;
}

const enum Capture {
  None,
  V,
  F,
  T,
}

// the cell types (`t` attribute) as small integers: compared per cell
const enum CellType {
  N,
  S,
  Str,
  Inline,
  B,
  E,
  D,
}

// the elements the scanner acts on
const enum Tag {
  Other,
  Row,
  C,
  V,
  F,
  T,
  Is,
  RPh,
  SheetData,
  MergeCell,
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A number as Number() reads an xsd:double; NaN for what is not one ("0x55", "0b1", "", which
 * Number() reads as 85, 1 and 0). Plain decimals of up to 15 digits are read by hand (an exact
 * integer divided by an exact power of ten is correctly rounded, so the double is the same as
 * Number()'s); anything else (exponents, spaces, long digit runs) goes to Number() once checked.
 */
export function parseNumber(s: string): number {
  const n = s.length;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    neg = true;
    i = 1;
  }
  if (i >= n) return NaN;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (++digits > 15) return slow(s);
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return slow(s);
  }
  if (digits === 0) return slow(s);
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/**
 * parseNumber's fast case read in place in u[from, to): an optional "-", up to 15 digits, an
 * optional "." and more digits — exactly the strings parseNumber reads without Number(). NaN for
 * anything else (which the caller then reads as text, the slow way).
 */
function plainNumberAt(u: Uint16Array, from: number, to: number): number {
  let i = from;
  let neg = false;
  if (i < to && u[i] === 45) {
    neg = true;
    i++;
  }
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < to; i++) {
    const c = u[i]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      if (++digits > 15) return NaN;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0) return NaN;
  const v = frac > 0 ? m / POW10[frac]! : m;
  return neg ? -v : v;
}

function slow(s: string): number {
  if (!XSD_DOUBLE.test(s)) return NaN;
  const t = s.trim();
  return t === "INF" ? Infinity : t === "-INF" ? -Infinity : Number(t);
}

/**
 * How many zeros follow a chunk's code units (SheetScanner.feed): the plain reading of a cell looks
 * a few units ahead of where it is (up to 8) without asking whether the chunk has ended there, and
 * reads a zero, which no cell's markup holds, instead. A load past a typed array's end would give
 * the same answer, but V8 compiles the reading for loads inside the array and throws that code
 * away (and compiles it again) the first time one is not: once per place in the reading, each at
 * a chunk's end, on every cold start of the reader.
 */
export const UNITS_PAD = 16;

/** A string's UTF-16 code units and UNITS_PAD zeros (what feedUnits() is given when its caller has a string). */
export function unitsOf(s: string): Uint16Array {
  const u = new Uint16Array(s.length + UNITS_PAD);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
  return u;
}

/** Whether UTF-16LE bytes are the machine's own 16-bit units (the reader's transcoded chunks viewed as units, textOf). */
export const LITTLE_ENDIAN = endianness() === "LE";

/**
 * Buffer's own UTF-16LE copy, what toString("utf16le", a, b) calls once it has checked its
 * arguments and looked the encoding up by name: for a text of 26 units (the bench's mean) that
 * lookup cost as much as the copy, 15 ms of the reader's 0.45 s over the bench's subset (367 000
 * texts made). Not in Node's documentation, so used only where it is there.
 */
type UcsBuffer = Buffer & { ucs2Slice(start: number, end: number): string };
const UCS2_SLICE = typeof (Buffer.prototype as Partial<UcsBuffer>).ucs2Slice === "function";

/**
 * The text of units u[a, b) (whose bytes are `bytes`): a string of its own, never a view into a
 * chunk, so a cell's text kept for the rest of the file pins no XML. On a little-endian machine the
 * units' bytes are UTF-16LE and Node copies them into a string at once; else unit by unit.
 */
function textOf(u: Uint16Array, bytes: Buffer, a: number, b: number): string {
  if (LITTLE_ENDIAN) return UCS2_SLICE ? (bytes as UcsBuffer).ucs2Slice(2 * a, 2 * b) : bytes.toString("utf16le", 2 * a, 2 * b);
  let t = "";
  for (let i = a; i < b; i += 4096) t += String.fromCharCode.apply(null, Array.from(u.subarray(i, Math.min(b, i + 4096))));
  return t;
}

/** Where `code` is next in u[from, len), or -1. */
function unitAt(u: Uint16Array, code: number, from: number, len: number): number {
  const i = u.indexOf(code, from);
  return i >= len ? -1 : i;
}

/** Where the units of `seq` (ASCII) next begin in u[from, len), or -1. */
function seqAt(u: Uint16Array, seq: string, from: number, len: number): number {
  const c0 = seq.charCodeAt(0);
  for (let i = unitAt(u, c0, from, len); i >= 0 && i + seq.length <= len; i = unitAt(u, c0, i + 1, len)) {
    if (startsAt(u, seq, i, len)) return i;
  }
  return -1;
}

/** Whether u[at, len) begins with the units of `seq` (ASCII). */
function startsAt(u: Uint16Array, seq: string, at: number, len: number): boolean {
  if (at + seq.length > len) return false;
  for (let k = 0; k < seq.length; k++) if (u[at + k] !== seq.charCodeAt(k)) return false;
  return true;
}

/** A non-negative integer written in u[v0, v1) (digits only), else -1 (as refs.ts digitsValue reads a string). */
function digitsAt(u: Uint16Array, v0: number, v1: number): number {
  if (v1 === v0) return -1;
  let n = 0;
  for (let i = v0; i < v1; i++) {
    const d = u[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A text of its own: a cons string (texts captured across chunks, joined) made flat, so that it
 * is one string, not a chain of pieces, for as long as the cell's text is kept.
 */
function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/**
 * Entity and character references decoded as the ETL reads them: a reference XML does not know is
 * kept as written (a lenient reader), one to a character XML 1.0 forbids ("&#xFFFE;", "&#1;") is
 * refused: it is not text, whatever a lenient reader would make of it (and it would make the
 * warehouse's own exports invalid).
 */
export function decodeEntities(s: string): string {
  return s.indexOf("&") < 0 ? s : decodeReferences(s, refuseForbidden);
}

const refuseForbidden: BadReference = (ref, why) => {
  if (why === "forbidden") throw new XlsxInvalidError(`a reference to a character XML forbids (${ref})`, `tham chiếu tới ký tự XML không cho phép (${ref})`);
  return null;
};

/** What the cells of one style and one type share: a ScannedCell's type, number format and font. */
export class CellKind {
  constructor(
    readonly type: XCell["type"],
    readonly numFmt: string,
    readonly font: string | undefined,
    /** a text found plain Unicode (XCell.plain): a style's plain texts have a kind of their own */
    readonly plain: boolean,
  ) {}
}

/**
 * A cell the scanner read: kept with its sheet's rows until the sheet is parsed, and copied by the
 * reading worker's scavenges meanwhile, so it holds no more than it must. Its reference is made
 * when asked for (a problem names it): a string per cell was a third of what those scavenges
 * copied. `at` is the row's number when the file wrote the reference as colLetters(col) + row
 * (capital letters, the row's number as String() writes it) or wrote none; otherwise the
 * reference as written ("b7", "B07"), which `ref` then gives back unchanged. Its type, number
 * format and font are those of its CellKind, one object for all the cells of a style and type.
 */
export class ScannedCell implements XCell {
  declare formula?: string | null;
  constructor(
    public col: number,
    public at: number | string,
    public value: XCell["value"],
    public kind: CellKind,
  ) {}
  get ref(): string {
    const a = this.at;
    return typeof a === "number" ? colLetters(this.col) + a : a;
  }
  get type(): XCell["type"] {
    return this.kind.type;
  }
  get numFmt(): string {
    return this.kind.numFmt;
  }
  get font(): string | undefined {
    return this.kind.font;
  }
  get plain(): boolean {
    return this.kind.plain;
  }
}

/** What ScannedCell.at holds for a cell of column `col` in row `row` whose reference is `ref`. */
function cellAt(ref: string, col: number, row: number): number | string {
  return ref === colLetters(col) + row ? row : ref;
}

const NO_UNITS = new Uint16Array(0);
const NO_CELLS: XCell[] = [];

/** How many texts a sheet's scanner remembers (sameText): a power of two. */
const SAME_TEXTS = 4096;

export class SheetScanner {
  /** rows completed by the current feed() */
  private out = emptyList<XRow>();
  /** unprocessed units: an unfinished tag from the previous chunk (none: length 0) */
  private rest: Uint16Array = NO_UNITS;
  /** the chunk being scanned: its code units (then UNITS_PAD zeros at least), their bytes, how many */
  private u: Uint16Array = NO_UNITS;
  private bytes: Buffer = Buffer.alloc(0);
  private len = 0;
  /** raw (entity-encoded) text of the element being captured across a chunk boundary */
  private raw = "";
  private capture = Capture.None;
  private inInline = false;
  private inPhonetic = false;
  private inSheetData = false;

  private row: XRow | null = null;
  private lastRow = 0;
  /** rows holding a value or a formula (the row limit counts these only) */
  private rowCount = 0;
  private rowCounted = false;
  private lastCol = 0;
  private unordered = false;
  private cellCount = 0;
  private readonly maxCells: number;
  private readonly maxText: number;
  private readonly maxMerges: number;
  private readonly maxMarkup: number;
  /** the first style past both the number formats' and the fonts' tables (cellKind) */
  private readonly noStyle: number;

  // the cell being read
  private cCol = 0;
  /** where the cell is (ScannedCell.at); its reference: cellRef() */
  private cAt: number | string = 0;
  private cStyle = 0;
  private cType = CellType.N;
  private cV: string | null = null;
  /** the <v> of a number or shared-string cell read in place (NaN: not read so, see cV) */
  private cNum = NaN;
  private cF: string | null = null;
  private cHasF = false;
  private cInline: string | null = null;

  // the attributes of the tag being read, as positions in the chunk (a0 < 0: absent)
  private aR0 = -1;
  private aR1 = -1;
  private aS = 0;
  private aT = CellType.N;
  private aHidden = false;
  private aRef0 = -1;
  private aRef1 = -1;

  readonly merges = emptyList<string>();
  /** the cells of the row being read: the first nCells of this list (closeRow copies them out) */
  private readonly cells: XCell[] = [];
  private nCells = 0;
  /** the CellKinds of this sheet's cells, by style and type (cellKind) */
  private readonly kinds = emptyList<CellKind | undefined>();
  /** the plain texts made so far, by their hash (sameText), and each as the sheet wrote it (entities not decoded) */
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(SAME_TEXTS).fill(undefined);
  private readonly raws: (string | undefined)[] = new Array<string | undefined>(SAME_TEXTS).fill(undefined);
  /** the whole hash of each slot's text (its slot is the hash's low bits) */
  private readonly hashes = new Int32Array(SAME_TEXTS);
  /** whether each slot's text is plain (XCell.plain), and that of the text sameText gave last */
  private readonly plains = new Uint8Array(SAME_TEXTS);
  private tPlain = false;
  /** per shared string, whether it is plain: 0 not told yet, 1 plain, 2 not (sharedPlain) */
  private sharedPlains: Uint8Array | null = null;

  constructor(private readonly ctx: ScanContext) {
    this.maxCells = ctx.maxCellsPerSheet ?? 2_000_000;
    this.maxText = ctx.maxTextChars ?? 32_767;
    this.maxMerges = ctx.maxMergesPerSheet ?? 100_000;
    this.maxMarkup = ctx.maxMarkupChars ?? 1024 * 1024;
    this.noStyle = Math.max(ctx.numFmt.length, ctx.font.length);
  }

  /** The text of the chunk's units [a, b): a string of its own. */
  private sub(a: number, b: number): string {
    return textOf(this.u, this.bytes, a, b);
  }

  private where(ref?: string): string {
    return `${this.ctx.sheet}!${ref ?? ""}`;
  }

  private tooLong(): XlsxLimitError {
    return new XlsxLimitError("maxTextChars", this.maxText, "characters in one text", "số ký tự của một đoạn chữ", this.where(this.cCol ? this.cellRef() : undefined));
  }

  /** Entities decoded, the place named when one is not allowed. */
  private decode(text: string): string {
    try {
      return decodeEntities(text);
    } catch (e) {
      if (e instanceof XlsxInvalidError && !e.where) throw new XlsxInvalidError(e.what, e.whatVi, this.where(this.cCol ? this.cellRef() : undefined));
      throw e;
    }
  }

  /** Scans one chunk of text; returns the rows it completed (feedUnits of its code units). */
  feed(chunk: string): XRow[] {
    return this.feedUnits(unitsOf(chunk), chunk.length);
  }

  /**
   * Scans one chunk given as its `n` UTF-16 code units, followed by UNITS_PAD zeros at least (what
   * the reader transcodes each inflated piece to); returns the rows it completed. The chunk is
   * never made a string: the scanning reads the units (a typed array's load is a fraction of a
   * charCodeAt's cost), and only what a cell keeps (a text, a reference as written) is made a
   * string, of its own. A string of the whole chunk cost a sixth of the reader.
   */
  feedUnits(units: Uint16Array, n: number): XRow[] {
    this.out = emptyList();
    let u = units;
    let len = n;
    if (u.length < n + UNITS_PAD) throw new RangeError("feedUnits: the units must be followed by UNITS_PAD zeros");
    const rest = this.rest;
    if (rest.length) {
      // An unfinished tag, comment or CDATA can only end at a '>': until one comes, keep the text
      // without scanning it again (rescanning on every chunk made a long unterminated tag cost
      // time quadratic in its length), and refuse markup no worksheet has.
      if (rest.length + n > this.maxMarkup) {
        throw new XlsxLimitError("maxMarkupChars", this.maxMarkup, "characters in one unfinished tag or comment", "số ký tự của một thẻ hoặc chú thích XML chưa đóng", this.where(this.lastRow ? `A${this.lastRow}` : undefined));
      }
      const joined = new Uint16Array(rest.length + n + UNITS_PAD);
      joined.set(rest);
      joined.set(units.subarray(0, n), rest.length);
      if (unitAt(units, 62, 0, n) < 0) {
        this.rest = joined.subarray(0, rest.length + n);
        return this.out;
      }
      u = joined;
      len = rest.length + n;
      this.rest = NO_UNITS;
    }
    this.u = u;
    this.len = len;
    this.bytes = Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    let pos = 0;
    while (pos < len) {
      // (the next tag most often follows at once: no search then)
      const lt = u[pos] === 60 ? pos : unitAt(u, 60, pos, len);
      if (lt < 0) {
        if (this.capture !== Capture.None) this.captureText(this.sub(pos, len));
        break;
      }
      if (this.capture !== Capture.None && lt > pos) this.captureText(this.sub(pos, lt));
      // the two tags of every cell that carry no attributes, "<v>" and "</c>", acted on without
      // the general reading of a tag (what tag() would do with them, read the same way)
      if (lt + 3 < len) {
        const c1 = u[lt + 1]!;
        // a whole plain cell (most of a sheet's) read in one pass; anything else: the general way
        if (c1 === 99 /* c */ && u[lt + 2] === 32) {
          // and the cells that follow it at once
          const p = this.plainCells(u, lt);
          if (p > lt) {
            pos = p;
            continue;
          }
        } else if (c1 === 118 /* v */ && u[lt + 2] === 62) {
          const end = this.textElement(lt + 2, Capture.V, false, false);
          if (end >= 0) {
            pos = end + 1;
            continue;
          }
        } else if (c1 === 47 && u[lt + 2] === 99 /* c */ && u[lt + 3] === 62) {
          this.closeCell();
          pos = lt + 4;
          continue;
        }
      }
      const end = this.tag(lt);
      if (end < 0) {
        if (len - lt > this.maxMarkup) {
          throw new XlsxLimitError("maxMarkupChars", this.maxMarkup, "characters in one unfinished tag or comment", "số ký tự của một thẻ hoặc chú thích XML chưa đóng", this.where(this.lastRow ? `A${this.lastRow}` : undefined));
        }
        this.rest = u.slice(lt, len);
        break;
      }
      pos = end + 1;
    }
    return this.out;
  }

  /**
   * The cells from `lt` ("<c ") on while they are of the common form, each read at once: one-letter
   * attributes (r with letters, s, t) in double quotes, then "/>", "></c>" or "><v>…</v></c>"
   * whose text is a plain number (no t, t="n" or t="s") or a plain text (t="str": no carriage
   * return, no "_", only characters XML allows, within the text limit; its references decoded as
   * the general reading decodes them, else left to it). Returns the
   * index after the last cell read so (`lt` for none): a cell that is not of this form is left
   * untouched to the general reading (tag() and what follows), which reads it, and says what is
   * wrong with it if anything is. What is read is what the general reading would make of it.
   */
  private plainCells(u: Uint16Array, lt: number): number {
    let row = this.row;
    if (row === null || this.cCol !== 0 || this.capture !== Capture.None) return lt;
    const ctx = this.ctx;
    // the chunk's end: the units run UNITS_PAD zeros further, so the fixed look-aheads below need no test
    const len = this.len;
    for (let at = lt; ; ) {
      let i = at + 3;
      let r0 = -1;
      let r1 = -1;
      let canonical = false;
      let col = 0;
      let style = 0;
      let type = CellType.N;
      let c = u[i]!;
      let ch = 0;
      // the attributes, each read in one pass up to its closing quote
      for (;;) {
        while (c === 32) c = u[++i]!;
        if (c === 62 /* > */ || c === 47 /* / */) break;
        if (u[i + 1]! !== 61 || u[i + 2]! !== 34) return at;
        let k = i + 3;
        if (c === 114 /* r */) {
          // the column from the letters, the rest (the row) as it is, up to the quote
          col = 0;
          let capitals = true;
          for (; ; k++) {
            ch = u[k]!;
            if (ch > 90) capitals = false;
            ch &= ~32;
            if (ch < 65 || ch > 90) break;
            col = col * 26 + (ch - 64);
          }
          if (col === 0) return at;
          // written as colLetters(col) + the row's number (ScannedCell.at): up to 3 capitals, then
          // the row's number without a leading zero
          const d0 = k;
          let rn = 0;
          for (; (ch = u[k]!) >= 48 && ch <= 57 && k - d0 < 8; k++) rn = rn * 10 + (ch - 48);
          canonical = capitals && d0 - (i + 3) <= 3 && ch === 34 && k > d0 && u[d0]! !== 48 && rn === row.row;
          while ((ch = u[k]!) !== 34) {
            if (k >= len) return at; // the chunk ends first
            k++;
          }
          r0 = i + 3;
          r1 = k;
        } else if (c === 115 /* s */) {
          // a non-negative integer, as intAt() reads it
          style = 0;
          for (; (ch = u[k]!) >= 48 && ch <= 57; k++) style = style * 10 + (ch - 48);
          if (ch !== 34 || k === i + 3) return at;
        } else if (c === 116 /* t */) {
          ch = u[k]!;
          if (ch === 115 /* s */) {
            if (u[k + 1]! === 34) {
              type = CellType.S;
              k += 1;
            } else if (u[k + 1]! === 116 && u[k + 2]! === 114 && u[k + 3]! === 34) {
              type = CellType.Str;
              k += 3;
            } else return at;
          } else if (ch === 110 /* n */ && u[k + 1]! === 34) {
            type = CellType.N;
            k += 1;
          } else return at;
        } else return at;
        i = k + 1;
        c = u[i]!;
      }
      if (r0 < 0) return at;
      let end: number;
      let v0 = -1;
      let v1 = -1;
      let num = NaN;
      let hash = 0;
      let amp = false;
      // the text's plainness so far (core/text.ts plainStep), told on the way too
      let plain = PLAIN_START;
      if (c === 47) {
        if (u[i + 1]! !== 62) return at;
        end = i + 2;
      } else if (u[i + 1]! !== 60) return at;
      else if (u[i + 2]! === 47) {
        // "></c>"
        if (u[i + 3]! !== 99 || u[i + 4]! !== 62) return at;
        end = i + 5;
      } else {
        // "><v>"
        if (u[i + 2]! !== 118 || u[i + 3]! !== 62) return at;
        v0 = i + 4;
        let k = v0;
        if (type === CellType.Str) {
          // up to the '<', stopping first at what the plain reading cannot take: a carriage
          // return, a "_" (of a _xHHHH_ escape), a character XML forbids, a surrogate; noting a
          // reference ("KH&amp;CN": one in five of the bench's texts); and the text's hash on the
          // way (sameText)
          for (; k < len; k++) {
            ch = u[k]!;
            if (ch === 60) break;
            if (ch < 0x20 ? ch !== 9 && ch !== 10 : ch === 95 || (ch >= 0xd800 && (ch <= 0xdfff || ch >= 0xfffe))) return at;
            if (ch === 38) amp = true;
            else if (ch >= 0x80) plain = plainStep(plain, ch);
            hash = (Math.imul(hash, 31) + ch) | 0;
          }
          if (k >= len) return at; // the chunk ends first
        } else {
          // a number read up to the '<' as plainNumberAt reads it (anything else: the general way)
          let neg = false;
          if (u[k]! === 45) {
            neg = true;
            k++;
          }
          let m = 0;
          let digits = 0;
          let frac = -1;
          for (ch = u[k]!; ; ch = u[++k]!) {
            if (ch >= 48 && ch <= 57) {
              m = m * 10 + (ch - 48);
              if (++digits > 15) return at;
              if (frac >= 0) frac++;
            } else if (ch === 46 && frac < 0) frac = 0;
            else break;
          }
          if (ch !== 60 || digits === 0) return at;
          num = frac > 0 ? m / POW10[frac]! : m;
          if (neg) num = -num;
        }
        v1 = k;
        // "</v></c>"
        if (u[k + 1]! !== 47 || u[k + 2]! !== 118 || u[k + 3]! !== 62) return at;
        if (u[k + 4]! !== 60 || u[k + 5]! !== 47 || u[k + 6]! !== 99 || u[k + 7]! !== 62) return at;
        end = k + 8;
      }
      // the value, as closeCell() reads it
      let cellType: XCell["type"] = "z";
      let value: XCell["value"] = null;
      let textPlain = false;
      if (v0 >= 0) {
        if (type === CellType.Str) {
          if (v1 - v0 > this.maxText) return at;
          const t = this.sameText(u, v0, v1, hash, amp, isPlain(plain));
          if (t === null) return at;
          cellType = "s";
          value = t;
          textPlain = this.tPlain;
        } else if (type === CellType.S) {
          const s = ctx.sharedStrings[num];
          if (s === undefined) return at;
          cellType = "s";
          value = s;
          textPlain = this.sharedPlain(num, s);
        } else {
          cellType = "n";
          value = num;
        }
      }
      this.beginCell(col, canonical ? row.row : this.sub(r0, r1), style);
      this.emit(row, cellType, value, textPlain);
      // the next cell at once?
      at = end;
      if (u[at]! === 60 && u[at + 1]! === 99 && u[at + 2]! === 32) continue;
      // or the row ends ("</row>") and the next begins ("<row …>", read by plainRow) with one
      if (u[at]! !== 60 || u[at + 1]! !== 47 || u[at + 2]! !== 114 || u[at + 3]! !== 111 || u[at + 4]! !== 119 || u[at + 5]! !== 62) return at;
      this.closeRow();
      at += 6;
      const next = this.plainRow(u, at, len);
      if (next < 0) return at;
      row = this.row!;
      at = next;
      if (u[at]! !== 60 || u[at + 1]! !== 99 || u[at + 2]! !== 32) return at;
    }
  }

  /**
   * The text u[v0, v1) (whose units hash to `hash`; `amp`: it holds a reference), as the string made
   * for the same text earlier in the sheet when there was one: a sheet's texts repeat down its
   * columns (levels, fields, statuses, organisations; half of the bench's texts), and each copy was
   * kept with its rows until the sheet was parsed. A string made is remembered in its hash's slot
   * beside the text as written, the last one wins. null: a text the plain reading leaves to the
   * general one, which reads it or says what is wrong with it (a reference to a character XML
   * forbids, one that makes a "_" or a text past the limit). `plain`: whether its units are plain
   * (core/text.ts plainStep), the text's own plainness when it holds no reference; the text's,
   * remembered with it, is left in tPlain.
   */
  private sameText(u: Uint16Array, v0: number, v1: number, hash: number, amp: boolean, plain: boolean): string | null {
    const slot = hash & (SAME_TEXTS - 1);
    const n = v1 - v0;
    // the slot's text is compared only when the whole hash is the same: a tenth of the comparisons
    // made on the length alone were of another text
    const hashes = this.hashes;
    if (hashes[slot] === hash) {
      const r = this.raws[slot];
      if (r !== undefined && r.length === n) {
        let i = 0;
        while (i < n && r.charCodeAt(i) === u[v0 + i]) i++;
        if (i === n) {
          this.tPlain = this.plains[slot] === 1;
          return this.texts[slot]!;
        }
      }
    }
    const raw = this.sub(v0, v1);
    let made = raw;
    if (amp) {
      try {
        made = decodeEntities(raw);
      } catch {
        return null;
      }
      if (made.length > this.maxText || made.indexOf("_") >= 0 || hasNonXmlChar(made)) return null;
    }
    this.raws[slot] = raw;
    this.texts[slot] = made;
    hashes[slot] = hash;
    // the units were the text's own unless references were decoded
    this.tPlain = amp ? plainUnicode(made) : plain;
    this.plains[slot] = this.tPlain ? 1 : 0;
    return made;
  }

  /**
   * The row that begins at `at` when it is of the common form, "<row" and attributes in double
   * quotes each after one space, up to a '>' (r: digits, a row after the last one and not past
   * Excel's; hidden; any others skipped as tag() skips them): opened as openRow() opens it, and the
   * index after its '>' returned. Anything else (-1) is left untouched to the general reading.
   */
  private plainRow(u: Uint8Array | Uint16Array, at: number, len: number): number {
    if (u[at]! !== 60 || u[at + 1]! !== 114 || u[at + 2]! !== 111 || u[at + 3]! !== 119 || u[at + 4]! !== 32 || !this.inSheetData) return -1;
    let k = at + 4;
    let r = -1;
    let hidden = false;
    for (;;) {
      let c = u[k]!;
      if (c === 62) break;
      if (c !== 32) return -1;
      // the name, its local part after a prefix's ':' (as tag() reads it), up to "=\""
      let n0 = ++k;
      for (c = u[k]!; c !== 61; c = u[++k]!) {
        if (c === 58) n0 = k + 1;
        else if (c === 32 || c === 62 || c === 47 || c === 34 || c === 39 || c <= 13) return -1;
      }
      const n = k - n0;
      if (u[k + 1]! !== 34) return -1;
      const v0 = k + 2;
      k = v0;
      while (u[k]! !== 34) {
        if (k >= len) return -1; // the chunk ends first
        k++;
      }
      if (n === 1 && u[n0]! === 114 /* r */) {
        // intAt(): digits only, else as if there were none (a long number: the general reading)
        if (k - v0 > 9) return -1;
        r = k === v0 ? -1 : 0;
        for (let d = v0; d < k; d++) {
          const x = u[d]! - 48;
          if (x < 0 || x > 9) {
            r = -1;
            break;
          }
          r = r * 10 + x;
        }
      } else if (n === 6 && u[n0]! === 104 && u[n0 + 1]! === 105 && u[n0 + 2]! === 100 && u[n0 + 3]! === 100 && u[n0 + 4]! === 101 && u[n0 + 5]! === 110) {
        hidden = (k - v0 === 1 && u[v0]! === 49) || (k - v0 === 4 && u[v0]! === 116);
      }
      k++;
    }
    // a row number past Excel's, or not after the last row: the general reading refuses it
    if (r > 0 && (r > EXCEL_MAX_ROW || r <= this.lastRow)) return -1;
    this.startRow(r > 0 ? r : this.lastRow + 1, hidden);
    return k + 1;
  }

  /** Text of an element read across chunks; entities can make 10 characters of one, no more. */
  private captureText(t: string): void {
    if (this.raw.length + t.length > this.maxText * 10) throw this.tooLong();
    this.raw += t;
  }

  /** The end of input: an unfinished tag or row means the part was cut short. */
  end(): XRow[] {
    this.out = emptyList();
    if (this.rest.some((c) => !isSpace(c)) || this.row) {
      throw new XlsxOpenError("truncated", `sheet "${this.ctx.sheet}": the sheet XML ends inside a row`, this.ctx.sheet);
    }
    return this.out;
  }

  /** Comments, CDATA, declarations: returns the index of their last character, or -1. */
  private special(lt: number): number {
    const u = this.u;
    if (startsAt(u, "<!--", lt, this.len)) {
      const e = seqAt(u, "-->", lt + 4, this.len);
      return e < 0 ? -1 : e + 2;
    }
    if (startsAt(u, "<![CDATA[", lt, this.len)) {
      const e = seqAt(u, "]]>", lt + 9, this.len);
      if (e < 0) return -1;
      // CDATA text is literal: encode its '&' so the decode at the element's end leaves it alone
      if (this.capture !== Capture.None) this.captureText(this.sub(lt + 9, e).replace(/&/g, "&amp;"));
      return e + 2;
    }
    if (lt + 9 > this.len) return -1; // cannot tell which yet
    const e = unitAt(u, 62, lt + 1, this.len);
    return e;
  }

  /**
   * Reads the tag at `lt` in one pass and acts on it. Returns the index of the last character it
   * consumed, or -1 when the tag does not end in this chunk (nothing has been changed then).
   */
  private tag(lt: number): number {
    const u = this.u;
    const len = this.len;
    let i = lt + 1;
    let c = u[i]!;
    if (c === 33 /* ! */) return this.special(lt);
    if (c === 63 /* ? */) {
      const e = seqAt(u, "?>", i, this.len);
      return e < 0 ? -1 : e + 1;
    }
    const closing = c === 47; /* / */
    if (closing) i++;
    // the local name: skip a namespace prefix ("x:c" in files from the Open XML SDK)
    let nameStart = i;
    for (; i < len; i++) {
      c = u[i]!;
      if (c === 62 || c === 47 || c === 32 || c === 9 || c === 10 || c === 13) break;
      if (c === 58) nameStart = i + 1;
    }
    if (i >= len) return -1;
    const kind = this.kindOf(nameStart, i - nameStart);
    this.aR0 = -1;
    this.aS = 0;
    this.aT = CellType.N;
    this.aHidden = false;
    this.aRef0 = -1;
    // attributes, up to the '>' (a '>' inside a quoted value is legal XML and is skipped)
    let selfClosing = false;
    for (;;) {
      while (i < len && isSpace((c = u[i]!))) i++;
      if (i >= len) return -1;
      if (c === 62) break;
      if (c === 47) {
        if (i + 1 >= len) return -1;
        if (u[i + 1]! === 62) {
          selfClosing = true;
          i++;
          break;
        }
        i++;
        continue;
      }
      let an0 = i;
      for (; i < len; i++) {
        c = u[i]!;
        if (c === 61 || c === 62 || c === 47 || isSpace(c)) break;
        if (c === 58) an0 = i + 1;
      }
      const an1 = i;
      while (i < len && (c = u[i]!) !== 34 && c !== 39 && c !== 62) i++;
      if (i >= len) return -1;
      if (c === 62) break; // an attribute without a value: not XML, but do not stall on it
      const v1 = unitAt(u, c, i + 1, len);
      if (v1 < 0) return -1;
      if (kind !== Tag.Other) this.attribute(kind, an0, an1 - an0, i + 1, v1);
      i = v1 + 1;
    }
    const gt = i;
    if (kind === Tag.Other) return gt;
    switch (kind) {
      case Tag.C:
        if (closing) this.closeCell();
        else this.openCell(selfClosing);
        return gt;
      case Tag.V:
        return this.textElement(gt, Capture.V, closing, selfClosing);
      case Tag.F:
        if (!closing && this.cCol) this.cHasF = true;
        // a shared formula's dependents are empty <f t="shared" si="n"/>: their text stays null
        return this.textElement(gt, Capture.F, closing, selfClosing);
      case Tag.T:
        if (this.inInline && !this.inPhonetic) return this.textElement(gt, Capture.T, closing, selfClosing);
        return gt;
      case Tag.Row:
        if (closing) this.closeRow();
        else {
          this.openRow();
          if (selfClosing) this.closeRow();
        }
        return gt;
      case Tag.Is:
        if (closing) this.inInline = false;
        else if (this.cCol) {
          this.inInline = !selfClosing;
          this.cInline = "";
        }
        return gt;
      case Tag.RPh:
        this.inPhonetic = !closing && !selfClosing;
        return gt;
      case Tag.SheetData:
        this.inSheetData = !closing && !selfClosing;
        return gt;
      case Tag.MergeCell:
        if (!closing && this.aRef0 >= 0) {
          if (this.merges.length >= this.maxMerges) {
            throw new XlsxLimitError("maxMergesPerSheet", this.maxMerges, "merged areas in one sheet", "số vùng ô gộp trong một trang tính", this.where());
          }
          this.merges.push(this.decode(this.sub(this.aRef0, this.aRef1)));
        }
        return gt;
    }
    return gt;
  }

  private kindOf(at: number, n: number): Tag {
    const u = this.u;
    const c0 = u[at]!;
    if (n === 1) return c0 === 99 ? Tag.C : c0 === 118 ? Tag.V : c0 === 102 ? Tag.F : c0 === 116 ? Tag.T : Tag.Other;
    if (n === 3 && c0 === 114) {
      if (u[at + 1]! === 111 && u[at + 2]! === 119) return Tag.Row;
      if (startsAt(u, "rPh", at, this.len)) return Tag.RPh;
      return Tag.Other;
    }
    if (n === 2 && c0 === 105 && u[at + 1]! === 115) return Tag.Is;
    if (n === 9 && startsAt(u, "sheetData", at, this.len)) return Tag.SheetData;
    if (n === 9 && startsAt(u, "mergeCell", at, this.len)) return Tag.MergeCell;
    return Tag.Other;
  }

  /** Notes the attributes the scanner uses; values stay positions in the chunk. */
  private attribute(kind: Tag, an0: number, an: number, v0: number, v1: number): void {
    const u = this.u;
    const n0 = u[an0]!;
    if (kind === Tag.C) {
      if (an !== 1) return;
      if (n0 === 114 /* r */) {
        this.aR0 = v0;
        this.aR1 = v1;
      } else if (n0 === 115 /* s */) this.aS = Math.max(0, digitsAt(u, v0, v1));
      else if (n0 === 116 /* t */) {
        const vl = v1 - v0;
        const c = u[v0]!;
        if (vl === 1) this.aT = c === 115 ? CellType.S : c === 98 ? CellType.B : c === 101 ? CellType.E : c === 100 ? CellType.D : CellType.N;
        else if (vl === 3 && c === 115) this.aT = CellType.Str;
        else if (vl === 9 && c === 105) this.aT = CellType.Inline;
      }
    } else if (kind === Tag.Row) {
      if (an === 1 && n0 === 114) {
        this.aR0 = v0;
        this.aR1 = v1;
      } else if (an === 6 && startsAt(u, "hidden", an0, this.len)) {
        const c = u[v0]!;
        this.aHidden = (v1 - v0 === 1 && c === 49) || (v1 - v0 === 4 && c === 116);
      }
    } else if (kind === Tag.MergeCell && an === 3 && startsAt(u, "ref", an0, this.len)) {
      this.aRef0 = v0;
      this.aRef1 = v1;
    }
  }

  private openRow(): void {
    const u = this.u;
    if (!this.inSheetData) return;
    let r = this.aR0 >= 0 ? digitsAt(u, this.aR0, this.aR1) : 0;
    // rows without r follow the previous one
    if (!(r > 0)) r = this.lastRow + 1;
    else if (r > EXCEL_MAX_ROW) {
      const text = this.sub(this.aR0, Math.min(this.aR1, this.aR0 + 20));
      throw new XlsxInvalidError(`row number ${text} is past Excel's last row (${EXCEL_MAX_ROW})`, `số dòng ${text} vượt quá dòng cuối của Excel (${EXCEL_MAX_ROW})`, this.where(`A${this.lastRow + 1}`));
    } else if (r <= this.lastRow) {
      // rows come in order, each once: a row given again would give its cells twice
      throw new XlsxInvalidError(`row ${r} is given twice (or out of order, after row ${this.lastRow})`, `dòng ${r} được ghi hai lần (hoặc sai thứ tự, sau dòng ${this.lastRow})`, this.where(`A${r}`));
    }
    this.startRow(r, this.aHidden);
  }

  /** Row r begins (openRow's, plainRow's). */
  private startRow(r: number, hidden: boolean): void {
    this.lastRow = r;
    this.lastCol = 0;
    this.unordered = false;
    this.rowCounted = false;
    this.row = { row: r, hidden, cells: NO_CELLS };
    this.nCells = 0;
  }

  private closeRow(): void {
    const row = this.row;
    if (!row) return;
    // writers put cells in column order; sort the rare file that does not
    if (this.unordered) {
      this.cells.length = this.nCells;
      this.cells.sort((a, b) => a.col - b.col);
      // a cell given twice is an error, never "the last one wins"
      for (let k = 1; k < this.nCells; k++) {
        if (this.cells[k]!.col === this.cells[k - 1]!.col) {
          const ref = this.cells[k]!.ref;
          throw new XlsxInvalidError(`cell ${ref} is given twice`, `ô ${ref} được ghi hai lần`, this.where(ref));
        }
      }
    }
    // a copy of the row's own length out of the scanner's list, used again for every row: the
    // rows are kept until their sheet is parsed, and a list of each row's own, grown cell by cell,
    // was two allocations a row where this is one
    row.cells = this.cells.slice(0, this.nCells);
    this.out.push(row);
    this.row = null;
  }

  private openCell(selfClosing: boolean): void {
    const u = this.u;
    if (!this.row) return;
    let ref = "";
    let col = 0;
    if (this.aR0 >= 0) {
      ref = this.sub(this.aR0, this.aR1);
      // the column from the letters of the reference
      for (let k = this.aR0; k < this.aR1; k++) {
        const ch = u[k]! & ~32;
        if (ch < 65 || ch > 90) break;
        col = col * 26 + (ch - 64);
      }
    }
    // cells without r (or without its letters) follow the previous one in the row
    if (col === 0) this.beginCell(this.lastCol + 1, this.row.row, this.aS);
    else this.beginCell(col, cellAt(ref, col, this.row.row), this.aS);
    this.cType = this.aT;
    this.cV = null;
    this.cNum = NaN;
    this.cInline = null;
    if (selfClosing) this.closeCell();
  }

  /** A cell begins (the general reading's openCell and the plain one's): its place, order and count. */
  private beginCell(col: number, at: number | string, style: number): void {
    if (col <= this.lastCol) this.unordered = true;
    this.lastCol = col;
    this.cCol = col;
    this.cAt = at;
    if (++this.cellCount > this.maxCells) {
      throw new XlsxLimitError("maxCellsPerSheet", this.maxCells, "cells in one sheet", "số ô trong một trang tính", this.where(this.cellRef()));
    }
    this.cStyle = style;
    this.cF = null;
    this.cHasF = false;
  }

  /**
   * <v>, <f> and <t>: text-only elements. The common case (the closing tag in the same chunk) is
   * read in one pass; otherwise the text is captured until the closing tag arrives.
   */
  private textElement(gt: number, kind: Capture, closing: boolean, selfClosing: boolean): number {
    const u = this.u;
    if (!this.cCol) return gt;
    if (!closing) {
      if (selfClosing) {
        if (kind === Capture.V) this.cV = "";
        return gt;
      }
      const len = this.len;
      let k = unitAt(u, 60, gt + 1, len);
      if (k < 0) k = len;
      // the closing tag follows in this chunk: take the text in one slice
      if (k + 1 < len && u[k + 1]! === 47) {
        const e = unitAt(u, 62, k + 2, len);
        if (e >= 0) {
          // the hot case, a number or a shared string's index: read in place, no string made
          if (kind === Capture.V && (this.cType === CellType.N || this.cType === CellType.S)) {
            const x = plainNumberAt(u, gt + 1, k);
            if (x === x) {
              this.cV = null;
              this.cNum = x;
              return e;
            }
          }
          if (k - gt - 1 > this.maxText * 10) throw this.tooLong();
          const text = normaliseEol(this.sub(gt + 1, k));
          this.setText(kind, text.indexOf("&") >= 0 ? this.decode(text) : text);
          return e;
        }
      }
      this.capture = kind;
      this.raw = "";
      return gt;
    }
    if (this.capture === kind) {
      this.setText(kind, own(this.decode(normaliseEol(this.raw))));
      this.capture = Capture.None;
      this.raw = "";
    }
    return gt;
  }

  private setText(kind: Capture, text: string): void {
    if (kind === Capture.V) {
      this.cV = text;
      this.cNum = NaN;
    }
    else if (kind === Capture.F) this.cF = text === "" ? null : text;
    else {
      // rich text runs join
      this.cInline = (this.cInline ?? "") + text;
      if (this.cInline.length > this.maxText) throw this.tooLong();
    }
    if (kind !== Capture.T && text.length > this.maxText) throw this.tooLong();
  }

  /** A text a cell stores: within Excel's length, and only characters XML allows. */
  private checkText(t: string): string {
    if (t.length > this.maxText) throw this.tooLong();
    if (hasNonXmlChar(t)) {
      throw new XlsxInvalidError("a character XML forbids in the text", "ký tự XML không cho phép trong đoạn chữ", this.where(this.cellRef()));
    }
    return t;
  }

  private closeCell(): void {
    const row = this.row;
    if (!row || !this.cCol) return;
    const ctx = this.ctx;
    let type: XCell["type"] = "z";
    let value: XCell["value"] = null;
    // the index of the shared string the value is, else -1
    let shared = -1;
    const v = this.cV;
    const num = this.cNum;
    switch (this.cType) {
      case CellType.N:
        if (num === num) {
          type = "n";
          value = num;
        } else if (v !== null && v !== "") {
          type = "n";
          value = parseNumber(v);
          // "0x55" is not 85: a stored number that is not an xsd:double is an error, not a guess
          if (Number.isNaN(value) && v.trim() !== "NaN") {
            const shown = v.length > 40 ? v.slice(0, 40) + "…" : v;
            throw new XlsxInvalidError(`the cell's stored number "${shown}" is not a number`, `số lưu trong ô "${shown}" không phải là số`, this.where(this.cellRef()));
          }
        }
        break;
      case CellType.S:
        if (num === num) {
          type = "s";
          const s = ctx.sharedStrings[num];
          if (s === undefined) {
            throw new XlsxInvalidError(`the cell points at shared string ${num}, which the file does not have`, `ô trỏ tới chuỗi dùng chung số ${num}, tệp không có chuỗi này`, this.where(this.cellRef()));
          }
          value = s;
          shared = num;
        } else if (v !== null && v !== "") {
          type = "s";
          const i = parseNumber(v);
          const s = ctx.sharedStrings[i];
          if (s === undefined) {
            const shown = v.length > 20 ? v.slice(0, 20) + "…" : v;
            throw new XlsxInvalidError(`the cell points at shared string ${shown}, which the file does not have`, `ô trỏ tới chuỗi dùng chung số ${shown}, tệp không có chuỗi này`, this.where(this.cellRef()));
          }
          value = s;
          shared = i;
        }
        break;
      case CellType.Str:
        if (v !== null) {
          type = "s";
          value = decodeXstring(this.checkText(v));
        }
        break;
      case CellType.Inline:
        if (this.cInline !== null || v !== null) {
          type = "s";
          value = decodeXstring(this.checkText((this.cInline ?? v)!));
        }
        break;
      case CellType.B:
        if (v !== null && v !== "") {
          type = "b";
          value = v.trim() === "1" || v.trim() === "true";
        }
        break;
      case CellType.E:
        if (v !== null && v !== "") {
          type = "e";
          value = v;
        }
        break;
      case CellType.D:
        if (v !== null && v !== "") {
          const serial = isoToSerial(v, ctx.date1904);
          type = serial === null ? "s" : "n";
          value = serial ?? v;
        }
        break;
    }
    // a shared string's plainness as the plain reading tells it, once a sheet (sharedPlain)
    this.emit(row, type, value, type === "s" && typeof value === "string" && (shared >= 0 ? this.sharedPlain(shared, value) : plainUnicode(value)));
  }

  /** The CellKind of the cells of style `style` and type `type` (and plain texts apart: XCell.plain), made once per sheet. */
  private cellKind(style: number, type: XCell["type"], plain: boolean): CellKind {
    const ctx = this.ctx;
    // a style past both tables reads as none: one slot for all of them
    const last = this.noStyle;
    const i = (((style < last ? style : last) * 5 + (type === "n" ? 0 : type === "s" ? 1 : type === "z" ? 2 : type === "b" ? 3 : 4)) << 1) | (plain ? 1 : 0);
    let k = this.kinds[i];
    if (k === undefined) k = this.kinds[i] = new CellKind(type, ctx.numFmt[style] ?? "General", ctx.font[style], plain);
    return k;
  }

  /** Is shared string i (s) plain (XCell.plain)? Told once a sheet. */
  private sharedPlain(i: number, s: string): boolean {
    const ps = (this.sharedPlains ??= new Uint8Array(this.ctx.sharedStrings.length));
    let p = ps[i]!;
    if (p === 0) ps[i] = p = plainUnicode(s) ? 1 : 2;
    return p === 1;
  }

  /** The reference of the cell being read, as the file wrote it (or as made for a cell without one). */
  private cellRef(): string {
    const a = this.cAt;
    return typeof a === "number" ? colLetters(this.cCol) + a : a;
  }

  /** The cell read (cCol, cAt, cStyle, cHasF, cF) with its value: the limits, then into the row. */
  private emit(row: XRow, type: XCell["type"], value: XCell["value"], plain: boolean): void {
    const ctx = this.ctx;
    // The limits count cells that hold something: a row formatted out to column XFD, or a
    // million formatted rows, hold no figure and must not cost the sheet its data in A:H. A
    // styled empty cell past the column limit is not handed over at all (nothing to read in it,
    // and 16 000 of them a row would be memory for nothing); a limit error names a cell that
    // holds a value or a formula, so the office finds what the message speaks of.
    if (type !== "z" || this.cHasF) {
      if (this.cCol > ctx.maxColumns) {
        throw new XlsxOpenError(
          "too_many_columns",
          `sheet "${ctx.sheet}" has a value in column ${colLetters(this.cCol)} (${this.cellRef()}), over the limit of ${ctx.maxColumns} columns`,
          this.cellRef(),
        );
      }
      if (!this.rowCounted) {
        this.rowCounted = true;
        if (++this.rowCount > ctx.maxRows) {
          throw new XlsxOpenError(
            "too_many_rows",
            `sheet "${ctx.sheet}" has values in more than ${ctx.maxRows} rows (${this.cellRef()})`,
            `${ctx.sheet}!${this.cellRef()}`,
          );
        }
      }
    } else if (this.cCol > ctx.maxColumns) {
      this.cCol = 0;
      this.inInline = false;
      return;
    }
    // one class for every cell keeps the consumer's property access monomorphic
    const cell = new ScannedCell(this.cCol, this.cAt, value, this.cellKind(this.cStyle, type, plain));
    if (this.cHasF) cell.formula = this.cF;
    this.cells[this.nCells++] = cell;
    this.cCol = 0;
    this.inInline = false;
  }
}
