// Apply a WorkbookPlan to an .xlsx/.xlsm package without losing anything: only the parts that
// the plan really touches are parsed and rewritten (the form sheets; and, when rows move, the
// parts that refer to the moved cells); every other part keeps its bytes.
//
// Order of work, per plan:
//   1. row ops of every form, applied to the form sheets' rows AND to every reference to those
//      sheets anywhere in the package (formulas of all sheets, shared formulas, merges, names,
//      conditional formats, data validations, hyperlinks, charts, tables, pivot caches,
//      drawings' anchors, comments) — a reference is moved through the ops in order;
//   2. blocks and header rewrites (coordinates are after the row ops);
//   3. cached results of formulas that read a filled sheet are removed, calcChain.xml is
//      deleted and workbook.xml gets <calcPr fullCalcOnLoad="1"/>: Excel and LibreOffice
//      recompute on open, no stale figure is left;
//   4. the lineage part is written (or replaced).
import type { Block, CellLineage, FormPlan, PlanCell, RowOp, WorkbookPlan } from "../engine/types.js";
import { prob } from "../../core/codes.js";
import type { Problem } from "../../core/problem.js";
import { readRows, writeRows, type CellRec, type RowRec } from "./cells.js";
import {
  moveRow,
  moveRowsAll,
  shiftAnchoredFormula,
  shiftFormula,
  shiftRef,
  shiftSqref,
  translateFormula,
  type Moves,
} from "./formula.js";
import { cellRef, parseArea, parseRef } from "../../xlsx/refs.js";
import { writeLineagePart } from "./lineage.js";
import type { LineageSheet } from "../lineage-xml.js";
import { Package, type SheetEntry } from "../../xlsx/package.js";
import { cellLooks, fitWrittenRows } from "./row-height.js";
import { cellValue, newCellStyle, readTextRows, sheetDataSpan, type ColumnStyle } from "./rows-text.js";
import { mayMention, patchSheetFormulas } from "./stream.js";
import { cloneElement, TextStyles } from "../../xlsx/styles.js";
import {
  childElements,
  descendants,
  elem,
  firstChild,
  insertOrdered,
  localName,
  parseXml,
  serializeElement,
  setText,
  textOf,
  type RawXml,
  type XmlDocument,
  type XmlElement,
} from "../../xlsx/xml.js";

export interface LineageMeta {
  /** warehouse generation (load run) the figures come from */
  generation: number;
  /** ISO time of the fill */
  filledAt: string;
  /** lineage of sheets the fill wrote besides the forms (the chart sheet's table) */
  extraSheets?: LineageSheet[];
}

export interface ApplyResult {
  bytes: Uint8Array;
  /** parts rewritten, added or removed */
  changedParts: string[];
  removedParts: string[];
  /** form sheets whose rows were filled as text (rows-text.ts) rather than through the tree */
  sheetsAsText: string[];
  problems: Problem[];
}

/** Apply a plan; returns the new workbook's bytes. */
export function applyPlan(bytes: Uint8Array, plan: WorkbookPlan, lineage?: LineageMeta): Uint8Array {
  return applyPlanDetailed(bytes, plan, lineage).bytes;
}

const WORKBOOK_ORDER = [
  "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets", "functionGroups",
  "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
  "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst",
];
const CELL_CHILD_ORDER = ["f", "v", "is", "extLst"];


export interface ApplyOptions {
  /**
   * Fill a form sheet's rows as text when it is plain enough (rows-text.ts); false: always
   * through the tree (the reference the text path is tested against).
   */
  rowsAsText?: boolean;
}

