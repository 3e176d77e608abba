// List forms (PL03, PL04, PL06): the body is rebuilt from the data; rows already there are kept
// (by task code or title) so that the staff's notes stay with their task.
import { describe, expect, it } from "vitest";
import type ExcelJS from "exceljs";
import { locateForms, planForm } from "../../../fill/engine/index.js";
import type { FormPlan, GridSnapshot } from "../../../fill/engine/types.js";
import type { FormData } from "../../../queries/types.js";
import { pl03Data, pl04Data, SEED_PL04 } from "./data.js";
import { B, FORMS, applyPlan, form, grids, n, rowOf, s, sheet, template } from "./helpers.js";

async function plan(code: string, data: FormData, edit: (ws: ExcelJS.Worksheet) => void = () => {}): Promise<{ plan: FormPlan; before: GridSnapshot; after: GridSnapshot }> {
  const wb = await template();
  edit(wb.getWorksheet(code.toUpperCase())!);
  const snaps = await grids(wb);
  const loc = locateForms(snaps, FORMS, 2024).find((l) => l.form === code)!;
  expect(loc.status).toBe("found");
  const before = sheet(snaps, loc.sheetName!);
  const p = planForm(loc, before, form(code), data);
  return { plan: p, before, after: applyPlan(before, p) };
}

const [QG1, QG2, QG3] = SEED_PL04;

