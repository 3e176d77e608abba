// A Parquet lake (see export.ts) opened as if it were a warehouse: an in-memory DuckDB whose
// views carry the warehouse's table names, reading only inside the lake folder (external access
// off, allowed_directories = the lake, configuration locked). `fill`, `query` and `serve` take
// `--lake <dir> [--province <code>]` in place of `--db`.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { lockDown, openDb, sqlString, type Db } from "./db.js";
import { DIMENSIONS, PROVINCE_TABLES, YEAR_FACTS } from "./export.js";
import { migrate } from "./migrate.js";

export async function openLake(
  lake: string,
  opts: { province?: string; prepare?: (db: Db) => Promise<void> } = {},
): Promise<Db & { generation: number }> {
  const dir = resolve(lake);
  if (!existsSync(join(dir, "_dims"))) {
    throw new Error(`${lake} is not a phuluc Parquet lake (no _dims folder) / không phải thư mục xuất Parquet của phuluc`);
  }
  const db = await openDb(":memory:", { readOnly: false });
  try {
    // The schema first (so the queries' views bind), then each table replaced by a view over the lake.
    await migrate(db);
    const where = opts.province ? ` where province_code = ${sqlString(opts.province)}` : "";
    const glob = (t: string, deep: boolean) => sqlString(join(dir, t, deep ? "*/*/*.parquet" : "*/*.parquet"));
    const present = (t: string) => existsSync(join(dir, t)) && hasParquet(join(dir, t));
    // Partition values are typed explicitly: "80" must stay a code, not become the integer 80.
    const hive = (withYear: boolean) =>
      `hive_partitioning = true, union_by_name = true, hive_types = {'province_code': varchar${withYear ? ", 'year': integer" : ""}}`;
    // A table with no rows was exported as no files: its empty table from the schema stays.
    for (const t of [...YEAR_FACTS, ...PROVINCE_TABLES]) {
      if (!present(t)) continue;
      await db.run(`drop table ${t}`);
      const withYear = (YEAR_FACTS as readonly string[]).includes(t);
      await db.run(`create view ${t} as select * from read_parquet(${glob(t, withYear)}, ${hive(withYear)})${where}`);
    }
    for (const t of DIMENSIONS) await db.run(`drop table ${t}`);
    for (const t of DIMENSIONS) {
      const file = t === "province" ? join(dir, "_dims", "province_*.parquet") : join(dir, "_dims", `${t}.parquet`);
      await db.run(`create view ${t} as select * from read_parquet(${sqlString(file)})${t === "province" ? where : ""}`);
    }
    await opts.prepare?.(db);
    // the analysts' policy (db.ts), with the lake the one folder reachable
    await lockDown(db, [dir]);
    const g = await db.all<{ g: number | null }>("select max(run_id) as g from load_run");
    return Object.assign(db, { generation: g[0]?.g ?? 0 });
  } catch (e) {
    db.close();
    throw e;
  }
}

function hasParquet(d: string): boolean {
  return readdirSync(d, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? hasParquet(join(d, e.name)) : e.name.endsWith(".parquet"),
  );
}
