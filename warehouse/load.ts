// The loader: parsed files in, one new warehouse generation out — or nothing at all.
//
// Files are parsed one at a time inside the new generation's transaction and their records go
// straight into staging tables through the appender, so a national inbox never sits in memory.
// Cross-file rules are set operations in SQL over staging + what the warehouse already holds, made
// for each file as it is staged (checkFile) and read at the end, or over the whole run:
//   - a key given twice (two files, or a new file and another file already loaded) is an error
//     naming both places — never a silent double count, never "last one wins";
//   - task funding for a code no register has (in this run or already loaded) is an error;
//   - a figure 1 000 × its own previous year's is a warning (the unit slip of the seed report).
// A changed file (same identity, new hash) replaces everything its earlier version gave; the
// report lists updates and removals old → new. The same bytes again change nothing.
import { BIGINT, BOOLEAN, DECIMAL, DuckDBDataChunk, DuckDBDecimalValue, INTEGER, listValue, VARCHAR, type DuckDBType } from "@duckdb/node-api";
import type { Problem } from "../core/problem.js";
import { isError } from "../core/problem.js";
import { prob } from "../core/codes.js";
import type { InboxScan, ParsedFile } from "./model.js";
import type { Db } from "./db.js";
import { tryLock, writeGeneration } from "./generations.js";
import { originOfFile, predecessorsOf, unitOfProvince } from "../core/units.js";
import { unitsKey, writeUnits } from "./units.js";
import { dictIds, Interned, packFacts, TASK_ID_COLUMNS } from "./pack.js";
import { StagedJumps, type JumpPair } from "./jumps.js";

export type FileStatus = "loaded" | "unchanged" | "rejected" | "forgotten";

export interface FileOutcome {
  fileId: string;
  office: string;
  sha256: string;
  status: FileStatus;
  rows: number;
  errors: number;
  warnings: number;
  /** loaded for the first time: every figure it gave is an addition (not listed in `changes`) */
  firstLoad?: boolean;
}

export interface Change {
  kind: "added" | "updated" | "removed";
  table: string;
  /** human-readable key, e.g. "task_funding NV-01 2024 de_xuat NSDP" */
  key: string;
  old: string | null;
  new: string | null;
  fileId: string;
  sheet: string | null;
  cell: string | null;
}

export interface LoadReport {
  command: string;
  runId: number | null;
  outcome: "loaded" | "partial" | "unchanged" | "rejected";
  startedAt: string;
  finishedAt: string;
  files: FileOutcome[];
  skipped: { fileId: string; reason: string }[];
  rowsLoaded: number;
  changes: Change[];
  /** counts of changes by kind (the full list can be long) */
  changeCounts: { added: number; updated: number; removed: number };
  problems: Problem[];
}

export interface LoadOptions {
  dbPath: string;
  province: { code: string; name: string };
  command?: string;
  acceptPartial?: boolean;
  now?: () => Date;
  /**
   * run once the facts are committed to the new generation, before its run record and before it is
   * published: install views, run data tests (on the facts as stored, over more than one connection
   * if it likes: nothing of the run is left uncommitted then). An error among its problems rejects
   * a load: the generation is removed unpublished.
   */
  afterLoad?: (db: Db) => Promise<Problem[]>;
  /**
   * Work of the run that needs none of its facts (the analysts' views), run inside the transaction
   * before the first file is staged: while the reading worker parses it, the main thread would
   * otherwise only wait. afterLoad still runs; what this did is then already done.
   */
  prepare?: (db: Db) => Promise<void>;
  onProgress?: (p: { file: string; index: number; total: number; rows: number }) => void;
  /** called at named points of the run: where tests of killed loads kill it, where the bench times its phases */
  checkpoint?: (point: string) => void;
  /**
   * false: make the cross-file checks, unit jumps and diff over the whole run at its end, not file
   * by file as the files are staged (checkFile). The answers are the same; tests compare the two.
   */
  perFileChecks?: boolean;
  /**
   * what `prepare` makes, in a word (the views' fingerprint): a new warehouse then starts as a
   * copy of a template made once by the migrations and `prepare` (generations.ts FreshStart)
   */
  prepareKey?: string;
}

export type FileParser = ((file: InboxScan["files"][number]) => Promise<ParsedFile>) & {
  /** how many files it reads at once (its workers); the loader keeps that many in flight */
  concurrency?: number;
  /**
   * how many more it takes and holds until a reader is free (etl/read-pool.ts queues them): the
   * loader asks that many files more ahead, so that a reader never waits for the loader to ask
   */
  queued?: number;
};

const STAGING = `
create temp table ld_in (
  kind integer, k1 integer, year integer, measure integer, source integer, amount bigint, sheet integer, col integer, "row" integer);
create temp table ld_in_wide (
  kind integer, k1 integer, year integer, measure integer, source integer, amount decimal(38,6), sheet integer, col integer, "row" integer);
create temp table ld_key (id integer, s varchar);
create temp table ld_small (id integer, s varchar);
-- a task's sheet and repeated strings (level_code … accepted_on) are ids into ld_dict, the run's dictionary
-- (pack.ts packTasks), and a task's and an indicator's file is its file_no in ld_file (its identity and hash
-- put back by commitStaging)
create temp table ld_task (
  task_code varchar, title varchar, pi_name varchar, decision varchar, sort integer, unsplit boolean,
  file_no integer, cell varchar, sheet integer, level_code integer, field_code integer,
  lead_org integer, pi_gender integer, start_month integer, end_month integer, status_code integer, accepted_on integer);
create temp table ld_dict (id integer, s varchar);
create temp table ld_indicator (
  indicator_key varchar, indicator_code varchar, area_code varchar, label varchar, unit varchar,
  parent_key varchar, sort integer, file_no integer, sheet varchar, cell varchar);
create temp table ld_file (
  file_no integer, file_id varchar, office_code varchar, sha256 varchar, size_bytes bigint, mtime timestamptz, sheets_json varchar);
create temp table ld_replace (file_id varchar, had_old boolean);
create temp table ld_dup (
  kind varchar, k1 varchar, year integer, measure varchar, source varchar,
  a_file varchar, a_sheet varchar, a_cell varchar, b_file varchar, b_sheet varchar, b_cell varchar, vs_current boolean);
create temp table ld_dup_task (
  code varchar, a_file varchar, a_sheet varchar, a_cell varchar, b_file varchar, b_sheet varchar, b_cell varchar, vs_current boolean);
create temp table ld_jump (
  kind varchar, k1 varchar, year integer, measure varchar, source varchar, amount varchar, prev varchar,
  file_id varchar, sheet varchar, cell varchar, p_file varchar, p_sheet varchar, p_cell varchar, p_current boolean);
create temp table ld_diff (
  change varchar, kind varchar, k1 varchar, year integer, measure varchar, source varchar, old varchar, new varchar,
  file_id varchar, sheet varchar, cell varchar);
`;

/**
 * Every fact of the warehouse in one shape, so that duplicate and diff checks are written once.
 * k1 is the entity key; year/measure/source are '' or 0 where a table has no such part.
 * `where` narrows every table alike (it may use $run and the staging tables); `kinds` picks the tables.
 */
const FACT_TABLES = [
  { kind: "task_approved", table: "fact_task_approved", k1: "task_code", year: "0", measure: "''", source: "source_code", amount: "amount" },
  { kind: "task_funding", table: "fact_task_funding", k1: "task_code", year: "year", measure: "measure_code", source: "source_code", amount: "amount" },
  { kind: "budget_line", table: "fact_budget_line", k1: "line_code", year: "year", measure: "measure_code", source: "source_code", amount: "amount" },
  { kind: "indicator", table: "fact_indicator", k1: "indicator_key", year: "year", measure: "measure_code", source: "''", amount: "value" },
] as const;

type FactKind = (typeof FACT_TABLES)[number]["kind"];

function facts(where: string, kinds?: readonly FactKind[]): string {
  return FACT_TABLES.filter((t) => !kinds || kinds.includes(t.kind))
    .map(
      (t) =>
        `select '${t.kind}' as kind, ${t.k1} as k1, ${t.year} as year, ${t.measure} as measure, ${t.source} as source, ${t.amount} as amount,
         file_id, file_hash, sheet, cell, origin_unit as origin, run_id from ${t.table} where province_code = $province and ${where}`,
    )
    .join("\n  union all\n  ");
}

