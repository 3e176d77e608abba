// The years the warehouse holds figures for, for the task pane's plan-year default (the latest)
// and its warning when the officer picks a year with none. One fixed statement, no values put in.
import type { Db } from "../warehouse/db.js";

/** Every fact table with a year; fact_task_approved (a task's whole funding) has none. */
const YEARS_SQL = `select distinct year from (
  select year from fact_budget_line
  union all select year from fact_task_funding
  union all select year from fact_indicator
) where year is not null order by year`;

export async function yearsWithFigures(db: Db): Promise<number[]> {
  const rows = await db.all<{ year: number | bigint }>(YEARS_SQL);
  return rows.map((r) => Number(r.year)).filter((y) => Number.isInteger(y));
}
