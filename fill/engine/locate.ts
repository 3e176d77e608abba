// Phase one of a fill: which sheet holds which form, where its header is, which sheet column
// holds which form column, and which plan year the copy was made for. Works on the first rows of
// every sheet only (FIRST_ROWS), so that the pane reads little before it knows where to look.
import { formForYear } from "./form-year.js";
import { prob } from "../../core/codes.js";
import type { Problem } from "../../core/problem.js";
import type { ColumnDef, FormDef } from "../../queries/form-schema.js";
import { mergedValueReader, colsIn, isEmpty } from "./grid.js";
import {
  canon,
  canonWords,
  cellText,
  impliedN,
  isColumnNumber,
  makeSynonyms,
  offsetsIn,
  titleKey,
  yearBag,
  yearsIn,
  bagContains,
  type Synonyms,
  type YearBag,
} from "./match.js";
import type { GridSnapshot, GridValue } from "./types.js";

/** How many rows of each sheet phase one looks at. */
export const FIRST_ROWS = 30;
/** Header bands of one, two or three rows. */
const MAX_HEADER_ROWS = 3;

export interface HeaderMatch {
  headerTop: number;
  headerBottom: number;
  numberRow: number | null;
  bodyStart: number;
  /** form column id → 1-based sheet column */
  columns: Record<string, number>;
  /** sheet columns with a header the form does not know (the staff's own) */
  extraColumns: { col: number; text: string }[];
  /** the column showing a task/indicator code (a list form's codeColumnLabels), if any */
  codeColumn: number | null;
  /** the template's own N read from year-bearing headers, or null when they carry no year */
  headerYear: number | null;
  /** sum of the matched columns' scores */
  score: number;
}

export interface Candidate {
  sheetName: string;
  sheetIndex: number;
  score: number;
  ok: boolean;
  titleHit: boolean;
  titleLineHit: boolean;
  sheetNameHit: boolean;
  matched: number;
  header: HeaderMatch | null;
  titleYear: number | null;
  /** the cells holding the form's number ("Phụ lục 02") or title line, 1-based */
  titleCells: { row: number; col: number }[];
  /** why it is not a confident match */
  reason: string;
  /** the same, in Vietnamese (the officer reads it in the pane and the fill's report) */
  reasonVi: string;
}

export interface Located {
  form: string;
  status: "found" | "not_found" | "ambiguous";
  sheetName: string | null;
  sheetIndex: number | null;
  headerTop: number;
  headerBottom: number;
  numberRow: number | null;
  /** first row below the header (and its row of column numbers) */
  bodyStart: number;
  columns: Record<string, number>;
  missingColumns: string[];
  extraColumns: { col: number; text: string }[];
  codeColumn: number | null;
  /** the copy's own plan year N (from its headers, else its title), null when it shows none */
  templateYear: number | null;
  /** the cells holding the form's number or title line (their years are rewritten with the headers') */
  titleCells: { row: number; col: number }[];
  score: number;
  /** every sheet that looked like the form, best first */
  candidates: Omit<Candidate, "header">[];
  problems: Problem[];
}

// ---------------------------------------------------------------------------------------------
// Definition index: every wording of every column as a bag of words, built once per FormDef.

interface Variant {
  col: number; // index into def.columns
  prio: number;
  bag: YearBag;
}

interface DefIndex {
  syn: Synonyms;
  full: Map<string, Variant[]>;
  leaf: Map<string, Variant[]>;
  group: Map<string, Variant[]>;
  fullList: Variant[];
  /** indexes into fullList of its variants of two words or more, by their first (sorted) word */
  fullByFirst: Map<string, number[]>;
  titlePatterns: RegExp[];
  titleLine: RegExp[];
  sheetNames: RegExp[];
  codeLabels: Set<string>;
  totalLabels: Set<string>;
}

const INDEX = new WeakMap<FormDef, DefIndex>();

function regexes(ps: string[]): RegExp[] {
  const out: RegExp[] = [];
  for (const p of ps) {
    try {
      out.push(new RegExp(p, "u"));
    } catch {
      /* the schema rejects these; a hand-made def just loses the pattern */
    }
  }
  return out;
}

