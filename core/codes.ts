// The problem codes of every stage (the ETL and the load, the forms' definitions and rules, the
// fill): one catalogue, each code with its severity and its one message in Vietnamese and English,
// so that a code means the same words wherever it is raised (test/core/codes.test.ts holds the
// source to it). Every message starts with the place (file › sheet!cell, and "(& …)" for the
// other place of a "given twice"; on the output side "Biểu PL01 › dòng 09 › cột c5" / "Form PL01
// › row 09 › column c5") so that a line read alone in a log or an e-mail still says where to look;
// the templates fill in the details from `data`. This module imports only core/problem: the fill's
// engine, which also runs in the task pane, raises its problems through it.
import { formatPlace, problem, type Lang, type Place, type Problem, type Severity } from "./problem.js";

type Data = Record<string, unknown>;
type Template = (d: Data) => string;

interface CodeDef {
  severity: Severity;
  /** found only by the load, across files and the warehouse (never by reading one file) */
  acrossFiles?: true;
  vi: Template;
  en: Template;
}

const s = (v: unknown): string => (v === undefined || v === null ? "" : String(v));
const list = (v: unknown): string => (Array.isArray(v) ? v.map(s).join(", ") : s(v));

export const CODES = {
  // File
  FILE_NOT_XLSX: { severity: "error", vi: () => "tệp không phải bảng tính Excel (.xlsx); hãy lưu lại dạng .xlsx", en: () => "the file is not an Excel workbook (.xlsx); save it as .xlsx" },
  FILE_TRUNCATED: { severity: "error", vi: () => "tệp bị hỏng hoặc chưa chép xong; hãy chép lại", en: () => "the file is damaged or was cut short; copy it again" },
  FILE_XLS_OLD: { severity: "error", vi: () => "tệp dạng Excel cũ (.xls); hãy lưu lại dạng .xlsx", en: () => "an old Excel file (.xls); save it as .xlsx" },
  FILE_ENCRYPTED: { severity: "error", vi: () => "tệp có mật khẩu; hãy bỏ mật khẩu rồi lưu lại dạng .xlsx", en: () => "the workbook is password-protected; remove the password and save it as .xlsx" },
  FILE_ODS: { severity: "error", vi: () => "tệp OpenDocument (.ods); hãy lưu lại dạng .xlsx", en: () => "an OpenDocument spreadsheet (.ods); save it as .xlsx" },
  FILE_NOT_WORKBOOK: { severity: "error", vi: () => "tệp nén không chứa bảng tính Excel; hãy lưu lại dạng .xlsx", en: () => "a zip file with no Excel workbook inside; save it as .xlsx" },
  FILE_TOO_LARGE: { severity: "error", vi: (d) => `tệp quá lớn (${s(d.detail)})`, en: (d) => `the file is too large (${s(d.detail)})` },
  FILE_NO_DATA: { severity: "error", vi: () => "không có trang tính nào có dữ liệu nhận dạng được", en: () => "no sheet of any known kind with data rows" },
  FILE_CHANGED_WHILE_READING: { severity: "error", vi: () => "tệp bị thay đổi trong khi đang đọc; sẽ đọc lại lần sau", en: () => "the file changed while it was being read; it will be read again next time" },
  FILE_LIMIT_EXCEEDED: { severity: "error", vi: (d) => `tệp vượt giới hạn đọc: ${s(d.whatVi)} vượt quá ${s(d.limit)}; bảng tính bình thường không cần nhiều như vậy — hãy kiểm tra hoặc lưu lại tệp trong Excel`, en: (d) => `the file exceeds a reading limit: ${s(d.what)} over ${s(d.limit)}; an ordinary workbook needs nothing like this — check the file or save it again in Excel` },
  FILE_INVALID: { severity: "error", vi: (d) => `tệp không phải bảng tính hợp lệ ở chỗ này: ${s(d.whatVi)}; hãy mở và lưu lại trong Excel`, en: (d) => `the workbook is not valid here: ${s(d.what)}; open it in Excel and save it again` },
  FILE_READ_OUT_OF_MEMORY: { severity: "error", vi: (d) => `đọc tệp cần quá nhiều bộ nhớ (hơn ${s(d.limitMb)} MB); tệp đã được để riêng, các tệp khác vẫn được nạp`, en: (d) => `reading the file needs too much memory (over ${s(d.limitMb)} MB); it was set aside, the other files still load` },
  FILE_READ_TIMEOUT: { severity: "error", vi: (d) => `đọc tệp quá lâu (hơn ${s(d.seconds)} giây); tệp đã được để riêng, các tệp khác vẫn được nạp`, en: (d) => `reading the file takes too long (over ${s(d.seconds)} s); it was set aside, the other files still load` },
  FILE_READ_FAILED: { severity: "error", vi: (d) => `không đọc được tệp (${s(d.detail)}); tệp đã được để riêng, các tệp khác vẫn được nạp`, en: (d) => `the file could not be read (${s(d.detail)}); it was set aside, the other files still load` },
  FILE_LOAD_FAILED: { severity: "error", vi: (d) => `nạp tệp vào kho dữ liệu thất bại (${s(d.detail)}); kho dữ liệu giữ nguyên như trước khi nạp tệp này`, en: (d) => `loading the file into the warehouse failed (${s(d.detail)}); the warehouse keeps nothing of it` },
  PROBLEMS_MORE: { severity: "info", vi: (d) => `và ${s(d.more)} vấn đề nữa trong tệp này (${s(d.errors)} lỗi); chỉ giữ ${s(d.kept)} vấn đề đầu tiên`, en: (d) => `and ${s(d.more)} more problems in this file (${s(d.errors)} errors); only the first ${s(d.kept)} are kept` },
  FILE_SKIPPED: { severity: "info", vi: (d) => `bỏ qua tệp (${s(d.reasonVi)})`, en: (d) => `file skipped (${s(d.reason)})` },
  // Sheet
  SHEET_TOO_MANY_COLUMNS: { severity: "error", vi: (d) => `trang tính có quá nhiều cột (hơn ${s(d.limit)})`, en: (d) => `the sheet has too many columns (over ${s(d.limit)})` },
  SHEET_TOO_MANY_ROWS: { severity: "error", vi: (d) => `trang tính có quá nhiều dòng (hơn ${s(d.limit)})`, en: (d) => `the sheet has too many rows (over ${s(d.limit)})` },
  HEADER_MISSING_COLUMN: { severity: "error", vi: (d) => `trang giống ${s(d.kindVi)} nhưng thiếu cột: ${s(d.missing)}`, en: (d) => `the sheet looks like ${s(d.kind)} but lacks the column(s): ${s(d.missing)}` },
  HEADER_THREE_ROWS: { severity: "error", vi: (d) => `tiêu đề cột chiếm ${s(d.count)} dòng (${s(d.rows)}); chỉ chấp nhận một hoặc hai dòng`, en: (d) => `the header spans ${s(d.count)} rows (${s(d.rows)}); one or two rows only` },
  SHEET_NO_ROWS: { severity: "error", vi: () => "trang tính có tiêu đề nhưng không có dòng dữ liệu", en: () => "the sheet has a header but no data rows" },
  MERGED_DATA_CELLS: { severity: "error", vi: (d) => `ô gộp trong vùng dữ liệu (${s(d.range)}); hãy bỏ gộp và ghi giá trị vào từng ô`, en: (d) => `merged cells in the data area (${s(d.range)}); unmerge them and fill every cell` },
  SHEET_UNRECOGNISED: { severity: "info", vi: () => "trang tính không thuộc loại nào đã biết; bỏ qua", en: () => "the sheet matches no known kind; skipped" },
  COLUMN_IGNORED: { severity: "info", vi: (d) => `bỏ qua cột "${s(d.header)}"`, en: (d) => `column "${s(d.header)}" ignored` },
  // Cells
  VALUE_NOT_NUMBER: { severity: "error", vi: (d) => `"${s(d.value)}" không phải là số`, en: (d) => `"${s(d.value)}" is not a number` },
  VALUE_NEGATIVE: { severity: "error", vi: (d) => `số âm (${s(d.value)}) không được phép`, en: (d) => `a negative amount (${s(d.value)}) is not allowed` },
  VALUE_AMBIGUOUS_NUMBER: { severity: "error", vi: (d) => `"${s(d.value)}" có thể hiểu hai cách (${s(d.readings)}); hãy nhập số thực hoặc viết rõ`, en: (d) => `"${s(d.value)}" can be read two ways (${s(d.readings)}); enter a real number or write it unambiguously` },
  VALUE_TOO_LARGE: { severity: "error", vi: (d) => `số ${s(d.value)} quá lớn (giới hạn ${s(d.limit)}, lớn hơn mọi tổng ngân sách quốc gia); hãy kiểm tra đơn vị tính`, en: (d) => `the figure ${s(d.value)} is too large (limit ${s(d.limit)}, beyond any national budget total); check the unit` },
  VALUE_ERROR: { severity: "error", vi: (d) => `ô có giá trị lỗi ${s(d.value)}`, en: (d) => `the cell holds the error value ${s(d.value)}` },
  FORMULA_NO_CACHE: { severity: "error", vi: () => "công thức chưa có kết quả lưu sẵn; hãy mở tệp trong Excel, tính lại và lưu", en: () => "a formula with no saved result; open the file in Excel, recalculate and save" },
  VALUE_NOT_IN_LIST: { severity: "error", vi: (d) => `"${s(d.value)}" không có trong danh mục ${s(d.listVi)}`, en: (d) => `"${s(d.value)}" is not in the list of ${s(d.list)}` },
  REQUIRED_VALUE_MISSING: { severity: "error", vi: (d) => `thiếu giá trị bắt buộc (${s(d.columnVi ?? d.column)})`, en: (d) => `a required value is missing (${s(d.column)})` },
  MONTH_INVALID: { severity: "error", vi: (d) => `"${s(d.value)}" không phải tháng hợp lệ (MM/YYYY)`, en: (d) => `"${s(d.value)}" is not a valid month (MM/YYYY)` },
  DATE_OUT_OF_RANGE: { severity: "error", vi: (d) => `ngày tháng ngoài khoảng 1990–2100 (${s(d.value)})`, en: (d) => `a date outside 1990–2100 (${s(d.value)})` },
  PERIOD_START_AFTER_END: { severity: "error", vi: (d) => `tháng kết thúc ${s(d.end)} trước tháng bắt đầu ${s(d.start)}`, en: (d) => `the end month ${s(d.end)} is before the start ${s(d.start)}` },
  TOTAL_PARTS_MISMATCH: { severity: "error", vi: (d) => `tổng ${s(d.total)} khác tổng các nguồn ${s(d.sum)} (${s(d.parts)})`, en: (d) => `the total ${s(d.total)} differs from the sum of its parts ${s(d.sum)} (${s(d.parts)})` },
  SUM_ROW_MISMATCH: { severity: "error", vi: (d) => `dòng ${s(d.line)} cột "${s(d.column)}": ${s(d.value)} khác tổng các dòng con ${s(d.sum)}`, en: (d) => `row ${s(d.line)} column "${s(d.column)}": ${s(d.value)} differs from the sum of its children ${s(d.sum)}` },
  LEVEL_ENDED: { severity: "error", vi: (d) => `cấp quản lý "${s(d.value)}" chỉ còn đến hết ngày ${s(d.endedVi)} (${s(d.source)}); nhiệm vụ bắt đầu ${s(d.start)} không được mang cấp này — hãy chọn cấp khác (tỉnh, cơ sở…)`, en: (d) => `the level "${s(d.value)}" ended on ${s(d.ended)} (${s(d.source)}); a task starting ${s(d.start)} cannot have it — choose another level (tỉnh, cơ sở…)` },
  TASK_CODE_DUPLICATE: { severity: "error", vi: (d) => `mã nhiệm vụ "${s(d.key)}" xuất hiện hai lần`, en: (d) => `task code "${s(d.key)}" appears twice` },
  // Across files (warehouse/load.ts: the staged files against each other and the warehouse)
  FUNDING_UNKNOWN_TASK: {
    acrossFiles: true,
    severity: "error",
    vi: (d) => `kinh phí cho nhiệm vụ ${s(d.taskCode)} nhưng không có danh mục nhiệm vụ nào có mã này${d.forgetting ? ` nếu bỏ ${s(d.forgetting)}; không bỏ được tệp đó` : ""}`,
    en: (d) => `funding for task ${s(d.taskCode)}, but no task register has this code${d.forgetting ? ` once ${s(d.forgetting)} is forgotten; it cannot be forgotten` : ""}`,
  },
  ORIGIN_COUNTED_TWICE: {
    acrossFiles: true,
    severity: "error",
    vi: (d) => `dòng chi ${s(d.key)} có cả trong tệp của Sở hiện nay và trong tệp của tỉnh cũ (nơi thứ hai): biểu sẽ cộng hai lần; hãy để số liệu của từng tỉnh cũ trong thư mục của tỉnh đó và bỏ bản còn lại`,
    en: (d) => `budget line ${s(d.key)} is given both by the department itself and by a former province (the second place): the forms would count it twice; keep each former province's figures in its folder only and remove the other copy`,
  },
  FOLDER_NOT_FORMER_UNIT: {
    acrossFiles: true,
    severity: "error",
    vi: (d) => `thư mục "${s(d.folder)}" là của tỉnh ${s(d.formerName)} (mã ${s(d.formerCode)}, trước 01/7/2025), không phải một tỉnh cũ đã hợp nhất vào ${s(d.provinceName)} (${s(d.province)}); hãy chuyển tệp sang hộp thư của đúng Sở, hoặc sửa cấu hình province`,
    en: (d) => `folder "${s(d.folder)}" is former province ${s(d.formerName)} (code ${s(d.formerCode)}, before 1 July 2025), which was not merged into ${s(d.provinceName)} (${s(d.province)}); move the file to the right department's inbox, or fix the configured province`,
  },
  FILE_NOT_LOADED: { acrossFiles: true, severity: "error", vi: () => "tệp không có trong kho dữ liệu", en: () => "the file is not in the warehouse" },
  UNIT_JUMP_1000X: {
    acrossFiles: true,
    severity: "warning",
    vi: (d) => `số liệu ${s(d.amount)} gấp ≥1 000 lần năm trước (${s(d.previous)}) — kiểm tra đơn vị tính (đồng / nghìn đồng / triệu đồng)`,
    en: (d) => `figure ${s(d.amount)} is ≥ 1 000 × the previous year's (${s(d.previous)}) — check the unit (đồng / nghìn / triệu)`,
  },
  KEY_DUPLICATE: { severity: "error", vi: (d) => `số liệu ${s(d.key)} được ghi hai lần`, en: (d) => `the figure ${s(d.key)} is given twice` },
  MEASURE_BOTH_DU_TOAN_DE_XUAT: { severity: "error", vi: (d) => `${s(d.key)} năm ${s(d.year)} có cả dự toán và đề xuất; chỉ được ghi một`, en: (d) => `${s(d.key)} has both du_toan and de_xuat for ${s(d.year)}; give only one` },
  LEGACY_ENCODING_UNCONVERTIBLE: { severity: "error", vi: (d) => `chữ mã cũ (${s(d.encoding)}) không chuyển được sang Unicode: "${s(d.value)}"; hãy chuyển mã bằng Unikey`, en: (d) => `legacy-encoded text (${s(d.encoding)}) cannot be converted to Unicode: "${s(d.value)}"; convert it with a tool such as Unikey` },
  // Warnings and information
  ROW_HIDDEN: { severity: "warning", vi: (d) => `dòng ${s(d.row)} đang bị ẩn nhưng vẫn được nạp`, en: (d) => `row ${s(d.row)} is hidden but was loaded` },
  FIELD_UNKNOWN: { severity: "warning", vi: (d) => `lĩnh vực "${s(d.value)}" không rõ; ghi là "Chưa phân loại"`, en: (d) => `unknown field "${s(d.value)}"; stored as "Chưa phân loại"` },
  FIELD_MERGED_XH_NV: { severity: "warning", vi: () => `"KH xã hội và nhân văn" được ghi là KH xã hội`, en: () => `"KH xã hội và nhân văn" stored as KH xã hội` },
  TASK_UNSPLIT: { severity: "warning", vi: () => "nhiệm vụ chỉ có tổng kinh phí, chưa phân nguồn", en: () => "the task gives a total and no sources (unsplit)" },
  TOTAL_ROW_MISMATCH: { severity: "warning", vi: (d) => `dòng tổng, cột "${s(d.column)}": ${s(d.value)} khác tổng các dòng ${s(d.sum)}`, en: (d) => `total row, column "${s(d.column)}": ${s(d.value)} differs from the sum of its rows ${s(d.sum)}` },
  LEGACY_ENCODING_CONVERTED: { severity: "info", vi: (d) => `đã chuyển ${s(d.count)} ô từ mã ${s(d.encoding)} sang Unicode`, en: (d) => `${s(d.count)} cell(s) converted from ${s(d.encoding)} to Unicode` },
  // Forms (queries/: the form and chart definitions, the forms' rules; place: the definition's
  // file, or the form › row › column the rule is about)
  E_FORM_DEF: {
    severity: "error",
    vi: (d) => `định nghĩa ${d.what === "chart" ? "biểu đồ" : "biểu mẫu"} không hợp lệ: ${s(d.detail)}`,
    en: (d) => `invalid ${d.what === "chart" ? "chart" : "form"} definition: ${s(d.detail)}`,
  },
  RULE_ARITHMETIC: {
    severity: "error",
    // a sum (the figure against its parts) or a ratio (the column against num/den, in %)
    vi: (d) =>
      d.ratio
        ? `tỷ lệ ${s(d.actual) || "(trống)"} khác ${s(d.ratio)} = ${s(d.expected) || "(không tính được)"} %`
        : `${s(d.actual) || "(trống)"} khác ${s(d.whatVi)} = ${s(d.expected)} (chênh lệch ${s(d.difference)})`,
    en: (d) =>
      d.ratio
        ? `ratio ${s(d.actual) || "(blank)"} differs from ${s(d.ratio)} = ${s(d.expected) || "(undefined)"} %`
        : `${s(d.actual) || "(blank)"} differs from ${s(d.what)} = ${s(d.expected)} (difference ${s(d.difference)})`,
  },
  RULE_NOT_APPLIED: {
    severity: "info",
    vi: (d) => `chỉ có Tổng số (${s(d.actual)}), chưa phân nguồn — không kiểm tra ${s(d.check)}`,
    en: (d) => `only a total (${s(d.actual)}), not split by source — rule ${s(d.check)} not applied`,
  },
  RULE_RECONCILIATION: {
    severity: "warning",
    vi: (d) => `${s(d.columns)} = ${s(d.actual)} khác ${s(d.whatVi)} ${s(d.expected)} (chênh lệch ${s(d.difference)}, cần giải thích)`,
    en: (d) => `${s(d.columns)} = ${s(d.actual)} differs from ${s(d.what)} ${s(d.expected)} (difference ${s(d.difference)}, to explain)`,
  },
  // Fill: finding the forms in the workbook and planning their cells (fill/engine; place: form ›
  // sheet!cell › row › column, the row by its key as the form numbers it, the column by its id; a
  // column's or row's words are the form's words for this plan year, never a template's {N-2})
  E_FORM_NOT_FOUND: {
    severity: "error",
    vi: (d) => (d.chosen !== undefined ? `không nhận ra biểu trong trang tính đã chọn "${s(d.chosen)}"` : `không tìm thấy biểu (Phụ lục ${s(d.number)}) trong sổ tính (gần nhất: ${s(d.whyVi)})`),
    en: (d) => (d.chosen !== undefined ? `the form is not recognised in the chosen sheet "${s(d.chosen)}"` : `the form (Phụ lục ${s(d.number)}) is not found in the workbook (nearest: ${s(d.why)})`),
  },
  E_FORM_AMBIGUOUS: { severity: "error", vi: (d) => `nhiều trang tính giống biểu này: ${list(d.sheets)} — hãy chọn một trang để điền`, en: (d) => `several sheets look like this form: ${list(d.sheets)} — choose one to fill` },
  W_FORM_NO_DATA: { severity: "warning", vi: () => "không có số liệu cho biểu này: biểu không được điền", en: () => "no figures for this form: it is not filled" },
  E_FORM_PLAN_FAILED: { severity: "error", vi: (d) => `không lập được kế hoạch điền biểu: ${s(d.detail)}`, en: (d) => `could not plan the fill of the form: ${s(d.detail)}` },
  W_FORM_LAST_YEAR_COPY: {
    severity: "warning",
    vi: (d) => `biểu là bản của năm kế hoạch ${s(d.templateYear)}: đã đổi ${s(d.count)} ô tiêu đề sang năm ${s(d.year)} (lệch ${s(d.shift)} năm)`,
    en: (d) => `the form is a copy made for plan year ${s(d.templateYear)}: ${s(d.count)} title/header cells rewritten for ${s(d.year)} (shift ${s(d.shift)})`,
  },
  W_FORM_UNIT_SCALED: { severity: "warning", vi: (d) => `biểu ghi "${s(d.unit)}": số liệu (triệu đồng) được nhân ${s(d.scale)} khi điền`, en: (d) => `the form says "${s(d.unit)}": figures (million đồng) are multiplied by ${s(d.scale)}` },
  W_FORM_COLUMN_MISSING: { severity: "warning", vi: (d) => `biểu thiếu cột "${s(d.header)}": các cột khác vẫn được điền`, en: (d) => `the form has no column "${s(d.header)}": the other columns are filled` },
  E_FORM_COLUMN_MISSING_FIGURE: {
    severity: "error",
    vi: (d) => `cột "${s(d.header)}" không có trong biểu nhưng dòng này có số liệu ${s(d.expected)}: số liệu bị thiếu trong biểu`,
    en: (d) => `the column "${s(d.header)}" is missing from the form but this row has the figure ${s(d.expected)}: it would be dropped`,
  },
  W_FORM_ROW_RETIRED: {
    severity: "warning",
    vi: (d) => `"${s(d.label)}" không còn trong biểu của năm kế hoạch ${s(d.year)}${d.until ? ` (chỉ có đến năm kế hoạch ${s(d.until)})` : ""}: không ghi số liệu; hãy xóa dòng này`,
    en: (d) => `"${s(d.label)}" is no longer in the form for plan year ${s(d.year)}${d.until ? ` (only up to plan year ${s(d.until)})` : ""}: nothing written; delete the row`,
  },
  W_FORM_ROW_TWICE: {
    severity: "warning",
    vi: (d) => `dòng này lặp lại dòng "${s(d.label)}" (đã có ở dòng ${s(d.first)} của trang tính): được giữ nguyên`,
    en: (d) => `this row repeats the row "${s(d.label)}" (already at sheet row ${s(d.first)}): it is left as it is`,
  },
  E_FORM_ROW_MISSING_FIGURE: { severity: "error", vi: (d) => `không tìm thấy dòng "${s(d.label)}" trong biểu nhưng dòng này có số liệu`, en: (d) => `the row "${s(d.label)}" is not in the form but has figures` },
  W_FORM_ROW_MISSING: { severity: "warning", vi: (d) => `không tìm thấy dòng "${s(d.label)}" trong biểu`, en: (d) => `the row "${s(d.label)}" is not found in the form` },
  W_FORM_TEXT_FIGURE: { severity: "warning", vi: (d) => `giá trị "${s(d.value)}" là chữ trong cột số liệu: ghi dưới dạng chữ`, en: (d) => `the value "${s(d.value)}" is text in a figure column: written as text` },
  W_FORM_FORMULA_REPLACED: { severity: "warning", vi: (d) => `ô có công thức ${s(d.formula)}: được thay bằng số liệu`, en: (d) => `the cell held the formula ${s(d.formula)}: replaced by the figure` },
  W_LIST_ROW_MOVED: {
    severity: "warning",
    // many rows at once (data.rows, their keys), or one row (its label and sheet row)
    vi: (d) =>
      Array.isArray(d.rows)
        ? `${d.rows.length} dòng không đúng thứ tự mới: được xóa và chèn lại; ghi chú của các dòng này không được giữ`
        : `dòng "${s(d.label)}" (dòng ${s(d.line)} của trang tính) không đúng thứ tự mới: được xóa và chèn lại; ghi chú của dòng này không được giữ`,
    en: (d) =>
      Array.isArray(d.rows)
        ? `${d.rows.length} rows are out of the new order: deleted and inserted again; their notes are not kept`
        : `the row "${s(d.label)}" (sheet row ${s(d.line)}) is out of the new order: deleted and inserted again; its notes are not kept`,
  },
  // Fill: writing the plan into the .xlsx (fill/xlsx; place: form › sheet!cell, or a part of the package)
  E_FILL_SHEET_MISSING: { severity: "error", vi: () => "sổ làm việc không có trang tính này; biểu không được điền", en: () => "the workbook has no such worksheet; the form was not filled" },
  E_FILL_SHEET_TWICE: { severity: "error", vi: () => "trang tính có hai kế hoạch điền; chỉ kế hoạch đầu được áp dụng", en: () => "two plans write this sheet; only the first was applied" },
  E_FILL_BAD_ROWOP: { severity: "error", vi: (d) => `thao tác dòng không hợp lệ: ${s(d.op)}; biểu không được điền`, en: (d) => `invalid row operation ${s(d.op)}; the form was not filled` },
  E_FILL_OUTSIDE: { severity: "error", vi: (d) => `ô ngoài trang tính (dòng ${s(d.sheetRow)}, cột ${s(d.sheetColumn)})`, en: (d) => `a cell outside the sheet (row ${s(d.sheetRow)}, column ${s(d.sheetColumn)})` },
  W_FILL_NOT_FINITE: { severity: "warning", vi: () => "giá trị không hữu hạn, để trống", en: () => "a non-finite number was left blank" },
  W_FILL_PART_UNREADABLE: {
    severity: "warning",
    vi: (d) => `không đọc được phần này của sổ (${s(d.detail)}); vị trí của nó không được dời theo dòng`,
    en: (d) => `this part could not be parsed (${s(d.detail)}); its positions were not moved with the rows`,
  },
  W_CHART_SHEET_TAKEN: {
    severity: "warning",
    // the name is a chart sheet's, or a worksheet's that phuluc did not make: either way left alone
    vi: (d) => `${d.chartSheet ? "đây là một trang biểu đồ, không phải trang tính" : "sổ đã có trang này, không do phuluc tạo"}; không ghi đè, không chèn biểu đồ`,
    en: (d) => `${d.chartSheet ? "this is a chart sheet, not a worksheet" : "the workbook already has this sheet, which phuluc did not make"}; it was left as it is, no charts inserted`,
  },
} satisfies Record<string, CodeDef>;

export type Code = keyof typeof CODES;

/**
 * The problem for `code` at `place`; the message names the place in each language's words.
 * `data` is kept with the problem (the figures compared, the value found: what the pane and the
 * API's clients read); `words` are details only the message shows (a row's label, a column's
 * header this year, an error's text), so that a problem's data stays what its readers expect.
 */
export function prob(code: Code, place: Place, data: Data = {}, words: Data = {}): Problem {
  const def: CodeDef = CODES[code];
  const all = { ...data, ...words };
  const pre = (lang: Lang): string => {
    const where = formatPlace(place, lang);
    return where ? `${where}: ` : "";
  };
  return problem(code, def.severity, place, pre("vi") + def.vi(all), pre("en") + def.en(all), Object.keys(data).length ? data : undefined);
}

/** Whether `code` is found only by the load, across files (a one-file reading never raises it). */
export function acrossFiles(code: string): boolean {
  return (CODES as Record<string, CodeDef>)[code]?.acrossFiles === true;
}
