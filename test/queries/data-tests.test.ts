import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dataTests, runDataTests, sharedMarts } from "../../queries/data-tests.js";
import { withModels } from "../../queries/models.js";
import { TestWarehouse } from "./warehouse.js";

describe("data tests", () => {
  let w: TestWarehouse;

  beforeEach(async () => {
    w = await TestWarehouse.create();
    await w.task({ code: "T1", level: "TINH", start: "2023-01", end: "2024-12", approved: { TONG: "13660", NSTW: "10880", NSDP: "1500", NGOAI_NSNN: "1280" } });
    await w.task({ code: "Q1", level: "QUOC_GIA", start: "2016-12", end: "2023-11", approved: { TONG: "20970" } });
    await w.funding("T1", 2024, "du_toan", "NSDP", "500");
    await w.line("05", 2024, "du_toan", "NSDP", "100");
    await w.line("06", 2024, "du_toan", "NSDP", "50");
    await w.indicator("TT01", "THANH_TRA", "Số cơ sở được thanh tra", "cơ sở");
    await w.indicatorFact("TT01", 2023, "ke_hoach", "337");
  });
  afterEach(() => w.close());

  /** Rows that break five of the tests. */
  async function breakSome(): Promise<void> {
    // funding for a task no register holds
    await w.funding("GHOST", 2024, "du_toan", "NSDP", "1");
    // a register total that is not its parts (a load that skipped the check)
    await w.db.run("update fact_task_approved set amount = 1600 where task_code = 'T1' and source_code = 'NSDP'");
    // a sum row given beside its leaves, and not equal to them
    await w.line("04", 2024, "du_toan", "NSDP", "151");
    // du_toan and de_xuat for the same key and year
    await w.line("06", 2024, "de_xuat", "NSDP", "60");
    // codes that no dimension has
    await w.line("99", 2024, "du_toan", "NSDP", "1");
  }

  it("each test has a code, a severity and a message in both languages", () => {
    const tests = dataTests();
    expect(tests.map((t) => t.code)).toEqual([
      "DATA_TEST_BUDGET_LINE_SUM_ROWS",
      "DATA_TEST_FCT_BUDGET_LINE_SUM_ROWS",
      "DATA_TEST_NOT_NULL_TASK_ATTRIBUTES",
      "DATA_TEST_REGISTER_TOTAL_EQUALS_PARTS",
      "DATA_TEST_RELATIONSHIPS_DIMENSION_CODES",
      "DATA_TEST_RELATIONSHIPS_FUNDING_TASK",
      "DATA_TEST_TASK_PERIOD_ORDER",
      "DATA_TEST_UNIQUE_FCT_BUDGET_LINE",
      "DATA_TEST_UNIQUE_PLAN_FIGURE",
      "DATA_TEST_UNIQUE_WAREHOUSE_KEYS",
    ]);
    for (const t of tests) {
      expect(t.vi).not.toBe(t.name);
      expect(t.en).not.toBe(t.name);
    }
  });

  it("a key given twice (no index declares it) is caught", async () => {
    await w.db.run("insert into fact_indicator select * replace (nextval('fact_id_seq') as fact_id) from fact_indicator limit 1");
    const found = await runDataTests(w.db);
    expect(found.map((p) => p.code)).toEqual(["DATA_TEST_UNIQUE_WAREHOUSE_KEYS"]);
    expect(found[0]!.en).toMatch(/fact_indicator 80 .* 2 rows/);
  });

  it("a clean warehouse passes every test", async () => {
    expect(await runDataTests(w.db)).toEqual([]);
  });

  it("reports what is broken, with its place", async () => {
    await breakSome();
    await w.db.run("update indicator set parent_key = 'NOPE' where indicator_key = 'TT01'");

    const problems = await runDataTests(w.db);
    const summary = problems.map((p) => [p.code, p.severity, p.place.file ?? null, p.vi.split(" — ")[1] ?? null]);
    expect(summary).toEqual([
      ["DATA_TEST_BUDGET_LINE_SUM_ROWS", "error", "P.KHTC/du toan chi KHCN.xlsx", "04 du_toan 2024 NSDP: 151.000000 ≠ 150.000000"],
      ["DATA_TEST_REGISTER_TOTAL_EQUALS_PARTS", "error", "P.QLKH/danh muc nhiem vu.xlsx", "T1: Tổng 13660.000000 / parts 13760.000000"],
      ["DATA_TEST_RELATIONSHIPS_DIMENSION_CODES", "error", "P.KHTC/du toan chi KHCN.xlsx", "budget line 99"],
      ["DATA_TEST_RELATIONSHIPS_DIMENSION_CODES", "error", "THANH_TRA/chi tieu.xlsx", "parent indicator NOPE"],
      ["DATA_TEST_RELATIONSHIPS_FUNDING_TASK", "error", "P.KHTC/kinh phi nhiem vu.xlsx", "GHOST (fact_task_funding)"],
      ["DATA_TEST_UNIQUE_PLAN_FIGURE", "warning", "P.KHTC/du toan chi KHCN.xlsx", "line 06 2024 NSDP"],
    ]);
    expect(problems[0]!.place).toMatchObject({ sheet: "Chi KHCN", cell: expect.stringMatching(/^B\d+$/) });
    expect(problems[0]!.en).toContain("differs from the sum of its rows");
  });

  it("over two connections (committed rows), finds the same problems in the same order as over one", async () => {
    await breakSome();
    await w.task({ code: "T2", level: "TINH", start: "2024-12", end: "2023-01", approved: { TONG: "5", NSDP: "5" } });
    await w.db.run("insert into fact_indicator select * replace (nextval('fact_id_seq') as fact_id) from fact_indicator limit 1");
    const one = await runDataTests(w.db);
    // problems from both sides of the split: the shared marts' tests and the others
    expect(new Set(one.map((p) => p.code)).size).toBeGreaterThanOrEqual(6);
    const sibling = vi.spyOn(w.db, "sibling");
    const two = await runDataTests(w.db, { connections: 2 });
    expect(sibling).toHaveBeenCalledTimes(1);
    expect(two).toEqual(one);
    expect(await w.db.all("select table_name from duckdb_tables() where temporary")).toEqual([]);
  });

  it("finds, with the marts several tests share computed once, what each test's own SQL finds", async () => {
    await w.line("04", 2024, "du_toan", "NSDP", "151");
    await w.line("06", 2024, "de_xuat", "NSDP", "60");
    await w.line("99", 2024, "du_toan", "NSDP", "1");
    const problems = await runDataTests(w.db);
    expect(problems.length).toBeGreaterThan(0);
    // each test as an analyst runs it: its SQL with the models as CTEs, nothing stored
    const own: unknown[] = [];
    for (const t of dataTests()) {
      const rows = (await w.db.all(withModels(t.sql))).map((r) => JSON.stringify(r)).sort();
      for (const r of rows) own.push([t.code, JSON.parse(r)]);
    }
    expect(problems.map((p) => [p.code, p.data])).toEqual(own);
    // the marts computed once: those more than one test reads, and nothing only one reads
    expect(sharedMarts(dataTests())).toEqual(["fct_budget_line_contribution", "fct_budget_line"]);
    // and the tables it computed them into are gone
    expect(await w.db.all("select table_name from duckdb_tables() where temporary")).toEqual([]);
  });
});
