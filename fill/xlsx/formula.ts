// References inside formulas, and moving them when rows are inserted or deleted.
//
// A formula is scanned as tokens: string literals ("…", with "" inside) and structured references
// ([…], nested) are skipped whole; a quoted sheet name ('My sheet'!) or a bare one (PL03!) is read
// as a prefix; what follows is read as an A1 area (B7, $B$7:C9, 3:5, A:C). A token is a reference
// only when it is a whole token: "LOG10(" is a function, "A1B" or "Sheet1" are names, "1E3" is a
// number. R1C1 notation does not occur in stored OOXML formulas. External references ([1]Sheet!A1)
// and 3-D references (Sheet1:Sheet3!A1) are left as they are.
// No node: imports (the task pane may reuse it).
import type { RowOp } from "../engine/types.js";
import { A1_CELL, formatArea, MAX_COL, MAX_ROW, parseArea, type A1Area } from "../../xlsx/refs.js";

export interface FormulaRef {
  /** the sheet as written (unquoted, '' unescaped), null when the reference has no sheet */
  sheet: string | null;
  /** true for [n]Sheet!… (another workbook) and Sheet1:Sheet3!… (3-D): never adjusted */
  foreign: boolean;
  area: A1Area;
}

/** Quote a sheet name for a formula when it needs it. */
export function quoteSheet(name: string): string {
  if (/^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) && !A1_CELL.test(name) && !/^(R\d*C\d*|R|C)$/i.test(name) && !/^(TRUE|FALSE)$/i.test(name)) return name;
  return `'${name.replace(/'/g, "''")}'`;
}

// ---------------------------------------------------------------- scanning

const IDENT_RE = /[\p{L}\p{N}_.$\\?]/u;
// a character that can be part of a name or reference token (ASCII fast path: this runs per character)
const IDENT = {
  test(ch: string): boolean {
    const c = ch.charCodeAt(0);
    if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 36 || c === 92 || c === 63;
    return IDENT_RE.test(ch);
  },
};

/**
 * Rewrite every reference of a formula with `fn` (return the new text, or undefined to keep it).
 * The text given to `fn` replaces the whole reference including its sheet prefix.
 */
