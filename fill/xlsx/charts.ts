// The chart sheet of a fill, headless: the planned sheet (fill/engine/charts.ts) written into the
// package as a worksheet with the charts' small tables, one drawing (xl/drawings/drawingN.xml)
// and one DrawingML chart part per chart (xl/charts/chartN.xml), with their relationships and
// content types. Every chart series points at cell ranges of the sheet AND carries their values
// as a cache, so that a viewer which does not recompute (a preview, a mail client) still draws it.
//
// A refill rewrites the same sheet: its old drawing and charts (and the parts only they use) are
// removed first, so the new ones take the same part names and the workbook has one chart sheet,
// not one more per fill. Only a sheet a fill made (a chart "phuluc.<id>" in its drawing) is
// rewritten; a sheet of that name made by hand is left as it is, with a warning.
import { prob } from "../../core/codes.js";
import type { Problem } from "../../core/problem.js";
import type { ChartPlan, ChartSheetPlan } from "../engine/charts.js";
import type { LineageSheet } from "../lineage-xml.js";
import { colLetters } from "../../xlsx/refs.js";
import { Package, relsPartName } from "../../xlsx/package.js";
import { childElements, descendants, elem, firstChild, insertOrdered, localName, serializeElement, serializeXml, setText, textOf, type XmlDocument, type XmlElement, type XmlNode } from "../../xlsx/xml.js";

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart";
const NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
const REL_WORKSHEET = `${NS_R}/worksheet`;
const REL_DRAWING = `${NS_R}/drawing`;
const REL_CHART = `${NS_R}/chart`;
const REL_APP_PROPERTIES = `${NS_R}/extended-properties`;
const CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml";
const CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Series colours: the pane's palette (addin/pane/view.ts), so both show the same chart. */
const PALETTE = ["0F6CBD", "107C41", "C239B3", "CA5010", "4F6BED", "8764B8"];

export interface ChartSheetWritten {
  /** the worksheet part of the chart sheet */
  sheetPart: string;
  /** parts written (sheet, drawing, charts, and the shared ones they changed) */
  parts: string[];
  /** the chart sheet's lineage, for the fill's lineage part (null when nothing was written) */
  lineage: LineageSheet | null;
  problems: Problem[];
}

/** Write (or rewrite) the chart sheet into an open package. */
export function writeChartSheet(pkg: Package, plan: ChartSheetPlan): ChartSheetWritten {
  const before = new Set(pkg.changed());
  const existing = pkg.sheets().find((s) => s.name.toLowerCase() === plan.sheetName.toLowerCase());
  if (existing && existing.kind !== "worksheet") {
    return {
      sheetPart: existing.part,
      parts: [],
      lineage: null,
      problems: [
        prob("W_CHART_SHEET_TAKEN", { sheet: existing.name }, {}, { chartSheet: true }),
      ],
    };
  }
  if (existing && !madeByFill(pkg, existing.part)) {
    return {
      sheetPart: existing.part,
      parts: [],
      lineage: null,
      problems: [
        prob("W_CHART_SHEET_TAKEN", { sheet: existing.name }),
      ],
    };
  }
  let sheetPart: string;
  if (existing) {
    sheetPart = existing.part;
    for (const r of pkg.rels(sheetPart)) if (r.type === REL_DRAWING && r.part) removeDrawing(pkg, r.part);
    pkg.removeRels(sheetPart, (r) => r.type === REL_DRAWING);
  } else {
    sheetPart = freeName(pkg, "xl/worksheets/sheet", ".xml");
    const worksheets = pkg.sheets().filter((x) => x.kind === "worksheet").map((x) => x.name);
    addSheetToWorkbook(pkg, plan.sheetName, sheetPart);
    addSheetToAppProperties(pkg, plan.sheetName, worksheets);
    pkg.setOverride(sheetPart, CT_WORKSHEET);
  }

  const styles = new ChartStyles(pkg);
  const drawingPart = freeName(pkg, "xl/drawings/drawing", ".xml");
  const anchors: XmlElement[] = [];
  plan.charts.forEach((c, i) => {
    const chartPart = freeName(pkg, "xl/charts/chart", ".xml");
    pkg.write(chartPart, doc(chartXml(c, plan.sheetName)));
    pkg.setOverride(chartPart, CT_CHART);
    const rid = pkg.addRel(drawingPart, REL_CHART, chartPart);
    anchors.push(anchorXml(c, rid, i + 2));
  });
  pkg.write(
    drawingPart,
    doc(x("xdr:wsDr", { "xmlns:xdr": NS_XDR, "xmlns:a": NS_A }, ...anchors)),
  );
  pkg.setOverride(drawingPart, CT_DRAWING);
  const drawingRid = pkg.addRel(sheetPart, REL_DRAWING, drawingPart);
  pkg.write(sheetPart, doc(sheetXml(plan, styles, drawingRid)));
  styles.save();

  return {
    sheetPart,
    parts: pkg.changed().filter((p) => !before.has(p)),
    lineage: { sheetName: existing?.name ?? plan.sheetName, form: "charts", cells: plan.lineage.map((l) => ({ ref: `${colLetters(l.col)}${l.row}`, lineageId: l.lineageId })) },
    problems: [],
  };
}

