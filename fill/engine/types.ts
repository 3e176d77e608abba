// The binding engine's contract: a grid snapshot in, a write plan out. Pure data, no Office.js,
// no file I/O, so that the same plan is applied by the Office.js back end (addin/office/) in
// Excel and by the exceljs/package back end (fill/xlsx/) headless, and tested on real grids.
import type { Problem } from "../../core/problem.js";

/** A cell value as a spreadsheet reports it (cached value for formula cells). */
export type GridValue = string | number | boolean | null;

/** What the engine sees of one sheet: its used range from A1, or from the first rows only. */
export interface GridSnapshot {
  sheetName: string;
  /** position of the sheet in the workbook, 0-based */
  index: number;
  /** rows × columns of cached values, starting at A1 (row 1 = index 0) */
  values: GridValue[][];
  /** same shape; the formula text ("=SUM(C8:C12)") or null */
  formulas: (string | null)[][];
  /** same shape, optional: number format codes ("#,##0", "0.0%", "@") */
  numberFormats?: string[][];
  /** merged areas, 1-based inclusive */
  merges: Area[];
  /** total rows/cols of the used range (values may hold only the first rows in phase one) */
  rowCount: number;
  columnCount: number;
}

export interface Area {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * One cell to write:
 *  - null: leave the cell as it is (a template formula, a staff note) — Office.js semantics;
 *  - { n }: a number;
 *  - { s }: a text, to be written AS TEXT (number format "@" set before the value), so that
 *    "=1+1", "01", "3/2024" or "- Nhiệm vụ" from data never becomes a formula, number or date;
 *  - { blank: true }: clear the value (no data = blank; nothing left over from last year);
 *  - { f }: a formula the form itself defines (sum rows the engine writes, never from data).
 */
export type PlanCell = null | { n: number } | { s: string } | { blank: true } | { f: string };

/** A rectangle of writes; row/col 1-based, in the sheet's coordinates AFTER the plan's row ops. */
export interface Block {
  row: number;
  col: number;
  cells: PlanCell[][];
}

/**
 * Row operations, applied in order BEFORE the blocks. Inserted rows copy the formatting (and
 * height) of `formatFrom` (a row number valid at the time of the op). Formulas, merges, names,
 * print areas, conditional formats and data validations referring to moved cells are adjusted
 * by the back end.
 */
export type RowOp =
  | { op: "insert"; at: number; count: number; formatFrom: number }
  | { op: "delete"; at: number; count: number };

/** Lineage of a written cell: the id the API resolves to warehouse facts. */
export interface CellLineage {
  row: number;
  col: number;
  lineageId: string;
}

export interface CellChange {
  row: number;
  col: number;
  old: GridValue;
  new: GridValue;
}

export interface FormPlan {
  form: string;
  sheetName: string;
  rowOps: RowOp[];
  blocks: Block[];
  /** header and title cells whose years are rewritten (written as text) */
  headerRewrites: { row: number; col: number; old: string; new: string }[];
  lineage: CellLineage[];
  /** rows added/removed in list forms, by task code or title, for the report */
  rowsAdded: string[];
  rowsRemoved: string[];
  /** old → new of every value cell the plan changes (for the pane's result panel) */
  changes: CellChange[];
  problems: Problem[];
}

export interface WorkbookPlan {
  year: number;
  forms: FormPlan[];
  /** forms not found, ambiguous ones, rules broken */
  problems: Problem[];
}
