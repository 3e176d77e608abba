// The chart sheet of a fill ("Biểu đồ"), planned once for both back ends (headless DrawingML in
// fill/xlsx/charts.ts, Office.js in addin/office/charts.ts): where each chart's small table goes,
// its figures and the lineage of each, and where the chart sits. Pure: the definition is data
// (queries/charts/charts.json), the figures are the forms' own FormData, so a chart shows exactly
// what the filled form shows and a chart-sheet cell resolves to the same warehouse facts as the
// form cell it copies (its lineage id is that cell's).
//
// Why a table on the chart sheet rather than series over the form sheets: a chart series needs one
// contiguous range, and "budget by year and source" takes its points from two forms (PL01's years,
// PL02's sources); an officer's own PL01 may also order or merge its level rows differently. The
// table is written as values (never formulas), like the forms.
import type { ChartDef, ChartSheetDef } from "../../queries/chart-schema.js";
import type { FormData } from "../../queries/types.js";
import { withYear } from "./match.js";
import { lineageId } from "./plan.js";
import type { CellLineage } from "./types.js";

export interface ChartPlan {
  id: string;
  /** the chart's name in the workbook: "phuluc.<id>" (a refill finds and replaces it by name) */
  name: string;
  title: string;
  type: ChartDef["type"];
  grouping: ChartDef["grouping"];
  numberFormat: string;
  /** 1-based rows of the table: its title, its header (category header + series names), its first and last category */
  titleRow: number;
  headerRow: number;
  firstRow: number;
  lastRow: number;
  /** categories in column 1; series k in column 2 + k */
  lastCol: number;
  categoryHeader: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  /** the chart's place: top-left cell (1-based) and the cell just past its bottom-right corner */
  from: { row: number; col: number };
  to: { row: number; col: number };
}

export interface ChartSheetPlan {
  sheetName: string;
  year: number;
  title: string;
  note: string | null;
  charts: ChartPlan[];
  /** column widths (Excel character units) from column 1 */
  widths: number[];
  /** lineage of every figure written on the sheet: the lineage id of the form cell it copies */
  lineage: CellLineage[];
}

/** The charts start right of the widest table and a narrow gap column (H with five series: tables A…F, gap G). */
const MIN_CHART_COL = 8;
const CHART_COLS = 10;
const CHART_ROWS = 18;
const FIRST_TOP = 4;

/** "pl01:09:c5" → form, row key (may itself hold ":"), column. */
export function parsePoint(p: string): { form: string; rowKey: string; column: string } {
  const first = p.indexOf(":");
  const last = p.lastIndexOf(":");
  return { form: p.slice(0, first), rowKey: p.slice(first + 1, last), column: p.slice(last + 1) };
}

export function planChartSheet(def: ChartSheetDef, datas: readonly FormData[], year: number): ChartSheetPlan {
  const byForm = new Map(datas.map((d) => [d.form, d]));
  const lineage: CellLineage[] = [];
  const charts: ChartPlan[] = [];
  const seriesCols = Math.max(1, ...def.charts.map((c) => c.series.length));
  const chartCol = Math.max(MIN_CHART_COL, seriesCols + 3);
  let top = FIRST_TOP;
  for (const c of def.charts) {
    const titleRow = top;
    const headerRow = top + 1;
    const firstRow = top + 2;
    const lastRow = firstRow + c.categories.length - 1;
    const series = c.series.map((s, k) => ({
      name: withYear(s.name, year),
      values: s.points.map((p, i) => {
        if (p === null) return null;
        const { form, rowKey, column } = parsePoint(p);
        const data = byForm.get(form);
        const v = data?.rows.find((r) => r.rowKey === rowKey)?.values[column];
        if (typeof v !== "number" || !Number.isFinite(v)) return null;
        lineage.push({ row: firstRow + i, col: 2 + k, lineageId: lineageId(data!, rowKey, column) });
        return v;
      }),
    }));
    charts.push({
      id: c.id,
      name: `phuluc.${c.id}`,
      title: withYear(c.title, year),
      type: c.type,
      grouping: c.grouping,
      numberFormat: c.numberFormat,
      titleRow,
      headerRow,
      firstRow,
      lastRow,
      lastCol: 1 + series.length,
      categoryHeader: withYear(c.categoryHeader, year),
      categories: c.categories.map((x) => withYear(x, year)),
      series,
      from: { row: titleRow, col: chartCol },
      to: { row: titleRow + CHART_ROWS, col: chartCol + CHART_COLS },
    });
    top += Math.max(c.categories.length + 4, CHART_ROWS + 2);
  }
  return {
    sheetName: def.sheetName,
    year,
    title: withYear(def.title, year),
    note: def.note === undefined ? null : withYear(def.note, year),
    charts,
    widths: [24, ...Array.from({ length: chartCol - 3 }, () => 13), 3],
    lineage,
  };
}
