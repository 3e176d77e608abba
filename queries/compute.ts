// Figures, lineage and rules of the appendix forms. A form is its definition (form.json) and one
// query in long form (figures.sql: one row per form cell — row_key, kind, sort, parent_key,
// column_id, amount or text, fact_ids); the figures are that query pivoted to one row per form
// row, the lineage is that query's fact lists, and a computed column (form.json `computed`) is
// derived here from the definition: a ratio's figure is computed from its two columns, and a
// computed column's facts are its parts' facts unless the query lists facts of its own for the
// cell (a register's Tổng, given rather than added up). DECIMAL becomes a JS number here and only
// here: the FormData goes to Excel, which holds doubles.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { formatDecimal, parseDecimal } from "../core/money.js";
import { sqlString, type Db } from "../warehouse/db.js";
import type { FormDef } from "./form-schema.js";
import { FORMS_DIR, loadForm } from "./forms.js";
import { readSql, withModels } from "./models.js";
import { evaluateRules, formRules } from "./rules.js";
import type { FormData, FormRow, FormValue, LineageFact, RuleResult } from "./types.js";

export { evaluateRules, formRules };

/** Where the forms are read from: queries/forms unless a caller (a test, a trial form) says otherwise. */
export interface FormsOptions {
  formsDir?: string;
}

/** The file of a form's cells, in long form. */
export const FIGURES_FILE = "figures.sql";

/** The appendix codes: the folders under queries/forms (or `formsDir`) holding a form.json and a figures.sql. */
export function listForms(opts: FormsOptions = {}): string[] {
  const dir = opts.formsDir ?? FORMS_DIR;
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "form.json")) && existsSync(join(dir, d.name, FIGURES_FILE)))
    .map((d) => d.name)
    .sort();
}

/** A column id goes into generated SQL as a name: only the form's own plain ids. */
function sqlName(id: string, form: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(id)) throw new Error(`queries/forms/${form}/form.json: column id ${JSON.stringify(id)} is not an SQL name`);
  return id;
}

function figuresSql(form: string, dir: string): string {
  if (!listForms({ formsDir: dir }).includes(form)) throw new Error(`unknown form ${JSON.stringify(form)} / không có phụ lục này`);
  return readSql(join(dir, form, FIGURES_FILE));
}

/**
 * The form's figures, one row per form row (row_key, kind, sort, parent_key, then its columns in
 * the definition's order), from its long-form query; $year still in place, models not in front.
 */
export function pivotSql(def: FormDef, long: string): string {
  const picked = def.columns.map((c) => {
    const id = sqlName(c.id, def.code);
    const field = c.kind === "text" ? "text" : "amount";
    return `    any_value(${field}) filter (where column_id = ${sqlString(id)}) as ${id}`;
  });
  const shown = def.columns.map((c) => {
    const id = sqlName(c.id, def.code);
    if (c.computed && "ratio" in c.computed) {
      // as the forms have always printed it: a percentage to one decimal, blank for a zero base
      const [num, den] = c.computed.ratio.map((r) => sqlName(r, def.code));
      return `  case when ${den} <> 0 then cast(round(${num} * 100 / ${den}, 1) as decimal(18,1)) end as ${id}`;
    }
    return `  ${id}`;
  });
  return `with long as (
${long}
),
wide as (
  select
    row_key,
    any_value(kind) as kind,
    any_value(sort) as sort,
    any_value(parent_key) as parent_key,
${picked.join(",\n")}
  from long
  group by row_key
)
select
  row_key,
  kind,
  sort,
  parent_key,
${shown.join(",\n")}
from wide
order by sort`;
}

/**
 * The facts behind each cell (row_key, column_id, fact_id) from the long-form query: each cell's
 * own fact list, and for a computed column without one, its parts' facts (a ratio both figures',
 * a sum its parts'). $year still in place, models not in front.
 */
export function lineageSql(def: FormDef, long: string): string {
  const derived = def.columns
    .filter((c) => c.computed)
    .map((c) => {
      const parts = ("sum" in c.computed! ? c.computed!.sum : c.computed!.ratio).map((p) => sqlString(sqlName(p, def.code)));
      const id = sqlString(sqlName(c.id, def.code));
      return `  union all
  select o.row_key, ${id}, o.fact_id
  from own as o
  where o.column_id in (${parts.join(", ")})
    and not exists (select 1 from long as x where x.row_key = o.row_key and x.column_id = ${id} and x.fact_ids is not null)`;
    });
  // materialized: the long form is read once for the cells' own facts and again for each computed column
  return `with long as materialized (
${long}
),
own as (
  select row_key, column_id, unnest(fact_ids) as fact_id
  from long
  where fact_ids is not null
)
select distinct row_key, column_id, fact_id
from (
  select row_key, column_id, fact_id from own
${derived.join("\n")}
)`;
}

/** The form's figures query (one row per form row), its $year parameter still in place. */
export function formQuery(form: string, opts: FormsOptions = {}): string {
  const dir = opts.formsDir ?? FORMS_DIR;
  return pivotSql(loadForm(form, dir), figuresSql(form, dir));
}

/** The form's lineage query (row_key, column_id, fact_id), its $year parameter still in place. */
export function formLineageQuery(form: string, opts: FormsOptions = {}): string {
  const dir = opts.formsDir ?? FORMS_DIR;
  return lineageSql(loadForm(form, dir), figuresSql(form, dir));
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

export async function computeForm(db: Db, form: string, year: number, generation: number, opts: FormsOptions = {}): Promise<FormData> {
  const sql = withModels(formQuery(form, opts)) + "\norder by sort";
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
  opts: FormsOptions = {},
): Promise<{ total: number; facts: LineageFact[] }> {
  const lineage = withModels(formLineageQuery(form, opts));
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
 * Each form's queries run on a connection of their own, all at once: DuckDB computes them on its
 * threads while this one converts the answers and checks the arithmetic, and, in a fill, while
 * it reads the workbook. One after another on one connection, each waited for this thread to be
 * free to start the next: a refill waited twice as long for its figures.
 */
export async function computeAll(
  db: Db,
  year: number,
  generation: number,
  opts: FormsOptions = {},
): Promise<{ forms: FormData[]; rules: RuleResult[] }> {
  const codes = listForms(opts);
  const one = async (code: string, conn: Db): Promise<{ data: FormData; rules: RuleResult[] }> => {
    const data = await computeForm(conn, code, year, generation, opts);
    return { data, rules: await evaluateRules(conn, code, year, data, opts) };
  };
  const done: { data: FormData; rules: RuleResult[] }[] = [];
  const first = await db.sibling();
  if (!first) {
    // a Db not opened by openDb has one connection: the forms one after another
    for (const code of codes) done.push(await one(code, db));
  } else {
    const settled = await Promise.allSettled(
      codes.map(async (code, i) => {
        const conn = i === 0 ? first : (await db.sibling())!;
        try {
          return await one(code, conn);
        } finally {
          conn.close();
        }
      }),
    );
    // every connection is done and closed before an error is thrown: the caller may close the database
    for (const r of settled) if (r.status === "rejected") throw r.reason;
    for (const r of settled) if (r.status === "fulfilled") done.push(r.value);
  }
  return { forms: done.map((d) => d.data), rules: done.flatMap((d) => d.rules) };
}
