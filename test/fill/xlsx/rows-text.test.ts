// The text path of a form sheet (rows-text.ts) against the tree path it stands in for: for random
// plain sheets and plans, and for a refill of the bundled sample, both give the same XML (as
// trees: attribute order, quotes and empty-element forms aside) and every other part the same bytes.
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { unzipSync } from "fflate";
import type { PlanCell, RowOp } from "../../../fill/engine/types.js";
import { planWorkbook } from "../../../fill/engine/index.js";
import { applyPlanDetailed } from "../../../fill/xlsx/apply.js";
import { fillWorkbook } from "../../../fill/fill.js";
import { Package } from "../../../xlsx/package.js";
import { readTextRows } from "../../../fill/xlsx/rows-text.js";
import { snapshotPackage } from "../../../fill/xlsx/snapshot.js";
import { parseXml, type XmlElement, type XmlNode } from "../../../xlsx/xml.js";
import { computeAll } from "../../../queries/compute.js";
import { loadForms } from "../../../queries/forms.js";
import { openCurrent } from "../../../warehouse/generations.js";
import { buildXlsx, formPlan, loadSampleWarehouse, SAMPLE_NOW, SAMPLE_TEMPLATE, workbookPlan } from "./helpers.js";


/** An element as a string that ignores attribute order, quoting and <x/> against <x></x>. */
function canon(n: XmlNode): string {
  if (n.kind === "text" || n.kind === "cdata") return JSON.stringify(n.text);
  if (n.kind !== "element") return "";
  const el = n as XmlElement;
  const attrs = [...el.attrs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join("");
  return `<${el.name}${attrs}>${el.children.map(canon).join("")}</${el.name}>`;
}
const xmlOf = (bytes: Uint8Array, part: string): string => new TextDecoder().decode(unzipSync(bytes)[part]);

/** Both paths on the same plan: the parts that differ (as trees for XML), and the text run's sheets. */
function bothWays(bytes: Uint8Array, plan: Parameters<typeof applyPlanDetailed>[1]): { differ: string[]; asText: string[] } {
  const lineage = { generation: 7, filledAt: "2024-06-30T03:00:00.000Z" };
  const text = applyPlanDetailed(bytes, plan, lineage, { rowsAsText: true });
  const tree = applyPlanDetailed(bytes, plan, lineage, { rowsAsText: false });
  expect(text.problems).toEqual(tree.problems);
  const a = unzipSync(text.bytes);
  const b = unzipSync(tree.bytes);
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  const differ: string[] = [];
  for (const part of Object.keys(a)) {
    if (/^customXml\/itemProps/.test(part)) continue; // a fresh GUID each time
    if (Buffer.compare(a[part], b[part]) === 0) continue;
    const dec = (x: Uint8Array) => canon(parseXml(new TextDecoder().decode(x)).root);
    if (!part.endsWith(".xml") || dec(a[part]) !== dec(b[part])) differ.push(part);
  }
  return { differ, asText: text.sheetsAsText };
}

// ---------------------------------------------------------------- random plain sheets

const q = (v: string, single: boolean) => (single ? `'${v}'` : `"${v}"`);
const cellArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.constantFrom("<v>12</v>", "<v>-0.5</v>", "<v>1E-3</v>", "<v/>") },
  { weight: 2, arbitrary: fc.constantFrom('t="inlineStr"|<is><t>Tổng &amp; cộng</t></is>', 't="inlineStr"|<is><r><t>a</t></r><r><rPr><b/></rPr><t xml:space="preserve"> b </t></r></is>', 't="b"|<v>1</v>', 't="e"|<v>#N/A</v>', 't="str"|<f>Q!A2*2</f><v>4</v>', "|<f>SUM(A1:B1)</f><v>3</v>", 'cm="1"|<v>5</v>') },
  { weight: 1, arbitrary: fc.constantFrom('t="str"|<f>A$1&amp;"x"</f><v>x</v>', "|<f>Q!B3+P!A1</f>") },
);
const planCellArb: fc.Arbitrary<PlanCell> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e9, max: 1e9, noNaN: true })).map((n) => ({ n })) },
  { weight: 3, arbitrary: fc.constantFrom("- Nhiệm vụ", "01", "=1+1", " lề ", "a\nb", "Đ&<>\"'", "", "x".repeat(120)).map((s) => ({ s })) },
  { weight: 1, arbitrary: fc.constant({ blank: true as const }) },
  { weight: 1, arbitrary: fc.constantFrom("=Q!A2", "=SUM(B2:C3)").map((f) => ({ f })) },
);

