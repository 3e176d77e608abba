// Phase one on real copies: which sheet is which form, where its header is, the copy's own year.
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { locateForms, planWorkbook } from "../../../fill/engine/index.js";
import { pl01Data, pl02Data, pl03Data } from "./data.js";
import { FORMS, applyPlan, grids, n, rowOf, sheet, template } from "./helpers.js";

/** Copy a sheet's values, styles and merges into a new sheet (what Excel's "Move or Copy" does). */
function copySheet(wb: ExcelJS.Workbook, from: string, name: string): ExcelJS.Worksheet {
  const src = wb.getWorksheet(from)!;
  const dst = wb.addWorksheet(name);
  src.eachRow({ includeEmpty: true }, (row, r) =>
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const d = dst.getCell(r, c);
      if (!(cell.isMerged && cell.master !== cell)) d.value = cell.value;
      d.style = { ...cell.style };
    }),
  );
  for (const m of (src.model as { merges?: string[] }).merges ?? []) dst.mergeCells(m);
  return dst;
}

/** Insert a column the way Excel does (exceljs's spliceColumns leaves merges behind). */
function insertColumn(ws: ExcelJS.Worksheet, at: number): void {
  const merges = [...((ws.model as { merges?: string[] }).merges ?? [])];
  for (const m of merges) ws.unMergeCells(m);
  const last = ws.columnCount;
  ws.eachRow({ includeEmpty: true }, (row) => {
    for (let c = last; c >= at; c--) {
      row.getCell(c + 1).value = row.getCell(c).value;
      row.getCell(c + 1).style = { ...row.getCell(c).style };
    }
    row.getCell(at).value = null;
  });
  for (const m of merges) {
    const [a, b] = m.split(":").map((ref) => ws.getCell(ref));
    const shift = (c: number) => (c >= at ? c + 1 : c);
    ws.mergeCells(Number(a.row), shift(Number(a.col)), Number(b.row), shift(Number(b.col)));
  }
}

const status = (l: ReturnType<typeof locateForms>) => Object.fromEntries(l.map((x) => [x.form, [x.status, x.sheetName]]));

