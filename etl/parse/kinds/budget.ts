// Kind 3: budget lines of the 01–18 hierarchy. Leaf rows load; a sum row loads only when none of
// its descendants is in the sheet, otherwise it is checked against them (SUM_ROW_MISMATCH).
import { formatDecimal, parseDecimal, withinTolerance } from "../../../core/money.js";
import { fold } from "../../../core/text.js";
import type { Source } from "../../../warehouse/model.js";
import { FactKind } from "../../../warehouse/pack.js";
import type { Column } from "../headers.js";
import { claimFact, notePlanMeasure, type RowView, type SheetCtx } from "../sheet.js";
import { cellText } from "../values.js";
import { HIERARCHY_CHILDREN, hierarchyCode, hierarchyLabel } from "../values-lists.js";
import { readAmounts, type AmountCol } from "./amounts.js";
import { RowKinds, type RowKind } from "./totals.js";

interface LineRow {
  line: string;
  row: number;
  codeRef: string;
  loaded: { a: AmountCol; value: string }[];
  byCol: Map<number, string>;
}

/** The line of a row: its Mã số, else its label. */
export function lineOfRow(ctx: SheetCtx, r: RowView, codeCol: Column | undefined, labelCol: Column | undefined): string | null {
  const code = codeCol ? cellText(ctx.cell(r, codeCol)) : "";
  if (code) return hierarchyCode(code);
  const label = labelCol ? cellText(ctx.cell(r, labelCol)) : "";
  return label ? hierarchyLabel(label) : null;
}

export function parseBudgetRows(ctx: SheetCtx, rows: RowView[], codeCol: Column | undefined, labelCol: Column | undefined, amounts: AmountCol[]): { dataRows: number; kinds: RowKinds } {
  const kinds = new RowKinds();
  const present = new Map<string, LineRow>();
  for (const r of rows) {
    const texts = [...r.cells.values()].map((c) => cellText(c)).filter(Boolean);
    const hasNumbers = amounts.some((a) => ctx.has(r, a.col));
    if (texts.length === 0 && !hasNumbers) {
      kinds.set(r.row, "blank");
      continue;
    }
    const line = lineOfRow(ctx, r, codeCol, labelCol);
    const label = labelCol ? cellText(ctx.cell(r, labelCol)) : "";
    if (!line) {
      const f = fold(label);
      if (/^(trong do|tong cong|tong so|cong)\b/.test(f) || !hasNumbers) {
        kinds.set(r.row, /^(tong cong|tong so|cong)\b/.test(f) ? "total" : "group");
        continue;
      }
      kinds.set(r.row, "bad");
      const code = codeCol ? cellText(ctx.cell(r, codeCol)) : "";
      const ref = code ? ctx.ref(codeCol!.col, r.row) : ctx.ref(labelCol?.col ?? 1, r.row);
      ctx.add("VALUE_NOT_IN_LIST", ref, { value: code || label, list: "budget lines 01–18", listVi: "dòng chi 01–18" });
      continue;
    }
    kinds.set(r.row, "data");
    const codeRef = ctx.ref((codeCol ?? labelCol)?.col ?? 1, r.row);
    const prev = present.get(line);
    if (prev) {
      ctx.add("KEY_DUPLICATE", codeRef, { key: `Mã số ${line}` }, ctx.at(prev.codeRef));
      continue;
    }
    if (r.hidden) ctx.add("ROW_HIDDEN", codeRef, { row: r.row });
    const { loaded, byCol } = readAmounts(ctx, r, amounts);
    present.set(line, { line, row: r.row, codeRef, loaded, byCol });
  }
  const hasDescendant = (line: string): boolean => (HIERARCHY_CHILDREN[line] ?? []).some((c) => present.has(c) || hasDescendant(c));
  // the value a line makes in a column: its row, else the sum of its children
  const eff = (line: string, col: number): bigint => {
    const p = present.get(line);
    if (p) return p.byCol.has(col) ? parseDecimal(p.byCol.get(col)!) : 0n;
    return (HIERARCHY_CHILDREN[line] ?? []).reduce((s, c) => s + eff(c, col), 0n);
  };
  for (const p of present.values()) {
    const children = HIERARCHY_CHILDREN[p.line];
    if (children && hasDescendant(p.line)) {
      for (const a of amounts) {
        const v = p.byCol.get(a.col.col);
        if (v === undefined) continue;
        const sum = children.reduce((s, c) => s + eff(c, a.col.col), 0n);
        if (!withinTolerance(sum, parseDecimal(v))) {
          ctx.add("SUM_ROW_MISMATCH", ctx.ref(a.col.col, p.row), { line: p.line, row: p.row, column: a.col.header, value: v, sum: formatDecimal(sum) });
        }
      }
      continue;
    }
    for (const { a, value } of p.loaded) {
      const at = ctx.placeOf(a.col.col, p.row);
      const source = (a.source === "NSNN" ? "NSDP" : a.source) as Source;
      if (claimFact(ctx, "bl", p.line, a.year, a.measure, source, at)) {
        ctx.fs.facts.put(FactKind.Line, p.line, a.year, a.measure, source, value, ctx.sheet, a.col.col, p.row);
      }
      notePlanMeasure(ctx, "line", p.line, a.year, a.measure, at);
    }
  }
  return { dataRows: present.size, kinds };
}
