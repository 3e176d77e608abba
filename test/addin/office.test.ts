// The Office.js back end against office-addin-mock (test/doubles/mock-excel.ts records every
// property set and method call with the sync it belongs to).
import { describe, expect, it } from "vitest";
import {
  applyFormPlan,
  describeExcelError,
  fillWorkbook,
  insertOverviewCharts,
  lineageAfterFill,
  newSyncLog,
  readHeads,
  readSheet,
  splitLineage,
  writeLineage,
} from "../../addin/office/excel.js";
import { EXCEL_WEB_PAYLOAD_LIMIT, planRequests, textRects, sliceBlock, colLetters } from "../../addin/office/batches.js";
import { createMockExcel, type MockEvent } from "../doubles/mock-excel.js";
import { measureOfficeFill } from "../doubles/office-measure.js";
import { LINEAGE_NS, buildLineageXml, parseLineageXml } from "../../fill/lineage-xml.js";
import type { FormPlan } from "../../fill/engine/types.js";
import { TRICKY_TEXTS, pl03Plan, pl03Template, workbookPlan } from "./fixtures.js";
import { useMockExcel } from "./office-fill.js";

const install = useMockExcel;

const all = () => true;
const none = () => false;

/** Cells (sheet-relative "B9") that a set event covers. */
function covered(e: Extract<MockEvent, { kind: "set" }>): string[] {
  const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(e.address)!;
  const col = (s: string) => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  const [c1, r1] = [col(m[1]), Number(m[2])];
  const [c2, r2] = m[3] ? [col(m[3]), Number(m[4])] : [c1, r1];
  const grid = e.value as unknown[][];
  const out: string[] = [];
  for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) if (grid[r - r1]?.[c - c1] !== null) out.push(`${colLetters(c)}${r}`);
  return out;
}

