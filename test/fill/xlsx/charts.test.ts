// The chart sheet "Biểu đồ" of a headless fill, on the bundled sample (offices' workbooks → etl
// load → fill of sample/template.xlsx for 2024): DrawingML parts that point at the sheet's own
// cells and cache their values, lineage of every figure on it, a refill that rewrites rather than
// adds, workbooks not asked for charts left without, and LibreOffice reading the charts back.
import ExcelJS from "exceljs";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema } from "../../../core/config.js";
import { runLoad } from "../../../etl/commands.js";
import { openCurrent } from "../../../warehouse/generations.js";
import { fillWorkbook, type FillResult } from "../../../fill/fill.js";
import { readLineage } from "../../../fill/xlsx/lineage.js";
import { Package } from "../../../xlsx/package.js";
import { descendants, firstChild, textOf, type XmlElement } from "../../../xlsx/xml.js";
import { loadChartSheet } from "../../../queries/charts.js";
import { parseChartSheetDef } from "../../../queries/chart-schema.js";
import { hasSoffice, recalcWithLibreOffice } from "./helpers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const config = ConfigSchema.parse(JSON.parse(readFileSync(join(root, "sample", "phuluc.config.json"), "utf8")));
const template = new Uint8Array(readFileSync(join(root, "sample", "template.xlsx")));
const now = new Date("2024-06-30T03:00:00Z");

let first: FillResult;
let refill: FillResult;
let plain: FillResult;
let oddProps: { template: Uint8Array; filled: FillResult };
let handMade: { asked: FillResult; notAsked: FillResult; template: Uint8Array };
let generation = 0;
let dbFile = "";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "phuluc-charts-"));
  const db = join(dir, "w.duckdb");
  dbFile = db;
  const report = await runLoad({ inbox: join(root, "sample", "inbox"), db, config, quiet: true, now: () => now });
  expect(report.outcome).toBe("loaded");
  const w = await openCurrent(db);
  try {
    generation = w.generation ?? 0;
    first = await fillWorkbook({ db: w, year: 2024, template, charts: true, now });
    // no option: the workbook already has the chart sheet, so it is rewritten
    refill = await fillWorkbook({ db: w, year: 2024, template: first.bytes, now });
    plain = await fillWorkbook({ db: w, year: 2024, template, now });
    // properties another program wrote, naming sheets the workbook does not have
    const odd = Package.open(template);
    odd.write("docProps/app.xml", odd.readText("docProps/app.xml").replace("<vt:lpstr>PL06</vt:lpstr>", "<vt:lpstr>Sheet6</vt:lpstr>"));
    oddProps = { template: odd.toBytes(), filled: await fillWorkbook({ db: w, year: 2024, template: odd.toBytes(), charts: true, now }) };
    // an officer's own sheet called "Biểu đồ"
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(template) as never);
    wb.addWorksheet("Biểu đồ").getCell("A1").value = "biểu đồ của tôi";
    const own = new Uint8Array(await wb.xlsx.writeBuffer());
    handMade = {
      template: own,
      asked: await fillWorkbook({ db: w, year: 2024, template: own, charts: true, now }),
      notAsked: await fillWorkbook({ db: w, year: 2024, template: own, now }),
    };
  } finally {
    w.close();
  }
}, 120_000);

/** The series of a chart part: its name cell, category range, value range and cached values. */
function seriesOf(chart: XmlElement) {
  return descendants(chart, "ser").map((s) => {
    const f = (el: XmlElement | undefined) => (el ? textOf(descendants(el, "f")[0]) : "");
    const cache = descendants(firstChild(s, "val")!, "pt").map((p) => [Number(p.attrs.get("idx")), Number(textOf(firstChild(p, "v")!))]);
    return { tx: f(firstChild(s, "tx")), cat: f(firstChild(s, "cat")), val: f(firstChild(s, "val")), cache };
  });
}

