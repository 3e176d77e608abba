// GridSnapshots of a workbook file, read from the package's XML (no exceljs: it is faster, and it
// sees exactly what applyPlan will edit). The used range starts at A1 and covers every cell that
// has a value or a formula, and every merged area (styled empty cells do not widen it).
import type { Area, GridSnapshot, GridValue } from "../engine/types.js";
import { readRows, richText } from "./cells.js";
import { parseArea, translateFormula } from "./formula.js";
import { Package } from "./package.js";
import { numberFormatsOf } from "./styles.js";
import { childElements, decodeXstring, firstChild, textOf, type XmlDocument } from "./xml.js";

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

export interface SnapshotOptions {
  /** only this many rows of values/formulas/formats (rowCount still says the full size) */
  firstRows?: number;
  /** only these sheets (by name, case-insensitive) */
  sheets?: string[];
}

export async function snapshotWorkbook(bytes: Uint8Array, opts: SnapshotOptions = {}): Promise<GridSnapshot[]> {
  return snapshotPackage(Package.open(bytes), opts);
}

export function snapshotPackage(pkg: Package, opts: SnapshotOptions = {}): GridSnapshot[] {
  const wb = pkg.workbookPart();
  const rels = pkg.rels(wb);
  const sstPart = rels.find((r) => r.type === `${REL}/sharedStrings`)?.part;
  const stylesPart = rels.find((r) => r.type === `${REL}/styles`)?.part;
  const sst = sstPart && pkg.has(sstPart) ? sharedStrings(pkg.readXml(sstPart)) : [];
  const formats = numberFormatsOf(stylesPart && pkg.has(stylesPart) ? pkg.readXml(stylesPart) : null);
  const wanted = opts.sheets ? new Set(opts.sheets.map((s) => s.toLowerCase())) : null;
  const out: GridSnapshot[] = [];
  let index = 0;
  for (const s of pkg.sheets()) {
    if (s.kind !== "worksheet") continue;
    const i = index++;
    if (wanted && !wanted.has(s.name.toLowerCase())) continue;
    if (!s.part || !pkg.has(s.part)) continue;
    out.push(snapshotSheet(pkg.readXml(s.part), s.name, i, sst, formats, opts.firstRows));
  }
  return out;
}

function sharedStrings(doc: XmlDocument): string[] {
  return childElements(doc.root, "si").map((si) => decodeXstring(richText(si)));
}

interface RawCell {
  row: number;
  col: number;
  value: GridValue;
  formula: string | null;
  format: string;
}

function snapshotSheet(doc: XmlDocument, name: string, index: number, sst: string[], formats: string[], firstRows?: number): GridSnapshot {
  const root = doc.root;
  const sheetData = firstChild(root, "sheetData");
  const rows = sheetData ? readRows(sheetData) : [];
  const cells: RawCell[] = [];
  const shared = new Map<string, { row: number; col: number; text: string }>();
  // shared-formula masters first, so that every cell of the group gets its own text
  for (const r of rows)
    for (const c of r.cells) {
      const f = firstChild(c.el, "f");
      if (f?.attrs.get("t") === "shared" && textOf(f)) shared.set(f.attrs.get("si") ?? "", { row: r.row, col: c.col, text: textOf(f) });
    }
  let maxRow = 0;
  let maxCol = 0;
  for (const r of rows) {
    for (const c of r.cells) {
      const el = c.el;
      const t = el.attrs.get("t") ?? "n";
      const v = firstChild(el, "v");
      const vt = v ? textOf(v) : null;
      let value: GridValue = null;
      if (t === "inlineStr") {
        const is = firstChild(el, "is");
        value = is ? decodeXstring(richText(is)) : "";
      } else if (vt !== null) {
        if (t === "s") value = sst[Number(vt)] ?? "";
        else if (t === "b") value = vt === "1" || vt === "true";
        else if (t === "str" || t === "e" || t === "d") value = decodeXstring(vt);
        else {
          const n = Number(vt);
          value = Number.isFinite(n) ? n : vt;
        }
      }
      let formula: string | null = null;
      const f = firstChild(el, "f");
      if (f) {
        const text = textOf(f);
        if (text) formula = "=" + text;
        else if (f.attrs.get("t") === "shared") {
          const m = shared.get(f.attrs.get("si") ?? "");
          if (m) formula = "=" + translateFormula(m.text, r.row - m.row, c.col - m.col);
        }
      }
      const format = formats[Number(el.attrs.get("s") ?? 0)] ?? "General";
      if (value === null && formula === null) {
        cells.push({ row: r.row, col: c.col, value, formula, format });
        continue;
      }
      maxRow = Math.max(maxRow, r.row);
      maxCol = Math.max(maxCol, c.col);
      cells.push({ row: r.row, col: c.col, value, formula, format });
    }
  }
  const merges: Area[] = [];
  const mc = firstChild(root, "mergeCells");
  if (mc)
    for (const m of childElements(mc, "mergeCell")) {
      const a = parseArea(m.attrs.get("ref") ?? "");
      if (!a || a.kind === "rows" || a.kind === "cols") continue;
      merges.push({ top: a.r1, left: a.c1, bottom: a.r2, right: a.c2 });
      maxRow = Math.max(maxRow, a.r2);
      maxCol = Math.max(maxCol, a.c2);
    }
  const height = firstRows !== undefined ? Math.min(maxRow, firstRows) : maxRow;
  const values: GridValue[][] = [];
  const formulas: (string | null)[][] = [];
  const numberFormats: string[][] = [];
  for (let i = 0; i < height; i++) {
    values.push(new Array<GridValue>(maxCol).fill(null));
    formulas.push(new Array<string | null>(maxCol).fill(null));
    numberFormats.push(new Array<string>(maxCol).fill("General"));
  }
  for (const c of cells) {
    if (c.row > height || c.col > maxCol) continue;
    values[c.row - 1][c.col - 1] = c.value;
    formulas[c.row - 1][c.col - 1] = c.formula;
    numberFormats[c.row - 1][c.col - 1] = c.format;
  }
  return { sheetName: name, index, values, formulas, numberFormats, merges, rowCount: maxRow, columnCount: maxCol };
}
