import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import { hierarchyRows } from "./hierarchy.js";
import { TestWarehouse } from "./warehouse.js";

const COLUMNS = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];

describe("PL01 — execution N-2, first half and expected N-1 (plan year 2024)", () => {
  let w: TestWarehouse;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // 2022 (N-2): NSTW and NSĐP together
    ids.l09_22 = await w.line("09", 2022, "du_toan", "NSTW", "1000");
    ids.l11_22 = await w.line("11", 2022, "du_toan", "NSDP", "15000");
    await w.line("11", 2022, "thuc_hien", "NSDP", "14500.5");
    // 2023 (N-1): du_toan by leaves = 39 651,195 (the seed's "39.651.195 triệu đồng")
    ids.l05 = await w.line("05", 2023, "du_toan", "NSDP", "10000");
    ids.l06 = await w.line("06", 2023, "du_toan", "NSDP", "5000");
    ids.l07 = await w.line("07", 2023, "du_toan", "NSDP", "4651.195");
    ids.l11 = await w.line("11", 2023, "du_toan", "NSDP", "18000");
    ids.l12 = await w.line("12", 2023, "du_toan", "NSDP", "2000");
    // outside the state budget: not in PL01
    await w.line("11", 2023, "du_toan", "NGOAI_NSNN", "999");
    // the first half given only for row 03 (its leaves absent from that sheet)
    ids.l03_6t = await w.line("03", 2023, "thuc_hien_6t", "NSDP", "13572");
    await w.line("03", 2023, "uoc_thuc_hien", "NSDP", "39651.195");
    // the tasks behind rows 11 and 12
    await w.task({ code: "T1", level: "TINH", start: "2022-01", end: "2024-06", approved: { TONG: "30000", NSDP: "30000" } });
    await w.task({ code: "H1", level: "HUYEN", start: "2023-01", end: "2023-12", approved: { TONG: "1500", NSDP: "1500" } });
    await w.funding("T1", 2023, "du_toan", "NSDP", "18000");
    await w.funding("H1", 2023, "du_toan", "NSDP", "1500");
  });
  afterEach(() => w.close());

  it("fills every row: sums from leaves, a sum-only fact kept, ratios to one decimal", async () => {
    const data = await computeForm(w.db, "pl01", 2024, 7);
    expect(data).toEqual({
      form: "pl01",
      year: 2024,
      generation: 7,
      rows: hierarchyRows(COLUMNS, {
        "01": { c1: 16000, c2: 14500.5, c3: 39651.195, c4: 13572, c5: 34.2, c6: 39651.195, c7: 100 },
        "03": { c1: 16000, c2: 14500.5, c3: 39651.195, c4: 13572, c5: 34.2, c6: 39651.195, c7: 100 },
        "04": { c3: 15000 },
        "05": { c3: 10000 },
        "06": { c3: 5000 },
        "07": { c3: 4651.195 },
        "08": { c1: 16000, c2: 14500.5, c3: 20000 },
        "09": { c1: 1000 },
        "11": { c1: 15000, c2: 14500.5, c3: 18000 },
        "12": { c3: 2000 },
      }),
    });
  });

  it("rules: arithmetic holds; row 12 differs from its tasks' du_toan N-1 (a reconciliation)", async () => {
    const data = await computeForm(w.db, "pl01", 2024, 7);
    const results = await evaluateRules(w.db, "pl01", 2024, data);
    expect(results.filter((r) => r.class === "arithmetic" && !r.ok)).toEqual([]);
    expect(results.find((r) => r.rule === "ratio" && r.rowKey === "03" && r.column === "c5")).toMatchObject({
      ok: true,
      expected: "34.2",
      actual: "34.2",
    });
    const broken = results.filter((r) => !r.ok);
    expect(broken).toHaveLength(1);
    expect(broken[0]).toMatchObject({
      class: "reconciliation",
      rule: "sql:task_levels",
      form: "pl01",
      rowKey: "12",
      column: "c3",
      expected: "1500",
      actual: "2000",
      problem: {
        code: "RULE_RECONCILIATION",
        severity: "warning",
        place: { form: "pl01", row: "12", column: "c3" },
      },
    });
    expect(broken[0]!.problem!.vi).toContain("2000");
    expect(broken[0]!.problem!.en).toContain("1500");
    expect(results.filter((r) => r.class === "reconciliation" && r.ok).map((r) => r.rowKey)).toEqual(["09", "10", "11", "13"]);
  });

  it("a ratio that does not match its quotient is broken", async () => {
    const data = await computeForm(w.db, "pl01", 2024, 7);
    data.rows[2]!.values.c5 = 34.3;
    const results = await evaluateRules(w.db, "pl01", 2024, data);
    const bad = results.filter((r) => r.class === "arithmetic" && !r.ok);
    expect(bad).toMatchObject([{ rule: "ratio", rowKey: "03", column: "c5", expected: "34.2", actual: "34.3" }]);
    expect(bad[0]!.problem!.code).toBe("RULE_ARITHMETIC");
  });

  it("lineage of row 01 column 3 lists the leaves' facts; of a ratio, both figures' facts", async () => {
    const l = await formLineage(w.db, "pl01", 2024, "01", "c3");
    expect(l.total).toBe(5);
    expect(l.facts.map((f) => f.factId)).toEqual([ids.l05, ids.l06, ids.l07, ids.l11, ids.l12]);
    expect(l.facts[0]).toEqual({
      factId: ids.l05,
      table: "fact_budget_line",
      office: "P.KHTC",
      fileId: "P.KHTC/du toan chi KHCN.xlsx",
      fileHash: "sha-P.KHTC",
      sheet: "Chi KHCN",
      cell: expect.stringMatching(/^B\d+$/),
      runId: 1,
      loadedAt: "2023-06-20T01:00:05Z",
      measure: "du_toan",
      year: 2023,
      source: "NSDP",
      amount: "10000",
    });
    const ratio = await formLineage(w.db, "pl01", 2024, "03", "c5");
    expect(ratio.total).toBe(6);
    expect(ratio.facts.map((f) => f.factId)).toContain(ids.l03_6t);
    const c1 = await formLineage(w.db, "pl01", 2024, "08", "c1");
    expect(c1.facts.map((f) => f.factId)).toEqual([ids.l09_22, ids.l11_22]);
  });
});