export function defIndex(def: FormDef): DefIndex {
  const cached = INDEX.get(def);
  if (cached) return cached;
  const syn = makeSynonyms(def.synonyms ?? {});
  const full = new Map<string, Variant[]>();
  const leaf = new Map<string, Variant[]>();
  const group = new Map<string, Variant[]>();
  const fullList: Variant[] = [];
  const push = (m: Map<string, Variant[]>, v: Variant) => {
    const l = m.get(v.bag.key);
    if (l) l.push(v);
    else m.set(v.bag.key, [v]);
  };
  def.columns.forEach((c, ci) => {
    const labels = [c.header, ...(c.labels ?? [])];
    const groups = c.group ? [c.group, ...(c.groupLabels ?? [])] : [];
    labels.forEach((l, li) => push(leaf, { col: ci, prio: li, bag: yearBag(canonWords(l, syn)) }));
    groups.forEach((g, gi) => push(group, { col: ci, prio: gi, bag: yearBag(canonWords(g, syn)) }));
    if (groups.length) {
      groups.forEach((g, gi) =>
        labels.forEach((l, li) => {
          const v = { col: ci, prio: gi + li, bag: yearBag(canonWords(`${g} ${l}`, syn)) };
          push(full, v);
          fullList.push(v);
        }),
      );
    } else {
      labels.forEach((l, li) => {
        const v = { col: ci, prio: li, bag: yearBag(canonWords(l, syn)) };
        push(full, v);
        fullList.push(v);
      });
    }
  });
  const fullByFirst = new Map<string, number[]>();
  fullList.forEach((v, i) => {
    if (v.bag.size < 2) return;
    const l = fullByFirst.get(v.bag.toks[0]);
    if (l) l.push(i);
    else fullByFirst.set(v.bag.toks[0], [i]);
  });
  const idx: DefIndex = {
    syn,
    full,
    leaf,
    group,
    fullList,
    fullByFirst,
    titlePatterns: regexes(def.recognise.titlePatterns),
    titleLine: regexes(def.recognise.titleLine ?? []),
    sheetNames: regexes(def.recognise.sheetNames ?? []),
    codeLabels: new Set((def.list?.codeColumnLabels ?? []).map((l) => canon(l, syn))),
    totalLabels: new Set(def.list?.total ? [def.list.total.label, ...(def.list.total.labels ?? [])].map((l) => canon(l, syn, { stripNumbering: true })) : []),
  };
  INDEX.set(def, idx);
  return idx;
}

// ---------------------------------------------------------------------------------------------
// Header bands.

interface ColPath {
  col: number;
  texts: string[];
  path: YearBag;
  leaf: YearBag;
  uppers: YearBag[];
}

interface Match {
  /** the header's bag of words (to tell a generic "Tỷ lệ" from a specific wording) */
  key: string;
  sheetCol: number;
  defCol: number;
  score: number;
  n: number | null | undefined;
}

function combineN(a: number | null | undefined, b: number | null | undefined): number | null | undefined {
  if (a === null || b === null) return null;
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a === b ? a : null;
}

function scoreColumn(p: ColPath, idx: DefIndex, def: FormDef): Match[] {
  const best = new Map<number, Match>();
  const offer = (defCol: number, score: number, n: number | null | undefined) => {
    if (n === null) return;
    const cur = best.get(defCol);
    if (!cur || cur.score < score) best.set(defCol, { key: p.path.key, sheetCol: p.col, defCol, score, n });
  };
  for (const v of idx.full.get(p.path.key) ?? []) offer(v.col, 100 - Math.min(v.prio, 20) * 0.5, impliedN(p.path, v.bag));
  for (const v of idx.leaf.get(p.leaf.key) ?? []) {
    const c: ColumnDef = def.columns[v.col];
    const nLeaf = impliedN(p.leaf, v.bag);
    if (c.group) {
      let grouped = false;
      for (const u of p.uppers) {
        for (const g of idx.group.get(u.key) ?? []) {
          if (g.col !== v.col) continue;
          grouped = true;
          offer(v.col, 100 - Math.min(v.prio + g.prio, 20) * 0.5, combineN(nLeaf, impliedN(u, g.bag)));
        }
      }
      if (!grouped) offer(v.col, 40 - Math.min(v.prio, 20) * 0.5, nLeaf);
    } else {
      offer(v.col, 90 - Math.min(v.prio, 20) * 0.5, nLeaf);
    }
  }
  if (best.size === 0 && p.path.size >= 2 && p.path.size <= 16) {
    const have = new Set(p.path.toks);
    // only a wording whose first word the header has can be in it (body rows are looked at too:
    // a title of ten words against every wording of the form was most of phase one); in order
    const cands: number[] = [];
    for (const t of have) {
      const l = idx.fullByFirst.get(t);
      if (l) for (const i of l) cands.push(i);
    }
    cands.sort((a, b) => a - b);
    for (const i of cands) {
      const v = idx.fullList[i];
      if (v.bag.size <= p.path.size && v.bag.toks.every((t) => have.has(t)) && bagContains(p.path, v.bag)) {
        const n = v.bag.offsets.length === p.path.years.length ? impliedN(p.path, v.bag) : v.bag.offsets.length === 0 ? undefined : null;
        offer(v.col, 20 - Math.min(v.prio, 10) * 0.5, n);
      }
    }
  }
  return [...best.values()];
}

