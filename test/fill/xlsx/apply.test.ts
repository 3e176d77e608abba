// applyPlan on workbooks written XML by XML, to have exactly what Excel writes: shared formulas,
// x14 extensions, tables, pivot caches, calcChain, drawings, rows without numbers.
import { describe, expect, it } from "vitest";
import { unzipSync, zipSync } from "fflate";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { realWorldXlsx } from "../../xlsx/real-world.js";
import { tempDir } from "../../xlsx/fixtures.js";
import { applyPlanDetailed } from "../../../fill/xlsx/apply.js";
import { Package } from "../../../xlsx/package.js";
import { snapshotWorkbook } from "../../../fill/xlsx/snapshot.js";
import { numberFormatsOf } from "../../../xlsx/styles.js";
import { childElements, descendants, firstChild, textOf } from "../../../xlsx/xml.js";
import { buildXlsx, formPlan, workbookPlan } from "./helpers.js";

const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

function cells(pkg: Package, part: string): Record<string, { f?: string; v?: string; s?: string; t?: string; fa?: string }> {
  const out: Record<string, { f?: string; v?: string; s?: string; t?: string; fa?: string }> = {};
  for (const c of descendants(pkg.readXml(part).root, "c")) {
    const f = firstChild(c, "f");
    const v = firstChild(c, "v");
    out[c.attrs.get("r")!] = {
      ...(f ? { f: textOf(f) } : {}),
      ...(f && f.attrs.size ? { fa: [...f.attrs].map(([k, x]) => `${k}=${x}`).join(" ") } : {}),
      ...(v ? { v: textOf(v) } : {}),
      ...(c.attrs.get("s") ? { s: c.attrs.get("s") } : {}),
      ...(c.attrs.get("t") ? { t: c.attrs.get("t") } : {}),
    };
  }
  return out;
}

const rowsOf = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `<row r="${from + i}"><c r="A${from + i}"><v>${from + i}</v></c><c r="B${from + i}"><v>${(from + i) * 10}</v></c></row>`).join("");

describe("shared formulas", () => {
  const bytes = buildXlsx({
    sheets: [
      {
        name: "S",
        body:
          `<dimension ref="A1:C6"/><sheetData>${rowsOf(1)}` +
          `<row r="2"><c r="A2"><v>2</v></c><c r="B2"><v>20</v></c><c r="C2"><f t="shared" ref="C2:C6" si="0">A2*B2</f><v>40</v></c></row>` +
          [3, 4, 5, 6].map((r) => `<row r="${r}"><c r="A${r}"><v>${r}</v></c><c r="B${r}"><v>${r * 10}</v></c><c r="C${r}"><f t="shared" si="0"/><v>${r * r * 10}</v></c></row>`).join("") +
          `</sheetData>`,
      },
      {
        name: "T",
        body: `<sheetData><row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">S!B4*2</f><v>80</v></c></row><row r="2"><c r="A2"><f t="shared" si="0"/><v>100</v></c></row><row r="3"><c r="A3"><f t="shared" si="0"/><v>120</v></c></row><row r="5"><c r="A5"><f t="shared" ref="A5:A6" si="1">B5+1</f><v>1</v></c></row><row r="6"><c r="A6"><f t="shared" si="1"/><v>1</v></c></row></sheetData>`,
      },
    ],
  });
  const res = applyPlanDetailed(bytes, workbookPlan(2024, [formPlan({ sheetName: "S", rowOps: [{ op: "insert", at: 4, count: 2, formatFrom: 3 }] })]));
  const pkg = Package.open(res.bytes);

  it("become plain formulas that move with their cells", () => {
    const s = cells(pkg, "xl/worksheets/sheet1.xml");
    expect(Object.fromEntries(Object.entries(s).filter(([, c]) => c.f).map(([k, c]) => [k, c.f]))).toEqual({
      C2: "A2*B2", C3: "A3*B3", C6: "A6*B6", C7: "A7*B7", C8: "A8*B8",
    });
    for (const c of Object.values(s)) {
      expect(c.fa).toBeUndefined();
      if (c.f) expect(c.v).toBeUndefined();
    }
  });

  it("on another sheet: expanded and moved when they read the moved sheet, left shared otherwise", () => {
    const t = cells(pkg, "xl/worksheets/sheet2.xml");
    expect([t.A1.f, t.A2.f, t.A3.f]).toEqual(["S!B6*2", "S!B7*2", "S!B8*2"]);
    expect(t.A1.v).toBeUndefined(); // reads a filled sheet: stale
    expect(t.A5).toEqual({ f: "B5+1", fa: "t=shared ref=A5:A6 si=1", v: "1" });
    expect(t.A6).toEqual({ f: "", fa: "t=shared si=1", v: "1" });
  });

  it("snapshots show every cell's own formula", async () => {
    const [, t] = await snapshotWorkbook(bytes);
    expect(t.formulas.map((r) => r[0])).toEqual(["=S!B4*2", "=S!B5*2", "=S!B6*2", null, "=B5+1", "=B6+1"]);
  });
});

