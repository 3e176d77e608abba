import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { fold, normalise } from "../../core/text.js";
import { classifyHeader, amountParts } from "../../etl/parse/headers.js";
import {
  dateFromCell,
  decimalFromNumber,
  inferNumberStyle,
  isDateFormat,
  monthFromCell,
  numberFromCell,
  parseDateText,
  parseMonthText,
  parseNumberText,
  parsePeriodText,
  serialToDate,
  toTrieu,
  unitIn,
} from "../../etl/parse/values.js";
import { decodeLegacy } from "../../etl/text/legacy.js";

const val = <T>(r: { ok: boolean; value?: T }) => (r.ok ? r.value : r);

describe("numbers written as text", () => {
  test.each([
    ["13.660", "vi", "13660"],
    ["13.660", "none", "13660"],
    ["1.234,5", "vi", "1234.5"],
    ["1.234,5", "none", "1234.5"],
    ["39.651.195", "none", "39651195"],
    ["39,651", "vi", "39.651"],
    ["1234.5", "plain", "1234.5"],
    ["1234.5", "none", "1234.5"],
    ["1234.5", "vi", "1234.5"],
    ["0.25", "vi", "0.25"],
    ["1,234.5", "plain", "1234.5"],
    ["1,234", "plain", "1234"],
    ["13660", "vi", "13660"],
    ["13 660", "vi", "13660"],
    [" 1.500 ", "vi", "1500"],
    ["(1.234)", "vi", "-1234"],
    ["-5", "plain", "-5"],
  ] as const)("%s in a %s sheet = %s", (t, style, want) => {
    expect(parseNumberText(t, style)).toEqual({ ok: true, value: want });
  });

  test.each([
    ["1.5", "vi"],
    ["1.5", "none"],
    ["1,234.5", "vi"],
    ["1,234.5", "none"],
    ["13.660", "plain"],
    ["1,5", "plain"],
    ["1,234", "none"],
  ] as const)("%s in a %s sheet is ambiguous, never a guess", (t, style) => {
    const r = parseNumberText(t, style);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe("VALUE_AMBIGUOUS_NUMBER");
  });

  test.each(["abc", "1.2.3,4,5", "", "12a", "..", "1..2"])("%j is not a number", (t) => {
    const r = parseNumberText(t, "vi");
    expect(!r.ok && r.code).toBe("VALUE_NOT_NUMBER");
  });

  test("the sheet's style is the majority of the telling texts", () => {
    expect(inferNumberStyle(["13.660", "1.234,5", "39.651.195"])).toBe("vi");
    expect(inferNumberStyle(["1234.5", "1,234.5"])).toBe("plain");
    expect(inferNumberStyle(["1,234.5"])).toBe("none");
    expect(inferNumberStyle(["13.660", "100"])).toBe("none");
    expect(inferNumberStyle(["1.234,5", "2.000,25", "1.5"])).toBe("vi");
  });

  test("doubles become exact decimals, float noise rounded at 6 decimals", () => {
    expect(val(decimalFromNumber(0.1 + 0.2))).toBe("0.3");
    expect(val(decimalFromNumber(39651.195))).toBe("39651.195");
    expect(val(decimalFromNumber(13660))).toBe("13660");
    expect(val(decimalFromNumber(1.0000004))).toBe("1");
    expect(val(decimalFromNumber(1.0000005))).toBe("1.000001");
    expect(decimalFromNumber(Number.NaN).ok).toBe(false);
  });

  test("units convert to triệu đồng exactly", () => {
    expect(val(toTrieu("24500000", "dong"))).toBe("24.5");
    expect(val(toTrieu("1", "dong"))).toBe("0.000001");
    expect(val(toTrieu("13660000", "nghin"))).toBe("13660");
    expect(val(toTrieu("1.5", "nghin"))).toBe("0.0015");
    expect(val(toTrieu("39.651195", "ty"))).toBe("39651.195");
    expect(val(toTrieu("41612", "trieu"))).toBe("41612");
  });

  test("unit names", () => {
    expect(unitIn("Đơn vị tính: đồng")).toBe("dong");
    expect(unitIn("Đơn vị tính: nghìn đồng")).toBe("nghin");
    expect(unitIn("Đơn vị tính: ngàn đồng")).toBe("nghin");
    expect(unitIn("Đơn vị tính: triệu đồng")).toBe("trieu");
    expect(unitIn("Đơn vị tính: tỷ đồng")).toBe("ty");
    expect(unitIn("DON VI TINH: TY DONG")).toBe("ty");
    expect(unitIn("Dự toán 2023 (nghìn đồng)")).toBe("nghin");
    expect(unitIn("Tổng cộng")).toBeNull();
  });

  test("cells: error values, formulas without a cached value", () => {
    expect(numberFromCell({ col: 1, ref: "A1", type: "e", value: "#REF!" }, "vi")).toEqual({ ok: false, code: "VALUE_ERROR", detail: { value: "#REF!" } });
    expect(numberFromCell({ col: 1, ref: "A1", type: "z", value: null, formula: "SUM(A2:A3)" }, "vi")).toEqual({ ok: false, code: "FORMULA_NO_CACHE" });
    expect(numberFromCell({ col: 1, ref: "A1", type: "n", value: 5, formula: "2+3" }, "vi")).toEqual({ ok: true, value: "5" });
    expect(numberFromCell({ col: 1, ref: "A1", type: "s", value: "-" }, "vi")).toEqual({ ok: true, value: null });
  });
});

