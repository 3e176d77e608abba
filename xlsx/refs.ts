// A1-style references: the one place that turns (row, column) into "B7" and back.

/** 1 → "A", 27 → "AA", 16384 → "XFD". */
export function colLetters(col: number): string {
  let s = "";
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** (7, 2) → "B7". */
export function cellRef(row: number, col: number): string {
  return colLetters(col) + row;
}

/** "B7" → { row: 7, col: 2 }; "$B$7" is accepted; null when it is not a cell reference. */
export function parseRef(ref: string): { row: number; col: number } | null {
  let i = 0;
  let col = 0;
  if (ref.charCodeAt(i) === 36) i++;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) & ~32; // upper-case letters
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  if (ref.charCodeAt(i) === 36) i++;
  let row = 0;
  const start = i;
  for (; i < ref.length; i++) {
    const d = ref.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    row = row * 10 + d;
  }
  if (col === 0 || i === start || row === 0) return null;
  return { row, col };
}