// ---------------------------------------------------------------- parts of the package

/**
 * The sheet holds a chart a fill made ("phuluc.<id>" in its drawing): only then is it the fill's
 * to rewrite. A sheet of the same name that someone made by hand is never overwritten.
 */
export function madeByFill(pkg: Package, sheetPart: string): boolean {
  for (const r of pkg.rels(sheetPart)) {
    if (r.type !== REL_DRAWING || !r.part || !pkg.has(r.part)) continue;
    const names = descendants(pkg.readXml(r.part).root, "cNvPr").map((e) => e.attrs.get("name") ?? "");
    if (names.some((n) => n.startsWith("phuluc."))) return true;
  }
  return false;
}

/** The first `<prefix>N<suffix>` not in the package. */
function freeName(pkg: Package, prefix: string, suffix: string): string {
  let n = 1;
  while (pkg.has(`${prefix}${n}${suffix}`)) n++;
  return `${prefix}${n}${suffix}`;
}

/** Remove a drawing of the chart sheet with its charts (and the style/colour parts of each). */
function removeDrawing(pkg: Package, drawingPart: string): void {
  for (const r of pkg.rels(drawingPart)) {
    if (r.type !== REL_CHART || !r.part) continue;
    for (const cr of pkg.rels(r.part)) if (cr.part && cr.part.startsWith("xl/charts/")) dropPart(pkg, cr.part);
    dropPart(pkg, r.part);
  }
  dropPart(pkg, drawingPart);
}

function dropPart(pkg: Package, part: string): void {
  pkg.remove(part);
  pkg.remove(relsPartName(part));
  pkg.setOverride(part, null);
}

/** A new <sheet> at the end of workbook.xml's <sheets> (localSheetIds of names do not move). */
function addSheetToWorkbook(pkg: Package, name: string, sheetPart: string): void {
  const wbPart = pkg.workbookPart();
  const rid = pkg.addRel(wbPart, REL_WORKSHEET, sheetPart);
  const wb = pkg.readXml(wbPart);
  const p = wb.root.name.includes(":") ? wb.root.name.slice(0, wb.root.name.indexOf(":") + 1) : "";
  let rPrefix = [...wb.root.attrs].find(([k, v]) => k.startsWith("xmlns:") && v === NS_R)?.[0].slice(6);
  if (!rPrefix) {
    rPrefix = "r";
    wb.root.attrs.set("xmlns:r", NS_R);
  }
  let sheets = firstChild(wb.root, "sheets");
  if (!sheets) {
    sheets = elem(`${p}sheets`);
    insertOrdered(wb.root, sheets, ["fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets"]);
  }
  const ids = childElements(sheets, "sheet").map((s) => Number(s.attrs.get("sheetId") ?? 0));
  sheets.children.push(elem(`${p}sheet`, { name, sheetId: String(Math.max(0, ...ids) + 1), [`${rPrefix}:id`]: rid }));
  sheets.selfClosing = false;
  pkg.writeXml(wbPart, wb);
}

/**
 * docProps/app.xml names the sheets as Excel last saved them (TitlesOfParts, counted in
 * HeadingPairs, worksheets first whatever the language calls them): the new worksheet goes after
 * the last of them, so that the file's properties (a file browser's details, a document system's
 * index) name the chart sheet too. Only where the list is the workbook's worksheets as they were;
 * a list written otherwise, or none, is left as it is.
 */
