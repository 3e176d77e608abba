// The server's and the sandbox's view of a Parquet lake (`--lake <dir> [--province <code>]`):
// warehouse/lake.ts opens it (views over the Hive-partitioned export, only the lake reachable,
// configuration locked); this adds the limits of an analysts' connection and a reader with the
// same use() as GenerationReader. The lake's "generation" is its newest load run: a re-export
// changes it without a reopen, since the views read the files at each query.
import { sqlString, type Db } from "../warehouse/db.js";
import { openLake as openLakeDb } from "../warehouse/lake.js";

export interface LakeOptions {
  province?: string;
  /** roll former units' years into the units that took them in (warehouse/lake.ts) */
  asCurrentUnits?: boolean;
  memoryLimit?: string;
  threads?: number;
  /** spill folder and its cap (an in-memory DuckDB spills to ./.tmp otherwise) */
  tempDirectory?: string;
  maxTempSize?: string;
}

const PROVINCE = /^[0-9A-Z]{1,8}$/;

export async function openLake(lakeDir: string, opts: LakeOptions = {}): Promise<Db> {
  if (opts.province !== undefined && !PROVINCE.test(opts.province)) {
    throw new Error(`--province: 1–8 digits or capital letters (e.g. "80"), got "${opts.province}"`);
  }
  return openLakeDb(lakeDir, {
    province: opts.province,
    asCurrentUnits: opts.asCurrentUnits,
    // Runs before the lake locks its configuration.
    prepare: async (db) => {
      if (opts.memoryLimit) await db.run(`set memory_limit = '${opts.memoryLimit.replace(/[^0-9A-Za-z.]/g, "")}'`);
      if (opts.threads) await db.run(`set threads = ${Math.max(1, Math.floor(opts.threads))}`);
      // SET takes no parameters; the folder is our own (the sandbox pool made it).
      if (opts.tempDirectory) await db.run(`set temp_directory = ${sqlString(opts.tempDirectory)}`);
      if (opts.maxTempSize) await db.run(`set max_temp_directory_size = '${opts.maxTempSize.replace(/[^0-9A-Za-z.]/g, "")}'`);
    },
  });
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