function assign(matches: Match[], planYear: number): { chosen: Match[]; n: number | null } {
  const votes = new Map<number, number>();
  for (const m of matches) if (typeof m.n === "number") votes.set(m.n, (votes.get(m.n) ?? 0) + m.score);
  let n: number | null = null;
  let bestVote = -1;
  for (const [y, v] of votes) {
    if (v > bestVote || (v === bestVote && n !== null && Math.abs(y - planYear) < Math.abs(n - planYear))) {
      n = y;
      bestVote = v;
    }
  }
  const usable = matches.filter((m) => typeof m.n !== "number" || m.n === n);
  usable.sort((a, b) => b.score - a.score || a.defCol - b.defCol || a.sheetCol - b.sheetCol);
  const usedDef = new Set<number>();
  const usedCol = new Set<number>();
  const chosen: Match[] = [];
  for (const m of usable) {
    if (usedDef.has(m.defCol) || usedCol.has(m.sheetCol)) continue;
    usedDef.add(m.defCol);
    usedCol.add(m.sheetCol);
    chosen.push(m);
  }
  // a column's year may be implied by none of the chosen matches (all wordings without years)
  if (!chosen.some((m) => typeof m.n === "number")) n = null;
  return { chosen, n };
}

/**
 * A header that fits several ratio columns ("Tỷ lệ %" for both 6-month and expected ratios) goes
 * to the ratio whose numerator stands just left of it: with one ratio column only, or with the
 * two in another order, greedy order alone would guess.
 */
function placeRatios(chosen: Match[], def: FormDef, idx: DefIndex): void {
  const ratioOf = (i: number) => {
    const c = def.columns[i].computed;
    return c && "ratio" in c ? c.ratio : null;
  };
  const ratioDefs = def.columns.map((_, i) => i).filter((i) => ratioOf(i));
  if (ratioDefs.length < 2) return;
  const byCol = new Map(chosen.map((m) => [m.sheetCol, m]));
  for (const m of [...chosen].sort((a, b) => a.sheetCol - b.sheetCol)) {
    const r = ratioOf(m.defCol);
    if (!r) continue;
    const generic = (idx.full.get(m.key) ?? []).some((v) => v.col !== m.defCol && ratioOf(v.col));
    if (!generic) continue;
    let left: Match | undefined;
    for (let c = m.sheetCol - 1; c >= 1 && !left; c--) left = byCol.get(c);
    if (!left) continue;
    const leftId = def.columns[left.defCol].id;
    if (r[0] === leftId) continue;
    const better = ratioDefs.find((i) => ratioOf(i)![0] === leftId);
    if (better === undefined) continue;
    const other = chosen.find((o) => o.defCol === better);
    if (other) other.defCol = m.defCol;
    m.defCol = better;
  }
}

/** Is this row the row of column numbers ("A", "B", "1", "2", "3=1+2")? */
function isNumberRow(read: (r: number, c: number) => GridValue, row: number, cols: number): boolean {
  let filled = 0;
  let nums = 0;
  for (let c = 1; c <= cols; c++) {
    const v = read(row, c);
    if (isEmpty(v)) continue;
    filled++;
    if (isColumnNumber(v)) nums++;
  }
  // every cell (but one in a wide row) is a number: a body row of small counts still has its label
  return filled >= 2 && nums >= filled - (filled >= 10 ? 1 : 0);
}