/** `template` may be a package already opened (and only read) by the caller: it is edited in place. */
export function applyPlanDetailed(template: Uint8Array | Package, plan: WorkbookPlan, lineage?: LineageMeta, options: ApplyOptions = {}): ApplyResult {
  const pkg = template instanceof Package ? template : Package.open(template);
  const problems: Problem[] = [];
  const removed: string[] = [];
  const sheets = pkg.sheets();
  const byName = new Map(sheets.filter((s) => s.kind === "worksheet").map((s) => [s.name.toLowerCase(), s]));

  // forms whose sheet exists, one plan per sheet
  const forms: { plan: FormPlan; sheet: SheetEntry }[] = [];
  const seen = new Set<string>();
  for (const fp of plan.forms) {
    const s = byName.get(fp.sheetName.toLowerCase());
    if (!s) {
      problems.push(
        prob("E_FILL_SHEET_MISSING", { sheet: fp.sheetName, form: fp.form }),
      );
      continue;
    }
    if (seen.has(s.name.toLowerCase())) {
      problems.push(
        prob("E_FILL_SHEET_TWICE", { sheet: fp.sheetName, form: fp.form }),
      );
      continue;
    }
    const bad = fp.rowOps.find((op) => !(op.at >= 1 && op.count >= 1 && (op.op === "delete" || op.formatFrom >= 1)));
    if (bad) {
      problems.push(
        prob("E_FILL_BAD_ROWOP", { sheet: fp.sheetName, form: fp.form }, {}, { op: JSON.stringify(bad) }),
      );
      continue;
    }
    seen.add(s.name.toLowerCase());
    forms.push({ plan: fp, sheet: s });
  }

  const moves = new Map<string, readonly RowOp[]>();
  for (const f of forms) if (f.plan.rowOps.length) moves.set(f.sheet.name.toLowerCase(), f.plan.rowOps);
  const filled = new Set(forms.map((f) => f.sheet.name.toLowerCase()));
  const formBySheet = new Map(forms.map((f) => [f.sheet.name.toLowerCase(), f]));

  let styles: TextStyles | null = null;
  let stylesDoc: XmlDocument | null = null;
  let stylesPart: string | null = null;
  const wbPart = pkg.workbookPart();
  const wbRels = pkg.rels(wbPart);
  const stylesRel = wbRels.find((r) => r.type.endsWith("/styles"));
  const textStyles = (): TextStyles => {
    if (!styles) {
      stylesPart = stylesRel?.part ?? "xl/styles.xml";
      stylesDoc = pkg.has(stylesPart)
        ? pkg.readXml(stylesPart)
        : parseXml('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
      styles = new TextStyles(stylesDoc);
    }
    return styles;
  };

  // defined names that read a filled sheet (directly or through another name): a formula using
  // one has a stale cached result too
  const staleNames = new Set<string>();
  {
    const dnEl = firstChild(pkg.readXml(wbPart).root, "definedNames");
    const defs = dnEl ? childElements(dnEl, "definedName").map((d) => ({ name: (d.attrs.get("name") ?? "").toLowerCase(), text: textOf(d) })) : [];
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of defs) {
        if (staleNames.has(d.name)) continue;
        const r = shiftFormula(d.text, null, new Map());
        if ([...r.sheets].some((x) => filled.has(x)) || mentionsName(d.text, staleNames)) {
          staleNames.add(d.name);
          grew = true;
        }
      }
    }
  }

  // ---- every worksheet: formulas (and, on a form sheet, everything else) --------------------
  const touchesAny = moves.size > 0 || filled.size > 0;
  const asText: string[] = [];
  for (const s of sheets) {
    if (s.kind !== "worksheet" || !s.part || !pkg.has(s.part)) continue;
    const key = s.name.toLowerCase();
    const form = formBySheet.get(key);
    const raw = pkg.readText(s.part);
    // a sheet that is no form and has no formula, validation or link cannot refer to a moved cell
    if (!form && (!touchesAny || !/<(?:\w+:)?(f|formula1?|formula2)[ >]|location=/.test(raw))) continue;
    if (!form) {
      // not a form: only its formulas can change, and only if it names a filled sheet or a name
      // that reads one; splice the changes in without building a tree
      if (!mayMention(raw.toLowerCase(), [...filled, ...moves.keys(), ...staleNames])) continue;
      try {
        const patched = patchSheetFormulas(raw, { name: s.name, moves, filled, usesStaleName: (f) => mentionsName(f, staleNames) });
        if (patched !== null) pkg.write(s.part, patched);
        continue;
      } catch {
        /* an unusual but valid sheet (e.g. "</f >"): the tree below handles it */
      }
    }
    const ctx: SheetCtx = { name: s.name, ops: moves.get(key) ?? [], moves, filled, staleNames, changed: false };
    if (form && options.rowsAsText !== false) {
      const doc = fillFormAsText(raw, ctx, form.plan, textStyles, problems);
      if (doc) {
        adjustSheetSatellites(pkg, s, ctx, problems);
        pkg.writeXml(s.part, doc);
        asText.push(s.name);
        continue;
      }
    }
    const doc = parseXml(raw, { rawCellValues: true });
    adjustWorksheet(doc, ctx, form?.plan ?? null, form ? textStyles : null, problems);
    if (form) {
      adjustSheetSatellites(pkg, s, ctx, problems);
    }
    if (ctx.changed || form) pkg.writeXml(s.part, doc);
  }

  // ---- workbook.xml: defined names, calcPr ---------------------------------------------------
  const wbDoc = pkg.readXml(wbPart);
  const dn = firstChild(wbDoc.root, "definedNames");
  if (dn && moves.size) {
    for (const d of childElements(dn, "definedName")) {
      const r = shiftFormula(textOf(d), null, moves);
      if (r.changed) setText(d, r.text);
    }
  }
  let calcPr = firstChild(wbDoc.root, "calcPr");
  if (!calcPr) {
    calcPr = elem("calcPr", {});
    insertOrdered(wbDoc.root, calcPr, WORKBOOK_ORDER);
  }
  calcPr.attrs.set("fullCalcOnLoad", "1");
  pkg.writeXml(wbPart, wbDoc);

  // ---- charts, pivot caches, other sheets' tables: references to moved cells ----------------
  if (moves.size) {
    for (const name of pkg.names()) {
      if (/^xl\/charts\/chart[^/]*\.xml$/i.test(name)) {
        const doc = pkg.readXml(name);
        let changed = false;
        for (const f of descendants(doc.root, "f")) {
          const r = shiftFormula(textOf(f), null, moves);
          if (r.changed) {
            setText(f, r.text);
            changed = true;
          }
        }
        if (changed) pkg.writeXml(name, doc);
      } else if (/^xl\/pivotCache\/pivotCacheDefinition[^/]*\.xml$/i.test(name)) {
        const doc = pkg.readXml(name);
        let changed = false;
        for (const ws of descendants(doc.root, "worksheetSource")) {
          const sheet = ws.attrs.get("sheet");
          const ref = ws.attrs.get("ref");
          const ops = sheet ? moves.get(sheet.toLowerCase()) : undefined;
          if (ops && ref) {
            const n = shiftRef(ref, ops);
            if (n && n !== ref) {
              ws.attrs.set("ref", n);
              changed = true;
            }
          }
        }
        if (changed) pkg.writeXml(name, doc);
      }
    }
  }

  // ---- calcChain lists cells that moved or changed: drop it ----------------------------------
  const cc = wbRels.find((r) => r.type.endsWith("/calcChain"));
  const ccPart = cc?.part ?? "xl/calcChain.xml";
  if (pkg.has(ccPart)) {
    pkg.remove(ccPart);
    removed.push(ccPart);
  }
  pkg.removeRels(wbPart, (r) => r.type.endsWith("/calcChain"));
  if (pkg.contentType(ccPart)?.includes("calcChain")) pkg.setOverride(ccPart, null);

  if (styles && stylesDoc && stylesPart && (styles as TextStyles).changed) pkg.writeXml(stylesPart, stylesDoc);

  // ---- lineage -----------------------------------------------------------------------------
  if (lineage) {
    writeLineagePart(pkg, {
      year: plan.year,
      generation: lineage.generation,
      filledAt: lineage.filledAt,
      sheets: forms.map((f) => ({
        sheetName: f.sheet.name,
        form: f.plan.form,
        cells: f.plan.lineage.map((l: CellLineage) => ({ ref: cellRef(l.row, l.col), lineageId: l.lineageId })),
      })).concat(lineage.extraSheets ?? []),
    });
  }

  return { bytes: pkg.toBytes(), changedParts: pkg.changed(), removedParts: removed, sheetsAsText: asText, problems };
}

