// Fuzzing with fast-check, fixed seeds and bounded runs: the header normaliser (core/text.ts), the
// number, month and date parsers (etl/parse/values.ts), the sheet recogniser on random grids (the
// whole read path behind readInboxFile, over an in-memory reader) and the binding engine
// (fill/engine/) on random grids. None may throw anything but a ProblemError of located problems;
// what they return must be well formed.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { locateForms, planWorkbook } from "../../fill/engine/index.js";
import type { GridSnapshot, GridValue } from "../../fill/engine/types.js";
import { ProblemError, type Problem } from "../../core/problem.js";
import { fold, nfc, normalise } from "../../core/text.js";
import {
  decimalFromNumber,
  inferNumberStyle,
  monthFromCell,
  numberFromCell,
  parseDateText,
  parseMonthText,
  parseNumberText,
  parsePeriodText,
  type NumberStyle,
} from "../../etl/parse/values.js";
import { readAsObjects } from "../etl/unpack.js";
import type { XCell, XlsxReader, XRow } from "../../xlsx/types.js";
import { loadForms } from "../../queries/forms.js";
import { A1, CONFIG, recordFigures, wellFormed } from "./helpers.js";

const SEED = 20261128;
const figures = { properties: 0, runs: 0, thrown: 0, problemsChecked: 0 };

/** Run fn; a throw is allowed only as a ProblemError whose problems are located and well formed. */
function located<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (e) {
    figures.thrown++;
    expect(e, String(e)).toBeInstanceOf(ProblemError);
    for (const p of (e as ProblemError).problems) checkProblem(p);
    return null;
  }
}

function checkProblem(p: Problem, file?: string): void {
  figures.problemsChecked++;
  expect(wellFormed(p), JSON.stringify(p)).toBeNull();
  const place = p.place;
  expect(Object.keys(place).length, `${p.code} has no place`).toBeGreaterThan(0);
  if (file) expect(place.file, `${p.code} ${JSON.stringify(place)}`).toBe(file);
  if (place.cell !== undefined) expect(place.cell, `${p.code} ${JSON.stringify(place)}`).toMatch(A1);
}

function prop<Ts extends [unknown, ...unknown[]]>(arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, fn: (...a: Ts) => void, numRuns = 300): void {
  figures.properties++;
  fc.assert(
    fc.property(...(arbs as unknown as [fc.Arbitrary<unknown>]), (...a: unknown[]) => {
      figures.runs++;
      fn(...(a as Ts));
    }),
    { seed: SEED + figures.properties, numRuns },
  );
}

async function asyncProp<Ts extends [unknown, ...unknown[]]>(arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> }, fn: (...a: Ts) => Promise<void>, numRuns = 100): Promise<void> {
  figures.properties++;
  await fc.assert(
    fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<unknown>]), async (...a: unknown[]) => {
      figures.runs++;
      await fn(...(a as Ts));
    }),
    { seed: SEED + figures.properties, numRuns },
  );
}

// Texts the offices really type, mixed with anything.
const WORDS = [
  "Mã số", "Ma so", "Nội dung", "Dự toán", "Du toan", "Thực hiện", "Ước TH", "Kế hoạch", "Đề xuất", "Nhu cầu kinh phí năm",
  "NSTW", "NSĐP", "NSDP", "Ngoài NSNN", "Nước ngoài", "Tổng số", "Tổng cộng", "Cộng", "Mã nhiệm vụ", "Tên nhiệm vụ",
  "Tổ chức chủ trì", "Chủ nhiệm", "Cấp quản lý", "Lĩnh vực", "Thời gian", "Bắt đầu", "Kết thúc", "Số QĐ", "Chỉ tiêu",
  "Đơn vị tính", "Đơn vị tính: nghìn đồng", "(triệu đồng)", "Ghi chú", "STT", "I.", "II", "1.1", "- Nhiệm vụ cấp tỉnh",
  "Phụ lục 02", "PHỤ LỤC", "năm 2024", "2023", "2024", "2022", "Tæng céng", "Lòy kÕ", "T.01", "QG.2021.02", "TDC.01",
  "=SUM(A1)", "#REF!", "tháng 10/2021", "10/2021-3/2024", "13.660", "1.234,5", "1.5", "1,234.5", " ", "\u00a0", "\t", "",
];
const anyText = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.stringMatching(/^[-+]?[\d.,\s()–]{0,16}$/),
  fc.stringMatching(/^(tháng |T)?\d{0,3}[/.\-]\d{0,5}( ?[-–] ?\d{0,2}\/\d{0,5})?$/),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS), fc.constantFrom(" ", "\n", " - ", "")).map(([a, b, s]) => a + s + b),
);
const anyNumber = fc.oneof(
  fc.double(),
  fc.integer({ min: -1e9, max: 1e12 }),
  fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, 45292, 32874, 1.5),
);
const style = fc.constantFrom<NumberStyle>("vi", "plain", "none");

