// The reference reader: exceljs, which the fast reader is tested against cell by cell. Not the
// ETL's hot path (it is ~3-5× slower and holds more in memory), but independent of our own zip and
// XML code, so agreement between the two is evidence that both are right.
//
// Cells come from exceljs's streaming reader (the thing benchmarked against). That reader drops
// row `hidden` flags and merges, so those, together with sheet order and the 1904 flag, come from
// exceljs's full reader, loaded once on open: fine for test fixtures, too heavy for big inboxes.
//
// Known, deliberate limits of exceljs that the differential test normalises (see test/xlsx):
// - a formula's cached boolean result arrives as 1/0 and a cached error as NaN (the `t` is lost):
//   reported here as type "n" / "e" with value null;
// - an empty shared string arrives as no value (type "z"; the fast reader says "s" "");
// - dependents of a shared formula have an empty formula text: reported as null, as the fast
//   reader does;
// - inline rich text keeps only its last run; `t="d"` ISO dates arrive as parseFloat of the text;
// - rows or cells without an `r` attribute are not supported by exceljs at all;
// - it finds parts by their usual names: a workbook part named otherwise (xl/book.xml, named by
//   _rels/.rels) or zip entry names written with backslashes are not read;
// - "_x000D_" in inline strings and formula results is kept as text;
// - a cell without `s` in a row with `s` gets the row's style.
// The tests compare such files with a twin exceljs can read (test/xlsx/real-world.ts).
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import ExcelJS from "exceljs";
import { Readable } from "node:stream";
import { unzipSync, zipSync } from "fflate";
import type { ReaderLimits, WorkbookInfo, XCell, XlsxReader, XRow } from "../../xlsx/types.js";
import { XlsxOpenError } from "../../xlsx/types.js";
import { colLetters } from "../../xlsx/refs.js";

const MS_PER_DAY = 24 * 3600 * 1000;

