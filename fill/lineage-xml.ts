// The lineage the fill stores in the workbook: which warehouse facts (a lineage id the API
// resolves) make each filled cell, with the plan year, the warehouse generation (load run) and the
// fill time. One custom XML part (customXml/itemN.xml) in the namespace below, so that it survives
// saving in Excel and the task pane can read it back (Office.js customXmlParts.getByNamespace).
// Pure functions, no node: imports: the pane uses them as they are.
//
//   <lineage xmlns="urn:phuluc:lineage:v1" version="1" year="2024" generation="7"
//            filledAt="2026-11-28T10:00:00.000Z">
//     <sheet name="PL03" form="PL03">
//       <cell ref="F9" id="pl03:task:DT-01:c1"/>
//     </sheet>
//   </lineage>
import { SaxesParser } from "saxes";
import { escapeAttr } from "../xlsx/escape.js";

export const LINEAGE_NS = "urn:phuluc:lineage:v1";

export interface LineageCell {
  /** A1 reference in the sheet ("F9") */
  ref: string;
  lineageId: string;
}

export interface LineageSheet {
  sheetName: string;
  form: string;
  cells: LineageCell[];
}

export interface WorkbookLineage {
  year: number;
  generation: number;
  /** ISO 8601 time of the fill */
  filledAt: string;
  sheets: LineageSheet[];
}

// Attribute values through the toolkit's one escaping (xlsx/escape.ts, which the pane may bundle).
// A control character XML cannot carry (a task code may hold one, decoded from _x0001_) is
// dropped first: the part must stay well-formed whatever a spreadsheet held.
// Most values (cell refs, lineage ids) need neither: one test before any replace, which matters
// for a list form's tens of thousands of cells.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const NEEDS_WORK = /[&<>"\u0000-\u001f]/;
const esc = (s: string): string => (NEEDS_WORK.test(s) ? escapeAttr(s.replace(CONTROL, "")) : s);

export function buildLineageXml(l: WorkbookLineage): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
    `<lineage xmlns="${LINEAGE_NS}" version="1" year="${l.year}" generation="${l.generation}" filledAt="${esc(l.filledAt)}">\n`,
  ];
  for (const s of l.sheets) {
    out.push(`  <sheet name="${esc(s.sheetName)}" form="${esc(s.form)}">\n`);
    for (const c of s.cells) out.push('    <cell ref="' + esc(c.ref) + '" id="' + esc(c.lineageId) + '"/>\n');
    out.push("  </sheet>\n");
  }
  out.push("</lineage>\n");
  return out.join("");
}

/**
 * True when an XML text is a phuluc lineage part: its root element is `lineage` in our namespace.
 * Only the text up to the root's start tag is read (a fill asks this of every custom XML part, and
 * a lineage part of a 5 000-row form is megabytes long).
 */
export function isLineageXml(xml: string): boolean {
  const p = new SaxesParser({ xmlns: true });
  let ours = false;
  const stop = new Error("root seen");
  p.on("opentag", (t) => {
    ours = t.local === "lineage" && t.uri === LINEAGE_NS;
    throw stop;
  });
  try {
    p.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  } catch (e) {
    if (e !== stop) return false;
  }
  return ours;
}

/** Parse a lineage part; throws on a document that is not one. */
export function parseLineageXml(xml: string): WorkbookLineage {
  const p = new SaxesParser({ xmlns: true });
  let result: WorkbookLineage | null = null;
  let sheet: LineageSheet | null = null;
  let depth = 0;
  p.on("opentag", (t) => {
    depth++;
    const a = (name: string): string => {
      const v = t.attributes[name];
      return typeof v === "string" ? v : (v?.value ?? "");
    };
    if (depth === 1) {
      if (t.local !== "lineage" || t.uri !== LINEAGE_NS) throw new Error(`not a phuluc lineage part (root ${t.name})`);
      result = { year: Number(a("year")), generation: Number(a("generation")), filledAt: a("filledAt"), sheets: [] };
    } else if (t.uri === LINEAGE_NS && t.local === "sheet" && depth === 2) {
      sheet = { sheetName: a("name"), form: a("form"), cells: [] };
      result!.sheets.push(sheet);
    } else if (t.uri === LINEAGE_NS && t.local === "cell" && depth === 3 && sheet) {
      sheet.cells.push({ ref: a("ref"), lineageId: a("id") });
    }
  });
  p.on("closetag", () => {
    if (depth === 2) sheet = null;
    depth--;
  });
  p.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  if (!result) throw new Error("empty lineage part");
  return result;
}
