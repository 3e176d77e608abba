// One fixture per variation of spec/inputs.md "What real staff workbooks look like", each read
// through the real reader, with the exact content expected.
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { openXlsx } from "../../xlsx/index.js";
import { toTcvn3, toVni } from "../../etl/text/legacy.js";
import { codes, LIMITS, parseWorkbook, tmpDir, writeWorkbook } from "./helpers.js";

const S = (sheet: string, cell: string) => ({ sheet, cell });

describe("Kind 1 — task register", () => {
  test("title rows merged, header at row 12, unit line in nghìn đồng, STT I/II/1.1, group, total, blank and hidden rows, extra column, TCVN3 text, NSNN by level", async () => {
    const sh = "Danh muc";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH LONG AN"],
          ["CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
          [],
          ["BẢNG THEO DÕI NHIỆM VỤ KH&CN NĂM 2023"],
          [], [], [], [], [],
          ["Đơn vị tính: nghìn đồng"],
          [],
          ["STT", "Mã NV", "Tên nhiệm vụ", "Cấp", "Lĩnh vực", "Cơ quan chủ trì", "Chủ nhiệm", "Số điện thoại", "Thời gian thực hiện", "Tổng kinh phí", "NSNN", "Ngoài NSNN"],
          ["I", "Nhiệm vụ cấp quốc gia"],
          ["1", "QG-01", "Lục bình", "Quốc gia", "KH kỹ thuật và công nghệ", "ĐH Bách khoa", "Nguyễn Văn A", "0909", "10/2021 - 3/2024", 13660000, 12380000, 1280000],
          [],
          ["II", "Nhiệm vụ cấp tỉnh"],
          ["1.1", "T-01", { v: toTcvn3("Nghiên cứu giống lúa"), font: ".VnTime" }, "Tỉnh", "KH nông nghiệp", "Viện lúa", "", "", "01/2023-12/2024", 1500000, 1500000],
          ["1.2", "T-02", "Dược liệu", "Tỉnh", "KH y, dược", "Công ty Đồng Tháp Mười", "", "", "12/2022-12/2025", 24000000],
          ["", "Cộng", "", "", "", "", "", "", "", 25500000],
          ["", "Tổng cộng", "", "", "", "", "", "", "", 39160000],
        ],
        merges: ["A1:L1", "A4:L4", "B13:L13", "B16:L16"],
        hidden: [18],
      },
    ]);
    expect(f.sheets).toEqual([{ name: sh, kinds: ["task_register"], status: "loaded", rows: 3, ignoredColumns: ["Số điện thoại"] }]);
    expect(f.tasks).toEqual([
      {
        code: "QG-01", title: "Lục bình", level: "QUOC_GIA", field: "KY_THUAT", leadOrg: "ĐH Bách khoa", pi: "Nguyễn Văn A",
        start: "2021-10", end: "2024-03", status: "DANG_THUC_HIEN", unsplit: false, at: S(sh, "B14"),
        approved: [
          { source: "TONG", amount: "13660", at: S(sh, "J14") },
          { source: "NSTW", amount: "12380", at: S(sh, "K14") },
          { source: "NGOAI_NSNN", amount: "1280", at: S(sh, "L14") },
        ],
      },
      {
        code: "T-01", title: "Nghiên cứu giống lúa", level: "TINH", field: "NONG_NGHIEP", leadOrg: "Viện lúa",
        start: "2023-01", end: "2024-12", status: "DANG_THUC_HIEN", unsplit: false, at: S(sh, "B17"),
        approved: [
          { source: "TONG", amount: "1500", at: S(sh, "J17") },
          { source: "NSDP", amount: "1500", at: S(sh, "K17") },
        ],
      },
      {
        code: "T-02", title: "Dược liệu", level: "TINH", field: "Y_DUOC", leadOrg: "Công ty Đồng Tháp Mười",
        start: "2022-12", end: "2025-12", status: "DANG_THUC_HIEN", unsplit: true, at: S(sh, "B18"),
        approved: [{ source: "TONG", amount: "24000", at: S(sh, "J18") }],
      },
    ]);
    expect(codes(f)).toEqual([
      `COLUMN_IGNORED@${sh}!H12`,
      `LEGACY_ENCODING_CONVERTED@${sh}!C17`,
      `ROW_HIDDEN@${sh}!B18`,
      `TASK_UNSPLIT@${sh}!J18`,
    ]);
    // the whole ParsedFile: nothing else in it
    expect({ ...f, sha256: "-", size: 0, mtimeMs: 0, tasks: f.tasks.length, problems: f.problems.map((p) => [p.code, p.severity, p.place, p.data]) }).toEqual({
      fileId: "test.xlsx",
      office: "chung",
      sha256: "-",
      size: 0,
      mtimeMs: 0,
      sheets: [{ name: sh, kinds: ["task_register"], status: "loaded", rows: 3, ignoredColumns: ["Số điện thoại"] }],
      tasks: 3,
      taskFunding: [],
      budgetLines: [],
      indicators: [],
      indicatorFacts: [],
      problems: [
        ["LEGACY_ENCODING_CONVERTED", "info", { file: "test.xlsx", sheet: sh, cell: "C17" }, { encoding: "TCVN3", count: 1 }],
        ["COLUMN_IGNORED", "info", { file: "test.xlsx", sheet: sh, cell: "H12" }, { header: "Số điện thoại" }],
        ["ROW_HIDDEN", "warning", { file: "test.xlsx", sheet: sh, cell: "B18" }, { row: 18 }],
        ["TASK_UNSPLIT", "warning", { file: "test.xlsx", sheet: sh, cell: "J18" }, { code: "T-02" }],
      ],
    });
    const hidden = f.problems.find((p) => p.code === "ROW_HIDDEN")!;
    expect(hidden.severity).toBe("warning");
    expect(hidden.vi).toBe("test.xlsx › Danh muc!B18: dòng 18 đang bị ẩn nhưng vẫn được nạp");
    expect(hidden.en).toBe("test.xlsx › Danh muc!B18: row 18 is hidden but was loaded");
  });

  test("two-row header (merged groups), no diacritics, any case, line breaks, columns reordered, months as real dates and texts, status, gender, decision", async () => {
    const sh = "NV";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["DANH MUC NHIEM VU"],
          ["TEN NHIEM VU", "ma  so", "CO QUAN\nCHU TRI", "cap quan ly", "Thoi gian thuc hien", "", "Kinh phí được phê duyệt", "", "", "", "Tình trạng", "Giới tính chủ nhiệm", "Quyết định phê duyệt", "LĨNH VỰC"],
          ["", "", "", "", "Bắt đầu", "Kết thúc", "Tổng số", "NSTW", "NSĐP", "Ngoài NSNN"],
          ["Bò", "QG-02", "ĐH Quốc tế", "Trung ương", { v: new Date(Date.UTC(2016, 11, 1)), numFmt: "mm/yyyy" }, "11/2023", 20970, "", "", "", "Đã nghiệm thu", "Nữ", "12/QĐ-BKHCN", "KH nông nghiệp"],
          ["Tràm", "QG-03", "Công ty", "Bộ", "tháng 12/2022", "T12/2025", 24000, "", 6780, 17220, "", "Nam", "", "Khoa học tự nhiên"],
        ],
        merges: ["A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:J2", "K2:K3", "L2:L3", "M2:M3", "N2:N3"],
      },
    ]);
    expect(f.sheets).toEqual([{ name: sh, kinds: ["task_register"], status: "loaded", rows: 2, ignoredColumns: [] }]);
    expect(f.tasks).toEqual([
      {
        code: "QG-02", title: "Bò", level: "QUOC_GIA", field: "NONG_NGHIEP", leadOrg: "ĐH Quốc tế", start: "2016-12", end: "2023-11",
        status: "DA_NGHIEM_THU", unsplit: true, at: S(sh, "B4"), piGender: "NU", decision: "12/QĐ-BKHCN",
        approved: [{ source: "TONG", amount: "20970", at: S(sh, "G4") }],
      },
      {
        code: "QG-03", title: "Tràm", level: "BO", field: "TU_NHIEN", leadOrg: "Công ty", start: "2022-12", end: "2025-12",
        status: "DANG_THUC_HIEN", unsplit: false, at: S(sh, "B5"), piGender: "NAM",
        approved: [
          { source: "TONG", amount: "24000", at: S(sh, "G5") },
          { source: "NSDP", amount: "6780", at: S(sh, "I5") },
          { source: "NGOAI_NSNN", amount: "17220", at: S(sh, "J5") },
        ],
      },
    ]);
    expect(codes(f)).toEqual([`TASK_UNSPLIT@${sh}!G4`]);
  });

  test("a 1904-date workbook; plain-style numbers as text; field merged xã hội và nhân văn; acceptance date", async () => {
    const sh = "NV";
    const dir = tmpDir();
    const path = await writeWorkbook(join(dir, "w1904.xlsx"), [
      {
        name: sh,
        rows: [
          ["Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Lĩnh vực", "Tổ chức chủ trì", "Bắt đầu", "Kết thúc", "Tổng kinh phí", "NSĐP", "Ngày nghiệm thu", "Tình trạng"],
          ["CS-01", "Cơ sở", "Cơ sở", "KH xã hội và nhân văn", "Huyện Đức Hòa", { v: new Date(Date.UTC(2022, 0, 15)), numFmt: "dd/mm/yyyy" }, { v: new Date(Date.UTC(2023, 5, 30)), numFmt: "mm/yyyy" }, "1,234.5", "1234.5", { v: new Date(Date.UTC(2023, 6, 20)), numFmt: "d/m/yyyy" }, "Đã nghiệm thu"],
        ],
      },
    ], { date1904: true });
    const reader = await openXlsx(path, LIMITS);
    expect((await reader.info()).date1904).toBe(true);
    await reader.close();
    const { readAsObjects } = await import("./unpack.js");
    const f = await readAsObjects(path, "P.QLKH/w1904.xlsx", "P.QLKH", { limits: LIMITS, province: "80" });
    expect(f.tasks).toEqual([
      {
        code: "CS-01", title: "Cơ sở", level: "CO_SO", field: "XA_HOI", leadOrg: "Huyện Đức Hòa", start: "2022-01", end: "2023-06",
        status: "DA_NGHIEM_THU", acceptedOn: "2023-07-20", unsplit: false, at: S(sh, "A2"),
        approved: [
          { source: "TONG", amount: "1234.5", at: S(sh, "H2") },
          { source: "NSDP", amount: "1234.5", at: S(sh, "I2") },
        ],
      },
    ]);
    expect(f.problems.map((p) => [p.code, p.severity, p.place])).toEqual([["FIELD_MERGED_XH_NV", "warning", { file: "P.QLKH/w1904.xlsx", sheet: sh, cell: "D2" }]]);
    expect(f.fileId).toBe("P.QLKH/w1904.xlsx");
    expect(f.office).toBe("P.QLKH");
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("Kind 2 — task funding", () => {
  test("group 'Năm 2023' over three measures, 'Dự toán 2024' over NSTW | NSĐP | Tổng số, numbers as Vietnamese text, formula cells with cached values, a unit in a header", async () => {
    const sh = "Cap phat";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["Mã nhiệm vụ", "Tên nhiệm vụ", "Năm 2023", "", "", "Dự toán 2024", "", "", "Lũy kế đến hết 2022 (nghìn đồng)"],
          ["", "", "Dự toán", "Thực hiện 6 tháng", "Ước thực hiện", "NSTW", "NSĐP", "Tổng số"],
          ["QG-01", "Lục bình", "1.500", "700,5", { f: "C3", v: 1500 }, "", "2.000", { f: "F3+G3", v: 2000 }, 3500000],
          ["T-01", "Lúa", "300", "", "", "100", "200", "300"],
        ],
        merges: ["A1:A2", "B1:B2", "C1:E1", "F1:H1", "I1:I2"],
      },
    ]);
    expect(f.sheets).toEqual([{ name: sh, kinds: ["task_funding"], status: "loaded", rows: 2, ignoredColumns: [] }]);
    // codeAt: the row's code cell (column A), where a problem with the code is told
    const T = (taskCode: string, year: number, measure: string, source: string, amount: string, cell: string) => ({ taskCode, year, measure, source, amount, at: S(sh, cell), codeAt: S(sh, "A" + cell.slice(1)) });
    expect(f.taskFunding).toEqual([
      T("QG-01", 2023, "du_toan", "NSDP", "1500", "C3"),
      T("QG-01", 2023, "thuc_hien_6t", "NSDP", "700.5", "D3"),
      T("QG-01", 2023, "uoc_thuc_hien", "NSDP", "1500", "E3"),
      T("QG-01", 2024, "du_toan", "NSDP", "2000", "G3"),
      T("QG-01", 2022, "luy_ke", "NSDP", "3500", "I3"),
      T("T-01", 2023, "du_toan", "NSDP", "300", "C4"),
      T("T-01", 2024, "du_toan", "NSTW", "100", "F4"),
      T("T-01", 2024, "du_toan", "NSDP", "200", "G4"),
    ]);
    expect(f.problems).toEqual([]);
  });

  test("register and funding in one sheet; NSNN funding goes to NSTW for a national task; units in đồng and 'Kế hoạch' is de_xuat", async () => {
    const sh = "NV";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["Đơn vị tính: đồng"],
          ["Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Tổ chức chủ trì", "Thời gian thực hiện", "Tổng kinh phí", "Dự toán 2023 - NSNN", "Kế hoạch 2024"],
          ["QG-01", "Lục bình", "Quốc gia", "ĐH Bách khoa", "10/2021-3/2024", 13660000000, 1500000000, 500000],
          ["T-01", "Lúa", "Tỉnh", "Viện", "1/2023-12/2024", 1500000000, 1000000, 1],
        ],
      },
    ]);
    expect(f.sheets[0]!.kinds).toEqual(["task_register", "task_funding"]);
    expect(f.tasks.map((t) => [t.code, t.approved.map((a) => a.amount)])).toEqual([["QG-01", ["13660"]], ["T-01", ["1500"]]]);
    expect(f.taskFunding.map((t) => [t.taskCode, t.year, t.measure, t.source, t.amount, t.at.cell])).toEqual([
      ["QG-01", 2023, "du_toan", "NSTW", "1500", "G3"],
      ["QG-01", 2024, "de_xuat", "NSDP", "0.5", "H3"],
      ["T-01", 2023, "du_toan", "NSDP", "1", "G4"],
      ["T-01", 2024, "de_xuat", "NSDP", "0.000001", "H4"],
    ]);
    expect(codes(f)).toEqual([`FIELD_UNKNOWN@${sh}!A3`, `FIELD_UNKNOWN@${sh}!A4`, `TASK_UNSPLIT@${sh}!F3`, `TASK_UNSPLIT@${sh}!F4`]);
  });
});

