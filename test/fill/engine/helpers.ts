// Shared test helpers: the template as a workbook, a simulated application of a plan to a grid
// (what the back ends do, cell by cell) and a compact view of cells.
import ExcelJS from "exceljs";
import { loadForms } from "../../../queries/forms.js";
import type { FormDef } from "../../../queries/form-schema.js";
import { makeTemplate } from "../../../fill/template/make-template.js";
import type { FormPlan, GridSnapshot, GridValue, PlanCell } from "../../../fill/engine/types.js";
import { loadWorkbook, roundTrip } from "./xlsx-grid.js";

export const FORMS: FormDef[] = loadForms();
export const form = (code: string): FormDef => FORMS.find((f) => f.code === code)!;

let templateBuf: Buffer | null = null;
/** A fresh copy of our blank template (plan year 2024) to edit into a fixture. */
export async function template(year = 2024): Promise<ExcelJS.Workbook> {
  if (year !== 2024) return loadWorkbook(await makeTemplate(FORMS, year));
  templateBuf ??= await makeTemplate(FORMS, 2024);
  return loadWorkbook(templateBuf);
}

/** Save the edited workbook and read its sheets back as the pane would see them. */
export const grids = roundTrip;

/** Apply a plan to a snapshot (row ops, then blocks, then header rewrites), as a back end would. */
export function applyPlan(s: GridSnapshot, plan: FormPlan): GridSnapshot {
  const values = s.values.map((r) => [...r]);
  const formulas = s.formulas.map((r) => [...r]);
  const width = Math.max(...values.map((r) => r.length), 1);
  for (const op of plan.rowOps) {
    if (op.op === "insert") {
      for (let k = 0; k < op.count; k++) {
        values.splice(op.at - 1, 0, new Array(width).fill(null));
        formulas.splice(op.at - 1, 0, new Array(width).fill(null));
      }
    } else {
      values.splice(op.at - 1, op.count);
      formulas.splice(op.at - 1, op.count);
    }
  }
  const put = (r: number, c: number, v: GridValue, f: string | null) => {
    while (values.length < r) {
      values.push(new Array(width).fill(null));
      formulas.push(new Array(width).fill(null));
    }
    values[r - 1][c - 1] = v;
    formulas[r - 1][c - 1] = f;
  };
  for (const b of plan.blocks)
    b.cells.forEach((line, i) =>
      line.forEach((cell, k) => {
        if (cell === null) return;
        const r = b.row + i;
        const c = b.col + k;
        if ("n" in cell) put(r, c, cell.n, null);
        else if ("s" in cell) put(r, c, cell.s, null);
        else if ("blank" in cell) put(r, c, null, null);
        else put(r, c, null, cell.f);
      }),
    );
  for (const h of plan.headerRewrites) put(h.row, h.col, h.new, null);
  return { ...s, values, formulas, rowCount: values.length };
}

/** Row r (1-based) of a grid, columns from..to, with formulas shown as their text. */
export function rowOf(s: GridSnapshot, r: number, from = 1, to?: number): (GridValue | string)[] {
  const out: (GridValue | string)[] = [];
  const end = to ?? Math.max(s.values[r - 1]?.length ?? 0, 1);
  for (let c = from; c <= end; c++) out.push(s.formulas[r - 1]?.[c - 1] ?? s.values[r - 1]?.[c - 1] ?? null);
  return out;
}

export const n = (v: number): PlanCell => ({ n: v });
export const s = (v: string): PlanCell => ({ s: v });
export const B: PlanCell = { blank: true };
export const sheet = (snaps: GridSnapshot[], name: string) => snaps.find((x) => x.sheetName === name)!;