describe("everything around the cells of a moved sheet", () => {
  const x14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";
  const bytes = buildXlsx({
    sheets: [
      {
        name: "Bieu 02 - du toan",
        body:
          `<dimension ref="A1:C12"/><sheetViews><sheetView workbookViewId="0" topLeftCell="A10"><selection activeCell="B11" sqref="B11:B12"/></sheetView></sheetViews>` +
          `<sheetData>${rowsOf(12)}</sheetData>` +
          `<mergeCells count="3"><mergeCell ref="A3:C3"/><mergeCell ref="A5:C6"/><mergeCell ref="A8:A10"/></mergeCells>` +
          `<conditionalFormatting sqref="A5:A6"><cfRule type="expression" priority="1"><formula>$B$5&gt;0</formula></cfRule></conditionalFormatting>` +
          `<conditionalFormatting sqref="A7:A12 C1"><cfRule type="cellIs" operator="greaterThan" priority="2"><formula>$B$12</formula></cfRule></conditionalFormatting>` +
          `<dataValidations count="2"><dataValidation type="list" sqref="C5"><formula1>$A$1:$A$12</formula1></dataValidation><dataValidation type="whole" sqref="C11"><formula1>0</formula1></dataValidation></dataValidations>` +
          `<hyperlinks><hyperlink ref="A6" location="'Bieu 02 - du toan'!A12"/><hyperlink ref="A9" location="A1"/></hyperlinks>` +
          `<rowBreaks count="2" manualBreakCount="2"><brk id="5" max="16383" man="1"/><brk id="10" max="16383" man="1"/></rowBreaks>` +
          `<drawing r:id="rIdD"/><tableParts count="1"><tablePart r:id="rIdT"/></tableParts>` +
          `<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="${x14}"><x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="expression" priority="3" id="{1}"><xm:f>$A$9&gt;0</xm:f></x14:cfRule><xm:sqref>A9:B12</xm:sqref></x14:conditionalFormatting><x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="expression" priority="4" id="{2}"><xm:f>1</xm:f></x14:cfRule><xm:sqref>A5:A6</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>`,
        rels: [
          { id: "rIdD", type: `${R}/drawing`, target: "../drawings/drawing1.xml" },
          { id: "rIdT", type: `${R}/table`, target: "../tables/table1.xml" },
        ],
      },
      { name: "Other", body: `<sheetData><row r="1"><c r="A1"><f>SUM('Bieu 02 - du toan'!B1:B12)</f><v>780</v></c><c r="B1"><f>1+1</f><v>2</v></c></row></sheetData>` },
      { name: "Untouched", body: `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>` },
    ],
    definedNames:
      `<definedName name="_xlnm.Print_Area" localSheetId="0">'Bieu 02 - du toan'!$A$1:$C$12</definedName>` +
      `<definedName name="gone">'Bieu 02 - du toan'!$B$5:$B$6</definedName>` +
      `<definedName name="kept">Other!$A$1</definedName>`,
    extraParts: {
      "xl/drawings/drawing1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"><xdr:twoCellAnchor><xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>7</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>11</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>`,
      "xl/tables/table1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><table xmlns="${MAIN}" id="1" name="T1" displayName="T1" ref="A7:C12"><autoFilter ref="A7:C12"/><tableColumns count="3"><tableColumn id="1" name="a"/><tableColumn id="2" name="b"/><tableColumn id="3" name="c"><calculatedColumnFormula>$B$12*2</calculatedColumnFormula></tableColumn></tableColumns></table>`,
      "xl/pivotCache/pivotCacheDefinition1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pivotCacheDefinition xmlns="${MAIN}"><cacheSource type="worksheet"><worksheetSource ref="A7:B12" sheet="Bieu 02 - du toan"/></cacheSource></pivotCacheDefinition>`,
      "xl/charts/chart1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart><c:plotArea><c:barChart><c:ser><c:val><c:numRef><c:f>'Bieu 02 - du toan'!$B$7:$B$12</c:f></c:numRef></c:val></c:ser><c:ser><c:val><c:numRef><c:f>Other!$A$1:$A$3</c:f></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>`,
    },
    extraOverrides: {
      "/xl/drawings/drawing1.xml": "application/vnd.openxmlformats-officedocument.drawing+xml",
      "/xl/tables/table1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
      "/xl/charts/chart1.xml": "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
    },
    calcChain: true,
  });
  // delete rows 5–6, then insert 2 rows at 9 (copying row 8's format)
  const plan = workbookPlan(2024, [
    formPlan({
      sheetName: "bieu 02 - DU TOAN", // matched case-insensitively, as Excel does
      rowOps: [
        { op: "delete", at: 5, count: 2 },
        { op: "insert", at: 9, count: 2, formatFrom: 8 },
      ],
    }),
  ]);
  const res = applyPlanDetailed(bytes, plan);
  const pkg = Package.open(res.bytes);
  const before = Package.open(bytes);
  const sheet = pkg.readXml("xl/worksheets/sheet1.xml").root;

  it("moves merges (dropping deleted ones), conditional formats, validations, links, breaks", () => {
    expect(res.problems).toEqual([]);
    const mc = firstChild(sheet, "mergeCells")!;
    expect(childElements(mc, "mergeCell").map((m) => m.attrs.get("ref"))).toEqual(["A3:C3", "A6:A8"]); // A8:A10 → A6:A8; inserting at 9 is below it
    expect(mc.attrs.get("count")).toBe("2");
    const cf = childElements(sheet, "conditionalFormatting");
    expect(cf.map((c) => c.attrs.get("sqref"))).toEqual(["A5:A12 C1"]);
    expect(textOf(descendants(cf[0], "formula")[0])).toBe("$B$12");
    const dv = descendants(sheet, "dataValidation");
    expect(dv.map((d) => d.attrs.get("sqref"))).toEqual(["C11"]);
    expect(textOf(firstChild(dv[0], "formula1")!)).toBe("0");
    expect(firstChild(sheet, "dataValidations")!.attrs.get("count")).toBe("1");
    const links = descendants(sheet, "hyperlink");
    expect(links.map((h) => [h.attrs.get("ref"), h.attrs.get("location")])).toEqual([["A7", "A1"]]);
    expect(descendants(sheet, "brk").map((b) => b.attrs.get("id"))).toEqual(["10"]);
    expect(firstChild(sheet, "rowBreaks")!.attrs.get("count")).toBe("1");
    const sel = descendants(sheet, "selection")[0];
    expect([sel.attrs.get("activeCell"), sel.attrs.get("sqref")]).toEqual(["B11", "B11:B12"]);
    expect(descendants(sheet, "sheetView")[0].attrs.get("topLeftCell")).toBe("A8");
    expect(firstChild(sheet, "dimension")!.attrs.get("ref")).toBe("A1:B12");
  });

  it("moves x14 extensions and drops the ones whose cells are gone", () => {
    const x = descendants(sheet, "conditionalFormatting").filter((e) => e.name.startsWith("x14:"));
    expect(x).toHaveLength(1);
    expect(textOf(descendants(x[0], "f")[0])).toBe("$A$7>0");
    expect(textOf(descendants(x[0], "sqref")[0])).toBe("A7:B12");
  });

  it("moves names (a deleted area becomes #REF!), charts, tables, pivot sources, drawings", () => {
    const names = childElements(firstChild(pkg.readXml("xl/workbook.xml").root, "definedNames")!, "definedName").map(textOf);
    expect(names).toEqual(["'Bieu 02 - du toan'!$A$1:$C$12", "'Bieu 02 - du toan'!#REF!", "Other!$A$1"]);
    expect(descendants(pkg.readXml("xl/charts/chart1.xml").root, "f").map(textOf)).toEqual(["'Bieu 02 - du toan'!$B$5:$B$12", "Other!$A$1:$A$3"]);
    const table = pkg.readXml("xl/tables/table1.xml").root;
    expect(table.attrs.get("ref")).toBe("A5:C12");
    expect(firstChild(table, "autoFilter")!.attrs.get("ref")).toBe("A5:C12");
    expect(textOf(descendants(table, "calculatedColumnFormula")[0])).toBe("$B$12*2");
    expect(descendants(pkg.readXml("xl/pivotCache/pivotCacheDefinition1.xml").root, "worksheetSource")[0].attrs.get("ref")).toBe("A5:B12");
    const rows = descendants(pkg.readXml("xl/drawings/drawing1.xml").root, "row").map(textOf);
    expect(rows).toEqual(["5", "11"]); // rows 8–12 (0-based 7–11) → 6–12
  });

  it("formulas elsewhere follow; their stale results go; calcChain goes", () => {
    const o = cells(pkg, "xl/worksheets/sheet2.xml");
    expect(o.A1).toEqual({ f: "SUM('Bieu 02 - du toan'!B1:B12)" });
    expect(o.B1).toEqual({ f: "1+1", v: "2" }); // reads nothing filled: keeps its result
    expect(pkg.has("xl/calcChain.xml")).toBe(false);
    expect(pkg.readText("xl/_rels/workbook.xml.rels")).not.toContain("calcChain");
    expect(pkg.readText("[Content_Types].xml")).not.toContain("calcChain");
    expect(res.removedParts).toEqual(["xl/calcChain.xml"]);
    expect(Buffer.from(pkg.read("xl/worksheets/sheet3.xml")).equals(Buffer.from(before.read("xl/worksheets/sheet3.xml")))).toBe(true);
    expect(firstChild(pkg.readXml("xl/workbook.xml").root, "calcPr")!.attrs.get("fullCalcOnLoad")).toBe("1");
  });
});