const chartParts = (pkg: Package) => pkg.names().filter((n) => /^xl\/(charts|drawings)\//.test(n)).sort();

describe("the chart sheet of a headless fill", () => {
  it("adds the sheet with a drawing and one DrawingML chart per definition, wired by rels and content types", () => {
    const pkg = Package.open(first.bytes);
    const sheets = pkg.sheets();
    expect(sheets.map((s) => s.name)).toEqual(["PL01", "PL02", "PL03", "PL04", "PL05", "PL06", "Biểu đồ"]);
    const sheet = sheets.at(-1)!;
    expect(chartParts(pkg)).toEqual(["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/drawings/_rels/drawing1.xml.rels", "xl/drawings/drawing1.xml"]);
    const drawing = pkg.rels(sheet.part).filter((r) => r.type.endsWith("/drawing"));
    expect(drawing.map((r) => r.part)).toEqual(["xl/drawings/drawing1.xml"]);
    expect(pkg.rels("xl/drawings/drawing1.xml").map((r) => r.part)).toEqual(["xl/charts/chart1.xml", "xl/charts/chart2.xml"]);
    expect(pkg.contentType("xl/charts/chart1.xml")).toBe("application/vnd.openxmlformats-officedocument.drawingml.chart+xml");
    expect(pkg.contentType("xl/drawings/drawing1.xml")).toBe("application/vnd.openxmlformats-officedocument.drawing+xml");
    expect(pkg.contentType(sheet.part)).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
    expect(first.report.charts).toMatchObject({ sheet: "Biểu đồ", charts: ["phuluc.budget_by_year_source", "phuluc.disbursement_by_level"] });
  });

  it("names the sheet in the file's properties too (docProps/app.xml), once, after the worksheets Excel listed", () => {
    const titles = (bytes: Uint8Array) => {
      const app = Package.open(bytes).readXml("docProps/app.xml").root;
      const count = textOf(descendants(firstChild(app, "HeadingPairs")!, "i4")[0]!);
      const vector = firstChild(firstChild(app, "TitlesOfParts")!, "vector")!;
      return { count, size: vector.attrs.get("size"), names: descendants(vector, "lpstr").map(textOf) };
    };
    const pls = ["PL01", "PL02", "PL03", "PL04", "PL05", "PL06"];
    expect(titles(template)).toEqual({ count: "6", size: "6", names: pls });
    expect(titles(first.bytes)).toEqual({ count: "7", size: "7", names: [...pls, "Biểu đồ"] });
    expect(titles(refill.bytes)).toEqual(titles(first.bytes));
    expect(titles(plain.bytes)).toEqual(titles(template));
    // a list that is not the workbook's worksheets is left as it was (the sheet is added all the same)
    expect(Package.open(oddProps.filled.bytes).sheets().at(-1)!.name).toBe("Biểu đồ");
    expect(titles(oddProps.filled.bytes)).toEqual({ count: "6", size: "6", names: [...pls.slice(0, 5), "Sheet6"] });
  });

  it("points every series at the sheet's cells and caches the values they hold (PL01, PL02 figures)", async () => {
    const pkg = Package.open(first.bytes);
    const budget = pkg.readXml("xl/charts/chart1.xml").root;
    expect(descendants(budget, "barDir")[0].attrs.get("val")).toBe("col");
    expect(descendants(budget, "grouping")[0].attrs.get("val")).toBe("stacked");
    const s1 = seriesOf(budget);
    expect(s1.map((s) => s.tx)).toEqual(["'Biểu đồ'!$B$5", "'Biểu đồ'!$C$5", "'Biểu đồ'!$D$5", "'Biểu đồ'!$E$5", "'Biểu đồ'!$F$5"]);
    expect(s1[0]).toMatchObject({ cat: "'Biểu đồ'!$A$6:$A$9", val: "'Biểu đồ'!$B$6:$B$9" });
    // sample README: PL01 row 01 DT 2022 37.500, DT 2023 39.651,195, ước 2023 39.651,195; PL02 row 01 NSĐP 41.612
    expect(s1[0].cache).toEqual([[0, 37500], [1, 39651.195], [2, 39651.195]]);
    expect(s1[2].cache).toEqual([[3, 41612]]);
    expect(s1[1].cache).toEqual([]); // no NSTW figure: a gap, not a 0
    const rate = pkg.readXml("xl/charts/chart2.xml").root;
    expect(descendants(rate, "barDir")[0].attrs.get("val")).toBe("bar");
    const s2 = seriesOf(rate);
    // PL01 rows 09–13, columns 5 (6 months / DT) and 7 (expected / DT): 21,4 · – · 33,0 · 27,9 · –
    expect(s2.map((s) => s.cache)).toEqual([
      [[0, 21.4], [2, 33], [3, 27.9]],
      [[0, 100], [2, 100], [3, 100]],
    ]);
    expect(s2[0].val).toBe("'Biểu đồ'!$B$26:$B$30");

    // the cells hold what the caches say, texts as text
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(first.bytes) as never);
    const ws = wb.getWorksheet("Biểu đồ")!;
    expect(["A6", "B6", "B7", "D9", "B5"].map((a) => ws.getCell(a).value)).toEqual(["Dự toán 2022", 37500, 39651.195, 41612, "NSNN (NSTW + NSĐP)"]);
    expect(["A26", "B26", "C26", "B27"].map((a) => ws.getCell(a).value)).toEqual(["Cấp quốc gia", 21.4, 100, null]);
    expect(ws.getCell("B26").numFmt).toBe("0.0");
    expect(ws.getCell("A6").numFmt).toBe("@");
    // … and the PL01 sheet shows the same figures
    const pl01 = wb.getWorksheet("PL01")!;
    let r09 = 0;
    pl01.eachRow((row, n) => void (String(row.getCell(2).value) === "09" && (r09 = n)));
    expect(pl01.getRow(r09).getCell(7).value).toBe(21.4);
  });

  it("stores the lineage of each figure on the sheet: the id of the form cell it copies", () => {
    const l = readLineage(first.bytes)!;
    const charts = l.sheets.find((s) => s.sheetName === "Biểu đồ")!;
    expect(charts.form).toBe("charts");
    const byRef = new Map(charts.cells.map((c) => [c.ref, c.lineageId]));
    expect(byRef.get("B6")).toBe(`pl01:2024:${generation}:01:c1`);
    expect(byRef.get("D9")).toBe(`pl02:2024:${generation}:01:c3`);
    expect(byRef.get("C26")).toBe(`pl01:2024:${generation}:09:c7`);
    expect(byRef.has("B27")).toBe(false); // no figure, no lineage
    const pl01 = l.sheets.find((s) => s.form === "pl01")!.cells.map((c) => c.lineageId);
    for (const id of byRef.values()) expect(id.startsWith("pl02") || pl01.includes(id)).toBe(true);
    expect(charts.cells).toHaveLength(3 + 1 + 3 + 3);
  });

  it("a refill rewrites the same sheet and parts instead of adding another", () => {
    const a = Package.open(first.bytes);
    const b = Package.open(refill.bytes);
    expect(b.sheets().map((s) => s.name)).toEqual(a.sheets().map((s) => s.name));
    expect(chartParts(b)).toEqual(chartParts(a));
    for (const part of ["xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/drawings/drawing1.xml", a.sheets().at(-1)!.part, "xl/styles.xml", "xl/workbook.xml"]) {
      expect(b.readText(part), part).toBe(a.readText(part));
    }
    expect(refill.report.charts?.sheet).toBe("Biểu đồ");
    expect(readLineage(refill.bytes)!.sheets.filter((s) => s.form === "charts")).toHaveLength(1);
    // the chart sheet is not taken for a form
    expect(refill.report.forms.map((f) => [f.form, f.sheet])).toEqual(first.report.forms.map((f) => [f.form, f.sheet]));
  });

  it("leaves a workbook without charts unless asked (the golden sample's fill is unchanged)", () => {
    const pkg = Package.open(plain.bytes);
    expect(pkg.sheets().map((s) => s.name)).not.toContain("Biểu đồ");
    expect(chartParts(pkg)).toEqual([]);
    expect(plain.report.charts).toBeNull();
  });

  it("never overwrites a sheet of that name that a fill did not make", async () => {
    const own = Package.open(handMade.template);
    const part = own.sheets().find((s) => s.name === "Biểu đồ")!.part;
    for (const r of [handMade.asked, handMade.notAsked]) {
      const pkg = Package.open(r.bytes);
      expect(pkg.readText(part)).toBe(own.readText(part));
      expect(chartParts(pkg)).toEqual([]);
      expect(r.report.charts).toBeNull();
    }
    expect(handMade.asked.report.problems.map((p) => [p.code, p.place.sheet])).toEqual([["W_CHART_SHEET_TAKEN", "Biểu đồ"]]);
    expect(handMade.notAsked.report.problems).toEqual([]);
  });

  it("reads the bundled definition; a definition that does not add up is refused", () => {
    const def = loadChartSheet()!;
    expect(def.sheetName).toBe("Biểu đồ");
    expect(def.charts.map((c) => c.id)).toEqual(["budget_by_year_source", "disbursement_by_level"]);
    expect(() => parseChartSheetDef({ ...def, charts: [{ ...def.charts[0], categories: ["only one"] }] })).toThrow(/points for 1 categories/);
    expect(() => parseChartSheetDef({ ...def, charts: [{ ...def.charts[0], series: [{ name: "x", points: ["pl01-01-c1", null, null, null] }] }] })).toThrow();
  });

  it.skipIf(!hasSoffice)("LibreOffice reads both charts with their ranges, and a workbook it saved is refilled in place (needs soffice)", async () => {
    const saved = recalcWithLibreOffice(first.bytes);
    const back = Package.open(saved);
    const charts = back.names().filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n)).sort();
    expect(charts).toHaveLength(2);
    const refs = charts.map((c) => seriesOf(back.readXml(c).root).map((s) => s.val.replace(/\$/g, "")));
    expect(refs.flat()).toEqual(expect.arrayContaining(["'Biểu đồ'!B6:B9", "'Biểu đồ'!F6:F9", "'Biểu đồ'!B26:B30", "'Biểu đồ'!C26:C30"]));

    // saved by LibreOffice (its own part names, shared strings): the refill still finds its sheet
    const w = await openCurrent(dbFile);
    let again: FillResult;
    try {
      again = await fillWorkbook({ db: w, year: 2024, template: saved, now });
    } finally {
      w.close();
    }
    const pkg = Package.open(again.bytes);
    expect(pkg.sheets().filter((s) => s.name === "Biểu đồ")).toHaveLength(1);
    expect(again.report.charts?.charts).toHaveLength(2);
    const drawings = pkg.sheets().flatMap((s) => pkg.rels(s.part).filter((r) => r.type.endsWith("/drawing")).map((r) => r.part));
    expect(drawings.flatMap((d) => pkg.rels(d!).filter((r) => r.type.endsWith("/chart")))).toHaveLength(2);
  });
});
