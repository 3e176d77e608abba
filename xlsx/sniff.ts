// What a file really is, from its bytes rather than its name: offices save .xls, .ods, CSV and
// password-protected workbooks under an .xlsx name, and each deserves its own clear message.
import { open, type FileHandle } from "node:fs/promises";
import { posix } from "node:path";
import { SaxesParser } from "saxes";
import { InflateBudget, readCentralDirectory, inflateEntry, partKey, ZipError, type ZipEntry } from "./zip.js";

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

/** Open tags of a small XML text (local names, plain attributes); false when it is not XML. */
function eachTag(xml: string, onTag: (name: string, attrs: Record<string, string>) => void): boolean {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let ok = true;
  parser.on("error", () => {
    ok = false;
  });
  parser.on("opentag", (t) => {
    if (ok) onTag(t.name.slice(t.name.indexOf(":") + 1), t.attributes as Record<string, string>);
  });
  parser.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  return ok;
}

/**
 * A workbook whose main part is not xl/workbook.xml: the package's _rels/.rels names the part
 * (any name is valid OPC, and Excel opens it), [Content_Types].xml says it is a workbook.
 */
async function workbookByRels(fh: FileHandle, size: number, byName: Map<string, ZipEntry>): Promise<boolean> {
  const rels = await smallPart(fh, size, byName.get("_rels/.rels"));
  if (rels === null) return false;
  const found: { target?: string; override?: string; byDefault?: string } = {};
  eachTag(rels, (name, a) => {
    if (found.target === undefined && name === "Relationship" && /\/officeDocument$/.test(a.Type ?? "") && a.TargetMode !== "External" && a.Target) {
      found.target = partKey(posix.normalize(a.Target.replace(/\\/g, "/")));
    }
  });
  const target = found.target;
  if (target === undefined || !byName.has(target)) return false;
  const types = await smallPart(fh, size, byName.get("[content_types].xml"));
  if (types === null) return false;
  const ext = posix.extname(target).slice(1);
  eachTag(types, (name, a) => {
    if (name === "Override" && partKey(a.PartName ?? "") === target) found.override = a.ContentType ?? "";
    else if (name === "Default" && (a.Extension ?? "").toLowerCase() === ext) found.byDefault = a.ContentType ?? "";
  });
  return WORKBOOK_MAIN.test(found.override ?? found.byDefault ?? "");
}
