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
 * "B7" → { row: 7, col: 2 }; "$B$7" and lower case are accepted; null when it is not a cell
 * reference on a worksheet (1–3 letters, 1–7 digits, within MAX_ROW and MAX_COL).
 */
export function parseRef(ref: string): { row: number; col: number } | null {
  // by hand: every cell of a sheet is read through here (/^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/)
  const n = ref.length;
  let i = ref.charCodeAt(0) === 36 /* $ */ ? 1 : 0;
  let col = 0;
  const c0 = i;
  for (; i < n && i - c0 < 4; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  const letters = i - c0;
  if (letters < 1 || letters > 3) return null;
  if (ref.charCodeAt(i) === 36) i++;
  let row = 0;
  const r0 = i;
  for (; i < n; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    row = row * 10 + (c - 48);
  }
  const digits = i - r0;
  if (digits < 1 || digits > 7) return null;
  if (row < 1 || row > MAX_ROW || col > MAX_COL) return null;
  return { row, col };
}
