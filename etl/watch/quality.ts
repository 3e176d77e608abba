// The data-quality report of a run, for staff (an .xlsx they can open) and for the API (JSON):
// problems with file, sheet, cell and message; changes old → new; figures per office.
import ExcelJS from "exceljs";
import { writeFileSync } from "node:fs";
import type { LoadReport } from "../../warehouse/load.js";

export async function writeQualityReport(report: LoadReport, xlsxPath: string, jsonPath: string): Promise<void> {
  writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  const wb = new ExcelJS.Workbook();
  wb.creator = "phuluc";
  wb.created = new Date(report.finishedAt);
  wb.modified = new Date(report.finishedAt);
  const head = (ws: ExcelJS.Worksheet, cols: { header: string; key: string; width: number }[]) => {
    ws.columns = cols;
    ws.getRow(1).font = { bold: true };
    ws.views = [{ state: "frozen", ySplit: 1 }];
    ws.autoFilter = { from: "A1", to: { row: 1, column: cols.length } };
  };
  // Every text goes in as a string value: exceljs writes strings as text, never as formulas.
  const p = wb.addWorksheet("Vấn đề - Problems");
  head(p, [
    { header: "Mức / Severity", key: "severity", width: 12 },
    { header: "Mã / Code", key: "code", width: 26 },
    { header: "Tệp / File", key: "file", width: 36 },
    { header: "Trang tính / Sheet", key: "sheet", width: 22 },
    { header: "Ô / Cell", key: "cell", width: 8 },
    { header: "Nội dung", key: "vi", width: 70 },
    { header: "Message", key: "en", width: 70 },
  ]);
  for (const x of report.problems) {
    p.addRow({ severity: x.severity, code: x.code, file: x.place.file ?? "", sheet: x.place.sheet ?? "", cell: x.place.cell ?? "", vi: x.vi, en: x.en });
  }
  const c = wb.addWorksheet("Thay đổi - Changes");
  head(c, [
    { header: "Loại / Kind", key: "kind", width: 10 },
    { header: "Bảng / Table", key: "table", width: 16 },
    { header: "Khóa / Key", key: "key", width: 40 },
    { header: "Cũ / Old", key: "old", width: 16 },
    { header: "Mới / New", key: "new", width: 16 },
    { header: "Tệp / File", key: "file", width: 36 },
    { header: "Ô / Cell", key: "cell", width: 16 },
  ]);
  for (const x of report.changes) {
    c.addRow({ kind: x.kind, table: x.table, key: x.key, old: x.old ?? "", new: x.new ?? "", file: x.fileId, cell: x.cell ? `${x.sheet}!${x.cell}` : "" });
  }
  const o = wb.addWorksheet("Theo đơn vị - By office");
  head(o, [
    { header: "Đơn vị / Office", key: "office", width: 16 },
    { header: "Tệp nạp / Files loaded", key: "loaded", width: 14 },
    { header: "Tệp bị trả / Files set aside", key: "rejected", width: 14 },
    { header: "Dòng / Rows", key: "rows", width: 10 },
    { header: "Lỗi / Errors", key: "errors", width: 10 },
    { header: "Cảnh báo / Warnings", key: "warnings", width: 12 },
  ]);
  const by = new Map<string, { loaded: number; rejected: number; rows: number; errors: number; warnings: number }>();
  for (const f of report.files) {
    const e = by.get(f.office) ?? { loaded: 0, rejected: 0, rows: 0, errors: 0, warnings: 0 };
    if (f.status === "loaded") e.loaded++;
    if (f.status === "rejected") e.rejected++;
    e.rows += f.rows;
    e.errors += f.errors;
    e.warnings += f.warnings;
    by.set(f.office, e);
  }
  for (const [office, e] of [...by].sort()) o.addRow({ office, ...e });
  writeFileSync(xlsxPath, Buffer.from(await wb.xlsx.writeBuffer()));
}

/** The plain-language note left beside a rejected file. */
export function problemsText(report: LoadReport, fileId: string): string {
  const ps = report.problems.filter((p) => p.place.file === fileId || p.place.other?.file === fileId);
  const errors = ps.filter((p) => p.severity === "error").length;
  const warnings = ps.filter((p) => p.severity === "warning").length;
  return [
    `Tệp / File: ${fileId}`,
    `Lần chạy / Run: ${report.runId ?? "—"} (${report.finishedAt})`,
    `${errors} lỗi, ${warnings} cảnh báo / ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
    "",
    "Tệp này chưa được nạp vì các lỗi dưới đây. Hãy sửa tệp rồi thả lại vào hộp thư, GIỮ NGUYÊN TÊN TỆP",
    `(${fileId}): bản sửa cùng tên sẽ thay bản cũ. Nếu đặt tên khác, bản cũ (nếu đã được nạp trước đây)`,
    `vẫn còn trong kho và hai bản sẽ bị nạp song song: hãy bỏ bản cũ bằng lệnh`,
    `    phuluc etl forget "${fileId}" --db <kho dữ liệu>`,
    "",
    "This file was set aside because of the problems below. Fix them and drop the file into the inbox",
    `again UNDER THE SAME NAME (${fileId}): a corrected copy with the same name replaces the old one.`,
    "Under another name, the old one (if it was loaded before) stays in the warehouse and both would",
    "load side by side: withdraw the old one first with",
    `    phuluc etl forget "${fileId}" --db <warehouse>`,
    "",
    ...ps.map((p) => `- [${p.severity === "error" ? "lỗi / error" : p.severity === "warning" ? "cảnh báo / warning" : "ghi chú / note"}] [${p.code}] ${p.place.sheet ?? ""}${p.place.cell ? "!" + p.place.cell : ""}: ${p.vi} / ${p.en}`),
    "",
  ].join("\n");
}
