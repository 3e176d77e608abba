// A new warehouse starts as a copy of a template that the migrations and the loader's `prepare`
// made once (warehouse/generations.ts): the same warehouse, table for table and view for view,
// as one that starts empty — and a template that cannot be had or is damaged only costs the time.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "../../core/config.js";
import { runLoad } from "../../etl/commands.js";
import { openDb } from "../../warehouse/db.js";
import { ABANDONED_AFTER_MS, openCurrent, writeGeneration } from "../../warehouse/generations.js";
import { schemaVersion, SCHEMA_VERSION } from "../../warehouse/migrate.js";
import { tempDb } from "./helpers.js";

const config = ConfigSchema.parse({ province: { code: "80", name: "Long An" } });
const inbox = join("sample", "inbox");
const at = new Date("2026-06-01T08:00:00Z");
const before = process.env.PHULUC_TEMPLATE_DIR;
afterAll(() => {
  if (before === undefined) delete process.env.PHULUC_TEMPLATE_DIR;
  else process.env.PHULUC_TEMPLATE_DIR = before;
});

async function load(templates: string): Promise<string> {
  process.env.PHULUC_TEMPLATE_DIR = templates;
  const db = tempDb();
  const r = await runLoad({ inbox, db, config, quiet: true, acceptPartial: true, now: () => at });
  expect(r.outcome).not.toBe("rejected");
  expect(r.rowsLoaded).toBeGreaterThan(0);
  return db;
}

/** Everything a warehouse holds but the moments it was written at. */
async function dump(dbPath: string): Promise<Record<string, unknown>> {
  const db = await openCurrent(dbPath);
  try {
    const out: Record<string, unknown> = {
      columns: await db.all("select table_name, column_name, data_type, column_default, is_nullable from duckdb_columns() where not internal and database_name = current_database() order by all"),
      views: await db.all("select view_name, sql, comment from duckdb_views() where not internal and database_name = current_database() order by all"),
      macros: await db.all("select function_name, macro_definition from duckdb_functions() where function_type like '%macro%' and not internal and database_name = current_database() order by all"),
      sequences: await db.all("select sequence_name, last_value::varchar v from duckdb_sequences() order by all"),
      constraints: await db.all("select table_name, constraint_type, constraint_text from duckdb_constraints() where database_name = current_database() order by all"),
    };
    const tables = await db.all<{ t: string }>("select table_name t from duckdb_tables() where not internal and not temporary and database_name = current_database() order by 1");
    for (const { t } of tables) {
      const cols = await db.all<{ c: string }>(
        "select column_name c from duckdb_columns() where table_name = $t and database_name = current_database() and data_type not like 'TIMESTAMP%' order by column_index",
        { t },
      );
      out[t] = await db.all(`select ${cols.map((c) => `"${c.c}"`).join(", ")} from "${t}" order by all`);
    }
    return out;
  } finally {
    db.close();
  }
}

describe("a new warehouse from a template", () => {
  it("is the warehouse an empty start gives, with its migrations applied by its own load", async () => {
    const templates = mkdtempSync(join(tmpdir(), "phuluc-templates-"));
    const empty = await dump(await load("off"));
    const t0 = Date.now();
    const first = await load(templates);
    expect(readdirSync(templates).filter((f) => f.endsWith(".duckdb"))).toHaveLength(1);
    const second = await load(templates);
    expect(await dump(first)).toEqual(empty);
    expect(await dump(second)).toEqual(empty);
    expect(Object.keys(empty)).toContain("fact_task_funding");
    const db = await openCurrent(second);
    try {
      const r = await db.all<{ ms: string }>("select min(epoch_ms(applied_at))::varchar ms from schema_migration");
      expect(Number(r[0]!.ms)).toBeGreaterThanOrEqual(t0 - 1000);
    } finally {
      db.close();
    }
  });

  it("is what a new warehouse starts as", async () => {
    const templates = mkdtempSync(join(tmpdir(), "phuluc-templates-"));
    await load(templates);
    const [name] = readdirSync(templates).filter((f) => f.endsWith(".duckdb"));
    // a mark in the template, which only a copy of it can carry
    const t = await openDb(join(templates, name!), { readOnly: false });
    await t.run("create table template_mark (x integer)");
    t.close();
    const db = await openCurrent(await load(templates));
    try {
      expect(await db.all("select count(*)::int n from duckdb_tables() where table_name = 'template_mark'")).toEqual([{ n: 1 }]);
    } finally {
      db.close();
    }
  });

  it("starts empty when no template can be had, and drops a damaged one", async () => {
    const notADir = join(mkdtempSync(join(tmpdir(), "phuluc-templates-")), "a-file");
    writeFileSync(notADir, "x");
    const empty = await dump(await load("off"));
    expect(await dump(await load(notADir))).toEqual(empty);

    const templates = mkdtempSync(join(tmpdir(), "phuluc-templates-"));
    await load(templates);
    const [name] = readdirSync(templates).filter((f) => f.endsWith(".duckdb"));
    writeFileSync(join(templates, name!), "not a DuckDB file ".repeat(1000));
    expect(await dump(await load(templates))).toEqual(empty);
    // made again whole by the next new warehouse
    expect(await dump(await load(templates))).toEqual(empty);
  });

  it("leaves nothing behind when the template cannot be made, and the warehouse starts empty", async () => {
    const templates = mkdtempSync(join(tmpdir(), "phuluc-templates-"));
    process.env.PHULUC_TEMPLATE_DIR = templates;
    const dbPath = tempDb();
    const fresh = { key: "a prepare that fails", build: async () => { throw new Error("no views today"); } };
    const r = await writeGeneration(dbPath, async ({ db }) => ({ publish: true, value: await schemaVersion(db) }), undefined, fresh);
    expect(r.published).toBe(1);
    expect(r.value).toBe(SCHEMA_VERSION);
    expect(readdirSync(templates)).toEqual([]);
  });

  it("removes what a load killed while making a template left, not what another load is making", async () => {
    const templates = mkdtempSync(join(tmpdir(), "phuluc-templates-"));
    const names = ["a1b2c3.duckdb.0123456789ab.tmp", "a1b2c3.duckdb.0123456789ab.tmp.wal", "d4e5f6.duckdb.ba9876543210.tmp", "notes.txt.old"];
    for (const n of names) writeFileSync(join(templates, n), "x");
    // the first two abandoned (older than the limit), the third another load's at work
    const old = (Date.now() - ABANDONED_AFTER_MS - 60_000) / 1000;
    for (const n of [names[0]!, names[1]!, names[3]!]) utimesSync(join(templates, n), old, old);
    await load(templates);
    expect(readdirSync(templates).filter((f) => !f.endsWith(".duckdb")).sort()).toEqual([names[2], names[3]]);
  });
});