describe("locateForms", () => {
  it("finds the six forms of our template with their header rows and year", async () => {
    const snaps = await grids(await template());
    const loc = locateForms(snaps, FORMS, 2024);
    expect(status(loc)).toEqual({
      pl01: ["found", "PL01"], pl02: ["found", "PL02"], pl03: ["found", "PL03"],
      pl04: ["found", "PL04"], pl05: ["found", "PL05"], pl06: ["found", "PL06"],
    });
    const pl03 = loc.find((l) => l.form === "pl03")!;
    expect([pl03.headerTop, pl03.headerBottom, pl03.numberRow, pl03.bodyStart, pl03.templateYear]).toEqual([4, 5, 6, 7, 2024]);
    expect(pl03.columns).toEqual({ stt: 1, title: 2, lead_org: 3, period: 4, decision: 5, c1: 6, c2: 7, c3: 8, c4: 9, c5: 10, c6: 11, c7: 12, c8: 13, c9: 14, c10: 15, c11: 16, c12: 17, c13: 18, note: 19 });
    expect(loc.every((l) => l.missingColumns.length === 0 && l.problems.length === 0)).toBe(true);
    expect(loc.find((l) => l.form === "pl04")!.templateYear).toBeNull(); // no year in its headers or title
  });

  it("a renamed sheet is recognised by its title text; a form not present is reported with the reason", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL02")!;
    ws.name = "Sheet3";
    ws.getCell("A1").value = "Biểu số 2";
    wb.removeWorksheet(wb.getWorksheet("PL05")!.id);
    const snaps = await grids(wb);
    const loc = locateForms(snaps, FORMS, 2024);
    expect(status(loc).pl02).toEqual(["found", "Sheet3"]);
    const pl05 = loc.find((l) => l.form === "pl05")!;
    expect(pl05.status).toBe("not_found");
    expect(pl05.problems.map((p) => [p.code, p.severity, p.place.form])).toEqual([["E_FORM_NOT_FOUND", "error", "pl05"]]);
    expect(pl05.problems[0].en).toMatch(/not found/);
    // the nearest sheet's reason in the officer's language, not English inside the Vietnamese
    expect(pl05.problems[0].vi).toMatch(/gần nhất: .+: (tiêu đề cột: nhận ra \d+\/\d+ cột|không có tên biểu|đã thuộc về biểu khác)/);
    expect(pl05.problems[0].vi).not.toMatch(/recognised|claimed by|no title/);
    expect(pl05.problems[0].en).toMatch(/nearest: .+: (header: \d+\/\d+ columns recognised|no title|claimed by another form)/);
  });

  it("two look-alike sheets are ambiguous and filled by neither, unless the user picks one", async () => {
    const wb = await template();
    copySheet(wb, "PL02", "PL2 (2)");
    const snaps = await grids(wb);
    const wp = planWorkbook(snaps, FORMS, [pl02Data()], 2024);
    expect(wp.forms.some((f) => f.form === "pl02")).toBe(false);
    const amb = wp.problems.find((p) => p.code === "E_FORM_AMBIGUOUS")!;
    expect(amb.place.form).toBe("pl02");
    expect(amb.data).toEqual({ sheets: ["PL02", "PL2 (2)"] });
    const picked = planWorkbook(snaps, FORMS, [pl02Data()], 2024, { pl02: "PL2 (2)" });
    const plan = picked.forms.find((f) => f.form === "pl02")!;
    expect(plan.sheetName).toBe("PL2 (2)");
    expect(plan.blocks.map((b) => [b.row, b.col])).toEqual([[7, 3]]);
    expect(picked.problems.filter((p) => p.place.form === "pl02")).toEqual([]);
  });

  it("last year's copy (made for 2022): N read from its headers, columns by relative year, years rewritten", async () => {
    const wb = await template(2022);
    wb.getWorksheet("PL01")!.getCell("A3").value = "(Kèm theo Công văn số 938/BKHCN-KHTC ngày 06/4/2021) Đơn vị tính: triệu đồng";
    const snaps = await grids(wb);
    const wp = planWorkbook(snaps, FORMS, [pl01Data()], 2024);
    const loc = wp.located.find((l) => l.form === "pl01")!;
    expect(loc.templateYear).toBe(2022);
    expect(loc.columns).toEqual({ label: 1, ma_so: 2, c1: 3, c2: 4, c3: 5, c4: 6, c5: 7, c6: 8, c7: 9, note: 10 });
    const plan = wp.forms.find((f) => f.form === "pl01")!;
    expect(plan.headerRewrites).toEqual([
      { row: 2, col: 1, old: "TÌNH HÌNH THỰC HIỆN DỰ TOÁN CHI NSNN CHO KH&CN NĂM 2020, 6 THÁNG ĐẦU NĂM 2021 VÀ ƯỚC THỰC HIỆN NĂM 2021", new: "TÌNH HÌNH THỰC HIỆN DỰ TOÁN CHI NSNN CHO KH&CN NĂM 2022, 6 THÁNG ĐẦU NĂM 2023 VÀ ƯỚC THỰC HIỆN NĂM 2023" },
      { row: 4, col: 3, old: "Dự toán năm 2020", new: "Dự toán năm 2022" },
      { row: 4, col: 4, old: "Thực hiện năm 2020", new: "Thực hiện năm 2022" },
      { row: 4, col: 5, old: "Dự toán năm 2021", new: "Dự toán năm 2023" },
      { row: 4, col: 6, old: "Thực hiện 6 tháng đầu năm 2021", new: "Thực hiện 6 tháng đầu năm 2023" },
      { row: 4, col: 8, old: "Ước thực hiện năm 2021", new: "Ước thực hiện năm 2023" },
    ]);
    expect(plan.problems.map((p) => p.code)).toEqual(["W_FORM_LAST_YEAR_COPY"]);
    expect(plan.blocks[0].cells[8]).toEqual([n(90), n(80), n(100), n(34.2), n(34.2), n(95), n(95)]);
    // PL03's group header carries the year too; PL04 (no year anywhere) is left alone
    const pl03 = wp.located.find((l) => l.form === "pl03")!;
    expect(pl03.templateYear).toBe(2022);
    expect(wp.located.find((l) => l.form === "pl04")!.templateYear).toBeNull();
  });

  it("a copy made for 2023 whose headers shift by one year maps Dự toán 2022 to N-2 … not N-1", async () => {
    const snaps = await grids(await template(2023));
    const loc = locateForms(snaps, FORMS, 2024).find((l) => l.form === "pl01")!;
    expect(loc.templateYear).toBe(2023);
    expect(loc.columns.c1).toBe(3);
    expect(loc.columns.c3).toBe(5);
  });

  it("a two-row header with year groups, an STT column, a unit in brackets and no diacritics", async () => {
    const wb = await template();
    wb.removeWorksheet(wb.getWorksheet("PL01")!.id);
    const ws = wb.addWorksheet("Bieu 01 - thuc hien");
    ws.getCell("A1").value = "PHU LUC 1";
    ws.getCell("A2").value = "TINH HINH THUC HIEN DU TOAN CHI NSNN CHO KH&CN";
    ws.mergeCells("A2:K2");
    ws.getRow(4).values = ["STT", "Nội dung chi", "Mã số", "Năm 2022", null, "Năm 2023\n(triệu đồng)", null, null, null, null, "Ghi chú"];
    ws.getRow(5).values = [null, null, null, "Dự toán", "Quyết toán", "Dự toán", "TH 6 tháng", "Tỷ lệ (%)", "Ước TH cả năm", "Tỷ lệ (%)", null];
    for (const c of ["A", "B", "C", "K"]) ws.mergeCells(`${c}4:${c}5`);
    ws.mergeCells("D4:E4");
    ws.mergeCells("F4:J4");
    ws.getRow(6).values = ["A", "B", "C", 1, 2, 3, 4, "5=4/3", 6, "7=6/3", 8];
    ws.getRow(7).values = ["", "TỔNG CHI", "01"];
    ws.getRow(8).values = ["1", "Chi đầu tư phát triển KH&CN", "02"];
    const snaps = await grids(wb);
    const wp = planWorkbook(snaps, FORMS, [pl01Data()], 2024);
    const loc = wp.located.find((l) => l.form === "pl01")!;
    expect([loc.status, loc.sheetName, loc.headerTop, loc.headerBottom, loc.numberRow, loc.bodyStart, loc.templateYear]).toEqual(["found", "Bieu 01 - thuc hien", 4, 5, 6, 7, 2024]);
    expect(loc.columns).toEqual({ label: 2, ma_so: 3, c1: 4, c2: 5, c3: 6, c4: 7, c5: 8, c6: 9, c7: 10, note: 11 });
    expect(loc.extraColumns).toEqual([{ col: 1, text: "STT" }]);
    const plan = wp.forms.find((f) => f.form === "pl01")!;
    const fig = (k: string) => ["c1", "c2", "c3", "c4", "c5", "c6", "c7"].map((c) => n(pl01Data().rows.find((r) => r.rowKey === k)!.values[c] as number));
    expect(plan.blocks).toEqual([{ row: 7, col: 4, cells: [fig("01"), fig("02")] }]);
    expect(fig("02")).toEqual([n(90), n(80), n(100), n(34.2), n(34.2), n(95), n(95)]);
    // the other sixteen rows are not in this copy: reported, with figures → arithmetic class
    expect(plan.problems.filter((p) => p.code === "E_FORM_ROW_MISSING_FIGURE").length).toBe(16);
    const after = applyPlan(sheet(snaps, "Bieu 01 - thuc hien"), plan);
    expect(rowOf(after, 8, 1, 5)).toEqual(["1", "Chi đầu tư phát triển KH&CN", "02", 90, 80]);
  });

  it("an extra staff column inside a two-row group keeps the group's columns apart", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL03")!;
    insertColumn(ws, 8); // a blank column between c2 (G) and c3 (now I)
    ws.getCell("H5").value = "Liên hệ";
    const loc = locateForms(await grids(wb), FORMS, 2024).find((l) => l.form === "pl03")!;
    expect(loc.status).toBe("found");
    expect([loc.columns.c1, loc.columns.c2, loc.columns.c3, loc.columns.c4, loc.columns.note]).toEqual([6, 7, 9, 10, 20]);
    expect(loc.extraColumns).toEqual([{ col: 8, text: "Kinh phí được phê duyệt / Liên hệ" }]); // inside the widened merge
  });
});