// ================================================================== one worksheet

interface SheetCtx {
  name: string;
  /** the row ops of this sheet ([] when its rows do not move) */
  ops: readonly RowOp[];
  moves: Moves;
  filled: ReadonlySet<string>;
  /** defined names (lower case) whose value depends on a filled sheet */
  staleNames: ReadonlySet<string>;
  changed: boolean;
}

/** Whether a formula uses one of these defined names (string literals skipped). */
export function mentionsName(formula: string, names: ReadonlySet<string>): boolean {
  if (names.size === 0) return false;
  const bare = formula.replace(/"(?:[^"]|"")*"/g, '""');
  for (const m of bare.matchAll(/[\p{L}_\\][\p{L}\p{N}_.]*/gu)) if (names.has(m[0].toLowerCase())) return true;
  return false;
}

function adjustWorksheet(doc: XmlDocument, ctx: SheetCtx, fp: FormPlan | null, textStyles: (() => TextStyles) | null, problems: Problem[]): void {
  const root = doc.root;
  const sheetData = firstChild(root, "sheetData");
  const rows = sheetData ? readRows(sheetData) : [];
  const isForm = fp !== null;
  const moved = ctx.ops.length > 0;

  // 1. shared formulas that read a moved or filled sheet become plain formulas, so that each
  //    cell's references can move on their own
  expandSharedFormulas(rows, ctx);

  // 2. cell formulas
  adjustCellFormulas(rows, ctx, isForm);

  // 3. the rows themselves
  if (moved && sheetData) {
    let list = rows;
    for (const op of ctx.ops) list = applyRowOp(list, op);
    rows.length = 0;
    rows.push(...list);
    ctx.changed = true;
  }

  // 4. everything outside sheetData that names cells
  adjustSheetParts(root, ctx);

  if (!isForm || !sheetData) {
    if (sheetData && moved) writeRows(sheetData, rows);
    return;
  }

  // 5. the blocks and header rewrites
  const grid = new SheetGrid(root, rows);
  const ts = textStyles!();
  for (const b of fp.blocks) writeBlock(grid, b, ts, problems, fp);
  for (const h of fp.headerRewrites) grid.write(h.row, h.col, { s: h.new }, ts);
  // rows the plan wrote texts into (a list form's body: task titles, organisations) get the
  // height their wrapped texts need; header rewrites keep their rows (titles the template sized)
  fitWrittenRows(root, grid.rows, writtenTexts(fp.blocks), cellLooks(ts.doc));
  // formulas the plan wrote carry no cached value either
  for (const r of grid.rows) for (const c of r.cells) if (firstChild(c.el, "f")) dropCachedValue(c.el);
  for (const r of grid.rows) r.el.attrs.delete("spans");
  writeRows(sheetData, grid.rows);
  setDimension(root, boundsOf(grid.rows));
  markNumbersAsText(root, grid.numericTexts);
}