describe("conditional formats and validations whose first row is deleted", () => {
  it("keep their relative references measured from the new first row", () => {
    const bytes = buildXlsx({
      sheets: [
        {
          name: "L",
          body:
            `<sheetData>${rowsOf(10)}</sheetData>` +
            `<conditionalFormatting sqref="A5:A9"><cfRule type="expression" priority="1"><formula>AND(A5&gt;$B$1,A5&lt;$B$9,B6&gt;0)</formula></cfRule></conditionalFormatting>` +
            `<dataValidations count="1"><dataValidation type="decimal" operator="lessThanOrEqual" sqref="B5:B9"><formula1>$C5</formula1></dataValidation></dataValidations>`,
        },
      ],
    });
    const res = applyPlanDetailed(bytes, workbookPlan(2024, [formPlan({ sheetName: "L", rowOps: [{ op: "delete", at: 5, count: 1 }] })]));
    const root = Package.open(res.bytes).readXml("xl/worksheets/sheet1.xml").root;
    const cf = childElements(root, "conditionalFormatting")[0];
    expect(cf.attrs.get("sqref")).toBe("A5:A8");
    expect(textOf(descendants(cf, "formula")[0])).toBe("AND(A5>$B$1,A5<$B$8,B6>0)");
    const dv = descendants(root, "dataValidation")[0];
    expect(dv.attrs.get("sqref")).toBe("B5:B8");
    expect(textOf(firstChild(dv, "formula1")!)).toBe("$C5");
  });
});

