// A Parquet lake (see export.ts) opened as if it were a warehouse: an in-memory DuckDB whose
// views carry the warehouse's table names, reading only inside the lake folder (external access
// off, allowed_directories = the lake, configuration locked). `fill`, `query` and `serve` take
// `--lake <dir> [--province <code>] [--as-current-units]` in place of `--db`.
//
// A lake's (province_code, year) names the unit of that year: 80 in 2024 is Long An, 80 in 2025 the
// merged Tây Ninh (core/admin/units.json). --as-current-units rolls every former unit's years into
// the unit that took it in (72 and 80 of 2024 → 80), so that a ten-year national series is on the 34
// current units throughout; --province then means a current unit with all its former ones.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { lockDown, openDb, sqlString, type Db } from "./db.js";
import { DIMENSIONS, PROVINCE_TABLES, YEAR_FACTS } from "./export.js";
import { migrate } from "./migrate.js";
import { allUnits, currentUnitOf } from "../core/units.js";
import { writeUnits } from "./units.js";

export async function openLake(
  lake: string,
  opts: { province?: string; asCurrentUnits?: boolean; prepare?: (db: Db) => Promise<void> } = {},
): Promise<Db & { generation: number }> {
  const dir = resolve(lake);
  if (!existsSync(join(dir, "_dims"))) {
    throw new Error(`${lake} is not a phuluc Parquet lake (no _dims folder) / không phải thư mục xuất Parquet của phuluc`);
  }
  const db = await openDb(":memory:", { readOnly: false });
  try {
    // The schema first (so the queries' views bind), then each table replaced by a view over the lake.
    await migrate(db);
    await writeUnits(db);
    const where = opts.province ? ` where province_code = ${sqlString(opts.province)}` : "";
    if (opts.asCurrentUnits) {
      // former code → the code of the unit that took it in; a code that survives maps to itself
      // (every current code was the code of one of the former units it took in: checked in the tests)
      await db.run("create table unit_code_map (code varchar primary key, current_code varchar not null)");
      for (const u of allUnits().filter((x) => x.valid_to !== null)) {
        await db.run("insert into unit_code_map values ($c, $n)", { c: u.code, n: currentUnitOf(u.id)?.code ?? u.code });
      }
    }
    // the rows of a partitioned table, their province rolled into today's unit when asked
    const rows = (src: string): string =>
      opts.asCurrentUnits
        ? `select * from (select f.* replace (coalesce(m.current_code, f.province_code) as province_code) from ${src} as f left join unit_code_map as m on m.code = f.province_code)${where}`
        : `select * from ${src}${where}`;
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
      await db.run(`create view ${t} as ${rows(`read_parquet(${glob(t, withYear)}, ${hive(withYear)})`)}`);
    }
    for (const t of DIMENSIONS) await db.run(`drop table ${t}`);
    for (const t of DIMENSIONS) {
      if (t === "province" && opts.asCurrentUnits) {
        // the 34 units of today, named as they are now
        await db.run(
          `create view province as select * from (select code as province_code, name from admin_unit where valid_to is null)${where}`,
        );
        continue;
      }
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