describe("planRequests (pure)", () => {
  it("one request for a 5 000-row PL03, below the 5 MB limit", () => {
    const reqs = planRequests(pl03Plan(5000));
    expect(reqs).toHaveLength(1);
    expect(reqs[0].bytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    const kinds = reqs[0].ops.map((o) => o.kind);
    expect(kinds[0]).toBe("insertRows");
    // "@" rectangles come before the values of their block
    expect(kinds.indexOf("textFormat")).toBeLessThan(kinds.indexOf("values"));
    expect(kinds.filter((k) => k === "values")).toHaveLength(2); // the block + the header rewrite
  });

  it("cuts a block by rows when it would pass the budget", () => {
    const plan = pl03Plan(400);
    const reqs = planRequests(plan, 20_000);
    expect(reqs.length).toBeGreaterThan(3);
    for (const r of reqs) expect(r.bytes).toBeLessThanOrEqual(20_000);
    const rows = reqs.flatMap((r) => r.ops).filter((o) => o.kind === "values").reduce((n, o) => n + (o.kind === "values" ? o.values.length : 0), 0);
    expect(rows).toBe(400 + 1);
    expect(sliceBlock(plan.blocks[0], 20_000).map((b) => b.row)[1]).toBeGreaterThan(9);
  });

  it("text rectangles cover exactly the text cells", () => {
    const rects = textRects({ row: 5, col: 2, cells: [[{ s: "a" }, { s: "b" }, { n: 1 }], [{ s: "c" }, null, { s: "d" }], [{ n: 2 }, { blank: true }, { s: "e" }]] });
    expect(rects).toEqual([
      { row: 5, col: 2, rows: 2, cols: 1 },
      { row: 5, col: 3, rows: 1, cols: 1 },
      { row: 6, col: 4, rows: 2, cols: 1 },
    ]);
  });
});

describe("Office.js back end on office-addin-mock", () => {
  it("reads heads in three workbook syncs, then a form's sheet in one", async () => {
    const t = pl03Template();
    const lineageXml = buildLineageXml({ year: 2023, generation: 3, filledAt: "2025-06-01T00:00:00.000Z", sheets: [{ sheetName: "PL03", form: "PL03", cells: [{ ref: "G9", lineageId: "x" }] }] });
    const mock = createMockExcel([t, { name: "Ghi chú", rows: [["note"]] }, { name: "Empty", rows: [] }], { xmlParts: [{ ns: LINEAGE_NS, xml: lineageXml }] });
    const X = install(mock);
    const log = newSyncLog();
    await X.run(async (context) => {
      const wb = await readHeads(context, { headRows: 5, supports: all, log });
      expect(log.workbook).toBe(3);
      expect(wb.sheets.map((s) => [s.name, s.lastRow, s.lastCol])).toEqual([
        ["PL03", 11, 20],
        ["Ghi chú", 1, 1],
        ["Empty", 0, 0],
      ]);
      expect(wb.heads).toHaveLength(2);
      expect(wb.heads[0].values).toHaveLength(5);
      expect(wb.heads[0].values[0][0]).toBe("Phụ lục 03");
      expect(wb.heads[0].values[0][1]).toBeNull();
      expect(wb.lineage?.sheets[0].cells[0]).toEqual({ ref: "G9", lineageId: "x" });
      expect(wb.lineagePartIds).toHaveLength(1);

      const full = await readSheet(context, wb.sheets[0], { sample: wb.heads[0].values, supports: all, log, form: "PL03" });
      expect(log.perForm.PL03).toBe(1);
      expect(full.values).toHaveLength(11);
      expect(full.formulas[8][5]).toBe("=SUM(G9:H9)");
      expect(full.formulas[8][6]).toBeNull();
      expect(full.values[8][6]).toBe(1);
      expect(full.numberFormats?.[8][6]).toBe("#,##0.0");
    });
  });

  it("reads merged areas in bands of rows (getMergedAreas fails beyond 512)", async () => {
    const rows = Array.from({ length: 600 }, (_, i) => [`r${i + 1}`, 1, 2]);
    const merges = ["A1:C1", "B250:B251", ...Array.from({ length: 200 }, (_, i) => `B${300 + i}:C${300 + i}`)];
    const mock = createMockExcel([{ name: "S", rows, merges }]);
    const X = install(mock);
    await X.run(async (context) => {
      const snap = await readSheet(context, { name: "S", index: 0, lastRow: 600, lastCol: 3 }, { supports: all });
      expect(snap.merges).toHaveLength(202);
      expect(snap.merges[0]).toEqual({ top: 1, left: 1, bottom: 1, right: 3 });
      expect(snap.merges.filter((m) => m.top === 250)).toEqual([{ top: 250, left: 2, bottom: 251, right: 2 }]);
    });
  });

  it("writes land where the plan says; null cells (template formulas, notes) untouched; text as text", async () => {
    const t = pl03Template();
    const mock = createMockExcel([t]);
    const X = install(mock);
    const plan: FormPlan = {
      ...pl03Plan(4),
      blocks: [
        {
          row: 9,
          col: 1,
          cells: [
            [{ s: "1" }, { s: TRICKY_TEXTS[0] }, { s: TRICKY_TEXTS[1] }, { s: TRICKY_TEXTS[2] }, { s: TRICKY_TEXTS[3] }, null, { n: 10.5 }, { blank: true }],
            [{ s: "2" }, { s: TRICKY_TEXTS[4] }, { s: TRICKY_TEXTS[5] }, null, null, null, { n: 7 }, { n: 0 }],
            [{ s: "3" }, { s: "Nhiệm vụ mới" }, null, null, null, { f: "=SUM(G11:H11)" }, { n: 1 }, { n: 2 }],
            [{ s: "4" }, { s: "Nhiệm vụ mới 2" }, null, null, null, null, { n: 3 }, { n: 4 }],
          ],
        },
      ],
    };
    await X.run(async (context) => {
      const r = await applyFormPlan(context, plan, { supports: all });
      expect(r.syncs).toBe(1);
    });
    const s = mock.sheets[0];
    // 2 rows inserted at row 10: the old row 10 and the total moved to 12 and 13
    expect(s.values).toHaveLength(13);
    expect(s.formulas[12][5]).toBe("=SUM(F9:F10)"); // the total row's formula, untouched (moved)
    expect(s.values[8].slice(0, 8)).toEqual(["1", "=1+1", "01", "3/2024", "- Nhiệm vụ cấp tỉnh", 0, 10.5, ""]);
    expect(s.formulas[8][5]).toBe("=SUM(G9:H9)"); // null: the template formula stays
    expect(s.formulas[8][1]).toBe("=1+1"); // as text: the value IS the string, it was not computed
    expect(s.formats[8][1]).toBe("@");
    expect(s.formats[8][6]).toBe("#,##0.0"); // number cells keep the template's format
    expect(s.values[9][1]).toBe("+84 272");
    expect(s.values[9][2]).toBe("1.234,5");
    expect(s.formulas[10][5]).toBe("=SUM(G11:H11)"); // { f } written as a formula
    expect(s.formats[10][6]).toBe("#,##0.0"); // inserted row took the template row's format (copyFrom)
    expect(s.values[0][0]).toBe("Phụ lục 03");
    expect(s.values[1][0]).toBe("Dự toán năm 2024"); // header rewrite
    expect(mock.textWithoutTextFormat).toEqual([]);
  });

  it('sets "@" on every text cell before its value (order of property sets)', async () => {
    const mock = createMockExcel([pl03Template()]);
    const X = install(mock);
    const plan = pl03Plan(300);
    await X.run(async (context) => {
      await applyFormPlan(context, plan, { supports: all, budget: 30_000 });
    });
    const sets = mock.events.filter((e): e is Extract<MockEvent, { kind: "set" }> => e.kind === "set");
    const firstFormat = new Map<string, number>();
    const firstValue = new Map<string, number>();
    sets.forEach((e, i) => {
      const target = e.prop === "numberFormat" ? firstFormat : e.prop === "values" ? firstValue : null;
      if (!target) return;
      for (const cell of covered(e)) if (!target.has(cell)) target.set(cell, i);
    });
    let textCells = 0;
    for (const b of [...plan.blocks, { row: 2, col: 1, cells: [[{ s: "x" }]] }]) {
      b.cells.forEach((row, r) =>
        row.forEach((c, k) => {
          if (!c || !("s" in c)) return;
          textCells++;
          const ref = `${colLetters(b.col + k)}${b.row + r}`;
          expect(firstFormat.get(ref), ref).toBeDefined();
          expect(firstFormat.get(ref)!, ref).toBeLessThan(firstValue.get(ref)!);
        }),
      );
    }
    expect(textCells).toBe(300 * 5 + 1);
    // and no number cell got "@"
    const s = mock.sheets[0];
    expect(s.formats[9][7]).toBe("#,##0.0");
    expect(mock.textWithoutTextFormat).toEqual([]);
  });

  it("a 5 000-row PL03: ≤ 3 syncs for the form, every request and response below 5 MB", async () => {
    // last year's copy already has 5 000 rows: the read of phase two is large too
    const t = pl03Template();
    const big = pl03Plan(5000);
    const rows = [...t.rows.slice(0, 8), ...big.blocks[0].cells.map((r) => r.map((c) => (c && "s" in c ? c.s : c && "n" in c ? c.n : null))), t.rows[10]];
    const mock = createMockExcel([{ name: "PL03", rows, numberFormats: t.numberFormats }, { name: "Khác", rows: [["x"]] }]);
    const X = install(mock);
    void X;
    const plan = { ...big, rowOps: [] };
    const result = await fillWorkbook({
      year: 2024,
      generation: 7,
      locate: (heads) => {
        expect(heads.map((h) => h.sheetName)).toEqual(["PL03", "Khác"]);
        return [{ form: "PL03", sheetName: "PL03" }];
      },
      plan: (sheets) => {
        expect(sheets).toHaveLength(1);
        expect(sheets[0].values.length).toBe(5009);
        return workbookPlan(plan);
      },
      supports: all,
      now: () => new Date("2026-01-02T03:04:05Z"),
    });
    expect(result.log.perForm.PL03).toBeLessThanOrEqual(3);
    // the read of 5 000 rows × 20 columns (~4.4 MB of values, formulas and formats) takes two
    // responses within the 4 MB budget; the write is one request
    expect(result.applied[0].syncs).toBe(1);
    expect(result.log.workbook).toBe(4); // sheets, used ranges, first rows; the lineage part
    const syncs = mock.events.filter((e): e is Extract<MockEvent, { kind: "sync" }> => e.kind === "sync");
    expect(syncs).toHaveLength(4 + result.log.perForm.PL03);
    for (const s of syncs) {
      expect(s.requestBytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
      expect(s.responseBytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    }
    // calculation suspended before each write sync (ExcelApi 1.6 "supported")
    expect(mock.events.filter((e) => e.kind === "app")).toHaveLength(1);
    expect(mock.textWithoutTextFormat).toEqual([]);
    // the lineage part: readable by the same parser the headless fill uses
    const part = mock.xmlParts.find((p) => p.ns === LINEAGE_NS)!;
    const l = parseLineageXml(part.xml);
    expect(l).toMatchObject({ year: 2024, generation: 7, filledAt: "2026-01-02T03:04:05.000Z" });
    expect(l.sheets[0].cells).toHaveLength(plan.lineage.length);
    expect(l.sheets[0].cells[0]).toEqual({ ref: "G9", lineageId: "pl03:task:T0:c2" });
  });

  it("requests split below 5 MB: one more sync per further chunk", async () => {
    // 3 000 rows with a long note each (~1.5 KB a row): neither the read nor the write fits 4 MB
    const note = "Ghi chú của phòng Kế hoạch – Tài chính về tiến độ giải ngân và hồ sơ quyết toán. ".repeat(16);
    const plan = pl03Plan(3000);
    for (const row of plan.blocks[0].cells) row[19] = { s: note };
    const m = await measureOfficeFill(workbookPlan(plan));
    expect(m.maxRequestBytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    expect(m.maxResponseBytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    const writes = planRequests(plan).length;
    expect(writes).toBeGreaterThan(1);
    expect(m.perForm.PL03).toBeGreaterThan(3);
    expect(m.textWithoutTextFormat).toBe(0);
    // a lineage part larger than a request is split into parts of our namespace, one sync each
    const small = await measureOfficeFill(workbookPlan(pl03Plan(400)), { budget: 40_000 });
    expect(small.workbookSyncs).toBeGreaterThan(1);
    expect(small.maxRequestBytes).toBeLessThan(40_000 * 1.1);
  });

  it("measureOfficeFill on a 5 000-row PL03", async () => {
    const m = await measureOfficeFill(workbookPlan(pl03Plan(5000)));
    expect(m.syncsPerFormMax).toBeLessThanOrEqual(3);
    expect(m.maxRequestBytes).toBeLessThan(EXCEL_WEB_PAYLOAD_LIMIT);
    expect(m.textWithoutTextFormat).toBe(0);
  });

  it("uses optional features only where isSetSupported says so", async () => {
    const mock = createMockExcel([pl03Template()]);
    const X = install(mock);
    await X.run(async (context) => {
      await applyFormPlan(context, pl03Plan(5), { supports: none });
    });
    expect(mock.events.some((e) => e.kind === "app")).toBe(false);
    expect(mock.events.some((e) => e.kind === "call" && e.method === "copyFrom")).toBe(false);
    expect(mock.events.some((e) => e.kind === "call" && e.method === "insert" && (e.args[0] as string) === "Down")).toBe(true);
    // without copyFrom the inserted rows took the row above's format (Excel's own rule)
    expect(mock.sheets[0].formats[10][6]).toBe("#,##0.0");
  });

  it("deletes rows with delete(up)", async () => {
    const mock = createMockExcel([pl03Template()]);
    const X = install(mock);
    const plan: FormPlan = { ...pl03Plan(1), rowOps: [{ op: "delete", at: 10, count: 1 }], blocks: [{ row: 9, col: 2, cells: [[{ s: "only" }]] }], headerRewrites: [] };
    await X.run(async (context) => void (await applyFormPlan(context, plan, { supports: all })));
    expect(mock.events.find((e) => e.kind === "call" && e.method === "delete")).toMatchObject({ address: "10:10", args: ["Up"] });
    expect(mock.sheets[0].values).toHaveLength(10);
    expect(mock.sheets[0].values[9][1]).toBe("Tổng cộng");
    expect(mock.sheets[0].values[8][1]).toBe("only");
  });

  it("Fill one keeps the other forms' lineage; old parts replaced", async () => {
    const old = { year: 2024, generation: 3, filledAt: "2025-01-01T00:00:00.000Z", sheets: [{ sheetName: "PL02", form: "PL02", cells: [{ ref: "C9", lineageId: "pl02:01:c2" }] }, { sheetName: "PL03", form: "PL03", cells: [{ ref: "Z1", lineageId: "stale" }] }] };
    const next = lineageAfterFill(old, [pl03Plan(2)], { year: 2024, generation: 4, filledAt: "2025-02-01T00:00:00.000Z" });
    expect(next.sheets.map((s) => s.sheetName)).toEqual(["PL02", "PL03"]);
    expect(next.sheets[1].cells.some((c) => c.lineageId === "stale")).toBe(false);
    const mock = createMockExcel([pl03Template()], { xmlParts: [{ ns: LINEAGE_NS, xml: buildLineageXml(old) }, { ns: "urn:other", xml: "<x xmlns='urn:other'/>" }] });
    const X = install(mock);
    await X.run(async (context) => void (await writeLineage(context, next, ["{part-1}"])));
    expect(mock.xmlParts.map((p) => p.ns)).toEqual(["urn:other", LINEAGE_NS]);
    // a lineage larger than the budget is split into several parts of our namespace
    expect(splitLineage(lineageAfterFill(null, [pl03Plan(200)], { year: 2024, generation: 1, filledAt: "x" }), 20_000).length).toBeGreaterThan(1);
  });

  it("inserts the overview charts as native charts, labels as text", async () => {
    const mock = createMockExcel([pl03Template(), { name: "Tổng quan phuluc", rows: [["old"]] }]);
    install(mock);
    await insertOverviewCharts("Tổng quan phuluc", [
      { title: "Dự toán", rows: [["", "NSTW", "NSĐP"], ["DT 2024", 1, 41612]], chart: "columnStacked" },
      { title: "Tỷ lệ", rows: [["", "6 tháng"], ["01", 34.2]], chart: "columnClustered" },
    ]);
    const s = mock.sheets.find((x) => x.name === "Tổng quan phuluc")!;
    expect(s.values[0][0]).toBe("Dự toán");
    expect(s.values[2]).toEqual(["DT 2024", 1, 41612]);
    expect(s.formats[2][0]).toBe("@");
    expect(s.formats[2][1]).toBe("General");
    expect(s.values.flat()).not.toContain("old"); // the old overview sheet was replaced
    expect(mock.charts.map((c) => [c.type, c.source, c.title])).toEqual([
      ["ColumnStacked", "A2:C3", "Dự toán"],
      ["ColumnClustered", expect.stringMatching(/^A\d+:B\d+$/), "Tỷ lệ"],
    ]);
    expect(s.values.find((r) => r[0] === "01")).toEqual(["01", 34.2]); // "01" stays text
    expect(mock.textWithoutTextFormat).toEqual([]);
  });

  it("shows an Excel.run error with code and debugInfo", () => {
    const e = Object.assign(new Error("The argument is invalid or missing or has an incorrect format."), {
      name: "RichApi.Error",
      code: "InvalidArgument",
      debugInfo: { code: "InvalidArgument", message: "…", errorLocation: "Range.values", statement: "range.values = ...;", fullStatements: ["secret"] },
    });
    const d = describeExcelError(e);
    expect(d.code).toBe("InvalidArgument");
    expect(d.debugInfo).toContain("Range.values");
    expect(d.debugInfo).not.toContain("secret");
  });
});
