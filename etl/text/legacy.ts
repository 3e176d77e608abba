// Text typed in the pre-Unicode Vietnamese encodings, still common in old office workbooks:
// TCVN3 (ABC, "TCVN 5712:1993 VN3", fonts ".VnTime", ".VnArial", …) and VNI-Windows (fonts
// "VNI-Times", …). Excel stores such text as the Windows-1252 characters of the bytes, so
// "Tổng cộng" typed with .VnTime arrives as "Tæng céng", and with VNI-Times as "Toång coäng".
//
// The tables are the published code charts. They were checked against the open-source table in
// github.com/Eruylz/XuatThuy (Utils/Unicode2TCVN3.cs, TCVN3) and the VNI table of
// github.com/khiemdoan/VBKey (Modules/mdlCodeTable.bas); the tables here are written out anew.
// TCVN3 has precomposed lower-case letters only (plus Ă Â Đ Ê Ô Ơ Ư): capitals with tone marks
// come from the companion fonts ".VnTimeH", ".VnArialH" …, whose glyphs for the lower-case codes
// are capitals — so text in an "…H" font is upper-cased after conversion.

export type LegacyEncoding = "TCVN3" | "VNI";

// TCVN3 (ABC): Unicode letters and their byte in the same order.
const TCVN3_UNI = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂĐÊÔƠƯ";
const TCVN3_BYTES = "µ¶·¸¹¨»¼½¾Æ©ÇÈÉÊË®ÌÎÏÐÑªÒÓÔÕÖ×ØÜÝÞßáâãä«åæçèé¬êëìíîïñòóô\u00adõö÷øùúûüýþ¡¢§£¤¥¦";

const TCVN3_TO_UNI = new Map<string, string>();
for (let i = 0; i < TCVN3_UNI.length; i++) TCVN3_TO_UNI.set(TCVN3_BYTES[i]!, TCVN3_UNI[i]!);

// VNI-Windows: a base letter followed by a mark byte; a few letters are one byte of their own.
const TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]; // none, sắc, huyền, hỏi, ngã, nặng
// mark byte → [shape, tone]: shape "^" circumflex, "(" breve, "" none. Lower and upper case.
const VNI_MARKS = new Map<string, [string, number]>();
const markRow = (chars: string, shape: string): void => {
  // chars: tone order none, sắc, huyền, hỏi, ngã, nặng ("" where the cell does not exist)
  [...chars].forEach((c, tone) => {
    if (c !== "_") VNI_MARKS.set(c, [shape, tone]);
  });
};
markRow("_ùøûõï", "");
markRow("_ÙØÛÕÏ", "");
markRow("âáàåãä", "^");
markRow("ÂÁÀÅÃÄ", "^");
markRow("êéèúüë", "(");
markRow("ÊÉÈÚÜË", "(");
// one-byte letters
const VNI_SINGLE = new Map<string, string>([
  ["ô", "ơ"], ["Ô", "Ơ"], ["ö", "ư"], ["Ö", "Ư"], ["ñ", "đ"], ["Ñ", "Đ"],
  ["í", "í"], ["ì", "ì"], ["æ", "ỉ"], ["ó", "ĩ"], ["ò", "ị"],
  ["Í", "Í"], ["Ì", "Ì"], ["Æ", "Ỉ"], ["Ó", "Ĩ"], ["Ò", "Ị"],
  ["î", "ỵ"], ["Î", "Ỵ"],
]);

/** Letters of Vietnamese written in Unicode that live in Latin-1: no tell-tale in them. */
const VIET_LATIN1 = new Set([..."àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"]);

/** Characters of the legacy charts that Unicode Vietnamese never uses ("²", "°" are no tell-tales). */
const TELL_TALES = new Set([...TCVN3_BYTES, ...VNI_MARKS.keys(), ...VNI_SINGLE.keys()].filter((c) => !VIET_LATIN1.has(c)));

/** A Unicode letter beyond Latin-1 (ă, đ, ơ, ư, ạ, ệ …): the text is already Unicode. */
const BEYOND_LATIN1_LETTER = /[\u0100-\u024f\u1e00-\u1eff]/;