/** Move the cells' formulas with the rows; drop the cached results that may now be stale. */
function adjustCellFormulas(rows: RowRec[], ctx: SheetCtx, isForm: boolean): void {
  const moved = ctx.ops.length > 0;
  for (const r of rows) {
    for (const c of r.cells) {
      const f = firstChild(c.el, "f");
      if (!f) continue;
      const text = textOf(f);
      let stale = isForm;
      if (text) {
        const res = shiftFormula(text, ctx.name, ctx.moves);
        if (res.changed) {
          setText(f, res.text);
          ctx.changed = true;
        }
        for (const s of res.sheets) if (ctx.filled.has(s)) stale = true;
        if (!stale && mentionsName(text, ctx.staleNames)) stale = true;
      }
      if (moved) {
        for (const a of ["ref", "r1", "r2"]) {
          const v = f.attrs.get(a);
          if (v) {
            const n = shiftRef(v, ctx.ops);
            if (n !== v) {
              f.attrs.set(a, n ?? v);
              ctx.changed = true;
            }
          }
        }
      }
      if (stale) ctx.changed = dropCachedValue(c.el) || ctx.changed;
    }
  }
}

/**
 * A form sheet filled with its <sheetData> as text (rows-text.ts): what adjustWorksheet does,
 * with only the rows that hold formulas made into a tree. Null when the sheet is not plain
 * enough; the tree then does it all.
 */
function fillFormAsText(raw: string, ctx: SheetCtx, fp: FormPlan, textStyles: () => TextStyles, problems: Problem[]): XmlDocument | null {
  const span = sheetDataSpan(raw);
  const rows = span && readTextRows(raw.slice(span.start, span.end));
  if (!span || !rows) return null;
  // the rest of the sheet (views, merges, formats, validations …) is small: a tree
  const doc = parseXml(raw.slice(0, span.start) + raw.slice(span.end));
  const root = doc.root;
  const sheetData = firstChild(root, "sheetData");
  if (!sheetData) return null;
  // rows with formulas (a total row's SUMs) go through the tree's formula code
  const withFormulas = rows.formulaRows();
  if (withFormulas.length) {
    const holder = parseXml(`<sheetData>${withFormulas.join("")}</sheetData>`, { rawCellValues: true }).root;
    const recs = readRows(holder);
    expandSharedFormulas(recs, ctx);
    adjustCellFormulas(recs, ctx, true);
    writeRows(holder, recs);
    for (const r of recs) if (!rows.replaceRow(serializeElement(r.el))) return null;
  }
  for (const op of ctx.ops) rows.applyOp(op);
  adjustSheetParts(root, ctx);
  rows.setColumnStyles(columnStyles(root));
  const ts = textStyles();
  for (const b of fp.blocks) writeBlock(rows, b, ts, problems, fp);
  for (const h of fp.headerRewrites) rows.write(h.row, h.col, { s: h.new }, ts);
  fitWrittenRows(root, rows, writtenTexts(fp.blocks), cellLooks(ts.doc));
  sheetData.children = [{ kind: "raw", xml: rows.text() }];
  sheetData.selfClosing = false;
  setDimension(root, rows.bounds());
  markNumbersAsText(root, rows.numericTexts);
  return doc;
}

const WORKSHEET_ORDER = [
  "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
  "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews", "mergeCells",
  "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
  "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
  "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
];

/**
 * Texts from data that read as numbers ("01", "2024") are meant as text: tell Excel not to flag
 * them with its "number stored as text" triangle.
 */
function markNumbersAsText(root: XmlElement, refs: string[]): void {
  if (refs.length === 0) return;
  let holder = firstChild(root, "ignoredErrors");
  if (!holder) {
    holder = elem("ignoredErrors");
    insertOrdered(root, holder, WORKSHEET_ORDER);
  }
  // one element of this kind (a refill merges into it rather than adding an overlapping one)
  const mine = childElements(holder, "ignoredError").find((e) => e.attrs.size === 2 && e.attrs.get("numberStoredAsText") === "1" && e.attrs.has("sqref"));
  if (mine) {
    const all = new Set([...(mine.attrs.get("sqref") ?? "").split(/\s+/).filter(Boolean), ...refs]);
    mine.attrs.set("sqref", [...all].join(" "));
  } else {
    holder.children.push(elem("ignoredError", { sqref: refs.join(" "), numberStoredAsText: "1" }));
    holder.selfClosing = false;
  }
}

