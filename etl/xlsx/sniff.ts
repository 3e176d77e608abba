// What a file really is, from its bytes rather than its name: offices save .xls, .ods, CSV and
// password-protected workbooks under an .xlsx name, and each deserves its own clear message.
import { open } from "node:fs/promises";
import { InflateBudget, readCentralDirectory, inflateEntry, ZipError } from "./zip.js";

export type SniffKind = "xlsx" | "ole2" | "ods" | "zip_other" | "text" | "empty" | "truncated_zip";

export interface SniffResult {
  kind: SniffKind;
  /** for "ole2": an encrypted OOXML package (a password-protected .xlsx) rather than a legacy .xls */
  encrypted?: boolean;
}

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet";
// Excel stores a password-protected workbook as an OLE2 compound file holding these streams;
// their names sit in the directory in UTF-16LE, so finding the bytes is enough.
const ENCRYPTION_NAMES = ["EncryptionInfo", "EncryptedPackage"].map((s) => Buffer.from(s, "utf16le"));
const OLE2_SCAN_BYTES = 4 * 1024 * 1024;

export async function sniffFile(path: string): Promise<SniffResult> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    if (size === 0) return { kind: "empty" };
    const head = Buffer.alloc(Math.min(8, size));
    await fh.read(head, 0, head.length, 0);
    if (head.length === 8 && head.equals(OLE2_MAGIC)) {
      // the directory sectors may be anywhere, but in these files they are within the first MBs
      const len = Math.min(size, OLE2_SCAN_BYTES);
      const body = Buffer.alloc(len);
      await fh.read(body, 0, len, 0);
      const encrypted = ENCRYPTION_NAMES.some((n) => body.includes(n));
      return { kind: "ole2", encrypted };
    }
    const isZip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
    if (!isZip) return { kind: "text" };
    let entries;
    try {
      entries = await readCentralDirectory(fh, size);
    } catch (err) {
      if (err instanceof ZipError) return { kind: "truncated_zip" };
      throw err;
    }
    const byName = new Map(entries.map((e) => [e.name.replace(/^\//, "").toLowerCase(), e]));
    if (byName.has("xl/workbook.xml")) return { kind: "xlsx" };
    const mime = byName.get("mimetype");
    if (mime && mime.uncompressedSize < 200) {
      let text = "";
      try {
        for await (const chunk of inflateEntry(fh, size, mime, new InflateBudget(1024))) text += Buffer.from(chunk).toString("latin1");
      } catch {
        return { kind: "truncated_zip" };
      }
      if (text.trim() === ODS_MIME) return { kind: "ods" };
    }
    return { kind: "zip_other" };
  } finally {
    await fh.close();
  }
}
