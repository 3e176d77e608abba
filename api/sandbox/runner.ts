// The parent side of the sandbox: a small pool of worker processes, a queue in front of them,
// and the time limit. On timeout the worker is killed (SIGKILL: DuckDB may be deep in native
// code) and a fresh one is started; the caller gets QUERY_TIMEOUT and the server goes on.
// The time limit counts from the request's arrival, time in the queue included: a request that
// waits past it is answered QUERY_BUSY (with a Retry-After) without running, and one that gets a
// worker late has only what is left. The queue is short, and a request beyond it is refused at
// once. Answers bigger than the byte cap are refused by the worker (QUERY_TOO_LARGE).
import { fork, type ChildProcess } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, openSync, rmSync, unlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { setPriority, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ApiError, fromWire } from "../errors.js";
import { checkShape, DEFAULT_SHAPE } from "./shape.js";
import type { FromWorker, QueryOutcome, QueryRequest, Source, ToWorker, WireOutcome, WorkerConfig } from "./protocol.js";

export type { QueryOutcome, QueryRequest, Source } from "./protocol.js";

/** What the app and the query command need from a sandbox. */
export interface RunOptions {
  /** when the request arrived (ms since the epoch, the runner's clock): the time limit counts from it */
  arrivedAt?: number;
  /** the client went away: a request still waiting in the queue leaves it (a running one finishes) */
  signal?: AbortSignal;
}

export interface QueryRunner {
  run(req: QueryRequest, opts?: RunOptions): Promise<QueryOutcome>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  source: Source;
  /** per query, from its arrival (queue included) to its answer (default 10 000 ms) */
  timeLimitMs?: number;
  /** row cap (default 100 000); a request may ask for fewer */
  maxRows?: number;
  /** byte cap of one answer (default 64 MB): a bigger one is refused with QUERY_TOO_LARGE */
  maxBytes?: number;
  maxSqlLength?: number;
  maxDepth?: number;
  /** worker processes (default 1) */
  workers?: number;
  /** requests waiting for a worker before QUERY_BUSY (default 4 per worker) */
  queueLimit?: number;
  /** the clock deadlines are counted with (tests) */
  now?: () => number;
  memoryLimit?: string;
  threads?: number;
  /** how much one worker's DuckDB may spill to disk (default 1GB), in its own temp folder */
  maxTempSize?: string;
  tmpDir?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The few variables a worker needs (time zone, locale); never PHULUC_API_KEY, HOME or the like. */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const k of ["TZ", "LANG", "LC_ALL", "PATH", "NODE_ENV"]) if (env[k] !== undefined) out[k] = env[k];
  return out;
}

/** how much lower the workers' scheduling priority is than the server's (nice +10) */
const WORKER_NICENESS = 10;

const gone = () => new ApiError("QUERY_BUSY", "yêu cầu đã bị hủy trước khi chạy", "the request was cancelled before it ran");

function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(here, "worker.js");
  if (existsSync(js)) return { file: js, execArgv: [] };
  // Source checkout: run the TypeScript worker through tsx's loader (resolved from our package).
  const tsx = createRequire(import.meta.url).resolve("tsx");
  return { file: join(here, "worker.ts"), execArgv: ["--import", pathToFileURL(tsx).href] };
}

interface Pending {
  id: number;
  resolve: (o: WireOutcome) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

class Worker {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  pending: Pending | null = null;
  dead = false;
  wasReady = false;
  /** killed by close(): its running query is told the server is stopping, not that it crashed */
  stopping = false;

  readonly spillDir: string;

  constructor(base: Omit<WorkerConfig, "spillDir">, onExit: (w: Worker) => void) {
    const entry = workerEntry();
    this.spillDir = mkdtempSync(join(base.tmpDir, "phuluc-sandbox-"));
    const config: WorkerConfig = { ...base, spillDir: this.spillDir };
    this.child = fork(entry.file, [JSON.stringify(config)], {
      execArgv: [...entry.execArgv, "--max-old-space-size=1024"],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
      // Its own folder is its working directory (answers are written there), and it gets none of
      // the server's environment: not the API key, not the home folder.
      cwd: this.spillDir,
      env: workerEnv(),
    });
    // The workers yield the processor to the server: on a busy machine /api/health and the pane
    // are answered first, and the queries (limited in time anyway) take what is left.
    try {
      if (this.child.pid !== undefined) setPriority(this.child.pid, WORKER_NICENESS);
    } catch {
      /* not permitted here: the same priority as the server, as before */
    }
    this.ready = new Promise((resolve, reject) => {
      this.child.on("message", (m: FromWorker) => {
        if (m.type === "ready") {
          this.wasReady = true;
          resolve();
        }
        else if (m.type === "result" && this.pending?.id === m.id) {
          const p = this.pending;
          this.pending = null;
          clearTimeout(p.timer);
          if (m.ok) p.resolve(m.outcome);
          else p.reject(fromWire(m.error));
        }
      });
      this.child.on("exit", () => {
        this.dead = true;
        // A killed worker leaves its spill files: they go with it.
        rmSync(this.spillDir, { recursive: true, force: true });
        reject(new ApiError("QUERY_WORKER_CRASHED", "tiến trình chạy SQL không khởi động được", "the SQL worker failed to start"));
        const p = this.pending;
        this.pending = null;
        if (p) {
          clearTimeout(p.timer);
          p.reject(
            this.stopping
              ? new ApiError("QUERY_BUSY", "máy chủ đang dừng", "the server is stopping")
              : new ApiError("QUERY_WORKER_CRASHED", "tiến trình chạy SQL đã dừng đột ngột", "the SQL worker stopped unexpectedly"),
          );
        }
        onExit(this);
      });
    });
    this.ready.catch(() => undefined);
  }

  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.child.kill("SIGKILL");
  }
}

