// A fast reader for the XML a spreadsheet package is made of, beside saxes. saxes checks every
// character one by one through a state machine; reading a 4 MB form sheet that way took most of
// a fill's parse time and left a lot of garbage. Here the text is cut with indexOf and small
// sticky regexes, which V8 runs far faster.
//
// It is deliberately partial: it handles what OOXML parts are made of (an XML declaration,
// elements, attributes, text, entity and character references, comments, CDATA) and throws
// XmlFallback on anything else or on anything it doubts (a DOCTYPE, a processing instruction, a
// name outside ASCII, a character XML 1.0 forbids, a tag that does not match, text outside the
// root …). The caller then reads the same text again with saxes, which gives the same events for
// a document both read, and its own error for a malformed one: the fast reader never accepts a
// document saxes would refuse, and never answers differently.
//
// Events are those of saxes({ xmlns: false }) that the readers here use, in the same order and
// with the same values (end-of-line and attribute-value normalisation included).
// No node: imports (the task pane may reuse it).
import { decodeReferences, normaliseEol } from "./escape.js";

/** The fast reader cannot vouch for this text: read it with saxes. */
export class XmlFallback extends Error {
  override name = "XmlFallback";
}

export interface XmlDecl {
  version: string;
  encoding?: string;
  standalone?: string;
}

/**
 * The attributes scanXml hands over for a tag that has none: one shared, empty map (most tags of
 * a sheet — <v>, <is>, <t> — have none). A reader that keeps the map must copy this one.
 */
export const NO_ATTRS: ReadonlyMap<string, string> = new Map();

export interface XmlEvents {
  xmldecl?(d: XmlDecl): void;
  /**
   * attributes in document order (NO_ATTRS when there are none); `start` is the offset of the
   * tag's "<" and `end` the offset after its ">" (scanXml only: saxesEvents gives -1)
   */
  opentag?(name: string, attrs: Map<string, string>, selfClosing: boolean, start: number, end: number): void;
  /** `start`/`end` as for opentag (both at the end of a self-closing tag) */
  closetag?(name: string, start: number, end: number): void;
  text?(t: string): void;
  cdata?(t: string): void;
  comment?(t: string): void;
  /** never called by scanXml (it leaves processing instructions to saxes) */
  pi?(target: string, body: string): void;
}

const fallback = (why: string): never => {
  throw new XmlFallback(why);
};

// XML 1.0 forbids these characters anywhere (saxes reports them as errors); unpaired surrogates
// are looked for only in a text that has surrogates at all (the look-around is slow)
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// ASCII names only; anything else is left to saxes. By hand rather than a sticky regex: exec
// allocates a match array per name, a few hundred thousand per sheet.
const nameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58;
const nameChar = (c: number): boolean => nameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
/** The offset after the name that starts at `i`, or -1 when none does. */
export function nameEnd(src: string, i: number): number {
  if (!nameStart(src.charCodeAt(i))) return -1;
  let j = i + 1;
  while (nameChar(src.charCodeAt(j))) j++;
  return j;
}
const DECL = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.0"|'1\.0')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(yes|no)"|'(yes|no)'))?[ \t\r\n]*\?>/y;
const WS_ONLY = /^[ \t\r\n]*$/;
const NEEDS_TEXT_WORK = /[&\r]|\]\]>/;
const NEEDS_ATTR_WORK = /[&\t\n\r]/;

export const isWs = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

// either of the two above, or a surrogate: one pass over a text that has none of them (nearly all)
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Has the text no character XML forbids (what scanXml checks a whole document for first)? */
export function charsAllowed(src: string): boolean {
  if (!SUSPECT.test(src)) return true;
  return !(BAD_CHAR.test(src) || (SURROGATE.test(src) && LONE_SURROGATE.test(src)));
}

/**
 * The value of a text between tags as scanXml hands it over (references decoded, line ends
 * normalised). Throws XmlFallback on what it leaves to saxes. For readers of their own (the fill's
 * snapshot of a sheet's rows) that must read exactly what scanXml reads.
 */
export function xmlText(raw: string): string {
  return NEEDS_TEXT_WORK.test(raw) ? textValue(raw) : raw;
}

/** An attribute's value as scanXml hands it over (raw: between its quotes). Throws XmlFallback likewise. */
export function xmlAttr(raw: string): string {
  return NEEDS_ATTR_WORK.test(raw) ? attrValue(raw) : raw;
}