/** Every fact of the province (after the run's commit: the warehouse's facts). */
const EXISTING_FACTS = facts("true");
/** The facts this run stages: straight into the fact tables, with the run's id. */
const STAGED = "run_id = $run";
/** The facts the warehouse keeps beside the staged ones: not this run's, not of a file it replaces. */
const CURRENT = "run_id <> $run and file_id not in (select file_id from ld_replace)";

/** A fact's key. The origin (the former province of a merged department) is part of it: the two
 * former provinces' figures for one line and year are two facts, not one given twice. */
const KEY = "kind, k1, year, measure, source, origin";
/** The kinds whose key a second file may not give again (a task's approved total is its register's: rule 2). */
export const KEYED: readonly FactKind[] = ["task_funding", "budget_line", "indicator"];

// The orders of the checks' answers. Each begins with the order the problems have always had
// (by the place of the fact that is reported) and goes on to a total order, so that the checks
// made file by file while the files are read (checkFile) and the same checks made over the whole
// run give one list, cut at the same 1 000th problem.
const DUP_ORDER = "a_file, a_sheet, a_cell, b_file, b_sheet, b_cell";
const DUP_TASK_ORDER = "a_file, a_cell, a_sheet, b_file, b_sheet, b_cell, code";
const JUMP_ORDER = "file_id, sheet, cell, p_file, p_sheet, p_cell";
const DIFF_ORDER = "file_id, kind, k1, year, measure, source, sheet, cell";

/** A unit jump: fact s of a staged file, p the same key's figure of the year before (either side may be the later file's). */
const JUMP_COLUMNS = `s.kind, s.k1, s.year, s.measure, s.source, s.amount::varchar amount, p.amount::varchar prev, s.file_id, s.sheet, s.cell,
       p.file_id p_file, p.sheet p_sheet, p.cell p_cell`;
const JUMP_ON = `p.kind = s.kind and p.k1 = s.k1 and p.measure = s.measure and p.source = s.source and p.year = s.year - 1
        and p.origin = s.origin`;
const JUMP_WHERE = "p.amount > 0 and s.amount::double >= p.amount::double * 1000";

/** A column to append: values, or a typed array for an INTEGER or BIGINT column. */
type Column = Int32Array | BigInt64Array | readonly unknown[];

/**
 * Append columns to a staging table in chunks of 2 048 rows (DuckDB's vector size): about four
 * times faster than appending value by value, which dominated the load of a national inbox.
 * A typed array goes into its INTEGER or BIGINT vector as one copy: the appender's vectors of
 * those types are typed arrays over the vector's memory (@duckdb/node-api's `items`), which its
 * setItem fills one checked value at a time (8 columns × 530 000 facts were a quarter of staging).
 * Where a vector is not such an array (another version of the library), value by value as before.
 */
async function appendColumnChunks(db: Db, table: string, types: DuckDBType[], n: number, columns: readonly Column[]): Promise<void> {
  if (n === 0) return;
  const appender = await db.connection.createAppender(table, null, "temp");
  for (let off = 0; off < n; off += 2048) {
    const m = Math.min(2048, n - off);
    const chunk = DuckDBDataChunk.create(types, m);
    columns.forEach((col, c) => {
      if (col instanceof Int32Array || col instanceof BigInt64Array) {
        const part = col.subarray(off, off + m);
        const vector = chunk.getColumnVector(c) as unknown as { items?: unknown; flush(): void };
        const items = vector.items;
        if ((items instanceof Int32Array || items instanceof BigInt64Array) && items.constructor === col.constructor && items.length === m) {
          (items as typeof part).set(part as never);
          vector.flush();
        } else chunk.setColumnValues(c, Array.from(part as ArrayLike<number | bigint>));
      } else chunk.setColumnValues(c, col.slice(off, off + m) as never);
    });
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
  appender.closeSync();
}

const V = VARCHAR;
/**
 * ld_key's and ld_small's strings as lists by id (k, sm): a list's index is 1-based, as the ids are.
 * (Each list bound as one string that the insert split, crossed with the scan as one row, spared
 * this thread the two appends and deletes, but not in its CPU time, while the thread running
 * DuckDB took a third of a second more of the bench's subset: medians of five runs each.)
 */
const STRINGS = "(select list(s order by id) from ld_key) k, (select list(s order by id) from ld_small) sm";
const AMOUNT = DECIMAL(38, 6);

/** What every staged fact of the run shares: the province and the run (the new generation's number). */
type RunContext = { province: string; run: number };

/**
 * The columns of a fact table past its lineage, and what ld_in gives them: the file's strings by
 * their ids, `k` its keys and `sm` its small strings (each a list, 1-based as the ids are).
 */
const STAGE_COLUMNS: Record<FactKind, { cols: string; values: string }> = {
  task_approved: { cols: "task_code, source_code, amount", values: "k[k1], sm[source]" },
  task_funding: { cols: "task_code, year, measure_code, source_code, amount", values: "k[k1], year, sm[measure], sm[source]" },
  budget_line: { cols: "line_code, year, measure_code, source_code, amount", values: "k[k1], year, sm[measure], sm[source]" },
  indicator: { cols: "indicator_key, year, measure_code, value", values: "k[k1], year, sm[measure]" },
};

/** ld_task's columns: the task's own, its file's number, its cell, then the ids of its sheet and repeated strings (pack.ts PackedTasks.ids). */
const TASK_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, BOOLEAN, INTEGER, VARCHAR, ...Array<DuckDBType>(TASK_ID_COLUMNS).fill(INTEGER)];

/**
 * `dict`: the run's dictionary of the tasks' repeated strings, as ld_dict holds it (one per run).
 * `fileNo`: the file's number in the run, its ld_file row's (writeFiles), which its tasks and
 * indicators carry instead of its identity and hash on every row.
 */
async function stageFile(db: Db, f: ParsedFile, ctx: RunContext, dict: Interned, fileNo: number): Promise<{ rows: number; facts: number; tasks: number; kinds: FactKind[] }> {
  // packed by the reading worker, or here for a file given as objects
  const p = (f.packed ??= packFacts(f));
  const n = p.n;
  // The micro-units are a DECIMAL(x,6)'s own scaled integer. While every figure of the file fits
  // in int64 (below 9.2·10^12 in its unit), they go as BIGINT in one copy a chunk, and
  // "× 0.000001" — a DECIMAL(7,6) whose scaled integer is 1 — makes each the DECIMAL(26,6) with that
  // scaled integer: the amount exactly, no division, no rounding. Past int64, a DECIMAL(38,6) value
  // each (a figure of 10^20 or more never gets here: VALUE_TOO_LARGE).
  const wide = !(p.amount instanceof BigInt64Array);
  const amounts = p.amount;
  const input = wide ? "ld_in_wide" : "ld_in";
  await appendColumnChunks(db, input, [INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, wide ? AMOUNT : BIGINT, INTEGER, INTEGER, INTEGER], n, [
    p.kind, p.k1, p.year, p.measure, p.source, wide ? Array.from(amounts, (v: bigint) => new DuckDBDecimalValue(v, 38, 6)) : amounts, p.sheet, p.col, p.row,
  ]);
  await appendColumnChunks(db, "ld_key", [INTEGER, V], p.keys.length, [p.keys.map((_, j) => j + 1), p.keys]);
  await appendColumnChunks(db, "ld_small", [INTEGER, V], p.small.length, [p.small.map((_, j) => j + 1), p.small]);
  // The file's facts go once, straight into the warehouse's fact tables with the run's id: the
  // run's staged facts are the rows with run_id = $run (the new generation's number, which no row
  // of an earlier generation has); a temporary table of them copied at the end cost as much again.
  // One set-based step per kind puts the strings back and adds the file's identity and hash. The
  // strings come back by their ids into two lists made once per statement (a scalar subquery),
  // not by joins: a join keeps no order, and sorting the joined rows back into file order (a
  // fact's id, which lineage lists are ordered by, and the table's row order follow the file's)
  // was more than half of the statement. A scan with no join keeps ld_in's order. (The lists as
  // parameters ($small[kind]) were about twice as slow as the joins: each string a bound value.)
  const present = new Set<number>();
  for (let j = 0; j < n; j++) present.add(p.kind[j]!);
  const kinds: FactKind[] = [];
  for (const t of FACT_TABLES) {
    const kind = p.small.indexOf(t.kind) + 1;
    if (kind === 0 || !present.has(kind)) continue;
    kinds.push(t.kind);
    const c = STAGE_COLUMNS[t.kind];
    await db.runKept(
      `insert into ${t.table} (province_code, run_id, file_id, file_hash, sheet, cell, origin_unit, ${c.cols})
       select $province, $run, $file, $hash, sm[sheet], sm[col] || "row"::varchar, $origin, ${c.values},
              ${wide ? "amount" : "amount::decimal(19,0) * 0.000001::decimal(7,6)"}
         from (select *, ${STRINGS} from ${input} where kind = $kind)`,
      { province: ctx.province, run: ctx.run, file: f.fileId, hash: f.sha256, origin: originOfFile(f.fileId)?.id ?? "", kind },
    );
  }
  // the tasks: their repeated strings once a run in ld_dict (put back by commitStaging), the
  // file's dictionary mapped to the run's
  const tk = p.tasks;
  const known = dict.values.length;
  const ids = dictIds(tk, dict);
  const more = dict.values.slice(known);
  await appendColumnChunks(db, "ld_dict", [INTEGER, V], more.length, [more.map((_, j) => known + j + 1), more]);
  const nt = tk.n;
  const sort = new Int32Array(nt);
  for (let i = 0; i < nt; i++) sort[i] = i;
  await appendColumnChunks(db, "ld_task", TASK_TYPES, nt, [
    tk.code, tk.title, tk.pi, tk.decision, sort, Array.from(tk.unsplit, (u) => u === 1), new Int32Array(nt).fill(fileNo), tk.cell, ...ids,
  ]);
  const is = p.indicators;
  await appendColumnChunks(db, "ld_indicator", [V, V, V, V, V, V, INTEGER, INTEGER, V, V], is.n, [
    is.key, is.code, is.area, is.label, is.unit, is.parentKey, is.sort, new Int32Array(is.n).fill(fileNo), is.sheet, is.cell,
  ]);
  await db.runKept(`delete from ${input}`);
  await db.runKept("delete from ld_key");
  await db.runKept("delete from ld_small");
  return { rows: n + nt + is.n, facts: n, tasks: nt, kinds };
}