describe("writing cells", () => {
  const bytes = buildXlsx({
    sheets: [
      {
        name: "F",
        body:
          `<cols><col min="4" max="4" width="9" style="1" customWidth="1"/></cols><sheetData>` +
          // rows and cells without r attributes
          `<row><c t="s"><v>0</v></c><c s="1"><v>5</v></c></row><row><c><v>7</v></c><c s="1"><f>B1*2</f><v>10</v></c></row>` +
          `<row r="4" s="1" customFormat="1"><c r="A4" s="1"><v>1</v></c></row></sheetData>`,
      },
    ],
    extraParts: {
      "xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${MAIN}" count="1" uniqueCount="1"><si><r><t>Tiêu </t></r><r><t>đề</t></r></si></sst>`,
    },
    workbookRels: [{ id: "rIdSS", type: `${R}/sharedStrings`, target: "sharedStrings.xml" }],
    extraOverrides: { "/xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" },
  });

  it("reads rows and cells without numbers", async () => {
    const [s] = await snapshotWorkbook(bytes);
    expect(s.values).toEqual([["Tiêu đề", 5], [7, 10], [null, null], [1, null]]);
    expect(s.formulas[1][1]).toBe("=B1*2");
    expect(s.numberFormats![0][1]).toBe("#,##0");
    expect([s.rowCount, s.columnCount]).toEqual([4, 2]);
    expect((await snapshotWorkbook(bytes, { firstRows: 2 }))[0].values).toHaveLength(2);
  });

  it("writes numbers, texts, blanks and formulas; new cells take the row's or column's style", () => {
    const res = applyPlanDetailed(
      bytes,
      workbookPlan(2024, [
        formPlan({
          sheetName: "F",
          blocks: [
            { row: 1, col: 1, cells: [[{ s: "mới" }, { s: "0123" }]] },
            { row: 2, col: 1, cells: [[{ blank: true }, null, { n: 1e21 }, { s: "x" }]] },
            { row: 4, col: 2, cells: [[{ f: "=A4+1" }]] },
            { row: 6, col: 1, cells: [[{ n: -0.5 }]] },
          ],
        }),
      ]),
    );
    const pkg = Package.open(res.bytes);
    const c = cells(pkg, "xl/worksheets/sheet1.xml");
    const fmts = numberFormatsOf(pkg.readText("xl/styles.xml"));
    expect(c.A1.t).toBe("inlineStr");
    expect(fmts[Number(c.A1.s)]).toBe("@");
    expect(fmts[Number(c.B1.s)]).toBe("@");
    expect(c.A1.s).toBe(c.B1.s); // styles 0 and 1 differ only by number format: one text variant
    expect(c.A2).toEqual({}); // blank, no style
    expect(c.B2).toEqual({ f: "B1*2", s: "1" }); // untouched, but its stale result is gone
    expect(c.C2).toEqual({ v: "1E+21" });
    expect(fmts[Number(c.D2.s)]).toBe("@"); // the column's style, as text
    expect(c.B4).toEqual({ f: "A4+1", s: "1" }); // the row's style
    expect(c.A6).toEqual({ v: "-0.5" });
    // the text variants are added once
    const xfs = childElements(firstChild(pkg.readXml("xl/styles.xml").root, "cellXfs")!, "xf");
    expect(xfs).toHaveLength(3);
    expect(firstChild(pkg.readXml("xl/styles.xml").root, "cellXfs")!.attrs.get("count")).toBe("3");
    // the shared strings part is not touched: texts are inline
    expect(res.changedParts).not.toContain("xl/sharedStrings.xml");
  });

  it("reports a plan for a sheet that is not there, and writes nothing for it", () => {
    const res = applyPlanDetailed(bytes, workbookPlan(2024, [formPlan({ sheetName: "Nope", blocks: [{ row: 1, col: 1, cells: [[{ n: 1 }]] }] })]));
    expect(res.problems.map((p) => p.code)).toEqual(["E_FILL_SHEET_MISSING"]);
    expect(res.changedParts).toEqual(["xl/workbook.xml"]);
  });

  it("refuses row ops that make no sense", () => {
    const res = applyPlanDetailed(bytes, workbookPlan(2024, [formPlan({ sheetName: "F", rowOps: [{ op: "delete", at: 0, count: 1 }] })]));
    expect(res.problems.map((p) => p.code)).toEqual(["E_FILL_BAD_ROWOP"]);
  });

  it("a template whose zip entry names are written with backslashes (xl\\workbook.xml) is read and filled", async () => {
    // issue 15: older Windows and .NET writers do this, and Excel opens such files
    const parts = unzipSync(bytes);
    const renamed = zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k.replace(/\//g, "\\"), v])));
    expect(Object.keys(unzipSync(renamed)).some((n) => n.includes("\\"))).toBe(true);
    expect((await snapshotWorkbook(renamed))[0].values[0]).toEqual(["Tiêu đề", 5]);
    const res = applyPlanDetailed(renamed, workbookPlan(2024, [formPlan({ sheetName: "F", blocks: [{ row: 1, col: 1, cells: [[{ s: "mới" }]] }] })]));
    expect(res.problems).toEqual([]);
    const out = unzipSync(res.bytes);
    expect(Object.keys(out).filter((n) => n.includes("\\"))).toEqual([]);
    expect((await snapshotWorkbook(res.bytes))[0].values[0]).toEqual(["mới", 5]);
  });

  it("ISO-date cells (t=\"d\") read as the serials Excel stores, in the workbook's date system (issue 15)", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const row = `<row r="1"><c r="A1" t="d"><v>2023-10-01T00:00:00</v></c><c r="B1" t="d"><v>1900-02-28</v></c><c r="C1" t="d"><v>12:00:00</v></c><c r="D1" t="d"><v>PT36H</v></c><c r="E1" t="d"><v>P1Y</v></c></row>`;
      const plain = readFileSync(realWorldXlsx(join(dir, "iso.xlsx"), { sheets: [{ name: "F", sheetData: row }] }, { strict: true }));
      expect((await snapshotWorkbook(plain))[0].values[0]).toEqual([45200, 59, 0.5, 1.5, "P1Y"]);
      // a Mac workbook (1904, with <x15:workbookPr/> in its extLst): 1462 less, no 1900 leap day
      const mac = readFileSync(realWorldXlsx(join(dir, "iso1904.xlsx"), { sheets: [{ name: "F", sheetData: row.replace("1900-02-28", "1904-01-02") }] }, { mac1904: true }));
      expect((await snapshotWorkbook(mac))[0].values[0]).toEqual([43738, 1, 0.5, 1.5, "P1Y"]);
    } finally {
      cleanup();
    }
  });

  it("refuses a file that is not a workbook", () => {
    expect(() => applyPlanDetailed(new TextEncoder().encode("not a zip"), workbookPlan(2024, []))).toThrow(/not a readable/);
  });
});
