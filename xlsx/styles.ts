// styles.xml: number format codes of cell styles (for snapshots) and "the same style, but Text
// (@)" for cells the fill writes text into, so that Excel never reads "01" or "3/2024" from data
// as a number or a date when someone edits the cell.
import { childElements, elem, firstChild, insertOrdered, type XmlDocument, type XmlElement } from "./xml.js";
import { readPartText, stylesReader } from "./opc.js";


const TEXT_FMT_ID = 49;

const STYLESHEET_ORDER = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"];

/** Number format code of each cellXfs index, from styles.xml's text (the ETL's reader of it). */
export function numberFormatsOf(stylesXml: string | null): string[] {
  const numFmt = stylesXml === null ? [] : readPartText(stylesXml, stylesReader).numFmt;
  return numFmt.length ? numFmt : ["General"];
}

/** Hands out text-format variants of cell styles, adding xfs to styles.xml as needed. */
export class TextStyles {
  private readonly memo = new Map<number, number>();
  private textIds: Set<number>;
  changed = false;

  /** styles.xml, read by the row-height estimate (fonts and alignment of the styles handed out) */
  constructor(readonly doc: XmlDocument) {
    this.textIds = new Set([TEXT_FMT_ID]);
    const numFmts = firstChild(doc.root, "numFmts");
    if (numFmts) for (const f of childElements(numFmts, "numFmt")) if ((f.attrs.get("formatCode") ?? "") === "@") this.textIds.add(Number(f.attrs.get("numFmtId")));
  }

  private cellXfs(): XmlElement {
    let xfs = firstChild(this.doc.root, "cellXfs");
    if (!xfs) {
      xfs = elem("cellXfs", { count: "1" }, [elem("xf", { numFmtId: "0", fontId: "0", fillId: "0", borderId: "0", xfId: "0" })]);
      insertOrdered(this.doc.root, xfs, STYLESHEET_ORDER);
      this.changed = true;
    }
    return xfs;
  }

  isText(styleIndex: number): boolean {
    const xf = childElements(this.cellXfs(), "xf")[styleIndex];
    return xf !== undefined && this.textIds.has(Number(xf.attrs.get("numFmtId") ?? 0));
  }

  /** The index of a style like `styleIndex` whose number format is Text. */
  textVariant(styleIndex: number): number {
    const hit = this.memo.get(styleIndex);
    if (hit !== undefined) return hit;
    const xfsEl = this.cellXfs();
    const xfs = childElements(xfsEl, "xf");
    const base = xfs[styleIndex] ?? xfs[0];
    let result: number;
    if (base && this.textIds.has(Number(base.attrs.get("numFmtId") ?? 0))) {
      result = styleIndex < xfs.length ? styleIndex : 0;
    } else {
      const clone = cloneElement(base ?? elem("xf", { numFmtId: "0", fontId: "0", fillId: "0", borderId: "0", xfId: "0" }));
      clone.attrs.set("numFmtId", String(TEXT_FMT_ID));
      clone.attrs.set("applyNumberFormat", "1");
      // reuse an identical xf added before (another base style with the same look)
      const key = JSON.stringify([...clone.attrs]) + JSON.stringify(clone.children.filter((c) => c.kind === "element"));
      const same = xfs.findIndex((x) => JSON.stringify([...x.attrs]) + JSON.stringify(x.children.filter((c) => c.kind === "element")) === key);
      if (same >= 0) result = same;
      else {
        xfsEl.children.push(clone);
        xfsEl.selfClosing = false;
        xfsEl.attrs.set("count", String(xfs.length + 1));
        result = xfs.length;
        this.changed = true;
      }
    }
    this.memo.set(styleIndex, result);
    return result;
  }
}

export function cloneElement(e: XmlElement): XmlElement {
  return {
    kind: "element",
    name: e.name,
    attrs: new Map(e.attrs),
    selfClosing: e.selfClosing,
    children: e.children.map((c) => (c.kind === "element" ? cloneElement(c) : { ...c })),
  };
}