function addSheetToAppProperties(pkg: Package, name: string, worksheets: string[]): void {
  const rel = pkg.rels("").find((r) => r.type === REL_APP_PROPERTIES);
  if (!rel?.part || !pkg.has(rel.part) || worksheets.length === 0) return;
  const doc = pkg.readXml(rel.part);
  const pairs = firstChild(doc.root, "HeadingPairs");
  const titles = firstChild(doc.root, "TitlesOfParts");
  const pairVector = pairs && firstChild(pairs, "vector");
  const titleVector = titles && firstChild(titles, "vector");
  if (!pairVector || !titleVector) return;
  const variants = childElements(pairVector, "variant");
  const counts = variants.filter((_, i) => i % 2 === 1).map((v) => firstChild(v, "i4"));
  const listed = childElements(titleVector, "lpstr");
  const total = counts.reduce((n, c) => n + (c ? Number(textOf(c)) : NaN), 0);
  const first = counts[0];
  if (!first || Number(textOf(first)) !== worksheets.length || total !== listed.length) return;
  if (worksheets.some((w, i) => textOf(listed[i]!) !== w)) return;
  setText(first, String(worksheets.length + 1));
  const last = listed[worksheets.length - 1]!;
  const title = elem(last.name, {}, [{ kind: "text", text: name }]);
  title.selfClosing = false;
  titleVector.children.splice(titleVector.children.indexOf(last) + 1, 0, title);
  titleVector.attrs.set("size", String(listed.length + 1));
  pkg.writeXml(rel.part, doc);
}

/** The few cell styles of the chart sheet, added to styles.xml once (a refill finds them again). */
class ChartStyles {
  private readonly part: string | null;
  private readonly doc: XmlDocument | null;
  private changed = false;
  private readonly memo = new Map<string, number>();

  constructor(private readonly pkg: Package) {
    const r = pkg.rels(pkg.workbookPart()).find((x) => x.type.endsWith("/styles"));
    this.part = r?.part && pkg.has(r.part) ? r.part : null;
    this.doc = this.part ? pkg.readXml(this.part) : null;
  }

  /** A style with this number format, bold or not, wrapped or not; 0 (the default) when the workbook has no styles part. */
  get(formatCode: string, bold: boolean, wrap = false): number {
    if (!this.doc) return 0;
    const key = `${formatCode}|${bold}|${wrap}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const root = this.doc.root;
    const p = root.name.includes(":") ? root.name.slice(0, root.name.indexOf(":") + 1) : "";
    const order = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"];
    const list = (local: string): XmlElement => {
      let el = firstChild(root, local);
      if (!el) {
        el = elem(`${p}${local}`, { count: "0" });
        insertOrdered(root, el, order);
        this.changed = true;
      }
      return el;
    };
    const add = (parent: XmlElement, child: XmlElement): number => {
      const items = childElements(parent);
      parent.children.push(child);
      parent.selfClosing = false;
      parent.attrs.set("count", String(items.length + 1));
      this.changed = true;
      return items.length;
    };
    // the number format: built-in 49 (@) and 3 (#,##0), else a custom one (found or added)
    let numFmtId = formatCode === "@" ? 49 : formatCode === "#,##0" ? 3 : formatCode === "General" ? 0 : -1;
    if (numFmtId < 0) {
      const numFmts = list("numFmts");
      const found = childElements(numFmts, "numFmt").find((f) => f.attrs.get("formatCode") === formatCode);
      if (found) numFmtId = Number(found.attrs.get("numFmtId"));
      else {
        numFmtId = Math.max(163, ...childElements(numFmts, "numFmt").map((f) => Number(f.attrs.get("numFmtId") ?? 0))) + 1;
        add(numFmts, elem(`${p}numFmt`, { numFmtId: String(numFmtId), formatCode }));
      }
    }
    // the font: the workbook's default font, bold where asked
    const fonts = list("fonts");
    let fontId = 0;
    if (bold) {
      const base = childElements(fonts)[0];
      const boldFont = elem(`${p}font`, {}, [elem(`${p}b`), ...(base ? base.children.filter((c) => c.kind === "element" && localName(c.name) !== "b") : [])]);
      const key = serializeElement(boldFont);
      const same = childElements(fonts).findIndex((f) => serializeElement(f) === key);
      fontId = same >= 0 ? same : add(fonts, boldFont);
    }
    const xfs = list("cellXfs");
    const xf = elem(
      `${p}xf`,
      {
        numFmtId: String(numFmtId), fontId: String(fontId), fillId: "0", borderId: "0", xfId: "0",
        applyNumberFormat: "1", ...(bold ? { applyFont: "1" } : {}), ...(wrap ? { applyAlignment: "1" } : {}),
      },
      wrap ? [elem(`${p}alignment`, { vertical: "center", wrapText: "1" })] : [],
    );
    xf.selfClosing = !wrap;
    const xfKey = serializeElement(xf);
    const same = childElements(xfs).findIndex((e) => serializeElement(e) === xfKey);
    const id = same >= 0 ? same : add(xfs, xf);
    this.memo.set(key, id);
    return id;
  }

  save(): void {
    if (this.changed && this.part && this.doc) this.pkg.writeXml(this.part, this.doc);
  }
}

// ---------------------------------------------------------------- XML of the parts

type Child = XmlNode | string | null | undefined | false;

/** An element: strings become text nodes (escaped by the serializer), null/false are skipped. */
function x(name: string, attrs: Record<string, string> = {}, ...children: Child[]): XmlElement {
  const kids: XmlNode[] = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    kids.push(typeof c === "string" ? { kind: "text", text: c } : c);
  }
  const e = elem(name, attrs, kids);
  e.selfClosing = kids.length === 0;
  return e;
}

function doc(root: XmlElement): string {
  return serializeXml({ declaration: DECLARATION, prolog: [], root, epilog: [] });
}


/** 'Biểu đồ'!$A$6:$A$9 — the sheet name always quoted (it may hold spaces and diacritics). */
function ref(sheet: string, c1: number, r1: number, c2 = c1, r2 = r1): string {
  const q = `'${sheet.replace(/'/g, "''")}'`;
  const a = `$${colLetters(c1)}$${r1}`;
  return c1 === c2 && r1 === r2 ? `${q}!${a}` : `${q}!${a}:$${colLetters(c2)}$${r2}`;
}

