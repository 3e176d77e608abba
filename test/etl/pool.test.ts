// The worker pool that reads inbox files (etl/pool.ts): a task that runs out of heap, passes its
// deadline, throws or kills its worker fails alone; the pool replaces the worker and goes on.
// Deadlines use an injected timer fired by the test: no test waits for a clock.
import { afterEach, describe, expect, it } from "vitest";
import { WorkerPool, type SetTimer } from "../../etl/pool.js";

const entry = new URL("../fixtures/pool/worker.ts", import.meta.url).href;
type In = { kind: "echo" | "hang" | "oom" | "throw" | "exit"; value?: unknown };

/** A timer the test fires by hand; `armed` says how many deadlines are running. */
function manualTimer(): SetTimer & { fireAll(): void; armed: number } {
  const pending = new Set<() => void>();
  const t = ((fire: () => void) => {
    pending.add(fire);
    return () => void pending.delete(fire);
  }) as unknown as SetTimer & { fireAll(): void; armed: number };
  t.fireAll = () => {
    for (const f of [...pending]) {
      pending.delete(f);
      f();
    }
  };
  Object.defineProperty(t, "armed", { get: () => pending.size });
  return t;
}

const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
};

let pool: WorkerPool<In, unknown> | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe("WorkerPool", () => {
  it("runs tasks and answers each", async () => {
    pool = new WorkerPool<In, unknown>({ entry, fn: "task", size: 2, heapMb: 64, timeoutMs: 60_000 });
    const rs = await Promise.all([1, 2, 3].map((v) => pool!.run({ kind: "echo", value: v })));
    expect(rs).toEqual([1, 2, 3].map((v) => ({ ok: true, value: { echoed: v } })));
    expect(pool.stats.workersStarted).toBeLessThanOrEqual(2);
  });

  it("a task past its heap limit fails as out_of_memory; the next task runs on a new worker", async () => {
    pool = new WorkerPool<In, unknown>({ entry, fn: "task", size: 1, heapMb: 32, timeoutMs: 60_000 });
    const [oom, after] = await Promise.all([pool.run({ kind: "oom" }), pool.run({ kind: "echo", value: "still here" })]);
    expect(oom).toMatchObject({ ok: false, failure: "out_of_memory" });
    expect(after).toEqual({ ok: true, value: { echoed: "still here" } });
    expect(pool.stats.workersStarted).toBe(2);
  });

  it("a task past its deadline fails as timeout (injected timer); the others are not held", async () => {
    const timer = manualTimer();
    pool = new WorkerPool<In, unknown>({ entry, fn: "task", size: 2, heapMb: 64, timeoutMs: 10_000, setTimer: timer });
    const hung = pool.run({ kind: "hang" });
    const ok = await pool.run({ kind: "echo", value: 1 });
    expect(ok).toEqual({ ok: true, value: { echoed: 1 } });
    await until(() => timer.armed === 1); // only the hung task's deadline is still running
    timer.fireAll();
    expect(await hung).toMatchObject({ ok: false, failure: "timeout" });
    expect(await pool.run({ kind: "echo", value: 2 })).toEqual({ ok: true, value: { echoed: 2 } });
  });

  it("a task that throws, or ends its worker, fails alone", async () => {
    pool = new WorkerPool<In, unknown>({ entry, fn: "task", size: 1, heapMb: 64, timeoutMs: 60_000 });
    const threw = await pool.run({ kind: "throw" });
    expect(threw).toMatchObject({ ok: false, failure: "threw" });
    expect((threw as { detail: string }).detail).toContain("boom from the task");
    expect(await pool.run({ kind: "exit" })).toMatchObject({ ok: false, failure: "crashed" });
    expect(await pool.run({ kind: "echo", value: 3 })).toEqual({ ok: true, value: { echoed: 3 } });
  });
});
