// The data tests written as anti joins (queries/data-tests/relationships_*.sql, the mart
// fct_budget_line_contribution under budget_line_sum_rows) still report what they reported, when
// the rule is broken by rows already in the warehouse (committed by an earlier run), by the rows
// of the load running the tests (inside its open transaction), and across the two (an earlier
// run's rows left without what a row of this run replaced or removed).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDataTests } from "../../queries/data-tests.js";
import { withModels } from "../../queries/models.js";
import { TestWarehouse } from "./warehouse.js";

/** fct_budget_line_contribution as it was written with NOT EXISTS: the reference for its rows. */
const CONTRIBUTION_NOT_EXISTS = `
with loaded as (
  select * from stg_fact_budget_line
),
plan_figure as (
  select f.* replace ('du_toan_or_de_xuat' as measure_code)
  from loaded as f
  where f.measure_code = 'du_toan'
     or (
       f.measure_code = 'de_xuat'
       and not exists (
         select 1 from loaded as d
         where d.measure_code = 'du_toan' and d.province_code = f.province_code and d.origin_unit = f.origin_unit
           and d.line_code = f.line_code and d.year = f.year and d.source_code = f.source_code
       )
     )
),
facts as (
  select * from loaded
  union all
  select * from plan_figure
),
counted as (
  select f.*
  from facts as f
  where not exists (
    select 1
    from dim_budget_line_closure as c
    join facts as g on g.line_code = c.descendant_code
    where c.ancestor_code = f.line_code and c.distance > 0 and g.province_code = f.province_code
      and g.origin_unit = f.origin_unit and g.year = f.year and g.measure_code = f.measure_code
      and g.source_code = f.source_code
  )
)
select
  c.ancestor_code as line_code, f.line_code as fact_line_code, f.fact_id, f.province_code, f.origin_unit,
  f.year, f.measure_code, f.source_code, coalesce(s.is_state_budget, false) as is_state_budget, f.amount_trieu_dong
from counted as f
join dim_budget_line_closure as c on c.descendant_code = f.line_code
left join stg_funding_source as s on s.source_code = f.source_code`;

const NEW_RUN = 2;