interface Band {
  top: number;
  bottom: number;
  paths: ColPath[];
}

interface SheetBands {
  numberRows: Set<number>;
  bands: Band[];
}

/** The candidate header bands of a sheet, computed once per sheet and vocabulary. */
const BANDS = new WeakMap<GridSnapshot, Map<Synonyms, SheetBands>>();

function sheetBands(sheet: GridSnapshot, syn: Synonyms): SheetBands {
  let perSyn = BANDS.get(sheet);
  if (!perSyn) BANDS.set(sheet, (perSyn = new Map()));
  const hit = perSyn.get(syn);
  if (hit) return hit;
  const maxRow = Math.min(FIRST_ROWS, sheet.values.length);
  const cols = Math.min(colsIn(sheet), 200);
  const read = mergedValueReader(sheet, maxRow + 1);
  const texts: string[][] = [];
  for (let r = 1; r <= maxRow; r++) {
    const line: string[] = [];
    for (let c = 1; c <= cols; c++) line.push(cellText(read(r, c)).trim());
    texts.push(line);
  }
  const bags = new Map<string, YearBag>();
  const bagOf = (t: string): YearBag => {
    let b = bags.get(t);
    if (!b) bags.set(t, (b = yearBag(canonWords(t, syn))));
    return b;
  };
  // a column's texts in a band are often the same in the bands around it (the rows above and below
  // are empty there): one path for them, so that a form scores it once (findHeader's cache)
  const pathOf = new Map<string, ColPath>();
  const numberRows = new Set<number>();
  for (let r = 1; r <= maxRow; r++) if (isNumberRow(read, r, cols)) numberRows.add(r);
  const filled = (r: number) => texts[r - 1].filter((t) => t).length;
  const bands: Band[] = [];
  for (let top = 1; top <= maxRow; top++) {
    if (numberRows.has(top) || filled(top) < 1) continue;
    for (let h = 1; h <= MAX_HEADER_ROWS && top + h - 1 <= maxRow; h++) {
      const bottom = top + h - 1;
      if (numberRows.has(bottom)) break;
      const paths: ColPath[] = [];
      for (let c = 1; c <= cols; c++) {
        const ts: string[] = [];
        for (let r = top; r <= bottom; r++) {
          const t = texts[r - 1][c - 1];
          if (t && ts[ts.length - 1] !== t) ts.push(t);
        }
        if (!ts.length) continue;
        const key = c + "\u0000" + ts.join("\u0001");
        let p = pathOf.get(key);
        if (!p) {
          const bs = ts.map(bagOf);
          pathOf.set(key, (p = { col: c, texts: ts, path: ts.length === 1 ? bs[0] : bagOf(ts.join(" ")), leaf: bs[bs.length - 1], uppers: bs.slice(0, -1) }));
        }
        paths.push(p);
      }
      if (paths.length >= 2) bands.push({ top, bottom, paths });
    }
  }
  const out = { numberRows, bands };
  perSyn.set(syn, out);
  return out;
}

export function findHeader(sheet: GridSnapshot, def: FormDef, planYear: number): HeaderMatch | null {
  const idx = defIndex(def);
  if (sheet.values.length === 0 || colsIn(sheet) === 0) return null;
  const { numberRows, bands } = sheetBands(sheet, idx.syn);
  const scoreCache = new Map<ColPath, Match[]>();
  let best: { m: HeaderMatch; total: number } | null = null;
  for (const { top, bottom, paths } of bands) {
    {
      const h = bottom - top + 1;
      const matches = paths.flatMap((p) => {
        let m = scoreCache.get(p);
        if (!m) scoreCache.set(p, (m = scoreColumn(p, idx, def)));
        return m;
      });
      if (!matches.length) continue;
      const assigned = assign(matches, planYear);
      const n = assigned.n;
      // copies: placeRatios moves a match to another column, and a path's matches serve other bands
      const chosen = assigned.chosen.map((m) => ({ ...m }));
      placeRatios(chosen, def, idx);
      const total = chosen.reduce((s, m) => s + m.score, 0);
      if (best && (total < best.total || (total === best.total && h >= best.m.headerBottom - best.m.headerTop + 1))) continue;
      const columns: Record<string, number> = {};
      for (const m of [...chosen].sort((a, b) => a.defCol - b.defCol)) columns[def.columns[m.defCol].id] = m.sheetCol;
      const used = new Set(chosen.map((m) => m.sheetCol));
      const extraColumns = paths.filter((p) => !used.has(p.col)).map((p) => ({ col: p.col, text: p.texts.join(" / ") }));
      let codeColumn: number | null = null;
      for (const p of paths) {
        if (used.has(p.col)) continue;
        if (idx.codeLabels.has(canon(p.texts[p.texts.length - 1], idx.syn)) || idx.codeLabels.has(canon(p.texts.join(" "), idx.syn))) {
          codeColumn = p.col;
          break;
        }
      }
      const numberRow = numberRows.has(bottom + 1) ? bottom + 1 : null;
      best = {
        total,
        m: {
          headerTop: top,
          headerBottom: bottom,
          numberRow,
          bodyStart: (numberRow ?? bottom) + 1,
          columns,
          extraColumns,
          codeColumn,
          headerYear: n,
          score: total,
        },
      };
    }
  }
  return best?.m ?? null;
}

