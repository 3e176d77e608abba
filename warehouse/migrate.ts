// Versioned migrations: warehouse/migrations/NNN_name.sql, applied in order, each in the
// transaction of the load that first meets it (so a killed migration leaves the old generation).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "./db.js";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export function migrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(DIR, f), "utf8") }));
}

export const SCHEMA_VERSION = Math.max(...migrations().map((m) => m.version));

export async function schemaVersion(db: Db): Promise<number> {
  const t = await db.all<{ n: string }>(
    "select count(*) as n from information_schema.tables where table_name = 'schema_migration'",
  );
  if (Number(t[0]!.n) === 0) return 0;
  const r = await db.all<{ v: number | null }>("select max(version) as v from schema_migration");
  return r[0]?.v ?? 0;
}

/** Apply what is pending. Call inside the load's transaction. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  const have = await schemaVersion(db);
  if (have === 0) {
    await db.run("create table schema_migration (version integer primary key, name varchar, applied_at timestamptz default now())");
  }
  const applied: number[] = [];
  for (const m of migrations()) {
    if (m.version <= have) continue;
    for (const stmt of splitStatements(m.sql)) await db.run(stmt);
    await db.run("insert into schema_migration (version, name) values ($v, $n)", { v: m.version, n: m.name });
    applied.push(m.version);
  }
  return applied;
}

/** Our migration files hold no semicolons inside strings; split on statement ends. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
    .filter((s) => s.length > 0);
}
