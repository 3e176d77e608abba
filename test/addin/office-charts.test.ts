// The chart sheet "Biểu đồ" through Office.js, on office-addin-mock (test/doubles/mock-excel.ts)
// holding the bundled template: Fill all with the real engine writes the charts' tables (texts
// "@" first) and adds native charts (type, source range, title, name, place) in ≤ 3 syncs; a
// second fill replaces the charts instead of adding more; the sheet's cells equal the headless
// fill's chart sheet for the same figures; the lineage part names each figure's form cell.
import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { planChartSheet } from "../../fill/engine/index.js";
import { bundledChartSheet, chartsFor } from "../../addin/office/charts.js";
import { createMockExcel, type MockExcel } from "../doubles/mock-excel.js";
import { writeChartSheet } from "../../fill/xlsx/charts.js";
import { LINEAGE_NS, parseLineageXml } from "../../fill/lineage-xml.js";
import { Package } from "../../xlsx/package.js";
import { loadChartSheet } from "../../queries/charts.js";
import { loadForms } from "../../queries/forms.js";
import type { FormData } from "../../queries/types.js";
import { cannedData } from "./stub-api.js";
import { templateSheets } from "./template.js";
import { fillWithEngine } from "./office-fill.js";

const ROOT = resolve(import.meta.dirname, "../..");

const forms = loadForms();
const year = 2024;

function figures(): FormData[] {
  const datas = forms.map((f) => cannedData(f, year, 9));
  // PL01 row 10 (cấp bộ): no budget, so no rate — the chart must show a gap, not a 0
  const r10 = datas.find((d) => d.form === "pl01")!.rows.find((r) => r.rowKey === "10")!;
  r10.values.c5 = null;
  r10.values.c7 = null;
  return datas;
}

const fillAll = (mock: MockExcel, datas: FormData[], charts = true) =>
  fillWithEngine(mock, { forms, datas, year, charts: charts ? chartsFor(datas, year) : undefined });

