// Cell values → typed values, as pure functions that never throw: each returns a value or the
// code of what is wrong, and the caller places the problem. They are fuzzed with fast-check.
import { fold } from "../../core/text.js";
import { memo } from "./memo.js";
import type { XCell } from "../../xlsx/types.js";

export type Fail = { ok: false; code: "VALUE_NOT_NUMBER" | "VALUE_AMBIGUOUS_NUMBER" | "VALUE_ERROR" | "FORMULA_NO_CACHE" | "MONTH_INVALID" | "DATE_OUT_OF_RANGE"; detail?: Record<string, unknown> };
export type Result<T> = { ok: true; value: T } | Fail;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (code: Fail["code"], detail?: Record<string, unknown>): Fail => (detail ? { ok: false, code, detail } : { ok: false, code });

// ---------------------------------------------------------------------------------------------
// Decimals as exact strings

/** An exact decimal: digits × 10^-scale, sign separate. */
interface Dec {
  neg: boolean;
  digits: bigint;
  scale: number;
}

function decToString(d: Dec): string {
  let t = d.digits.toString();
  if (d.scale > 0) {
    t = t.padStart(d.scale + 1, "0");
    t = `${t.slice(0, -d.scale)}.${t.slice(-d.scale)}`.replace(/\.?0+$/, "");
  } else if (d.scale < 0) {
    t = d.digits === 0n ? "0" : t + "0".repeat(-d.scale);
  }
  return d.neg && t !== "0" ? "-" + t : t;
}

/** A plain decimal text ("-12.50", "1e3", "1.5E-7") → Dec; null when it is not one. */
function parsePlainDec(s: string): Dec | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(s);
  if (!m) return null;
  const [, sign, int = "", frac = "", exp] = m;
  if (int === "" && frac === "") return null;
  const digits = BigInt((int + frac).replace(/^0+(?=\d)/, "") || "0");
  return { neg: sign === "-", digits, scale: frac.length - (exp ? Number(exp) : 0) };
}

/**
 * decToString(roundDec(parsePlainDec(s) shifted by 10^exp, 6)) for the common decimal "-?\d+(\.\d+)?"
 * when no rounding is needed, with strings instead of a BigInt; null for anything else.
 */
function shiftPlain(s: string, exp: number): string | null {
  const n = s.length;
  let i = 0;
  const neg = s.charCodeAt(0) === 45;
  if (neg) i = 1;
  const i0 = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const intEnd = i;
  if (intEnd === i0) return null;
  let fracStart = n;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return null;
    fracStart = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i !== n || fracStart === n) return null;
  }
  const scale = n - fracStart - exp;
  if (scale > 6) return null; // would round
  // the common case, a whole number without leading zeros shifted down (nghìn or đồng → triệu):
  // the same digits cut into an integer and a fraction, without the trailing zeros
  if (fracStart === n && scale > 0 && s.charCodeAt(i0) !== 48) {
    const cut = n - scale;
    let z = n;
    while (z > cut && s.charCodeAt(z - 1) === 48) z--;
    const t = cut > i0 ? (z > cut ? s.slice(i0, cut) + "." + s.slice(cut, z) : s.slice(i0, cut)) : "0." + "0".repeat(i0 - cut) + s.slice(i0, z);
    return neg ? "-" + t : t;
  }
  let digits = fracStart < n ? s.slice(i0, intEnd) + s.slice(fracStart) : s.slice(i0, intEnd);
  let z = 0;
  while (z < digits.length - 1 && digits.charCodeAt(z) === 48) z++;
  if (z > 0) digits = digits.slice(z);
  let t = digits;
  if (scale > 0) {
    t = t.padStart(scale + 1, "0");
    t = `${t.slice(0, -scale)}.${t.slice(-scale)}`.replace(/\.?0+$/, "");
  } else if (scale < 0) {
    t = digits === "0" ? "0" : t + "0".repeat(-scale);
  }
  return neg && t !== "0" ? "-" + t : t;
}

