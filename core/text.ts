// Text normalisation for matching headers and labels (spec/inputs.md "Normalising text"):
// lowercase; NFD, drop combining marks, đ→d; collapse spaces and line breaks; drop a trailing
// unit in brackets. "Ước TH năm 2023" → "uoc th nam 2023".

const COMBINING = /[\u0300-\u036f]/g;
const TRAILING_UNIT = /\s*[([]\s*(?:đơn vị(?: tính)?\s*:?\s*)?(?:triệu|nghìn|ngàn|tỷ|tỉ)?\s*(?:đồng|đ|vnđ|vnd|%|người|cơ sở|hồ sơ|doanh nghiệp|tổ chức|quyết định|lượt)?\s*[)\]]\s*$/iu;

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
