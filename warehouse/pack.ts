// One file's facts, tasks and indicators as the staging tables take them: numbers in typed columns,
// each repeated string once. A reading worker packs its file (etl/read-pool.ts) and hands the
// columns over as transferable buffers: the main thread, which stages into DuckDB, then neither
// rebuilds 100 000 fact objects or 50 000 task objects from a structured clone nor parses their
// amounts again. The loader packs a file it was given
// as objects (a parser on its own thread, tests) the same way. No DuckDB here: workers import it.
import { microNumber, parseDecimal } from "../core/money.js";
import { emptyList } from "../core/lists.js";
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
    if (p.amount instanceof BigInt64Array && (micro > INT64_MAX || micro < -INT64_MAX)) p.amount = Array.from(p.amount);
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

/** The facts of a parsed file, packed in the order the loader stages them. */
export function packFacts(f: ParsedFile): PackedFacts {
  let n = f.taskFunding.length + f.budgetLines.length + f.indicatorFacts.length;
  for (const t of f.tasks) n += t.approved.length;
  const small = new Interned(); // kinds, measures, sources, sheets, column letters: a handful each
  const keys = new Interned(); // entity keys: thousands in a big register
  const p: PackedFacts = {
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
    tasks: packTasks(f.tasks),
    indicators: packIndicators(f.indicators),
  };
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
  f.packed = packFacts(f);
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
