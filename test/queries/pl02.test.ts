import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import { installAnalystViews } from "../../queries/install.js";
import type { FormValue } from "../../queries/types.js";
import { hierarchyRows } from "./hierarchy.js";
import { TestWarehouse } from "./warehouse.js";

const COLUMNS = ["c1", "c2", "c3", "c4", "c5"];

describe("PL02 — estimate of the plan year (2024)", () => {
  let w: TestWarehouse;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // seed: 41 612 triệu for 2024, all of it NSĐP
    ids.l05 = await w.line("05", 2024, "du_toan", "NSDP", "9000");
    ids.l05x = await w.line("05", 2024, "de_xuat", "NSDP", "9500"); // du_toan given: not used
    ids.l06 = await w.line("06", 2024, "de_xuat", "NSDP", "3000"); // de_xuat alone: the year-N figure
    ids.l07 = await w.line("07", 2024, "du_toan", "NSDP", "6612");
    ids.l11 = await w.line("11", 2024, "du_toan", "NSDP", "20000");
    ids.l12 = await w.line("12", 2024, "du_toan", "NSDP", "3000");
    await w.line("11", 2023, "du_toan", "NSDP", "18000"); // another year
    await w.task({ code: "T1", level: "TINH", start: "2022-01", end: "2025-06", approved: { TONG: "40000", NSDP: "40000" } });
    await w.task({ code: "T2", level: "TINH", start: "2024-01", end: "2025-12", approved: { TONG: "9000", NSDP: "8000", NGOAI_NSNN: "1000" } });
    await w.task({ code: "C1", level: "CO_SO", start: "2024-02", end: "2024-12", approved: { TONG: "1500", NSDP: "1500" } });
    await w.task({ code: "H1", level: "HUYEN", start: "2024-03", end: "2024-12", approved: { TONG: "1000", NSDP: "1000" } });
    await w.funding("T1", 2024, "du_toan", "NSDP", "12000");
    await w.funding("T2", 2024, "de_xuat", "NSDP", "8000");
    await w.funding("T2", 2024, "de_xuat", "NGOAI_NSNN", "1000"); // not state budget
    await w.funding("C1", 2024, "de_xuat", "NSDP", "1500");
    await w.funding("H1", 2024, "du_toan", "NSDP", "1000");
  });
  afterEach(() => w.close());

  const expected = (over: Record<string, Record<string, FormValue>> = {}) =>
    hierarchyRows(COLUMNS, {
      "01": { c1: 41612, c3: 41612 },
      "03": { c1: 41612, c3: 41612 },
      "04": { c1: 12000, c3: 12000 },
      "05": { c1: 9000, c3: 9000 },
      "06": { c1: 3000, c3: 3000 },
      "07": { c1: 6612, c3: 6612 },
      "08": { c1: 23000, c3: 23000 },
      "11": { c1: 20000, c3: 20000 },
      "12": { c1: 3000, c3: 3000 },
      ...over,
    });

  it("fills every row with the year-N figure (du_toan, else de_xuat) by source", async () => {
    expect(await computeForm(w.db, "pl02", 2024, 3)).toEqual({ form: "pl02", year: 2024, generation: 3, rows: expected() });
  });

  it("rules: arithmetic holds; row 12 differs from its tasks by 500 (reconciliation)", async () => {
    const data = await computeForm(w.db, "pl02", 2024, 3);
    const results = await evaluateRules(w.db, "pl02", 2024, data);
    expect(results.filter((r) => r.class === "arithmetic" && !r.ok)).toEqual([]);
    expect(results.filter((r) => r.rule === "row_sum" && r.ok).length).toBe(9);
    const broken = results.filter((r) => !r.ok);
    expect(broken.map(({ problem, ...r }) => r)).toEqual([
      {
        class: "reconciliation",
        rule: "sql:task_levels",
        ok: false,
        form: "pl02",
        rowKey: "12",
        column: "c3",
        expected: "2500",
        actual: "3000",
      },
    ]);
    expect(broken[0]!.problem).toEqual({
      code: "RULE_RECONCILIATION",
      severity: "warning",
      place: { form: "pl02", row: "12", column: "c3" },
      vi: "Biểu PL02 › dòng 12 › cột c3: c2 + c3 = 3000 khác kinh phí NSNN năm N của các nhiệm vụ cấp này 2500 (chênh lệch 500, cần giải thích)",
      en: "Form PL02 › row 12 › column c3: c2 + c3 = 3000 differs from the year-N state-budget figure of the tasks of this level 2500 (difference 500, to explain)",
      data: { expected: "2500", actual: "3000", difference: "500", rule: "sql:task_levels" },
    });
  });

  it("rules: a broken sum row and a broken Tổng are arithmetic failures with both figures", async () => {
    const data = await computeForm(w.db, "pl02", 2024, 3);
    const row08 = data.rows.find((r) => r.rowKey === "08")!;
    row08.values.c3 = 23000.5;
    row08.values.c1 = 23000.5;
    const results = await evaluateRules(w.db, "pl02", 2024, data);
    const broken = results.filter((r) => r.class === "arithmetic" && !r.ok);
    expect(broken.map((r) => [r.rule, r.rowKey, r.column, r.expected, r.actual])).toEqual([
      ["sum_rows", "03", "c1", "41612.5", "41612"],
      ["sum_rows", "03", "c3", "41612.5", "41612"],
      ["sum_rows", "08", "c1", "23000", "23000.5"],
      ["sum_rows", "08", "c3", "23000", "23000.5"],
    ]);
    expect(broken[2]!.problem).toMatchObject({
      code: "RULE_ARITHMETIC",
      severity: "error",
      place: { form: "pl02", row: "08", column: "c1" },
      vi: "Biểu PL02 › dòng 08 › cột c1: 23000.5 khác tổng các dòng 09 + 10 + 11 + 12 + 13 = 23000 (chênh lệch 0.5)",
    });
    // within ± 0,001 triệu: still holds
    row08.values.c3 = 23000.001;
    row08.values.c1 = 23000.001;
    const again = await evaluateRules(w.db, "pl02", 2024, data);
    expect(again.filter((r) => r.class === "arithmetic" && !r.ok)).toEqual([]);
    // a Tổng that is not its parts
    data.rows.find((r) => r.rowKey === "05")!.values.c1 = 9100;
    const tong = (await evaluateRules(w.db, "pl02", 2024, data)).filter((r) => r.rule === "row_sum" && !r.ok);
    expect(tong.map((r) => [r.rowKey, r.column, r.expected, r.actual])).toEqual([["05", "c1", "9000", "9100"]]);
  });

  it("the table macro pl02(2024) gives what computeForm gives", async () => {
    await installAnalystViews(w.db);
    await installAnalystViews(w.db); // idempotent
    const data = await computeForm(w.db, "pl02", 2024, 3);
    const rows = await w.db.all("select * from pl02(2024) order by sort");
    const asForm = rows.map((r) => ({
      rowKey: r.row_key,
      kind: r.kind,
      sort: r.sort,
      parentKey: r.parent_key,
      values: Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !["row_key", "kind", "sort", "parent_key"].includes(k))
          .map(([k, v]) => [k, /^c\d+$/.test(k) && v !== null ? Number(v) : v]),
      ),
    }));
    expect(asForm).toEqual(data.rows);
    const views = await w.db.all<{ n: string }>(
      "select count(*) as n from duckdb_views() where view_name in ('stg_task', 'dim_task', 'fct_budget_line', 'fct_task_funding_by_year', 'fct_indicator')",
    );
    expect(views[0]!.n).toBe("5");
    const macros = await w.db.all<{ function_name: string }>(
      "select distinct function_name from duckdb_functions() where function_type = 'table_macro' and function_name like 'pl0%' order by 1",
    );
    // one macro per form and one for its lineage (the facts behind each cell)
    expect(macros.map((m) => m.function_name)).toEqual(["pl01", "pl01_lineage", "pl02", "pl02_lineage", "pl03", "pl03_lineage", "pl04", "pl04_lineage", "pl05", "pl05_lineage", "pl06", "pl06_lineage"]);
    const lineage = await w.db.all<{ n: string }>("select count(*)::varchar as n from pl02_lineage(2024) where row_key = '01' and column_id = 'c1'");
    expect(Number(lineage[0]!.n)).toBeGreaterThan(0);
  });

  it("lineage of the total row lists its leaves' facts, a page at a time", async () => {
    const all = await formLineage(w.db, "pl02", 2024, "01", "c3");
    expect(all.total).toBe(5);
    expect(all.facts.map((f) => f.factId)).toEqual([ids.l05, ids.l06, ids.l07, ids.l11, ids.l12]);
    expect(all.facts.find((f) => f.factId === ids.l06)).toMatchObject({ measure: "de_xuat", amount: "3000", year: 2024 });
    const page1 = await formLineage(w.db, "pl02", 2024, "01", "c3", 1, 2);
    expect(page1).toMatchObject({ total: 5 });
    expect(page1.facts.map((f) => f.factId)).toEqual([ids.l07, ids.l11]);
    const last = await formLineage(w.db, "pl02", 2024, "01", "c3", 2, 2);
    expect(last.facts.map((f) => f.factId)).toEqual([ids.l12]);
    const blank = await formLineage(w.db, "pl02", 2024, "01", "c2");
    expect(blank).toEqual({ total: 0, facts: [] });
  });

  it("a sum row given alone (its leaves absent) is the figure, and its own lineage", async () => {
    const id = await w.line("18", 2024, "du_toan", "NGOAI_NSNN", "250.25");
    const only = await w.line("04", 2024, "du_toan", "NGOAI_NSNN", "100");
    const data = await computeForm(w.db, "pl02", 2024, 3);
    const row = (k: string) => data.rows.find((r) => r.rowKey === k)!.values;
    expect(row("04")).toMatchObject({ c1: 12100, c3: 12000, c4: 100 });
    expect(row("01")).toMatchObject({ c1: 41962.25, c3: 41612, c4: 350.25 });
    const l = await formLineage(w.db, "pl02", 2024, "01", "c4");
    expect(l.facts.map((f) => f.factId)).toEqual([id, only]);
  });
});
