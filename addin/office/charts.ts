// The chart sheet "Biểu đồ" through Office.js: the same plan as the headless fill
// (fill/engine/charts.ts over queries/charts/charts.json) written into the open workbook — each
// chart's table as values (texts with "@" set first, figures with the chart's number format) and
// a native chart over it. Everything used is ExcelApi 1.1–1.4 (worksheets.getItemOrNullObject,
// charts.add, Chart.name/title/setPosition/delete, Range.clear), inside the manifest's 1.5.
//
// A refill finds the sheet by name, deletes the charts the fill made before (named "phuluc.<id>")
// and clears the sheet, then writes again: one chart sheet, one chart per definition. A sheet of
// that name with no chart of ours is someone else's: left alone, no charts (as headless). The sheet is
// kept rather than deleted and re-added so that formulas elsewhere that read it do not turn #REF!.
import chartsJson from "../../queries/charts/charts.json";
import type { ChartSheetDef } from "../../queries/chart-schema.js";
import type { FormData } from "../../queries/types.js";
import { parsePoint, planChartSheet, type ChartPlan, type ChartSheetPlan } from "../../fill/engine/charts.js";
import type { WorkbookPlan } from "../../fill/engine/types.js";
import type { WorkbookLineage } from "../../fill/lineage-xml.js";
import { a1, areaAddress } from "./batches.js";

/**
 * The chart sheet definition bundled with the add-in (queries/charts/charts.json), as it is: the
 * pane does not carry zod for one file; test/addin/office-charts.test.ts checks that it equals
 * the schema-checked definition the headless fill reads (every field given, no default applied).
 */
export function bundledChartSheet(): ChartSheetDef {
  return chartsJson as unknown as ChartSheetDef;
}

/**
 * For fillWorkbook's `charts`: the chart sheet over the forms a plan fills (none of the charts'
 * forms filled: no chart sheet), from the figures the forms were planned with.
 */
export function chartsFor(datas: readonly FormData[], year: number, def: ChartSheetDef = bundledChartSheet()): (plan: WorkbookPlan) => ChartSheetPlan | null {
  return (plan) => {
    const filled = new Set(plan.forms.map((f) => f.form));
    const used = def.charts.some((c) => c.series.some((s) => s.points.some((p) => p !== null && filled.has(parsePoint(p).form))));
    return used ? planChartSheet(def, datas.filter((d) => filled.has(d.form)), year) : null;
  };
}

const CHART_TYPE: Record<`${ChartPlan["type"]}/${ChartPlan["grouping"]}`, keyof typeof Excel.ChartType> = {
  "column/clustered": "columnClustered",
  "column/stacked": "columnStacked",
  "bar/clustered": "barClustered",
  "bar/stacked": "barStacked",
};

/** Write the chart sheet (a new one, or the one a previous fill made) in at most three syncs. */
export async function insertChartSheet(context: Excel.RequestContext, plan: ChartSheetPlan): Promise<{ syncs: number; created: boolean; skipped: boolean }> {
  let syncs = 0;
  const sheets = context.workbook.worksheets;
  const found = sheets.getItemOrNullObject(plan.sheetName);
  await context.sync();
  syncs++;
  let ws: Excel.Worksheet;
  const created = found.isNullObject;
  if (created) ws = sheets.add(plan.sheetName);
  else {
    ws = found;
    ws.charts.load("items/name");
    await context.sync();
    syncs++;
    const ours = ws.charts.items.filter((c) => c.name.startsWith("phuluc."));
    // a sheet of that name someone made by hand (no chart of ours on it) is never cleared
    if (ours.length === 0) return { syncs, created: false, skipped: true };
    for (const c of ours) c.delete();
    ws.getRange().clear();
  }
  // texts are given "@" before their values: a label like "01" or "3/2024" stays text
  const text = (row: number, col: number, value: string) => {
    const r = ws.getRange(a1(row, col));
    r.numberFormat = [["@"]];
    r.values = [[value]];
  };
  text(1, 1, plan.title);
  ws.getRange(a1(1, 1)).format.font.bold = true;
  if (plan.note) text(2, 1, plan.note);
  for (const c of plan.charts) {
    text(c.titleRow, 1, c.title);
    ws.getRange(a1(c.titleRow, 1)).format.font.bold = true;
    const cols = c.lastCol;
    const rows = c.lastRow - c.headerRow + 1;
    const table = ws.getRange(areaAddress(c.headerRow, 1, rows, cols));
    table.numberFormat = [
      Array.from({ length: cols }, () => "@"),
      ...c.categories.map(() => ["@", ...c.series.map(() => c.numberFormat)]),
    ];
    table.values = [
      [c.categoryHeader, ...c.series.map((s) => s.name)],
      // no figure: an empty cell (a gap in the chart), never a 0 that is not there
      ...c.categories.map((cat, i) => [cat, ...c.series.map((s) => s.values[i] ?? "")]),
    ];
    ws.getRange(areaAddress(c.headerRow, 1, 1, cols)).format.font.bold = true;
    const chart = ws.charts.add(Excel.ChartType[CHART_TYPE[`${c.type}/${c.grouping}`]], table, Excel.ChartSeriesBy.columns);
    chart.name = c.name;
    chart.title.text = c.title;
    chart.setPosition(a1(c.from.row, c.from.col), a1(c.to.row - 1, c.to.col - 1));
  }
  await context.sync();
  syncs++;
  return { syncs, created, skipped: false };
}

/** The fill's lineage with the chart sheet's (replacing what an earlier fill stored for it). */
export function withChartLineage(l: WorkbookLineage, plan: ChartSheetPlan): WorkbookLineage {
  const sheet = { sheetName: plan.sheetName, form: "charts", cells: plan.lineage.map((c) => ({ ref: a1(c.row, c.col), lineageId: c.lineageId })) };
  return { ...l, sheets: [...l.sheets.filter((s) => s.sheetName.toLowerCase() !== plan.sheetName.toLowerCase()), sheet] };
}
