// Files that are not what their name says, and files that try to exhaust the reader: each must
// fail with its own OpenFailure reason and a clear message, never a crash or a hang.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { openXlsx, sniffFile, XlsxLimitError, XlsxOpenError, type ReaderLimits } from "../../xlsx/index.js";
import { LIMITS, exceljsBasic, handMadeXlsx, readAll, tempDir } from "./fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function failure(path: string, limits: ReaderLimits = LIMITS): Promise<XlsxOpenError> {
  try {
    await readAll(await openXlsx(path, limits));
  } catch (e) {
    expect(e).toBeInstanceOf(XlsxOpenError);
    return e as XlsxOpenError;
  }
  throw new Error(`${path} opened without error`);
}

function ole2(path: string, encrypted: boolean): string {
  const buf = Buffer.alloc(4096);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf);
  // a directory entry's name, as a compound file stores it (UTF-16LE)
  Buffer.from(encrypted ? "EncryptedPackage" : "Workbook", "utf16le").copy(buf, 1024);
  if (encrypted) Buffer.from("EncryptionInfo", "utf16le").copy(buf, 1152);
  writeFileSync(path, buf);
  return path;
}

describe("sniff and openXlsx: what the file really is", () => {
  it("a real workbook opens", async () => {
    const path = await exceljsBasic(join(dir, "ok.xlsx"));
    expect(await sniffFile(path)).toEqual({ kind: "xlsx" });
    const r = await readAll(await openXlsx(path, LIMITS));
    expect(r.sheets[0].rows.length).toBeGreaterThan(5);
  });

  it("a legacy .xls and a password-protected workbook (both OLE2)", async () => {
    const xls = ole2(join(dir, "old.xlsx"), false);
    expect(await sniffFile(xls)).toEqual({ kind: "ole2", encrypted: false });
    expect((await failure(xls)).reason).toBe("ole2_xls");
    const enc = ole2(join(dir, "locked.xlsx"), true);
    expect(await sniffFile(enc)).toEqual({ kind: "ole2", encrypted: true });
    const e = await failure(enc);
    expect(e.reason).toBe("encrypted");
    expect(e.message).toMatch(/password/);
  });

  it("an OpenDocument spreadsheet, a zip of something else, a CSV and an empty file named .xlsx", async () => {
    const ods = join(dir, "calc.xlsx");
    writeFileSync(
      ods,
      zipSync({ mimetype: [strToU8("application/vnd.oasis.opendocument.spreadsheet"), { level: 0 }], "content.xml": strToU8("<office:document-content/>") }),
    );
    expect(await sniffFile(ods)).toEqual({ kind: "ods" });
    expect((await failure(ods)).reason).toBe("ods");

    const other = join(dir, "other.xlsx");
    writeFileSync(other, zipSync({ "word/document.xml": strToU8("<w:document/>") }));
    expect(await sniffFile(other)).toEqual({ kind: "zip_other" });
    expect((await failure(other)).reason).toBe("not_workbook");

    const csv = join(dir, "data.xlsx");
    writeFileSync(csv, "Mã nhiệm vụ;Dự toán 2024\nNV-01;1.234,5\n");
    expect(await sniffFile(csv)).toEqual({ kind: "text" });
    expect((await failure(csv)).reason).toBe("not_zip");

    const empty = join(dir, "empty.xlsx");
    writeFileSync(empty, "");
    expect(await sniffFile(empty)).toEqual({ kind: "empty" });
    expect((await failure(empty)).reason).toBe("not_zip");
  });

  it("a workbook cut short in copying, and one whose sheet XML stops mid-row", async () => {
    const full = readFileSync(await exceljsBasic(join(dir, "whole.xlsx")));
    const cut = join(dir, "cut.xlsx");
    writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.6)));
    expect(await sniffFile(cut)).toEqual({ kind: "truncated_zip" });
    expect((await failure(cut)).reason).toBe("truncated");

    const midRow = handMadeXlsx(join(dir, "midrow.xlsx"), {
      sheets: [{ name: "S", body: "" }],
      rawSheet1: '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>',
    });
    const e = await failure(midRow);
    expect(e.reason).toBe("truncated");
  });

  it("damaged deflate data inside an intact zip is truncated, not a crash", async () => {
    const path = handMadeXlsx(join(dir, "baddeflate.xlsx"), {
      sheets: [{ name: "S", body: "<sheetData>" + '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(2000) + "</sheetData>" }],
    });
    const buf = readFileSync(path);
    // overwrite the middle of the sheet's compressed data (the largest entry) with garbage
    const name = Buffer.from("xl/worksheets/sheet1.xml");
    const at = buf.indexOf(name) + name.length + 40;
    buf.fill(0xff, at, at + 64);
    writeFileSync(path, buf);
    const e = await failure(path);
    expect(e.reason).toBe("truncated");
  });
});

