// Text keys for binding: how a header or a row label of a real staff copy is compared with the
// wordings a form definition gives. Built on core/text.ts's normalise (lower case, no
// diacritics, collapsed spaces, no trailing unit), then: punctuation dropped, phrase synonyms
// ("ngân sách nhà nước" → "nsnn", "Ước TH" → "uoc thuc hien"), filler words dropped ("năm",
// "đầu năm"), and years turned into placeholders whose offsets from N are kept aside.
import { normalise } from "../../core/text.js";
import type { GridValue } from "./types.js";

/** canonical ← variants, over canonical words (after punctuation is dropped). Longest first. */
const BASE_SYNONYMS: [string, string[]][] = [
  ["khcn", ["khoa hoc va cong nghe", "khoa hoc cong nghe", "kh va cn", "kh cn", "khcn"]],
  ["dmst", ["doi moi sang tao"]],
  ["nsnn", ["ngan sach nha nuoc", "ns nha nuoc", "ns nn"]],
  ["nstw", ["ngan sach trung uong", "ns trung uong", "ns tw"]],
  ["nsdp", ["ngan sach dia phuong", "ns dia phuong", "ns dp"]],
  ["uoc thuc hien", ["uoc tinh thuc hien", "uoc th"]],
  ["thuc hien", ["th"]],
  ["du toan", ["dt"]],
  ["ty le", ["ti le", "tl"]],
  ["tong", ["tong so", "tong cong"]],
  ["6 thang", ["sau thang", "6 thang dau nam", "6 thang dau", "06 thang"]],
  ["khoa hoc", ["kh"]],
  ["quyet dinh", ["qd"]],
  ["nhiem vu", ["nv"]],
  ["stt", ["so thu tu", "so tt", "tt"]],
  ["don vi tinh", ["dvt", "don vi"]],
  ["luy ke", ["lui ke"]],
  ["ngoai nsnn", ["ngoai ngan sach nha nuoc", "ngoai ngan sach"]],
];
/** words that carry no meaning for matching */
const FILLERS = new Set(["nam", "ca", "cac", "va", "cua", "cho", "%"]);
/** phrases dropped (a unit inside a header: "Tổng kinh phí (triệu đồng) năm 2024") */
const FILLER_PHRASES = ["trieu dong", "nghin dong", "ngan dong", "ty dong", "ti dong", "don vi tinh trieu dong"];

/** a year placeholder token: "qqn2" = N-2 in a definition's text */
const YEAR_TOKEN = /^qqn(\d)$/;
const REAL_YEAR = /^(19|20)\d\d$/;

export function cellText(v: GridValue | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  return v ? "TRUE" : "FALSE";
}

/** Replace the definition's {N}, {N-1}, {N-2} by tokens that survive normalisation. */
function protectYears(s: string): string {
  return s.replace(/\{\s*N\s*(?:-\s*(\d))?\s*\}/g, (_m, k: string | undefined) => ` qqn${k ?? "0"} `);
}

export interface Synonyms {
  /** [variant words, canonical words], longest variant first */
  pairs: [string[], string[]][];
  /** the pairs by their variant's first word, in the same order (what canonWords looks up) */
  byFirst?: Map<string, [string[], string[]][]>;
}

let defaultSynonyms: Synonyms | null = null;

/** The synonyms of a form: the shared vocabulary plus the form's own (one object when none). */
export function makeSynonyms(extra: Record<string, string[]> = {}): Synonyms {
  if (Object.keys(extra).length === 0) return (defaultSynonyms ??= buildSynonyms({}));
  return buildSynonyms(extra);
}

function buildSynonyms(extra: Record<string, string[]>): Synonyms {
  const pairs: [string[], string[]][] = [];
  const add = (canon: string, variants: string[]) => {
    for (const v of variants) pairs.push([words(v), words(canon)]);
  };
  for (const [c, vs] of BASE_SYNONYMS) add(c, vs);
  for (const f of FILLER_PHRASES) pairs.push([words(f), []]);
  for (const [c, vs] of Object.entries(extra)) add(normalise(c), vs.map((v) => normalise(v)));
  pairs.sort((a, b) => b[0].length - a[0].length);
  return { pairs, byFirst: indexByFirst(pairs) };
}

function indexByFirst(pairs: [string[], string[]][]): Map<string, [string[], string[]][]> {
  const m = new Map<string, [string[], string[]][]>();
  for (const p of pairs) {
    if (p[0].length === 0) continue; // never matches (canonWords skips it)
    const l = m.get(p[0][0]);
    if (l) l.push(p);
    else m.set(p[0][0], [p]);
  }
  return m;
}

const DEFAULT_SYNONYMS = makeSynonyms();

function words(s: string): string[] {
  return s
    .replace(/[^\p{L}\p{N}%]+/gu, " ")
    .trim()
    .split(" ")
    .filter((w) => w.length > 0);
}

/** Leading numbering of a row label: "2.3", "1.", "I.", "a)", "-", "+", "•". */
const NUMBERING = /^\s*(?:(?:[ivxlc]+|\d+(?:\.\d+)*|[a-zđ])\s*[.):\/-]+|\d+(?:\.\d+)+|\d+\s+(?=\p{L})|[-+*•–—])\s*/u;

/** A label's text without its leading numbering (already folded/normalised input). */
export function stripNumbering(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i++) {
    const next = out.replace(NUMBERING, "");
    if (next === out) break;
    out = next;
  }
  return out.trim();
}

/** The canonical words of a text (header, label, definition wording). */
const CACHE = new WeakMap<Synonyms, Map<string, string[]>>();