const sheetArb = fc.record({
  rows: fc.array(
    fc.record({
      gap: fc.integer({ min: 1, max: 2 }),
      ht: fc.option(fc.constantFrom("15", "30.75"), { nil: undefined }),
      rowStyle: fc.boolean(),
      hidden: fc.boolean(),
      single: fc.boolean(),
      cells: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 2 }), s: fc.constantFrom(0, 1, 2), body: cellArb }), { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 10 },
  ),
  shared: fc.boolean(),
  blocks: fc.array(fc.record({ row: fc.integer({ min: 1, max: 22 }), col: fc.integer({ min: 1, max: 8 }), cells: fc.array(fc.array(planCellArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }) }), { maxLength: 3 }),
  headers: fc.array(fc.record({ row: fc.integer({ min: 1, max: 4 }), col: fc.integer({ min: 1, max: 4 }), s: fc.constantFrom("Năm 2024", "2025") }), { maxLength: 2 }),
  pOps: fc.array(fc.record({ insert: fc.boolean(), at: fc.integer({ min: 1, max: 24 }), count: fc.integer({ min: 1, max: 3 }), from: fc.integer({ min: 1, max: 24 }) }), { maxLength: 3 }),
  qOps: fc.array(fc.record({ insert: fc.boolean(), at: fc.integer({ min: 2, max: 4 }), count: fc.integer({ min: 1, max: 2 }) }), { maxLength: 2 }),
});