export class SandboxPool implements QueryRunner {
  private readonly config: Omit<WorkerConfig, "spillDir">;
  private readonly timeLimitMs: number;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly shape: { maxLength: number; maxDepth: number };
  private readonly size: number;
  private readonly queueLimit: number;
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: Array<{ resolve: (w: Worker) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout }> = [];
  private nextId = 1;
  private closed = false;
  private refusedFull = 0;
  /**
   * Time with no worker up (all starting: at first, or after a kill) is not charged to the
   * requests waiting through it — they could not have run anyway, and a query killed at its limit
   * must not use up the next one's. stalled() is that time so far, summed.
   */
  private up = 0;
  private stalledTotal = 0;
  private stalledSince: number | null;

  constructor(opts: SandboxOptions) {
    this.config = {
      source: opts.source,
      memoryLimit: opts.memoryLimit ?? "1GB",
      threads: opts.threads ?? 2,
      tmpDir: opts.tmpDir ?? tmpdir(),
      maxTempSize: opts.maxTempSize ?? "1GB",
    };
    this.timeLimitMs = opts.timeLimitMs ?? 10_000;
    this.maxRows = opts.maxRows ?? 100_000;
    this.maxBytes = opts.maxBytes ?? 64_000_000;
    this.now = opts.now ?? Date.now;
    this.stalledSince = this.now();
    this.shape = { maxLength: opts.maxSqlLength ?? DEFAULT_SHAPE.maxLength, maxDepth: opts.maxDepth ?? DEFAULT_SHAPE.maxDepth };
    this.size = Math.max(1, opts.workers ?? 1);
    this.queueLimit = opts.queueLimit ?? 4 * this.size;
  }

  /** The worker processes' ids, or only those running a query (for operators, and the crash test). */
  pids(opts: { busy?: boolean } = {}): number[] {
    return this.workers
      .filter((w) => !w.dead && w.child.pid !== undefined && (!opts.busy || w.pending !== null))
      .map((w) => w.child.pid!);
  }

  /** Requests waiting for a worker now (for operators, and tests that wait for a queue). */
  get queued(): number {
    return this.queue.length;
  }

  /** Requests refused at once because the queue was full, since start (for operators: a rising count means add workers). */
  get refusedQueueFull(): number {
    return this.refusedFull;
  }

  /** Start the workers now rather than on the first query. */
  start(): this {
    while (this.workers.length < this.size) this.spawn();
    return this;
  }

  private spawn(): Worker {
    const w = new Worker(this.config, (dead) => this.onExit(dead));
    this.workers.push(w);
    w.ready.then(
      () => {
        if (this.up++ === 0 && this.stalledSince !== null) {
          this.stalledTotal += this.now() - this.stalledSince;
          this.stalledSince = null;
        }
        this.release(w);
      },
      () => undefined,
    );
    return w;
  }

  private stalled(): number {
    return this.stalledTotal + (this.stalledSince === null ? 0 : this.now() - this.stalledSince);
  }

  private onExit(w: Worker): void {
    this.workers = this.workers.filter((x) => x !== w);
    this.idle = this.idle.filter((x) => x !== w);
    if (w.wasReady && --this.up === 0) this.stalledSince = this.now();
    if (this.closed) return;
    if (w.wasReady) {
      // Killed on timeout or crashed in a query: start a fresh one right away.
      if (this.workers.length < this.size) this.spawn();
    } else if (this.workers.length === 0) {
      // It never started (broken install, unreadable lake): fail the waiting requests, no loop.
      const err = new ApiError("QUERY_WORKER_CRASHED", "tiến trình chạy SQL không khởi động được", "the SQL worker failed to start");
      for (const q of this.queue.splice(0)) {
        clearTimeout(q.timer);
        q.reject(err);
      }
    }
  }

  private release(w: Worker): void {
    if (w.dead || this.closed) return;
    const waiter = this.queue.shift();
    clearTimeout(waiter?.timer);
    if (waiter) waiter.resolve(w);
    else this.idle.push(w);
  }

  /** Seconds a refused client should wait: about one time limit, when a worker is surely free. */
  private retryAfter(): number {
    return Math.max(1, Math.ceil(this.timeLimitMs / 1000));
  }

  private timeout(): ApiError {
    return new ApiError(
      "QUERY_TIMEOUT",
      `câu SQL chạy quá ${this.timeLimitMs} ms (tính từ lúc yêu cầu đến) nên đã bị dừng`,
      `query stopped after the ${this.timeLimitMs} ms time limit (counted from the request's arrival)`,
    );
  }

