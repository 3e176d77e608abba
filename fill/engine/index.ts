// The binding engine: grid snapshots + form definitions + figures → write plans. Pure: no
// Office.js, no file I/O; runs in Node (headless fill, tests) and in the task pane (bundled).
export { locateForms, findHeader, evaluate, FIRST_ROWS, type Located, type Candidate, type HeaderMatch } from "./locate.js";
export { planForm, lineageId, dataCell } from "./plan.js";
export { planWorkbook, type WorkbookPlanWithLocation } from "./workbook.js";
export { canon, canonWords, stripNumbering, withYear } from "./match.js";
export { colLetter } from "./grid.js";
export type * from "./types.js";
export { planChartSheet, parsePoint, type ChartPlan, type ChartSheetPlan } from "./charts.js";
