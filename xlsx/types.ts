// The one streaming interface of the ETL's xlsx read path. Two implementations: the fast reader
// (zip + a purpose-built scanner of sheet XML) used by the ETL, and a reference reader over
// exceljs that the fast one is tested against, cell by cell, on every fixture.

/** One cell as stored in the file. Formula cells carry their cached value (if any). */
export interface XCell {
  /** 1-based column */
  col: number;
  /** "B7", as the file wrote it (the fast reader makes it when asked for: xlsx/scanner.ts ScannedCell) */
  ref: string;
  /**
   * n: number (dates are numbers too: see numFmt and WorkbookInfo.date1904)
   * s: text (shared, inline or formula string result)
   * b: boolean
   * e: error value ("#REF!", "#DIV/0!", "#N/A" …) in `value`
   * z: no value (a formula without cached value, or a styled empty cell)
   */
  type: "n" | "s" | "b" | "e" | "z";
  value: number | string | boolean | null;
  /** formula text without "=", when the cell has one (shared formulas: the master's text or null) */
  formula?: string | null;
  /** the number format code of the cell's style ("General", "#,##0", "mm/yyyy", …) */
  numFmt?: string;
  /** the font name of the cell's style (".VnTime" and "VNI-Times" reveal legacy encodings) */
  font?: string;
  /**
   * true: a text the reader found plain Unicode (core/text.ts plainStep), which the ETL stores as
   * it is. Absent or false: not told (check it).
   */
  plain?: boolean;
}

export interface XRow {
  /** 1-based row number */
  row: number;
  hidden: boolean;
  /** cells present in the file, ascending by column; empty cells may be absent */
  cells: XCell[];
}

export interface XSheetInfo {
  name: string;
  /** 0-based position in the workbook */
  index: number;
  state: "visible" | "hidden" | "veryHidden";
  /** the merged areas as "A1:C1" */
  merges: string[];
}

export interface WorkbookInfo {
  date1904: boolean;
  sheets: XSheetInfo[];
}

export interface XlsxReader {
  info(): Promise<WorkbookInfo>;
  /**
   * Stream the rows of one sheet in order. Merges are only known for certain after the last
   * row (they follow sheetData in the XML): read XSheetInfo.merges after the iteration ends.
   */
  rows(sheetIndex: number): AsyncIterable<XRow>;
  /**
   * The same rows in the batches the reader makes them (one per inflated chunk), for a caller that
   * holds them all anyway: one await per batch instead of one per row. Optional.
   */
  rowBatches?(sheetIndex: number): AsyncIterable<XRow[]>;
  close(): Promise<void>;
}

/** Why a file could not be opened as a workbook; the ETL turns it into a located Problem. */
export type OpenFailure =
  | "not_zip" // not a zip at all (CSV, text, …)
  | "truncated" // zip damaged or cut short
  | "ole2_xls" // an old .xls (OLE2 compound file)
  | "encrypted" // a password-protected workbook (OLE2 with EncryptionInfo)
  | "ods" // an OpenDocument spreadsheet
  | "not_workbook" // a zip with no workbook part (by _rels/.rels or as xl/workbook.xml)
  | "too_large" // over the configured size or inflated-size limit (decompression bomb)
  | "too_many_columns"
  | "too_many_rows"
  | "limit" // another of the reader's limits (texts, shared strings, styles, merges, cells, nesting, …)
  | "invalid"; // not a valid workbook at a known place (a cell given twice, invalid UTF-8, …)

export class XlsxOpenError extends Error {
  constructor(
    readonly reason: OpenFailure,
    message: string,
    /** the part or cell where it was noticed, when known */
    readonly where?: string,
  ) {
    super(message);
    this.name = "XlsxOpenError";
  }
}

export interface ReaderLimits {
  maxFileBytes: number;
  maxInflatedBytes: number;
  maxColumns: number;
  maxRows: number;
  // the rest default to LIMIT_DEFAULTS (core/config.ts) when not given
  maxCellsPerSheet?: number;
  maxTextChars?: number;
  maxSharedStrings?: number;
  maxStyles?: number;
  maxMergesPerSheet?: number;
  maxSheets?: number;
  maxDepth?: number;
  maxMarkupChars?: number;
}

/** A limit passed: which one, its value, and where. The ETL reports it as FILE_LIMIT_EXCEEDED. */
export class XlsxLimitError extends XlsxOpenError {
  constructor(
    readonly limit: string,
    readonly max: number,
    /** what is counted, in English and Vietnamese ("cells in one sheet") */
    readonly what: string,
    readonly whatVi: string,
    where?: string,
  ) {
    super("limit", `${what}: over ${max}`, where);
    this.name = "XlsxLimitError";
  }
}

/** Not a valid workbook at a known place (FILE_INVALID): an error, never a guess. */
export class XlsxInvalidError extends XlsxOpenError {
  constructor(
    readonly what: string,
    readonly whatVi: string,
    where?: string,
  ) {
    super("invalid", what, where);
    this.name = "XlsxInvalidError";
  }
}
