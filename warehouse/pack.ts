// One file's facts, tasks and indicators as the staging tables take them: numbers in typed columns,
// each repeated string once. A reading worker packs its file (etl/read-pool.ts) and hands the
// columns over as transferable buffers: the main thread, which stages into DuckDB, then neither
// rebuilds 100 000 fact objects or 50 000 task objects from a structured clone nor parses their
// amounts again. The loader packs a file it was given
// as objects (a parser on its own thread, tests) the same way. No DuckDB here: workers import it.
import { microNumber, parseDecimal } from "../core/money.js";
import { emptyList, grown } from "../core/lists.js";
import type { IndicatorRecord, ParsedFile, TaskRecord } from "./model.js";

export interface PackedFacts {
  /** facts (rows of the staging table ld_in) */
  n: number;
  // ids into `small` (1-based): the kind, measure, source, sheet and column letters of each fact
  kind: Int32Array;
  measure: Int32Array;
  source: Int32Array;
  sheet: Int32Array;
  col: Int32Array;
  /** ids into `keys` (1-based): the entity key (task code, line, indicator key) */
  k1: Int32Array;
  year: Int32Array;
  row: Int32Array;
  /** micro-units (amount × 10^6); a plain list only in the rare file with a figure past int64 */
  amount: BigInt64Array | bigint[];
  keys: string[];
  small: string[];
  /** per funding sheet, the column letters of its task codes (load.ts noteCodeColumns) */
  codeColumns: [sheet: string, letters: string][];
  /** the file's tasks (its register rows) and indicators, in place of the objects */
  tasks: PackedTasks;
  indicators: PackedIndicators;
}

export class Interned {
  private readonly ids = new Map<string, number>();
  readonly values = emptyList<string>();
  // the last string asked and its id: a row's figures share their key, a sheet's its measures
  private last: string | undefined = undefined;
  private lastId = 0;
  /** id(s), remembering the last one (for a string that repeats from one fact to the next) */
  idLast(s: string): number {
    if (s === this.last) return this.lastId;
    const i = this.id(s);
    this.last = s;
    this.lastId = i;
    return i;
  }
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      this.values.push(s);
      i = this.values.length; // 1-based, as the staging join expects
      this.ids.set(s, i);
    }
    return i;
  }
}

const INT64_MAX = 2n ** 63n - 1n;

/** Micro-units past ±(2^63 − 1): a file holding one has its amounts as a list of BigInts (staged into ld_in_wide). */
const pastInt64 = (micro: bigint): boolean => micro > INT64_MAX || micro < -INT64_MAX;

/**
 * A validated decimal ("1234.5", "-0.25", at most 6 decimals) in micro-units. While it is an exact
 * integer Number (core/money.ts's microNumber, the parse's quick reading) it is made a BigInt once;
 * anything else goes through parseDecimal, which also refuses what is not a decimal.
 */
export function microOf(s: string): bigint {
  const x = microNumber(s);
  return x === x ? BigInt(x) : parseDecimal(s);
}

/** "AB12" → the length of its column letters (the parser's A1 references are well formed). */
function lettersEnd(cell: string): number {
  let i = 0;
  while (i < cell.length && cell.charCodeAt(i) >= 65) i++;
  return i;
}

/**
 * Puts facts into a PackedFacts one after another. A class rather than a closure made per file:
 * packFacts' loops called a new `put` at each file, and its optimised code, compiled for the one
 * before, was thrown away ("wrong call target"), or when that closure died ("weak objects").
 */
