// The fast reader on what exceljs cannot read or write (so no differential comparison):
// inline strings, rows and cells without r, prefixed elements, ISO dates, absolute rels targets;
// and the scanner fed the same XML in every kind of chunk split.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { strToU8, unzipSync, zipSync } from "fflate";
import { WARM_UP_XML, openFastXlsx, utf8Text, utf8Units, wholeCharsEnd } from "../../xlsx/fast.js";
import { SheetScanner, UNITS_PAD, decodeEntities, isoToSerial, parseNumber, type ScanContext } from "../../xlsx/scanner.js";
import { cellRef, colLetters, parseRef } from "../../xlsx/index.js";
import { colNumber, digitsValue, parseRefAt } from "../../xlsx/refs.js";
import type { XRow } from "../../xlsx/types.js";
import { plainUnicode } from "../../core/text.js";
import { LIMITS, handMadeXlsx, readAll, tempDir } from "./fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const plain = (rows: XRow[]) => rows.map((r) => [r.row, r.hidden, r.cells.map((c) => [c.ref, c.type, c.value, c.formula])]);

describe("fast reader: what exceljs cannot read", () => {
  it("inline strings (plain, rich runs, phonetic runs left out), t=str, t=d ISO dates, 1904", async () => {
    const path = handMadeXlsx(join(dir, "inline.xlsx"), {
      date1904: true,
      absoluteTargets: true,
      sheets: [
        {
          name: "Inline",
          body:
            "<sheetData>" +
            '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> Tổng &amp; cộng </t></is></c>' +
            '<c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>Dự </t></r><r><t>toán</t></r><rPh sb="0" eb="1"><t>ヨミ</t></rPh></is></c>' +
            '<c r="C1" t="inlineStr"><is><t/></is></c></row>' +
            '<row r="2"><c r="A2" t="d"><v>2023-10-01T00:00:00</v></c><c r="B2" t="d" s="1"><v>2021-10-01</v></c><c r="C2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>' +
            "</sheetData>",
        },
      ],
    });
    const r = await readAll(await openFastXlsx(path, LIMITS));
    expect(r.date1904).toBe(true);
    expect(plain(r.sheets[0].rows)).toEqual([
      [1, false, [["A1", "s", " Tổng & cộng ", undefined], ["B1", "s", "Dự toán", undefined], ["C1", "s", "", undefined]]],
      [2, false, [["A2", "n", 45200 - 1462, undefined], ["B2", "n", 44470 - 1462, undefined], ["C2", "s", "ab", '"a"&"b"']]],
    ]);
    expect(r.sheets[0].rows[1].cells[1].numFmt).toBe("mm/yyyy");
  });

  it("rows and cells without r follow the previous ones; cells out of order are sorted", async () => {
    const path = handMadeXlsx(join(dir, "nor.xlsx"), {
      sheets: [
        {
          name: "S",
          body:
            "<sheetData>" +
            "<row><c><v>1</v></c><c><v>2</v></c></row>" +
            '<row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c></row>' +
            '<row hidden="true"><c r="B6"><v>6</v></c><c r="A6"><v>5</v></c></row>' +
            '<row r="8" hidden="1"/>' +
            "</sheetData>",
        },
      ],
    });
    const r = await readAll(await openFastXlsx(path, LIMITS));
    expect(plain(r.sheets[0].rows)).toEqual([
      [1, false, [["A1", "n", 1, undefined], ["B1", "n", 2, undefined]]],
      [5, false, [["C5", "n", 3, undefined], ["D5", "n", 4, undefined]]],
      [6, true, [["A6", "n", 5, undefined], ["B6", "n", 6, undefined]]],
      [8, true, []],
    ]);
  });

  it("prefixed elements (x:), comments, CDATA, a '>' in an attribute, shared formulas, errors with formulas", async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      "<!-- a <row> in a comment is not a row -->" +
      "<x:sheetData>" +
      '<x:row x:r="1" spans="1:3"><x:c r="A1" t="inlineStr"><x:is><x:t><![CDATA[a<b & c]]></x:t></x:is></x:c>' +
      '<x:c r="B1"><x:f t="shared" ref="B1:B3" si="0">A1&gt;0</x:f><x:v>1</x:v></x:c>' +
      '<x:c r="C1" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c></x:row>' +
      '<x:row r="2" note="a>b"><x:c r="B2"><x:f t="shared" si="0"/><x:v>0</x:v></x:c><x:c r="C2" t="b"><x:v>0</x:v></x:c></x:row>' +
      "</x:sheetData>" +
      '<x:mergeCells count="1"><x:mergeCell ref="A1:A2"/></x:mergeCells>' +
      "</x:worksheet>";
    const path = handMadeXlsx(join(dir, "prefixed.xlsx"), { sheets: [{ name: "P", body: "" }], rawSheet1: xml });
    const r = await readAll(await openFastXlsx(path, LIMITS));
    expect(plain(r.sheets[0].rows)).toEqual([
      [1, false, [["A1", "s", "a<b & c", undefined], ["B1", "n", 1, "A1>0"], ["C1", "e", "#DIV/0!", "1/0"]]],
      [2, false, [["B2", "n", 0, null], ["C2", "b", false, undefined]]],
    ]);
    expect(r.sheets[0].merges).toEqual(["A1:A2"]);
  });

  it("workbook.xml with the main namespace under a prefix (x:, as the Open XML SDK writes) keeps its 1904 flag; an extension's workbookPr does not count", async () => {
    const base = handMadeXlsx(join(dir, "wbns.xlsx"), { sheets: [{ name: "S", body: '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>' }] });
    const parts = unzipSync(readFileSync(base));
    const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const write = (xml: string): Promise<boolean> => {
      parts["xl/workbook.xml"] = strToU8(xml);
      writeFileSync(base, zipSync(parts));
      return openFastXlsx(base, LIMITS).then(async (rd) => ((await readAll(rd)).date1904));
    };
    const sheets = `<x:sheets><x:sheet name="S" sheetId="1" r:id="rId10"/></x:sheets>`;
    expect(await write(`<x:workbook xmlns:x="${MAIN}" xmlns:r="${R}"><x:workbookPr date1904="1"/>${sheets}</x:workbook>`)).toBe(true);
    // the extension element, in a namespace of its own, neither sets nor clears the flag
    const ext = `<x:extLst><x:ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr chartTrackingRefBase="1"/></x:ext></x:extLst>`;
    expect(await write(`<x:workbook xmlns:x="${MAIN}" xmlns:r="${R}"><x:workbookPr date1904="1"/>${sheets}${ext}</x:workbook>`)).toBe(true);
    expect(await write(`<x:workbook xmlns:x="${MAIN}" xmlns:r="${R}"><x:workbookPr/>${sheets}${ext.replace('chartTrackingRefBase="1"', 'date1904="1"')}</x:workbook>`)).toBe(false);
    // no namespace declared at all: read by name, as before
    expect(await write(`<workbook xmlns:r="${R}"><workbookPr date1904="true"/><sheets><sheet name="S" sheetId="1" r:id="rId10"/></sheets></workbook>`)).toBe(true);
  });

  it("stopping early, reading a sheet twice, sheets in any order", async () => {
    const body = (n: number) => `<sheetData>${Array.from({ length: n }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join("")}</sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>`;
    const path = handMadeXlsx(join(dir, "twice.xlsx"), { sheets: [{ name: "Một", body: body(3000) }, { name: "Hai", body: body(5) }] });
    const r = await openFastXlsx(path, LIMITS);
    const info = await r.info();
    let n = 0;
    for await (const row of r.rows(0)) {
      if (++n === 10) break;
      void row;
    }
    expect(info.sheets[0].merges).toEqual([]); // not known before the end
    const second: number[] = [];
    for await (const row of r.rows(1)) second.push(row.row);
    expect(second).toEqual([1, 2, 3, 4, 5]);
    let count = 0;
    for await (const row of r.rows(0)) count += row.cells.length;
    expect(count).toBe(3000);
    expect(info.sheets[0].merges).toEqual(["A1:B1"]);
    await r.close();
  });

  it("many chunks: multi-byte text and a text longer than a chunk survive the cuts between chunks", async () => {
    const long = "Đ".repeat(300_000) + "ạ&ễ"; // > one inflated chunk, no '<' inside
    // rows in order, each once (a row given again is refused); the long one in the middle
    const r_ = (i: number) => (i < 10_000 ? i + 1 : i + 2);
    const rows = Array.from({ length: 20_000 }, (_, i) => `<row r="${r_(i)}"><c r="A${r_(i)}" t="inlineStr"><is><t>Tổng cộng ${i} ữ</t></is></c><c r="B${r_(i)}"><v>${i}.5</v></c></row>`);
    rows.splice(10_000, 0, `<row r="10001"><c r="A10001" t="inlineStr"><is><t>${long.replace("&", "&amp;")}</t></is></c></row>`);
    const path = handMadeXlsx(join(dir, "chunks.xlsx"), { sheets: [{ name: "S", body: `<sheetData>${rows.join("")}</sheetData>` }] });
    // a text past Excel's 32 767 characters is refused by default: allow this one to test the cuts
    const r = await readAll(await openFastXlsx(path, { ...LIMITS, maxTextChars: 400_000 }));
    const got = r.sheets[0].rows;
    expect(got).toHaveLength(20_001);
    expect(got[10_000].cells[0].value).toBe(long);
    got.splice(10_000, 1);
    got.forEach((row, i) => {
      expect(row.cells.map((c) => c.value)).toEqual([`Tổng cộng ${i} ữ`, i + 0.5]);
    });
  });

  it("chunks all ASCII and chunks not, a text with no '<' longer than 64 KB, in one sheet", async () => {
    // (the scanner is handed 16-bit units for both kinds of chunk)
    const rows: string[] = [];
    const want: unknown[][] = [];
    for (let i = 0; i < 9_000; i++) {
      const r = i + 1;
      // ASCII only for more than an inflated chunk (256 KB), then Vietnamese with a long text, then ASCII again
      const text = i < 4_000 || i >= 7_000 ? `Task ${i}` : i === 5_500 ? "ữ".repeat(32 * 1024) : `Nhiệm vụ ${i}`;
      rows.push(`<row r="${r}"><c r="A${r}" t="str"><v>${text}</v></c><c r="B${r}" s="1"><v>${i}.25</v></c></row>`);
      want.push([text, i + 0.25]);
    }
    const path = handMadeXlsx(join(dir, "pieces.xlsx"), { sheets: [{ name: "S", body: `<sheetData>${rows.join("")}</sheetData>` }] });
    const got = (await readAll(await openFastXlsx(path, { ...LIMITS, maxTextChars: 100_000 }))).sheets[0].rows;
    expect(got.map((row) => row.cells.map((c) => c.value))).toEqual(want);
  });

  it("a chunk is checked whole before any of it is scanned: bytes that are not UTF-8 late in it are what is refused", async () => {
    // row 1 given twice near the start, a byte that is not UTF-8 some pieces later in the same chunk
    const filler = Array.from({ length: 2_000 }, (_, i) => `<row r="${i + 3}"><c r="A${i + 3}" t="str"><v>Nhiệm vụ ${i}</v></c></row>`).join("");
    const path = handMadeXlsx(join(dir, "late-bad-byte.xlsx"), { sheets: [{ name: "S", body: `<sheetData><row r="1"/><row r="1"/>${filler}<row r="9999"><c r="A9999" t="str"><v>BAD</v></c></row></sheetData>` }] });
    const files = unzipSync(readFileSync(path));
    const sheet = files["xl/worksheets/sheet1.xml"]!;
    const at = Buffer.from(sheet).indexOf("BAD");
    expect(at).toBeGreaterThan(64 * 1024);
    sheet[at] = 0xff;
    writeFileSync(path, zipSync(files));
    const reader = await openFastXlsx(path, LIMITS);
    await expect(readAll(reader)).rejects.toMatchObject({ reason: "invalid", what: "bytes that are not valid UTF-8" });
  });

  it("the warm-up sheet (read once per process before the first sheet) is a sheet the reader reads", async () => {
    const path = handMadeXlsx(join(dir, "warm-up.xlsx"), { sheets: [{ name: "S", body: "" }], sharedStrings: ["Nhiệm vụ"], rawSheet1: WARM_UP_XML });
    const r = await readAll(await openFastXlsx(path, LIMITS));
    const rows = r.sheets[0].rows;
    expect(rows.map((row) => row.row)).toEqual([1, 2, 3, 5, 6]);
    expect(rows[0].cells.map((c) => c.value)).toEqual(["Tổng cộng nhiệm vụ khoa học", "Total", 43678, -12.5, 123456789012345, "Nhiệm vụ", null, null, 0.000001]);
    expect(rows[1].hidden).toBe(true);
    expect(rows[1].cells.map((c) => [c.type, c.value, c.formula])).toEqual([
      ["s", "Sở KH&CN", undefined], ["n", 43665.5, "SUM(C1:D1)"], ["b", true, undefined], ["e", "#N/A", undefined],
      ["n", 45473, undefined], ["s", "Dự toán", undefined], ["n", 1e20, undefined], ["s", "tháng 3/2021", undefined],
      ["s", "Đà Lạt ʼ\u00a02021–2025", undefined],
    ]);
    expect(r.sheets[0].merges).toEqual(["A1:B1"]);
  });

  it("a style index past cellXfs falls back to General", async () => {
    const path = handMadeXlsx(join(dir, "nostyle.xlsx"), {
      sheets: [{ name: "S", body: '<sheetData><row r="1"><c r="A1" s="99"><v>1</v></c></row></sheetData>' }],
    });
    const r = await readAll(await openFastXlsx(path, LIMITS));
    expect(r.sheets[0].rows[0].cells[0].numFmt).toBe("General");
  });
});

