// Versioned migrations: warehouse/migrations/NNN_name.sql, applied in order, each in the
// transaction of the load that first meets it (so a killed migration leaves the old generation).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listValue } from "@duckdb/node-api";
import type { Db } from "./db.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

let cached: { version: number; name: string; sql: string }[] | undefined;

/** The migration files, read once per process (every load asks). */
export function migrations(): { version: number; name: string; sql: string }[] {
  cached ??= readdirSync(DIR)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(DIR, f), "utf8") }));
  return cached;
}

export const SCHEMA_VERSION = Math.max(...migrations().map((m) => m.version));

export async function schemaVersion(db: Db): Promise<number> {
  // duckdb_tables() itself: information_schema.tables is a view that also lists every view
  const t = await db.all<{ n: string }>("select count(*) as n from duckdb_tables() where table_name = 'schema_migration'");
  if (Number(t[0]!.n) === 0) return 0;
  const r = await db.all<{ v: number | null }>("select max(version) as v from schema_migration");
  return r[0]?.v ?? 0;
}

/** Apply what is pending. Call inside the load's transaction. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  const have = await schemaVersion(db);
  const pending = migrations().filter((m) => m.version > have);
  if (pending.length === 0) return [];
  // What is pending, in one round trip (a fresh warehouse: some 60 statements): the files are
  // SQL scripts as they stand, in order, each statement bound when DuckDB reaches it. A
  // statement ends on a line of its own, so that a file's last comment cannot swallow the ";".
  const script = pending.map((m) => m.sql);
  if (have === 0) script.unshift("create table schema_migration (version integer primary key, name varchar, applied_at timestamptz default now())");
  await db.run(script.join("\n;\n"));
  await db.run("insert into schema_migration (version, name) select unnest($v), unnest($n)", {
    v: listValue(pending.map((m) => m.version)),
    n: listValue(pending.map((m) => m.name)),
  });
  return pending.map((m) => m.version);
}