/** TCVN3 → Unicode; null when a character is not in the chart. */
export function fromTcvn3(text: string, upper = false): string | null {
  let out = "";
  for (const c of text) {
    if (c.charCodeAt(0) < 0x80) {
      out += c;
      continue;
    }
    const u = TCVN3_TO_UNI.get(c);
    if (u === undefined) {
      // typographic punctuation Excel may have turned into Unicode is fine as it is
      if (/[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0°]/.test(c)) {
        out += c;
        continue;
      }
      return null;
    }
    out += u;
  }
  return upper ? out.toUpperCase() : out;
}

const VNI_BASES = /[aeiouyAEIOUY]/;

function vniCompose(base: string, shape: string, tone: number): string | null {
  const lower = base.toLowerCase();
  let b: string;
  if (shape === "^") {
    if (!"aeo".includes(lower)) return null;
    b = lower + "\u0302";
  } else if (shape === "(") {
    if (lower !== "a") return null;
    b = "a\u0306";
  } else b = lower;
  const s = (b + TONES[tone]).normalize("NFC");
  return base === lower ? s : s.toUpperCase();
}

/** VNI-Windows → Unicode; null when a mark byte has no letter to sit on, or a byte is not VNI. */
export function fromVni(text: string): string | null {
  const chars = [...text];
  let out = "";
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c.charCodeAt(0) < 0x80) {
      const next = chars[i + 1];
      const mark = next !== undefined ? VNI_MARKS.get(next) : undefined;
      if (mark && VNI_BASES.test(c)) {
        const composed = vniCompose(c, mark[0], mark[1]);
        if (composed === null) return null;
        // circumflex/breve then a tone is a single byte already; a plain tone may follow ơ/ư
        out += composed;
        i++;
        continue;
      }
      out += c;
      continue;
    }
    const single = VNI_SINGLE.get(c);
    if (single !== undefined) {
      const next = chars[i + 1];
      const mark = next !== undefined ? VNI_MARKS.get(next) : undefined;
      if (mark && mark[0] === "" && (single === "ơ" || single === "ư" || single === "Ơ" || single === "Ư")) {
        out += (single + TONES[mark[1]]).normalize("NFC");
        i++;
        continue;
      }
      out += single;
      continue;
    }
    if (/[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0°]/.test(c)) {
      out += c;
      continue;
    }
    return null;
  }
  return out;
}

/** The legacy encoding a cell's font announces, if any. */
export function encodingOfFont(font: string | undefined): { enc: LegacyEncoding; upper: boolean } | null {
  if (!font) return null;
  const f = font.trim();
  if (/^\.vn/i.test(f)) return { enc: "TCVN3", upper: /h$/i.test(f) };
  if (/^vni[-\s]/i.test(f)) return { enc: "VNI", upper: false };
  return null;
}

export type LegacyResult =
  | { kind: "unicode"; text: string }
  | { kind: "converted"; text: string; encoding: LegacyEncoding }
  | { kind: "unconvertible"; text: string; encoding: LegacyEncoding };

/** Does the text carry a legacy tell-tale: a Latin-1 character no Unicode Vietnamese text uses? */
export function hasLegacyTellTale(text: string): boolean {
  if (BEYOND_LATIN1_LETTER.test(text)) return false;
  for (const c of text) if (TELL_TALES.has(c)) return true;
  // Pairs such as "oà" are no tell-tale: Unicode writes them too (hoà, xuân, quê).
  return false;
}

function countVniPairs(text: string): number {
  let n = 0;
  const chars = [...text];
  for (let i = 0; i + 1 < chars.length; i++) if (VNI_BASES.test(chars[i]!) && VNI_MARKS.has(chars[i + 1]!)) n++;
  return n;
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/** How many words of a text are well-formed Vietnamese syllables (one tone mark at most). */
export function syllableScore(text: string): number {
  let n = 0;
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const d = w.normalize("NFD");
    if ((d.match(TONE_MARKS)?.length ?? 0) > 1) continue;
    if (SYLLABLE.test(d.replace(TONE_MARKS, "").normalize("NFC"))) n++;
  }
  return n;
}