// exceljs's own parser of workbook.xml (not in its typings)
const WorkbookXform = createRequire(import.meta.url)("exceljs/lib/xlsx/xform/book/workbook-xform.js") as new () => {
  parseStream(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<unknown>;
  model: unknown;
};

// and of styles.xml: the workbook's default font (fonts[0]), read up front (see below)
const StylesXform = createRequire(import.meta.url)("exceljs/lib/xlsx/xform/style/styles-xform.js") as new () => {
  init(): void;
  parseStream(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<unknown>;
  model?: { fonts?: { name?: string }[] };
};

/** A package's parts by name, unzipped once for all that the reference reads up front. */
type Parts = Record<string, Uint8Array>;

/** The parts exceljs's streaming reader must meet before any sheet (see tablesFirst). */
const TABLES = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"];

/**
 * The same parts, repacked with the workbook, its relationships, shared strings and styles ahead
 * of the sheets. A sheet met before them is parked by exceljs in a temporary file and parsed at
 * the end, and that path raced twice on a loaded CI machine: cells handed over as shared-string
 * indexes, and a temporary file deleted under a stream still opening it (an uncaught ENOENT).
 * (A workbook with no shared-string table is told so up front, in rows(), for the same reason.)
 * The order of zip entries is no part of what the two readers are compared on.
 */
function tablesFirst(parts: Parts): Buffer {
  const ordered: Record<string, Uint8Array> = {};
  for (const name of TABLES) if (parts[name]) ordered[name] = parts[name];
  for (const [name, bytes] of Object.entries(parts)) if (!(name in ordered)) ordered[name] = bytes;
  return Buffer.from(zipSync(ordered, { level: 1 }));
}

/**
 * The default font, from styles.xml itself. Taken from the streaming reader's `styles` when a
 * sheet is met, it was sometimes not there yet (a differential test failed about one run in
 * six): the reference must not depend on when exceljs happens to have parsed a part.
 */
async function defaultFontOf(parts: Parts): Promise<string | undefined> {
  const xml = parts["xl/styles.xml"];
  if (!xml) return undefined;
  const xform = new StylesXform();
  xform.init();
  await xform.parseStream([Buffer.from(xml)]);
  return xform.model?.fonts?.[0]?.name;
}

/**
 * exceljs's streaming reader crashes ("reading 'sheets'") when a sheet part comes before
 * workbook.xml in the zip, which its own writer sometimes does: hand it the workbook model first.
 */
async function workbookModel(parts: Parts): Promise<unknown> {
  const xml = parts["xl/workbook.xml"];
  if (!xml) return { sheets: [] };
  const xform = new WorkbookXform();
  await xform.parseStream([Buffer.from(xml)]);
  return xform.model;
}

/** exceljs turns date-formatted numbers into Date: back to the serial number stored in the file. */
function dateToSerial(d: Date, date1904: boolean): number {
  return 25569 + d.getTime() / MS_PER_DAY - (date1904 ? 1462 : 0);
}

function richTextToString(v: { richText: { text: string }[] }): string {
  return v.richText.map((r) => r.text ?? "").join("");
}

interface ExcelJsCellLike {
  value: unknown;
  type: number;
  model?: unknown;
  numFmt?: string;
  font?: { name?: string };
}

function toXCell(cell: ExcelJsCellLike, row: number, col: number, date1904: boolean, defaultFont: string | undefined): XCell {
  const out: XCell = { col, ref: colLetters(col) + row, type: "z", value: null };
  const v = cell.value as unknown;
  const setValue = (x: unknown): void => {
    if (x === null || x === undefined) {
      out.type = "z";
      out.value = null;
    } else if (typeof x === "number") {
      if (Number.isNaN(x)) {
        // a cached error result of a formula: exceljs lost which error
        out.type = "e";
        out.value = null;
      } else {
        out.type = "n";
        out.value = x;
      }
    } else if (typeof x === "string") {
      out.type = "s";
      out.value = x;
    } else if (typeof x === "boolean") {
      out.type = "b";
      out.value = x;
    } else if (x instanceof Date) {
      out.type = "n";
      out.value = dateToSerial(x, date1904);
    } else if (typeof x === "object" && x !== null && "richText" in x) {
      out.type = "s";
      out.value = richTextToString(x as { richText: { text: string }[] });
    } else if (typeof x === "object" && x !== null && "error" in x) {
      out.type = "e";
      out.value = String((x as { error: unknown }).error);
    } else if (typeof x === "object" && x !== null && "sharedString" in x) {
      throw new Error("exceljs reference: shared strings not cached");
    } else {
      out.type = "s";
      out.value = String(x);
    }
  };
  if (cell.type === ExcelJS.ValueType.Formula) {
    // the model, not `value`: exceljs's value getter drops falsy results (a cached 0, false, "")
    const f = (cell.model ?? {}) as { formula?: string; result?: unknown };
    out.formula = f.formula ? f.formula : null;
    setValue(f.result);
  } else if (v !== null && typeof v === "object" && !(v instanceof Date) && "formula" in v) {
    // a shared formula's dependent: exceljs reads its empty <f/> as formula "" and files the
    // cell as a plain object, not a formula
    const f = v as { formula?: string; result?: unknown };
    out.formula = f.formula ? f.formula : null;
    setValue(f.result);
  } else {
    setValue(v);
  }
  // exceljs leaves style 0 (and "General") unset; the fast reader states them: say the same.
  out.numFmt = cell.numFmt ?? "General";
  const font = cell.font?.name ?? defaultFont;
  if (font !== undefined) out.font = font;
  return out;
}

export async function openExcelJsXlsx(path: string, limits: ReaderLimits): Promise<XlsxReader> {
  const st = await stat(path);
  if (st.size > limits.maxFileBytes) {
    throw new XlsxOpenError("too_large", `file is ${st.size} bytes, over the limit of ${limits.maxFileBytes}`);
  }
  const full = new ExcelJS.Workbook();
  await full.xlsx.readFile(path);
  const date1904 = Boolean((full.properties as { date1904?: boolean } | undefined)?.date1904);
  // orderNo is the position in workbook.xml (exceljs keeps it, its typings omit it)
  const order = (ws: ExcelJS.Worksheet): number => (ws as unknown as { orderNo: number }).orderNo;
  const sheets = full.worksheets.slice().sort((a, b) => order(a) - order(b));
  const info: WorkbookInfo = {
    date1904,
    sheets: sheets.map((ws, index) => ({
      name: ws.name,
      index,
      state: (ws.state ?? "visible") as "visible" | "hidden" | "veryHidden",
      merges: ((ws.model as { merges?: string[] }).merges ?? []).slice(),
    })),
  };

  async function* rows(sheetIndex: number): AsyncGenerator<XRow> {
    const target = info.sheets[sheetIndex];
    if (!target) throw new RangeError(`no sheet ${sheetIndex}`);
    const fullSheet = sheets[sheetIndex];
    const parts: Parts = unzipSync(await readFile(path));
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([tablesFirst(parts)]), {
      sharedStrings: "cache",
      styles: "cache",
      hyperlinks: "ignore",
      worksheets: "emit",
      entries: "ignore",
    });
    (reader as unknown as { model: unknown }).model = await workbookModel(parts);
    const defaultFont = await defaultFontOf(parts);
    // A workbook of inline strings has no table: say so up front, or exceljs waits for one and
    // parks every sheet in a temporary file (see tablesFirst).
    if (!parts["xl/sharedStrings.xml"]) (reader as unknown as { sharedStrings: unknown[] }).sharedStrings = [];
    // exceljs sets `properties` only when it meets xl/workbook.xml in the stream; a sheet that
    // comes first in the zip and holds a date cell then reads properties.model of undefined.
    // We know the 1904 flag already: give it up front.
    (reader as unknown as { properties: unknown }).properties ??= { model: { date1904 } };
    // the limits count what holds a value or a formula, as the fast reader's do
    let count = 0;
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      if (name !== target.name) continue;
      for await (const r of ws as AsyncIterable<ExcelJS.Row>) {
        const cells: XCell[] = [];
        let counted = false;
        // Row._cells holds exactly the cells the file had (styled empty ones included); eachCell
        // would skip the empty ones and includeEmpty would invent the gaps.
        const raw = (r as unknown as { _cells: (ExcelJsCellLike | undefined)[] })._cells;
        raw.forEach((cell, i) => {
          if (!cell) return;
          const col = i + 1;
          const x = toXCell(cell, r.number, col, date1904, defaultFont);
          if (x.type === "z" && x.formula === undefined) {
            if (col <= limits.maxColumns) cells.push(x);
            return;
          }
          if (col > limits.maxColumns) {
            throw new XlsxOpenError("too_many_columns", `sheet "${name}" has more than ${limits.maxColumns} columns`, x.ref);
          }
          if (!counted && ++count > limits.maxRows) {
            throw new XlsxOpenError("too_many_rows", `sheet "${name}" has more than ${limits.maxRows} rows`, `${name}!${x.ref}`);
          }
          counted = true;
          cells.push(x);
        });
        yield { row: r.number, hidden: Boolean(fullSheet.getRow(r.number).hidden), cells };
      }
    }
  }

  return {
    info: async () => info,
    rows: (i: number) => rows(i),
    close: async () => {},
  };
}
