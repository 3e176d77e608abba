// The schema of an appendix form definition (queries/forms/<code>/form.json). A form is data:
// next year's form is a new form.json, never TypeScript. The binding engine (fill/engine/)
// takes parsed FormDef objects; only queries/forms.ts reads the files.
//
// Texts that carry years use {N}, {N-1}, {N-2} (N = the plan year); the engine matches them
// against real years ("Dự toán năm 2023" when N = 2024) and reads a template's own N from them.
import { z } from "zod";

const RowKind = z.enum(["data", "group", "total", "heading"]);

/**
 * How a column is computed from others of the same row (the form's own arithmetic). Each one is
 * also a rule (queries/rules.ts derives it): a sum is checked where its parts are given (`kinds`:
 * only in rows of these kinds — a register's Tổng given without its parts makes a group's sum
 * differ), a ratio is computed by the query layer from its two columns and checked.
 */
export const Computed = z.union([
  z.object({ sum: z.array(z.string()).min(1), kinds: z.array(RowKind).optional() }).strict(),
  z.object({ ratio: z.tuple([z.string(), z.string()]) }).strict(),
]);
export type Computed = z.infer<typeof Computed>;

const RuleColumns = z.array(z.string()).min(1);
/** Rows named by key, or chosen by kind and parent. */
export const RowSelector = z.union([
  z.array(z.string()),
  z.object({ kind: z.array(RowKind).optional(), parentKey: z.string().nullable().optional() }).strict(),
]);

/** An arithmetic rule the definition cannot imply (the row sums, column sums and ratios it can). */
export const ArithmeticRule = z.discriminatedUnion("rule", [
  /** parent = the sum of the children, column by column */
  z.object({ rule: z.literal("sum_rows"), parent: z.string(), children: RowSelector, columns: RuleColumns }).strict(),
  /** every row of these kinds = the sum of the rows whose parentKey is it */
  z.object({ rule: z.literal("children_sum"), kinds: z.array(RowKind).min(1), columns: RuleColumns }).strict(),
  /** in every row (of these kinds), target = the sum of the parts, where a part is given */
  z.object({ rule: z.literal("row_sum"), target: z.string(), parts: RuleColumns, kinds: z.array(RowKind).optional() }).strict(),
  /** target = num / den as a percentage, ± 0.05 on the rounded figure */
  z.object({ rule: z.literal("ratio"), target: z.string(), num: z.string(), den: z.string(), kinds: z.array(RowKind).optional() }).strict(),
  /** two rows hold the same figures (PL05: both blocks count the same tasks) */
  z.object({ rule: z.literal("equal_rows"), rows: z.tuple([z.string(), z.string()]), columns: RuleColumns }).strict(),
]);
export type ArithmeticRule = z.infer<typeof ArithmeticRule>;

/** The form's figures against the same figures computed another way: an SQL file in the form's folder. */
export const ReconciliationRule = z
  .object({
    rule: z.literal("sql"),
    name: z.string(),
    /** a file beside form.json returning row_key, expected_trieu_dong (parameter $year) */
    sql: z.string().regex(/^[\w.-]+\.sql$/),
    /** the form's columns whose sum is compared with the expected figure */
    actual: RuleColumns,
    /** the column a difference is reported at */
    column: z.string(),
    what_vi: z.string(),
    what_en: z.string(),
  })
  .strict();
export type ReconciliationRule = z.infer<typeof ReconciliationRule>;

export const RulesDef = z
  .object({ arithmetic: z.array(ArithmeticRule).default([]), reconciliation: z.array(ReconciliationRule).default([]) })
  .strict();
export type RulesDef = z.infer<typeof RulesDef>;

export const ColumnDef = z
  .object({
    /** the FormData column id: "label", "ma_so", "stt", "title", "c1" … "note" */
    id: z.string().min(1),
    /** the (sub-)header our template prints; always one of the matched labels */
    header: z.string().min(1),
    /** the group header above it in a two-row header (our template's wording) */
    group: z.string().optional(),
    /** other wordings of the header (synonyms, abbreviations, real copies' phrasing) */
    labels: z.array(z.string()).default([]),
    /** other wordings of the group header */
    groupLabels: z.array(z.string()).default([]),
    /** the text in the row of column numbers: "A", "1", "3=1+2" */
    number: z.string().optional(),
    kind: z.enum(["text", "money", "count", "ratio"]),
    computed: Computed.optional(),
    /** false: the engine never writes it (Ghi chú is the staff's; fixed rows' labels are keys) */
    write: z.boolean().default(true),
    /** column width in our template (Excel character units) */
    width: z.number().positive().optional(),
  })
  .strict();
export type ColumnDef = z.infer<typeof ColumnDef>;

/** A row of a fixed form (PL01, PL02, PL05). */
export const FixedRowDef = z
  .object({
    /** the FormData rowKey: "03", "level:TINH", "field_total" */
    key: z.string().min(1),
    /** the label without numbering, as our template prints it */
    label: z.string().min(1),
    /** the numbering printed before the label: "2.3", "-", "1." (absent: none) */
    numbering: z.string().optional(),
    /** the Mã số code, when the form has a Mã số column */
    code: z.string().optional(),
    /** other wordings of the label (without numbering) */
    labels: z.array(z.string()).default([]),
    /** data: a leaf; group: the sum of `sumOf`; total: the form's total */
    kind: RowKind.default("data"),
    sumOf: z.array(z.string()).optional(),
    /** indentation level in our template (0 = bold top rows) */
    indent: z.number().int().min(0).max(4).default(0),
    /**
     * the last plan year whose form has this row (absent: every year). PL05's cấp huyện row: the
     * level ended on 30 June 2025 (core/admin/levels.json), PL05 reports N-1, so plan years ≤ 2026.
     */
    untilPlanYear: z.number().int().optional(),
  })
  .strict();
