// The purpose-built scanner of worksheet XML: the ETL's hot path (millions of cells). A generic
// SAX parser builds an event and an attribute object for every tag; this one knows the handful
// of elements a sheet's values live in (row, c, v, f, is/t, mergeCell) and skips the rest,
// reading attributes in place. It is fed decoded text chunks of any size and keeps across calls
// only an unfinished tag and the raw text of the element being read, so a tag or an entity split
// between two chunks is fine. It is checked cell by cell against exceljs (test/xlsx).
import type { XCell, XRow } from "./types.js";
import { XlsxOpenError } from "./types.js";
import { colLetters, parseRef } from "./refs.js";

export interface ScanContext {
  sheet: string;
  sharedStrings: string[];
  numFmt: string[];
  font: (string | undefined)[];
  date1904: boolean;
  maxColumns: number;
  maxRows: number;
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

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Replaces the five named entities and numeric character references. */
export function decodeEntities(s: string): string {
  if (s.indexOf("&") < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.charCodeAt(0) === 35) {
      const code = e.charCodeAt(1) === 120 ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** An ISO date (`t="d"`) as Excel's serial number, read as wall-clock time like Excel does. */
export function isoToSerial(s: string, date1904: boolean): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(s.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, 0) + (m[6] ? +m[6] * 1000 : 0);
  return ms / 86_400_000 + 25569 - (date1904 ? 1462 : 0);
}

export class SheetScanner {
  /** rows completed by the current feed() */
  private out: XRow[] = [];
  /** unprocessed text: an unfinished tag from the previous chunk */
  private rest = "";
  /** raw (entity-encoded) text of the element being captured across a chunk boundary */
  private raw = "";
  private capture = Capture.None;
  private inInline = false;
  private inPhonetic = false;
  private inSheetData = false;

  private row: XRow | null = null;
  private lastRow = 0;
  private rowCount = 0;
  private lastCol = 0;
  private unordered = false;

  // the cell being read
  private cCol = 0;
  private cRef = "";
  private cStyle = 0;
  private cType = CellType.N;
  private cV: string | null = null;
  private cF: string | null = null;
  private cHasF = false;
  private cInline: string | null = null;

  // the attribute found by nextAttr(): name (without prefix) and value bounds in the buffer
  private an0 = 0;
  private an1 = 0;
  private av0 = 0;
  private av1 = 0;

  readonly merges: string[] = [];

  constructor(private readonly ctx: ScanContext) {}

  /** Scans one chunk; returns the rows it completed. */
  feed(chunk: string): XRow[] {
    this.out = [];
    const buf = this.rest.length ? this.rest + chunk : chunk;
    this.rest = "";
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      const lt = buf.indexOf("<", pos);
      if (lt < 0) {
        if (this.capture !== Capture.None) this.raw += buf.slice(pos);
        break;
      }
      if (this.capture !== Capture.None && lt > pos) this.raw += buf.slice(pos, lt);
      const gt = this.tagEnd(buf, lt);
      if (gt < 0) {
        this.rest = buf.slice(lt);
        break;
      }
      pos = this.tag(buf, lt, gt) + 1;
    }
    return this.out;
  }

  /** The end of input: an unfinished tag or row means the part was cut short. */
  end(): XRow[] {
    this.out = [];
    if (this.rest.trim().length || this.row) {
      throw new XlsxOpenError("truncated", `sheet "${this.ctx.sheet}": the sheet XML ends inside a row`, this.ctx.sheet);
    }
    return this.out;
  }

  /** Index of the '>' closing the tag at `lt`, or -1 when it is not in this chunk. */
  private tagEnd(buf: string, lt: number): number {
    if (buf.charCodeAt(lt + 1) === 33 /* ! */) {
      // comments and CDATA may hold '>' and '<'
      if (buf.startsWith("<!--", lt)) {
        const e = buf.indexOf("-->", lt + 4);
        return e < 0 ? -1 : e + 2;
      }
      if (buf.startsWith("<![CDATA[", lt)) {
        const e = buf.indexOf("]]>", lt + 9);
        return e < 0 ? -1 : e + 2;
      }
      if (lt + 9 > buf.length) return -1; // cannot tell yet
    }
    // a '>' inside a quoted attribute value is legal XML: skip quoted runs
    let q = 0;
    for (let i = lt + 1, n = buf.length; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (q !== 0) {
        if (c === q) q = 0;
      } else if (c === 62) return i;
      else if (c === 34 || c === 39) q = c;
    }
    return -1;
  }

  /** Handles the tag buf[lt..gt]; returns the index of the last character it consumed. */
  private tag(buf: string, lt: number, gt: number): number {
    let i = lt + 1;
    const first = buf.charCodeAt(i);
    if (first === 33 /* ! */) {
      if (this.capture !== Capture.None && buf.startsWith("<![CDATA[", lt)) {
        // CDATA text is literal: encode its '&' so the decode at the element's end leaves it alone
        this.raw += buf.slice(lt + 9, gt - 2).replace(/&/g, "&amp;");
      }
      return gt;
    }
    if (first === 63 /* ? */) return gt;
    const closing = first === 47; /* / */
    if (closing) i++;
    // the local name: skip a namespace prefix ("x:c" in files from the Open XML SDK)
    let nameStart = i;
    let end = i;
    for (; end < gt; end++) {
      const c = buf.charCodeAt(end);
      if (c === 32 || c === 47 || c === 62 || c === 9 || c === 10 || c === 13) break;
      if (c === 58) nameStart = end + 1;
    }
    const selfClosing = !closing && buf.charCodeAt(gt - 1) === 47;
    const nameLen = end - nameStart;
    const n0 = buf.charCodeAt(nameStart);
    if (nameLen === 1) {
      if (n0 === 99 /* c */) {
        if (closing) this.closeCell();
        else this.openCell(buf, end, gt, selfClosing);
        return gt;
      }
      if (n0 === 118 /* v */) return this.textElement(buf, gt, Capture.V, closing, selfClosing);
      if (n0 === 102 /* f */) {
        if (!closing && this.cCol) this.cHasF = true;
        // a shared formula's dependents are empty <f t="shared" si="n"/>: their text stays null
        return this.textElement(buf, gt, Capture.F, closing, selfClosing);
      }
      if (n0 === 116 /* t */ && this.inInline && !this.inPhonetic) return this.textElement(buf, gt, Capture.T, closing, selfClosing);
      return gt;
    }
    if (nameLen === 3 && n0 === 114 /* r */) {
      if (buf.charCodeAt(nameStart + 1) === 111 && buf.charCodeAt(nameStart + 2) === 119) {
        // <row>
        if (closing) this.closeRow();
        else {
          this.openRow(buf, end, gt);
          if (selfClosing) this.closeRow();
        }
      } else if (buf.startsWith("rPh", nameStart)) this.inPhonetic = !closing && !selfClosing;
      return gt;
    }
    if (nameLen === 2 && n0 === 105 /* i */ && buf.charCodeAt(nameStart + 1) === 115 /* s */) {
      if (closing) this.inInline = false;
      else if (this.cCol) {
        this.inInline = !selfClosing;
        this.cInline = "";
      }
      return gt;
    }
    if (nameLen === 9 && buf.startsWith("sheetData", nameStart)) {
      this.inSheetData = !closing && !selfClosing;
      return gt;
    }
    if (nameLen === 9 && !closing && buf.startsWith("mergeCell", nameStart)) {
      for (let a = this.nextAttr(buf, end, gt); a >= 0; a = this.nextAttr(buf, a, gt)) {
        if (this.nameIs(buf, "ref")) this.merges.push(this.value(buf));
      }
    }
    return gt;
  }

  /**
   * Finds the next attribute from `i`; leaves its name and value bounds in an0/an1/av0/av1 and
   * returns the index after it, or -1 when there is none. Allocates nothing.
   */
  private nextAttr(buf: string, i: number, gt: number): number {
    let c = buf.charCodeAt(i);
    while (i < gt && isSpace(c)) c = buf.charCodeAt(++i);
    if (i >= gt || c === 47 || c === 62) return -1;
    let ne = i;
    let ns = i;
    while (ne < gt && (c = buf.charCodeAt(ne)) !== 61 && !isSpace(c)) {
      if (c === 58) ns = ne + 1;
      ne++;
    }
    let q = ne;
    while (q < gt && (c = buf.charCodeAt(q)) !== 34 && c !== 39) q++;
    if (q >= gt) return -1;
    const ve = buf.indexOf(c === 39 ? "'" : '"', q + 1);
    if (ve < 0 || ve >= gt) return -1;
    this.an0 = ns;
    this.an1 = ne;
    this.av0 = q + 1;
    this.av1 = ve;
    return ve + 1;
  }

  private nameIs(buf: string, name: string): boolean {
    return this.an1 - this.an0 === name.length && buf.startsWith(name, this.an0);
  }

  private value(buf: string): string {
    return decodeEntities(buf.slice(this.av0, this.av1));
  }

  /** The attribute value as a non-negative integer, or -1. */
  private intValue(buf: string): number {
    let n = 0;
    if (this.av1 === this.av0) return -1;
    for (let k = this.av0; k < this.av1; k++) {
      const d = buf.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  private openRow(buf: string, from: number, gt: number): void {
    if (!this.inSheetData) return;
    let r = 0;
    let hidden = false;
    for (let a = this.nextAttr(buf, from, gt); a >= 0; a = this.nextAttr(buf, a, gt)) {
      const len = this.an1 - this.an0;
      if (len === 1 && buf.charCodeAt(this.an0) === 114 /* r */) r = this.intValue(buf);
      else if (len === 6 && buf.startsWith("hidden", this.an0)) {
        const v = this.value(buf);
        hidden = v === "1" || v === "true";
      }
    }
    // rows without r follow the previous one
    if (!(r > 0)) r = this.lastRow + 1;
    this.lastRow = r;
    this.lastCol = 0;
    this.unordered = false;
    if (++this.rowCount > this.ctx.maxRows) {
      throw new XlsxOpenError(
        "too_many_rows",
        `sheet "${this.ctx.sheet}" has more than ${this.ctx.maxRows} rows`,
        `${this.ctx.sheet}!A${r}`,
      );
    }
    this.row = { row: r, hidden, cells: [] };
  }

  private closeRow(): void {
    const row = this.row;
    if (!row) return;
    // writers put cells in column order; sort the rare file that does not
    if (this.unordered) row.cells.sort((a, b) => a.col - b.col);
    this.out.push(row);
    this.row = null;
  }

  private openCell(buf: string, from: number, gt: number, selfClosing: boolean): void {
    if (!this.row) return;
    let ref = "";
    let col = 0;
    let s = 0;
    let t = CellType.N;
    for (let a = this.nextAttr(buf, from, gt); a >= 0; a = this.nextAttr(buf, a, gt)) {
      const len = this.an1 - this.an0;
      const n = buf.charCodeAt(this.an0);
      if (len !== 1) continue;
      if (n === 114 /* r */) {
        ref = buf.slice(this.av0, this.av1);
        // the column from the letters of the reference
        for (let k = this.av0; k < this.av1; k++) {
          const ch = buf.charCodeAt(k) & ~32;
          if (ch < 65 || ch > 90) break;
          col = col * 26 + (ch - 64);
        }
      } else if (n === 115 /* s */) s = Math.max(0, this.intValue(buf));
      else if (n === 116 /* t */) {
        const vl = this.av1 - this.av0;
        const v0 = buf.charCodeAt(this.av0);
        if (vl === 1) t = v0 === 115 ? CellType.S : v0 === 98 ? CellType.B : v0 === 101 ? CellType.E : v0 === 100 ? CellType.D : CellType.N;
        else if (vl === 3 && v0 === 115) t = CellType.Str;
        else if (vl === 9 && v0 === 105) t = CellType.Inline;
      }
    }
    // cells without r follow the previous one in the row
    if (col === 0) {
      col = this.lastCol + 1;
      ref = colLetters(col) + this.row.row;
    }
    if (col <= this.lastCol) this.unordered = true;
    this.lastCol = col;
    if (col > this.ctx.maxColumns) {
      throw new XlsxOpenError(
        "too_many_columns",
        `sheet "${this.ctx.sheet}" has a cell in column ${col}, over the limit of ${this.ctx.maxColumns}`,
        ref,
      );
    }
    this.cCol = col;
    this.cRef = ref;
    this.cStyle = s;
    this.cType = t;
    this.cV = null;
    this.cF = null;
    this.cHasF = false;
    this.cInline = null;
    if (selfClosing) this.closeCell();
  }

  /**
   * <v>, <f> and <t>: text-only elements. The common case (the closing tag in the same chunk) is
   * read in one slice; otherwise the text is captured until the closing tag arrives.
   */
  private textElement(buf: string, gt: number, kind: Capture, closing: boolean, selfClosing: boolean): number {
    if (!this.cCol) return gt;
    if (!closing) {
      if (selfClosing) {
        if (kind === Capture.V) this.cV = "";
        return gt;
      }
      const lt2 = buf.indexOf("<", gt + 1);
      if (lt2 >= 0 && buf.charCodeAt(lt2 + 1) === 47) {
        const gt2 = buf.indexOf(">", lt2 + 2);
        if (gt2 >= 0) {
          this.setText(kind, decodeEntities(buf.slice(gt + 1, lt2)));
          return gt2;
        }
      }
      this.capture = kind;
      this.raw = "";
      return gt;
    }
    if (this.capture === kind) {
      this.setText(kind, decodeEntities(this.raw));
      this.capture = Capture.None;
      this.raw = "";
    }
    return gt;
  }

  private setText(kind: Capture, text: string): void {
    if (kind === Capture.V) this.cV = text;
    else if (kind === Capture.F) this.cF = text === "" ? null : text;
    else this.cInline = (this.cInline ?? "") + text; // rich text runs join
  }

  private closeCell(): void {
    const row = this.row;
    if (!row || !this.cCol) return;
    const ctx = this.ctx;
    let type: XCell["type"] = "z";
    let value: XCell["value"] = null;
    const v = this.cV;
    switch (this.cType) {
      case CellType.N:
        if (v !== null && v !== "") {
          type = "n";
          value = Number(v);
        }
        break;
      case CellType.S:
        if (v !== null && v !== "") {
          type = "s";
          value = ctx.sharedStrings[Number(v)] ?? "";
        }
        break;
      case CellType.Str:
        if (v !== null) {
          type = "s";
          value = v;
        }
        break;
      case CellType.Inline:
        if (this.cInline !== null || v !== null) {
          type = "s";
          value = this.cInline ?? v;
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
    // one object shape for every cell keeps the consumer's property access monomorphic
    const cell: XCell = {
      col: this.cCol,
      ref: this.cRef,
      type,
      value,
      numFmt: ctx.numFmt[this.cStyle] ?? "General",
      font: ctx.font[this.cStyle],
    };
    if (this.cHasF) cell.formula = this.cF;
    row.cells.push(cell);
    this.cCol = 0;
    this.inInline = false;
  }
}
