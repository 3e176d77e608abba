// Text normalisation for matching headers and labels (spec/inputs.md "Normalising text"):
// lowercase; NFD, drop combining marks, đ→d; collapse spaces and line breaks; drop a trailing
// unit in brackets. "Ước TH năm 2023" → "uoc th nam 2023".

const COMBINING = /[\u0300-\u036f]/g;
const TRAILING_UNIT = /\s*[([]\s*(?:đơn vị(?: tính)?\s*:?\s*)?(?:triệu|nghìn|ngàn|tỷ|tỉ)?\s*(?:đồng|đ|vnđ|vnd|%|người|cơ sở|hồ sơ|doanh nghiệp|tổ chức|quyết định|lượt)?\s*[)\]]\s*$/iu;

/**
 * Whether a text is "plain Unicode", told one character at a time: a state (PLAIN_START), changed
 * by plainStep for each UTF-16 unit of 0x80 or more (ASCII never changes it), read by isPlain at
 * the end. Plain: no character of U+0080–U+00FF unless a letter beyond Latin-1 comes too (ạ ệ ư đ:
 * no legacy 8-bit encoding makes one), no no-break space, and only characters NFC never changes
 * (U+0000–U+02FF and the precomposed letters of U+1E00–U+1EFF, checked for every single
 * character and pair). Such a text is stored as it is: the ETL's legacy conversion and nfc() leave
 * it unchanged. One rule for the ETL's check (plainUnicode) and the reader, which tells it while it
 * reads a text's characters anyway (xlsx/scanner.ts, XCell.plain).
 */
export const PLAIN_START = 0;
const PLAIN_LATIN1 = 1;
const PLAIN_BEYOND = 2;
const PLAIN_NOT = 4;
export function plainStep(state: number, c: number): number {
  if (c < 0x100) return c === 0xa0 ? state | PLAIN_NOT : c >= 0x80 ? state | PLAIN_LATIN1 : state;
  if (c < 0x250) return state | PLAIN_BEYOND;
  if (c < 0x300) return state;
  if (c >= 0x1e00 && c < 0x1f00) return state | PLAIN_BEYOND;
  return state | PLAIN_NOT;
}
export function isPlain(state: number): boolean {
  return (state & PLAIN_NOT) === 0 && ((state & PLAIN_LATIN1) === 0 || (state & PLAIN_BEYOND) !== 0);
}
/** Is t plain Unicode (plainStep)? One pass over its characters. */
export function plainUnicode(t: string): boolean {
  let state = PLAIN_START;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x80 && ((state = plainStep(state, c)) & PLAIN_NOT) !== 0) return false;
  }
  return isPlain(state);
}

/** NFC, with non-breaking spaces made plain: what every stored text goes through. */
export function nfc(s: string): string {
  return s.normalize("NFC").replace(/\u00a0/g, " ");
}

/** Fold diacritics and case, collapse white space; keeps brackets. */
export function fold(s: string): string {
  return nfc(s)
    .toLowerCase()
    .normalize("NFD")
    .replace(COMBINING, "")
    .replace(/đ/g, "d")
    .replace(/\s+/g, " ")
    .trim();
}

/** The matching key of a header or label: fold, then drop a trailing unit in brackets. */
export function normalise(s: string): string {
  const n = fold(s);
  const stripped = fold(nfc(s).replace(TRAILING_UNIT, ""));
  // Only drop the bracket when it held a unit-like text; "(NSĐP)" stays.
  return stripped.length > 0 && /[([][^)\]]*(dong|%|\bd\b|nguoi|co so|ho so|doanh nghiep|to chuc|quyet dinh|luot)[^)\]]*[)\]]\s*$/.test(n)
    ? stripped
    : n;
}