/**
 * Decide and convert. With a legacy font the font decides (unless the text is plainly Unicode
 * already: someone typed Unicode into a cell still formatted .VnTime). Without one, the text must
 * show a tell-tale, and a conversion is taken only when it makes more words read as Vietnamese
 * than the text as it stands: "Tæng céng" becomes "Tổng cộng", "Công ty ABC®" stays.
 */
export function decodeLegacy(text: string, font?: string): LegacyResult {
  if (typeof text !== "string" || text.length === 0) return { kind: "unicode", text: typeof text === "string" ? text : "" };
  if (!/[\u0080-\u00ff]/.test(text)) return { kind: "unicode", text };
  const byFont = encodingOfFont(font);
  if (BEYOND_LATIN1_LETTER.test(text)) return { kind: "unicode", text };
  if (byFont) {
    const r = byFont.enc === "TCVN3" ? fromTcvn3(text, byFont.upper) : fromVni(text);
    if (r !== null) return { kind: "converted", text: r.normalize("NFC"), encoding: byFont.enc };
    if (!hasLegacyTellTale(text)) return { kind: "unicode", text };
    return { kind: "unconvertible", text, encoding: byFont.enc };
  }
  if (!hasLegacyTellTale(text)) return { kind: "unicode", text };
  const candidates: { text: string; encoding: LegacyEncoding; score: number }[] = [];
  const vni = fromVni(text);
  if (vni !== null) candidates.push({ text: vni.normalize("NFC"), encoding: "VNI", score: syllableScore(vni) });
  const t3 = fromTcvn3(text);
  if (t3 !== null) candidates.push({ text: t3.normalize("NFC"), encoding: "TCVN3", score: syllableScore(t3) });
  const own = syllableScore(text);
  if (candidates.length === 0) {
    const words = text.match(/\p{L}+/gu)?.length ?? 0;
    // readable as it is (a foreign name, a symbol): leave it; otherwise say it cannot be read
    if (own * 2 >= words && words > 0) return { kind: "unicode", text };
    return { kind: "unconvertible", text, encoding: /[µ¸¹ª«¬®]/.test(text) ? "TCVN3" : "VNI" };
  }
  candidates.sort((a, b) => b.score - a.score || (a.encoding === "VNI" && countVniPairs(text) > 0 ? -1 : 1));
  const best = candidates[0]!;
  if (best.score <= own) return { kind: "unicode", text };
  return { kind: "converted", text: best.text, encoding: best.encoding };
}

// Unicode → legacy, for tests and fixtures (the round trip proves every letter of both charts).
export function toTcvn3(text: string): string {
  let out = "";
  for (const c of text.normalize("NFC")) {
    const i = TCVN3_UNI.indexOf(c);
    out += i >= 0 ? TCVN3_BYTES[i] : c;
  }
  return out;
}

export function toVni(text: string): string {
  const rev = new Map<string, string>();
  for (const [k, v] of VNI_SINGLE) rev.set(v, k);
  let out = "";
  for (const c of text.normalize("NFC")) {
    if (c.charCodeAt(0) < 0x80 || "íìÍÌ".includes(c) || !/[\u00c0-\u1eff]/.test(c)) {
      out += c;
      continue;
    }
    if (rev.has(c)) {
      out += rev.get(c);
      continue;
    }
    const d = c.normalize("NFD");
    const base = d[0]!;
    const marks = d.slice(1);
    const tone = Math.max(0, TONES.findIndex((t, i) => i > 0 && marks.includes(t)));
    const upper = base !== base.toLowerCase();
    const toneMarks = upper ? "_ÙØÛÕÏ" : "_ùøûõï";
    if (marks.includes("\u031b")) {
      const letter = base.toLowerCase() === "o" ? "ơ" : "ư";
      out += rev.get(upper ? letter.toUpperCase() : letter)! + (tone > 0 ? toneMarks[tone] : "");
      continue;
    }
    const shape = marks.includes("\u0302") ? "^" : marks.includes("\u0306") ? "(" : "";
    let mark = "";
    for (const [m, [sh, tn]] of VNI_MARKS) {
      if (sh === shape && tn === tone && (m === m.toLowerCase()) !== upper) {
        mark = m;
        break;
      }
    }
    out += base + mark;
  }
  return out;
}