export function mapRefs(formula: string, fn: (ref: FormulaRef, text: string) => string | undefined): string {
  let out = "";
  let i = 0;
  const n = formula.length;
  let lastBracketEnd = -2; // index just after the last "]" seen: marks [n]Sheet! external refs
  while (i < n) {
    const ch = formula[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < n) {
        if (formula[j] === '"') {
          if (formula[j + 1] === '"') j += 2;
          else break;
        } else j++;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === "[") {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (formula[j] === "[") depth++;
        else if (formula[j] === "]") {
          depth--;
          if (depth === 0) break;
        } else if (formula[j] === "'" && formula[j + 1] !== undefined) j++; // '-escape inside structured refs
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      lastBracketEnd = i;
      continue;
    }
    if (ch === "#") {
      // an error literal (#REF!, #N/A, #DIV/0!): copy it whole so "REF!" is not read as a sheet
      const m = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|UNKNOWN!|CONNECT!|BUSY!)/i.exec(formula.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    let sheet: string | null = null;
    let foreign = false;
    let prefixEnd = i;
    if (ch === "'") {
      let j = i + 1;
      let name = "";
      while (j < n) {
        if (formula[j] === "'") {
          if (formula[j + 1] === "'") {
            name += "'";
            j += 2;
            continue;
          }
          break;
        }
        name += formula[j++];
      }
      if (formula[j + 1] === "!") {
        sheet = name;
        prefixEnd = j + 2;
        foreign = name.startsWith("[") || name.includes(":");
      } else {
        out += formula.slice(i, j + 1);
        i = j + 1;
        continue;
      }
    } else if (IDENT.test(ch)) {
      let j = i;
      while (j < n && IDENT.test(formula[j])) j++;
      // Sheet1:Sheet3!A1 — a 3-D prefix
      let k = j;
      if (formula[k] === ":" && IDENT.test(formula[k + 1] ?? "")) {
        let k2 = k + 1;
        while (k2 < n && IDENT.test(formula[k2])) k2++;
        if (formula[k2] === "!") {
          out += formula.slice(i, k2 + 1);
          i = k2 + 1;
          // the area after a 3-D prefix is copied by the next iterations as an unqualified-looking
          // token; mark it foreign by reading it here
          const m = readArea(formula, i);
          if (m) {
            out += formula.slice(i, m.end);
            i = m.end;
          }
          continue;
        }
      }
      k = j;
      if (formula[k] === "!") {
        sheet = formula.slice(i, j);
        foreign = lastBracketEnd === i;
        prefixEnd = k + 1;
      }
    } else {
      out += ch;
      i++;
      continue;
    }
    const prevOk = i === 0 || !IDENT.test(formula[i - 1]) || sheet !== null;
    const m = prevOk ? readArea(formula, prefixEnd) : null;
    if (!m || (sheet === null && IDENT.test(formula[i - 1] ?? ""))) {
      // not a reference: copy the token (or the prefix) unchanged
      let j = prefixEnd;
      if (sheet === null) while (j < n && IDENT.test(formula[j])) j++;
      if (j === i) j = i + 1;
      out += formula.slice(i, j);
      i = j;
      continue;
    }
    const whole = formula.slice(i, m.end);
    const rep = fn({ sheet, foreign, area: m.area }, whole);
    out += rep === undefined ? whole : rep;
    i = m.end;
  }
  return out;
}

/** Read an area starting at `i` that is a whole token; its end index. */
function readArea(s: string, i: number): { area: A1Area; end: number } | null {
  let j = i;
  while (j < s.length && /[A-Za-z0-9$]/.test(s[j])) j++;
  if (j === i) return null;
  let end = j;
  if (s[j] === ":") {
    let k = j + 1;
    while (k < s.length && /[A-Za-z0-9$]/.test(s[k])) k++;
    if (k > j + 1) {
      const a2 = parseArea(s.slice(i, k));
      if (a2 && !followsIdent(s, k)) return { area: a2, end: k };
    }
  }
  const a = parseArea(s.slice(i, end));
  if (!a || a.kind !== "cell") return null;
  if (followsIdent(s, end)) return null;
  end = j;
  return { area: a, end };
}

/** A character after a reference that makes it part of a longer token (name, function call). */
function followsIdent(s: string, k: number): boolean {
  const c = s[k];
  if (c === undefined) return false;
  return c === "(" || c === "!" || c === "[" || IDENT.test(c);
}

// ---------------------------------------------------------------- row moves

/** Move a row interval through one op; null when all of it is deleted. */
export function moveRows(r1: number, r2: number, op: RowOp): [number, number] | null {
  if (op.op === "insert") {
    const a = r1 >= op.at ? Math.min(r1 + op.count, MAX_ROW) : r1;
    const b = r2 >= op.at ? Math.min(r2 + op.count, MAX_ROW) : r2;
    return [a, b];
  }
  const end = op.at + op.count - 1;
  if (r1 >= op.at && r2 <= end) return null;
  const a = r1 < op.at ? r1 : r1 > end ? r1 - op.count : op.at;
  const b = r2 < op.at ? r2 : r2 > end ? r2 - op.count : op.at - 1;
  return [a, b];
}

/** Move a row interval through every op in order. */
export function moveRowsAll(r1: number, r2: number, ops: readonly RowOp[]): [number, number] | null {
  let cur: [number, number] | null = [r1, r2];
  for (const op of ops) {
    cur = moveRows(cur[0], cur[1], op);
    if (!cur) return null;
  }
  return cur;
}

/** Where a single row goes, or null when it is deleted. */
export const moveRow = (r: number, ops: readonly RowOp[]): number | null => moveRowsAll(r, r, ops)?.[0] ?? null;

/** Move an area; null when deleted. Whole-column areas never move. */
export function moveArea(a: A1Area, ops: readonly RowOp[]): A1Area | null {
  if (a.kind === "cols" || ops.length === 0) return a;
  const m = moveRowsAll(a.r1, a.r2, ops);
  if (!m) return null;
  return { ...a, r1: m[0], r2: m[1] };
}

/** Sheets whose rows move, by lower-case name. */
export type Moves = ReadonlyMap<string, readonly RowOp[]>;

export interface ShiftResult {
  text: string;
  changed: boolean;
  /** lower-case names of the sheets the formula refers to (the current sheet for bare refs) */
  sheets: Set<string>;
}

/**
 * Adjust a formula's references for row moves. `current` is the sheet the formula lives on
 * (bare references belong to it); null for workbook-level names and chart series, whose bare
 * references are left alone.
 */
export function shiftFormula(formula: string, current: string | null, moves: Moves): ShiftResult {
  const sheets = new Set<string>();
  // no sheet prefix and no current sheet: nothing here can name a sheet
  if (current === null && !formula.includes("!")) return { text: formula, changed: false, sheets };
  let changed = false;
  const text = mapRefs(formula, (ref, whole) => {
    if (ref.foreign) return undefined;
    const sheet = (ref.sheet ?? current)?.toLowerCase();
    if (sheet === undefined) return undefined;
    sheets.add(sheet);
    const ops = moves.get(sheet);
    if (!ops || ops.length === 0) return undefined;
    const moved = moveArea(ref.area, ops);
    const prefix = whole.slice(0, whole.length - formatLen(whole, ref));
    if (!moved) {
      changed = true;
      return `${prefix}#REF!`;
    }
    if (moved.r1 === ref.area.r1 && moved.r2 === ref.area.r2) return undefined;
    changed = true;
    return prefix + formatArea(moved);
  });
  return { text, changed, sheets };
}

/** Length of the area part at the end of a reference's text (after any sheet prefix). */
function formatLen(whole: string, ref: FormulaRef): number {
  if (ref.sheet === null) return whole.length;
  return whole.length - (whole.lastIndexOf("!") + 1);
}

/**
 * The formula of a conditional format or a validation whose anchor (the top-left cell of its
 * range, which relative references are measured from) was deleted: the range now starts
 * `delta` rows lower than the old anchor would have. Relative row parts keep their distance to
 * the anchor (they move by `delta`); absolute ones move with the rows; other sheets as usual.
 */
export function shiftAnchoredFormula(formula: string, current: string, moves: Moves, delta: number): ShiftResult {
  const sheets = new Set<string>();
  let changed = false;
  const own = current.toLowerCase();
  const ops = moves.get(own) ?? [];
  const text = mapRefs(formula, (ref, whole) => {
    if (ref.foreign) return undefined;
    const sheet = (ref.sheet ?? current).toLowerCase();
    sheets.add(sheet);
    const prefix = whole.slice(0, whole.length - formatLen(whole, ref));
    const a = ref.area;
    if (sheet !== own || a.kind === "cols") {
      const sops = moves.get(sheet);
      if (!sops?.length) return undefined;
      const m = moveArea(a, sops);
      changed = true;
      return m ? prefix + formatArea(m) : `${prefix}#REF!`;
    }
    const one = (r: number, abs: boolean): number | null => (abs ? moveRow(r, ops) : r + delta);
    const r1 = one(a.r1, a.abs[0]);
    const r2 = one(a.r2, a.abs[2]);
    changed = true;
    if (r1 === null || r2 === null || r1 < 1 || r2 < 1) return `${prefix}#REF!`;
    return prefix + formatArea({ ...a, r1, r2 });
  });
  return { text, changed: changed && text !== formula, sheets };
}

/**
 * A formula as it reads in another cell: relative parts move by (dr, dc), absolute parts stay.
 * This is how a shared formula's master gives each cell of its range its own formula.
 */
export function translateFormula(formula: string, dr: number, dc: number): string {
  if (dr === 0 && dc === 0) return formula;
  return mapRefs(formula, (ref, whole) => {
    if (ref.foreign && ref.sheet !== null && ref.sheet.includes(":")) return undefined;
    const a = ref.area;
    const t: A1Area = { ...a, abs: [...a.abs] as A1Area["abs"] };
    if (a.kind !== "cols") {
      if (!a.abs[0]) t.r1 += dr;
      if (!a.abs[2]) t.r2 += dr;
    }
    if (a.kind !== "rows") {
      if (!a.abs[1]) t.c1 += dc;
      if (!a.abs[3]) t.c2 += dc;
    }
    const prefix = whole.slice(0, whole.length - formatLen(whole, ref));
    const bad = (a.kind !== "cols" && (t.r1 < 1 || t.r2 < 1 || t.r1 > MAX_ROW || t.r2 > MAX_ROW)) || (a.kind !== "rows" && (t.c1 < 1 || t.c2 < 1 || t.c1 > MAX_COL || t.c2 > MAX_COL));
    return bad ? `${prefix}#REF!` : prefix + formatArea(t);
  });
}

/** A space-separated list of areas (sqref, as in conditional formats): moved, deleted ones dropped. */
export function shiftSqref(sqref: string, ops: readonly RowOp[]): string | null {
  const out: string[] = [];
  for (const part of sqref.trim().split(/\s+/)) {
    if (!part) continue;
    const a = parseArea(part);
    if (!a) {
      out.push(part);
      continue;
    }
    const m = moveArea(a, ops);
    if (m) out.push(formatArea(m));
  }
  return out.length ? out.join(" ") : null;
}

/** A single area ("A1:C9" of a merge, a table, an autoFilter): moved, or null when deleted. */
export function shiftRef(ref: string, ops: readonly RowOp[]): string | null {
  const a = parseArea(ref);
  if (!a) return ref;
  const m = moveArea(a, ops);
  return m ? formatArea(m) : null;
}