function xcell(col: number, row: number, kind: number, text: string, n: number, fmt: string): XCell {
  const ref = `${colName(col)}${row}`;
  switch (kind % 6) {
    case 0:
      return { col, ref, type: "s", value: text };
    case 1:
      return { col, ref, type: "n", value: n, numFmt: fmt };
    case 2:
      return { col, ref, type: "e", value: fc.sample(fc.constantFrom("#REF!", "#DIV/0!", "#N/A", "#VALUE!"), { numRuns: 1, seed: col * 31 + row })[0] };
    case 3:
      return { col, ref, type: "z", value: null, formula: "SUM(A1:A2)" };
    case 4:
      return { col, ref, type: "b", value: n > 0 };
    default:
      return { col, ref, type: "n", value: n, formula: "A1*2", numFmt: fmt };
  }
}

function colName(n: number): string {
  let s = "";
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

const FORMATS = ["General", "#,##0", "0.0", "mm/yyyy", "dd/mm/yyyy", "m/d/yy", "@", "0%", "yyyy-mm-dd hh:mm"];

/** A random grid: rows × cols of (kind, text, number, format), some rows hidden, some merges. */
const grid = fc.record({
  sheet: fc.constantFrom("Sheet1", "Danh muc", "Du toan", "Chi tieu", "PL02", "Cấp phát"),
  rows: fc.array(
    fc.record({
      hidden: fc.boolean(),
      gap: fc.nat({ max: 2 }),
      cells: fc.array(fc.tuple(fc.nat({ max: 11 }), anyText, anyNumber, fc.constantFrom(...FORMATS), fc.boolean()), { maxLength: 10 }),
    }),
    { maxLength: 16 },
  ),
  merges: fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 16 }), fc.nat({ max: 3 }), fc.nat({ max: 2 })), { maxLength: 3 }),
  date1904: fc.boolean(),
});
type Grid = typeof grid extends fc.Arbitrary<infer G> ? G : never;

function toRows(g: Grid): XRow[] {
  const rows: XRow[] = [];
  let r = 0;
  for (const row of g.rows) {
    r += 1 + row.gap;
    const cells: XCell[] = [];
    row.cells.forEach(([kind, text, n, fmt, skip], i) => {
      if (!skip) cells.push(xcell(i + 1, r, kind, text, n, fmt));
    });
    rows.push({ row: r, hidden: row.hidden, cells });
  }
  return rows;
}

function memoryReader(g: Grid): XlsxReader {
  const rows = toRows(g);
  const merges = g.merges.map(([c, r, w, h]) => `${colName(c)}${r}:${colName(c + w)}${r + h}`);
  return {
    info: async () => ({ date1904: g.date1904, sheets: [{ name: g.sheet, index: 0, state: "visible", merges }] }),
    rows: () =>
      (async function* () {
        for (const row of rows) yield row;
      })(),
    close: async () => undefined,
  };
}

function toSnapshot(g: Grid, index: number): GridSnapshot {
  const rows = toRows(g);
  const height = rows.length ? rows[rows.length - 1].row : 0;
  const width = Math.max(0, ...rows.map((r) => (r.cells.length ? r.cells[r.cells.length - 1].col : 0)));
  const values: GridValue[][] = Array.from({ length: height }, () => Array<GridValue>(width).fill(null));
  const formulas: (string | null)[][] = Array.from({ length: height }, () => Array<string | null>(width).fill(null));
  const numberFormats: string[][] = Array.from({ length: height }, () => Array<string>(width).fill("General"));
  for (const r of rows) {
    for (const c of r.cells) {
      const v = c.value;
      values[r.row - 1][c.col - 1] = typeof v === "number" && !Number.isFinite(v) ? null : (v as GridValue);
      if (c.formula) formulas[r.row - 1][c.col - 1] = "=" + c.formula;
      numberFormats[r.row - 1][c.col - 1] = c.numFmt ?? "General";
    }
  }
  const merges = g.merges.map(([c, r, w, h]) => ({ top: r, left: c, bottom: r + h, right: c + w }));
  return { sheetName: `${g.sheet}${index}`, index, values, formulas, numberFormats, merges, rowCount: height, columnCount: width };
}

afterAll(() => recordFigures("fuzz", figures));