describe("Kind 3 — budget lines", () => {
  test("Mã số codes ('3' is 03), a row of column numbers, unit line in tỷ đồng; leaves load, sum rows with leaves are checked, a sum row without leaves loads", async () => {
    const sh = "PL";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["TÌNH HÌNH THỰC HIỆN VÀ DỰ TOÁN CHI KH&CN"],
          ["Đơn vị tính: tỷ đồng"],
          ["Nội dung", "Mã số", "Dự toán 2023", "Thực hiện 6 tháng 2023", "Dự toán 2024"],
          ["1", "2", "3", "4", "5"],
          ["TỔNG CHI", "01", 39.651195, 13.572, 41.612],
          ["2. Chi sự nghiệp KH&CN", "3", 39.651195, 13.572, 41.612],
          ["2.1 Chi quỹ lương và hoạt động bộ máy", "04", 10, 5, 11],
          ["- Tiền lương", "05", 6, 3, 7],
          ["- Chi hoạt động bộ máy", "06", 4, 2, 4],
          ["2.3 Chi thực hiện nhiệm vụ", "08", 29.651195, 8.572, 30.612],
        ],
      },
    ]);
    expect(f.sheets).toEqual([{ name: sh, kinds: ["budget_lines"], status: "loaded", rows: 6, ignoredColumns: [] }]);
    expect(f.budgetLines.map((b) => [b.line, b.year, b.measure, b.source, b.amount, b.at.cell])).toEqual([
      ["05", 2023, "du_toan", "NSDP", "6000", "C8"],
      ["05", 2023, "thuc_hien_6t", "NSDP", "3000", "D8"],
      ["05", 2024, "du_toan", "NSDP", "7000", "E8"],
      ["06", 2023, "du_toan", "NSDP", "4000", "C9"],
      ["06", 2023, "thuc_hien_6t", "NSDP", "2000", "D9"],
      ["06", 2024, "du_toan", "NSDP", "4000", "E9"],
      ["08", 2023, "du_toan", "NSDP", "29651.195", "C10"],
      ["08", 2023, "thuc_hien_6t", "NSDP", "8572", "D10"],
      ["08", 2024, "du_toan", "NSDP", "30612", "E10"],
    ]);
    expect(f.problems).toEqual([]);
  });

  test("no Mã số: lines from their labels; sources in a two-row header with their total", async () => {
    const sh = "DT";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["Nội dung", "Dự toán 2024", "", ""],
          ["", "Tổng số", "NSTW", "NSĐP"],
          ["1. Chi đầu tư phát triển KH&CN", 20, 5, 15],
          ["2. Chi sự nghiệp KH&CN", 80, "", 80],
          ["- Nhiệm vụ cấp tỉnh", 70, "", 70],
          ["3. Chi khác cho KH&CN", 1, "", 1],
        ],
        merges: ["A1:A2", "B1:D1"],
      },
    ]);
    expect(f.budgetLines.map((b) => [b.line, b.measure, b.source, b.amount, b.at.cell])).toEqual([
      ["02", "du_toan", "NSTW", "5", "C3"],
      ["02", "du_toan", "NSDP", "15", "D3"],
      ["11", "du_toan", "NSDP", "70", "D5"],
      ["18", "du_toan", "NSDP", "1", "D6"],
    ]);
    // 03 (80) is checked against 11 (70): the other children are absent
    expect(codes(f)).toEqual([`SUM_ROW_MISMATCH@${sh}!B4`, `SUM_ROW_MISMATCH@${sh}!D4`]);
    expect(f.problems[0]!.data).toMatchObject({ line: "03", row: 4, value: "80", sum: "70" });
  });
});