  private busy(): ApiError {
    return new ApiError("QUERY_BUSY", "máy chủ đang bận, hãy thử lại sau", "the server is busy, try again later", undefined, this.retryAfter());
  }

  /** A worker, or QUERY_BUSY at once (queue full) or at the deadline (still waiting then). */
  private acquire(deadline: () => number, signal?: AbortSignal): Promise<Worker> {
    if (signal?.aborted) return Promise.reject(gone());
    const w = this.idle.shift();
    if (w) return Promise.resolve(w);
    if (this.queue.length >= this.queueLimit) {
      this.refusedFull++;
      return Promise.reject(this.busy());
    }
    const p = new Promise<Worker>((resolve, reject) => {
      const entry: (typeof this.queue)[number] = {
        resolve: (w) => {
          signal?.removeEventListener("abort", leave);
          resolve(w);
        },
        reject: (e) => {
          signal?.removeEventListener("abort", leave);
          reject(e);
        },
      };
      const leave = () => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return;
        this.queue.splice(i, 1);
        clearTimeout(entry.timer);
        reject(gone());
      };
      signal?.addEventListener("abort", leave, { once: true });
      const expire = () => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return;
        // workers (re)starting in the meantime moved the deadline
        const left = deadline() - this.now();
        if (left > 0) {
          entry.timer = setTimeout(expire, left);
          return;
        }
        this.queue.splice(i, 1);
        entry.reject(
          new ApiError(
            "QUERY_BUSY",
            `máy chủ đang bận: câu SQL đã chờ hết ${this.timeLimitMs} ms mà chưa được chạy, hãy thử lại sau`,
            `the server is busy: the query waited its whole ${this.timeLimitMs} ms limit without running, try again later`,
            undefined,
            this.retryAfter(),
          ),
        );
      };
      entry.timer = setTimeout(expire, Math.max(0, deadline() - this.now()));
      this.queue.push(entry);
    });
    if (this.workers.length < this.size) this.spawn();
    return p;
  }

  /** The worker's answer file, opened and unlinked at once (it goes when the stream closes). */
  private answerOf(w: Worker, o: WireOutcome): QueryOutcome {
    const { file, ...rest } = o;
    if (!file) return rest;
    const path = join(w.spillDir, file.name);
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      throw new ApiError("QUERY_WORKER_CRASHED", "không đọc được câu trả lời của tiến trình SQL", "could not read the SQL worker's answer", (e as Error).message);
    } finally {
      try {
        unlinkSync(path);
      } catch {
        /* gone with its worker's folder */
      }
    }
    return { ...rest, answer: { stream: createReadStream("", { fd, autoClose: true }), size: file.size } };
  }

  async run(req: QueryRequest, opts: RunOptions = {}): Promise<QueryOutcome> {
    // From arrival, plus any time no worker was up while it waited (see stalled()).
    const arrivedAt = Math.min(opts.arrivedAt ?? this.now(), this.now());
    const stalledAtArrival = this.stalled();
    const deadline = () => arrivedAt + this.timeLimitMs + (this.stalled() - stalledAtArrival);
    if (this.closed) throw new ApiError("QUERY_BUSY", "máy chủ đang dừng", "the server is stopping");
    checkShape(req.sql, this.shape);
    const maxRows = Math.max(0, Math.min(req.maxRows ?? this.maxRows, this.maxRows));
    const w = await this.acquire(deadline, opts.signal);
    if (deadline() <= this.now()) {
      // Its time ran out before it could run (a slow upload, a late wakeup): not dispatched, so
      // no worker is killed for it.
      this.release(w);
      throw this.timeout();
    }
    const id = this.nextId++;
    const msg: ToWorker = {
      type: "query",
      id,
      request: {
        sql: req.sql,
        params: req.params ?? {},
        format: req.format,
        maxRows,
        csvBom: req.csvBom ?? false,
        deliver: req.deliver ?? "inline",
        maxBytes: this.maxBytes,
      },
    };
    try {
      const wire = await new Promise<WireOutcome>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (w.pending?.id !== id) return;
          w.pending = null;
          w.kill();
          reject(this.timeout());
        }, Math.max(0, deadline() - this.now()));
        w.pending = { id, resolve, reject, timer };
        w.child.send(msg, (err) => {
          if (err && w.pending?.id === id) {
            clearTimeout(timer);
            w.pending = null;
            reject(new ApiError("QUERY_WORKER_CRASHED", "không gửi được câu SQL", "could not reach the SQL worker", err.message));
          }
        });
      });
      return this.answerOf(w, wire);
    } finally {
      this.release(w);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = new ApiError("QUERY_BUSY", "máy chủ đang dừng", "the server is stopping");
    for (const q of this.queue.splice(0)) {
      clearTimeout(q.timer);
      q.reject(stopping);
    }
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.dead) return resolve();
            w.child.once("exit", () => resolve());
            w.stopping = true;
            w.kill();
          }),
      ),
    );
    this.workers = [];
    this.idle = [];
  }
}
