// The data-quality report of a run, for staff (an .xlsx they can open) and for the API (JSON):
// problems with file, sheet, cell and message; changes old → new; figures per office.
import ExcelJS from "exceljs";
import { writeFileSync } from "node:fs";
import { formatPlace, type Problem } from "../../core/problem.js";
import type { LoadReport } from "../../warehouse/load.js";

// The look of the appendices (fill/template/make-template.ts): Times New Roman, a bold centred
// title, bold centred wrapped headers, thin borders on every table cell.
const FONT = "Times New Roman";
const thin: Partial<ExcelJS.Border> = { style: "thin" };
const box: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 11, ...extra });
/**
 * Points per line of 11 pt Times, and the characters a column of width w holds per line (Times
 * is narrower than the width unit's digit; a substitute font a little less so).
 */
const LINE_PT = 15;
const perLine = (width: number, chars = 1.1): number => Math.max(1, Math.floor(width * chars));

interface Col {
  header: string;
  key: string;
  /** the width is fitted to the texts, between these (characters) */
  min: number;
  max: number;
  /** long texts wrap; short codes never do */
  wrap?: boolean;
  align?: "left" | "center" | "right";
}

type Row = Record<string, string | number>;

/** Lines a text takes in a column of `width`: its own line breaks, then wrapped word by word. */
function linesOf(text: string, width: number, chars?: number): number {
  const cap = perLine(width, chars);
  let lines = 0;
  for (const para of text.split("\n")) {
    let line = 0;
    lines++;
    for (const word of para.split(" ")) {
      const need = line === 0 ? word.length : line + 1 + word.length;
      if (need <= cap) line = need;
      else if (line === 0) {
        lines += Math.ceil(word.length / cap) - 1; // a word longer than a line is cut anywhere
        line = word.length % cap;
      } else {
        lines++;
        line = Math.min(word.length, cap);
        lines += Math.ceil(word.length / cap) - 1;
      }
    }
  }
  return lines;
}

/** A message without the place it starts with: the sheet's own columns say where (a second place, which they do not show, stays). */
function withoutPlace(p: Problem, text: string): string {
  if (p.place.other) return text;
  const pre = formatPlace(p.place);
  return pre && text.startsWith(pre + ": ") ? text.slice(pre.length + 2) : text;
}

const SEVERITY: Record<string, string> = { error: "lỗi / error", warning: "cảnh báo / warning", info: "ghi chú / note" };

/**
 * One sheet as an appendix looks: a title and a subtitle over the table, the header repeated on
 * every printed page, landscape A4 fitted to the page's width, widths fitted to the texts,
 * headers and long texts wrapped (never cut), the rows as high as their wrapped texts.
 */
