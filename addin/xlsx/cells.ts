// The <sheetData> of a worksheet as rows and cells with their numbers resolved (the r attributes
// are optional in OOXML: a row or cell without one follows the previous one).
import { cellName, parseCell } from "./formula.js";
import { childElements, firstChild, localName, textOf, type XmlElement } from "./xml.js";

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
      const col = ref ? (parseCell(ref)?.col ?? prevCol + 1) : prevCol + 1;
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
    const others = r.el.children.filter((c) => !(c.kind === "element" && localName(c.name) === "c"));
    const extra = others.filter((c) => c.kind === "element");
    r.el.children = [...r.cells.map((c) => c.el), ...extra];
    r.el.selfClosing = r.el.children.length === 0;
    for (const c of r.cells) c.el.attrs.set("r", cellName(r.row, c.col));
    // put r first among the attributes, where Excel writes it
    moveAttrFirst(r.el, "r");
    for (const c of r.cells) moveAttrFirst(c.el, "r");
  }
  sheetData.children = rows.map((r) => r.el);
  sheetData.selfClosing = rows.length === 0;
}

function moveAttrFirst(el: XmlElement, name: string): void {
  const first = el.attrs.keys().next().value;
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