describe("months and periods", () => {
  test.each([
    ["10/2021", "2021-10"],
    ["3/2024", "2024-03"],
    ["03/2024", "2024-03"],
    ["tháng 10/2021", "2021-10"],
    ["Tháng 3/2024", "2024-03"],
    ["T10/2021", "2021-10"],
    ["10-2021", "2021-10"],
    ["2021-10", "2021-10"],
    ["30/11/2020", "2020-11"],
  ])("%s → %s", (t, m) => expect(parseMonthText(t)).toEqual({ ok: true, value: m }));

  test.each([
    ["13/2021", "MONTH_INVALID"],
    ["0/2021", "MONTH_INVALID"],
    ["mười/2021", "MONTH_INVALID"],
    ["10/1989", "DATE_OUT_OF_RANGE"],
    ["1/2101", "DATE_OUT_OF_RANGE"],
  ])("%s → %s", (t, code) => expect(!parseMonthText(t).ok && (parseMonthText(t) as { code: string }).code).toBe(code));

  test.each([
    ["10/2021-3/2024", { start: "2021-10", end: "2024-03" }],
    ["10/2021 - 3/2024", { start: "2021-10", end: "2024-03" }],
    ["12/2016–11/2023", { start: "2016-12", end: "2023-11" }],
    ["tháng 12/2022 - tháng 12/2025", { start: "2022-12", end: "2025-12" }],
    ["từ 10/2021 đến 3/2024", { start: "2021-10", end: "2024-03" }],
  ])("period %s", (t, p) => expect(parsePeriodText(t)).toEqual({ ok: true, value: p }));

  test("real dates, 1900 and 1904 systems, told from numbers by the format", () => {
    // 1 Oct 2021 is serial 44470 (1900) and 43008 (1904)
    expect(serialToDate(44470, false)).toEqual({ ok: true, value: { y: 2021, m: 10, d: 1 } });
    expect(serialToDate(43008, true)).toEqual({ ok: true, value: { y: 2021, m: 10, d: 1 } });
    expect(monthFromCell({ col: 1, ref: "A1", type: "n", value: 44470, numFmt: "mm/yyyy" }, false)).toEqual({ ok: true, value: "2021-10" });
    expect(monthFromCell({ col: 1, ref: "A1", type: "n", value: 43008, numFmt: "dd/mm/yyyy" }, true)).toEqual({ ok: true, value: "2021-10" });
    expect(monthFromCell({ col: 1, ref: "A1", type: "n", value: 44470, numFmt: "#,##0" }, false)).toEqual({ ok: false, code: "MONTH_INVALID", detail: { value: "44470" } });
    expect(monthFromCell({ col: 1, ref: "A1", type: "n", value: 100, numFmt: "mm/yyyy" }, false)).toMatchObject({ ok: false, code: "DATE_OUT_OF_RANGE" });
    expect(dateFromCell({ col: 1, ref: "A1", type: "n", value: 44165, numFmt: "d/m/yyyy" }, false)).toEqual({ ok: true, value: "2020-11-30" });
    expect(parseDateText("30/11/2020")).toEqual({ ok: true, value: "2020-11-30" });
    expect(parseDateText("31/02/2020").ok).toBe(false);
  });

  test("date formats", () => {
    for (const f of ["mm/yyyy", "m/d/yy", "dd/mm/yyyy", "[$-409]mmm-yy", 'mm"/"yyyy', "yyyy-mm-dd", "mmm yyyy"]) expect(isDateFormat(f), f).toBe(true);
    for (const f of ["General", "#,##0", "0.00", "#,##0.000", "0%", "@", '#,##0 "đ"', undefined]) expect(isDateFormat(f), String(f)).toBe(false);
  });
});

