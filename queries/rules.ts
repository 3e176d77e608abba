// The rules of a form are data (forms/<code>/rules.json); this is their one generic evaluator.
// Arithmetic rules run on the computed figures (FormData), so they hold whether or not the form
// is in the workbook; reconciliation rules compare a form's figures with the same figures
// computed another way (an SQL file beside the form, parameter $year).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatDecimal, fromNumber, parseDecimal, TOLERANCE } from "../core/money.js";
import { problem } from "../core/problem.js";
import type { Db } from "../warehouse/db.js";
import { QUERIES_DIR, readSql, withModels } from "./models.js";
import type { FormData, FormRow, FormValue, RuleResult } from "./types.js";

const Kind = z.enum(["data", "group", "total", "heading"]);
const Columns = z.array(z.string()).min(1);
/** Rows named by key, or chosen by kind and parent. */
const Selector = z.union([
  z.array(z.string()),
  z.object({ kind: z.array(Kind).optional(), parentKey: z.string().nullable().optional() }).strict(),
]);

const ArithmeticRule = z.discriminatedUnion("rule", [
  /** parent = the sum of the children, column by column */
  z.object({ rule: z.literal("sum_rows"), parent: z.string(), children: Selector, columns: Columns }).strict(),
  /** every row of these kinds = the sum of the rows whose parentKey is it */
  z.object({ rule: z.literal("children_sum"), kinds: z.array(Kind).min(1), columns: Columns }).strict(),
  /** in every row (of these kinds), target = the sum of the parts, where a part is given */
  z.object({ rule: z.literal("row_sum"), target: z.string(), parts: Columns, kinds: z.array(Kind).optional() }).strict(),
  /** target = num / den as a percentage, ± 0.05 on the rounded figure */
  z.object({ rule: z.literal("ratio"), target: z.string(), num: z.string(), den: z.string(), kinds: z.array(Kind).optional() }).strict(),
  /** two rows hold the same figures (PL05: both blocks count the same tasks) */
  z.object({ rule: z.literal("equal_rows"), rows: z.tuple([z.string(), z.string()]), columns: Columns }).strict(),
]);

const ReconciliationRule = z
  .object({
    rule: z.literal("sql"),
    name: z.string(),
    /** returns row_key, expected_trieu_dong */
    sql: z.string().regex(/^[\w.-]+\.sql$/),
    /** the form's columns whose sum is compared with the expected figure */
    actual: Columns,
    /** the column a difference is reported at */
    column: z.string(),
    what_vi: z.string(),
    what_en: z.string(),
  })
  .strict();

export const RulesFile = z
  .object({ arithmetic: z.array(ArithmeticRule), reconciliation: z.array(ReconciliationRule) })
  .strict();
export type RulesFile = z.infer<typeof RulesFile>;
type Arithmetic = z.infer<typeof ArithmeticRule>;
type Reconciliation = z.infer<typeof ReconciliationRule>;

export function loadRules(form: string): RulesFile {
  const path = join(QUERIES_DIR, "forms", form, "rules.json");
  if (!existsSync(path)) return { arithmetic: [], reconciliation: [] };
  const parsed = RulesFile.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success) throw new Error(`queries/forms/${form}/rules.json: ${parsed.error.message}`);
  return parsed.data;
}

/** ± 0.05 on a percentage rounded to one decimal */
const RATIO_TOLERANCE = 0.05 + 1e-9;

const money = (v: FormValue): bigint | null => {
  if (v === null || v === undefined || v === "") return null;
  return typeof v === "number" ? fromNumber(v) : parseDecimal(v);
};
const fmt = (v: bigint | null): string => (v === null ? "" : formatDecimal(v));
const label = (form: string): string => form.toUpperCase();

function selectRows(rows: FormRow[], sel: z.infer<typeof Selector>): FormRow[] {
  if (Array.isArray(sel)) return rows.filter((r) => sel.includes(r.rowKey));
  return rows.filter(
    (r) => (sel.kind === undefined || sel.kind.includes(r.kind)) && (sel.parentKey === undefined || r.parentKey === sel.parentKey),
  );
}

interface Ctx {
  form: string;
  out: RuleResult[];
}

function sumCheck(ctx: Ctx, rule: string, row: FormRow, column: string, children: FormRow[], what: { vi: string; en: string }): void {
  sumOfParts(ctx, rule, row, column, children.map((c) => money(c.values[column] ?? null)), what);
}