describe("PL04", () => {
  it("on our template: the empty row takes the first task, the others are inserted with its format", async () => {
    const { plan: p, after } = await plan("pl04", pl04Data(SEED_PL04));
    expect(p.rowOps).toEqual([{ op: "insert", at: 7, count: 2, formatFrom: 6 }]);
    expect(p.blocks).toEqual([
      {
        row: 6,
        col: 1,
        cells: [
          [s("1"), s(QG1.title), s(QG1.org!), s(QG1.period!), B, n(20970), n(20970), B, B],
          [s("2"), s(QG2.title), s(QG2.org!), s(QG2.period!), s(QG2.decision!), n(13660), n(10880), n(1500), n(1280)],
          [s("3"), s(QG3.title), s(QG3.org!), s(QG3.period!), B, n(24000), n(6780), B, n(17220)],
          [null, null, null, null, null, { f: "=SUM(F6:F8)" }, { f: "=SUM(G6:G8)" }, { f: "=SUM(H6:H8)" }, { f: "=SUM(I6:I8)" }],
        ],
      },
    ]);
    expect(p.rowsAdded).toEqual(["QG-01", "QG-02", "QG-03"]);
    expect(p.rowsRemoved).toEqual([]);
    expect(p.problems).toEqual([]);
    expect(p.lineage).toContainEqual({ row: 7, col: 6, lineageId: "pl04:2024:7:task:QG-02:c1" });
    expect(p.lineage.some((l) => l.row === 9)).toBe(false); // formulas carry no lineage
    expect(rowOf(after, 9, 1, 9)).toEqual([null, "Tổng cộng", null, null, null, "=SUM(F6:F8)", "=SUM(G6:G8)", "=SUM(H6:H8)", "=SUM(I6:I8)"]);
  });

  it("last year's rows: matched by title, the note stays with its task, a finished task is removed", async () => {
    const { plan: p, after } = await plan("pl04", pl04Data(SEED_PL04), (ws) => {
      ws.getRow(6).values = ["1", "Nhiệm vụ cũ đã kết thúc", "Viện X", "2019-2022", null, 500, 500, null, null, "đã nghiệm thu"];
      ws.spliceRows(7, 0, ["2", QG2.title.toUpperCase(), QG2.org, QG2.period, null, 999, 999, null, null, "Chờ quyết toán"]);
      for (const c of ["F", "G", "H", "I"]) ws.getCell(`${c}8`).value = { formula: `SUM(${c}6:${c}7)`, result: 1499 };
    });
    expect(p.rowOps).toEqual([
      { op: "insert", at: 6, count: 1, formatFrom: 6 },
      { op: "insert", at: 9, count: 1, formatFrom: 7 },
      { op: "delete", at: 7, count: 1 },
    ]);
    expect(p.rowsAdded).toEqual(["QG-01", "QG-03"]);
    expect(p.rowsRemoved).toEqual(["Nhiệm vụ cũ đã kết thúc"]);
    expect(rowOf(after, 6, 2, 10)).toEqual([QG1.title, QG1.org, QG1.period, null, 20970, 20970, null, null, null]);
    expect(rowOf(after, 7, 2, 10)).toEqual([QG2.title, QG2.org, QG2.period, QG2.decision, 13660, 10880, 1500, 1280, "Chờ quyết toán"]);
    expect(rowOf(after, 8, 2, 10)).toEqual([QG3.title, QG3.org, QG3.period, null, 24000, 6780, null, 17220, null]);
    expect(rowOf(after, 9, 1, 6)).toEqual([null, "Tổng cộng", null, null, null, "=SUM(F6:F8)"]);
    expect(after.values.length).toBe(9);
    expect(p.changes).toContainEqual({ row: 7, col: 6, old: 999, new: 13660 });
  });

  it("matched by the code in a staff column even when the title was reworded", async () => {
    const { plan: p, after } = await plan("pl04", pl04Data([QG2]), (ws) => {
      ws.getCell("K4").value = "Mã NV";
      ws.getRow(6).values = ["1", "Thiết bị trục vớt lục bình (tên cũ)", "BK", "2021-2024", null, 1, 1, null, null, "ghi chú giữ lại", "QG-02"];
    });
    expect(p.rowOps).toEqual([]);
    expect(p.rowsAdded).toEqual([]);
    expect(p.rowsRemoved).toEqual([]);
    expect(rowOf(after, 6, 1, 11)).toEqual(["1", QG2.title, QG2.org, QG2.period, QG2.decision, 13660, 10880, 1500, 1280, "ghi chú giữ lại", "QG-02"]);
  });

  it("sums as plain numbers in the total row are filled from the data", async () => {
    const { plan: p } = await plan("pl04", pl04Data([QG2]), (ws) => {
      for (const c of ["F", "G", "H", "I"]) ws.getCell(`${c}7`).value = 7;
    });
    expect(p.blocks[0].cells[1]).toEqual([null, null, null, null, null, n(13660), n(10880), n(1500), n(1280)]);
    expect(p.lineage).toContainEqual({ row: 7, col: 6, lineageId: "pl04:2024:7:total:c1" });
  });

  it("no task at all: one empty row stays, the last figures are cleared", async () => {
    const { plan: p } = await plan("pl04", pl04Data([]), (ws) => {
      ws.getRow(6).values = ["1", "Nhiệm vụ cũ", "Viện X", "2019-2022", null, 500, 500, null, null, "ghi chú"];
    });
    expect(p.rowOps).toEqual([{ op: "insert", at: 6, count: 1, formatFrom: 6 }, { op: "delete", at: 7, count: 1 }]);
    expect(p.blocks[0].cells[0]).toEqual([B, B, B, B, B, B, B, B, B]);
    expect(p.rowsRemoved).toEqual(["Nhiệm vụ cũ"]);
  });
});

