// A small XML tree on top of saxes, for the few parts the fill edits (a form sheet, workbook.xml,
// styles.xml, a chart …). Why a tree and not string surgery: qualified names, attribute order,
// comments, processing instructions and whitespace come back as they were, and every edit is on
// parsed values (entities decoded once, escaped once on the way out). Names are kept as written
// ("x14:cfRule"): namespace prefixes are not resolved, matching is by local name.
// No node: imports, so the task pane can use it too.
import { SaxesParser } from "saxes";

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
  | { kind: "pi"; target: string; body: string };

export interface XmlDocument {
  /** the raw declaration, e.g. `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` */
  declaration: string | null;
  /** comments / PIs / whitespace before the root */
  prolog: XmlNode[];
  root: XmlElement;
  epilog: XmlNode[];
}

export function parseXml(text: string): XmlDocument {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let declaration: string | null = null;
  const prolog: XmlNode[] = [];
  const epilog: XmlNode[] = [];
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const add = (n: XmlNode): void => {
    if (stack.length) stack[stack.length - 1].children.push(n);
    else if (root) epilog.push(n);
    else prolog.push(n);
  };
  parser.on("xmldecl", (d) => {
    let s = `<?xml version="${d.version ?? "1.0"}"`;
    if (d.encoding !== undefined) s += ` encoding="${d.encoding}"`;
    if (d.standalone !== undefined) s += ` standalone="${d.standalone}"`;
    declaration = s + "?>";
  });
  parser.on("processinginstruction", (pi) => add({ kind: "pi", target: pi.target, body: pi.body }));
  parser.on("comment", (c) => add({ kind: "comment", text: c }));
  parser.on("text", (t) => {
    if (stack.length === 0 && /^\s*$/.test(t)) return; // whitespace around the root is not kept
    add({ kind: "text", text: t });
  });
  parser.on("cdata", (t) => add({ kind: "cdata", text: t }));
  parser.on("opentag", (tag) => {
    const el: XmlElement = {
      kind: "element",
      name: tag.name,
      attrs: new Map(Object.entries(tag.attributes as Record<string, string>)),
      children: [],
      selfClosing: tag.isSelfClosing,
    };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  if (!root) throw new Error("XML document without a root element");
  return { declaration, prolog, root, epilog };
}

// \r is written as a reference: a parser turns a literal one into \n, losing it
const escText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
const escAttr = (s: string): string =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");

function writeNode(n: XmlNode, out: string[]): void {
  switch (n.kind) {
    case "text":
      out.push(escText(n.text));
      return;
    case "cdata":
      out.push(`<![CDATA[${n.text}]]>`);
      return;
    case "comment":
      out.push(`<!--${n.text}-->`);
      return;
    case "pi":
      out.push(`<?${n.target}${n.body ? " " + n.body : ""}?>`);
      return;
    case "element": {
      out.push("<", n.name);
      for (const [k, v] of n.attrs) out.push(" ", k, '="', escAttr(v), '"');
      if (n.children.length === 0 && n.selfClosing) {
        out.push("/>");
        return;
      }
      out.push(">");
      for (const c of n.children) writeNode(c, out);
      out.push("</", n.name, ">");
    }
  }
}

export function serializeXml(doc: XmlDocument): string {
  const out: string[] = [];
  if (doc.declaration) out.push(doc.declaration, "\r\n");
  for (const n of doc.prolog) writeNode(n, out);
  writeNode(doc.root, out);
  for (const n of doc.epilog) writeNode(n, out);
  return out.join("");
}

export function serializeElement(el: XmlElement): string {
  const out: string[] = [];
  writeNode(el, out);
  return out.join("");
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
 * existing child whose local name comes later in `order`.
 */
export function insertOrdered(parent: XmlElement, child: XmlElement, order: readonly string[]): void {
  const rank = order.indexOf(localName(child.name));
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

// OOXML's ST_Xstring escapes characters XML 1.0 cannot carry as _xHHHH_ (and a literal "_x" that
// would read as an escape as _x005F_). Shared strings, inline strings and comments use it.
export function encodeXstring(s: string): string {
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}
export function decodeXstring(s: string): string {
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
