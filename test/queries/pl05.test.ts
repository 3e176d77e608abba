import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { computeForm, evaluateRules, formLineage } from "../../queries/compute.js";
import type { FormRow } from "../../queries/types.js";
import { TestWarehouse, type TaskInput } from "./warehouse.js";

const LEVELS: [string, string][] = [
  ["QUOC_GIA", "Nhiệm vụ cấp quốc gia"],
  ["BO", "Nhiệm vụ cấp bộ"],
  ["TINH", "Nhiệm vụ cấp tỉnh"],
  ["CO_SO", "Nhiệm vụ cấp cơ sở"],
  ["HUYEN", "Nhiệm vụ cấp huyện"],
  ["KHAC", "Nhiệm vụ khác"],
];
const FIELDS: [string, string][] = [
  ["TU_NHIEN", "Khoa học tự nhiên"],
  ["KY_THUAT", "Khoa học kỹ thuật và công nghệ"],
  ["Y_DUOC", "Khoa học y, dược"],
  ["NONG_NGHIEP", "Khoa học nông nghiệp"],
  ["XA_HOI", "Khoa học xã hội"],
  ["NHAN_VAN", "Khoa học nhân văn"],
  ["CHUA_PHAN_LOAI", "Chưa phân loại"],
];
type Counts = [number, number, number, number, number, number];
const ZERO: Counts = [0, 0, 0, 0, 0, 0];
const counts = (c: Counts) => ({ c1: c[0], c2: c[1], c3: c[2], c4: c[3], c5: c[4], c6: c[5] });

describe("PL05 — task counts for N-1 (plan year 2024)", () => {
  let w: TestWarehouse;

  beforeEach(async () => {
    w = await TestWarehouse.create();
    // the seed's 18 district tasks managed in 2023
    const base = { level: "HUYEN" as const, approved: { TONG: "100", NSDP: "100" } };
    const tasks: TaskInput[] = [];
    for (let i = 1; i <= 18; i++) {
      tasks.push({
        ...base,
        code: `H${String(i).padStart(2, "0")}`,
        field: i <= 10 ? "NONG_NGHIEP" : "KY_THUAT",
        piGender: i % 4 === 0 ? "NU" : "NAM", // 4, 8, 12, 16
        start: i <= 5 ? "2023-03" : "2022-06", // 5 new in 2023, 13 carried over
        end: "2023-12",
      });
    }
    tasks[5] = { ...tasks[5]!, status: "DA_NGHIEM_THU", acceptedOn: "2023-11-20" }; // H06: accepted in 2023
    tasks[6] = { ...tasks[6]!, status: "DA_UNG_DUNG", acceptedOn: "2023-05-02" }; // H07: accepted in 2023, applied
    tasks[7] = { ...tasks[7]!, status: "DA_NGHIEM_THU" }; // H08: no date: its end month, 2023
    tasks[8] = { ...tasks[8]!, status: "DA_NGHIEM_THU", acceptedOn: "2024-01-15", end: "2023-12" }; // H09: accepted in 2024
    for (const t of tasks) await w.task(t);
    // not counted: ended in 2022, starts in 2024
    await w.task({ code: "T-OLD", level: "TINH", start: "2021-01", end: "2022-12", approved: { TONG: "1" } });
    await w.task({ code: "T-NEW", level: "TINH", start: "2024-01", end: "2025-12", approved: { TONG: "1" } });
    // one provincial task in 2023, field unknown
    await w.task({ code: "T1", level: "TINH", field: "CHUA_PHAN_LOAI", piGender: "NU", start: "2023-07", end: "2025-06", approved: { TONG: "1" } });
  });
  afterEach(() => w.close());

  it("counts by level (all six kept) and by field, both blocks with their subtotal", async () => {
    const data = await computeForm(w.db, "pl05", 2024, 4);
    const byLevel: Record<string, Counts> = { TINH: [1, 1, 1, 0, 0, 0], HUYEN: [18, 4, 5, 13, 3, 1] };
    const byField: Record<string, Counts> = {
      NONG_NGHIEP: [10, 2, 5, 5, 3, 1],
      KY_THUAT: [8, 2, 0, 8, 0, 0],
      CHUA_PHAN_LOAI: [1, 1, 1, 0, 0, 0],
    };
    const total: Counts = [19, 5, 6, 13, 3, 1];
    const rows: FormRow[] = [
      { rowKey: "level_total", kind: "total", sort: 1, parentKey: null, values: { label: "1.1 Theo cấp quản lý", ...counts(total) } },
      ...LEVELS.map(([code, label], i): FormRow => ({
        rowKey: `level:${code}`, kind: "data", sort: i + 2, parentKey: "level_total", values: { label, ...counts(byLevel[code] ?? ZERO) },
      })),
      { rowKey: "field_total", kind: "total", sort: 8, parentKey: null, values: { label: "1.2 Theo lĩnh vực", ...counts(total) } },
      ...FIELDS.map(([code, label], i): FormRow => ({
        rowKey: `field:${code}`, kind: "data", sort: i + 9, parentKey: "field_total", values: { label, ...counts(byField[code] ?? ZERO) },
      })),
    ];
    expect(data).toEqual({ form: "pl05", year: 2024, generation: 4, rows });
  });

  it("rules: subtotals equal their rows and each other; a broken count is reported", async () => {
    const data = await computeForm(w.db, "pl05", 2024, 4);
    const ok = await evaluateRules(w.db, "pl05", 2024, data);
    expect(ok.filter((r) => !r.ok)).toEqual([]);
    expect(ok.length).toBe(18);
    data.rows.find((r) => r.rowKey === "field_total")!.values.c1 = 18;
    const broken = (await evaluateRules(w.db, "pl05", 2024, data)).filter((r) => !r.ok);
    expect(broken.map((r) => [r.rule, r.rowKey, r.column, r.expected, r.actual])).toEqual([
      ["children_sum", "field_total", "c1", "19", "18"],
      ["equal_rows", "level_total", "c1", "18", "19"],
    ]);
  });

  it("lineage of a count lists the register fact of each task counted", async () => {
    const l = await formLineage(w.db, "pl05", 2024, "level:HUYEN", "c5");
    expect(l.total).toBe(3);
    expect(l.facts.every((f) => f.table === "fact_task_approved" && f.source === "TONG" && f.fileId === "P.QLKH/danh muc nhiem vu.xlsx")).toBe(true);
  });
});