describe("Kind 4 — indicators", () => {
  test("areas from group rows, per-row unit (the unit line does not apply), Thuộc chỉ tiêu, Kế hoạch is ke_hoach, keys by code or (area, label)", async () => {
    const sh = "CT";
    const f = await parseWorkbook([
      {
        name: sh,
        rows: [
          ["Đơn vị tính: triệu đồng"],
          ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Thuộc chỉ tiêu", "Thực hiện năm 2022", "Kế hoạch 2023", "Thực hiện 6 tháng đầu năm 2023"],
          ["I", "", "Thanh tra, kiểm tra"],
          ["1", "TT01", "Số cuộc thanh tra, kiểm tra", "cuộc", "", 300, 337, 183],
          ["2", "", "Tiền phạt", "đồng", "", "", "", "24.500.000"],
          ["II", "", "Sở hữu trí tuệ"],
          ["1", "", "Số đơn đăng ký", "đơn", "", 10, 12, 5],
          ["2", "", "- trong đó: nhãn hiệu", "đơn", "TT01", 4, "", 2],
        ],
      },
    ]);
    expect(f.sheets).toEqual([{ name: sh, kinds: ["indicators"], status: "loaded", rows: 4, ignoredColumns: [] }]);
    expect(f.indicators).toEqual([
      { key: "TT01", code: "TT01", area: "THANH_TRA", label: "Số cuộc thanh tra, kiểm tra", unit: "cuộc", sort: 1, at: S(sh, "B4") },
      { key: "THANH_TRA|tien phat", area: "THANH_TRA", label: "Tiền phạt", unit: "đồng", sort: 2, at: S(sh, "C5") },
      { key: "SHTT|so don dang ky", area: "SHTT", label: "Số đơn đăng ký", unit: "đơn", sort: 3, at: S(sh, "C7") },
      { key: "SHTT|- trong do: nhan hieu", area: "SHTT", label: "- trong đó: nhãn hiệu", unit: "đơn", parentKey: "TT01", sort: 4, at: S(sh, "C8") },
    ]);
    expect(f.indicatorFacts.map((x) => [x.key, x.year, x.measure, x.value, x.at.cell])).toEqual([
      ["TT01", 2022, "thuc_hien", "300", "F4"],
      ["TT01", 2023, "ke_hoach", "337", "G4"],
      ["TT01", 2023, "thuc_hien_6t", "183", "H4"],
      ["THANH_TRA|tien phat", 2023, "thuc_hien_6t", "24500000", "H5"],
      ["SHTT|so don dang ky", 2022, "thuc_hien", "10", "F7"],
      ["SHTT|so don dang ky", 2023, "ke_hoach", "12", "G7"],
      ["SHTT|so don dang ky", 2023, "thuc_hien_6t", "5", "H7"],
      ["SHTT|- trong do: nhan hieu", 2022, "thuc_hien", "4", "F8"],
      ["SHTT|- trong do: nhan hieu", 2023, "thuc_hien_6t", "2", "H8"],
    ]);
    expect(f.problems).toEqual([]);
  });

  test("area from a Lĩnh vực column; VNI text converted", async () => {
    const f = await parseWorkbook([
      {
        name: "TDC",
        rows: [
          ["Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", "Ước thực hiện năm 2023"],
          ["An toàn bức xạ", { v: toVni("Hồ sơ cấp phép"), font: "VNI-Times" }, "hồ sơ", 35],
          ["Doanh nghiệp KH&CN", "Số doanh nghiệp", "doanh nghiệp", 22],
        ],
      },
    ]);
    expect(f.indicators.map((i) => [i.key, i.area, i.label])).toEqual([
      ["ATBX|ho so cap phep", "ATBX", "Hồ sơ cấp phép"],
      ["DN_KHCN|so doanh nghiep", "DN_KHCN", "Số doanh nghiệp"],
    ]);
    expect(codes(f)).toEqual(["LEGACY_ENCODING_CONVERTED@TDC!B2"]);
  });
});