/** Round a Dec to at most `places` decimals, half away from zero. */
function roundDec(d: Dec, places: number): Dec {
  if (d.scale <= places) return d;
  const div = 10n ** BigInt(d.scale - places);
  let q = d.digits / div;
  if ((d.digits % div) * 2n >= div) q += 1n;
  return { neg: d.neg, digits: q, scale: places };
}

/**
 * A double from a cell → the shortest exact decimal string, float noise removed: 15 significant
 * digits (all a double holds reliably), then at most 6 decimals.
 */
export function decimalFromNumber(n: number): Result<string> {
  if (!Number.isFinite(n)) return fail("VALUE_NOT_NUMBER", { value: String(n) });
  // fast path: most cells are whole numbers or short decimals whose shortest form is exact
  if (Number.isSafeInteger(n)) return ok(Object.is(n, -0) ? "0" : String(n));
  const short = String(n);
  if (short.length <= 16 && isShortDecimal(short)) return ok(short);
  const d = parsePlainDec(n.toPrecision(15));
  if (!d) return fail("VALUE_NOT_NUMBER", { value: String(n) });
  return ok(decToString(roundDec(d, 6)));
}

// ---------------------------------------------------------------------------------------------
// Numbers written as text

/** How a sheet writes numbers in text: Vietnamese ("1.234,5") or plain ("1,234.5" / "1234.5"). */
export type NumberStyle = "vi" | "plain" | "none";

interface Readings {
  vi?: string;
  plain?: string;
}

const INT = /^\d+$/;
const VI_GROUPED = /^\d{1,3}(?:\.\d{3})+$/; // 13.660 · 39.651.195
const VI_DEC = /^(?:\d{1,3}(?:\.\d{3})*|\d+),\d+$/; // 1.234,5 · 39,651 · 1,5
const PLAIN_GROUPED = /^\d{1,3}(?:,\d{3})+$/; // 1,234 · 1,234,567
const PLAIN_DEC = /^(?:\d{1,3}(?:,\d{3})*|\d+)\.\d+$/; // 1,234.5 · 1234.5 · 13.660

function readings(body: string): Readings {
  // both fields from the start: one shape of object, whichever readings the text has
  const r: Readings = { vi: undefined, plain: undefined };
  if (INT.test(body)) return { vi: body, plain: body };
  if (VI_GROUPED.test(body)) r.vi = body.replace(/\./g, "");
  else if (VI_DEC.test(body)) r.vi = body.replace(/\./g, "").replace(",", ".");
  if (PLAIN_GROUPED.test(body)) r.plain = body.replace(/,/g, "");
  else if (PLAIN_DEC.test(body)) r.plain = body.replace(/,/g, "");
  return r;
}

/** Strip what surrounds a number in a text: spaces, a sign, accounting brackets. */
function numberBody(text: string): { neg: boolean; body: string } | null {
  let t = text.replace(/[\u00a0\u2007\u202f]/g, " ").trim();
  let neg = false;
  const br = /^\((.*)\)$/.exec(t);
  if (br) {
    neg = true;
    t = br[1]!.trim();
  }
  if (/^[-−–]\s*\d/.test(t)) {
    neg = !neg;
    t = t.replace(/^[-−–]\s*/, "");
  } else if (t.startsWith("+")) t = t.slice(1).trim();
  // "13 660": a space as the thousands separator
  if (/^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$/.test(t)) t = t.replace(/ /g, "");
  if (!/^[\d.,]+$/.test(t) || !/\d/.test(t)) return null;
  return { neg, body: t };
}

/** Does this text say which style the sheet uses? (vi-only or plain-only readings) */
export function styleEvidence(text: string): "vi" | "plain" | null {
  const b = numberBody(text);
  if (!b) return null;
  const r = readings(b.body);
  if (r.vi !== undefined && r.plain === undefined) return "vi";
  if (r.plain !== undefined && r.vi === undefined) return "plain";
  return null;
}

/**
 * The sheet's style from its number-like texts. Vietnamese unless plain-only texts are at least
 * two and outnumber the Vietnamese-only ones: one stray "1.5" does not make a sheet English.
 */
export function inferNumberStyle(texts: Iterable<string>): NumberStyle {
  let vi = 0;
  let plain = 0;
  for (const t of texts) {
    const e = styleEvidence(t);
    if (e === "vi") vi++;
    else if (e === "plain") plain++;
  }
  if (plain >= 2 && plain > vi) return "plain";
  return vi > 0 ? "vi" : "none";
}

