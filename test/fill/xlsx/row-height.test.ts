// Row heights for wrapped texts the fill writes (fill/xlsx/row-height.ts): the pure estimate on
// numbers, its reading of a sheet's columns, merges and styles, through applyPlan on a small
// package, and the bundled sample filled for 2024 — whose PL04 titles wrap over several lines.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { openCurrent } from "../../../warehouse/generations.js";
import { fillWorkbook } from "../../../fill/fill.js";
import { applyPlan } from "../../../fill/xlsx/apply.js";
import { readRows, type RowRec } from "../../../fill/xlsx/cells.js";
import { Package } from "../../../xlsx/package.js";
import { columnPx, fittedRowHeight, wrappedLines, type TextCell } from "../../../fill/xlsx/row-height.js";
import { firstChild, parseXml } from "../../../xlsx/xml.js";
import { buildXlsx, formPlan, loadSampleWarehouse, SAMPLE_NOW, SAMPLE_TEMPLATE, workbookPlan } from "./helpers.js";

const TITLE =
  "Tuyển chọn, phát triển hai giống cây dược liệu Tràm gió (Melaleuca leucadendron), Tràm Trà (Melaleuca sp.) có chất lượng tinh dầu cao và hoàn thiện quy trình công nghệ chiết xuất tinh dầu, đa dạng sản phẩm sau chế biến";
const cell = (text: string, width: number, extra: Partial<TextCell> = {}): TextCell => ({ text, widthPx: columnPx(width), fontPt: 11, ...extra });

describe("wrappedLines (pure)", () => {
  it("one line for a text that fits, more as the column narrows", () => {
    expect(wrappedLines(cell("Nhiệm vụ T1", 42))).toBe(1);
    const wide = wrappedLines(cell(TITLE, 42));
    const narrow = wrappedLines(cell(TITLE, 20));
    // ~215 characters of 11 pt Times in 42 characters' width: five lines in LibreOffice's layout
    expect(wide).toBe(5);
    expect(narrow).toBeGreaterThan(wide);
  });

  it("grows with the font size, bold and the indent", () => {
    const base = wrappedLines(cell(TITLE, 42));
    expect(wrappedLines(cell(TITLE, 42, { fontPt: 14 }))).toBeGreaterThan(base);
    expect(wrappedLines(cell(TITLE, 42, { bold: true }))).toBeGreaterThanOrEqual(base);
    expect(wrappedLines(cell(TITLE, 42, { indent: 4 }))).toBeGreaterThan(base);
  });

  it("counts line breaks and breaks a word longer than the cell", () => {
    expect(wrappedLines(cell("a\nb\r\nc", 42))).toBe(3);
    expect(wrappedLines(cell("x".repeat(60), 10))).toBeGreaterThanOrEqual(4);
    expect(wrappedLines(cell("", 10))).toBe(1);
  });
});

describe("fittedRowHeight (pure)", () => {
  it("lines × line height, in whole pixels, for the tallest cell of the row", () => {
    const h = fittedRowHeight([cell("Ngắn", 42), cell(TITLE, 42)], 15)!;
    expect(h).toBeGreaterThanOrEqual(5 * 11 * 1.15);
    expect(h).toBeLessThan(7 * 11 * 1.25);
    expect((h / 0.75) % 1).toBe(0);
    expect(fittedRowHeight([cell(TITLE, 20)], 15)!).toBeGreaterThan(h);
  });

  it("leaves a row alone when one line is enough or the row is already tall enough", () => {
    expect(fittedRowHeight([cell("Nhiệm vụ T1", 42)], 15)).toBeNull();
    expect(fittedRowHeight([], 15)).toBeNull();
    // staff made the row taller than needed: never shrunk
    expect(fittedRowHeight([cell(TITLE, 42)], 120)).toBeNull();
    expect(fittedRowHeight([cell("Một dòng khá dài cần hai dòng trong cột hẹp", 12)], 15)).toBeGreaterThan(15);
  });

  it("never above Excel's 409 pt", () => {
    expect(fittedRowHeight([cell(TITLE.repeat(20), 10)], 15)).toBe(409);
  });
});

// ---------------------------------------------------------------- through applyPlan

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
// 0: default; 1: wraps (11 pt); 2: does not wrap; 3: wraps, 14 pt bold
const STYLES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="14"/><name val="Times New Roman"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1"/></xf></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function sheetRows(bytes: Uint8Array, name = "S"): Map<number, RowRec> {
  const pkg = Package.open(bytes);
  const part = pkg.sheets().find((s) => s.name === name)!.part!;
  const doc = parseXml(pkg.readText(part));
  return new Map(readRows(firstChild(doc.root, "sheetData")!).map((r) => [r.row, r]));
}
const ht = (r: RowRec | undefined) => (r?.el.attrs.has("ht") ? Number(r.el.attrs.get("ht")) : null);