describe("a copy laid out after TT 342 (made from scratch, not from our template)", () => {
  it("PL03 with its own wording, a staff column, the total on top: located and filled below the total", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Sheet3");
    ws.getCell("A1").value = "UBND TỈNH LONG AN";
    ws.getCell("N1").value = "Biểu số 03";
    ws.getCell("A3").value = "CƠ SỞ TÍNH CHI SỰ NGHIỆP KHOA HỌC VÀ CÔNG NGHỆ NĂM 2024";
    ws.getCell("A4").value = "(Kèm theo Công văn số 938/BKHCN-KHTC ngày 06/4/2023)";
    ws.getCell("R5").value = "Đơn vị: triệu đồng";
    ws.getRow(6).values = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian thực hiện (bắt đầu - kết thúc)", "Số QĐ phê duyệt", "Tổng kinh phí được phê duyệt", null, null, "Kinh phí thực hiện năm 2023", null, null, null, "Lũy kế kinh phí đã bố trí đến hết năm 2023", null, null, "Dự toán năm 2024", null, null, "Ghi chú", "Đầu mối"];
    ws.getRow(7).values = [null, null, null, null, null, "Tổng số", "NSNN", "Nguồn khác", "Tổng số", "NSNN - dự toán", "NSNN - ước thực hiện", "Nguồn khác", "Tổng", "NSNN", "Nguồn khác", "Tổng số", "NSNN", "Nguồn khác"];
    for (const c of ["A", "B", "C", "D", "E", "S", "T"]) ws.mergeCells(`${c}6:${c}7`);
    for (const m of ["F6:H6", "I6:L6", "M6:O6", "P6:R6"]) ws.mergeCells(m);
    ws.getRow(8).values = ["A", "B", "C", "D", "E", "1=2+3", "2", "3", "4=6+7", "5", "6", "7", "8=9+10", "9", "10", "11=12+13", "12", "13", "14"];
    ws.getRow(9).values = ["", "TỔNG CỘNG"];
    ws.getRow(10).values = ["I", "NHIỆM VỤ CHUYỂN TIẾP"];
    const snaps = await grids(wb);
    const wp = planWorkbook(snaps, FORMS, [pl03Data()], 2024);
    const loc = wp.located.find((l) => l.form === "pl03")!;
    expect([loc.status, loc.headerTop, loc.headerBottom, loc.numberRow, loc.bodyStart, loc.templateYear]).toEqual(["found", 6, 7, 8, 9, 2024]);
    expect(loc.columns).toEqual({ stt: 1, title: 2, lead_org: 3, period: 4, decision: 5, c1: 6, c2: 7, c3: 8, c4: 9, c5: 10, c6: 11, c7: 12, c8: 13, c9: 14, c10: 15, c11: 16, c12: 17, c13: 18, note: 19 });
    expect(loc.extraColumns).toEqual([{ col: 20, text: "Đầu mối" }]);
    const plan = wp.forms.find((f) => f.form === "pl03")!;
    expect(plan.rowOps).toEqual([{ op: "insert", at: 11, count: 6, formatFrom: 10 }]);
    expect(plan.blocks.map((b) => [b.row, b.col, b.cells.length, b.cells[0].length])).toEqual([[9, 1, 8, 18]]);
    expect(plan.blocks[0].cells[0].slice(15)).toEqual([n(160), n(160), { blank: true }]); // the total on top, plain numbers
    const after = applyPlan(sheet(snaps, "Sheet3"), plan);
    expect([9, 10, 11, 12, 13, 14, 15, 16].map((r) => rowOf(after, r, 2, 2)[0])).toEqual(["TỔNG CỘNG", "I. Nhiệm vụ chuyển tiếp", "Nhiệm vụ cấp tỉnh", "Nghiên cứu giống lúa", "Nghiên cứu cá chốt sọc", "II. Nhiệm vụ mở mới", "Nhiệm vụ cấp huyện", "Mô hình nuôi lươn"]);
    expect(rowOf(after, 4, 1, 1)).toEqual(["(Kèm theo Công văn số 938/BKHCN-KHTC ngày 06/4/2023)"]);
  });
});
