// Large sheets without a tree. A sheet that is not a form but whose formulas may read a form
// sheet (or a name on one) only needs its formula texts moved and its stale cached results
// dropped; building a tree of a 100 000-row sheet for that costs seconds and a gigabyte. Here
// saxes reads the sheet once, tracking positions, and the edits are spliced into the original
// text: every byte the fill does not change stays as it was.
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { shiftFormula, translateFormula, type Moves } from "./formula.js";
import { parseRef } from "../../xlsx/refs.js";
import { escapeAttr, escapeText } from "../../xlsx/escape.js";

export interface FormulaPatchContext {
  /** the sheet's own name (bare references belong to it) */
  name: string;
  moves: Moves;
  /** lower-case names of the sheets being filled */
  filled: ReadonlySet<string>;
  /** whether a formula uses a defined name that reads a filled sheet */
  usesStaleName: (formula: string) => boolean;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const local = (n: string): string => n.slice(n.indexOf(":") + 1);

function startTag(name: string, attrs: Record<string, string>, selfClosing: boolean): string {
  let s = "<" + name;
  for (const k of Object.keys(attrs)) s += ` ${k}="${escapeAttr(attrs[k])}"`;
  return s + (selfClosing ? "/>" : ">");
}

/**
 * Move the formula references of a worksheet that is not being filled, and drop the cached
 * results of its formulas that read a filled sheet. Returns the new text, or null when nothing
 * changes.
 */
export function patchSheetFormulas(raw: string, ctx: FormulaPatchContext): string | null {
  const xml = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const edits: Edit[] = [];
  const p = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let tagStart = 0;
  let row = 0;
  let col = 0;
  // the current cell
  let cell: { start: number; end: number; attrs: Record<string, string>; stale: boolean; v: [number, number] | null } | null = null;
  let f: { start: number; attrs: Record<string, string>; textStart: number; selfClosing: boolean } | null = null;
  let vStart = 0;
  // a formula-bearing element outside cells (validation, conditional format, x14)
  let other: { textStart: number } | null = null;
  const masters = new Map<string, { row: number; col: number; text: string; expand: boolean }>();
  let text = "";

  const selfInvolved = ctx.filled.has(ctx.name.toLowerCase()) || ctx.moves.has(ctx.name.toLowerCase());
  const consider = (formula: string): { text: string; changed: boolean; stale: boolean } => {
    // a formula without a sheet prefix reads only this sheet (or names)
    if (!selfInvolved && !formula.includes("!")) return { text: formula, changed: false, stale: ctx.usesStaleName(formula) };
    const r = shiftFormula(formula, ctx.name, ctx.moves);
    let stale = false;
    for (const s of r.sheets) if (ctx.filled.has(s) || ctx.moves.has(s)) stale = true;
    if (!stale && ctx.usesStaleName(formula)) stale = true;
    return { text: r.text, changed: r.changed, stale };
  };

  p.on("opentagstart", (t) => {
    // saxes reports this after the name and the character that ends it
    tagStart = xml.lastIndexOf("<", p.position - t.name.length - 1);
  });
  p.on("opentag", (t: SaxesTagPlain) => {
    const ln = local(t.name);
    const parent = stack.length ? local(stack[stack.length - 1]) : "";
    stack.push(t.name);
    text = "";
    if (ln === "row" && parent === "sheetData") {
      row = t.attributes.r ? Number(t.attributes.r) : row + 1;
      col = 0;
    } else if (ln === "c" && parent === "row") {
      const ref = t.attributes.r ? parseRef(t.attributes.r) : null;
      col = ref ? ref.col : col + 1;
      if (ref) row = ref.row;
      cell = { start: tagStart, end: p.position, attrs: { ...t.attributes }, stale: false, v: null };
    } else if (ln === "f" && parent === "c" && cell) {
      f = { start: tagStart, attrs: { ...t.attributes }, textStart: p.position, selfClosing: t.isSelfClosing };
    } else if (ln === "v" && parent === "c") {
      vStart = tagStart;
    } else if (ln === "formula" || ln === "formula1" || ln === "formula2" || (ln === "f" && t.name.includes(":"))) {
      other = { textStart: p.position };
    } else if (ln === "hyperlink" && t.attributes.location) {
      const r = shiftFormula(t.attributes.location, selfInvolved ? ctx.name : null, ctx.moves);
      if (r.changed) edits.push({ start: tagStart, end: p.position, text: startTag(t.name, { ...t.attributes, location: r.text }, t.isSelfClosing) });
    }
  });
  p.on("text", (t) => {
    text += t;
  });
  p.on("cdata", (t) => {
    text += t;
  });
  p.on("closetag", (t) => {
    stack.pop();
    const ln = local(t.name);
    const end = p.position;
    const closeLen = t.isSelfClosing ? 0 : t.name.length + 3;
    if (closeLen && xml.slice(end - closeLen, end) !== `</${t.name}>`) throw new Error(`unusual end tag </${t.name} …>`);
    if (ln === "f" && f && cell) {
      const textEnd = end - closeLen;
      const attrs = f.attrs;
      if (attrs.t === "shared" && attrs.si !== undefined) {
        if (text) {
          const c = consider(text);
          const m = { row, col, text, expand: c.stale || c.changed };
          masters.set(attrs.si, m);
          if (m.expand) {
            edits.push({ start: f.start, end, text: `<f>${escapeText(c.text)}</f>` });
            cell.stale ||= c.stale;
          }
        } else {
          const m = masters.get(attrs.si);
          if (m?.expand) {
            const own = translateFormula(m.text, row - m.row, col - m.col);
            const c = consider(own);
            edits.push({ start: f.start, end, text: `<f>${escapeText(c.text)}</f>` });
            cell.stale ||= c.stale;
          }
        }
      } else if (text) {
        const c = consider(text);
        if (c.changed) edits.push({ start: f.textStart, end: textEnd, text: escapeText(c.text) });
        cell.stale ||= c.stale;
      }
      f = null;
    } else if (ln === "v" && cell) {
      cell.v = [vStart, end];
    } else if (ln === "c" && cell) {
      if (cell.stale) {
        if (cell.attrs.t !== undefined) {
          const { t: _drop, ...rest } = cell.attrs;
          edits.push({ start: cell.start, end: cell.end, text: startTag(t.name, rest, t.isSelfClosing) });
        }
        if (cell.v) edits.push({ start: cell.v[0], end: cell.v[1], text: "" });
      }
      cell = null;
    } else if (other && (ln === "formula" || ln === "formula1" || ln === "formula2" || (ln === "f" && t.name.includes(":")))) {
      const r = shiftFormula(text, selfInvolved ? ctx.name : null, ctx.moves);
      if (r.changed) edits.push({ start: other.textStart, end: end - closeLen, text: escapeText(r.text) });
      other = null;
    }
    text = "";
  });
  p.write(xml).close();
  if (edits.length === 0) return null;
  edits.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  let at = 0;
  for (const e of edits) {
    if (e.start < at) continue; // nested edit already covered (never produced: cells and their f/v are disjoint)
    out.push(xml.slice(at, e.start), e.text);
    at = e.end;
  }
  out.push(xml.slice(at));
  return out.join("");
}

/**
 * Whether a sheet's XML can name one of these sheets or defined names at all (a plain text
 * search, case-insensitive, on the names as they appear in XML text): when it cannot, the
 * sheet is left unparsed and untouched.
 */
export function mayMention(xmlLower: string, names: Iterable<string>): boolean {
  for (const n of names) {
    const esc = escapeText(n.toLowerCase());
    const forms = [esc, esc.replace(/'/g, "''")];
    for (const q of ["&apos;", "&#39;", "&#x27;"]) forms.push(forms[0].replace(/'/g, q), forms[1].replace(/'/g, q));
    if (forms.some((f) => xmlLower.includes(f))) return true;
  }
  return false;
}
