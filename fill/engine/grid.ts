// Safe reads of a GridSnapshot: rows may be ragged or shorter than rowCount (phase one holds only
// the first rows), merges may reach outside the values. Everything here is 1-based.
import type { GridSnapshot, GridValue } from "./types.js";

export function valueAt(s: GridSnapshot, row: number, col: number): GridValue {
  const r = s.values[row - 1];
  if (!r) return null;
  const v = r[col - 1];
  return v === undefined ? null : v;
}

export function formulaAt(s: GridSnapshot, row: number, col: number): string | null {
  const r = s.formulas?.[row - 1];
  if (!r) return null;
  const f = r[col - 1];
  return typeof f === "string" && f.length > 0 ? f : null;
}

export function formatAt(s: GridSnapshot, row: number, col: number): string {
  const r = s.numberFormats?.[row - 1];
  if (!r) return "";
  const f = r[col - 1];
  return typeof f === "string" ? f : "";
}

/** Rows actually present in the snapshot's values. */
export function rowsIn(s: GridSnapshot): number {
  return s.values.length;
}

export function colsIn(s: GridSnapshot): number {
  let n = 0;
  for (const r of s.values) if (Array.isArray(r) && r.length > n) n = r.length;
  return n;
}

/**
 * The value a cell shows: its own, or the top-left value of the merged area it lies in (a group
 * header "Kinh phí được phê duyệt" merged over three columns heads each of them).
 */
export function mergedValueReader(s: GridSnapshot, maxRow: number): (row: number, col: number) => GridValue {
  const owner = new Map<number, [number, number]>();
  const cols = Math.max(colsIn(s), 1);
  const key = (r: number, c: number) => r * (cols + 64) + c;
  for (const m of s.merges ?? []) {
    if (!m || !(m.top >= 1) || !(m.left >= 1) || m.bottom < m.top || m.right < m.left) continue;
    if (m.top > maxRow) continue;
    const bottom = Math.min(m.bottom, maxRow);
    const right = Math.min(m.right, cols);
    // guard against absurd merges (a whole column) in random or broken grids
    if ((bottom - m.top + 1) * (right - m.left + 1) > 20_000) continue;
    for (let r = m.top; r <= bottom; r++) for (let c = m.left; c <= right; c++) if (r !== m.top || c !== m.left) owner.set(key(r, c), [m.top, m.left]);
  }
  return (row, col) => {
    const own = valueAt(s, row, col);
    if (own !== null && own !== "") return own;
    const o = owner.get(key(row, col));
    return o ? valueAt(s, o[0], o[1]) : own;
  };
}

/** "A", "B", … "AA" for a 1-based column: the toolkit's one A1 module (pure, as the engine is). */
export { colLetters as colLetter } from "../../xlsx/refs.js";

export function isEmpty(v: GridValue): boolean {
  return v === null || (typeof v === "string" && v.trim() === "");
}