/** Read a whole document, calling `ev` as saxes would. Throws XmlFallback when unsure. */
export function scanXml(src: string, ev: XmlEvents): void {
  if (!charsAllowed(src)) fallback("a character XML forbids");
  const n = src.length;
  let i = 0;
  if (src.startsWith("<?xml", 0) && isWs(src.charCodeAt(5))) {
    DECL.lastIndex = 0;
    const m = DECL.exec(src);
    if (!m) fallback("an unusual XML declaration");
    const enc = m![1] ?? m![2];
    const sa = m![3] ?? m![4];
    const d: XmlDecl = { version: "1.0" };
    if (enc !== undefined) d.encoding = enc;
    if (sa !== undefined) d.standalone = sa;
    ev.xmldecl?.(d);
    i = DECL.lastIndex;
  }
  const stack: string[] = [];
  let rootDone = false;
  while (i < n) {
    const lt = src.indexOf("<", i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const raw = src.slice(i, end);
      if (stack.length === 0 && !WS_ONLY.test(raw)) fallback("text outside the root element");
      // saxes passes over white space at the very start of a document without a declaration
      if (i > 0) ev.text?.(xmlText(raw));
    }
    if (lt < 0) break;
    const c = src.charCodeAt(lt + 1);
    if (c === 47 /* / */) {
      const e = nameEnd(src, lt + 2);
      if (e < 0) fallback("a bad end tag");
      let j = e;
      while (isWs(src.charCodeAt(j))) j++;
      if (src.charCodeAt(j) !== 62 /* > */) fallback("a bad end tag");
      const name = src.slice(lt + 2, e);
      if (stack.pop() !== name) fallback("an end tag that does not match");
      if (stack.length === 0) rootDone = true;
      ev.closetag?.(name, lt, j + 1);
      i = j + 1;
    } else if (c === 33 /* ! */) {
      if (src.startsWith("<!--", lt)) {
        const close = src.indexOf("-->", lt + 4);
        if (close < 0) fallback("an unclosed comment");
        const body = src.slice(lt + 4, close);
        if (body.includes("--") || body.endsWith("-")) fallback("a comment saxes refuses");
        ev.comment?.(body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body);
        i = close + 3;
      } else if (src.startsWith("<![CDATA[", lt) && stack.length > 0) {
        const close = src.indexOf("]]>", lt + 9);
        if (close < 0) fallback("an unclosed CDATA section");
        const body = src.slice(lt + 9, close);
        ev.cdata?.(body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body);
        i = close + 3;
      } else {
        fallback("a DOCTYPE or a misplaced CDATA section");
      }
    } else {
      if (rootDone) fallback("a second root element");
      const e = nameEnd(src, lt + 1);
      if (e < 0) fallback("a processing instruction or a bad start tag");
      const name = src.slice(lt + 1, e);
      let j = e;
      let attrs: Map<string, string> | null = null;
      let selfClosing = false;
      for (;;) {
        let ws = false;
        while (isWs(src.charCodeAt(j))) {
          j++;
          ws = true;
        }
        const d = src.charCodeAt(j);
        if (d === 62 /* > */) {
          j++;
          break;
        }
        if (d === 47 /* / */) {
          if (src.charCodeAt(j + 1) !== 62) fallback("a bad start tag");
          j += 2;
          selfClosing = true;
          break;
        }
        if (!ws) fallback("attributes without white space between them");
        const ae = nameEnd(src, j);
        if (ae < 0) fallback("a bad attribute name");
        const an = src.slice(j, ae);
        j = ae;
        while (isWs(src.charCodeAt(j))) j++;
        if (src.charCodeAt(j) !== 61 /* = */) fallback("an attribute without a value");
        j++;
        while (isWs(src.charCodeAt(j))) j++;
        const q = src.charCodeAt(j);
        if (q !== 34 && q !== 39) fallback("an unquoted attribute value");
        const close = src.indexOf(q === 34 ? '"' : "'", j + 1);
        if (close < 0) fallback("an unclosed attribute value");
        const raw = src.slice(j + 1, close);
        if (raw.includes("<")) fallback("< in an attribute value");
        if (attrs === null) attrs = new Map();
        else if (attrs.has(an)) fallback("a duplicate attribute");
        attrs.set(an, xmlAttr(raw));
        j = close + 1;
      }
      stack.push(name);
      ev.opentag?.(name, attrs ?? (NO_ATTRS as Map<string, string>), selfClosing, lt, j);
      if (selfClosing) {
        stack.pop();
        if (stack.length === 0) rootDone = true;
        ev.closetag?.(name, j, j);
      }
      i = j;
    }
  }
  if (stack.length > 0 || !rootDone) fallback("an unclosed element or no root");
}

function textValue(raw: string): string {
  if (raw.includes("]]>")) fallback("]]> in text");
  return decodeRefs(normaliseEol(raw));
}

// literal white space in an attribute value becomes a space (after \r\n became one character);
// characters given as references stay what they are
function attrValue(raw: string): string {
  const s = raw.replace(/\r\n?|[\n\t]/g, " ");
  return s.includes("&") ? decodeRefs(s) : s;
}

// saxes refuses a bare "&", an entity it does not know and a reference to a forbidden character
const decodeRefs = (s: string): string =>
  decodeReferences(s, (_ref, why) => fallback(why === "forbidden" ? "a character reference XML forbids" : "an entity saxes does not know"));