export type FixedRowDef = z.infer<typeof FixedRowDef>;

/** A group (section) row of a list form whose label is known in advance (PL03 "I. Nhiệm vụ chuyển tiếp"). */
export const ListGroupDef = z
  .object({
    /** the rowKey, or a key pattern with "{parent}" for groups repeated under each parent */
    key: z.string().min(1),
    label: z.string().min(1),
    numbering: z.string().optional(),
    labels: z.array(z.string()).default([]),
    /** for sub-groups: appended to the current top group's key ("group:I" + ":" + suffix) */
    sub: z.boolean().default(false),
  })
  .strict();
export type ListGroupDef = z.infer<typeof ListGroupDef>;

export const ListDef = z
  .object({
    /** the column whose text identifies a row (task title, indicator label) */
    labelColumn: z.string().min(1),
    /** the column holding the numbering (STT), if any */
    sttColumn: z.string().optional(),
    /**
     * Header wordings of a column (usually one the staff added) that shows the task code; when
     * present, body rows are matched by code, else by normalised label.
     */
    codeColumnLabels: z.array(z.string()).default([]),
    /** the prefix of row keys carrying a code: "task:" → "task:<code>" */
    codeKeyPrefix: z.string().optional(),
    groups: z.array(ListGroupDef).default([]),
    /** the total row closing the form, if the form has one */
    total: z
      .object({
        key: z.string().min(1),
        label: z.string().min(1),
        labels: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ListDef = z.infer<typeof ListDef>;

export const FormDef = z
  .object({
    code: z.string().regex(/^[a-z0-9_]+$/),
    /** the appendix number: "01" */
    number: z.string().min(1),
    kind: z.enum(["fixed", "list"]),
    /** the title line, with {N…} years */
    title: z.string().min(1),
    /** the unit line printed under the title (absent: none) */
    unitLine: z.string().optional(),
    recognise: z
      .object({
        /**
         * Regular expressions over a cell's matching key (lower case, no diacritics, collapsed
         * spaces) in the first `scanRows` rows: "Phụ lục 01", "Biểu số 01", "PL01".
         */
        titlePatterns: z.array(z.string()).min(1),
        /** regular expressions recognising the title line (over the canonical text) */
        titleLine: z.array(z.string()).default([]),
        /** regular expressions over the sheet name: a hint only */
        sheetNames: z.array(z.string()).default([]),
        scanRows: z.number().int().positive().default(8),
      })
      .strict(),
    columns: z.array(ColumnDef).min(1),
    /** fixed forms: every row */
    rows: z.array(FixedRowDef).optional(),
    /**
     * "hierarchy": the rows are lines of the 01–18 hierarchy (PL01, PL02) and take their `sumOf`
     * from its one home, core/hierarchy.ts, when the definition is read (queries/forms.ts); the
     * rows then state none of their own.
     */
    sumsFrom: z.literal("hierarchy").optional(),
    /**
     * set by formForYear(), never in form.json: the rows the form no longer has in the plan year
     * (a copy of last year's workbook may still carry one; the fill says so instead of ignoring it)
     */
    retiredRows: z.array(FixedRowDef).optional(),
    /** list forms: how the body is read */
    list: ListDef.optional(),
    /**
     * The rules the definition does not imply (queries/rules.ts derives the others: fixed rows'
     * `sumOf`, a list's groups and total, computed columns). A form stating row-sum rules of its
     * own here (PL05) gets none derived from its rows.
     */
    rules: RulesDef.optional(),
    /** extra phrase synonyms for this form: canonical ← variants (matching keys) */
    synonyms: z.record(z.string(), z.array(z.string())).default({}),
    layout: z
      .object({
        numberFormats: z
          .object({
            money: z.string().default("#,##0"),
            count: z.string().default("#,##0"),
            ratio: z.string().default("0.0"),
          })
          .strict()
          .default({ money: "#,##0", count: "#,##0", ratio: "0.0" }),
        sheetName: z.string().min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((f, ctx) => {
    const ids = new Set<string>();
    for (const c of f.columns) {
      if (ids.has(c.id)) ctx.addIssue({ code: "custom", message: `column ${c.id} given twice` });
      ids.add(c.id);
    }
    for (const c of f.columns) {
      const refs = c.computed ? ("sum" in c.computed ? c.computed.sum : c.computed.ratio) : [];
      for (const r of refs) if (!ids.has(r)) ctx.addIssue({ code: "custom", message: `column ${c.id} computed from unknown ${r}` });
    }
    if (f.kind === "fixed" && !f.rows?.length) ctx.addIssue({ code: "custom", message: "a fixed form needs rows" });
    if (f.sumsFrom && f.rows?.some((r) => r.sumOf)) ctx.addIssue({ code: "custom", message: "rows take their sumOf from the hierarchy (sumsFrom): give none" });
    if (f.kind === "list" && !f.list) ctx.addIssue({ code: "custom", message: "a list form needs list" });
    if (f.list && !ids.has(f.list.labelColumn)) ctx.addIssue({ code: "custom", message: `list.labelColumn ${f.list.labelColumn} is not a column` });
    for (const p of [...f.recognise.titlePatterns, ...f.recognise.titleLine, ...f.recognise.sheetNames]) {
      try {
        new RegExp(p);
      } catch {
        ctx.addIssue({ code: "custom", message: `not a regular expression: ${p}` });
      }
    }
  });
export type FormDef = z.infer<typeof FormDef>;
export type FormDefInput = z.input<typeof FormDef>;

/** Parse one definition; throws a readable zod error naming the path of what is wrong. */
export function parseFormDef(json: unknown): FormDef {
  return FormDef.parse(json);
}

