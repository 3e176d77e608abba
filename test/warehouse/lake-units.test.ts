// The lake after the 2025 reorganisation: a merged department's export puts each year's figures
// under the unit of that year (72 and 80 in 2024, 80 from 2025); --as-current-units rolls the
// former units' years into today's unit, so that a series is comparable across the merger.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigSchema } from "../../core/config.js";
import { runLoad } from "../../etl/commands.js";
import { openCurrent } from "../../warehouse/generations.js";
import { exportParquet } from "../../warehouse/export.js";
import { openLake } from "../../warehouse/lake.js";

const sample = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "sample", "tay-ninh");
let dir: string;
let lake: string;
const SERIES = "select year, province_code, sum(amount)::varchar as s from fact_budget_line where measure_code = 'du_toan' group by all order by 1, 2";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "phuluc-lake-units-"));
  const config = ConfigSchema.parse(JSON.parse(readFileSync(join(sample, "phuluc.config.json"), "utf8")));
  const db = join(dir, "w.duckdb");
  const r = await runLoad({ inbox: join(sample, "inbox"), db, config, quiet: true });
  expect(r.outcome).toBe("loaded");
  const w = await openCurrent(db);
  lake = join(dir, "lake");
  await exportParquet(w, lake);
  w.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("lake on dated units", () => {
  it("keeps the former provinces apart for their own years, and rolls them up on demand", async () => {
    const plain = await openLake(lake);
    const asNow = await openLake(lake, { asCurrentUnits: true });
    const one = await openLake(lake, { asCurrentUnits: true, province: "80" });
    try {
      const a = await plain.all<{ year: number; province_code: string; s: string }>(SERIES);
      expect(a.map((x) => `${x.year} ${x.province_code}`)).toEqual(["2024 72", "2024 80", "2025 80"]);
      const b = await asNow.all<{ year: number; province_code: string; s: string }>(SERIES);
      expect(b.map((x) => `${x.year} ${x.province_code}`)).toEqual(["2024 80", "2025 80"]);
      const sum2024 = a.filter((x) => x.year === 2024).reduce((t, x) => t + Number(x.s), 0);
      expect(Number(b[0]!.s)).toBe(sum2024);
      expect(await one.all(SERIES)).toEqual(b);
      expect(await asNow.all("select province_code, name from province where province_code = '80'")).toEqual([{ province_code: "80", name: "Tây Ninh" }]);
      expect((await asNow.all("select count(*)::integer as n from province"))[0]).toEqual({ n: 34 });
    } finally {
      plain.close();
      asNow.close();
      one.close();
    }
  });
});
