import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeAll, computeForm, listForms } from "../../queries/compute.js";
import { installAnalystViews, macroBody } from "../../queries/install.js";
import type { FormRow } from "../../queries/types.js";
import { openDb, type Db } from "../../warehouse/db.js";
import { migrate } from "../../warehouse/migrate.js";
import { models } from "../../queries/models.js";
import { TestWarehouse } from "./warehouse.js";

async function fill(w: TestWarehouse): Promise<void> {
  await w.line("11", 2023, "du_toan", "NSDP", "18000");
  await w.line("11", 2023, "thuc_hien_6t", "NSDP", "6000");
  await w.line("11", 2024, "de_xuat", "NSDP", "20000");
  await w.task({ code: "T1", level: "TINH", start: "2022-01", end: "2024-12", approved: { TONG: "30000", NSDP: "30000" } });
  await w.task({ code: "Q1", level: "QUOC_GIA", start: "2021-10", end: "2024-03", approved: { TONG: "13660" } });
  await w.funding("T1", 2023, "du_toan", "NSDP", "18000");
  await w.funding("T1", 2024, "de_xuat", "NSDP", "20000");
  await w.indicator("TT01", "THANH_TRA", "Số cơ sở được thanh tra", "cơ sở");
  await w.indicatorFact("TT01", 2023, "ke_hoach", "337");
  await w.indicatorFact("TT01", 2023, "thuc_hien_6t", "183");
}

/** A macro's rows in FormRow shape, figures as numbers (what computeForm does at its edge). */
async function macroRows(db: Db, form: string, year: number): Promise<FormRow[]> {
  const rows = await db.all(`select * from ${form}($year) order by sort`, { year });
  return rows.map((r) => ({
    rowKey: String(r.row_key),
    kind: r.kind as FormRow["kind"],
    sort: Number(r.sort),
    parentKey: (r.parent_key as string | null) ?? null,
    values: Object.fromEntries(
      Object.entries(r)
        .filter(([k]) => !["row_key", "kind", "sort", "parent_key"].includes(k))
        .map(([k, v]) => [k, /^c\d+$/.test(k) && v !== null ? Number(v) : (v as string | null)]),
    ),
  }));
}

describe("analyst views and table macros", () => {
  let w: TestWarehouse;
  beforeEach(async () => {
    w = await TestWarehouse.create();
    await fill(w);
  });
  afterEach(() => w.close());

  it("lists the six appendices", () => {
    expect(listForms()).toEqual(["pl01", "pl02", "pl03", "pl04", "pl05", "pl06"]);
  });

  it("every macro gives what computeForm gives", async () => {
    await installAnalystViews(w.db);
    for (const form of listForms()) {
      const data = await computeForm(w.db, form, 2024, 1);
      expect(data.rows.length).toBeGreaterThan(0);
      expect(await macroRows(w.db, form, 2024)).toEqual(data.rows);
    }
    expect(macroBody("pl02")).not.toContain("$year");
  });

  it("computeAll gives every form and every rule", async () => {
    const all = await computeAll(w.db, 2024, 9);
    expect(all.forms.map((f) => [f.form, f.generation])).toEqual(listForms().map((f) => [f, 9]));
    expect(all.rules.filter((r) => r.class === "arithmetic" && !r.ok)).toEqual([]);
    expect(new Set(all.rules.map((r) => r.form))).toEqual(new Set(listForms()));
  });
});

describe("analyst views in a database file opened read-only", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "phuluc-queries-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("are installed inside a transaction and readable read-only", async () => {
    const path = join(dir, "w.duckdb");
    const db = await openDb(path, { readOnly: false });
    await db.transaction(async () => {
      await migrate(db);
      expect(await installAnalystViews(db)).toBe(true);
      // the same views again: nothing to redo (a load on a copy of the last generation)
      expect(await installAnalystViews(db)).toBe(false);
    });
    // a view replaced by anything else loses the fingerprint: the next install redoes them all
    const last = models().at(-1)!;
    await db.run(`create or replace view ${last.name} as select 1 as x`);
    expect(await installAnalystViews(db)).toBe(true);
    expect(await installAnalystViews(db)).toBe(false);
    await db.run("insert into fact_budget_line (province_code, line_code, year, measure_code, source_code, amount, run_id, file_id, file_hash, sheet, cell) values ('80', '11', 2024, 'du_toan', 'NSDP', 41612, 1, 'f', 'h', 's', 'C5')");
    db.close();
    const ro = await openDb(path, { readOnly: true });
    try {
      const rows = await ro.all<{ c3: string }>("select c3 from pl02(2024) where row_key = '01'");
      expect(rows).toEqual([{ c3: "41612.000000" }]);
      expect(await macroRows(ro, "pl02", 2024)).toEqual((await computeForm(ro, "pl02", 2024, 1)).rows);
    } finally {
      ro.close();
    }
  });
});