describe("header grammar (every example of spec/inputs.md)", () => {
  test.each([
    ["", "Dự toán 2023", { role: "amount", measure: "du_toan", year: 2023, source: null }],
    ["", "Dự toán năm 2023 - NSTW", { role: "amount", measure: "du_toan", year: 2023, source: "NSTW" }],
    ["", "DT 2023 (NSĐP)", { role: "amount", measure: "du_toan", year: 2023, source: "NSDP" }],
    ["", "Dự toán giao năm 2023: NSĐP", { role: "amount", measure: "du_toan", year: 2023, source: "NSDP" }],
    ["", "Thực hiện 6 tháng đầu năm 2023", { role: "amount", measure: "thuc_hien_6t", year: 2023, source: null }],
    ["", "TH 6 tháng 2023", { role: "amount", measure: "thuc_hien_6t", year: 2023, source: null }],
    ["", "Ước TH năm 2023 – nguồn khác", { role: "amount", measure: "uoc_thuc_hien", year: 2023, source: "NGOAI_NSNN" }],
    ["", "Ước thực hiện 2023 nguồn nước ngoài", { role: "amount", measure: "uoc_thuc_hien", year: 2023, source: "NUOC_NGOAI" }],
    ["", "Thực hiện năm 2022", { role: "amount", measure: "thuc_hien", year: 2022, source: null }],
    ["", "Quyết toán 2022", { role: "amount", measure: "thuc_hien", year: 2022, source: null }],
    ["", "Dự kiến 2024", { role: "amount", measure: "de_xuat", year: 2024, source: null }],
    ["", "Nhu cầu kinh phí năm 2024", { role: "amount", measure: "de_xuat", year: 2024, source: null }],
    ["", "Đề xuất 2024", { role: "amount", measure: "de_xuat", year: 2024, source: null }],
    ["", "Lũy kế đến hết 2022", { role: "amount", measure: "luy_ke", year: 2022, source: null }],
    ["", "Lũy kế đến 31/12/2022", { role: "amount", measure: "luy_ke", year: 2022, source: null }],
    ["Năm 2023", "Dự toán", { role: "amount", measure: "du_toan", year: 2023, source: null }],
    ["Năm 2023", "Thực hiện 6 tháng", { role: "amount", measure: "thuc_hien_6t", year: 2023, source: null }],
    ["Năm 2023", "Ước thực hiện", { role: "amount", measure: "uoc_thuc_hien", year: 2023, source: null }],
    ["Dự toán 2024", "NSTW", { role: "amount", measure: "du_toan", year: 2024, source: "NSTW" }],
    ["Dự toán 2024", "NSĐP", { role: "amount", measure: "du_toan", year: 2024, source: "NSDP" }],
    ["Dự toán 2024", "Tổng số", { role: "amount", measure: "du_toan", year: 2024, source: null }],
    ["NSTW", "Dự toán 2024", { role: "amount", measure: "du_toan", year: 2024, source: "NSTW" }],
    ["", "Kế hoạch 2023", { role: "amount", measure: "ke_hoach", year: 2023, source: null }],
    ["", "Dự toán 2023 (nghìn đồng)", { role: "amount", measure: "du_toan", year: 2023, source: null, unit: "nghin" }],
    ["", "DỰ TOÁN\nNĂM   2023", { role: "amount", measure: "du_toan", year: 2023, source: null }],
    ["", "du toan nam 2023 - nstw", { role: "amount", measure: "du_toan", year: 2023, source: "NSTW" }],
  ])("%j › %j", (g, s, want) => expect(classifyHeader(g, s)).toEqual(want));

  test.each([
    ["Mã nhiệm vụ", "code"],
    ["Mã NV", "code"],
    ["Mã số", "maSo"],
    ["MA SO", "maSo"],
    ["Tên đề tài, dự án", "title"],
    ["TÊN NHIỆM VỤ", "title"],
    ["Cấp quản lý", "level"],
    ["Cơ quan chủ trì", "leadOrg"],
    ["Giới tính chủ nhiệm", "piGender"],
    ["Số QĐ", "decision"],
    ["Thời gian bắt đầu", "start"],
    ["Kết thúc", "end"],
    ["Thời gian thực hiện", "period"],
    ["Tình trạng", "status"],
    ["Ngày nghiệm thu", "acceptedOn"],
    ["Chỉ tiêu", "indLabel"],
    ["Mã chỉ tiêu", "indCode"],
    ["Thuộc chỉ tiêu", "parent"],
    ["Đơn vị tính", "unit"],
    ["Tổng kinh phí phê duyệt", "approved"],
  ])("%s is %s", (h, role) => expect(classifyHeader("", h)?.role).toBe(role));

  test("approved funding under its group; unknown headers", () => {
    expect(classifyHeader("Kinh phí được phê duyệt", "Tổng số")).toEqual({ role: "approved", source: "TONG" });
    expect(classifyHeader("Kinh phí được phê duyệt", "NSNN")).toEqual({ role: "approved", source: "NSNN" });
    expect(classifyHeader("", "Ngoài NSNN")).toEqual({ role: "approved", source: "NGOAI_NSNN" });
    expect(classifyHeader("", "Tổng kinh phí (nghìn đồng)")).toEqual({ role: "approved", source: "TONG", unit: "nghin" });
    expect(classifyHeader("Thời gian thực hiện", "Bắt đầu")).toEqual({ role: "start" });
    expect(classifyHeader("", "Ghi chú")).toBeNull();
    expect(classifyHeader("", "Số điện thoại")).toBeNull();
    expect(amountParts("Ước TH năm 2023")).toEqual({ measure: "uoc_thuc_hien", year: 2023 });
  });

  test("normalising: the spec's example", () => {
    expect(normalise("Ước TH năm 2023")).toBe("uoc th nam 2023");
    expect(normalise("  Dự toán\n năm 2023 (triệu đồng) ")).toBe("du toan nam 2023");
    expect(fold("ĐỀ XUẤT")).toBe("de xuat");
  });
});

