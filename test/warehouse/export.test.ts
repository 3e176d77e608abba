import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFiles } from "../../warehouse/load.js";
import { openCurrent } from "../../warehouse/generations.js";
import { exportParquet } from "../../warehouse/export.js";
import { openLake } from "../../warehouse/lake.js";
import { fillCommand } from "../../fill/command.js";
import { makeTemplate } from "../../fill/template/make-template.js";
import { loadForms } from "../../queries/forms.js";
import { file, inbox, task, tempDb } from "./helpers.js";

async function province(code: string, amount: string): Promise<string> {
  const db = tempDb();
  const reg = file("P.QLKH/dm.xlsx", { tasks: [task("NV-01", "B7")] });
  const fund = file("P.KHTC/kp.xlsx", {
    taskFunding: [{ taskCode: "NV-01", year: 2024, measure: "de_xuat", source: "NSDP", amount, at: { sheet: "KP", cell: "E9" } }],
    budgetLines: [{ line: "07", year: 2023, measure: "du_toan", source: "NSDP", amount, at: { sheet: "B", cell: "C9" } }],
  });
  const { scan, parse } = inbox([reg, fund]);
  await loadFiles(scan, parse, { dbPath: db, province: { code, name: `P${code}` } });
  return db;
}

describe("Parquet export and lake", () => {
  it("one query over two provinces' exports equals the sum of each; --province limits to one", async () => {
    const lake = join(mkdtempSync(join(tmpdir(), "phuluc-lake-")), "lake");
    const a = await province("80", "12.5");
    const b = await province("01", "7.25");
    for (const p of [a, b]) {
      const db = await openCurrent(p);
      await exportParquet(db, lake);
      db.close();
    }
    // exporting again replaces, never duplicates
    const again = await openCurrent(a);
    await exportParquet(again, lake);
    again.close();

    const all = await openLake(lake);
    const sum = await all.all<{ s: string; n: string }>("select sum(amount)::varchar s, count(*)::varchar n from fact_task_funding");
    expect(sum[0]).toEqual({ s: "19.750000", n: "2" });
    const by = await all.all("select province_code, year, amount::varchar a from fact_budget_line order by province_code");
    expect(by).toEqual([
      { province_code: "01", year: 2023, a: "7.250000" },
      { province_code: "80", year: 2023, a: "12.500000" },
    ]);
    await expect(all.all("select * from read_csv('/etc/passwd')")).rejects.toThrow(/Permission|access/i);
    all.close();

    const one = await openLake(lake, { province: "80" });
    expect(await one.all("select province_code, count(*)::int n from task group by all")).toEqual([{ province_code: "80", n: 1 }]);
    expect(await one.all("select code:province_code from province")).toEqual([{ code: "80" }]);
    one.close();
  });

  it("one lake module for every reader: the analysts' limits are the instance's, and `fill --lake` reads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "phuluc-lake-"));
    const lake = join(dir, "lake");
    const db = await openCurrent(await province("80", "12.5"));
    await exportParquet(db, lake);
    db.close();
    // the sandbox's limits, given as the instance's options (no SET before the lock)
    const limited = await openLake(lake, { memoryLimit: "256MB", threads: 1 });
    const [set] = await limited.all<{ m: string; t: number }>("select current_setting('memory_limit') m, current_setting('threads')::int t");
    expect(set).toEqual({ m: "244.1 MiB", t: 1 });
    await expect(limited.run("set threads = 4")).rejects.toThrow(/lock/i);
    limited.close();
    // fill/command.ts opens the lake from warehouse/ (it used to go through api/)
    const template = join(dir, "template.xlsx");
    writeFileSync(template, await makeTemplate(loadForms(), 2024));
    const out: string[] = [];
    const io = { log: (x: string) => out.push(x), err: (x: string) => out.push(x) };
    expect(await fillCommand({ lake, province: "80", year: 2024, template, check: true, json: true, form: [] }, io)).toBe(0);
    expect(JSON.parse(out.join("\n"))).toMatchObject({ generation: 1, written: null });
    out.length = 0;
    expect(await fillCommand({ lake, province: "80' or 1=1 --", year: 2024, template, check: true, form: [] }, io)).toBe(1);
    expect(out.join("\n")).toMatch(/--province: 1–8 digits or capital letters/);
  });
});
