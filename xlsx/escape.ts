// Text in and out of XML, for every reader and writer of the toolkit: XML's entity and character
// references, end-of-line handling and escaping, and OOXML's own _xHHHH_ escape (ST_Xstring).
// One copy, so that a fault fixed here (the "_x000D_" escape had to be fixed twice when each side
// had its own) is fixed for the ETL's reader, the fill's tree and its streaming patcher alike.
// No imports at all: the task pane may bundle it.

/** Whether a code point is a Char of XML 1.0 (what a character reference may stand for). */
export const isXmlChar = (c: number): boolean =>
  c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/**
 * What the caller makes of a reference that is not one of XML's: `unknown` (a bare "&", an entity
 * other than the five, a malformed "&#…;") or `forbidden` (a well-formed "&#1;" or "&#xFFFE;" for
 * a character XML 1.0 does not allow). Return the text to put in its place, null to keep the "&"
 * as written (the rest is then read on), or throw.
 */
export type BadReference = (ref: string, why: "unknown" | "forbidden") => string | null;

/** The five named entities and numeric character references replaced (one pass, left to right). */
export function decodeReferences(s: string, bad: BadReference): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let i = 0;
  for (; amp >= 0; amp = s.indexOf("&", i)) {
    const semi = s.indexOf(";", amp + 1);
    const ref = semi < 0 ? "" : s.slice(amp + 1, semi);
    let ch: string | null | undefined;
    if (ref.charCodeAt(0) === 35 /* # */) {
      const code = /^#x[0-9A-Fa-f]+$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]+$/.test(ref) ? parseInt(ref.slice(1), 10) : -1;
      ch = code < 0 ? bad(s.slice(amp, semi + 1), "unknown") : isXmlChar(code) ? String.fromCodePoint(code) : bad(s.slice(amp, semi + 1), "forbidden");
    } else {
      ch = Object.prototype.hasOwnProperty.call(NAMED, ref) ? NAMED[ref] : bad(semi < 0 ? "&" : s.slice(amp, semi + 1), "unknown");
    }
    if (ch === null) {
      out += s.slice(i, amp + 1);
      i = amp + 1;
    } else {
      out += s.slice(i, amp) + ch;
      i = semi + 1;
    }
  }
  return out + s.slice(i);
}

/**
 * XML's end-of-line handling, which a parser applies to the raw text before anything else: "\r\n"
 * and a lone "\r" are "\n". A CR the file means is "&#13;" or "_x000D_", both decoded after this.
 */
export function normaliseEol(s: string): string {
  return s.indexOf("\r") < 0 ? s : s.replace(/\r\n?/g, "\n");
}

// \r is written as a reference: a parser turns a literal one into \n, losing it
const TEXT_ESC = /[&<>\r]/;
const ATTR_ESC = /[&<"\n\r\t]/;

/** Text content escaped (as the fill's tree writes it and a parser reads it back unchanged). */
export function escapeText(s: string): string {
  return TEXT_ESC.test(s) ? s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;") : s;
}

/** An attribute value escaped for a double-quoted attribute (white space kept as references). */
export function escapeAttr(s: string): string {
  return ATTR_ESC.test(s)
    ? s
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/"/g, "&quot;")
        .replace(/\n/g, "&#10;")
        .replace(/\r/g, "&#13;")
        .replace(/\t/g, "&#9;")
    : s;
}

// OOXML's ST_Xstring escapes characters XML 1.0 cannot carry as _xHHHH_ (and a literal "_x" that
// would read as an escape as _x005F_). Shared strings, inline strings, formula results and
// comments use it.
const XSTRING_WORK = /_x[0-9A-Fa-f]{4}_|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function encodeXstring(s: string): string {
  if (!XSTRING_WORK.test(s)) return s; // nearly every text: nothing to escape
  return s
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, "_x005F_$1")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}_`);
}

/**
 * Excel's own escape inside text (ST_Xstring) undone: "_x000D_" is a carriage return, "_x005F_" an
 * underscore (so "_x005F_x000D_" is the literal text "_x000D_"). XML cannot carry a bare CR, so
 * Excel writes it this way; a reader that keeps the escape stores "_x000D_" as if it were text.
 */
export function decodeXstring(s: string): string {
  return s.indexOf("_x") < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
