// An .xlsx/.xlsm package (an OPC zip) opened in memory: list, read, replace, add and remove
// parts, then write it back. Parts nobody touched are written in the order they had with the
// very compressed bytes they had (read with the toolkit's zip layer, zip.ts; fflate's Zip takes
// them back as a ready-made entry): nothing is recompressed but what changed.
// Also the OPC plumbing the fill needs: relationships, content types and the sheet list.
import { inflateSync, Zip, ZipPassThrough, zipSync, type ZipInputFile, type Zippable } from "fflate";
import * as zlib from "node:zlib";
import { decodeUtf8 } from "./utf8.js";
import { ZIP_LIMIT_DEFAULTS } from "../core/config.js";
import { centralDirectoryOf, checkEntry, dataOffset, entriesByPart, ZipError, type ZipEntry } from "./zip.js";
import { childElements, elem, parseXml, serializeXmlBytes, type XmlDocument } from "./xml.js";
import {
  contentTypeOf,
  contentTypesReader,
  readPartText,
  relativeTarget,
  relsPartName,
  relsReader,
  REL_CHARTSHEET,
  REL_OFFICE_DOCUMENT,
  REL_WORKSHEET,
  workbookReader,
  type Relationship,
  type WorkbookPart,
} from "./opc.js";

export { relsPartName, resolveTarget, type Relationship } from "./opc.js";

/** The limits a package is opened under (core/config.ts `limits`; its defaults when absent). */
export interface PackageLimits {
  maxFileBytes?: number;
  maxInflatedBytes?: number;
}

export class XlsxPackageError extends Error {
  override name = "XlsxPackageError";
}

export class Package {
  private order: string[];
  private parts: Map<string, Uint8Array>;
  /** names whose bytes were replaced (or added) since opening */
  private readonly touched = new Set<string>();

  /** entries as stored in the zip (compression method and compressed bytes) */
  private readonly raw: Map<string, RawEntry>;

  private constructor(order: string[], parts: Map<string, Uint8Array>, raw: Map<string, RawEntry>) {
    // Some writers (older Windows and .NET tools) store "xl\workbook.xml": Excel reads a "\" as
    // "/", so the parts are known by their "/" names and written back with them, as Excel does.
    if (order.some((n) => n.includes("\\"))) {
      const fix = (n: string): string => n.replace(/\\/g, "/");
      order = order.map(fix);
      parts = new Map([...parts].map(([k, v]) => [fix(k), v]));
      raw = new Map([...raw].map(([k, v]) => [fix(k), v]));
    }
    this.order = order;
    this.parts = parts;
    this.raw = raw;
  }

  /**
   * Opens a package held in memory. The zip is read as the ETL's reader reads a file (zip.ts: the
   * same central directory, the same refusal of encrypted or unknown entries and of a part stored
   * twice) and under the same decompression limits (core/config.ts `limits`: the configured ones
   * when the caller has them, the defaults otherwise): the inflated bytes are counted as they come,
   * whatever sizes the directory claims, so a bomb that lies about its sizes stops at the limit too.
   */
  static open(bytes: Uint8Array, limits: PackageLimits = {}): Package {
    // no file-size limit unless the caller sets one: the fill's own workbooks may be large
    const maxFile = limits.maxFileBytes ?? Infinity;
    const maxInflated = limits.maxInflatedBytes ?? ZIP_LIMIT_DEFAULTS.maxInflatedBytes;
    if (bytes.length > maxFile) throw new XlsxPackageError(`the workbook is ${bytes.length} bytes, over the limit of ${maxFile}`);
    let list: ZipEntry[];
    try {
      list = centralDirectoryOf(bytes);
      entriesByPart(list);
    } catch (e) {
      throw new XlsxPackageError(`not a readable .xlsx (zip) file: ${(e as Error).message}`);
    }
    const bomb = (): XlsxPackageError => new XlsxPackageError(`the workbook inflates to more than ${maxInflated} bytes (a decompression bomb?)`);
    // what the directory says first (nothing inflated yet), then what the data really gives
    let declared = 0;
    for (const e of list) if ((declared += e.uncompressedSize) > maxInflated) throw bomb();
    const order: string[] = [];
    const parts = new Map<string, Uint8Array>();
    const raw = new Map<string, RawEntry>();
    let used = 0;
    for (const e of list) {
      let stored: Uint8Array;
      try {
        checkEntry(e);
        const start = e.localHeaderOffset + dataOffset(e, bytes.subarray(e.localHeaderOffset, e.localHeaderOffset + 30 + 0xffff * 2));
        if (start + e.compressedSize > bytes.length) throw new ZipError("truncated", `${e.name}: data runs past the end of the file`);
        stored = bytes.subarray(start, start + e.compressedSize);
      } catch (err) {
        throw new XlsxPackageError(`not a readable .xlsx (zip) file: ${(err as Error).message}`);
      }
      let data: Uint8Array;
      if (e.method === 0) data = stored;
      else {
        try {
          // node's zlib (native, several times faster than fflate's JavaScript), never past the
          // budget left: one byte more than it says a bomb
          // (an output buffer of the size the directory states, when it says the truth: one piece)
          const b = zlib.inflateRawSync(stored, { maxOutputLength: Math.max(1, maxInflated - used + 1), chunkSize: Math.max(64 * 1024, Math.min(e.uncompressedSize + 1, maxInflated - used + 1)) });
          data = new Uint8Array(b.buffer, b.byteOffset, b.length);
        } catch (err) {
          if (err instanceof RangeError) throw bomb();
          throw new XlsxPackageError(`not a readable .xlsx (zip) file: ${e.name}: ${(err as Error).message}`);
        }
      }
      if ((used += data.length) > maxInflated) throw bomb();
      order.push(e.name);
      parts.set(e.name, data);
      raw.set(e.name, { compression: e.method, data: stored });
    }
    const pkg = new Package(order, parts, raw);
    if (!pkg.has("[Content_Types].xml")) throw new XlsxPackageError("not an Office Open XML package: [Content_Types].xml is missing");
    return pkg;
  }

