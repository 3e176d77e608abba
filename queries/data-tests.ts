// Data tests (dbt-style): each queries/data-tests/<name>.sql returns the rows that FAIL it.
// A test's header says its severity and message:
//   -- severity: error | warning
//   -- vi: <message>
//   -- en: <message>
// Columns file_id, sheet, cell (if selected) place the problem; a column `detail` is appended to
// the message; every column goes to the problem's data. Code: DATA_TEST_<NAME>.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { problem, type Problem, type Severity } from "../core/problem.js";
import type { Db, Row } from "../warehouse/db.js";
import { models, modelsNamedBy, QUERIES_DIR, readSql, withModels, type Model } from "./models.js";

const DIR = join(QUERIES_DIR, "data-tests");

export interface DataTest {
  name: string;
  code: string;
  severity: Severity;
  vi: string;
  en: string;
  sql: string;
}

const header = (sql: string, key: string): string | undefined =>
  new RegExp(`^--\\s*${key}:\\s*(.+)$`, "m").exec(sql)?.[1]?.trim();

export function dataTests(): DataTest[] {
  if (!existsSync(DIR)) return [];
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -4);
      const sql = readSql(join(DIR, f));
      const severity = (header(sql, "severity") ?? "error") as Severity;
      if (!["error", "warning", "info"].includes(severity)) throw new Error(`${f}: severity ${severity}`);
      return {
        name,
        code: `DATA_TEST_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`,
        severity,
        vi: header(sql, "vi") ?? name,
        en: header(sql, "en") ?? name,
        sql,
      };
    });
}

/**
 * The marts that more than one test reads (fct_budget_line_contribution under three of them):
 * computed once per run into a temporary table, where each test used to compute them again as
 * its own CTEs. Staging models stay CTEs: they only rename and cast, and a copy costs more
 * than reading them twice. Chosen from the most derived down, a mart read through one already
 * chosen counting once (that one's table reads it), so that nothing is stored that only one
 * reader needs. In dependency order, so that each is made from those before it.
 */
export function sharedMarts(tests: DataTest[]): string[] {
  const chosen: Model[] = [];
  for (const m of models().filter((x) => x.layer === "marts").reverse()) {
    const stored = new Map(chosen.map((c) => [c.name, c.name]));
    const readers = [...tests.map((t) => t.sql), ...chosen.map((c) => c.sql)].filter((sql) => modelsNamedBy(sql, stored).includes(m.name));
    if (readers.length > 1) chosen.unshift(m);
  }
  return chosen.map((c) => c.name);
}

/**
 * Run every data test; one problem per failing row, in the tests' order and each test's rows in
 * a fixed order. Each test is its own SQL file, as an analyst runs it (`withModels`); the models
 * several of them share are read from temporary tables made from the same SQL at the start of
 * their group (and dropped at its end), which changes no row.
 *
 * `connections: 2` runs them over two connections of the database at once (`Db.sibling`), each
 * taking the next group of the plan when it is free: only for committed data, which every
 * connection reads alike (a load's, after its facts' commit) — inside an open transaction its own
 * rows are its connection's only, and one connection is the default.
 */
export async function runDataTests(db: Db, o: { connections?: number } = {}): Promise<Problem[]> {
  const { tests, groups } = plan();
  const found: Row[][] = new Array(tests.length);
  const others: Db[] = [];
  try {
    for (let i = 1; i < (o.connections ?? 1); i++) {
      const s = await db.sibling();
      if (s) others.push(s);
    }
    let next = 0;
    let failed = false;
    const work = async (c: Db): Promise<void> => {
      while (!failed && next < groups.length) {
        const g = groups[next++]!;
        const made: string[] = [];
        try {
          for (const m of g.marts) {
            await c.run(m.sql);
            made.push(m.table);
          }
          for (const i of g.tests) found[i] = await c.all(tests[i]!.query);
        } catch (e) {
          failed = true;
          throw e;
        } finally {
          // a failed statement has aborted the load's transaction, which takes these with it
          for (const table of made) await c.run(`drop table if exists ${table}`).catch(() => undefined);
        }
      }
    };
    // every connection's work ended before any is closed; the first failure is the run's
    const settled = await Promise.allSettled([db, ...others].map(work));
    for (const r of settled) if (r.status === "rejected") throw r.reason;
  } finally {
    for (const s of others) s.close();
  }
  const out: Problem[] = [];
  tests.forEach((t, i) => {
    // a deterministic order whatever the plan (unions run in parallel)
    const sorted = found[i]!.map((r) => [JSON.stringify(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, r] of sorted) {
      const detail = r.detail === null || r.detail === undefined ? "" : ` — ${String(r.detail)}`;
      const place: Problem["place"] = {};
      if (typeof r.file_id === "string") place.file = r.file_id;
      if (typeof r.sheet === "string") place.sheet = r.sheet;
      if (typeof r.cell === "string") place.cell = r.cell;
      out.push(problem(t.code, t.severity, place, t.vi + detail, t.en + detail, { ...r }));
    }
  });
  return out;
}

interface Group {
  /** the shared marts' tables it makes first, on its connection (temporary tables are a connection's own) */
  marts: { table: string; sql: string }[];
  /** the tests it runs, by their place in `tests` */
  tests: number[];
}

let planned: { tests: (DataTest & { query: string })[]; groups: Group[] } | undefined;

/**
 * The statements runDataTests runs, in groups that one connection runs each: the shared marts'
 * tables with every test that reads one of them (the first group: the largest, a quarter of the
 * time on the bench's warehouses), then each other test on its own. Made once per process, like
 * models() and the analysts' views: they depend on our own SQL files only, which reading and
 * composing again cost every load (`queries/install.ts`).
 */
function plan(): NonNullable<typeof planned> {
  if (planned) return planned;
  const tests = dataTests();
  const stored = new Map<string, string>();
  const marts: { table: string; sql: string }[] = [];
  for (const name of sharedMarts(tests)) {
    // model names are SQL names of our own files (models.ts), never input
    const table = `data_test_${name}`;
    marts.push({ table, sql: `create or replace temp table ${table} as ${withModels(`select * from ${name}`, stored)}` });
    stored.set(name, table);
  }
  const readsMart = (t: DataTest) => modelsNamedBy(t.sql, stored).some((m) => stored.has(m));
  const shared: Group = { marts, tests: [] };
  const own: Group[] = [];
  tests.forEach((t, i) => (readsMart(t) ? shared.tests.push(i) : own.push({ marts: [], tests: [i] })));
  planned = {
    tests: tests.map((t) => ({ ...t, query: withModels(t.sql, stored) })),
    groups: shared.tests.length > 0 ? [shared, ...own] : own,
  };
  return planned;
}
