// `warehouse export --parquet <dir>`: the facts and dimensions as Hive-partitioned Parquet, so a
// ministry can put 63 provinces' exports in one folder and query them with the same SQL — on
// DuckDB (`--lake`), or on Trino/Spark/MotherDuck when one machine is not enough.
// Layout (one folder per table; province first so one province can be replaced alone):
//   <lake>/fact_task_funding/province_code=80/year=2024/*.parquet  (facts with a year)
//   <lake>/task/province_code=80/*.parquet                          (per-province, no year)
//   <lake>/_dims/budget_line.parquet                                 (shared dimensions)
// Re-exporting a province replaces exactly its folders; other provinces are untouched.
// A fact's province in the lake is the unit of its year (core/admin/units.json): a merged
// department's facts from a former province's folder (origin_unit '72@2008') go under that
// province's code for the years it existed (72, 2024) and under the department's own from 2025, so
// a lake is on the 63 units up to 2024 and the 34 from 2025; `--lake … --as-current-units` rolls it up.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { openCurrent } from "./generations.js";
import { sqlString, type Db } from "./db.js";
import { schemaVersion } from "./migrate.js";
import type { ExitCode } from "../core/exit.js";

export const YEAR_FACTS = ["fact_task_funding", "fact_budget_line", "fact_indicator"] as const;
export const PROVINCE_TABLES = ["task", "fact_task_approved", "indicator", "source_file", "load_run"] as const;
export const DIMENSIONS = ["province", "office", "funding_source", "task_level", "task_field", "indicator_area", "measure", "budget_line"] as const;

export async function exportParquet(db: Db, lake: string): Promise<{ province: string; files: number }> {
  const out = resolve(lake);
  mkdirSync(out, { recursive: true });
  const provs = await db.all<{ province_code: string }>("select province_code from province");
  if (provs.length !== 1) throw new Error(`expected one province in the warehouse, found ${provs.length}`);
  const province = provs[0]!.province_code;
  // Write beside the lake, then swap folders in: a reader never sees half a province.
  const stage = mkdtempSync(join(out, ".export-"));
  try {
    // a generation written before schema 2 has no origins (and no unit tables): exported as it is
    const dated = (await schemaVersion(db)) >= 2;
    for (const t of YEAR_FACTS) {
      // the unit of the year: the origin's code while the origin existed on 31 December
      const sel = !dated ? `select * from ${t}` : `select f.* replace (coalesce(u.code, f.province_code) as province_code) from ${t} as f
        left join admin_unit as u on u.unit_id = f.origin_unit and (u.valid_to is null or u.valid_to >= make_date(f.year, 12, 31))`;
      await db.run(
        `copy (${sel}) to ${sqlString(join(stage, t))} (format parquet, partition_by (province_code, year), compression zstd)`,
      );
    }
    for (const t of PROVINCE_TABLES) {
      const sel = t === "load_run" || t === "source_file" ? `select *, ${sqlString(province)} as province_code from ${t}` : `select * from ${t}`;
      await db.run(`copy (${sel}) to ${sqlString(join(stage, t))} (format parquet, partition_by (province_code), compression zstd)`);
    }
    mkdirSync(join(stage, "_dims"), { recursive: true });
    for (const t of DIMENSIONS) {
      await db.run(`copy (select * from ${t}) to ${sqlString(join(stage, "_dims", `${t}.parquet`))} (format parquet)`);
    }
    let files = 0;
    for (const t of [...YEAR_FACTS, ...PROVINCE_TABLES]) {
      // the province's own folder, and those of the former provinces its facts came from
      const codes = new Set([`province_code=${province}`, ...(existsSync(join(stage, t)) ? readdirSync(join(stage, t)) : [])]);
      for (const part of codes) {
        const from = join(stage, t, part);
        const to = join(out, t, part);
        mkdirSync(join(out, t), { recursive: true });
        if (existsSync(to)) rmSync(to, { recursive: true });
        if (existsSync(from)) {
          renameSync(from, to);
          files += countFiles(to);
        }
      }
    }
    mkdirSync(join(out, "_dims"), { recursive: true });
    for (const f of readdirSync(join(stage, "_dims"))) {
      if (f === "province.parquet") {
        // each province brings its own row: keep one file per province
        renameSync(join(stage, "_dims", f), join(out, "_dims", `province_${province}.parquet`));
      } else renameSync(join(stage, "_dims", f), join(out, "_dims", f));
      files++;
    }
    return { province, files };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

export async function exportCommand(o: { db: string; parquet: string }): Promise<ExitCode> {
  const db = await openCurrent(o.db);
  try {
    const r = await exportParquet(db, o.parquet);
    console.log(`exported province ${r.province} (generation ${db.generation}): ${r.files} Parquet files → ${resolve(o.parquet)}`);
    return 0;
  } finally {
    db.close();
  }
}
