// The parent side of the sandbox: a small pool of worker processes, a queue in front of them,
// and the time limit. On timeout the worker is killed (SIGKILL: DuckDB may be deep in native
// code) and a fresh one is started; the caller gets QUERY_TIMEOUT and the server goes on.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ApiError, fromWire } from "../errors.js";
import { checkShape, DEFAULT_SHAPE } from "./shape.js";
import type { FromWorker, QueryOutcome, QueryRequest, Source, ToWorker, WorkerConfig } from "./protocol.js";

export type { QueryOutcome, QueryRequest, Source } from "./protocol.js";

/** What the app and the query command need from a sandbox. */
export interface QueryRunner {
  run(req: QueryRequest): Promise<QueryOutcome>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  source: Source;
  /** per query, from dispatch to answer (default 10 000 ms) */
  timeLimitMs?: number;
  /** row cap (default 100 000); a request may ask for fewer */
  maxRows?: number;
  maxSqlLength?: number;
  maxDepth?: number;
  /** worker processes (default 1) */
  workers?: number;
  /** requests waiting for a worker before QUERY_BUSY (default 32) */
  queueLimit?: number;
  memoryLimit?: string;
  threads?: number;
  /** how much one worker's DuckDB may spill to disk (default 1GB), in its own temp folder */
  maxTempSize?: string;
  tmpDir?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

function workerEntry(): { file: string; execArgv: string[] } {
  const js = join(here, "worker.js");
  if (existsSync(js)) return { file: js, execArgv: [] };
  // Source checkout: run the TypeScript worker through tsx's loader (resolved from our package).
  const tsx = createRequire(import.meta.url).resolve("tsx");
  return { file: join(here, "worker.ts"), execArgv: ["--import", pathToFileURL(tsx).href] };
}

interface Pending {
  id: number;
  resolve: (o: QueryOutcome) => void;
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
    });
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
  private readonly shape: { maxLength: number; maxDepth: number };
  private readonly size: number;
  private readonly queueLimit: number;
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: Array<{ resolve: (w: Worker) => void; reject: (e: Error) => void }> = [];
  private nextId = 1;
  private closed = false;

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
    this.shape = { maxLength: opts.maxSqlLength ?? DEFAULT_SHAPE.maxLength, maxDepth: opts.maxDepth ?? DEFAULT_SHAPE.maxDepth };
    this.size = Math.max(1, opts.workers ?? 1);
    this.queueLimit = opts.queueLimit ?? 32;
  }

  /** The worker processes' ids, or only those running a query (for operators, and the crash test). */
  pids(opts: { busy?: boolean } = {}): number[] {
    return this.workers
      .filter((w) => !w.dead && w.child.pid !== undefined && (!opts.busy || w.pending !== null))
      .map((w) => w.child.pid!);
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
      () => this.release(w),
      () => undefined,
    );
    return w;
  }

  private onExit(w: Worker): void {
    this.workers = this.workers.filter((x) => x !== w);
    this.idle = this.idle.filter((x) => x !== w);
    if (this.closed) return;
    if (w.wasReady) {
      // Killed on timeout or crashed in a query: start a fresh one right away.
      if (this.workers.length < this.size) this.spawn();
    } else if (this.workers.length === 0) {
      // It never started (broken install, unreadable lake): fail the waiting requests, no loop.
      const err = new ApiError("QUERY_WORKER_CRASHED", "tiến trình chạy SQL không khởi động được", "the SQL worker failed to start");
      for (const q of this.queue.splice(0)) q.reject(err);
    }
  }

  private release(w: Worker): void {
    if (w.dead || this.closed) return;
    const waiter = this.queue.shift();
    if (waiter) waiter.resolve(w);
    else this.idle.push(w);
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.shift();
    if (w) return Promise.resolve(w);
    if (this.queue.length >= this.queueLimit) {
      return Promise.reject(new ApiError("QUERY_BUSY", "máy chủ đang bận, hãy thử lại sau", "the server is busy, try again later"));
    }
    const p = new Promise<Worker>((resolve, reject) => this.queue.push({ resolve, reject }));
    if (this.workers.length < this.size) this.spawn();
    return p;
  }

  async run(req: QueryRequest): Promise<QueryOutcome> {
    if (this.closed) throw new ApiError("QUERY_BUSY", "máy chủ đang dừng", "the server is stopping");
    checkShape(req.sql, this.shape);
    const maxRows = Math.max(0, Math.min(req.maxRows ?? this.maxRows, this.maxRows));
    const w = await this.acquire();
    const id = this.nextId++;
    const msg: ToWorker = {
      type: "query",
      id,
      request: { sql: req.sql, params: req.params ?? {}, format: req.format, maxRows, csvBom: req.csvBom ?? false },
    };
    try {
      return await new Promise<QueryOutcome>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (w.pending?.id !== id) return;
          w.pending = null;
          w.kill();
          reject(
            new ApiError(
              "QUERY_TIMEOUT",
              `câu SQL chạy quá ${this.timeLimitMs} ms nên đã bị dừng`,
              `query stopped after the ${this.timeLimitMs} ms time limit`,
            ),
          );
        }, this.timeLimitMs);
        w.pending = { id, resolve, reject, timer };
        w.child.send(msg, (err) => {
          if (err && w.pending?.id === id) {
            clearTimeout(timer);
            w.pending = null;
            reject(new ApiError("QUERY_WORKER_CRASHED", "không gửi được câu SQL", "could not reach the SQL worker", err.message));
          }
        });
      });
    } finally {
      this.release(w);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = new ApiError("QUERY_BUSY", "máy chủ đang dừng", "the server is stopping");
    for (const q of this.queue.splice(0)) q.reject(stopping);
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
