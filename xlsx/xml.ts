// A small XML tree on top of saxes, for the few parts the fill edits (a form sheet, workbook.xml,
// styles.xml, a chart …). Why a tree and not string surgery: qualified names, attribute order,
// comments, processing instructions and whitespace come back as they were, and every edit is on
// parsed values (entities decoded once, escaped once on the way out). Names are kept as written
// ("x14:cfRule"): namespace prefixes are not resolved, matching is by local name.
// No node: imports, so the task pane can use it too.
import { SaxesParser } from "saxes";
import { NO_ATTRS, scanXml, XmlFallback, type XmlEvents } from "./fastxml.js";
import { escapeAttr, escapeText } from "./escape.js";

export interface XmlElement {
  kind: "element";
  name: string;
  /** attributes in document order */
  attrs: Map<string, string>;
  children: XmlNode[];
  /** written as <a/> when it has no children and was self-closing (or is new) */
  selfClosing: boolean;
}
export type XmlNode =
  | XmlElement
  | { kind: "text"; text: string }
  | { kind: "cdata"; text: string }
  | { kind: "comment"; text: string }
  | { kind: "pi"; target: string; body: string }
  | RawXml;

/**
 * Markup written out verbatim, unparsed: only ever a worksheet cell's value, standing for its
 * <v>/<is> children — as read (parseXml with `rawCellValues`) or as the fill writes it. Nothing
 * reads inside it; writing the cell again replaces it whole.
 */
export interface RawXml {
  kind: "raw";
  xml: string;
}

export interface XmlDocument {
  /** the raw declaration, e.g. `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` */
  declaration: string | null;
  /** comments / PIs / whitespace before the root */
  prolog: XmlNode[];
  root: XmlElement;
  epilog: XmlNode[];
}

export interface ParseOptions {
  /**
   * Keep the value of each worksheet cell (sheetData/row/c) whose children are only <v> and <is>
   * as one RawXml node instead of a subtree: a form sheet of 5 000 rows has some 300 000 such
   * elements and text nodes, which the fill never reads (it replaces the values it writes and
   * keeps the others as they are). Cells with anything else (a formula, an extLst, white space)
   * are parsed as usual.
   */
  rawCellValues?: boolean;
}

export function parseXml(text: string, opts: ParseOptions = {}): XmlDocument {
  return readXmlEvents(text, (read, src, fast) => buildTree(src, read, fast && opts.rawCellValues === true));
}

/**
 * The one way the toolkit reads a whole XML text (a byte-order mark skipped): `run` is given the
 * fast reader's events, and when it cannot vouch for the text, runs again from a clean state over
 * saxes's (which gives the same events for a document both read, or its own error).
 */
export function readXmlEvents<T>(text: string, run: (read: (ev: XmlEvents) => void, src: string, fast: boolean) => T): T {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return run((ev) => scanXml(src, ev), src, true);
  } catch (e) {
    if (!(e instanceof XmlFallback)) throw e;
  }
  return run((ev) => saxesEvents(src, ev), src, false);
}

/** The same events as scanXml, from saxes (what the fast reader leaves to it, and errors). */
export function saxesEvents(src: string, ev: XmlEvents): void {
  const parser = new SaxesParser({ xmlns: false, position: false });
  if (ev.xmldecl) parser.on("xmldecl", (d) => ev.xmldecl!({ version: d.version ?? "1.0", ...(d.encoding !== undefined ? { encoding: d.encoding } : {}), ...(d.standalone !== undefined ? { standalone: d.standalone } : {}) }));
  if (ev.text) parser.on("text", ev.text);
  if (ev.cdata) parser.on("cdata", ev.cdata);
  if (ev.comment) parser.on("comment", ev.comment);
  if (ev.opentag) parser.on("opentag", (tag) => ev.opentag!(tag.name, new Map(Object.entries(tag.attributes as Record<string, string>)), tag.isSelfClosing, -1, -1));
  if (ev.closetag) parser.on("closetag", (tag) => ev.closetag!(tag.name, -1, -1));
  parser.on("processinginstruction", (pi) => ev.pi?.(pi.target, pi.body));
  parser.write(src).close();
}

