// Figures, lineage and rules of the appendix forms, from the SQL beside each form
// (queries/forms/<code>/query.sql, lineage.sql, rules.json). DECIMAL becomes a JS number here and
// only here: the FormData goes to Excel, which holds doubles.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { formatDecimal, parseDecimal } from "../core/money.js";
import type { Db } from "../warehouse/db.js";
import { QUERIES_DIR, readSql, withModels } from "./models.js";
import { evaluateRules, loadRules } from "./rules.js";
import type { FormData, FormRow, FormValue, LineageFact, RuleResult } from "./types.js";

export { evaluateRules };

const FORMS_DIR = join(QUERIES_DIR, "forms");

/** The appendix codes: the folders under queries/forms that hold a query.sql. */
export function listForms(): string[] {
  if (!existsSync(FORMS_DIR)) return [];
  return readdirSync(FORMS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(FORMS_DIR, d.name, "query.sql")))
    .map((d) => d.name)
    .sort();
}

function formFile(form: string, file: "query.sql" | "lineage.sql"): string {
  if (!listForms().includes(form)) throw new Error(`unknown form ${JSON.stringify(form)} / không có phụ lục này`);
  return readSql(join(FORMS_DIR, form, file));
}

/** The form's query.sql, its $year parameter still in place. */
export function formQuery(form: string): string {
  return formFile(form, "query.sql");
}

const FIXED = new Set(["row_key", "kind", "sort", "parent_key"]);
/** Numbered columns hold figures (money, counts, ratios); the others hold texts. */
const isFigure = (column: string): boolean => /^c\d+$/.test(column);

function toValue(column: string, v: unknown): FormValue {
  if (v === null || v === undefined) return null;
  if (isFigure(column)) {
    // DECIMAL and BIGINT arrive as the doubles nearest them (Db.numberColumns), never a scaled
    // float; a text figure is parsed
    const n = typeof v === "number" ? v : Number(String(v));
    if (!Number.isFinite(n)) throw new Error(`not a number in column ${column}: ${String(v)}`);
    return n;
  }
  return typeof v === "string" ? v : String(v);
}

export async function computeForm(db: Db, form: string, year: number, generation: number): Promise<FormData> {
  const sql = withModels(formQuery(form)) + "\norder by sort";
  // by column: a 5 000-task PL03 as row objects of decimal strings took longer than its query
  const { names, columns } = await db.numberColumns(sql, { year }, isFigure);
  const col = (name: string): unknown[] => columns[names.indexOf(name)] ?? [];
  const [keys, kinds, sorts, parents] = [col("row_key"), col("kind"), col("sort"), col("parent_key")];
  const valueColumns = names.map((name, i) => ({ name, values: columns[i] })).filter((c) => !FIXED.has(c.name));
  const rows: FormRow[] = keys.map((key, i) => {
    const values: Record<string, FormValue> = {};
    for (const c of valueColumns) values[c.name] = toValue(c.name, c.values[i]);
    const parent = parents[i];
    return {
      rowKey: String(key),
      kind: kinds[i] as FormRow["kind"],
      sort: Number(sorts[i]),
      parentKey: parent === null || parent === undefined ? null : String(parent),
      values,
    };
  });
  return { form, year, generation, rows };
}

/** Every fact of the warehouse, in one shape, with its file, office and load time. */
const ALL_FACTS = `
facts as (
  select fact_id, 'fact_task_funding' as table_name, run_id, file_id, file_hash, sheet, cell,
    measure_code, year, source_code, cast(amount as varchar) as amount
  from fact_task_funding
  union all
  select fact_id, 'fact_task_approved', run_id, file_id, file_hash, sheet, cell,
    null, null, source_code, cast(amount as varchar)
  from fact_task_approved
  union all
  select fact_id, 'fact_budget_line', run_id, file_id, file_hash, sheet, cell,
    measure_code, year, source_code, cast(amount as varchar)
  from fact_budget_line
  union all
  select fact_id, 'fact_indicator', run_id, file_id, file_hash, sheet, cell,
    measure_code, year, null, cast(value as varchar)
  from fact_indicator
)`;