export function canonWords(text: string, syn: Synonyms = DEFAULT_SYNONYMS, opts: { stripNumbering?: boolean } = {}): string[] {
  let cache = CACHE.get(syn);
  if (!cache) CACHE.set(syn, (cache = new Map()));
  const ck = (opts.stripNumbering ? "1" : "0") + text;
  const hit = cache.get(ck);
  if (hit) return hit;
  const out = canonWordsUncached(text, syn, opts);
  if (cache.size > 20_000) cache.clear();
  cache.set(ck, out);
  return out;
}

const NO_PAIRS: [string[], string[]][] = [];

function canonWordsUncached(text: string, syn: Synonyms, opts: { stripNumbering?: boolean }): string[] {
  let n = normalise(protectYears(text));
  if (opts.stripNumbering) n = stripNumbering(n);
  const ws = words(n);
  const out: string[] = [];
  // only the pairs whose variant starts with this word can match here; the same first match as a
  // scan of all pairs (their order is kept), without trying fifty pairs per word of a long title
  const byFirst = (syn.byFirst ??= indexByFirst(syn.pairs));
  let i = 0;
  outer: while (i < ws.length) {
    for (const [from, to] of byFirst.get(ws[i]) ?? NO_PAIRS) {
      if (from.length > 0 && i + from.length <= ws.length && from.every((w, k) => ws[i + k] === w)) {
        out.push(...to);
        i += from.length;
        continue outer;
      }
    }
    out.push(ws[i]);
    i++;
  }
  return out.filter((w) => !FILLERS.has(w));
}

/** The canonical text (words joined), used for ordered comparisons (row labels, titles). */
export function canon(text: string, syn?: Synonyms, opts?: { stripNumbering?: boolean }): string {
  return canonWords(text, syn, opts).join(" ");
}

/**
 * A bag of words with its years taken out: `key` is the sorted words with every year as "{Y}";
 * `years` the real years in order of appearance; `offsets` the definition's N-offsets in order.
 */
export interface YearBag {
  key: string;
  toks: string[];
  years: number[];
  offsets: number[];
  size: number;
}

export function yearBag(ws: string[]): YearBag {
  const years: number[] = [];
  const offsets: number[] = [];
  const toks: string[] = [];
  for (const w of ws) {
    const m = YEAR_TOKEN.exec(w);
    if (m) {
      offsets.push(Number(m[1]));
      toks.push("{Y}");
    } else if (REAL_YEAR.test(w)) {
      years.push(Number(w));
      toks.push("{Y}");
    } else toks.push(w);
  }
  toks.sort();
  return { key: toks.join(" "), toks, years, offsets, size: toks.length };
}

/**
 * The plan year N implied by a header's years against a definition's offsets; undefined when the
 * wording has no year, null when they disagree.
 */
export function impliedN(header: YearBag, def: YearBag): number | null | undefined {
  if (def.offsets.length === 0 && header.years.length === 0) return undefined;
  if (def.offsets.length !== header.years.length) return null;
  let n: number | undefined;
  for (let i = 0; i < def.offsets.length; i++) {
    const v = header.years[i] + def.offsets[i];
    if (n === undefined) n = v;
    else if (n !== v) return null;
  }
  return n;
}

/** Is every word of `small` in `big` (as multisets)? */
export function bagContains(big: YearBag, small: YearBag): boolean {
  if (small.size === 0 || small.size > big.size) return false;
  const count = new Map<string, number>();
  for (const w of big.toks) count.set(w, (count.get(w) ?? 0) + 1);
  for (const w of small.toks) {
    const c = count.get(w) ?? 0;
    if (c === 0) return false;
    count.set(w, c - 1);
  }
  return true;
}

/** Years written in a text ("Dự toán năm 2023" → [2023]). */
export function yearsIn(text: string): number[] {
  return [...text.matchAll(/(?<!\d)(19\d\d|20\d\d)(?!\d)/g)].map((m) => Number(m[1]));
}

/** The offsets {N-k} of a definition's text, in order. */
export function offsetsIn(text: string): number[] {
  return [...text.matchAll(/\{\s*N\s*(?:-\s*(\d))?\s*\}/g)].map((m) => Number(m[1] ?? 0));
}

/** Write a definition's text for a plan year ("Dự toán năm {N-1}", 2024 → "Dự toán năm 2023"). */
export function withYear(text: string, year: number): string {
  return text.replace(/\{\s*N\s*(?:-\s*(\d))?\s*\}/g, (_m, k: string | undefined) => String(year - Number(k ?? 0)));
}

/** The folded text used by title and sheet-name regular expressions. */
export function titleKey(text: string): string {
  return normalise(text);
}

/** A Mã số cell read as a two-digit code: 1 → "01", "03" → "03", " 3 " → "03". */
export function codeOf(v: GridValue | undefined): string | null {
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 1000) return String(v).padStart(2, "0");
  if (typeof v === "string") {
    const t = v.trim();
    if (/^\d{1,3}$/.test(t)) return t.padStart(2, "0");
  }
  return null;
}

/** A cell of the row of column numbers: "1", "(2)", "3=1+2", "A", "5=4/3". */
export function isColumnNumber(v: GridValue | undefined): boolean {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v < 100;
  if (typeof v !== "string") return false;
  const t = v.trim().toLowerCase();
  return /^\(?(?:[a-z]|\d{1,2}(?:\s*=\s*[\d+\-*/x:().\s]+)?)\)?$/.test(t);
}