describe("the chart sheet through Office.js (office-addin-mock)", () => {
  it("the add-in's bundled definition is the one the headless fill reads", () => {
    expect(bundledChartSheet()).toEqual(loadChartSheet());
  });

  it("Fill all writes the tables and adds the native charts: type, source range, title, name, place", async () => {
    const datas = figures();
    const mock = createMockExcel(await templateSheets());
    const result = await fillAll(mock, datas);
    expect(mock.sheets.map((s) => s.name)).toEqual(["PL01", "PL02", "PL03", "PL04", "PL05", "PL06", "Biểu đồ"]);
    expect(mock.charts).toEqual([
      {
        sheet: "Biểu đồ", type: "ColumnStacked", source: "A5:F9", title: "Dự toán chi KH&CN theo năm và nguồn (triệu đồng)",
        name: "phuluc.budget_by_year_source", position: ["H4", "Q21"],
      },
      {
        sheet: "Biểu đồ", type: "BarClustered", source: "A25:C30", title: "Tỷ lệ thực hiện dự toán 2023 theo cấp quản lý (%)",
        name: "phuluc.disbursement_by_level", position: ["H24", "Q41"],
      },
    ]);
    expect(result.log.perForm.charts).toBe(2); // a new sheet: find it (absent), then write
    expect(mock.textWithoutTextFormat).toEqual([]);

    const s = mock.sheets.find((x) => x.name === "Biểu đồ")!;
    const pl01 = datas.find((d) => d.form === "pl01")!;
    const v = (key: string, col: string) => pl01.rows.find((r) => r.rowKey === key)!.values[col];
    expect(s.values[4]).toEqual(["Năm", "NSNN (NSTW + NSĐP)", "NSTW", "NSĐP", "Ngoài NSNN", "Nước ngoài"]);
    expect(s.values[5]).toEqual(["Dự toán 2022", v("01", "c1"), "", "", "", ""]);
    expect(s.values[8]).toEqual(["Dự toán 2024", "", 0, 41612, 0, 0]); // PL02 row 01 by source
    expect(s.values.slice(25, 30).map((r) => r.slice(0, 3))).toEqual([
      ["Cấp quốc gia", v("09", "c5"), v("09", "c7")],
      ["Cấp bộ", "", ""],
      ["Cấp tỉnh", v("11", "c5"), v("11", "c7")],
      ["Cấp cơ sở", v("12", "c5"), v("12", "c7")],
      ["Nhiệm vụ khác", v("13", "c5"), v("13", "c7")],
    ]);
    expect(s.formats[25].slice(0, 3)).toEqual(["@", "0.0", "0.0"]);
    expect(s.formats[5].slice(0, 2)).toEqual(["@", "#,##0"]);

    // lineage: the chart sheet's figures carry the ids of the form cells they copy
    const lineage = parseLineageXml(mock.xmlParts.find((p) => p.ns === LINEAGE_NS)!.xml);
    const charts = lineage.sheets.find((x) => x.sheetName === "Biểu đồ")!;
    expect(charts.form).toBe("charts");
    expect(new Map(charts.cells.map((c) => [c.ref, c.lineageId])).get("C26")).toBe("pl01:2024:9:09:c7");
    expect(charts.cells.some((c) => c.ref === "B27")).toBe(false);
  });

  it("a second Fill all replaces the charts and the table: one sheet, two charts", async () => {
    const datas = figures();
    const mock = createMockExcel(await templateSheets());
    await fillAll(mock, datas);
    const again = await fillAll(mock, datas);
    expect(mock.sheets.filter((s) => s.name === "Biểu đồ")).toHaveLength(1);
    expect(mock.charts.map((c) => c.name)).toEqual(["phuluc.budget_by_year_source", "phuluc.disbursement_by_level"]);
    expect(mock.events.filter((e) => e.kind === "call" && e.method === "deleteChart").map((e) => (e as { args: unknown[] }).args[0])).toEqual([
      "phuluc.budget_by_year_source",
      "phuluc.disbursement_by_level",
    ]);
    expect(again.log.perForm.charts).toBe(3); // find, list its charts, write
    expect(parseLineageXml(mock.xmlParts.find((p) => p.ns === LINEAGE_NS)!.xml).sheets.filter((x) => x.form === "charts")).toHaveLength(1);
  });

  it("leaves a sheet of that name that a fill did not make as it is", async () => {
    const mock = createMockExcel([...(await templateSheets()), { name: "Biểu đồ", rows: [["biểu đồ của tôi"]] }]);
    const r = await fillAll(mock, figures());
    expect(mock.charts).toEqual([]);
    expect(r.charts).toBeNull();
    expect(mock.sheets.find((s) => s.name === "Biểu đồ")!.values).toEqual([["biểu đồ của tôi"]]);
    expect(parseLineageXml(mock.xmlParts.find((p) => p.ns === LINEAGE_NS)!.xml).sheets.some((x) => x.form === "charts")).toBe(false);
  });

  it("Fill without charts (Fill one) adds none", async () => {
    const mock = createMockExcel(await templateSheets());
    const r = await fillAll(mock, figures(), false);
    expect(mock.charts).toEqual([]);
    expect(r.charts).toBeNull();
    expect(mock.sheets.map((s) => s.name)).not.toContain("Biểu đồ");
  });

  it("the simulated workbook's chart sheet equals the headless fill's, cell for cell", async () => {
    const datas = figures();
    const mock = createMockExcel(await templateSheets());
    await fillAll(mock, datas);
    const office = mock.sheets.find((x) => x.name === "Biểu đồ")!;

    const pkg = Package.open(new Uint8Array(readFileSync(join(ROOT, "sample", "template.xlsx"))));
    writeChartSheet(pkg, planChartSheet(loadChartSheet()!, datas, year));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(pkg.toBytes()) as never);
    const ws = wb.getWorksheet("Biểu đồ")!;
    const rows = Math.max(office.values.length, ws.rowCount);
    for (let r = 1; r <= rows; r++) {
      for (let c = 1; c <= 6; c++) {
        const headless = ws.getCell(r, c).value ?? "";
        expect(office.values[r - 1]?.[c - 1] ?? "", `${String.fromCharCode(64 + c)}${r}`).toEqual(headless);
      }
    }
  });
});