function table(wb: ExcelJS.Workbook, name: string, title: string, subtitle: string, cols: Col[], rows: Row[], notes: string[] = [], empty?: string): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      orientation: "landscape",
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: "&L&\"Times New Roman\"&9phuluc — &A&R&\"Times New Roman\"&9Trang / Page &P / &N" },
  });
  const n = cols.length;
  const widths = cols.map((c) => {
    const longest = Math.max(
      ...c.header.split(/\s+/).map((w) => w.length + 1), // a header may wrap between words, never inside one
      ...rows.map((r) => Math.max(...String(r[c.key] ?? "").split("\n").map((l) => l.length))),
    );
    const w = Math.min(c.max, Math.max(c.min, Math.ceil(longest * 1.05) + 3));
    // exceljs takes a width of exactly 9 for its default and leaves it out of the file
    return w === 9 ? 9.5 : w;
  });
  ws.columns = widths.map((width) => ({ width }));
  const total = widths.reduce((a, b) => a + b, 0);
  let r = 1;
  ws.mergeCells(r, 1, r, n);
  Object.assign(ws.getCell(r, 1), { value: title.toUpperCase(), font: font({ bold: true, size: 13 }), alignment: { horizontal: "center", vertical: "middle", wrapText: true } });
  // capitals in bold 13 pt: about one character per unit of width
  ws.getRow(r).height = 18 * linesOf(title, total, 0.9) + 4;
  r++;
  ws.mergeCells(r, 1, r, n);
  Object.assign(ws.getCell(r, 1), { value: subtitle, font: font({ italic: true }), alignment: { horizontal: "center", vertical: "middle", wrapText: true } });
  ws.getRow(r).height = LINE_PT * linesOf(subtitle, total) + 3;
  r++;
  for (const note of notes) {
    ws.mergeCells(r, 1, r, n);
    Object.assign(ws.getCell(r, 1), { value: note, font: font(), alignment: { horizontal: "left", vertical: "top", wrapText: true } });
    ws.getRow(r).height = LINE_PT * linesOf(note, total) + 3;
    r++;
  }
  r++; // a blank row between the words and the table
  const head = r;
  cols.forEach((c, k) => {
    Object.assign(ws.getCell(head, k + 1), {
      value: c.header,
      font: font({ bold: true }),
      alignment: { horizontal: "center", vertical: "middle", wrapText: true },
      border: box,
      fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } },
    });
  });
  ws.getRow(head).height = LINE_PT * Math.max(...cols.map((c, k) => linesOf(c.header.replace(/ \/ /, "\n"), widths[k]))) + 4;
  const put = (values: Row): void => {
    r++;
    let lines = 1;
    cols.forEach((c, k) => {
      const v = values[c.key] ?? "";
      const cell = ws.getCell(r, k + 1);
      // every text goes in as a string value: exceljs writes strings as text, never as formulas
      cell.value = v;
      // an error is what stops a file: its severity stands out
      cell.font = font(c.key === "severity" && String(v).startsWith("lỗi") ? { bold: true } : {});
      cell.border = box;
      cell.alignment = { vertical: "top", wrapText: !!c.wrap, horizontal: c.align ?? (typeof v === "number" ? "right" : "left") };
      if (typeof v === "number") cell.numFmt = "#,##0";
      if (c.wrap) lines = Math.max(lines, linesOf(String(v), widths[k]));
    });
    ws.getRow(r).height = LINE_PT * lines + 3;
  };
  for (const row of rows) put(row);
  if (rows.length === 0 && empty) {
    r++;
    ws.mergeCells(r, 1, r, n);
    Object.assign(ws.getCell(r, 1), { value: empty, font: font({ italic: true }), alignment: { horizontal: "center", vertical: "middle", wrapText: true }, border: box });
    ws.getRow(r).height = LINE_PT * linesOf(empty, total) + 3;
  }
  ws.views = [{ state: "frozen", ySplit: head, showGridLines: false }];
  ws.autoFilter = { from: { row: head, column: 1 }, to: { row: head, column: n } };
  ws.pageSetup.printTitlesRow = `${head}:${head}`;
  ws.pageSetup.printArea = `A1:${ws.getColumn(n).letter}${Math.max(r, head)}`;
  return ws;
}

