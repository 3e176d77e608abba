// The reference scanner and the row moves: the cases a careless regex gets wrong.
import { describe, expect, it } from "vitest";
import type { RowOp } from "../../../fill/engine/types.js";
import { mapRefs, moveRows, quoteSheet, shiftFormula, shiftSqref, translateFormula } from "../../../fill/xlsx/formula.js";
import { parseArea } from "../../../xlsx/refs.js";

const ins = (at: number, count: number): RowOp => ({ op: "insert", at, count, formatFrom: at });
const del = (at: number, count: number): RowOp => ({ op: "delete", at, count });
const on = (sheet: string, ...ops: RowOp[]) => new Map([[sheet.toLowerCase(), ops]]);
const shift = (f: string, cur: string | null, moves: Map<string, RowOp[]>) => shiftFormula(f, cur, moves).text;

describe("moveRows", () => {
  it("inserting inside a range grows it, before it moves it, after it leaves it", () => {
    expect(moveRows(8, 12, ins(10, 2))).toEqual([8, 14]);
    expect(moveRows(8, 12, ins(8, 2))).toEqual([10, 14]);
    expect(moveRows(8, 12, ins(13, 2))).toEqual([8, 12]);
    expect(moveRows(8, 12, ins(12, 1))).toEqual([8, 13]);
  });
  it("deleting clips a range, removes it when all of it goes", () => {
    expect(moveRows(8, 12, del(9, 2))).toEqual([8, 10]);
    expect(moveRows(8, 12, del(6, 3))).toEqual([6, 9]);
    expect(moveRows(8, 12, del(12, 5))).toEqual([8, 11]);
    expect(moveRows(8, 12, del(8, 5))).toBeNull();
    expect(moveRows(8, 12, del(1, 3))).toEqual([5, 9]);
    expect(moveRows(8, 12, del(13, 3))).toEqual([8, 12]);
  });
});

describe("shiftFormula", () => {
  const m = on("PL03", ins(10, 2));
  it("moves bare references on the formula's own sheet only", () => {
    expect(shift("SUM(C8:C12)+C13", "PL03", m)).toBe("SUM(C8:C14)+C15");
    expect(shift("SUM(C8:C12)+C13", "Other", m)).toBe("SUM(C8:C12)+C13");
  });
  it("moves qualified references from any sheet, quoted or not, in any case", () => {
    expect(shift("'PL03'!C9+PL03!$C$10+pl03!C$11:$D12", "Other", m)).toBe("'PL03'!C9+PL03!$C$12+pl03!C$13:$D14");
    expect(shift("'Bieu 02 - du toan'!B10", null, on("Bieu 02 - du toan", ins(10, 1)))).toBe("'Bieu 02 - du toan'!B11");
    expect(shift("'It''s'!A10", null, on("It's", ins(1, 1)))).toBe("'It''s'!A11");
    expect(shift("Dữ_liệu!A10", null, on("Dữ_liệu", ins(1, 1)))).toBe("Dữ_liệu!A11");
  });
  it("moves whole-row references, not whole-column ones", () => {
    expect(shift("SUM(10:12)+SUM(C:C)+SUM($5:$7)", "PL03", m)).toBe("SUM(12:14)+SUM(C:C)+SUM($5:$7)");
  });
  it("leaves string literals, functions, names, numbers, errors and other workbooks alone", () => {
    const f = 'IF(A10>0,"A10 and B12",LOG10(A11))&TAX+E3*1E3+A1B+#REF!+[1]PL03!A10+Sheet2:Sheet3!A10+Table1[[#This Row],[A10]]';
    expect(shift(f, "PL03", m)).toBe('IF(A12>0,"A10 and B12",LOG10(A13))&TAX+E3*1E3+A1B+#REF!+[1]PL03!A10+Sheet2:Sheet3!A10+Table1[[#This Row],[A10]]');
    expect(shift('"say ""A10"""&A10', "PL03", m)).toBe('"say ""A10"""&A12');
  });
  it("turns references to deleted cells into #REF!, keeping the sheet", () => {
    const d = on("PL03", del(9, 2));
    expect(shift("C9+C11+'PL03'!C10+SUM(C8:C12)", "PL03", d)).toBe("#REF!+C9+'PL03'!#REF!+SUM(C8:C10)");
  });
  it("applies ops in order", () => {
    expect(shift("C9+C12", "PL03", on("PL03", del(9, 1), ins(10, 3)))).toBe("#REF!+C14");
  });
  it("reports the sheets a formula reads", () => {
    expect([...shiftFormula("A1+'PL 03'!B2+Data!C3", "Here", new Map()).sheets].sort()).toEqual(["data", "here", "pl 03"]);
  });
});

describe("translateFormula (shared formulas)", () => {
  it("moves relative parts only", () => {
    expect(translateFormula("A1+$B$1+C$1+$D1+SUM(E1:E5)", 2, 1)).toBe("B3+$B$1+D$1+$D3+SUM(F3:F7)");
    expect(translateFormula("PL03!A1*2", 3, 0)).toBe("PL03!A4*2");
  });
  it("gives #REF! off the sheet", () => {
    expect(translateFormula("A2", -2, 0)).toBe("#REF!");
  });
});

describe("areas and sqref", () => {
  it("parses and rejects", () => {
    expect(parseArea("$B$7:C9")).toMatchObject({ kind: "range", r1: 7, c1: 2, r2: 9, c2: 3 });
    expect(parseArea("XFE1")).toBeNull();
    expect(parseArea("A0")).toBeNull();
    expect(parseArea("3:5")).toMatchObject({ kind: "rows" });
  });
  it("moves an sqref list and drops deleted areas", () => {
    expect(shiftSqref("A1 C8:C12 D9", [del(9, 1)])).toBe("A1 C8:C11");
    expect(shiftSqref("D9", [del(9, 1)])).toBeNull();
  });
  it("quotes sheet names that need it", () => {
    expect(quoteSheet("Data")).toBe("Data");
    expect(quoteSheet("PL03")).toBe("'PL03'"); // looks like a cell (column PL, row 3)
    expect(quoteSheet("PL 03")).toBe("'PL 03'");
    expect(quoteSheet("A1")).toBe("'A1'");
    expect(quoteSheet("it's")).toBe("'it''s'");
  });
  it("mapRefs sees every reference once", () => {
    const seen: string[] = [];
    mapRefs("SUM(A1:B2,'x y'!C3,D4)", (_r, t) => {
      seen.push(t);
      return undefined;
    });
    expect(seen).toEqual(["A1:B2", "'x y'!C3", "D4"]);
  });
});