describe("more variations", () => {
  test("TCVN3 known only by its font (no tell-tale character); units in headers in tỷ and đồng", async () => {
    const f = await parseWorkbook([
      {
        name: "F",
        rows: [
          ["Mã NV", { v: toTcvn3("Số"), font: ".VnTime" }, "Dự toán 2024 (tỷ đồng)", "Ước thực hiện 2023 (đồng)"],
          ["T-01", "", 1.5, 2500000],
        ],
      },
    ]);
    expect(f.taskFunding.map((x) => [x.measure, x.amount])).toEqual([["du_toan", "1500"], ["uoc_thuc_hien", "2.5"]]);
    expect(codes(f)).toEqual(["COLUMN_IGNORED@F!B1", "LEGACY_ENCODING_CONVERTED@F!B1"]);
    expect(f.sheets[0]!.ignoredColumns).toEqual(["Số"]);
  });

  test("numbers as plain-style text; a blank dash; extra columns anywhere", async () => {
    const f = await parseWorkbook([
      {
        name: "F",
        rows: [
          ["Người liên hệ", "Mã NV", "Dự toán 2024", "Ghi chú", "Ước thực hiện 2023"],
          ["An", "T-01", "1,234.5", "x", "-"],
          ["Bình", "T-02", "1234.75", "", "2,000"],
        ],
      },
    ]);
    expect(f.taskFunding.map((x) => [x.taskCode, x.measure, x.amount])).toEqual([
      ["T-01", "du_toan", "1234.5"],
      ["T-02", "du_toan", "1234.75"],
      ["T-02", "uoc_thuc_hien", "2000"],
    ]);
    expect(codes(f)).toEqual(["COLUMN_IGNORED@F!A1", "COLUMN_IGNORED@F!D1"]);
  });

  test("the seed's figures: a national task in the register, 13.660 = 10.880 + 1.500 + 1.280", async () => {
    const f = await parseWorkbook([
      {
        name: "QG",
        rows: [
          ["STT", "Mã số", "Tên đề tài, dự án", "Cấp quản lý", "Tổ chức chủ trì", "Quyết định phê duyệt", "Thời gian thực hiện", "Tổng kinh phí", "NSTW", "NSĐP", "Ngoài NSNN"],
          [1, "ĐTĐL.CN-01/21", "Nghiên cứu, thiết kế và chế tạo tổ hợp thiết bị thu gom lục bình", "Quốc gia", "Trường Đại học Bách khoa TP.HCM", "3312/QĐ-BKHCN ngày 30/11/2020", "10/2021-3/2024", "13.660", "10.880", "1.500", "1.280"],
        ],
      },
    ]);
    expect(f.tasks[0]).toMatchObject({
      code: "ĐTĐL.CN-01/21",
      level: "QUOC_GIA",
      decision: "3312/QĐ-BKHCN ngày 30/11/2020",
      start: "2021-10",
      end: "2024-03",
      approved: [
        { source: "TONG", amount: "13660" },
        { source: "NSTW", amount: "10880" },
        { source: "NSDP", amount: "1500" },
        { source: "NGOAI_NSNN", amount: "1280" },
      ],
    });
    expect(codes(f)).toEqual(["FIELD_UNKNOWN@QG!B2"]);
  });
});

