import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import { TestWarehouse } from "./warehouse.js";

describe("PL04 — national and ministry tasks carried out in the province (plan year 2024)", () => {
  let w: TestWarehouse;

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // the seed's three national tasks of 2023
    await w.task({
      code: "QG-BO",
      title: "Nghiên cứu ứng dụng công nghệ sinh học sinh sản bò thịt nhân bản",
      level: "QUOC_GIA",
      leadOrg: "Trường ĐH Quốc tế, ĐHQG TP.HCM",
      start: "2016-12",
      end: "2023-11",
      approved: { TONG: "20970" },
    });
    await w.task({
      code: "QG-LB",
      title: "Nghiên cứu, thiết kế và chế tạo tổ hợp thiết bị thu gom, tiền xử lý và trục vớt lục bình",
      level: "QUOC_GIA",
      leadOrg: "ĐH Bách khoa TP.HCM",
      decision: "3312/QĐ-BKHCN ngày 30/11/2020",
      start: "2021-10",
      end: "2024-03",
      approved: { TONG: "13660", NSTW: "10880", NSDP: "1500", NGOAI_NSNN: "1280" },
    });
    await w.task({
      code: "QG-TG",
      title: "Tuyển chọn, phát triển hai giống cây dược liệu Tràm gió, Tràm Trà",
      level: "QUOC_GIA",
      leadOrg: "Công ty CP Nghiên cứu Bảo tồn và Phát triển Dược liệu Đồng Tháp Mười",
      start: "2022-12",
      end: "2025-12",
      approved: { TONG: "24000", NSTW: "6780", NGOAI_NSNN: "17220" },
    });
    // not listed: a ministry task that ended in 2022, a provincial task
    await w.task({ code: "BO-OLD", level: "BO", start: "2020-01", end: "2022-12", approved: { TONG: "900", NSTW: "900" } });
    await w.task({ code: "T1", level: "TINH", start: "2023-01", end: "2024-12", approved: { TONG: "500", NSDP: "500" } });
  });
  afterEach(() => w.close());

  it("lists the tasks active in N-1 or N, an unsplit one with blank parts, and the total", async () => {
    const data = await computeForm(w.db, "pl04", 2024, 1);
    const texts = (stt: string | null, title: string, lead_org: string | null, period: string | null, decision: string | null = null) => ({
      stt, title, lead_org, period, decision,
    });
    expect(data).toEqual({
      form: "pl04",
      year: 2024,
      generation: 1,
      rows: [
        {
          rowKey: "task:QG-BO", kind: "data", sort: 1, parentKey: null,
          values: {
            ...texts("1", "Nghiên cứu ứng dụng công nghệ sinh học sinh sản bò thịt nhân bản", "Trường ĐH Quốc tế, ĐHQG TP.HCM", "12/2016-11/2023"),
            c1: 20970, c2: null, c3: null, c4: null, note: null,
          },
        },
        {
          rowKey: "task:QG-LB", kind: "data", sort: 2, parentKey: null,
          values: {
            ...texts("2", "Nghiên cứu, thiết kế và chế tạo tổ hợp thiết bị thu gom, tiền xử lý và trục vớt lục bình", "ĐH Bách khoa TP.HCM", "10/2021-03/2024", "3312/QĐ-BKHCN ngày 30/11/2020"),
            c1: 13660, c2: 10880, c3: 1500, c4: 1280, note: null,
          },
        },
        {
          rowKey: "task:QG-TG", kind: "data", sort: 3, parentKey: null,
          values: {
            ...texts("3", "Tuyển chọn, phát triển hai giống cây dược liệu Tràm gió, Tràm Trà", "Công ty CP Nghiên cứu Bảo tồn và Phát triển Dược liệu Đồng Tháp Mười", "12/2022-12/2025"),
            c1: 24000, c2: 6780, c3: null, c4: 17220, note: null,
          },
        },
        {
          rowKey: "total", kind: "total", sort: 4, parentKey: null,
          values: { ...texts(null, "Tổng cộng", null, null), c1: 58630, c2: 17660, c3: 1500, c4: 18500, note: null },
        },
      ],
    });
  });

  it("rules: the total holds; 1 = 2+3+4 holds where split and is reported as not applied where unsplit", async () => {
    const data = await computeForm(w.db, "pl04", 2024, 1);
    const results = await evaluateRules(w.db, "pl04", 2024, data);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.filter((r) => r.rule === "row_sum").map((r) => [r.rowKey, r.ok, r.problem?.code ?? null])).toEqual([
      ["task:QG-BO", true, "RULE_NOT_APPLIED"],
      ["task:QG-LB", true, null],
      ["task:QG-TG", true, null],
    ]);
    data.rows[1]!.values.c3 = 1600;
    const broken = (await evaluateRules(w.db, "pl04", 2024, data)).filter((r) => !r.ok);
    expect(broken.map((r) => [r.rule, r.rowKey, r.column, r.expected, r.actual])).toEqual([
      ["sum_rows", "total", "c3", "1600", "1500"],
      ["row_sum", "task:QG-LB", "c1", "13760", "13660"],
    ]);
  });

  it("lineage of the total's NSTW lists the register facts", async () => {
    const l = await formLineage(w.db, "pl04", 2024, "total", "c2");
    expect(l.facts.map((f) => [f.table, f.source, f.amount])).toEqual([
      ["fact_task_approved", "NSTW", "10880"],
      ["fact_task_approved", "NSTW", "6780"],
    ]);
  });
});