/** Empty-looking texts that mean "no figure": "", "-", "–". */
export function isBlankText(text: string): boolean {
  return /^[\s\u00a0]*(?:[-–—]\s*)?$/.test(text);
}

/** A plain decimal that no Vietnamese reading can be confused with: "1234.5", "0.25". */
const PLAIN_ONLY_SAFE = /^(?:\d{4,}|0)\.\d+$/;
/** One comma then three digits: 1,234 (plain) or 1,234 thousandths (Vietnamese). */
const COMMA_THOUSAND = /^\d{1,3},\d{3}$/;

/**
 * A number written as text → exact decimal string. Sheets are Vietnamese unless they show
 * otherwise ("none" = no evidence, read as Vietnamese). A text the sheet's style cannot read, or
 * could read two ways, is ambiguous — "1.5" or "1,234.5" in a Vietnamese sheet (1,5? 15 000?),
 * "13.660" in a plain one, "1,234" with no evidence: an error, never a guess.
 */
export function parseNumberText(text: string, style: NumberStyle): Result<string> {
  if (typeof text !== "string") return fail("VALUE_NOT_NUMBER", { value: String(text) });
  const b = numberBody(text);
  if (!b) return fail("VALUE_NOT_NUMBER", { value: text });
  const r = readings(b.body);
  if (r.vi === undefined && r.plain === undefined) return fail("VALUE_NOT_NUMBER", { value: text });
  let pick: string | undefined;
  if (r.vi !== undefined && r.vi === r.plain) pick = r.vi;
  else if (style === "plain") pick = VI_GROUPED.test(b.body) ? undefined : r.plain;
  else if (r.vi !== undefined) pick = style === "none" && COMMA_THOUSAND.test(b.body) ? undefined : r.vi;
  else if (PLAIN_ONLY_SAFE.test(b.body)) pick = r.plain;
  if (pick === undefined) {
    const rs = [r.vi, r.plain].filter((x): x is string => x !== undefined);
    return fail("VALUE_AMBIGUOUS_NUMBER", { value: text, readings: rs.join(" / ") });
  }
  const d = parsePlainDec(pick);
  if (!d) return fail("VALUE_NOT_NUMBER", { value: text });
  d.neg = b.neg;
  return ok(decToString(d));
}

// ---------------------------------------------------------------------------------------------
// Units

/** Money units, as the power of ten of one unit in triệu đồng. */
export type MoneyUnit = "dong" | "nghin" | "trieu" | "ty";
// A Map, not an object's properties: `UNIT_EXP[unit]` was compiled for the one unit seen so far,
// and the optimised money() and registerRow were thrown away at a sheet in another ("wrong name").
const UNIT_EXP = new Map<MoneyUnit, number>([
  ["dong", -6],
  ["nghin", -3],
  ["trieu", 0],
  ["ty", 3],
]);
const unitExp = (unit: MoneyUnit): number => UNIT_EXP.get(unit)!;

/** The money unit named in a text ("Đơn vị tính: nghìn đồng", "(tỷ đồng)"), if any. */
export function unitIn(text: string): MoneyUnit | null {
  const f = fold(text);
  if (/\b(ty|ti) (dong|vnd)\b/.test(f)) return "ty";
  if (/\btrieu (dong|vnd)\b|\btr\.? ?d\b/.test(f)) return "trieu";
  if (/\b(nghin|ngan) (dong|vnd)\b|\b1\.?000 (dong|d)\b/.test(f)) return "nghin";
  if (/(^|[^a-z])(dong|vnd)\)?$|\bdon vi tinh ?:? ?dong\b|\(dong\)/.test(f)) return "dong";
  return null;
}

/** toTrieu's value when it needs no rounding and `decimal` is a plain one; null otherwise (no Result made). */
export function trieuOf(decimal: string, unit: MoneyUnit): string | null {
  return shiftPlain(decimal, unitExp(unit));
}

