// Amount columns of a sheet: "<measure> <year> [<source>]". An unsourced column beside sourced
// ones of the same measure and year is their total: checked against them, never loaded.
import type { Measure, Source } from "../../../warehouse/model.js";
import type { Column } from "../headers.js";
import { micro, type RowView, type SheetCtx } from "../sheet.js";
import { formatDecimal, partsWithin, withinTolerance } from "../../../core/money.js";
import type { MoneyUnit } from "../values.js";
import { emptyList } from "../../../core/lists.js";

export interface AmountCol {
  col: Column;
  measure: Measure;
  year: number;
  /** null on a total column; "NSNN" waits for the task's level */
  source: Source | "NSNN" | null;
  unit?: MoneyUnit;
  /** the sourced columns a total column is checked against */
  parts: AmountCol[];
}

export function amountColumns(columns: Column[], indicators: boolean): AmountCol[] {
  const out = emptyList<AmountCol>();
  for (const c of columns) {
    const r = c.role;
    if (!r || r.role !== "amount") continue;
    const measure: Measure = r.measure === "ke_hoach" && !indicators ? "de_xuat" : r.measure;
    const a: AmountCol = { col: c, measure, year: r.year, source: r.source, parts: [] };
    if (r.unit) a.unit = r.unit;
    out.push(a);
  }
  if (indicators) return out;
  const groups = new Map<string, AmountCol[]>();
  for (const a of out) {
    const k = `${a.measure}|${a.year}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  for (const g of groups.values()) {
    const sourced = g.filter((a) => a.source !== null);
    for (const a of g) {
      if (a.source !== null) continue;
      if (sourced.length > 0) a.parts = sourced;
      else a.source = "NSDP"; // no source named: the province's own budget
    }
  }
  return out;
}

/**
 * Read a row's amounts: the loadable ones (sourced) and every figure by column (for totals),
 * checking each total column against its parts.
 */
/** A row's figures by column number: a Map, or totals.ts RowFigures. */
export interface FigureMap {
  get(col: number): string | undefined;
  has(col: number): boolean;
  set(col: number, figure: string): unknown;
}

/**
 * A row's loadable figures (readAmounts' `loaded`) as two lists the sheet reuses from row to row:
 * the column and the figure of each, `n` of them; no object per figure.
 */
export class LoadedFigures {
  readonly cols = emptyList<AmountCol>();
  readonly values = emptyList<string>();
  n = 0;
  add(a: AmountCol, value: string): void {
    if (this.n < this.cols.length) {
      this.cols[this.n] = a;
      this.values[this.n] = value;
    } else {
      this.cols.push(a);
      this.values.push(value);
    }
    this.n++;
  }
}

const NONE_LOADED: { a: AmountCol; value: string }[] = [];

/** With `out`, the loadable figures go there (emptied first) and `loaded` is empty. */
export function readAmounts<F extends FigureMap = Map<number, string>>(ctx: SheetCtx, r: RowView, cols: AmountCol[], money = true, into?: F, out?: LoadedFigures): { loaded: { a: AmountCol; value: string }[]; byCol: F } {
  // `into` may hold other columns' figures already: only these columns are looked up here
  const byCol = into ?? (new Map<number, string>() as FigureMap as F);
  const loaded: { a: AmountCol; value: string }[] = out ? NONE_LOADED : [];
  if (out) out.n = 0;
  for (let i = 0; i < cols.length; i++) {
    const a = cols[i]!;
    const v = money ? ctx.money(r, a.col, a.unit) : ctx.number(r, a.col);
    if (v === null || v === undefined) continue;
    byCol.set(a.col.col, v);
    if (a.parts.length === 0) {
      if (out) out.add(a, v);
      else loaded.push({ a, value: v });
    }
  }
  for (let i = 0; i < cols.length; i++) {
    const a = cols[i]!;
    if (a.parts.length === 0) continue;
    const total = byCol.get(a.col.col);
    if (total === undefined) continue;
    const given = a.parts.filter((p) => byCol.has(p.col.col));
    if (given.length === 0) continue;
    // partsWithin's lists all of one kind, whoever makes them (core/lists.ts)
    const figures = emptyList<string>();
    for (const p of given) figures.push(byCol.get(p.col.col)!);
    if (partsWithin(figures, total) === true) continue;
    const sum = given.reduce((s, p) => s + micro(byCol.get(p.col.col)!), 0n);
    if (!withinTolerance(sum, micro(total))) {
      ctx.add("TOTAL_PARTS_MISMATCH", ctx.ref(a.col.col, r.row), {
        total,
        sum: formatDecimal(sum),
        parts: given.map((p) => ctx.ref(p.col.col, r.row)).join(", "),
        cells: given.map((p) => ctx.ref(p.col.col, r.row)),
      });
    }
  }
  return { loaded, byCol };
}
