// The fast reader against the exceljs reference, cell by cell, on every fixture exceljs can read;
// and a property test: random grids written by exceljs read back identically by both readers.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { openFastXlsx } from "../../etl/xlsx/fast.js";
import { openExcelJsXlsx } from "../../etl/xlsx/reference.js";
import type { XCell } from "../../etl/xlsx/types.js";
import { generateBenchSet } from "../../bench/xlsx-floor.js";
import { LIMITS, exceljs1904, exceljsBasic, handMadeXlsx, readAll, tempDir, type ReadResult } from "./fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const DATE_FMT = /[dmyh]/i;

/**
 * The deliberate differences between the readers, and only those (see etl/xlsx/reference.ts):
 * - exceljs unescapes backslashes in custom number formats ("#,##0\ đ" → "#,##0 đ");
 * - exceljs reads an empty shared string as no value;
 * - exceljs loses the type of a formula's cached result: booleans arrive as 1/0, errors as NaN;
 * - exceljs hands date-formatted numbers over as Date rounded to the millisecond.
 */
function normaliseCell(c: XCell, side: "fast" | "ref"): XCell {
  const out: XCell = { ...c };
  if (out.numFmt !== undefined) out.numFmt = out.numFmt.replace(/\\(.)/g, "$1");
  if (out.font === undefined) delete out.font;
  if (side === "fast") {
    if (out.type === "s" && out.value === "" && out.formula === undefined) {
      out.type = "z";
      out.value = null;
    }
    if (out.formula !== undefined && out.type === "b") {
      out.type = "n";
      out.value = out.value ? 1 : 0;
    }
    if (out.formula !== undefined && out.type === "e") out.value = null;
  }
  if (out.type === "n" && out.numFmt && DATE_FMT.test(out.numFmt.replace(/"[^"]*"/g, ""))) {
    out.value = Math.round((out.value as number) * 1e7) / 1e7;
  }
  return out;
}

function normalise(r: ReadResult, side: "fast" | "ref"): ReadResult {
  return {
    ...r,
    sheets: r.sheets.map((s) => ({ ...s, rows: s.rows.map((row) => ({ ...row, cells: row.cells.map((c) => normaliseCell(c, side)) })) })),
  };
}

async function bothReaders(path: string): Promise<{ fast: ReadResult; ref: ReadResult }> {
  const fast = await readAll(await openFastXlsx(path, LIMITS));
  const ref = await readAll(await openExcelJsXlsx(path, LIMITS));
  return { fast, ref };
}

async function expectSame(path: string): Promise<ReadResult> {
  const { fast, ref } = await bothReaders(path);
  expect(normalise(fast, "fast")).toEqual(normalise(ref, "ref"));
  return fast;
}

describe("fast reader = exceljs reference", () => {
  it("a workbook like the offices' (titles, merges, hidden rows and sheets, formulas, dates, errors, fonts)", async () => {
    const fast = await expectSame(await exceljsBasic(join(dir, "basic.xlsx")));
    // and the comparison was not vacuous
    expect(fast.sheets.map((s) => [s.name, s.state])).toEqual([
      ["Nhiệm vụ", "visible"],
      ["Ẩn", "hidden"],
      ["Rất ẩn", "veryHidden"],
      ["Trống", "visible"],
    ]);
    expect(fast.sheets[0].merges).toEqual(["A1:E1", "B9:C10"]);
    expect(fast.sheets[0].rows.find((r) => r.row === 6)?.hidden).toBe(true);
    expect(fast.sheets[0].rows.reduce((n, r) => n + r.cells.length, 0)).toBeGreaterThan(30);
  });

  it("the benchmark's workbooks (exceljs streaming writer, shared strings off and on)", async () => {
    const [path] = await generateBenchSet(dir, 1, 300, 10);
    const fast = await expectSame(path);
    expect(fast.sheets[0].rows).toHaveLength(301);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, "inline.xlsx"), useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet("Inline");
    for (let r = 0; r < 50; r++) ws.addRow([`dòng ${r} & <${r}>`, r / 7, r % 2 === 0]).commit();
    ws.commit();
    await wb.commit();
    await expectSame(join(dir, "inline.xlsx"));
  });

  it("a 1904 workbook", async () => {
    const fast = await expectSame(await exceljs1904(join(dir, "1904.xlsx")));
    expect(fast.date1904).toBe(true);
  });

  it("hand-made: shared strings with entities and rich text, formulas, errors, booleans, hidden rows, merges", async () => {
    const path = handMadeXlsx(join(dir, "hand.xlsx"), {
      rawSharedStrings: [
        "<t>Tổng &amp; cộng &lt;1&gt; &quot;x&quot; &apos;y&apos; &#7841;&#x1EA1;</t>",
        '<r><rPr><b/><rFont val="Arial"/></rPr><t xml:space="preserve">Dự </t></r><r><t>toán</t></r>',
        '<t xml:space="preserve">  lề  </t>',
      ],
      sheets: [
        {
          name: "A & B",
          body:
            '<dimension ref="A1:XFD1048576"/><sheetData>' +
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s" s="2"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
            '<row r="2" hidden="1"><c r="A2" s="1"><v>44835</v></c><c r="B2" t="b"><v>1</v></c><c r="C2" t="e"><v>#REF!</v></c><c r="D2" s="3"><v>-1.5E-3</v></c></row>' +
            '<row r="4"><c r="A4"><f>SUM(A1:A3)</f><v>7</v></c><c r="B4" t="str"><f>A1&amp;"x"</f><v>a&amp;b</v></c><c r="C4"><f>1/0</f></c><c r="D4" s="4"><v>45200</v></c></row>' +
            "</sheetData>" +
            '<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B5:D6"/></mergeCells>',
        },
        { name: "Hai", state: "hidden", body: '<sheetData><row r="3"><c r="E3"><v>3</v></c></row></sheetData>' },
      ],
    });
    const fast = await expectSame(path);
    const [s1] = fast.sheets;
    expect(s1.name).toBe("A & B");
    expect(s1.rows[0].cells.map((c) => c.value)).toEqual(["Tổng & cộng <1> \"x\" 'y' ạạ", "Dự toán", "  lề  "]);
    expect(s1.rows[0].cells[1].font).toBe(".VnTime");
    expect(s1.rows[1].cells[0].numFmt).toBe("mm/yyyy");
    expect(s1.rows[1].cells[1]).toMatchObject({ type: "b", value: true });
    expect(s1.rows[1].cells[2]).toMatchObject({ type: "e", value: "#REF!" });
    expect(s1.rows[1].cells[3]).toMatchObject({ type: "n", value: -0.0015, numFmt: "#,##0.000" });
    expect(s1.rows[2].cells.map((c) => [c.type, c.value, c.formula])).toEqual([
      ["n", 7, "SUM(A1:A3)"],
      ["s", "a&b", 'A1&"x"'],
      ["z", null, "1/0"],
      ["n", 45200, undefined],
    ]);
    expect(s1.rows[2].cells[3].numFmt).toBe("mmm-yy"); // built-in id 17
    expect(s1.merges).toEqual(["A1:C1", "B5:D6"]);
  });

  it("property: random grids written by exceljs read back identically by both readers", async () => {
    const text = fc.string({ unit: fc.constantFrom("a", "Ă", "ữ", " ", "&", "<", ">", '"', "'", "\n", "1", "đ", "€"), minLength: 1, maxLength: 12 });
    const value = fc.oneof(
      fc.constant(null),
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((x) => !Object.is(x, -0)),
      text,
      fc.boolean(),
      fc.record({ formula: fc.constantFrom("A1+1", "SUM(A1:B2)", 'IF(A1>0,"x","y")'), result: fc.integer({ min: 1, max: 1000 }) }),
    );
    const grid = fc.array(fc.array(value, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(grid, fc.boolean(), async (rows, hideSecond) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet("P");
        rows.forEach((vals, r) => {
          vals.forEach((v, c) => {
            if (v !== null) ws.getCell(r + 1, c + 1).value = v as ExcelJS.CellValue;
          });
        });
        if (hideSecond && rows.length > 1) ws.getRow(2).hidden = true;
        const path = join(dir, `prop-${n++}.xlsx`);
        await wb.xlsx.writeFile(path);
        await expectSame(path);
      }),
      { numRuns: 25 },
    );
  });
});