describe("applyPlan sets the heights of rows it wrote wrapped texts into", () => {
  const body =
    `<sheetFormatPr defaultRowHeight="15"/><cols><col min="2" max="2" width="20" customWidth="1"/><col min="4" max="4" width="20" hidden="1" customWidth="1"/></cols>` +
    `<sheetData><row r="1"><c r="A1" s="1"/><c r="B1" s="1"/></row>` +
    `<row r="2"><c r="B2" s="1"/><c r="C2" s="1"/></row>` +
    `<row r="3" ht="200" customHeight="1"><c r="B3" s="1"/></row>` +
    `<row r="4"><c r="B4" s="2"/><c r="D4" s="1"/></row>` +
    `<row r="5"><c r="B5" s="1"/></row>` +
    `<row r="6"><c r="B6" s="1"/></row><row r="7"><c r="B7" s="1"/></row>` +
    `<row r="8"><c r="B8" s="3"/></row>` +
    `<row r="9"><c r="B9" s="1"/></row>` +
    `<row r="10"><c r="B10" s="1"/></row></sheetData>` +
    `<mergeCells count="2"><mergeCell ref="B5:F5"/><mergeCell ref="B6:B7"/></mergeCells>`;
  const template = buildXlsx({ styles: STYLES, sheets: [{ name: "S", body }] });
  const plan = workbookPlan(2024, [
    formPlan({
      sheetName: "S",
      rowOps: [{ op: "insert", at: 9, count: 1, formatFrom: 10 }],
      blocks: [
        {
          row: 1,
          col: 2,
          cells: [
            [{ s: "ngắn" }], // 1: one line
            [{ s: TITLE }], // 2: column B is 20 wide, no <cols> entry for C
            [{ s: TITLE }], // 3: staff made it 200 pt tall
            [{ s: TITLE }], // 4: style 2 does not wrap (D4 is hidden and not written)
            [{ s: TITLE }], // 5: B5:F5 merged — the columns' widths but the hidden D's
            [{ s: TITLE }], // 6: B6:B7 merged down — the merge shares the height
            [null],
            [{ s: TITLE }], // 8: 14 pt bold
            [{ s: TITLE }], // 9: the inserted row
            [{ n: 1 }], // 10 (the old 9): a number
          ],
        },
        { row: 2, col: 3, cells: [[{ s: TITLE }]] }, // C2: default width, narrower than B
        { row: 4, col: 4, cells: [[{ s: TITLE }]] }, // D4: a hidden column shows nothing
      ],
      headerRewrites: [{ row: 11, col: 2, old: "2023", new: TITLE }],
    }),
  ]);
  const rows = sheetRows(applyPlan(template, plan));

  it("grows rows whose wrapped text needs more lines, with customHeight", () => {
    expect(ht(rows.get(1))).toBeNull();
    const r2 = ht(rows.get(2))!;
    // the default-width C2 needs more lines than B2 (20 wide): its height wins
    expect(r2).toBe(fittedRowHeight([cell(TITLE, 20), { text: TITLE, widthPx: 8 * 7 + 5, fontPt: 11 }], 15));
    expect(rows.get(2)!.el.attrs.get("customHeight")).toBe("1");
    expect(ht(rows.get(9))).toBe(fittedRowHeight([cell(TITLE, 20)], 15)); // inserted row
    expect(ht(rows.get(8))!).toBeGreaterThan(fittedRowHeight([cell(TITLE, 20)], 15)!);
    const merged = ht(rows.get(5))!;
    expect(merged).toBe(fittedRowHeight([{ text: TITLE, widthPx: columnPx(20) + 3 * (8 * 7 + 5), fontPt: 11 }], 15));
    expect(merged).toBeLessThan(fittedRowHeight([cell(TITLE, 20)], 15)!);
  });

  it("leaves rows it should not touch", () => {
    expect(ht(rows.get(3))).toBe(200); // never shrunk
    expect(ht(rows.get(4))).toBeNull(); // no wrap in B4, D4 hidden
    expect(ht(rows.get(6))).toBeNull(); // merged over two rows
    expect(ht(rows.get(10))).toBeNull(); // a number
    expect(ht(rows.get(11))).toBeNull(); // a header rewrite keeps the template's row
  });
});

// ---------------------------------------------------------------- the sample, filled

describe("the bundled sample filled for 2024", () => {
  let rows: Map<number, RowRec>;
  beforeAll(async () => {
    const w = await openCurrent(await loadSampleWarehouse());
    try {
      const filled = await fillWorkbook({ db: w, year: 2024, template: readFileSync(SAMPLE_TEMPLATE), now: SAMPLE_NOW });
      rows = sheetRows(filled.bytes, "PL04");
    } finally {
      w.close();
    }
  }, 120_000);

  it("PL04's task rows are as tall as their wrapped titles; header and total rows keep theirs", () => {
    const label = (r: RowRec, col: number): string => {
      const c = r.cells.find((x) => x.col === col);
      const t = c && firstChild(c.el, "is");
      return t ? (firstChild(t, "t")?.children.map((x) => (x.kind === "text" ? x.text : "")).join("") ?? "") : "";
    };
    const body = [...rows.values()].filter((r) => r.row > 5 && /^\d+$/.test(label(r, 1)));
    expect(body.length).toBeGreaterThanOrEqual(3);
    for (const r of body) {
      const title = label(r, 2);
      // column B is 42 wide in the template; 11 pt Times New Roman
      const need = fittedRowHeight([cell(title, 42)], 15);
      if (need === null) continue;
      expect(ht(r), `row ${r.row}: ${title}`).toBeGreaterThanOrEqual(need);
      expect(r.el.attrs.get("customHeight")).toBe("1");
    }
    expect(body.filter((r) => (ht(r) ?? 15) >= 40).length).toBeGreaterThanOrEqual(2);
    expect(ht(rows.get(2))).toBe(36);
    expect(ht(rows.get(4))).toBe(48);
    const total = [...rows.values()].find((r) => r.cells.some((c) => c.el.attrs.get("t") === "s") && r.row > body[body.length - 1].row);
    expect(total && ht(total)).toBeNull();
  });
});
