// The unit-jump check between the files a run stages, in JavaScript over their packed facts: a
// figure 1 000 × (or more) its own previous year's (same kind, entity, measure, source and former
// province). load.ts's checkFile asked DuckDB for these pairs file by file, joining the file's facts
// with every fact staged before: on the bench's subset 21 such joins were a sixth of the loader's
// DuckDB time, for answers that are almost always none. Here each staged fact with a positive
// figure (only those can be either side of a jump) is kept as an entry under its key, and a file
// is met with the entries of the year before and after. The warehouse's own facts (a province's
// later loads) are still joined in SQL, once a file, as before.
//
// The answer must be DuckDB's, to the digit (test/warehouse/per-file-checks.test.ts compares every
// run with the same checks over the whole run in SQL): the rule compares the figures as doubles,
// `s.amount::double >= p.amount::double * 1000`. A DECIMAL(38,6) of micro-units m with |m| < 2^53
// is m / 10^6 as a double in DuckDB exactly as Number(m) / 1e6 in JavaScript (one exact conversion,
// one correctly rounded division; checked over 270 000 random values), and × 1000 is the same IEEE
// multiplication. A larger figure is not converted alike, so a run with one gives the index up and
// goes back to SQL for the files after (which then meet every file staged before, as they always
// did). So does a run past `limit` entries: the index is memory the DuckDB join did not need.
// No DuckDB here.
import type { PackedFacts } from "./pack.js";

/** A jump: fact s of a staged file, p the same key's figure of the year before (a row of ld_jump). */
export interface JumpPair {
  kind: string;
  k1: string;
  year: number;
  measure: string;
  source: string;
  amount: string;
  prev: string;
  file_id: string;
  sheet: string;
  cell: string;
  p_file: string;
  p_sheet: string;
  p_cell: string;
}

/** Below this many micro-units a figure is the same double in DuckDB and here (see above). */
const EXACT = 2n ** 53n;

/** The kinds whose figures are compared (load.ts KEYED: the approved totals are the register's). */
const JUMP_KINDS = new Set(["task_funding", "budget_line", "indicator"]);

/** A positive micro-unit amount as DuckDB writes a DECIMAL(38,6): "1500.250000". */
function decimalText(m: bigint): string {
  return `${m / 1_000_000n}.${(m % 1_000_000n).toString().padStart(6, "0")}`;
}

export class StagedJumps {
  private readonly files: { id: string; p: PackedFacts }[] = [];
  /** entries by key (kind, entity, measure, source, origin): a key has one a year a file */
  private readonly byKey = new Map<string, number[]>();
  // the entries: which file, which fact of its packed columns, its year and figure as a double
  private file = new Int32Array(1024);
  private fact = new Int32Array(1024);
  private year = new Int32Array(1024);
  private value = new Float64Array(1024);
  private n = 0;
  private usable = true;

  constructor(private readonly limit = 1_000_000) {}

  /**
   * A staged file's jumps against itself and the files staged before it, as checkFile's join finds
   * them (its figures against the year before in any of them; theirs against the year before in
   * it); then its figures join the index. null once the index has given up: SQL from then on.
   */
  add(fileId: string, origin: string, p: PackedFacts): JumpPair[] | null {
    if (!this.usable) return null;
    const first = this.n;
    const f = this.files.length;
    const kinds = new Uint8Array(p.small.length + 1);
    for (let j = 0; j < p.small.length; j++) if (JUMP_KINDS.has(p.small[j]!)) kinds[j + 1] = 1;
    const keys: string[] = [];
    for (let i = 0; i < p.n; i++) {
      if (kinds[p.kind[i]!] === 0) continue;
      const m = p.amount[i]!;
      if (m <= 0n) continue;
      if (m >= EXACT || this.n >= this.limit) return this.giveUp();
      keys.push(`${p.small[p.kind[i]! - 1]}\u0000${p.keys[p.k1[i]! - 1]}\u0000${p.small[p.measure[i]! - 1]}\u0000${p.small[p.source[i]! - 1]}\u0000${origin}`);
      this.push(f, i, p.year[i]!, Number(m) / 1e6);
    }
    this.files.push({ id: fileId, p });
    for (let e = first; e < this.n; e++) {
      const key = keys[e - first]!;
      const list = this.byKey.get(key);
      if (list) list.push(e);
      else this.byKey.set(key, [e]);
    }
    const out: JumpPair[] = [];
    for (let e = first; e < this.n; e++) {
      const list = this.byKey.get(keys[e - first]!)!;
      for (const o of list) {
        // this file's figure against the year before, in this file or one staged before
        if (this.year[o] === this.year[e]! - 1 && this.value[e]! >= this.value[o]! * 1000) out.push(this.pair(e, o));
        // a figure of a file staged before against the year before in this file
        if (o < first && this.year[o] === this.year[e]! + 1 && this.value[o]! >= this.value[e]! * 1000) out.push(this.pair(o, e));
      }
    }
    return out;
  }

  private push(file: number, fact: number, year: number, value: number): void {
    if (this.n === this.file.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
      const size = this.n * 2;
      this.file = grow(this.file, new Int32Array(size));
      this.fact = grow(this.fact, new Int32Array(size));
      this.year = grow(this.year, new Int32Array(size));
      this.value = grow(this.value, new Float64Array(size));
    }
    this.file[this.n] = file;
    this.fact[this.n] = fact;
    this.year[this.n] = year;
    this.value[this.n] = value;
    this.n++;
  }

  private giveUp(): null {
    this.usable = false;
    this.n = 0;
    this.files.length = 0;
    this.byKey.clear();
    this.file = this.fact = this.year = new Int32Array(0);
    this.value = new Float64Array(0);
    return null;
  }

  /** The ld_jump row of s's figure against p's. */
  private pair(s: number, p: number): JumpPair {
    const sf = this.files[this.file[s]!]!;
    const pf = this.files[this.file[p]!]!;
    const si = this.fact[s]!;
    const pi = this.fact[p]!;
    const sp = sf.p;
    const pp = pf.p;
    return {
      kind: sp.small[sp.kind[si]! - 1]!,
      k1: sp.keys[sp.k1[si]! - 1]!,
      year: sp.year[si]!,
      measure: sp.small[sp.measure[si]! - 1]!,
      source: sp.small[sp.source[si]! - 1]!,
      amount: decimalText(sp.amount[si]!),
      prev: decimalText(pp.amount[pi]!),
      file_id: sf.id,
      sheet: sp.small[sp.sheet[si]! - 1]!,
      cell: sp.small[sp.col[si]! - 1]! + sp.row[si]!,
      p_file: pf.id,
      p_sheet: pp.small[pp.sheet[pi]! - 1]!,
      p_cell: pp.small[pp.col[pi]! - 1]! + pp.row[pi]!,
    };
  }
}