class FactPacker {
  i = 0;
  // the last sheet and column seen: a sheet's facts come together, a row's few columns repeat
  private lastSheet = "";
  private lastSheetId = 0;
  private lastMeasure: string | undefined = undefined;
  private lastMeasureId = 0;
  private lastSource: string | undefined = undefined;
  private lastSourceId = 0;
  // column letters' ids by column number (A = 1), given on their first sight in the same order
  private readonly colIds: number[] = [];
  constructor(
    readonly p: PackedFacts,
    private readonly keys: Interned,
    private readonly small: Interned,
  ) {}
  put(kind: number, k1: string, year: number, measure: string, source: string, amount: string, sheet: string, cell: string): void {
    const p = this.p;
    const small = this.small;
    const i = this.i;
    p.kind[i] = kind;
    p.k1[i] = this.keys.idLast(k1);
    p.year[i] = year;
    // (small's ids are given in order of first sight: a string remembered has its id already)
    if (measure !== this.lastMeasure) {
      this.lastMeasure = measure;
      this.lastMeasureId = small.id(measure);
    }
    p.measure[i] = this.lastMeasureId;
    if (source !== this.lastSource) {
      this.lastSource = source;
      this.lastSourceId = small.id(source);
    }
    p.source[i] = this.lastSourceId;
    const micro = microOf(amount);
    if (p.amount instanceof BigInt64Array && pastInt64(micro)) p.amount = Array.from(p.amount);
    p.amount[i] = micro;
    if (sheet !== this.lastSheet || this.lastSheetId === 0) {
      this.lastSheet = sheet;
      this.lastSheetId = small.id(sheet);
    }
    p.sheet[i] = this.lastSheetId;
    // "AB12": the column by its letters and the row by its digits, without slicing either out
    const n = cell.length;
    let col = 0;
    let e = 0;
    for (; e < n; e++) {
      const c = cell.charCodeAt(e);
      if (c < 65 || c > 90) break;
      col = col * 26 + (c - 64);
    }
    let row = 0;
    let r = e;
    for (; r < n; r++) {
      const c = cell.charCodeAt(r);
      if (c < 48 || c > 57) break;
      row = row * 10 + (c - 48);
    }
    if (e === 0 || r < n || e > 3 || r - e > 9) {
      // anything but capital letters then digits: as it always was read
      const le = lettersEnd(cell);
      p.col[i] = small.id(cell.slice(0, le));
      p.row[i] = Number(cell.slice(le));
    } else {
      let id = this.colIds[col];
      if (id === undefined) this.colIds[col] = id = small.id(cell.slice(0, e));
      p.col[i] = id;
      p.row[i] = row;
    }
    this.i = i + 1;
  }
}

/** Columns for `n` facts, to be filled; their strings those `keys` and `small` are given. */
function emptyPacked(n: number, keys: Interned, small: Interned, tasks: PackedTasks, indicators: PackedIndicators): PackedFacts {
  return {
    n,
    kind: new Int32Array(n),
    measure: new Int32Array(n),
    source: new Int32Array(n),
    sheet: new Int32Array(n),
    col: new Int32Array(n),
    k1: new Int32Array(n),
    year: new Int32Array(n),
    row: new Int32Array(n),
    amount: new BigInt64Array(n),
    keys: keys.values,
    small: small.values,
    codeColumns: emptyList(),
    tasks,
    indicators,
  };
}

/** The facts of a parsed file, packed in the order the loader stages them. */
export function packFacts(f: ParsedFile): PackedFacts {
  let n = f.taskFunding.length + f.budgetLines.length + f.indicatorFacts.length;
  for (const t of f.tasks) n += t.approved.length;
  const small = new Interned(); // kinds, measures, sources, sheets, column letters: a handful each
  const keys = new Interned(); // entity keys: thousands in a big register
  const p = emptyPacked(n, keys, small, packTasks(f.tasks), packIndicators(f.indicators));
  const w = new FactPacker(p, keys, small);
  const approved = small.id("task_approved");
  for (const t of f.tasks) for (const a of t.approved) w.put(approved, t.code, 0, "", a.source, a.amount, a.at.sheet, a.at.cell);
  const funding = small.id("task_funding");
  for (const x of f.taskFunding) w.put(funding, x.taskCode, x.year, x.measure, x.source, x.amount, x.at.sheet, x.at.cell);
  const line = small.id("budget_line");
  for (const x of f.budgetLines) w.put(line, x.line, x.year, x.measure, x.source, x.amount, x.at.sheet, x.at.cell);
  const indicator = small.id("indicator");
  for (const x of f.indicatorFacts) w.put(indicator, x.key, x.year, x.measure, "", x.value, x.at.sheet, x.at.cell);
  let last = "";
  for (const x of f.taskFunding) {
    if (!x.codeAt || x.codeAt.sheet === last) continue;
    last = x.codeAt.sheet;
    p.codeColumns.push([x.codeAt.sheet, x.codeAt.cell.replace(/\d+$/, "")]);
  }
  return p;
}

/** Is an int64 two 32-bit halves, the low one first? */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An int64 column's bytes as 32-bit halves, the low one first, where the platform lays them out so
 * (null elsewhere): an exact integer copied or written without a BigInt made for it.
 */
