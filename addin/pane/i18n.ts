// The pane's texts, one language at a time. Every message exists in Vietnamese and English (a
// test checks both are non-empty and name the same placeholders); the pane shows one of them:
// the officer's choice if made, else Office's display language inside Excel (Vietnamese unless it
// is English), else Vietnamese. Side by side they doubled the height of a 350 px pane.

export type Lang = "vi" | "en";

const M = {
  appSub: { vi: "Phụ lục dự toán KH&CN", en: "S&T budget appendices" },
  modeExcel: { vi: "Excel", en: "Excel" },
  modePreview: { vi: "Xem trước", en: "Preview" },
  langSwitch: { vi: "English", en: "Tiếng Việt" },
  langSwitchLabel: { vi: "Chuyển sang tiếng Anh", en: "Switch to Vietnamese" },

  hConnect: { vi: "Kết nối", en: "Connect" },
  server: { vi: "Máy chủ", en: "Server" },
  apiKey: { vi: "Khóa API", en: "API key" },
  planYear: { vi: "Năm kế hoạch", en: "Plan year" },
  connect: { vi: "Kết nối", en: "Connect" },
  connecting: { vi: "Đang kết nối…", en: "Connecting…" },
  enterKey: { vi: "Nhập khóa API rồi bấm Kết nối.", en: "Enter the API key and press Connect." },
  connected: {
    vi: "Đã kết nối · năm {year} · số liệu tính đến {asOf} (thế hệ {generation})",
    en: "Connected · year {year} · data as of {asOf} (generation {generation})",
  },
  yearsHave: { vi: "Kho có số liệu các năm: {years}.", en: "The warehouse has figures for: {years}." },
  yearsNone: { vi: "Kho chưa có số liệu năm nào.", en: "The warehouse has no figures yet." },
  yearNoFigures: {
    vi: "Kho không có số liệu năm {year}: điền sẽ xóa trắng các ô số liệu. Hãy chọn năm {latest}.",
    en: "The warehouse has no figures for {year}: a fill would blank the figure cells. Choose {latest}.",
  },
  yearNoFiguresNoLatest: {
    vi: "Kho không có số liệu năm {year}: chưa thể điền.",
    en: "The warehouse has no figures for {year}: nothing can be filled yet.",
  },

  hForms: { vi: "Phụ lục trong sổ này", en: "Forms in this workbook" },
  formsSummary: { vi: "Tìm thấy {found}/{total} phụ lục", en: "{found} of {total} forms found" },
  scanning: { vi: "Đang đọc sổ…", en: "Reading the workbook…" },
  found: { vi: "tìm thấy", en: "found" },
  notFound: { vi: "không thấy", en: "not found" },
  ambiguous: { vi: "hai trang giống nhau", en: "two sheets alike" },
  onSheet: { vi: "trang “{sheet}”", en: "sheet “{sheet}”" },
  yearsRewritten: { vi: "bản năm {from}: sẽ đổi năm", en: "a {from} copy: years rewritten" },
  missingColumns: { vi: "thiếu cột {cols}", en: "missing columns {cols}" },
  pickSheet: { vi: "Chọn trang tính cho {form}", en: "Pick the sheet for {form}" },
  rescan: { vi: "Đọc lại sổ", en: "Scan again" },

  hChanges: { vi: "Điền sẽ thay đổi", en: "A fill will change" },
  changesNone: { vi: "Không ô nào thay đổi: sổ đã khớp với kho.", en: "No cell changes: the workbook matches the warehouse." },
  changesForm: { vi: "{cells} ô", en: "{cells} cells" },
  rowsPlus: { vi: "+{n} dòng", en: "+{n} rows" },
  rowsMinus: { vi: "−{n} dòng", en: "−{n} rows" },
  rowsAdded: { vi: "Thêm dòng: {rows}", en: "Rows added: {rows}" },
  rowsRemoved: { vi: "Bỏ dòng: {rows}", en: "Rows removed: {rows}" },
  headerYears: { vi: "Đổi năm ở {n} ô tiêu đề", en: "Years rewritten in {n} header cells" },
  moreChanges: { vi: "… và {n} ô nữa", en: "… and {n} more" },
  blank: { vi: "(trống)", en: "(blank)" },
  showCells: { vi: "Xem các ô", en: "Show the cells" },
  noFiguresForm: { vi: "Không có số liệu: không điền", en: "No figures: not filled" },

  hRules: { vi: "Quy tắc không khớp", en: "Rules that do not add up" },
  rulesNone: { vi: "Mọi quy tắc đều khớp.", en: "Every rule adds up." },
  ruleArithmetic: { vi: "số học", en: "arithmetic" },
  ruleReconciliation: { vi: "đối chiếu", en: "reconciliation" },

  hAction: { vi: "Điền", en: "Fill" },
  fillAll: { vi: "Điền tất cả", en: "Fill all" },
  fillOne: { vi: "Điền một phụ lục", en: "Fill one form" },
  fillOneButton: { vi: "Điền", en: "Fill" },
  filling: { vi: "Đang điền…", en: "Filling…" },
  figuresMoved: { vi: "Kho vừa có lần nạp mới: đã lấy lại số liệu.", en: "The warehouse has a new load: figures fetched again." },

  hResult: { vi: "Kết quả", en: "Result" },
  filled: { vi: "Đã điền {n} phụ lục.", en: "Filled {n} form(s)." },
  notFilledNoFigures: { vi: "Chưa điền, không có số liệu: {forms}", en: "Not filled, no figures: {forms}" },
  syncs: { vi: "Số lần đồng bộ với Excel: {list}", en: "Syncs with Excel: {list}" },
  changedCells: { vi: "{n} ô đã đổi", en: "{n} cells changed" },
  selectAll: { vi: "Chọn vùng đã điền", en: "Select the filled range" },
  goTo: { vi: "Đi tới {ref}", en: "Go to {ref}" },
  nothingChanged: { vi: "Không có thay đổi.", en: "Nothing changed." },
  notFilled: { vi: "Không tìm thấy hoặc chưa điền", en: "Not found or not filled" },

  hLineage: { vi: "Nguồn của ô đang chọn", en: "Where the selected figure comes from" },
  selectFilled: { vi: "Chọn một ô đã điền.", en: "Select a filled cell." },
  notPhulucCell: { vi: "{ref}: không phải ô phuluc đã điền.", en: "{ref}: not a cell phuluc filled." },
  loading: { vi: "Đang tải…", en: "Loading…" },
  facts: { vi: "{n} dữ kiện", en: "{n} facts" },
  lineageMeta: {
    vi: "Số liệu tính đến {asOf} · điền lúc {filledAt} · thế hệ {generation}",
    en: "Data as of {asOf} · filled at {filledAt} · generation {generation}",
  },

  hPreview: { vi: "Các phụ lục", en: "The forms" },
  previewHint: {
    vi: "Ngoài Excel: số liệu từ máy chủ, chưa ghi vào sổ nào. Mở một phụ lục để xem cả biểu.",
    en: "Outside Excel: the figures from the server, written to no workbook. Open a form to see all of it.",
  },
  openForm: { vi: "Mở", en: "Open" },
  openFormLabel: { vi: "Mở phụ lục {form}", en: "Open form {form}" },
  previewRows: { vi: "{n} dòng", en: "{n} rows" },
  back: { vi: "← Các phụ lục", en: "← The forms" },
  noFigures: { vi: "Không có số liệu", en: "No figures" },
  appendix: { vi: "Phụ lục {n}", en: "Appendix {n}" },

  hMore: { vi: "Biểu đồ và lịch sử nạp", en: "Charts and load history" },
  hGlance: { vi: "Kế hoạch trong nháy mắt", en: "The plan at a glance" },
  insertCharts: { vi: "Chèn biểu đồ vào Excel", en: "Insert as Excel charts" },
  chartsInserted: { vi: "Đã chèn biểu đồ.", en: "Charts inserted." },
  hRuns: { vi: "Lịch sử nạp dữ liệu", en: "Load history" },
  runFinished: { vi: "Xong lúc", en: "Finished" },
  runOutcome: { vi: "Kết quả", en: "Outcome" },
  runFiles: { vi: "Tệp", en: "Files" },
  runRows: { vi: "Dòng", en: "Rows" },
  noRuns: { vi: "Chưa có lần nạp nào.", en: "No load yet." },

  errConnect: { vi: "Kết nối", en: "Connect" },
  errFigures: { vi: "Số liệu", en: "Figures" },
  errRead: { vi: "Đọc sổ", en: "Reading the workbook" },
  errFill: { vi: "Điền", en: "Fill" },
  errSelect: { vi: "Chọn ô", en: "Select" },
  errSelection: { vi: "Ô đang chọn", en: "Selection" },
  errEvents: { vi: "Sự kiện chọn ô", en: "Selection events" },
  errHistory: { vi: "Lịch sử", en: "History" },
  errCharts: { vi: "Biểu đồ", en: "Charts" },
  excelError: { vi: "Lỗi Excel", en: "Excel error" },
} as const satisfies Record<string, { vi: string; en: string }>;

export type MessageKey = keyof typeof M;
export const MESSAGES: Record<MessageKey, { vi: string; en: string }> = M;

/** A message in `lang`, its {placeholders} filled (values as given: the caller escapes for HTML). */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/** The saved choice wins; else Office's display language ("en-US" → en); else Vietnamese. */
export function pickLang(saved: string | null | undefined, displayLanguage: string | null | undefined): Lang {
  if (saved === "vi" || saved === "en") return saved;
  return /^en\b/i.test(displayLanguage ?? "") ? "en" : "vi";
}

/**
 * One language of a two-language text the server or the engine sends ("tiếng Việt / English:
 * detail", the API's error messages): the part before " / " or after it, the detail kept.
 */
export function oneLanguage(text: string, lang: Lang): string {
  const i = text.indexOf(" / ");
  if (i < 0) return text;
  if (lang === "vi") {
    const detail = /:\s[^/]*$/.exec(text.slice(i + 3));
    return text.slice(0, i) + (detail ? detail[0] : "");
  }
  return text.slice(i + 3);
}
