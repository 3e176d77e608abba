// The fidelity proof: a workbook with everything (other sheets, styles, merges, widths, names,
// print setup, chart, image, pivot table, validations, conditional formats, comments, VBA) filled
// with a plan that deletes and inserts rows. Every part that does not refer to the form keeps its
// bytes; every reference to a moved cell moved; text stays text; LibreOffice recomputes our sums.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { applyPlanDetailed } from "../../../fill/xlsx/apply.js";
import { readLineage } from "../../../fill/xlsx/lineage.js";
import { Package } from "../../../xlsx/package.js";
import { snapshotWorkbook } from "../../../fill/xlsx/snapshot.js";
import { numberFormatsOf } from "../../../xlsx/styles.js";
import { childElements, descendants, firstChild, textOf } from "../../../xlsx/xml.js";
import type { PlanCell } from "../../../fill/engine/types.js";
import { fixture, formPlan, hasSoffice, recalcAllWithLibreOffice, workbookPlan } from "./helpers.js";

const n = (v: number): PlanCell => ({ n: v });
const s = (v: string): PlanCell => ({ s: v });
const blank: PlanCell = { blank: true };

// delete the row of "Nhiệm vụ hai" (9), then insert three rows at 10 formatted like row 9
const plan = workbookPlan(2025, [
  formPlan({
    sheetName: "PL03",
    rowOps: [
      { op: "delete", at: 9, count: 1 },
      { op: "insert", at: 10, count: 3, formatFrom: 9 },
    ],
    blocks: [
      {
        row: 8,
        col: 1,
        cells: [
          [n(1), s("Nhiệm vụ một"), n(130), n(100), n(70), null],
          [n(2), s("=1+1"), n(90), n(90), n(45), null],
          [n(3), s("01"), n(10), n(5), n(1), s("3/2024")],
          [n(4), s("Mới _x0041_ B"), n(20), n(10), n(2), blank],
          [n(5), s(" khoảng trắng\u0001 "), n(30), n(15), n(3), null],
          [n(6), s("Nhiệm vụ bốn"), n(50), n(50), n(25), null],
          [n(7), s("Nhiệm vụ năm"), n(75), blank, n(30), null],
        ],
      },
    ],
    headerRewrites: [{ row: 5, col: 5, old: "Dự toán năm 2024", new: "Dự toán năm 2025" }],
    lineage: [
      { row: 8, col: 3, lineageId: "pl03:task:T1:c1" },
      { row: 10, col: 3, lineageId: "pl03:task:T9:c1" },
    ],
  }),
]);
const TOTALS = { C: 405, D: 270, E: 176 };

// parts that refer to the form sheet or are the workbook's own bookkeeping
const EXPECTED_CHANGED = new Set([
  "xl/worksheets/sheet1.xml", // PL03 itself
  "xl/comments/comment1.xml", // its comments moved
  "xl/drawings/commentsDrawing1.vml", // and their shapes
  "xl/worksheets/sheet2.xml", // Summary: formulas and a link into PL03
  "xl/charts/chart1.xml", // series on PL03
  "xl/workbook.xml", // names, calcPr
  "xl/styles.xml", // the text style
  "[Content_Types].xml", // lineage part
  "xl/_rels/workbook.xml.rels", // lineage part
]);

function fill(name: string) {
  const before = fixture(name);
  const res = applyPlanDetailed(before, plan, { generation: 7, filledAt: "2026-11-28T09:00:00.000Z" });
  return { before, res, pkgBefore: Package.open(before), pkg: Package.open(res.bytes) };
}

