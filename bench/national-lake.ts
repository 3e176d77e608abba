// A national lake over the 2025 reorganisation, for the roll-up and its demonstration:
// generate the inboxes of the 34 current units (each with a folder per former province, ten years
// up to --plan-year), load each into its own warehouse, export them all into one Parquet lake.
//
//   npx tsx bench/national-lake.ts --out <dir> [--rows 20000] [--plan-year 2026] [--provinces 34]
//
// Then, the national series on the 63 units up to 2024 and the 34 from 2025, and the same rolled
// into the 34 units of today:
//   npm run phuluc -- query --lake <dir>/lake -e "select year, count(distinct province_code) …"
//   npm run phuluc -- query --lake <dir>/lake --as-current-units -e "…"
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../core/config.js";
import { runLoad } from "../etl/commands.js";
import { openCurrent } from "../warehouse/generations.js";
import { exportParquet } from "../warehouse/export.js";
import { generateNational } from "./generate.js";

export async function nationalLake(o: { dir: string; rows?: number; planYear?: number; provinces?: number; seed?: number }): Promise<{ lake: string; units: number; rows: number }> {
  const gen = await generateNational({ dir: join(o.dir, "inbox"), targetRows: o.rows ?? 20_000, planYear: o.planYear ?? 2026, provinces: o.provinces, seed: o.seed ?? 1 });
  const lake = join(o.dir, "lake");
  mkdirSync(join(o.dir, "db"), { recursive: true });
  let rows = 0;
  for (const p of gen.provinces) {
    const config = ConfigSchema.parse({ province: { code: p.province, name: p.name } });
    const db = join(o.dir, "db", `${p.province}.duckdb`);
    const r = await runLoad({ inbox: p.dir, db, config, quiet: true });
    if (r.outcome !== "loaded") throw new Error(`${p.name}: ${r.outcome}: ${r.problems.filter((x) => x.severity === "error").slice(0, 3).map((x) => x.en).join("; ")}`);
    rows += r.rowsLoaded;
    const w = await openCurrent(db);
    try {
      await exportParquet(w, lake);
    } finally {
      w.close();
    }
  }
  return { lake, units: gen.provinces.length, rows };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (n: string): string | undefined => {
    const i = process.argv.indexOf(`--${n}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const out = arg("out");
  if (!out) {
    console.error("usage: npx tsx bench/national-lake.ts --out <dir> [--rows 20000] [--plan-year 2026] [--provinces 34]");
    process.exit(2);
  }
  const r = await nationalLake({
    dir: out,
    rows: arg("rows") ? Number(arg("rows")) : undefined,
    planYear: arg("plan-year") ? Number(arg("plan-year")) : undefined,
    provinces: arg("provinces") ? Number(arg("provinces")) : undefined,
  });
  console.log(`${r.units} current units, ${r.rows} rows loaded → ${r.lake}`);
}