// ---------------------------------------------------------------------------------------------
// Titles and whole-sheet evaluation.

function titleYearOf(textRaw: string, def: FormDef): number | null {
  const ys = yearsIn(textRaw);
  const offs = offsetsIn(def.title);
  if (!ys.length || !offs.length) return null;
  if (ys.length === offs.length) {
    const n = ys[0] + offs[0];
    return ys.every((y, i) => y + offs[i] === n) ? n : null;
  }
  return ys[0] + offs[0];
}

export function evaluate(sheet: GridSnapshot, def: FormDef, planYear: number): Candidate {
  const idx = defIndex(def);
  const scan = Math.min(def.recognise.scanRows ?? 8, sheet.values.length);
  const cols = Math.min(colsIn(sheet), 200);
  let titleHit = false;
  let titleLineHit = false;
  let titleYear: number | null = null;
  const titleCells: { row: number; col: number }[] = [];
  for (let r = 1; r <= scan; r++) {
    const row = sheet.values[r - 1] ?? [];
    for (let c = 1; c <= Math.min(row.length, cols); c++) {
      const v = row[c - 1];
      if (typeof v !== "string" || !v.trim()) continue;
      const k = titleKey(v);
      let here = false;
      if (idx.titlePatterns.some((p) => p.test(k))) {
        titleHit = true;
        here = true;
      }
      // the title line may follow "Phụ lục 01:" in the same cell
      const ck = canon(v, idx.syn);
      const ckTail = canon(v.replace(/^[^:]*\b(?:lục|luc|biểu|bieu|PL)\b[^:]*:/iu, ""), idx.syn);
      if (idx.titleLine.some((p) => p.test(ck) || p.test(ckTail))) {
        if (!titleLineHit) titleYear = titleYearOf(v, def);
        titleLineHit = true;
        here = true;
      }
      if (here) titleCells.push({ row: r, col: c });
    }
  }
  const sheetNameHit = idx.sheetNames.some((p) => p.test(titleKey(sheet.sheetName ?? "")));
  const header = findHeader(sheet, def, planYear);
  const matched = header ? Object.keys(header.columns).length : 0;
  const fraction = matched / def.columns.length;
  const score = (titleHit ? 30 : 0) + (titleLineHit ? 20 : 0) + (sheetNameHit ? 5 : 0) + 50 * fraction + (header ? header.score / 10_000 : 0);
  let ok = false;
  let reason = "";
  let reasonVi = "";
  if (!header || matched < Math.max(2, Math.ceil(def.columns.length / 2))) {
    reason = `header: ${matched}/${def.columns.length} columns recognised`;
    reasonVi = `tiêu đề cột: nhận ra ${matched}/${def.columns.length} cột`;
  } else if (!(titleHit || titleLineHit || fraction >= 0.8 || (sheetNameHit && fraction >= 0.6))) {
    reason = `no title and only ${matched}/${def.columns.length} columns recognised`;
    reasonVi = `không có tên biểu và chỉ nhận ra ${matched}/${def.columns.length} cột`;
  } else ok = true;
  return { sheetName: sheet.sheetName, sheetIndex: sheet.index, score, ok, titleHit, titleLineHit, sheetNameHit, matched, header, titleYear, titleCells, reason, reasonVi };
}