export function int64Halves(a: BigInt64Array): Int32Array | null {
  return LITTLE_ENDIAN ? new Int32Array(a.buffer, a.byteOffset, a.length * 2) : null;
}

/**
 * One kind's facts as the parse writes them: growable columns, the strings as ids of the file's
 * parse-time dictionaries (FileFacts), the cell as its column and row numbers, the amount in
 * micro-units. No object per fact: a fact object, its CellRef, its "C123" and its decimal string
 * lived until the file's end, and the reading worker's scavenges copied them (a third of its time).
 */
class FactColumns {
  n = 0;
  k1 = new Int32Array(256);
  year = new Int32Array(256);
  measure = new Int32Array(256);
  source = new Int32Array(256);
  sheet = new Int32Array(256);
  col = new Int32Array(256);
  row = new Int32Array(256);
  amount: BigInt64Array | bigint[];
  /** `amount`'s bytes as 32-bit halves (little-endian), while it is a BigInt64Array: an exact integer written without a BigInt */
  halves: Int32Array | null;
  constructor() {
    const a = new BigInt64Array(256);
    this.amount = a;
    this.halves = int64Halves(a);
  }
  /** 1 for a fact dropped after it was written (FileFacts.drop), else 0; null while none is */
  dropped: Uint8Array | null = null;
  private grow(): void {
    const cap = this.k1.length * 2;
    this.k1 = grown(this.k1, cap);
    this.year = grown(this.year, cap);
    this.measure = grown(this.measure, cap);
    this.source = grown(this.source, cap);
    this.sheet = grown(this.sheet, cap);
    this.col = grown(this.col, cap);
    this.row = grown(this.row, cap);
    if (this.amount instanceof BigInt64Array) {
      this.amount = grown(this.amount, cap);
      this.halves = int64Halves(this.amount);
    }
  }
  /** The fact's place and ids; its amount then (`amountMicro` or `amountBig`). */
  private start(k1: number, year: number, measure: number, source: number, sheet: number, col: number, row: number): number {
    const i = this.n;
    if (i === this.k1.length) this.grow();
    this.k1[i] = k1;
    this.year[i] = year;
    this.measure[i] = measure;
    this.source[i] = source;
    this.sheet[i] = sheet;
    this.col[i] = col;
    this.row[i] = row;
    this.n = i + 1;
    return i;
  }
  /**
   * A fact whose micro-units are `x`, an exact integer Number (|x| < 2^53): its two 32-bit halves
   * written, no BigInt made (530 000 of them in the bench's subset, each a young object).
   */
  putMicro(k1: number, year: number, measure: number, source: number, sheet: number, col: number, row: number, x: number): number {
    const i = this.start(k1, year, measure, source, sheet, col, row);
    const h = this.halves;
    if (h !== null) {
      const hi = Math.floor(x / 4294967296);
      h[2 * i] = x - hi * 4294967296; // (the low half's bits: Int32Array keeps them modulo 2^32)
      h[2 * i + 1] = hi;
    } else this.amount[i] = BigInt(x);
    return i;
  }
  /** A fact whose micro-units need a BigInt (past 2^53, or a list's past int64). */
  putBig(k1: number, year: number, measure: number, source: number, sheet: number, col: number, row: number, micro: bigint): number {
    const i = this.start(k1, year, measure, source, sheet, col, row);
    if (this.amount instanceof BigInt64Array && pastInt64(micro)) {
      this.amount = Array.from(this.amount.subarray(0, i));
      this.halves = null;
    }
    this.amount[i] = micro;
    return i;
  }
}

/** FileFacts' kinds, in the order packFacts packs them (and the loader stages them). */
export const FactKind = { Approved: 0, Funding: 1, Line: 2, Indicator: 3 } as const;
export type FactKind = (typeof FactKind)[keyof typeof FactKind];
const KIND_NAMES = ["task_approved", "task_funding", "budget_line", "indicator"];

/**
 * A file's facts written by its parse straight into columns (one FactColumns per kind), then packed
 * (`pack`) into the very PackedFacts packFacts makes of the same facts as objects: the same order,
 * the same ids (the dictionaries are made again in packFacts' order of first sight: a pass over
 * ids, not strings), the same code columns. A fact's place is its sheet's id and its column and row
 * numbers: its cell reference is made only for a problem (`cell`).
 */
