// A form as it stands in one plan year. Pure and free of zod (the task pane's engine runs it in
// the browser): only types come from queries/form-schema.ts.
import type { FixedRowDef } from "../../queries/form-schema.js";

/**
 * The form as it stands for plan year `year`: rows that no longer exist that year (a level of
 * management that ended) are dropped, and with them their place in a group's sumOf.
 */
export function formForYear<F extends { kind: string; rows?: FixedRowDef[]; retiredRows?: FixedRowDef[] }>(def: F, year: number): F {
  if (!def.rows?.some((r) => r.untilPlanYear !== undefined && year > r.untilPlanYear)) return def;
  const gone = new Set(def.rows.filter((r) => r.untilPlanYear !== undefined && year > r.untilPlanYear).map((r) => r.key));
  const rows = def.rows
    .filter((r) => !gone.has(r.key))
    .map((r) => (r.sumOf?.some((k) => gone.has(k)) ? { ...r, sumOf: r.sumOf.filter((k) => !gone.has(k)) } : r));
  return { ...def, rows, retiredRows: def.rows.filter((r) => gone.has(r.key)) };
}