function sheetXml(s: SheetCase): string {
  let r = 0;
  let body = '<dimension ref="A1"/><sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="2" width="30" style="2" customWidth="1"/><col min="3" max="3" width="9"/></cols><sheetData>';
  for (const row of s.rows) {
    r += row.gap;
    let c = 0;
    const attrs = [`r=${q(String(r), row.single)}`, `spans="1:9"`, ...(row.ht ? [`ht="${row.ht}"`, 'customHeight="1"'] : []), ...(row.rowStyle ? ['s="1"', 'customFormat="1"'] : []), ...(row.hidden ? ['hidden="1"', 'outlineLevel="1"', 'collapsed="1"'] : []), 'x14ac:dyDescent="0.25"'];
    let cells = "";
    for (const cell of row.cells) {
      c += cell.gap;
      const [extra, inner] = cell.body.includes("|") ? cell.body.split("|") : ["", cell.body];
      const ref = String.fromCharCode(64 + c) + r;
      const a = `r=${q(ref, row.single)}${cell.s ? ` s="${cell.s}"` : ""}${extra ? " " + extra : ""}`;
      cells += inner ? `<c ${a}>${inner}</c>` : `<c ${a}/>`;
    }
    if (s.shared && r === 1) cells = '<c r="A1"><f t="shared" ref="A1:A3" si="0">Q!A2+1</f><v>2</v></c>';
    if (s.shared && (r === 2 || r === 3)) cells = `<c r="A${r}"><f t="shared" si="0"/><v>2</v></c>` + cells.replace(/<c r=["']A\d+["'][^>]*?(\/>|>.*?<\/c>)/, "");
    body += cells ? `<row ${attrs.join(" ")}>${cells}</row>` : `<row ${attrs.join(" ")}/>`;
  }
  return body + '</sheetData><mergeCells count="1"><mergeCell ref="D1:E1"/></mergeCells><conditionalFormatting sqref="A1:A9"><cfRule type="expression" dxfId="0" priority="1"><formula>Q!$A$2&gt;0</formula></cfRule></conditionalFormatting><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
}

type SheetCase = typeof sheetArb extends fc.Arbitrary<infer T> ? T : never;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1"/></xf></cellXfs></styleSheet>`;

describe("rows as text against the tree", () => {
  it("gives the same workbook for random plain sheets and plans (row moves, formulas, shared formulas, rich and inline text, styles, heights, new rows and cells)", () => {
    let textRuns = 0;
    fc.assert(
      fc.property(sheetArb, (s) => {
        const bytes = buildXlsx({
          sheets: [
            { name: "P", body: sheetXml(s) },
            { name: "Q", body: '<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c></row></sheetData>' },
          ],
          definedNames: '<definedName name="Tong">P!$A$1:$B$4</definedName>',
          styles: STYLES,
        });
        const ops: RowOp[] = s.qOps.map((o) => (o.insert ? { op: "insert", at: o.at, count: o.count, formatFrom: 1 } : { op: "delete", at: o.at, count: 1 }));
        const pOps: RowOp[] = s.pOps.map((o) => (o.insert ? { op: "insert", at: o.at, count: o.count, formatFrom: o.from } : { op: "delete", at: o.at, count: o.count }));
        const plan = workbookPlan(2024, [
          formPlan({ sheetName: "P", rowOps: pOps, blocks: s.blocks, headerRewrites: s.headers.map((h) => ({ row: h.row, col: h.col, old: "", new: h.s })) as never }),
          formPlan({ sheetName: "Q", rowOps: ops, blocks: [{ row: 1, col: 2, cells: [[{ n: 1 }]] }] }),
        ]);
        const { differ, asText } = bothWays(bytes, plan);
        expect(differ).toEqual([]);
        if (asText.includes("P") && asText.includes("Q")) textRuns++;
      }),
      { numRuns: 150, seed: 20261128 },
    );
    // every generated sheet is plain: the text path ran for both forms each time, so the comparison compared something
    expect(textRuns).toBe(150);
  });

  it("leaves what it does not read plainly to the tree", () => {
    const row = (inner: string) => `<row r="1"><c r="A1">${inner}</c></row>`;
    expect(readTextRows(row("<v>1</v>"))).not.toBeNull();
    for (const odd of [
      "<!-- a comment --><v>1</v>",
      "<v>1</v><extLst/>",
      "<x:v>1</x:v>",
      "<v><![CDATA[1]]></v>",
    ])
      expect(readTextRows(row(odd)), odd).toBeNull();
    expect(readTextRows('<row><c r="A1"/></row>')).toBeNull(); // a row without its r
    expect(readTextRows('<row r="1"><c s="1"/></row>')).toBeNull(); // a cell without its r
    expect(readTextRows('<row r="2"/><row r="1"/>')).toBeNull(); // rows out of order
    expect(readTextRows('<row r="1"><c r="B1"/><c r="A1"/></row>')).toBeNull(); // cells out of order
    expect(readTextRows('<row r="1"><c r="A2"/></row>')).toBeNull(); // a cell of another row
  });

  it("gives the same first fill (rows inserted) and refill of the bundled sample, every form's rows as text", async () => {
    const w = await openCurrent(await loadSampleWarehouse());
    try {
      const first = await fillWorkbook({ db: w, year: 2024, template: readFileSync(SAMPLE_TEMPLATE), now: SAMPLE_NOW });
      const { forms: datas } = await computeAll(w, 2024, 0);
      // the first fill: the list forms get their rows inserted
      const template = new Uint8Array(readFileSync(SAMPLE_TEMPLATE));
      const firstPlan = planWorkbook(snapshotPackage(Package.open(template)), loadForms(), datas, 2024, {});
      expect(firstPlan.forms.some((f) => f.rowOps.length > 0)).toBe(true);
      const once = bothWays(template, firstPlan);
      expect(once.differ).toEqual([]);
      expect(once.asText.sort()).toEqual(firstPlan.forms.map((f) => f.sheetName).sort());
      // the refill
      const plan = planWorkbook(snapshotPackage(Package.open(first.bytes)), loadForms(), datas, 2024, {});
      expect(plan.forms.every((f) => f.rowOps.length === 0)).toBe(true);
      const { differ, asText } = bothWays(first.bytes, plan);
      expect(differ).toEqual([]);
      expect(asText.sort()).toEqual(plan.forms.map((f) => f.sheetName).sort());
      // and the sheet written as text holds the data: PL03's task titles, as inline strings
      const out = applyPlanDetailed(first.bytes, plan).bytes;
      const pl03 = plan.forms.find((f) => f.form === "pl03")!;
      const part = Package.open(out).sheets().find((x) => x.name === pl03.sheetName)!.part!;
      const titles = datas.find((d) => d.form === "pl03")!.rows.filter((r) => r.kind === "data").map((r) => String(r.values.title));
      expect(titles.length).toBeGreaterThan(2);
      const xml = xmlOf(out, part);
      for (const t of titles) expect(xml).toContain(`<t>${t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</t>`);
    } finally {
      w.close();
    }
  }, 120_000);
});
