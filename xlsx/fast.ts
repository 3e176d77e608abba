// The ETL's xlsx reader: our zip layer (streaming inflate, bounded), saxes for the small parts,
// and the purpose-built scanner for sheet XML. Rows are yielded one at a time; only the shared
// strings and the styles are held for the whole workbook.
import type { ReaderLimits, WorkbookInfo, XlsxReader, XRow } from "./types.js";
import { XlsxInvalidError, XlsxLimitError, XlsxOpenError } from "./types.js";
import { LIMIT_DEFAULTS } from "../core/config.js";
import { emptyList } from "../core/lists.js";
import { InflateBudget, partKey, ZipError, ZipFile } from "./zip.js";
import { PartError, readRels, readSharedStrings, readStyles, readWorkbook } from "./parts.js";
import { REL_OFFICE_DOCUMENT, REL_SHARED_STRINGS, REL_STYLES } from "./opc.js";
import { LITTLE_ENDIAN, SheetScanner, UNITS_PAD, unitsOf } from "./scanner.js";
import { isAscii, isUtf8, transcode } from "node:buffer";
import { strictUtf8 } from "./utf8.js";

const NOT_UTF8 = (): XlsxInvalidError => new XlsxInvalidError("bytes that are not valid UTF-8", "các byte không phải UTF-8 hợp lệ");

/**
 * UTF-8 bytes of whole characters as text; XlsxInvalidError when they are not UTF-8 (never
 * U+FFFD): what TextDecoder({ fatal: true, ignoreBOM: true }) does, at about half its cost
 * (utf8.ts). A byte-order mark is kept as text: the reader drops one at a sheet's start itself.
 */
export function utf8Text(bytes: Uint8Array): string {
  const text = strictUtf8(bytes);
  if (text === null) throw NOT_UTF8();
  return text;
}

/**
 * The UTF-16 code units of UTF-8 bytes of whole characters, followed by UNITS_PAD zeros, as the
 * scanner reads them (SheetScanner.feedUnits); XlsxInvalidError when the bytes are not UTF-8 (never
 * U+FFFD). The bytes and the zeros are put together in a scratch buffer of the caller's (one copy
 * of the chunk; the units are read before the next call) and transcoded to UTF-16LE: on a
 * little-endian machine those bytes are the units. No string of the chunk is made.
 */
export function utf8Units(bytes: Uint8Array, scratch: { buf: Buffer }): { n: number; units: Uint16Array } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (!isAscii(b) && !isUtf8(b)) throw NOT_UTF8();
  return validUnits(bytes, scratch);
}

/** The caller's scratch buffer, made larger when it has no room for `n` bytes and UNITS_PAD zeros. */
function roomFor(scratch: { buf: Buffer }, n: number): Buffer {
  if (scratch.buf.length < n + UNITS_PAD) scratch.buf = Buffer.allocUnsafe(Math.max(n + UNITS_PAD, 2 * scratch.buf.length));
  return scratch.buf;
}

/** utf8Units of bytes known to be UTF-8. */
function validUnits(bytes: Uint8Array, scratch: { buf: Buffer }): { n: number; units: Uint16Array } {
  const n = bytes.length;
  if (!LITTLE_ENDIAN) {
    const text = utf8Text(bytes);
    return { n: text.length, units: unitsOf(text) };
  }
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, n);
  const padded = roomFor(scratch, n).subarray(0, n + UNITS_PAD);
  // (bytes the caller put at the scratch's start already are not copied onto themselves)
  if (b.buffer !== padded.buffer || b.byteOffset !== padded.byteOffset) padded.set(b);
  padded.fill(0, n);
  // ASCII too as 16-bit units: one kind of array for the scanner's reading (which V8 compiles for
  // the kinds it has seen: two would make every load of it slower)
  const u = transcode(padded, "utf8", "utf16le");
  const count = u.length >> 1;
  if (u.byteOffset % 2 === 0) return { n: count - UNITS_PAD, units: new Uint16Array(u.buffer, u.byteOffset, count) };
  // (a Buffer from Node's pool may start at an odd byte: then the units are copied)
  const units = new Uint16Array(count);
  new Uint8Array(units.buffer).set(u);
  return { n: count - UNITS_PAD, units };
}

/**
 * Where `bytes` stop holding whole characters: the start of a last UTF-8 sequence that the bytes
 * cut short, else their length. (Bytes that are not UTF-8 at all are left to utf8Text to refuse.)
 */