export class FileFacts {
  /**
   * `letters`: a column number's letters (1 = "A"), the xlsx toolkit's colLetters, given by the
   * parse: the one home of A1 references is xlsx/refs.ts, which this folder may not import.
   */
  constructor(private readonly letters: (col: number) => string) {}
  private readonly keys = new Interned();
  private readonly small = new Interned();
  readonly kinds = [new FactColumns(), new FactColumns(), new FactColumns(), new FactColumns()];
  /** per sheet id of a funding sheet, the column number of its task codes */
  private readonly codeCols = new Map<number, number>();
  // the last sheet, measure and source and their ids: a sheet's facts come together, a row's few columns repeat
  private lastSheet = "";
  private lastSheetId = 0;
  private lastMeasure = "";
  private lastMeasureId = 0;
  private lastSource = "";
  private lastSourceId = 0;
  /** A fact; `amount` a validated decimal (the parse's), packed in micro-units as microOf reads it. */
  put(kind: FactKind, key: string, year: number, measure: string, source: string, amount: string, sheet: string, col: number, row: number): number {
    if (sheet !== this.lastSheet || this.lastSheetId === 0) {
      this.lastSheet = sheet;
      this.lastSheetId = this.small.id(sheet);
    }
    if (measure !== this.lastMeasure || this.lastMeasureId === 0) {
      this.lastMeasure = measure;
      this.lastMeasureId = this.small.id(measure);
    }
    if (source !== this.lastSource || this.lastSourceId === 0) {
      this.lastSource = source;
      this.lastSourceId = this.small.id(source);
    }
    const k = this.kinds[kind]!;
    const k1 = this.keys.idLast(key);
    const x = microNumber(amount);
    if (x === x) return k.putMicro(k1, year, this.lastMeasureId, this.lastSourceId, this.lastSheetId, col, row, x);
    return k.putBig(k1, year, this.lastMeasureId, this.lastSourceId, this.lastSheetId, col, row, parseDecimal(amount));
  }
  /** A task funding fact, its task code read in column `codeCol` of its row. */
  putFunding(key: string, year: number, measure: string, source: string, amount: string, sheet: string, col: number, row: number, codeCol: number): number {
    const i = this.put(FactKind.Funding, key, year, measure, source, amount, sheet, col, row);
    const s = this.kinds[FactKind.Funding]!.sheet[i]!;
    if (!this.codeCols.has(s)) this.codeCols.set(s, codeCol);
    return i;
  }
  key(kind: FactKind, i: number): string {
    return this.keys.values[this.kinds[kind]!.k1[i]! - 1]!;
  }
  year(kind: FactKind, i: number): number {
    return this.kinds[kind]!.year[i]!;
  }
  measure(kind: FactKind, i: number): string {
    return this.small.values[this.kinds[kind]!.measure[i]! - 1]!;
  }
  sheet(kind: FactKind, i: number): string {
    return this.small.values[this.kinds[kind]!.sheet[i]! - 1]!;
  }
  /** The fact's cell reference ("C123"), for a problem. */
  cell(kind: FactKind, i: number): string {
    const k = this.kinds[kind]!;
    return this.letters(k.col[i]!) + k.row[i]!;
  }
  setSource(kind: FactKind, i: number, source: string): void {
    this.kinds[kind]!.source[i] = this.small.id(source);
  }
  /** The fact is not the file's after all (a duplicate found at the file's end). */
  drop(kind: FactKind, i: number): void {
    const k = this.kinds[kind]!;
    (k.dropped ??= new Uint8Array(k.k1.length > k.n ? k.k1.length : k.n))[i] = 1;
  }
  get size(): number {
    let n = 0;
    for (const k of this.kinds) {
      n += k.n;
      if (k.dropped) for (let i = 0; i < k.n; i++) n -= k.dropped[i]!;
    }
    return n;
  }
  /** The facts packed, with the file's tasks and indicators (packed already). */
  pack(tasks: PackedTasks, indicators: PackedIndicators): PackedFacts {
    const n = this.size;
    const small = new Interned();
    const keys = new Interned();
    const p = emptyPacked(n, keys, small, tasks, indicators);
    // the parse's ids → packFacts' (0: not met yet), each given at its first sight in packFacts' order
    const smallMap = new Int32Array(this.small.values.length + 1);
    const keyMap = new Int32Array(this.keys.values.length + 1);
    const parseSmall = this.small.values;
    const smallOf = (id: number): number => {
      let j = smallMap[id]!;
      if (j === 0) smallMap[id] = j = small.id(parseSmall[id - 1]!);
      return j;
    };
    // column letters by column number: packFacts' ids of "AB", given in the same order
    const colIds: number[] = [];
    let o = 0;
    let lastCodeSheet = -1;
    let out = p.amount instanceof BigInt64Array ? int64Halves(p.amount) : null;
    for (let kind = 0; kind < 4; kind++) {
      const kindId = small.id(KIND_NAMES[kind]!);
      const k = this.kinds[kind]!;
      const dropped = k.dropped;
      const amounts = k.amount;
      const halves = k.halves;
      for (let i = 0; i < k.n; i++) {
        if (dropped !== null && dropped[i] === 1) continue;
        p.kind[o] = kindId;
        const k1 = k.k1[i]!;
        let kj = keyMap[k1]!;
        if (kj === 0) keyMap[k1] = kj = keys.id(this.keys.values[k1 - 1]!);
        p.k1[o] = kj;
        p.year[o] = k.year[i]!;
        // (in FactPacker.put's order of first sight: measure, source, sheet, column)
        p.measure[o] = smallOf(k.measure[i]!);
        p.source[o] = smallOf(k.source[i]!);
        if (out !== null && halves !== null) {
          // int64 to int64: its two halves copied, no BigInt made
          out[2 * o] = halves[2 * i]!;
          out[2 * o + 1] = halves[2 * i + 1]!;
        } else {
          const micro = amounts[i]!;
          if (p.amount instanceof BigInt64Array && pastInt64(micro)) {
            p.amount = Array.from(p.amount);
            out = null;
          }
          p.amount[o] = micro;
        }
        const sheet = k.sheet[i]!;
        p.sheet[o] = smallOf(sheet);
        const col = k.col[i]!;
        let c = colIds[col];
        if (c === undefined) colIds[col] = c = small.id(this.letters(col));
        p.col[o] = c;
        p.row[o] = k.row[i]!;
        if (kind === FactKind.Funding && sheet !== lastCodeSheet) {
          lastCodeSheet = sheet;
          p.codeColumns.push([this.small.values[sheet - 1]!, this.letters(this.codeCols.get(sheet)!)]);
        }
        o++;
      }
    }
    return p;
  }
}