describe("data tests over earlier and new rows", () => {
  let w: TestWarehouse;
  let lastFact = 0;

  beforeEach(async () => {
    w = await TestWarehouse.create();
    await w.task({ code: "T1", level: "TINH", start: "2023-01", end: "2024-12", approved: { TONG: "100", NSDP: "100" } });
    await w.funding("T1", 2024, "du_toan", "NSDP", "50");
    await w.indicator("TT01", "THANH_TRA", "Số cơ sở được thanh tra", "cơ sở");
    await w.indicatorFact("TT01", 2023, "ke_hoach", "337");
  });
  afterEach(() => w.close());

  /** What the warehouse holds so far is an earlier run's, committed; what follows is this run's. */
  async function startRun(): Promise<void> {
    lastFact = Number((await w.db.all<{ n: string }>("select currval('fact_id_seq') as n"))[0]!.n);
    await w.db.run("begin");
  }

  /** The rows added since startRun carry this run's id, as a load's staged rows do. */
  async function stampRun(): Promise<void> {
    for (const t of ["fact_task_approved", "fact_task_funding", "fact_budget_line", "fact_indicator"]) {
      await w.db.run(`update ${t} set run_id = $run where fact_id > $last`, { run: NEW_RUN, last: lastFact });
    }
  }

  const found = async (code: string): Promise<string[]> =>
    (await runDataTests(w.db)).filter((p) => p.code === code).map((p) => p.en.split(" — ")[1] ?? "");

  describe("relationships_funding_task", () => {
    const CODE = "DATA_TEST_RELATIONSHIPS_FUNDING_TASK";

    it("an earlier run's funding of a task no register holds", async () => {
      await w.funding("GHOST", 2024, "du_toan", "NSDP", "1");
      await startRun();
      expect(await found(CODE)).toEqual(["GHOST (fact_task_funding)"]);
    });

    it("this run's funding and approved figures of a task no register holds", async () => {
      await startRun();
      await w.funding("GHOST", 2024, "du_toan", "NSDP", "1");
      await w.db.run(
        `insert into fact_task_approved (province_code, task_code, source_code, amount, run_id, file_id, file_hash, sheet, cell)
         select province_code, 'GHOST2', source_code, amount, run_id, file_id, file_hash, sheet, 'C9' from fact_task_approved where task_code = 'T1'`,
      );
      await stampRun();
      expect((await found(CODE)).sort()).toEqual(["GHOST (fact_task_funding)", "GHOST2 (fact_task_approved)", "GHOST2 (fact_task_approved)"]);
    });

    it("an earlier run's figures whose task this run removed", async () => {
      await startRun();
      await w.db.run("delete from task where task_code = 'T1'");
      expect((await found(CODE)).sort()).toEqual(["T1 (fact_task_approved)", "T1 (fact_task_approved)", "T1 (fact_task_funding)"]);
    });

    it("this run's figures of a task this run removed", async () => {
      await startRun();
      await w.funding("T1", 2025, "de_xuat", "NSDP", "5");
      await stampRun();
      await w.db.run("delete from task where task_code = 'T1'");
      expect(await found(CODE)).toContain("T1 (fact_task_funding)");
      expect((await found(CODE)).filter((d) => d === "T1 (fact_task_funding)")).toHaveLength(2);
    });
  });

  describe("relationships_dimension_codes (indicators)", () => {
    const CODE = "DATA_TEST_RELATIONSHIPS_DIMENSION_CODES";

    it("an earlier run's indicator under a parent no sheet gives, and its figure of no indicator", async () => {
      await w.indicator("TT02", "THANH_TRA", "Trong đó", "cơ sở", "NOPE");
      await w.db.run("update fact_indicator set indicator_key = 'GONE' where indicator_key = 'TT01'");
      await startRun();
      expect((await found(CODE)).sort()).toEqual(["indicator GONE", "parent indicator NOPE"]);
    });

    it("this run's indicator and figure", async () => {
      await startRun();
      await w.indicator("TT02", "THANH_TRA", "Trong đó", "cơ sở", "NOPE");
      await w.indicatorFact("GONE", 2024, "ke_hoach", "1");
      await stampRun();
      expect((await found(CODE)).sort()).toEqual(["indicator GONE", "parent indicator NOPE"]);
    });

    it("an earlier run's child and figure whose indicator this run removed", async () => {
      await w.indicator("TT02", "THANH_TRA", "Trong đó", "cơ sở", "TT01");
      await startRun();
      await w.db.run("delete from indicator where indicator_key = 'TT01'");
      expect((await found(CODE)).sort()).toEqual(["indicator TT01", "parent indicator TT01"]);
    });

    it("this run's child of an earlier run's indicator that this run removed", async () => {
      await startRun();
      await w.indicator("TT03", "THANH_TRA", "Trong đó", "cơ sở", "TT01");
      await w.db.run("delete from indicator where indicator_key = 'TT01'");
      expect((await found(CODE)).sort()).toEqual(["indicator TT01", "parent indicator TT01"]);
    });

    it("a parent in another province does not count", async () => {
      await w.db.run("insert into province values ('72', 'Tây Ninh')");
      await w.indicator("TT02", "THANH_TRA", "Trong đó", "cơ sở", "TT01");
      await startRun();
      await w.db.run("update indicator set province_code = '72' where indicator_key = 'TT01'");
      expect((await found(CODE)).sort()).toEqual(["indicator TT01", "parent indicator TT01"]);
    });
  });

  describe("budget_line_sum_rows over fct_budget_line_contribution", () => {
    const CODE = "DATA_TEST_BUDGET_LINE_SUM_ROWS";

    it("an earlier run's sum row that is not its leaves", async () => {
      await w.line("05", 2024, "du_toan", "NSDP", "100");
      await w.line("06", 2024, "du_toan", "NSDP", "50");
      await w.line("04", 2024, "du_toan", "NSDP", "151");
      await startRun();
      expect(await found(CODE)).toEqual(["04 du_toan 2024 NSDP: 151.000000 ≠ 150.000000"]);
    });

    it("this run's", async () => {
      await startRun();
      await w.line("05", 2024, "de_xuat", "NSDP", "100");
      await w.line("06", 2024, "de_xuat", "NSDP", "50");
      await w.line("03", 2024, "de_xuat", "NSDP", "149");
      await stampRun();
      expect(await found(CODE)).toEqual(["03 de_xuat 2024 NSDP: 149.000000 ≠ 150.000000"]);
    });

    it("an earlier run's leaves and this run's sum row, and the other way round", async () => {
      await w.line("05", 2024, "du_toan", "NSDP", "100");
      await w.line("01", 2023, "thuc_hien", "NSTW", "7");
      await startRun();
      await w.line("04", 2024, "du_toan", "NSDP", "99");
      await w.line("18", 2023, "thuc_hien", "NSTW", "8");
      await stampRun();
      expect((await found(CODE)).sort()).toEqual(["01 thuc_hien 2023 NSTW: 7.000000 ≠ 8.000000", "04 du_toan 2024 NSDP: 99.000000 ≠ 100.000000"]);
    });

    it("compares a former province's sum rows with its own leaves only", async () => {
      await w.line("05", 2024, "du_toan", "NSDP", "100");
      await startRun();
      const id = await w.line("04", 2024, "du_toan", "NSDP", "100");
      await w.line("05", 2024, "du_toan", "NSDP", "30");
      await w.db.run("update fact_budget_line set origin_unit = '72@2008' where fact_id > $id", { id });
      await stampRun();
      // 04 of the province's own sheet has no leaves of its own origin; 72's 05 is alone
      expect(await found(CODE)).toEqual([]);
      await w.db.run("update fact_budget_line set origin_unit = '72@2008' where fact_id = $id", { id });
      expect(await found(CODE)).toEqual(["04 du_toan 2024 NSDP: 100.000000 ≠ 30.000000"]);
    });
  });

  it("fct_budget_line_contribution has the rows of its NOT EXISTS formulation", async () => {
    // leaves, a sum row with and without its leaves, du_toan beside de_xuat and alone, two
    // origins, a line outside the hierarchy, a source outside the dimension; earlier and new rows
    const lines: [string, number, string, string, string][] = [
      ["05", 2024, "du_toan", "NSDP", "100"],
      ["06", 2024, "de_xuat", "NSDP", "50"],
      ["06", 2024, "du_toan", "NSDP", "55"],
      ["04", 2024, "du_toan", "NSDP", "151"],
      // a sum row alone for its key: its leaves have figures for other sources, measures, years
      ["04", 2024, "du_toan", "NSTW", "12"],
      ["04", 2024, "thuc_hien", "NSDP", "13"],
      ["04", 2022, "du_toan", "NSDP", "14"],
      ["08", 2023, "de_xuat", "NSTW", "9"],
      ["09", 2023, "thuc_hien", "NSTW", "4"],
      ["99", 2023, "du_toan", "NSTW", "1"],
      ["18", 2025, "du_toan", "XX", "2"],
    ];
    for (const l of lines.slice(0, 7)) await w.line(...l);
    await w.db.run("update fact_budget_line set origin_unit = '72@2008' where line_code = '06'");
    await startRun();
    for (const l of lines.slice(7)) await w.line(...l);
    for (const l of lines.slice(0, 3)) await w.line(...l);
    await w.line("03", 2024, "de_xuat", "NSDP", "400");
    // de_xuat of one origin beside a du_toan of the other: each origin's plan figure is its own
    const own = await w.line("10", 2025, "de_xuat", "NSDP", "6");
    const former = await w.line("10", 2025, "du_toan", "NSDP", "7");
    await w.db.run("update fact_budget_line set origin_unit = '72@2008' where fact_id = $former", { former });
    await w.line("11", 2025, "du_toan", "NSDP", "3");
    await w.line("11", 2025, "de_xuat", "NSTW", "4");
    // a de_xuat beside a du_toan of another year; a former province's sum row alone for its key
    // while the province's own sheet has its leaves
    await w.line("12", 2026, "de_xuat", "NSDP", "2");
    await w.line("12", 2027, "du_toan", "NSDP", "3");
    await w.line("13", 2026, "du_toan", "NSDP", "1");
    const formerSum = await w.line("08", 2026, "du_toan", "NSDP", "5");
    await w.db.run("update fact_budget_line set origin_unit = '72@2008' where fact_id = $formerSum", { formerSum });
    await w.line("01", 2024, "du_toan", "NSDP", "500");
    await stampRun();
    const rows = (sql: string) => w.db.all(`${sql}\norder by all`);
    const now = await rows(withModels("select * from fct_budget_line_contribution"));
    expect(now.length).toBeGreaterThan(20);
    expect(now).toEqual(await rows(withModels(CONTRIBUTION_NOT_EXISTS)));
    const plan = now.filter((r) => r.measure_code === "du_toan_or_de_xuat" && r.line_code === r.fact_line_code);
    expect(plan.filter((r) => Number(r.fact_id) === own || Number(r.fact_id) === former)).toHaveLength(2);
  });
});
