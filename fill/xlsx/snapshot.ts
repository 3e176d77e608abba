// GridSnapshots of a workbook file, read from the package's XML (no exceljs: it is faster, and it
// sees exactly what applyPlan will edit). The used range starts at A1 and covers every cell that
// has a value or a formula, and every merged area (styled empty cells do not widen it). Cached
// values as stored (a formula cell without one reads null); shared formulas as each cell's own.
import type { Area, GridSnapshot, GridValue } from "../engine/types.js";
import type { XmlEvents } from "../../xlsx/fastxml.js";
import { translateFormula } from "./formula.js";
import { parseArea, parseRef } from "../../xlsx/refs.js";
import { Package } from "../../xlsx/package.js";
import { numberFormatsOf } from "../../xlsx/styles.js";
import { localName, readXmlEvents } from "../../xlsx/xml.js";
import { readPartText, REL_SHARED_STRINGS, REL_STYLES, sharedStringsReader } from "../../xlsx/opc.js";
import { decodeXstring } from "../../xlsx/escape.js";
import { isoToSerial } from "../../core/serial.js";

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
  const sstPart = rels.find((r) => REL_SHARED_STRINGS.test(r.type))?.part;
  const stylesPart = rels.find((r) => REL_STYLES.test(r.type))?.part;
  // the same readers as the ETL's (the limits are the reader's defaults)
  const sst = sstPart && pkg.has(sstPart) ? readPartText(pkg.readText(sstPart), sharedStringsReader) : [];
  const formats = numberFormatsOf(stylesPart && pkg.has(stylesPart) ? pkg.readText(stylesPart) : null);
  const { date1904 } = pkg.workbook();
  const wanted = opts.sheets ? new Set(opts.sheets.map((s) => s.toLowerCase())) : null;
  const out: GridSnapshot[] = [];
  let index = 0;
  for (const s of pkg.sheets()) {
    if (s.kind !== "worksheet") continue;
    const i = index++;
    if (wanted && !wanted.has(s.name.toLowerCase())) continue;
    if (!s.part || !pkg.has(s.part)) continue;
    out.push(snapshotSheet(pkg.readText(s.part), s.name, i, sst, formats, opts.firstRows, date1904));
  }
  return out;
}

interface RawCell {
  row: number;
  col: number;
  value: GridValue;
  formula: string | null;
  format: string;
}

// One pass over the sheet, no tree: a data sheet of 100 000 rows is read in one go. The fast
// reader first; saxes when it cannot vouch for the text (see fastxml.ts), from a clean state.
function snapshotSheet(xml: string, name: string, index: number, sst: string[], formats: string[], firstRows: number | undefined, date1904: boolean): GridSnapshot {
  return readXmlEvents(xml, (read) => readSheet(read, name, index, sst, formats, firstRows, date1904));
}

function readSheet(read: (ev: XmlEvents) => void, name: string, index: number, sst: string[], formats: string[], firstRows: number | undefined, date1904: boolean): GridSnapshot {
  const cells: RawCell[] = [];
  const merges: Area[] = [];
  const shared = new Map<string, { row: number; col: number; text: string }>();
  const sharedChildren: { cell: RawCell; si: string }[] = [];
  const stack: string[] = [];
  let row = 0;
  let col = 0;
  let cur: { t: string; s: string | undefined; v: string | null; f: string | null; fAttrs: Map<string, string> | null; inline: string | null } | null = null;
  let text = "";
  let inIs = false;
  let inRph = 0;
  let maxRow = 0;
  let maxCol = 0;
  const opentag = (tagName: string, a: Map<string, string>): void => {
    const ln = localName(tagName);
    const parent = stack.length ? localName(stack[stack.length - 1]) : "";
    stack.push(tagName);
    if (ln === "row" && parent === "sheetData") {
      const r = a.get("r");
      row = r ? Number(r) : row + 1;
      col = 0;
    } else if (ln === "c" && parent === "row") {
      const r = a.get("r");
      const ref = r ? parseRef(r) : null;
      col = ref ? ref.col : col + 1;
      if (ref) row = ref.row;
      cur = { t: a.get("t") ?? "n", s: a.get("s"), v: null, f: null, fAttrs: null, inline: null };
    } else if (cur && ln === "f" && parent === "c") {
      cur.fAttrs = a;
      text = "";
    } else if (cur && ln === "v" && parent === "c") {
      text = "";
    } else if (cur && ln === "is" && parent === "c") {
      inIs = true;
      cur.inline = "";
    } else if (inIs && ln === "rPh") {
      inRph++;
    } else if (inIs && ln === "t") {
      text = "";
    } else if (ln === "mergeCell") {
      const area = parseArea(a.get("ref") ?? "");
      if (area && area.kind !== "rows" && area.kind !== "cols") merges.push({ top: area.r1, left: area.c1, bottom: area.r2, right: area.c2 });
    }
  };
  const closetag = (tagName: string): void => {
    stack.pop();
    const ln = localName(tagName);
    if (!cur) return;
    if (ln === "f" && cur.fAttrs) cur.f = text;
    else if (ln === "v" && !inIs) cur.v = text;
    else if (inIs && ln === "rPh") inRph--;
    else if (inIs && ln === "t" && inRph === 0) cur.inline = (cur.inline ?? "") + text;
    else if (ln === "is") inIs = false;
    else if (ln === "c") {
      const c = cur;
      cur = null;
      let value: GridValue = null;
      if (c.t === "inlineStr") value = decodeXstring(c.inline ?? "");
      else if (c.v !== null) {
        if (c.t === "s") value = sst[Number(c.v)] ?? "";
        else if (c.t === "b") value = c.v === "1" || c.v === "true";
        // an ISO date, time or duration is the serial Excel would have stored (text if none)
        else if (c.t === "d") value = isoToSerial(c.v, date1904) ?? c.v;
        else if (c.t === "str" || c.t === "e") value = decodeXstring(c.v);
        else {
          const n = Number(c.v);
          value = c.v.trim() !== "" && Number.isFinite(n) ? n : null;
        }
      }
      let formula: string | null = null;
      const ft = c.fAttrs?.get("t");
      const fsi = c.fAttrs?.get("si");
      if (c.fAttrs) {
        if (c.f) formula = "=" + c.f;
        if (ft === "shared" && fsi !== undefined && c.f) shared.set(fsi, { row, col, text: c.f });
      }
      const rc: RawCell = { row, col, value, formula, format: formats[Number(c.s ?? 0)] ?? "General" };
      if (c.fAttrs && !c.f && ft === "shared" && fsi !== undefined) sharedChildren.push({ cell: rc, si: fsi });
      if (value === null && formula === null && !(c.fAttrs && ft === "shared")) {
        if (c.s === undefined) return; // an empty cell with no style says nothing
      } else {
        maxRow = Math.max(maxRow, row);
        maxCol = Math.max(maxCol, col);
      }
      cells.push(rc);
    }
  };
  read({
    opentag,
    closetag,
    text: (t) => {
      text += t;
    },
    cdata: (t) => {
      text += t;
    },
  });
  for (const { cell, si } of sharedChildren) {
    const m = shared.get(si);
    if (m) cell.formula = "=" + translateFormula(m.text, cell.row - m.row, cell.col - m.col);
  }
  for (const m of merges) {
    maxRow = Math.max(maxRow, m.bottom);
    maxCol = Math.max(maxCol, m.right);
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
