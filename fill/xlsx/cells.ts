// The <sheetData> of a worksheet as rows and cells with their numbers resolved (the r attributes
// are optional in OOXML: a row or cell without one follows the previous one).
import { cellRef, parseRef } from "../../xlsx/refs.js";
import { childElements, firstChild, localName, textOf, type XmlElement, type XmlNode } from "../../xlsx/xml.js";

export interface CellRec {
  col: number;
  el: XmlElement;
}
export interface RowRec {
  row: number;
  el: XmlElement;
  cells: CellRec[];
}

export function readRows(sheetData: XmlElement): RowRec[] {
  const rows: RowRec[] = [];
  let prevRow = 0;
  for (const rowEl of childElements(sheetData, "row")) {
    const r = Number(rowEl.attrs.get("r") ?? prevRow + 1);
    prevRow = r;
    const cells: CellRec[] = [];
    let prevCol = 0;
    for (const c of childElements(rowEl, "c")) {
      const ref = c.attrs.get("r");
      const col = ref ? (parseRef(ref)?.col ?? prevCol + 1) : prevCol + 1;
      prevCol = col;
      cells.push({ col, el: c });
    }
    rows.push({ row: r, el: rowEl, cells });
  }
  return rows;
}

/** Put rows back into <sheetData> in order, with their r and their cells' r attributes set. */
export function writeRows(sheetData: XmlElement, rows: RowRec[]): void {
  rows.sort((a, b) => a.row - b.row);
  for (const r of rows) {
    r.el.attrs.set("r", String(r.row));
    r.cells.sort((a, b) => a.col - b.col);
    // keep the row's non-cell children (extLst) after its cells
    const kids: XmlNode[] = new Array(r.cells.length);
    for (let i = 0; i < r.cells.length; i++) kids[i] = r.cells[i].el;
    for (const c of r.el.children) if (c.kind === "element" && localName(c.name) !== "c") kids.push(c);
    r.el.children = kids;
    r.el.selfClosing = kids.length === 0;
    // put r first among the attributes, where Excel writes it
    moveAttrFirst(r.el, "r");
    for (const c of r.cells) {
      const name = cellRef(r.row, c.col);
      // a cell whose r is already right and first (nearly all of them) is left as it is
      if (c.el.attrs.get("r") === name && firstKey(c.el.attrs) === "r") continue;
      c.el.attrs.set("r", name);
      moveAttrFirst(c.el, "r");
    }
  }
  sheetData.children = rows.map((r) => r.el);
  sheetData.selfClosing = rows.length === 0;
}

function firstKey(m: Map<string, string>): string | undefined {
  for (const k of m.keys()) return k;
  return undefined;
}

function moveAttrFirst(el: XmlElement, name: string): void {
  const first = firstKey(el.attrs);
  if (first === name) return;
  const v = el.attrs.get(name)!;
  const rest = [...el.attrs].filter(([k]) => k !== name);
  el.attrs = new Map([[name, v], ...rest]);
}

/** The formula text of a cell's <f>, or null. */
export function formulaOf(c: XmlElement): XmlElement | undefined {
  return firstChild(c, "f");
}

/** The text of an inline string (<is>) or a shared-string item (<si>): runs joined, phonetics left out. */
export function richText(el: XmlElement): string {
  let s = "";
  for (const ch of el.children) {
    if (ch.kind !== "element") continue;
    const ln = localName(ch.name);
    if (ln === "t") s += textOf(ch);
    else if (ln === "r") {
      const t = firstChild(ch, "t");
      if (t) s += textOf(t);
    }
  }
  return s;
}