describe("PL03", () => {
  it("groups and tasks on our template; text from data stays text; total sums the top groups", async () => {
    const { plan: p, after } = await plan("pl03", pl03Data());
    expect(p.rowOps).toEqual([{ op: "insert", at: 8, count: 6, formatFrom: 7 }]);
    const col = (r: number) => p.blocks[0].cells[r - 7];
    expect(p.blocks.length).toBe(1);
    expect(p.blocks[0].row).toBe(7);
    expect(col(7).slice(0, 2)).toEqual([s("I"), s("I. Nhiệm vụ chuyển tiếp")]);
    expect(col(9).slice(0, 6)).toEqual([B, s("Nghiên cứu giống lúa"), s("Sở KH&CN"), s("01/2023-12/2025"), s("=1+1"), n(300)]);
    expect(col(14).slice(5, 8)).toEqual([{ f: "=SUM(F7,F11)" }, { f: "=SUM(G7,G11)" }, { f: "=SUM(H7,H11)" }]);
    expect(rowOf(after, 14, 2, 2)).toEqual(["Tổng cộng"]);
    expect(p.rowsAdded).toEqual(["T-01", "T-02", "H-01"]);
  });

  it("last year's body with groups: tasks found again inside their group, the note column untouched", async () => {
    const d = pl03Data();
    const { plan: p, after } = await plan("pl03", d, (ws) => {
      ws.getRow(7).values = ["I", "Nhiệm vụ chuyển tiếp", null, null, null, { formula: "SUM(F8)", result: 2 }];
      ws.spliceRows(8, 0,
        ["1", "Nhiệm vụ cấp tỉnh", null, null, null, { formula: "SUM(F9:F10)", result: 2 }],
        [null, "Nghiên cứu giống lúa", "Sở KH&CN", "2023-2025", null, 1, 1, null, 1, 1, 1, null, 1, 1, null, 1, 1, null, "ghi chú lúa"],
        [null, "Nhiệm vụ đã xong", "Sở KH&CN", "2021-2023", null, 1, 1, null, 1, 1, 1, null, 1, 1, null, 1, 1, null, "xong"],
        ["II", "Nhiệm vụ mở mới"],
        ["1", "Nhiệm vụ cấp tỉnh"],
        [null, "Nhiệm vụ mở mới năm ngoái", "Sở KH&CN", "2023", null, 1, 1, null, 1, 1, 1, null, 1, 1, null, 1, 1, null, "ngoái"],
      );
    });
    // old: 7 I, 8 TINH, 9 lúa, 10 xong, 11 II, 12 II:TINH, 13 ngoái, 14 total
    // new: I, I:TINH, T-01 (lúa), T-02, II, II:HUYEN, H-01
    expect(p.rowsRemoved).toEqual(["Nhiệm vụ đã xong", "Nhiệm vụ mở mới năm ngoái"]);
    expect(p.rowsAdded).toEqual(["T-02", "H-01"]);
    const titles = [7, 8, 9, 10, 11, 12, 13, 14].map((r) => rowOf(after, r, 2, 2)[0]);
    expect(titles).toEqual(["I. Nhiệm vụ chuyển tiếp", "Nhiệm vụ cấp tỉnh", "Nghiên cứu giống lúa", "Nghiên cứu cá chốt sọc", "II. Nhiệm vụ mở mới", "Nhiệm vụ cấp huyện", "Mô hình nuôi lươn", "Tổng cộng"]);
    expect(rowOf(after, 9, 19, 19)).toEqual(["ghi chú lúa"]);
    // the old group rows summed with formulas: so do the kept and the inserted ones, over the new body
    expect(rowOf(after, 7, 6, 6)).toEqual(["=SUM(F8)"]);
    expect(rowOf(after, 8, 6, 6)).toEqual(["=SUM(F9:F10)"]);
    expect(rowOf(after, 12, 6, 6)).toEqual(["=SUM(F13)"]);
    expect(rowOf(after, 11, 6, 6)).toEqual([null]); // "II" held no formula: its (empty) figure from the data
    expect(rowOf(after, 10, 19, 19)).toEqual([null]);
    expect(after.values.length).toBe(14);
    expect(d.rows.length).toBe(8);
  });
});

