// The fast reader against the exceljs reference, cell by cell, on every fixture exceljs can read;
// and a property test: random grids written by exceljs read back identically by both readers.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { openFastXlsx } from "../../xlsx/fast.js";
import { openExcelJsXlsx } from "../doubles/reference-reader.js";
import { openXlsx, sniffFile } from "../../xlsx/index.js";
import { XlsxOpenError, type XCell } from "../../xlsx/types.js";
import { generateBenchSet } from "../../bench/xlsx-floor.js";
import { LIMITS, exceljs1904, exceljsBasic, handMadeXlsx, readAll, tempDir, type ReadResult } from "./fixtures.js";
import { realWorldXlsx, styledTo, type Flavour, type RealWorldSpec } from "./real-world.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const DATE_FMT = /[dmyh]/i;

/**
 * The deliberate differences between the readers, and only those (see test/doubles/reference-reader.ts):
 * - exceljs unescapes backslashes in custom number formats ("#,##0\ đ" → "#,##0 đ");
 * - exceljs reads an empty shared string as no value;
 * - exceljs loses the type of a formula's cached result: booleans arrive as 1/0, errors as NaN;
 * - exceljs hands date-formatted numbers over as Date rounded to the millisecond.
 */
function normaliseCell(c: XCell, side: "fast" | "ref"): XCell {
  // the fast reader's cells give their reference, type, format and font when asked (xlsx/scanner.ts ScannedCell)
  const out: XCell = { col: c.col, ref: c.ref, type: c.type, value: c.value };
  if (c.numFmt !== undefined) out.numFmt = c.numFmt;
  if (c.font !== undefined) out.font = c.font;
  if (c.formula !== undefined) out.formula = c.formula;
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

/**
 * The fast reader on a file as a producer saved it, against exceljs on its twin: the same cells
 * in a plain package. Used where exceljs cannot read the producer's file itself (said at each).
 */
async function expectSameAsTwin(path: string, twin: string): Promise<ReadResult> {
  const fast = await readAll(await openFastXlsx(path, LIMITS));
  const ref = await readAll(await openExcelJsXlsx(twin, LIMITS));
  expect(normalise(fast, "fast")).toEqual(normalise(ref, "ref"));
  return fast;
}

const cellsOf = (r: ReadResult, sheet = 0): Record<string, unknown> =>
  Object.fromEntries(r.sheets[sheet].rows.flatMap((row) => row.cells.filter((c) => c.type !== "z").map((c) => [c.ref, c.value])));

// issue 15: the reader's faults on real-world files, one fixture each (see real-world.ts)
describe("fast reader = exceljs reference, on files as real producers save them", () => {
  const HEAD = ["Mã NV", "Tên", "Dự toán 2024", "Cấp", "Bắt đầu", "Kết thúc", "Chủ trì", "Ghi chú"];
  const xfd: RealWorldSpec = {
    sharedStrings: HEAD.map((h) => `<t>${h}</t>`),
    sheets: [
      {
        name: "Danh muc",
        sheetData:
          `<row r="1" spans="1:16384" s="1" customFormat="1">${HEAD.map((_, i) => `<c r="${"ABCDEFGH"[i]}1" t="s" s="1"><v>${i}</v></c>`).join("")}${styledTo(1, 9, 16384)}</row>` +
          [2, 3, 4]
            .map((r) => `<row r="${r}" spans="1:16384" s="1" customFormat="1"><c r="A${r}" s="1" t="inlineStr"><is><t>T.0${r}</t></is></c><c r="C${r}" s="3"><v>${r * 100.5}</v></c>${styledTo(r, 9, 16384)}</row>`)
            .join(""),
      },
    ],
  };

  it("1. a sheet formatted out to column XFD with its data in A:H is read, not dropped for its styles", async () => {
    const path = realWorldXlsx(join(dir, "xfd.xlsx"), xfd);
    const fast = await expectSame(path);
    expect(cellsOf(fast)).toMatchObject({ A1: "Mã NV", H1: "Ghi chú", A4: "T.04", C4: 402 });
    // the styled empty cells past the limit are not handed over at all
    expect(Math.max(...fast.sheets[0].rows.flatMap((r) => r.cells.map((c) => c.col)))).toBeLessThanOrEqual(LIMITS.maxColumns);
  });

  it("1. a limit error names a cell that holds a value, never a styled empty one", async () => {
    const spec: RealWorldSpec = {
      sheets: [{ name: "S", sheetData: xfd.sheets[0].sheetData.replace('<c r="SH3" s="1"/>', '<c r="SH3"><v>7</v></c>') }],
      sharedStrings: xfd.sharedStrings,
    };
    const path = realWorldXlsx(join(dir, "xfd-value.xlsx"), spec);
    for (const open of [openFastXlsx, openExcelJsXlsx]) {
      const e = await readAll(await open(path, LIMITS)).then(
        () => null,
        (x: unknown) => x as XlsxOpenError,
      );
      expect(e).toBeInstanceOf(XlsxOpenError);
      expect([e!.reason, e!.where]).toEqual(["too_many_columns", "SH3"]);
    }
    // rows: formatted empty rows do not count, the row limit names the first value past it
    const rows = `<row r="1"><c r="A1"><v>1</v></c></row>` + Array.from({ length: 20 }, (_, i) => `<row r="${i + 2}" s="1" customFormat="1"><c r="A${i + 2}" s="1"/></row>`).join("") + `<row r="30"><c r="A30" s="1"/><c r="B30"><v>2</v></c></row>`;
    const tall = realWorldXlsx(join(dir, "tall.xlsx"), { sheets: [{ name: "T", sheetData: rows }] });
    for (const open of [openFastXlsx, openExcelJsXlsx]) {
      expect((await readAll(await open(tall, { ...LIMITS, maxRows: 2 }))).sheets[0].rows.at(-1)?.row).toBe(30);
      const e = await readAll(await open(tall, { ...LIMITS, maxRows: 1 })).then(
        () => null,
        (x: unknown) => x as XlsxOpenError,
      );
      expect([e?.reason, e?.where]).toEqual(["too_many_rows", "T!B30"]);
    }
  });

  const dates: RealWorldSpec = {
    sheets: [{ name: "Lich", sheetData: '<row r="1"><c r="A1" s="1"><v>43738</v></c><c r="B1" s="2"><v>0</v></c><c r="C1"><v>100</v></c></row>' }],
  };

  it("2. a Mac workbook in the 1904 system, with <x15:workbookPr/> in its extLst, stays in 1904", async () => {
    const path = realWorldXlsx(join(dir, "mac1904.xlsx"), dates, { mac1904: true });
    const fast = await expectSame(path);
    expect(fast.date1904).toBe(true);
    // 43738 in the 1904 system is 1 October 2023 (45200 in the 1900 system)
    expect(cellsOf(fast)).toEqual({ A1: 43738, B1: 0, C1: 100 });
  });

  const plain: RealWorldSpec = {
    sharedStrings: ["<t>Mã NV</t>", "<t>Dự toán 2024</t>"],
    sheets: [{ name: "Cap phat", sheetData: '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>T.01</t></is></c><c r="B2"><v>150.25</v></c></row>' }],
  };

  it.each<[string, Flavour]>([
    ["a workbook part named otherwise (xl/book.xml, named by _rels/.rels)", { workbookPart: "xl/book.xml" }],
    ["zip entry names written with backslashes", { backslashes: true }],
    ["both", { workbookPart: "xl/Book1.xml", backslashes: true }],
  ])("3. a valid package is a workbook: %s", async (_, flavour) => {
    const path = realWorldXlsx(join(dir, `pkg-${JSON.stringify(flavour).replace(/\W/g, "")}.xlsx`), plain, flavour);
    expect(await sniffFile(path)).toEqual({ kind: "xlsx" });
    // exceljs finds its parts by the names xl/workbook.xml and "/": it reads an empty workbook
    // (or fails) here, so the reference reads the twin and the values are asserted as well
    const twin = realWorldXlsx(join(dir, "pkg-twin.xlsx"), plain);
    const fast = await expectSameAsTwin(path, twin);
    expect(cellsOf(fast)).toEqual({ A1: "Mã NV", B1: "Dự toán 2024", A2: "T.01", B2: 150.25 });
    const viaEtl = await readAll(await openXlsx(path, LIMITS));
    expect(cellsOf(viaEtl)).toEqual(cellsOf(fast));
  });

  it("3. a .docx named .xlsx is still not a workbook", async () => {
    const path = realWorldXlsx(join(dir, "doc.xlsx"), plain, { workbookPart: "word/document.xml" });
    // the same package with a word-processing main part
    const { readFileSync, writeFileSync } = await import("node:fs");
    const { unzipSync, zipSync } = await import("fflate");
    const parts = unzipSync(readFileSync(path));
    const ct = new TextDecoder().decode(parts["[Content_Types].xml"]).replace("spreadsheetml.sheet.main+xml", "wordprocessingml.document.main+xml");
    parts["[Content_Types].xml"] = new TextEncoder().encode(ct);
    writeFileSync(path, zipSync(parts));
    expect(await sniffFile(path)).toEqual({ kind: "zip_other" });
  });

  it("4. line breaks in inline strings and formula results read as the same text in a shared string", async () => {
    const sheetData =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>dòng 1\r\ndòng 2</t></is></c><c r="B2" t="inlineStr"><is><t>a_x000D_\r\nb</t></is></c>' +
      '<c r="C2" t="str"><f>A2&amp;"x"</f><v>x\r\ny</v></c><c r="D2" t="str"><f>B2</f><v>p_x000D_\r\nq</v></c><c r="E2" t="inlineStr"><is><r><t>r\r</t></r><r><t>\ns</t></r></is></c></row>';
    const spec: RealWorldSpec = { sharedStrings: ["<t>dòng 1\r\ndòng 2</t>", "<t>a_x000D_\r\nb</t>"], sheets: [{ name: "CRLF", sheetData }] };
    const path = realWorldXlsx(join(dir, "crlf.xlsx"), spec);
    // an XML parser reads "\r\n" as "\n" (XML 1.0 §2.11); "_x000D_" is the CR the file means
    const want = { A1: "dòng 1\ndòng 2", B1: "a\r\nb", A2: "dòng 1\ndòng 2", B2: "a\r\nb", C2: "x\ny", D2: "p\r\nq", E2: "r\n\ns" };
    const fast = await readAll(await openFastXlsx(path, LIMITS));
    expect(cellsOf(fast)).toEqual(want);
    // exceljs keeps "_x000D_" as text and an inline string's last run only: its twin writes the
    // CR as "&#13;" and E2 as one run (the same text to an XML parser)
    const twin = realWorldXlsx(join(dir, "crlf-twin.xlsx"), {
      sharedStrings: spec.sharedStrings!.map((x) => x.replace(/_x000D_/g, "&#13;")),
      sheets: [{ name: "CRLF", sheetData: sheetData.replace(/_x000D_/g, "&#13;").replace("<r><t>r\r</t></r><r><t>\ns</t></r>", "<t>r\n\ns</t>") }],
    });
    await expectSameAsTwin(path, twin);
  });

  it("5. ISO-date cells (t=\"d\", strict OOXML): dates, dates before 1 March 1900, times alone, durations", async () => {
    const iso = ["2023-10-01T00:00:00", "1900-02-28", "1900-01-01", "1900-03-01", "12:30:00", "PT36H", "P1DT6H", "1899-12-31T06:00:00", "1899-12-30T18:00:00", "P1Y"];
    // the serials Excel stores for them (1900-02-28 is 59, 1900-03-01 is 61: Excel's 29 Feb 1900
    // is 60); a duration in years has no length in days, so it stays text
    const serial: (number | string)[] = [45200, 59, 1, 61, 0.5208333333333334, 1.5, 1.25, 0.25, 0.75, "P1Y"];
    const cell = (v: string, i: number): string => `<c r="${String.fromCharCode(65 + i)}1" s="2" t="d"><v>${v}</v></c>`;
    const path = realWorldXlsx(join(dir, "iso.xlsx"), { sheets: [{ name: "ISO", sheetData: `<row r="1">${iso.map(cell).join("")}</row>` }] }, { strict: true });
    const fast = await readAll(await openFastXlsx(path, LIMITS));
    expect(Object.values(cellsOf(fast))).toEqual(serial);
    // exceljs reads t="d" as parseFloat of the text ("1900-02-28" → 1900) and knows no strict
    // namespaces: the reference reads a twin holding the serials Excel would have saved
    const twinCell = (v: number | string, i: number): string =>
      typeof v === "number" ? `<c r="${String.fromCharCode(65 + i)}1" s="2"><v>${v}</v></c>` : `<c r="${String.fromCharCode(65 + i)}1" s="2" t="inlineStr"><is><t>${v}</t></is></c>`;
    const twin = realWorldXlsx(join(dir, "iso-twin.xlsx"), { sheets: [{ name: "ISO", sheetData: `<row r="1">${serial.map(twinCell).join("")}</row>` }] });
    await expectSameAsTwin(path, twin);
    // in the 1904 system the same dates are 1462 less, with no 1900 leap day
    const p1904 = realWorldXlsx(join(dir, "iso1904.xlsx"), { sheets: [{ name: "ISO", sheetData: `<row r="1">${cell("2023-10-01", 0)}${cell("1904-01-02T12:00", 1)}</row>` }] }, { mac1904: true });
    expect(Object.values(cellsOf(await readAll(await openFastXlsx(p1904, LIMITS))))).toEqual([43738, 1.5]);
  });
});
