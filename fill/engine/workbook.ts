// A whole workbook: locate every form, then plan each one found with its figures.
import { formForYear } from "./form-year.js";
import { prob } from "../../core/codes.js";
import type { Problem } from "../../core/problem.js";
import type { FormDef } from "../../queries/form-schema.js";
import type { FormData } from "../../queries/types.js";
import { locateForms, type Located } from "./locate.js";
import { planForm } from "./plan.js";
import type { FormPlan, GridSnapshot, WorkbookPlan } from "./types.js";

export interface WorkbookPlanWithLocation extends WorkbookPlan {
  located: Located[];
}

/**
 * Plan the fill of a workbook. `sheets` are full snapshots (phase one reads only their first
 * rows); `datas` the figures of each form for plan year `year`; `choices` picks a sheet (by
 * name) for a form that two look-alike sheets make ambiguous. Never throws on a grid: what it
 * cannot do is a located problem. `located`: locateForms' answer for these sheets, when the
 * caller had it found before the figures came (the headless fill does, while DuckDB computes).
 */
export function planWorkbook(
  sheets: GridSnapshot[],
  forms: FormDef[],
  datas: FormData[],
  year: number,
  choices: Record<string, string> = {},
  located: Located[] = locateForms(sheets, forms, year, choices),
): WorkbookPlanWithLocation {
  // the forms as they stand in the plan year (rows of ended levels dropped, and named if found)
  forms = forms.map((f) => formForYear(f, year));
  const plans: FormPlan[] = [];
  const problems: Problem[] = [];
  for (const loc of located) {
    const def = forms.find((f) => f.code === loc.form)!;
    if (loc.status !== "found") {
      problems.push(...loc.problems);
      continue;
    }
    const sheet = sheets.find((s) => s.sheetName === loc.sheetName)!;
    const data = datas.find((d) => d.form === def.code);
    if (!data) {
      // nothing to fill it with (the caller fills one form, or the query failed): leave it as it is
      problems.push(
        prob("W_FORM_NO_DATA", { form: def.code, sheet: sheet.sheetName }),
      );
      continue;
    }
    try {
      plans.push(planForm(loc, sheet, def, data));
    } catch (e) {
      // a bug must not cost the other forms their fill: this form is reported, not written
      problems.push(
        prob("E_FORM_PLAN_FAILED", { form: def.code, sheet: sheet.sheetName }, {}, { detail: String(e) }),
      );
    }
  }
  return { year, forms: plans, problems, located };
}