describe("PL06", () => {
  it("headings and indicators; no total row; units written as text", async () => {
    const data: FormData = {
      form: "pl06", year: 2024, generation: 3,
      rows: [
        { rowKey: "area:TT", kind: "heading", sort: 1, parentKey: null, values: { stt: "I", label: "Thanh tra, kiểm tra" } },
        { rowKey: "ind:tt_co_so", kind: "data", sort: 2, parentKey: "area:TT", values: { stt: "1", label: "Số cơ sở được thanh tra, kiểm tra", unit: "cơ sở", c1: 300, c2: 337, c3: 183, c4: 54.3, c5: 350 } },
        { rowKey: "ind:tt_phat", kind: "data", sort: 3, parentKey: "area:TT", values: { stt: "2", label: "Tiền phạt", unit: "đồng", c1: null, c2: null, c3: 24500000, c4: null, c5: null } },
      ],
    };
    const { plan: p } = await plan("pl06", data, (ws) => {
      ws.getCell("A10").value = "Người lập biểu"; // signature block under the table
    });
    expect(p.rowOps).toEqual([{ op: "insert", at: 7, count: 2, formatFrom: 6 }]);
    expect(p.blocks).toEqual([
      {
        row: 6,
        col: 1,
        cells: [
          [s("I"), s("Thanh tra, kiểm tra"), B, B, B, B, B, B],
          [s("1"), s("Số cơ sở được thanh tra, kiểm tra"), s("cơ sở"), n(300), n(337), n(183), n(54.3), n(350)],
          [s("2"), s("Tiền phạt"), s("đồng"), B, B, n(24500000), B, B],
        ],
      },
    ]);
    expect(p.rowsAdded).toEqual(["tt_co_so", "tt_phat"]);
  });

  it("a row added is named by its code, or by its label where the key was made up for a row without one", async () => {
    const data: FormData = {
      form: "pl06", year: 2024, generation: 3,
      rows: [
        { rowKey: "area:TT", kind: "heading", sort: 1, parentKey: null, values: { stt: "I", label: "Thanh tra, kiểm tra" } },
        { rowKey: "ind:TDC.01", kind: "data", sort: 2, parentKey: "area:TT", values: { stt: "1", label: "Số phương tiện đo được kiểm định", unit: "phương tiện", c3: 12 } },
        { rowKey: "ind:THANH_TRA|so co so duoc thanh tra", kind: "data", sort: 3, parentKey: "area:TT", values: { stt: "2", label: "Số cơ sở được thanh tra", unit: "cơ sở", c3: 183 } },
      ],
    };
    const { plan: p } = await plan("pl06", data, () => {});
    expect(p.rowsAdded).toEqual(["TDC.01", "Số cơ sở được thanh tra"]);
  });
});

describe("list body shapes", () => {
  it("a total row on top, a blank row inside the body and a signature block below", async () => {
    const { plan: p, after } = await plan("pl04", pl04Data([QG2, QG3]), (ws) => {
      ws.getRow(6).values = [null, "TỔNG CỘNG", null, null, null, 1499, 1499, 0, 0];
      ws.getRow(7).values = ["1", QG2.title, "BK", "2021-2024", null, 999, 999, null, null, "chờ quyết toán"];
      ws.getRow(9).values = ["2", "Nhiệm vụ đã xong", "Viện", "2019-2022", null, 500, 500, null, null, "xong"];
      ws.getRow(12).values = [null, "Người lập biểu", null, null, null, null, null, null, null, "Thủ trưởng đơn vị"];
    });
    // body rows 7…9 (9 is the last with a figure): 7 kept, 8 (blank) takes QG-03, 9 deleted
    expect(p.rowOps).toEqual([{ op: "delete", at: 9, count: 1 }]);
    expect(p.rowsAdded).toEqual(["QG-03"]);
    expect(p.rowsRemoved).toEqual(["Nhiệm vụ đã xong"]);
    expect(p.blocks[0].row).toBe(6);
    expect(p.blocks[0].cells[0]).toEqual([null, null, null, null, null, n(37660), n(17660), n(1500), n(18500)]);
    expect(rowOf(after, 7, 2, 2)).toEqual([QG2.title]);
    expect(rowOf(after, 7, 10, 10)).toEqual(["chờ quyết toán"]);
    expect(rowOf(after, 8, 2, 2)).toEqual([QG3.title]);
    expect(rowOf(after, 11, 2, 2)).toEqual(["Người lập biểu"]);
  });
});