describe("scanner: chunk boundaries anywhere", () => {
  const ctx: ScanContext = {
    sheet: "S",
    sharedStrings: ["zero", "one"],
    numFmt: ["General", "mm/yyyy"],
    font: ["Arial", ".VnTime"],
    date1904: false,
    maxColumns: 500,
    maxRows: 1000,
  };
  const xml =
    '<?xml version="1.0"?><worksheet><dimension ref="A1:XFD1048576"/><sheetData>' +
    '<row r="1" spans="1:4"><c r="A1" t="s"><v>1</v></c><c r="B1" s="1"><v>44835.5</v></c><c r="C1" t="inlineStr"><is><t>x &amp;&#x1EA1;&#7841; y</t></is></c><c r="D1"><f>SUM(A1:C1)&lt;&gt;0</f><v>2</v></c></row>' +
    '<row r="3" hidden="1"><c r="A3" t="str"><f>A1</f><v>&quot;q&quot;</v></c><c r="AB3" t="b"><v>1</v></c><c r="B3" s="1"/></row>' +
    "<!-- <row r='9'> -->" +
    '<row r="4"><c r="A4" t="inlineStr"><is><t><![CDATA[<&>]]></t></is></c></row>' +
    '</sheetData><mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells></worksheet>';

  function scan(chunks: string[]): { rows: XRow[]; merges: string[] } {
    const s = new SheetScanner(ctx);
    const rows: XRow[] = [];
    for (const c of chunks) rows.push(...s.feed(c));
    rows.push(...s.end());
    return { rows, merges: s.merges };
  }

  const whole = scan([xml]);

  it("reads the whole text right", () => {
    expect(plain(whole.rows)).toEqual([
      [1, false, [["A1", "s", "one", undefined], ["B1", "n", 44835.5, undefined], ["C1", "s", "x &ạạ y", undefined], ["D1", "n", 2, "SUM(A1:C1)<>0"]]],
      [3, true, [["A3", "s", '"q"', "A1"], ["B3", "z", null, undefined], ["AB3", "b", true, undefined]]],
      [4, false, [["A4", "s", "<&>", undefined]]],
    ]);
    expect(whole.rows[0].cells[1]).toMatchObject({ numFmt: "mm/yyyy", font: ".VnTime" });
    expect(whole.merges).toEqual(["A1:D1"]);
  });

  it("every split into 1-char chunks and random splits give the same rows", () => {
    expect(scan([...xml])).toEqual(whole);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: xml.length - 1 }), { maxLength: 40 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), xml.length];
        const chunks = at.slice(1).map((end, i) => xml.slice(at[i], end));
        expect(scan(chunks)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it("a sheet XML that stops inside a row is truncated", () => {
    const s = new SheetScanner(ctx);
    s.feed(xml.slice(0, xml.indexOf('<row r="3"') + 20));
    expect(() => s.end()).toThrow(expect.objectContaining({ reason: "truncated" }));
  });
});