describe("limits", () => {
  it("a decompression bomb stops at maxInflatedBytes, with little memory", async () => {
    // 4 MB of XML that deflates to a few KB, against a 1 MB limit
    const filler = " ".repeat(4 * 1024 * 1024);
    const sheet = '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>' + filler + "</sheetData></worksheet>";
    const path = handMadeXlsx(join(dir, "bomb.xlsx"), { sheets: [{ name: "S", body: "" }], rawSheet1: sheet, level: 1 });
    expect(readFileSync(path).length).toBeLessThan(200 * 1024);
    const before = process.memoryUsage().rss;
    const e = await failure(path, { ...LIMITS, maxInflatedBytes: 1024 * 1024 });
    expect(e.reason).toBe("too_large");
    expect(e.where).toBe("xl/worksheets/sheet1.xml");
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("a bomb in the shared strings stops too, before any sheet is read", async () => {
    const path = handMadeXlsx(join(dir, "sstbomb.xlsx"), {
      sheets: [{ name: "S", body: '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>' }],
      // many ordinary strings (one long one would stop at maxTextChars first)
      rawSharedStrings: Array.from({ length: 200_000 }, (_, i) => `<t>texte numéro ${i} ${" ".repeat(8)}</t>`),
      level: 1,
    });
    const e = await failure(path, { ...LIMITS, maxInflatedBytes: 1024 * 1024 });
    expect(e.reason).toBe("too_large");
    expect(e.where).toBe("xl/sharedStrings.xml");
  });

  it("200 000 columns stop at maxColumns, naming the cell", async () => {
    const cells = Array.from({ length: 200_000 }, () => "<c><v>1</v></c>").join("");
    const path = handMadeXlsx(join(dir, "wide.xlsx"), {
      sheets: [{ name: "Rộng", body: `<sheetData><row r="3">${cells}</row></sheetData>` }],
      level: 9,
    });
    const e = await failure(path);
    expect(e.reason).toBe("too_many_columns");
    expect(e.where).toBe("SG3"); // column 501
  });

  it("rows count only when present: a huge <dimension> is fine, too many rows is not", async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `<row r="${i * 1000 + 1}"><c r="A${i * 1000 + 1}"><v>${i}</v></c></row>`).join("");
    const ok = handMadeXlsx(join(dir, "dim.xlsx"), {
      sheets: [{ name: "S", body: `<dimension ref="A1:XFD1048576"/><sheetData>${rows(10)}</sheetData>` }],
    });
    const r = await readAll(await openXlsx(ok, { ...LIMITS, maxRows: 10 }));
    expect(r.sheets[0].rows.map((x) => x.row).at(-1)).toBe(9001);
    const e = await failure(ok, { ...LIMITS, maxRows: 9 });
    expect(e.reason).toBe("too_many_rows");
    expect(e.where).toBe("S!A9001");
  });

  it("nesting in a small part counts from its real depth, however many self-closing tags came first", async () => {
    // each <t/> is an element that opens and closes at once: it must not make room for deeper nesting
    const path = handMadeXlsx(join(dir, "deep-sst.xlsx"), {
      sheets: [{ name: "S", body: '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>' }],
      rawSharedStrings: [...Array.from({ length: 100 }, () => "<t/>"), "<r>".repeat(80) + "<t>x</t>" + "</r>".repeat(80)],
    });
    const e = await failure(path, { ...LIMITS, maxDepth: 64 });
    expect(e).toBeInstanceOf(XlsxLimitError);
    expect((e as XlsxLimitError).limit).toBe("maxDepth");
  });

  it("a file over maxFileBytes is refused before it is read", async () => {
    const path = await exceljsBasic(join(dir, "big.xlsx"));
    const e = await failure(path, { ...LIMITS, maxFileBytes: 1000 });
    expect(e.reason).toBe("too_large");
  });
});
