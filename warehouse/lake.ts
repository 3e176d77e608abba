// A Parquet lake (see export.ts) opened as if it were a warehouse: an in-memory DuckDB whose
// views carry the warehouse's table names, reading only inside the lake folder (external access
// off, allowed_directories = the lake, configuration locked). `fill`, `query` and `serve` take
// `--lake <dir> [--province <code>] [--as-current-units]` in place of `--db`.
//
// A lake's (province_code, year) names the unit of that year: 80 in 2024 is Long An, 80 in 2025 the
// merged Tây Ninh (core/admin/units.json). --as-current-units rolls every former unit's years into
// the unit that took it in (72 and 80 of 2024 → 80), so that a ten-year national series is on the 34
// current units throughout; --province then means a current unit with all its former ones.
//
// The server and the sandbox read a lake too: `LakeReader` has the same use() as GenerationReader,
// and the lake's "generation" is its newest load run (`lakeRun`), so a re-export changes it without
// a reopen (the views read the files at each query). An analysts' connection gives its limits
// (memory, threads, spill folder) here; they are the instance's, set before the lock.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { lockDown, openDb, sqlString, type Db, type Limits } from "./db.js";
import { DIMENSIONS, PROVINCE_TABLES, YEAR_FACTS } from "./export.js";
import { migrate } from "./migrate.js";
import { allUnits, currentUnitOf } from "../core/units.js";
import { writeUnits } from "./units.js";

export interface LakeOptions extends Limits {
  /** one province (a current unit with its former ones under asCurrentUnits) */
  province?: string;
  /** roll former units' years into the units that took them in */
  asCurrentUnits?: boolean;
}

const PROVINCE = /^[0-9A-Z]{1,8}$/;

export async function openLake(lake: string, opts: LakeOptions = {}): Promise<Db & { generation: number }> {
  if (opts.province !== undefined && !PROVINCE.test(opts.province)) {
    throw new Error(`--province: 1–8 digits or capital letters (e.g. "80"), got "${opts.province}"`);
  }
  const dir = resolve(lake);
  if (!existsSync(join(dir, "_dims"))) {
    throw new Error(`${lake} is not a phuluc Parquet lake (no _dims folder) / không phải thư mục xuất Parquet của phuluc`);
  }
  const db = await openDb(":memory:", {
    readOnly: false,
    memoryLimit: opts.memoryLimit,
    threads: opts.threads,
    tempDirectory: opts.tempDirectory,
    maxTempSize: opts.maxTempSize,
  });
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

/** The newest load run the lake carries: its number (the generation) and checksum. */
export async function lakeRun(db: Db): Promise<{ generation: number; checksum: string | null }> {
  try {
    const r = await db.all<{ run_id: number; checksum: string }>("select run_id, checksum from load_run order by run_id desc limit 1");
    if (r.length > 0) return { generation: Number(r[0].run_id), checksum: r[0].checksum ?? null };
  } catch {
    /* a lake without load_run */
  }
  return { generation: 0, checksum: null };
}

/** The server's reader over a lake, with the same use() as GenerationReader. */
export class LakeReader {
  private db: Promise<Db> | null = null;

  constructor(
    private readonly lakeDir: string,
    private readonly opts: LakeOptions = {},
  ) {}

  async use<T>(fn: (db: Db, generation: number) => Promise<T>): Promise<T> {
    if (!this.db) {
      const opening = openLake(this.lakeDir, this.opts);
      this.db = opening;
      opening.catch(() => {
        if (this.db === opening) this.db = null;
      });
    }
    const db = await this.db;
    const { generation } = await lakeRun(db);
    return fn(db, generation);
  }

  close(): void {
    const d = this.db;
    this.db = null;
    d?.then((db) => db.close()).catch(() => undefined);
  }
}
