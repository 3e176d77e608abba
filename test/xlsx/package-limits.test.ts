// The fill's package (xlsx/package.ts, bytes in memory) and the ETL's reader (xlsx/zip.ts, a file)
// read a zip with one central-directory reader and under one decompression limit, core/config.ts
// `limits`: a bomb, a bomb that lies about its sizes and a part stored twice are refused by both.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, zipSync } from "fflate";
import { ConfigSchema, ZIP_LIMIT_DEFAULTS } from "../../core/config.js";
import { openXlsx, XlsxInvalidError, XlsxOpenError } from "../../xlsx/index.js";
import { Package, XlsxPackageError } from "../../xlsx/package.js";
import { LIMITS, handMadeXlsx, readAll, tempDir } from "./fixtures.js";

const { dir, cleanup } = tempDir();
afterAll(cleanup);

const MB = 1024 * 1024;

/** A workbook whose sheet inflates to 4 MB from a few KB. */
function bomb(name: string): string {
  const sheet = '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>' + " ".repeat(4 * MB) + "</sheetData></worksheet>";
  return handMadeXlsx(join(dir, name), { sheets: [{ name: "S", body: "" }], rawSheet1: sheet, level: 1 });
}

/** Every size the zip states for `part` (local header and central directory) set to `size`. */
function lieAboutSize(bytes: Buffer, part: string, size: number): Buffer {
  const out = Buffer.from(bytes);
  for (let i = out.indexOf("PK\x03\x04"); i >= 0; i = out.indexOf("PK\x03\x04", i + 4)) {
    if (out.toString("latin1", i + 30, i + 30 + out.readUInt16LE(i + 26)) === part) out.writeUInt32LE(size, i + 22);
  }
  for (let i = out.indexOf("PK\x01\x02"); i >= 0; i = out.indexOf("PK\x01\x02", i + 4)) {
    if (out.toString("latin1", i + 46, i + 46 + out.readUInt16LE(i + 28)) === part) out.writeUInt32LE(size, i + 24);
  }
  return out;
}

async function readerFailure(path: string, maxInflatedBytes: number): Promise<unknown> {
  try {
    await readAll(await openXlsx(path, { ...LIMITS, maxInflatedBytes }));
  } catch (e) {
    return e;
  }
  throw new Error(`${path} opened without error`);
}

describe("one zip layer, one decompression limit", () => {
  it("the package's default limit is the configuration's", () => {
    expect(ConfigSchema.parse({}).limits.maxInflatedBytes).toBe(ZIP_LIMIT_DEFAULTS.maxInflatedBytes);
    // a 4 MB sheet opens under the default and stops under 1 MB, as the reader does
    const bytes = readFileSync(bomb("fits.xlsx"));
    expect(Package.open(bytes).read("xl/worksheets/sheet1.xml").length).toBeGreaterThan(4 * MB);
  });

  it("a bomb is refused by both, at the same limit", async () => {
    const path = bomb("bomb.xlsx");
    const e = await readerFailure(path, MB);
    expect(e).toBeInstanceOf(XlsxOpenError);
    expect((e as XlsxOpenError).reason).toBe("too_large");
    expect(() => Package.open(readFileSync(path), { maxInflatedBytes: MB })).toThrow(new XlsxPackageError(`the workbook inflates to more than ${MB} bytes (a decompression bomb?)`));
  });

  it("a bomb whose directory says its sheet is 100 bytes is refused by both too", async () => {
    const path = join(dir, "liar.xlsx");
    writeFileSync(path, lieAboutSize(readFileSync(bomb("liar-src.xlsx")), "xl/worksheets/sheet1.xml", 100));
    const e = await readerFailure(path, MB);
    expect((e as XlsxOpenError).reason).toBe("too_large");
    expect(() => Package.open(readFileSync(path), { maxInflatedBytes: MB })).toThrow(/inflates to more than 1048576 bytes/);
  });

  it("a small part that holds more than its directory says is read whole all the same, and counted", async () => {
    // small enough to be inflated at once: the stated 100 bytes are too few, so it is streamed
    const sheet = '<?xml version="1.0"?><worksheet><sheetData>' + Array.from({ length: 400 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join("") + "</sheetData></worksheet>";
    const honest = handMadeXlsx(join(dir, "small-src.xlsx"), { sheets: [{ name: "S", body: "" }], rawSheet1: sheet, level: 6 });
    const path = join(dir, "small-liar.xlsx");
    writeFileSync(path, lieAboutSize(readFileSync(honest), "xl/worksheets/sheet1.xml", 100));
    const rows = await readAll(await openXlsx(path, LIMITS));
    expect(rows).toEqual(await readAll(await openXlsx(honest, LIMITS)));
    expect(rows.sheets[0]!.rows.length).toBe(400);
    // every part's bytes count, the small ones inflated at once too: under a limit below the
    // workbook's whole, it is refused
    const e = await readerFailure(honest, sheet.length - 1);
    expect((e as XlsxOpenError).reason).toBe("too_large");
  });

  it("a part stored twice (names OPC compares equal) is refused by both", async () => {
    const files = unzipSync(readFileSync(handMadeXlsx(join(dir, "twice-src.xlsx"), { sheets: [{ name: "S", body: "<sheetData/>" }] })));
    files["XL/Styles.xml"] = files["xl/styles.xml"];
    const path = join(dir, "twice.xlsx");
    writeFileSync(path, zipSync(files));
    const e = await readerFailure(path, MB);
    expect(e).toBeInstanceOf(XlsxInvalidError);
    expect(() => Package.open(readFileSync(path))).toThrow(/holds the part "XL\/Styles.xml" twice/);
  });
});
