// The write half of the floor (issue "ETL throughput: an honest floor"): what DuckDB itself needs
// to take in the very facts a load wrote, with their lineage columns, when nobody has to read a
// workbook nor check anything. Untimed, each loaded warehouse's facts and entities are written to
// CSV files (the facts "written to a file beforehand") and an empty scratch database gets tables of
// the same columns; timed alone, one transaction per warehouse inserts every file with
// `insert … select * from read_csv(…)`, commits and checkpoints — the bulk path DuckDB offers.
// One scratch database per loaded warehouse, with the load's memory cap, as the ETL writes them.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openDb, sqlString } from "../warehouse/db.js";

/** What a load writes per row of input: the facts, the task register and the indicators. */
export const FACT_TABLES = ["fact_task_approved", "fact_task_funding", "fact_budget_line", "fact_indicator", "task", "indicator"] as const;

interface Prepared {
  db: string;
  tables: { table: string; csv: string; rows: number }[];
}

const memoryLimit = () => process.env.PHULUC_LOAD_MEMORY ?? "256MB";

/** Untimed: the CSV files and the empty tables for one loaded warehouse. */
async function prepare(src: string, dir: string): Promise<Prepared> {
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, "floor.duckdb");
  const db = await openDb(dbPath, { readOnly: false, memoryLimit: memoryLimit() });
  const tables: Prepared["tables"] = [];
  try {
    // ATTACH and COPY … TO take no parameters; both paths are the bench's own files
    await db.run(`attach ${sqlString(src)} as src (read_only)`);
    for (const t of FACT_TABLES) {
      const csv = join(dir, `${t}.csv`);
      await db.run(`copy (select * from src.main.${t}) to ${sqlString(csv)} (header, delimiter ',')`);
      await db.run(`create table ${t} as select * from src.main.${t} limit 0`);
      const n = await db.all<{ n: string }>(`select count(*)::varchar n from src.main.${t}`);
      tables.push({ table: t, csv, rows: Number(n[0]!.n) });
    }
    await db.run("detach src");
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  return { db: dbPath, tables };
}

/**
 * Timed: open, one transaction of bulk inserts from the CSV files, commit, checkpoint, close.
 * Every column is read as text and cast by the insert to the table's type, as the load turns the
 * workbook's text into typed values (a sniffer could misread a code like "01" as a number).
 */
async function ingest(p: Prepared): Promise<number> {
  const t0 = performance.now();
  // the same commit as a load's (warehouse/generations.ts): straight to the file, no WAL
  const db = await openDb(p.db, { readOnly: false, memoryLimit: memoryLimit(), checkpointOnCommit: true });
  try {
    await db.run("begin transaction");
    for (const t of p.tables) {
      await db.run(`insert into ${t.table} select * from read_csv($f, header = true, all_varchar = true)`, { f: t.csv });
    }
    await db.run("commit");
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  return (performance.now() - t0) / 1000;
}

export interface IngestMeasure {
  seconds: number;
  rows: number;
  warehouses: number;
}

/** The ingest of every given warehouse's facts, each into its own scratch database. */
export async function measureIngest(warehouses: string[], workDir: string): Promise<IngestMeasure> {
  rmSync(workDir, { recursive: true, force: true });
  const prepared: Prepared[] = [];
  for (const [i, w] of warehouses.entries()) prepared.push(await prepare(w, join(workDir, String(i))));
  let seconds = 0;
  for (const p of prepared) seconds += await ingest(p);
  const rows = prepared.reduce((s, p) => s + p.tables.reduce((a, t) => a + t.rows, 0), 0);
  rmSync(workDir, { recursive: true, force: true });
  return { seconds, rows, warehouses: warehouses.length };
}
