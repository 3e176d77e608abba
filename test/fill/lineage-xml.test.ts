// The lineage part the fill stores in a workbook: whatever a sheet name or a task code holds
// (markup characters, quotes, line breaks, a control character decoded from _x0001_), the part is
// well-formed XML and reads back to the same sheets and ids (less the control character).
import { describe, expect, it } from "vitest";
import { SaxesParser } from "saxes";
import { buildLineageXml, isLineageXml, parseLineageXml, type WorkbookLineage } from "../../fill/lineage-xml.js";

const wellFormed = (xml: string): boolean => {
  try {
    new SaxesParser({ xmlns: true }).write(xml).close();
    return true;
  } catch {
    return false;
  }
};

describe("the lineage part (fill/lineage-xml.ts)", () => {
  it("round-trips names and ids with markup, quotes, tabs and line breaks; drops control characters", () => {
    const l: WorkbookLineage = {
      year: 2026,
      generation: 12,
      filledAt: "2026-12-03T00:00:00.000Z",
      sheets: [
        { sheetName: `PL03 "A&B" <mới>`, form: "PL03", cells: [{ ref: "F9", lineageId: "pl03:task:T&01<x>\"q\"\ttab\nline\r:c1" }] },
        { sheetName: "PL01", form: "PL01", cells: [{ ref: "C6", lineageId: "pl03:task:T\u0001.02:c2" }] },
      ],
    };
    const xml = buildLineageXml(l);
    expect(wellFormed(xml)).toBe(true);
    expect(isLineageXml(xml)).toBe(true);
    const back = parseLineageXml(xml);
    expect(back.sheets[0]).toEqual(l.sheets[0]);
    expect(back.sheets[1].cells[0].lineageId).toBe("pl03:task:T.02:c2");
    expect({ year: back.year, generation: back.generation, filledAt: back.filledAt }).toEqual({ year: 2026, generation: 12, filledAt: l.filledAt });
  });
});
