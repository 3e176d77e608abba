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
import type { Db } from "../warehouse/db.js";
import { QUERIES_DIR, readSql, withModels } from "./models.js";

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

/** Run every data test; one problem per failing row. */
export async function runDataTests(db: Db): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const t of dataTests()) {
    const rows = await db.all(withModels(t.sql));
    // a deterministic order whatever the plan (unions run in parallel)
    const sorted = rows.map((r) => [JSON.stringify(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, r] of sorted) {
      const detail = r.detail === null || r.detail === undefined ? "" : ` — ${String(r.detail)}`;
      const place: Problem["place"] = {};
      if (typeof r.file_id === "string") place.file = r.file_id;
      if (typeof r.sheet === "string") place.sheet = r.sheet;
      if (typeof r.cell === "string") place.cell = r.cell;
      out.push(problem(t.code, t.severity, place, t.vi + detail, t.en + detail, { ...r }));
    }
  }
  return out;
}