type Place = { file_id: string; sheet: string; cell: string };
const place = (a: Place, b?: Place) => ({
  file: a.file_id,
  sheet: a.sheet,
  cell: a.cell,
  ...(b ? { other: { file: b.file_id, sheet: b.sheet, cell: b.cell } } : {}),
});

/**
 * Staged tasks (`where` picks them) with their file's identity (`file`, from ld_task t's file_no,
 * or of a table `join`ed) and sheet (its id's string in ld_dict): the code, file, sheet and cell
 * that duplicate task codes are told at, written once for the checks file by file and the whole run's.
 */
const stagedTasks = (file: string, where = "true", join = "") =>
  `select t.task_code, ${file} file_id, d.s sheet, t.cell from ld_task t ${join} join ld_dict d on d.id = t.sheet where ${where}`;

/** The staged tasks of the files in ld_file (the files staged so far, or all at the end). */
const STAGED_TASKS = stagedTasks("f.file_id", "true", "join ld_file f using (file_no)");

/**
 * The run's staged files by their numbers (stageFile's `fileNo`, 1-based: ids[no − 1]), every one
 * staged, set aside later or not: what a task or indicator gets its file's identity and hash from,
 * as list parameters ($ids[file_no]) — no join, no gap where a file was set aside. A list made
 * of ld_file's rows in the statement cost 2–3 ms more a statement (bound lists: ≈ 0.4 ms over a
 * constant, measured on 200 and 7 500 rows).
 */
type StagedFiles = { ids: string[]; hashes: string[] };

/** Per staged funding sheet ("file\0sheet"), the column letters of its task codes. */
type CodeColumns = Map<string, string>;

function noteCodeColumns(into: CodeColumns, f: ParsedFile): void {
  for (const [sheet, letters] of (f.packed ?? packFacts(f)).codeColumns) into.set(`${f.fileId}\u0000${sheet}`, letters);
}

/** Per staged file (not set aside), the kinds of facts it gave. */
type StagedKinds = Map<string, FactKind[]>;

type DupFact = { kind: string; k1: string; year: number; measure: string; source: string; a_file: string; a_sheet: string; a_cell: string; b_file: string; b_sheet: string; b_cell: string };
type DupTask = { code: string; a_file: string; a_sheet: string; a_cell: string; b_file: string; b_sheet: string; b_cell: string };

/**
 * Cross-file problems over staging (minus files already set aside) and the warehouse. `perFile`:
 * rules 1 and 2 from what checkFile found as each file was staged (the run's first check).
 * `formers`: false when no budget line of a former province can be met — none staged (no staged
 * file is in a former province's folder) and none in the warehouse (it held no budget line of
 * the province at the start) — so that rule 5, which pairs one with the department's own, has
 * nothing to find and is not asked (a province's first load, in its tail).
 */
async function crossFileProblems(db: Db, ctx: RunContext, staged: StagedKinds, codeColumns?: CodeColumns, perFile = false, formers = true): Promise<Problem[]> {
  const out: Problem[] = [];
  // 1. the same fact key twice: inside staging across files, or staging vs a file not replaced.
  // Only the kinds staged can meet a current fact, and only the kinds two staged files gave can
  // be staged twice (inside one file the parser has already refused a repeat): the tables of the
  // others are not read (a province's funding or budget lines come in one file).
  const files = new Map<FactKind, number>();
  for (const kinds of staged.values()) for (const k of kinds) files.set(k, (files.get(k) ?? 0) + 1);
  const given = KEYED.filter((k) => files.has(k));
  const again = KEYED.filter((k) => (files.get(k) ?? 0) > 1);
  const dupFacts = perFile ? await duplicateFactsOfFiles(db) : given.length === 0 ? [] : await db.all<DupFact>(
    `with cur as (${facts(CURRENT, given)}),
     s as (${facts(STAGED, given)}),
     ${again.length === 0 ? "" : `s2 as (${facts(STAGED, again)}),
     -- keys staged more than once: grouping first spares a self-join of every staged fact
     twice as (select ${KEY} from s2 group by all having count(*) > 1),
     d as (select * from s2 semi join twice using (${KEY})),`}
     pairs as (
       ${again.length === 0 ? "" : `select a.kind, a.k1, a.year, a.measure, a.source, a.file_id a_file, a.sheet a_sheet, a.cell a_cell,
              b.file_id b_file, b.sheet b_sheet, b.cell b_cell
         from d a join d b using (${KEY}) where a.file_id < b.file_id
       union all`}
       select a.kind, a.k1, a.year, a.measure, a.source, a.file_id a_file, a.sheet a_sheet, a.cell a_cell,
              b.file_id b_file, b.sheet b_sheet, b.cell b_cell
         from s a join cur b using (${KEY}) where a.file_id <> b.file_id)
     select * from pairs order by ${DUP_ORDER} limit 1000`,
    ctx,
  );
  for (const d of dupFacts) {
    const what = [d.kind, d.k1, d.year || "", d.measure, d.source].filter((x) => x !== "" && x !== 0).join(" ");
    out.push(
      prob("KEY_DUPLICATE", place({ file_id: d.a_file, sheet: d.a_sheet, cell: d.a_cell }, { file_id: d.b_file, sheet: d.b_sheet, cell: d.b_cell }), { key: what }),
    );
  }
  // 2. task codes registered by two files (a register row with no amounts still counts).
  const dupTasks = perFile ? await duplicateTasksOfFiles(db) : await db.all<DupTask>(
    `with cur as (select * from task where province_code = $province and file_id not in (select file_id from ld_replace)),
     lt as (${STAGED_TASKS}),
     pairs as (
       select a.task_code code, a.file_id a_file, a.sheet a_sheet, a.cell a_cell, b.file_id b_file, b.sheet b_sheet, b.cell b_cell
         from lt a join lt b using (task_code) where a.file_id < b.file_id
       union all
       select a.task_code, a.file_id, a.sheet, a.cell, b.file_id, b.sheet, b.cell
         from lt a join cur b using (task_code) where a.file_id <> b.file_id)
     select distinct * from pairs order by ${DUP_TASK_ORDER} limit 1000`,
    ctx,
  );
  for (const d of dupTasks) {
    out.push(
      prob("TASK_CODE_DUPLICATE", place({ file_id: d.a_file, sheet: d.a_sheet, cell: d.a_cell }, { file_id: d.b_file, sheet: d.b_sheet, cell: d.b_cell }), {
        key: d.code,
        taskCode: d.code,
      }),
    );
  }
  // 3. indicators defined by two files.
  const dupInd = await db.all<{ k: string; a_file: string; a_sheet: string; a_cell: string; b_file: string; b_sheet: string; b_cell: string }>(
    `with cur as (select * from indicator where province_code = $province and file_id not in (select file_id from ld_replace)),
     li as (select i.indicator_key, f.file_id, i.sheet, i.cell from ld_indicator i join ld_file f using (file_no))
     select a.indicator_key k, a.file_id a_file, a.sheet a_sheet, a.cell a_cell, b.file_id b_file, b.sheet b_sheet, b.cell b_cell
       from li a join li b using (indicator_key) where a.file_id < b.file_id
     union all
     select a.indicator_key, a.file_id, a.sheet, a.cell, b.file_id, b.sheet, b.cell
       from li a join cur b using (indicator_key) where a.file_id <> b.file_id
     limit 1000`,
    ctx,
  );
  for (const d of dupInd) {
    out.push(
      prob("KEY_DUPLICATE", place({ file_id: d.a_file, sheet: d.a_sheet, cell: d.a_cell }, { file_id: d.b_file, sheet: d.b_sheet, cell: d.b_cell }), { key: d.k }),
    );
  }
  // 5. a merged department: a 01–18 figure given both as the department's own (a file at the top
  // of the inbox) and by a former province (a file in its folder) would be counted twice by the
  // forms — the same file dropped in both places, or a consolidated sheet beside the originals.
  const twice = !formers ? [] : await db.all<{ k1: string; year: number; measure: string; source: string; origin: string; a_file: string; a_sheet: string; a_cell: string; b_file: string; b_sheet: string; b_cell: string }>(
    `with allf as (${facts(`(${STAGED} or ${CURRENT})`, ["budget_line"])}),
     own as (select * from allf where origin = ''),
     former as (select * from allf where origin <> '')
     select o.k1, o.year, o.measure, o.source, f.origin, o.file_id a_file, o.sheet a_sheet, o.cell a_cell, f.file_id b_file, f.sheet b_sheet, f.cell b_cell
       from own o join former f using (k1, year, measure, source)
      where o.file_id in (select file_id from ld_file) or f.file_id in (select file_id from ld_file)
      qualify row_number() over (partition by o.file_id, f.file_id order by o.year, o.k1, o.measure, o.source) = 1
      order by a_file, b_file limit 1000`,
    ctx,
  );
  for (const d of twice) {
    const what = `${d.k1} ${d.year} ${d.measure} ${d.source}`;
    out.push(
      prob("ORIGIN_COUNTED_TWICE", place({ file_id: d.a_file, sheet: d.a_sheet, cell: d.a_cell }, { file_id: d.b_file, sheet: d.b_sheet, cell: d.b_cell }), {
        key: what,
        origin: d.origin,
      }),
    );
  }
  // 4. funding for a task that no register has, in this run or in the warehouse.
  const unknown = await db.all<{ k1: string; file_id: string; sheet: string; cell: string }>(
    `with known as (
       select task_code from task where province_code = $province and file_id not in (select file_id from ld_replace)
       union select task_code from ld_task)
     select task_code k1, file_id, sheet, cell from fact_task_funding
      where province_code = $province and ${STAGED} and task_code not in (select task_code from known)
      qualify row_number() over (partition by file_id, k1 order by cell) = 1
      order by file_id, sheet, cell limit 1000`,
    ctx,
  );
  for (const u of unknown) {
    // told at the cell holding the code (what a person corrects), not at the row's first figure
    const col = codeColumns?.get(`${u.file_id}\u0000${u.sheet}`);
    const at = col ? { ...u, cell: col + u.cell.replace(/^[A-Z]+/, "") } : u;
    out.push(
      prob("FUNDING_UNKNOWN_TASK", place(at), { taskCode: u.k1 }),
    );
  }
  return out;
}

