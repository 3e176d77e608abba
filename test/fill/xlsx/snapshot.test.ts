// The snapshot's two readers of a sheet's rows: a plain <sheetData> is read by hand
// (snapshot.ts readRowsFast), anything else by the event reader. For random sheets — plain ones,
// unusual but valid ones and malformed ones — both give the same grid or the same error: the same
// sheet with a comment first in its <sheetData> (which the hand reader leaves to the event reader)
// stands for the event reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { strToU8, unzipSync, zipSync } from "fflate";
import { snapshotWorkbook } from "../../../fill/xlsx/snapshot.js";
import { buildXlsx } from "./helpers.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const base = unzipSync(
  buildXlsx({
    sheets: [{ name: "S", body: "<sheetData/>" }],
    extraParts: { "xl/sharedStrings.xml": `<?xml version="1.0"?><sst xmlns="${MAIN}"><si><t>zero</t></si><si><t>one</t></si></sst>` },
    workbookRels: [{ id: "rIdSS", type: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings", target: "sharedStrings.xml" }],
  }),
);

const plainAttrs = fc.constantFrom("", ' s="1"', ' t="s"', ' t="inlineStr"', ' s="1" t="s"', ' t="str"', ' t="b"', ' t="d"', ' t="e"');
const oddAttrs = fc.constantFrom(" s='1'", ' s="01"', ' cm="1"', ' s="1" s="2"', " s=1", ' s="a&amp;b"', ' s="&bad;"', ' x:y="1"', '  t = "s" ', ' t="s"s="1"', ' s="<"', ' s="1&#10;"', ' r="Z9"');
const plainInner = fc.constantFrom("<v>1</v>", "<v>0</v>", "<v> 2 </v>", "<v>1E3</v>", "<v>2024-01-02</v>", "<v>&amp;x</v>", "<v>a\r\nb</v>", "<v/>", "", "<is><t>a</t></is>", "<is><t xml:space=\"preserve\"> x </t></is>", "<is/>", "<is><t/></is>", "<f>A1+1</f><v>2</v>", '<f t="shared" ref="A1:A3" si="0">B1*2</f><v>4</v>', '<f t="shared" si="0"/><v>4</v>', "<f/>", " <v>3</v> ", "<v>_x000D_a</v>", "<v>Đồng</v>", "<v>12345678901234567</v>");
const oddInner = fc.constantFrom("<is><r><t>a</t></r><r><t>b</t></r></is>", "<is><t>a</t><rPh><t>x</t></rPh></is>", "<v>1</v><f>A1</f>", "<v><![CDATA[5]]></v>", "<!--c--><v>1</v>", "<x:v>1</x:v>", '<v a="1">7</v>', "<v>1</v >", "<v>1</w>", "text", "<extLst/>", "<v>1<b/></v>", "<v>&bad;</v>", "<v>x]]>y</v>", "<v>\u0001</v>");
const cellArb = fc.record({
  gap: fc.integer({ min: 0, max: 2 }),
  attrs: fc.oneof({ weight: 6, arbitrary: plainAttrs }, { weight: 1, arbitrary: oddAttrs }),
  inner: fc.oneof({ weight: 6, arbitrary: plainInner }, { weight: 1, arbitrary: oddInner }),
  ref: fc.constantFrom("plain", "none", "single", "lower", "dollar"),
});
const rowArb = fc.record({
  gap: fc.integer({ min: 0, max: 2 }),
  noR: fc.boolean(),
  attrs: fc.constantFrom("", ' spans="1:3"', ' ht="30" customHeight="1"', " x14ac:dyDescent='0.25'"),
  cells: fc.array(cellArb, { maxLength: 4 }),
  after: fc.oneof({ weight: 8, arbitrary: fc.constantFrom("", " ", "\r\n") }, { weight: 1, arbitrary: fc.constantFrom("x", "<!--z-->") }),
});
const sheetArb = fc.record({
  rows: fc.array(rowArb, { maxLength: 6 }),
  tail: fc.constantFrom("", '<mergeCells count="1"><mergeCell ref="B2:C4"/></mergeCells>', '<mergeCells><mergeCell ref="A1:A1"/><mergeCell ref="D:D"/></mergeCells>', "<bad"),
  bom: fc.boolean(),
});

function sheetData(s: typeof sheetArb extends fc.Arbitrary<infer T> ? T : never): string {
  let r = 0;
  let body = "";
  for (const row of s.rows) {
    r += row.gap;
    let c = 0;
    let cells = "";
    for (const cell of row.cells) {
      c += cell.gap;
      const col = String.fromCharCode(64 + Math.max(1, c));
      const ref = { plain: ` r="${col}${Math.max(1, r)}"`, none: "", single: ` r='${col}${Math.max(1, r)}'`, lower: ` r="${col.toLowerCase()}${Math.max(1, r)}"`, dollar: ` r="$${col}$${Math.max(1, r)}"` }[cell.ref];
      cells += cell.inner === "" ? `<c${ref}${cell.attrs}/>` : `<c${ref}${cell.attrs}>${cell.inner}</c>`;
    }
    body += `<row${row.noR ? "" : ` r="${Math.max(1, r)}"`}${row.attrs}>${cells}</row>${row.after}`;
  }
  return body;
}

async function snapshotOf(xml: string): Promise<string> {
  const bytes = zipSync({ ...base, "xl/worksheets/sheet1.xml": strToU8(xml) });
  try {
    return JSON.stringify(await snapshotWorkbook(bytes));
  } catch (e) {
    return `error: ${String(e)}`;
  }
}

describe("the snapshot's rows read by hand", () => {
  it("give the grid (or the error) the event reader gives, for random plain, unusual and malformed sheets", async () => {
    let grids = 0;
    await fc.assert(
      fc.asyncProperty(sheetArb, async (s) => {
        const head = `${s.bom ? "\ufeff" : ""}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="${MAIN}"><sheetData>`;
        const tail = `</sheetData>${s.tail}</worksheet>`;
        const rows = sheetData(s);
        const fast = await snapshotOf(head + rows + tail);
        const events = await snapshotOf(head + "<!--the event reader-->" + rows + tail);
        if (!fast.startsWith("error")) grids++;
        expect(fast).toBe(events);
      }),
      { numRuns: 400 },
    );
    expect(grids).toBeGreaterThan(100);
  });

  it("reads a plain sheet's values, formulas, shared formulas and formats", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${MAIN}"><sheetData><row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> Tổng &amp; cộng </t></is></c><c r="C1"><f t="shared" ref="C1:C2" si="0">A1+1</f><v>2</v></c></row><row r="2"><c r="C2"><f t="shared" si="0"/><v>3</v></c><c r="D2" t="b"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A3:B3"/></mergeCells></worksheet>`;
    const [s] = JSON.parse(await snapshotOf(xml));
    expect(s.values).toEqual([
      ["one", " Tổng & cộng ", 2, null],
      [null, null, 3, true],
      [null, null, null, null],
    ]);
    expect(s.formulas[1][2]).toBe("=A2+1");
    expect(s.merges).toEqual([{ top: 3, left: 1, bottom: 3, right: 2 }]);
  });
});