describe.each(["rich.xlsx", "rich.xlsm"])("filling %s", (name) => {
  const { res, pkgBefore, pkg } = fill(name);

  it("applies without problems", () => {
    expect(res.problems).toEqual([]);
  });

  it("keeps every part that does not refer to the form byte for byte, in order", () => {
    const namesBefore = pkgBefore.names();
    const namesAfter = pkg.names();
    // same order for the parts that were there; new ones (lineage) at the end
    expect(namesAfter.slice(0, namesBefore.length)).toEqual(namesBefore);
    expect(namesAfter.slice(namesBefore.length).sort()).toEqual(["customXml/_rels/item1.xml.rels", "customXml/item1.xml", "customXml/itemProps1.xml"]);
    const same: string[] = [];
    for (const part of namesBefore) {
      const a = pkgBefore.read(part);
      const b = pkg.read(part);
      if (EXPECTED_CHANGED.has(part)) continue;
      expect(Buffer.from(b).equals(Buffer.from(a)), `${part} must be byte-identical`).toBe(true);
      same.push(part);
    }
    // not even recompressed: the zip entries carry the very bytes they had
    for (const part of same) expect(Buffer.from(pkg.storedBytes(part)!).equals(Buffer.from(pkgBefore.storedBytes(part)!)), part).toBe(true);
    // the things exceljs would lose are among them
    for (const p of ["xl/pivotTables/pivotTable1.xml", "xl/pivotCache/pivotCacheDefinition1.xml", "xl/pivotCache/pivotCacheRecords1.xml", "xl/media/image1.png", "xl/drawings/drawing1.xml", "xl/drawings/drawing2.xml", "xl/comments/comment2.xml"]) {
      expect(same).toContain(p);
    }
    if (name.endsWith(".xlsm")) {
      expect(same).toContain("xl/vbaProject.bin");
      expect(pkg.readText("[Content_Types].xml")).toContain("application/vnd.ms-excel.sheet.macroEnabled.main+xml");
      expect(pkg.readText("[Content_Types].xml")).toContain("application/vnd.ms-office.vbaProject");
    }
  });

  it("moves the chart's series with the rows", () => {
    const f = descendants(pkg.readXml("xl/charts/chart1.xml").root, "f").map(textOf);
    expect(f).toEqual(["'PL03'!C7", "'PL03'!$B$8:$B$14", "'PL03'!$C$8:$C$14"]);
  });

  it("moves defined names, print area and print titles", () => {
    const names = Object.fromEntries(
      childElements(firstChild(pkg.readXml("xl/workbook.xml").root, "definedNames")!, "definedName").map((d) => [d.attrs.get("name"), textOf(d)]),
    );
    expect(names).toEqual({
      body_total: "PL03!$C$8:$C$14",
      levels: "Data!$A$2:$A$5",
      "_xlnm.Print_Titles": "'PL03'!5:7",
      "_xlnm.Print_Area": "'PL03'!$A$1:$F$17",
    });
    const calcPr = firstChild(pkg.readXml("xl/workbook.xml").root, "calcPr")!;
    expect(calcPr.attrs.get("fullCalcOnLoad")).toBe("1");
  });

  it("grows the SUM ranges and moves cross-sheet references, with no cached results left", () => {
    const pl03 = cellsOf(pkg, "xl/worksheets/sheet1.xml");
    expect(pl03.get("C15")?.f).toBe("SUM(C8:C14)");
    expect(pl03.get("D15")?.f).toBe("SUM(D8:D14)");
    expect(pl03.get("B15")?.text).toBe("Tổng cộng");
    const summary = cellsOf(pkg, "xl/worksheets/sheet2.xml");
    expect(summary.get("B1")?.f).toBe("SUM('PL03'!C8:C14)");
    expect(summary.get("B2")?.f).toBe("'PL03'!C15");
    expect(summary.get("B3")?.f).toBe("PL03!E9*2");
    expect(summary.get("B4")?.f).toBe("SUM(body_total)");
    for (const c of [...pl03.values(), ...summary.values()]) if (c.f !== undefined) expect(c.v, c.ref).toBeUndefined();
  });

  it("moves merges, conditional formats, validations, links, comments and the dimension", () => {
    const root = pkg.readXml("xl/worksheets/sheet1.xml").root;
    expect(descendants(root, "mergeCell").map((m) => m.attrs.get("ref"))).toEqual(["A1:F1", "A2:F2", "C5:D5", "A17:F17"]);
    const cf = childElements(root, "conditionalFormatting");
    expect(cf.map((c) => c.attrs.get("sqref"))).toEqual(["C8:C14", "D8:D14"]);
    expect(textOf(descendants(cf[1], "formula")[0])).toBe("D8>$C$15/2");
    expect(descendants(root, "dataValidation").map((d) => d.attrs.get("sqref"))).toEqual(["F8:F14", "D8:D14"]);
    expect(firstChild(root, "dimension")!.attrs.get("ref")).toBe("A1:F17");
    // "01" is meant as text: no "number stored as text" triangle
    expect(descendants(root, "ignoredError").map((e) => [e.attrs.get("sqref"), e.attrs.get("numberStoredAsText")])).toEqual([["B10", "1"]]);
    const summary = pkg.readXml("xl/worksheets/sheet2.xml").root;
    expect(descendants(summary, "hyperlink")[0].attrs.get("location")).toBe("'PL03'!C14");
    const comments = descendants(pkg.readXml("xl/comments/comment1.xml").root, "comment").map((c) => c.attrs.get("ref"));
    expect(comments).toEqual(["B9", "B14"]);
    const vmlRows = descendants(pkg.readXml("xl/drawings/commentsDrawing1.vml").root, "Row").map(textOf);
    expect(vmlRows).toEqual(["8", "13"]);
  });

  it("formats inserted rows like their model row (style and height)", () => {
    const rows = descendants(pkg.readXml("xl/worksheets/sheet1.xml").root, "row");
    const row = (r: number) => rows.find((x) => x.attrs.get("r") === String(r))!;
    for (const r of [10, 11, 12]) {
      expect(row(r).attrs.get("ht")).toBe("21");
      expect(row(r).attrs.get("customHeight")).toBe("1");
    }
    const cells = cellsOf(pkg, "xl/worksheets/sheet1.xml");
    expect(cells.get("C11")!.s).toBe(cells.get("C9")!.s);
    expect(cells.get("F11")!.s).toBe(cells.get("F9")!.s); // blank keeps the style
    expect(cells.get("F11")!.v).toBeUndefined();
  });

  it("writes text as text (inline strings in a Text-formatted style), numbers as numbers", async () => {
    const cells = cellsOf(pkg, "xl/worksheets/sheet1.xml");
    const formats = numberFormatsOf(pkg.readText("xl/styles.xml"));
    for (const [ref, text] of [["B9", "=1+1"], ["B10", "01"], ["F10", "3/2024"], ["B11", "Mới _x0041_ B"], ["B12", " khoảng trắng\u0001 "], ["E5", "Dự toán năm 2025"]] as const) {
      const c = cells.get(ref)!;
      expect(c.t, ref).toBe("inlineStr");
      expect(c.f, ref).toBeUndefined();
      expect(c.text, ref).toBe(text);
      expect(formats[Number(c.s ?? 0)], ref).toBe("@");
    }
    expect(cells.get("C10")).toMatchObject({ t: undefined, v: "10" });
    // and our own snapshot
    const snap = (await snapshotWorkbook(res.bytes)).find((g) => g.sheetName === "PL03")!;
    expect(snap.values[8].slice(0, 5)).toEqual([2, "=1+1", 90, 90, 45]);
    expect(snap.values[13][3]).toBeNull();
    expect(snap.formulas[14][2]).toBe("=SUM(C8:C14)");
  });

  it("stores the lineage, and a refill replaces it", () => {
    expect(readLineage(res.bytes)).toEqual({
      year: 2025,
      generation: 7,
      filledAt: "2026-11-28T09:00:00.000Z",
      sheets: [{ sheetName: "PL03", form: "PL03", cells: [{ ref: "C8", lineageId: "pl03:task:T1:c1" }, { ref: "C10", lineageId: "pl03:task:T9:c1" }] }],
    });
    const again = applyPlanDetailed(res.bytes, workbookPlan(2025, [formPlan({ sheetName: "PL03", lineage: [{ row: 8, col: 3, lineageId: "x" }] })]), {
      generation: 8,
      filledAt: "2026-11-29T09:00:00.000Z",
    });
    const p2 = Package.open(again.bytes);
    expect(p2.names().filter((x) => x.startsWith("customXml/"))).toHaveLength(3);
    expect(readLineage(again.bytes)!.generation).toBe(8);
    const third = applyPlanDetailed(again.bytes, workbookPlan(2025, [formPlan({ sheetName: "PL03", blocks: [{ row: 11, col: 2, cells: [[{ s: "02" }]] }] })]));
    const ign = descendants(Package.open(third.bytes).readXml("xl/worksheets/sheet1.xml").root, "ignoredError");
    expect(ign.map((e) => e.attrs.get("sqref"))).toEqual(["B10 B11"]);
    expect(readLineage(again.bytes)!.sheets[0].cells).toEqual([{ ref: "C8", lineageId: "x" }]);
    // a refill with no row ops and no blocks leaves the other parts alone
    for (const part of ["xl/charts/chart1.xml", "xl/comments/comment1.xml", "xl/pivotTables/pivotTable1.xml"]) {
      expect(Buffer.from(p2.read(part)).equals(Buffer.from(pkg.read(part)))).toBe(true);
    }
  });
});

