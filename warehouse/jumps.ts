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
// did). So does a run past `limit` figures: the index keeps the staged files' packed facts (about
// 60 bytes a figure with its entries), memory the DuckDB join did not need; 400 000 is a bench
// province five times over.
// No DuckDB here.
import { fixedDecimal } from "../core/money.js";
import { int64Halves, type PackedFacts } from "./pack.js";
import { grown } from "../core/lists.js";

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

/** A key's parts but its entity (kind, measure, source, origin): a handful in a run. */
const MAX_SHAPES = 4096;

export class StagedJumps {
  private readonly files: { id: string; p: PackedFacts }[] = [];
  // A key is two numbers: its entity's id in the run, and the id of the rest (its shape). Strings
  // built and hashed per figure, and BigInts read per figure, were 0.8 s of the main thread on the
  // bench's subset.
  private readonly entities = new Map<string, number>();
  private readonly shapes = new Map<string, number>();
  /** per shape, the last entry of each entity; the others are chained from it by `next` */
  private readonly heads: Map<number, number>[] = [];
  // the entries: which file, which fact of its packed columns, its year and figure as a double,
  // its key and the entry before it with the same key (-1: none)
  private file = new Int32Array(1024);
  private fact = new Int32Array(1024);
  private year = new Int32Array(1024);
  private value = new Float64Array(1024);
  private entity = new Int32Array(1024);
  private shape = new Int32Array(1024);
  private next = new Int32Array(1024);
  private n = 0;
  private usable = true;

  /** the figures of the files kept (their packed facts), against `limit` */
  private kept = 0;

  /** `kinds`: the kinds of facts whose figures are compared (load.ts KEYED) */
  constructor(
    private readonly kinds: readonly string[],
    private readonly limit = 400_000,
  ) {}

  /**
   * A staged file's jumps against itself and the files staged before it, as checkFile's join finds
   * them (its figures against the year before in any of them; theirs against the year before in
   * it); then its figures join the index. null once the index has given up: SQL from then on.
   */
  add(fileId: string, origin: string, p: PackedFacts): JumpPair[] | null {
    if (!this.usable) return null;
    this.kept += p.n;
    if (this.kept > this.limit) return this.giveUp();
    const first = this.n;
    const f = this.files.length;
    const kinds = new Uint8Array(p.small.length + 1);
    for (let j = 0; j < p.small.length; j++) if (this.kinds.includes(p.small[j]!)) kinds[j + 1] = 1;
    // the file's ids (1-based, into p.keys and p.small) made the run's, as they are first met
    const entity = new Int32Array(p.keys.length + 1).fill(-1);
    const shapeOf = new Map<number, number>();
    const small = p.small.length + 1;
    // the micro-units as 32-bit halves (little-endian): no BigInt made per figure
    const halves = p.amount instanceof BigInt64Array ? int64Halves(p.amount) : null;
    for (let i = 0; i < p.n; i++) {
      const kind = p.kind[i]!;
      if (kinds[kind] === 0) continue;
      let value: number;
      if (halves) {
        const hi = halves[2 * i + 1]!;
        const lo = halves[2 * i]! >>> 0;
        if (hi < 0 || (hi === 0 && lo === 0)) continue;
        if (hi >= 0x200000) return this.giveUp(); // 2^53 micro-units or more
        value = (hi * 4294967296 + lo) / 1e6;
      } else {
        const m = p.amount[i]!;
        if (m <= 0n) continue;
        if (m >= EXACT) return this.giveUp();
        value = Number(m) / 1e6;
      }
      const k1 = p.k1[i]!;
      let e = entity[k1]!;
      if (e < 0) {
        const s = p.keys[k1 - 1]!;
        e = this.entities.get(s) ?? this.entities.size;
        if (e === this.entities.size) this.entities.set(s, e);
        entity[k1] = e;
      }
      const local = (kind * small + p.measure[i]!) * small + p.source[i]!;
      let shape = shapeOf.get(local);
      if (shape === undefined) {
        const s = `${p.small[kind - 1]}\u0000${p.small[p.measure[i]! - 1]}\u0000${p.small[p.source[i]! - 1]}\u0000${origin}`;
        shape = this.shapes.get(s) ?? this.shapes.size;
        if (shape === this.shapes.size) {
          if (shape === MAX_SHAPES) return this.giveUp();
          this.shapes.set(s, shape);
          this.heads.push(new Map());
        }
        shapeOf.set(local, shape);
      }
      this.push(f, i, p.year[i]!, value, e, shape);
    }
    this.files.push({ id: fileId, p });
    const out: JumpPair[] = [];
    for (let e = first; e < this.n; e++) {
      const year = this.year[e]!;
      const value = this.value[e]!;
      // the key's entries: this file's (met before this one) and the earlier files'
      for (let o = this.heads[this.shape[e]!]!.get(this.entity[e]!)!; o >= 0; o = this.next[o]!) {
        // this file's figure against the year before, in this file or one staged before
        if (this.year[o] === year - 1 && value >= this.value[o]! * 1000) out.push(this.pair(e, o));
        // a figure of a file staged before against the year before in this file
        if (o < first && this.year[o] === year + 1 && this.value[o]! >= value * 1000) out.push(this.pair(o, e));
      }
    }
    return out;
  }

  private push(file: number, fact: number, year: number, value: number, entity: number, shape: number): void {
    if (this.n === this.file.length) {
      const size = this.n * 2;
      this.file = grown(this.file, size);
      this.fact = grown(this.fact, size);
      this.year = grown(this.year, size);
      this.value = grown(this.value, size);
      this.entity = grown(this.entity, size);
      this.shape = grown(this.shape, size);
      this.next = grown(this.next, size);
    }
    const e = this.n++;
    this.file[e] = file;
    this.fact[e] = fact;
    this.year[e] = year;
    this.value[e] = value;
    this.entity[e] = entity;
    this.shape[e] = shape;
    const head = this.heads[shape]!;
    this.next[e] = head.get(entity) ?? -1;
    head.set(entity, e);
  }

  private giveUp(): null {
    this.usable = false;
    this.n = 0;
    this.files.length = 0;
    this.entities.clear();
    this.shapes.clear();
    this.heads.length = 0;
    this.file = this.fact = this.year = this.entity = this.shape = this.next = new Int32Array(0);
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
      amount: fixedDecimal(sp.amount[si]!),
      prev: fixedDecimal(pp.amount[pi]!),
      file_id: sf.id,
      sheet: sp.small[sp.sheet[si]! - 1]!,
      cell: sp.small[sp.col[si]! - 1]! + sp.row[si]!,
      p_file: pf.id,
      p_sheet: pp.small[pp.sheet[pi]! - 1]!,
      p_cell: pp.small[pp.col[pi]! - 1]! + pp.row[pi]!,
    };
  }
}