describe("scanner: a cell's reference", () => {
  // made when asked for (ScannedCell), it is still the reference as the file wrote it: a problem names that cell
  const refsOf = (xml: string): string[][] => {
    const s = new SheetScanner({ ...plainCtx, maxColumns: 20_000 });
    return [...s.feed(xml), ...s.end()].map((r) => r.cells.map((c) => c.ref));
  };
  const cells = (c: string) =>
    `<c r="B7"${c}><v>1</v></c><c r="c7"${c}><v>2</v></c><c r="D07"${c}><v>3</v></c><c r="E8"${c}><v>4</v></c><c r="F7x"${c}><v>5</v></c>` +
    `<c${c}><v>6</v></c><c r="7"${c}><v>7</v></c><c r="I7" t="str"${c}><v>x</v></c><c r="AAAB7"${c}><v>8</v></c>`;
  const want = [["B7", "c7", "D07", "E8", "F7x", "G7", "H7", "I7", "AAAB7"]];
  it("is the reference as written, read the plain way or the general one", () => {
    expect(refsOf(`<worksheet><sheetData><row r="7">${cells("")}</row></sheetData></worksheet>`)).toEqual(want);
    expect(refsOf(`<worksheet><sheetData><row r="7">${cells(' s="0"').replace(/<c /g, "<c\t")}</row></sheetData></worksheet>`)).toEqual(want);
  });
  it("names the cell as written in an error", () => {
    expect(() => refsOf('<worksheet><sheetData><row r="7"><c r="b7" t="s"><v>9</v></c></row></sheetData></worksheet>')).toThrow(expect.objectContaining({ where: "S!b7" }));
    expect(() => refsOf('<worksheet><sheetData><row r="7"><c r="B7" t="s"><v>9</v></c></row></sheetData></worksheet>')).toThrow(expect.objectContaining({ where: "S!B7" }));
    expect(() => refsOf('<worksheet><sheetData><row r="7"><c r="A7"/><c t="s"><v>9</v></c></row></sheetData></worksheet>')).toThrow(expect.objectContaining({ where: "S!B7" }));
  });
});