  /** Part names in zip order (directories included as stored). */
  names(): string[] {
    return [...this.order];
  }

  has(name: string): boolean {
    return this.parts.has(normal(name));
  }

  read(name: string): Uint8Array {
    const b = this.parts.get(normal(name));
    if (!b) throw new XlsxPackageError(`part ${name} is missing from the package`);
    return b;
  }

  readText(name: string): string {
    return decodeUtf8(this.read(name));
  }

  readXml(name: string): XmlDocument {
    return parseXml(this.readText(name));
  }

  /** Replace (or add, at the end) a part. */
  write(name: string, data: Uint8Array | string): void {
    const n = normal(name);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    if (!this.parts.has(n)) this.order.push(n);
    this.parts.set(n, bytes);
    this.touched.add(n);
  }

  writeXml(name: string, doc: XmlDocument): void {
    this.write(name, serializeXmlBytes(doc));
  }

  remove(name: string): void {
    const n = normal(name);
    if (!this.parts.delete(n)) return;
    this.order = this.order.filter((x) => x !== n);
    this.touched.delete(n);
  }

  /** Parts written since opening. */
  changed(): string[] {
    return this.order.filter((n) => this.touched.has(n));
  }

  /** The stored (compressed) bytes of an entry as it was read, for tests. */
  storedBytes(name: string): Uint8Array | undefined {
    return this.raw.get(normal(name))?.data;
  }

  toBytes(): Uint8Array {
    try {
      return this.toBytesKeepingEntries();
    } catch {
      return this.toBytesRecompressed();
    }
  }

  private toBytesKeepingEntries(): Uint8Array {
    const chunks: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((err, data) => {
      if (err) failure = err;
      else chunks.push(data);
    });
    for (const name of this.order) {
      const data = this.parts.get(name)!;
      const raw = this.touched.has(name) ? undefined : this.raw.get(name);
      if (raw && sameContent(raw, data)) {
        const entry = { filename: name, size: data.length, crc: crc32(data), compression: raw.compression, mtime: MTIME } as ZipInputFile;
        zip.add(entry);
        entry.ondata!(null, raw.data as Uint8Array<ArrayBuffer>, true);
        continue;
      }
      const level = levelFor(name, data);
      if (level === 0) {
        const f = new ZipPassThrough(name);
        f.mtime = MTIME;
        zip.add(f);
        f.push(data, true);
      } else {
        // node's zlib (native) deflates a 4 MB sheet three times faster than fflate's JavaScript
        // at the same level; the entry is added as ready-made deflate data, like a kept one
        const entry = { filename: name, size: data.length, crc: crc32(data), compression: 8, mtime: MTIME } as ZipInputFile;
        zip.add(entry);
        entry.ondata!(null, zlib.deflateRawSync(data, { level }) as Uint8Array<ArrayBuffer>, true);
      }
    }
    zip.end();
    if (failure) throw failure;
    return concat(chunks);
  }

  private toBytesRecompressed(): Uint8Array {
    const z: Zippable = {};
    for (const name of this.order) {
      const data = this.parts.get(name)!;
      z[name] = [data, { level: levelFor(name, data), mtime: MTIME }];
    }
    return zipSync(z);
  }

  // ------------------------------------------------------------ OPC plumbing

  /** Relationships of a part (its _rels/<name>.rels), targets resolved to part names. */
  rels(source: string): Relationship[] {
    const relsName = relsPartName(source);
    if (!this.has(relsName)) return [];
    return readPartText(this.readText(relsName), () => relsReader(source));
  }