/**
 * Warnings: a figure 1 000 × (or more) its own previous year's, same key, measure and source.
 * Compared as doubles: a heuristic needs no exact digits, and amount × 1 000 in DECIMAL overflowed
 * for an ordinary figure in đồng (1.5·10^9 × 1 000 past DECIMAL(18,6)).
 */
async function unitJumps(db: Db, ctx: RunContext): Promise<Problem[]> {
  const rows = await db.all<JumpRow>(
    `with allf as (${facts(`(${STAGED} or ${CURRENT})`, KEYED)}),
     s as (${facts(STAGED, KEYED)})
     select ${JUMP_COLUMNS}
       from s join allf p on ${JUMP_ON}
      where ${JUMP_WHERE}
      order by ${JUMP_ORDER} limit 1000`,
    ctx,
  );
  return rows.map(toJump);
}

type JumpRow = { kind: string; k1: string; year: number; measure: string; source: string; amount: string; prev: string; file_id: string; sheet: string; cell: string };

const toJump = (r: JumpRow): Problem =>
  prob("UNIT_JUMP_1000X", place(r), { key: `${r.kind} ${r.k1} ${r.year} ${r.measure} ${r.source}`, amount: r.amount, previous: r.prev });

/**
 * old → new, fact by fact, for the files that replace an earlier version of themselves. What a
 * file seen for the first time gives is only counted (listing every figure of a first load
 * would bury the changes that matter).
 */
async function diff(db: Db, ctx: RunContext): Promise<{ changes: Change[]; addedByNewFiles: number }> {
  const fresh = await db.all<{ n: string }>(
    `select count(*)::varchar n from (${facts(`${STAGED} and file_id in (select file_id from ld_replace where not had_old)`)})`,
    ctx,
  );
  const rows = await db.all<DiffRow>(
    `with old as (${facts("run_id <> $run and file_id in (select file_id from ld_replace where had_old)")}),
     new as (${facts(`${STAGED} and file_id in (select file_id from ld_replace where had_old)`)})
     ${DIFF_SELECT}
      order by ${DIFF_ORDER}`,
    ctx,
  );
  return { changes: rows.map(toChange), addedByNewFiles: Number(fresh[0]!.n) };
}

/** The rows of a diff: what changed, old → new, at the new version's place (the old one's for a removal). */
const DIFF_SELECT = `select case when o.k1 is null then 'added' when n.k1 is null then 'removed' else 'updated' end as change,
            coalesce(n.kind, o.kind) as kind, coalesce(n.k1, o.k1) as k1, coalesce(n.year, o.year) as "year",
            coalesce(n.measure, o.measure) as measure, coalesce(n.source, o.source) as source,
            o.amount::varchar as old, n.amount::varchar as new, coalesce(n.file_id, o.file_id) as file_id,
            coalesce(n.sheet, o.sheet) as sheet, coalesce(n.cell, o.cell) as cell
       from old o full outer join new n using (${KEY})
      where o.amount is distinct from n.amount`;

type DiffRow = { change: string; kind: string; k1: string; year: number; measure: string; source: string; old: string | null; new: string | null; file_id: string; sheet: string | null; cell: string | null };

const toChange = (r: DiffRow): Change => ({
  kind: r.change as Change["kind"],
  table: r.kind,
  key: [r.k1, r.year || null, r.measure || null, r.source || null].filter((x) => x !== null).join(" "),
  old: r.old,
  new: r.new,
  fileId: r.file_id,
  sheet: r.sheet,
  cell: r.cell,
});

/**
 * The checks of one file just staged, made while the reading worker parses the next one (the main
 * thread would otherwise wait), so that the end of the run only reads their answers. A fact, a
 * task code or a pair of figures one year apart met in two files is found when the later of the
 * two is staged: the new file against itself, the files staged before it and the warehouse's
 * facts of every other file not yet staged. Which of those warehouse files the run replaces is
 * known only at its end: their pairs are kept with `vs_current`/`p_current` and dropped then
 * (the file's new version, staged later, meets this one itself). The first check of the run
 * reads these answers (crossFileProblems with `perFile`); later ones, after files were set aside,
 * and `etl forget` make the same checks over the whole run. Each gives exactly what the checks
 * over the whole run give, in the same order (DUP_ORDER…): test/warehouse/per-file-checks.test.ts.
 */
