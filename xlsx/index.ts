// The ETL's entry to the xlsx read path: find out what the file really is, then read it with the
// fast reader. Files that are not workbooks fail with an XlsxOpenError whose reason the ETL turns
// into a located Problem ("save it as .xlsx").
import { openFastXlsx } from "./fast.js";
import { sniffFile } from "./sniff.js";
import type { ReaderLimits, XlsxReader } from "./types.js";
import { XlsxOpenError } from "./types.js";

export { cellRef, colLetters, parseRef } from "./refs.js";
export { sniffFile } from "./sniff.js";
export type { SniffKind, SniffResult } from "./sniff.js";
export * from "./types.js";

export async function openXlsx(path: string, limits: ReaderLimits): Promise<XlsxReader> {
  const s = await sniffFile(path);
  switch (s.kind) {
    case "xlsx":
      return openFastXlsx(path, limits);
    case "ole2":
      if (s.encrypted) {
        throw new XlsxOpenError("encrypted", "the workbook is password-protected: remove the password and save it again as .xlsx");
      }
      throw new XlsxOpenError("ole2_xls", "this is an old Excel 97–2003 file (.xls): open it in Excel and save it as .xlsx");
    case "ods":
      throw new XlsxOpenError("ods", "this is an OpenDocument spreadsheet (.ods): save it as .xlsx");
    case "zip_other":
      throw new XlsxOpenError("not_workbook", "this zip file is not an Excel workbook (no workbook part in it): save it as .xlsx");
    case "truncated_zip":
      throw new XlsxOpenError("truncated", "the file is damaged or was cut short while copying: send it again");
    case "empty":
      throw new XlsxOpenError("not_zip", "the file is empty (0 bytes)");
    case "text":
      throw new XlsxOpenError("not_zip", "this is not an Excel workbook (a CSV or text file?): save it as .xlsx");
  }
}