function buildTree(src: string, read: (ev: XmlEvents) => void, rawCells: boolean): XmlDocument {
  let declaration: string | null = null;
  const prolog: XmlNode[] = [];
  const epilog: XmlNode[] = [];
  const stack: XmlElement[] = [];
  let top: XmlElement | null = null;
  let root: XmlElement | null = null;
  const add = (n: XmlNode): void => {
    if (top) top.children.push(n);
    else if (root) epilog.push(n);
    else prolog.push(n);
  };
  // raw cell values: the stack depth of <sheetData> (-1 outside it), the cell being read and
  // where its content starts, how deep inside a skipped <v>/<is> we are, and whether the cell
  // turned out to need a real subtree
  let sheetDataDepth = -1;
  let cell: XmlElement | null = null;
  let cellStart = 0;
  let skip = 0;
  let skipped = false;
  let mixed = false;
  read({
    xmldecl: (d) => {
      let s = `<?xml version="${d.version}"`;
      if (d.encoding !== undefined) s += ` encoding="${d.encoding}"`;
      if (d.standalone !== undefined) s += ` standalone="${d.standalone}"`;
      declaration = s + "?>";
    },
    pi: (target, body) => add({ kind: "pi", target, body }),
    comment: (c) => {
      if (cell) {
        if (skip === 0) mixed = true;
      } else add({ kind: "comment", text: c });
    },
    text: (t) => {
      if (cell) {
        if (skip === 0) mixed = true;
        return;
      }
      if (!top && /^\s*$/.test(t)) return; // whitespace around the root is not kept
      add({ kind: "text", text: t });
    },
    cdata: (t) => {
      if (cell) {
        if (skip === 0) mixed = true;
      } else add({ kind: "cdata", text: t });
    },
    opentag: (name, attrs, selfClosing, start, end) => {
      if (cell) {
        if (skip > 0) skip++;
        else {
          const ln = localName(name);
          if (ln !== "v" && ln !== "is") mixed = true;
          skipped = true;
          skip = 1;
        }
        return;
      }
      const el: XmlElement = { kind: "element", name, attrs: attrs === NO_ATTRS ? new Map() : attrs, children: [], selfClosing };
      if (top) top.children.push(el);
      else root = el;
      stack.push(el);
      top = el;
      if (!rawCells) return;
      const depth = stack.length;
      if (sheetDataDepth === -1) {
        if (depth === 2 && localName(name) === "sheetData") sheetDataDepth = depth;
      } else if (sheetDataDepth > 0 && depth === sheetDataDepth + 2 && !selfClosing && localName(name) === "c" && localName(stack[depth - 2].name) === "row") {
        cell = el;
        cellStart = end;
        skip = 0;
        skipped = false;
        mixed = false;
      }
    },
    closetag: (_name, start) => {
      if (cell && skip > 0) {
        skip--;
        return;
      }
      if (cell) {
        // the cell itself ends
        const inner = src.slice(cellStart, start);
        if (mixed) cell.children = buildTree(`<c>${inner}</c>`, (ev) => scanXml(`<c>${inner}</c>`, ev), false).root.children;
        else if (skipped) cell.children.push({ kind: "raw", xml: inner }); // the cell's own (empty) array
        cell = null;
      }
      if (stack.length === sheetDataDepth) sheetDataDepth = -2; // one sheetData only
      stack.pop();
      top = stack.length ? stack[stack.length - 1] : null;
    },
  });
  if (!root) throw new Error("XML document without a root element");
  return { declaration, prolog, root, epilog };
}

/** Where serialisation goes: a string, or UTF-8 bytes straight away. */
interface Sink {
  put(s: string): void;
}

function writeNode(n: XmlNode, out: Sink): void {
  switch (n.kind) {
    case "text":
      out.put(escapeText(n.text));
      return;
    case "raw":
      out.put(n.xml);
      return;
    case "cdata":
      out.put(`<![CDATA[${n.text}]]>`);
      return;
    case "comment":
      out.put(`<!--${n.text}-->`);
      return;
    case "pi":
      out.put(`<?${n.target}${n.body ? " " + n.body : ""}?>`);
      return;
    case "element": {
      out.put("<");
      out.put(n.name);
      for (const [k, v] of n.attrs) {
        out.put(" ");
        out.put(k);
        out.put('="');
        out.put(escapeAttr(v));
        out.put('"');
      }
      const kids = n.children;
      if (kids.length === 0 && n.selfClosing) {
        out.put("/>");
        return;
      }
      out.put(">");
      for (let i = 0; i < kids.length; i++) writeNode(kids[i], out);
      out.put("</");
      out.put(n.name);
      out.put(">");
    }
  }
}

function writeDocument(doc: XmlDocument, out: Sink): void {
  if (doc.declaration) {
    out.put(doc.declaration);
    out.put("\r\n");
  }
  for (const n of doc.prolog) writeNode(n, out);
  writeNode(doc.root, out);
  for (const n of doc.epilog) writeNode(n, out);
}

class StringSink implements Sink {
  private parts: string[] = [];
  put(s: string): void {
    this.parts.push(s);
  }
  text(): string {
    return this.parts.join("");
  }
}