async function checkFile(
  db: Db,
  ctx: RunContext,
  f: ParsedFile,
  o: { staged: StagedKinds; held: Held; registersBefore: boolean; hadOld: boolean; jumps: JumpPair[] | null; fileNo: number; files: StagedFiles },
): Promise<void> {
  const { staged, held } = o;
  const params = { ...ctx, file: f.fileId };
  const keyed = KEYED.filter((k) => staged.get(f.fileId)?.includes(k));
  // Only the sides that can hold something are read: the kinds the files staged before this one
  // gave, the kinds the warehouse held at the start (a province's first load: none). Subqueries,
  // not CTEs: a CTE read twice is materialised, which made this three times as long as the
  // self-join it needs.
  const before = KEYED.filter((k) => keyed.includes(k) && [...staged].some(([id, ks]) => id !== f.fileId && ks.includes(k)));
  const kept = keyed.filter((k) => held.has(k));
  if (keyed.length > 0) {
    const mine = `(${facts(`${STAGED} and file_id = $file`, keyed)})`;
    const earlier = before.length === 0 ? null : `(${facts(`${STAGED} and file_id <> $file`, before)})`;
    // the warehouse's facts that are current for now: not this run's, not of a file staged so far
    const current = kept.length === 0 ? null : `(${facts(`run_id <> $run and file_id <> $file and file_id not in (select file_id from ld_file)`, kept)})`;
    // 1. a key given again: staged pairs in the full check's orientation (a the lesser file), the
    // staged fact first against the warehouse's
    const first = (col: string) => lesserFile("f", "e", col);
    const second = (col: string) => greaterFile("f", "e", col);
    const pairs = [
      earlier && `select f.kind, f.k1, f.year, f.measure, f.source, ${first("file_id")}, ${first("sheet")}, ${first("cell")},
              ${second("file_id")}, ${second("sheet")}, ${second("cell")}, false
         from ${mine} f join ${earlier} e using (${KEY})`,
      current && `select f.kind, f.k1, f.year, f.measure, f.source, f.file_id, f.sheet, f.cell, w.file_id, w.sheet, w.cell, true
         from ${mine} f join ${current} w using (${KEY})`,
    ].filter((x) => x !== null);
    if (pairs.length > 0) await db.runKept(`insert into ld_dup ${pairs.join("\n union all\n")}`, params);
    // unit jumps: this file's figures against the year before in itself, the files before it and
    // the warehouse; the earlier files' figures against the year before in this one. Between the
    // staged files the run's index has them (jumps.ts), unless it gave up; the warehouse's, here.
    if (o.jumps) {
      const j = o.jumps;
      if (j.length > 0) {
        const col = (k: keyof JumpPair) => j.map((x) => x[k]);
        await appendColumnChunks(db, "ld_jump", [V, V, INTEGER, V, V, V, V, V, V, V, V, V, V, BOOLEAN], j.length, [
          col("kind"), col("k1"), Int32Array.from(j, (x) => x.year), col("measure"), col("source"), col("amount"), col("prev"),
          col("file_id"), col("sheet"), col("cell"), col("p_file"), col("p_sheet"), col("p_cell"), j.map(() => false),
        ]);
      }
      if (current) await db.runKept(`insert into ld_jump select ${JUMP_COLUMNS}, true from ${mine} s join ${current} p on ${JUMP_ON} where ${JUMP_WHERE}`, params);
    } else {
      const prior = [mine, earlier, current].filter((x) => x !== null).map((x) => `select * from ${x}`).join(" union all ");
      await db.runKept(
        `insert into ld_jump
         select ${JUMP_COLUMNS}, p.run_id <> $run from ${mine} s join (${prior}) p on ${JUMP_ON} where ${JUMP_WHERE}
         ${earlier === null ? "" : `union all
         select ${JUMP_COLUMNS}, false from ${earlier} s join ${mine} p on ${JUMP_ON} where ${JUMP_WHERE}`}`,
        params,
      );
    }
  }
  // 2. a task code registered again (the full check's pairs: distinct is taken at the end)
  // (this file's tasks are those of its number; the files staged before it give theirs by number, $ids)
  const tasks = f.packed!.tasks.n > 0;
  const mineTasks = `(${stagedTasks("$file", "t.file_no = $no")})`;
  const pairs = [
    tasks && o.registersBefore && `select a.task_code, ${["file_id", "sheet", "cell"].map((c) => lesserFile("a", "b", c)).join(", ")},
              ${["file_id", "sheet", "cell"].map((c) => greaterFile("a", "b", c)).join(", ")}, false
         from ${mineTasks} a
         join (${stagedTasks("$ids[t.file_no]", "t.file_no <> $no")}) b
        using (task_code)`,
    tasks && held.has("task") && `select a.task_code, a.file_id, a.sheet, a.cell, b.file_id, b.sheet, b.cell, true
         from ${mineTasks} a join task b using (task_code)
        where b.province_code = $province and b.file_id <> $file and b.file_id not in (select file_id from ld_file)`,
  ].filter((x) => typeof x === "string");
  if (pairs.length > 0) await db.runKept(`insert into ld_dup_task ${pairs.join("\n union all\n")}`, { ...params, no: o.fileNo, ids: listOf(o.files.ids) });
  // the changes old → new of a file that replaces its earlier version
  if (o.hadOld) {
    await db.runKept(
      `insert into ld_diff
       with old as (${facts("run_id <> $run and file_id = $file")}), new as (${facts(`${STAGED} and file_id = $file`)})
       ${DIFF_SELECT}`,
      params,
    );
  }
}

/** Of two sides `a` and `b` of a pair from two files, the column of the lesser file (a full check's side a) and of the greater. */
const lesserFile = (a: string, b: string, col: string) => `case when ${a}.file_id < ${b}.file_id then ${a}.${col} else ${b}.${col} end`;
const greaterFile = (a: string, b: string, col: string) => `case when ${a}.file_id < ${b}.file_id then ${b}.${col} else ${a}.${col} end`;

/** A staged file's row of ld_file: its number in the run (stageFile), id, office, sha256, size, mtime (ms), sheets (JSON). */
type FileRow = [string, string, string, string, string, string, string];

/**
 * Write the staged files' rows of ld_file not written yet, in one statement, and forget them.
 * One a file was 35 statements of 4–9 ms on the bench's subset, where nothing reads them before
 * the run's end: a province's first load (checkFile reads them only against the warehouse's facts).
 */
