// Whatever a sheet holds, parsing it returns problems and figures: it never throws.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import { readAsObjects } from "./unpack.js";
import type { XCell, XRow } from "../../xlsx/types.js";
import { gridReader, LIMITS, tmpDir } from "./helpers.js";

const WORDS = [
  "STT", "Mã nhiệm vụ", "Mã số", "Mã chỉ tiêu", "Tên nhiệm vụ", "Chỉ tiêu", "Nội dung", "Cấp quản lý", "Lĩnh vực", "Tổ chức chủ trì",
  "Thời gian thực hiện", "Bắt đầu", "Kết thúc", "Tổng kinh phí", "NSTW", "NSĐP", "NSNN", "Ngoài NSNN", "Nước ngoài", "Tổng số",
  "Dự toán 2024", "Năm 2023", "Dự toán", "Ước thực hiện", "Kế hoạch 2023", "Đơn vị tính", "Đơn vị tính: nghìn đồng", "Thuộc chỉ tiêu",
  "Tổng cộng", "Cộng", "I", "II", "1.1", "01", "3", "08", "TỔNG CHI", "- Nhiệm vụ cấp tỉnh", "Tỉnh", "Quốc gia", "KH nông nghiệp",
  "10/2021-3/2024", "13.660", "1.5", "1,234.5", "tháng 13/2020", "Tæng céng", "Toång", "#REF!", "", "-",
];

const cellArb = fc.oneof(
  fc.constantFrom(...WORDS).map((v) => ({ type: "s" as const, value: v })),
  fc.string({ maxLength: 12 }).map((v) => ({ type: "s" as const, value: v })),
  fc.double({ noNaN: false }).map((v) => ({ type: "n" as const, value: v })),
  fc.integer({ min: -5, max: 50000 }).map((v) => ({ type: "n" as const, value: v, numFmt: "mm/yyyy" })),
  fc.constant({ type: "e" as const, value: "#DIV/0!" }),
  fc.constant({ type: "z" as const, value: null, formula: "A1" }),
  fc.boolean().map((v) => ({ type: "b" as const, value: v })),
  fc.constant(null),
);

const sheetArb = fc.record({
  // a header-like first row, so that the kinds' row parsers are reached, then anything
  rows: fc
    .tuple(
      fc.array(fc.constantFrom(...WORDS).map((v) => ({ type: "s" as const, value: v })), { minLength: 2, maxLength: 8 }),
      fc.array(fc.array(cellArb, { maxLength: 8 }), { maxLength: 30 }),
    )
    .map(([h, rest]) => [h, ...rest]),
  hidden: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 3 }),
  merges: fc.array(
    fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 })).map(
      ([c, r, w, h]) => `${String.fromCharCode(64 + c)}${r}:${String.fromCharCode(64 + Math.min(c + w, 26))}${r + h}`,
    ),
    { maxLength: 4 },
  ),
});

function toRows(rows: ({ type: XCell["type"]; value: unknown } | null)[][], hidden: number[]): XRow[] {
  return rows.map((cells, i) => ({
    row: i + 1,
    hidden: hidden.includes(i + 1),
    cells: cells.flatMap((c, j) => (c ? [{ col: j + 1, ref: `${String.fromCharCode(65 + j)}${i + 1}`, ...c } as XCell] : [])),
  }));
}

test("random sheets never make the parse throw, and every problem is placed in the file", async () => {
  const dir = tmpDir();
  const path = join(dir, "fuzz.xlsx");
  writeFileSync(path, "x");
  let recognised = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(sheetArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (sheets, d1904) => {
      const reader = gridReader(sheets.map((s, i) => ({ name: `S${i}`, rows: toRows(s.rows, s.hidden), merges: s.merges })), d1904);
      const f = await readAsObjects(path, "fuzz.xlsx", "chung", { limits: LIMITS, province: "80", open: async () => reader });
      for (const p of f.problems) {
        expect(p.place.file).toBe("fuzz.xlsx");
        expect(p.vi.length).toBeGreaterThan(0);
        expect(p.en.length).toBeGreaterThan(0);
      }
      for (const t of f.taskFunding) expect(t.amount).toMatch(/^\d+(\.\d{1,6})?$/);
      if (f.sheets.some((s) => s.kinds.length > 0)) recognised++;
    }),
    { numRuns: 400 },
  );
  expect(recognised).toBeGreaterThan(20);
});
