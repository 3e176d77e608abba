// What a file really is, from its bytes rather than its name: offices save .xls, .ods, CSV and
// password-protected workbooks under an .xlsx name, and each deserves its own clear message.
import { open, type FileHandle } from "node:fs/promises";
import { InflateBudget, readCentralDirectory, inflateEntry, partKey, ZipError, type ZipEntry } from "./zip.js";
import { contentTypeOf, contentTypesReader, readPartText, REL_OFFICE_DOCUMENT, relsReader, type PartReader } from "./opc.js";

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
// the package's own relationships and content types are a few hundred bytes; more is not them
const PACKAGE_PART_BYTES = 256 * 1024;
// the main part of a workbook, a template, and their macro-enabled kinds (not a .docx or .pptx)
const WORKBOOK_MAIN = /\.(sheet|template)(\.macroEnabled)?\.main\+xml$/i;

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
    const byName = new Map(entries.map((e) => [partKey(e.name), e]));
    if (byName.has("xl/workbook.xml")) return { kind: "xlsx" };
    if (await workbookByRels(fh, size, byName)) return { kind: "xlsx" };
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

/** The text of a small part, or null when it is missing, damaged or too big to be what it says. */
async function smallPart(fh: FileHandle, size: number, entry: ZipEntry | undefined): Promise<string | null> {
  if (!entry || entry.uncompressedSize > PACKAGE_PART_BYTES) return null;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of inflateEntry(fh, size, entry, new InflateBudget(PACKAGE_PART_BYTES))) chunks.push(Buffer.from(chunk));
  } catch {
    return null;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A small part read with the toolkit's reader; null when it is not XML. */
function readSmall<T>(xml: string, make: () => PartReader<T>): T | null {
  try {
    return readPartText(xml, make);
  } catch {
    return null;
  }
}

/**
 * A workbook whose main part is not xl/workbook.xml: the package's _rels/.rels names the part
 * (any name is valid OPC, and Excel opens it), [Content_Types].xml says it is a workbook.
 */
async function workbookByRels(fh: FileHandle, size: number, byName: Map<string, ZipEntry>): Promise<boolean> {
  const relsXml = await smallPart(fh, size, byName.get("_rels/.rels"));
  const rels = relsXml === null ? null : readSmall(relsXml, () => relsReader(""));
  const main = rels?.find((r) => REL_OFFICE_DOCUMENT.test(r.type) && !r.external && r.target !== "");
  const target = main?.part == null ? undefined : partKey(main.part);
  if (target === undefined || !byName.has(target)) return false;
  const typesXml = await smallPart(fh, size, byName.get("[content_types].xml"));
  const types = typesXml === null ? null : readSmall(typesXml, contentTypesReader);
  return types !== null && WORKBOOK_MAIN.test(contentTypeOf(types, target) ?? "");
}
