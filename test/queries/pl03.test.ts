import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import type { FormRow, FormValue } from "../../queries/types.js";
import { TestWarehouse } from "./warehouse.js";

type Fig = Partial<Record<`c${number}`, number>>;

function row(
  rowKey: string,
  kind: FormRow["kind"],
  sort: number,
  parentKey: string | null,
  texts: { stt: string | null; title: string; lead_org?: string; period?: string; decision?: string },
  fig: Fig,
): FormRow {
  const values: Record<string, FormValue> = {
    stt: texts.stt,
    title: texts.title,
    lead_org: texts.lead_org ?? null,
    period: texts.period ?? null,
    decision: texts.decision ?? null,
  };
  for (let i = 1; i <= 13; i++) values[`c${i}`] = fig[`c${i}`] ?? null;
  values.note = null;
  return { rowKey, kind, sort, parentKey, values };
}

describe("PL03 — basis of the estimate, task by task (plan year 2024)", () => {
  let w: TestWarehouse;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    w = await TestWarehouse.create();
    await w.task({
      code: "T1",
      title: "Ứng dụng công nghệ tưới tiết kiệm cho thanh long",
      level: "TINH",
      leadOrg: "Trung tâm Ứng dụng KH&CN",
      decision: "1234/QĐ-UBND ngày 15/12/2021",
      start: "2022-01",
      end: "2025-06",
      approved: { TONG: "30000", NSDP: "25000", NGOAI_NSNN: "5000" },
    });
    await w.task({ code: "T2", level: "TINH", start: "2023-03", end: "2024-12", approved: { TONG: "5000", NSDP: "5000" } });
    await w.task({ code: "T3", level: "TINH", start: "2020-01", end: "2023-06", approved: { TONG: "700", NSDP: "700" } });
    await w.task({ code: "Q1", level: "QUOC_GIA", start: "2021-10", end: "2024-03", approved: { TONG: "13660" } });
    await w.task({ code: "H1", level: "HUYEN", start: "2024-02", end: "2024-12", approved: { TONG: "800", NSDP: "800" } });
    await w.task({ code: "H2", level: "HUYEN", start: "2024-01", end: "2024-12", approved: { TONG: "300", NSDP: "300" } });

    await w.funding("T1", 2023, "du_toan", "NSDP", "8000");
    ids.t1_uoc = await w.funding("T1", 2023, "uoc_thuc_hien", "NSDP", "7500");
    await w.funding("T1", 2023, "uoc_thuc_hien", "NGOAI_NSNN", "1000");
    ids.t1_lk22 = await w.funding("T1", 2022, "luy_ke", "NSDP", "10000");
    await w.funding("T1", 2022, "luy_ke", "NGOAI_NSNN", "2000");
    await w.funding("T1", 2024, "du_toan", "NSDP", "9000");
    ids.t1_dx = await w.funding("T1", 2024, "de_xuat", "NGOAI_NSNN", "1500");

    await w.funding("T2", 2023, "du_toan", "NSDP", "2000");
    ids.t2_uoc = await w.funding("T2", 2023, "uoc_thuc_hien", "NSDP", "2000");
    ids.t2_lk23 = await w.funding("T2", 2023, "luy_ke", "NSDP", "2100"); // given: used as is
    await w.funding("T2", 2024, "de_xuat", "NSDP", "3000");

    await w.funding("T3", 2023, "uoc_thuc_hien", "NSDP", "200"); // no year-N figure: not listed
    await w.funding("Q1", 2024, "du_toan", "NSDP", "500");
    await w.funding("H1", 2024, "de_xuat", "NSDP", "800");
    await w.funding("H2", 2024, "de_xuat", "NSDP", "0"); // zero: not listed
  });
  afterEach(() => w.close());

  it("lists the tasks with a year-N figure, grouped carried-over / new and by level, with sums", async () => {
    const data = await computeForm(w.db, "pl03", 2024, 2);
    expect(data).toEqual({
      form: "pl03",
      year: 2024,
      generation: 2,
      rows: [
        row("group:I", "group", 1, null, { stt: "I", title: "Nhiệm vụ chuyển tiếp" }, {
          c1: 48660, c2: 30000, c3: 5000, c4: 10500, c5: 10000, c6: 9500, c7: 1000,
          c8: 22600, c9: 19600, c10: 3000, c11: 14000, c12: 12500, c13: 1500,
        }),
        row("group:I:QUOC_GIA", "group", 2, "group:I", { stt: "1", title: "Nhiệm vụ cấp quốc gia" }, { c1: 13660, c11: 500, c12: 500 }),
        row("task:Q1", "data", 3, "group:I:QUOC_GIA",
          { stt: "1.1", title: "Nhiệm vụ Q1", lead_org: "Sở KH&CN", period: "10/2021-03/2024" },
          { c1: 13660, c11: 500, c12: 500 }),
        row("group:I:TINH", "group", 4, "group:I", { stt: "2", title: "Nhiệm vụ cấp tỉnh" }, {
          c1: 35000, c2: 30000, c3: 5000, c4: 10500, c5: 10000, c6: 9500, c7: 1000,
          c8: 22600, c9: 19600, c10: 3000, c11: 13500, c12: 12000, c13: 1500,
        }),
        row("task:T1", "data", 5, "group:I:TINH", {
          stt: "2.1",
          title: "Ứng dụng công nghệ tưới tiết kiệm cho thanh long",
          lead_org: "Trung tâm Ứng dụng KH&CN",
          period: "01/2022-06/2025",
          decision: "1234/QĐ-UBND ngày 15/12/2021",
        }, {
          c1: 30000, c2: 25000, c3: 5000, c4: 8500, c5: 8000, c6: 7500, c7: 1000,
          c8: 20500, c9: 17500, c10: 3000, c11: 10500, c12: 9000, c13: 1500,
        }),
        row("task:T2", "data", 6, "group:I:TINH",
          { stt: "2.2", title: "Nhiệm vụ T2", lead_org: "Sở KH&CN", period: "03/2023-12/2024" },
          { c1: 5000, c2: 5000, c4: 2000, c5: 2000, c6: 2000, c8: 2100, c9: 2100, c11: 3000, c12: 3000 }),
        row("group:II", "group", 7, null, { stt: "II", title: "Nhiệm vụ mở mới" }, { c1: 800, c2: 800, c11: 800, c12: 800 }),
        row("group:II:HUYEN", "group", 8, "group:II", { stt: "1", title: "Nhiệm vụ cấp huyện" }, { c1: 800, c2: 800, c11: 800, c12: 800 }),
        row("task:H1", "data", 9, "group:II:HUYEN",
          { stt: "1.1", title: "Nhiệm vụ H1", lead_org: "Sở KH&CN", period: "02/2024-12/2024" },
          { c1: 800, c2: 800, c11: 800, c12: 800 }),
        row("total", "total", 10, null, { stt: null, title: "Tổng cộng" }, {
          c1: 49460, c2: 30800, c3: 5000, c4: 10500, c5: 10000, c6: 9500, c7: 1000,
          c8: 22600, c9: 19600, c10: 3000, c11: 14800, c12: 13300, c13: 1500,
        }),
      ],
    });
  });

  it("rules: groups and total equal their children; the unsplit task's Tổng is reported as not checked", async () => {
    const data = await computeForm(w.db, "pl03", 2024, 2);
    const results = await evaluateRules(w.db, "pl03", 2024, data);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const info = results.filter((r) => r.problem);
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ ok: true, rowKey: "task:Q1", column: "c1", actual: "13660", problem: { code: "RULE_NOT_APPLIED", severity: "info" } });

    data.rows.find((r) => r.rowKey === "group:I:TINH")!.values.c12 = 12001;
    const broken = (await evaluateRules(w.db, "pl03", 2024, data)).filter((r) => !r.ok);
    expect(broken.map((r) => [r.rule, r.rowKey, r.column, r.expected, r.actual])).toEqual([
      ["children_sum", "group:I", "c12", "12501", "12500"],
      ["children_sum", "group:I:TINH", "c12", "12000", "12001"],
      ["row_sum", "group:I:TINH", "c11", "13501", "13500"],
    ]);
    expect(broken.every((r) => r.problem?.code === "RULE_ARITHMETIC")).toBe(true);
  });

  it("lineage: cumulative = luy_ke N-1 where given, else luy_ke N-2 + uoc N-1; groups list their tasks' facts", async () => {
    const c9 = await formLineage(w.db, "pl03", 2024, "group:I:TINH", "c9");
    expect(c9.facts.map((f) => f.factId)).toEqual([ids.t1_uoc, ids.t1_lk22, ids.t2_lk23].sort((a, b) => a! - b!));
    const c13 = await formLineage(w.db, "pl03", 2024, "task:T1", "c13");
    expect(c13.facts).toMatchObject([{ factId: ids.t1_dx, table: "fact_task_funding", measure: "de_xuat", source: "NGOAI_NSNN", amount: "1500" }]);
    const c1 = await formLineage(w.db, "pl03", 2024, "task:Q1", "c1");
    expect(c1.facts).toMatchObject([{ table: "fact_task_approved", measure: null, year: null, source: "TONG", amount: "13660", office: "P.QLKH" }]);
    expect((await formLineage(w.db, "pl03", 2024, "total", "c11")).total).toBe(5);
  });
});