/** A number as the shortest text that reads back as the same double. */
const num = (v: number): string => String(v);

function inlineCell(r: number, c: number, text: string, style: number): XmlElement {
  return x("c", { r: `${colLetters(c)}${r}`, s: String(style), t: "inlineStr" }, x("is", {}, x("t", /^\s|\s$/.test(text) ? { "xml:space": "preserve" } : {}, text)));
}

function sheetXml(plan: ChartSheetPlan, styles: ChartStyles, drawingRid: string): XmlElement {
  const sTitle = styles.get("@", true);
  const sText = styles.get("@", false);
  const sHead = styles.get("@", true, true);
  const rows = new Map<number, XmlElement[]>();
  const put = (r: number, cell: XmlElement) => {
    if (!rows.has(r)) rows.set(r, []);
    rows.get(r)!.push(cell);
  };
  put(1, inlineCell(1, 1, plan.title, sTitle));
  if (plan.note) put(2, inlineCell(2, 1, plan.note, sText));
  let lastRow = plan.note ? 2 : 1;
  const headers = new Set(plan.charts.map((c) => c.headerRow));
  let lastCol = 1;
  for (const c of plan.charts) {
    const sNum = styles.get(c.numberFormat, false);
    put(c.titleRow, inlineCell(c.titleRow, 1, c.title, sTitle));
    put(c.headerRow, inlineCell(c.headerRow, 1, c.categoryHeader, sHead));
    c.series.forEach((s, k) => put(c.headerRow, inlineCell(c.headerRow, 2 + k, s.name, sHead)));
    c.categories.forEach((cat, i) => {
      const r = c.firstRow + i;
      put(r, inlineCell(r, 1, cat, sText));
      c.series.forEach((s, k) => {
        const v = s.values[i];
        // no figure: a styled empty cell (the chart leaves a gap), never a 0 that is not there
        put(r, v === null ? x("c", { r: `${colLetters(2 + k)}${r}`, s: String(sNum) }) : x("c", { r: `${colLetters(2 + k)}${r}`, s: String(sNum) }, x("v", {}, num(v))));
      });
    });
    lastRow = Math.max(lastRow, c.lastRow);
    lastCol = Math.max(lastCol, c.lastCol);
  }
  const sheetData = x(
    "sheetData",
    {},
    // header rows two lines high: their series names wrap, and Excel does not fit row heights on open
    ...[...rows.keys()].sort((a, b) => a - b).map((r) => x("row", headers.has(r) ? { r: String(r), ht: "30", customHeight: "1" } : { r: String(r) }, ...rows.get(r)!)),
  );
  return x(
    "worksheet",
    { xmlns: NS_MAIN, "xmlns:r": NS_R },
    x("sheetPr", {}, x("pageSetUpPr", { fitToPage: "1" })),
    x("dimension", { ref: `A1:${colLetters(lastCol)}${lastRow}` }),
    x("sheetViews", {}, x("sheetView", { workbookViewId: "0" })),
    x("sheetFormatPr", { defaultRowHeight: "15" }),
    x("cols", {}, ...plan.widths.map((w, i) => x("col", { min: String(i + 1), max: String(i + 1), width: String(w), customWidth: "1" }))),
    sheetData,
    x("pageMargins", { left: "0.5", right: "0.5", top: "0.6", bottom: "0.6", header: "0.3", footer: "0.3" }),
    // one landscape page wide: LibreOffice and Excel print (and convert to PDF) tables and charts together
    x("pageSetup", { paperSize: "9", orientation: "landscape", fitToWidth: "1", fitToHeight: "0" }),
    x("drawing", { "r:id": drawingRid }),
  );
}