describe.skipIf(!hasSoffice)("LibreOffice (needs soffice)", () => {
  it("recomputes the same sums in the filled .xlsx and .xlsm", async () => {
    const filled = ["rich.xlsx", "rich.xlsm"].map((name) => ({ bytes: fill(name).res.bytes, ext: name.slice(-4) }));
    for (const converted of recalcAllWithLibreOffice(filled)) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(converted) as never);
      const ws = wb.getWorksheet("PL03")!;
      const result = (ref: string) => {
        const v = ws.getCell(ref).value as { result?: unknown } | number;
        return typeof v === "object" && v !== null ? v.result : v;
      };
      expect(result("C15")).toBe(TOTALS.C);
      expect(result("D15")).toBe(TOTALS.D);
      expect(result("E15")).toBe(TOTALS.E);
      const sum = wb.getWorksheet("Summary")!;
      const r2 = (ref: string) => (sum.getCell(ref).value as { result?: unknown }).result;
      expect(r2("B1")).toBe(TOTALS.C);
      expect(r2("B2")).toBe(TOTALS.C);
      expect(r2("B3")).toBe(90);
      expect(r2("B4")).toBe(TOTALS.C);
      expect(ws.getCell("B9").value).toBe("=1+1");
      expect(ws.getCell("B10").value).toBe("01");
    }
  });
});

interface CellInfo {
  ref: string;
  s?: string;
  t?: string;
  f?: string;
  v?: string;
  text?: string;
}

function cellsOf(pkg: Package, part: string): Map<string, CellInfo> {
  const out = new Map<string, CellInfo>();
  for (const c of descendants(pkg.readXml(part).root, "c")) {
    const ref = c.attrs.get("r")!;
    const f = firstChild(c, "f");
    const v = firstChild(c, "v");
    const is = firstChild(c, "is");
    out.set(ref, {
      ref,
      s: c.attrs.get("s"),
      t: c.attrs.get("t"),
      f: f ? textOf(f) : undefined,
      v: v ? textOf(v) : undefined,
      text: is ? decode(textOf(is)) : undefined,
    });
  }
  return out;
}

const decode = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
