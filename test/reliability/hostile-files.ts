// Hostile workbooks for the reliability suite (hostile.test.ts), made at test time: small files
// that inflate to hundreds of megabytes, or hold what no real workbook does. A zip writer of our
// own (Node's zlib, streaming) so that a 500 MB part is deflated chunk by chunk, never held, and
// so that a zip can hold what zip libraries refuse to write (one name twice).
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { crc32, createDeflateRaw } from "node:zlib";

/** A part's text: a string, or head + body × times + tail (made chunk by chunk). */
export type PartText = string | Buffer | { head: string; body: string; times: number; tail: string };

export interface Part {
  name: string;
  text: PartText;
}

async function* chunksOf(t: PartText): AsyncGenerator<Buffer> {
  if (typeof t === "string") return yield Buffer.from(t, "utf8");
  if (Buffer.isBuffer(t)) return yield t;
  yield Buffer.from(t.head, "utf8");
  const body = Buffer.from(t.body, "utf8");
  // about 1 MB per chunk
  const per = Math.max(1, Math.floor((1 << 20) / Math.max(1, body.length)));
  const block = Buffer.concat(Array.from({ length: per }, () => body));
  let left = t.times;
  while (left >= per) {
    yield block;
    left -= per;
  }
  if (left > 0) yield block.subarray(0, left * body.length);
  yield Buffer.from(t.tail, "utf8");
}

/** Writes a zip (deflated entries, data descriptors avoided: sizes known after each entry). */
export async function writeZip(path: string, parts: Part[]): Promise<string> {
  const out = createWriteStream(path);
  let offset = 0;
  const write = async (b: Buffer): Promise<void> => {
    offset += b.length;
    if (!out.write(b)) await once(out, "drain");
  };
  const central: Buffer[] = [];
  for (const p of parts) {
    // deflate first into memory (hostile parts compress ~1000:1, so this stays small)
    const deflater = createDeflateRaw({ level: 9 });
    const compressed: Buffer[] = [];
    deflater.on("data", (c: Buffer) => compressed.push(c));
    let crc = 0;
    let size = 0;
    for await (const c of chunksOf(p.text)) {
      crc = crc32(c, crc);
      size += c.length;
      if (!deflater.write(c)) await once(deflater, "drain");
    }
    deflater.end();
    await once(deflater, "end");
    const data = Buffer.concat(compressed);
    const name = Buffer.from(p.name, "utf8");
    const zip64 = size >= 0xffffffff;
    if (zip64) throw new Error("parts over 4 GB are not needed here");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const at = offset;
    await write(local);
    await write(name);
    await write(data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(at, 42);
    central.push(cd, name);
  }
  const cdStart = offset;
  for (const b of central) await write(b);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(offset - cdStart, 12);
  eocd.writeUInt32LE(cdStart, 16);
  await write(eocd);
  out.end();
  await once(out, "finish");
  return path;
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

export const STYLES = `${XML}<styleSheet ${NS}><fonts count="1"><font><sz val="11"/><name val="Times New Roman"/></font></fonts><cellXfs count="1"><xf numFmtId="0" fontId="0"/></cellXfs></styleSheet>`;

export interface Book {
  /** sheet entries: name and which part (1-based sheetN.xml) each reads */
  sheets?: { name: string; part: number }[];
  /** parts xl/worksheets/sheetN.xml, N = index + 1 */
  sheetParts: PartText[];
  sharedStrings?: PartText;
  styles?: PartText;
  /** parts added as they are (a second copy of a name, …) */
  extra?: Part[];
}

/** A sheet part from its sheetData body (plain text). */
export const sheetXml = (body: string, after = ""): string => `${XML}<worksheet ${NS}><sheetData>${body}</sheetData>${after}</worksheet>`;

/** A workbook whose parts are given; the package parts around them are the ordinary ones. */
export function writeBook(path: string, b: Book): Promise<string> {
  const sheets = b.sheets ?? b.sheetParts.map((_, i) => ({ name: `Sheet${i + 1}`, part: i + 1 }));
  const parts: Part[] = [
    {
      name: "[Content_Types].xml",
      text: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
    },
    { name: "_rels/.rels", text: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` },
    {
      name: "xl/_rels/workbook.xml.rels",
      text: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((s, i) => `<Relationship Id="rId${i + 10}" Type="${REL}/worksheet" Target="worksheets/sheet${s.part}.xml"/>`).join("")}<Relationship Id="rId2" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    { name: "xl/workbook.xml", text: `${XML}<workbook ${NS}><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 10}"/>`).join("")}</sheets></workbook>` },
    { name: "xl/styles.xml", text: b.styles ?? STYLES },
    { name: "xl/sharedStrings.xml", text: b.sharedStrings ?? `${XML}<sst ${NS}></sst>` },
    ...b.sheetParts.map((t, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, text: t })),
    ...(b.extra ?? []),
  ];
  return writeZip(path, parts);
}

export const SST_HEAD = `${XML}<sst ${NS}>`;
export const SST_TAIL = "</sst>";