export function wholeCharsEnd(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = n - 1; k >= 0 && k >= n - 4; k--) {
    const b = bytes[k]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: its lead is further back
    const need = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return k + need > n ? k : n;
  }
  return n;
}

/**
 * A small sheet with every kind of markup the scanner reads on its fast and general paths: plain
 * cells (numbers: negative, decimal, past 2^31, 15 digits; shared strings; texts, ASCII and not;
 * with and without a style; empty), rows with their attributes, and the cells, elements and
 * markup the general reading takes (formulas, booleans, errors, ISO dates, inline and rich text,
 * entities, a value cut across two pieces, comments, merges).
 */
export const WARM_UP_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="x" xmlns:x14ac="y"><!-- warm-up --><sheetFormatPr defaultRowHeight="15"/><sheetData>' +
  '<row r="1" spans="1:9" x14ac:dyDescent="0.25"><c r="A1" t="str"><v>Tổng cộng nhiệm vụ khoa học</v></c><c r="B1" t="str"><v>Total</v></c><c r="C1" s="1"><v>43678</v></c><c r="D1"><v>-12.5</v></c><c r="E1" t="n"><v>123456789012345</v></c><c r="F1" t="s"><v>0</v></c><c r="G1"/><c r="H1" s="2"></c><c r="I1"><v>0.000001</v></c></row>' +
  '<row r="2" hidden="1"><c r="A2" t="str"><v>Sở KH&amp;CN</v></c><c r="B2" s="2"><f>SUM(C1:D1)</f><v>43665.5</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c><c r="E2" s="1" t="d"><v>2024-06-30</v></c>' +
  '<c r="F2" t="inlineStr"><is><r><t xml:space="preserve">Dự </t></r><r><t>toán</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c><c r="G2" s="2"><v>1E+20</v></c><c r="H2" t="str"><v>tháng 3/2021</v></c>' +
  // a text of every kind of character plainStep tells apart (Latin-1, beyond, U+02xx, a no-break space, a dash)
  '<c r="I2" t="str"><v>Đà Lạt ʼ\u00a02021–2025</v></c></row>' +
  '<row><c><v>7</v></c><c t="str"><v>Chủ nhiệm đề tài</v></c></row><row r="5" spans="1:2"><c r="A5" t="str"><v>01.H.2019.00009</v></c><c r="B5"><v>2</v></c></row><row r="6"/>' +
  '</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="0.7"/></worksheet>';

let warmedUp = false;

/**
 * Reads WARM_UP_XML once per process, before the first sheet, in pieces as a sheet is read. V8
 * compiles the scanner for the kinds of values and paths it has seen: a path a sheet first takes
 * after that (the first decimal, the first number past 2^31, the first cell the general reading
 * takes) throws the compiled code away and compiles it again, each costing tens of milliseconds
 * of a cold read. The rows read here go nowhere.
 */
function warmUp(scratch: { buf: Buffer }): void {
  if (warmedUp) return;
  warmedUp = true;
  const mixed = Buffer.from(WARM_UP_XML);
  // and all ASCII (V8 makes a one-byte string of it: another kind of string to read)
  const ascii = Buffer.from(WARM_UP_XML.replace(/[^\x00-\x7f]/g, "o"));
  for (let k = 0; k < 24; k++) {
    const bytes = k % 2 ? ascii : mixed;
    const row2 = bytes.indexOf('<row r="2"');
    const inValue = bytes.indexOf("Ch");
    // the same context's shape as a sheet's (batches)
    const scanner = new SheetScanner({
      sheet: "warm-up",
      sharedStrings: ["Nhiệm vụ"],
      numFmt: ["General", "mm/yyyy", "#,##0"],
      font: [undefined, "Times New Roman", undefined],
      date1904: false,
      maxColumns: 500,
      maxRows: 1000,
      maxCellsPerSheet: LIMIT_DEFAULTS.maxCellsPerSheet,
      maxTextChars: LIMIT_DEFAULTS.maxTextChars,
      maxMergesPerSheet: LIMIT_DEFAULTS.maxMergesPerSheet,
      maxMarkupChars: LIMIT_DEFAULTS.maxMarkupChars,
    });
    // whole, cut at a '<', cut inside a value
    const cut = k % 3 === 0 ? bytes.length : k % 3 === 1 ? row2 : inValue;
    for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
      if (!part.length) continue;
      const piece = validUnits(part, scratch);
      scanner.feedUnits(piece.units, piece.n);
    }
    scanner.end();
  }
}