function dropCachedValue(c: XmlElement): boolean {
  const before = c.children.length;
  c.children = c.children.filter((x) => !(x.kind === "element" && localName(x.name) === "v"));
  const t = c.attrs.get("t");
  const hadT = t !== undefined;
  if (hadT) c.attrs.delete("t");
  return before !== c.children.length || hadT;
}

function expandSharedFormulas(rows: RowRec[], ctx: SheetCtx): void {
  const masters = new Map<string, { row: number; col: number; text: string; ref: string | undefined }>();
  for (const r of rows)
    for (const c of r.cells) {
      const f = firstChild(c.el, "f");
      if (f?.attrs.get("t") === "shared" && textOf(f) !== "") masters.set(f.attrs.get("si") ?? "", { row: r.row, col: c.col, text: textOf(f), ref: f.attrs.get("ref") });
    }
  if (masters.size === 0) return;
  const expand = new Set<string>();
  for (const [si, m] of masters) {
    const res = shiftFormula(m.text, ctx.name, ctx.moves);
    if ([...res.sheets].some((s) => ctx.moves.has(s) || ctx.filled.has(s)) || mentionsName(m.text, ctx.staleNames)) expand.add(si);
  }
  if (expand.size === 0) return;
  for (const r of rows)
    for (const c of r.cells) {
      const f = firstChild(c.el, "f");
      if (!f || f.attrs.get("t") !== "shared") continue;
      const si = f.attrs.get("si") ?? "";
      const m = masters.get(si);
      if (!m || !expand.has(si)) continue;
      const text = translateFormula(m.text, r.row - m.row, c.col - m.col);
      f.attrs = new Map();
      setText(f, text);
      ctx.changed = true;
    }
}

function applyRowOp(rows: RowRec[], op: RowOp): RowRec[] {
  if (op.op === "delete") {
    const end = op.at + op.count - 1;
    const out: RowRec[] = [];
    for (const r of rows) {
      if (r.row >= op.at && r.row <= end) continue;
      if (r.row > end) r.row -= op.count;
      out.push(r);
    }
    return out;
  }
  const src = rows.find((r) => r.row === op.formatFrom);
  for (const r of rows) if (r.row >= op.at) r.row += op.count;
  const out = [...rows];
  for (let k = 0; k < op.count; k++) {
    const el = src ? cloneElement(src.el) : elem("row");
    el.attrs.delete("spans");
    el.attrs.delete("hidden");
    el.attrs.delete("collapsed");
    const cells: CellRec[] = [];
    if (src) {
      for (const c of src.cells) {
        const s = c.el.attrs.get("s");
        cells.push({ col: c.col, el: elem("c", s ? { r: "A1", s } : { r: "A1" }) });
      }
    }
    el.children = [];
    out.push({ row: op.at + k, el, cells });
  }
  return out.sort((a, b) => a.row - b.row);
}