/** An exact decimal string in `unit` → decimal string in triệu đồng (6 decimals, rounded). */
export function toTrieu(decimal: string, unit: MoneyUnit): Result<string> {
  const fast = shiftPlain(decimal, unitExp(unit));
  if (fast !== null) return ok(fast);
  const d = parsePlainDec(decimal);
  if (!d) return fail("VALUE_NOT_NUMBER", { value: decimal });
  const shifted: Dec = { neg: d.neg, digits: d.digits, scale: d.scale - unitExp(unit) };
  return ok(decToString(roundDec(shifted, 6)));
}

// ---------------------------------------------------------------------------------------------
// Cells → numbers

/** A cell → a decimal string, null when blank. Texts use the sheet's number style. */
export function numberFromCell(cell: XCell | undefined, style: NumberStyle): Result<string | null> {
  if (!cell) return ok(null);
  switch (cell.type) {
    case "n":
      return typeof cell.value === "number" ? decimalFromNumber(cell.value) : fail("VALUE_NOT_NUMBER", { value: String(cell.value) });
    case "s": {
      const t = String(cell.value ?? "");
      if (isBlankText(t)) return ok(null);
      return parseNumberText(t, style);
    }
    case "e":
      return fail("VALUE_ERROR", { value: cell.value ?? "#ERROR" });
    case "z":
      return cell.formula !== undefined ? fail("FORMULA_NO_CACHE") : ok(null);
    case "b":
      return fail("VALUE_NOT_NUMBER", { value: String(cell.value) });
    default:
      return fail("VALUE_NOT_NUMBER", { value: String(cell.value) });
  }
}

// ---------------------------------------------------------------------------------------------
// Dates and months

/** Does a number format code show a date? (d, m, y outside quotes, brackets and escapes) */
function isDateFormat_(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const f = fmt
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[[^\]]*\]/g, "")
    .toLowerCase();
  if (f === "general" || f === "@") return false;
  return /[dy]/.test(f) || /(^|[^a-z])m{1,5}([^a-z]|$)/.test(f.replace(/[hs:]+/g, " ")) || /mm?\W+y/.test(f);
}

export const isDateFormat = memo(isDateFormat_ as (fmt: string) => boolean) as (fmt: string | undefined) => boolean;

export interface YMD {
  y: number;
  m: number;
  d: number;
}

