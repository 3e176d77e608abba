// The write half of the floor (issue "ETL throughput: an honest floor"): what DuckDB itself needs
// to take in the very facts a load wrote, with their lineage columns, when nobody has to read a
// workbook nor check anything. Untimed, each loaded warehouse's facts and entities are written to
// files (the facts "written to a file beforehand") and an empty scratch database gets tables of
// the same columns; timed alone, one transaction per warehouse inserts every file with
// `insert … select * from read_parquet(…)`, commits and checkpoints — the bulk path DuckDB offers.
// One scratch database per loaded warehouse, with the load's memory cap, as the ETL writes them.
//
// Why Parquet and not CSV: the file holds the values already typed (DECIMAL(38,6) amounts, dates),
// as the ETL's staging does (its reader turns the text into micro-units; the insert only scales
// them). From CSV, DuckDB has to parse every amount as text into DECIMAL(38,6), a HUGEINT-backed
// decimal whose text cast costs about seven times that of DECIMAL(18,6): on the quick inbox it was
// most of the CSV ingest (7.8 s of which ~5 s went to that cast), work the ETL never asks DuckDB to
// do. The CSV ingest is still measured beside it (`csvSeconds`), for the record, not as the floor.
//
// Stored as the ETL stores them: a load writes its strings without FSST compression (`bulkWriter`
// in warehouse/db.ts), which makes its commit cheaper. The floor gets the same setting, or it would
// count work the ETL does not do and flatter the ratio; DuckDB's defaults are measured beside it
// (`defaultStorageSeconds`), for the record.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openDb, sqlString } from "../warehouse/db.js";

/** What a load writes per row of input: the facts, the task register and the indicators. */
export const FACT_TABLES = ["fact_task_approved", "fact_task_funding", "fact_budget_line", "fact_indicator", "task", "indicator"] as const;

type Format = "parquet" | "csv";

interface Prepared {
  dir: string;
  tables: { table: string; rows: number }[];
}

const memoryLimit = () => process.env.PHULUC_LOAD_MEMORY ?? "256MB";

/** Untimed: the Parquet and CSV files of one loaded warehouse. */
async function prepare(src: string, dir: string): Promise<Prepared> {
  mkdirSync(dir, { recursive: true });
  const db = await openDb(":memory:", { readOnly: false, memoryLimit: memoryLimit() });
  const tables: Prepared["tables"] = [];
  try {
    // ATTACH and COPY … TO take no parameters; both paths are the bench's own files
    await db.run(`attach ${sqlString(src)} as src (read_only)`);
    for (const t of FACT_TABLES) {
      await db.run(`copy (select * from src.main.${t}) to ${sqlString(join(dir, `${t}.parquet`))} (format parquet)`);
      await db.run(`copy (select * from src.main.${t}) to ${sqlString(join(dir, `${t}.csv`))} (header, delimiter ',')`);
      const n = await db.all<{ n: string }>(`select count(*)::varchar n from src.main.${t}`);
      tables.push({ table: t, rows: Number(n[0]!.n) });
    }
  } finally {
    db.close();
  }
  return { dir, tables };
}

/** Untimed: a fresh scratch database whose tables have the loaded tables' columns, empty. */
async function emptyDatabase(p: Prepared, format: Format): Promise<string> {
  const path = join(p.dir, `floor-${format}.duckdb`);
  rmSync(path, { force: true });
  const db = await openDb(path, { readOnly: false, memoryLimit: memoryLimit() });
  try {
    for (const t of p.tables) {
      await db.run(`create table ${t.table} as select * from read_parquet($f) limit 0`, { f: join(p.dir, `${t.table}.parquet`) });
    }
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  return path;
}

/**
 * Timed: open, one transaction of bulk inserts from the files, commit, checkpoint, close.
 * From CSV every column is read as text and cast by the insert to the table's type (a sniffer
 * could misread a code like "01" as a number).
 */
async function ingest(p: Prepared, format: Format, storage: "etl" | "default" = "etl"): Promise<{ seconds: number; commitSeconds: number; cpuSeconds: number }> {
  const path = await emptyDatabase(p, format);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  // the same commit as a load's (warehouse/generations.ts): straight to the file, no WAL, and the
  // same storage (no FSST) unless DuckDB's defaults are asked for
  const db = await openDb(path, { readOnly: false, memoryLimit: memoryLimit(), checkpointOnCommit: true, bulkWriter: storage === "etl" });
  let tc = t0;
  try {
    await db.run("begin transaction");
    for (const t of p.tables) {
      const f = join(p.dir, `${t.table}.${format}`);
      if (format === "parquet") await db.run(`insert into ${t.table} select * from read_parquet($f)`, { f });
      else await db.run(`insert into ${t.table} select * from read_csv($f, header = true, all_varchar = true)`, { f });
    }
    tc = performance.now();
    await db.run("commit");
    await db.run("checkpoint");
  } finally {
    db.close();
  }
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  const seconds = (t1 - t0) / 1000;
  // untimed: every row arrived (a floor that took in less would flatter nothing but itself)
  const check = await openDb(path, { readOnly: true });
  try {
    for (const t of p.tables) {
      const n = await check.all<{ n: string }>(`select count(*)::varchar n from ${t.table}`);
      if (Number(n[0]!.n) !== t.rows) throw new Error(`floor ingest (${format}): ${t.table} has ${n[0]!.n} rows, the load wrote ${t.rows}`);
    }
  } finally {
    check.close();
  }
  return { seconds, commitSeconds: (t1 - tc) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

export interface IngestMeasure {
  /** the floor's write half: from Parquet */
  seconds: number;
  /** of it, the commit, checkpoint and close: writing the rows to the file, as a load's commit does */
  commitSeconds: number;
  /** its CPU, every thread (DuckDB's own included) */
  cpuSeconds: number;
  /** the same ingest from CSV (every amount cast from text by DuckDB), for the record */
  csvSeconds: number;
  /** the same ingest from Parquet with DuckDB's default storage (FSST on), for the record */
  defaultStorageSeconds: number;
  rows: number;
  warehouses: number;
}

/** The ingest of every given warehouse's facts, each into its own scratch database. */
export async function measureIngest(warehouses: string[], workDir: string): Promise<IngestMeasure> {
  rmSync(workDir, { recursive: true, force: true });
  const prepared: Prepared[] = [];
  for (const [i, w] of warehouses.entries()) prepared.push(await prepare(w, join(workDir, String(i))));
  let seconds = 0;
  let commitSeconds = 0;
  let cpuSeconds = 0;
  let csvSeconds = 0;
  let defaultStorageSeconds = 0;
  for (const p of prepared) {
    const m = await ingest(p, "parquet");
    seconds += m.seconds;
    commitSeconds += m.commitSeconds;
    cpuSeconds += m.cpuSeconds;
  }
  for (const p of prepared) csvSeconds += (await ingest(p, "csv")).seconds;
  for (const p of prepared) defaultStorageSeconds += (await ingest(p, "parquet", "default")).seconds;
  const rows = prepared.reduce((s, p) => s + p.tables.reduce((a, t) => a + t.rows, 0), 0);
  rmSync(workDir, { recursive: true, force: true });
  return { seconds, commitSeconds, cpuSeconds, csvSeconds, defaultStorageSeconds, rows, warehouses: warehouses.length };
}