/** The facts behind one cell of a form, a page at a time (ordered by fact id). */
export async function formLineage(
  db: Db,
  form: string,
  year: number,
  rowKey: string,
  columnId: string,
  page = 0,
  pageSize = 50,
): Promise<{ total: number; facts: LineageFact[] }> {
  const lineage = withModels(formFile(form, "lineage.sql"));
  const picked = `with lineage as (\n${lineage}\n),
picked as (select distinct fact_id from lineage where row_key = $row_key and column_id = $column_id)`;
  const params = { year, row_key: rowKey, column_id: columnId };
  const count = await db.all<{ n: string }>(`${picked}\nselect count(*) as n from picked`, params);
  const rows = await db.all<Record<string, string | number | null>>(
    `${picked},
${ALL_FACTS}
select f.fact_id, f.table_name, s.office_code, f.file_id, f.file_hash, f.sheet, f.cell, f.run_id,
  strftime(timezone('UTC', r.finished_at), '%Y-%m-%dT%H:%M:%SZ') as finished_at, f.measure_code, f.year, f.source_code, f.amount
from picked as p
join facts as f on f.fact_id = p.fact_id
left join source_file as s on s.file_id = f.file_id
left join load_run as r on r.run_id = f.run_id
order by f.fact_id
limit $limit offset $offset`,
    { ...params, limit: Math.max(0, Math.floor(pageSize)), offset: Math.max(0, Math.floor(page)) * Math.max(0, Math.floor(pageSize)) },
  );
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    total: Number(count[0]?.n ?? 0),
    facts: rows.map((r) => ({
      factId: Number(r.fact_id),
      table: String(r.table_name) as LineageFact["table"],
      office: str(r.office_code),
      fileId: String(r.file_id),
      fileHash: String(r.file_hash),
      sheet: String(r.sheet),
      cell: String(r.cell),
      runId: Number(r.run_id),
      loadedAt: str(r.finished_at),
      measure: str(r.measure_code),
      year: r.year === null || r.year === undefined ? null : Number(r.year),
      source: str(r.source_code),
      amount: formatDecimal(parseDecimal(String(r.amount))),
    })),
  };
}

/**
 * Every form's figures for the plan year and every rule on them, in the order of listForms().
 * `first`: forms whose queries to run before the others (the fill asks for its list forms, whose
 * query is the long one, so that it runs while the workbook is read); the results keep their order.
 */
export async function computeAll(db: Db, year: number, generation: number, opts: { first?: readonly string[] } = {}): Promise<{ forms: FormData[]; rules: RuleResult[] }> {
  const codes = listForms();
  const first = opts.first ? codes.filter((c) => opts.first!.includes(c)) : [];
  const order = [...first, ...codes.filter((c) => !first.includes(c))];
  const done = new Map<string, { data: FormData; rules: RuleResult[] }>();
  // The next form's query runs in DuckDB's threads while this thread checks the arithmetic of the
  // form just read (a 5 000-task PL03 takes a tenth of a second). Only when the rules need no SQL
  // of their own: one connection runs one statement at a time.
  let next: Promise<FormData> | null = order.length ? computeForm(db, order[0], year, generation) : null;
  for (let i = 0; i < order.length; i++) {
    const data = await next!;
    next = null;
    if (i + 1 < order.length && loadRules(order[i]).reconciliation.length === 0) {
      next = computeForm(db, order[i + 1], year, generation);
      next.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    }
    try {
      done.set(order[i], { data, rules: await evaluateRules(db, order[i], year, data) });
    } catch (e) {
      // nothing left running on the connection when the caller closes it
      if (next) await (next as Promise<FormData>).catch(() => undefined);
      throw e;
    }
    if (i + 1 < order.length && !next) next = computeForm(db, order[i + 1], year, generation);
  }
  return { forms: codes.map((c) => done.get(c)!.data), rules: codes.flatMap((c) => done.get(c)!.rules) };
}
