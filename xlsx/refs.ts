// A1-style references: the one place that turns (row, column) into "B7" and back, for the ETL's
// reader, the fill's package edits and formulas, the engine and the task pane alike.
// No imports at all, node: least of all: the engine and the pane bundle it.

/** The last row and column of a worksheet (Excel 2007 and later). */
export const MAX_ROW = 1_048_576;
export const MAX_COL = 16_384;

/** 1 → "A", 27 → "AA", 16384 → "XFD". */
export function colLetters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** "A" → 1, "xfd" → 16384 (letters only; either case). */
export function colNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + ((letters.charCodeAt(i) & ~32) - 64);
  return n;
}

// the letters of the first columns, which nearly every cell reference uses
const LETTERS: string[] = [];

/** (7, 2) → "B7". */
export function cellRef(row: number, col: number): string {
  return (col < 1024 ? (LETTERS[col] ??= colLetters(col)) : colLetters(col)) + row;
}

/**
 * The number the decimal digits s[from, to) write (0 for none), or -1 when one of them is not a
 * digit: by hand, for the readers of sheet XML that read a number in place of the text, without
 * the string Number() would need. Exact while there are at most 15 digits (callers bound them).
 */
export function digitsValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * "B7" → { row: 7, col: 2 }; "$B$7" and lower case are accepted; null when it is not a cell
 * reference on a worksheet (1–3 letters, 1–7 digits, within MAX_ROW and MAX_COL).
 */
export function parseRef(ref: string): { row: number; col: number } | null {
  return parseRefAt(ref, 0, ref.length);
}

/** parseRef of s[from, to), read where it stands (an attribute's value in a sheet's text). */
export function parseRefAt(s: string, from: number, to: number): { row: number; col: number } | null {
  // by hand: every cell of a sheet is read through here (/^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/)
  let i = from < to && s.charCodeAt(from) === 36 /* $ */ ? from + 1 : from;
  let col = 0;
  const c0 = i;
  for (; i < to && i - c0 < 4; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  const letters = i - c0;
  if (letters < 1 || letters > 3) return null;
  if (i < to && s.charCodeAt(i) === 36) i++;
  const digits = to - i;
  if (digits < 1 || digits > 7) return null;
  const row = digitsValue(s, i, to);
  if (row < 1 || row > MAX_ROW || col > MAX_COL) return null;
  return { row, col };
}

/** A parsed A1 area. Whole columns have r1 = r2 = 0; whole rows have c1 = c2 = 0. */
export interface A1Area {
  kind: "cell" | "range" | "rows" | "cols";
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  /** $ markers: [row1, col1, row2, col2] */
  abs: [boolean, boolean, boolean, boolean];
}

/** A cell reference as a formula may write it (letters and digits within their counts, $ allowed). */
export const A1_CELL = /^(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})$/;
const ROW = /^(\$?)(\d{1,7})$/;
const COL = /^(\$?)([A-Za-z]{1,3})$/;

/** Parse "B7", "$B$7:C9", "3:5", "A:C"; null when the text is not an area. */
export function parseArea(text: string): A1Area | null {
  const parts = text.split(":");
  if (parts.length > 2) return null;
  const [a, b] = parts;
  let m1 = A1_CELL.exec(a);
  if (m1) {
    const c1 = colNumber(m1[2]);
    const r1 = Number(m1[4]);
    if (c1 > MAX_COL || r1 < 1 || r1 > MAX_ROW) return null;
    if (b === undefined) return { kind: "cell", r1, c1, r2: r1, c2: c1, abs: [m1[3] === "$", m1[1] === "$", m1[3] === "$", m1[1] === "$"] };
    const m2 = A1_CELL.exec(b);
    if (!m2) return null;
    const c2 = colNumber(m2[2]);
    const r2 = Number(m2[4]);
    if (c2 > MAX_COL || r2 < 1 || r2 > MAX_ROW) return null;
    return { kind: "range", r1, c1, r2, c2, abs: [m1[3] === "$", m1[1] === "$", m2[3] === "$", m2[1] === "$"] };
  }
  if (b === undefined) return null;
  m1 = ROW.exec(a);
  const m2r = ROW.exec(b);
  if (m1 && m2r) {
    const r1 = Number(m1[2]);
    const r2 = Number(m2r[2]);
    if (r1 < 1 || r2 < 1 || r1 > MAX_ROW || r2 > MAX_ROW) return null;
    return { kind: "rows", r1, c1: 0, r2, c2: 0, abs: [m1[1] === "$", false, m2r[1] === "$", false] };
  }
  const k1 = COL.exec(a);
  const k2 = COL.exec(b);
  if (k1 && k2) {
    const c1 = colNumber(k1[2]);
    const c2 = colNumber(k2[2]);
    if (c1 > MAX_COL || c2 > MAX_COL) return null;
    return { kind: "cols", r1: 0, c1, r2: 0, c2, abs: [false, k1[1] === "$", false, k2[1] === "$"] };
  }
  return null;
}

export function formatArea(a: A1Area): string {
  const d = (x: boolean): string => (x ? "$" : "");
  switch (a.kind) {
    case "cell":
      return `${d(a.abs[1])}${colLetters(a.c1)}${d(a.abs[0])}${a.r1}`;
    case "range":
      return `${d(a.abs[1])}${colLetters(a.c1)}${d(a.abs[0])}${a.r1}:${d(a.abs[3])}${colLetters(a.c2)}${d(a.abs[2])}${a.r2}`;
    case "rows":
      return `${d(a.abs[0])}${a.r1}:${d(a.abs[2])}${a.r2}`;
    case "cols":
      return `${d(a.abs[1])}${colLetters(a.c1)}:${d(a.abs[3])}${colLetters(a.c2)}`;
  }
}
