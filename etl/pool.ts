// A small pool of worker threads, each running one task at a time with a heap limit and a
// deadline: what a hostile file can cost is bounded there, and a worker that dies (V8 out of
// memory, the deadline, a crash) fails that task only — the process and the other tasks live on.
// Generic over the task: `entry` is a module whose export `fn` takes one structured-clonable
// input and returns (a promise of) one output. The ETL reads inbox files through it (read-pool.ts);
// a later issue can hand it more at a time for throughput. Idle workers are unref'd, so a pool
// that nobody closes never keeps a command alive; a busy one is ref'd until its task ends.
import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

export type PoolFailure = "out_of_memory" | "timeout" | "crashed" | "threw";

export type PoolResult<O> = { ok: true; value: O } | { ok: false; failure: PoolFailure; detail: string };

/** Starts a timer, returns its cancel. Tests inject one they fire themselves. */
export type SetTimer = (fire: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fire, ms) => {
  const t = setTimeout(fire, ms);
  t.unref();
  return () => clearTimeout(t);
};

export interface PoolOptions {
  /** URL (href) of the module the workers import */
  entry: string;
  /** the export of `entry` that handles one task */
  fn: string;
  /** the export of `entry` that lists the ArrayBuffers of a result to transfer rather than copy */
  transfer?: string;
  /** workers at most; default os.availableParallelism() */
  size?: number;
  /** V8 old-generation heap of each worker, MB */
  heapMb: number;
  /** V8 young generation of each worker, MB (default: V8's) */
  youngMb?: number;
  /** deadline of one task, ms (from the moment a worker takes it) */
  timeoutMs: number;
  setTimer?: SetTimer;
}

interface Task {
  input: unknown;
  resolve: (r: PoolResult<unknown>) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  task: Task | null;
  cancelTimer: (() => void) | null;
  dead: boolean;
  /** the deadline passed: the worker was terminated for it */
  timedOut: boolean;
}

/**
 * Workers run TypeScript sources under tsx (tests, `npm run phuluc`) or compiled JavaScript; an
 * eval'd bootstrap registers tsx's loader in the worker only when the entry is a .ts file.
 */
const BOOT = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  const mod = await import(workerData.entry);
  const fn = mod[workerData.fn];
  const transfer = workerData.transfer ? mod[workerData.transfer] : null;
  parentPort.on("message", async (input) => {
    try {
      const value = await fn(input);
      // buffers the result names are moved to the main thread, not copied
      parentPort.postMessage({ ok: true, value }, transfer ? transfer(value) : []);
    } catch (e) {
      parentPort.postMessage({ ok: false, detail: String((e && e.stack) || e) });
    }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => { setImmediate(() => { throw e; }); });
`;

function tsxLoader(): string | null {
  try {
    const cjs = createRequire(import.meta.url).resolve("tsx/esm/api");
    const mjs = cjs.replace(/\.cjs$/, ".mjs");
    return pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
  } catch {
    return null;
  }
}

export class WorkerPool<I, O> {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly size: number;
  private readonly setTimer: SetTimer;
  private closed = false;
  /** tasks run and workers replaced, for tests and logs */
  readonly stats = { tasks: 0, failures: 0, workersStarted: 0 };

  /** workers at most: how many tasks run at once */
  get workers(): number {
    return this.size;
  }

  constructor(private readonly o: PoolOptions) {
    this.size = Math.max(1, o.size ?? availableParallelism());
    this.setTimer = o.setTimer ?? realTimer;
  }

  /** Run one task; never rejects: a dead worker or a throw is a PoolResult failure. */
  run(input: I): Promise<PoolResult<O>> {
    if (this.closed) return Promise.resolve({ ok: false, failure: "crashed", detail: "the pool is closed" });
    return new Promise<PoolResult<O>>((resolve) => {
      this.queue.push({ input, resolve: resolve as Task["resolve"] });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ ok: false, failure: "crashed", detail: "the pool was closed" });
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task && !s.dead);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.start();
      }
      this.assign(slot, this.queue.shift()!);
    }
  }

  private start(): Slot {
    const entry = this.o.entry;
    const tsx = entry.endsWith(".ts") ? tsxLoader() : null;
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { entry, fn: this.o.fn, transfer: this.o.transfer ?? null, tsx },
      resourceLimits: { maxOldGenerationSizeMb: this.o.heapMb, ...(this.o.youngMb ? { maxYoungGenerationSizeMb: this.o.youngMb } : {}) },
      // the worker's console is the process's; its stdin is nobody's
      stdin: false,
    });
    worker.unref();
    this.stats.workersStarted++;
    let readyResolve!: () => void;
    const slot: Slot = { worker, ready: new Promise<void>((r) => (readyResolve = r)), task: null, cancelTimer: null, dead: false, timedOut: false };
    worker.on("message", (m: { ready?: boolean; ok?: boolean; value?: unknown; detail?: string }) => {
      if (m.ready) return readyResolve();
      this.finish(slot, m.ok ? { ok: true, value: m.value } : { ok: false, failure: "threw", detail: m.detail ?? "" });
    });
    let lastError: Error | null = null;
    worker.on("error", (e) => {
      lastError = e;
    });
    worker.on("exit", (code) => {
      slot.dead = true;
      readyResolve();
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      if (slot.task) {
        const oom = (lastError as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
        const failure: PoolFailure = slot.timedOut ? "timeout" : oom ? "out_of_memory" : "crashed";
        this.finish(slot, { ok: false, failure, detail: lastError?.message ?? `the worker exited with code ${code}` });
      }
      if (!this.closed) this.pump();
    });
    this.slots.push(slot);
    return slot;
  }

  private assign(slot: Slot, task: Task): void {
    slot.task = task;
    slot.timedOut = false;
    slot.worker.ref();
    this.stats.tasks++;
    // the deadline counts from the moment this task is handed over, not from the worker's start
    void slot.ready.then(() => {
      if (slot.dead || slot.task !== task) return;
      slot.cancelTimer = this.setTimer(() => {
        if (slot.task !== task) return;
        slot.timedOut = true;
        void slot.worker.terminate();
      }, this.o.timeoutMs);
      slot.worker.postMessage(task.input);
    });
  }

  private finish(slot: Slot, r: PoolResult<unknown>): void {
    const task = slot.task;
    if (!task) return;
    slot.task = null;
    slot.cancelTimer?.();
    slot.cancelTimer = null;
    if (!slot.dead) slot.worker.unref();
    if (!r.ok) this.stats.failures++;
    task.resolve(r);
    if (!this.closed) this.pump();
  }
}