describe("never throw (fast-check)", () => {
  const anyText = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme" }),
    fc.stringMatching(/^[\d.,\s()\-–]{0,14}$/),
    fc.stringMatching(/^(tháng |T)?\d{0,3}[/.\-]\d{0,5}( ?[-–] ?\d{0,2}\/\d{0,5})?$/),
  );
  const run = (f: (s: string) => unknown) => fc.assert(fc.property(anyText, (s) => {
    f(s);
  }), { numRuns: 3000 });

  test("header normaliser and classifier", () => {
    run((s) => normalise(s));
    run((s) => classifyHeader(s, s));
    run((s) => classifyHeader("", s));
  });
  test("number parsers", () => {
    run((s) => parseNumberText(s, "vi"));
    run((s) => parseNumberText(s, "plain"));
    run((s) => parseNumberText(s, "none"));
    run((s) => inferNumberStyle([s]));
    fc.assert(fc.property(fc.double(), (n) => {
      decimalFromNumber(n);
    }));
    // whatever parses is a decimal the money module accepts
    fc.assert(fc.property(anyText, (s) => {
      const r = parseNumberText(s, "vi");
      if (r.ok) expect(r.value).toMatch(/^-?\d+(\.\d+)?$/);
    }), { numRuns: 3000 });
  });
  test("month, date and period parsers", () => {
    run((s) => parseMonthText(s));
    run((s) => parseDateText(s));
    run((s) => parsePeriodText(s));
    run((s) => decodeLegacy(s));
    run((s) => decodeLegacy(s, ".VnTime"));
    fc.assert(fc.property(fc.double(), fc.boolean(), (n, b) => {
      serialToDate(n, b);
      monthFromCell({ col: 1, ref: "A1", type: "n", value: n, numFmt: "mm/yyyy" }, b);
    }));
  });
});
