// Fixed forms (PL01, PL02, PL05) on real grids: our template and copies edited the way staff do.
import { describe, expect, it } from "vitest";
import { locateForms, planForm, planWorkbook } from "../../../fill/engine/index.js";
import type { FormPlan, PlanCell } from "../../../fill/engine/types.js";
import { pl01Data, pl02Data } from "./data.js";
import { B, FORMS, applyPlan, form, grids, n, rowOf, sheet, template } from "./helpers.js";

const HIER = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18"];

/** The expected PL02 cells of one row (c1…c5) from the test data. */
function pl02Row(k: string): PlanCell[] {
  const r = pl02Data().rows.find((x) => x.rowKey === k)!.values;
  return ["c1", "c2", "c3", "c4", "c5"].map((c) => (typeof r[c] === "number" ? n(r[c] as number) : B));
}

async function planOne(code: string, edit: (ws: import("exceljs").Worksheet) => void, data = code === "pl01" ? pl01Data() : pl02Data()): Promise<{ plan: FormPlan; before: import("../../../fill/engine/types.js").GridSnapshot }> {
  const wb = await template();
  edit(wb.getWorksheet(code.toUpperCase())!);
  const snaps = await grids(wb);
  const loc = locateForms(snaps, FORMS, 2024).find((l) => l.form === code)!;
  expect(loc.status).toBe("found");
  const before = sheet(snaps, loc.sheetName!);
  return { plan: planForm(loc, before, form(code), data), before };
}

describe("PL02 on our template", () => {
  it("writes every row × column as one block, with lineage and changes", async () => {
    const { plan } = await planOne("pl02", () => {});
    expect(plan.rowOps).toEqual([]);
    expect(plan.headerRewrites).toEqual([]);
    expect(plan.problems).toEqual([]);
    expect(plan.blocks).toEqual([{ row: 7, col: 3, cells: HIER.map(pl02Row) }]);
    // row 09 (sheet row 15): NSTW 5 + NSĐP 90
    expect(plan.blocks[0].cells[8]).toEqual([n(95), n(5), n(90), B, B]);
    expect(plan.lineage).toContainEqual({ row: 15, col: 4, lineageId: "pl02:2024:7:09:c2" });
    expect(plan.lineage.every((l) => /^pl02:2024:7:\d\d:c[1-5]$/.test(l.lineageId))).toBe(true);
    expect(plan.changes).toContainEqual({ row: 15, col: 3, old: null, new: 95 });
    expect(plan.changes.length).toBe(plan.lineage.length);
  });

  it("keeps SUM formulas of the sum rows (plan null) and fills sum rows that hold plain numbers", async () => {
    const { plan, before } = await planOne("pl02", (ws) => {
      // row 08 (sheet row 14) = SUM of 09…13 (rows 15…19); row 03 (sheet row 9) a stale plain number
      for (const c of ["C", "D", "E", "F", "G"]) ws.getCell(`${c}14`).value = { formula: `SUM(${c}15:${c}19)`, result: 0 };
      ws.getCell("E9").value = 123456;
    });
    const cells = plan.blocks[0].cells;
    expect(cells[7]).toEqual([null, null, null, null, null]);
    expect(cells[2]).toEqual(pl02Row("03"));
    expect(plan.changes).toContainEqual({ row: 9, col: 5, old: 123456, new: pl02Data().rows[2].values.c3 });
    expect(plan.lineage.some((l) => l.row === 14)).toBe(false);
    const after = applyPlan(before, plan);
    expect(rowOf(after, 14, 3, 7)).toEqual(["=SUM(C15:C19)", "=SUM(D15:D19)", "=SUM(E15:E19)", "=SUM(F15:F19)", "=SUM(G15:G19)"]);
  });

  it("finds rows by label when the Mã số column is absent and labels carry no numbering", async () => {
    const { plan } = await planOne("pl02", (ws) => {
      for (let r = 4; r <= 24; r++) ws.getCell(`B${r}`).value = null; // Mã số column emptied
      ws.getCell("B4").value = "Ghi chú của phòng"; // … and reused by staff for something else
      ws.getCell("A14").value = "Chi thực hiện nhiệm vụ KH&CN"; // "2.3" dropped
      ws.getCell("A15").value = "+ Nhiệm vụ cấp nhà nước"; // other bullet, synonym
      ws.getCell("A18").value = "- NHIEM VU CAP CO SO (BAO GOM CAP HUYEN)";
    });
    expect(plan.problems).toEqual([]);
    expect(plan.blocks).toEqual([{ row: 7, col: 3, cells: HIER.map(pl02Row) }]);
  });

  it("a column left out: fills the rest, says so, and a non-zero figure it would hold is an arithmetic problem", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL02")!;
    ws.spliceColumns(4, 1); // NSTW gone: C Tổng số, D NSĐP, E Ngoài NSNN, F Nước ngoài, G Ghi chú
    ws.unMergeCells("C4:G4");
    const snaps = await grids(wb);
    const plan = planWorkbook(snaps, FORMS, [pl02Data()], 2024).forms.find((f) => f.form === "pl02")!;
    expect(plan.blocks.map((b) => [b.row, b.col, b.cells[0].length])).toEqual([[7, 3, 4]]);
    expect(plan.blocks[0].cells[8]).toEqual([n(95), n(90), B, B]);
    expect(plan.problems.map((p) => [p.code, p.place.row ?? null, p.place.column, p.data?.class ?? null])).toEqual([
      ["W_FORM_COLUMN_MISSING", null, "c2", null],
      ["E_FORM_COLUMN_MISSING_FIGURE", "01", "c2", "arithmetic"],
      ["E_FORM_COLUMN_MISSING_FIGURE", "03", "c2", "arithmetic"],
      ["E_FORM_COLUMN_MISSING_FIGURE", "08", "c2", "arithmetic"],
      ["E_FORM_COLUMN_MISSING_FIGURE", "09", "c2", "arithmetic"],
    ]);
  });

  it("a column left out is named as the form shows it this year, never by its template {N-2} (issue 15)", async () => {
    const { plan } = await planOne("pl01", (ws) => {
      let col = 0;
      ws.eachRow((row) => row.eachCell((c, k) => {
        if (!col && typeof c.value === "string" && c.value.includes("Thực hiện năm 2022")) col = k;
      }));
      expect(col).toBeGreaterThan(0);
      ws.spliceColumns(col, 1);
    });
    const missing = plan.problems.filter((p) => p.place.column === "c2");
    expect(missing.map((p) => p.code)).toContain("W_FORM_COLUMN_MISSING");
    expect(missing.map((p) => p.code)).toContain("E_FORM_COLUMN_MISSING_FIGURE");
    for (const p of missing) {
      expect(p.vi).toContain('cột "Thực hiện năm 2022"');
      expect(p.en).toContain('"Thực hiện năm 2022"');
    }
    for (const p of plan.problems) expect(`${p.vi} ${p.en}`).not.toContain("{");
  });

  it("reordered columns and an extra staff column are mapped by header", async () => {
    const { plan } = await planOne("pl02", (ws) => {
      ws.getCell("D5").value = "NSĐP";
      ws.getCell("E5").value = "Ngân sách trung ương";
      ws.getCell("H4").value = "Người theo dõi"; // note → a contact column …
      ws.getCell("I4").value = "Ghi chú"; // … and the note moves right
    });
    const byCol = plan.blocks[0].cells[8];
    expect(plan.blocks[0].col).toBe(3);
    expect(byCol).toEqual([n(95), n(90), n(5), B, B]);
  });
});