/** An Excel serial date → calendar date (1900 system with its fake 29/02/1900, or 1904). */
export function serialToDate(serial: number, date1904: boolean): Result<YMD> {
  if (!Number.isFinite(serial) || serial < 0 || serial > 3_000_000) return fail("DATE_OUT_OF_RANGE", { value: String(serial) });
  const days = Math.floor(serial);
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const adj = !date1904 && days < 61 ? days + 1 : days;
  const t = new Date(base + adj * 86_400_000);
  return ok({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

const inRange = (y: number): boolean => y >= 1990 && y <= 2100;
const pad2 = (n: number): string => String(n).padStart(2, "0");
const monthOf = (y: number, m: number): string => `${y}-${pad2(m)}`;

function monthResult(y: number, m: number, raw: string): Result<string> {
  if (m < 1 || m > 12) return fail("MONTH_INVALID", { value: raw });
  if (!inRange(y)) return fail("DATE_OUT_OF_RANGE", { value: raw });
  return ok(monthOf(y, m));
}

/** A month written as text: "10/2021", "3/2024", "tháng 10/2021", "T10/2021", "10-2021", "2021-10", "30/11/2020". */
function parseMonthText_(text: string): Result<string> {
  if (typeof text !== "string") return fail("MONTH_INVALID", { value: String(text) });
  const f = fold(text).replace(/^(thang|th\.?|t)\s*/, "").trim();
  let m = /^(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(f) ?? /^(\d{1,2})\s+nam\s+(\d{4})$/.exec(f);
  if (m) return monthResult(Number(m[2]), Number(m[1]), text);
  m = /^(\d{4})\s*[-/.]\s*(\d{1,2})$/.exec(f);
  if (m) return monthResult(Number(m[1]), Number(m[2]), text);
  m = /^(?:ngay\s*)?(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(f);
  if (m) {
    const d = Number(m[1]);
    if (d < 1 || d > 31) return fail("MONTH_INVALID", { value: text });
    return monthResult(Number(m[3]), Number(m[2]), text);
  }
  m = /^(\d{4})-(\d{2})-(\d{2})(?:t.*)?$/.exec(f);
  if (m) return monthResult(Number(m[1]), Number(m[2]), text);
  return fail("MONTH_INVALID", { value: text });
}

/** A full date written as text "30/11/2020" or "2020-11-30" → "YYYY-MM-DD". */
function parseDateText_(text: string): Result<string> {
  if (typeof text !== "string") return fail("MONTH_INVALID", { value: String(text) });
  const f = fold(text).replace(/^ngay\s*/, "");
  let y: number, mo: number, d: number;
  let m = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(f);
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(f))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return fail("MONTH_INVALID", { value: text });
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || t.getUTCDate() !== d) return fail("MONTH_INVALID", { value: text });
  if (!inRange(y)) return fail("DATE_OUT_OF_RANGE", { value: text });
  return ok(`${y}-${pad2(mo)}-${pad2(d)}`);
}

/** A one-column period: "10/2021-3/2024", "10/2021 - 3/2024", "tháng 12/2016 – tháng 11/2023", "từ … đến …". */
const PLAIN_PERIOD = /^ *(\d{1,2}) *\/ *(\d{4}) *- *(\d{1,2}) *\/ *(\d{4}) *$/;

function parsePeriodText_(text: string): Result<{ start: string; end: string }> {
  if (typeof text !== "string") return fail("MONTH_INVALID", { value: String(text) });
  // the common "10/2021 - 3/2024" (plain spaces only): what the general reading below gives
  const q = PLAIN_PERIOD.exec(text);
  if (q) {
    const a = monthResult(Number(q[2]), Number(q[1]), text);
    if (!a.ok) return { ok: false, code: a.code, detail: { value: text } };
    const b = monthResult(Number(q[4]), Number(q[3]), text);
    if (!b.ok) return { ok: false, code: b.code, detail: { value: text } };
    return ok({ start: a.value, end: b.value });
  }
  const f = fold(text).replace(/^tu\s+/, "");
  const m = /^(.+?)\s*(?:-|–|—|\bden\b)\s*(.+)$/.exec(f.replace(/(\d)\s*[-–—]\s*(\d{1,2}\s*[/.])/, "$1 - $2").replace(/(\d{4})\s*[-–—]\s*/, "$1 - "));
  if (!m) return fail("MONTH_INVALID", { value: text });
  const a = parseMonthText(m[1]!);
  const b = parseMonthText(m[2]!);
  if (!a.ok) return { ...a, detail: { value: text } };
  if (!b.ok) return { ...b, detail: { value: text } };
  return ok({ start: a.value, end: b.value });
}

// the months and dates of serial numbers already seen (only successes: they carry no detail)
const MONTHS_1900 = new Map<number, Result<string>>();
const MONTHS_1904 = new Map<number, Result<string>>();
const DATES_1900 = new Map<number, Result<string>>();
const DATES_1904 = new Map<number, Result<string>>();
function remember(cache: Map<number, Result<string>>, v: number, r: Result<string>): Result<string> {
  if (cache.size >= 20_000) cache.clear();
  cache.set(v, r);
  return r;
}

/** A cell holding a month: a real date (per its number format and the workbook's date system) or a text. */
export function monthFromCell(cell: XCell | undefined, date1904: boolean): Result<string | null> {
  if (!cell) return ok(null);
  switch (cell.type) {
    case "n": {
      const v = cell.value as number;
      if (!isDateFormat(cell.numFmt)) return fail("MONTH_INVALID", { value: String(v) });
      const cache = date1904 ? MONTHS_1904 : MONTHS_1900;
      const hit = cache.get(v);
      if (hit !== undefined) return hit;
      const d = serialToDate(v, date1904);
      if (!d.ok) return d;
      if (!inRange(d.value.y)) return fail("DATE_OUT_OF_RANGE", { value: `${pad2(d.value.d)}/${pad2(d.value.m)}/${d.value.y}` });
      return remember(cache, v, ok(monthOf(d.value.y, d.value.m)));
    }
    case "s": {
      const t = String(cell.value ?? "");
      return isBlankText(t) ? ok(null) : parseMonthText(t);
    }
    case "e":
      return fail("VALUE_ERROR", { value: cell.value ?? "#ERROR" });
    case "z":
      return cell.formula !== undefined ? fail("FORMULA_NO_CACHE") : ok(null);
    default:
      return fail("MONTH_INVALID", { value: String(cell.value) });
  }
}

/** A cell holding a full date → "YYYY-MM-DD". */
export function dateFromCell(cell: XCell | undefined, date1904: boolean): Result<string | null> {
  if (!cell) return ok(null);
  switch (cell.type) {
    case "n": {
      const v = cell.value as number;
      if (!isDateFormat(cell.numFmt)) return fail("MONTH_INVALID", { value: String(v) });
      const cache = date1904 ? DATES_1904 : DATES_1900;
      const hit = cache.get(v);
      if (hit !== undefined) return hit;
      const d = serialToDate(v, date1904);
      if (!d.ok) return d;
      if (!inRange(d.value.y)) return fail("DATE_OUT_OF_RANGE", { value: String(d.value.y) });
      return remember(cache, v, ok(`${d.value.y}-${pad2(d.value.m)}-${pad2(d.value.d)}`));
    }
    case "s": {
      const t = String(cell.value ?? "");
      return isBlankText(t) ? ok(null) : parseDateText(t);
    }
    case "e":
      return fail("VALUE_ERROR", { value: cell.value ?? "#ERROR" });
    case "z":
      return cell.formula !== undefined ? fail("FORMULA_NO_CACHE") : ok(null);
    default:
      return fail("MONTH_INVALID", { value: String(cell.value) });
  }
}

/** A cell → its text (numbers as their decimal form), NFC and trimmed; "" when blank. */
export function cellText(cell: XCell | undefined): string {
  if (!cell || cell.value === null || cell.value === undefined) return "";
  if (cell.type === "n" && typeof cell.value === "number") {
    const d = decimalFromNumber(cell.value);
    return d.ok ? d.value : String(cell.value);
  }
  return String(cell.value).normalize("NFC").replace(/\u00a0/g, " ").trim();
}

/**
 * The shortest exact decimal of a number when decimalFromNumber would give it as it stands (a
 * safe integer, or String(n) with at most 6 decimals): a canonical decimal string (no leading or
 * trailing zeros), so toTrieu(…, "trieu") would return it unchanged. null otherwise.
 */
export function plainDecimal(v: unknown): string | null {
  if (typeof v !== "number") return null;
  if (Number.isSafeInteger(v)) return v === 0 ? "0" : String(v);
  if (!Number.isFinite(v)) return null;
  const short = String(v);
  return short.length <= 16 && isShortDecimal(short) ? short : null;
}

/** /^-?\d+\.\d{1,6}$/ without a regex. */
function isShortDecimal(s: string): boolean {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  const i0 = i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  if (i === i0 || i >= n || s.charCodeAt(i) !== 46) return false;
  const f0 = ++i;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i === n && n - f0 >= 1 && n - f0 <= 6;
}

/**
 * cellText of a cell of a sheet whose texts were made NFC with plain spaces when it was read
 * (recognise.ts convertText): the same text, without normalising it again.
 */
export function sheetText(cell: XCell | undefined): string {
  if (cell === undefined) return "";
  const v = cell.value;
  if (cell.type === "s" && typeof v === "string") return v.trim();
  if (cell.type === "n" && typeof v === "number") {
    const d = plainDecimal(v);
    if (d !== null) return d;
  }
  return cellText(cell);
}

/** sheetText(cell) !== "", without building the text. */
export function hasSheetText(cell: XCell): boolean {
  const v = cell.value;
  if (v === null || v === undefined) return false;
  if (typeof v === "number" && cell.type === "n") return true;
  return sheetText(cell) !== "";
}

export const parseMonthText = memo(parseMonthText_, (r) => r.ok);
export const parseDateText = memo(parseDateText_, (r) => r.ok);
export const parsePeriodText = memo(parsePeriodText_, (r) => r.ok);