/**
 * A file's tasks as the staging table ld_task takes them, packed where the file is read: a reading
 * worker's 52 700 task objects crossed to the main thread by structured clone (≈ 70 ms to write on
 * the worker, the load's critical path, and ≈ 77 ms to read back), to be taken apart there again.
 * The appender's cost is one native call a string, and a register repeats its levels, fields, lead
 * organisations, months, statuses and dates on every row, and its sheet's name: those are ids
 * (`ids`, 1-based, 0 null) into `strings`, the file's own dictionary, which the loader maps once
 * per file to the run's (`dictIds`: ld_dict, each string appended once a run, put back when the
 * run's tasks are committed or checked). What is the row's own (code, title, name, decision, cell)
 * goes as it is; the file is a number the loader adds.
 */
export interface PackedTasks {
  n: number;
  code: string[];
  title: string[];
  pi: (string | null)[];
  decision: (string | null)[];
  /** 1 for a task whose register gave a total and no parts, else 0 */
  unsplit: Uint8Array;
  cell: string[];
  /** sheet, level, field, lead org, pi gender, start ("YYYY-MM-01"), end, status, accepted on: n ids each, one after another */
  ids: Int32Array;
  /** the strings `ids` name, each once (id j is strings[j − 1]) */
  strings: string[];
}

/** The number of columns of PackedTasks.ids. */
export const TASK_ID_COLUMNS = 9;