function anchorXml(c: ChartPlan, rid: string, shapeId: number): XmlElement {
  const marker = (tag: string, row: number, col: number) =>
    x(tag, {}, x("xdr:col", {}, String(col - 1)), x("xdr:colOff", {}, "0"), x("xdr:row", {}, String(row - 1)), x("xdr:rowOff", {}, "0"));
  return x(
    "xdr:twoCellAnchor",
    {},
    marker("xdr:from", c.from.row, c.from.col),
    marker("xdr:to", c.to.row, c.to.col),
    x(
      "xdr:graphicFrame",
      { macro: "" },
      x("xdr:nvGraphicFramePr", {}, x("xdr:cNvPr", { id: String(shapeId), name: c.name, descr: c.title }), x("xdr:cNvGraphicFramePr")),
      x("xdr:xfrm", {}, x("a:off", { x: "0", y: "0" }), x("a:ext", { cx: "0", cy: "0" })),
      x("a:graphic", {}, x("a:graphicData", { uri: NS_C }, x("c:chart", { "xmlns:c": NS_C, "xmlns:r": NS_R, "r:id": rid }))),
    ),
    x("xdr:clientData"),
  );
}

const val = (name: string, v: string) => x(name, { val: v });

function rich(text: string, size: number, bold: boolean): XmlElement {
  const rPr = { lang: "vi-VN", sz: String(size), b: bold ? "1" : "0" };
  return x("c:rich", {}, x("a:bodyPr"), x("a:lstStyle"), x("a:p", {}, x("a:pPr", {}, x("a:defRPr", rPr)), x("a:r", {}, x("a:rPr", rPr), x("a:t", {}, text))));
}

function txPr(size: number): XmlElement {
  return x("c:txPr", {}, x("a:bodyPr"), x("a:lstStyle"), x("a:p", {}, x("a:pPr", {}, x("a:defRPr", { sz: String(size) })), x("a:endParaRPr", { lang: "vi-VN" })));
}

