// Total rows ("Tổng cộng", "Cộng", "Tổng số") and group rows with figures are not data: each is
// checked against the rows it sums (± 0,001 triệu) and a difference is a warning.
import { formatDecimal, parseDecimal, withinTolerance } from "../../../core/money.js";
import { fold } from "../../../core/text.js";
import type { Column } from "../headers.js";
import type { SheetCtx } from "../sheet.js";

export type RowKind = "blank" | "group" | "total" | "data" | "bad";

export interface TotalsInput {
  rows: { row: number; kind: RowKind; label: string; values: Map<number, string> }[];
  numericCols: Column[];
}

/** Rank of a group row: letters (A, B) above Roman numerals above the rest. */
function rank(label: string): number {
  const t = label.trim();
  if (/^[A-H][.)]?(\s|$)/.test(t)) return 0;
  if (/^[IVXLC]+[.)]?(\s|$)/.test(t)) return 1;
  return 2;
}

export function checkTotals(ctx: SheetCtx, input: TotalsInput): void {
  const rows = input.rows;
  rows.forEach((t, i) => {
    if ((t.kind !== "total" && t.kind !== "group") || t.values.size === 0) return;
    let scope: typeof rows = [];
    if (t.kind === "group") {
      const rk = rank(t.label);
      for (let j = i + 1; j < rows.length; j++) {
        const x = rows[j]!;
        if ((x.kind === "group" && rank(x.label) <= rk) || (x.kind === "total")) break;
        if (x.kind === "data") scope.push(x);
      }
    } else {
      const section = /^cong\b/.test(fold(t.label));
      for (let j = i - 1; j >= 0; j--) {
        const x = rows[j]!;
        if (section && x.kind === "group") break;
        if (section && x.kind === "total") break;
        if (x.kind === "data") scope.push(x);
      }
      if (scope.length === 0) {
        for (let j = i + 1; j < rows.length; j++) {
          const x = rows[j]!;
          if (x.kind === "total" || (section && x.kind === "group")) break;
          if (x.kind === "data") scope.push(x);
        }
      }
    }
    if (scope.length === 0) return;
    for (const c of input.numericCols) {
      const v = t.values.get(c.col);
      if (v === undefined) continue;
      const sum = scope.reduce((s, x) => s + (x.values.has(c.col) ? parseDecimal(x.values.get(c.col)!) : 0n), 0n);
      if (!withinTolerance(sum, parseDecimal(v))) {
        ctx.add("TOTAL_ROW_MISMATCH", ctx.ref(c.col, t.row), { column: c.header, value: v, sum: formatDecimal(sum) });
      }
    }
  });
}
