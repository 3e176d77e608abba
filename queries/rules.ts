// The rules of a form come from its definition (forms/<code>/form.json): the row sums of its
// fixed rows (`sumOf`) and of a list's groups and total, each computed column's sum or ratio, and
// what the definition cannot imply, stated in its `rules` (PL05's two blocks that count the same
// tasks, the reconciliations). This is their one generic evaluator. Arithmetic rules run on the
// computed figures (FormData), so they hold whether or not the form is in the workbook;
// reconciliation rules compare a form's figures with the same figures computed another way (an SQL
// file beside the form, parameter $year).
import { join } from "node:path";
import type { z } from "zod";
import { formatDecimal, fromNumber, parseDecimal, TOLERANCE } from "../core/money.js";
import { prob } from "../core/codes.js";
import type { Db } from "../warehouse/db.js";
import type { ArithmeticRule, FormDef, ReconciliationRule, RowSelector } from "./form-schema.js";
import { FORMS_DIR, loadForm } from "./forms.js";
import { readSql, withModels } from "./models.js";
import type { FormData, FormRow, FormValue, RuleResult } from "./types.js";

type Arithmetic = ArithmeticRule;
type Reconciliation = ReconciliationRule;
export interface RulesFile {
  arithmetic: Arithmetic[];
  reconciliation: Reconciliation[];
}

/** The columns a row sum adds up: every figure column but the ratios (a ratio of sums is not a sum). */
function summedColumns(def: FormDef): string[] {
  return def.columns.filter((c) => c.kind !== "text" && !(c.computed && "ratio" in c.computed)).map((c) => c.id);
}

/**
 * Every rule of a form, derived from its definition in this order: the row sums (a fixed row's
 * `sumOf`; a list's groups = the sum of their rows, its total = the sum of its top groups, or of
 * its rows when it has no groups) unless the definition states row sums of its own, then one rule
 * per computed column (a sum → row_sum, a ratio → ratio), then the definition's own `rules`.
 */
export function formRules(def: FormDef): RulesFile {
  const own = def.rules ?? { arithmetic: [], reconciliation: [] };
  const out: Arithmetic[] = [];
  const columns = summedColumns(def);
  const statesRowSums = own.arithmetic.some((r) => r.rule === "sum_rows" || r.rule === "children_sum");
  if (!statesRowSums && columns.length > 0) {
    for (const row of def.rows ?? []) {
      if (row.sumOf?.length) out.push({ rule: "sum_rows", parent: row.key, children: row.sumOf, columns });
    }
    if (def.list) {
      const grouped = def.list.groups.length > 0;
      if (grouped) out.push({ rule: "children_sum", kinds: ["group"], columns });
      if (def.list.total) {
        out.push({
          rule: "sum_rows",
          parent: def.list.total.key,
          children: grouped ? { kind: ["group"], parentKey: null } : { kind: ["data"] },
          columns,
        });
      }
    }
  }
  for (const c of def.columns) {
    if (!c.computed) continue;
    if ("sum" in c.computed) {
      out.push({ rule: "row_sum", target: c.id, parts: c.computed.sum, ...(c.computed.kinds ? { kinds: c.computed.kinds } : {}) });
    } else {
      out.push({ rule: "ratio", target: c.id, num: c.computed.ratio[0], den: c.computed.ratio[1] });
    }
  }
  return { arithmetic: [...out, ...own.arithmetic], reconciliation: own.reconciliation };
}

/** ± 0.05 on a percentage rounded to one decimal */
const RATIO_TOLERANCE = 0.05 + 1e-9;

const money = (v: FormValue): bigint | null => {
  if (v === null || v === undefined || v === "") return null;
  return typeof v === "number" ? fromNumber(v) : parseDecimal(v);
};
const fmt = (v: bigint | null): string => (v === null ? "" : formatDecimal(v));

function selectRows(rows: FormRow[], sel: z.infer<typeof RowSelector>): FormRow[] {
  if (Array.isArray(sel)) return rows.filter((r) => sel.includes(r.rowKey));
  return rows.filter(
    (r) => (sel.kind === undefined || sel.kind.includes(r.kind)) && (sel.parentKey === undefined || r.parentKey === sel.parentKey),
  );
}

interface Ctx {
  form: string;
  /** the form's folder: its reconciliation SQL files */
  dir: string;
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
    result.problem = prob(
      "RULE_ARITHMETIC",
      { form: ctx.form, row: row.rowKey, column },
      { expected: formatDecimal(expected), actual: fmt(parent), rule },
      { difference: formatDecimal(actual - expected), whatVi: what.vi, what: what.en },
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
              problem: prob(
                "RULE_NOT_APPLIED",
                { form: ctx.form, row: row.rowKey, column: r.target },
                { actual: fmt(target), rule: r.rule },
                { check: `${r.target} = ${r.parts.join(" + ")}` },
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
          result.problem = prob("RULE_ARITHMETIC", { form: ctx.form, row: row.rowKey, column: r.target }, { expected, actual, rule: r.rule }, { ratio: `${r.num}/${r.den}` });
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
  const sql = readSql(join(ctx.dir, r.sql));
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
      result.problem = prob(
        "RULE_RECONCILIATION",
        { form: ctx.form, row: row.rowKey, column: r.column },
        { expected: formatDecimal(expected), actual: formatDecimal(actual), difference: formatDecimal(diff), rule },
        { columns: cols, whatVi: r.what_vi, what: r.what_en },
      );
    }
    ctx.out.push(result);
  }
}

/**
 * Every rule of the form on these figures: one result per rule × row × column checked. The
 * definition is read from `formsDir` (default queries/forms), or taken as given.
 */
export async function evaluateRules(
  db: Db,
  form: string,
  year: number,
  data: FormData,
  opts: { formsDir?: string; def?: FormDef } = {},
): Promise<RuleResult[]> {
  const dir = opts.formsDir ?? FORMS_DIR;
  const rules = formRules(opts.def ?? loadForm(form, dir));
  const ctx: Ctx = { form, dir: join(dir, form), out: [] };
  const at = data.year === year ? data : { ...data, year };
  for (const r of rules.arithmetic) arithmetic(ctx, at, r);
  for (const r of rules.reconciliation) await reconciliation(ctx, db, at, r);
  return ctx.out;
}