function chartXml(c: ChartPlan, sheet: string): XmlElement {
  const n = c.categories.length;
  const catRef = ref(sheet, 1, c.firstRow, 1, c.lastRow);
  const strCache = (items: string[]) =>
    x("c:strCache", {}, val("c:ptCount", String(items.length)), ...items.map((t, i) => x("c:pt", { idx: String(i) }, x("c:v", {}, t))));
  const series = c.series.map((s, k) =>
    x(
      "c:ser",
      {},
      val("c:idx", String(k)),
      val("c:order", String(k)),
      x("c:tx", {}, x("c:strRef", {}, x("c:f", {}, ref(sheet, 2 + k, c.headerRow)), strCache([s.name]))),
      x("c:spPr", {}, x("a:solidFill", {}, val("a:srgbClr", PALETTE[k % PALETTE.length]))),
      val("c:invertIfNegative", "0"),
      x("c:cat", {}, x("c:strRef", {}, x("c:f", {}, catRef), strCache(c.categories))),
      x(
        "c:val",
        {},
        x(
          "c:numRef",
          {},
          x("c:f", {}, ref(sheet, 2 + k, c.firstRow, 2 + k, c.lastRow)),
          x(
            "c:numCache",
            {},
            x("c:formatCode", {}, c.numberFormat),
            val("c:ptCount", String(n)),
            // a point with no figure is left out of the cache (a gap), as Excel writes it
            ...s.values.flatMap((v, i) => (v === null ? [] : [x("c:pt", { idx: String(i) }, x("c:v", {}, num(v)))])),
          ),
        ),
      ),
    ),
  );
  const horizontal = c.type === "bar";
  const stacked = c.grouping === "stacked";
  // clustered figures are few and read best as numbers on the bars; stacked ones would overlap
  const labels = stacked
    ? null
    : x(
        "c:dLbls",
        {},
        x("c:numFmt", { formatCode: c.numberFormat, sourceLinked: "0" }),
        x("c:spPr", {}, x("a:noFill"), x("a:ln", {}, x("a:noFill"))),
        txPr(800),
        val("c:showLegendKey", "0"),
        val("c:showVal", "1"),
        val("c:showCatName", "0"),
        val("c:showSerName", "0"),
        val("c:showPercent", "0"),
        val("c:showBubbleSize", "0"),
      );
  return x(
    "c:chartSpace",
    { "xmlns:c": NS_C, "xmlns:a": NS_A, "xmlns:r": NS_R },
    val("c:date1904", "0"),
    val("c:lang", "vi-VN"),
    val("c:roundedCorners", "0"),
    x(
      "c:chart",
      {},
      x("c:title", {}, x("c:tx", {}, rich(c.title, 1200, true)), val("c:overlay", "0")),
      val("c:autoTitleDeleted", "0"),
      x(
        "c:plotArea",
        {},
        x("c:layout"),
        x(
          "c:barChart",
          {},
          val("c:barDir", horizontal ? "bar" : "col"),
          val("c:grouping", c.grouping),
          val("c:varyColors", "0"),
          ...series,
          labels,
          val("c:gapWidth", stacked ? "60" : "80"),
          stacked ? val("c:overlap", "100") : null,
          val("c:axId", "500000001"),
          val("c:axId", "500000002"),
        ),
        x(
          "c:catAx",
          {},
          val("c:axId", "500000001"),
          // horizontal bars: the first category on top, as in the table
          x("c:scaling", {}, val("c:orientation", horizontal ? "maxMin" : "minMax")),
          val("c:delete", "0"),
          val("c:axPos", horizontal ? "l" : "b"),
          x("c:numFmt", { formatCode: "General", sourceLinked: "0" }),
          val("c:majorTickMark", "none"),
          val("c:minorTickMark", "none"),
          val("c:tickLblPos", "nextTo"),
          txPr(900),
          val("c:crossAx", "500000002"),
          val("c:crosses", "autoZero"),
          val("c:auto", "1"),
          val("c:lblAlgn", "ctr"),
          val("c:lblOffset", "100"),
          val("c:noMultiLvlLbl", "0"),
        ),
        x(
          "c:valAx",
          {},
          val("c:axId", "500000002"),
          x("c:scaling", {}, val("c:orientation", "minMax"), val("c:min", "0")),
          val("c:delete", "0"),
          val("c:axPos", horizontal ? "b" : "l"),
          x("c:majorGridlines", {}, x("c:spPr", {}, x("a:ln", { w: "6350" }, x("a:solidFill", {}, val("a:srgbClr", "E0E0E0"))))),
          x("c:numFmt", { formatCode: c.numberFormat, sourceLinked: "0" }),
          val("c:majorTickMark", "none"),
          val("c:minorTickMark", "none"),
          val("c:tickLblPos", "nextTo"),
          txPr(900),
          val("c:crossAx", "500000001"),
          val("c:crosses", horizontal ? "max" : "autoZero"),
          val("c:crossBetween", "between"),
        ),
      ),
      x("c:legend", {}, val("c:legendPos", "b"), val("c:overlay", "0"), txPr(900)),
      val("c:plotVisOnly", "1"),
      val("c:dispBlanksAs", "gap"),
    ),
  );
}