describe("header normaliser (core/text.ts)", () => {
  it("nfc, fold and normalise never throw, give strings, and fold is idempotent", () => {
    prop([anyText], (s) => {
      const a = located(() => nfc(s));
      const b = located(() => fold(s));
      const c = located(() => normalise(s));
      expect(typeof a).toBe("string");
      expect(typeof b).toBe("string");
      expect(typeof c).toBe("string");
      expect(fold(b!)).toBe(b);
      expect(b).not.toMatch(/^\s|\s$|\s\s/);
    }, 1000);
  });
});

describe("number and month parsers (etl/parse/values.ts)", () => {
  it("parseNumberText: a Result, never a throw; ok values are exact decimals", () => {
    prop([anyText, style], (s, st) => {
      const r = located(() => parseNumberText(s, st));
      if (r === null) return;
      if (r.ok) expect(r.value).toMatch(/^-?\d+(\.\d+)?$/);
      else expect(["VALUE_NOT_NUMBER", "VALUE_AMBIGUOUS_NUMBER"]).toContain(r.code);
    }, 1000);
  });

  it("decimalFromNumber and inferNumberStyle never throw", () => {
    prop([anyNumber, fc.array(anyText, { maxLength: 8 })], (n, texts) => {
      const d = located(() => decimalFromNumber(n));
      if (d && d.ok) expect(d.value).toMatch(/^-?\d+(\.\d+)?$/);
      expect(["vi", "plain", "none"]).toContain(located(() => inferNumberStyle(texts)));
    }, 500);
  });

  it("parseMonthText, parseDateText, parsePeriodText: Results with well-formed values", () => {
    prop([anyText], (s) => {
      const m = located(() => parseMonthText(s));
      if (m?.ok) expect(m.value).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
      const d = located(() => parseDateText(s));
      if (d?.ok) expect(d.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const p = located(() => parsePeriodText(s));
      if (p?.ok) {
        expect(p.value.start).toMatch(/^\d{4}-\d{2}$/);
        expect(p.value.end).toMatch(/^\d{4}-\d{2}$/);
      }
    }, 1000);
  });

  it("numberFromCell and monthFromCell on any cell", () => {
    prop([fc.nat({ max: 11 }), anyText, anyNumber, fc.constantFrom(...FORMATS), style, fc.boolean()], (kind, text, n, fmt, st, d1904) => {
      const cell = xcell(3, 7, kind, text, n, fmt);
      const a = located(() => numberFromCell(cell, st));
      if (a?.ok && a.value !== null) expect(a.value).toMatch(/^-?\d+(\.\d+)?$/);
      const b = located(() => monthFromCell(cell, d1904));
      if (b?.ok && b.value !== null) expect(b.value).toMatch(/^\d{4}-\d{2}$/);
    }, 1000);
  });
});

describe("sheet recogniser on random grids (readInboxFile over an in-memory reader)", () => {
  it("never throws; every problem is located in the file, cells as A1 references", async () => {
    const file = "P.KHTC/fuzz.xlsx";
    await asyncProp([grid], async (g) => {
      let parsed;
      try {
        parsed = await readAsObjects(__filename, file, "P.KHTC", { limits: CONFIG.limits, province: "80", open: async () => memoryReader(g) });
      } catch (e) {
        figures.thrown++;
        expect(e, String(e)).toBeInstanceOf(ProblemError);
        for (const p of (e as ProblemError).problems) checkProblem(p, file);
        return;
      }
      for (const p of parsed.problems) checkProblem(p, file);
      for (const f of [...parsed.taskFunding, ...parsed.budgetLines]) expect(f.amount).toMatch(/^-?\d+(\.\d{1,6})?$/);
      for (const f of parsed.indicatorFacts) expect(f.value).toMatch(/^-?\d+(\.\d+)?$/);
    }, 150);
  }, 120_000);
});

describe("binding engine on random grids (fill/engine)", () => {
  const forms = loadForms();
  it("locateForms and planWorkbook never throw; their problems are located", () => {
    prop([fc.array(grid, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2000, max: 2100 })], (gs, year) => {
      const sheets = gs.map((g, i) => toSnapshot(g, i));
      const located0 = located(() => locateForms(sheets, forms, year));
      if (located0) for (const l of located0) for (const p of l.problems) checkProblem(p);
      const datas = forms.map((f) => ({ form: f.code, year, generation: 1, rows: [] }));
      const plan = located(() => planWorkbook(sheets, forms, datas, year));
      if (!plan) return;
      for (const p of plan.problems) checkProblem(p);
      for (const fp of plan.forms) {
        for (const p of fp.problems) checkProblem(p);
        expect(sheets.map((s) => s.sheetName)).toContain(fp.sheetName);
        for (const b of fp.blocks) {
          expect(b.row).toBeGreaterThanOrEqual(1);
          expect(b.col).toBeGreaterThanOrEqual(1);
        }
      }
    }, 150);
  });
});