function strip(c: Candidate): Omit<Candidate, "header"> {
  const { header: _h, ...rest } = c;
  return rest;
}

function notLocated(def: FormDef, status: "not_found" | "ambiguous", cands: Candidate[], p: Problem): Located {
  return {
    form: def.code,
    status,
    sheetName: null,
    sheetIndex: null,
    headerTop: 0,
    headerBottom: 0,
    numberRow: null,
    bodyStart: 0,
    columns: {},
    missingColumns: def.columns.map((c) => c.id),
    extraColumns: [],
    codeColumn: null,
    templateYear: null,
    titleCells: [],
    score: 0,
    candidates: cands.map(strip),
    problems: [p],
  };
}

/**
 * Phase one: for each form, the sheet that holds it (or why none does). Two look-alike sheets
 * are ambiguous unless `choices` names one (form code → sheet name). A sheet is given to one
 * form only: the one it matches best.
 */
export function locateForms(sheets: GridSnapshot[], forms: FormDef[], year: number, choices: Record<string, string> = {}): Located[] {
  const all = forms.map((f) => formForYear(f, year)).map((def) => {
    const cands = sheets.map((s) => {
      try {
        return evaluate(s, def, year);
      } catch (e) {
        return { sheetName: s.sheetName, sheetIndex: s.index, score: 0, ok: false, titleHit: false, titleLineHit: false, sheetNameHit: false, matched: 0, header: null, titleYear: null, titleCells: [], reason: `unreadable: ${String(e)}`, reasonVi: `không đọc được: ${String(e)}` } satisfies Candidate;
      }
    });
    cands.sort((a, b) => b.score - a.score || a.sheetIndex - b.sheetIndex);
    return { def, cands };
  });
  // who claims a sheet: the form that matches it best
  const claim = new Map<string, { form: string; score: number }>();
  for (const { def, cands } of all)
    for (const c of cands) {
      if (!c.ok) continue;
      const cur = claim.get(c.sheetName);
      if (!cur || cur.score < c.score) claim.set(c.sheetName, { form: def.code, score: c.score });
    }
  return all.map(({ def, cands }) => {
    const place = { form: def.code };
    const ok = cands.filter((c) => c.ok && claim.get(c.sheetName)?.form === def.code);
    const chosenName = choices[def.code];
    let pick: Candidate | undefined;
    if (chosenName !== undefined) {
      pick = cands.find((c) => c.sheetName === chosenName && c.ok);
      if (!pick)
        return notLocated(def, "not_found", cands,
          prob("E_FORM_NOT_FOUND", { ...place, sheet: chosenName }, {}, { chosen: chosenName }));
    } else if (ok.length === 0) {
      const near = cands[0];
      const why = near ? `${near.sheetName}: ${near.ok ? "claimed by another form" : near.reason}` : "no sheets";
      const whyVi = near ? `${near.sheetName}: ${near.ok ? "đã thuộc về biểu khác" : near.reasonVi}` : "không có trang tính nào";
      return notLocated(def, "not_found", cands,
        prob("E_FORM_NOT_FOUND", place, { nearest: near ? strip(near) : null }, { number: def.number, why, whyVi }));
    } else if (ok.length > 1 && ok[1].score >= ok[0].score - 5) {
      const names = ok.filter((c) => c.score >= ok[0].score - 5).map((c) => c.sheetName);
      return notLocated(def, "ambiguous", cands,
        prob("E_FORM_AMBIGUOUS", place, { sheets: names }));
    } else pick = ok[0];
    const h = pick.header!;
    const missing = def.columns.filter((c) => h.columns[c.id] === undefined).map((c) => c.id);
    const templateYear = h.headerYear ?? pick.titleYear ?? null;
    return {
      form: def.code,
      status: "found",
      sheetName: pick.sheetName,
      sheetIndex: pick.sheetIndex,
      headerTop: h.headerTop,
      headerBottom: h.headerBottom,
      numberRow: h.numberRow,
      bodyStart: h.bodyStart,
      columns: h.columns,
      missingColumns: missing,
      extraColumns: h.extraColumns,
      codeColumn: h.codeColumn,
      templateYear,
      titleCells: pick.titleCells,
      score: pick.score,
      candidates: cands.filter((c) => c.score > 0).map(strip),
      problems: [],
    } satisfies Located;
  });
}
