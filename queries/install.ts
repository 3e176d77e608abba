// What analysts see in the database itself: the staging and mart models as views and one table
// macro per appendix (`select * from pl02(2024)`) and one for the facts behind each of its cells
// (`select * from pl01_lineage(2026)`: row_key, column_id, fact_id). The loader calls this inside each load's
// transaction, so every generation carries the views of the code that wrote it.
import type { Db } from "../warehouse/db.js";
import { listForms, formQuery, formLineageQuery } from "./compute.js";
import { models } from "./models.js";

/** Macro parameter: not a column name anywhere, so that it cannot capture a column. */
const MACRO_PARAM = "plan_year_n";

/** The body of a form's table macro: its query.sql with $year bound to the macro's parameter. */
export function macroBody(form: string, which: "query" | "lineage" = "query"): string {
  const sql = which === "query" ? formQuery(form) : formLineageQuery(form);
  if (new RegExp(`\\b${MACRO_PARAM}\\b`).test(sql)) throw new Error(`queries/forms/${form}/query.sql uses ${MACRO_PARAM}`);
  return sql.replace(/\$year\b/g, MACRO_PARAM);
}

export async function installAnalystViews(db: Db): Promise<void> {
  for (const m of models()) {
    // model names come from our own file names (\w+), never from input
    await db.run(`create or replace view ${m.name} as\n${m.sql}`);
  }
  for (const form of listForms()) {
    if (!/^\w+$/.test(form)) throw new Error(`form folder name ${JSON.stringify(form)} is not an SQL name`);
    await db.run(`create or replace macro ${form}(${MACRO_PARAM}) as table\n${macroBody(form)}`);
    await db.run(`create or replace macro ${form}_lineage(${MACRO_PARAM}) as table\n${macroBody(form, "lineage")}`);
  }
}
