// A figure as the form's number format shows it in the workbook: "#,##0" shows 39651.195 as
// 39.651 (Vietnamese separators) — the pane used to show 39.651,195 beside a workbook showing
// 39.651. The sections, decimals, grouping, percent, thousands scaling and literals of the number
// formats forms use; dates and fractions are not figures of a budget form and show as General.

import type { Lang } from "./i18n.js";

const LOCALE: Record<Lang, string> = { vi: "vi-VN", en: "en-US" };

interface Section {
  prefix: string;
  suffix: string;
  decimalsMin: number;
  decimalsMax: number;
  group: boolean;
  percent: boolean;
  /** trailing commas after the digits: each divides by 1000 */
  scale: number;
  /** no digit placeholder at all ("-" as the zero section) */
  literalOnly: boolean;
}

/** Split at ";" outside quotes and brackets. */
function sections(code: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote = false;
  let bracket = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === "\\" && !quote) {
      cur += ch + (code[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"') quote = !quote;
    else if (!quote && ch === "[") bracket = true;
    else if (!quote && ch === "]") bracket = false;
    if (ch === ";" && !quote && !bracket) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parseSection(s: string): Section {
  // literals and padding as the text they show; colours and locales dropped
  let text = "";
  const marks: string[] = []; // parallel: "L" literal char, "P" placeholder/format char
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') {
      const end = s.indexOf('"', i + 1);
      const lit = s.slice(i + 1, end < 0 ? s.length : end);
      for (const c of lit) (text += c), marks.push("L");
      i = end < 0 ? s.length : end;
    } else if (ch === "\\") {
      text += s[i + 1] ?? "";
      marks.push("L");
      i++;
    } else if (ch === "[") {
      const end = s.indexOf("]", i);
      i = end < 0 ? s.length : end;
    } else if (ch === "_") {
      text += " ";
      marks.push("L");
      i++;
    } else if (ch === "*") {
      i++;
    } else if ("0#?.,%".includes(ch)) {
      text += ch;
      marks.push("P");
    } else {
      text += ch;
      marks.push(ch === "E" || ch === "e" ? "P" : "L");
    }
  }
  const firstP = marks.findIndex((m, i) => m === "P" && "0#?".includes(text[i]));
  if (firstP < 0) {
    return { prefix: text.replace(/[.,]/g, (c, i) => (marks[i] === "L" ? c : "")), suffix: "", decimalsMin: 0, decimalsMax: 0, group: false, percent: false, scale: 0, literalOnly: true };
  }
  let lastP = firstP;
  for (let i = firstP; i < text.length; i++) if (marks[i] === "P" && "0#?.,".includes(text[i])) lastP = i;
  let body = text.slice(firstP, lastP + 1);
  const prefix = [...text.slice(0, firstP)].filter((_, i) => marks[i] === "L" || text[i] === "%").join("");
  const suffix = text.slice(lastP + 1);
  let scale = 0;
  while (body.endsWith(",")) {
    scale++;
    body = body.slice(0, -1);
  }
  const dot = body.indexOf(".");
  const intPart = dot < 0 ? body : body.slice(0, dot);
  const frac = dot < 0 ? "" : body.slice(dot + 1);
  return {
    prefix,
    suffix,
    decimalsMin: (frac.match(/0/g) ?? []).length,
    decimalsMax: (frac.match(/[0#?]/g) ?? []).length,
    group: intPart.includes(","),
    percent: text.includes("%"),
    scale,
    literalOnly: false,
  };
}

function general(v: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { useGrouping: false, maximumSignificantDigits: 11 }).format(v);
}

/** `v` as Excel shows it under number format `code`; texts and booleans as they are. */
export function formatAs(v: unknown, code: string | null | undefined, lang: Lang): string {
  if (v === null || v === undefined || v === "") return "";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
  const fmt = (code ?? "").trim();
  if (fmt === "" || /^general$/i.test(fmt) || fmt === "@") return general(v, lang);
  const parts = sections(fmt);
  let sec: string;
  let abs = false;
  if (v < 0 && parts.length >= 2) {
    sec = parts[1];
    abs = true;
  } else if (v === 0 && parts.length >= 3) {
    sec = parts[2];
  } else sec = parts[0];
  // a date or time format is not a budget figure's
  if (/[dmyhs]/i.test(sec.replace(/"[^"]*"|\[[^\]]*\]|\\./g, ""))) return general(v, lang);
  const p = parseSection(sec);
  if (p.literalOnly) return p.prefix;
  let x = abs ? Math.abs(v) : v;
  if (p.percent) x *= 100;
  if (p.scale) x /= 1000 ** p.scale;
  const n = new Intl.NumberFormat(LOCALE[lang], {
    useGrouping: p.group,
    minimumFractionDigits: p.decimalsMin,
    maximumFractionDigits: Math.max(p.decimalsMin, p.decimalsMax),
  }).format(x);
  // "-0" after rounding shows as 0 in Excel
  const shown = /^-0(?:[.,]0*)?$/.test(n) ? n.slice(1) : n;
  return `${p.prefix}${shown}${p.suffix}`;
}