export async function writeQualityReport(report: LoadReport, xlsxPath: string, jsonPath: string): Promise<void> {
  writeFileSync(jsonPath, JSON.stringify(report, null, 2));
  const wb = new ExcelJS.Workbook();
  wb.creator = "phuluc";
  wb.created = new Date(report.finishedAt);
  wb.modified = new Date(report.finishedAt);
  const when = report.finishedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const loaded = report.files.filter((f) => f.status === "loaded");
  const setAside = report.files.filter((f) => f.status === "rejected");
  const run = `Lần chạy / Run ${report.runId ?? "—"} · ${report.command} · ${when} · ${loaded.length} tệp nạp / files loaded, ${setAside.length} tệp bị trả / set aside`;

  const errors = report.problems.filter((x) => x.severity === "error").length;
  const warnings = report.problems.filter((x) => x.severity === "warning").length;
  table(
    wb,
    "Vấn đề - Problems",
    "Báo cáo chất lượng dữ liệu — Vấn đề / Data quality report — Problems",
    `${run}\n${errors} lỗi / errors, ${warnings} cảnh báo / warnings, ${report.problems.length - errors - warnings} ghi chú / notes`,
    [
      { header: "Mức / Severity", key: "severity", min: 9, max: 13, wrap: true },
      { header: "Mã / Code", key: "code", min: 10, max: 30 },
      { header: "Tệp / File", key: "file", min: 12, max: 28, wrap: true },
      { header: "Trang tính / Sheet", key: "sheet", min: 10, max: 18, wrap: true },
      { header: "Ô / Cell", key: "cell", min: 6, max: 8, align: "center" },
      { header: "Nội dung", key: "vi", min: 24, max: 48, wrap: true },
      { header: "Message", key: "en", min: 24, max: 48, wrap: true },
    ],
    report.problems.map((x) => ({ severity: SEVERITY[x.severity] ?? x.severity, code: x.code, file: x.place.file ?? "", sheet: x.place.sheet ?? "", cell: x.place.cell ?? "", vi: withoutPlace(x, x.vi), en: withoutPlace(x, x.en) })),
    [],
    "Không có vấn đề nào. / No problems.",
  );

  // A first load adds every figure of its files: the loader lists changes of files it replaced
  // only (thousands of "added" rows would bury the ones that matter), so say so, with the counts.
  const listedAdded = report.changes.filter((x) => x.kind === "added").length;
  const unlisted = report.changeCounts.added - listedAdded;
  const fresh = loaded.filter((f) => f.firstLoad);
  const notes: string[] = [
    `Thêm / added: ${report.changeCounts.added} · Sửa / updated: ${report.changeCounts.updated} · Bỏ / removed: ${report.changeCounts.removed} số liệu / figures.`,
  ];
  if (unlisted > 0) {
    notes.push(
      `Lần nạp đầu của ${fresh.length} tệp: cả ${unlisted} số liệu của các tệp này đều là mới, nên không liệt kê từng số — mỗi tệp một dòng dưới đây.\n` +
        `First load of ${fresh.length} file(s): all of their ${unlisted} figures are new, so they are not listed one by one — one line per file below.`,
    );
  }
  const KIND = { added: "thêm / added", updated: "sửa / updated", removed: "bỏ / removed" };
  table(
    wb,
    "Thay đổi - Changes",
    "Báo cáo chất lượng dữ liệu — Thay đổi số liệu / Data quality report — Changes",
    run,
    [
      { header: "Loại / Kind", key: "kind", min: 9, max: 12, wrap: true },
      { header: "Bảng / Table", key: "table", min: 10, max: 16, wrap: true },
      { header: "Khóa / Key", key: "key", min: 16, max: 40, wrap: true },
      { header: "Cũ / Old", key: "old", min: 10, max: 18, align: "right" },
      { header: "Mới / New", key: "new", min: 10, max: 18, align: "right" },
      { header: "Tệp / File", key: "file", min: 12, max: 36, wrap: true },
      { header: "Ô / Cell", key: "cell", min: 8, max: 22, wrap: true },
    ],
    [
      ...(unlisted > 0
        ? fresh.map((f) => ({ kind: KIND.added, table: "cả tệp / whole file", key: `nạp lần đầu: ${f.rows} dòng / first load: ${f.rows} rows`, old: "", new: "", file: f.fileId, cell: "" }))
        : []),
      ...report.changes.map((x) => ({ kind: KIND[x.kind], table: x.table, key: x.key, old: x.old ?? "", new: x.new ?? "", file: x.fileId, cell: x.cell ? `${x.sheet}!${x.cell}` : "" })),
    ],
    notes,
    "Không có thay đổi nào. / No changes.",
  );

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
  table(
    wb,
    "Theo đơn vị - By office",
    "Báo cáo chất lượng dữ liệu — Theo đơn vị / Data quality report — By office",
    run,
    [
      { header: "Đơn vị / Office", key: "office", min: 14, max: 30, wrap: true },
      { header: "Tệp nạp / Files loaded", key: "loaded", min: 10, max: 12 },
      { header: "Tệp bị trả / Files set aside", key: "rejected", min: 10, max: 12 },
      { header: "Dòng / Rows", key: "rows", min: 10, max: 12 },
      { header: "Lỗi / Errors", key: "errors", min: 9, max: 12 },
      { header: "Cảnh báo / Warnings", key: "warnings", min: 10, max: 12 },
    ],
    [...by].sort(([a], [b]) => a.localeCompare(b)).map(([office, e]) => ({ office, ...e })),
    [],
    "Không có tệp nào. / No files.",
  );
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
    "Tệp này chưa được nạp vì các lỗi dưới đây. Hãy sửa rồi thả lại vào hộp thư, GIỮ NGUYÊN TÊN TỆP",
    `và thư mục (${fileId}): bản sửa cùng tên sẽ thay bản cũ.`,
    "Nếu lưu với tên khác, bản cũ đã nạp trước đây (nếu có) vẫn ở trong kho và hai bản sẽ được nạp",
    "song song: khi đó hãy bỏ bản cũ bằng lệnh",
    `    phuluc etl forget "${fileId}" --db <kho dữ liệu>`,
    "",
    "This file was set aside because of the problems below. Fix them and drop the file into the inbox",
    `again UNDER THE SAME NAME AND FOLDER (${fileId}): a corrected copy with the same name replaces`,
    "the old one. Under another name, the old one (if it was loaded before) stays in the warehouse",
    "and both would load side by side: then withdraw the old one with",
    `    phuluc etl forget "${fileId}" --db <warehouse>`,
    "",
    ...ps.map((p) => {
      const where = [p.place.file !== fileId ? p.place.file : "", `${p.place.sheet ?? ""}${p.place.cell ? "!" + p.place.cell : ""}`].filter(Boolean).join(" › ");
      return `- [${SEVERITY[p.severity] ?? p.severity}] ${p.code}${where ? ` ${where}` : ""}: ${withoutPlace(p, p.vi)} / ${withoutPlace(p, p.en)}`;
    }),
    "",
  ].join("\n");
}