/** row's figure in `column` = the sum of the parts (null: blank). */
function sumOfParts(ctx: Ctx, rule: string, row: FormRow, column: string, parts: (bigint | null)[], what: { vi: string; en: string }): void {
  const parent = money(row.values[column] ?? null);
  // children all blank: the figure was given at this level only (a sum row loaded without its
  // leaves), nothing to check it against
  if (parts.every((p) => p === null)) return;
  const expected = parts.reduce<bigint>((a, p) => a + (p ?? 0n), 0n);
  const actual = parent ?? 0n;
  const ok = (actual > expected ? actual - expected : expected - actual) <= TOLERANCE;
  const result: RuleResult = {
    class: "arithmetic",
    rule,
    ok,
    form: ctx.form,
    rowKey: row.rowKey,
    column,
    expected: formatDecimal(expected),
    actual: fmt(parent),
  };
  if (!ok) {
    result.problem = problem(
      "RULE_ARITHMETIC",
      "error",
      { form: ctx.form, row: row.rowKey, column },
      `${label(ctx.form)} dòng ${row.rowKey}, cột ${column}: ${fmt(parent) || "(trống)"} khác ${what.vi} = ${formatDecimal(expected)} (chênh lệch ${formatDecimal(actual - expected)})`,
      `${label(ctx.form)} row ${row.rowKey}, column ${column}: ${fmt(parent) || "(blank)"} differs from ${what.en} = ${formatDecimal(expected)} (difference ${formatDecimal(actual - expected)})`,
      { expected: formatDecimal(expected), actual: fmt(parent), rule },
    );
  }
  ctx.out.push(result);
}

function arithmetic(ctx: Ctx, data: FormData, r: Arithmetic): void {
  const rows = data.rows;
  const byKey = new Map(rows.map((x) => [x.rowKey, x]));
  const ofKind = (kinds: string[] | undefined) => rows.filter((x) => kinds === undefined || kinds.includes(x.kind));
  switch (r.rule) {
    case "sum_rows": {
      const parent = byKey.get(r.parent);
      if (!parent) return;
      const children = selectRows(rows, r.children).filter((c) => c !== parent);
      const names = children.map((c) => c.rowKey).join(" + ");
      for (const col of r.columns) {
        sumCheck(ctx, r.rule, parent, col, children, {
          vi: `tổng các dòng ${names}`,
          en: `the sum of rows ${names}`,
        });
      }
      return;
    }
    case "children_sum": {
      for (const parent of ofKind(r.kinds)) {
        const children = rows.filter((c) => c.parentKey === parent.rowKey);
        if (children.length === 0) continue;
        for (const col of r.columns) {
          sumCheck(ctx, r.rule, parent, col, children, { vi: "tổng các dòng con", en: "the sum of its rows" });
        }
      }
      return;
    }
    case "row_sum": {
      const what = { vi: `tổng ${r.parts.join(" + ")}`, en: `the sum ${r.parts.join(" + ")}` };
      for (const row of ofKind(r.kinds)) {
        const target = money(row.values[r.target] ?? null);
        const parts = r.parts.map((p) => money(row.values[p] ?? null));
        if (parts.every((p) => p === null)) {
          if (target !== null) {
            // e.g. a register that gives a Tổng and no parts ("chưa phân nguồn")
            ctx.out.push({
              class: "arithmetic",
              rule: r.rule,
              ok: true,
              form: ctx.form,
              rowKey: row.rowKey,
              column: r.target,
              expected: "",
              actual: fmt(target),
              problem: problem(
                "RULE_NOT_APPLIED",
                "info",
                { form: ctx.form, row: row.rowKey, column: r.target },
                `${label(ctx.form)} dòng ${row.rowKey}: chỉ có Tổng số (${fmt(target)}), chưa phân nguồn — không kiểm tra ${r.target} = ${r.parts.join(" + ")}`,
                `${label(ctx.form)} row ${row.rowKey}: only a total (${fmt(target)}), not split by source — rule ${r.target} = ${r.parts.join(" + ")} not applied`,
                { actual: fmt(target), rule: r.rule },
              ),
            });
          }
          continue;
        }
        sumOfParts(ctx, r.rule, row, r.target, parts, what);
      }
      return;
    }
    case "ratio": {
      for (const row of ofKind(r.kinds)) {
        const t = row.values[r.target];
        const n = row.values[r.num];
        const d = row.values[r.den];
        const target = typeof t === "number" ? t : t === null || t === undefined ? null : Number(t);
        const num = typeof n === "number" ? n : n === null || n === undefined ? null : Number(n);
        const den = typeof d === "number" ? d : d === null || d === undefined ? null : Number(d);
        const quotient = num !== null && den !== null && den !== 0 ? (num / den) * 100 : null;
        if (quotient === null && target === null) continue;
        const ok = quotient !== null && target !== null && Math.abs(target - quotient) <= RATIO_TOLERANCE;
        const expected = quotient === null ? "" : (Math.round(quotient * 10) / 10).toFixed(1);
        const actual = target === null ? "" : String(target);
        const result: RuleResult = {
          class: "arithmetic",
          rule: r.rule,
          ok,
          form: ctx.form,
          rowKey: row.rowKey,
          column: r.target,
          expected,
          actual,
        };
        if (!ok) {
          result.problem = problem(
            "RULE_ARITHMETIC",
            "error",
            { form: ctx.form, row: row.rowKey, column: r.target },
            `${label(ctx.form)} dòng ${row.rowKey}, cột ${r.target}: tỷ lệ ${actual || "(trống)"} khác ${r.num}/${r.den} = ${expected || "(không tính được)"} %`,
            `${label(ctx.form)} row ${row.rowKey}, column ${r.target}: ratio ${actual || "(blank)"} differs from ${r.num}/${r.den} = ${expected || "(undefined)"} %`,
            { expected, actual, rule: r.rule },
          );
        }
        ctx.out.push(result);
      }
      return;
    }
    case "equal_rows": {
      const a = byKey.get(r.rows[0]);
      const b = byKey.get(r.rows[1]);
      if (!a || !b) return;
      for (const col of r.columns) {
        sumCheck(ctx, r.rule, a, col, [b], { vi: `dòng ${b.rowKey}`, en: `row ${b.rowKey}` });
      }
      return;
    }
  }
}

