// A Parquet lake (the warehouse export: one folder per table, Hive-partitioned by year= and
// province=) read through an in-memory DuckDB whose only reachable folder is the lake. Each
// table folder becomes a view of the same name, filtered to one province when asked, so the
// forms' SQL and the analysts' SQL run unchanged on a lake.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { openDb, sqlString, type Db } from "../warehouse/db.js";

export interface LakeOptions {
  province?: string;
  memoryLimit?: string;
  threads?: number;
}

const TABLE = /^[a-z_][a-z0-9_]*$/;
const PROVINCE = /^[0-9A-Z]{1,8}$/;

export async function openLake(lakeDir: string, opts: LakeOptions = {}): Promise<Db> {
  const lake = resolve(lakeDir);
  if (!existsSync(lake) || !statSync(lake).isDirectory()) {
    throw new Error(`${lakeDir}: not a folder / không phải thư mục`);
  }
  if (opts.province !== undefined && !PROVINCE.test(opts.province)) {
    throw new Error(`--province: 1–8 digits or capital letters (e.g. "80"), got "${opts.province}"`);
  }
  const db = await openDb(":memory:", {
    readOnly: false,
    sandbox: { allowedDirectories: [lake], memoryLimit: opts.memoryLimit, threads: opts.threads },
  });
  try {
    if (opts.province !== undefined) {
      const p = await db.connection.prepare("create table lake_scope as select $province::varchar as province_code");
      p.bind({ province: opts.province });
      await p.run();
      p.destroySync();
    }
    for (const name of readdirSync(lake).sort()) {
      if (!TABLE.test(name) || !statSync(join(lake, name)).isDirectory()) continue;
      // The folder is ours (the export's layout); DuckDB takes no parameter in a view's FROM.
      const scan = `read_parquet(${sqlString(join(lake, name, "**", "*.parquet"))}, hive_partitioning = true, union_by_name = true)`;
      let cols: string[];
      try {
        cols = (await db.all<{ column_name: string }>(`describe select * from ${scan}`)).map((r) => r.column_name);
      } catch {
        continue; // an empty table folder: no view
      }
      const by = cols.includes("province_code") ? "province_code" : cols.includes("province") ? "province" : null;
      const where = opts.province !== undefined && by ? ` where ${by} = (select province_code from lake_scope)` : "";
      await db.run(`create view ${name} as select * from ${scan}${where}`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/** The newest load run the lake carries (its generation and checksum), when it has load_run. */
export async function lakeRun(db: Db): Promise<{ generation: number; checksum: string | null; finishedAt: string | null }> {
  try {
    const r = await db.all<{ run_id: number; checksum: string; finished_at: string }>(
      "select run_id, checksum, finished_at from load_run order by run_id desc limit 1",
    );
    if (r.length > 0) return { generation: Number(r[0].run_id), checksum: r[0].checksum ?? null, finishedAt: r[0].finished_at ?? null };
  } catch {
    /* a lake without load_run */
  }
  return { generation: 0, checksum: null, finishedAt: null };
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
      this.db = openLake(this.lakeDir, this.opts);
      this.db.catch(() => {
        this.db = null;
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