describe("scanner: a sheet's repeated texts", () => {
  // ("Aa" and "BB" hash alike; "xA" and "x\u1041" fall in the same slot of the 4096)
  it("are each the text the cell holds, whatever their hashes share", () => {
    const texts = ["xA", "x\u1041", "xA", "Aa", "BB", "Aa", "BB", "Tỉnh", "Cơ sở", "Tỉnh", "AaBB", "BBAa", "AaAa", "BBBB", "Aa", "", "Viện Nghiên cứu số 10", "Viện Nghiên cứu số 11", "Viện Nghiên cứu số 10"];
    const xml = `<worksheet><sheetData>${texts.map((t, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="str"><v>${t}</v></c><c r="B${i + 1}" t="str"><v>${texts[texts.length - 1 - i]}</v></c></row>`).join("")}</sheetData></worksheet>`;
    const s = new SheetScanner({ ...plainCtx, maxTextChars: 100, maxRows: 100 });
    const rows = [...s.feed(xml), ...s.end()];
    expect(rows.map((r) => r.cells.map((c) => c.value))).toEqual(texts.map((t, i) => [t, texts[texts.length - 1 - i]]));
  });
});

describe("scanner: a text's plainness (XCell.plain)", () => {
  // told while the text is read, for the ETL to skip its legacy check: it must be plainUnicode's
  // answer for every text, read the plain way or the general one, inline or shared, and repeated
  it("is plainUnicode(value) for every text cell, and false for any other", () => {
    const texts = ["Sở KH&amp;CN", "Khoa hÑc", "ÑÑ ạ", "a\u00a0b", "&#7841;&#209;", "&#209;", "e\u0301", "plain", "Khoa hÑc", "Sở KH&amp;CN", "&#7841;&#209;"];
    const shared = ["Đề tài", "Khoa hÑc", "a\u00a0b", "Đề tài"];
    const row = (i: number, c: string) =>
      `<row r="${i + 1}">${c}r="A${i + 1}" t="str"><v>${texts[i]}</v></c>${c}r="B${i + 1}" t="s"><v>${i % shared.length}</v></c>${c}r="C${i + 1}"><v>${i}</v></c></row>`;
    for (const c of ["<c ", "<c\t"]) {
      const xml = `<worksheet><sheetData>${texts.map((_, i) => row(i, c)).join("")}</sheetData></worksheet>`;
      const s = new SheetScanner({ ...plainCtx, sharedStrings: shared, maxTextChars: 100, maxRows: 100, maxCellsPerSheet: 100 });
      const cells = [...s.feed(xml), ...s.end()].flatMap((r) => r.cells);
      expect(cells).toHaveLength(3 * texts.length);
      for (const x of cells) expect([x.ref, x.plain]).toEqual([x.ref, x.type === "s" && plainUnicode(x.value as string)]);
      expect(cells.filter((x) => x.plain).length).toBeGreaterThan(5);
    }
  });
});

/** What a scanner makes of what `run` feeds it, then of the end: its rows and merges, or its error. */
function scanned(ctx: ScanContext, run: (s: SheetScanner) => XRow[]): unknown {
  const s = new SheetScanner(ctx);
  try {
    const rows = [...run(s), ...s.end()];
    return { rows: rows.map((r) => [r.row, r.hidden, r.cells.map((c) => ({ ...c, ref: c.ref, type: c.type, numFmt: c.numFmt, font: c.font }))]), merges: s.merges };
  } catch (e) {
    return { error: (e as Error).message, where: (e as { where?: string }).where, name: (e as Error).name };
  }
}

/** The plain reading's tests' context: small limits, so that generated sheets meet them. */
const plainCtx: ScanContext = {
  sheet: "S",
  sharedStrings: ["zero", "one", "Dự toán"],
  numFmt: ["General", "mm/yyyy", "#,##0"],
  font: ["Arial", ".VnTime"],
  date1904: false,
  maxColumns: 30,
  maxRows: 3,
  maxTextChars: 12,
  maxCellsPerSheet: 40,
};

describe("scanner: the plain reading of a common cell", () => {
  // "<c " is read by the one-pass plain reading when the cell has its common form; "<c\t" (the
  // same cell) always by the general one. Both must give the same rows, or the same error.
  const ctx = plainCtx;
  const refs = ['r="A1"', 'r="B1"', 'r="b1"', 'r="AB1"', 'r="1"', 'r="A"', 'r=""', "r='C1'", 'r="AE1"', ""];
  const styles = ["", ' s="1"', ' s="2"', ' s="9"', ' s="x"', ' s=""', ' s="-1"'];
  const types = ["", ' t="n"', ' t="s"', ' t="str"', ' t="b"', ' t="e"', ' t="d"', ' t="inlineStr"', ' t="st"', ' t="x"', ' cm="1"'];
  const bodies = [
    "/>", "></c>", " />", "><v>1</v></c>", "><v>-12.5</v></c>", "><v>2</v></c>", "><v>3</v></c>", "><v>1.5</v></c>", "><v></v></c>",
    "><v> 7 </v></c>", "><v>1e3</v></c>", "><v>0x10</v></c>", "><v>12345678901234567</v></c>", "><v>Dự toán</v></c>",
    "><v>a&amp;b</v></c>", "><v>&lt;&gt;&quot;&apos;</v></c>", "><v>a&foo;b&amp</v></c>", "><v>&#95;x0041&#95;</v></c>", "><v>a&#xFFFE;b</v></c>",
    "><v>a&#1;b</v></c>", "><v>&#13;x&#x1F600;</v></c>", "><v>&amp;&amp;&amp;&amp;</v></c>", "><v>&#x1F600;&#x1F600;&#x1F600;&#x1F600;&#x1F600;&#x1F600;x</v></c>", "><v>a_x0041_b</v></c>", "><v>a\r\nb</v></c>", "><v>a\u0001b</v></c>", "><v>x😀y</v></c>",
    "><v>\ud83d</v></c>", "><v>\ufffe</v></c>", "><v>mười ba chữ nữa</v></c>", "><v>twelve chars</v></c>", "><v>thirteen char</v></c>", "><v>2024-01-15</v></c>", "><v>TRUE</v></c>",
    "><f>A1</f><v>1</v></c>", "><v>1</v ></c>", "><v>1</v></c >", "><is><t>x</t></is></c>", "><v>1</v><v>2</v></c>",
  ];
  const cell = fc.tuple(fc.constantFrom(...refs), fc.constantFrom(...styles), fc.constantFrom(...types), fc.constantFrom(...bodies)).map(([r, s, t, b]) => (r ? " " + r : "") + s + t + b);
  // a row's attributes after r (the plain reading of "<row " too, against "<row\t")
  const rowAttrs = fc.array(fc.constantFrom(' spans="1:4"', ' hidden="1"', ' hidden="true"', ' hidden="0"', ' x:hidden="1"', ' x14ac:dyDescent="0.25"', " ht='15'", '  s="1"', ' r="9"', ' hidden = "1"', ' a="x>y"', ' hidden="tru1"', ' hidden="1" hidden="0"', ' :r="7"', ' ="1"', ' hidden="1"/'), { maxLength: 3 }).map((a) => a.join(""));
  const rowR = fc.constantFrom((i: number) => ` r="${i + 1}"`, (i: number) => ` r="${i + 2}"`, () => "", () => ' r="1"', () => ' r="x"',
    () => ' r="0"', () => ' r=""', () => ' r="1048577"', () => ' r="99999999999"', (i: number) => ` r="0${i + 1}"`, (i: number) => ` x:r="${i + 1}"`, (i: number) => ` r="${i + 1}" r="${i + 3}"`);
  const scan = (xml: string): unknown => scanned(ctx, (s) => s.feed(xml));
  it("gives what the general reading gives, whole and split anywhere", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(rowR, rowAttrs, fc.boolean(), fc.array(cell, { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 200 }), (rows, cut) => {
        const body = (c: string, row: string) =>
          rows.map(([r, attrs, empty, cs], i) => `${row}${r(i)}${attrs}` + (empty ? "/>" : ">" + cs.map((x) => c + x).join("") + "</row>")).join("");
        const xml = `<worksheet><sheetData>${body("<c", "<row")}</sheetData></worksheet>`;
        const general = `<worksheet><sheetData>${body("<c\t", "<row\t")}</sheetData></worksheet>`;
        const want = scan(general);
        expect(scan(xml)).toEqual(want);
        // and fed in two chunks, cut anywhere
        const at = Math.min(cut, xml.length - 1);
        expect(scanned(ctx, (s) => [...s.feed(xml.slice(0, at)), ...s.feed(xml.slice(at))])).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });
  it("reads a text's references as the general reading does, an escape they spell out too", () => {
    const wide: ScanContext = { ...ctx, maxTextChars: 100 };
    for (const v of ["&#95;x0041&#95;", "KH&amp;CN", "a&#xFFFE;b", "&lt;b&gt;"]) {
      const xml = (c: string) => `<worksheet><sheetData><row r="1">${c} r="A1" t="str"><v>${v}</v></c>${c} r="B1" t="str"><v>${v}</v></c></row></sheetData></worksheet>`;
      const want = scanned(wide, (s) => s.feed(xml("<c\t")));
      expect(scanned(wide, (s) => s.feed(xml("<c")))).toEqual(want);
    }
    const cells = (scanned(wide, (s) => s.feed('<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>&#95;x0041&#95;</v></c></row></sheetData></worksheet>')) as { rows: [number, boolean, { value: unknown }[]][] }).rows[0]![2];
    expect(cells.map((c) => c.value)).toEqual(["A"]);
  });
  it("reads a row that begins right after the last one's plain cells as the general reading does", () => {
    // cells that the plain reading takes, so that it goes on past "</row>" into the next "<row …>"
    const good = fc.constantFrom('<c r="A{r}"><v>1</v></c>', '<c r="B{r}" s="1"><v>-2.5</v></c>', '<c r="C{r}" t="str"><v>Dự toán</v></c>', '<c r="D{r}"/>', '<c r="E{r}" s="2"></c>');
    fc.assert(
      fc.property(fc.array(fc.tuple(rowR, rowAttrs, fc.array(good, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 5 }), (rows) => {
        const body = (row: string) => rows.map(([r, attrs, cs], i) => `${row}${r(i)}${attrs}>${cs.join("").replace(/\{r\}/g, String(i + 1))}</row>`).join("");
        const want = scan(`<worksheet><sheetData>${body("<row\t")}</sheetData></worksheet>`);
        expect(scan(`<worksheet><sheetData>${body("<row")}</sheetData></worksheet>`)).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("scanner: a chunk's code units as the reader hands them over (utf8Units)", () => {
  // The reader gives the scanner each chunk's units followed by UNITS_PAD zeros, put together in
  // one scratch buffer it reuses. Fed so, whole or cut at any character, the scanner must read
  // what it reads from the text alone, or refuse it with the same error at the same place.
  const ctx: ScanContext = { ...plainCtx, maxRows: 4 };
  const cells = [
    '<c r="A1"><v>1</v></c>', '<c r="B1" s="2"><v>-12.5</v></c>', '<c r="C1" t="s"><v>2</v></c>', '<c r="C1" t="s"><v>7</v></c>',
    '<c r="D1" t="str"><v>Dự toán</v></c>', '<c r="E1" t="str"><v>mười hai chữ</v></c>', '<c r="E1" t="str"><v>mười ba chữ nữa</v></c>',
    '<c r="F1" t="str"><v>x😀y</v></c>', '<c r="G1"/>', '<c r="H1"></c>', '<c r="I1"><v>123456789012</v></c>', '<c r="J1"><v>0x10</v></c>',
    '<c r="K1" t="inlineStr"><is><t>Tổng &amp; cộng</t></is></c>', '<c r="L1"><f>SUM(A1:B1)</f><v>2</v></c>', '<c r="M1" t="str"><v>a&amp;b</v></c>',
    '<c r="Ư1"><v>1</v></c>', '<c r="N1" t="str"><v>\ufffe</v></c>', '<c r="O1" t="b"><v>1</v></c>', '<c r="A1"><v>3</v></c>',
  ];
  const sheet = fc
    .array(fc.tuple(fc.constantFrom("", ' spans="1:9"', ' hidden="1"'), fc.array(fc.constantFrom(...cells), { minLength: 1, maxLength: 5 })), { minLength: 1, maxLength: 4 })
    .map((rows) => "<worksheet><sheetData>" + rows.map(([a, cs], i) => `<row r="${i + 1}"${a}>${cs.map((c) => c.replace(/([A-ZƯ]+)1"/, `$1${i + 1}"`)).join("")}</row>`).join("") + '</sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>');
  const outcome = (run: (s: SheetScanner) => XRow[]): unknown => scanned(ctx, run);
  it("gives what the text alone gives, whole and cut at every character, with a scratch buffer left dirty", () => {
    fc.assert(
      fc.property(sheet, (xml) => {
        const bytes = new TextEncoder().encode(xml);
        const want = outcome((s) => s.feed(xml));
        // a scratch too small at first, and left full of markup: only the chunk and zeros may be read
        const scratch = { buf: Buffer.from('<c r="A1"><v>9</v></c>'.repeat(3)) };
        const feedBytes = (s: SheetScanner, b: Uint8Array): XRow[] => {
          const { n, units } = utf8Units(b, scratch);
          const text = utf8Text(b);
          expect(n).toBe(text.length);
          expect(units.length).toBe(text.length + UNITS_PAD);
          for (let i = 0; i < text.length; i++) if (units[i] !== text.charCodeAt(i)) expect(units[i]).toBe(text.charCodeAt(i));
          expect([...units.subarray(text.length)]).toEqual(new Array(UNITS_PAD).fill(0));
          return s.feedUnits(units, n);
        };
        expect(outcome((s) => feedBytes(s, bytes))).toEqual(want);
        for (let cut = 1; cut < bytes.length; cut++) {
          if ((bytes[cut]! & 0xc0) === 0x80) continue; // not between two characters
          scratch.buf.fill(60);
          expect(outcome((s) => [...feedBytes(s, bytes.subarray(0, cut)), ...feedBytes(s, bytes.subarray(cut))])).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("the sheet's bytes as text", () => {
  const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const decoded = (b: Uint8Array): string | "refused" => {
    try {
      return fatal.decode(b);
    } catch {
      return "refused";
    }
  };
  const ours = (b: Uint8Array): string | "refused" => {
    try {
      return utf8Text(b);
    } catch (e) {
      expect(e).toMatchObject({ reason: "invalid", what: "bytes that are not valid UTF-8" });
      return "refused";
    }
  };
  it("utf8Text is TextDecoder({ fatal: true }): the same text, or refused", () => {
    const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0xc3, 0xa1, 0xe1, 0xbb, 0x87, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0xef, 0xbf, 0xbe)), { maxLength: 24 });
    fc.assert(fc.property(bytes, (b) => {
      expect(ours(Uint8Array.from(b))).toEqual(decoded(Uint8Array.from(b)));
    }), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (t) => {
      expect(ours(new TextEncoder().encode(t))).toBe(t);
    }), { numRuns: 1000 });
  });
  it("wholeCharsEnd: where the bytes stop holding whole characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), fc.nat(), (t, k) => {
        const b = new TextEncoder().encode(t);
        const cut = k % (b.length + 1);
        const end = wholeCharsEnd(b.subarray(0, cut));
        // the longest prefix of whole characters: decodes, and one byte more would not be whole
        expect(end).toBeLessThanOrEqual(cut);
        expect(cut - end).toBeLessThan(4);
        expect(decoded(b.subarray(0, end))).not.toBe("refused");
        if (end < cut) expect(decoded(b.subarray(0, cut))).toBe("refused");
      }),
      { numRuns: 3000 },
    );
  });
});

describe("helpers", () => {
  it("refs, entities, ISO dates", () => {
    expect([1, 26, 27, 52, 53, 702, 703, 16384].map(colLetters)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]);
    expect(cellRef(7, 2)).toBe("B7");
    expect(parseRef("$XFD$1048576")).toEqual({ row: 1048576, col: 16384 });
    expect(parseRef("A")).toBeNull();
    expect(decodeEntities("&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&unknown;")).toBe("<>&\"'AB&unknown;");
    expect(isoToSerial("1900-03-01", false)).toBe(61);
    expect(isoToSerial("2024-01-15T12:00:00", false)).toBe(45306.5);
    expect(isoToSerial("1904-01-02", true)).toBe(1);
    expect(isoToSerial("hôm qua", false)).toBeNull();
  });

  it("parseRef is its pattern; parseRefAt reads a span as parseRef its slice; digitsValue is Number() of digits", () => {
    const part = fc.constantFrom("$", "A", "z", "XFD", "XFE", "AAAA", "1", "0", "7", "1048576", "1048577", "12345678", "\"", " ", "é");
    const text = fc.array(part, { maxLength: 6 }).map((ps) => ps.join(""));
    const spec = (r: string) => {
      const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(r);
      if (!m) return null;
      const row = Number(m[2]);
      const col = colNumber(m[1]!);
      return row >= 1 && row <= 1_048_576 && col <= 16_384 ? { row, col } : null;
    };
    fc.assert(
      fc.property(text, text, text, (a, r, b) => {
        expect(parseRef(r)).toEqual(spec(r));
        expect(parseRefAt(a + r + b, a.length, a.length + r.length)).toEqual(parseRef(r));
        const n = digitsValue(a + r + b, a.length, a.length + r.length);
        if (!/^\d*$/.test(r)) expect(n).toBe(-1);
        else if (r.length <= 15) expect(n).toBe(Number(r));
      }),
      { seed: 7, numRuns: 4000 },
    );
  });

  it("parseNumber gives exactly what Number() gives for an xsd:double, NaN for anything else", () => {
    for (const s of ["0", "-0", "1", "0.014", "-1.5E-3", "1e21", "123456789012345", "1234567890123456789", "0.1", "43831", " 5", ".5", "5.", "-", "1.2.3"]) {
      expect(Object.is(parseNumber(s), Number(s))).toBe(true);
    }
    // Number() reads these as 16, 85, 3, 0, 0: a stored number must be a decimal, never a guess
    for (const s of ["0x10", "0x55", "0b11", "0o7", "", "  ", "Infinity", "1_000"]) expect(parseNumber(s)).toBeNaN();
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 17 }), (x, digits) => {
        for (const s of [String(x), x.toFixed(Math.min(digits, 15)), x.toPrecision(Math.max(1, digits))]) {
          expect(Object.is(parseNumber(s), Number(s))).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("hasNonXmlChar", () => {
  it("is NOT_XML_CHAR.test on every kind of UTF-16 unit and pair", async () => {
    const { hasNonXmlChar, NOT_XML_CHAR } = await import("../../xlsx/scanner.js");
    const units = [0, 1, 8, 9, 10, 11, 12, 13, 14, 0x1f, 0x20, 0x41, 0x7f, 0xa0, 0x1ec7, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd, 0xfffe, 0xffff];
    const texts = ["", "Dự toán 2024", "a\u0000b", "😀", "x😀y", "\ud83d", "\ude00", "\ude00\ud83d", "\ud83d\ud83d\ude00"];
    for (const a of units) {
      texts.push(String.fromCharCode(a), "ab" + String.fromCharCode(a));
      for (const b of units) texts.push(String.fromCharCode(a, b));
    }
    for (const t of texts) expect(hasNonXmlChar(t), JSON.stringify(t)).toBe(NOT_XML_CHAR.test(t));
  });
});
