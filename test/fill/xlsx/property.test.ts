// Property: for a random sheet (written by exceljs) and a random plan (row ops, then blocks), the
// filled workbook holds exactly what a simple model of the plan predicts — written cells equal
// the plan, texts are texts in a Text-formatted style, and no other cell changes. Read back with
// exceljs (an independent reader) and with our own snapshot.
import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlanCell, RowOp } from "../../../fill/engine/types.js";
import { applyPlan } from "../../../fill/xlsx/apply.js";
import { snapshotWorkbook } from "../../../fill/xlsx/snapshot.js";
import { formPlan, workbookPlan } from "./helpers.js";

type Model = { kind: "v"; v: number | string } | { kind: "f"; f: string } | null;

const COLS = 5;
// formulas only read row 1, which no op touches (ops start at row 2): their text never moves
const formulaArb = fc.constantFrom("$A$1*2", "SUM($A$1:$B$1)", "$B$1&\"x\"", "LEN($C$1)");
const textArb = fc.oneof(
  fc.constantFrom("=1+1", "01", "3/2024", "- Nhiệm vụ", "TRUE", "1e5", " lề ", "Đ&<>\"'", "a\nb", "#REF!", "@"),
  fc.string({ maxLength: 8 }).filter((s) => !/[\u0000-\u001f_]/.test(s) && s.trim() === s && s !== ""),
);
const numArb = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)));
const origCell = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: numArb.map((v) => ({ kind: "v" as const, v })) },
  { weight: 2, arbitrary: fc.constantFrom("alpha", "Tổng", "x y", "12").map((v) => ({ kind: "v" as const, v })) },
  { weight: 1, arbitrary: formulaArb.map((f) => ({ kind: "f" as const, f })) },
);
const planCell: fc.Arbitrary<PlanCell> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: numArb.map((n) => ({ n })) },
  { weight: 3, arbitrary: textArb.map((s) => ({ s })) },
  { weight: 1, arbitrary: fc.constant({ blank: true as const }) },
  { weight: 1, arbitrary: formulaArb.map((f) => ({ f: "=" + f })) },
);

const caseArb = fc
  .record({
    rows: fc.array(fc.array(origCell, { minLength: COLS, maxLength: COLS }), { minLength: 2, maxLength: 14 }),
    rawOps: fc.array(fc.record({ insert: fc.boolean(), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }), from: fc.nat() }), { maxLength: 3 }),
    blocks: fc.array(
      fc.record({ row: fc.nat(), col: fc.integer({ min: 1, max: COLS + 1 }), cells: fc.array(fc.array(planCell, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }) }),
      { maxLength: 3 },
    ),
  })
  .map(({ rows, rawOps, blocks }) => {
    // make each op valid for the row count at its time; row 1 is never touched
    let n = rows.length;
    const ops: RowOp[] = [];
    for (const o of rawOps) {
      if (o.insert) {
        const at = 2 + (o.at % n);
        ops.push({ op: "insert", at, count: o.count, formatFrom: 1 + (o.from % n) });
        n += o.count;
      } else if (n > 2) {
        const at = 2 + (o.at % (n - 1));
        const count = Math.min(o.count, n - at + 1);
        ops.push({ op: "delete", at, count });
        n -= count;
      }
    }
    return { rows, ops, blocks: blocks.map((b) => ({ ...b, row: 2 + (b.row % (n + 2)) })) };
  });

function expectedGrid(rows: Model[][], ops: RowOp[], blocks: { row: number; col: number; cells: PlanCell[][] }[]): Model[][] {
  const g = rows.map((r) => [...r]);
  for (const op of ops) {
    if (op.op === "insert") g.splice(op.at - 1, 0, ...Array.from({ length: op.count }, () => new Array<Model>(COLS).fill(null)));
    else g.splice(op.at - 1, op.count);
  }
  for (const b of blocks)
    b.cells.forEach((line, i) =>
      line.forEach((c, j) => {
        if (c === null) return;
        const r = b.row - 1 + i;
        const col = b.col - 1 + j;
        while (g.length <= r) g.push(new Array<Model>(COLS).fill(null));
        while (g[r].length <= col) g[r].push(null);
        g[r][col] = "n" in c ? { kind: "v", v: c.n } : "s" in c ? { kind: "v", v: c.s } : "f" in c ? { kind: "f", f: c.f.slice(1) } : null;
      }),
    );
  return g;
}

async function makeSheet(rows: Model[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("P");
  rows.forEach((r, i) =>
    r.forEach((c, j) => {
      if (!c) return;
      const cell = ws.getCell(i + 1, j + 1);
      cell.value = c.kind === "v" ? c.v : { formula: c.f, result: 0 };
      if (j === 2) cell.numFmt = "#,##0"; // a styled column: text written into it must still be text
    }),
  );
  wb.addWorksheet("Q").getCell("A1").value = { formula: "P!A2+1", result: 1 };
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("applyPlan, property", () => {
  it("writes exactly the plan and nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ rows, ops, blocks }) => {
        const bytes = await makeSheet(rows);
        const out = applyPlan(bytes, workbookPlan(2024, [formPlan({ sheetName: "P", rowOps: ops, blocks })]));
        const want = expectedGrid(rows, ops, blocks);
        const textCells = new Set<string>();
        for (const b of blocks)
          b.cells.forEach((line, i) => line.forEach((c, j) => {
            const key = `${b.row + i},${b.col + j}`;
            if (c && "s" in c) textCells.add(key);
            else if (c) textCells.delete(key);
          }));

        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(Buffer.from(out) as never);
        const ws = wb.getWorksheet("P")!;
        const [snap] = await snapshotWorkbook(out, { sheets: ["P"] });
        const height = Math.max(want.length, ws.rowCount, snap.values.length);
        for (let r = 1; r <= height; r++) {
          for (let c = 1; c <= COLS + 3; c++) {
            const m = want[r - 1]?.[c - 1] ?? null;
            const cell = ws.getCell(r, c);
            const sv = snap.values[r - 1]?.[c - 1] ?? null;
            const sf = snap.formulas[r - 1]?.[c - 1] ?? null;
            const where = `P!${cell.address}`;
            if (m === null) {
              expect(cell.value, where).toBeNull();
              expect([sv, sf], where).toEqual([null, null]);
            } else if (m.kind === "f") {
              expect((cell.value as ExcelJS.CellFormulaValue).formula, where).toBe(m.f);
              expect(sf, where).toBe("=" + m.f);
              expect(sv, where).toBeNull(); // no stale cached result
            } else {
              expect(cell.value, where).toBe(m.v);
              expect(sv, where).toBe(m.v);
              expect(sf, where).toBeNull();
              if (textCells.has(`${r},${c}`)) {
                expect(cell.type, where).toBe(ExcelJS.ValueType.String);
                expect(cell.numFmt, where).toBe("@");
              }
            }
          }
        }
        // the other sheet's formula followed row 2 of P (or became #REF!)
        const q = (wb.getWorksheet("Q")!.getCell("A1").value as ExcelJS.CellFormulaValue).formula;
        let row2: number | null = 2;
        for (const op of ops) {
          if (row2 === null) break;
          if (op.op === "insert") row2 = row2 >= op.at ? row2 + op.count : row2;
          else row2 = row2 < op.at ? row2 : row2 >= op.at + op.count ? row2 - op.count : null;
        }
        expect(q).toBe(row2 === null ? "P!#REF!+1" : `P!A${row2}+1`);
      }),
      { numRuns: 30, seed: 20261128 },
    );
  });
});