/** Conditional formats, validations, merges, hyperlinks, … of one worksheet. */
function adjustSheetParts(root: XmlElement, ctx: SheetCtx): void {
  const ops = ctx.ops;
  const moved = ops.length > 0;
  // set while visiting a conditional format or validation whose anchor row was deleted
  let anchorDelta: number | null = null;
  const shiftF = (el: XmlElement): void => {
    const text = textOf(el);
    if (!text) return;
    const r = anchorDelta === null ? shiftFormula(text, ctx.name, ctx.moves) : shiftAnchoredFormula(text, ctx.name, ctx.moves, anchorDelta);
    if (r.changed) {
      setText(el, r.text);
      ctx.changed = true;
    }
  };
  const visit = (el: XmlElement, parent: XmlElement | null): boolean => {
    const ln = localName(el.name);
    if (ln === "sheetData") return true;
    const saved = anchorDelta;
    const keep = visitOne(el, parent, ln);
    anchorDelta = saved;
    return keep;
  };
  /** the first row of an sqref's first area */
  const topOf = (sq: string): number | null => {
    const a = parseArea(sq.trim().split(/\s+/)[0] ?? "");
    return a && a.kind !== "cols" ? a.r1 : null;
  };
  const noteAnchor = (oldSq: string, newSq: string): void => {
    const t0 = topOf(oldSq);
    const t1 = topOf(newSq);
    if (t0 !== null && t1 !== null && moveRow(t0, ops) === null) anchorDelta = t1 - t0;
  };
  const visitOne = (el: XmlElement, parent: XmlElement | null, ln: string): boolean => {
    // formulas anywhere (conditional formats, validations, x14 extensions)
    if (ln === "formula" || ln === "formula1" || ln === "formula2" || (ln === "f" && el.name.includes(":"))) {
      shiftF(el);
      return true;
    }
    if (ln === "hyperlink") {
      const loc = el.attrs.get("location");
      if (loc) {
        const r = shiftFormula(loc, ctx.name, ctx.moves);
        if (r.changed) {
          el.attrs.set("location", r.text);
          ctx.changed = true;
        }
      }
    }
    if (moved) {
      // x14 extensions: <x14:conditionalFormatting>/<x14:dataValidation> carry an <xm:sqref> child
      const sqChild = el.name.includes(":") ? childElements(el, "sqref").find((x) => x.name.includes(":")) : undefined;
      if (sqChild) {
        const old = textOf(sqChild);
        const n = shiftSqref(old, ops);
        if (n === null) return false;
        setText(sqChild, n);
        noteAnchor(old, n);
      }
      const sq = el.attrs.get("sqref");
      if (sq !== undefined && ln !== "selection") {
        const n = shiftSqref(sq, ops);
        if (n === null) return false;
        el.attrs.set("sqref", n);
        noteAnchor(sq, n);
      }
      if (ln === "selection") {
        if (sq) el.attrs.set("sqref", shiftSqref(sq, ops) ?? "A1");
        const ac = el.attrs.get("activeCell");
        if (ac) el.attrs.set("activeCell", shiftCell(ac, ops));
      }
      if (ln === "pane" || ln === "sheetView") {
        const tl = el.attrs.get("topLeftCell");
        if (tl && ln === "sheetView") el.attrs.set("topLeftCell", shiftCell(tl, ops));
      }
      if (["mergeCell", "hyperlink", "autoFilter", "sortState", "sortCondition", "protectedRange", "cellWatch", "ignoredError"].includes(ln)) {
        const ref = el.attrs.get("ref");
        if (ref) {
          const n = ln === "cellWatch" ? shiftSqref(ref, ops) : shiftRefOrRange(ref, ops);
          if (n === null) return false;
          if (ln === "mergeCell" && !n.includes(":")) return false;
          el.attrs.set("ref", n);
        }
      }
      if (ln === "brk" && parent && localName(parent.name) === "rowBreaks") {
        // a break sits above row id+1 and follows that row
        const id = Number(el.attrs.get("id"));
        const n = moveRow(id + 1, ops);
        if (n === null) return false;
        el.attrs.set("id", String(n - 1));
      }
    }
    el.children = el.children.filter((c) => c.kind !== "element" || visit(c, el));
    return true;
  };
  visit(root, null);
  if (moved) {
    for (const name of ["mergeCells", "rowBreaks", "conditionalFormatting", "dataValidations", "hyperlinks"]) {
      for (const e of childElements(root, name)) {
        const kids = childElements(e);
        if (name === "conditionalFormatting") continue;
        if (kids.length === 0) root.children = root.children.filter((c) => c !== e);
        else if (e.attrs.has("count")) e.attrs.set("count", String(kids.length));
        if (name === "rowBreaks" && e.attrs.has("manualBreakCount")) e.attrs.set("manualBreakCount", String(kids.length));
      }
    }
  }
}

function shiftRefOrRange(ref: string, ops: readonly RowOp[]): string | null {
  return ref.includes(" ") ? shiftSqref(ref, ops) : shiftRef(ref, ops);
}

/** A single cell that must stay somewhere (active cell, top-left cell): deleted → the row after. */
function shiftCell(ref: string, ops: readonly RowOp[]): string {
  const p = parseRef(ref);
  if (!p) return ref;
  let row = p.row;
  for (const op of ops) {
    if (op.op === "insert") row = row >= op.at ? row + op.count : row;
    else row = row < op.at ? row : row >= op.at + op.count ? row - op.count : op.at;
  }
  return cellRef(Math.max(1, row), p.col);
}

type Bounds = { r1: number; c1: number; r2: number; c2: number } | null;

function boundsOf(rows: RowRec[]): Bounds {
  let r1 = Infinity, r2 = 0, c1 = Infinity, c2 = 0;
  for (const r of rows)
    for (const c of r.cells) {
      r1 = Math.min(r1, r.row);
      r2 = Math.max(r2, r.row);
      c1 = Math.min(c1, c.col);
      c2 = Math.max(c2, c.col);
    }
  return r2 === 0 ? null : { r1, c1, r2, c2 };
}

function setDimension(root: XmlElement, b: Bounds): void {
  const ref = !b ? "A1" : b.r1 === b.r2 && b.c1 === b.c2 ? cellRef(b.r1, b.c1) : `${cellRef(b.r1, b.c1)}:${cellRef(b.r2, b.c2)}`;
  let dim = firstChild(root, "dimension");
  if (!dim) {
    dim = elem("dimension", { ref });
    const i = root.children.findIndex((c) => c.kind === "element" && localName(c.name) !== "sheetPr");
    root.children.splice(i < 0 ? 0 : i, 0, dim);
  }
  dim.attrs.set("ref", ref);
}