async function reconciliation(ctx: Ctx, db: Db, data: FormData, r: Reconciliation): Promise<void> {
  const sql = readSql(join(QUERIES_DIR, "forms", ctx.form, r.sql));
  const expectedRows = await db.all<{ row_key: string; expected_trieu_dong: string | null }>(
    withModels(sql) + "\norder by row_key",
    { year: data.year },
  );
  const byKey = new Map(data.rows.map((x) => [x.rowKey, x]));
  const rule = `${r.rule}:${r.name}`;
  for (const e of expectedRows) {
    const row = byKey.get(e.row_key);
    if (!row) continue;
    const parts = r.actual.map((c) => money(row.values[c] ?? null));
    const actual = parts.reduce<bigint>((a, p) => a + (p ?? 0n), 0n);
    const expected = e.expected_trieu_dong === null ? 0n : parseDecimal(String(e.expected_trieu_dong));
    const diff = actual - expected;
    const ok = (diff < 0n ? -diff : diff) <= TOLERANCE;
    const cols = r.actual.join(" + ");
    const result: RuleResult = {
      class: "reconciliation",
      rule,
      ok,
      form: ctx.form,
      rowKey: row.rowKey,
      column: r.column,
      expected: formatDecimal(expected),
      actual: formatDecimal(actual),
    };
    if (!ok) {
      result.problem = problem(
        "RULE_RECONCILIATION",
        "warning",
        { form: ctx.form, row: row.rowKey, column: r.column },
        `${label(ctx.form)} dòng ${row.rowKey} (${cols}): ${formatDecimal(actual)} khác ${r.what_vi} ${formatDecimal(expected)} (chênh lệch ${formatDecimal(diff)}, cần giải thích)`,
        `${label(ctx.form)} row ${row.rowKey} (${cols}): ${formatDecimal(actual)} differs from ${r.what_en} ${formatDecimal(expected)} (difference ${formatDecimal(diff)}, to explain)`,
        { expected: formatDecimal(expected), actual: formatDecimal(actual), difference: formatDecimal(diff), rule },
      );
    }
    ctx.out.push(result);
  }
}

/** Every rule of the form on these figures: one result per rule × row × column checked. */
export async function evaluateRules(db: Db, form: string, year: number, data: FormData): Promise<RuleResult[]> {
  const rules = loadRules(form);
  const ctx: Ctx = { form, out: [] };
  const at = data.year === year ? data : { ...data, year };
  for (const r of rules.arithmetic) arithmetic(ctx, at, r);
  for (const r of rules.reconciliation) await reconciliation(ctx, db, at, r);
  return ctx.out;
}

