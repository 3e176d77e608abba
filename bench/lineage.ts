// How much of a load is writing lineage (issue "benchmarks": "show how much of the ETL is writing
// lineage"). The facts and entities of loaded warehouses are written again into a scratch
// database twice — once whole, once without the five lineage columns (run, file, hash, sheet,
// cell) — each in one transaction followed by a checkpoint, as a load writes them. The
// difference is what carrying lineage costs the write; the sizes show what it costs on disk.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openDb, sqlString } from "../warehouse/db.js";

const TABLES = ["fact_task_approved", "fact_task_funding", "fact_budget_line", "fact_indicator", "task", "indicator"];
const LINEAGE = "run_id, file_id, file_hash, sheet, cell";

async function writeOnce(src: string, withLineage: boolean): Promise<{ seconds: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-lineage-"));
  const path = join(dir, "scratch.duckdb");
  const db = await openDb(path, { readOnly: false, memoryLimit: process.env.PHULUC_LOAD_MEMORY ?? "256MB" });
  try {
    // ATTACH takes no parameters; the path is one of the bench's own warehouses
    await db.run(`attach ${sqlString(src)} as src (read_only)`);
    const t0 = performance.now();
    await db.run("begin transaction");
    for (const t of TABLES) {
      await db.run(`create table ${t} as select ${withLineage ? "*" : `* exclude (${LINEAGE})`} from src.main.${t}`);
    }
    await db.run("commit");
    await db.run("checkpoint");
    const seconds = (performance.now() - t0) / 1000;
    await db.run("detach src");
    db.close();
    return { seconds, bytes: statSync(path).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface LineageCost {
  warehouses: number;
  rows: number;
  withSeconds: number;
  withoutSeconds: number;
  bytesWith: number;
  bytesWithout: number;
}

/** Medians of `repeat` alternating runs over the given warehouse files (their current generations). */
export async function measureLineage(warehouses: string[], repeat: number): Promise<LineageCost> {
  const w: number[] = [];
  const wo: number[] = [];
  let bytesWith = 0;
  let bytesWithout = 0;
  for (let r = 0; r < repeat; r++) {
    let a = 0;
    let b = 0;
    bytesWith = 0;
    bytesWithout = 0;
    for (const src of warehouses) {
      // alternate which goes first so that a warm cache favours neither
      const first = r % 2 === 0;
      const x = first ? await writeOnce(src, true) : await writeOnce(src, false);
      const y = first ? await writeOnce(src, false) : await writeOnce(src, true);
      const [withL, without] = first ? [x, y] : [y, x];
      a += withL.seconds;
      b += without.seconds;
      bytesWith += withL.bytes;
      bytesWithout += without.bytes;
    }
    w.push(a);
    wo.push(b);
  }
  let rows = 0;
  for (const src of warehouses) {
    const d = await openDb(src, { readOnly: true });
    const r = await d.all<{ n: string }>(`select (${TABLES.map((t) => `(select count(*) from ${t})`).join(" + ")})::varchar n`);
    rows += Number(r[0]!.n);
    d.close();
  }
  const med = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  return { warehouses: warehouses.length, rows, withSeconds: med(w), withoutSeconds: med(wo), bytesWith, bytesWithout };
}