/** A file's tasks packed, their repeated strings in a dictionary of the file's own. */
export function packTasks(tasks: readonly TaskRecord[]): PackedTasks {
  const n = tasks.length;
  const dict = new Interned();
  const id = (s: string | undefined) => (s === undefined ? 0 : dict.id(s));
  const p: PackedTasks = {
    n,
    code: new Array(n),
    title: new Array(n),
    pi: new Array(n),
    decision: new Array(n),
    unsplit: new Uint8Array(n),
    cell: new Array(n),
    ids: new Int32Array(TASK_ID_COLUMNS * n),
    strings: dict.values,
  };
  const ids = p.ids;
  // a register's months repeat: their dates ("2024-01" → "2024-01-01") made once each
  const months = new Map<string, number>();
  const month = (m: string) => {
    let i = months.get(m);
    if (i === undefined) months.set(m, (i = dict.id(`${m}-01`)));
    return i;
  };
  for (let i = 0; i < n; i++) {
    const t = tasks[i]!;
    p.code[i] = t.code;
    p.title[i] = t.title;
    p.pi[i] = t.pi ?? null;
    p.decision[i] = t.decision ?? null;
    p.unsplit[i] = t.unsplit ? 1 : 0;
    p.cell[i] = t.at.cell;
    ids[i] = dict.idLast(t.at.sheet);
    ids[n + i] = id(t.level);
    ids[2 * n + i] = id(t.field);
    ids[3 * n + i] = id(t.leadOrg);
    ids[4 * n + i] = id(t.piGender);
    ids[5 * n + i] = month(t.start);
    ids[6 * n + i] = month(t.end);
    ids[7 * n + i] = id(t.status);
    ids[8 * n + i] = id(t.acceptedOn);
  }
  return p;
}

/**
 * The ids of a file's packed tasks as ids into the run's dictionary `dict` (its new strings added,
 * after those of the files before): one lookup a string of the file's dictionary, then one pass
 * over the ids. The file's own ids are left as they are (a parsed file may be loaded again).
 */
export function dictIds(p: PackedTasks, dict: Interned): Int32Array[] {
  const map = new Int32Array(p.strings.length + 1);
  for (let j = 0; j < p.strings.length; j++) map[j + 1] = dict.id(p.strings[j]!);
  const n = p.n;
  const out: Int32Array[] = [];
  for (let c = 0; c < TASK_ID_COLUMNS; c++) {
    const col = new Int32Array(n);
    for (let i = 0, k = c * n; i < n; i++, k++) col[i] = map[p.ids[k]!]!;
    out.push(col);
  }
  return out;
}

/** A file's indicators as the staging table ld_indicator takes them: a column each, a few hundred rows. */
export interface PackedIndicators {
  n: number;
  key: string[];
  code: (string | null)[];
  area: string[];
  label: string[];
  unit: string[];
  parentKey: (string | null)[];
  sort: Int32Array;
  sheet: string[];
  cell: string[];
}

export function packIndicators(is: readonly IndicatorRecord[]): PackedIndicators {
  return {
    n: is.length,
    key: is.map((i) => i.key),
    code: is.map((i) => i.code ?? null),
    area: is.map((i) => i.area),
    label: is.map((i) => i.label),
    unit: is.map((i) => i.unit),
    parentKey: is.map((i) => i.parentKey ?? null),
    sort: Int32Array.from(is, (i) => i.sort),
    sheet: is.map((i) => i.at.sheet),
    cell: is.map((i) => i.at.cell),
  };
}

/**
 * The file with its facts, tasks and indicators packed in place of their objects (which are
 * emptied): what a reading worker sends back. The buffers to transfer rather than copy: `transferList`.
 */
export function withPackedFacts(f: ParsedFile): ParsedFile {
  return packInPlace({ ...f });
}

/** withPackedFacts on a file nobody else holds (a worker's own result). */
export function packInPlace(f: ParsedFile): ParsedFile {
  // (a file read by this process's parse has its facts packed already: FileFacts)
  f.packed ??= packFacts(f);
  // what crosses is `packed`: the objects would be cloned and read back for nothing
  f.tasks = [];
  f.indicators = [];
  f.taskFunding = [];
  f.budgetLines = [];
  f.indicatorFacts = [];
  return f;
}

/** The buffers of a packed file, for postMessage's transfer list. */
export function transferList(f: ParsedFile): ArrayBuffer[] {
  const p = f.packed;
  if (!p) return [];
  const out: ArrayBuffer[] = [];
  for (const a of [p.kind, p.measure, p.source, p.sheet, p.col, p.k1, p.year, p.row, p.amount, p.tasks.unsplit, p.tasks.ids, p.indicators.sort]) {
    if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}