/**
 * UTF-8 written as it comes into one growing buffer. A form sheet is megabytes in some million
 * pieces; as a string they all stayed alive (a rope or an array) until the one encode at the end,
 * and the garbage collector copied them around meanwhile. Encodes as TextEncoder does (an
 * unpaired surrogate becomes U+FFFD).
 */
class Utf8Sink implements Sink {
  private static readonly encoder = new TextEncoder();
  private buf = new Uint8Array(1 << 16);
  private n = 0;
  put(s: string): void {
    const len = s.length;
    if (this.n + len * 3 > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.n + len * 3) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    // a long piece (a form's rows as text, a lineage part) is encoded natively; the many short
    // ones below, where a call into the encoder costs more than the loop
    if (len > 512) {
      this.n += Utf8Sink.encoder.encodeInto(s, this.buf.subarray(this.n)).written;
      return;
    }
    const b = this.buf;
    let n = this.n;
    for (let i = 0; i < len; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        b[n++] = c;
        continue;
      }
      if (c < 0x800) {
        b[n++] = 0xc0 | (c >> 6);
        b[n++] = 0x80 | (c & 0x3f);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[n++] = 0xf0 | (cp >> 18);
          b[n++] = 0x80 | ((cp >> 12) & 0x3f);
          b[n++] = 0x80 | ((cp >> 6) & 0x3f);
          b[n++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      b[n++] = 0xe0 | (c >> 12);
      b[n++] = 0x80 | ((c >> 6) & 0x3f);
      b[n++] = 0x80 | (c & 0x3f);
    }
    this.n = n;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

export function serializeXml(doc: XmlDocument): string {
  const out = new StringSink();
  writeDocument(doc, out);
  return out.text();
}

/** serializeXml, encoded as UTF-8 (what a package part holds). */
export function serializeXmlBytes(doc: XmlDocument): Uint8Array {
  const out = new Utf8Sink();
  writeDocument(doc, out);
  return out.bytes();
}

export function serializeElement(el: XmlElement): string {
  const out = new StringSink();
  writeNode(el, out);
  return out.text();
}

// ---------------------------------------------------------------- helpers

export const localName = (name: string): string => {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
};
export const prefixOf = (name: string): string => {
  const i = name.indexOf(":");
  return i < 0 ? "" : name.slice(0, i + 1);
};

export function elem(name: string, attrs: Record<string, string> = {}, children: XmlNode[] = []): XmlElement {
  return { kind: "element", name, attrs: new Map(Object.entries(attrs)), children, selfClosing: true };
}

export function isElement(n: XmlNode): n is XmlElement {
  return n.kind === "element";
}

export function childElements(el: XmlElement, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === "element" && (local === undefined || localName(c.name) === local)) out.push(c);
  return out;
}

export function firstChild(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) if (c.kind === "element" && localName(c.name) === local) return c;
  return undefined;
}

/** Every descendant element (depth first, document order) with that local name. */
export function descendants(el: XmlElement, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.kind !== "element") continue;
    if (localName(c.name) === local) out.push(c);
    descendants(c, local, out);
  }
  return out;
}

/** Visit every element (depth first, document order). */
export function walk(el: XmlElement, fn: (e: XmlElement, parent: XmlElement | null) => void, parent: XmlElement | null = null): void {
  fn(el, parent);
  for (const c of el.children) if (c.kind === "element") walk(c, fn, el);
}

/** The text content (text and CDATA) of an element. */
export function textOf(el: XmlElement): string {
  let s = "";
  for (const c of el.children) {
    if (c.kind === "text" || c.kind === "cdata") s += c.text;
    else if (c.kind === "element") s += textOf(c);
  }
  return s;
}

export function setText(el: XmlElement, text: string): void {
  el.children = text === "" ? [] : [{ kind: "text", text }];
  el.selfClosing = text === "";
}

/**
 * Insert `child` into `parent` respecting a schema's child order: it goes before the first
 * existing child whose local name comes later in `order`. A node that is not an element (raw
 * markup standing for one) says which element it stands for with `local`.
 */
export function insertOrdered(parent: XmlElement, child: XmlNode, order: readonly string[], local = child.kind === "element" ? localName(child.name) : ""): void {
  const rank = order.indexOf(local);
  let at = parent.children.length;
  for (let i = 0; i < parent.children.length; i++) {
    const c = parent.children[i];
    if (c.kind !== "element") continue;
    const r = order.indexOf(localName(c.name));
    if (r > rank) {
      at = i;
      break;
    }
  }
  parent.children.splice(at, 0, child);
  parent.selfClosing = false;
}

export function removeChild(parent: XmlElement, child: XmlNode): void {
  const i = parent.children.indexOf(child);
  if (i >= 0) parent.children.splice(i, 1);
}
