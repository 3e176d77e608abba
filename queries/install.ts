// What analysts see in the database itself: the staging and mart models as views and one table
// macro per appendix (`select * from pl02(2024)`) and one for the facts behind each of its cells
// (`select * from pl01_lineage(2026)`: row_key, column_id, fact_id). The loader calls this inside each load's
// transaction, so every generation carries the views of the code that wrote it.
import { createHash } from "node:crypto";
import { commentOn, sqlString, type Db } from "../warehouse/db.js";
import { listForms, formQuery, formLineageQuery } from "./compute.js";
import { models } from "./models.js";

/** Macro parameter: not a column name anywhere, so that it cannot capture a column. */
const MACRO_PARAM = "plan_year_n";

/** The body of a form's table macro: its figures query with $year bound to the macro's parameter. */
export function macroBody(form: string, which: "query" | "lineage" = "query"): string {
  const sql = which === "query" ? formQuery(form) : formLineageQuery(form);
  if (new RegExp(`\\b${MACRO_PARAM}\\b`).test(sql)) throw new Error(`queries/forms/${form}/figures.sql uses ${MACRO_PARAM}`);
  return sql.replace(/\$year\b/g, MACRO_PARAM);
}

let cached: { all: [string, string][]; fingerprint: string } | undefined;

/**
 * Every view and macro installAnalystViews makes, as (name, statement), in order, and their
 * fingerprint. Made once per process, like models(): composing the forms' queries and hashing
 * them cost ~15 ms, and a load asks twice.
 */
function installed(): { all: [string, string][]; fingerprint: string } {
  if (cached) return cached;
  const all = statements();
  const h = createHash("sha256");
  for (const [, sql] of all) h.update(sql).update("\0");
  cached = { all, fingerprint: `phuluc-views:${h.digest("hex").slice(0, 32)}` };
  return cached;
}

function statements(): [string, string][] {
  const out: [string, string][] = [];
  for (const m of models()) {
    // model names come from our own file names (\w+), never from input
    out.push([m.name, `create or replace view ${m.name} as\n${m.sql}`]);
  }
  for (const form of listForms()) {
    if (!/^\w+$/.test(form)) throw new Error(`form folder name ${JSON.stringify(form)} is not an SQL name`);
    out.push([form, `create or replace macro ${form}(${MACRO_PARAM}) as table\n${macroBody(form)}`]);
    out.push([`${form}_lineage`, `create or replace macro ${form}_lineage(${MACRO_PARAM}) as table\n${macroBody(form, "lineage")}`]);
  }
  return out;
}

/** What the installed views and macros are made of: the hash of every statement, in order. */
export function viewsFingerprint(): string {
  return installed().fingerprint;
}

/**
 * Install the views and macros — unless the database already holds exactly these: a load works
 * on a copy of the last generation, which carries the views of the code that wrote it, so a run
 * of the same code has nothing to redo. The fingerprint of the statements is the comment of the
 * last model's view, written last (inside the load's transaction, so all or nothing), and reset
 * by any `create or replace` of it. Returns whether anything was installed.
 */
export async function installAnalystViews(db: Db): Promise<boolean> {
  const { all, fingerprint: fp } = installed();
  const sentinel = models().at(-1)?.name;
  if (sentinel && (await commentOn(db, "view", sentinel)) === fp) return false;
  // One round trip for them all (none takes a parameter): DuckDB still binds each view and
  // macro as it creates it, but a fresh warehouse no longer pays ~40 calls into it. Each
  // statement ends on a line of its own, so that a trailing comment cannot swallow the ";".
  // COMMENT takes no parameter; the fingerprint is our own hex digest
  const sql = all.map(([, s]) => s);
  if (sentinel) sql.push(`comment on view ${sentinel} is ${sqlString(fp)}`);
  await db.run(sql.join("\n;\n"));
  return true;
}
