// The contract between the appendix SQL, the binding engine, the rules and the API. Each form
// folder (queries/forms/<code>/) holds two files:
//   form.json     — how the form is recognised and bound (owned by the binding engine's schema),
//                   its computed columns and the rules it cannot imply
//   figures.sql   — its cells in long form (row_key, kind, sort, parent_key, column_id, amount,
//                   text, fact_ids), parameter $year (plan year N): compute.ts pivots it into
//                   FormData and reads the lineage from it
import type { Problem } from "../core/problem.js";

/** A figure or a text of one form cell. Money/counts as numbers only at this edge (for Excel). */
export type FormValue = number | string | null;

export interface FormRow {
  /**
   * Stable key of the row inside the form:
   *  PL01/PL02: the Mã số "01" … "18";
   *  PL03: "task:<code>", "group:I", "group:I:TINH", "group:II", "group:II:HUYEN", …, "total";
   *  PL04: "task:<code>", "total";
   *  PL05: "level:QUOC_GIA" … "level:KHAC", "level_total", "field:TU_NHIEN" … "field:CHUA_PHAN_LOAI", "field_total";
   *  PL06: "area:TDC" (heading rows), "ind:<indicator_key>".
   */
  rowKey: string;
  /** data | group (sum of its children) | total | heading (no figures) */
  kind: "data" | "group" | "total" | "heading";
  /** order in the form */
  sort: number;
  /** parent row key for group membership (PL03 tasks → their level group …), else null */
  parentKey: string | null;
  /**
   * Values by column id. Column ids are the form's own: "stt", "label", "ma_so", "title",
   * "lead_org", "period", "decision", "unit", "note" and "c1", "c2", … for the numbered columns.
   */
  values: Record<string, FormValue>;
}

export interface FormData {
  form: string;
  year: number;
  /** the warehouse generation (load run) the figures come from */
  generation: number;
  rows: FormRow[];
}

export interface RuleResult {
  /** "arithmetic" rules make `fill` exit 3; "reconciliation" ones only with --strict */
  class: "arithmetic" | "reconciliation";
  rule: string;
  ok: boolean;
  form: string;
  rowKey: string;
  column: string;
  /** the two figures compared, as decimal strings */
  expected: string;
  actual: string;
  problem?: Problem;
}

/** One warehouse fact behind a filled cell (GET lineage; the pane's "where does this come from"). */
export interface LineageFact {
  factId: number;
  table: "fact_task_funding" | "fact_task_approved" | "fact_budget_line" | "fact_indicator";
  /** the office whose file gave it (null if that file no longer contributes) */
  office: string | null;
  fileId: string;
  fileHash: string;
  sheet: string;
  cell: string;
  runId: number;
  /** when its load run finished (ISO timestamp) */
  loadedAt: string | null;
  /** null for approved funding (the register's Kinh phí phê duyệt) */
  measure: string | null;
  /** null for approved funding */
  year: number | null;
  /** NSTW, NSDP, NGOAI_NSNN, NUOC_NGOAI, TONG (approved total); null for indicators */
  source: string | null;
  /** decimal string: triệu đồng, or the indicator's own unit */
  amount: string;
}