describe("titles right above the header", () => {
  test("a title merged across the sheet directly above a two-row header is not a third header row", async () => {
    const f = await parseWorkbook([
      {
        name: "F",
        rows: [
          ["DỰ TOÁN KINH PHÍ NHIỆM VỤ NĂM 2024"],
          ["Mã NV", "Tên nhiệm vụ", "Dự toán 2024", "", ""],
          ["", "", "NSTW", "NSĐP", "Tổng số"],
          ["T-01", "Lúa", 1, 2, 3],
        ],
        merges: ["A1:E1", "A2:A3", "B2:B3", "C2:E2"],
      },
    ]);
    expect(f.taskFunding.map((x) => [x.source, x.amount, x.at.cell])).toEqual([["NSTW", "1", "C4"], ["NSDP", "2", "D4"]]);
    expect(f.problems).toEqual([]);
  });

  test("an unmerged title with a year right above a one-row header", async () => {
    const f = await parseWorkbook([
      { name: "F", rows: [["BẢNG THEO DÕI NĂM 2024"], ["Mã NV", "NSTW", "NSĐP", "Dự toán 2024"], ["T-01", 1, 2, 3]] },
    ]);
    expect(f.sheets[0]!.kinds).toEqual(["task_funding"]);
    expect(f.taskFunding.map((x) => [x.measure, x.year, x.source, x.amount])).toEqual([["du_toan", 2024, "NSDP", "3"]]);
    // NSTW/NSĐP without a measure are approved-funding columns: not a funding sheet's
    expect(codes(f)).toEqual(["COLUMN_IGNORED@F!B2", "COLUMN_IGNORED@F!C2"]);
  });
});