/** Turns the zip and XML layers' errors into the interface's XlsxOpenError. */
function asOpenError(err: unknown): unknown {
  if (err instanceof XlsxOpenError) return err;
  if (err instanceof ZipError) {
    return new XlsxOpenError(err.reason === "encrypted" ? "encrypted" : err.reason, err.message);
  }
  if (err instanceof PartError) return new XlsxOpenError("truncated", `damaged workbook part: ${err.message}`, err.part);
  // TextDecoder({ fatal: true }): bytes that are not UTF-8 are an error, never U+FFFD
  if (err instanceof TypeError && (err as { code?: string }).code === "ERR_ENCODING_INVALID_ENCODED_DATA") {
    return new XlsxInvalidError("bytes that are not valid UTF-8", "các byte không phải UTF-8 hợp lệ");
  }
  return err;
}

/**
 * Rows one at a time from the scanner's batches (one batch per inflated chunk). A plain iterator
 * rather than an async generator: a row already scanned is handed over in one microtask instead
 * of a generator's several, which shows at millions of rows.
 */
function oneByOne(open: () => AsyncGenerator<XRow[]>): AsyncIterable<XRow> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<XRow> {
      const source = open();
      let batch: XRow[] = [];
      let i = 0;
      return {
        async next(): Promise<IteratorResult<XRow>> {
          while (i >= batch.length) {
            const r = await source.next();
            if (r.done) return { done: true, value: undefined };
            batch = r.value;
            i = 0;
          }
          return { done: false, value: batch[i++] };
        },
        async return(): Promise<IteratorResult<XRow>> {
          await source.return(undefined);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

export async function openFastXlsx(path: string, limits: ReaderLimits): Promise<XlsxReader> {
  let zip: ZipFile;
  try {
    zip = await ZipFile.open(path, limits.maxFileBytes);
  } catch (err) {
    throw asOpenError(err);
  }
  try {
    // ONE budget for the whole file: the small parts and every sheet read draw on it, so that
    // 2 000 sheets pointing at one part that inflates to 100 MB stop at the limit, not 2 000 × it
    const budget = new InflateBudget(limits.maxInflatedBytes);
    const lim = { ...LIMIT_DEFAULTS, ...limits };
    const rootRels = await readRels(zip, "", budget);
    const mainName = rootRels.find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.part ?? "xl/workbook.xml";
    const mainEntry = zip.get(mainName) ?? zip.get("xl/workbook.xml");
    if (!mainEntry) throw new XlsxOpenError("not_workbook", "the zip holds no workbook part (none named by _rels/.rels, no xl/workbook.xml): not an Excel workbook");
    // the entry's name as a part name ("xl\book.xml" from a writer that used backslashes)
    const mainPart = partKey(mainEntry.name);
    const rels = await readRels(zip, mainPart, budget);
    const relById = new Map(rels.map((r) => [r.id, r]));
    const wb = await readWorkbook(zip, mainEntry, budget);
    const dir = mainPart.includes("/") ? mainPart.slice(0, mainPart.lastIndexOf("/") + 1) : "";
    const ssName = rels.find((r) => REL_SHARED_STRINGS.test(r.type))?.part ?? dir + "sharedStrings.xml";
    const stName = rels.find((r) => REL_STYLES.test(r.type))?.part ?? dir + "styles.xml";
    if (wb.sheets.length > lim.maxSheets) {
      throw new XlsxLimitError("maxSheets", lim.maxSheets, `sheets in the workbook (${wb.sheets.length})`, `số trang tính (${wb.sheets.length})`);
    }
    // two sheet entries reading one part: the same figures twice (or 20 000 times)
    const partOf = new Map<string, string>();
    for (const sh of wb.sheets) {
      const target = relById.get(sh.rid)?.part;
      const entry = target ? zip.get(target) : undefined;
      if (!entry) continue;
      const before = partOf.get(entry.name);
      if (before !== undefined) {
        throw new XlsxInvalidError(
          `sheets "${before}" and "${sh.name}" are the same part (${entry.name})`,
          `trang "${before}" và trang "${sh.name}" cùng là một phần của tệp (${entry.name})`,
          `${sh.name}!`,
        );
      }
      partOf.set(entry.name, sh.name);
    }
    const partLimits = { maxDepth: lim.maxDepth, maxTextChars: lim.maxTextChars, maxMarkupChars: lim.maxMarkupChars };
    const styles = await readStyles(zip, zip.get(stName), budget, { ...partLimits, maxStyles: lim.maxStyles });
    const sharedStrings = await readSharedStrings(zip, zip.get(ssName), budget, { ...partLimits, maxSharedStrings: lim.maxSharedStrings });

    const info: WorkbookInfo = {
      date1904: wb.date1904,
      sheets: wb.sheets.map((s, index) => ({ name: s.name, index, state: s.state, merges: emptyList<string>() })),
    };

    async function* batches(sheetIndex: number): AsyncGenerator<XRow[]> {
      const sheet = wb.sheets[sheetIndex];
      const sheetInfo = info.sheets[sheetIndex];
      if (!sheet || !sheetInfo) throw new RangeError(`no sheet ${sheetIndex}`);
      const target = relById.get(sheet.rid)?.part;
      const entry = target ? zip.get(target) : undefined;
      sheetInfo.merges.length = 0;
      if (!entry) return; // e.g. a chart sheet's part, or a sheet the file lists but lacks
      const scanner = new SheetScanner({
        sheet: sheet.name,
        sharedStrings,
        numFmt: styles.numFmt,
        font: styles.font,
        date1904: wb.date1904,
        maxColumns: limits.maxColumns,
        maxRows: limits.maxRows,
        maxCellsPerSheet: lim.maxCellsPerSheet,
        maxTextChars: lim.maxTextChars,
        maxMergesPerSheet: lim.maxMergesPerSheet,
        maxMarkupChars: lim.maxMarkupChars,
      });
      // Each chunk is cut at its last '<' and the tail is carried over as bytes: the scanner then
      // gets whole tags in each chunk, instead of keeping an unfinished tag and gluing it to the
      // next chunk (another copy of it). A chunk without '<' (a long text) goes as it is, so
      // nothing piles up, less a character it cuts short, carried over too (a '<' never cuts one).
      let carry: Uint8Array | null = null;
      let first = true;
      const scratch = { buf: Buffer.alloc(0) };
      warmUp(scratch);
      try {
        for await (const chunk of zip.inflate(entry, budget)) {
          let bytes = chunk;
          if (carry) {
            // the carried tail and the next chunk put together where utf8Units pads them (one
            // copy of the chunk, not two)
            const n = carry.length + chunk.length;
            const buf = roomFor(scratch, n);
            buf.set(carry);
            buf.set(chunk, carry.length);
            bytes = buf.subarray(0, n);
            carry = null;
          }
          const lt = bytes.lastIndexOf(60);
          const cut = lt > 0 ? lt : wholeCharsEnd(bytes);
          if (cut < bytes.length) {
            // a copy (Buffer's slice is a view, and the scratch is written again next)
            carry = Uint8Array.prototype.slice.call(bytes, cut);
            bytes = bytes.subarray(0, cut);
          }
          if (!bytes.length) continue; // not one whole character yet
          // a byte order mark is not text (TextDecoder drops it too)
          if (first && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
          if (bytes.length) first = false;
          const { n, units } = utf8Units(bytes, scratch);
          const done = scanner.feedUnits(units, n);
          if (done.length) yield done;
        }
        const last = utf8Units(carry ?? new Uint8Array(0), scratch);
        const done = scanner.feedUnits(last.units, last.n);
        if (done.length) yield done;
        scanner.end();
      } catch (err) {
        const e = asOpenError(err);
        // what the scanner could not place is at least in this sheet
        if (e instanceof XlsxInvalidError && !e.where) throw new XlsxInvalidError(e.what, e.whatVi, `${sheet.name}!`);
        throw e;
      }
      // a loop, not push(...): a spread of a huge list overflows the stack
      for (const m of scanner.merges) sheetInfo.merges.push(m);
    }

    return {
      info: async () => info,
      rows: (i: number) => oneByOne(() => batches(i)),
      rowBatches: (i: number) => ({ [Symbol.asyncIterator]: () => batches(i) }),
      close: () => zip.close(),
    };
  } catch (err) {
    await zip.close();
    throw asOpenError(err);
  }
}
