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
  /** rows completed by the last feed() */
  private out: XRow[] = [];
  /** unprocessed text: an unfinished tag from the previous chunk */
  private rest = "";
  /** raw (entity-encoded) text of the element being captured */
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
  private cType = "";
  private cV: string | null = null;
  private cF: string | null = null;
  private cHasF = false;
  private cInline: string | null = null;

  readonly merges: string[] = [];

  constructor(private readonly ctx: ScanContext) {}

  /** Scans one chunk; returns the rows it completed (the array is reused: copy what you keep). */
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
      this.tag(buf, lt, gt);
      pos = gt + 1;
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

  private tag(buf: string, lt: number, gt: number): void {
    let i = lt + 1;
    const first = buf.charCodeAt(i);
    if (first === 33 /* ! */) {
      if (this.capture !== Capture.None && buf.startsWith("<![CDATA[", lt)) {
        // CDATA text is literal: encode its '&' so the decode at the element's end leaves it alone
        this.raw += buf.slice(lt + 9, gt - 2).replace(/&/g, "&amp;").replace(/</g, "&lt;");
      }
      return;
    }
    if (first === 63 /* ? */) return;
    const closing = first === 47; /* / */
    if (closing) i++;
    // the local name: skip a namespace prefix ("x:c" in files from the Open XML SDK)
    let nameStart = i;
    let end = i;
    for (; end < gt; end++) {
      const c = buf.charCodeAt(end);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62) break;
      if (c === 58) nameStart = end + 1;
    }
    const selfClosing = !closing && buf.charCodeAt(gt - 1) === 47;
    const nameLen = end - nameStart;
    const n0 = buf.charCodeAt(nameStart);
    if (nameLen === 1) {
      if (n0 === 99 /* c */) return closing ? this.closeCell() : this.openCell(buf, end, gt, selfClosing);
      if (n0 === 118 /* v */) return this.textElement(Capture.V, closing, selfClosing);
      if (n0 === 102 /* f */) return this.formula(closing, selfClosing);
      if (n0 === 116 /* t */) {
        if (this.inInline && !this.inPhonetic) this.textElement(Capture.T, closing, selfClosing);
        return;
      }
      return;
    }
    if (nameLen === 2 && n0 === 105 /* i */ && buf.charCodeAt(nameStart + 1) === 115 /* s */) {
      if (closing) this.inInline = false;
      else if (this.cCol && !selfClosing) {
        this.inInline = true;
        this.cInline = "";
      } else if (this.cCol) this.cInline = "";
      return;
    }
    if (nameLen === 3 && buf.startsWith("row", nameStart)) {
      if (closing) this.closeRow();
      else {
        this.openRow(buf, end, gt);
        if (selfClosing) this.closeRow();
      }
      return;
    }
    if (nameLen === 3 && buf.startsWith("rPh", nameStart)) {
      this.inPhonetic = !closing && !selfClosing;
      return;
    }
    if (nameLen === 9 && buf.startsWith("sheetData", nameStart)) {
      this.inSheetData = !closing && !selfClosing;
      return;
    }
    if (nameLen === 9 && !closing && buf.startsWith("mergeCell", nameStart)) {
      this.attrs(buf, end, gt, (k, v) => {
        if (k === "ref") this.merges.push(v);
      });
    }
  }

  /** Calls `on` for each attribute of the tag (names without prefix, values entity-decoded). */
  private attrs(buf: string, from: number, gt: number, on: (name: string, value: string) => void): void {
    let i = from;
    while (i < gt) {
      let c = buf.charCodeAt(i);
      while (c === 32 || c === 9 || c === 10 || c === 13) c = buf.charCodeAt(++i);
      if (i >= gt || c === 47 || c === 62) return;
      let ns = i;
      const nameFrom = i;
      while (i < gt) {
        c = buf.charCodeAt(i);
        if (c === 61 || c === 32 || c === 9 || c === 10 || c === 13) break;
        if (c === 58) ns = i + 1;
        i++;
      }
      const name = buf.slice(ns > nameFrom ? ns : nameFrom, i);
      while (i < gt && buf.charCodeAt(i) !== 61) i++;
      i++;
      while (i < gt && (c = buf.charCodeAt(i)) !== 34 && c !== 39) i++;
      const q = buf.charCodeAt(i);
      const vFrom = i + 1;
      const vTo = buf.indexOf(q === 39 ? "'" : '"', vFrom);
      if (vTo < 0 || vTo > gt) return;
      on(name, decodeEntities(buf.slice(vFrom, vTo)));
      i = vTo + 1;
    }
  }

  private openRow(buf: string, from: number, gt: number): void {
    if (!this.inSheetData) return;
    let r = 0;
    let hidden = false;
    this.attrs(buf, from, gt, (k, v) => {
      if (k === "r") r = Number(v);
      else if (k === "hidden") hidden = v === "1" || v === "true";
    });
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
    // writers put cells in column order; sort the rare file that does not
    if (this.row && this.unordered) this.row.cells.sort((a, b) => a.col - b.col);
    if (this.row) this.out.push(this.row);
    this.row = null;
  }

  private openCell(buf: string, from: number, gt: number, selfClosing: boolean): void {
    if (!this.row) return;
    let ref = "";
    let s = 0;
    let t = "";
    this.attrs(buf, from, gt, (k, v) => {
      if (k === "r") ref = v;
      else if (k === "s") s = Number(v) | 0;
      else if (k === "t") t = v;
    });
    let col = 0;
    if (ref) {
      const p = parseRef(ref);
      if (p) col = p.col;
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

  private formula(closing: boolean, selfClosing: boolean): void {
    if (!this.cCol) return;
    if (!closing) {
      this.cHasF = true;
      // a shared formula's dependents are empty <f t="shared" si="n"/>: their text stays null
      if (selfClosing) return;
      this.capture = Capture.F;
      this.raw = "";
      return;
    }
    if (this.capture === Capture.F) {
      this.cF = this.raw === "" ? null : decodeEntities(this.raw);
      this.capture = Capture.None;
      this.raw = "";
    }
  }

  private textElement(kind: Capture, closing: boolean, selfClosing: boolean): void {
    if (!this.cCol) return;
    if (!closing) {
      if (selfClosing) {
        if (kind === Capture.V) this.cV = "";
        return;
      }
      this.capture = kind;
      this.raw = "";
      return;
    }
    if (this.capture !== kind) return;
    const text = decodeEntities(this.raw);
    if (kind === Capture.V) this.cV = text;
    else this.cInline = (this.cInline ?? "") + text; // rich text runs join
    this.capture = Capture.None;
    this.raw = "";
  }

  private closeCell(): void {
    const row = this.row;
    if (!row || !this.cCol) return;
    const ctx = this.ctx;
    const cell: XCell = { col: this.cCol, ref: this.cRef, type: "z", value: null };
    const v = this.cV;
    switch (this.cType) {
      case "s":
        if (v !== null && v !== "") {
          const s = ctx.sharedStrings[Number(v)];
          cell.type = "s";
          cell.value = s ?? "";
        }
        break;
      case "str":
        if (v !== null) {
          cell.type = "s";
          cell.value = v;
        }
        break;
      case "inlineStr":
        if (this.cInline !== null || v !== null) {
          cell.type = "s";
          cell.value = this.cInline ?? v;
        }
        break;
      case "b":
        if (v !== null && v !== "") {
          cell.type = "b";
          cell.value = v.trim() === "1" || v.trim() === "true";
        }
        break;
      case "e":
        if (v !== null && v !== "") {
          cell.type = "e";
          cell.value = v;
        }
        break;
      case "d":
        if (v !== null && v !== "") {
          const serial = isoToSerial(v, ctx.date1904);
          if (serial !== null) {
            cell.type = "n";
            cell.value = serial;
          } else {
            cell.type = "s";
            cell.value = v;
          }
        }
        break;
      default:
        if (v !== null && v !== "") {
          cell.type = "n";
          cell.value = Number(v);
        }
    }
    if (this.cHasF) cell.formula = this.cF;
    cell.numFmt = ctx.numFmt[this.cStyle] ?? "General";
    const font = ctx.font[this.cStyle];
    if (font !== undefined) cell.font = font;
    row.cells.push(cell);
    this.cCol = 0;
    this.inInline = false;
  }
}