async function writeFiles(db: Db, rows: FileRow[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (i: number) => listOf(rows.map((r) => r[i]!));
  await db.runKept(
    `insert into ld_file select unnest($no)::integer, unnest($id), unnest($office), unnest($sha), unnest($size)::bigint,
            make_timestamptz(unnest($mtime)::bigint * 1000), unnest($sheets)`,
    { no: col(0), id: col(1), office: col(2), sha: col(3), size: col(4), mtime: col(5), sheets: col(6) },
  );
  rows.length = 0;
}

/** What the warehouse held of the province when the run began: the kinds of facts, and "task" for registered tasks. */
type Held = Set<FactKind | "task">;

async function heldAtStart(db: Db, province: string): Promise<Held> {
  const tables = [...FACT_TABLES.map((t) => [t.kind, t.table] as const), ["task", "task"] as const];
  const r = await db.all<Record<string, boolean>>(
    `select ${tables.map(([k, t]) => `exists (select 1 from ${t} where province_code = $province) as ${k}`).join(", ")}`,
    { province },
  );
  return new Set(tables.filter(([k]) => r[0]![k]).map(([k]) => k));
}

/** Pairs found file by file whose other side is a warehouse file the run replaces: not current after all. */
const STILL_CURRENT = (flag: string, file: string) => `not (${flag} and ${file} in (select file_id from ld_file))`;

/** Rule 1 of crossFileProblems from the pairs checkFile found. */
async function duplicateFactsOfFiles(db: Db) {
  return db.all<DupFact>(
    `select kind, k1, year, measure, source, a_file, a_sheet, a_cell, b_file, b_sheet, b_cell from ld_dup
      where ${STILL_CURRENT("vs_current", "b_file")} order by ${DUP_ORDER} limit 1000`,
  );
}

/** Rule 2 of crossFileProblems from the pairs checkFile found. */
async function duplicateTasksOfFiles(db: Db) {
  return db.all<DupTask>(
    `select distinct code, a_file, a_sheet, a_cell, b_file, b_sheet, b_cell from ld_dup_task
      where ${STILL_CURRENT("vs_current", "b_file")} order by ${DUP_TASK_ORDER} limit 1000`,
  );
}

/** unitJumps from what checkFile found (valid while no staged file was set aside). */
async function unitJumpsOfFiles(db: Db): Promise<Problem[]> {
  const rows = await db.all<JumpRow>(
    `select * from ld_jump where ${STILL_CURRENT("p_current", "p_file")} order by ${JUMP_ORDER} limit 1000`,
  );
  return rows.map(toJump);
}

/** diff from what checkFile found, for the files still staged. */
async function diffOfFiles(db: Db): Promise<Change[]> {
  const rows = await db.all<DiffRow>(
    `select * from ld_diff where file_id in (select file_id from ld_replace where had_old) order by ${DIFF_ORDER}`,
  );
  return rows.map(toChange);
}

/**
 * Make the run's staging the warehouse for the files that passed: replace by file identity. Their
 * facts are in the fact tables already (stageFile); what the earlier versions of those files gave,
 * and what a forgotten file gave, goes. `replaces`: false when no file of the run had an earlier
 * version (none is in source_file): a file's facts, tasks and indicators are only ever written
 * with its source_file row and deleted with it (here), so there is nothing to delete, and the
 * seven deletes, each a scan of its table (the run's own rows too), are not made — a province's
 * first load, every load of the bench's subset, spent about 20 ms on them in its tail.
 */
async function commitStaging(db: Db, ctx: RunContext, files: StagedFiles, replaces = true): Promise<void> {
  if (replaces) {
    for (const t of FACT_TABLES) {
      await db.run(`delete from ${t.table} where run_id <> $run and file_id in (select file_id from ld_replace)`, ctx);
    }
    for (const t of ["task", "indicator", "source_file"]) {
      await db.run(`delete from ${t} where file_id in (select file_id from ld_replace)`);
    }
  }
  // the repeated strings back from the run's dictionary (a list, 1-based as the ids; 0 is null),
  // and the file's identity and hash by its number; no join, so the tasks keep ld_task's order
  // (no file staged, as in `etl forget`: no task nor indicator either, and no list to bind)
  if (files.ids.length === 0) return commitFiles(db, ctx);
  const byNo = { ids: listOf(files.ids), hashes: listOf(files.hashes) };
  await db.run(
    `insert into task select $province, task_code, title, d[level_code], d[field_code], d[lead_org], pi_name, d[pi_gender], decision,
       d[start_month]::date, d[end_month]::date, d[status_code], d[accepted_on]::date, unsplit, sort, $run, $ids[file_no], $hashes[file_no], d[sheet], cell
       from (select *, (select list(s order by id) from ld_dict) d from ld_task)`,
    { ...ctx, ...byNo },
  );
  await db.run(
    `insert into indicator select $province, indicator_key, indicator_code, area_code, label, unit, parent_key, sort, $run,
       $ids[file_no], $hashes[file_no], sheet, cell from ld_indicator`,
    { ...ctx, ...byNo },
  );
  await commitFiles(db, ctx);
}

/** The run's files into source_file and their offices into office. */
async function commitFiles(db: Db, ctx: RunContext): Promise<void> {
  await db.run(
    `insert into source_file select file_id, office_code, sha256, size_bytes, mtime, $run, sheets_json::json from ld_file`,
    ctx,
  );
  await db.run(
    `insert into office select distinct office_code, office_code from ld_file where office_code not in (select office_code from office)`,
  );
}

function foreignFolder(fileId: string, origin: { id: string; code: string; name: string }, province: { code: string; name: string }): Problem {
  const folder = fileId.slice(0, fileId.indexOf("/"));
  return prob("FOLDER_NOT_FORMER_UNIT", { file: fileId }, {
    folder,
    unit: origin.id,
    formerName: origin.name,
    formerCode: origin.code,
    provinceName: province.name,
    province: province.code,
  });
}

/** Drop the staged records of files set aside (accept-partial): their facts of this run, their staging rows. */
async function unstage(db: Db, run: number, fileIds: string[]): Promise<void> {
  for (const t of FACT_TABLES) {
    await db.run(`delete from ${t.table} where run_id = $run and list_contains($ids, file_id)`, { run, ids: listOf(fileIds) });
  }
  // (ld_file last: the tasks and indicators are found by their file's number there)
  for (const t of ["ld_task", "ld_indicator"]) {
    await db.run(`delete from ${t} where file_no in (select file_no from ld_file where list_contains($ids, file_id))`, { ids: listOf(fileIds) });
  }
  for (const t of ["ld_file", "ld_replace"]) {
    await db.run(`delete from ${t} where list_contains($ids, file_id)`, { ids: listOf(fileIds) });
  }
}

const listOf = (xs: string[]) => listValue(xs);

/**
 * A checksum of every fact of the province: order-independent (bit_xor of row hashes), cheap on a
 * million rows, and carried by API answers so that a client can tell they come from one load.
 */
export async function factsChecksum(db: Db, province: string): Promise<string> {
  const r = await db.all<{ h: string | null; n: string }>(
    `select ${ROW_HASH.replace("$rows", "true")} h, count(*)::varchar n from (${EXISTING_FACTS})`,
    { province },
  );
  return checksumText({ h: BigInt(r[0]!.h ?? "0"), n: BigInt(r[0]!.n) });
}

/** The checksum's xor of row hashes over the rows `$rows` picks (a condition on the facts' columns). */
const ROW_HASH = "coalesce(bit_xor(hash(kind, k1, year, measure, source, amount, file_id, cell)) filter (where $rows), 0)::varchar";

type Sum = { h: bigint; n: bigint };
const checksumText = (s: Sum): string => `${s.n}-${s.h.toString(16)}`;

/**
 * The checksum as a run goes: xor is its own inverse, so the province's checksum after the run is
 * the one before it, with each staged file's earlier facts (which the commit deletes) and new
 * facts xor-ed in — each file's part summed while the next file is read, not the whole province
 * again in the tail. `factsChecksum` over the result gives the same (per-file-checks.test.ts).
 */
class RunningChecksum {
  private readonly files = new Map<string, Sum>();
  private constructor(private readonly start: Sum) {}

  /** The warehouse's facts before the run (those not of the run: at any time before the commit). */
  static async start(db: Db, ctx: RunContext, held: Held): Promise<RunningChecksum> {
    // a province's first load: nothing to sum
    if (!FACT_TABLES.some((t) => held.has(t.kind))) return new RunningChecksum({ h: 0n, n: 0n });
    const r = await db.all<{ h: string; n: string }>(
      `select ${ROW_HASH.replace("$rows", "true")} h, count(*)::varchar n from (${facts("run_id <> $run")})`,
      ctx,
    );
    return new RunningChecksum({ h: BigInt(r[0]!.h), n: BigInt(r[0]!.n) });
  }

  /**
   * A file just staged: its facts of this run in, those of its earlier version out. `kinds`: the
   * only tables to read, for a file seen first (an earlier version may have given any kind).
   */
  async add(db: Db, ctx: RunContext, fileId: string, kinds?: readonly FactKind[]): Promise<void> {
    if (kinds?.length === 0) {
      this.files.set(fileId, { h: 0n, n: 0n });
      return;
    }
    const r = await db.allKept<{ h_new: string; n_new: string; h_old: string; n_old: string }>(
      `select ${ROW_HASH.replace("$rows", "run_id = $run")} h_new, count(*) filter (where run_id = $run)::varchar n_new,
              ${ROW_HASH.replace("$rows", "run_id <> $run")} h_old, count(*) filter (where run_id <> $run)::varchar n_old
         from (${facts("file_id = $file", kinds)})`,
      { ...ctx, file: fileId },
    );
    const x = r[0]!;
    this.files.set(fileId, { h: BigInt(x.h_new) ^ BigInt(x.h_old), n: BigInt(x.n_new) - BigInt(x.n_old) });
  }

  /** After the run, of the files it still stages. */
  value(staged: readonly string[]): string {
    const s = { ...this.start };
    for (const id of staged) {
      const f = this.files.get(id)!;
      s.h ^= f.h;
      s.n += f.n;
    }
    return checksumText(s);
  }
}

export class WarehouseBusyError extends Error {
  override name = "WarehouseBusyError";
}

/**
 * Reading or staging one file threw (not a problem of the file's content that the parser could
 * place, but a failure of phuluc or of DuckDB on it). Nothing is published; the caller knows which
 * file it was — `etl load` reports it as a rejected run, `etl watch` sets the file aside and loads
 * the others.
 */
export class FileLoadError extends Error {
  override name = "FileLoadError";
  constructor(
    readonly fileId: string,
    readonly office: string,
    override readonly cause: unknown,
  ) {
    super(`${fileId}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * Load the files of a scanned inbox. Returns the report; `runId` is the new generation, or null
 * when nothing was published (rejected, or nothing changed).
 */
export async function loadFiles(scan: InboxScan, parse: FileParser, opts: LoadOptions): Promise<LoadReport> {
  const cp = opts.checkpoint ?? (() => undefined);
  const province = opts.province.code;
  // The next files are parsed while this one is staged: a parser with workers (etl/read-pool.ts)
  // reads as many files at once as it has workers, and staging mostly waits on DuckDB's own
  // threads. A window of that many files ahead, and those the parser queues for its readers, so
  // that no more than that many parsed files (and the one being staged) are ever held; a parser
  // on this thread reads one ahead.
  // The window opens before the warehouse does: reading needs nothing of it, so the first files
  // are read while the lock is taken, the generation copied, opened and migrated (a load refused
  // as busy has read them for nothing, and says so by throwing as before).
  const ahead = Math.max(1, parse.concurrency ?? 1) + Math.max(0, parse.queued ?? 0);
  const pending: Promise<ParsedFile>[] = [];
  let started = 0;
  const fill = () => {
    while (started < scan.files.length && pending.length < ahead) {
      const next = parse(scan.files[started++]!);
      // a parser that throws (a mistake in phuluc, not in the file) fails the run; a file read
      // ahead must not be left as an unhandled rejection meanwhile
      next.catch(() => undefined);
      pending.push(next);
    }
  };
  fill();
  return withRun(opts, opts.command ?? "etl load", { skipped: scan.skipped, problems: [...scan.problems] }, async (db, number, report) => {
    cp("opened");
    const ctx: RunContext = { province, run: number };
    await db.run(
      `insert into province select $code, $name where not exists (select 1 from province where province_code = $code)`,
      opts.province,
    );
    await writeUnits(db);
    const own = unitOfProvince(opts.province);
    const formerIds = new Set(own ? predecessorsOf(own.id).map((u) => u.id) : []);
    const known = new Map(
      (await db.all<{ file_id: string; sha256: string }>("select file_id, sha256 from source_file")).map((r) => [r.file_id, r.sha256]),
    );
    const rejected = new Set<string>();
    const codeColumns: CodeColumns = new Map();
    // the tasks' repeated strings, each once a run (stageFile appends them to ld_dict)
    const dict = new Interned();
    const stagedKinds: StagedKinds = new Map();
    // File by file until that re-reads too much (below); then over the whole run at its end.
    let perFile = opts.perFileChecks !== false;
    // What the checks file by file re-read of the files staged before (their rows, where they share
    // a kind or registers with the file checked), against the rows staged: a file meets every
    // earlier file of its kinds, which with many files of one kind grows with the square of their
    // number (forty files of a kind took three times as long). Past twice the rows staged, the
    // checks over the whole run, once, are cheaper: the rest of the run makes those.
    const stagedRows = new Map<string, { rows: number; kinds: FactKind[]; tasks: boolean }>();
    let reread = 0;
    let rows = 0;
    const held: Held = perFile ? await heldAtStart(db, province) : new Set();
    // whether `held` says what the warehouse held (made only for the checks file by file)
    const heldKnown = perFile;
    // the unit jumps between the staged files (checkFile), while it can (jumps.ts)
    const jumps = new StagedJumps(KEYED);
    // the staged files' rows of ld_file not written yet (writeFiles)
    const files: FileRow[] = [];
    let registersBefore = false;
    // the staged files by their numbers, which their tasks and indicators carry (stageFile)
    const stagedFiles: StagedFiles = { ids: [], hashes: [] };
    // made in the first wait for the reading worker (a province's first load: nothing to sum)
    let sum: RunningChecksum | null = null;
    // per staged file seen for the first time, its facts: all of them additions
    const freshFacts = new Map<string, number>();
    let i = 0;
    // while the first file is read (its facts are not needed for this)
    if (opts.prepare) await opts.prepare(db);
    for (const f of scan.files) {
      i++;
      let parsed: ParsedFile;
      try {
        parsed = await pending.shift()!;
      } catch (e) {
        throw new FileLoadError(f.fileId, f.office, e);
      }
      fill();
      // A file in a former province's folder belongs here only if this province took that one in.
      const origin = originOfFile(parsed.fileId);
      // (a list of its own: the parsed file is the parser's, and may be given to another load)
      const problems = origin && !formerIds.has(origin.id) ? parsed.problems.concat(foreignFolder(parsed.fileId, origin, opts.province)) : parsed.problems;
      const errors = problems.filter(isError).length;
      const outcome: FileOutcome = {
        fileId: parsed.fileId,
        office: parsed.office,
        sha256: parsed.sha256,
        status: "loaded",
        rows: 0,
        errors,
        warnings: problems.filter((x) => x.severity === "warning").length,
      };
      // a loop, not push(...problems): 150 000 problems spread into a call overflow the stack
      for (const p of problems) report.problems.push(p);
      if (errors > 0) {
        outcome.status = "rejected";
        rejected.add(parsed.fileId);
      } else if (known.get(parsed.fileId) === parsed.sha256) {
        outcome.status = "unchanged";
      } else {
        try {
          stagedFiles.ids.push(parsed.fileId);
          stagedFiles.hashes.push(parsed.sha256);
          const fileNo = stagedFiles.ids.length;
          const st = await stageFile(db, parsed, ctx, dict, fileNo);
          outcome.rows = st.rows;
          stagedKinds.set(parsed.fileId, st.kinds);
          if (!known.has(parsed.fileId)) outcome.firstLoad = true;
          if (!known.has(parsed.fileId)) freshFacts.set(parsed.fileId, st.facts);
          noteCodeColumns(codeColumns, parsed);
          files.push([String(fileNo), parsed.fileId, parsed.office, parsed.sha256, String(parsed.size), String(Math.round(parsed.mtimeMs)), JSON.stringify(parsed.sheets)]);
          // the checks file by file read ld_file only against what the warehouse held
          if (held.size > 0) await writeFiles(db, files);
          // while the worker reads the next file
          const tasks = st.tasks > 0;
          for (const [, e] of stagedRows) {
            if ((tasks && e.tasks) || e.kinds.some((k) => KEYED.includes(k) && st.kinds.includes(k))) reread += e.rows;
          }
          stagedRows.set(parsed.fileId, { rows: st.rows, kinds: st.kinds, tasks });
          rows += st.rows;
          if (reread > 2 * rows) perFile = false;
          if (perFile) {
            const pairs = jumps.add(parsed.fileId, origin?.id ?? "", parsed.packed!);
            await checkFile(db, ctx, parsed, { staged: stagedKinds, held, registersBefore, hadOld: known.has(parsed.fileId), jumps: pairs, fileNo, files: stagedFiles });
          }
          registersBefore ||= tasks;
          if (perFile) {
            sum ??= await RunningChecksum.start(db, ctx, held);
            await sum.add(db, ctx, parsed.fileId, known.has(parsed.fileId) ? undefined : st.kinds);
          }
        } catch (e) {
          // a failed statement aborts DuckDB's transaction: the run cannot go on, but says which file
          throw new FileLoadError(parsed.fileId, parsed.office, e);
        }
      }
      report.files.push(outcome);
      opts.onProgress?.({ file: f.fileId, index: i, total: scan.files.length, rows: outcome.rows });
      cp(`parsed:${i}`);
    }

    // Every staged file replaces what its earlier version gave, if it had one (the files the
    // warehouse holds are source_file's: nothing changes it before the commit). One statement for
    // the run, not one a file.
    await writeFiles(db, files);
    await db.run("insert into ld_replace select file_id, file_id in (select file_id from source_file) from ld_file");

    // Cross-file rules. With --accept-partial, set the offending files aside and check again
    // (removing one file can only remove problems, so this ends). The first check reads what
    // checkFile found as the files were staged; after files are set aside, the whole run again.
    let setAside = false;
    for (;;) {
      // (a staged fact's origin is its file's folder: originOfFile, as stageFile writes it)
      const formers = !heldKnown || held.has("budget_line") || [...stagedKinds.keys()].some((id) => originOfFile(id));
      const cross = await crossFileProblems(db, ctx, stagedKinds, codeColumns, perFile && !setAside, formers);
      if (cross.length === 0) break;
      if (!opts.acceptPartial) {
        report.problems.push(...cross);
        break;
      }
      const bad = new Set<string>();
      for (const c of cross) {
        // Set aside the file being loaded now; a file already in the warehouse stays.
        const a = c.place.file!;
        const b = c.place.other?.file;
        const staged = (id: string) => report.files.some((x) => x.fileId === id && x.status === "loaded");
        if (staged(a)) bad.add(a);
        else if (b && staged(b)) bad.add(b);
      }
      report.problems.push(...cross);
      if (bad.size === 0) break;
      for (const id of bad) {
        rejected.add(id);
        const fo = report.files.find((x) => x.fileId === id)!;
        fo.status = "rejected";
        // every cross-file error that names it, not one for all (24 figures given twice are 24)
        fo.errors += Math.max(1, cross.filter((x) => isError(x) && (x.place.file === id || x.place.other?.file === id)).length);
        fo.rows = 0;
      }
      await unstage(db, number, [...bad]);
      setAside = true;
      for (const id of bad) stagedKinds.delete(id);
    }
    cp("checked");

    const errors = report.problems.filter(isError);
    if (errors.length > 0 && !opts.acceptPartial) {
      for (const fo of report.files) if (fo.status === "loaded") fo.status = "rejected";
      report.outcome = "rejected";
      return false;
    }
    const staged = report.files.filter((x) => x.status === "loaded");
    if (staged.length === 0) {
      report.outcome = rejected.size > 0 ? "rejected" : "unchanged";
      return false;
    }
    // the pairs checkFile found against a file set aside are gone with it, but those it did not
    // look for (that file's earlier version, current again) are not there: over the whole run then
    report.problems.push(...(perFile && !setAside ? await unitJumpsOfFiles(db) : await unitJumps(db, ctx)));
    if (perFile) {
      // a file's changes are its own: those of the files still staged stand
      report.changes = await diffOfFiles(db);
      for (const fo of staged) report.changeCounts.added += freshFacts.get(fo.fileId) ?? 0;
    } else {
      const d = await diff(db, ctx);
      report.changes = d.changes;
      report.changeCounts.added += d.addedByNewFiles;
    }
    for (const c of report.changes) report.changeCounts[c.kind]++;
    // the files still staged are ld_replace's; whether one had an earlier version is known here
    await commitStaging(db, ctx, stagedFiles, staged.some((fo) => known.has(fo.fileId)));
    cp("committed-staging");
    report.rowsLoaded = staged.reduce((s, x) => s + x.rows, 0);
    report.outcome = rejected.size > 0 ? "partial" : "loaded";
    return { checksum: perFile && sum ? sum.value(staged.map((x) => x.fileId)) : undefined, strict: true };
  });
}

/** What a run's body has written, to be committed, tested and recorded (withRun). */
interface Written {
  /** the checksum of the province's facts as they now are, when the body has it (else summed after the commit) */
  checksum?: string;
  /** whether a failing data test (an error) rejects the run: a load's do; `etl forget` reports them */
  strict: boolean;
}

/**
 * What every run that may write a generation shares: the writer lock, a fresh report, the staging
 * tables, and — when the body has written something to publish — the facts' commit, `afterLoad`
 * (the data tests) on them as committed, and the run's record (its report, data-test problems
 * included, and checksum) in a second transaction. The body returns false to leave the warehouse
 * exactly as it was; so does a failing data test of a strict run, or a kill at any point: the
 * generation is published only after the record's commit, and removed when it is not.
 */
async function withRun(
  opts: LoadOptions,
  command: string,
  base: Pick<LoadReport, "skipped" | "problems">,
  body: (db: Db, number: number, report: LoadReport) => Promise<false | Written>,
): Promise<LoadReport> {
  const now = opts.now ?? (() => new Date());
  const started = now().toISOString();
  const lock = tryLock(opts.dbPath);
  if (!lock) {
    throw new WarehouseBusyError(`another load is running on ${opts.dbPath} / một lần nạp khác đang chạy trên kho dữ liệu này`);
  }
  const report: LoadReport = {
    command,
    runId: null,
    outcome: "unchanged",
    startedAt: started,
    finishedAt: started,
    files: [],
    rowsLoaded: 0,
    changes: [],
    changeCounts: { added: 0, updated: 0, removed: 0 },
    ...base,
  };
  try {
    const cp = opts.checkpoint ?? (() => undefined);
    const result = await writeGeneration(opts.dbPath, async ({ db, number, commit }) => {
      for (const stmt of STAGING.split(";").map((s) => s.trim()).filter(Boolean)) await db.run(stmt);
      const done = await body(db, number, report);
      if (!done) return { publish: false, value: null };
      // The facts committed first (the commit checkpoints them into the file): the data tests then
      // read them as stored, compressed, and from more than one connection if they like, where the
      // transaction's own rows were one connection's, uncompressed. Unpublished until the record's
      // commit below, the file is removed if anything after this fails or is killed.
      await commit();
      cp("facts-committed");
      if (opts.afterLoad) {
        const after = await opts.afterLoad(db);
        cp("data-tested");
        // a loop, not push(...after): one problem a failing row
        for (const p of after) report.problems.push(p);
        if (done.strict && after.some(isError)) {
          report.outcome = "rejected";
          report.rowsLoaded = 0;
          for (const fo of report.files) if (fo.status === "loaded") fo.status = "rejected";
          return { publish: false, value: null };
        }
      }
      report.runId = number;
      report.finishedAt = now().toISOString();
      await recordRun(db, number, report, done.checksum ?? (await factsChecksum(db, opts.province.code)));
      cp("run-recorded");
      return { publish: true, value: null };
    }, (name) => cp(name), opts.prepare && opts.prepareKey ? template(opts.prepare, opts.prepareKey) : undefined);
    report.runId = result.published;
    return report;
  } finally {
    report.finishedAt = now().toISOString();
    lock.release();
  }
}

/**
 * What a new warehouse starts as: the migrations, then `prepare` (the analysts' views), and the
 * administrative units every load writes (writeUnits), which a load from it then finds written.
 */
const template = (prepare: (db: Db) => Promise<void>, key: string) => ({
  key: `${key}\u0000${unitsKey()}`,
  build: async (db: Db) => {
    await writeUnits(db);
    await prepare(db);
  },
});

async function recordRun(db: Db, runId: number, report: LoadReport, checksum: string): Promise<void> {
  // The stored report keeps at most 5 000 changes and problems each: the run log file has them all.
  const stored = { ...report, changes: report.changes.slice(0, 5000), problems: report.problems.slice(0, 5000) };
  await db.run(
    `insert into load_run values ($run, $started::timestamptz, $finished::timestamptz, $command, $outcome,
       $read, $loaded, $rows, $checksum, $report::json)`,
    {
      run: runId,
      started: report.startedAt,
      finished: report.finishedAt,
      command: report.command,
      outcome: report.outcome,
      read: report.files.length,
      loaded: report.files.filter((f) => f.status === "loaded").length,
      rows: report.files.reduce((s, f) => s + f.rows, 0),
      checksum,
      report: JSON.stringify(stored),
    },
  );
}

/** `etl forget`: withdraw what one file gave. Refused when other files' funding still needs its tasks. */
export async function forgetFile(fileId: string, opts: LoadOptions): Promise<LoadReport> {
  const province = opts.province.code;
  return withRun(opts, "etl forget", { skipped: [], problems: [] }, async (db, number, report) => {
    const f = await db.all<{ office_code: string; sha256: string }>("select office_code, sha256 from source_file where file_id = $id", { id: fileId });
    if (f.length === 0) {
      report.problems.push(
        prob("FILE_NOT_LOADED", { file: fileId }),
      );
      report.outcome = "rejected";
      return false;
    }
    await db.run("insert into ld_replace values ($id, true)", { id: fileId });
    const ctx: RunContext = { province, run: number };
    report.problems.push(...(await crossFileProblems(db, ctx, new Map())));
    // Funding in other files that pointed at this file's tasks.
    const orphans = await db.all<{ task_code: string; file_id: string; sheet: string; cell: string }>(
      `select f.task_code, f.file_id, f.sheet, f.cell from fact_task_funding f
        where f.file_id <> $id and f.task_code in (select task_code from task where file_id = $id)
        qualify row_number() over (partition by f.file_id, f.task_code order by f.cell) = 1 limit 1000`,
      { id: fileId },
    );
    for (const o of orphans) {
      report.problems.push(
        prob("FUNDING_UNKNOWN_TASK", { file: o.file_id, sheet: o.sheet, cell: o.cell }, { taskCode: o.task_code, forgetting: fileId }),
      );
    }
    report.files.push({ fileId, office: f[0]!.office_code, sha256: f[0]!.sha256, status: "forgotten", rows: 0, errors: 0, warnings: 0 });
    if (report.problems.some(isError)) {
      report.outcome = "rejected";
      return false;
    }
    report.changes = (await diff(db, ctx)).changes;
    for (const c of report.changes) report.changeCounts[c.kind]++;
    await commitStaging(db, ctx, { ids: [], hashes: [] });
    report.outcome = "loaded";
    // its data-test problems are reported without rejecting it, as they always were
    return { strict: false };
  });
}
