// Every inbox file is read in a worker of a WorkerPool (pool.ts): with a heap limit and a deadline
// from the configuration (limits.readHeapMb, limits.readTimeoutMs). A file that kills its worker —
// V8 out of memory, past the deadline, a crash — or makes the reader throw becomes a rejected file
// with a located problem like any other; the process, and the other offices' files, live on.
// `etl load` and `etl watch` both read this way (commands.ts parserFor).
import { availableParallelism } from "node:os";
import type { Config } from "../core/config.js";
import { LIMIT_DEFAULTS } from "../core/config.js";
import { prob } from "../core/codes.js";
import type { ParsedFile } from "../warehouse/model.js";
import { WorkerPool, type PoolResult, type SetTimer } from "./pool.js";
import { readInboxFile, type ReadOptions } from "./read.js";
import type { FileParser } from "../warehouse/load.js";
import { packInPlace, transferList } from "../warehouse/pack.js";

export interface ReadTask {
  absPath: string;
  fileId: string;
  office: string;
  opts: Pick<ReadOptions, "limits" | "province">;
}

/**
 * The worker's side: one file read, its facts packed in typed columns (warehouse/pack.ts) so that
 * they cross to the main thread as a few transferred buffers instead of a clone of every fact.
 */
export async function readTask(t: ReadTask): Promise<ParsedFile> {
  return packInPlace(await readInboxFile(t.absPath, t.fileId, t.office, t.opts));
}

/** The buffers of readTask's result, moved rather than copied (pool.ts). */
export { transferList };

export interface ReadPoolOptions {
  heapMb: number;
  timeoutMs: number;
  size?: number;
  setTimer?: SetTimer;
}

/**
 * A reading worker's young generation, MB. A sheet's rows and cells live until the sheet is
 * parsed, so every scavenge during its reading copies those read since the last one (and promotes
 * them at the next): with more room, fewer scavenges fall inside a sheet. On the bench's subset,
 * V8's default against 64 MB, seven alternated pairs: the run 3.80–4.13 → 3.67–3.94 s (each pair
 * faster), the worker's scavenges 45–47 → 29 and their pauses 170–320 → 117–121 ms; the peak
 * 391–410 → 426–445 MB, the national inbox's 419 → 437–447 MB. 32 and 40 MB were V8's default again.
 */
const READ_YOUNG_MB = 64;

/** A pool reading inbox files (the entry is this very module, as .ts or compiled .js). */
export function newReadPool(o: ReadPoolOptions): WorkerPool<ReadTask, ParsedFile> {
  return new WorkerPool<ReadTask, ParsedFile>({ entry: import.meta.url, fn: "readTask", transfer: "transferList", youngMb: READ_YOUNG_MB, ...o });
}

/** What a failed read becomes: a rejected file whose problem says what happened. */
export function failedRead(t: ReadTask, r: Exclude<PoolResult<ParsedFile>, { ok: true }>, o: ReadPoolOptions): ParsedFile {
  const out: ParsedFile = { fileId: t.fileId, office: t.office, sha256: "", size: 0, mtimeMs: 0, sheets: [], tasks: [], taskFunding: [], budgetLines: [], indicators: [], indicatorFacts: [], problems: [] };
  const place = { file: t.fileId };
  if (r.failure === "out_of_memory") out.problems.push(prob("FILE_READ_OUT_OF_MEMORY", place, { limitMb: o.heapMb }));
  else if (r.failure === "timeout") out.problems.push(prob("FILE_READ_TIMEOUT", place, { seconds: Math.round(o.timeoutMs / 100) / 10 }));
  else out.problems.push(prob("FILE_READ_FAILED", place, { detail: r.detail.split("\n")[0]!.slice(0, 300) }));
  return out;
}

/** Read one file through `pool`; never rejects. */
export async function readPooled(pool: WorkerPool<ReadTask, ParsedFile>, t: ReadTask, o: ReadPoolOptions): Promise<ParsedFile> {
  const r = await pool.run(t);
  return r.ok ? r.value : failedRead(t, r, o);
}

// One pool per heap/deadline pair for the life of the process: a service's ticks reuse its workers.
const pools = new Map<string, WorkerPool<ReadTask, ParsedFile>>();

/** Worker threads the reading pools of this process have started (the bench reports it). */
export function readWorkersStarted(): number {
  let n = 0;
  for (const p of pools.values()) n += p.stats.workersStarted;
  return n;
}

export function pooledParser(config: Config, o: Partial<ReadPoolOptions> = {}): FileParser {
  const opts: ReadPoolOptions = {
    heapMb: o.heapMb ?? config.limits.readHeapMb ?? LIMIT_DEFAULTS.readHeapMb,
    timeoutMs: o.timeoutMs ?? config.limits.readTimeoutMs ?? LIMIT_DEFAULTS.readTimeoutMs,
    ...(o.size ? { size: o.size } : {}),
    ...(o.setTimer ? { setTimer: o.setTimer } : {}),
  };
  // One worker per core but one: the main thread, which stages into DuckDB (and DuckDB's own
  // thread), needs a core too. On 2 cores a second worker parsing at once was no faster (13.9 s vs
  // 14.1 s for the bench's 30 files, quiet machine) and held 130 MB more.
  const workers = Math.max(1, (o.size ?? availableParallelism()) - 1);
  let pool: WorkerPool<ReadTask, ParsedFile>;
  if (o.setTimer || o.size) pool = newReadPool({ ...opts, size: workers });
  else {
    const key = `${opts.heapMb}/${opts.timeoutMs}`;
    pool = pools.get(key) ?? newReadPool({ ...opts, size: workers });
    pools.set(key, pool);
  }
  const parser: FileParser = (f) => readPooled(pool, { absPath: f.path, fileId: f.fileId, office: f.office, opts: { limits: config.limits, province: config.province.code } }, opts);
  parser.concurrency = pool.workers;
  // The loader may ask for one file more: it waits in the pool's queue, not for a worker of its
  // own, and the worker that finishes takes it at once instead of idling until the loader has
  // staged the file before and asks again. At a province's start the loader opens, migrates and
  // installs the views while the worker had read the first file and waited: about a sixth of the
  // bench's staging phase was the loader then waiting for the second file.
  parser.queued = 1;
  return parser;
}