describe("PL01", () => {
  it("headers in upper case without diacritics, real years, line breaks and units", async () => {
    const { plan } = await planOne("pl01", (ws) => {
      const h = ["NOI DUNG", "MA SO", "DU TOAN\nNAM 2022", "Thuc hien nam 2022 (trieu dong)", "Dự toán năm 2023", "TH 6 tháng đầu năm 2023", "Tỷ lệ %", "Ước TH năm 2023", "Tỷ lệ %", "GHI CHU"];
      h.forEach((t, i) => (ws.getRow(4).getCell(i + 1).value = t));
    });
    expect(plan.problems).toEqual([]);
    expect(plan.blocks.length).toBe(1);
    expect(plan.blocks[0]).toMatchObject({ row: 6, col: 3 });
    // row 09 has 1 leaf: c1 90, c2 80, c3 100, c4 34.2, c5 34.2 %, c6 95, c7 95 %
    expect(plan.blocks[0].cells[8]).toEqual([n(90), n(80), n(100), n(34.2), n(34.2), n(95), n(95)]);
  });

  it("a ratio cell formatted as % gets the fraction", async () => {
    const { plan } = await planOne("pl01", (ws) => {
      // a fresh style object: exceljs shares one style among the cells loaded with it
      for (let r = 6; r <= 23; r++) ws.getCell(`G${r}`).style = { ...ws.getCell(`G${r}`).style, numFmt: "0.0%" };
    });
    expect(plan.blocks[0].cells[8]).toEqual([n(90), n(80), n(100), n(34.2), n(0.342), n(95), n(95)]);
  });
});