  /** Add a relationship from `source` to the part `targetPart`; returns its id. */
  addRel(source: string, type: string, targetPart: string): string {
    const relsName = relsPartName(source);
    const doc = this.has(relsName)
      ? this.readXml(relsName)
      : parseXml('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
    const ids = new Set(childElements(doc.root, "Relationship").map((r) => r.attrs.get("Id")));
    let n = ids.size + 1;
    while (ids.has(`rId${n}`)) n++;
    const id = `rId${n}`;
    doc.root.children.push(elem("Relationship", { Id: id, Type: type, Target: relativeTarget(source, targetPart) }));
    doc.root.selfClosing = false;
    this.writeXml(relsName, doc);
    return id;
  }

  /** Remove the relationships of `source` that satisfy `pred`. */
  removeRels(source: string, pred: (r: Relationship) => boolean): void {
    const relsName = relsPartName(source);
    if (!this.has(relsName)) return;
    const doc = this.readXml(relsName);
    const all = this.rels(source);
    const drop = new Set(all.filter(pred).map((r) => r.id));
    if (drop.size === 0) return;
    doc.root.children = doc.root.children.filter((c) => !(c.kind === "element" && drop.has(c.attrs.get("Id") ?? "")));
    this.writeXml(relsName, doc);
  }

  /** The content type of a part (Override, else Default by extension). */
  contentType(part: string): string | null {
    return contentTypeOf(readPartText(this.readText("[Content_Types].xml"), contentTypesReader), part);
  }

  setOverride(part: string, contentType: string | null): void {
    const doc = this.readXml("[Content_Types].xml");
    const pn = "/" + normal(part);
    const existing = childElements(doc.root, "Override").find((o) => (o.attrs.get("PartName") ?? "").toLowerCase() === pn.toLowerCase());
    if (contentType === null) {
      if (!existing) return;
      doc.root.children = doc.root.children.filter((c) => c !== existing);
    } else if (existing) {
      if (existing.attrs.get("ContentType") === contentType) return;
      existing.attrs.set("ContentType", contentType);
    } else {
      doc.root.children.push(elem("Override", { PartName: pn, ContentType: contentType }));
      doc.root.selfClosing = false;
    }
    this.writeXml("[Content_Types].xml", doc);
  }

  /** The workbook part ("xl/workbook.xml" in practice), from the package relationships. */
  workbookPart(): string {
    const r = this.rels("").find((x) => REL_OFFICE_DOCUMENT.test(x.type));
    if (!r?.part) throw new XlsxPackageError("the package has no workbook (officeDocument relationship)");
    return r.part;
  }

  /** workbook.xml read: the sheets (with their relationship ids) and the date system. */
  workbook(): WorkbookPart {
    return readPartText(this.readText(this.workbookPart()), workbookReader);
  }

  /** Every sheet of the workbook in order, with its part. */
  sheets(): SheetEntry[] {
    const wb = this.workbookPart();
    const rels = new Map(this.rels(wb).map((r) => [r.id, r]));
    return this.workbook().sheets.map((s, position) => {
      const rel = rels.get(s.rid);
      const kind = rel && REL_WORKSHEET.test(rel.type) ? "worksheet" : rel && REL_CHARTSHEET.test(rel.type) ? "chartsheet" : "other";
      return { name: s.name, sheetId: s.sheetId, position, part: rel?.part ?? "", kind, state: s.state };
    });
  }
}

export interface SheetEntry {
  name: string;
  sheetId: string;
  /** position among all sheets of the workbook (worksheets and chart sheets) */
  position: number;
  part: string;
  kind: "worksheet" | "chartsheet" | "other";
  state: "visible" | "hidden" | "veryHidden";
}

const normal = (name: string): string => (name.startsWith("/") ? name.slice(1) : name);

const MTIME = new Date(Date.UTC(1980, 0, 1, 12));

/** Already-compressed media gains nothing from deflate: stored. Big parts (a data sheet) at
 * level 4: about twice as fast as 6 for 1–2 % more bytes. */
function levelFor(name: string, data: Uint8Array): 0 | 4 | 6 {
  if (/\.(png|jpe?g|gif|bin|emf|wmf)$/i.test(name) || name.endsWith("/")) return 0;
  return data.length > 1 << 20 ? 4 : 6;
}

interface RawEntry {
  compression: number;
  data: Uint8Array;
}

/** The stored bytes really are this part (checked before they are reused). */
function sameContent(raw: RawEntry, data: Uint8Array): boolean {
  let inflated: Uint8Array;
  try {
    inflated = raw.compression === 0 ? raw.data : inflateSync(raw.data, { out: new Uint8Array(data.length) });
  } catch {
    return false;
  }
  if (inflated.length !== data.length) return false;
  for (let i = 0; i < data.length; i++) if (inflated[i] !== data[i]) return false;
  return true;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** CRC-32 (the zip entry checksum of the data a reused entry stands for). */
export function crc32(data: Uint8Array): number {
  // node's own (native, node ≥ 20.15: package.json's engines), not a hand-written table
  return (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32(data) >>> 0;
}