// ================================================================== writing cells

const VALUE_CHILDREN = new Set(["f", "v", "is"]);

/** The style attributes of <cols>. */
function columnStyles(root: XmlElement): ColumnStyle[] {
  const out: ColumnStyle[] = [];
  const cols = firstChild(root, "cols");
  if (cols)
    for (const c of childElements(cols, "col")) {
      const s = c.attrs.get("style");
      if (s) out.push({ min: Number(c.attrs.get("min")), max: Number(c.attrs.get("max")), s });
    }
  return out;
}

/** Where a plan's cells are written: the tree's SheetGrid or rows-text's TextRows. */
interface CellWriter {
  write(row: number, col: number, v: Exclude<PlanCell, null>, ts: TextStyles): void;
}

class SheetGrid implements CellWriter {
  /** cells given a text that reads as a number */
  readonly numericTexts: string[] = [];
  private readonly byRow = new Map<number, RowRec>();

  private readonly colStyles: ColumnStyle[];

  constructor(root: XmlElement, readonly rows: RowRec[]) {
    for (const r of rows) this.byRow.set(r.row, r);
    this.colStyles = columnStyles(root);
  }

  cell(row: number, col: number): XmlElement {
    let r = this.byRow.get(row);
    if (!r) {
      r = { row, el: elem("row", { r: String(row) }), cells: [] };
      this.byRow.set(row, r);
      this.rows.push(r);
    }
    let c = r.cells.find((x) => x.col === col);
    if (!c) {
      const s = newCellStyle(r.el.attrs.get("customFormat"), r.el.attrs.get("s"), this.colStyles, col);
      c = { col, el: elem("c", s ? { r: cellRef(row, col), s } : { r: cellRef(row, col) }) };
      r.cells.push(c);
    }
    return c.el;
  }

  write(row: number, col: number, v: Exclude<PlanCell, null>, ts: TextStyles): void {
    const c = this.cell(row, col);
    // a raw value (parseXml's rawCellValues) stands for <v>/<is> only: it goes too
    c.children = c.children.filter((x) => x.kind !== "raw" && !(x.kind === "element" && VALUE_CHILDREN.has(localName(x.name))));
    c.attrs.delete("t");
    c.attrs.delete("cm");
    c.attrs.delete("vm");
    // values are written as ready markup (what serializing <v>/<is>/<f> elements would give): tens
    // of thousands of cells no longer become five objects each until the sheet is written; the
    // same markup as the text path's (rows-text.ts)
    const w = cellValue(v, Number(c.attrs.get("s") ?? 0), ts);
    if (w.numericText) this.numericTexts.push(cellRef(row, col));
    if (w.inlineStr) c.attrs.set("t", "inlineStr");
    if (w.style === 0) c.attrs.delete("s");
    else if (w.style !== null) c.attrs.set("s", String(w.style));
    if (w.inner) insertValue(c, { kind: "raw", xml: w.inner }, "f" in v ? "f" : "n" in v ? "v" : "is");
    // blank: value gone, style kept
    c.selfClosing = c.children.length === 0;
  }
}

/** Put a cell's new value (as markup standing for a `local` element) where the schema wants it. */
function insertValue(c: XmlElement, node: RawXml, local: "f" | "v" | "is"): void {
  insertOrdered(c, node, CELL_CHILD_ORDER, local);
}

function writeBlock(grid: CellWriter, b: Block, ts: TextStyles, problems: Problem[], fp: FormPlan): void {
  for (let i = 0; i < b.cells.length; i++) {
    const line = b.cells[i];
    for (let j = 0; j < line.length; j++) {
      const v = line[j];
      if (v === null || v === undefined) continue;
      const row = b.row + i;
      const col = b.col + j;
      if (row < 1 || col < 1 || row > 1_048_576 || col > 16_384) {
        problems.push(prob("E_FILL_OUTSIDE", { sheet: fp.sheetName, form: fp.form }, {}, { sheetRow: row, sheetColumn: col }));
        continue;
      }
      if ("n" in v && !Number.isFinite(v.n)) {
        problems.push(prob("W_FILL_NOT_FINITE", { sheet: fp.sheetName, form: fp.form, cell: cellRef(row, col) }));
      }
      grid.write(row, col, v, ts);
    }
  }
}

/** The text cells ({ s }) of the blocks, in sheet coordinates. */
function writtenTexts(blocks: readonly Block[]): { row: number; col: number; text: string }[] {
  const out: { row: number; col: number; text: string }[] = [];
  for (const b of blocks)
    b.cells.forEach((line, i) =>
      line.forEach((v, j) => {
        if (v && "s" in v) out.push({ row: b.row + i, col: b.col + j, text: v.s });
      }),
    );
  return out;
}