describe("under the table", () => {
  test("a signature block and notes under a register are not rows", async () => {
    const f = await parseWorkbook([
      {
        name: "R",
        rows: [
          ["STT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Tổ chức chủ trì", "Thời gian thực hiện", "Tổng kinh phí", "NSĐP", "Lĩnh vực"],
          [1, "T-01", "Lúa", "Tỉnh", "Viện", "1/2023-12/2024", 100, 100, "KH nông nghiệp"],
          ["", "Tổng cộng", "", "", "", "", 100, 100],
          [],
          ["", "", "", "", "", "Long An, ngày 15 tháng 6 năm 2023"],
          ["", "Người lập biểu", "", "", "", "Giám đốc"],
          [],
          ["", "Nguyễn Văn A", "", "", "", "Trần Văn B"],
        ],
      },
    ]);
    expect(f.tasks.map((t) => t.code)).toEqual(["T-01"]);
    expect(f.problems).toEqual([]);
  });

  test("indicators: a parent named by its label; a lone note keeps the area", async () => {
    const f = await parseWorkbook([
      {
        name: "I",
        rows: [
          ["STT", "Chỉ tiêu", "Đơn vị tính", "Thuộc chỉ tiêu", "Thực hiện 6 tháng đầu năm 2023"],
          ["I", "An toàn bức xạ"],
          [1, "Hồ sơ được xử lý", "hồ sơ", "", 35],
          ["", "(số liệu đến 30/6)"],
          [2, "Cấp mới giấy phép", "giấy phép", "Hồ sơ được xử lý", 13],
        ],
      },
    ]);
    expect(f.indicators.map((i) => [i.key, i.parentKey])).toEqual([
      ["ATBX|ho so duoc xu ly", undefined],
      ["ATBX|cap moi giay phep", "ATBX|ho so duoc xu ly"],
    ]);
  });
});

test("group rows written in the code column, merged across, without numbering", async () => {
  const f = await parseWorkbook([
    {
      name: "F",
      rows: [
        ["Mã nhiệm vụ", "Tên nhiệm vụ", "Dự toán 2024"],
        ["Nhiệm vụ chuyển tiếp"],
        ["T-01", "Lúa", 10],
        ["Nhiệm vụ mở mới"],
        ["T-02", "Sen", 5],
      ],
      merges: ["A2:C2", "A4:C4"],
    },
  ]);
  expect(f.taskFunding.map((x) => [x.taskCode, x.amount])).toEqual([["T-01", "10"], ["T-02", "5"]]);
  expect(f.problems).toEqual([]);
});

test("a first data row of small figures is data, not a row of column numbers", async () => {
  const f = await parseWorkbook([{ name: "B", rows: [["Mã số", "Dự toán 2024", "Dự kiến 2025"], ["2", 20, 30], ["18", 1, 2]] }]);
  expect(f.budgetLines.map((b) => [b.line, b.year, b.amount])).toEqual([["02", 2024, "20"], ["02", 2025, "30"], ["18", 2024, "1"], ["18", 2025, "2"]]);
});
