// Kind 4: activity indicators. Keyed by Mã chỉ tiêu, else by (area, normalised label); the area
// comes from a Lĩnh vực column or from group rows; each row has its own unit, so the sheet's unit
// line does not apply and values are kept as given.
import { normalise as normaliseText } from "../../../core/text.js";
import { memo } from "../memo.js";
import type { Area, IndicatorRecord } from "../../../warehouse/model.js";
import { FactKind } from "../../../warehouse/pack.js";
import { claimFact, claimKey, type RowView, type SheetCtx } from "../sheet.js";
import { sheetText as cellText } from "../values.js";
import { areaOf } from "../values-lists.js";
import { readAmounts, type AmountCol } from "./amounts.js";
import { isGroupNumber } from "./tasks.js";
import { RowFigures, RowKinds, type RowKind } from "./totals.js";

/** normalise, once per distinct label (the same indicators come back in every office's file) */
const normalise = memo(normaliseText);

/** (cellText is sheetText: the sheet's texts are NFC already, see recognise.ts convertText) */
export function parseIndicatorRows(ctx: SheetCtx, rows: RowView[], amounts: AmountCol[]): { dataRows: number; kinds: RowKinds } {
  const kinds = new RowKinds();
  const codeCol = ctx.col("indCode") ?? ctx.col("maSo");
  const labelCol = ctx.col("indLabel")!;
  const unitCol = ctx.col("unit");
  const areaCol = ctx.col("field");
  const parentCol = ctx.col("parent");
  const sttCol = ctx.col("stt");
  let area: Area | null = null;
  let dataRows = 0;
  const byLabel = new Map<string, string>();
  // a row's figures (readAmounts' by-column list): one for the sheet, emptied per row
  const figures = new RowFigures();
  for (let ri = 0; ri < rows.length; ri++) {
    const r = rows[ri]!;
    let hasNumbers = false;
    for (let k = 0; k < amounts.length; k++) {
      if (ctx.has(r, amounts[k]!.col)) {
        hasNumbers = true;
        break;
      }
    }
    // the row's texts: only a row without figures asks for them (blank? a heading?)
    const texts: string[] = [];
    if (!hasNumbers) {
      const cells = r.cells.values();
      for (let ci = 0; ci < cells.length; ci++) {
        const t = cellText(cells[ci]);
        if (t) texts.push(t);
      }
    }
    if (texts.length === 0 && !hasNumbers) {
      kinds.set(r.row, "blank");
      continue;
    }
    const label = cellText(ctx.cell(r, labelCol));
    const code = codeCol ? cellText(ctx.cell(r, codeCol)) : "";
    const unit = unitCol ? cellText(ctx.cell(r, unitCol)) : "";
    const stt = sttCol ? cellText(ctx.cell(r, sttCol)) : "";
    if (!code && !hasNumbers && !unit && (isGroupNumber(stt) || isGroupNumber(label) || areaOf(label) !== null || /:$/.test(label) || texts.length === 1)) {
      kinds.set(r.row, "group");
      // a heading names its area; a numbered heading of no known area is "other"; any other
      // lone text (a note, a signature) leaves the area as it was
      const named = areaOf(label) ?? areaOf(texts.join(" "));
      if (named) area = named;
      else if (isGroupNumber(stt) || isGroupNumber(label)) area = "KHAC";
      continue;
    }
    if (!label) {
      kinds.set(r.row, "bad");
      ctx.add("REQUIRED_VALUE_MISSING", ctx.ref(labelCol.col, r.row), { column: "Chỉ tiêu (indicator)", columnVi: "Chỉ tiêu" });
      continue;
    }
    kinds.set(r.row, "data");
    dataRows++;
    const at = ctx.at(ctx.ref((codeCol && code ? codeCol : labelCol).col, r.row));
    if (r.hidden) ctx.add("ROW_HIDDEN", at.cell, { row: r.row });
    const rowArea: Area = areaCol ? (areaOf(cellText(ctx.cell(r, areaCol))) ?? "KHAC") : (area ?? "KHAC");
    const normLabel = normalise(label);
    const key = code || `${rowArea}|${normLabel}`;
    if (!claimKey(ctx, ctx.fs.indicatorKeys, `ind|${key}`, at, key)) continue;
    const rec: IndicatorRecord = { key, area: rowArea, label, unit, sort: ++ctx.fs.indicatorSort, at };
    if (code) rec.code = code;
    // "Thuộc chỉ tiêu" names the parent by its code, or by its label when it has none
    const parent = parentCol ? cellText(ctx.cell(r, parentCol)) : "";
    if (parent) rec.parentKey = ctx.fs.indicatorKeys.has(`ind|${parent}`) ? parent : (byLabel.get(`${rowArea}|${normalise(parent)}`) ?? parent);
    byLabel.set(`${rowArea}|${normLabel}`, key);
    ctx.fs.out.indicators.push(rec);
    if (figures.size !== 0) figures.clear();
    const { loaded } = readAmounts(ctx, r, amounts, false, figures);
    for (const { a, value } of loaded) {
      if (claimFact(ctx, "if", key, a.year, a.measure, undefined, ctx.placeOf(a.col.col, r.row))) {
        ctx.fs.facts.put(FactKind.Indicator, key, a.year, a.measure, "", value, ctx.sheet, a.col.col, r.row);
      }
    }
  }
  return { dataRows, kinds };
}