describe("PL05", () => {
  it("two blocks of rows; a repeated label (\"Khác\") is taken in order", async () => {
    const keys = form("pl05").rows!.map((r) => r.key);
    const data = {
      form: "pl05", year: 2024, generation: 2,
      rows: keys.map((k, i) => ({ rowKey: k, kind: "data" as const, sort: i, parentKey: null, values: { label: k, c1: i + 1, c2: 0, c3: null, c4: 1, c5: 2, c6: 3 } })),
    };
    const wb = await template();
    const ws = wb.getWorksheet("PL05")!;
    ws.getCell("A13").value = "- Khác"; // level:KHAC (row 13) …
    ws.getCell("A21").value = "- Khác"; // … and field:CHUA_PHAN_LOAI (row 21) say the same
    const snaps = await grids(wb);
    const loc = locateForms(snaps, FORMS, 2024).find((l) => l.form === "pl05")!;
    const plan = planForm(loc, sheet(snaps, "PL05"), form("pl05"), data);
    expect(plan.problems).toEqual([]);
    expect(plan.blocks).toEqual([{ row: 7, col: 2, cells: keys.map((_, i) => [n(i + 1), n(0), B, n(1), n(2), n(3)]) }]);
  });
});

describe("template", () => {
  it("is deterministic and the committed sample is up to date", async () => {
    const { makeTemplate } = await import("../../../fill/template/make-template.js");
    const { readFileSync } = await import("node:fs");
    const a = await makeTemplate(FORMS, 2024);
    const b = await makeTemplate(FORMS, 2024);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, readFileSync(new URL("../../../sample/template.xlsx", import.meta.url)))).toBe(0);
  });
});

describe("PL05 without a row of column numbers", () => {
  it("a first body row of small counts is not taken for the column numbers", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL05")!;
    ws.spliceRows(6, 1); // the number row goes: body starts at row 6
    ws.getRow(6).values = ["1.1 Theo cấp quản lý", 18, 5, 3, 15, 2, 1];
    const snaps = await grids(wb);
    const loc = locateForms(snaps, FORMS, 2024).find((l) => l.form === "pl05")!;
    expect([loc.numberRow, loc.bodyStart]).toEqual([null, 6]);
  });
});

describe("copies kept in another unit, rows given twice", () => {
  it("a PL02 kept in nghìn đồng gets its money scaled, and says so", async () => {
    const { plan } = await planOne("pl02", (ws) => {
      ws.getCell("A3").value = "Đơn vị tính: nghìn đồng";
    });
    expect(plan.blocks[0].cells[8]).toEqual([n(95000), n(5000), n(90000), B, B]);
    expect(plan.problems.map((p) => [p.code, p.data])).toEqual([["W_FORM_UNIT_SCALED", { scale: 1000 }]]);
  });

  it("a row repeated by the staff is reported and left as it is", async () => {
    const { plan } = await planOne("pl02", (ws) => {
      ws.getRow(26).values = ["- Nhiệm vụ cấp tỉnh", null, 1, 2, 3];
    });
    expect(plan.problems.map((p) => [p.code, p.place.row, p.place.cell])).toEqual([["W_FORM_ROW_TWICE", "11", "A26"]]);
    expect(plan.blocks).toEqual([{ row: 7, col: 3, cells: HIER.map(pl02Row) }]);
  });
});

describe("ratio columns by position", () => {
  it("only the expected-outturn ratio kept, headed just \"Tỷ lệ %\": it is c7, not c5", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL01")!;
    ws.spliceColumns(7, 1); // the 6-month ratio goes: F c4, G c6, H ratio, I note
    ws.getCell("H4").value = "Tỷ lệ %";
    ws.unMergeCells("A1:J1");
    const loc = locateForms(await grids(wb), FORMS, 2024).find((l) => l.form === "pl01")!;
    expect(loc.columns).toEqual({ label: 1, ma_so: 2, c1: 3, c2: 4, c3: 5, c4: 6, c6: 7, c7: 8, note: 9 });
    expect(loc.missingColumns).toEqual(["c5"]);
  });
});

describe("ratio columns by position (2)", () => {
  it("only the 6-month ratio kept, headed just \"Tỷ lệ %\": it is c5", async () => {
    const wb = await template();
    const ws = wb.getWorksheet("PL01")!;
    ws.spliceColumns(9, 1); // the expected ratio goes: G ratio, H c6, I note
    ws.getCell("G4").value = "Tỷ lệ %";
    ws.unMergeCells("A1:J1");
    const loc = locateForms(await grids(wb), FORMS, 2024).find((l) => l.form === "pl01")!;
    expect(loc.columns).toEqual({ label: 1, ma_so: 2, c1: 3, c2: 4, c3: 5, c4: 6, c5: 7, c6: 8, note: 9 });
  });
});
