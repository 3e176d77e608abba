// The tree-less patch of sheets that are not forms: golden output, and the fallback for XML it
// does not expect.
import { describe, expect, it } from "vitest";
import type { RowOp } from "../../../fill/engine/types.js";
import { applyPlanDetailed } from "../../../fill/xlsx/apply.js";
import { Package } from "../../../xlsx/package.js";
import { mayMention, patchSheetFormulas } from "../../../fill/xlsx/stream.js";
import { buildXlsx, formPlan, workbookPlan } from "./helpers.js";

const moves = new Map<string, RowOp[]>([["pl 03", [{ op: "insert", at: 5, count: 2, formatFrom: 4 }]]]);
const ctx = { name: "Sum", moves, filled: new Set(["pl 03"]), usesStaleName: (f: string) => /\btotal\b/i.test(f) };

describe("patchSheetFormulas", () => {
  it("edits only formula texts, stale results and links; every other byte stays", () => {
    const src =
      '\uFEFF<worksheet xmlns="m"><sheetData>' +
      `<row r="1"><c r="A1" s="3" t="str"><f>'PL 03'!B6&amp;"x"</f><v>a</v></c><c r="B1"><f>A1*2</f><v>4</v></c><c r="C1"><f>SUM(total)</f><v>9</v></c></row>` +
      `<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">'PL 03'!B2</f><v>1</v></c><c r="B2"><f t="shared" ref="B2:B3" si="1">B1+1</f><v>5</v></c></row>` +
      `<row r="3"><c r="A3"><f t="shared" si="0"/><v>2</v></c><c r="B3"><f t="shared" si="1"/><v>6</v></c><c r="C3"/></row>` +
      `</sheetData><dataValidations count="1"><dataValidation sqref="D1"><formula1>'PL 03'!$A$1:$A$9</formula1></dataValidation></dataValidations>` +
      `<hyperlinks><hyperlink ref="E1" location="'PL 03'!A7" display="go"/></hyperlinks></worksheet>`;
    expect(patchSheetFormulas(src, ctx)).toBe(
      '<worksheet xmlns="m"><sheetData>' +
        `<row r="1"><c r="A1" s="3"><f>'PL 03'!B8&amp;"x"</f></c><c r="B1"><f>A1*2</f><v>4</v></c><c r="C1"><f>SUM(total)</f></c></row>` +
        `<row r="2"><c r="A2"><f>'PL 03'!B2</f></c><c r="B2"><f t="shared" ref="B2:B3" si="1">B1+1</f><v>5</v></c></row>` +
        `<row r="3"><c r="A3"><f>'PL 03'!B3</f></c><c r="B3"><f t="shared" si="1"/><v>6</v></c><c r="C3"/></row>` +
        `</sheetData><dataValidations count="1"><dataValidation sqref="D1"><formula1>'PL 03'!$A$1:$A$11</formula1></dataValidation></dataValidations>` +
        `<hyperlinks><hyperlink ref="E1" location="'PL 03'!A9" display="go"/></hyperlinks></worksheet>`,
    );
  });

  it("writes a carriage return in a moved formula as a reference, as the tree does (a literal one reads back as a line feed)", () => {
    const src = `<worksheet><sheetData><row r="1"><c r="A1" t="str"><f>"a&#13;b"&amp;'PL 03'!B6</f><v>x</v></c></row></sheetData></worksheet>`;
    expect(patchSheetFormulas(src, ctx)).toBe(`<worksheet><sheetData><row r="1"><c r="A1"><f>"a&#13;b"&amp;'PL 03'!B8</f></c></row></sheetData></worksheet>`);
  });

  it("says when nothing changes, and refuses XML it does not expect", () => {
    expect(patchSheetFormulas('<worksheet><sheetData><row r="1"><c r="A1"><f>B1</f><v>1</v></c></row></sheetData></worksheet>', ctx)).toBeNull();
    expect(() => patchSheetFormulas(`<worksheet><sheetData><row r="1"><c r="A1"><f>'PL 03'!A1</f ></c></row></sheetData></worksheet>`, ctx)).toThrow(/unusual/);
  });

  it("finds names as XML writes them", () => {
    expect(mayMention("<f>'r&amp;d'!a1</f>", ["r&d"])).toBe(true);
    expect(mayMention("<f>'it''s'!a1</f>", ["it's"])).toBe(true);
    expect(mayMention('<hyperlink location="&apos;it&apos;&apos;s&apos;!a1"/>', ["it's"])).toBe(true);
    expect(mayMention("<f>data!a1</f>", ["pl03"])).toBe(false);
  });
});

describe("applyPlan falls back to the tree for unusual XML", () => {
  it("still moves the references", () => {
    const bytes = buildXlsx({
      sheets: [
        { name: "PL 03", body: `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>` },
        { name: "Sum", body: `<sheetData><row r="1"><c r="A1"><f>'PL 03'!A1+'PL 03'!A2</f ><v>1</v></c></row></sheetData>` },
      ],
    });
    const res = applyPlanDetailed(bytes, workbookPlan(2024, [formPlan({ sheetName: "PL 03", rowOps: [{ op: "insert", at: 2, count: 1, formatFrom: 1 }] })]));
    expect(Package.open(res.bytes).readText("xl/worksheets/sheet2.xml")).toContain("<f>'PL 03'!A1+'PL 03'!A3</f></c>");
  });
});
