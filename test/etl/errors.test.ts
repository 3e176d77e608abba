// Every problem code of the ETL, each at its exact place.
import { readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { readAsObjects } from "./unpack.js";
import { openXlsx } from "../../xlsx/index.js";
import { codes, LIMITS, parseWorkbook, tmpDir, writeWorkbook, type CellSpec } from "./helpers.js";

const REG_HEADER = ["Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Lĩnh vực", "Tổ chức chủ trì", "Bắt đầu", "Kết thúc", "Tổng kinh phí", "NSTW", "NSĐP", "Ngoài NSNN"];
const good = (code: string, over: Record<number, CellSpec> = {}): CellSpec[] => {
  const r: CellSpec[] = [code, "Lúa", "Tỉnh", "KH nông nghiệp", "Viện", "1/2023", "12/2024", 100, "", 100, ""];
  for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
  return r;
};

describe("cell errors in a register", () => {
  test("each row one problem, each at its cell", async () => {
    const f = await parseWorkbook([
      {
        name: "R",
        rows: [
          REG_HEADER,
          good("T-01", { 7: "một trăm", 9: "" }), // 2
          good("T-02", { 7: -5, 9: "" }), // 3
          good("T-03", { 7: { error: "#REF!" }, 9: "" }), // 4
          good("T-04", { 7: { f: "SUM(I5:K5)" } }), // 5
          good("T-05", { 2: "Cấp xã" }), // 6
          good("T-06", { 4: "" }), // 7
          good("T-07", { 5: "13/2023" }), // 8
          good("T-08", { 6: "12/1985" }), // 9
          good("T-09", { 5: "5/2024", 6: "1/2023" }), // 10
          good("T-10", { 8: 30, 9: 30 }), // 11
          good("T-01"), // 12
          good("T-12", { 3: "Vật lý" }), // 13
          good("T-13", { 8: "", 9: "" }), // 14
        ],
      },
    ]);
    expect(codes(f)).toEqual([
      "DATE_OUT_OF_RANGE@R!G9",
      "FIELD_UNKNOWN@R!D13",
      "FORMULA_NO_CACHE@R!H5",
      "MONTH_INVALID@R!F8",
      "PERIOD_START_AFTER_END@R!G10",
      "REQUIRED_VALUE_MISSING@R!E7",
      "TASK_CODE_DUPLICATE@R!A12",
      "TASK_UNSPLIT@R!H14",
      "TOTAL_PARTS_MISMATCH@R!H11",
      "VALUE_ERROR@R!H4",
      "VALUE_NEGATIVE@R!H3",
      "VALUE_NOT_IN_LIST@R!C6",
      "VALUE_NOT_NUMBER@R!H2",
    ]);
    const by = (c: string) => f.problems.find((p) => p.code === c)!;
    expect(by("TASK_CODE_DUPLICATE").place).toEqual({ file: "test.xlsx", sheet: "R", cell: "A12", other: { file: "test.xlsx", sheet: "R", cell: "A2" } });
    expect(by("PERIOD_START_AFTER_END").place.other).toEqual({ file: "test.xlsx", sheet: "R", cell: "F10" });
    expect(by("TOTAL_PARTS_MISMATCH").data).toEqual({ total: "100", sum: "60", parts: "I11, J11", cells: ["I11", "J11"] });
    expect(by("VALUE_ERROR").vi).toBe("test.xlsx › R!H4: ô có giá trị lỗi #REF!");
    expect(by("VALUE_NOT_NUMBER").en).toBe('test.xlsx › R!H2: "một trăm" is not a number');
    // rows with errors give no task; the good and warned ones do
    expect(f.tasks.map((t) => t.code)).toEqual(["T-12", "T-13"]);
    expect(f.sheets[0]!.status).toBe("error");
  });

  test("an ambiguous number in a Vietnamese sheet", async () => {
    const f = await parseWorkbook([{ name: "R", rows: [REG_HEADER, good("T-01", { 7: "1.234,5", 9: "1.234,5" }), good("T-02", { 7: "1.5", 9: "" })] }]);
    expect(codes(f, "error")).toEqual(["VALUE_AMBIGUOUS_NUMBER@R!H3"]);
    expect(f.problems.find((p) => p.code === "VALUE_AMBIGUOUS_NUMBER")!.data).toEqual({ value: "1.5", readings: "1.5" });
  });

  test("legacy text that cannot be converted", async () => {
    const f = await parseWorkbook([{ name: "R", rows: [REG_HEADER, good("T-01", { 1: { v: "Tæng Ä", font: ".VnTime" } })] }]);
    expect(codes(f, "error")).toEqual(["LEGACY_ENCODING_UNCONVERTIBLE@R!B2"]);
  });

  test("a total row that does not add up is a warning", async () => {
    const f = await parseWorkbook([{ name: "R", rows: [REG_HEADER, good("T-01"), good("T-02"), ["Tổng cộng", "", "", "", "", "", "", 250, "", 200]] }]);
    expect(codes(f)).toEqual(["TOTAL_ROW_MISMATCH@R!H4"]);
    expect(f.problems[0]!.severity).toBe("warning");
    expect(f.problems[0]!.data).toEqual({ column: "Tổng kinh phí", value: "250", sum: "200" });
    expect(f.tasks).toHaveLength(2);
  });

  test("a row with figures and no task code", async () => {
    const f = await parseWorkbook([{ name: "R", rows: [REG_HEADER, good("T-01"), good("", { 1: "Không mã" })] }]);
    expect(codes(f)).toEqual(["REQUIRED_VALUE_MISSING@R!A3"]);
  });
});

describe("keys given twice, measures both", () => {
  test("du_toan and de_xuat by source: told once for a key and year, at the first cell of the measure given second, naming the other's first", async () => {
    const f = await parseWorkbook([
      {
        name: "F",
        rows: [
          ["Mã NV", "Đề xuất 2024 - NSTW", "Đề xuất 2024 - NSĐP", "Dự toán 2024 - NSTW", "Dự toán 2024 - NSĐP", "Dự toán 2025 - NSTW", "Đề xuất 2025 - NSĐP", "Đề xuất 2025 - NSTW"],
          ["T-01", 1, 2, 3, 4, 5, 6, 7],
          ["T-02", "", 2, "", "", "", "", 7],
          ["T-03", "", "", "", 4, 5, "", ""],
        ],
      },
    ]);
    expect(codes(f)).toEqual(["MEASURE_BOTH_DU_TOAN_DE_XUAT@F!D2", "MEASURE_BOTH_DU_TOAN_DE_XUAT@F!G2"]);
    expect(f.problems.map((p) => [p.place.other?.cell, p.data])).toEqual([
      ["B2", { key: "T-01", year: 2024 }],
      ["F2", { key: "T-01", year: 2025 }],
    ]);
  });

  test("funding: the same key twice, du_toan and de_xuat both, a total that its sources cannot make", async () => {
    const f = await parseWorkbook([
      {
        name: "F",
        rows: [
          ["Mã NV", "Dự toán 2024", "Đề xuất 2024", "Dự toán 2023 - NSTW", "Dự toán 2023 - NSĐP", "Dự toán 2023"],
          ["T-01", 10, "", 1, 2, 3],
          ["T-02", 10, 5, "", "", ""],
          ["T-01", 7, "", "", "", ""],
          ["T-03", "", "", 1, 1, 5],
        ],
      },
    ]);
    expect(codes(f)).toEqual(["KEY_DUPLICATE@F!B4", "MEASURE_BOTH_DU_TOAN_DE_XUAT@F!C3", "TOTAL_PARTS_MISMATCH@F!F5"]);
    const dup = f.problems.find((p) => p.code === "KEY_DUPLICATE")!;
    expect(dup.place.other).toEqual({ file: "test.xlsx", sheet: "F", cell: "B2" });
    expect(f.problems.find((p) => p.code === "MEASURE_BOTH_DU_TOAN_DE_XUAT")!.place.other).toEqual({ file: "test.xlsx", sheet: "F", cell: "B3" });
    expect(f.taskFunding.filter((x) => x.year === 2023).map((x) => [x.taskCode, x.source, x.amount])).toEqual([
      ["T-01", "NSTW", "1"],
      ["T-01", "NSDP", "2"],
      ["T-03", "NSTW", "1"],
      ["T-03", "NSDP", "1"],
    ]);
  });

  test("the same key across two sheets of one file", async () => {
    const f = await parseWorkbook([
      { name: "A", rows: [["Mã NV", "Dự toán 2024"], ["T-01", 10]] },
      { name: "B", rows: [["Mã NV", "Dự toán 2024"], ["T-01", 10]] },
    ]);
    expect(codes(f)).toEqual(["KEY_DUPLICATE@B!B2"]);
    expect(f.problems[0]!.place.other).toEqual({ file: "test.xlsx", sheet: "A", cell: "B2" });
  });

  test("budget lines: a line twice, a code not in 01–18, a sum row that does not add up", async () => {
    const f = await parseWorkbook([
      {
        name: "B",
        rows: [
          ["Mã số", "Nội dung", "Dự toán 2024"],
          ["04", "Chi quỹ lương và hoạt động bộ máy", 10],
          ["05", "Tiền lương", 6],
          ["06", "Chi hoạt động bộ máy", 3],
          ["06", "Chi hoạt động bộ máy", 3],
          ["19", "Chi gì đó", 1],
        ],
      },
    ]);
    expect(codes(f)).toEqual(["KEY_DUPLICATE@B!A5", "SUM_ROW_MISMATCH@B!C2", "VALUE_NOT_IN_LIST@B!A6"]);
    expect(f.problems.find((p) => p.code === "SUM_ROW_MISMATCH")!.data).toEqual({ line: "04", row: 2, column: "Dự toán 2024", value: "10", sum: "9" });
  });

  test("indicators: the same (area, label) twice, a row without its label", async () => {
    const f = await parseWorkbook([
      {
        name: "I",
        rows: [
          ["Lĩnh vực", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2024"],
          ["Thanh tra", "Số cuộc thanh tra", "cuộc", 10],
          ["Thanh tra", "Số cuộc  THANH TRA", "cuộc", 12],
          ["Thanh tra", "", "cuộc", 3],
        ],
      },
    ]);
    expect(codes(f)).toEqual(["KEY_DUPLICATE@I!B3", "REQUIRED_VALUE_MISSING@I!B4"]);
  });
});

describe("sheet problems", () => {
  test("a near miss names the missing column; a sheet of nothing known is listed", async () => {
    const f = await parseWorkbook([
      { name: "R", rows: [["Mã nhiệm vụ", "Tên nhiệm vụ", "Cấp quản lý", "Bắt đầu", "Kết thúc", "Tổng kinh phí"], ["T-01", "Lúa", "Tỉnh", "1/2023", "2/2024", 5]] },
      { name: "I", rows: [["Chỉ tiêu", "Đơn vị tính", "Ghi chú"], ["Số cuộc", "cuộc", ""]] },
      { name: "Ghi chu", rows: [["Ghi chú của phòng"], ["Gửi trước 30/6"]] },
    ]);
    // no FILE_NO_DATA on top: the sheets' own errors already say why nothing loads
    expect(codes(f)).toEqual(["HEADER_MISSING_COLUMN@I!A1", "HEADER_MISSING_COLUMN@R!A1", "SHEET_UNRECOGNISED@Ghi chu"]);
    expect(f.problems.find((p) => p.place.sheet === "R")!.data).toMatchObject({ missing: "Tổ chức chủ trì" });
    expect(f.problems.find((p) => p.code === "SHEET_UNRECOGNISED")!.severity).toBe("info");
    expect(f.sheets.map((s) => [s.name, s.status])).toEqual([["R", "error"], ["I", "error"], ["Ghi chu", "skipped"]]);
  });

  test("a three-row header names its rows", async () => {
    const f = await parseWorkbook([
      {
        name: "H",
        rows: [
          ["Mã NV", "Kinh phí", "", ""],
          ["", "Năm 2024", "", ""],
          ["", "Dự toán", "", "Đề xuất"],
          ["T-01", 1, 2, 3],
        ],
        merges: ["A1:A3", "B1:D1", "B2:D2"],
      },
    ]);
    expect(codes(f)).toEqual(["HEADER_THREE_ROWS@H!A1"]);
    expect(f.problems[0]!.data).toEqual({ count: 3, rows: "1, 2, 3" });
  });

  test("a header and no rows; merged cells over the data", async () => {
    const f = await parseWorkbook([
      { name: "Empty", rows: [["Mã NV", "Dự toán 2024"], [], ["Tổng cộng", 0]] },
      { name: "M", rows: [["Mã NV", "Dự toán 2024", "Ghi chú"], ["T-01", 10, "a"], ["T-02", 10, "b"], ["I. Nhóm"]], merges: ["B2:B3", "A4:C4"] },
    ]);
    expect(codes(f)).toEqual(["COLUMN_IGNORED@M!C1", "MERGED_DATA_CELLS@M!B2", "SHEET_NO_ROWS@Empty!A1"]);
    expect(f.problems.find((p) => p.code === "MERGED_DATA_CELLS")!.data).toEqual({ range: "B2:B3" });
  });

  test("too many rows, too many columns", async () => {
    const styled = (n: number) => Array.from({ length: n }, () => ({ numFmt: "#,##0.00" }));
    const dir = tmpDir();
    const path = await writeWorkbook(join(dir, "big.xlsx"), [
      { name: "Rows", rows: [["Mã NV", "Dự toán 2024"], ...Array.from({ length: 12 }, (_, i) => [`T-${i}`, 1])] },
      { name: "Cols", rows: [Array.from({ length: 8 }, (_, i) => `C${i}`)] },
      // formatted out to column 30 (styled empty cells), its values in A:B: counted by its values (issue 15)
      { name: "Styled", rows: [["Mã NV", "Dự toán 2024", ...styled(28)], ["T-50", 2, ...styled(28)], ...Array.from({ length: 12 }, () => styled(30))] },
      { name: "Ok", rows: [["Mã NV", "Dự toán 2024"], ["T-99", 1]] },
    ]);
    const f = await readAsObjects(path, "big.xlsx", "chung", { limits: { ...LIMITS, maxRows: 10, maxColumns: 6 }, province: "80" });
    expect(codes(f)).toEqual(["SHEET_TOO_MANY_COLUMNS@Cols!G1", "SHEET_TOO_MANY_ROWS@Rows!A11"]);
    expect(f.taskFunding.map((x) => x.taskCode)).toEqual(["T-50", "T-99"]);
  });
});

describe("problems kept per file (issue 13: 150 000 of them overflowed the stack)", () => {
  test("past maxProblemsPerFile the rest are counted in one PROBLEMS_MORE, errors first, the file still refused", async () => {
    const dir = tmpDir();
    const path = await writeWorkbook(join(dir, "many.xlsx"), [
      { name: "Rows", rows: [["Mã NV", "Dự toán 2024"], ...Array.from({ length: 30 }, (_, i) => [`T-${i}`, "không phải số"])] },
    ]);
    const f = await readAsObjects(path, "many.xlsx", "chung", { limits: { ...LIMITS, maxProblemsPerFile: 10 }, province: "80" });
    expect(f.problems).toHaveLength(11);
    expect(f.problems.slice(0, 10).map((p) => `${p.code}@${p.place.cell}`)).toEqual(Array.from({ length: 10 }, (_, i) => `VALUE_NOT_NUMBER@B${i + 2}`));
    expect(f.problems[10]).toMatchObject({ code: "PROBLEMS_MORE", severity: "info", place: { file: "many.xlsx" }, data: { more: 20, errors: 20, kept: 10 } });
    expect(f.problems[10]!.en).toContain("20 more problems");
    expect(f.taskFunding).toEqual([]);
  });
});

describe("file problems", () => {
  const read = (path: string, id: string, limits = LIMITS) => readAsObjects(path, id, "chung", { limits, province: "80" });
  const only = async (path: string, id: string, limits = LIMITS) => (await read(path, id, limits)).problems.map((p) => [p.code, p.severity, p.place]);

  test("not what the name says: text, cut short, old .xls, encrypted, .ods, a zip of something else, too large", async () => {
    const dir = tmpDir();
    const txt = join(dir, "a.xlsx");
    writeFileSync(txt, "Mã NV;Dự toán 2024\n");
    expect(await only(txt, "a.xlsx")).toEqual([["FILE_NOT_XLSX", "error", { file: "a.xlsx" }]]);

    const whole = readFileSync(await writeWorkbook(join(dir, "w.xlsx"), [{ name: "S", rows: [["Mã NV", "Dự toán 2024"], ["T-1", 1]] }]));
    const cut = join(dir, "cut.xlsx");
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect((await only(cut, "cut.xlsx")).map((p) => p[0])).toEqual(["FILE_TRUNCATED"]);

    const ole = (name: string, encrypted: boolean) => {
      const buf = Buffer.alloc(4096);
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf);
      Buffer.from(encrypted ? "EncryptedPackage" : "Workbook", "utf16le").copy(buf, 1024);
      if (encrypted) Buffer.from("EncryptionInfo", "utf16le").copy(buf, 1152);
      writeFileSync(join(dir, name), buf);
      return join(dir, name);
    };
    const xls = await read(ole("cu.xls", false), "cu.xls");
    expect(xls.problems.map((p) => p.code)).toEqual(["FILE_XLS_OLD"]);
    expect(xls.problems[0]!.en).toContain("save it as .xlsx");
    expect(xls.problems[0]!.vi).toContain("hãy lưu lại dạng .xlsx");
    expect((await only(ole("locked.xlsx", true), "locked.xlsx")).map((p) => p[0])).toEqual(["FILE_ENCRYPTED"]);

    const ods = join(dir, "calc.ods");
    writeFileSync(ods, zipSync({ mimetype: [strToU8("application/vnd.oasis.opendocument.spreadsheet"), { level: 0 }], "content.xml": strToU8("<x/>") }));
    expect((await only(ods, "calc.ods")).map((p) => p[0])).toEqual(["FILE_ODS"]);

    const other = join(dir, "doc.xlsx");
    writeFileSync(other, zipSync({ "word/document.xml": strToU8("<w:document/>") }));
    expect((await only(other, "doc.xlsx")).map((p) => p[0])).toEqual(["FILE_NOT_WORKBOOK"]);

    const big = join(dir, "w.xlsx");
    expect((await only(big, "w.xlsx", { ...LIMITS, maxFileBytes: 100 })).map((p) => p[0])).toEqual(["FILE_TOO_LARGE"]);
  });

  test("a workbook with no sheet of any kind", async () => {
    const f = await parseWorkbook([{ name: "S", rows: [["Ghi chú"], ["không có gì"]] }]);
    expect(codes(f)).toEqual(["FILE_NO_DATA@", "SHEET_UNRECOGNISED@S"]);
  });

  test("a file that changes while it is read", async () => {
    const dir = tmpDir();
    const path = await writeWorkbook(join(dir, "moving.xlsx"), [{ name: "S", rows: [["Mã NV", "Dự toán 2024"], ["T-1", 1]] }]);
    const f = await readAsObjects(path, "moving.xlsx", "chung", {
      limits: LIMITS,
      province: "80",
      open: async (p, l) => {
        const r = await openXlsx(p, l);
        appendFileSync(p, "x"); // the office saves again while we read
        return r;
      },
    });
    expect(f.problems.map((p) => [p.code, p.place])).toEqual([["FILE_CHANGED_WHILE_READING", { file: "moving.xlsx" }]]);
  });
});

describe("odd rows through an in-memory reader", () => {
  test("booleans, error and formula-without-value cells in key and amount columns, rows with no cells", async () => {
    const { gridReader, xrows } = await import("./helpers.js");
    const dir = tmpDir();
    const path = join(dir, "grid.xlsx");
    writeFileSync(path, "bytes only hashed");
    const rows = xrows([
      ["Mã NV", "Dự toán 2024", "Ước thực hiện 2023"],
      ["T-01", { type: "b", value: true }, { type: "z", value: null, formula: "B2*2" }],
      [{ type: "e", value: "#N/A" }, 1, 2],
      [],
      ["T-03", { type: "s", value: "  1.000 " }, { type: "e", value: "#DIV/0!" }],
    ]);
    const f = await readAsObjects(path, "grid.xlsx", "chung", { limits: LIMITS, province: "80", open: async () => gridReader([{ name: "G", rows }]) });
    expect(codes(f)).toEqual(["FORMULA_NO_CACHE@G!C2", "VALUE_ERROR@G!A3", "VALUE_ERROR@G!C5", "VALUE_NOT_NUMBER@G!B2"]);
    expect(f.taskFunding.map((x) => [x.taskCode, x.amount, x.at.cell])).toEqual([["T-03", "1000", "B5"]]);
  });
});

describe("warnings in the other kinds", () => {
  test("hidden rows in budget-line and indicator sheets; group rows with figures checked against their rows", async () => {
    const f = await parseWorkbook([
      { name: "B", rows: [["Mã số", "Nội dung", "Dự toán 2024"], ["02", "Chi đầu tư phát triển", 5], ["18", "Chi khác", 1]], hidden: [3] },
      { name: "I", rows: [["Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2024"], ["Số cuộc thanh tra", "cuộc", 5]], hidden: [2] },
      {
        name: "F",
        rows: [
          ["STT", "Mã NV", "Dự toán 2024"],
          ["I", "Nhiệm vụ cấp tỉnh", 30],
          [1, "T-01", 10],
          [2, "T-02", 10],
          ["II", "Nhiệm vụ cấp cơ sở", 5],
          [1, "CS-01", 5],
          ["", "Tổng cộng", 25],
        ],
      },
    ]);
    expect(codes(f)).toEqual(["ROW_HIDDEN@B!A3", "ROW_HIDDEN@I!A2", "TOTAL_ROW_MISMATCH@F!C2"]);
    expect(f.problems.find((p) => p.code === "TOTAL_ROW_MISMATCH")!.data).toEqual({ column: "Dự toán 2024", value: "30", sum: "20" });
    expect(f.budgetLines.map((b) => b.line)).toEqual(["02", "18"]);
    expect(f.taskFunding.map((x) => x.taskCode)).toEqual(["T-01", "T-02", "CS-01"]);
  });
});
