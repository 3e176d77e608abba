import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import type { FormRow, FormValue } from "../../queries/types.js";
import { TestWarehouse } from "./warehouse.js";

const ind = (
  rowKey: string,
  kind: FormRow["kind"],
  sort: number,
  parentKey: string | null,
  stt: string,
  label: string,
  unit: string | null,
  c: [FormValue, FormValue, FormValue, FormValue, FormValue] = [null, null, null, null, null],
): FormRow => ({
  rowKey,
  kind,
  sort,
  parentKey,
  values: { stt, label, unit, c1: c[0], c2: c[1], c3: c[2], c4: c[3], c5: c[4], note: null },
});

describe("PL06 — state-management indicators (plan year 2024)", () => {
  let w: TestWarehouse;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // inserted out of the form's order: the areas' order decides
    await w.indicator("THU_SU_NGHIEP|doanh thu dich vu", "THU_SU_NGHIEP", "Doanh thu từ hoạt động dịch vụ", "triệu đồng");
    await w.indicatorFact("THU_SU_NGHIEP|doanh thu dich vu", 2022, "thuc_hien", "4223");
    await w.indicatorFact("THU_SU_NGHIEP|doanh thu dich vu", 2023, "thuc_hien_6t", "1564");

    await w.indicator("TT01", "THANH_TRA", "Số cơ sở được thanh tra, kiểm tra", "cơ sở");
    ids.plan = await w.indicatorFact("TT01", 2023, "ke_hoach", "337");
    ids.done = await w.indicatorFact("TT01", 2023, "thuc_hien_6t", "183");
    await w.indicatorFact("TT01", 2024, "ke_hoach", "350");
    await w.indicator("TT02", "THANH_TRA", "Tiền phạt vi phạm hành chính", "triệu đồng");
    await w.indicatorFact("TT02", 2023, "thuc_hien_6t", "24.5");

    await w.indicator("AT01", "ATBX", "Hồ sơ an toàn bức xạ đã giải quyết", "hồ sơ");
    await w.indicator("AT01a", "ATBX", "Cấp mới giấy phép", "hồ sơ", "AT01");
    await w.indicator("AT01b", "ATBX", "Gia hạn giấy phép", "hồ sơ", "AT01");
    await w.indicatorFact("AT01", 2023, "thuc_hien_6t", "35");
    await w.indicatorFact("AT01a", 2023, "thuc_hien_6t", "13");
    await w.indicatorFact("AT01b", 2023, "thuc_hien_6t", "8");

    await w.indicator("DN01", "DN_KHCN", "Doanh nghiệp KH&CN", "doanh nghiệp");
    await w.indicatorFact("DN01", 2023, "thuc_hien_6t", "22");
    // an indicator with no figure in 2022–2024: not listed
    await w.indicator("OLD", "TDC", "Chỉ tiêu cũ", "lượt");
    await w.indicatorFact("OLD", 2019, "thuc_hien", "5");
  });
  afterEach(() => w.close());

  it("lists areas as headings, indicators under them, 'of which' rows under their parent, ratio 3/2", async () => {
    const data = await computeForm(w.db, "pl06", 2024, 5);
    expect(data).toEqual({
      form: "pl06",
      year: 2024,
      generation: 5,
      rows: [
        ind("area:ATBX", "heading", 1, null, "I", "An toàn bức xạ", null),
        ind("ind:AT01", "data", 2, "area:ATBX", "1", "Hồ sơ an toàn bức xạ đã giải quyết", "hồ sơ", [null, null, 35, null, null]),
        ind("ind:AT01a", "data", 3, "ind:AT01", "1.1", "Cấp mới giấy phép", "hồ sơ", [null, null, 13, null, null]),
        ind("ind:AT01b", "data", 4, "ind:AT01", "1.2", "Gia hạn giấy phép", "hồ sơ", [null, null, 8, null, null]),
        ind("area:THANH_TRA", "heading", 5, null, "II", "Thanh tra, kiểm tra", null),
        ind("ind:TT01", "data", 6, "area:THANH_TRA", "1", "Số cơ sở được thanh tra, kiểm tra", "cơ sở", [null, 337, 183, 54.3, 350]),
        ind("ind:TT02", "data", 7, "area:THANH_TRA", "2", "Tiền phạt vi phạm hành chính", "triệu đồng", [null, null, 24.5, null, null]),
        ind("area:DN_KHCN", "heading", 8, null, "III", "Doanh nghiệp KH&CN", null),
        ind("ind:DN01", "data", 9, "area:DN_KHCN", "1", "Doanh nghiệp KH&CN", "doanh nghiệp", [null, null, 22, null, null]),
        ind("area:THU_SU_NGHIEP", "heading", 10, null, "IV", "Thu sự nghiệp", null),
        ind("ind:THU_SU_NGHIEP|doanh thu dich vu", "data", 11, "area:THU_SU_NGHIEP", "1", "Doanh thu từ hoạt động dịch vụ", "triệu đồng", [4223, null, 1564, null, null]),
      ],
    });
  });

  it("rules: the ratio holds; a wrong one is reported with both figures", async () => {
    const data = await computeForm(w.db, "pl06", 2024, 5);
    const results = await evaluateRules(w.db, "pl06", 2024, data);
    expect(results).toMatchObject([{ rule: "ratio", rowKey: "ind:TT01", column: "c4", ok: true, expected: "54.3", actual: "54.3" }]);
    data.rows[5]!.values.c4 = 54;
    const broken = (await evaluateRules(w.db, "pl06", 2024, data)).filter((r) => !r.ok);
    expect(broken).toMatchObject([{ rowKey: "ind:TT01", expected: "54.3", actual: "54", problem: { code: "RULE_ARITHMETIC" } }]);
  });

  it("lineage of the ratio lists both figures' facts", async () => {
    const l = await formLineage(w.db, "pl06", 2024, "ind:TT01", "c4");
    expect(l.facts.map((f) => [f.factId, f.table, f.measure, f.source, f.amount])).toEqual([
      [ids.plan, "fact_indicator", "ke_hoach", null, "337"],
      [ids.done, "fact_indicator", "thuc_hien_6t", null, "183"],
    ]);
  });
});