// ================================================================== a form sheet's related parts

// by the last segment of the type: transitional and strict OOXML use different prefixes
const RT = {
  comments: "/comments",
  vml: "/vmlDrawing",
  drawing: "/drawing",
  table: "/table",
  pivot: "/pivotTable",
  threaded: "/threadedComment",
};

function adjustSheetSatellites(pkg: Package, s: SheetEntry, ctx: SheetCtx, problems: Problem[]): void {
  const ops = ctx.ops;
  if (ops.length === 0) return;
  for (const r of pkg.rels(s.part)) {
    if (r.external || !r.part || !pkg.has(r.part)) continue;
    const rel = { part: r.part, type: r.type.slice(r.type.lastIndexOf("/")) };
    const part = rel.part;
    let doc: XmlDocument;
    try {
      doc = pkg.readXml(part);
    } catch (e) {
      problems.push(
        prob("W_FILL_PART_UNREADABLE", { sheet: s.name, file: part }, {}, { detail: (e as Error).message }),
      );
      continue;
    }
    let changed = false;
    if (rel.type === RT.comments || rel.type === RT.threaded) {
      const holder = rel.type === RT.comments ? firstChild(doc.root, "commentList") : doc.root;
      if (holder) {
        const name = rel.type === RT.comments ? "comment" : "threadedComment";
        for (const c of childElements(holder, name)) {
          const ref = c.attrs.get("ref");
          if (!ref) continue;
          const n = shiftRef(ref, ops);
          if (n === null) holder.children = holder.children.filter((x) => x !== c);
          else if (n !== ref) c.attrs.set("ref", n);
          changed = true;
        }
      }
    } else if (rel.type === RT.vml) {
      for (const cd of descendants(doc.root, "ClientData")) {
        const rowEl = firstChild(cd, "Row");
        if (rowEl) {
          const n = moveRow(Number(textOf(rowEl).trim()) + 1, ops);
          if (n !== null) setText(rowEl, String(n - 1));
          changed = true;
        }
        const anchor = firstChild(cd, "Anchor");
        if (anchor) {
          const p = textOf(anchor).split(",").map((x) => x.trim());
          if (p.length === 8) {
            const m = moveRowsAll(Number(p[2]) + 1, Number(p[6]) + 1, ops);
            if (m) {
              p[2] = String(m[0] - 1);
              p[6] = String(m[1] - 1);
              setText(anchor, p.join(", "));
              changed = true;
            }
          }
        }
      }
    } else if (rel.type === RT.drawing) {
      for (const anchor of [...childElements(doc.root, "twoCellAnchor"), ...childElements(doc.root, "oneCellAnchor")]) {
        if (anchor.attrs.get("editAs") === "absolute") continue;
        const from = firstChild(anchor, "from");
        const to = firstChild(anchor, "to");
        const fr = from && firstChild(from, "row");
        const tr = to && firstChild(to, "row");
        if (!fr) continue;
        const a = Number(textOf(fr)) + 1;
        const b = tr ? Number(textOf(tr)) + 1 : a;
        const moveShape = anchor.attrs.get("editAs") === "oneCell";
        const m = moveShape ? [moveRow(a, ops) ?? a, (moveRow(a, ops) ?? a) + (b - a)] : moveRowsAll(a, b, ops);
        if (!m) continue; // all its rows deleted: Excel would keep it squeezed at the cut
        if (m[0] !== a) setText(fr, String(m[0] - 1));
        if (tr && m[1] !== b) setText(tr, String(m[1] - 1));
        changed = true;
      }
    } else if (rel.type === RT.table) {
      for (const e of [doc.root, ...descendants(doc.root, "autoFilter"), ...descendants(doc.root, "sortState")]) {
        const ref = e.attrs.get("ref");
        if (!ref) continue;
        const n = shiftRef(ref, ops);
        if (n && n !== ref) {
          e.attrs.set("ref", n);
          changed = true;
        }
      }
      for (const f of [...descendants(doc.root, "calculatedColumnFormula"), ...descendants(doc.root, "totalsRowFormula")]) {
        const r = shiftFormula(textOf(f), s.name, ctx.moves);
        if (r.changed) {
          setText(f, r.text);
          changed = true;
        }
      }
    } else if (rel.type === RT.pivot) {
      const loc = firstChild(doc.root, "location");
      const ref = loc?.attrs.get("ref");
      if (loc && ref) {
        const n = shiftRef(ref, ops);
        if (n && n !== ref) {
          loc.attrs.set("ref", n);
          changed = true;
        }
      }
    }
    if (changed) pkg.writeXml(part, doc);
  }
}
