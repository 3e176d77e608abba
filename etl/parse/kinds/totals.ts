// Total rows ("Tổng cộng", "Cộng", "Tổng số") and group rows with figures are not data: each is
// checked against the rows it sums (± 0,001 triệu) and a difference is a warning.
import { formatDecimal, parseDecimal, partsWithin, withinTolerance } from "../../../core/money.js";
import { fold } from "../../../core/text.js";
import type { Column } from "../headers.js";
import type { SheetCtx } from "../sheet.js";
import { emptyList } from "../../../core/lists.js";

export type RowKind = "blank" | "group" | "total" | "data" | "bad";

/**
 * Each row's kind by its number, as a Map would hold them: a list from the first row set on
 * (rows come in ascending order, a few blank ones missing), a Map only for a row far past the
 * list's end or before its start. A Map of thousands of integer keys was rehashed as it grew.
 */
export class RowKinds {
  private base = -1;
  private readonly list = emptyList<RowKind | undefined>();
  private other: Map<number, RowKind> | null = null;
  set(row: number, kind: RowKind): void {
    if (this.base < 0) this.base = row;
    const i = row - this.base;
    const list = this.list;
    if (i >= 0 && i <= list.length + 1024) {
      while (list.length < i) list.push(undefined);
      list[i] = kind;
      this.other?.delete(row);
    } else (this.other ??= new Map()).set(row, kind);
  }
  get(row: number): RowKind | undefined {
    const i = row - this.base;
    if (this.base >= 0 && i >= 0 && i < this.list.length) {
      const k = this.list[i];
      if (k !== undefined) return k;
    }
    return this.other?.get(row);
  }
}

/**
 * A row's figures by column number, as a Map<number, string> emptied for each row would hold them,
 * for a sheet's rows one after another: Map.clear makes a new table each time, this only forgets
 * the few columns it was given.
 */
export class RowFigures {
  private readonly byCol: (string | undefined)[] = [];
  private readonly cols: number[] = [];
  private n = 0;
  get size(): number {
    return this.n;
  }
  get(col: number): string | undefined {
    return this.byCol[col];
  }
  has(col: number): boolean {
    return this.byCol[col] !== undefined;
  }
  set(col: number, figure: string): this {
    if (this.byCol[col] === undefined) {
      if (this.n < this.cols.length) this.cols[this.n] = col;
      else this.cols.push(col);
      this.n++;
    }
    this.byCol[col] = figure;
    return this;
  }
  clear(): void {
    for (let i = 0; i < this.n; i++) this.byCol[this.cols[i]!] = undefined;
    this.n = 0;
  }
  /** the i-th column set (0 ≤ i < size), in the order they were first set */
  colAt(i: number): number {
    return this.cols[i]!;
  }
  /** in the order the columns were first set, as a Map's forEach */
  forEach(fn: (figure: string, col: number) => void): void {
    for (let i = 0; i < this.n; i++) {
      const c = this.cols[i]!;
      fn(this.byCol[c]!, c);
    }
  }
}

/**
 * The rows a totals check needs, as columns (one entry per total, group or data row, in sheet
 * order) rather than an object and a Map per row: a register of thousands of tasks kept one of
 * each alive until the end of its sheet. `values` holds each row's figures by `numericCols`
 * position (stride numericCols.length), undefined where the cell is blank.
 */
export class TotalsInput {
  readonly rows: number[] = [];
  readonly kinds = emptyList<RowKind>();
  readonly labels = emptyList<string>();
  readonly values = emptyList<string | undefined>();
  /** where each numeric column's figure goes in a row's stride, by column number */
  private readonly slot: (number | undefined)[] = [];
  constructor(readonly numericCols: Column[]) {
    numericCols.forEach((c, i) => {
      if (this.slot[c.col] === undefined) this.slot[c.col] = i;
    });
  }
  /** Add a row with its figures by column number (only numericCols' columns are kept). */
  push(row: number, kind: RowKind, label: string, figures: RowFigures): void {
    this.rows.push(row);
    this.kinds.push(kind);
    this.labels.push(label);
    const at = this.values.length;
    const n = this.numericCols.length;
    // pushed, not `length = at + n`: setting an array's length is a call into the runtime
    for (let k = 0; k < n; k++) this.values.push(undefined);
    const m = figures.size;
    if (m === 0) return;
    // by index: no [col, figure] pair nor callback made per row (one column, one slot)
    const slot = this.slot;
    const values = this.values;
    for (let i = 0; i < m; i++) {
      const col = figures.colAt(i);
      const k = slot[col];
      if (k !== undefined) values[at + k] = figures.get(col);
    }
  }
  /** The figure of row i in column c (by its number), as a Map of the row's figures would give. */
  value(i: number, col: number): string | undefined {
    const k = this.slot[col];
    return k === undefined ? undefined : this.values[i * this.numericCols.length + k];
  }
  /** Does row i hold any figure? */
  hasValues(i: number): boolean {
    const n = this.numericCols.length;
    for (let k = i * n; k < (i + 1) * n; k++) if (this.values[k] !== undefined) return true;
    return false;
  }
}

/** Rank of a group row: letters (A, B) above Roman numerals above the rest. */
function rank(label: string): number {
  const t = label.trim();
  if (/^[A-H][.)]?(\s|$)/.test(t)) return 0;
  if (/^[IVXLC]+[.)]?(\s|$)/.test(t)) return 1;
  return 2;
}

export function checkTotals(ctx: SheetCtx, input: TotalsInput): void {
  const kinds = input.kinds;
  const count = kinds.length;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    if ((kind !== "total" && kind !== "group") || !input.hasValues(i)) continue;
    const label = input.labels[i]!;
    const scope: number[] = [];
    if (kind === "group") {
      const rk = rank(label);
      for (let j = i + 1; j < count; j++) {
        const x = kinds[j]!;
        if ((x === "group" && rank(input.labels[j]!) <= rk) || x === "total") break;
        if (x === "data") scope.push(j);
      }
    } else {
      const section = /^cong\b/.test(fold(label));
      for (let j = i - 1; j >= 0; j--) {
        const x = kinds[j]!;
        if (section && x === "group") break;
        if (section && x === "total") break;
        if (x === "data") scope.push(j);
      }
      if (scope.length === 0) {
        for (let j = i + 1; j < count; j++) {
          const x = kinds[j]!;
          if (x === "total" || (section && x === "group")) break;
          if (x === "data") scope.push(j);
        }
      }
    }
    if (scope.length === 0) continue;
    for (const c of input.numericCols) {
      const v = input.value(i, c.col);
      if (v === undefined) continue;
      const parts = emptyList<string>();
      for (const j of scope) {
        const x = input.value(j, c.col);
        if (x !== undefined) parts.push(x);
      }
      // in exact integer Numbers while they can be (core/money.ts), the BigInt way otherwise
      if (partsWithin(parts, v) === true) continue;
      let sum = 0n;
      for (const x of parts) sum += parseDecimal(x);
      if (!withinTolerance(sum, parseDecimal(v))) {
        ctx.add("TOTAL_ROW_MISMATCH", ctx.ref(c.col, input.rows[i]!), { column: c.header, value: v, sum: formatDecimal(sum) });
      }
    }
  }
}
