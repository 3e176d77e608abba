// The national generator across the 2025 reorganisation: when its years reach 2025 it writes one
// inbox per current unit, with a folder per former province it took in, and each loads into its
// unit's warehouse with every former province's figures keeping their origin.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateNational } from "../../bench/generate.js";
import { ConfigSchema } from "../../core/config.js";
import { runLoad } from "../../etl/commands.js";
import { openCurrent } from "../../warehouse/generations.js";

describe("bench/generate.ts on the 34 current units", () => {
  const tmp = mkdtempSync(join(tmpdir(), "phuluc-gen-units-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("an inbox per current unit, a folder per former province, loadable with its origins", async () => {
    const g = await generateNational({ dir: join(tmp, "n"), provinces: 3, years: 10, seed: 3, targetRows: 1200, planYear: 2026 });
    expect(g.years[g.years.length - 1]).toBe(2026);
    expect(g.provinces.map((p) => `${p.province} ${p.name}`)).toEqual(["01 Hà Nội", "04 Cao Bằng", "08 Tuyên Quang"]);
    const tq = g.provinces[2]!;
    expect(readdirSync(tq.dir).sort()).toEqual(["02 Hà Giang", "08 Tuyên Quang"]);
    // a unit that merged with none keeps the plain layout
    expect(readdirSync(g.provinces[0]!.dir).sort()).toEqual(["Huyen", "P.KHTC", "P.QLKH", "TDC", "Thanh tra"]);
    const db = join(tmp, "tq.duckdb");
    const config = ConfigSchema.parse({ province: { code: tq.province, name: tq.name } });
    const r = await runLoad({ inbox: tq.dir, db, config, quiet: true });
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    const w = await openCurrent(db);
    try {
      const o = await w.all<{ origin_unit: string }>("select distinct origin_unit from fact_budget_line order by 1");
      expect(o.map((x) => x.origin_unit)).toEqual(["02@2008", "08@2008"]);
      // no new cấp huyện task after June 2025
      const late = await w.all<{ n: number }>("select count(*)::integer as n from task where level_code = 'HUYEN' and start_month > date '2025-06-01'");
      expect(late[0]!.n).toBe(0);
    } finally {
      w.close();
    }
  });
});
